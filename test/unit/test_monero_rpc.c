/* monerod RPC client, metrics and readiness, over a scripted transport: answers recorded from a
 * real monerod 0.18 (test/fixtures/monero-rpc) and hostile variants of them (truncated JSON,
 * raw NUL bytes, invalid UTF-8, missing fields, BUSY, RPC errors, HTTP errors, transport
 * failures). */
#include "testlib.h"

#include "metrics/monero_collector.h"
#include "metrics/xmrig_api.h"
#include "monero_rpc/monero_rpc_transport.h"
#include "json/json_sanitize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scripted transport ---- */

struct script {
    const char *override_method; /* answer this call with `override` instead of its recording */
    const char *override;
    size_t override_len; /* 0: strlen */
    long status;         /* HTTP status of the override (0: 200) */
    const char *fail;    /* transport failure for every call */
    unsigned calls[M_METHODS + 1];
};

/* "get_info" from a JSON-RPC body, or the path's last segment for plain endpoints. */
static void call_name(const char *url, const char *body, char *name, size_t size)
{
    const char *m = strstr(body, "\"method\":\"");
    if (strstr(url, "/json_rpc") && m) {
        m += 10;
        snprintf(name, size, "%.*s", (int)strcspn(m, "\""), m);
    } else {
        snprintf(name, size, "%s", strrchr(url, '/') + 1);
    }
}

static int scripted_post(void *state, const char *url, const char *body, long timeout_ms,
                         size_t max_answer, struct monero_rpc_answer *out, char *err,
                         size_t err_size)
{
    struct script *s = state;
    char name[64], path[512];
    (void)timeout_ms;
    (void)max_answer;
    call_name(url, body, name, sizeof name);
    for (int m = 0; m < M_METHODS; m++)
        if (strcmp(name, monero_method_name((enum monero_method)m)) == 0)
            s->calls[m]++;
    if (s->fail) {
        snprintf(err, err_size, "%s", s->fail);
        return -1;
    }
    out->status = 200;
    if (s->override_method && strcmp(name, s->override_method) == 0) {
        size_t len = s->override_len ? s->override_len : strlen(s->override);
        out->body = malloc(len + 1);
        memcpy(out->body, s->override, len);
        out->body[len] = '\0';
        out->len = len;
        out->status = s->status ? s->status : 200;
        return 0;
    }
    snprintf(path, sizeof path, "%s/monero-rpc/%s.json", test_fixtures_dir(), name);
    out->body = test_read_file(path, &out->len);
    if (!out->body) {
        out->status = 404;
        out->body = calloc(1, 1);
    }
    return 0;
}

static const struct monero_rpc_transport scripted = {scripted_post, NULL};

static struct monero_rpc *rpc_for(struct script *s)
{
    return monero_rpc_with_transport("http://node:18081", 1000, &scripted, s);
}

/* ---- typed calls ---- */

START_TEST(reads_recorded_answers)
{
    struct script s = {0};
    struct monero_rpc *rpc = rpc_for(&s);
    struct monero_rpc_error err;
    struct monero_info info;
    ck_assert_int_eq(monero_rpc_get_info(rpc, &info, &err), 0);
    ck_assert_double_eq(info.height, 6);
    ck_assert_double_eq(info.difficulty, 1);
    ck_assert_double_eq(info.cumulative_difficulty, 6);
    ck_assert_double_eq(info.outgoing_connections, 1);
    ck_assert_double_eq(info.free_space, 84254220288.0);
    ck_assert_double_eq(info.start_time, 1795462382);
    ck_assert(info.synchronized && !info.offline && !info.restricted);
    ck_assert_str_eq(info.nettype, "fakechain");
    ck_assert_str_eq(info.version, "0.18.0.0-unknown");
    ck_assert_uint_eq(info.missing, 0);

    struct monero_fee_estimate fees;
    ck_assert_int_eq(monero_rpc_get_fee_estimate(rpc, &fees, &err), 0);
    ck_assert_uint_eq(fees.n_fees, 4);
    ck_assert_double_eq(fees.fees[3], 240000000);
    ck_assert_double_eq(fees.quantization_mask, 10000);

    struct monero_connections conns;
    ck_assert_int_eq(monero_rpc_get_connections(rpc, &conns, &err), 0);
    ck_assert_uint_eq(conns.total, 1);
    ck_assert_double_eq(conns.outgoing[PEER_CLEARNET], 1);
    ck_assert_double_eq(conns.incoming[PEER_CLEARNET], 0);

    struct monero_generated gen;
    ck_assert_int_eq(monero_rpc_generateblocks(rpc, 5, "44AFFq5kSiGB", &gen, &err), 0);
    ck_assert_uint_eq(gen.blocks, 5);
    monero_rpc_free(rpc);
}
END_TEST

