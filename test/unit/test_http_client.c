/* HTTP client: the response parser on its own, then the client and libcurl fetching the same
 * raw responses from a loopback server and agreeing byte for byte (a differential test over
 * random framings: Content-Length, chunked, until-close, NUL bytes, header case, LF-only). */
#include "testlib.h"

#include "http/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- a loopback server answering every connection with `canned` ---- */

static struct {
    int fd;
    unsigned short port;
    pthread_t thread;
    const char *canned;
    size_t canned_len;
    int silent; /* accept, read, never answer */
    char request[8192];
} srv;

static void read_request(int c)
{
    size_t len = 0;
    ssize_t n;
    while (len < sizeof srv.request - 1 &&
           (n = recv(c, srv.request + len, sizeof srv.request - 1 - len, 0)) > 0) {
        len += (size_t)n;
        srv.request[len] = '\0';
        char *end = strstr(srv.request, "\r\n\r\n");
        char *cl = strcasestr(srv.request, "Content-Length:");
        if (end && (!cl || cl > end ||
                    (size_t)(end + 4 - srv.request) + strtoul(cl + 15, NULL, 10) <= len))
            break;
    }
}

static void *serve(void *unused)
{
    (void)unused;
    for (;;) {
        int c = accept(srv.fd, NULL, NULL);
        if (c < 0)
            return NULL;
        read_request(c);
        if (srv.silent) {
            sleep(2);
        } else {
            /* in pieces, so the client sees partial reads */
            for (size_t at = 0; at < srv.canned_len;) {
                size_t piece = srv.canned_len - at < 997 ? srv.canned_len - at : 997;
                ssize_t n = send(c, srv.canned + at, piece, MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                at += (size_t)n;
            }
        }
        close(c);
    }
}

static void server_start(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(srv.fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(srv.fd, 16), 0);
    getsockname(srv.fd, (struct sockaddr *)&a, &len);
    srv.port = ntohs(a.sin_port);
    srv.silent = 0;
    pthread_create(&srv.thread, NULL, serve, NULL);
}

static void server_stop(void)
{
    shutdown(srv.fd, SHUT_RDWR);
    close(srv.fd);
    pthread_join(srv.thread, NULL);
}

/* ---- the two clients ---- */

struct fetched {
    int ok;
    long status;
    char *body;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    struct fetched *f = ud;
    f->body = realloc(f->body, f->len + size * n + 1);
    memcpy(f->body + f->len, p, size * n);
    f->len += size * n;
    f->body[f->len] = '\0';
    return size * n;
}

static struct fetched with_curl(const char *url)
{
    struct fetched f = {0};
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    f.ok = curl_easy_perform(c) == CURLE_OK;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f.status);
    curl_easy_cleanup(c);
    return f;
}

static struct fetched with_client(const char *url, char *err, size_t size)
{
    struct fetched f = {0};
    struct http_client_response r;
    f.ok = http_client_request(url, "GET", NULL, NULL, 0, NULL, 5000, 1 << 22, &r, err, size) == 0;
    if (f.ok) {
        f.status = r.status;
        f.body = r.body;
        f.len = r.body_len;
    }
    return f;
}

static char *url_for(const char *path)
{
    static char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", srv.port, path);
    return url;
}

/* ---- parser ---- */

static int parse(const char *raw, struct http_client_response *r, char *err)
{
    return http_response_parse(raw, strlen(raw), 1 << 20, r, err, 128);
}

START_TEST(parses_the_three_framings)
{
    struct http_client_response r;
    char err[128];
    ck_assert_int_eq(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", &r, err), 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "hello");
    http_client_response_free(&r);
    ck_assert_int_eq(parse("HTTP/1.1 404 Not Found\r\ntransfer-encoding: Chunked\r\n\r\n"
                           "3;ext=1\r\nabc\r\n0A\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n",
                           &r, err),
                     0);
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(r.body, "abc0123456789");
    http_client_response_free(&r);
    ck_assert_int_eq(parse("HTTP/1.0 200 OK\nServer: x\n\nuntil close", &r, err), 0);
    ck_assert_str_eq(r.body, "until close");
    http_client_response_free(&r);
    ck_assert_int_eq(parse("HTTP/1.1 204\r\n\r\n", &r, err), 0);
    ck_assert_int_eq(r.status, 204);
    ck_assert_uint_eq(r.body_len, 0);
    http_client_response_free(&r);
}
END_TEST

START_TEST(keeps_nul_bytes)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\na\0b";
    struct http_client_response r;
    char err[128];
    ck_assert_int_eq(http_response_parse(raw, sizeof raw - 1, 100, &r, err, sizeof err), 0);
    ck_assert_uint_eq(r.body_len, 3);
    ck_assert_int_eq(memcmp(r.body, "a\0b", 3), 0);
    http_client_response_free(&r);
}
END_TEST

