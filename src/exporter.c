/*
 * exporter: the metrics sidecar. In monerod pods it reads monerod's unrestricted RPC on
 * 127.0.0.1 (the restricted port sanitises the numbers) and serves:
 *   GET /metrics  Prometheus text, or OpenMetrics when the scraper asks for it (Accept)
 *   GET /readyz   200 only when the node serves the current chain: synchronized, with peers
 *                 (or offline by design), and a top block younger than --max-block-age;
 *                 monerod's readinessProbe points here
 *   GET /healthz  200 while the exporter runs
 * With --xmrig it reads a miner's API instead (hashrate and shares).
 *
 * Each RPC fails alone (its metrics disappear, monero_rpc_errors_total{method} counts it);
 * heavier or slow-changing calls are cached between scrapes.
 */
#include "commands.h"
#include "options.h"

#include "http/http_server.h"
#include "http/log.h"
#include "metrics/monero_collector.h"
#include "metrics/xmrig_api.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct exporter {
    const char *monerod, *xmrig, *token_env, *listen;
    unsigned long timeout_ms, max_block_age;
    pthread_mutex_t lock; /* the collector: one RPC round at a time */
    struct monero_collector collector;
    pthread_mutex_t ready_lock; /* the last readiness answer, for probes that come mid-scrape */
    int ready_status;
    char ready_text[256];
    struct xmrig_summary xmrig_summary;
    unsigned long xmrig_errors;
    struct http_server *server;
};

static double wall_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Logs each call's failure once when it starts failing, not on every scrape. */
static void log_new_failures(const struct monero_collector *c, bool was_ok[M_METHODS])
{
    for (int m = 0; m < M_METHODS; m++)
        if (was_ok[m] && !c->snap.ok[m] && c->snap.errors[m])
            log_msg(LOG_WARN, "%s", c->last_error[m]);
}

static void refresh(struct exporter *e, bool readiness_only)
{
    bool was_ok[M_METHODS];
    for (int m = 0; m < M_METHODS; m++)
        was_ok[m] = e->collector.snap.ok[m] || e->collector.snap.errors[m] == 0;
    monero_collector_refresh(&e->collector, wall_clock(), readiness_only);
    log_new_failures(&e->collector, was_ok);
}

static bool wants_openmetrics(const char *accept)
{
    return accept && strcasestr(accept, "application/openmetrics-text");
}

static void serve_metrics(struct exporter *e, const struct http_request *req,
                          struct http_reply *reply)
{
    struct prom_writer w;
    bool om = wants_openmetrics(req->accept);
    if (prom_writer_open(&w, om) < 0) {
        http_reply_text(reply, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&e->lock);
    if (e->xmrig) {
        char error[256];
        const char *token = e->token_env ? getenv(e->token_env) : NULL;
        bool up = xmrig_summary_fetch(e->xmrig, token, (long)e->timeout_ms, &e->xmrig_summary,
                                      error, sizeof error) == 0;
        if (!up)
            e->xmrig_errors++;
        xmrig_metrics_write(&w, &e->xmrig_summary, up, e->xmrig_errors);
    } else {
        refresh(e, false);
        monero_metrics_write(&w, &e->collector.snap);
    }
    pthread_mutex_unlock(&e->lock);
    reply->status = 200;
    reply->body = prom_writer_finish(&w, &reply->body_len);
    reply->content_type = om ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                             : "text/plain; version=0.0.4; charset=utf-8";
}

/* The last readiness answer: while a scrape holds the collector (monerod busy with a sync batch
 * can take the whole RPC timeout per call), a probe is answered from it at once instead of
 * queueing behind the scrape and timing out. */
static void serve_last_readiness(struct exporter *e, struct http_reply *reply)
{
    char text[300];
    pthread_mutex_lock(&e->ready_lock);
    int status = e->ready_status;
    snprintf(text, sizeof text, "%s (as last checked; a scrape is running)", e->ready_text);
    pthread_mutex_unlock(&e->ready_lock);
    http_reply_text(reply, status, text);
}

static void serve_readyz(struct exporter *e, struct http_reply *reply)
{
    char why[128], text[256];
    if (e->xmrig) { /* miners: ready while the exporter runs */
        http_reply_text(reply, 200, "ok");
        return;
    }
    if (pthread_mutex_trylock(&e->lock) != 0) {
        serve_last_readiness(e, reply);
        return;
    }
    refresh(e, true);
    const struct monero_snapshot *s = &e->collector.snap;
    const char *reason = monero_not_ready(s, e->max_block_age, why, sizeof why);
    if (s->ok[M_GET_INFO])
        snprintf(text, sizeof text, "%s: height %.0f, %.0f peers", reason ? reason : "ready",
                 s->info.height, s->info.incoming_connections + s->info.outgoing_connections);
    else
        snprintf(text, sizeof text, "%s", reason);
    pthread_mutex_unlock(&e->lock);
    pthread_mutex_lock(&e->ready_lock);
    e->ready_status = reason ? 503 : 200;
    snprintf(e->ready_text, sizeof e->ready_text, "%s", text);
    pthread_mutex_unlock(&e->ready_lock);
    http_reply_text(reply, reason ? 503 : 200, text);
}

static void handle(void *ctx, const struct http_request *req, struct http_reply *reply)
{
    struct exporter *e = ctx;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        reply->allow = "GET, HEAD";
        http_reply_text(reply, 405, "use GET");
    } else if (strcmp(req->path, "/metrics") == 0) {
        serve_metrics(e, req, reply);
    } else if (strcmp(req->path, "/readyz") == 0) {
        serve_readyz(e, reply);
    } else if (strcmp(req->path, "/healthz") == 0) {
        http_reply_text(reply, 200, "ok");
    } else {
        http_reply_text(reply, 404, "not found");
    }
}

