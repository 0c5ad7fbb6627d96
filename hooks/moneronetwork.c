/*
 * moneronetwork: spec -> validated config -> topology -> children -> status, with no I/O (see
 * moneronetwork.h). An invalid spec keeps every observed child as it is.
 */
#include "moneronetwork.h"

#include "anonymity.h"
#include "invalid_spec.h"
#include "labels.h"
#include "monerod_command.h"
#include "monerod_set.h"
#include "monerod_spec.h"
#include "network_peers.h"
#include "sibling_bootstrap.h"
#include "volumes.h"
#include "workload_status.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_object.h"
#include "k8s/k8s_pod.h"
#include "k8s/k8s_workloads.h"
#include "k8s/spec_read.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STS_KEY              "StatefulSet.apps/v1"
#define NETWORK_REPLICAS_MAX 5000
#define DEFAULT_DEGREE       4

const struct hook_child_type moneronetwork_child_types[] = {
    {"ConfigMap.v1", "configmaps"},
    {"Secret.v1", "secrets"},
    {"Service.v1", "services"},
    {STS_KEY, "statefulsets"},
    {"PodDisruptionBudget.policy/v1", "poddisruptionbudgets"},
    {"NetworkPolicy.networking.k8s.io/v1", "networkpolicies"},
    {NULL, NULL},
};

struct network {
    const struct hook_request *req;
    json_int_t replicas;
    enum topology_type type;
    json_int_t degree; /* as requested */
    json_int_t seed;
    size_t links_per_node; /* effective degree */
    struct monerod_spec spec;
    json_t *labels, *selector_labels; /* owned */
    char headless_name[64];
    struct anonymity_children anonymity;
    struct sibling_bootstrap bootstrap;
};

#define PEERS_FILE NETWORK_PEERS_DIR "/$(POD_NAME).conf"

static int read_topology(const json_t *spec, struct network *net, struct spec_error *err)
{
    static const char *const keys[] = {"type", "degree", "seed", NULL};
    static const char *const types[] = {"mesh", "ring", "random", NULL};
    const json_t *topo;
    const char *type;
    if (spec_read_object(spec, "topology", "spec", &topo, err) < 0 ||
        (topo && spec_check_known_keys(topo, "spec.topology", keys, err) < 0) ||
        spec_read_enum(topo, "type", "spec.topology", types, "random", &type, err) < 0 ||
        spec_read_int(topo, "degree", "spec.topology", 2, 64, DEFAULT_DEGREE, &net->degree, err) <
            0 ||
        spec_read_int(topo, "seed", "spec.topology", 0, INT64_MAX, 0, &net->seed, err) < 0)
        return -1;
    topology_type_parse(type, &net->type);
    size_t n = (size_t)net->replicas;
    if (net->type == TOPOLOGY_MESH)
        net->links_per_node = n - 1;
    else if (net->type == TOPOLOGY_RING)
        net->links_per_node = n > 2 ? 2 : n - 1;
    else
        net->links_per_node = (size_t)net->degree < n - 1 ? (size_t)net->degree : n - 1;
    return 0;
}

static int check_size(const struct network *net, struct spec_error *err)
{
    const struct anonymity_spec *a = &net->spec.anonymity;
    size_t bytes =
        network_peers_estimate(net->req->name, (size_t)net->replicas, net->links_per_node,
                               net->spec.network->p2p_port, a->tor.enabled, a->i2p.enabled);
    if (bytes <= NETWORK_PEERS_MAX_BYTES)
        return 0;
    spec_error_set(err, "spec.topology",
                   "%s of %lld nodes needs about %zu MiB of peer lists, more than the %d MiB "
                   "allowed; use type ring or random",
                   topology_type_name(net->type), (long long)net->replicas, bytes >> 20,
                   NETWORK_PEERS_MAX_BYTES >> 20);
    return -1;
}

static int read_template(const json_t *spec, const struct hook_defaults *defaults,
                         struct network *net, struct spec_error *err)
{
    static const char *const keys[] = {"spec", NULL};
    const json_t *template;
    if (spec_read_object(spec, "template", "spec", &template, err) < 0 ||
        (template && spec_check_known_keys(template, "spec.template", keys, err) < 0))
        return -1;
    const struct monerod_spec_options opts = {"spec.template.spec", defaults, NULL, "regtest",
                                              true};
    return monerod_spec_parse(json_object_get(template, "spec"), &opts, &net->spec, err);
}

