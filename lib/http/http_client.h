/*
 * http_client: a minimal HTTP/1.1 client for plain-HTTP APIs on loopback (monerod's RPC,
 * xmrig's API), used where libcurl's footprint matters.
 *
 * Why it exists: the metrics sidecar runs in every node pod and must stay under 5 MiB of
 * resident memory; loading libcurl and the libraries it links (TLS, Kerberos, LDAP, SSH, ...)
 * adds about 5.5 MiB by itself (measured in docs/bench.md). This client does one request per
 * connection (Connection: close), plain http only, with a whole-call timeout, and reads
 * Content-Length, chunked or until-close bodies. Its response parser is a pure function,
 * tested against libcurl on the same responses and fuzzed.
 */
#ifndef MONERO_OPERATOR_HTTP_CLIENT_H
#define MONERO_OPERATOR_HTTP_CLIENT_H

#include <stddef.h>

struct http_client_response {
    long status;
    char *body; /* malloc'd, NUL-terminated (may contain NULs before body_len) */
    size_t body_len;
};

/*
 * Sends `method` to `url` ("http://host:port/path"; host may be a name, an IPv4 literal or
 * [IPv6]) with an optional body and extra header lines ("Name: value", NULL-terminated list).
 * Returns 0 with the response, or -1 with a one-line reason in err.
 */
int http_client_request(const char *url, const char *method, const char *content_type,
                        const char *body, size_t body_len, const char *const *headers,
                        long timeout_ms, size_t max_body, struct http_client_response *out,
                        char *err, size_t err_size);

/* Parses a complete raw response (status line, headers, body) as read until the server closed
 * the connection. Returns 0, or -1 with err. */
int http_response_parse(const char *raw, size_t len, size_t max_body,
                        struct http_client_response *out, char *err, size_t err_size);

void http_client_response_free(struct http_client_response *r);

#endif
