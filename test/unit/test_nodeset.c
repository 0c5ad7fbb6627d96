/* MoneroNodeSet hook: properties every response must have, checked directly (the fixtures check
 * whole responses; these say what matters and why). */
#include "testlib.h"

#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *request(const char *name, const char *spec, const char *children)
{
    char buf[16384];
    snprintf(buf, sizeof buf,
             "{\"controller\": {}, \"parent\": {\"apiVersion\": \"utxo.com.br/v1alpha1\", "
             "\"kind\": \"MoneroNodeSet\", \"metadata\": {\"name\": \"%s\", \"namespace\": "
             "\"monero\", \"generation\": 4, \"uid\": \"u-1\"}, \"spec\": %s}, \"children\": %s, "
             "\"related\": {}, \"finalizing\": false}",
             name, spec,
             children ? children
                      : "{\"Service.v1\": {}, \"StatefulSet.apps/v1\": {}, "
                        "\"PodDisruptionBudget.policy/v1\": {}}");
    json_error_t err;
    json_t *r = json_loads(buf, 0, &err);
    ck_assert_msg(r != NULL, "test request: %s", err.text);
    return r;
}

static json_t *sync_ok(json_t *req)
{
    json_t *resp;
    int status = test_run_hook("moneronodeset", req, &resp);
    ck_assert_int_eq(status, 200);
    json_decref(req);
    return resp;
}

static json_t *container(json_t *resp, const char *sts)
{
    json_t *s = test_find_child(resp, "StatefulSet", sts);
    ck_assert_ptr_nonnull(s);
    return json_array_get(jsonx_array(jsonx_path(s, "spec.template.spec"), "containers"), 0);
}

static bool args_contain(json_t *c, const char *arg)
{
    size_t i;
    json_t *a;
    json_array_foreach(jsonx_array(c, "args"), i,
                       a) if (strcmp(json_string_value(a), arg) == 0) return true;
    return false;
}

static void expect_invalid(const char *spec, const char *fragment)
{
    json_t *resp = sync_ok(request("nodes", spec, NULL));
    json_t *ready = test_ready_condition(resp);
    ck_assert_ptr_nonnull(ready);
    ck_assert_str_eq(jsonx_string(ready, "status"), "False");
    ck_assert_str_eq(jsonx_string(ready, "reason"), "InvalidSpec");
    ck_assert_msg(strstr(jsonx_string(ready, "message"), fragment), "\"%s\" lacks \"%s\"",
                  jsonx_string(ready, "message"), fragment);
    ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")), 0);
    json_decref(resp);
}

START_TEST(seed_example_first_sync)
{
    json_t *resp = sync_ok(request(
        "nodes",
        "{\"replicas\": 3, \"hardAntiAffinity\": true, \"monerod\": {\"image\": "
        "\"utxobr/monerod:v0.17.2.0\", \"args\": [\"--public\", \"--enable-dns-blocklist\", "
        "\"--enforce-dns-checkpointing\", \"--out-peers=1024\", \"--in-peers=1024\", "
        "\"--limit-rate=128000\"]}}",
        NULL));
    ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")), 4);
    ck_assert_ptr_nonnull(test_find_child(resp, "Service", "nodes"));
    ck_assert_ptr_nonnull(test_find_child(resp, "Service", "nodes-headless"));
    ck_assert_ptr_nonnull(test_find_child(resp, "PodDisruptionBudget", "nodes"));
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    json_t *spec = jsonx_object(sts, "spec");
    ck_assert_str_eq(jsonx_string(jsonx_object(sts, "metadata"), "namespace"), "monero");
    ck_assert(json_is_integer(json_object_get(spec, "replicas")));
    ck_assert_int_eq(json_integer_value(json_object_get(spec, "replicas")), 3);
    ck_assert_str_eq(jsonx_string(spec, "podManagementPolicy"), "Parallel");
    ck_assert_str_eq(
        jsonx_string(jsonx_object(spec, "persistentVolumeClaimRetentionPolicy"), "whenScaled"),
        "Retain");
    json_t *pod = jsonx_path(spec, "template.spec");
    json_t *hard = jsonx_path(pod, "affinity.podAntiAffinity");
    json_t *term =
        json_array_get(jsonx_array(hard, "requiredDuringSchedulingIgnoredDuringExecution"), 0);
    ck_assert_str_eq(jsonx_string(term, "topologyKey"), "kubernetes.io/hostname");
    json_t *c = container(resp, "nodes");
    ck_assert_str_eq(jsonx_string(c, "image"), "utxobr/monerod:v0.17.2.0");
    json_t *args = jsonx_array(c, "args");
    size_t n = json_array_size(args);
    ck_assert_str_eq(json_string_value(json_array_get(args, n - 6)), "--public");
    ck_assert_str_eq(json_string_value(json_array_get(args, n - 1)), "--limit-rate=128000");
    ck_assert(args_contain(c, "--rpc-bind-ip=127.0.0.1"));
    ck_assert(!args_contain(c, "--out-peers=12")); /* replaced by the user's value */
    json_decref(resp);
}
END_TEST