static int network_read(struct network *net, const struct hook_defaults *defaults,
                        struct spec_error *err)
{
    static const char *const keys[] = {"replicas", "topology", "template", NULL};
    const json_t *spec = json_object_get(net->req->parent, "spec");
    if (parent_name_check(net->req->name, "a StatefulSet and a Service per node", err) < 0 ||
        (json_is_object(spec) && spec_check_known_keys(spec, "spec", keys, err) < 0) ||
        spec_read_int(spec, "replicas", "spec", 1, NETWORK_REPLICAS_MAX, 3, &net->replicas, err) <
            0 ||
        read_topology(spec, net, err) < 0 || read_template(spec, defaults, net, err) < 0 ||
        volumes_check_network(&net->spec, hook_request_child(net->req, STS_KEY, net->req->name),
                              "spec.template.spec", err) < 0 ||
        volumes_check_pruning(&net->spec, hook_request_child(net->req, STS_KEY, net->req->name),
                              "spec.template.spec", err) < 0 ||
        check_size(net, err) < 0)
        return -1;
    if (net->spec.p2p_node_port || net->spec.rpc_node_port) {
        spec_error_set(err,
                       net->spec.p2p_node_port ? "spec.template.spec.service.p2pNodePort"
                                               : "spec.template.spec.service.rpcNodePort",
                       "is for MoneroNodeSets: each network node has a Service of its own, and "
                       "one node port cannot serve them all");
        return -1;
    }
    if (net->spec.anonymity.tor.only) {
        spec_error_set(err, "spec.template.spec.tor.only",
                       "is for MoneroNodeSets: a network's nodes sync blocks from each other over "
                       "the cluster network");
        return -1;
    }
    const struct anonymity_context ac = {
        net->req,   (size_t)net->replicas, "spec.template.spec", &net->spec, defaults,
        PEERS_FILE, net->labels,           net->selector_labels};
    int rc = anonymity_prepare(&ac, &net->anonymity, err);
    if (rc == 0 && sibling_bootstrap_prepare(net->req, &net->spec, defaults, net->labels,
                                             net->selector_labels, &net->bootstrap) < 0)
        return IDENTITY_NO_RANDOMNESS;
    return rc;
}

/* Node i's own ClusterIP Service, named like its pod: the name its peers dial. */
static json_t *node_service(const struct network *net, size_t i)
{
    char name[96];
    const struct monero_network_info *n = net->spec.network;
    const struct service_port ports[] = {
        {"p2p", n->p2p_port, n->p2p_port},
        {"rpc", n->restricted_rpc_port, n->restricted_rpc_port},
    };
    snprintf(name, sizeof name, "%s-%zu", net->req->name, i);
    json_t *selector = json_pack("{s:s,s:s}", "statefulset.kubernetes.io/pod-name", name,
                                 LABEL_NETWORK, net->req->name);
    struct service_params svc = {
        .name = name,
        .namespace = net->req->namespace,
        .labels = net->labels,
        .selector_labels = selector,
        .type = net->spec.service_type,
        .ports = ports,
        .n_ports = 2,
    };
    json_t *out = service_build(&svc);
    /* a peer must be reachable while it starts, before its RPC makes it ready */
    jsonx_set_bool(jsonx_object(out, "spec"), "publishNotReadyAddresses", true);
    json_decref(selector);
    return out;
}

static json_t *network_argv(const struct network *net, struct spec_error *err)
{
    const struct monerod_command_options cmd = {
        .role = MONEROD_ROLE_NETWORK,
        .field = "spec.template.spec.monerod.args",
        .offline = net->replicas == 1,
        /* with Tor/I2P, pod-init merges the peers into the file it writes */
        .config_file = anonymity_enabled(&net->spec.anonymity) ? MONEROD_RUN_CONFIG : PEERS_FILE,
        .out_peers = (int)net->links_per_node,
    };
    json_t *argv;
    return monerod_command_build(&net->spec, &cmd, &argv, err) < 0 ? NULL : argv;
}

