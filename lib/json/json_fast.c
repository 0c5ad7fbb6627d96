/* json_fast: a JSON reader producing jansson values, accepting exactly what json_loadb accepts
 * (see json_fast.h for the contract and why it exists). */
#include "json/json_fast.h"

#include "json/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPPORTED_FLAGS                                                                            \
    (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY)

/* Byte classes inside a string. */
enum { PLAIN = 0, QUOTE, BACKSLASH, CONTROL, HIGH };

#define CLASS(i)                                                                                   \
    ((i) < 0x20    ? CONTROL                                                                       \
     : (i) == '"'  ? QUOTE                                                                         \
     : (i) == '\\' ? BACKSLASH                                                                     \
     : (i) >= 0x80 ? HIGH                                                                          \
                   : PLAIN)
#define CLASS4(i)  CLASS(i), CLASS(i + 1), CLASS(i + 2), CLASS(i + 3)
#define CLASS16(i) CLASS4(i), CLASS4(i + 4), CLASS4(i + 8), CLASS4(i + 12)
#define CLASS64(i) CLASS16(i), CLASS16(i + 16), CLASS16(i + 32), CLASS16(i + 48)
static const unsigned char string_class[256] = {CLASS64(0), CLASS64(64), CLASS64(128),
                                                CLASS64(192)};

struct reader {
    const unsigned char *start, *p, *end;
    size_t flags, depth;
    json_error_t *error;
    char *scratch; /* decoded strings with escapes */
    size_t scratch_cap;
    bool failed;
};

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    if (!r->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error->text, sizeof r->error->text, fmt, ap);
    va_end(ap);
    size_t at = (size_t)(r->p - r->start);
    int line = 1, column = 0;
    for (const unsigned char *c = r->start; c < r->p && c < r->end; c++) {
        if (*c == '\n')
            line++, column = 0;
        else if ((*c & 0xC0) != 0x80)
            column++;
    }
    r->error->line = line;
    r->error->column = column;
    r->error->position = (int)at;
}

