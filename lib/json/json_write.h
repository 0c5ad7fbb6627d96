/*
 * json_write: the canonical JSON text of a jansson value (compact, object keys sorted), as the
 * hook server answers with: byte for byte what json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS |
 * JSON_ENCODE_ANY) returns, about four times faster (json_dumps goes through a callback per
 * fragment and snprintf per number). The unit tests compare the two on every fixture and on
 * generated values; reals, which Kubernetes objects do not use, are formatted by jansson itself.
 *
 * The text is allocated with malloc (never through jansson's allocator), so it may outlive any
 * allocation scheme jansson's values use.
 */
#ifndef MONERO_OPERATOR_JSON_WRITE_H
#define MONERO_OPERATOR_JSON_WRITE_H

#include <jansson.h>
#include <stddef.h>

/* NULL when json_dumps would fail too (a string that is not UTF-8) or memory runs out. */
char *json_write_canonical(const json_t *value, size_t *len);

#endif