START_TEST(pods_are_hardened)
{
    json_t *resp = sync_ok(request("nodes", "{}", NULL));
    json_t *pod = jsonx_path(test_find_child(resp, "StatefulSet", "nodes"), "spec.template.spec");
    json_t *c = container(resp, "nodes");
    json_t *psc = jsonx_object(pod, "securityContext");
    json_t *csc = jsonx_object(c, "securityContext");
    ck_assert(json_is_true(json_object_get(psc, "runAsNonRoot")));
    ck_assert_str_eq(jsonx_string(jsonx_object(psc, "seccompProfile"), "type"), "RuntimeDefault");
    ck_assert(json_is_false(json_object_get(csc, "allowPrivilegeEscalation")));
    ck_assert(json_is_true(json_object_get(csc, "readOnlyRootFilesystem")));
    ck_assert_str_eq(json_string_value(
                         json_array_get(jsonx_array(jsonx_object(csc, "capabilities"), "drop"), 0)),
                     "ALL");
    ck_assert_int_eq(json_integer_value(json_object_get(pod, "terminationGracePeriodSeconds")),
                     300);
    ck_assert_int_eq(json_integer_value(jsonx_path(c, "startupProbe.failureThreshold")), 720);
    ck_assert_str_eq(jsonx_string(jsonx_path(c, "livenessProbe.httpGet"), "path"), "/get_height");
    ck_assert(json_is_false(json_object_get(pod, "automountServiceAccountToken")));
    /* one replica: no disruption budget */
    ck_assert_ptr_null(test_find_child(resp, "PodDisruptionBudget", "nodes"));
    json_decref(resp);
}
END_TEST

START_TEST(service_types)
{
    json_t *resp = sync_ok(request("nodes", "{\"service\": {\"type\": \"LoadBalancer\"}}", NULL));
    json_t *svc = jsonx_object(test_find_child(resp, "Service", "nodes"), "spec");
    ck_assert_str_eq(jsonx_string(svc, "type"), "LoadBalancer");
    ck_assert_str_eq(jsonx_string(svc, "externalTrafficPolicy"), "Local");
    json_decref(resp);
    resp = sync_ok(request("nodes", "{}", NULL));
    svc = jsonx_object(test_find_child(resp, "Service", "nodes"), "spec");
    ck_assert_str_eq(jsonx_string(svc, "type"), "ClusterIP");
    ck_assert_ptr_null(json_object_get(svc, "externalTrafficPolicy"));
    json_decref(resp);
}
END_TEST

START_TEST(invalid_specs_name_the_field)
{
    expect_invalid("{\"monerod\": {\"args\": [\"--data-dir=/x\"]}}", "spec.monerod.args[0]");
    expect_invalid("{\"monerod\": {\"args\": [\"--rpc-bind-ip\", \"0.0.0.0\"]}}",
                   "unrestricted RPC");
    expect_invalid("{\"monerod\": {\"args\": [\"--confirm-external\"]}}", "confirm-external-bind");
    expect_invalid("{\"diskSize\": \"lots\"}", "spec.diskSize");
    expect_invalid("{\"diskSize\": \"0\"}", "greater than zero");
    expect_invalid("{\"service\": {\"type\": \"ExternalName\"}}", "spec.service.type");
    expect_invalid("{\"replicas\": -1}", "spec.replicas");
    expect_invalid("{\"replicas\": 2.5}", "spec.replicas");
    expect_invalid("{\"hardAntiAffinity\": \"yes\"}", "spec.hardAntiAffinity");
    expect_invalid("{\"replcas\": 3}", "spec.replcas: unknown field");
    expect_invalid("{\"network\": \"testnet\", \"monerod\": {\"args\": [\"--regtest\"]}}",
                   "spec.network");
    expect_invalid("{\"monerod\": {\"args\": [\"--testnet\", \"--stagenet\"]}}", "cannot be");
    expect_invalid("{\"monerod\": {\"resources\": {\"requests\": {\"memory\": \"4Gi\"}, "
                   "\"limits\": {\"memory\": \"2Gi\"}}}}",
                   "above its limit");
    expect_invalid("{\"storageClass\": \"Fast SSD\"}", "spec.storageClass");
    expect_invalid("{\"volumeRetentionPolicy\": {\"whenDeleted\": \"Keep\"}}", "whenDeleted");
}
END_TEST

START_TEST(names_too_long_for_children)
{
    json_t *resp =
        sync_ok(request("a2345678901234567890123456789012345678901234567890123", "{}", NULL));
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "reason"), "InvalidSpec");
    ck_assert(strstr(jsonx_string(ready, "message"), "metadata.name"));
    json_decref(resp);
}
END_TEST