static void skip_space(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t utf8_encode(uint32_t v, char *out)
{
    if (v < 0x80) {
        out[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (char)(0xC0 | (v >> 6));
        out[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (char)(0xE0 | (v >> 12));
        out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        out[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (v >> 18));
    out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    out[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

/* Decodes the escapes of the validated string body [from, to) into scratch. */
static int unescape(struct reader *r, const unsigned char *from, const unsigned char *to,
                    const char **out, size_t *len, bool *has_nul)
{
    size_t need = (size_t)(to - from) + 1;
    if (need > r->scratch_cap) {
        char *grown = realloc(r->scratch, need);
        if (!grown)
            return -1;
        r->scratch = grown;
        r->scratch_cap = need;
    }
    char *t = r->scratch;
    for (const unsigned char *p = from; p < to;) {
        if (*p != '\\') {
            *t++ = (char)*p++;
            continue;
        }
        unsigned char e = p[1];
        p += 2;
        if (e != 'u') {
            *t++ = e == 'b'   ? '\b'
                   : e == 'f' ? '\f'
                   : e == 'n' ? '\n'
                   : e == 'r' ? '\r'
                   : e == 't' ? '\t'
                              : (char)e;
            continue;
        }
        uint32_t v = (uint32_t)hex4(p);
        p += 4;
        if (v >= 0xD800 && v <= 0xDBFF) { /* checked by the scan: a low surrogate follows */
            v = ((v - 0xD800) << 10) + ((uint32_t)hex4(p + 2) - 0xDC00) + 0x10000;
            p += 6;
        }
        *has_nul |= v == 0;
        t += utf8_encode(v, t);
    }
    *out = r->scratch;
    *len = (size_t)(t - r->scratch);
    return 0;
}

/* Checks one escape at p (just after the backslash); returns its length after the backslash. */
static size_t check_escape(struct reader *r, const unsigned char *p)
{
    if (p >= r->end)
        return 0;
    if (strchr("\"\\/bfnrt", *p) && *p)
        return 1;
    if (*p != 'u' || r->end - p < 5 || hex4(p + 1) < 0) {
        fail(r, "invalid escape");
        return 0;
    }
    int v = hex4(p + 1);
    if (v >= 0xDC00 && v <= 0xDFFF) {
        fail(r, "invalid Unicode '\\u%04X'", v);
        return 0;
    }
    if (v < 0xD800 || v > 0xDBFF)
        return 5;
    if (r->end - p < 11 || p[5] != '\\' || p[6] != 'u') {
        fail(r, "invalid Unicode '\\u%04X'", v);
        return 0;
    }
    int low = hex4(p + 7);
    if (low < 0) {
        fail(r, "invalid escape");
        return 0;
    }
    if (low < 0xDC00 || low > 0xDFFF) {
        fail(r, "invalid Unicode '\\u%04X\\u%04X'", v, low);
        return 0;
    }
    return 11;
}

/* True when none of the 8 bytes in w needs a look: no '"', '\\', control or non-ASCII byte
 * (the "has less than" and "has zero byte" word tricks; exact for "any such byte"). */
static inline bool all_plain(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t special = (w | ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
                        ((backslash - ones) & ~backslash)) &
                       highs;
    return special == 0;
}

/* Reads a string; r->p is just past the opening quote. The result points into the input (no
 * escapes) or into scratch (valid until the next string). */
static int read_string(struct reader *r, const char **out, size_t *len, bool *has_nul)
{
    const unsigned char *p = r->p, *end = r->end, *from = r->p;
    bool escaped = false;
    *has_nul = false;
    for (;;) {
        for (uint64_t w; end - p >= 8 && (memcpy(&w, p, 8), all_plain(w));)
            p += 8;
        while (p < end && string_class[*p] == PLAIN)
            p++;
        if (p >= end) {
            r->p = p;
            fail(r, "premature end of input");
            return -1;
        }
        switch (string_class[*p]) {
        case QUOTE:
            r->p = p + 1;
            if (!escaped) {
                *out = (const char *)from;
                *len = (size_t)(p - from);
                return 0;
            }
            if (unescape(r, from, p, out, len, has_nul) < 0) {
                fail(r, "out of memory");
                return -1;
            }
            return 0;
        case BACKSLASH: {
            if (p + 1 < end && p[1] != 'u' && string_class[p[1]] != HIGH &&
                strchr("\"\\/bfnrt", p[1]) && p[1]) { /* the common escapes, inline */
                escaped = true;
                p += 2;
                break;
            }
            size_t n = check_escape(r, p + 1);
            if (!n) {
                r->p = p;
                fail(r, p + 1 >= end ? "premature end of input" : "invalid escape");
                return -1;
            }
            escaped = true;
            p += 1 + n;
            break;
        }
        case CONTROL:
            r->p = p;
            fail(r, *p == '\n' ? "unexpected newline" : "control character 0x%x", *p);
            return -1;
        default: { /* HIGH */
            size_t n = utf8_sequence_length(p, end);
            if (!n) {
                r->p = p;
                fail(r, "unable to decode byte 0x%x", *p);
                return -1;
            }
            p += n;
        }
        }
    }
}

static json_t *read_value(struct reader *r);

/* jansson reads the byte after a number or a literal and pushes it back; a pushed-back NUL is
 * then lost (its stream treats a NUL in its look-ahead buffer as "empty"), so exactly one NUL
 * byte right after such a token is skipped. Reproduced, not endorsed: the contract is to accept
 * what json_loadb accepts. */
static void skip_lost_nul(struct reader *r)
{
    if (r->p < r->end && *r->p == '\0')
        r->p++;
}

/* A number as jansson lexes it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static json_t *read_number(struct reader *r)
{
    const unsigned char *p = r->p, *end = r->end, *from = p;
    bool negative = p < end && *p == '-', real = false;
    if (negative)
        p++;
    if (p >= end || *p < '0' || *p > '9') {
        fail(r, "invalid token");
        return NULL;
    }
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9') {
            fail(r, "invalid token");
            return NULL;
        }
    } else {
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && *p == '.') {
        real = true;
        p++;
        if (p >= end || *p < '0' || *p > '9') {
            fail(r, "invalid token");
            return NULL;
        }
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9') {
            fail(r, "invalid token");
            return NULL;
        }
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    r->p = p;
    skip_lost_nul(r);
    if (!real && !(r->flags & JSON_DECODE_INT_AS_REAL)) {
        /* strtoll's range: the magnitude may reach 2^63 only when negative */
        unsigned long long v = 0,
                           limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
        for (const unsigned char *d = from + negative; d < p; d++) {
            unsigned digit = (unsigned)(*d - '0');
            if (v > (limit - digit) / 10) {
                fail(r, negative ? "too big negative integer" : "too big integer");
                return NULL;
            }
            v = v * 10 + digit;
        }
        json_int_t value = negative ? (json_int_t)(0 - v) : (json_int_t)v;
        return json_integer(value);
    }
    char small[64], *text = small;
    size_t n = (size_t)(p - from);
    if (n >= sizeof small && !(text = malloc(n + 1))) {
        fail(r, "out of memory");
        return NULL;
    }
    memcpy(text, from, n);
    text[n] = '\0';
    errno = 0;
    double value = strtod(text, NULL);
    bool overflow = (value == HUGE_VAL || value == -HUGE_VAL) && errno == ERANGE;
    if (text != small)
        free(text);
    if (overflow) {
        fail(r, "real number overflow");
        return NULL;
    }
    return json_real(value);
}

static json_t *read_word(struct reader *r)
{
    const unsigned char *from = r->p, *p = r->p;
    while (p < r->end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        p++;
    size_t n = (size_t)(p - from);
    json_t *v = n == 4 && !memcmp(from, "true", 4)    ? json_true()
                : n == 5 && !memcmp(from, "false", 5) ? json_false()
                : n == 4 && !memcmp(from, "null", 4)  ? json_null()
                                                      : NULL;
    if (!v) {
        fail(r, "invalid token");
    } else {
        r->p = p;
        skip_lost_nul(r);
    }
    return v;
}

/* One "key": value member into object; 0, or -1 after fail(). */
static int read_member(struct reader *r, json_t *object)
{
    const char *key;
    size_t len;
    bool has_nul;
    if (r->p >= r->end || *r->p != '"') {
        fail(r, "string or '}' expected");
        return -1;
    }
    r->p++;
    if (read_string(r, &key, &len, &has_nul) < 0)
        return -1;
    if (has_nul) {
        fail(r, "NUL byte in object key not supported");
        return -1;
    }
    if ((r->flags & JSON_REJECT_DUPLICATES) && json_object_getn(object, key, len)) {
        fail(r, "duplicate object key");
        return -1;
    }
    char small[128], *copy = NULL;
    if (key == r->scratch) { /* the value's strings reuse scratch: keep the key apart */
        copy = len < sizeof small ? small : malloc(len);
        if (!copy) {
            fail(r, "out of memory");
            return -1;
        }
        key = memcpy(copy, key, len);
    }
    json_t *value = NULL;
    skip_space(r);
    if (r->p >= r->end || *r->p != ':') {
        fail(r, "':' expected");
    } else {
        r->p++;
        skip_space(r);
        value = read_value(r);
        if (value && json_object_setn_new_nocheck(object, key, len, value))
            fail(r, "out of memory");
    }
    if (copy && copy != small)
        free(copy);
    return r->failed ? -1 : 0;
}

/* Consumes `c` (after optional whitespace) when it is next. */
static bool take(struct reader *r, char c)
{
    skip_space(r);
    if (r->p < r->end && *r->p == (unsigned char)c) {
        r->p++;
        return true;
    }
    return false;
}

/* After a member or an item: 1 when ',' announces another, 0 when `close` ends the container,
 * -1 (after fail()) otherwise. */
static int next_item(struct reader *r, char close)
{
    if (take(r, ',')) {
        skip_space(r);
        return 1;
    }
    if (take(r, close))
        return 0;
    fail(r, close == '}' ? "'}' expected" : "']' expected");
    return -1;
}

static json_t *read_object(struct reader *r)
{
    json_t *object = json_object();
    int more = 1;
    if (!object) {
        fail(r, "out of memory");
        return NULL;
    }
    if (take(r, '}'))
        return object;
    while (more == 1 && read_member(r, object) == 0)
        more = next_item(r, '}');
    if (more == 0)
        return object;
    json_decref(object);
    return NULL;
}

static json_t *read_array(struct reader *r)
{
    json_t *array = json_array();
    int more = 1;
    if (!array) {
        fail(r, "out of memory");
        return NULL;
    }
    if (take(r, ']'))
        return array;
    while (more == 1) {
        json_t *item = read_value(r);
        if (!item || json_array_append_new(array, item)) {
            if (item)
                fail(r, "out of memory");
            break;
        }
        more = next_item(r, ']');
    }
    if (more == 0)
        return array;
    json_decref(array);
    return NULL;
}

/* One value at r->p (whitespace already skipped). Depth counts every value, as jansson does. */
static json_t *read_value(struct reader *r)
{
    if (++r->depth > JSON_PARSER_MAX_DEPTH) {
        fail(r, "maximum parsing depth reached");
        return NULL;
    }
    if (r->p >= r->end) {
        fail(r, "premature end of input");
        return NULL;
    }
    json_t *v;
    unsigned char c = *r->p;
    if (c == '{') {
        r->p++;
        v = read_object(r);
    } else if (c == '[') {
        r->p++;
        v = read_array(r);
    } else if (c == '"') {
        const char *s;
        size_t len;
        bool has_nul;
        r->p++;
        v = NULL;
        if (read_string(r, &s, &len, &has_nul) == 0) {
            if (has_nul && !(r->flags & JSON_ALLOW_NUL))
                fail(r, "\\u0000 is not allowed without JSON_ALLOW_NUL");
            else if (!(v = json_stringn_nocheck(s, len)))
                fail(r, "out of memory");
        }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v = read_number(r);
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        v = read_word(r);
    } else {
        fail(r,
             c == '}' || c == ']' || c == ',' || c == ':' ? "unexpected token" : "invalid token");
        v = NULL;
    }
    if (v)
        r->depth--;
    return v;
}

json_t *json_fast_loadb(const char *buffer, size_t len, size_t flags, json_error_t *error)
{
    static const char empty[1] = "";
    if (!buffer) /* refused below; pointer arithmetic on NULL is undefined */
        buffer = empty, len = 0, flags = ~(size_t)0;
    struct reader r = {(const unsigned char *)buffer,
                       (const unsigned char *)buffer,
                       (const unsigned char *)buffer + len,
                       flags,
                       0,
                       error,
                       NULL,
                       0,
                       false};
    if (error) {
        memset(error, 0, sizeof *error);
        snprintf(error->source, sizeof error->source, "<buffer>");
        error->line = error->column = -1;
    }
    if (flags & ~(size_t)SUPPORTED_FLAGS) {
        fail(&r, "wrong arguments");
        return NULL;
    }
    skip_space(&r);
    json_t *v = NULL;
    if (!(flags & JSON_DECODE_ANY) && (r.p >= r.end || (*r.p != '{' && *r.p != '[')))
        fail(&r, "'[' or '{' expected");
    else if ((v = read_value(&r)) != NULL) {
        skip_space(&r);
        if (r.p < r.end) {
            fail(&r, "end of file expected");
            json_decref(v);
            v = NULL;
        }
    }
    free(r.scratch);
    return v;
}
