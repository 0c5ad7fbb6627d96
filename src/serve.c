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
#include "tls/tls_identity.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct serve_settings {
    const char *listen, *metrics_listen;
    unsigned long threads, max_body_bytes, max_in_flight, connection_timeout, drain_timeout;
    unsigned long header_timeout, request_timeout, max_connections, max_connections_per_ip;
    const char *log_level;
    bool no_request_log;
    const char *port_file, *metrics_port_file;
    const char *tls_cert, *tls_key, *token_file;
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

#define SERVE_OPTION_COUNT 19

static int parse_serve_options(int argc, char **argv, struct serve_settings *s,
                               struct hook_defaults *defaults)
{
    struct option_def defs[SERVE_OPTION_COUNT + IMAGE_OPTION_COUNT] = {
        {"listen", 'l', "MONERO_OPERATOR_LISTEN", OPT_STRING, &s->listen, 0, "ADDR:PORT",
         "address and port of the hooks; an empty address means all ([::]:8080 for IPv6)"},
        {"metrics-listen", 0, "MONERO_OPERATOR_METRICS_LISTEN", OPT_STRING, &s->metrics_listen, 0,
         "ADDR:PORT",
         "a second listener for /healthz, /readyz and /metrics only, with its own connection "
         "slots, so a flood of the hook port cannot fail the probes; \"\" for none"},
        {"threads", 't', "MONERO_OPERATOR_THREADS", OPT_UINT, &s->threads, 256, "N",
         "worker threads answering requests"},
        {"max-body-bytes", 0, "MONERO_OPERATOR_MAX_BODY_BYTES", OPT_UINT, &s->max_body_bytes,
         1UL << 31, "BYTES", "largest request body accepted; larger ones get 413"},
        {"max-in-flight", 0, "MONERO_OPERATOR_MAX_IN_FLIGHT", OPT_UINT, &s->max_in_flight, 100000,
         "N", "requests handled at once; beyond it 429 with Retry-After"},
        {"connection-timeout", 0, "MONERO_OPERATOR_CONNECTION_TIMEOUT", OPT_UINT,
         &s->connection_timeout, 3600, "SECONDS", "idle connections are closed after it"},
        {"header-timeout", 0, "MONERO_OPERATOR_HEADER_TIMEOUT", OPT_UINT, &s->header_timeout, 3600,
         "SECONDS",
         "request headers must be complete this long after a connection opens or its previous "
         "request ends, however bytes trickle in (also caps idle keep-alive)"},
        {"request-timeout", 0, "MONERO_OPERATOR_REQUEST_TIMEOUT", OPT_UINT, &s->request_timeout,
         3600, "SECONDS", "a whole request and its response must be done within this"},
        {"max-connections", 0, "MONERO_OPERATOR_MAX_CONNECTIONS", OPT_UINT, &s->max_connections,
         1000000, "N", "open connections on the hook port; beyond it new ones wait"},
        {"max-connections-per-ip", 0, "MONERO_OPERATOR_MAX_CONNECTIONS_PER_IP", OPT_UINT,
         &s->max_connections_per_ip, 1000000, "N",
         "open connections from one client address; beyond it new ones are closed"},
        {"drain-timeout", 0, "MONERO_OPERATOR_DRAIN_TIMEOUT", OPT_UINT, &s->drain_timeout, 3600,
         "SECONDS", "on SIGTERM, how long requests in flight may take to finish"},
        {"log-level", 0, "MONERO_OPERATOR_LOG_LEVEL", OPT_STRING, &s->log_level, 0, "LEVEL",
         "debug, info, warn or error"},
        {"no-request-log", 0, "MONERO_OPERATOR_NO_REQUEST_LOG", OPT_FLAG, &s->no_request_log, 0, "",
         "do not log a line per request"},
        {"port-file", 0, NULL, OPT_STRING, &s->port_file, 0, "PATH",
         "write the port actually bound (useful with port 0) to PATH"},
        {"metrics-port-file", 0, NULL, OPT_STRING, &s->metrics_port_file, 0, "PATH",
         "write the port --metrics-listen bound to PATH"},
        {"tls-cert", 0, "MONERO_OPERATOR_TLS_CERT", OPT_STRING, &s->tls_cert, 0, "FILE",
         "serve the hooks over TLS 1.2+ with this PEM certificate chain (read again when it "
         "changes); needs --tls-key"},
        {"tls-key", 0, "MONERO_OPERATOR_TLS_KEY", OPT_STRING, &s->tls_key, 0, "FILE",
         "the PEM private key of --tls-cert"},
        {"token-file", 0, "MONERO_OPERATOR_TOKEN_FILE", OPT_STRING, &s->token_file, 0, "PATH",
         "require \"Authorization: Bearer <token>\" on /hooks/ (401 otherwise), a token from "
         "PATH: a file (one per line) or a directory of such files (a mounted Secret); read "
         "again when it changes"},
        {"max-new-children", 0, "MONERO_OPERATOR_MAX_NEW_CHILDREN", OPT_UINT,
         &defaults->max_new_children, 1000000, "N",
         "children asked for per sync beyond those that exist, so a large set's status shows "
         "its progress while Metacontroller creates them; 0 for no limit"},
    };
    image_options(defaults, defs + SERVE_OPTION_COUNT);
    int rc = options_parse("serve",
                           "Serve the Metacontroller hooks for MoneroNodeSet, MoneroNetwork and "
                           "MoneroMiningNodeSet.",
                           defs, SERVE_OPTION_COUNT + IMAGE_OPTION_COUNT, argc, argv);
    if (rc == 0 && (s->header_timeout == 0 || s->request_timeout < s->header_timeout ||
                    s->max_connections == 0 || s->max_connections_per_ip == 0)) {
        fprintf(stderr, "monero-operator serve: --header-timeout, --max-connections and "
                        "--max-connections-per-ip must be at least 1, and --request-timeout at "
                        "least --header-timeout\n");
        return -1;
    }
    if (rc == 0 && (!s->tls_cert || !*s->tls_cert) != (!s->tls_key || !*s->tls_key)) {
        fprintf(stderr, "monero-operator serve: --tls-cert and --tls-key go together\n");
        return -1;
    }
    return rc;
}

