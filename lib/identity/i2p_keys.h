/*
 * i2p_keys: I2P destination keys in i2pd's .dat format, and their .b32.i2p address.
 *
 * Layout for signature type 7 (EdDSA-SHA512-Ed25519) and crypto type 4 (ECIES-X25519):
 *   0    256  public key field: for a destination, a random 32-byte block repeated 8 times
 *   256   96  signing key padding: the same block 3 times
 *   352   32  Ed25519 public key
 *   384    7  key certificate: 05 00 04, signing type 00 07, crypto type 00 04
 *   391   32  crypto private key
 *   423   32  Ed25519 private key (the RFC 8032 seed)
 * = 455 bytes. The address is base32(SHA-256(the 391-byte identity)) + ".b32.i2p". i2pd only
 * reads an existing file, so an address computed here is the one i2pd reports.
 */
#ifndef MONERO_OPERATOR_I2P_KEYS_H
#define MONERO_OPERATOR_I2P_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define I2P_IDENTITY_LEN 391
#define I2P_KEYS_LEN     455
#define I2P_ADDRESS_LEN  60 /* 52 + ".b32.i2p" */

/* Builds a keys file from a seed, a padding block and a crypto private key (tests, vectors). */
int i2p_keys_from_parts(const uint8_t seed[32], const uint8_t padding[32],
                        const uint8_t crypto_private[32], uint8_t out[I2P_KEYS_LEN]);

/* A new random keys file (OpenSSL's CSPRNG). */
int i2p_keys_generate(uint8_t out[I2P_KEYS_LEN]);

/* Checks a keys file: length, certificate, types, non-zero signing key. */
int i2p_keys_valid(const uint8_t *keys, size_t len);

/* "<52 base32>.b32.i2p" of a keys file (or identity), into out (I2P_ADDRESS_LEN + 1 bytes). */
void i2p_address(const uint8_t *identity, char *out);

#endif
