/* serve: the sending side's HTTP listeners and options (see serve.h). */
#include "serve.h"

#include "chain_db.h"
#include "copy_sender.h"
#include "serve_state.h"

#include "src/options.h"
#include "src/token.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

/* Queues `r` (consumed) with its Content-Type; MHD_NO when there is no response. */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
                             const char *content_type)
{
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", content_type);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    return queue(c, status,
                 MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY),
                 "text/plain; charset=utf-8");
}

struct transfer {
    struct copy_sender sender;
    struct serve_state *st;
};

static ssize_t transfer_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct transfer *t = cls;
    return copy_sender_read(&t->sender, pos, buf, max);
}

static void transfer_done(void *cls)
{
    struct transfer *t = cls;
    bool complete = copy_sender_finish(&t->sender);
    fprintf(stderr, "monero-bootstrap: copy %s after %llu bytes\n",
            complete ? "sent" : "ended early", (unsigned long long)t->sender.sent);
    atomic_store(&t->st->busy, 0); /* first: whoever sees the count may ask again at once */
    atomic_fetch_add(complete ? &t->st->copies_completed : &t->st->copies_failed, 1);
    free(t);
}

static bool has_database(const char *dir)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static enum MHD_Result start_copy(struct MHD_Connection *c, struct serve_state *st)
{
    char token[TOKEN_MAX + 1];
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (token_read(st->token_file, token) < 0 || !token_matches_header(auth, token)) {
        atomic_fetch_add(&st->refused_unauthorized, 1);
        return answer_text(c, MHD_HTTP_UNAUTHORIZED, "unauthorized: no or a wrong token\n");
    }
    if (!has_database(st->lmdb_dir)) {
        atomic_fetch_add(&st->refused_no_database, 1);
        return answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no database here yet\n");
    }
    int idle = 0;
    if (!atomic_compare_exchange_strong(&st->busy, &idle, 1)) {
        atomic_fetch_add(&st->refused_busy, 1);
        return answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "busy: another copy is being sent; ask another sibling\n");
    }
    struct transfer *t = calloc(1, sizeof *t);
    if (!t ||
        copy_sender_start(&t->sender, st->lmdb_dir, st->rate_bytes_per_s, &st->bytes_sent) < 0) {
        if (t)
            copy_sender_finish(&t->sender);
        free(t);
        atomic_store(&st->busy, 0);
        return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot start a copy\n");
    }
    t->st = st;
    fprintf(stderr, "monero-bootstrap: sending a copy of %s\n", st->lmdb_dir);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256 * 1024,
                                                               transfer_read, t, transfer_done);
    if (!r) {
        transfer_done(t);
        return MHD_NO;
    }
    return queue(c, MHD_HTTP_OK, r, "application/octet-stream");
}

static enum MHD_Result on_copy_port(void *cls, struct MHD_Connection *c, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_size, void **ptr)
{
    (void)version, (void)upload_data;
    if (*ptr == NULL) { /* headers only so far */
        *ptr = c;
        return MHD_YES;
    }
    if (*upload_size != 0)
        return answer_text(c, MHD_HTTP_BAD_REQUEST, "a copy request has no body\n");
    if (strcmp(url, "/v1/copy") != 0)
        return answer_text(c, MHD_HTTP_NOT_FOUND, "not found: the route is GET /v1/copy\n");
    if (strcmp(method, "GET") != 0)
        return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: use GET\n");
    return start_copy(c, cls);
}

static enum MHD_Result on_metrics_port(void *cls, struct MHD_Connection *c, const char *url,
                                       const char *method, const char *version,
                                       const char *upload_data, size_t *upload_size, void **ptr)
{
    (void)version, (void)upload_data, (void)upload_size, (void)ptr;
    if (strcmp(method, "GET") != 0)
        return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: use GET\n");
    if (strcmp(url, "/healthz") == 0)
        return answer_text(c, MHD_HTTP_OK, "ok\n");
    if (strcmp(url, "/metrics") != 0)
        return answer_text(c, MHD_HTTP_NOT_FOUND, "not found: /metrics or /healthz\n");
    char *text = serve_metrics_text(cls);
    if (!text)
        return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r)
        free(text);
    return queue(c, MHD_HTTP_OK, r, "text/plain; version=0.0.4; charset=utf-8");
}

static struct MHD_Daemon *listen_on(unsigned long port, MHD_AccessHandlerCallback handler,
                                    struct serve_state *st, unsigned connections)
{
    return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                                MHD_USE_DUAL_STACK | MHD_USE_ERROR_LOG,
                            (uint16_t)port, NULL, NULL, handler, st, MHD_OPTION_CONNECTION_LIMIT,
                            connections, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
}

int bootstrap_serve(int argc, char **argv)
{
    static struct serve_state st;
    const char *lmdb = "/data/lmdb", *token_file = "/etc/monero-bootstrap/token";
    const char *received = "/data/.monero-bootstrap.json";
    unsigned long port = 18090, metrics_port = 18091, rate_mb = 0;
    const struct option_def defs[] = {
        {"lmdb", 0, NULL, OPT_STRING, &lmdb, 0, "DIR", "monerod's database directory"},
        {"token-file", 0, NULL, OPT_STRING, &token_file, 0, "FILE", "the set's shared token"},
        {"port", 0, NULL, OPT_UINT, &port, 65535, "PORT", "copy port (GET /v1/copy)"},
        {"metrics-port", 0, NULL, OPT_UINT, &metrics_port, 65535, "PORT",
         "metrics port (GET /metrics, /healthz); 0: none"},
        {"rate-limit-mb", 0, NULL, OPT_UINT, &rate_mb, 100000, "MB/S",
         "most megabytes (10^6 bytes) per second a copy is sent at; 0: no limit"},
        {"received-record", 0, NULL, OPT_STRING, &received, 0, "FILE",
         "what fetch recorded when this pod's volume was bootstrapped (exported as metrics)"},
    };
    int rc = options_parse("serve", "Send consistent copies of this node's database to siblings.",
                           defs, sizeof defs / sizeof defs[0], argc, argv);
    if (rc != 0)
        return rc < 0 ? 2 : 0;
    st.lmdb_dir = lmdb;
    st.token_file = token_file;
    st.received_file = received;
    st.rate_bytes_per_s = rate_mb * 1000000ul;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    struct MHD_Daemon *copy = listen_on(port, on_copy_port, &st, 8);
    struct MHD_Daemon *metrics =
        metrics_port ? listen_on(metrics_port, on_metrics_port, &st, 16) : NULL;
    if (!copy || (metrics_port && !metrics)) {
        fprintf(stderr, "monero-bootstrap serve: cannot listen on port %lu or %lu\n", port,
                metrics_port);
        return 1;
    }
    fprintf(stderr, "monero-bootstrap: serving copies of %s on port %lu\n", lmdb, port);
    while (!stopping)
        sleep(1);
    MHD_stop_daemon(copy);
    if (metrics)
        MHD_stop_daemon(metrics);
    return 0;
}
