/*
 * yaml_json: YAML streams to JSON values and back, with libyaml.
 *
 * Reading resolves plain scalars the way kubectl's YAML decoder does (YAML 1.1: true/yes/on,
 * null/~, decimal/hex/octal integers, floats); quoted scalars are always strings. Aliases are
 * expanded with limits on depth and size, so a small hostile file cannot exhaust memory.
 * Writing emits block YAML with sorted keys and quotes any string that would otherwise be read
 * back as something else ("true", "0755", "1e3", ...).
 */
#ifndef MONERO_OPERATOR_YAML_JSON_H
#define MONERO_OPERATOR_YAML_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Parses every document of a YAML stream into a JSON array (new reference; empty documents are
 * skipped). On error returns NULL and writes "line L column C: problem" into err. */
json_t *yaml_stream_to_json(const char *text, size_t len, char *err, size_t err_size);

/* Writes `docs` (an array of JSON values) as a YAML stream, each document starting with "---".
 * Returns 0, or -1 on an emitter failure. */
int yaml_stream_write(FILE *out, const json_t *docs);

/* The JSON value a plain (unquoted) scalar resolves to (new reference). */
json_t *yaml_resolve_plain(const char *text, size_t len);

#endif
