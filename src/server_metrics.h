/*
 * server_metrics: the hook server's own metrics: requests by hook and status code, a latency
 * histogram per hook, requests in flight. Lock-free counters, safe from every pool thread.
 */
#ifndef MONERO_OPERATOR_SERVER_METRICS_H
#define MONERO_OPERATOR_SERVER_METRICS_H

#include "http/http_server.h"

#include <stddef.h>

struct server_metrics;

struct server_metrics *server_metrics_new(void);
void server_metrics_free(struct server_metrics *m);

/* Records one request; `hook` is "" for non-hook paths. */
void server_metrics_observe(struct server_metrics *m, const char *hook, int status, double seconds);

/* Renders the Prometheus text exposition (malloc'd). `server` may be NULL. */
char *server_metrics_render(struct server_metrics *m, const struct http_server *server,
                            size_t *len);

#endif