static const char *observed_children =
    "{\"Service.v1\": {\"nodes\": {\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": "
    "{\"name\": \"nodes\", \"namespace\": \"monero\", \"uid\": \"s1\"}, \"spec\": {\"type\": "
    "\"ClusterIP\", \"clusterIP\": \"10.1.2.3\"}}}, \"StatefulSet.apps/v1\": {\"nodes\": "
    "{\"apiVersion\": \"apps/v1\", \"kind\": \"StatefulSet\", \"metadata\": {\"name\": \"nodes\", "
    "\"namespace\": \"monero\", \"generation\": 2}, \"spec\": {\"replicas\": 2, "
    "\"volumeClaimTemplates\": [{\"apiVersion\": \"v1\", \"kind\": \"PersistentVolumeClaim\", "
    "\"metadata\": {\"name\": \"data\"}, \"spec\": {\"accessModes\": [\"ReadWriteOnce\"], "
    "\"resources\": {\"requests\": {\"storage\": \"150Gi\"}}, \"volumeMode\": \"Filesystem\"}, "
    "\"status\": {\"phase\": \"Pending\"}}]}, \"status\": {\"observedGeneration\": 2, "
    "\"replicas\": 2, \"readyReplicas\": 2, \"updatedReplicas\": 2, \"availableReplicas\": 2}}}, "
    "\"PodDisruptionBudget.policy/v1\": {}}";

START_TEST(invalid_spec_keeps_observed_children)
{
    json_t *resp = sync_ok(request(
        "nodes", "{\"replicas\": 2, \"monerod\": {\"args\": [\"--detach\"]}}", observed_children));
    json_t *children = jsonx_array(resp, "children");
    ck_assert_uint_eq(json_array_size(children), 2);
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    ck_assert_ptr_nonnull(sts);
    ck_assert_ptr_null(json_object_get(sts, "status"));
    ck_assert_int_eq(json_integer_value(jsonx_path(sts, "spec.replicas")), 2);
    ck_assert_ptr_nonnull(test_find_child(resp, "Service", "nodes"));
    ck_assert_int_eq(json_integer_value(jsonx_path(resp, "status.readyReplicas")), 2);
    ck_assert_str_eq(jsonx_string(test_ready_condition(resp), "reason"), "InvalidSpec");
    json_decref(resp);
}
END_TEST

START_TEST(ready_from_observed_statefulset)
{
    json_t *resp = sync_ok(request("nodes", "{\"replicas\": 2}", observed_children));
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "status"), "True");
    ck_assert_str_eq(jsonx_string(ready, "message"), "2/2 nodes ready");
    ck_assert_int_eq(json_integer_value(json_object_get(ready, "observedGeneration")), 4);
    /* existing volume templates are kept exactly as the server stored them */
    json_t *vct = json_array_get(
        jsonx_array(jsonx_object(test_find_child(resp, "StatefulSet", "nodes"), "spec"),
                    "volumeClaimTemplates"),
        0);
    ck_assert_str_eq(jsonx_string(jsonx_object(vct, "spec"), "volumeMode"), "Filesystem");
    json_decref(resp);
    resp = sync_ok(request("nodes", "{\"replicas\": 3}", observed_children));
    ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "status"), "False");
    ck_assert_str_eq(jsonx_string(ready, "reason"), "Scaling");
    ck_assert_str_eq(jsonx_string(ready, "message"), "scaling from 2 to 3 nodes, 2 ready");
    json_decref(resp);
}
END_TEST

START_TEST(disk_size_change_is_reported_not_applied)
{
    json_t *resp =
        sync_ok(request("nodes", "{\"replicas\": 2, \"diskSize\": \"200Gi\"}", observed_children));
    json_t *conds = jsonx_array(jsonx_object(resp, "status"), "conditions");
    json_t *storage = json_array_get(conds, 1);
    ck_assert_str_eq(jsonx_string(storage, "type"), "StorageUpToDate");
    ck_assert(strstr(jsonx_string(storage, "message"), "200Gi"));
    json_t *vct = json_array_get(
        jsonx_array(jsonx_object(test_find_child(resp, "StatefulSet", "nodes"), "spec"),
                    "volumeClaimTemplates"),
        0);
    ck_assert_str_eq(jsonx_string(jsonx_path(vct, "spec.resources.requests"), "storage"), "150Gi");
    json_decref(resp);
}
END_TEST

static const json_t *data_volume_template(const json_t *resp, const char *set)
{
    return json_array_get(
        jsonx_array(jsonx_object(test_find_child(resp, "StatefulSet", set), "spec"),
                    "volumeClaimTemplates"),
        0);
}

/* bootstrap.volumeSnapshot: the volumes of a new set restore from it; an existing set keeps its
 * template (immutable) and says so. */
