/* Tor and I2P identities against fixed vectors: RFC 8032 test 1 and the addresses tor and i2pd
 * themselves report for it (reference/monero.md §3.2 and §4.3). */
#include "testlib.h"

#include "identity/base32.h"
#include "identity/i2p_keys.h"
#include "identity/onion.h"

#include <stdio.h>
#include <string.h>

static void hex(const char *text, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        sscanf(text + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static const char *rfc8032_seed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *rfc8032_public =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

START_TEST(base32_rfc4648_vectors)
{
    static const struct {
        const char *in, *out;
    } v[] = {{"", ""},
             {"f", "my"},
             {"fo", "mzxq"},
             {"foo", "mzxw6"},
             {"foob", "mzxw6yq"},
             {"fooba", "mzxw6ytb"},
             {"foobar", "mzxw6ytboi"}};
    char out[32];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        base32_encode((const uint8_t *)v[i].in, strlen(v[i].in), out);
        ck_assert_str_eq(out, v[i].out);
    }
}
END_TEST

START_TEST(onion_from_rfc8032_seed)
{
    uint8_t seed[32], public_key[32];
    struct onion_key key;
    char address[ONION_ADDRESS_LEN + 1];
    hex(rfc8032_seed, seed, 32);
    hex(rfc8032_public, public_key, 32);
    ck_assert_int_eq(onion_key_from_seed(seed, &key), 0);
    ck_assert_mem_eq(key.public_file + 32, public_key, 32);
    ck_assert_mem_eq(key.secret_file, "== ed25519v1-secret: type0 ==\0\0\0", 32);
    ck_assert_mem_eq(key.public_file, "== ed25519v1-public: type0 ==\0\0\0", 32);
    /* the expanded key is clamped SHA-512(seed): low 3 bits clear, bit 254 set */
    ck_assert_uint_eq(key.secret_file[32] & 7, 0);
    ck_assert_uint_eq(key.secret_file[63] & 0xc0, 0x40);
    onion_address(key.public_file + 32, address);
    ck_assert_str_eq(address, "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion");
    ck_assert(onion_files_valid(key.secret_file, 96, key.public_file, 64));
    ck_assert(!onion_files_valid(key.secret_file, 95, key.public_file, 64));
    key.public_file[5] = 'X';
    ck_assert(!onion_files_valid(key.secret_file, 96, key.public_file, 64));
}
END_TEST

START_TEST(i2p_from_rfc8032_seed)
{
    uint8_t seed[32], padding[32], crypto[32] = {1}, keys[I2P_KEYS_LEN];
    char address[I2P_ADDRESS_LEN + 1];
    hex(rfc8032_seed, seed, 32);
    for (int i = 0; i < 32; i++)
        padding[i] = (uint8_t)i;
    ck_assert_int_eq(i2p_keys_from_parts(seed, padding, crypto, keys), 0);
    i2p_address(keys, address);
    ck_assert_str_eq(address, "agixgozre5v466h3vxpir5svpp3dba7cfdlchz76tvy3op3jivya.b32.i2p");
    ck_assert(i2p_keys_valid(keys, sizeof keys));
    ck_assert(!i2p_keys_valid(keys, sizeof keys - 1));
    memset(keys + 423, 0, 32); /* an all-zero signing key means "offline signature" */
    ck_assert(!i2p_keys_valid(keys, sizeof keys));
}
END_TEST

START_TEST(generated_keys_are_distinct_and_valid)
{
    struct onion_key a, b;
    uint8_t x[I2P_KEYS_LEN], y[I2P_KEYS_LEN];
    ck_assert_int_eq(onion_key_generate(&a), 0);
    ck_assert_int_eq(onion_key_generate(&b), 0);
    ck_assert(memcmp(a.public_file, b.public_file, 64) != 0);
    ck_assert(onion_files_valid(a.secret_file, 96, a.public_file, 64));
    ck_assert_int_eq(i2p_keys_generate(x), 0);
    ck_assert_int_eq(i2p_keys_generate(y), 0);
    ck_assert(memcmp(x, y, sizeof x) != 0);
    ck_assert(i2p_keys_valid(x, sizeof x));
}
END_TEST

Suite *identity_suite(void)
{
    Suite *s = suite_create("identity");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, base32_rfc4648_vectors);
    tcase_add_test(tc, onion_from_rfc8032_seed);
    tcase_add_test(tc, i2p_from_rfc8032_seed);
    tcase_add_test(tc, generated_keys_are_distinct_and_valid);
    suite_add_tcase(s, tc);
    return s;
}