static int info_with(const char *answer, size_t len, struct monero_info *info,
                     struct monero_rpc_error *err)
{
    struct script s = {.override_method = "get_info", .override = answer, .override_len = len};
    struct monero_rpc *rpc = rpc_for(&s);
    int rc = monero_rpc_get_info(rpc, info, err);
    monero_rpc_free(rpc);
    return rc;
}

START_TEST(reads_answers_with_missing_fields)
{
    struct monero_info info;
    struct monero_rpc_error err;
    ck_assert_int_eq(info_with("{\"result\":{\"status\":\"OK\",\"height\":5}}", 0, &info, &err), 0);
    ck_assert_double_eq(info.height, 5);
    ck_assert_double_eq(info.difficulty, 0);
    ck_assert_str_eq(info.version, "");
    ck_assert_uint_gt(info.missing, 10);
}
END_TEST

START_TEST(reads_numbers_beyond_int64)
{
    struct monero_info info;
    struct monero_rpc_error err;
    const char *answer = "{\"result\":{\"status\":\"OK\",\"height\":3000000,"
                         "\"free_space\":18446744073709551615,"
                         "\"wide_difficulty\":\"0x4a817c800a\"}}";
    ck_assert_int_eq(info_with(answer, 0, &info, &err), 0);
    ck_assert_double_eq(info.free_space, 18446744073709551615.0);
    ck_assert_double_eq(info.difficulty, 320000000010.0);
    ck_assert_double_eq(info.height, 3000000);
}
END_TEST

START_TEST(survives_nul_bytes_and_invalid_utf8)
{
    struct monero_info info;
    struct monero_rpc_error err;
    static const char nul[] = "{\"result\":{\"status\":\"OK\",\"height\":7,"
                              "\"version\":\"0.18\0\x01\x1f\",\"nettype\":\"main\xff\xfe\xc3\"}}";
    ck_assert_int_eq(info_with(nul, sizeof nul - 1, &info, &err), 0);
    ck_assert_double_eq(info.height, 7);
    ck_assert_str_eq(info.version, "0.18???");
    ck_assert_str_eq(info.nettype, "main???");

    /* a peer's host with raw NULs does not cost the other connections */
    static const char conns[] =
        "{\"result\":{\"status\":\"OK\",\"connections\":["
        "{\"incoming\":true,\"address_type\":4,\"host\":\"abc\0\0.onion\",\"height\":10},"
        "{\"incoming\":false,\"address_type\":3,\"host\":\"x.b32.i2p\xc0\",\"height\":12},"
        "{\"incoming\":false,\"address_type\":2,\"height\":11},"
        "{\"incoming\":true,\"address_type\":1,\"height\":9}]}}";
    struct script s = {
        .override_method = "get_connections", .override = conns, .override_len = sizeof conns - 1};
    struct monero_rpc *rpc = rpc_for(&s);
    struct monero_connections c;
    ck_assert_int_eq(monero_rpc_get_connections(rpc, &c, &err), 0);
    ck_assert_uint_eq(c.total, 4);
    ck_assert_double_eq(c.incoming[PEER_TOR], 1);
    ck_assert_double_eq(c.outgoing[PEER_I2P], 1);
    ck_assert_double_eq(c.outgoing[PEER_CLEARNET], 1);
    ck_assert_double_eq(c.incoming[PEER_CLEARNET], 1);
    ck_assert_double_eq(c.max_peer_height, 12);
    monero_rpc_free(rpc);
}
END_TEST

