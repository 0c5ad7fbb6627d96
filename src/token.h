/*
 * token: a shared secret presented as "Authorization: Bearer <token>": the per-set secret that
 * admits a sibling to a bootstrap copy, and the one Metacontroller sends to the hook server. It is
 * read from its file (a mounted Secret), so a rotated Secret takes effect without a restart, and
 * compared in constant time (SHA-256 of both sides, then CRYPTO_memcmp: neither the content
 * nor the length of the right token shows in the time taken).
 */
#ifndef MONERO_OPERATOR_TOKEN_H
#define MONERO_OPERATOR_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_MAX 512

/* The token in `path`, trailing whitespace removed; -1 when unreadable, empty or too long. */
int token_read(const char *path, char out[TOKEN_MAX + 1]);

/* Whether an Authorization header value is "Bearer <the token>". */
bool token_matches_header(const char *header, const char *token);

#endif