START_TEST(volume_snapshot_applies_when_the_set_is_created)
{
    const char *spec = "{\"replicas\": 2, \"bootstrap\": {\"volumeSnapshot\": \"synced-1\"}}";
    json_t *resp = sync_ok(request("fresh", spec, NULL));
    const json_t *source = jsonx_path(data_volume_template(resp, "fresh"), "spec.dataSource");
    ck_assert_str_eq(jsonx_string(source, "kind"), "VolumeSnapshot");
    ck_assert_str_eq(jsonx_string(source, "apiGroup"), "snapshot.storage.k8s.io");
    ck_assert_str_eq(jsonx_string(source, "name"), "synced-1");
    json_decref(resp);
    resp = sync_ok(request("nodes", spec, observed_children));
    ck_assert_ptr_null(jsonx_path(data_volume_template(resp, "nodes"), "spec.dataSource"));
    json_t *storage = json_array_get(jsonx_array(jsonx_object(resp, "status"), "conditions"), 1);
    ck_assert_str_eq(jsonx_string(storage, "type"), "StorageUpToDate");
    ck_assert_str_eq(jsonx_string(storage, "reason"), "VolumeTemplateImmutable");
    ck_assert(
        strstr(jsonx_string(storage, "message"), "\"synced-1\" applies only to a set created"));
    json_decref(resp);
    test_expect_invalid("moneronodeset",
                        request("n", "{\"bootstrap\": {\"volumeSnapshot\": \"No_Such\"}}", NULL),
                        "spec.bootstrap.volumeSnapshot: \"No_Such\" is not a VolumeSnapshot name");
    test_expect_invalid(
        "moneronodeset",
        request("n", "{\"bootstrap\": {\"volumeSnapshot\": \"s\", \"fromSibling\": true}}", NULL),
        "spec.bootstrap.fromSibling: volumes restored from volumeSnapshot are never empty, so "
        "fromSibling would never copy; choose one of the two");
}
END_TEST

START_TEST(networks_pick_ports_and_flags)
{
    json_t *resp = sync_ok(request("reg", "{\"monerod\": {\"args\": [\"--regtest\"]}}", NULL));
    json_t *c = container(resp, "reg");
    ck_assert(args_contain(c, "--keep-fakechain"));
    ck_assert(args_contain(c, "--offline"));
    ck_assert(!args_contain(c, "--prune-blockchain"));
    ck_assert(args_contain(c, "--p2p-bind-port=18080"));
    ck_assert_str_eq(jsonx_string(jsonx_object(resp, "status"), "network"), "regtest");
    json_decref(resp);
    resp = sync_ok(request("test", "{\"network\": \"testnet\"}", NULL));
    c = container(resp, "test");
    ck_assert(args_contain(c, "--testnet"));
    ck_assert(args_contain(c, "--p2p-bind-port=28080"));
    ck_assert(args_contain(c, "--rpc-restricted-bind-port=28089"));
    json_decref(resp);
}
END_TEST

START_TEST(output_is_deterministic)
{
    json_t *req =
        request("nodes", "{\"replicas\": 3, \"monerod\": {\"args\": [\"--out-peers=8\"]}}",
                observed_children);
    json_t *a, *b;
    ck_assert_int_eq(test_run_hook("moneronodeset", req, &a), 200);
    ck_assert_int_eq(test_run_hook("moneronodeset", req, &b), 200);
    char *ta = json_dumps(a, JSON_SORT_KEYS), *tb = json_dumps(b, JSON_SORT_KEYS);
    ck_assert_str_eq(ta, tb);
    free(ta);
    free(tb);
    json_decref(a);
    json_decref(b);
    json_decref(req);
}
END_TEST

static json_t *container_named(json_t *resp, const char *name)
{
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    size_t i;
    json_t *c;
    json_array_foreach(jsonx_array(jsonx_path(sts, "spec.template.spec"), "containers"), i,
                       c) if (strcmp(jsonx_string(c, "name"), name) == 0) return c;
    return NULL;
}

/* A full node turned pruned would prune for hours at start-up and be killed mid-prune: refused,
 * with the running set kept as it is. A set created pruned stays accepted. */
START_TEST(pruning_an_existing_full_node_is_refused)
{
    json_t *full = sync_ok(request("nodes", "{\"pruned\": false}", NULL));
    json_t *sts = test_find_child(full, "StatefulSet", "nodes");
    json_t *req = request("nodes", "{\"pruned\": true}", NULL);
    json_object_set_new(json_object_get(req, "children"), "StatefulSet.apps/v1",
                        json_pack("{s:O}", "nodes", sts));
    test_expect_invalid(
        "moneronodeset", req,
        "spec.pruned: cannot be turned on for nodes that already hold a full chain");
    json_t *pruned = sync_ok(request("nodes", "{\"pruned\": true}", NULL));
    req = request("nodes", "{\"pruned\": true}", NULL);
    json_object_set_new(
        json_object_get(req, "children"), "StatefulSet.apps/v1",
        json_pack("{s:O}", "nodes", test_find_child(pruned, "StatefulSet", "nodes")));
    json_decref(sync_ok(req));
    json_decref(pruned);
    json_decref(full);
}
END_TEST

