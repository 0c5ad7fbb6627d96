/*
 * jsonx: small helpers over jansson used by every builder and hook.
 *
 * Ownership follows jansson: functions ending in _new steal the reference to the value they are
 * given; getters return borrowed references (never NULL-checked by the caller twice: they return
 * NULL when the path is absent or of another type).
 */
#ifndef MONERO_OPERATOR_JSONX_H
#define MONERO_OPERATOR_JSONX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Borrowed lookups that also check the type; NULL when absent or of another type. */
json_t *jsonx_object(const json_t *obj, const char *key);
json_t *jsonx_array(const json_t *obj, const char *key);
const char *jsonx_string(const json_t *obj, const char *key);

/* Walk a dotted path of object keys ("metadata.labels"); NULL when any step is missing. */
json_t *jsonx_path(const json_t *obj, const char *dotted_path);

/* Integer at key; *out is set and true returned only for a JSON integer. */
bool jsonx_integer(const json_t *obj, const char *key, json_int_t *out);

/* Setters: json_object_set_new with a freshly built value (string, integer, bool). */
void jsonx_set_string(json_t *obj, const char *key, const char *value);
void jsonx_set_int(json_t *obj, const char *key, json_int_t value);
void jsonx_set_bool(json_t *obj, const char *key, bool value);

/* Returns obj[key], creating an empty object there first if it is absent (borrowed). */
json_t *jsonx_object_at(json_t *obj, const char *key);

/* Builds {"k1": "v1", "k2": "v2", ...} from NULL-terminated key/value pairs. New reference. */
json_t *jsonx_string_map(const char *key, ...);

/* Appends a string to an array. */
void jsonx_append_string(json_t *array, const char *value);

#endif
