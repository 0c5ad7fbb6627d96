/* http_server: libmicrohttpd thread-pool server with body caps, backpressure, per-request logs
 * and graceful drain (see http_server.h). */
#include "http/http_server.h"

#include "http/conn_deadlines.h"
#include "http/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *daemon;
    struct conn_deadlines *deadlines;
    struct http_server_config config;
    atomic_uint in_flight;
    atomic_bool draining;
    uint16_t port;
};

/*
 * An oversized body is read and dropped up to this many bytes past the limit before the 413 is
 * sent. Answering while the client is still sending makes the close reset the connection, and a
 * reset can destroy the 413 before the client reads it; reading a bounded amount first lets the
 * client see why. Beyond the budget the 413 goes out at once (a reset is then the client's lot).
 */
#define HTTP_OVERSIZE_DRAIN_BYTES ((size_t)4 << 20)

struct request_state {
    struct timespec started;
    char *body;
    size_t len, cap;
    size_t dropped; /* bytes of an oversized body read and dropped */
    bool too_large;
    bool responded;
};

void http_reply_text(struct http_reply *reply, int status, const char *text)
{
    size_t n = strlen(text);
    free(reply->body);
    reply->status = status;
    reply->body = malloc(n + 2);
    if (!reply->body) {
        reply->body_len = 0;
        return;
    }
    memcpy(reply->body, text, n);
    reply->body[n] = '\n';
    reply->body[n + 1] = '\0';
    reply->body_len = n + 1;
    reply->content_type = "text/plain; charset=utf-8";
}

void http_reply_log(struct http_reply *reply, const char *key, const char *value)
{
    for (size_t i = 0; i < HTTP_REPLY_LOG_FIELDS; i++) {
        if (!reply->log[i].key) {
            reply->log[i].key = key;
            snprintf(reply->log[i].value, sizeof reply->log[i].value, "%s", value);
            return;
        }
    }
}

const char *http_reply_log_value(const struct http_reply *reply, const char *key)
{
    for (size_t i = 0; i < HTTP_REPLY_LOG_FIELDS && reply->log[i].key; i++)
        if (strcmp(reply->log[i].key, key) == 0)
            return reply->log[i].value;
    return "";
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void log_request(const struct http_request *req, const struct http_reply *reply,
                        double seconds)
{
    json_t *fields =
        json_pack("{s:s,s:s,s:i,s:f,s:I,s:I}", "method", req->method, "path", req->path, "status",
                  reply->status, "duration_ms", seconds * 1000.0, "bytes_in",
                  (json_int_t)req->body_len, "bytes_out", (json_int_t)reply->body_len);
    for (size_t i = 0; i < HTTP_REPLY_LOG_FIELDS && reply->log[i].key; i++)
        json_object_set_new(fields, reply->log[i].key, json_string(reply->log[i].value));
    log_event(reply->status >= 500 ? LOG_ERROR : LOG_INFO, "request", fields);
}

/* Queues `reply` (taking its body) and logs the request. */
static enum MHD_Result send_reply(struct http_server *s, struct MHD_Connection *conn,
                                  struct request_state *st, const struct http_request *req,
                                  struct http_reply *reply)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
        reply->body_len, reply->body ? reply->body : (char *)"", reply->body ? free : NULL);
    if (!resp) {
        free(reply->body);
        return MHD_NO;
    }
    reply->body = NULL;
    if (reply->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    if (reply->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, reply->allow);
    if (reply->status == 429 || reply->status == 503)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (reply->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    if (ok == MHD_YES) {
        double seconds = seconds_since(&st->started);
        st->responded = true;
        if (s->config.log_requests)
            log_request(req, reply, seconds);
        if (s->config.observer)
            s->config.observer(s->config.ctx, req, reply, seconds);
    }
    return ok;
}

static enum MHD_Result send_error(struct http_server *s, struct MHD_Connection *conn,
                                  struct request_state *st, const struct http_request *req,
                                  int status, const char *text)
{
    struct http_reply reply = {0};
    http_reply_text(&reply, status, text);
    return send_reply(s, conn, st, req, &reply);
}

static enum MHD_Result count_length_headers(void *cls, enum MHD_ValueKind kind, const char *key,
                                            const char *value)
{
    (void)kind, (void)value;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        ++*(unsigned *)cls;
    return MHD_YES;
}

/* Message framing a proxy and this server could read differently (RFC 9112 6.3): several
 * Content-Length headers, or one beside Transfer-Encoding. libmicrohttpd would use the first. */
static bool ambiguous_framing(struct MHD_Connection *conn)
{
    unsigned lengths = 0;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_length_headers, &lengths);
    return lengths > 1 ||
           (lengths == 1 &&
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING));
}