/* simple-monerod's ban list survives the replaced command, on mainnet; a user's replaces it. */
START_TEST(ban_list_is_kept)
{
    json_t *resp = sync_ok(request("nodes", "{}", NULL));
    ck_assert(args_contain(container(resp, "nodes"), "--ban-list=/home/monero/ban_list.txt"));
    json_decref(resp);
    resp = sync_ok(
        request("nodes", "{\"monerod\": {\"args\": [\"--ban-list=/data/mine.txt\"]}}", NULL));
    ck_assert(args_contain(container(resp, "nodes"), "--ban-list=/data/mine.txt"));
    ck_assert(!args_contain(container(resp, "nodes"), "--ban-list=/home/monero/ban_list.txt"));
    json_decref(resp);
    resp = sync_ok(request("nodes", "{\"monerod\": {\"image\": \"example.org/monerod:1\"}}", NULL));
    ck_assert(!args_contain(container(resp, "nodes"), "--ban-list=/home/monero/ban_list.txt"));
    json_decref(resp);
    resp = sync_ok(request("nodes", "{\"network\": \"stagenet\"}", NULL));
    ck_assert(!args_contain(container(resp, "nodes"), "--ban-list=/home/monero/ban_list.txt"));
    json_decref(resp);
}
END_TEST

/* A public node behind a NodePort: the P2P node port is fixed and announced to peers. */
START_TEST(p2p_node_port_is_fixed_and_announced)
{
    json_t *resp = sync_ok(
        request("nodes", "{\"service\": {\"type\": \"NodePort\", \"p2pNodePort\": 31080}}", NULL));
    ck_assert(args_contain(container(resp, "nodes"), "--p2p-external-port=31080"));
    json_t *p2p =
        json_array_get(jsonx_path(test_find_child(resp, "Service", "nodes"), "spec.ports"), 0);
    ck_assert_str_eq(jsonx_string(p2p, "name"), "p2p");
    ck_assert_int_eq(json_integer_value(json_object_get(p2p, "nodePort")), 31080);
    json_decref(resp);
    resp = sync_ok(request(
        "nodes", "{\"service\": {\"type\": \"LoadBalancer\", \"p2pNodePort\": 31080}}", NULL));
    ck_assert(!args_contain(container(resp, "nodes"), "--p2p-external-port=31080")); /* LB: 18080 */
    json_decref(resp);
    test_expect_invalid("moneronodeset",
                        request("nodes", "{\"service\": {\"p2pNodePort\": 31080}}", NULL),
                        "spec.service.p2pNodePort: needs service.type NodePort or LoadBalancer");
    test_expect_invalid(
        "moneronodeset",
        request("nodes", "{\"service\": {\"type\": \"NodePort\", \"p2pNodePort\": 18080}}", NULL),
        "outside the cluster's default node port range");
}
END_TEST

static json_int_t port_field(const json_t *ports, const char *name, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(ports, i, p) if (strcmp(jsonx_string(p, "name"), name) ==
                                        0) return json_integer_value(json_object_get(p, field));
    return -1;
}

static const json_t *condition(const json_t *resp, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(jsonx_path(resp, "status.conditions"), i,
                       c) if (strcmp(jsonx_string(c, "type"), type) == 0) return c;
    return NULL;
}

/* A public node behind a NodePort advertises what peers can reach: its restricted RPC listens on
 * rpcNodePort itself (monerod advertises the port it listens on) and everything in the pod
 * follows that port; in-cluster clients keep the Service's usual port. */
START_TEST(public_node_advertises_its_node_ports)
{
    json_t *resp = sync_ok(request("nodes",
                                   "{\"service\": {\"type\": \"NodePort\", \"p2pNodePort\": 30080, "
                                   "\"rpcNodePort\": 30089}, \"tor\": {\"enabled\": true, \"rpc\": "
                                   "true}, \"monerod\": {\"args\": [\"--public-node\"]}}",
                                   NULL));
    json_t *c = container(resp, "nodes");
    ck_assert(args_contain(c, "--rpc-restricted-bind-port=30089"));
    ck_assert(args_contain(c, "--p2p-external-port=30080"));
    ck_assert_int_eq(port_field(jsonx_array(c, "ports"), "rpc", "containerPort"), 30089);
    ck_assert_int_eq(json_integer_value(jsonx_path(c, "livenessProbe.httpGet.port")), 30089);
    json_t *ports = jsonx_path(test_find_child(resp, "Service", "nodes"), "spec.ports");
    ck_assert_int_eq(port_field(ports, "rpc", "port"), 18089);
    ck_assert_int_eq(port_field(ports, "rpc", "targetPort"), 30089);
    ck_assert_int_eq(port_field(ports, "rpc", "nodePort"), 30089);
    ports = jsonx_path(test_find_child(resp, "Service", "nodes-headless"), "spec.ports");
    ck_assert_int_eq(port_field(ports, "rpc", "targetPort"), 30089);
    const char *torrc = jsonx_string(
        jsonx_object(test_find_child(resp, "ConfigMap", "nodes-tor"), "data"), "torrc");
    ck_assert_ptr_nonnull(strstr(torrc, "HiddenServicePort 18089 127.0.0.1:30089\n"));
    ck_assert_str_eq(jsonx_string(condition(resp, "PublicNodeReachable"), "status"), "True");
    json_decref(resp);

    resp = sync_ok(request("nodes",
                           "{\"service\": {\"type\": \"LoadBalancer\", \"rpcNodePort\": 30089}}",
                           NULL)); /* a load balancer's port is the Service's: 18089 */
    ck_assert(args_contain(container(resp, "nodes"), "--rpc-restricted-bind-port=18089"));
    ports = jsonx_path(test_find_child(resp, "Service", "nodes"), "spec.ports");
    ck_assert_int_eq(port_field(ports, "rpc", "nodePort"), 30089);
    ck_assert_ptr_null(condition(resp, "PublicNodeReachable"));
    json_decref(resp);

    resp = sync_ok(request("nodes", "{\"monerod\": {\"args\": [\"--public\"]}}", NULL));
    const json_t *reach = condition(resp, "PublicNodeReachable");
    ck_assert_str_eq(jsonx_string(reach, "status"), "False");
    ck_assert_str_eq(jsonx_string(reach, "reason"), "ClusterIPService");
    ck_assert_ptr_nonnull(test_find_child(resp, "StatefulSet", "nodes")); /* still served */
    json_decref(resp);
}
END_TEST

