/* Protocol layer: request checks (400s with a reason), child lookup under v1 and v2 keys,
 * canonical responses, and the "unchanged children" fallback. */
#include "testlib.h"

#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"
#include "json/json_write.h"
#include "json/jsonx.h"

#include <stdlib.h>
#include <string.h>

static void expect_400(const char *body, const char *fragment)
{
    struct hook_request req;
    struct hook_error err;
    ck_assert_msg(hook_request_parse(body, strlen(body), &req, &err) < 0, "accepted: %s", body);
    ck_assert_int_eq(err.http_status, 400);
    ck_assert_msg(strstr(err.message, fragment), "\"%s\" lacks \"%s\"", err.message, fragment);
    ck_assert_ptr_null(strchr(err.message, '\n'));
}

START_TEST(malformed_requests_get_a_reason)
{
    expect_400("", "invalid JSON");
    expect_400("{", "invalid JSON at line 1");
    expect_400("[]", "must be a JSON object");
    expect_400("{}", "\"parent\" is missing");
    expect_400("{\"parent\": 3}", "\"parent\" is missing or not an object");
    expect_400("{\"parent\": {}}", "parent.metadata.name");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"\"}}}", "parent.metadata.name");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\", \"namespace\": 1}}}", "namespace");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\", \"generation\": 1.5}}}",
               "generation");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}, \"spec\": []}}", "parent.spec");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}}, \"children\": []}", "children");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}}, \"children\": {\"Pod.v1\": 1}}",
               "children[\"Pod.v1\"]");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}}, \"children\": {\"Pod.v1\": "
               "{\"x\": {}}}}",
               "metadata.name");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}}, \"finalizing\": \"yes\"}",
               "finalizing");
    expect_400("{\"parent\": {\"metadata\": {\"name\": \"a\"}}, \"a\": 1, \"a\": 2}", "duplicate");
}
END_TEST

static const char *request_with_keys(const char *k1, const char *k2)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"parent\": {\"metadata\": {\"name\": \"p\", \"namespace\": \"ns\"}},"
             " \"children\": {\"StatefulSet.apps/v1\": {\"%s\": {\"metadata\": {\"name\": \"p\", "
             "\"namespace\": \"ns\"}, \"kind\": \"StatefulSet\"}, \"%s\": {\"metadata\": "
             "{\"name\": \"q\", \"namespace\": \"ns\"}}}}}",
             k1, k2);
    return buf;
}

START_TEST(children_found_under_v1_and_v2_keys)
{
    const char *bodies[] = {request_with_keys("p", "q"), NULL};
    char v2[1024];
    snprintf(v2, sizeof v2, "%s", request_with_keys("ns/p", "ns/q"));
    bodies[1] = v2;
    for (int i = 0; i < 2; i++) {
        struct hook_request req;
        struct hook_error err;
        ck_assert_int_eq(hook_request_parse(bodies[i], strlen(bodies[i]), &req, &err), 0);
        ck_assert_ptr_nonnull(hook_request_child(&req, "StatefulSet.apps/v1", "p"));
        ck_assert_ptr_nonnull(hook_request_child(&req, "StatefulSet.apps/v1", "q"));
        ck_assert_ptr_null(hook_request_child(&req, "StatefulSet.apps/v1", "r"));
        ck_assert_ptr_null(hook_request_child(&req, "Service.v1", "p"));
        ck_assert_str_eq(req.namespace, "ns");
        hook_request_release(&req);
    }
}
END_TEST

START_TEST(type_keys_split_on_the_first_dot)
{
    char kind[64], api[64];
    ck_assert(hook_type_key_split("StatefulSet.apps/v1", kind, 64, api, 64));
    ck_assert_str_eq(kind, "StatefulSet");
    ck_assert_str_eq(api, "apps/v1");
    ck_assert(hook_type_key_split("NetworkPolicy.networking.k8s.io/v1", kind, 64, api, 64));
    ck_assert_str_eq(api, "networking.k8s.io/v1");
    ck_assert(hook_type_key_split("Pod.v1", kind, 64, api, 64));
    ck_assert_str_eq(api, "v1");
    ck_assert(!hook_type_key_split("Pod", kind, 64, api, 64));
    ck_assert(!hook_type_key_split(".v1", kind, 64, api, 64));
}
END_TEST

START_TEST(responses_are_canonical)
{
    struct hook_response resp;
    hook_response_init(&resp);
    jsonx_set_int(resp.status, "replicas", 3);
    jsonx_set_string(resp.status, "a", "b");
    hook_response_add_child_new(&resp, json_pack("{s:s,s:s}", "kind", "Pod", "apiVersion", "v1"));
    resp.resync_after_seconds = 30;
    json_t *out = hook_response_to_json(&resp, false);
    char *text = json_write_canonical(out, NULL);
    ck_assert_str_eq(text, "{\"children\":[{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}],"
                           "\"resyncAfterSeconds\":30,\"status\":{\"a\":\"b\",\"replicas\":3}}");
    free(text);
    json_decref(out);
    out = hook_response_to_json(&resp, true);
    ck_assert(json_is_false(json_object_get(out, "finalized")));
    json_decref(out);
    hook_response_release(&resp);
}
END_TEST

START_TEST(unchanged_children_prefer_last_applied)
{
    const char *body =
        "{\"parent\": {\"metadata\": {\"name\": \"p\"}}, \"children\": {"
        "\"Service.v1\": {\"b\": {\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": "
        "{\"name\": \"b\", \"uid\": \"u\", \"resourceVersion\": \"7\", \"annotations\": "
        "{\"metacontroller.k8s.io/last-applied-configuration\": \"{\\\"apiVersion\\\":\\\"v1\\\","
        "\\\"kind\\\":\\\"Service\\\",\\\"metadata\\\":{\\\"name\\\":\\\"b\\\"},\\\"spec\\\":"
        "{\\\"type\\\":\\\"ClusterIP\\\"}}\"}}, \"spec\": {\"clusterIP\": \"10.0.0.1\", \"type\": "
        "\"ClusterIP\"}, \"status\": {}}},"
        "\"ConfigMap.v1\": {\"a\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": "
        "{\"name\": \"a\", \"uid\": \"u2\", \"managedFields\": [], \"labels\": {\"x\": \"y\"}}, "
        "\"data\": {\"k\": \"v\"}}}}}";
    struct hook_request req;
    struct hook_error err;
    ck_assert_int_eq(hook_request_parse(body, strlen(body), &req, &err), 0);
    json_t *kept = hook_observed_children_unchanged(&req);
    json_t *want = json_loads(
        "[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"labels\":"
        "{\"x\":\"y\"}},\"data\":{\"k\":\"v\"}},{\"apiVersion\":\"v1\",\"kind\":\"Service\","
        "\"metadata\":{\"name\":\"b\"},\"spec\":{\"type\":\"ClusterIP\"}}]",
        0, NULL);
    char where[256];
    ck_assert_msg(test_json_equal(want, kept, where, sizeof where), "differs at %s", where);
    json_decref(want);
    json_decref(kept);
    hook_request_release(&req);
}
END_TEST

Suite *protocol_suite(void)
{
    Suite *s = suite_create("protocol");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, malformed_requests_get_a_reason);
    tcase_add_test(tc, children_found_under_v1_and_v2_keys);
    tcase_add_test(tc, type_keys_split_on_the_first_dot);
    tcase_add_test(tc, responses_are_canonical);
    tcase_add_test(tc, unchanged_children_prefer_last_applied);
    suite_add_tcase(s, tc);
    return s;
}
