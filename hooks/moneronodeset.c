/*
 * moneronodeset: spec -> validated config -> children -> status, with no I/O (see
 * moneronodeset.h). An invalid spec keeps every observed child exactly as it is and says why in
 * the Ready condition.
 */
#include "moneronodeset.h"

#include "anonymity.h"
#include "anonymity_reach.h"
#include "invalid_spec.h"
#include "labels.h"
#include "monerod_command.h"
#include "monerod_set.h"
#include "monerod_spec.h"
#include "public_node.h"
#include "sibling_bootstrap.h"
#include "volumes.h"
#include "workload_status.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_object.h"
#include "k8s/k8s_workloads.h"
#include "k8s/spec_read.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STS_KEY              "StatefulSet.apps/v1"
#define NODESET_REPLICAS_MAX 1000

const struct hook_child_type moneronodeset_child_types[] = {
    {"ConfigMap.v1", "configmaps"},
    {"Secret.v1", "secrets"},
    {"Service.v1", "services"},
    {STS_KEY, "statefulsets"},
    {"PodDisruptionBudget.policy/v1", "poddisruptionbudgets"},
    {"NetworkPolicy.networking.k8s.io/v1", "networkpolicies"},
    {NULL, NULL},
};

struct nodeset {
    const struct hook_request *req;
    json_int_t replicas;
    struct monerod_spec spec;
    json_t *argv;            /* owned until handed to the pod builder */
    json_t *labels;          /* owned */
    json_t *selector_labels; /* owned */
    char headless_name[64];
    struct anonymity_children anonymity;
    struct sibling_bootstrap bootstrap;
};

static int nodeset_read(struct nodeset *ns, const struct hook_defaults *defaults,
                        struct spec_error *err)
{
    static const char *const extra_keys[] = {"replicas", NULL};
    const json_t *spec = json_object_get(ns->req->parent, "spec");
    const struct monerod_spec_options opts = {"spec", defaults, extra_keys, "mainnet"};
    if (parent_name_check(ns->req->name, "a StatefulSet and Services", err) < 0 ||
        monerod_spec_parse(spec, &opts, &ns->spec, err) < 0 ||
        volumes_check_network(&ns->spec, hook_request_child(ns->req, STS_KEY, ns->req->name),
                              "spec", err) < 0 ||
        volumes_check_pruning(&ns->spec, hook_request_child(ns->req, STS_KEY, ns->req->name),
                              "spec", err) < 0 ||
        spec_read_int(spec, "replicas", "spec", 0, NODESET_REPLICAS_MAX, 1, &ns->replicas, err) < 0)
        return -1;
    const bool anonymous = anonymity_enabled(&ns->spec.anonymity);
    const struct monerod_command_options cmd = {MONEROD_ROLE_NODESET, "spec.monerod.args", false,
                                                anonymous ? MONEROD_RUN_CONFIG : NULL, 0};
    if (monerod_command_build(&ns->spec, &cmd, &ns->argv, err) < 0)
        return -1;
    const struct anonymity_context ac = {
        ns->req,    (size_t)ns->replicas, "spec", &ns->spec, defaults, NULL,
        ns->labels, ns->selector_labels};
    int rc = anonymity_prepare(&ac, &ns->anonymity, err);
    if (rc == 0 && sibling_bootstrap_prepare(ns->req, &ns->spec, defaults, ns->labels,
                                             ns->selector_labels, &ns->bootstrap) < 0)
        return IDENTITY_NO_RANDOMNESS;
    return rc;
}

/* The Service publishing P2P and the restricted RPC of all nodes. */
static json_t *nodeset_service(const struct nodeset *ns)
{
    const struct monero_network_info *net = ns->spec.network;
    const struct service_port ports[] = {
        {"p2p", net->p2p_port, net->p2p_port, (int)ns->spec.p2p_node_port},
        {"rpc", net->restricted_rpc_port, ns->spec.restricted_rpc_port,
         (int)ns->spec.rpc_node_port},
    };
    const bool tor_only = ns->spec.anonymity.tor.only; /* no clearnet P2P to publish */
    const struct service_params svc = {
        .name = ns->req->name,
        .namespace = ns->req->namespace,
        .labels = ns->labels,
        .selector_labels = ns->selector_labels,
        .type = ns->spec.service_type,
        .ports = tor_only ? ports + 1 : ports,
        .n_ports = tor_only ? 1 : 2,
    };
    return service_build(&svc);
}