/* Combinations where the advertised RPC cannot be reached are refused with the reason. */
START_TEST(unreachable_public_nodes_are_refused)
{
    test_expect_invalid("moneronodeset",
                        request("nodes",
                                "{\"service\": {\"type\": \"NodePort\", \"p2pNodePort\": "
                                "30080}, \"monerod\": {\"args\": [\"--out-peers=8\", "
                                "\"--public-node\"]}}",
                                NULL),
                        "spec.monerod.args[1]: --public-node advertises this node's RPC to peers, "
                        "but behind a NodePort it needs service.p2pNodePort and "
                        "service.rpcNodePort");
    test_expect_invalid("moneronodeset",
                        request("nodes",
                                "{\"tor\": {\"enabled\": true, \"only\": true}, \"monerod\": "
                                "{\"args\": [\"--public-node\"]}}",
                                NULL),
                        "with tor.only peers see only Tor exits' addresses");
    test_expect_invalid("moneronodeset",
                        request("nodes", "{\"service\": {\"rpcNodePort\": 30089}}", NULL),
                        "spec.service.rpcNodePort: needs service.type NodePort or LoadBalancer");
    test_expect_invalid("moneronodeset",
                        request("nodes",
                                "{\"service\": {\"type\": \"NodePort\", \"p2pNodePort\": "
                                "30080, \"rpcNodePort\": 30080}}",
                                NULL),
                        "spec.service.rpcNodePort: must differ from p2pNodePort");
    test_expect_invalid("moneronetwork",
                        test_request("MoneroNetwork", "net",
                                     "{\"template\": {\"spec\": {\"service\": {\"type\": "
                                     "\"NodePort\", \"rpcNodePort\": 30089}}}}",
                                     NULL),
                        "spec.template.spec.service.rpcNodePort: is for MoneroNodeSets");
}
END_TEST

/* A ZMQ publisher asked for in the arguments is a declared container port (p2pool subscribes). */
START_TEST(zmq_pub_port_is_declared)
{
    const char *specs[] = {"{\"monerod\": {\"args\": [\"--zmq-pub=tcp://0.0.0.0:18083\"]}}",
                           "{\"monerod\": {\"args\": [\"--zmq-pub\", \"tcp://0.0.0.0:18083\"]}}"};
    for (int i = 0; i < 2; i++) {
        json_t *resp = sync_ok(request("nodes", specs[i], NULL));
        json_t *ports = jsonx_array(container(resp, "nodes"), "ports");
        bool found = false;
        size_t j;
        json_t *port;
        json_array_foreach(ports, j, port) found |=
            strcmp(jsonx_string(port, "name"), "zmq-pub") == 0 &&
            json_integer_value(json_object_get(port, "containerPort")) == 18083;
        ck_assert_msg(found, "spec %d: no zmq-pub port", i);
        json_decref(resp);
    }
    json_t *resp = sync_ok(request("nodes", "{}", NULL));
    ck_assert_uint_eq(json_array_size(jsonx_array(container(resp, "nodes"), "ports")), 2);
    json_decref(resp);
}
END_TEST

/* Specs a cluster would run to no purpose are refused, naming the field. */
START_TEST(hopeless_specs_are_refused)
{
    test_expect_invalid("moneronodeset", request("nodes", "{\"diskSize\": \"100m\"}", NULL),
                        "spec.diskSize: \"100m\" is below 1Gi");
    test_expect_invalid("moneronodeset", request("nodes", "{\"diskSize\": \"1023Mi\"}", NULL),
                        "spec.diskSize");
    test_expect_invalid("moneronodeset",
                        request("nodes",
                                "{\"tor\": {\"enabled\": true, \"only\": true}, "
                                "\"i2p\": {\"enabled\": true}}",
                                NULL),
                        "spec.tor.only: cannot be combined with i2p.enabled");
    json_decref(sync_ok(request("nodes", "{\"diskSize\": \"1Gi\"}", NULL)));
}
END_TEST

