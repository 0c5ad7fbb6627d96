/* quantity: exact parsing and canonical printing of Kubernetes quantities (see quantity.h). */
#include "k8s/quantity.h"

#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;

#define MAX_MANTISSA_DIGITS 30 /* keeps every intermediate value far below 2^128 */
#define INT64_LIMIT         ((u128)INT64_MAX)

static u128 pow10_u128(int n)
{
    u128 v = 1;
    while (n-- > 0)
        v *= 10;
    return v;
}

/* Suffix → (base-10 exponent, binary power of 1024, format). Returns false when unknown. */
static bool parse_suffix(const char *s, int *exp10, int *pow1024, enum quantity_format *format)
{
    static const struct {
        const char *text;
        int exp10, pow1024;
    } table[] = {
        {"n", -9, 0}, {"u", -6, 0}, {"m", -3, 0}, {"", 0, 0},   {"k", 3, 0},  {"M", 6, 0},
        {"G", 9, 0},  {"T", 12, 0}, {"P", 15, 0}, {"E", 18, 0}, {"Ki", 0, 1}, {"Mi", 0, 2},
        {"Gi", 0, 3}, {"Ti", 0, 4}, {"Pi", 0, 5}, {"Ei", 0, 6},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        if (strcmp(s, table[i].text) == 0) {
            *exp10 = table[i].exp10;
            *pow1024 = table[i].pow1024;
            *format = table[i].pow1024 ? QUANTITY_BINARY_SI : QUANTITY_DECIMAL_SI;
            return true;
        }
    }
    /* decimalExponent: "e" or "E" followed by a signed integer */
    if ((s[0] == 'e' || s[0] == 'E') && s[1]) {
        const char *p = s + 1;
        bool neg = false;
        if (*p == '+' || *p == '-')
            neg = *p++ == '-';
        if (!*p || strlen(p) > 4)
            return false;
        int v = 0;
        for (; *p; p++) {
            if (*p < '0' || *p > '9')
                return false;
            v = v * 10 + (*p - '0');
        }
        *exp10 = neg ? -v : v;
        *pow1024 = 0;
        *format = QUANTITY_DECIMAL_EXPONENT;
        return true;
    }
    return false;
}

