/*
 * fuzz_json: json_fast against jansson's json_loadb on whatever libFuzzer finds. The first byte
 * picks the flags; the rest is the document. Any difference (one accepts and the other does not,
 * or the values differ in type, key order or string bytes) aborts.
 */
#include "json/json_fast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t flag_sets[8] = {
        0,
        JSON_REJECT_DUPLICATES,
        JSON_ALLOW_NUL,
        JSON_DECODE_INT_AS_REAL,
        JSON_DECODE_ANY,
        JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
        JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL,
        JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL,
    };
    if (size < 1)
        return 0;
    size_t flags = flag_sets[data[0] % 8];
    const char *text = (const char *)data + 1;
    json_error_t e1, e2;
    json_t *want = json_loadb(text, size - 1, flags, &e1);
    json_t *got = json_fast_loadb(text, size - 1, flags, &e2);
    if (!want != !got)
        abort();
    if (want) {
        char *a = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!json_equal(want, got) || !a || !b || strcmp(a, b) != 0)
            abort();
        free(a);
        free(b);
    }
    json_decref(want);
    json_decref(got);
    return 0;
}
