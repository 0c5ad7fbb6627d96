/* base64: OpenSSL EVP_EncodeBlock/EVP_DecodeBlock with padding handled (see base64.h). */
#include "identity/base64.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

char *base64_encode(const uint8_t *data, size_t len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

long base64_decode(const char *text, uint8_t *out, size_t cap)
{
    size_t n = strlen(text);
    if (n % 4 != 0 || n / 4 * 3 > cap + 2 || n > 1 << 24)
        return -1;
    size_t padding = (n && text[n - 1] == '=') + (n > 1 && text[n - 2] == '=');
    unsigned char *buf = malloc(n / 4 * 3 + 1);
    if (!buf)
        return -1;
    int decoded = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)n);
    long len = decoded < 0 ? -1 : decoded - (long)padding;
    if (len >= 0 && (size_t)len <= cap)
        memcpy(out, buf, (size_t)len);
    else
        len = -1;
    free(buf);
    return len;
}