START_TEST(sanitizer_leaves_valid_json_alone)
{
    static const char *const valid[] = {
        "{\"a\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"b\":[1,2.5e3,true,null]}",
        "{\"escaped\":\"\\u0000\\n\\t\\\"\"}",
        "\t{ \"x\" :\r\n 1 }\n",
    };
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        char *copy = strdup(valid[i]);
        ck_assert_uint_eq(json_sanitize(copy, strlen(copy)), 0);
        ck_assert_str_eq(copy, valid[i]);
        free(copy);
    }
    char overlong[] = "\"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82\"";
    ck_assert_uint_eq(json_sanitize(overlong, strlen(overlong)), 11);
    ck_assert_str_eq(overlong, "\"?? ??? ???? ??\"");
}
END_TEST

static void expect_failure(const char *method, const char *answer, long status,
                           const char *fragment)
{
    struct script s = {.override_method = method, .override = answer, .status = status};
    struct monero_rpc *rpc = rpc_for(&s);
    struct monero_rpc_error err;
    struct monero_info info;
    struct monero_pool_stats pool;
    int rc = strcmp(method, "get_info") == 0
                 ? monero_rpc_get_info(rpc, &info, &err)
                 : monero_rpc_get_transaction_pool_stats(rpc, &pool, &err);
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err.method,
                     strcmp(method, "get_info") == 0 ? "get_info" : "/get_transaction_pool_stats");
    ck_assert_msg(strstr(err.message, fragment), "\"%s\" lacks \"%s\"", err.message, fragment);
    ck_assert_ptr_null(strchr(err.message, '\n'));
    monero_rpc_free(rpc);
}

START_TEST(says_which_call_failed_and_why)
{
    expect_failure("get_info", "{\"result\":{\"status\":\"OK\",\"height\":", 0, "invalid JSON");
    expect_failure("get_info", "", 0, "invalid JSON");
    expect_failure("get_info", "[1,2]", 0, "without a result object");
    expect_failure("get_info", "{\"result\":{\"status\":\"BUSY\"}}", 0, "status BUSY");
    expect_failure("get_info", "{\"error\":{\"code\":-9,\"message\":\"Core is\\nbusy\"}}", 0,
                   "RPC error -9: Core is busy");
    expect_failure("get_info", "{\"error\":{\"code\":-32601}}", 0, "RPC error -32601");
    expect_failure("get_info", "unauthorized", 401, "HTTP status 401");
    expect_failure("get_transaction_pool_stats", "not found", 404, "HTTP status 404");
    expect_failure("get_transaction_pool_stats", "{\"status\":\"Failed\"}", 0, "status Failed");

    struct script s = {.fail = "cannot connect: Connection refused"};
    struct monero_rpc *rpc = rpc_for(&s);
    struct monero_rpc_error err;
    struct monero_sync_info sync;
    ck_assert_int_eq(monero_rpc_sync_info(rpc, &sync, &err), -1);
    ck_assert_str_eq(err.method, "sync_info");
    ck_assert_str_eq(err.message, "cannot connect: Connection refused");
    ck_assert_int_eq(err.http_status, 0);
    monero_rpc_free(rpc);
}
END_TEST

/* ---- collector, metrics, readiness ---- */

static char *exposition(const struct monero_snapshot *snap, bool openmetrics)
{
    struct prom_writer w;
    size_t len;
    ck_assert_int_eq(prom_writer_open(&w, openmetrics), 0);
    monero_metrics_write(&w, snap);
    return prom_writer_finish(&w, &len);
}

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)); p += n)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

