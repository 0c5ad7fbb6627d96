/* onion: Tor v3 key files and addresses with OpenSSL (see onion.h). */
#include "identity/onion.h"

#include "identity/base32.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

static const char secret_header[] = "== ed25519v1-secret: type0 ==";
static const char public_header[] = "== ed25519v1-public: type0 ==";

static int digest(const EVP_MD *md, const void *a, size_t a_len, const void *b, size_t b_len,
                  const void *c, size_t c_len, uint8_t *out)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int n = 0;
    int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, a, a_len) &&
             (!b || EVP_DigestUpdate(ctx, b, b_len)) && (!c || EVP_DigestUpdate(ctx, c, c_len)) &&
             EVP_DigestFinal_ex(ctx, out, &n);
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

int onion_key_from_seed(const uint8_t seed[32], struct onion_key *key)
{
    uint8_t expanded[64], public_key[32];
    size_t public_len = sizeof public_key;
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    int ok = pkey && EVP_PKEY_get_raw_public_key(pkey, public_key, &public_len) &&
             public_len == 32 && digest(EVP_sha512(), seed, 32, NULL, 0, NULL, 0, expanded) == 0;
    EVP_PKEY_free(pkey);
    if (!ok)
        return -1;
    expanded[0] &= 248; /* clamping, as ref10's crypto_sign_seckey_expand */
    expanded[31] &= 63;
    expanded[31] |= 64;
    memset(key, 0, sizeof *key);
    memcpy(key->secret_file, secret_header, sizeof secret_header - 1);
    memcpy(key->secret_file + 32, expanded, 64);
    memcpy(key->public_file, public_header, sizeof public_header - 1);
    memcpy(key->public_file + 32, public_key, 32);
    OPENSSL_cleanse(expanded, sizeof expanded);
    return 0;
}

int onion_key_generate(struct onion_key *key)
{
    uint8_t seed[32];
    if (RAND_bytes(seed, sizeof seed) != 1)
        return -1;
    int rc = onion_key_from_seed(seed, key);
    OPENSSL_cleanse(seed, sizeof seed);
    return rc;
}

static int has_header(const uint8_t *file, const char *header)
{
    size_t n = strlen(header);
    if (memcmp(file, header, n) != 0)
        return 0;
    for (size_t i = n; i < 32; i++)
        if (file[i] != 0)
            return 0;
    return 1;
}

int onion_files_valid(const uint8_t *secret_file, size_t secret_len, const uint8_t *public_file,
                      size_t public_len)
{
    return secret_len == ONION_SECRET_FILE_LEN && public_len == ONION_PUBLIC_FILE_LEN &&
           has_header(secret_file, secret_header) && has_header(public_file, public_header);
}

void onion_address(const uint8_t public_key[32], char *out)
{
    static const char prefix[] = ".onion checksum";
    const uint8_t version = 3;
    uint8_t checksum[32], raw[35];
    digest(EVP_sha3_256(), prefix, sizeof prefix - 1, public_key, 32, &version, 1, checksum);
    memcpy(raw, public_key, 32);
    raw[32] = checksum[0];
    raw[33] = checksum[1];
    raw[34] = version;
    base32_encode(raw, sizeof raw, out);
    strcat(out, ".onion");
}
