/*
 * fuzz_stream: the receiver of a database copy (bootstrap/stream.c) on whatever libFuzzer finds.
 * The first byte picks how the body is cut into pieces (as the network would); the rest is the
 * body. The reader must accept exactly when the last 48 bytes are a trailer naming the length
 * and SHA-256 of everything before them (checked here with one SHA-256 over the whole prefix),
 * and then have written exactly that prefix; anything else must be refused.
 */
#include "bootstrap/stream.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int trailer_is_right(const uint8_t *body, size_t len)
{
    uint8_t digest[32], want[STREAM_TRAILER_LEN];
    unsigned int dl;
    if (len < STREAM_TRAILER_LEN)
        return 0;
    size_t n = len - STREAM_TRAILER_LEN;
    EVP_Digest(body, n, digest, &dl, EVP_sha256(), NULL);
    stream_trailer_encode(n, digest, want);
    return memcmp(want, body + n, STREAM_TRAILER_LEN) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = (size_t)data[0] + 1;
    const uint8_t *body = data + 1;
    size_t len = size - 1;
    char *file = NULL;
    size_t file_len = 0;
    FILE *out = open_memstream(&file, &file_len);
    struct stream_reader r;
    if (!out || stream_reader_init(&r, out) < 0)
        abort();
    for (size_t at = 0; at < len; at += piece)
        if (stream_reader_feed(&r, body + at, len - at < piece ? len - at : piece) < 0)
            abort();
    char why[256];
    int accepted = stream_reader_finish(&r, why, sizeof why) == 0;
    stream_reader_release(&r);
    fclose(out);
    if (accepted != trailer_is_right(body, len))
        abort();
    if (accepted && (file_len != len - STREAM_TRAILER_LEN || memcmp(file, body, file_len) != 0))
        abort();
    free(file);
    return 0;
}
