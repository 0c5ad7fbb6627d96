/* router: path dispatch, hook invocation and health endpoints (see router.h). */
#include "router.h"

#include "hooks/hook_call.h"

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

/* Turns the pipeline's answer into the HTTP reply (taking its body) and its log fields. */
static void reply_from_answer(struct http_reply *reply, const struct hook_def *hook,
                              struct hook_answer *answer)
{
    if (answer->http_status != 200) {
        http_reply_text(reply, answer->http_status, answer->body ? answer->body : "error");
    } else {
        reply->status = 200;
        reply->body = answer->body;
        reply->body_len = answer->body_len;
        reply->content_type = "application/json";
        answer->body = NULL;
    }
    http_reply_log(reply, "hook", hook->name);
    if (answer->name[0]) {
        http_reply_log(reply, "namespace", answer->namespace);
        http_reply_log(reply, "name", answer->name);
    }
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
    struct hook_answer answer;
    hook_call(hook, customize ? HOOK_CALL_CUSTOMIZE : HOOK_CALL_SYNC, &r->defaults, req->body,
              req->body_len, &answer);
    reply_from_answer(reply, hook, &answer);
    hook_answer_release(&answer);
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

/* The paths both listeners serve: health, readiness, metrics. */
static bool is_probe_path(const char *path)
{
    return strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
           strcmp(path, "/metrics") == 0;
}

void router_handle(void *ctx, const struct http_request *req, struct http_reply *reply)
{
    struct router *r = ctx;
    if (strncmp(req->path, HOOKS_PREFIX, strlen(HOOKS_PREFIX)) == 0)
        route_hook(r, req, reply);
    else if (is_probe_path(req->path))
        route_get(r, req, reply);
    else
        http_reply_text(reply, 404, "not found");
}

void router_handle_probes(void *ctx, const struct http_request *req, struct http_reply *reply)
{
    if (is_probe_path(req->path))
        route_get(ctx, req, reply);
    else
        http_reply_text(reply, 404, "this port serves /healthz, /readyz and /metrics only");
}

const char *router_authorize(void *ctx, const struct http_request *req)
{
    struct router *r = ctx;
    return hook_auth_check(r->auth, req);
}

void router_observe(void *ctx, const struct http_request *req, const struct http_reply *reply,
                    double seconds)
{
    struct router *r = ctx;
    (void)req;
    server_metrics_observe(r->metrics, http_reply_log_value(reply, "hook"), reply->status, seconds);
}
