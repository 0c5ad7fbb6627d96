/* bootstrap.fromSibling: what the hooks render for it (children, pod parts, the token kept
 * once made), and the copy's stream trailer and token check of monero-bootstrap. */
#include "testlib.h"

#include "bootstrap/sources.h"
#include "bootstrap/stream.h"
#include "identity/base64.h"
#include "src/token.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIBLING "\"bootstrap\": {\"fromSibling\": true}"

static json_t *pod_list(json_t *resp, const char *set, const char *list)
{
    json_t *sts = test_find_child(resp, "StatefulSet", set);
    ck_assert_ptr_nonnull(sts);
    return jsonx_array(jsonx_path(sts, "spec.template.spec"), list);
}

static json_t *named(json_t *list, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) if (strcmp(jsonx_string(c, "name"), name) == 0) return c;
    return NULL;
}

START_TEST(from_sibling_renders_the_copy_and_its_guards)
{
    json_t *resp =
        test_sync_ok("moneronodeset", test_request("MoneroNodeSet", "nodes",
                                                   "{\"replicas\": 3, \"network\": \"testnet\", "
                                                   "\"bootstrap\": {\"fromSibling\": true, "
                                                   "\"rateLimitMBps\": 50, \"attempts\": 4}}",
                                                   NULL));
    /* the init step comes first and reads the testnet database folder */
    json_t *init = json_array_get(pod_list(resp, "nodes", "initContainers"), 0);
    ck_assert_str_eq(jsonx_string(init, "name"), "bootstrap");
    ck_assert_str_eq(json_string_value(json_array_get(jsonx_array(init, "command"), 0)),
                     "monero-bootstrap");
    ck_assert(test_args_contain(init, "fetch"));
    ck_assert(test_args_contain(init, "--lmdb=/data/testnet/lmdb"));
    ck_assert(test_args_contain(init, "--from=nodes-bootstrap:18090"));
    ck_assert(test_args_contain(init, "--rpc-port=28089"));
    ck_assert(test_args_contain(init, "--attempts=4"));
    json_t *sidecar = named(pod_list(resp, "nodes", "containers"), "bootstrap-serve");
    ck_assert_ptr_nonnull(sidecar);
    ck_assert(test_args_contain(sidecar, "serve"));
    ck_assert(test_args_contain(sidecar, "--rate-limit-mb=50"));
    ck_assert(test_args_contain(sidecar, "--lmdb=/data/testnet/lmdb"));
    ck_assert_ptr_nonnull(named(pod_list(resp, "nodes", "volumes"), "bootstrap-token"));
    /* init steps and containers share one namespace of names (the API server refuses repeats) */
    json_t *all = json_deep_copy(pod_list(resp, "nodes", "initContainers"));
    json_array_extend(all, pod_list(resp, "nodes", "containers"));
    for (size_t i = 0; i < json_array_size(all); i++)
        for (size_t j = i + 1; j < json_array_size(all); j++)
            ck_assert_str_ne(jsonx_string(json_array_get(all, i), "name"),
                             jsonx_string(json_array_get(all, j), "name"));
    json_decref(all);
    /* one PID namespace, so LMDB's per-pid reader locks of monerod and the sidecar differ */
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    ck_assert(json_is_true(jsonx_path(sts, "spec.template.spec.shareProcessNamespace")));
    /* siblings are found through a headless Service of Ready pods only */
    json_t *svc = test_find_child(resp, "Service", "nodes-bootstrap");
    ck_assert_ptr_nonnull(svc);
    ck_assert_str_eq(jsonx_string(jsonx_object(svc, "spec"), "clusterIP"), "None");
    ck_assert_ptr_null(jsonx_path(svc, "spec.publishNotReadyAddresses")); /* default: Ready only */
    /* the copy port admits the set's own pods only; the other ports stay open */
    json_t *np = test_find_child(resp, "NetworkPolicy", "nodes-bootstrap");
    ck_assert_ptr_nonnull(np);
    json_t *rules = jsonx_path(np, "spec.ingress");
    ck_assert_int_eq(json_array_size(rules), 2);
    json_t *copy = json_array_get(rules, 0);
    ck_assert_int_eq(
        json_integer_value(jsonx_path(json_array_get(jsonx_array(copy, "ports"), 0), "port")),
        18090);
    ck_assert_ptr_nonnull(jsonx_path(json_array_get(jsonx_array(copy, "from"), 0), "podSelector"));
    json_t *rest = jsonx_array(json_array_get(rules, 1), "ports");
    ck_assert_int_eq(json_integer_value(jsonx_path(json_array_get(rest, 0), "endPort")), 18089);
    ck_assert_int_eq(json_integer_value(jsonx_path(json_array_get(rest, 1), "port")), 18091);
    ck_assert_ptr_null(json_object_get(json_array_get(rules, 1), "from"));
    json_decref(resp);
}
END_TEST

