/*
 * serve: the hook server. Parses options, starts the HTTP server, waits for SIGTERM or SIGINT,
 * then drains: /readyz turns 503, no new connections are accepted, requests in flight finish
 * (up to --drain-timeout), and the process exits 0.
 */
#include "commands.h"
#include "image_options.h"
#include "options.h"
#include "router.h"
#include "server_metrics.h"

#include "http/http_server.h"
#include "http/log.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct serve_settings {
    const char *listen;
    unsigned long threads, max_body_bytes, max_in_flight, connection_timeout, drain_timeout;
    const char *log_level;
    bool no_request_log;
    const char *port_file;
};

static int split_listen(const char *listen, char *host, size_t host_size, unsigned short *port)
{
    const char *colon = strrchr(listen, ':');
    const char *h = listen, *h_end = colon;
    if (!colon)
        return -1;
    if (*h == '[') {
        h++;
        if (h_end <= h || h_end[-1] != ']')
            return -1;
        h_end--;
    }
    size_t n = (size_t)(h_end - h);
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (n >= host_size || *end || !colon[1] || p > 65535)
        return -1;
    memcpy(host, h, n);
    host[n] = '\0';
    *port = (unsigned short)p;
    return 0;
}

static int parse_level(const char *name, enum log_level *level)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *level = (enum log_level)i;
            return 0;
        }
    return -1;
}

static int parse_serve_options(int argc, char **argv, struct serve_settings *s,
                               struct hook_defaults *defaults)
{
    struct option_def defs[9 + IMAGE_OPTION_COUNT] = {
        {"listen", 'l', "MONERO_OPERATOR_LISTEN", OPT_STRING, &s->listen, 0, "ADDR:PORT",
         "address and port to listen on; an empty address means all ([::]:8080 for IPv6)"},
        {"threads", 't', "MONERO_OPERATOR_THREADS", OPT_UINT, &s->threads, 256, "N",
         "worker threads answering requests"},
        {"max-body-bytes", 0, "MONERO_OPERATOR_MAX_BODY_BYTES", OPT_UINT, &s->max_body_bytes,
         1UL << 31, "BYTES", "largest request body accepted; larger ones get 413"},
        {"max-in-flight", 0, "MONERO_OPERATOR_MAX_IN_FLIGHT", OPT_UINT, &s->max_in_flight, 100000,
         "N", "requests handled at once; beyond it 429 with Retry-After"},
        {"connection-timeout", 0, "MONERO_OPERATOR_CONNECTION_TIMEOUT", OPT_UINT,
         &s->connection_timeout, 3600, "SECONDS", "idle or slow connections are closed after it"},
        {"drain-timeout", 0, "MONERO_OPERATOR_DRAIN_TIMEOUT", OPT_UINT, &s->drain_timeout, 3600,
         "SECONDS", "on SIGTERM, how long requests in flight may take to finish"},
        {"log-level", 0, "MONERO_OPERATOR_LOG_LEVEL", OPT_STRING, &s->log_level, 0, "LEVEL",
         "debug, info, warn or error"},
        {"no-request-log", 0, "MONERO_OPERATOR_NO_REQUEST_LOG", OPT_FLAG, &s->no_request_log, 0, "",
         "do not log a line per request"},
        {"port-file", 0, NULL, OPT_STRING, &s->port_file, 0, "PATH",
         "write the port actually bound (useful with port 0) to PATH"},
    };
    image_options(defaults, defs + 9);
    return options_parse("serve",
                         "Serve the Metacontroller hooks for MoneroNodeSet, MoneroNetwork and "
                         "MoneroMiningNodeSet.",
                         defs, 9 + IMAGE_OPTION_COUNT, argc, argv);
}

static int write_port_file(const char *path, unsigned port)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    return fclose(f);
}

static int run_server(const struct serve_settings *s, struct router *router, sigset_t *signals)
{
    char host[64], err[256];
    unsigned short port;
    if (split_listen(s->listen, host, sizeof host, &port) < 0) {
        log_msg(LOG_ERROR, "--listen \"%s\" must look like ADDR:PORT, :PORT or [ADDR]:PORT",
                s->listen);
        return 2;
    }
    struct http_server_config config = {
        .bind_address = host,
        .port = port,
        .threads = (unsigned)s->threads,
        .max_body_bytes = s->max_body_bytes,
        .max_in_flight = (unsigned)s->max_in_flight,
        .connection_timeout_seconds = (unsigned)s->connection_timeout,
        .log_requests = !s->no_request_log,
        .handler = router_handle,
        .observer = router_observe,
        .ctx = router,
    };
    router->server = http_server_start(&config, err, sizeof err);
    if (!router->server) {
        log_msg(LOG_ERROR, "%s", err);
        return 1;
    }
    unsigned bound = http_server_port(router->server);
    if (s->port_file && write_port_file(s->port_file, bound) < 0)
        log_msg(LOG_WARN, "cannot write --port-file %s", s->port_file);
    log_event(LOG_INFO, "listening",
              json_pack("{s:s,s:i,s:i,s:s}", "address", *host ? host : "*", "port", (int)bound,
                        "threads", (int)s->threads, "version", MONERO_OPERATOR_VERSION));
    int sig = 0;
    sigwait(signals, &sig);
    log_event(LOG_INFO, "draining",
              json_pack("{s:i,s:i}", "signal", sig, "in_flight",
                        (int)http_server_in_flight(router->server)));
    unsigned left = http_server_drain_and_stop(router->server, (unsigned)s->drain_timeout);
    router->server = NULL;
    log_event(LOG_INFO, "stopped", json_pack("{s:i}", "abandoned_requests", (int)left));
    return 0;
}

int command_serve(int argc, char **argv)
{
    struct serve_settings s = {":8080", 4, 64UL << 20, 256, 30, 25, "info", false, NULL};
    struct router router = {.defaults = hook_builtin_defaults};
    enum log_level level;
    int rc = parse_serve_options(argc, argv, &s, &router.defaults);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (parse_level(s.log_level, &level) < 0) {
        fprintf(stderr, "monero-operator serve: --log-level must be debug, info, warn or error\n");
        return 2;
    }
    log_set_level(level);
    /* Request bodies (tens of KiB, many at once) come and go on every worker thread: with a
     * fixed mmap threshold the large ones go back to the system when freed, and heaps are
     * trimmed, instead of glibc raising its threshold and keeping freed memory resident. The
     * soak test holds resident memory to +1 MiB under this. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
    /* Block the stop signals in every thread; the main thread waits for them. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    router.metrics = server_metrics_new();
    rc = router.metrics ? run_server(&s, &router, &signals) : 1;
    server_metrics_free(router.metrics);
    return rc;
}
