/* i2p_keys: i2pd destination files and addresses with OpenSSL (see i2p_keys.h). */
#include "identity/i2p_keys.h"

#include "identity/base32.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

static const uint8_t certificate[7] = {0x05, 0x00, 0x04, 0x00, 0x07, 0x00, 0x04};

int i2p_keys_from_parts(const uint8_t seed[32], const uint8_t padding[32],
                        const uint8_t crypto_private[32], uint8_t out[I2P_KEYS_LEN])
{
    uint8_t public_key[32];
    size_t public_len = sizeof public_key;
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    int ok = pkey && EVP_PKEY_get_raw_public_key(pkey, public_key, &public_len) && public_len == 32;
    EVP_PKEY_free(pkey);
    if (!ok)
        return -1;
    for (int i = 0; i < 8; i++)
        memcpy(out + 32 * i, padding, 32);
    for (int i = 0; i < 3; i++)
        memcpy(out + 256 + 32 * i, padding, 32);
    memcpy(out + 352, public_key, 32);
    memcpy(out + 384, certificate, sizeof certificate);
    memcpy(out + 391, crypto_private, 32);
    memcpy(out + 423, seed, 32);
    return 0;
}

int i2p_keys_generate(uint8_t out[I2P_KEYS_LEN])
{
    uint8_t random[96];
    if (RAND_bytes(random, sizeof random) != 1)
        return -1;
    int rc = i2p_keys_from_parts(random, random + 32, random + 64, out);
    OPENSSL_cleanse(random, sizeof random);
    return rc;
}

int i2p_keys_valid(const uint8_t *keys, size_t len)
{
    static const uint8_t zero[32] = {0};
    return len == I2P_KEYS_LEN && memcmp(keys + 384, certificate, sizeof certificate) == 0 &&
           memcmp(keys + 423, zero, 32) != 0;
}

void i2p_address(const uint8_t *identity, char *out)
{
    uint8_t hash[SHA256_DIGEST_LENGTH];
    SHA256(identity, I2P_IDENTITY_LEN, hash);
    base32_encode(hash, sizeof hash, out);
    strcat(out, ".b32.i2p");
}