START_TEST(exporter_sidecar_and_sync_aware_readiness)
{
    json_t *resp = sync_ok(request("nodes", "{}", NULL));
    json_t *exporter = container_named(resp, "exporter");
    ck_assert_ptr_nonnull(exporter);
    ck_assert(args_contain(exporter, "--monerod=http://127.0.0.1:18081"));
    ck_assert(args_contain(exporter, "--max-block-age=1800"));
    ck_assert(args_contain(exporter, "--listen=:9090"));
    json_t *probe = jsonx_path(container(resp, "nodes"), "readinessProbe.httpGet");
    ck_assert_str_eq(jsonx_string(probe, "path"), "/readyz");
    ck_assert_int_eq(json_integer_value(json_object_get(probe, "port")), 9090);
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    ck_assert_str_eq(
        jsonx_string(jsonx_path(sts, "spec.template.metadata.annotations"), "prometheus.io/port"),
        "9090");
    json_decref(resp);

    /* regtest chains move only when mined: no block-age check */
    resp = sync_ok(request("nodes", "{\"network\": \"regtest\"}", NULL));
    ck_assert(args_contain(container_named(resp, "exporter"), "--monerod=http://127.0.0.1:18081"));
    ck_assert(args_contain(container_named(resp, "exporter"), "--max-block-age=0"));
    json_decref(resp);
    resp = sync_ok(request("nodes",
                           "{\"network\": \"stagenet\", \"metrics\": {\"port\": 9100, "
                           "\"maxBlockAgeSeconds\": 600}}",
                           NULL));
    ck_assert(args_contain(container_named(resp, "exporter"), "--monerod=http://127.0.0.1:38081"));
    ck_assert(args_contain(container_named(resp, "exporter"), "--max-block-age=600"));
    ck_assert(args_contain(container_named(resp, "exporter"), "--listen=:9100"));
    json_decref(resp);

    /* opted out: no sidecar, no annotations, readiness falls back to RPC answering */
    resp = sync_ok(request("nodes", "{\"metrics\": {\"enabled\": false}}", NULL));
    ck_assert_ptr_null(container_named(resp, "exporter"));
    probe = jsonx_path(container(resp, "nodes"), "readinessProbe.httpGet");
    ck_assert_str_eq(jsonx_string(probe, "path"), "/get_height");
    sts = test_find_child(resp, "StatefulSet", "nodes");
    ck_assert_ptr_null(jsonx_path(sts, "spec.template.metadata.annotations"));
    json_decref(resp);

    expect_invalid("{\"metrics\": {\"port\": 18089}}",
                   "spec.metrics.port: 18089 is one of monerod");
    expect_invalid("{\"metrics\": {\"port\": 80}}", "spec.metrics.port");
    expect_invalid("{\"metrics\": {\"maxBlockAge\": 5}}",
                   "spec.metrics.maxBlockAge: unknown field");
    expect_invalid("{\"metrics\": {\"maxBlockAgeSeconds\": -1}}",
                   "spec.metrics.maxBlockAgeSeconds");
    expect_invalid("{\"metrics\": {\"image\": \"\"}}", "spec.metrics: image must not be empty");
    expect_invalid("{\"metrics\": {\"resources\": {\"limits\": {\"memory\": \"1x\"}}}}",
                   "spec.metrics.resources");
}
END_TEST

START_TEST(wrong_parent_kind_is_a_bad_request)
{
    json_t *req = request("nodes", "{}", NULL);
    json_object_set_new(jsonx_object(req, "parent"), "kind", json_string("MoneroNetwork"));
    json_t *resp;
    ck_assert_int_eq(test_run_hook("moneronodeset", req, &resp), 400);
    json_decref(req);
}
END_TEST

/* A parent being deleted (held by another controller's finalizer): every observed child exactly
 * as it is, nothing new even when the spec asks for more, Ready=False/Deleting. */
START_TEST(a_parent_being_deleted_keeps_its_children_and_asks_for_nothing)
{
    char path[512];
    snprintf(path, sizeof path, "%s/moneronodeset/steady-state/request.json", test_fixtures_dir());
    json_t *req = test_load_json(path);
    json_t *meta = jsonx_path(req, "parent.metadata");
    json_object_set_new(meta, "deletionTimestamp", json_string("2026-01-01T00:00:00Z"));
    json_object_set_new(jsonx_path(req, "parent.spec"), "replicas", json_integer(5));
    size_t observed = test_observed_count(req);
    json_t *resp = test_sync_ok("moneronodeset", req);
    ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")), observed);
    json_t *sts = test_find_child(resp, "StatefulSet", "nodes");
    ck_assert_ptr_nonnull(sts);
    json_int_t replicas = 0;
    jsonx_integer(jsonx_object(sts, "spec"), "replicas", &replicas);
    ck_assert_int_eq(replicas, 3); /* as last applied, not the 5 the spec now asks for */
    json_t *ready = test_ready_condition(resp);
    ck_assert_str_eq(jsonx_string(ready, "reason"), "Deleting");
    ck_assert_str_eq(jsonx_string(ready, "status"), "False");
    json_decref(resp);
    json_t *first = test_request("MoneroNodeSet", "nodes", "{\"replicas\": 3}", NULL);
    json_object_set_new(jsonx_path(first, "parent.metadata"), "deletionTimestamp",
                        json_string("2026-01-01T00:00:00Z"));
    resp = test_sync_ok("moneronodeset", first);
    ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")), 0);
    json_decref(resp);
}
END_TEST

