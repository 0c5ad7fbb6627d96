/* http_client: one plain-HTTP/1.1 request per connection, with a whole-call deadline (see
 * http_client.h). Only the transport lives here; http_response.c parses what arrives. */
#include "http/http_client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER_SLACK 65536

struct url_parts {
    char host[256], port[8], path[1024];
};

static int fail(char *err, size_t size, const char *what, const char *detail)
{
    snprintf(err, size, detail ? "%s: %s" : "%s", what, detail);
    return -1;
}

static int parse_url(const char *url, struct url_parts *u)
{
    if (strncmp(url, "http://", 7) != 0)
        return -1;
    const char *host = url + 7, *host_end, *rest;
    if (*host == '[') {
        host_end = strchr(host, ']');
        if (!host_end)
            return -1;
        host++;
        rest = host_end + 1;
    } else {
        host_end = host + strcspn(host, ":/");
        rest = host_end;
    }
    if (host_end == host || (size_t)(host_end - host) >= sizeof u->host)
        return -1;
    snprintf(u->host, sizeof u->host, "%.*s", (int)(host_end - host), host);
    snprintf(u->port, sizeof u->port, "80");
    if (*rest == ':') {
        size_t n = strspn(rest + 1, "0123456789");
        if (n == 0 || n >= sizeof u->port)
            return -1;
        snprintf(u->port, sizeof u->port, "%.*s", (int)n, rest + 1);
        rest += 1 + n;
    }
    if (*rest && *rest != '/')
        return -1;
    snprintf(u->path, sizeof u->path, "%s", *rest ? rest : "/");
    return strlen(rest) < sizeof u->path ? 0 : -1;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Waits for `events` on fd until the deadline; 0 when ready, -1 on timeout or error. */
static int wait_for(int fd, short events, long deadline)
{
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, (int)left);
        if (rc > 0)
            return 0;
        if (rc == 0 || errno != EINTR)
            return -1;
    }
}

static int connect_to(const struct url_parts *u, long deadline, char *err, size_t size)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
    int gai = getaddrinfo(u->host, u->port, &hints, &res);
    if (gai != 0)
        return fail(err, size, "cannot resolve host", gai_strerror(gai));
    int fd = -1, last_errno = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int rc = connect(fd, a->ai_addr, a->ai_addrlen), so_error = 0;
        socklen_t len = sizeof so_error;
        if (rc < 0 && errno == EINPROGRESS && wait_for(fd, POLLOUT, deadline) == 0 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error == 0)
            rc = 0;
        else if (rc < 0)
            last_errno = so_error ? so_error : errno == EINPROGRESS ? ETIMEDOUT : errno;
        if (rc < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        return fail(err, size, "cannot connect", strerror(last_errno ? last_errno : ECONNREFUSED));
    return fd;
}

static int send_all(int fd, const char *data, size_t len, long deadline)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return -1;
        } else if (wait_for(fd, POLLOUT, deadline) < 0) {
            return -1;
        }
    }
    return 0;
}

static char *build_request(const struct url_parts *u, const char *method, const char *content_type,
                           size_t body_len, const char *const *headers, size_t *len)
{
    size_t cap = 512 + strlen(u->path) + strlen(u->host);
    for (const char *const *h = headers; h && *h; h++)
        cap += strlen(*h) + 2;
    char *req = malloc(cap);
    if (!req)
        return NULL;
    int at = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\nConnection: close\r\n",
                      method, u->path, strchr(u->host, ':') ? "[" : "", u->host,
                      strchr(u->host, ':') ? "]" : "", u->port);
    if (content_type)
        at += snprintf(req + at, cap - (size_t)at, "Content-Type: %s\r\n", content_type);
    if (body_len || strcmp(method, "POST") == 0)
        at += snprintf(req + at, cap - (size_t)at, "Content-Length: %zu\r\n", body_len);
    for (const char *const *h = headers; h && *h; h++)
        at += snprintf(req + at, cap - (size_t)at, "%s\r\n", *h);
    at += snprintf(req + at, cap - (size_t)at, "\r\n");
    *len = (size_t)at;
    return req;
}

/* True once a Content-Length response is complete, so a server that ignores "Connection:
 * close" cannot hold the call until its deadline. */
static int complete(const char *raw, size_t len)
{
    const char *end = memmem(raw, len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    for (const char *line = raw; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        if (eol - line > 15 && strncasecmp(line, "Content-Length:", 15) == 0)
            return (size_t)(end + 4 - raw) + strtoull(line + 15, NULL, 10) <= len;
        if (eol - line > 18 && strncasecmp(line, "Transfer-Encoding:", 18) == 0)
            return 0;
        line = eol + 1;
    }
    return 0;
}

static int receive_all(int fd, size_t limit, long deadline, char **raw, size_t *len)
{
    size_t cap = 16384;
    *len = 0;
    *raw = malloc(cap);
    if (!*raw)
        return -1;
    for (;;) {
        if (*len == cap) {
            if (cap >= limit)
                return -2;
            char *grown = realloc(*raw, cap * 2);
            if (!grown)
                return -1;
            *raw = grown;
            cap *= 2;
        }
        ssize_t n = recv(fd, *raw + *len, cap - *len, 0);
        if (n > 0) {
            *len += (size_t)n;
            if (complete(*raw, *len))
                return 0;
        } else if (n == 0) {
            return 0;
        } else if ((errno != EAGAIN && errno != EINTR) || wait_for(fd, POLLIN, deadline) < 0) {
            return -1;
        }
    }
}

int http_client_request(const char *url, const char *method, const char *content_type,
                        const char *body, size_t body_len, const char *const *headers,
                        long timeout_ms, size_t max_body, struct http_client_response *out,
                        char *err, size_t err_size)
{
    struct url_parts u;
    long deadline = now_ms() + timeout_ms;
    memset(out, 0, sizeof *out);
    if (parse_url(url, &u) < 0)
        return fail(err, err_size, "unsupported URL (want http://host[:port]/path)", NULL);
    int fd = connect_to(&u, deadline, err, err_size);
    if (fd < 0)
        return -1;
    size_t req_len, raw_len = 0;
    char *req = build_request(&u, method, content_type, body_len, headers, &req_len), *raw = NULL;
    int rc = -1;
    if (!req)
        fail(err, err_size, "out of memory", NULL);
    else if (send_all(fd, req, req_len, deadline) < 0 ||
             (body_len && send_all(fd, body, body_len, deadline) < 0))
        fail(err, err_size, now_ms() >= deadline ? "timed out sending" : "send failed", NULL);
    else if ((rc = receive_all(fd, max_body + HEADER_SLACK, deadline, &raw, &raw_len)) < 0)
        fail(err, err_size,
             rc == -2               ? "response body too large"
             : now_ms() >= deadline ? "timed out waiting for the answer"
                                    : "receive failed",
             NULL);
    else
        rc = http_response_parse(raw, raw_len, max_body, out, err, err_size);
    free(req);
    free(raw);
    close(fd);
    return rc;
}
