/* token: read a shared token and check a request's bearer header (see token.h). */
#include "token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

int token_read(const char *path, char out[TOKEN_MAX + 1])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(out, 1, TOKEN_MAX + 1, f);
    fclose(f);
    if (n > TOKEN_MAX)
        return -1;
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
        n--;
    out[n] = '\0';
    return n > 0 && strlen(out) == n ? 0 : -1;
}

static int digest(const char *s, unsigned char out[32])
{
    unsigned int len = 0;
    return EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL) == 1 && len == 32 ? 0 : -1;
}

bool token_matches_header(const char *header, const char *token)
{
    static const char prefix[] = "Bearer ";
    unsigned char want[32], got[32];
    if (!header || !token || !*token || strncmp(header, prefix, sizeof prefix - 1) != 0)
        return false;
    if (digest(header + sizeof prefix - 1, got) < 0 || digest(token, want) < 0)
        return false; /* fail closed */
    return CRYPTO_memcmp(want, got, 32) == 0;
}
