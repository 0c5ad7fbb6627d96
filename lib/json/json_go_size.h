/*
 * json_go_size: how many bytes Go's json.Marshal takes for a value, counted without writing it.
 *
 * Metacontroller stores every child it applies, whole, in the child's last-applied annotation,
 * written by Go's encoding/json, and the API server refuses an object whose annotations exceed
 * 256 KiB. Go's encoder escapes more than jansson's: '<', '>' and '&' become \u003c, \u003e and
 * \u0026 (six bytes for one), U+2028 and U+2029 become \u2028 and \u2029 (six for three), and
 * other control characters \u00XX. The count assumes the older encoders' \u0008 and \u000c for
 * backspace and form feed (newer ones write \b and \f), so it never falls short.
 *
 * Keys and integers are counted exactly; a real number (never emitted in children) counts as
 * the longest form Go may give it.
 */
#ifndef MONERO_OPERATOR_JSON_GO_SIZE_H
#define MONERO_OPERATOR_JSON_GO_SIZE_H

#include <jansson.h>
#include <stddef.h>

size_t json_go_size(const json_t *value);

/* The bytes of one string as Go writes it, quotes included. */
size_t json_go_string_size(const char *text, size_t len);

#endif
