/*
 * hook_call: the one request pipeline, from request bytes to answer bytes, without HTTP.
 *
 * parse the request -> check the parent's kind and apiVersion -> run the hook -> build the
 * Metacontroller answer -> write it as canonical JSON. The server's router, `render`, the unit
 * tests, the fuzzers and the benchmarks all call this, so they exercise exactly what a cluster
 * gets. Every outcome is data: the HTTP status, the body, whether the spec was refused
 * (InvalidSpec) and the parent's identity for logs.
 */
#ifndef MONERO_OPERATOR_HOOK_CALL_H
#define MONERO_OPERATOR_HOOK_CALL_H

#include "hook.h"

#include <stdbool.h>
#include <stddef.h>

enum hook_call_type {
    HOOK_CALL_SYNC,      /* sync and finalize: {"status", "children", ...} */
    HOOK_CALL_CUSTOMIZE, /* {"relatedResources": [...]} */
};

struct hook_answer {
    int http_status; /* 200, or the 4xx/5xx of a refused or failed request */
    char *body;      /* malloc'd: canonical JSON on 200, a one-line reason otherwise */
    size_t body_len;
    bool invalid_spec; /* 200 with every child kept: the spec was refused (Ready=False) */
    char invalid_spec_message[384];
    char namespace[64]; /* the parent's, for logs; "" until the request parsed */
    char name[256];
};

/* Runs one call. Never fails silently: on any error, http_status and body say why. */
void hook_call(const struct hook_def *hook, enum hook_call_type type,
               const struct hook_defaults *defaults, const char *body, size_t len,
               struct hook_answer *answer);

void hook_answer_release(struct hook_answer *answer);

#endif