static void nodeset_status(const struct nodeset *ns, const json_t *observed_sts,
                           struct hook_response *resp)
{
    struct workload_observed o;
    char *selector = k8s_selector_string(ns->selector_labels);
    json_t *conditions = json_array();
    workload_observe_statefulset(observed_sts,
                                 hook_response_child(resp, "StatefulSet", ns->req->name), &o);
    workload_check_name_conflict(ns->req, &o);
    workload_status_counts(resp->status, &o);
    jsonx_set_string(resp->status, "selector", selector);
    jsonx_set_string(resp->status, "network", ns->spec.network->name);
    free(selector);
    json_array_append_new(conditions,
                          workload_ready_condition(&o, ns->replicas, "node", ns->req->generation));
    json_t *storage = volumes_condition(&ns->spec, observed_sts, ns->req->generation);
    if (storage)
        json_array_append_new(conditions, storage);
    json_t *extra[] = {public_node_condition(&ns->spec, ns->req->generation),
                       anonymity_peers_condition(&ns->spec, ns->req->generation)};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        if (extra[i])
            json_array_append_new(conditions, extra[i]);
    json_object_set_new(resp->status, "conditions", conditions);
}

static void nodeset_children(struct nodeset *ns, const json_t *observed_sts,
                             struct hook_response *resp)
{
    struct monerod_set set = {
        .req = ns->req,
        .replicas = ns->replicas,
        .spec = &ns->spec,
        .labels = ns->labels,
        .selector_labels = ns->selector_labels,
        .headless_name = ns->headless_name,
        .observed_sts = observed_sts,
        .argv = ns->argv,
    };
    ns->argv = NULL; /* stolen by the set */
    anonymity_emit(&ns->anonymity, ns->req->name, &set, resp);
    sibling_bootstrap_emit(&ns->bootstrap, &set, resp);
    hook_response_add_child_new(resp, nodeset_service(ns));
    hook_response_add_child_new(resp, monerod_set_headless_service(&set));
    hook_response_add_child_new(resp, monerod_set_statefulset(&set));
    if (ns->replicas > 1)
        hook_response_add_child_new(
            resp, pdb_build(ns->req->name, ns->req->namespace, ns->labels, ns->selector_labels, 1));
}

int moneronodeset_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                       struct hook_response *resp, struct hook_error *err)
{
    struct nodeset ns = {.req = req};
    struct spec_error serr;
    int rc = 0;
    ns.labels = labels_common("monerod", "node", LABEL_NODESET, req->name);
    ns.selector_labels = labels_selector("monerod", LABEL_NODESET, req->name);
    int read = nodeset_read(&ns, defaults, &serr);
    if (read < IDENTITY_SPEC_ERROR) {
        hook_error_set(err, 500, "%s", identity_failure_message(read));
        rc = -1;
    } else if (read < 0) {
        invalid_spec_answer(req, k8s_is_dns1035_label(req->name) ? ns.selector_labels : NULL, &serr,
                            resp);
    } else {
        const json_t *observed_sts = hook_request_child(req, STS_KEY, req->name);
        snprintf(ns.headless_name, sizeof ns.headless_name, "%s-headless", req->name);
        nodeset_children(&ns, observed_sts, resp);
        nodeset_status(&ns, observed_sts, resp);
    }
    resp->finalized = true; /* nothing outside Kubernetes to clean up */
    json_decref(ns.argv);
    json_decref(ns.labels);
    json_decref(ns.selector_labels);
    anonymity_release(&ns.anonymity);
    sibling_bootstrap_release(&ns.bootstrap);
    monerod_spec_release(&ns.spec);
    return rc;
}
