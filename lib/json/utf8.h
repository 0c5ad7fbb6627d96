/* utf8: the UTF-8 well-formedness rule jansson applies (no overlong forms, no surrogates,
 * nothing past U+10FFFF), shared by the JSON reader and writer that must match it exactly. */
#ifndef MONERO_OPERATOR_UTF8_H
#define MONERO_OPERATOR_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (2 to 4) of the well-formed multi-byte sequence starting at p, or 0. */
static inline size_t utf8_sequence_length(const unsigned char *p, const unsigned char *end)
{
    unsigned char u = p[0];
    size_t n = u >= 0xC2 && u <= 0xDF   ? 2
               : u >= 0xE0 && u <= 0xEF ? 3
               : u >= 0xF0 && u <= 0xF4 ? 4
                                        : 0;
    if (!n || (size_t)(end - p) < n)
        return 0;
    uint32_t v = n == 2 ? u & 0x1F : n == 3 ? u & 0x0F : u & 0x07;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) ||
        (n == 4 && v < 0x10000))
        return 0;
    return n;
}

#endif