static const char *token_of(json_t *resp)
{
    json_t *secret = test_find_child(resp, "Secret", "nodes-bootstrap");
    ck_assert_ptr_nonnull(secret);
    return jsonx_string(json_object_get(secret, "data"), "token");
}

/* A token is made once; once observed it is kept byte for byte (pods mount it). */
START_TEST(the_token_is_random_once_then_kept)
{
    json_t *a = test_sync_ok("moneronodeset",
                             test_request("MoneroNodeSet", "nodes", "{" SIBLING "}", NULL));
    json_t *b = test_sync_ok("moneronodeset",
                             test_request("MoneroNodeSet", "nodes", "{" SIBLING "}", NULL));
    uint8_t raw[128];
    long len = base64_decode(token_of(a), raw, sizeof raw);
    ck_assert_int_eq(len, 64);
    for (long i = 0; i < len; i++)
        ck_assert(strchr("0123456789abcdef", raw[i]) != NULL);
    ck_assert_str_ne(token_of(a), token_of(b));
    json_t *observed = test_as_observed(a);
    char *children = json_dumps(observed, JSON_COMPACT);
    json_t *c = test_sync_ok("moneronodeset",
                             test_request("MoneroNodeSet", "nodes", "{" SIBLING "}", children));
    ck_assert_str_eq(token_of(c), token_of(a));
    free(children);
    json_decref(observed);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}
END_TEST

START_TEST(without_it_nothing_is_added)
{
    json_t *resp =
        test_sync_ok("moneronodeset", test_request("MoneroNodeSet", "nodes", "{}", NULL));
    ck_assert_ptr_null(test_find_child(resp, "Secret", "nodes-bootstrap"));
    ck_assert_ptr_null(test_find_child(resp, "Service", "nodes-bootstrap"));
    ck_assert_ptr_null(test_find_child(resp, "NetworkPolicy", "nodes-bootstrap"));
    ck_assert_ptr_null(named(pod_list(resp, "nodes", "containers"), "bootstrap-serve"));
    ck_assert_ptr_null(jsonx_path(test_find_child(resp, "StatefulSet", "nodes"),
                                  "spec.template.spec.shareProcessNamespace"));
    json_decref(resp);
}
END_TEST

/* A tor-only node may reach nothing but tor relays; the copy goes pod to pod, so its policy
 * lets the siblings' copy and RPC ports and cluster DNS through. */
START_TEST(tor_only_sets_may_still_reach_their_siblings)
{
    json_t *resp = test_sync_ok(
        "moneronodeset",
        test_request("MoneroNodeSet", "nodes",
                     "{\"tor\": {\"enabled\": true, \"only\": true}, " SIBLING "}", NULL));
    json_t *np = test_find_child(resp, "NetworkPolicy", "nodes-tor-only");
    ck_assert_ptr_nonnull(np);
    json_t *egress = jsonx_path(np, "spec.egress");
    ck_assert_int_eq(json_array_size(egress), 3);
    json_t *siblings = json_array_get(egress, 1);
    ck_assert_ptr_nonnull(
        jsonx_path(json_array_get(jsonx_array(siblings, "to"), 0), "podSelector"));
    ck_assert_int_eq(
        json_integer_value(jsonx_path(json_array_get(jsonx_array(siblings, "ports"), 0), "port")),
        18090);
    ck_assert_int_eq(
        json_integer_value(jsonx_path(json_array_get(jsonx_array(siblings, "ports"), 1), "port")),
        18089);
    json_decref(resp);
}
END_TEST

START_TEST(network_nodes_copy_from_each_other)
{
    json_t *resp = test_sync_ok(
        "moneronetwork",
        test_request("MoneroNetwork", "net",
                     "{\"replicas\": 3, \"template\": {\"spec\": {" SIBLING "}}}", NULL));
    json_t *init = json_array_get(pod_list(resp, "net", "initContainers"), 0);
    ck_assert_str_eq(jsonx_string(init, "name"), "bootstrap");
    ck_assert(test_args_contain(init, "--lmdb=/data/fake/lmdb")); /* regtest */
    ck_assert(test_args_contain(init, "--from=net-bootstrap:18090"));
    ck_assert_ptr_nonnull(test_find_child(resp, "NetworkPolicy", "net-bootstrap"));
    ck_assert_ptr_nonnull(test_find_child(resp, "Secret", "net-bootstrap"));
    json_decref(resp);
}
END_TEST

