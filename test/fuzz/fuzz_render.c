/*
 * fuzz_render: `monero-operator render` on arbitrary YAML (libyaml events -> JSON with YAML 1.1
 * scalar resolution -> every hook as a first sync -> YAML writer), for libFuzzer.
 */
#include "src/render.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    struct render_settings s = {"fuzz", size % 2 ? "json" : "yaml", hook_builtin_defaults, sink,
                                sink};
    render_text(&s, (const char *)data, size);
    return 0;
}
