/* base32: RFC 4648 base32, lowercase, without padding, as onion and .b32.i2p addresses use. */
#ifndef MONERO_OPERATOR_BASE32_H
#define MONERO_OPERATOR_BASE32_H

#include <stddef.h>
#include <stdint.h>

/* Encodes `len` bytes into out (at least base32_encoded_len(len) + 1 bytes, NUL-terminated). */
void base32_encode(const uint8_t *data, size_t len, char *out);

size_t base32_encoded_len(size_t len);

#endif
