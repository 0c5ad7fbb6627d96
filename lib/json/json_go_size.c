/* json_go_size: bytes of Go's json.Marshal output, counted (see json_go_size.h). */
#include "json/json_go_size.h"

#include <stdio.h>
#include <string.h>

/* Bytes Go adds to one byte of a string: 1 for \" \\ \n \r \t, 5 for \u00XX (controls,
 * '<', '>', '&'), 9 marks 0xE2, which starts U+2028 and U+2029 (three bytes, written as six). */
static const unsigned char go_extra[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 5, 5, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 5, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

size_t json_go_string_size(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    size_t n = 2 + len;
    for (; p < end; p++) {
        unsigned char e = go_extra[*p];
        if (e == 9) {
            if (end - p >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
                n += 3, p += 2;
        } else {
            n += e;
        }
    }
    return n;
}

static size_t integer_size(json_int_t v)
{
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, v);
    return len > 0 ? (size_t)len : 0;
}

size_t json_go_size(const json_t *value)
{
    size_t n, i;
    const char *key;
    json_t *item;
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        n = 2 + (json_object_size(value) ? json_object_size(value) - 1 : 0);
        json_object_foreach((json_t *)value, key, item) n +=
            json_go_string_size(key, strlen(key)) + 1 + json_go_size(item);
        return n;
    case JSON_ARRAY:
        n = 2 + (json_array_size(value) ? json_array_size(value) - 1 : 0);
        json_array_foreach(value, i, item) n += json_go_size(item);
        return n;
    case JSON_STRING:
        return json_go_string_size(json_string_value(value), json_string_length(value));
    case JSON_INTEGER:
        return integer_size(json_integer_value(value));
    case JSON_REAL:
        return 24; /* -1.2345678901234567e-308: Go's longest float64 */
    case JSON_TRUE:
    case JSON_NULL:
        return 4;
    case JSON_FALSE:
        return 5;
    }
    return 0;
}