static int listen_address(const char *listen, char *host, size_t size, unsigned short *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= size)
        return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    if (host[0] == '[') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    *port = (unsigned short)p;
    return *end || p > 65535 ? -1 : 0;
}

static int run(struct exporter *e)
{
    char host[64], err[256];
    unsigned short port;
    sigset_t signals;
    if (listen_address(e->listen, host, sizeof host, &port) < 0) {
        fprintf(stderr, "monero-operator exporter: --listen must look like ADDR:PORT or :PORT\n");
        return 2;
    }
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Three threads: a scrape stuck on monerod's RPC never holds up /healthz (liveness) or
     * /readyz (answered from the last result while the collector is busy). */
    struct http_server_config c = {
        .bind_address = host,
        .port = port,
        .threads = 3,
        .max_body_bytes = 65536,
        .max_in_flight = 16,
        .connection_timeout_seconds = 30,
        /* scrapes and probes send a few hundred bytes; a scrape answers within its RPC timeouts */
        .header_timeout_seconds = 5,
        .request_timeout_seconds = 20,
        .max_connections = 128,
        .max_connections_per_ip = 32,
        .handler = handle,
        .ctx = e,
    };
    if (!(e->server = http_server_start(&c, err, sizeof err))) {
        log_msg(LOG_ERROR, "%s", err);
        return 1;
    }
    log_event(LOG_INFO, "exporting",
              json_pack("{s:s,s:i,s:s}", "source", e->xmrig ? e->xmrig : e->monerod, "port",
                        (int)http_server_port(e->server), "mode", e->xmrig ? "xmrig" : "monerod"));
    int sig;
    sigwait(&signals, &sig);
    http_server_drain_and_stop(e->server, 5);
    return 0;
}

int command_exporter(int argc, char **argv)
{
    struct exporter e = {
        "http://127.0.0.1:18081", NULL, "XMRIG_HTTP_ACCESS_TOKEN", ":9090", 2000, 1800};
    e.collector.heavy_interval = 30;
    e.collector.slow_interval = 300;
    const struct option_def defs[] = {
        {"monerod", 0, "MONERO_EXPORTER_MONEROD", OPT_STRING, &e.monerod, 0, "URL",
         "monerod's unrestricted RPC"},
        {"xmrig", 0, "MONERO_EXPORTER_XMRIG", OPT_STRING, &e.xmrig, 0, "URL",
         "export an xmrig miner's API instead (e.g. http://127.0.0.1:18092)"},
        {"xmrig-token-env", 0, NULL, OPT_STRING, &e.token_env, 0, "VAR",
         "environment variable holding xmrig's API token"},
        {"listen", 'l', "MONERO_EXPORTER_LISTEN", OPT_STRING, &e.listen, 0, "ADDR:PORT",
         "where to serve /metrics, /readyz and /healthz"},
        {"timeout-ms", 0, NULL, OPT_UINT, &e.timeout_ms, 4000, "MS",
         "timeout of each RPC; below the probes' 5 s timeout"},
        {"max-block-age", 0, "MONERO_EXPORTER_MAX_BLOCK_AGE", OPT_UINT, &e.max_block_age, 1U << 30,
         "SECONDS", "/readyz fails when the top block is older; 0 turns the check off"},
        {"heavy-interval", 0, NULL, OPT_UINT, &e.collector.heavy_interval, 3600, "SECONDS",
         "how often get_connections and sync_info are asked"},
        {"slow-interval", 0, NULL, OPT_UINT, &e.collector.slow_interval, 86400, "SECONDS",
         "how often fee estimate, hard fork and version are asked"},
    };
    int rc = options_parse("exporter",
                           "Serve Prometheus metrics and a sync-aware /readyz for monerod (or "
                           "an xmrig miner).",
                           defs, sizeof defs / sizeof *defs, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    pthread_mutex_init(&e.lock, NULL);
    pthread_mutex_init(&e.ready_lock, NULL);
    e.ready_status = 503;
    snprintf(e.ready_text, sizeof e.ready_text, "not checked yet");
    if (!e.xmrig && !(e.collector.rpc = monero_rpc_new_plain(e.monerod, (long)e.timeout_ms))) {
        fprintf(stderr, "monero-operator exporter: cannot create the RPC client\n");
        return 1;
    }
    rc = run(&e);
    monero_rpc_free(e.collector.rpc);
    return rc;
}
