/*
 * router: maps HTTP paths to handlers for `serve`.
 *
 *   POST /hooks/<resource>/sync       sync (and finalize) hook of each resource, e.g.
 *                                     /hooks/moneronodeset/sync
 *   POST /hooks/<resource>/customize  customize hook (related objects a sync needs)
 *   GET  /healthz                 200 while the process runs
 *   GET  /readyz                  200 while accepting traffic, 503 once draining
 *   GET  /metrics                 Prometheus metrics of the server itself
 *
 * The probe and metrics listener (--metrics-listen) serves the last three only.
 */
#ifndef MONERO_OPERATOR_ROUTER_H
#define MONERO_OPERATOR_ROUTER_H

#include "hook_auth.h"

#include "hooks/hook.h"
#include "http/http_server.h"
#include "server_metrics.h"

struct router {
    struct hook_defaults defaults;
    struct http_server *server; /* set once started; read for /readyz */
    struct server_metrics *metrics;
    struct hook_auth *auth; /* NULL: no token required */
};

/* http_authorize_fn for the hook listener; ctx is a struct router. */
const char *router_authorize(void *ctx, const struct http_request *req);

/* http_handler_fn for http_server_config.handler; ctx is a struct router. */
void router_handle(void *ctx, const struct http_request *req, struct http_reply *reply);

/* http_handler_fn of the probe and metrics listener: /healthz, /readyz, /metrics; 404 else. */
void router_handle_probes(void *ctx, const struct http_request *req, struct http_reply *reply);

/* http_observer_fn recording metrics; ctx is a struct router. */
void router_observe(void *ctx, const struct http_request *req, const struct http_reply *reply,
                    double seconds);

#endif
