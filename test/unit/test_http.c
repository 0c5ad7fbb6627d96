/* HTTP: the real server on an ephemeral loopback port: routing, limits, backpressure, drain. */
#include "testlib.h"

#include "http/http_server.h"
#include "src/router.h"
#include "src/server_metrics.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct router router;
static struct http_server *server;

static void start(size_t max_body, unsigned max_in_flight)
{
    char err[256];
    router.defaults = hook_builtin_defaults;
    router.metrics = server_metrics_new();
    struct http_server_config c = {.bind_address = "127.0.0.1",
                                   .threads = 4,
                                   .max_body_bytes = max_body,
                                   .max_in_flight = max_in_flight,
                                   .connection_timeout_seconds = 5,
                                   .handler = router_handle,
                                   .observer = router_observe,
                                   .ctx = &router};
    server = router.server = http_server_start(&c, err, sizeof err);
    ck_assert_msg(server != NULL, "%s", err);
}

static void stop(void)
{
    ck_assert_uint_eq(http_server_drain_and_stop(server, 5), 0);
    server_metrics_free(router.metrics);
}

struct buf {
    char *data;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    b->data = realloc(b->data, b->len + size * n + 1);
    memcpy(b->data + b->len, p, size * n);
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

/* Performs a request; returns the status, body in *out (caller frees), headers in *headers. */
static long http(const char *method, const char *path, const char *body, const char *ctype,
                 char **out, char **headers)
{
    char url[256];
    struct buf b = {0}, h = {0};
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", http_server_port(server), path);
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = NULL;
    if (ctype) {
        char line[128];
        snprintf(line, sizeof line, "Content-Type: %s", ctype);
        hdr = curl_slist_append(hdr, line);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
    long status;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    if (out)
        *out = b.data;
    else
        free(b.data);
    if (headers)
        *headers = h.data;
    else
        free(h.data);
    return status;
}

static const char *valid_request =
    "{\"parent\": {\"apiVersion\": \"utxo.com.br/v1alpha1\", \"kind\": \"MoneroNodeSet\", "
    "\"metadata\": {\"name\": \"nodes\", \"namespace\": \"default\"}, \"spec\": {\"replicas\": 2}},"
    " \"children\": {\"Service.v1\": {}, \"StatefulSet.apps/v1\": {}, "
    "\"PodDisruptionBudget.policy/v1\": {}, \"NetworkPolicy.networking.k8s.io/v1\": {}}}";

START_TEST(routes_and_errors)
{
    char *body, *headers;
    start(1 << 20, 64);
    ck_assert_int_eq(http("GET", "/healthz", NULL, NULL, NULL, NULL), 200);
    ck_assert_int_eq(http("GET", "/readyz", NULL, NULL, NULL, NULL), 200);
    ck_assert_int_eq(
        http("POST", "/hooks/moneronodeset/sync", valid_request, "application/json", &body, NULL),
        200);
    json_t *resp = json_loads(body, 0, NULL);
    ck_assert_uint_eq(json_array_size(json_object_get(resp, "children")), 4);
    json_decref(resp);
    free(body);
    ck_assert_int_eq(
        http("POST", "/hooks/moneronodeset/sync", "{oops", "application/json", &body, NULL), 400);
    ck_assert_ptr_nonnull(strstr(body, "invalid JSON"));
    ck_assert_ptr_eq(strchr(body, '\n'), body + strlen(body) - 1); /* one line */
    free(body);
    ck_assert_int_eq(http("POST", "/hooks/nosuch/sync", "{}", NULL, NULL, NULL), 404);
    ck_assert_int_eq(http("GET", "/nowhere", NULL, NULL, NULL, NULL), 404);
    ck_assert_int_eq(http("GET", "/hooks/moneronodeset/sync", NULL, NULL, NULL, &headers), 405);
    ck_assert_ptr_nonnull(strstr(headers, "Allow: POST"));
    free(headers);
    ck_assert_int_eq(http("DELETE", "/healthz", NULL, NULL, NULL, NULL), 405);
    ck_assert_int_eq(
        http("POST", "/hooks/moneronodeset/sync", valid_request, "text/plain", NULL, NULL), 415);
    ck_assert_int_eq(http("GET", "/metrics", NULL, NULL, &body, NULL), 200);
    ck_assert_ptr_nonnull(strstr(body, "monero_operator_http_requests_total{hook=\"moneronodeset\","
                                       "code=\"200\"} 1"));
    free(body);
    stop();
}
END_TEST

START_TEST(oversized_bodies_get_413)
{
    start(4096, 64);
    char *big = malloc(10000);
    memset(big, ' ', 9999);
    big[9999] = '\0';
    big[0] = '{';
    ck_assert_int_eq(http("POST", "/hooks/moneronodeset/sync", big, "application/json", NULL, NULL),
                     413);
    free(big);
    ck_assert_int_eq(http("GET", "/healthz", NULL, NULL, NULL, NULL), 200); /* still serving */
    stop();
}
END_TEST

static bool request_in_flight(void *arg)
{
    (void)arg;
    return http_server_in_flight(server) >= 1;
}

static bool server_draining(void *arg)
{
    (void)arg;
    return http_server_draining(server);
}

/* A raw connection that sends headers and part of a body, then waits until the server counts
 * it in flight (no guessed sleep: under valgrind that takes far longer). */
static int start_partial_request(size_t content_length, const char *first_part)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(http_server_port(server))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char head[256];
    int n = snprintf(head, sizeof head,
                     "POST /hooks/moneronodeset/sync HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     content_length, first_part);
    ck_assert_int_eq(write(fd, head, (size_t)n), n);
    ck_assert_msg(test_wait_for(request_in_flight, NULL, 5),
                  "the partial request never got in flight");
    return fd;
}

static int read_status(int fd)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    ck_assert_int_gt(n, 12);
    buf[n] = '\0';
    return atoi(buf + 9);
}

START_TEST(busy_server_answers_429_with_retry_after)
{
    char *headers;
    start(1 << 20, 1);
    int held = start_partial_request(strlen(valid_request), "{");
    ck_assert_int_eq(http("POST", "/hooks/moneronodeset/sync", valid_request, "application/json",
                          NULL, &headers),
                     429);
    ck_assert_ptr_nonnull(strstr(headers, "Retry-After: 1"));
    free(headers);
    ck_assert_int_eq(write(held, valid_request + 1, strlen(valid_request) - 1),
                     (ssize_t)strlen(valid_request) - 1);
    ck_assert_int_eq(read_status(held), 200);
    close(held);
    stop();
}
END_TEST

struct drain_args {
    unsigned left;
};

static void *drain_thread(void *p)
{
    ((struct drain_args *)p)->left = http_server_drain_and_stop(server, 5);
    return NULL;
}

START_TEST(drain_finishes_requests_in_flight)
{
    start(1 << 20, 64);
    int held = start_partial_request(strlen(valid_request), "{");
    struct drain_args args = {99};
    pthread_t t;
    pthread_create(&t, NULL, drain_thread, &args);
    ck_assert_msg(test_wait_for(server_draining, NULL, 5), "the server never started draining");
    ck_assert_int_eq(write(held, valid_request + 1, strlen(valid_request) - 1),
                     (ssize_t)strlen(valid_request) - 1);
    ck_assert_int_eq(read_status(held), 200);
    pthread_join(t, NULL);
    ck_assert_uint_eq(args.left, 0);
    close(held);
    server_metrics_free(router.metrics);
}
END_TEST

static void *post_many(void *p)
{
    (void)p;
    for (int i = 0; i < 50; i++) {
        char *body;
        ck_assert_int_eq(http("POST", "/hooks/moneronodeset/sync", valid_request,
                              "application/json", &body, NULL),
                         200);
        free(body);
    }
    return NULL;
}

START_TEST(concurrent_requests)
{
    start(1 << 20, 256);
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, post_many, NULL);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    stop();
}
END_TEST

Suite *http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, routes_and_errors);
    tcase_add_test(tc, oversized_bodies_get_413);
    tcase_add_test(tc, busy_server_answers_429_with_retry_after);
    tcase_add_test(tc, drain_finishes_requests_in_flight);
    tcase_add_test(tc, concurrent_requests);
    suite_add_tcase(s, tc);
    return s;
}