START_TEST(rejects_malformed_responses)
{
    static const struct {
        const char *raw, *reason;
    } cases[] = {
        {"", "empty response"},
        {"HTTP/1.1 2000 OK\r\n\r\n", "malformed status line"},
        {"HTTP/2 200 OK\r\n\r\n", "malformed status line"},
        {"SSH-2.0-OpenSSH\r\n\r\n", "malformed status line"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", "truncated headers"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", "truncated body"},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "malformed Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         "malformed Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n", "response body too large"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported transfer encoding"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "truncated chunked body"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n",
         "malformed chunk terminator"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
         "truncated chunked body"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n",
         "chunk size too large"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1FFFFF\r\n",
         "truncated chunked body"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct http_client_response r;
        char err[128] = "";
        ck_assert_msg(parse(cases[i].raw, &r, err) == -1, "case %zu accepted", i);
        ck_assert_msg(strcmp(err, cases[i].reason) == 0, "case %zu: \"%s\", want \"%s\"", i, err,
                      cases[i].reason);
        ck_assert_ptr_null(r.body);
    }
}
END_TEST

START_TEST(enforces_the_body_limit_on_chunks)
{
    struct http_client_response r;
    char err[128];
    const char *raw =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n";
    ck_assert_int_eq(http_response_parse(raw, strlen(raw), 6, &r, err, sizeof err), -1);
    ck_assert_str_eq(err, "response body too large");
    ck_assert_int_eq(http_response_parse(raw, strlen(raw), 8, &r, err, sizeof err), 0);
    ck_assert_str_eq(r.body, "abcdefgh");
    http_client_response_free(&r);
}
END_TEST

/* ---- differential against libcurl ---- */

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

static void recase(char *name)
{
    for (char *c = name; *c; c++)
        if (rnd(2))
            *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
}

/* A random valid response: returns its raw text (malloc'd) and the body it carries. */
static char *random_response(size_t *raw_len, char **body, size_t *body_len)
{
    static const long statuses[] = {200, 201, 400, 404, 500, 503};
    size_t n = rnd(4) == 0 ? rnd(70000) : rnd(300);
    *body = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        (*body)[i] = (char)rnd(256);
    *body_len = n;
    char *raw = malloc(n * 2 + 4096), name[32];
    const char *eol = rnd(5) == 0 ? "\n" : "\r\n";
    size_t at = (size_t)sprintf(raw, "HTTP/1.%u %ld Whatever%sServer: test%s", rnd(2),
                                statuses[rnd(6)], eol, eol);
    unsigned framing = rnd(3);
    if (framing == 0) {
        strcpy(name, "content-length");
        recase(name);
        at += (size_t)sprintf(raw + at, "%s: %zu%s%s", name, n, eol, eol);
        memcpy(raw + at, *body, n);
        at += n;
    } else if (framing == 1) {
        strcpy(name, "transfer-encoding");
        recase(name);
        at += (size_t)sprintf(raw + at, "%s: chunked%s%s", name, eol, eol);
        for (size_t done = 0; done < n;) {
            size_t piece = 1 + rnd(n - done < 5000 ? (unsigned)(n - done) : 5000);
            at += (size_t)sprintf(raw + at, rnd(2) ? "%zx%s\r\n" : "%zX%s\r\n", piece,
                                  rnd(4) ? "" : ";name=value");
            memcpy(raw + at, *body + done, piece);
            at += piece;
            at += (size_t)sprintf(raw + at, "\r\n");
            done += piece;
        }
        at += (size_t)sprintf(raw + at, "0\r\n%s\r\n", rnd(3) ? "" : "X-Trailer: t\r\n");
    } else {
        at += (size_t)sprintf(raw + at, "%s", eol);
        memcpy(raw + at, *body, n);
        at += n;
    }
    *raw_len = at;
    return raw;
}

