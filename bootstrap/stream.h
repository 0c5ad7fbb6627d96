/*
 * stream: the wire format of a database copy. The body of `GET /v1/copy` is the copy's bytes
 * followed by a trailer of fixed size:
 *
 *   offset  size  field
 *   0       8     "MOBSEND1"
 *   8       8     length of the copy in bytes, little-endian
 *   16      32    SHA-256 of the copy
 *
 * The sender only knows both once the copy has been written, hence a trailer. A body that ends
 * early (a dropped connection, a failed copy) has no valid trailer, or one that does not match.
 * The reader holds back the last TRAILER_LEN bytes it has seen, so it never writes the trailer
 * into the file.
 */
#ifndef MONERO_BOOTSTRAP_STREAM_H
#define MONERO_BOOTSTRAP_STREAM_H

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>

#define STREAM_MAGIC       "MOBSEND1"
#define STREAM_TRAILER_LEN 48

/* Sender: the trailer for `length` bytes whose digest is `sha256`. */
void stream_trailer_encode(uint64_t length, const uint8_t sha256[32],
                           uint8_t out[STREAM_TRAILER_LEN]);

/* Receiver: writes everything but the trailer to `out`, hashing it on the way. */
struct stream_reader {
    FILE *out;
    EVP_MD_CTX *sha;
    uint8_t held[STREAM_TRAILER_LEN];
    size_t held_len;
    uint64_t written;
    int write_failed;
};

int stream_reader_init(struct stream_reader *r, FILE *out);
/* Takes the next piece of the body; -1 when writing the file failed. */
int stream_reader_feed(struct stream_reader *r, const uint8_t *data, size_t len);
/* After the body ended: 0 when the trailer is present and matches the bytes written, else -1
 * with the reason in `why`. */
int stream_reader_finish(struct stream_reader *r, char *why, size_t why_len);
void stream_reader_release(struct stream_reader *r);

#endif
