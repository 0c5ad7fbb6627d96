/* base32: RFC 4648 encoding, lowercase, unpadded (see base32.h). */
#include "identity/base32.h"

size_t base32_encoded_len(size_t len)
{
    return (len * 8 + 4) / 5;
}

void base32_encode(const uint8_t *data, size_t len, char *out)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    uint32_t buffer = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = alphabet[(buffer << (5 - bits)) & 31];
    out[o] = '\0';
}
