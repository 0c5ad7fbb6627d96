/* MoneroNetwork hook: peers as declared, names that resolve at start, closed networks, bounded
 * sizes. */
#include "testlib.h"

#include "hooks/hook.h"
#include "hooks/hook_call.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *network(const char *spec)
{
    return test_sync_ok("moneronetwork", test_request("MoneroNetwork", "net", spec, NULL));
}

static const char *peer_file(json_t *resp, const char *pod)
{
    char key[64];
    size_t i;
    json_t *child;
    snprintf(key, sizeof key, "%s.conf", pod);
    json_array_foreach(jsonx_array(resp, "children"), i, child)
    {
        const char *text = jsonx_string(jsonx_object(child, "data"), key);
        if (text)
            return text;
    }
    return NULL;
}

static size_t count_lines_with(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(mesh_wires_every_pair)
{
    json_t *resp = network("{\"replicas\": 4, \"topology\": {\"type\": \"mesh\"}}");
    for (int i = 0; i < 4; i++) {
        char pod[16], svc[16];
        snprintf(pod, sizeof pod, "net-%d", i);
        const char *file = peer_file(resp, pod);
        ck_assert_ptr_nonnull(file);
        ck_assert_uint_eq(count_lines_with(file, "add-exclusive-node="), 3);
        for (int j = 0; j < 4; j++) {
            char line[64];
            snprintf(line, sizeof line, "add-exclusive-node=net-%d:18080\n", j);
            ck_assert((strstr(file, line) != NULL) == (i != j));
        }
        snprintf(svc, sizeof svc, "net-%d", i);
        json_t *s = test_find_child(resp, "Service", svc);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_eq(
            jsonx_string(jsonx_path(s, "spec.selector"), "statefulset.kubernetes.io/pod-name"),
            pod);
        ck_assert(json_is_true(jsonx_path(s, "spec.publishNotReadyAddresses")));
    }
    json_t *c = test_first_container(resp, "net");
    ck_assert(test_args_contain(c, "--config-file=/etc/monero-operator/peers/$(POD_NAME).conf"));
    ck_assert(test_args_contain(c, "--regtest"));
    ck_assert(test_args_contain(c, "--keep-fakechain"));
    ck_assert(test_args_contain(c, "--out-peers=3"));
    ck_assert(!test_args_contain(c, "--offline"));
    json_decref(resp);
}
END_TEST

/* The address in status.addresses of `pod` for `key` ("onion", "i2p"). */
static const char *status_address(json_t *resp, int pod, const char *key)
{
    return jsonx_string(json_array_get(jsonx_path(resp, "status.addresses"), (size_t)pod), key);
}

/* Closed networks have no anonymity seeds: each node gets its topology neighbours' onion and
 * I2P addresses, exactly those, from the first sync on (so pods never restart to learn them). */
START_TEST(anonymity_peers_follow_the_topology)
{
    const char *spec = "{\"replicas\": 4, \"topology\": {\"type\": \"ring\"}, \"template\": "
                       "{\"spec\": {\"tor\": {\"enabled\": true}, \"i2p\": {\"enabled\": true}}}}";
    json_t *first = network(spec);
    json_t *observed = test_as_observed(first);
    char *children = json_dumps(observed, 0);
    json_t *resp =
        test_sync_ok("moneronetwork", test_request("MoneroNetwork", "net", spec, children));
    free(children);
    for (int i = 0; i < 4; i++) {
        char pod[16];
        snprintf(pod, sizeof pod, "net-%d", i);
        const char *file = peer_file(resp, pod);
        ck_assert_str_eq(file, peer_file(first, pod));
        ck_assert_uint_eq(count_lines_with(file, ".onion:18084\n"), 2);
        ck_assert_uint_eq(count_lines_with(file, ".b32.i2p\n"), 2);
        for (int j = 0; j < 4; j++) {
            char clear[64], onion[128], i2p[128];
            snprintf(clear, sizeof clear, "add-exclusive-node=net-%d:18080\n", j);
            snprintf(onion, sizeof onion, "add-exclusive-node=%s:18084\n",
                     status_address(resp, j, "onion"));
            snprintf(i2p, sizeof i2p, "add-exclusive-node=%s\n", status_address(resp, j, "i2p"));
            bool neighbour = strstr(file, clear) != NULL;
            ck_assert_int_eq(neighbour, (j == (i + 1) % 4 || j == (i + 3) % 4));
            ck_assert_int_eq(strstr(file, onion) != NULL, neighbour);
            ck_assert_int_eq(strstr(file, i2p) != NULL, neighbour);
        }
    }
    json_decref(observed);
    json_decref(first);
    json_decref(resp);
}
END_TEST

START_TEST(single_node_is_offline)
{
    json_t *resp = network("{\"replicas\": 1}");
    json_t *c = test_first_container(resp, "net");
    ck_assert(test_args_contain(c, "--offline"));
    ck_assert_ptr_null(test_find_child(resp, "PodDisruptionBudget", "net"));
    ck_assert_uint_eq(count_lines_with(peer_file(resp, "net-0"), "add-exclusive-node"), 0);
    json_decref(resp);
}
END_TEST

START_TEST(peers_are_closed_and_reserved)
{
    static const char *const refused[] = {"--add-exclusive-node=1.2.3.4",
                                          "--add-peer=x:1",
                                          "--add-priority-node=x",
                                          "--seed-node=x",
                                          "--offline",
                                          "--data-dir=/x"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char spec[256];
        snprintf(spec, sizeof spec,
                 "{\"template\": {\"spec\": {\"monerod\": {\"args\": [\"%s\"]}}}}", refused[i]);
        test_expect_invalid("moneronetwork", test_request("MoneroNetwork", "net", spec, NULL),
                            "spec.template.spec.monerod.args[0]");
    }
}
END_TEST

START_TEST(invalid_topologies)
{
    test_expect_invalid(
        "moneronetwork",
        test_request("MoneroNetwork", "net", "{\"topology\": {\"type\": \"star\"}}", NULL),
        "spec.topology.type");
    test_expect_invalid(
        "moneronetwork",
        test_request("MoneroNetwork", "net", "{\"topology\": {\"degree\": 1}}", NULL),
        "spec.topology.degree");
    test_expect_invalid("moneronetwork",
                        test_request("MoneroNetwork", "net",
                                     "{\"replicas\": 1000, \"topology\": {\"type\": \"mesh\"}}",
                                     NULL),
                        "use type ring or random");
    test_expect_invalid("moneronetwork",
                        test_request("MoneroNetwork", "net", "{\"replicas\": 0}", NULL),
                        "spec.replicas");
    test_expect_invalid(
        "moneronetwork",
        test_request("MoneroNetwork", "net", "{\"template\": {\"spec\": {\"replicas\": 2}}}", NULL),
        "spec.template.spec.replicas: unknown field");
}
END_TEST

START_TEST(topology_change_restarts_nodes)
{
    json_t *a = network("{\"replicas\": 6, \"topology\": {\"seed\": 1}}");
    json_t *b = network("{\"replicas\": 6, \"topology\": {\"seed\": 2}}");
    json_t *a2 = network("{\"replicas\": 6, \"topology\": {\"seed\": 1}}");
    const char *path = "spec.template.metadata.annotations";
    const char *ha = jsonx_string(jsonx_path(test_find_child(a, "StatefulSet", "net"), path),
                                  "utxo.com.br/peers-sha256");
    const char *hb = jsonx_string(jsonx_path(test_find_child(b, "StatefulSet", "net"), path),
                                  "utxo.com.br/peers-sha256");
    const char *ha2 = jsonx_string(jsonx_path(test_find_child(a2, "StatefulSet", "net"), path),
                                   "utxo.com.br/peers-sha256");
    ck_assert_uint_eq(strlen(ha), 64);
    ck_assert_str_ne(ha, hb);
    ck_assert_str_eq(ha, ha2);
    json_decref(a);
    json_decref(b);
    json_decref(a2);
}
END_TEST

START_TEST(thousand_nodes_stay_linear)
{
    json_t *random = network("{\"replicas\": 1000}");
    json_t *ring = network("{\"replicas\": 1000, \"topology\": {\"type\": \"ring\"}}");
    char *text = json_dumps(random, JSON_COMPACT);
    size_t random_size = strlen(text);
    free(text);
    size_t i, configmaps = 0;
    json_t *child;
    json_array_foreach(jsonx_array(random, "children"), i, child)
    {
        char *one = json_dumps(child, JSON_COMPACT);
        ck_assert_uint_lt(strlen(one), 128 * 1024); /* under Metacontroller's annotation cap */
        free(one);
        configmaps += strcmp(jsonx_string(child, "kind"), "ConfigMap") == 0;
    }
    ck_assert_uint_gt(configmaps, 1); /* the peer files are sharded */
    ck_assert_uint_eq(json_array_size(jsonx_array(random, "children")),
                      1000 + 1 + 1 + 1 + configmaps);
    ck_assert_uint_lt(random_size, 2500 * 1000); /* about 1 kB per node, not N^2 */
    ck_assert_int_eq(json_integer_value(jsonx_path(random, "status.topology.links")), 2000);
    ck_assert_int_eq(json_integer_value(jsonx_path(ring, "status.topology.links")), 1000);
    json_decref(random);
    json_decref(ring);
}
END_TEST

START_TEST(testnet_networks_use_testnet_ports)
{
    json_t *resp =
        network("{\"replicas\": 2, \"template\": {\"spec\": {\"network\": \"testnet\"}}}");
    ck_assert_ptr_nonnull(strstr(peer_file(resp, "net-0"), "add-exclusive-node=net-1:28080"));
    json_t *c = test_first_container(resp, "net");
    ck_assert(test_args_contain(c, "--testnet"));
    ck_assert(!test_args_contain(c, "--keep-fakechain"));
    json_decref(resp);
}
END_TEST

/* A closed network's chain moves only when someone there mines: no block-age readiness limit,
 * or every node falls unready whenever mining pauses. */
static bool exporter_has(json_t *resp, const char *arg)
{
    json_t *sts = test_find_child(resp, "StatefulSet", "net");
    size_t i;
    json_t *c;
    json_array_foreach(jsonx_array(jsonx_path(sts, "spec.template.spec"), "containers"), i,
                       c) if (strcmp(jsonx_string(c, "name"), "exporter") ==
                              0) return test_args_contain(c, arg);
    return false;
}

START_TEST(closed_networks_have_no_block_age_limit)
{
    const char *nets[] = {"testnet", "stagenet", "mainnet", "regtest"};
    for (size_t i = 0; i < 4; i++) {
        char spec[160];
        snprintf(spec, sizeof spec,
                 "{\"replicas\": 2, \"template\": {\"spec\": {\"network\": \"%s\"}}}", nets[i]);
        json_t *resp = network(spec);
        ck_assert_msg(exporter_has(resp, "--max-block-age=0"), "%s network", nets[i]);
        json_decref(resp);
    }
    json_t *resp = network("{\"replicas\": 2, \"template\": {\"spec\": {\"network\": \"testnet\", "
                           "\"metrics\": {\"maxBlockAgeSeconds\": 900}}}}");
    ck_assert(exporter_has(resp, "--max-block-age=900")); /* still the user's to set */
    json_decref(resp);
}
END_TEST

/* One sync through the server's path with at most `max_new` new children per sync. */
static json_t *paced_sync(json_t *request, unsigned long max_new)
{
    struct hook_defaults defaults = hook_builtin_defaults;
    defaults.max_new_children = max_new;
    struct hook_answer reply = {0};
    char *body = json_dumps(request, JSON_COMPACT);
    hook_call(hook_find_by_name("moneronetwork"), HOOK_CALL_SYNC, &defaults, body, strlen(body),
              &reply);
    free(body);
    ck_assert_int_eq(reply.http_status, 200);
    json_t *resp = json_loadb(reply.body, reply.body_len, 0, NULL);
    free(reply.body);
    return resp;
}

/* A large set is created a batch per sync, the StatefulSet and its ConfigMaps first, and the
 * Ready condition says how far it has got; nothing observed is ever left out. */
START_TEST(creation_is_paced_and_its_progress_shown)
{
    const char *spec = "{\"replicas\": 10}";
    json_t *req = test_request("MoneroNetwork", "net", spec, NULL);
    json_t *resp = paced_sync(req, 4);
    json_decref(req);
    /* 15 children: 10 Services, headless Service, StatefulSet, PDB, ConfigMap(s) */
    ck_assert_int_eq(json_array_size(jsonx_array(resp, "children")), 4);
    ck_assert_ptr_nonnull(test_find_child(resp, "StatefulSet", "net"));
    ck_assert_ptr_nonnull(test_find_child(resp, "PodDisruptionBudget", "net"));
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "reason"), "Creating");
    ck_assert_ptr_nonnull(strstr(jsonx_string(ready, "message"), "creating children: 0 of "));
    size_t syncs = 1, last = 0;
    while (strcmp(jsonx_string(test_ready_condition(resp), "reason"), "Creating") == 0 ||
           json_array_size(jsonx_array(resp, "children")) != last) {
        last = json_array_size(jsonx_array(resp, "children"));
        json_t *observed = test_as_observed(resp);
        char *text = json_dumps(observed, JSON_COMPACT);
        req = test_request("MoneroNetwork", "net", spec, text);
        free(text);
        json_decref(observed);
        json_decref(resp);
        resp = paced_sync(req, 4);
        json_decref(req);
        ck_assert_uint_ge(json_array_size(jsonx_array(resp, "children")), last); /* never fewer */
        ck_assert_uint_lt(++syncs, 10);
    }
    json_t *unpaced = network(spec);
    ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")),
                      json_array_size(jsonx_array(unpaced, "children")));
    ck_assert_uint_eq(syncs, 5); /* 4 + 4 + 4 + 3 new, then one that asks for nothing new */
    json_decref(unpaced);
    json_decref(resp);
}
END_TEST

Suite *network_suite(void)
{
    Suite *s = suite_create("moneronetwork");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, mesh_wires_every_pair);
    tcase_add_test(tc, single_node_is_offline);
    tcase_add_test(tc, anonymity_peers_follow_the_topology);
    tcase_add_test(tc, peers_are_closed_and_reserved);
    tcase_add_test(tc, invalid_topologies);
    tcase_add_test(tc, topology_change_restarts_nodes);
    tcase_add_test(tc, thousand_nodes_stay_linear);
    tcase_add_test(tc, creation_is_paced_and_its_progress_shown);
    tcase_add_test(tc, testnet_networks_use_testnet_ports);
    tcase_add_test(tc, closed_networks_have_no_block_age_limit);
    suite_add_tcase(s, tc);
    return s;
}