/* Reads [digits][.digits] into mantissa/exponent; returns the position after the number. */
static const char *parse_number(const char *p, u128 *mantissa, int *exp10, int *digits_seen,
                                bool *too_long)
{
    int significant = 0;
    bool in_fraction = false;
    *mantissa = 0;
    *exp10 = 0;
    *digits_seen = 0;
    for (;; p++) {
        if (*p == '.' && !in_fraction) {
            in_fraction = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return p;
        (*digits_seen)++;
        if (*mantissa == 0 && *p == '0') {
            if (in_fraction)
                (*exp10)--;
            continue;
        }
        if (++significant > MAX_MANTISSA_DIGITS)
            *too_long = true;
        else
            *mantissa = *mantissa * 10 + (u128)(*p - '0');
        if (in_fraction)
            (*exp10)--;
    }
}

static void normalise(struct quantity *q)
{
    if (q->mantissa == 0) {
        q->exponent10 = 0;
        q->negative = false;
        return;
    }
    while (q->mantissa % 10 == 0) {
        q->mantissa /= 10;
        q->exponent10++;
    }
}

/* |value| ≤ 2^63-1 and no finer than 1n, checked without overflowing. */
static bool representable(const struct quantity *q, const char **reason)
{
    if (q->mantissa == 0)
        return true;
    if (q->exponent10 < -9) {
        *reason = "quantity is finer than 1n";
        return false;
    }
    u128 v = q->mantissa;
    for (int e = q->exponent10; e > 0; e--) {
        if (v > INT64_LIMIT)
            break;
        v *= 10;
    }
    u128 limit = INT64_LIMIT * pow10_u128(q->exponent10 < 0 ? -q->exponent10 : 0);
    if (v > limit) {
        *reason = "quantity is larger than 2^63-1";
        return false;
    }
    return true;
}

bool quantity_parse(const char *text, struct quantity *q, const char **reason)
{
    const char *p = text;
    int digits, exp10_number, exp10_suffix, pow1024;
    bool too_long = false;
    memset(q, 0, sizeof *q);
    *reason = "not a quantity (expected e.g. 500m, 2Gi, 1e3)";
    if (!text || !*text || strlen(text) > 64)
        return false;
    if (*p == '+' || *p == '-')
        q->negative = *p++ == '-';
    p = parse_number(p, &q->mantissa, &exp10_number, &digits, &too_long);
    if (digits == 0 || !parse_suffix(p, &exp10_suffix, &pow1024, &q->format))
        return false;
    if (too_long) {
        *reason = "quantity has too many significant digits";
        return false;
    }
    q->exponent10 = exp10_number + exp10_suffix;
    for (int i = 0; i < pow1024 && q->mantissa; i++) {
        if (q->mantissa > INT64_LIMIT * 1000) {
            *reason = "quantity is larger than 2^63-1";
            return false;
        }
        q->mantissa *= 1024;
    }
    normalise(q);
    return representable(q, reason);
}

static void u128_to_string(u128 v, char *out)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static const char *decimal_suffix(int exp10)
{
    static const char *const by_thousands[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    int index = exp10 / 3 + 3;
    return (exp10 % 3 == 0 && index >= 0 && index < 10) ? by_thousands[index] : NULL;
}

/* Largest power of 1024 dividing the integral value; NULL when BinarySI must not be used. */
static bool binary_form(const struct quantity *q, u128 *mantissa, int *pow1024)
{
    if (q->exponent10 < 0)
        return false; /* a fraction: printed as DecimalSI so nothing is lost */
    u128 v = q->mantissa * pow10_u128(q->exponent10);
    if (v < 1024)
        return false;
    *pow1024 = 0;
    while (*pow1024 < 6 && v % 1024 == 0) {
        v /= 1024;
        (*pow1024)++;
    }
    *mantissa = v;
    return true;
}

bool quantity_format(const struct quantity *q, char *out, size_t out_size)
{
    static const char *const binary_suffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    char digits[48];
    const char *sign = q->negative ? "-" : "";
    if (q->mantissa == 0)
        return snprintf(out, out_size, "0") < (int)out_size;
    u128 m;
    int p;
    if (q->format == QUANTITY_BINARY_SI && binary_form(q, &m, &p)) {
        u128_to_string(m, digits);
        return snprintf(out, out_size, "%s%s%s", sign, digits, binary_suffix[p]) < (int)out_size;
    }
    /* Decimal: lower the exponent to a multiple of 3, as the API server does. */
    int e = q->exponent10;
    int shift = ((e % 3) + 3) % 3;
    m = q->mantissa * pow10_u128(shift);
    e -= shift;
    u128_to_string(m, digits);
    const char *suffix = decimal_suffix(e);
    if (q->format == QUANTITY_DECIMAL_EXPONENT || !suffix) {
        if (e == 0)
            return snprintf(out, out_size, "%s%s", sign, digits) < (int)out_size;
        return snprintf(out, out_size, "%s%se%d", sign, digits, e) < (int)out_size;
    }
    return snprintf(out, out_size, "%s%s%s", sign, digits, suffix) < (int)out_size;
}

bool quantity_canonical(const char *text, char *out, size_t out_size, const char **reason)
{
    struct quantity q;
    if (!quantity_parse(text, &q, reason))
        return false;
    if (!quantity_format(&q, out, out_size)) {
        *reason = "quantity too long to print";
        return false;
    }
    return true;
}

/* Value scaled to nano units; exact because values are capped at 2^63-1 and finer than 1n is
 * refused (2^63 * 10^9 < 2^128). */
static u128 nano_units(const struct quantity *q)
{
    return q->mantissa * pow10_u128(q->exponent10 + 9);
}

int quantity_compare(const struct quantity *a, const struct quantity *b)
{
    if (a->negative != b->negative)
        return a->negative ? -1 : 1;
    u128 x = nano_units(a), y = nano_units(b);
    int c = x < y ? -1 : x > y ? 1 : 0;
    return a->negative ? -c : c;
}

bool quantity_is_positive(const struct quantity *q)
{
    return q->mantissa != 0 && !q->negative;
}

long long quantity_floor(const struct quantity *q, long long cap)
{
    if (q->negative)
        return 0;
    unsigned __int128 v = q->mantissa;
    for (int e = q->exponent10; e < 0 && v; e++)
        v /= 10;
    for (int e = q->exponent10; e > 0 && v <= (unsigned __int128)cap; e--)
        v *= 10;
    return v > (unsigned __int128)cap ? cap : (long long)v;
}
