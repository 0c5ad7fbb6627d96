/* hook_call: request bytes in, answer bytes out (see hook_call.h). */
#include "hook_call.h"

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

/* The Ready condition while creation is paced: how far it has got (status.conditions). */
static void note_paced_creation(struct hook_response *resp, const struct hook_request *req,
                                size_t present, size_t desired, size_t left_out)
{
    char msg[256];
    snprintf(msg, sizeof msg,
             "creating children: %zu of %zu exist, %zu more asked for now, the other %zu on the "
             "next syncs",
             present, desired, desired - present - left_out, left_out);
    json_t *ready = json_pack("{s:s, s:s, s:s, s:s}", "type", "Ready", "status", "False", "reason",
                              "Creating", "message", msg);
    if (req->generation > 0)
        json_object_set_new(ready, "observedGeneration", json_integer(req->generation));
    json_t *conditions = json_object_get(resp->status, "conditions");
    size_t i;
    json_t *c;
    json_array_foreach(conditions, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (type && strcmp(type, "Ready") == 0) {
            json_array_set_new(conditions, i, ready);
            return;
        }
    }
    if (!json_is_array(conditions))
        json_object_set_new(resp->status, "conditions", conditions = json_array());
    json_array_append_new(conditions, ready);
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
        size_t present, desired, left_out = 0;
        if (!resp.invalid_spec && !req->finalizing && defaults->max_new_children)
            left_out = hook_response_pace_creation(&resp, req, defaults->max_new_children, &present,
                                                   &desired);
        if (left_out)
            note_paced_creation(&resp, req, present, desired, left_out);
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