START_TEST(agrees_with_libcurl_on_random_responses)
{
    rng_state = 20261123;
    server_start();
    for (int i = 0; i < 300; i++) {
        size_t raw_len, body_len;
        char *body, err[128] = "";
        char *raw = random_response(&raw_len, &body, &body_len);
        srv.canned = raw;
        srv.canned_len = raw_len;
        struct fetched a = with_curl(url_for("/x")),
                       b = with_client(url_for("/x"), err, sizeof err);
        ck_assert_msg(a.ok && b.ok, "case %d: curl %d, client %d (%s)", i, a.ok, b.ok, err);
        ck_assert_int_eq(a.status, b.status);
        ck_assert_uint_eq(a.len, body_len);
        ck_assert_uint_eq(b.len, body_len);
        ck_assert_msg(memcmp(a.body ? a.body : "", body, body_len) == 0, "curl body %d", i);
        ck_assert_msg(memcmp(b.body, body, body_len) == 0, "client body %d", i);
        free(a.body);
        free(b.body);
        free(body);
        free(raw);
    }
    server_stop();
}
END_TEST

START_TEST(fails_where_libcurl_fails)
{
    static const char *const broken[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
        "garbage that is not HTTP\r\n\r\n",
    };
    server_start();
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        char err[128] = "";
        srv.canned = broken[i];
        srv.canned_len = strlen(broken[i]);
        struct fetched a = with_curl(url_for("/")), b = with_client(url_for("/"), err, sizeof err);
        ck_assert_msg(!a.ok && !b.ok, "case %zu: curl ok %d, client ok %d", i, a.ok, b.ok);
        ck_assert_str_ne(err, "");
        free(a.body);
    }
    server_stop();
}
END_TEST

START_TEST(sends_method_body_and_headers)
{
    char err[128];
    struct http_client_response r;
    const char *headers[] = {"Authorization: Bearer abc", NULL};
    server_start();
    srv.canned = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    srv.canned_len = strlen(srv.canned);
    ck_assert_int_eq(http_client_request(url_for("/json_rpc"), "POST", "application/json",
                                         "{\"a\":1}", 7, headers, 2000, 100, &r, err, sizeof err),
                     0);
    ck_assert_str_eq(r.body, "{}");
    http_client_response_free(&r);
    ck_assert_ptr_nonnull(strstr(srv.request, "POST /json_rpc HTTP/1.1\r\n"));
    ck_assert_ptr_nonnull(strstr(srv.request, "Content-Type: application/json\r\n"));
    ck_assert_ptr_nonnull(strstr(srv.request, "Content-Length: 7\r\n"));
    ck_assert_ptr_nonnull(strstr(srv.request, "Authorization: Bearer abc\r\n"));
    ck_assert_ptr_nonnull(strstr(srv.request, "Connection: close\r\n"));
    ck_assert_ptr_nonnull(strstr(srv.request, "\r\n\r\n{\"a\":1}"));
    server_stop();
}
END_TEST

START_TEST(times_out_and_reports_unreachable_servers)
{
    char err[128];
    struct http_client_response r;
    struct timespec t0, t1;
    server_start();
    srv.silent = 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(http_client_request(url_for("/"), "GET", NULL, NULL, 0, NULL, 300, 100, &r,
                                         err, sizeof err),
                     -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_str_eq(err, "timed out waiting for the answer");
    ck_assert_msg(took >= 0.29 && took < 1.5 * test_time_multiplier(), "took %.3f s", took);
    unsigned short port = srv.port;
    server_stop();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
    ck_assert_int_eq(
        http_client_request(url, "GET", NULL, NULL, 0, NULL, 300, 100, &r, err, sizeof err), -1);
    ck_assert_str_eq(err, "cannot connect: Connection refused");
    ck_assert_int_eq(http_client_request("https://127.0.0.1/", "GET", NULL, NULL, 0, NULL, 300, 100,
                                         &r, err, sizeof err),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "unsupported URL"));
}
END_TEST

Suite *http_client_suite(void)
{
    Suite *s = suite_create("http_client");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, parses_the_three_framings);
    tcase_add_test(t, keeps_nul_bytes);
    tcase_add_test(t, rejects_malformed_responses);
    tcase_add_test(t, enforces_the_body_limit_on_chunks);
    tcase_add_test(t, agrees_with_libcurl_on_random_responses);
    tcase_add_test(t, fails_where_libcurl_fails);
    tcase_add_test(t, sends_method_body_and_headers);
    tcase_add_test(t, times_out_and_reports_unreachable_servers);
    suite_add_tcase(s, t);
    return s;
}
