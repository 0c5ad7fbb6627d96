/*
 * spec_read: typed reads of custom resource fields with defaults and range checks.
 *
 * Each reader takes the containing object, the key, and the field path used in messages
 * ("spec.service"); a missing or null value yields the default. On a wrong type or an
 * out-of-range value it fills the spec_error and returns -1.
 */
#ifndef MONERO_OPERATOR_SPEC_READ_H
#define MONERO_OPERATOR_SPEC_READ_H

#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

int spec_read_int(const json_t *obj, const char *key, const char *path, json_int_t min,
                  json_int_t max, json_int_t fallback, json_int_t *out, struct spec_error *err);

int spec_read_bool(const json_t *obj, const char *key, const char *path, bool fallback, bool *out,
                   struct spec_error *err);

/* A string of at most max_len printable characters; *out is borrowed (or `fallback`). */
int spec_read_string(const json_t *obj, const char *key, const char *path, size_t max_len,
                     const char *fallback, const char **out, struct spec_error *err);

/* One of the NULL-terminated `allowed` values. */
int spec_read_enum(const json_t *obj, const char *key, const char *path, const char *const *allowed,
                   const char *fallback, const char **out, struct spec_error *err);

/* A positive Kubernetes quantity, written into out in canonical form. */
int spec_read_quantity(const json_t *obj, const char *key, const char *path, const char *fallback,
                       char *out, size_t out_size, struct spec_error *err);

/* An object (borrowed) or NULL when absent. */
int spec_read_object(const json_t *obj, const char *key, const char *path, const json_t **out,
                     struct spec_error *err);

/* Refuses keys of `obj` not in the NULL-terminated `known` list (typos in a spec). */
int spec_check_known_keys(const json_t *obj, const char *path, const char *const *known,
                          struct spec_error *err);

/* Joins a path and a key: "spec" + "service" -> "spec.service". */
void spec_path_join(char *out, size_t out_size, const char *path, const char *key);

#endif