static int write_port_file(const char *path, unsigned port)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    return fclose(f);
}

/* The hook listener: every route, limits and deadlines from the options. */
static struct http_server *start_hook_listener(const struct serve_settings *s,
                                               struct router *router, const char *host,
                                               unsigned short port)
{
    char err[256];
    struct http_server_config config = {
        .bind_address = host,
        .port = port,
        .threads = (unsigned)s->threads,
        .max_body_bytes = s->max_body_bytes,
        .max_in_flight = (unsigned)s->max_in_flight,
        .connection_timeout_seconds = (unsigned)s->connection_timeout,
        .header_timeout_seconds = (unsigned)s->header_timeout,
        .request_timeout_seconds = (unsigned)s->request_timeout,
        .max_connections = (unsigned)s->max_connections,
        .max_connections_per_ip = (unsigned)s->max_connections_per_ip,
        .log_requests = !s->no_request_log,
        .tls_cert_callback = s->tls_cert && *s->tls_cert ? tls_identity_callback() : NULL,
        .tls_priorities = TLS_PRIORITIES,
        .authorize = router_authorize,
        .handler = router_handle,
        .observer = router_observe,
        .ctx = router,
    };
    struct http_server *server = http_server_start(&config, err, sizeof err);
    if (!server)
        log_msg(LOG_ERROR, "%s", err);
    return server;
}

/* The probe and metrics listener: small, fixed limits; probes and scrapes are a few hundred
 * bytes from a handful of clients (the kubelet, Prometheus). */
static struct http_server *start_probe_listener(struct router *router, const char *host,
                                                unsigned short port)
{
    char err[256];
    struct http_server_config config = {
        .bind_address = host,
        .port = port,
        .threads = 1,
        .max_body_bytes = 4096,
        .max_in_flight = 16,
        .connection_timeout_seconds = 10,
        .header_timeout_seconds = 5,
        .request_timeout_seconds = 10,
        .max_connections = 64,
        .max_connections_per_ip = 16,
        .handler = router_handle_probes,
        .ctx = router,
    };
    struct http_server *server = http_server_start(&config, err, sizeof err);
    if (!server)
        log_msg(LOG_ERROR, "--metrics-listen: %s", err);
    return server;
}