/* The receiver must find the trailer however the body is cut into pieces. */
static void feed_in_pieces(const uint8_t *body, size_t len, size_t piece, int expect_ok)
{
    char *file = NULL;
    size_t file_len = 0;
    FILE *out = open_memstream(&file, &file_len);
    struct stream_reader r;
    ck_assert_int_eq(stream_reader_init(&r, out), 0);
    for (size_t at = 0; at < len; at += piece)
        ck_assert_int_eq(stream_reader_feed(&r, body + at, len - at < piece ? len - at : piece), 0);
    char why[256] = "";
    int rc = stream_reader_finish(&r, why, sizeof why);
    stream_reader_release(&r);
    fclose(out);
    ck_assert_msg((rc == 0) == expect_ok, "piece %zu: %s", piece, why);
    if (expect_ok)
        ck_assert_int_eq(file_len, len - STREAM_TRAILER_LEN);
    free(file);
}

static size_t make_body(uint8_t *body, size_t data_len)
{
    uint8_t digest[32];
    unsigned int dl;
    for (size_t i = 0; i < data_len; i++)
        body[i] = (uint8_t)(i * 7 + 3);
    EVP_Digest(body, data_len, digest, &dl, EVP_sha256(), NULL);
    stream_trailer_encode(data_len, digest, body + data_len);
    return data_len + STREAM_TRAILER_LEN;
}

START_TEST(the_trailer_proves_a_whole_copy)
{
    static uint8_t body[10000 + STREAM_TRAILER_LEN];
    size_t len = make_body(body, 10000);
    const size_t pieces[] = {1, 7, 47, 48, 49, 4096, sizeof body};
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
        feed_in_pieces(body, len, pieces[i], 1);
    feed_in_pieces(body, len - 1, 512, 0);    /* the last byte lost */
    feed_in_pieces(body, len - 5000, 512, 0); /* cut in the middle */
    body[1234] ^= 1;                          /* one bit flipped */
    feed_in_pieces(body, len, 512, 0);
    body[1234] ^= 1;
    len = make_body(body, 0); /* an empty database is still framed */
    feed_in_pieces(body, len, 1, 1);
    feed_in_pieces(body, 10, 1, 0);
}
END_TEST

START_TEST(only_the_right_bearer_token_passes)
{
    ck_assert(token_matches_header("Bearer abc123", "abc123"));
    ck_assert(!token_matches_header("Bearer abc124", "abc123"));
    ck_assert(!token_matches_header("Bearer abc12", "abc123"));
    ck_assert(!token_matches_header("bearer abc123", "abc123"));
    ck_assert(!token_matches_header("abc123", "abc123"));
    ck_assert(!token_matches_header(NULL, "abc123"));
    ck_assert(!token_matches_header("Bearer ", ""));
    char path[] = "/tmp/bootstrap-token-XXXXXX", token[TOKEN_MAX + 1];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "s3cret\n", 7), 7);
    close(fd);
    ck_assert_int_eq(token_read(path, token), 0);
    ck_assert_str_eq(token, "s3cret");
    unlink(path);
    ck_assert_int_eq(token_read(path, token), -1);
}
END_TEST

START_TEST(sources_are_host_port_pairs)
{
    struct sources s;
    char why[128];
    const char *good[] = {"127.0.0.1:18090", "[::1]:18091", "127.0.0.1:18090"};
    ck_assert_int_eq(sources_resolve(good, 3, &s, why, sizeof why), 0);
    ck_assert_int_eq(s.n, 2); /* the same address once */
    const char *bad[] = {"127.0.0.1"};
    ck_assert_int_eq(sources_resolve(bad, 1, &s, why, sizeof why), -1);
    ck_assert_str_eq(why, "--from 127.0.0.1 is not HOST:PORT");
    const char *none[] = {"no-such-sibling.invalid:18090"};
    ck_assert_int_eq(sources_resolve(none, 1, &s, why, sizeof why), 0);
    ck_assert_int_eq(s.n, 0);
    char out[64];
    struct source v6 = {"fd00::5", 18090};
    source_format(&v6, 18089, out, sizeof out);
    ck_assert_str_eq(out, "[fd00::5]:18089");
}
END_TEST

Suite *bootstrap_suite(void)
{
    Suite *s = suite_create("bootstrap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, from_sibling_renders_the_copy_and_its_guards);
    tcase_add_test(tc, the_token_is_random_once_then_kept);
    tcase_add_test(tc, without_it_nothing_is_added);
    tcase_add_test(tc, tor_only_sets_may_still_reach_their_siblings);
    tcase_add_test(tc, network_nodes_copy_from_each_other);
    tcase_add_test(tc, the_trailer_proves_a_whole_copy);
    tcase_add_test(tc, only_the_right_bearer_token_passes);
    tcase_add_test(tc, sources_are_host_port_pairs);
    suite_add_tcase(s, tc);
    return s;
}
