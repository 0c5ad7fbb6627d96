/* base64: standard base64 (Kubernetes Secret data) through OpenSSL's EVP block codec. */
#ifndef MONERO_OPERATOR_BASE64_H
#define MONERO_OPERATOR_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Encodes into a new NUL-terminated string (caller frees); NULL when memory runs out. */
char *base64_encode(const uint8_t *data, size_t len);

/* Decodes `text` into out (capacity `cap`); returns the decoded length, or -1 when the text is
 * not canonical base64 or does not fit. */
long base64_decode(const char *text, uint8_t *out, size_t cap);

#endif
