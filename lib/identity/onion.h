/*
 * onion: Tor v3 onion-service keys and addresses, in the files tor reads from a
 * HiddenServiceDir.
 *
 *   hs_ed25519_secret_key  96 bytes: "== ed25519v1-secret: type0 ==" NUL-padded to 32, then the
 *                          64-byte *expanded* Ed25519 secret key (SHA-512 of the seed, clamped)
 *   hs_ed25519_public_key  64 bytes: "== ed25519v1-public: type0 ==" NUL-padded to 32, then the
 *                          32-byte public key
 *   address                base32(pubkey || SHA3-256(".onion checksum" || pubkey || 3)[0..1] || 3)
 *                          + ".onion": 56 characters before the suffix
 *
 * tor loads the secret key, checks the public key file against it (refusing to start on a
 * mismatch) and writes `hostname`. All cryptography is OpenSSL's.
 */
#ifndef MONERO_OPERATOR_ONION_H
#define MONERO_OPERATOR_ONION_H

#include <stddef.h>
#include <stdint.h>

#define ONION_SECRET_FILE_LEN 96
#define ONION_PUBLIC_FILE_LEN 64
#define ONION_ADDRESS_LEN     62 /* 56 + ".onion" */

struct onion_key {
    uint8_t secret_file[ONION_SECRET_FILE_LEN];
    uint8_t public_file[ONION_PUBLIC_FILE_LEN];
};

/* Derives both files from a 32-byte RFC 8032 seed. Returns 0, or -1 if OpenSSL fails. */
int onion_key_from_seed(const uint8_t seed[32], struct onion_key *key);

/* A new random key (OpenSSL's CSPRNG). */
int onion_key_generate(struct onion_key *key);

/* Checks the headers and lengths of the two files as tor would read them. */
int onion_files_valid(const uint8_t *secret_file, size_t secret_len, const uint8_t *public_file,
                      size_t public_len);

/* "<56 base32>.onion" of a 32-byte public key, into out (ONION_ADDRESS_LEN + 1 bytes). */
void onion_address(const uint8_t public_key[32], char *out);

#endif
