/* json_go_size: bytes of Go's json.Marshal output, counted (see json_go_size.h). */
#include "json/json_go_size.h"

#include <stdio.h>
#include <string.h>

size_t json_go_string_size(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    size_t n = 2;
    while (p < end) {
        unsigned char c = *p;
        if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') {
            n += 2, p++;
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            n += 6, p++;
        } else if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            n += 6, p += 3; /* U+2028, U+2029 */
        } else {
            n++, p++; /* ASCII, or a byte of a valid UTF-8 sequence (jansson's strings are) */
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
