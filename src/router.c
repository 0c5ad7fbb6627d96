/* router: path dispatch, hook invocation and health endpoints (see router.h). */
#include "router.h"

#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"
#include "json/alloc_guard.h"
#include "json/json_write.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOOKS_PREFIX "/hooks/"

static bool method_is(const struct http_request *req, const char *m)
{
    return strcmp(req->method, m) == 0;
}

static bool json_content_type(const char *ct)
{
    if (!ct || !*ct)
        return true;
    return strncasecmp(ct, "application/json", 16) == 0 && (ct[16] == '\0' || ct[16] == ';');
}

static void reply_error(struct http_reply *reply, const struct hook_error *err)
{
    http_reply_text(reply, err->http_status, err->message);
}

static void log_fields(struct http_reply *reply, const struct hook_def *hook,
                       const struct hook_request *hr)
{
    snprintf(reply->log_hook, sizeof reply->log_hook, "%s", hook->name);
    snprintf(reply->log_namespace, sizeof reply->log_namespace, "%s", hr->namespace);
    snprintf(reply->log_name, sizeof reply->log_name, "%s", hr->name);
}

/* Answers 200 with `text`, or 500 when it or any allocation of the request failed. */
static void reply_json(struct http_reply *reply, char *text, size_t len)
{
    if (!text || alloc_guard_failed()) {
        free(text);
        http_reply_text(reply, 500, "out of memory while building the response");
        return;
    }
    reply->status = 200;
    reply->body = text;
    reply->body_len = len;
    reply->content_type = "application/json";
}

void router_run_hook(const struct hook_def *hook, const struct hook_defaults *defaults,
                     const char *body, size_t len, struct http_reply *reply)
{
    struct hook_request hr;
    struct hook_response resp;
    struct hook_error err;
    json_t *out = NULL;
    snprintf(reply->log_hook, sizeof reply->log_hook, "%s", hook->name);
    alloc_guard_reset();
    /* With an arena, every JSON value of this request goes at _end: the trees need no walk. */
    bool dropped_with_arena = alloc_guard_arena_begin();
    hook_response_init(&resp);
    if (hook_request_parse(body, len, &hr, &err) < 0) {
        reply_error(reply, &err);
    } else {
        log_fields(reply, hook, &hr);
        if (hook_run(hook, &hr, defaults, &resp, &err) < 0) {
            reply_error(reply, &err);
        } else {
            size_t text_len = 0;
            out = hook_response_to_json(&resp, hr.finalizing);
            char *text = json_write_canonical(out, &text_len);
            reply_json(reply, text, text_len);
        }
    }
    if (!dropped_with_arena) {
        json_decref(out);
        hook_response_release(&resp);
        hook_request_release(&hr);
    }
    alloc_guard_arena_end();
}

void router_run_customize(const struct hook_def *hook, const char *body, size_t len,
                          struct http_reply *reply)
{
    struct hook_request hr;
    struct hook_error err;
    json_t *out = NULL;
    snprintf(reply->log_hook, sizeof reply->log_hook, "%s", hook->name);
    alloc_guard_reset();
    bool dropped_with_arena = alloc_guard_arena_begin();
    if (hook_request_parse(body, len, &hr, &err) < 0) {
        reply_error(reply, &err);
    } else {
        log_fields(reply, hook, &hr);
        if (!(out = hook_customize(hook, &hr, &err))) {
            reply_error(reply, &err);
        } else {
            size_t text_len = 0;
            char *text = json_write_canonical(out, &text_len);
            reply_json(reply, text, text_len);
        }
    }
    if (!dropped_with_arena) {
        json_decref(out);
        hook_request_release(&hr);
    }
    alloc_guard_arena_end();
}

static void route_hook(struct router *r, const struct http_request *req, struct http_reply *reply)
{
    char name[64];
    const char *rest = req->path + strlen(HOOKS_PREFIX);
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : 0;
    const struct hook_def *hook = NULL;
    bool customize = slash && strcmp(slash, "/customize") == 0;
    if (slash && n < sizeof name && (strcmp(slash, "/sync") == 0 || customize)) {
        memcpy(name, rest, n);
        name[n] = '\0';
        hook = hook_find_by_name(name);
    }
    if (!hook) {
        http_reply_text(reply, 404, "no such hook");
        return;
    }
    if (!method_is(req, "POST")) {
        reply->allow = "POST";
        http_reply_text(reply, 405, "hooks accept POST only");
        return;
    }
    if (!json_content_type(req->content_type)) {
        http_reply_text(reply, 415, "request body must be application/json");
        return;
    }
    if (customize)
        router_run_customize(hook, req->body, req->body_len, reply);
    else
        router_run_hook(hook, &r->defaults, req->body, req->body_len, reply);
}

static void route_get(struct router *r, const struct http_request *req, struct http_reply *reply)
{
    if (!method_is(req, "GET") && !method_is(req, "HEAD")) {
        reply->allow = "GET, HEAD";
        http_reply_text(reply, 405, "use GET");
        return;
    }
    if (strcmp(req->path, "/healthz") == 0) {
        http_reply_text(reply, 200, "ok");
    } else if (strcmp(req->path, "/readyz") == 0) {
        bool draining = r->server && http_server_draining(r->server);
        http_reply_text(reply, draining ? 503 : 200, draining ? "draining" : "ok");
    } else {
        reply->status = 200;
        reply->body = server_metrics_render(r->metrics, r->server, &reply->body_len);
        reply->content_type = "text/plain; version=0.0.4; charset=utf-8";
        if (!reply->body)
            http_reply_text(reply, 500, "out of memory");
    }
}

void router_handle(void *ctx, const struct http_request *req, struct http_reply *reply)
{
    struct router *r = ctx;
    if (strncmp(req->path, HOOKS_PREFIX, strlen(HOOKS_PREFIX)) == 0)
        route_hook(r, req, reply);
    else if (strcmp(req->path, "/healthz") == 0 || strcmp(req->path, "/readyz") == 0 ||
             strcmp(req->path, "/metrics") == 0)
        route_get(r, req, reply);
    else
        http_reply_text(reply, 404, "not found");
}

void router_observe(void *ctx, const struct http_request *req, const struct http_reply *reply,
                    double seconds)
{
    struct router *r = ctx;
    (void)req;
    server_metrics_observe(r->metrics, reply->log_hook, reply->status, seconds);
}
