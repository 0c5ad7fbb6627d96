/* json_sanitize: replaces raw control bytes and malformed UTF-8 (see json_sanitize.h). */
#include "json/json_sanitize.h"

#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates, at
 * most U+10FFFF), or 0. */
static size_t utf8_sequence(const uint8_t *s, size_t left)
{
    uint8_t c = s[0];
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n > left || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return n;
}

size_t json_sanitize(char *text, size_t len)
{
    uint8_t *s = (uint8_t *)text;
    size_t replaced = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
            s[i++] = '?';
            replaced++;
            continue;
        }
        size_t n = utf8_sequence(s + i, len - i);
        if (n == 0) {
            s[i++] = '?';
            replaced++;
        } else {
            i += n;
        }
    }
    return replaced;
}