/* First call for a request: backpressure, framing, then the declared size. */
static enum MHD_Result begin_request(struct http_server *s, struct MHD_Connection *conn,
                                     struct request_state *st, const struct http_request *req)
{
    if (atomic_fetch_add(&s->in_flight, 1) + 1 > s->config.max_in_flight)
        return send_error(s, conn, st, req, 429, "too many requests in flight; retry shortly");
    const char *denied = s->config.authorize ? s->config.authorize(s->config.ctx, req) : NULL;
    if (denied) /* before any body is read or buffered */
        return send_error(s, conn, st, req, 401, denied);
    if (ambiguous_framing(conn))
        return send_error(s, conn, st, req, 400,
                          "ambiguous body length: several Content-Length headers, or "
                          "Content-Length with Transfer-Encoding");
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long declared = strtoull(cl, &end, 10);
        if (errno || *end || declared > s->config.max_body_bytes + HTTP_OVERSIZE_DRAIN_BYTES)
            return send_error(s, conn, st, req, 413, "request body is larger than the limit");
        if (declared > s->config.max_body_bytes) {
            st->too_large = true; /* drained, then answered 413 once it has all arrived */
            return MHD_YES;
        }
        st->cap = (size_t)declared + 1;
        st->body = malloc(st->cap);
        if (!st->body)
            return send_error(s, conn, st, req, 500, "out of memory");
    }
    return MHD_YES;
}

static bool append_body(struct http_server *s, struct request_state *st, const char *data, size_t n)
{
    if (st->len + n > s->config.max_body_bytes)
        return false;
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n + 1)
            cap *= 2;
        if (cap > s->config.max_body_bytes + 1)
            cap = s->config.max_body_bytes + 1;
        char *grown = realloc(st->body, cap);
        if (!grown)
            return false;
        st->body = grown;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    return true;
}

static struct conn_clock *clock_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct request_state *st = *con_cls;
    struct http_request req = {.method = method, .path = url, .body = "", .body_len = 0};
    (void)version;
    req.content_type =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    req.authorization =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &st->started);
        *con_cls = st;
        conn_deadlines_headers_done(s->deadlines, clock_of(conn));
        return begin_request(s, conn, st, &req);
    }
    if (st->responded) { /* rejected early: discard whatever is still arriving */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (st->too_large || !append_body(s, st, upload_data, *upload_data_size)) {
            st->too_large = true;
            st->dropped += *upload_data_size;
        }
        *upload_data_size = 0;
        if (st->too_large && st->dropped > HTTP_OVERSIZE_DRAIN_BYTES)
            send_error(s, conn, st, &req, 413, "request body is larger than the limit");
        return MHD_YES;
    }
    if (st->too_large)
        return send_error(s, conn, st, &req, 413, "request body is larger than the limit");
    if (st->body)
        st->body[st->len] = '\0';
    req.body = st->body ? st->body : "";
    req.body_len = st->len;
    struct http_reply reply = {.status = 500};
    s->config.handler(s->config.ctx, &req, &reply);
    return send_reply(s, conn, st, &req, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct http_server *s = cls;
    struct request_state *st = *con_cls;
    (void)code;
    conn_deadlines_request_done(s->deadlines, clock_of(conn));
    if (!st)
        return;
    free(st->body);
    free(st);
    *con_cls = NULL;
    /* The last request in flight done: give freed heap pages back (glibc keeps them in each
     * worker thread's heap otherwise, and a burst of large bodies would stay resident). */
    if (atomic_fetch_sub(&s->in_flight, 1) == 1)
        malloc_trim(0);
}

