/* MoneroMiningNodeSet hook: $(id), targets (and no default one), solo wiring, reserved flags. */
#include "testlib.h"

#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

#define WALLET                                                                                     \
    "42ey1afDFnn4886T7196doS9GPMzexD9gXpsZJDwVjeRVdFCSoHnv7KPbBeGpzJBzHRCAs9UxqeoyFQMYbqSWYTfJJQA" \
    "W"                                                                                            \
    "Dm"

static json_t *miners(const char *spec)
{
    return test_sync_ok("monerominingnodeset",
                        test_request("MoneroMiningNodeSet", "miners", spec, NULL));
}

static void expect_invalid(const char *spec, const char *fragment)
{
    test_expect_invalid("monerominingnodeset",
                        test_request("MoneroMiningNodeSet", "miners", spec, NULL), fragment);
}

static const json_t *env_var(const json_t *container, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(jsonx_array(container, "env"), i,
                       e) if (strcmp(jsonx_string(e, "name"), name) == 0) return e;
    return NULL;
}

START_TEST(id_is_the_replica_index)
{
    json_t *resp = miners("{\"replicas\": 3, \"xmrig\": {\"args\": [\"-o\", \"pool:1\", \"-u\", "
                          "\"w.node-$(id)\"]}}");
    json_t *c = test_first_container(resp, "miners");
    ck_assert(test_args_contain(c, "w.node-$(id)"));
    const json_t *id = env_var(c, "id");
    ck_assert_ptr_nonnull(id);
    ck_assert_str_eq(jsonx_string(jsonx_path(id, "valueFrom.fieldRef"), "fieldPath"),
                     "metadata.labels['apps.kubernetes.io/pod-index']");
    ck_assert_int_eq(json_integer_value(jsonx_path(test_find_child(resp, "StatefulSet", "miners"),
                                                   "spec.replicas")),
                     3);
    ck_assert_str_eq(jsonx_string(jsonx_object(resp, "status"), "selector"),
                     "app.kubernetes.io/name=xmrig,utxo.com.br/monerominingnodeset=miners");
    json_decref(resp);
}
END_TEST

/* A parent name refused before the spec is read (found by fuzz-hooks: the spec's resources
 * were then released uninitialised). */
/* A StatefulSet of our name owned by another parent: Ready=False/NameConflict naming it, not
 * "waiting for the StatefulSet to be created" forever. One of ours not yet seen as a child is
 * no conflict. */
START_TEST(name_conflicts_are_reported)
{
    static const char *const related_fmt =
        "{\"StatefulSet.apps/v1\": {\"regtest\": {\"apiVersion\": \"apps/v1\", "
        "\"kind\": \"StatefulSet\", \"metadata\": {\"name\": \"regtest\", "
        "\"namespace\": \"monero\", \"ownerReferences\": [{\"apiVersion\": "
        "\"utxo.com.br/v1alpha1\", \"kind\": \"%s\", \"name\": \"regtest\", \"uid\": \"%s\", "
        "\"controller\": true}]}}}}";
    char related[1024];
    const char *spec = "{\"pools\": [{\"url\": \"pool.example:3333\"}]}";
    json_t *req = test_request("MoneroMiningNodeSet", "regtest", spec, NULL);
    snprintf(related, sizeof related, related_fmt, "MoneroNetwork", "another-uid");
    json_object_set_new(req, "related", json_loads(related, 0, NULL));
    json_t *resp = test_sync_ok("monerominingnodeset", req);
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "reason"), "NameConflict");
    ck_assert_ptr_nonnull(strstr(jsonx_string(ready, "message"), "MoneroNetwork regtest"));
    json_decref(resp);
    req = test_request("MoneroMiningNodeSet", "regtest", spec, NULL);
    const char *own_uid = jsonx_string(jsonx_path(req, "parent.metadata"), "uid");
    snprintf(related, sizeof related, related_fmt, "MoneroMiningNodeSet", own_uid ? own_uid : "");
    json_object_set_new(req, "related", json_loads(related, 0, NULL));
    resp = test_sync_ok("monerominingnodeset", req);
    ck_assert_str_eq(jsonx_string(test_ready_condition(resp), "reason"), "Creating");
    json_decref(resp);
}
END_TEST

