/* server_metrics: counters and histograms of the hook server (see server_metrics.h). */
#include "server_metrics.h"

#include "hooks/hook.h"
#include "metrics/prom_text.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HOOKS  8
#define SLOT_OTHER MAX_HOOKS /* requests to non-hook paths */

static const int tracked_codes[] = {200, 304, 400, 401, 404, 405, 413, 415, 429, 500, 503};
#define N_CODES    (sizeof tracked_codes / sizeof *tracked_codes)
#define CODE_OTHER N_CODES

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define N_BUCKETS (sizeof buckets / sizeof *buckets)

struct server_metrics {
    atomic_ulong requests[MAX_HOOKS + 1][N_CODES + 1];
    atomic_ulong bucket_counts[MAX_HOOKS + 1][N_BUCKETS];
    atomic_ulong duration_count[MAX_HOOKS + 1];
    atomic_ulong duration_sum_ns[MAX_HOOKS + 1];
};

struct server_metrics *server_metrics_new(void)
{
    return calloc(1, sizeof(struct server_metrics));
}

void server_metrics_free(struct server_metrics *m)
{
    free(m);
}

static size_t hook_slot(const char *hook)
{
    size_t n;
    const struct hook_def *hooks = hook_list(&n);
    for (size_t i = 0; hook && *hook && i < n && i < MAX_HOOKS; i++)
        if (strcmp(hooks[i].name, hook) == 0)
            return i;
    return SLOT_OTHER;
}

void server_metrics_observe(struct server_metrics *m, const char *hook, int status, double seconds)
{
    size_t slot = hook_slot(hook), code = CODE_OTHER;
    for (size_t i = 0; i < N_CODES; i++)
        if (tracked_codes[i] == status)
            code = i;
    atomic_fetch_add(&m->requests[slot][code], 1);
    if (slot == SLOT_OTHER)
        return;
    for (size_t b = 0; b < N_BUCKETS; b++)
        if (seconds <= buckets[b])
            atomic_fetch_add(&m->bucket_counts[slot][b], 1);
    atomic_fetch_add(&m->duration_count[slot], 1);
    atomic_fetch_add(&m->duration_sum_ns[slot], (unsigned long)(seconds * 1e9));
}

static void render_requests(struct server_metrics *m, struct prom_writer *w, size_t n_hooks,
                            const struct hook_def *hooks)
{
    char code[8];
    prom_family(w, "monero_operator_http_requests_total", "counter",
                "HTTP requests answered, by hook (empty for other paths) and status code.");
    for (size_t h = 0; h <= MAX_HOOKS; h++) {
        if (h >= n_hooks && h != SLOT_OTHER)
            continue;
        for (size_t c = 0; c <= N_CODES; c++) {
            unsigned long v = atomic_load(&m->requests[h][c]);
            if (!v)
                continue;
            if (c == CODE_OTHER)
                snprintf(code, sizeof code, "other");
            else
                snprintf(code, sizeof code, "%d", tracked_codes[c]);
            const char *labels[] = {"hook", h == SLOT_OTHER ? "" : hooks[h].name, "code", code,
                                    NULL};
            prom_sample(w, "monero_operator_http_requests_total", labels, (double)v);
        }
    }
}

static void render_durations(struct server_metrics *m, struct prom_writer *w, size_t n_hooks,
                             const struct hook_def *hooks)
{
    char le[32];
    prom_family(w, "monero_operator_hook_duration_seconds", "histogram",
                "Time from the first byte of a hook request to its response being queued.");
    for (size_t h = 0; h < n_hooks && h < MAX_HOOKS; h++) {
        unsigned long count = atomic_load(&m->duration_count[h]);
        for (size_t b = 0; b < N_BUCKETS; b++) {
            snprintf(le, sizeof le, "%g", buckets[b]);
            const char *labels[] = {"hook", hooks[h].name, "le", le, NULL};
            prom_sample(w, "monero_operator_hook_duration_seconds_bucket", labels,
                        (double)atomic_load(&m->bucket_counts[h][b]));
        }
        const char *inf[] = {"hook", hooks[h].name, "le", "+Inf", NULL};
        const char *labels[] = {"hook", hooks[h].name, NULL};
        prom_sample(w, "monero_operator_hook_duration_seconds_bucket", inf, (double)count);
        prom_sample(w, "monero_operator_hook_duration_seconds_sum", labels,
                    (double)atomic_load(&m->duration_sum_ns[h]) / 1e9);
        prom_sample(w, "monero_operator_hook_duration_seconds_count", labels, (double)count);
    }
}

/* The hook port's open connections, and those cut at the deadlines (slow clients). */
static void render_connections(struct prom_writer *w, const struct http_server *server)
{
    struct http_connection_counts c = {0};
    if (server)
        http_server_connections(server, &c);
    prom_family(w, "monero_operator_http_connections", "gauge",
                "Connections open on the hook port.");
    prom_sample(w, "monero_operator_http_connections", NULL, (double)c.open);
    prom_family(w, "monero_operator_http_connections_cut_total", "counter",
                "Connections closed for missing a deadline: request headers (--header-timeout) "
                "or the whole request (--request-timeout).");
    const char *headers[] = {"deadline", "headers", NULL},
               *request[] = {"deadline", "request", NULL};
    prom_sample(w, "monero_operator_http_connections_cut_total", headers,
                (double)c.cut_slow_headers);
    prom_sample(w, "monero_operator_http_connections_cut_total", request,
                (double)c.cut_slow_requests);
}

char *server_metrics_render(struct server_metrics *m, const struct http_server *server, size_t *len)
{
    struct prom_writer w;
    size_t n_hooks;
    const struct hook_def *hooks = hook_list(&n_hooks);
    if (prom_writer_open(&w, false) < 0)
        return NULL;
    render_requests(m, &w, n_hooks, hooks);
    render_durations(m, &w, n_hooks, hooks);
    prom_family(&w, "monero_operator_http_requests_in_flight", "gauge",
                "Requests being received or handled right now.");
    prom_sample(&w, "monero_operator_http_requests_in_flight", NULL,
                server ? (double)http_server_in_flight(server) : 0);
    render_connections(&w, server);
    return prom_writer_finish(&w, len);
}