static int parse_listen(const char *option, const char *value, char *host, size_t host_size,
                        unsigned short *port)
{
    if (split_listen(value, host, host_size, port) == 0)
        return 0;
    log_msg(LOG_ERROR, "%s \"%s\" must look like ADDR:PORT, :PORT or [ADDR]:PORT", option, value);
    return -1;
}

/* The TLS certificate and the token, when asked for: unusable files stop the server at start. */
static int open_credentials(const struct serve_settings *s, struct router *router)
{
    char err[512];
    if (s->tls_cert && *s->tls_cert &&
        tls_identity_open(s->tls_cert, s->tls_key, err, sizeof err) < 0) {
        log_msg(LOG_ERROR, "--tls-cert/--tls-key: %s", err);
        return -1;
    }
    if (s->token_file && *s->token_file &&
        !(router->auth = hook_auth_open(s->token_file, err, sizeof err))) {
        log_msg(LOG_ERROR, "%s", err);
        return -1;
    }
    return 0;
}

static void log_listening(const char *what, const char *host, const struct http_server *server,
                          unsigned threads, const char *scheme)
{
    log_event(LOG_INFO, "listening",
              json_pack("{s:s,s:s,s:i,s:i,s:s,s:s}", "serves", what, "address", *host ? host : "*",
                        "port", (int)http_server_port(server), "threads", (int)threads, "version",
                        MONERO_OPERATOR_VERSION, "scheme", scheme));
}

static int run_server(const struct serve_settings *s, struct router *router, sigset_t *signals)
{
    char host[64], probe_host[64];
    unsigned short port, probe_port = 0;
    bool probes = s->metrics_listen && *s->metrics_listen;
    if (parse_listen("--listen", s->listen, host, sizeof host, &port) < 0 ||
        (probes && parse_listen("--metrics-listen", s->metrics_listen, probe_host,
                                sizeof probe_host, &probe_port) < 0))
        return 2;
    if (open_credentials(s, router) < 0)
        return 1;
    if (!(router->server = start_hook_listener(s, router, host, port)))
        return 1;
    struct http_server *probe_server = NULL;
    if (probes && !(probe_server = start_probe_listener(router, probe_host, probe_port))) {
        http_server_drain_and_stop(router->server, 0);
        return 1;
    }
    if (s->port_file && write_port_file(s->port_file, http_server_port(router->server)) < 0)
        log_msg(LOG_WARN, "cannot write --port-file %s", s->port_file);
    if (probe_server && s->metrics_port_file &&
        write_port_file(s->metrics_port_file, http_server_port(probe_server)) < 0)
        log_msg(LOG_WARN, "cannot write --metrics-port-file %s", s->metrics_port_file);
    log_listening("hooks", host, router->server, (unsigned)s->threads,
                  s->tls_cert && *s->tls_cert ? "https" : "http");
    if (probe_server)
        log_listening("probes and metrics", probe_host, probe_server, 1, "http");
    int sig = 0;
    sigwait(signals, &sig);
    log_event(LOG_INFO, "draining",
              json_pack("{s:i,s:i}", "signal", sig, "in_flight",
                        (int)http_server_in_flight(router->server)));
    /* The probe listener keeps answering (/readyz 503) while the hooks drain. */
    unsigned left = http_server_drain_and_stop(router->server, (unsigned)s->drain_timeout);
    if (probe_server)
        http_server_drain_and_stop(probe_server, 1);
    router->server = NULL;
    log_event(LOG_INFO, "stopped", json_pack("{s:i}", "abandoned_requests", (int)left));
    return 0;
}

int command_serve(int argc, char **argv)
{
    struct serve_settings s = {.listen = ":8080",
                               .metrics_listen = ":8081",
                               .threads = 4,
                               .max_body_bytes = 64UL << 20,
                               .max_in_flight = 256,
                               .connection_timeout = 30,
                               .drain_timeout = 25,
                               .header_timeout = 10,
                               .request_timeout = 60,
                               .max_connections = 1024,
                               .max_connections_per_ip = 64,
                               .log_level = "info"};
    struct router router = {.defaults = hook_builtin_defaults};
    router.defaults.max_new_children = 100;
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
    hook_auth_close(router.auth);
    tls_identity_close();
    return rc;
}