static void network_statefulset(struct network *net, json_t *argv, struct network_peers *peers,
                                struct hook_response *resp)
{
    struct monerod_set set = {
        .req = net->req,
        .replicas = net->replicas,
        .spec = &net->spec,
        .labels = net->labels,
        .selector_labels = net->selector_labels,
        .headless_name = net->headless_name,
        .observed_sts = hook_request_child(net->req, STS_KEY, net->req->name),
        .argv = argv,
        .extra_volumes = json_pack("[O]", peers->volume),
        .extra_mounts = json_pack("[o]", k8s_volume_mount("peers", NETWORK_PEERS_DIR, true)),
        .extra_env = json_pack("[o]", k8s_env_from_field("POD_NAME", "metadata.name")),
        .pod_annotations = json_pack("{s:s}", "utxo.com.br/peers-sha256", peers->checksum),
    };
    anonymity_emit(&net->anonymity, net->req->name, &set, resp);
    sibling_bootstrap_emit(&net->bootstrap, &set, resp);
    hook_response_add_child_new(resp, monerod_set_headless_service(&set));
    hook_response_add_child_new(resp, monerod_set_statefulset(&set));
}

static int network_children(struct network *net, json_t *argv, struct hook_response *resp,
                            struct hook_error *err)
{
    struct topology t;
    struct network_peers peers;
    if (topology_build(net->type, (size_t)net->replicas, net->links_per_node, (uint64_t)net->seed,
                       &t) < 0 ||
        network_peers_build(net->req->name, net->req->namespace, net->labels, &t,
                            topology_type_name(net->type), net->spec.network->p2p_port,
                            &net->anonymity.ids, &peers) < 0) {
        topology_free(&t);
        json_decref(argv);
        hook_error_set(err, 500, "out of memory while building the network topology");
        return -1;
    }
    json_array_extend(resp->children, peers.configmaps);
    for (size_t i = 0; i < t.n; i++)
        hook_response_add_child_new(resp, node_service(net, i));
    network_statefulset(net, argv, &peers, resp);
    if (net->replicas > 1)
        hook_response_add_child_new(resp, pdb_build(net->req->name, net->req->namespace,
                                                    net->labels, net->selector_labels, 1));
    jsonx_set_int(jsonx_object_at(resp->status, "topology"), "links", (json_int_t)t.edges);
    network_peers_release(&peers);
    topology_free(&t);
    return 0;
}

static void network_status(const struct network *net, struct hook_response *resp)
{
    struct workload_observed o;
    const json_t *sts = hook_request_child(net->req, STS_KEY, net->req->name);
    char *selector = k8s_selector_string(net->selector_labels);
    json_t *topology = jsonx_object_at(resp->status, "topology");
    workload_observe_statefulset(sts, hook_response_child(resp, "StatefulSet", net->req->name), &o);
    workload_check_name_conflict(net->req, &o);
    workload_status_counts(resp->status, &o);
    jsonx_set_int(resp->status, "nodes", net->replicas);
    jsonx_set_int(resp->status, "readyNodes", o.ready);
    jsonx_set_string(resp->status, "selector", selector);
    jsonx_set_string(resp->status, "network", net->spec.network->name);
    jsonx_set_string(topology, "type", topology_type_name(net->type));
    jsonx_set_int(topology, "degree", (json_int_t)net->links_per_node);
    if (net->type == TOPOLOGY_RANDOM)
        jsonx_set_int(topology, "seed", net->seed);
    free(selector);
    json_t *conditions =
        json_pack("[o]", workload_ready_condition(&o, net->replicas, "node", net->req->generation));
    json_t *storage = volumes_condition(&net->spec, sts, net->req->generation);
    if (storage)
        json_array_append_new(conditions, storage);
    json_object_set_new(resp->status, "conditions", conditions);
}

int moneronetwork_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                       struct hook_response *resp, struct hook_error *err)
{
    struct network net = {.req = req};
    struct spec_error serr;
    json_t *argv = NULL;
    int rc = 0, read;
    net.labels = labels_common("monerod", "network-node", LABEL_NETWORK, req->name);
    net.selector_labels = labels_selector("monerod", LABEL_NETWORK, req->name);
    snprintf(net.headless_name, sizeof net.headless_name, "%s-headless", req->name);
    read = network_read(&net, defaults, &serr);
    if (read < IDENTITY_SPEC_ERROR) {
        hook_error_set(err, 500, "%s", identity_failure_message(read));
        rc = -1;
    } else if (read < 0 || !(argv = network_argv(&net, &serr))) {
        invalid_spec_answer(req, k8s_is_dns1035_label(req->name) ? net.selector_labels : NULL,
                            &serr, resp);
    } else if ((rc = network_children(&net, argv, resp, err)) == 0) {
        network_status(&net, resp);
    }
    resp->finalized = true;
    json_decref(net.labels);
    json_decref(net.selector_labels);
    anonymity_release(&net.anonymity);
    sibling_bootstrap_release(&net.bootstrap);
    monerod_spec_release(&net.spec);
    return rc;
}
