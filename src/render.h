/* render: the body of `monero-operator render`, callable on text (the fuzzer uses it). */
#ifndef MONERO_OPERATOR_RENDER_H
#define MONERO_OPERATOR_RENDER_H

#include "hooks/hook.h"

#include <stddef.h>
#include <stdio.h>

struct render_settings {
    const char *file;   /* for messages */
    const char *output; /* "yaml" or "json" */
    struct hook_defaults defaults;
    FILE *out, *err;
};

/* Renders every resource in a YAML stream; 0 when all rendered, 1 otherwise (reasons on err). */
int render_text(const struct render_settings *s, const char *text, size_t len);

#endif