/* A StatefulSet of our name with no owner but our labels was left by an earlier parent of this
 * name (deleted with --cascade=orphan): Ready=False/Orphaned with the command that frees the
 * name; without our labels it is somebody else's (NameConflict). */
START_TEST(orphans_of_an_earlier_parent_are_named)
{
    static const char *const related_fmt =
        "{\"StatefulSet.apps/v1\": {\"regtest\": {\"apiVersion\": \"apps/v1\", "
        "\"kind\": \"StatefulSet\", \"metadata\": {\"name\": \"regtest\", "
        "\"namespace\": \"monero\", \"labels\": {\"app.kubernetes.io/managed-by\": \"%s\", "
        "\"utxo.com.br/monerominingnodeset\": \"regtest\"}}}}}";
    char related[1024];
    const char *spec = "{\"pools\": [{\"url\": \"pool.example:3333\"}]}";
    json_t *req = test_request("MoneroMiningNodeSet", "regtest", spec, NULL);
    snprintf(related, sizeof related, related_fmt, "monero-operator");
    json_object_set_new(req, "related", json_loads(related, 0, NULL));
    json_t *resp = test_sync_ok("monerominingnodeset", req);
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "reason"), "Orphaned");
    ck_assert_ptr_nonnull(strstr(jsonx_string(ready, "message"),
                                 "kubectl delete statefulset,service,poddisruptionbudget,"
                                 "networkpolicy,configmap -l "
                                 "utxo.com.br/monerominingnodeset=regtest --cascade=orphan"));
    json_decref(resp);
    req = test_request("MoneroMiningNodeSet", "regtest", spec, NULL);
    snprintf(related, sizeof related, related_fmt, "helm");
    json_object_set_new(req, "related", json_loads(related, 0, NULL));
    resp = test_sync_ok("monerominingnodeset", req);
    ck_assert_str_eq(jsonx_string(test_ready_condition(resp), "reason"), "NameConflict");
    json_decref(resp);
}
END_TEST

/* Without xmrig.threads, xmrig gets one thread per whole CPU of the limit, else of the request
 * (1 CPU by default), at least one; a CPU hint of the user's replaces it. */
