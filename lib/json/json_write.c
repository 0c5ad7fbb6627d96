/* json_write: canonical JSON text, identical to jansson's sorted compact dump (see
 * json_write.h). */
#include "json/json_write.h"

#include "json/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *buf;
    size_t len, cap;
    bool failed;
};

static bool reserve(struct out *o, size_t n)
{
    if (o->failed)
        return false;
    if (o->len + n + 1 <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + n + 1)
        cap *= 2;
    char *grown = realloc(o->buf, cap);
    if (!grown) {
        o->failed = true;
        return false;
    }
    o->buf = grown;
    o->cap = cap;
    return true;
}

static void put(struct out *o, const char *s, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
}

static void put_char(struct out *o, char c)
{
    if (reserve(o, 1))
        o->buf[o->len++] = c;
}

/* Bytes a string cannot carry as they are: control characters, '"', '\\'; and the first
 * bytes of multi-byte sequences, which must be checked (jansson refuses to dump bad UTF-8). */
enum { COPY = 0, ESCAPE, MULTI };
#define KIND(i)   ((i) < 0x20 || (i) == '"' || (i) == '\\' ? ESCAPE : (i) >= 0x80 ? MULTI : COPY)
#define KIND4(i)  KIND(i), KIND(i + 1), KIND(i + 2), KIND(i + 3)
#define KIND16(i) KIND4(i), KIND4(i + 4), KIND4(i + 8), KIND4(i + 12)
#define KIND64(i) KIND16(i), KIND16(i + 16), KIND16(i + 32), KIND16(i + 48)
static const unsigned char byte_kind[256] = {KIND64(0), KIND64(64), KIND64(128), KIND64(192)};

static void put_escape(struct out *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char seq[6] = {'\\', 0, 0, 0, 0, 0};
    const char *short_form = c == '"'    ? "\""
                             : c == '\\' ? "\\"
                             : c == '\b' ? "b"
                             : c == '\f' ? "f"
                             : c == '\n' ? "n"
                             : c == '\r' ? "r"
                             : c == '\t' ? "t"
                                         : NULL;
    if (short_form) {
        seq[1] = short_form[0];
        put(o, seq, 2);
        return;
    }
    memcpy(seq + 1, "u00", 3);
    seq[4] = hex[c >> 4];
    seq[5] = hex[c & 15];
    put(o, seq, 6);
}

static void put_string(struct out *o, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
    put_char(o, '"');
    while (p < end) {
        unsigned char kind = byte_kind[*p];
        if (kind == COPY) {
            p++;
        } else if (kind == MULTI) {
            size_t n = utf8_sequence_length(p, end);
            if (!n) {
                o->failed = true;
                return;
            }
            p += n;
        } else {
            put(o, (const char *)run, (size_t)(p - run));
            put_escape(o, *p++);
            run = p;
        }
    }
    put(o, (const char *)run, (size_t)(p - run));
    put_char(o, '"');
}

static void put_integer(struct out *o, json_int_t v)
{
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        digits[sizeof digits - ++n] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        digits[sizeof digits - ++n] = '-';
    put(o, digits + sizeof digits - n, n);
}

/* Reals: rare in Kubernetes objects, so formatted by jansson itself (its shortest round-trip
 * form), which keeps them exact without a copy of its algorithm here. */
static void put_real(struct out *o, const json_t *v)
{
    char text[128];
    size_t n = json_dumpb(v, text, sizeof text, JSON_ENCODE_ANY);
    if (n == 0 || n > sizeof text)
        o->failed = true;
    else
        put(o, text, n);
}

struct key {
    const char *text;
    size_t len;
    json_t *value;
};

static int compare_keys(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
    return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

static void put_value(struct out *o, const json_t *v);

static void put_object(struct out *o, const json_t *obj)
{
    size_t n = json_object_size(obj), i = 0;
    struct key small[16], *keys = n <= 16 ? small : malloc(n * sizeof *keys);
    if (!keys) {
        o->failed = true;
        return;
    }
    for (void *it = json_object_iter((json_t *)obj); it;
         it = json_object_iter_next((json_t *)obj, it)) {
        keys[i].text = json_object_iter_key(it);
        keys[i].len = json_object_iter_key_len(it);
        keys[i++].value = json_object_iter_value(it);
    }
    qsort(keys, n, sizeof *keys, compare_keys);
    put_char(o, '{');
    for (i = 0; i < n && !o->failed; i++) {
        if (i)
            put_char(o, ',');
        put_string(o, keys[i].text, keys[i].len);
        put_char(o, ':');
        put_value(o, keys[i].value);
    }
    put_char(o, '}');
    if (keys != small)
        free(keys);
}

static void put_value(struct out *o, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        put_object(o, v);
        break;
    case JSON_ARRAY:
        put_char(o, '[');
        for (size_t i = 0; i < json_array_size(v) && !o->failed; i++) {
            if (i)
                put_char(o, ',');
            put_value(o, json_array_get(v, i));
        }
        put_char(o, ']');
        break;
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_integer(o, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(o, v);
        break;
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    default:
        put(o, "null", 4);
    }
}

char *json_write_canonical(const json_t *value, size_t *len)
{
    struct out o = {0};
    if (!value)
        return NULL;
    put_value(&o, value);
    if (o.failed || !reserve(&o, 0)) {
        free(o.buf);
        return NULL;
    }
    o.buf[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.buf;
}
