/* hook_call: request bytes in, answer bytes out (see hook_call.h). */
#include "hook_call.h"

#include "sync_answer_rules.h"

#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"
#include "json/alloc_guard.h"
#include "json/json_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer_text(struct hook_answer *answer, int http_status, const char *message)
{
    free(answer->body);
    answer->http_status = http_status;
    answer->body = strdup(message);
    answer->body_len = answer->body ? strlen(answer->body) : 0;
}

/* 200 with `text`, or 500 when it or any allocation of the request failed. */
static void answer_json(struct hook_answer *answer, char *text, size_t len)
{
    if (!text || alloc_guard_failed()) {
        free(text);
        answer_text(answer, 500, "out of memory while building the response");
        return;
    }
    answer->http_status = 200;
    answer->body = text;
    answer->body_len = len;
}

static void note_parent(struct hook_answer *answer, const struct hook_request *req)
{
    snprintf(answer->namespace, sizeof answer->namespace, "%s", req->namespace);
    snprintf(answer->name, sizeof answer->name, "%s", req->name);
}

/* The hook proper, on a parsed request; returns the answer object or NULL with err. */
static json_t *run_parsed(const struct hook_def *hook, enum hook_call_type type,
                          const struct hook_defaults *defaults, const struct hook_request *req,
                          struct hook_answer *answer, struct hook_error *err)
{
    if (type == HOOK_CALL_CUSTOMIZE)
        return hook_customize(hook, req, err);
    struct hook_response resp;
    json_t *out = NULL;
    hook_response_init(&resp);
    if (hook_run(hook, req, defaults, &resp, err) == 0) {
        answer->invalid_spec = resp.invalid_spec;
        snprintf(answer->invalid_spec_message, sizeof answer->invalid_spec_message, "%s",
                 resp.invalid_spec_message);
        sync_answer_rules(&resp, req, defaults);
        out = hook_response_to_json(&resp, req->finalizing);
    }
    hook_response_release(&resp);
    return out;
}

void hook_call(const struct hook_def *hook, enum hook_call_type type,
               const struct hook_defaults *defaults, const char *body, size_t len,
               struct hook_answer *answer)
{
    struct hook_request req;
    struct hook_error err;
    json_t *out = NULL;
    memset(answer, 0, sizeof *answer);
    alloc_guard_reset();
    /* With an arena, every JSON value of this call goes at _end: the trees need no walk. */
    bool dropped_with_arena = alloc_guard_arena_begin();
    if (hook_request_parse(body, len, &req, &err) < 0) {
        answer_text(answer, err.http_status, err.message);
    } else {
        note_parent(answer, &req);
        out = run_parsed(hook, type, defaults, &req, answer, &err);
        if (!out) {
            answer_text(answer, err.http_status, err.message);
        } else {
            size_t text_len = 0;
            char *text = json_write_canonical(out, &text_len);
            json_t *refused = NULL;
            if (text && type == HOOK_CALL_SYNC && sync_answer_may_be_oversized(text_len))
                refused = sync_answer_refuse_oversized(&req, out, text, text_len,
                                                       answer->invalid_spec_message,
                                                       sizeof answer->invalid_spec_message);
            if (refused) {
                free(text);
                if (!dropped_with_arena)
                    json_decref(out);
                out = refused;
                answer->invalid_spec = true;
                text = json_write_canonical(out, &text_len);
            }
            answer_json(answer, text, text_len);
        }
        if (!dropped_with_arena)
            hook_request_release(&req);
    }
    if (!dropped_with_arena)
        json_decref(out);
    alloc_guard_arena_end();
}

void hook_answer_release(struct hook_answer *answer)
{
    free(answer->body);
    answer->body = NULL;
    answer->body_len = 0;
}
