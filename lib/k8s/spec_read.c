/* spec_read: typed, range-checked reads of spec fields (see spec_read.h). */
#include "k8s/spec_read.h"

#include "k8s/quantity.h"

#include <stdio.h>
#include <string.h>

void spec_path_join(char *out, size_t out_size, const char *path, const char *key)
{
    snprintf(out, out_size, "%s.%s", path, key);
}

/* Returns the value, NULL when absent or null. */
static const json_t *field(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_null(v) ? NULL : v;
}

int spec_read_int(const json_t *obj, const char *key, const char *path, json_int_t min,
                  json_int_t max, json_int_t fallback, json_int_t *out, struct spec_error *err)
{
    char where[160];
    const json_t *v = field(obj, key);
    spec_path_join(where, sizeof where, path, key);
    if (!v) {
        *out = fallback;
        return 0;
    }
    if (!json_is_integer(v)) {
        spec_error_set(err, where, "must be an integer");
        return -1;
    }
    *out = json_integer_value(v);
    if (*out < min || *out > max) {
        spec_error_set(err, where, "must be between %lld and %lld, not %lld", (long long)min,
                       (long long)max, (long long)*out);
        return -1;
    }
    return 0;
}

int spec_read_bool(const json_t *obj, const char *key, const char *path, bool fallback, bool *out,
                   struct spec_error *err)
{
    char where[160];
    const json_t *v = field(obj, key);
    if (!v) {
        *out = fallback;
        return 0;
    }
    if (!json_is_boolean(v)) {
        spec_path_join(where, sizeof where, path, key);
        spec_error_set(err, where, "must be true or false");
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

static bool printable(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

int spec_read_string(const json_t *obj, const char *key, const char *path, size_t max_len,
                     const char *fallback, const char **out, struct spec_error *err)
{
    char where[160];
    const json_t *v = field(obj, key);
    spec_path_join(where, sizeof where, path, key);
    if (!v) {
        *out = fallback;
        return 0;
    }
    if (!json_is_string(v)) {
        spec_error_set(err, where, "must be a string");
        return -1;
    }
    size_t len = json_string_length(v);
    *out = json_string_value(v);
    if (len > max_len || strlen(*out) != len || !printable(*out, len)) {
        spec_error_set(err, where, "must be at most %zu printable characters", max_len);
        return -1;
    }
    return 0;
}

int spec_read_enum(const json_t *obj, const char *key, const char *path, const char *const *allowed,
                   const char *fallback, const char **out, struct spec_error *err)
{
    char where[160], list[256] = "";
    if (spec_read_string(obj, key, path, 64, fallback, out, err) < 0)
        return -1;
    if (!*out)
        return 0;
    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(*out, allowed[i]) == 0) {
            *out = allowed[i]; /* static storage, outlives the request */
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 allowed[i]);
    }
    spec_path_join(where, sizeof where, path, key);
    spec_error_set(err, where, "\"%s\" is not one of: %s", *out, list);
    return -1;
}

int spec_read_quantity(const json_t *obj, const char *key, const char *path, const char *fallback,
                       char *out, size_t out_size, struct spec_error *err)
{
    char where[160];
    const char *text, *reason;
    struct quantity q;
    spec_path_join(where, sizeof where, path, key);
    const json_t *v = field(obj, key);
    if (v && !json_is_string(v)) {
        spec_error_set(err, where, "must be a quantity string such as \"100Gi\"");
        return -1;
    }
    text = v ? json_string_value(v) : fallback;
    if (!quantity_parse(text, &q, &reason)) {
        spec_error_set(err, where, "\"%s\": %s", text, reason);
        return -1;
    }
    if (!quantity_is_positive(&q)) {
        spec_error_set(err, where, "must be greater than zero");
        return -1;
    }
    quantity_format(&q, out, out_size);
    return 0;
}

int spec_read_object(const json_t *obj, const char *key, const char *path, const json_t **out,
                     struct spec_error *err)
{
    char where[160];
    const json_t *v = field(obj, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_object(v)) {
        spec_path_join(where, sizeof where, path, key);
        spec_error_set(err, where, "must be an object");
        return -1;
    }
    *out = v;
    return 0;
}

int spec_check_known_keys(const json_t *obj, const char *path, const char *const *known,
                          struct spec_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (!known[i]) {
            char where[160];
            spec_path_join(where, sizeof where, path, key);
            spec_error_set(err, where, "unknown field");
            return -1;
        }
    }
    return 0;
}
