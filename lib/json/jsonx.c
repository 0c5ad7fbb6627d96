/* jsonx: typed getters, setters and canonical serialisation over jansson (see jsonx.h). */
#include "json/jsonx.h"

#include <stdarg.h>
#include <string.h>

json_t *jsonx_object(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_object(v) ? v : NULL;
}

json_t *jsonx_array(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_array(v) ? v : NULL;
}

const char *jsonx_string(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *jsonx_path(const json_t *obj, const char *dotted_path)
{
    char key[128];
    const char *p = dotted_path;
    json_t *cur = (json_t *)obj;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !json_is_object(cur))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        cur = json_object_get(cur, key);
        p += n + (dot ? 1 : 0);
    }
    return cur;
}

bool jsonx_integer(const json_t *obj, const char *key, json_int_t *out)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!json_is_integer(v))
        return false;
    *out = json_integer_value(v);
    return true;
}

void jsonx_set_string(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, json_string(value));
}

void jsonx_set_int(json_t *obj, const char *key, json_int_t value)
{
    json_object_set_new(obj, key, json_integer(value));
}

void jsonx_set_bool(json_t *obj, const char *key, bool value)
{
    json_object_set_new(obj, key, json_boolean(value));
}

json_t *jsonx_object_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_object(v)) {
        v = json_object();
        json_object_set_new(obj, key, v);
    }
    return v;
}

json_t *jsonx_string_map(const char *key, ...)
{
    json_t *map = json_object();
    va_list ap;
    va_start(ap, key);
    for (const char *k = key; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        json_object_set_new(map, k, json_string(v));
    }
    va_end(ap);
    return map;
}

void jsonx_append_string(json_t *array, const char *value)
{
    json_array_append_new(array, json_string(value));
}
