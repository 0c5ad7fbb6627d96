/*
 * fuzz_hooks: the request path of every hook, as the server runs it (body bytes -> parse ->
 * hook -> response), for libFuzzer. The first byte picks the hook and sync or customize; the
 * rest is the HTTP body. Beyond "no crash, no leak, no undefined behaviour", it checks the one
 * answer that would do harm: a 200 sync answer must be JSON with a "children" array and a
 * "status" object (Metacontroller deletes every child a 200 answer leaves out).
 */
#include "hooks/hook.h"
#include "hooks/hook_call.h"
#include "http/http_server.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n_hooks;
    const struct hook_def *hooks = hook_list(&n_hooks);
    if (size < 1)
        return 0;
    const struct hook_def *hook = &hooks[data[0] % n_hooks];
    int customize = (data[0] / n_hooks) % 2;
    struct hook_answer reply = {0};
    if (customize)
        hook_call(hook, HOOK_CALL_CUSTOMIZE, &hook_builtin_defaults, (const char *)data + 1,
                  size - 1, &reply);
    else
        hook_call(hook, HOOK_CALL_SYNC, &hook_builtin_defaults, (const char *)data + 1, size - 1,
                  &reply);
    if (reply.http_status == 200) {
        json_error_t err;
        json_t *answer = json_loadb(reply.body, reply.body_len, 0, &err);
        if (!answer)
            abort(); /* 200 with a body that is not JSON */
        if (!customize && (!json_is_array(json_object_get(answer, "children")) ||
                           !json_is_object(json_object_get(answer, "status"))))
            abort(); /* 200 without children: Metacontroller would delete them all */
        if (customize && !json_is_array(json_object_get(answer, "relatedResources")))
            abort();
        json_decref(answer);
    } else if (reply.http_status < 400 || reply.http_status > 599) {
        abort();
    }
    free(reply.body);
    return 0;
}
