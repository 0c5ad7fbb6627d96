/* key_derive: keys derived from stored key material (see key_derive.h). */
#include "identity/key_derive.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

static int part(const uint8_t *root, size_t root_len, const char *label, int index, uint8_t out[32])
{
    char message[256];
    unsigned int len = 0;
    int n = snprintf(message, sizeof message, "monero-operator/v1/%s/%d", label, index);
    if (!root_len || n < 0 || (size_t)n >= sizeof message)
        return -1;
    if (!HMAC(EVP_sha256(), root, (int)root_len, (const unsigned char *)message, (size_t)n, out,
              &len) ||
        len != 32)
        return -1;
    return 0;
}

int onion_key_derive(const uint8_t *root, size_t root_len, const char *label, struct onion_key *key)
{
    uint8_t seed[32];
    int rc = part(root, root_len, label, 0, seed) < 0 ? -1 : onion_key_from_seed(seed, key);
    OPENSSL_cleanse(seed, sizeof seed);
    return rc;
}

int i2p_keys_derive(const uint8_t *root, size_t root_len, const char *label,
                    uint8_t out[I2P_KEYS_LEN])
{
    uint8_t parts[96];
    int rc = -1;
    if (part(root, root_len, label, 0, parts) == 0 &&
        part(root, root_len, label, 1, parts + 32) == 0 &&
        part(root, root_len, label, 2, parts + 64) == 0)
        rc = i2p_keys_from_parts(parts, parts + 32, parts + 64, out);
    OPENSSL_cleanse(parts, sizeof parts);
    return rc;
}