START_TEST(exports_what_monerod_reported)
{
    struct script s = {0};
    struct monero_collector c = {.rpc = rpc_for(&s), .heavy_interval = 30, .slow_interval = 300};
    monero_collector_refresh(&c, 1795462500, false);
    char *text = exposition(&c.snap, false);
    static const char *const lines[] = {
        "monero_up 1",
        "monero_height 6",
        "monero_network_height 6",
        "monero_synchronized 1",
        "monero_difficulty 1",
        "monero_connections{direction=\"out\"} 1",
        "monero_free_space_bytes 84254220288",
        "monero_database_size_bytes 180224",
        "monero_build_info{version=\"0.18.0.0-unknown\",nettype=\"fakechain\"} 1",
        "monero_peers{direction=\"out\",network=\"clearnet\"} 1",
        "monero_peers{direction=\"in\",network=\"tor\"} 0",
        "monero_fee_estimate_piconero_per_byte{priority=\"3\"} 240000000",
        "monero_hard_fork_version 16",
        "monero_rpc_errors_total{method=\"get_info\"} 0",
        "# TYPE monero_net_received_bytes_total counter",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(has_line(text, lines[i]), "missing \"%s\" in:\n%s", lines[i], text);
    free(text);
    text = exposition(&c.snap, true);
    ck_assert_msg(has_line(text, "# TYPE monero_net_received_bytes counter"), "%s", text);
    ck_assert(has_line(text, "# EOF"));
    free(text);
    monero_rpc_free(c.rpc);
}
END_TEST

START_TEST(one_failing_call_hides_only_its_metrics)
{
    struct script s = {.override_method = "get_connections", .override = "{\"result\":{\"con"};
    struct monero_collector c = {.rpc = rpc_for(&s), .heavy_interval = 30, .slow_interval = 300};
    monero_collector_refresh(&c, 1795462500, false);
    char *text = exposition(&c.snap, false);
    ck_assert(has_line(text, "monero_up 1"));
    ck_assert(has_line(text, "monero_height 6"));
    ck_assert(has_line(text, "monero_rpc_errors_total{method=\"get_connections\"} 1"));
    ck_assert(has_line(text, "monero_rpc_success{method=\"get_connections\"} 0"));
    ck_assert_ptr_null(strstr(text, "monero_peers{"));
    ck_assert_ptr_nonnull(strstr(c.last_error[M_CONNECTIONS], "get_connections: invalid JSON"));
    free(text);
    monero_rpc_free(c.rpc);

    struct script down = {.fail = "cannot connect: Connection refused"};
    struct monero_collector d = {.rpc = rpc_for(&down)};
    monero_collector_refresh(&d, 1795462500, false);
    text = exposition(&d.snap, false);
    ck_assert(has_line(text, "monero_up 0"));
    ck_assert_ptr_null(strstr(text, "monero_height"));
    free(text);
    monero_rpc_free(d.rpc);
}
END_TEST

START_TEST(caches_heavy_and_slow_calls)
{
    struct script s = {0};
    struct monero_collector c = {.rpc = rpc_for(&s), .heavy_interval = 30, .slow_interval = 300};
    monero_collector_refresh(&c, 1000, false);
    monero_collector_refresh(&c, 1010, false);
    ck_assert_uint_eq(s.calls[M_GET_INFO], 2);
    ck_assert_uint_eq(s.calls[M_POOL_STATS], 2);
    ck_assert_uint_eq(s.calls[M_CONNECTIONS], 1);
    ck_assert_uint_eq(s.calls[M_FEE_ESTIMATE], 1);
    monero_collector_refresh(&c, 1031, false);
    ck_assert_uint_eq(s.calls[M_CONNECTIONS], 2);
    ck_assert_uint_eq(s.calls[M_FEE_ESTIMATE], 1);
    monero_collector_refresh(&c, 1301, false);
    ck_assert_uint_eq(s.calls[M_FEE_ESTIMATE], 2);
    monero_collector_refresh(&c, 1302, true); /* readiness: two fresh calls only */
    ck_assert_uint_eq(s.calls[M_GET_INFO], 5);
    ck_assert_uint_eq(s.calls[M_LAST_BLOCK_HEADER], 5);
    ck_assert_uint_eq(s.calls[M_POOL_STATS], 4);
    monero_rpc_free(c.rpc);
}
END_TEST

START_TEST(network_height_is_the_highest_known)
{
    struct monero_snapshot s = {0};
    s.ok[M_GET_INFO] = true;
    s.info.height = 100;
    ck_assert_double_eq(monero_network_height(&s), 100);
    s.info.target_height = 150;
    ck_assert_double_eq(monero_network_height(&s), 150);
    s.connections.max_peer_height = 170;
    ck_assert_double_eq(monero_network_height(&s), 150); /* get_connections not answered */
    s.ok[M_CONNECTIONS] = true;
    ck_assert_double_eq(monero_network_height(&s), 170);
    s.ok[M_SYNC_INFO] = true;
    s.sync.max_peer_height = 180;
    ck_assert_double_eq(monero_network_height(&s), 180);
}
END_TEST

START_TEST(readiness_means_serving_the_current_chain)
{
    struct monero_snapshot s = {0};
    char why[128];
    ck_assert_str_eq(monero_not_ready(&s, 1800, why, sizeof why),
                     "monerod does not answer get_info");
    s.ok[M_GET_INFO] = s.ok[M_LAST_BLOCK_HEADER] = true;
    ck_assert_str_eq(monero_not_ready(&s, 1800, why, sizeof why), "not synchronized yet");
    s.info.synchronized = true;
    ck_assert_str_eq(monero_not_ready(&s, 1800, why, sizeof why), "no peers");
    s.info.offline = true; /* offline by design needs no peers */
    s.now = 10000;
    s.last_block.timestamp = 10000 - 1801;
    ck_assert_str_eq(monero_not_ready(&s, 1800, why, sizeof why),
                     "top block is 1801 s old (limit 1800 s)");
    ck_assert_ptr_null(monero_not_ready(&s, 0, why, sizeof why)); /* age check off */
    s.last_block.timestamp = 10000 - 60;
    ck_assert_ptr_null(monero_not_ready(&s, 1800, why, sizeof why));
    s.info.offline = false;
    s.info.incoming_connections = 1;
    ck_assert_ptr_null(monero_not_ready(&s, 1800, why, sizeof why));
    s.ok[M_LAST_BLOCK_HEADER] = false;
    ck_assert_str_eq(monero_not_ready(&s, 1800, why, sizeof why),
                     "monerod does not answer get_last_block_header");
}
END_TEST

/* ---- xmrig ---- */

START_TEST(reads_xmrig_summaries_with_null_hashrates)
{
    struct xmrig_summary x;
    char err[128];
    const char *early = "{\"version\":\"6.25.0\",\"algo\":\"rx/0\",\"uptime\":3,\"paused\":false,"
                        "\"hashrate\":{\"total\":[null,null,null],\"highest\":null},"
                        "\"results\":{\"shares_good\":0,\"shares_total\":0,\"hashes_total\":0},"
                        "\"connection\":{\"pool\":\"p:3333\",\"ping\":12},\"hugepages\":[0,1168]}";
    ck_assert_int_eq(xmrig_summary_parse(early, strlen(early), &x, err, sizeof err), 0);
    ck_assert(isnan(x.hashrate[0]) && isnan(x.hashrate_highest));
    ck_assert_double_eq(x.ping_seconds, 0.012);
    ck_assert_double_eq(x.hugepages_total, 1168);
    struct prom_writer w;
    size_t len;
    prom_writer_open(&w, false);
    xmrig_metrics_write(&w, &x, true, 0);
    char *text = prom_writer_finish(&w, &len);
    ck_assert(has_line(text, "xmrig_up 1"));
    ck_assert_ptr_null(strstr(text, "xmrig_hashrate_hashes_per_second{"));
    ck_assert(
        has_line(text, "xmrig_build_info{version=\"6.25.0\",algo=\"rx/0\",pool=\"p:3333\"} 1"));
    free(text);
    const char *later = "{\"hashrate\":{\"total\":[812.5,800,null]}}";
    ck_assert_int_eq(xmrig_summary_parse(later, strlen(later), &x, err, sizeof err), 0);
    ck_assert_double_eq(x.hashrate[0], 812.5);
    ck_assert(isnan(x.hashrate[2]));
    ck_assert_int_eq(xmrig_summary_parse("{\"hashrate\":", 12, &x, err, sizeof err), -1);
    ck_assert_int_eq(xmrig_summary_parse("\"text\"", 6, &x, err, sizeof err), -1);
}
END_TEST

Suite *monero_rpc_suite(void)
{
    Suite *s = suite_create("monero_rpc");
    TCase *t = tcase_create("core");
    tcase_add_test(t, reads_recorded_answers);
    tcase_add_test(t, reads_answers_with_missing_fields);
    tcase_add_test(t, reads_numbers_beyond_int64);
    tcase_add_test(t, survives_nul_bytes_and_invalid_utf8);
    tcase_add_test(t, sanitizer_leaves_valid_json_alone);
    tcase_add_test(t, says_which_call_failed_and_why);
    tcase_add_test(t, exports_what_monerod_reported);
    tcase_add_test(t, one_failing_call_hides_only_its_metrics);
    tcase_add_test(t, caches_heavy_and_slow_calls);
    tcase_add_test(t, network_height_is_the_highest_known);
    tcase_add_test(t, readiness_means_serving_the_current_chain);
    tcase_add_test(t, reads_xmrig_summaries_with_null_hashrates);
    suite_add_tcase(s, t);
    return s;
}