START_TEST(threads_follow_the_cpu_resources)
{
    static const struct {
        const char *xmrig, *want, *absent;
    } cases[] = {
        {"{}", "--threads=1", NULL},
        {"{\"resources\": {\"limits\": {\"cpu\": \"2500m\"}}}", "--threads=2", NULL},
        {"{\"resources\": {\"requests\": {\"cpu\": \"3\"}}}", "--threads=3", NULL},
        {"{\"resources\": {\"requests\": {\"cpu\": \"500m\"}}}", "--threads=1", NULL},
        {"{\"threads\": 4, \"resources\": {\"limits\": {\"cpu\": \"1\"}}}", "--threads=4", NULL},
        {"{\"args\": [\"--cpu-max-threads-hint=50\"]}", "--cpu-max-threads-hint=50", "--threads=1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char spec[512];
        snprintf(spec, sizeof spec,
                 "{\"pools\": [{\"url\": \"pool.example:3333\"}], \"xmrig\": %s}", cases[i].xmrig);
        json_t *resp = test_sync_ok("monerominingnodeset",
                                    test_request("MoneroMiningNodeSet", "m", spec, NULL));
        json_t *c = test_first_container(resp, "m");
        ck_assert_msg(test_args_contain(c, cases[i].want), "%s: no %s", cases[i].xmrig,
                      cases[i].want);
        if (cases[i].absent)
            ck_assert_msg(!test_args_contain(c, cases[i].absent), "%s: %s", cases[i].xmrig,
                          cases[i].absent);
        json_decref(resp);
    }
}
END_TEST

START_TEST(bad_parent_name_is_an_invalid_spec)
{
    test_expect_invalid(
        "monerominingnodeset",
        test_request("MoneroMiningNodeSet", "Miners", "{\"pools\": [{\"url\": \"pool:1\"}]}", NULL),
        "metadata.name");
}
END_TEST

START_TEST(there_is_no_default_target)
{
    expect_invalid("{}", "no mining target");
    expect_invalid("{\"xmrig\": {\"args\": [\"--threads=2\", \"-u\", \"" WALLET "\"]}}",
                   "no mining target");
    expect_invalid("{\"pools\": []}", "no mining target");
    expect_invalid("{\"pools\": [{\"url\": \"p:1\"}], \"solo\": {\"moneroNodeSet\": \"n\", "
                   "\"walletAddress\": \"" WALLET "\"}}",
                   "either pools or solo");
}
END_TEST

START_TEST(solo_mines_into_in_cluster_nodes)
{
    json_t *resp = miners("{\"solo\": {\"moneroNetwork\": \"regtest\", \"node\": 2, "
                          "\"walletAddress\": \"" WALLET "\"}}");
    json_t *c = test_first_container(resp, "miners");
    ck_assert(test_args_contain(c, "--daemon"));
    ck_assert(test_args_contain(c, "--url=regtest-2:18089"));
    ck_assert(test_args_contain(c, "--user=" WALLET));
    ck_assert_str_eq(jsonx_string(jsonx_object(resp, "status"), "target"), "solo regtest-2:18089");
    json_decref(resp);
    resp = miners("{\"solo\": {\"moneroNodeSet\": \"nodes\", \"walletAddress\": \"" WALLET "\"}}");
    ck_assert(test_args_contain(test_first_container(resp, "miners"), "--url=nodes:18089"));
    json_decref(resp);
    expect_invalid("{\"solo\": {\"walletAddress\": \"" WALLET "\"}}", "exactly one of");
    expect_invalid("{\"solo\": {\"moneroNodeSet\": \"n\", \"walletAddress\": \"4abc\"}}",
                   "spec.solo.walletAddress");
    expect_invalid("{\"solo\": {\"moneroNodeSet\": \"n\", \"node\": 1, \"walletAddress\": \"" WALLET
                   "\"}}",
                   "spec.solo.node");
}
END_TEST

START_TEST(reserved_flags_in_every_form)
{
    static const char *const refused[] = {"\"-B\"",
                                          "\"-kB\"",
                                          "\"--background\"",
                                          "\"--back\"",
                                          "\"-c\", \"x.json\"",
                                          "\"--conf=x\"",
                                          "\"--http-port=1\"",
                                          "\"--http-no-restricted\"",
                                          "\"--dry-run\"",
                                          "\"-V\""};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char spec[256];
        snprintf(spec, sizeof spec, "{\"xmrig\": {\"args\": [\"-o\", \"p:1\", %s]}}", refused[i]);
        expect_invalid(spec, "is managed by the operator");
    }
}
END_TEST

START_TEST(typed_options)
{
    json_t *resp =
        miners("{\"pools\": [{\"url\": \"p:1\", \"tls\": true}], \"xmrig\": {\"hugePages\": "
               "true, \"threads\": 2, \"donateLevel\": 3, \"randomxMode\": \"light\"}, "
               "\"api\": {\"accessTokenSecretRef\": {\"name\": \"tok\"}}}");
    json_t *c = test_first_container(resp, "miners");
    ck_assert(test_args_contain(c, "--donate-level=3"));
    ck_assert(test_args_contain(c, "--threads=2"));
    ck_assert(test_args_contain(c, "--randomx-mode=light"));
    ck_assert(!test_args_contain(c, "--no-huge-pages"));
    ck_assert(test_args_contain(c, "--http-access-token=$(XMRIG_HTTP_ACCESS_TOKEN)"));
    ck_assert_str_eq(jsonx_string(jsonx_path(c, "resources.requests"), "hugepages-2Mi"), "2340Mi");
    ck_assert_str_eq(
        jsonx_string(jsonx_path(env_var(c, "XMRIG_HTTP_ACCESS_TOKEN"), "valueFrom.secretKeyRef"),
                     "name"),
        "tok");
    json_decref(resp);
    expect_invalid("{\"pools\": [{\"url\": \"p:1\"}], \"xmrig\": {\"donateLevel\": 0}}",
                   "spec.xmrig.donateLevel");
    expect_invalid("{\"pools\": [{\"url\": \"has space:1\"}]}", "spec.pools[0].url");
}
END_TEST

