/*
 * json_sanitize: makes text jansson will parse out of JSON whose strings carry bytes JSON
 * forbids. monerod relays peer-supplied text (and has been seen to answer with raw NUL bytes
 * inside strings); jansson rejects both those and invalid UTF-8, and losing a whole answer for
 * one bad byte would hide every metric in it. Each raw control byte other than tab, CR and LF,
 * and each byte that does not belong to a well-formed UTF-8 sequence, becomes '?'. Valid JSON
 * is left unchanged (its strings never hold raw control bytes).
 */
#ifndef MONERO_OPERATOR_JSON_SANITIZE_H
#define MONERO_OPERATOR_JSON_SANITIZE_H

#include <stddef.h>

/* Rewrites `text` in place; returns the number of bytes replaced. */
size_t json_sanitize(char *text, size_t len);

#endif
