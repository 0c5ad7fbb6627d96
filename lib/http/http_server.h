/*
 * http_server: the HTTP layer of the hook server, on libmicrohttpd with a thread pool.
 *
 * It accumulates request bodies up to a cap (413 beyond it), bounds the requests in flight
 * (429 with Retry-After beyond it, so Metacontroller backs off instead of retrying at once),
 * times out idle connections and cuts slow ones at deadlines that trickled bytes cannot extend
 * (conn_deadlines.h), limits connections in total and per client address, writes one log line
 * per request, and drains on stop:
 * new connections are refused while requests already running finish.
 *
 * The handler is called once per request with the complete body, on a pool thread.
 */
#ifndef MONERO_OPERATOR_HTTP_SERVER_H
#define MONERO_OPERATOR_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_request {
    const char *method;
    const char *path;          /* without the query string */
    const char *content_type;  /* NULL when absent */
    const char *accept;        /* Accept header, NULL when absent */
    const char *authorization; /* Authorization header, NULL when absent */
    const char *body;          /* NUL-terminated for convenience; may contain NULs */
    size_t body_len;
};

#define HTTP_REPLY_LOG_FIELDS 4

struct http_reply {
    int status;
    char *body; /* malloc'd, owned by the server after the handler returns; NULL: empty */
    size_t body_len;
    const char *content_type; /* static string */
    const char *allow;        /* Allow header for 405, static */
    /* extra fields for the request log line, set by the handler with http_reply_log (optional) */
    struct http_log_field {
        const char *key; /* static string; NULL: unused slot */
        char value[256];
    } log[HTTP_REPLY_LOG_FIELDS];
};

/* Adds "key": "value" to the request's log line (ignored once every slot is taken). */
void http_reply_log(struct http_reply *reply, const char *key, const char *value);

/* The value logged under `key`, or "" when none was. */
const char *http_reply_log_value(const struct http_reply *reply, const char *key);

typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
                                struct http_reply *reply);

/* Decides from the headers, before any body is read, whether the caller may go on: NULL, or a
 * one-line reason for a 401 (with WWW-Authenticate: Bearer). */
typedef const char *(*http_authorize_fn)(void *ctx, const struct http_request *req);

/* Called after each response with the status and duration (for metrics); may be NULL. */
typedef void (*http_observer_fn)(void *ctx, const struct http_request *req,
                                 const struct http_reply *reply, double seconds);

struct http_server_config {
    const char *bind_address; /* IPv4 or IPv6 literal; NULL or "" for all addresses */
    uint16_t port;            /* 0: any free port (see http_server_port) */
    unsigned threads;
    size_t max_body_bytes;
    unsigned max_in_flight;
    unsigned connection_timeout_seconds; /* idle: no byte received or sent for this long */
    /* Deadlines trickling cannot extend, counted from a connection's start or the end of its
     * previous request: complete headers, and the whole request with its response. 0: the idle
     * timeout's value. */
    unsigned header_timeout_seconds, request_timeout_seconds;
    unsigned max_connections;        /* 0: max_in_flight * 4 + 64 */
    unsigned max_connections_per_ip; /* 0: no per-client limit */
    bool log_requests;
    /* TLS: libmicrohttpd's certificate callback (tls_identity_callback) and the GnuTLS
     * priorities; NULL for plain HTTP. */
    void *tls_cert_callback;
    const char *tls_priorities;
    http_authorize_fn authorize; /* NULL: every caller may */
    http_handler_fn handler;
    http_observer_fn observer;
    void *ctx;
};

struct http_server;

/* Starts listening. Returns NULL with a message in err on failure. */
struct http_server *http_server_start(const struct http_server_config *config, char *err,
                                      size_t err_size);

uint16_t http_server_port(const struct http_server *server);

/* True once draining started: /readyz should then fail so traffic moves elsewhere. */
bool http_server_draining(const struct http_server *server);

/* Requests currently being received or handled. */
unsigned http_server_in_flight(const struct http_server *server);

struct http_connection_counts {
    uint64_t open;              /* connections open now */
    uint64_t cut_slow_headers;  /* cut for incomplete headers past the header deadline */
    uint64_t cut_slow_requests; /* cut for a request or response past the request deadline */
};

void http_server_connections(const struct http_server *server, struct http_connection_counts *out);

/* Stops accepting, waits up to `grace_seconds` for requests in flight, then stops. Returns the
 * number of requests that were still in flight when the grace period ended. */
unsigned http_server_drain_and_stop(struct http_server *server, unsigned grace_seconds);

/* Fills `reply` with a one-line text body. */
void http_reply_text(struct http_reply *reply, int status, const char *text);

#endif
