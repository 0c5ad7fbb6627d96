/* http_response: parsing of complete HTTP/1.x responses for http_client (see http_client.h). */
#include "http/http_client.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_client_response_free(struct http_client_response *r)
{
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
}

static int error(char *err, size_t size, const char *what)
{
    snprintf(err, size, "%s", what);
    return -1;
}

/* Finds the end of the header block ("\r\n\r\n", or "\n\n" from lenient servers). */
static const char *headers_end(const char *raw, size_t len, size_t *sep)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (raw[i] == '\n' && raw[i + 1] == '\n') {
            *sep = 2;
            return raw + i;
        }
        if (i + 3 < len && memcmp(raw + i, "\r\n\r\n", 4) == 0) {
            *sep = 4;
            return raw + i;
        }
    }
    return NULL;
}

/* The value of header `name` (case-insensitive) within [start, end), copied into out. */
static int header(const char *start, const char *end, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *line = start; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        if ((size_t)(eol - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1, *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            snprintf(out, size, "%.*s", (int)(ve - v), v);
            return 1;
        }
        line = eol + 1;
    }
    return 0;
}

static int parse_status(const char *raw, size_t len, long *status)
{
    if (len < 12 || strncmp(raw, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)raw[7]) ||
        raw[8] != ' ')
        return -1;
    for (int i = 9; i < 12; i++)
        if (!isdigit((unsigned char)raw[i]))
            return -1;
    if (len > 12 && raw[12] != ' ' && raw[12] != '\r' && raw[12] != '\n')
        return -1;
    *status = (raw[9] - '0') * 100 + (raw[10] - '0') * 10 + (raw[11] - '0');
    return 0;
}

static int set_body(struct http_client_response *out, const char *data, size_t len)
{
    out->body = malloc(len + 1);
    if (!out->body)
        return -1;
    memcpy(out->body, data, len);
    out->body[len] = '\0';
    out->body_len = len;
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes a chunked body in place into out; trailers after the last chunk are ignored. */
static int dechunk(const char *p, const char *end, size_t max_body,
                   struct http_client_response *out, char *err, size_t size)
{
    size_t cap = 0;
    for (;;) {
        size_t n = 0;
        int digits = 0, d;
        if (p >= end)
            return error(err, size, "truncated chunked body");
        while (p < end && (d = hex_digit(*p)) >= 0) {
            if (n > (SIZE_MAX >> 4))
                return error(err, size, "chunk size too large");
            n = n * 16 + (size_t)d;
            p++;
            digits++;
        }
        if (!digits)
            return error(err, size, "malformed chunk size");
        const char *eol = memchr(p, '\n', (size_t)(end - p)); /* skips chunk extensions */
        if (!eol)
            return error(err, size, "truncated chunked body");
        p = eol + 1;
        if (n == 0)
            break;
        if ((size_t)(end - p) < n)
            return error(err, size, "truncated chunked body");
        if (out->body_len + n > max_body)
            return error(err, size, "response body too large");
        if (out->body_len + n + 1 > cap) {
            cap = (out->body_len + n + 1) * 2;
            char *grown = realloc(out->body, cap);
            if (!grown)
                return error(err, size, "out of memory");
            out->body = grown;
        }
        memcpy(out->body + out->body_len, p, n);
        out->body_len += n;
        out->body[out->body_len] = '\0';
        p += n;
        if (p < end && *p == '\r')
            p++;
        if (p >= end || *p != '\n')
            return error(err, size, "malformed chunk terminator");
        p++;
    }
    return out->body ? 0 : set_body(out, "", 0) == 0 ? 0 : error(err, size, "out of memory");
}

/* Parses Content-Length strictly: digits only, no overflow. */
static int parse_length(const char *text, size_t *length)
{
    size_t n = 0;
    if (!*text)
        return -1;
    for (const char *c = text; *c; c++) {
        if (!isdigit((unsigned char)*c) || n > (SIZE_MAX - 9) / 10)
            return -1;
        n = n * 10 + (size_t)(*c - '0');
    }
    *length = n;
    return 0;
}

int http_response_parse(const char *raw, size_t len, size_t max_body,
                        struct http_client_response *out, char *err, size_t err_size)
{
    size_t sep = 0, length = 0;
    char value[64];
    memset(out, 0, sizeof *out);
    if (parse_status(raw, len, &out->status) < 0)
        return error(err, err_size, len ? "malformed status line" : "empty response");
    const char *head_end = headers_end(raw, len, &sep);
    if (!head_end)
        return error(err, err_size, "truncated headers");
    const char *body = head_end + sep, *end = raw + len;
    int rc = 0;
    if (header(raw, head_end, "Transfer-Encoding", value, sizeof value) &&
        strcasecmp(value, "identity") != 0) {
        if (strcasecmp(value, "chunked") != 0)
            return error(err, err_size, "unsupported transfer encoding");
        rc = dechunk(body, end, max_body, out, err, err_size);
    } else if (header(raw, head_end, "Content-Length", value, sizeof value)) {
        if (parse_length(value, &length) < 0)
            return error(err, err_size, "malformed Content-Length");
        if (length > max_body)
            return error(err, err_size, "response body too large");
        if ((size_t)(end - body) < length)
            return error(err, err_size, "truncated body");
        rc = set_body(out, body, length) == 0 ? 0 : error(err, err_size, "out of memory");
    } else {
        if ((size_t)(end - body) > max_body)
            return error(err, err_size, "response body too large");
        rc = set_body(out, body, (size_t)(end - body)) == 0 ? 0
                                                            : error(err, err_size, "out of memory");
    }
    if (rc < 0)
        http_client_response_free(out);
    return rc;
}