START_TEST(user_flags_replace_defaults)
{
    json_t *resp = miners("{\"xmrig\": {\"args\": [\"-o\", \"p:1\", \"--donate-level=5\", \"-t\", "
                          "\"3\"], \"threads\": 1}}");
    json_t *c = test_first_container(resp, "miners");
    ck_assert(!test_args_contain(c, "--donate-level=1"));
    ck_assert(!test_args_contain(c, "--threads=1"));
    ck_assert(test_args_contain(c, "--donate-level=5"));
    json_decref(resp);
}
END_TEST

START_TEST(exporter_reads_the_miner_api)
{
    json_t *resp =
        miners("{\"pools\": [{\"url\": \"pool:1\"}], \"api\": {\"accessTokenSecretRef\": "
               "{\"name\": \"xmrig-api\", \"key\": \"token\"}}}");
    json_t *sts = test_find_child(resp, "StatefulSet", "miners");
    json_t *exporter =
        json_array_get(jsonx_array(jsonx_path(sts, "spec.template.spec"), "containers"), 1);
    ck_assert_str_eq(jsonx_string(exporter, "name"), "exporter");
    ck_assert(test_args_contain(exporter, "--xmrig=http://127.0.0.1:18092"));
    ck_assert_str_eq(jsonx_string(jsonx_path(env_var(exporter, "XMRIG_HTTP_ACCESS_TOKEN"),
                                             "valueFrom.secretKeyRef"),
                                  "name"),
                     "xmrig-api");
    ck_assert_str_eq(
        jsonx_string(jsonx_path(sts, "spec.template.metadata.annotations"), "prometheus.io/scrape"),
        "true");
    json_decref(resp);
    resp = miners("{\"pools\": [{\"url\": \"pool:1\"}], \"metrics\": {\"enabled\": false}}");
    sts = test_find_child(resp, "StatefulSet", "miners");
    ck_assert_uint_eq(
        json_array_size(jsonx_array(jsonx_path(sts, "spec.template.spec"), "containers")), 1);
    json_decref(resp);
    expect_invalid("{\"pools\": [{\"url\": \"pool:1\"}], \"metrics\": {\"port\": 18092}}",
                   "spec.metrics.port: 18092 is xmrig's API port");
    expect_invalid("{\"pools\": [{\"url\": \"pool:1\"}], \"metrics\": {\"maxBlockAgeSeconds\": 5}}",
                   "spec.metrics.maxBlockAgeSeconds: unknown field");
}
END_TEST

Suite *mining_suite(void)
{
    Suite *s = suite_create("monerominingnodeset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, id_is_the_replica_index);
    tcase_add_test(tc, there_is_no_default_target);
    tcase_add_test(tc, solo_mines_into_in_cluster_nodes);
    tcase_add_test(tc, reserved_flags_in_every_form);
    tcase_add_test(tc, typed_options);
    tcase_add_test(tc, user_flags_replace_defaults);
    tcase_add_test(tc, exporter_reads_the_miner_api);
    tcase_add_test(tc, bad_parent_name_is_an_invalid_spec);
    tcase_add_test(tc, name_conflicts_are_reported);
    tcase_add_test(tc, orphans_of_an_earlier_parent_are_named);
    tcase_add_test(tc, threads_follow_the_cpu_resources);
    suite_add_tcase(s, tc);
    return s;
}
