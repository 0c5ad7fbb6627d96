/* stream: the copy's trailer and the reader that checks it (see stream.h). */
#include "stream.h"

#include <string.h>

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

void stream_trailer_encode(uint64_t length, const uint8_t sha256[32],
                           uint8_t out[STREAM_TRAILER_LEN])
{
    memcpy(out, STREAM_MAGIC, 8);
    put_le64(out + 8, length);
    memcpy(out + 16, sha256, 32);
}

int stream_reader_init(struct stream_reader *r, FILE *out)
{
    memset(r, 0, sizeof *r);
    r->out = out;
    r->sha = EVP_MD_CTX_new();
    return r->sha && EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static int emit(struct stream_reader *r, const uint8_t *data, size_t len)
{
    if (len == 0)
        return 0;
    if (fwrite(data, 1, len, r->out) != len || EVP_DigestUpdate(r->sha, data, len) != 1) {
        r->write_failed = 1;
        return -1;
    }
    r->written += len;
    return 0;
}

int stream_reader_feed(struct stream_reader *r, const uint8_t *data, size_t len)
{
    if (r->write_failed)
        return -1;
    size_t total = r->held_len + len;
    if (total <= STREAM_TRAILER_LEN) { /* everything so far may still be the trailer */
        memcpy(r->held + r->held_len, data, len);
        r->held_len = total;
        return 0;
    }
    size_t release = total - STREAM_TRAILER_LEN; /* bytes that cannot be the trailer */
    size_t from_held = release < r->held_len ? release : r->held_len;
    if (emit(r, r->held, from_held) < 0)
        return -1;
    memmove(r->held, r->held + from_held, r->held_len - from_held);
    r->held_len -= from_held;
    size_t from_data = release - from_held;
    if (emit(r, data, from_data) < 0)
        return -1;
    memcpy(r->held + r->held_len, data + from_data, len - from_data);
    r->held_len += len - from_data;
    return 0;
}

int stream_reader_finish(struct stream_reader *r, char *why, size_t why_len)
{
    uint8_t digest[32];
    unsigned int digest_len = 0;
    if (r->write_failed) {
        snprintf(why, why_len, "writing the copy failed");
        return -1;
    }
    if (r->held_len < STREAM_TRAILER_LEN || memcmp(r->held, STREAM_MAGIC, 8) != 0) {
        snprintf(why, why_len, "the transfer ended without its trailer (truncated)");
        return -1;
    }
    if (EVP_DigestFinal_ex(r->sha, digest, &digest_len) != 1 || digest_len != 32) {
        snprintf(why, why_len, "SHA-256 failed");
        return -1;
    }
    uint64_t length = get_le64(r->held + 8);
    if (length != r->written) {
        snprintf(why, why_len, "received %llu bytes, the sender sent %llu",
                 (unsigned long long)r->written, (unsigned long long)length);
        return -1;
    }
    if (memcmp(digest, r->held + 16, 32) != 0) {
        snprintf(why, why_len, "the SHA-256 of the %llu bytes received differs from the sender's",
                 (unsigned long long)r->written);
        return -1;
    }
    return 0;
}

void stream_reader_release(struct stream_reader *r)
{
    EVP_MD_CTX_free(r->sha);
    r->sha = NULL;
}
