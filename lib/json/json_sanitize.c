/* json_sanitize: replaces raw control bytes and malformed UTF-8 (see json_sanitize.h). */
#include "json/json_sanitize.h"

#include "json/utf8.h"

#include <stdint.h>

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
        size_t n = s[i] < 0x80 ? 1 : utf8_sequence_length(s + i, s + len);
        if (n == 0) {
            s[i++] = '?';
            replaced++;
        } else {
            i += n;
        }
    }
    return replaced;
}
