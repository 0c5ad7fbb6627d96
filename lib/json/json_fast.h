/*
 * json_fast: a JSON reader producing jansson values, several times faster than json_loadb on
 * the requests Metacontroller sends (which are mostly strings: specs, annotations holding whole
 * objects as escaped JSON, managedFields).
 *
 * Why it exists: the hook server's time per request was about 70% jansson's lexer, which reads
 * one byte at a time through a stream callback and re-checks UTF-8 byte by byte (measured with
 * callgrind, see docs/bench.md). This reader scans strings with a byte-class table and builds
 * the same values through jansson's own constructors.
 *
 * Contract: for every input and for the flags below, json_fast_loadb accepts exactly what
 * json_loadb accepts and returns a value equal to json_loadb's, with the same types (integer
 * or real), the same key order and the same bytes in every string. Rejections carry a one-line
 * reason in error->text, but not necessarily jansson's wording or position. The unit tests
 * check this against jansson on the fixtures and on mutated and generated inputs, and the
 * fuzz-json target does so on whatever libFuzzer finds.
 *
 * Flags: 0, JSON_REJECT_DUPLICATES, JSON_ALLOW_NUL, JSON_DECODE_INT_AS_REAL, JSON_DECODE_ANY
 * (any combination). Other flags are refused (NULL, with a reason).
 */
#ifndef MONERO_OPERATOR_JSON_FAST_H
#define MONERO_OPERATOR_JSON_FAST_H

#include <jansson.h>
#include <stddef.h>

json_t *json_fast_loadb(const char *buffer, size_t len, size_t flags, json_error_t *error);

#endif