/* Arguments whose last-applied copy (as Go writes it, '&' six bytes) would push the StatefulSet's
 * annotations over the API server's 256 KiB: InvalidSpec naming it, every observed child kept.
 * The same arguments without '&' fit. */
START_TEST(children_over_the_annotation_limit_are_refused_as_go_counts)
{
    char path[512];
    snprintf(path, sizeof path, "%s/moneronodeset/steady-state/request.json", test_fixtures_dir());
    for (int ampersands = 0; ampersands < 2; ampersands++) {
        json_t *req = test_load_json(path);
        json_t *args = json_array();
        for (int i = 0; i < 12; i++) {
            char arg[4200];
            int n = snprintf(arg, sizeof arg, "--add-priority-node=n%d.example.org:18080#", i);
            memset(arg + n, ampersands ? '&' : 'a', 4000);
            arg[n + 4000] = '\0';
            json_array_append_new(args, json_string(arg));
        }
        json_object_set_new(jsonx_object_at(jsonx_path(req, "parent.spec"), "monerod"), "args",
                            args);
        size_t observed = test_observed_count(req);
        json_t *resp = test_sync_ok("moneronodeset", req);
        json_t *ready = test_ready_condition(resp);
        if (ampersands) {
            ck_assert_str_eq(jsonx_string(ready, "reason"), "InvalidSpec");
            ck_assert_ptr_nonnull(
                strstr(jsonx_string(ready, "message"), "the StatefulSet nodes would carry 29"));
            ck_assert_uint_eq(json_array_size(jsonx_array(resp, "children")), observed);
            ck_assert_ptr_nonnull(jsonx_string(jsonx_object(resp, "status"), "selector"));
        } else {
            ck_assert_str_ne(jsonx_string(ready, "reason"), "InvalidSpec");
        }
        json_decref(resp);
    }
}
END_TEST

/* --rpc-ssl=enabled refuses plain HTTP (monerod 0.18: an empty reply), which the metrics
 * sidecar and the readiness probe speak: refused with the reason; autodetect stays allowed. */
START_TEST(rpc_ssl_enabled_is_refused_autodetect_is_not)
{
    test_expect_invalid("moneronodeset",
                        test_request("MoneroNodeSet", "nodes",
                                     "{\"monerod\": {\"args\": [\"--public-node\", "
                                     "\"--rpc-ssl\", \"enabled\"]}}",
                                     NULL),
                        "spec.monerod.args[1]: --rpc-ssl=enabled would refuse the plain HTTP");
    json_t *resp =
        test_sync_ok("moneronodeset",
                     test_request("MoneroNodeSet", "nodes",
                                  "{\"monerod\": {\"args\": [\"--rpc-ssl=autodetect\"]}}", NULL));
    ck_assert_str_ne(jsonx_string(test_ready_condition(resp), "reason"), "InvalidSpec");
    json_decref(resp);
}
END_TEST

Suite *nodeset_suite(void)
{
    Suite *s = suite_create("moneronodeset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_example_first_sync);
    tcase_add_test(tc, pods_are_hardened);
    tcase_add_test(tc, service_types);
    tcase_add_test(tc, invalid_specs_name_the_field);
    tcase_add_test(tc, names_too_long_for_children);
    tcase_add_test(tc, volume_snapshot_applies_when_the_set_is_created);
    tcase_add_test(tc, invalid_spec_keeps_observed_children);
    tcase_add_test(tc, ready_from_observed_statefulset);
    tcase_add_test(tc, disk_size_change_is_reported_not_applied);
    tcase_add_test(tc, networks_pick_ports_and_flags);
    tcase_add_test(tc, output_is_deterministic);
    tcase_add_test(tc, wrong_parent_kind_is_a_bad_request);
    tcase_add_test(tc, exporter_sidecar_and_sync_aware_readiness);
    tcase_add_test(tc, hopeless_specs_are_refused);
    tcase_add_test(tc, zmq_pub_port_is_declared);
    tcase_add_test(tc, public_node_advertises_its_node_ports);
    tcase_add_test(tc, unreachable_public_nodes_are_refused);
    tcase_add_test(tc, ban_list_is_kept);
    tcase_add_test(tc, p2p_node_port_is_fixed_and_announced);
    tcase_add_test(tc, pruning_an_existing_full_node_is_refused);
    tcase_add_test(tc, a_parent_being_deleted_keeps_its_children_and_asks_for_nothing);
    tcase_add_test(tc, children_over_the_annotation_limit_are_refused_as_go_counts);
    tcase_add_test(tc, rpc_ssl_enabled_is_refused_autodetect_is_not);
    suite_add_tcase(s, tc);
    return s;
}