/* Every connection gets a clock at its start; the clock goes at its end, before the socket is
 * closed. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = info ? conn_deadlines_open(s->deadlines, info->connect_fd) : NULL;
    } else {
        conn_deadlines_close(s->deadlines, *socket_context);
        *socket_context = NULL;
    }
}

static bool parse_address(const char *text, uint16_t port, struct sockaddr_storage *out, bool *ipv6)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *ipv6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *ipv6 = true;
        return true;
    }
    return false;
}

static struct MHD_Daemon *start_daemon(struct http_server *s, unsigned flags,
                                       const struct sockaddr *addr)
{
    const struct http_server_config *c = &s->config;
    /* TLS options only with TLS: libmicrohttpd refuses them on a plain daemon */
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_CERT_CALLBACK, 0, c->tls_cert_callback},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)c->tls_priorities},
        {MHD_OPTION_END, 0, NULL},
    };
    if (!c->tls_cert_callback)
        tls[0].option = MHD_OPTION_END;
    else
        flags |= MHD_USE_TLS;
    return MHD_start_daemon(
        flags, c->port, NULL, NULL, on_request, s, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)c->threads, MHD_OPTION_CONNECTION_TIMEOUT, c->connection_timeout_seconds,
        MHD_OPTION_CONNECTION_LIMIT, c->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        c->max_connections_per_ip, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        /* headers and read buffer per connection (bodies go to our own
         * buffer); MHD's 32 KiB default doubles memory at 64 connections */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, MHD_OPTION_ARRAY, tls,
        addr ? MHD_OPTION_SOCK_ADDR : MHD_OPTION_END, addr, MHD_OPTION_END);
}

struct http_server *http_server_start(const struct http_server_config *config, char *err,
                                      size_t err_size)
{
    struct sockaddr_storage addr;
    bool ipv6 = false, have_addr = config->bind_address && *config->bind_address;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (have_addr && !parse_address(config->bind_address, config->port, &addr, &ipv6)) {
        snprintf(err, err_size, "listen address \"%s\" is not an IPv4 or IPv6 literal",
                 config->bind_address);
        return NULL;
    }
    struct http_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->config = *config;
    if (s->config.threads == 0)
        s->config.threads = 1;
    if (s->config.max_connections == 0)
        s->config.max_connections = s->config.max_in_flight * 4 + 64;
    s->deadlines =
        conn_deadlines_start(config->header_timeout_seconds ? config->header_timeout_seconds
                                                            : config->connection_timeout_seconds,
                             config->request_timeout_seconds ? config->request_timeout_seconds
                                                             : config->connection_timeout_seconds);
    if (!s->deadlines) {
        snprintf(err, err_size, "cannot start the connection watchdog");
        free(s);
        return NULL;
    }
    if (have_addr)
        s->daemon = start_daemon(s, flags | (ipv6 ? MHD_USE_IPv6 : 0), (struct sockaddr *)&addr);
    else if (!(s->daemon = start_daemon(s, flags | MHD_USE_DUAL_STACK, NULL)))
        s->daemon = start_daemon(s, flags, NULL); /* no IPv6 on this host */
    if (!s->daemon) {
        snprintf(err, err_size, "cannot listen on %s:%u: %s",
                 have_addr ? config->bind_address : "*", (unsigned)config->port, strerror(errno));
        conn_deadlines_stop(s->deadlines);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : config->port;
    return s;
}

uint16_t http_server_port(const struct http_server *server)
{
    return server->port;
}

bool http_server_draining(const struct http_server *server)
{
    return atomic_load(&server->draining);
}

unsigned http_server_in_flight(const struct http_server *server)
{
    return atomic_load(&server->in_flight);
}

void http_server_connections(const struct http_server *server, struct http_connection_counts *out)
{
    struct conn_deadline_counts c;
    conn_deadlines_counts(server->deadlines, &c);
    out->open = c.open;
    out->cut_slow_headers = c.cut_headers;
    out->cut_slow_requests = c.cut_requests;
}

unsigned http_server_drain_and_stop(struct http_server *server, unsigned grace_seconds)
{
    struct timespec start, tick = {0, 10 * 1000 * 1000};
    atomic_store(&server->draining, true);
    MHD_socket listener = MHD_quiesce_daemon(server->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (atomic_load(&server->in_flight) > 0 && seconds_since(&start) < grace_seconds)
        nanosleep(&tick, NULL);
    unsigned left = atomic_load(&server->in_flight);
    MHD_stop_daemon(server->daemon);
    conn_deadlines_stop(server->deadlines);
    free(server);
    return left;
}
