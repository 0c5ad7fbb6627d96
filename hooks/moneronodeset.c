/*
 * moneronodeset: spec -> validated config -> children -> status, with no I/O (see
 * moneronodeset.h). An invalid spec keeps every observed child exactly as it is and says why in
 * the Ready condition.
 */
#include "moneronodeset.h"

#include "labels.h"
#include "monerod_command.h"
#include "monerod_pod.h"
#include "monerod_spec.h"
#include "volumes.h"
#include "workload_status.h"

#include "../lib/jsonx.h"
#include "../lib/k8s_names.h"
#include "../lib/k8s_object.h"
#include "../lib/k8s_workloads.h"
#include "../lib/spec_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STS_KEY              "StatefulSet.apps/v1"
#define NODESET_REPLICAS_MAX 1000

const char *const moneronodeset_child_types[] = {
    "Service.v1",
    STS_KEY,
    "PodDisruptionBudget.policy/v1",
    NULL,
};

struct nodeset {
    const struct hook_request *req;
    json_int_t replicas;
    struct monerod_spec spec;
    json_t *argv;            /* owned until handed to the pod builder */
    json_t *labels;          /* owned */
    json_t *selector_labels; /* owned */
    char headless_name[64];
};

static int check_name(const char *name, struct spec_error *err)
{
    if (!k8s_is_dns1035_label(name) || strlen(name) > K8S_STATEFULSET_NAME_MAX) {
        spec_error_set(err, "metadata.name",
                       "\"%s\" must start with a letter, use only lowercase letters, digits and "
                       "'-', and be at most %d characters (it names a StatefulSet and Services)",
                       name, K8S_STATEFULSET_NAME_MAX);
        return -1;
    }
    return 0;
}

static int nodeset_read(struct nodeset *ns, const struct hook_defaults *defaults,
                        struct spec_error *err)
{
    static const char *const extra_keys[] = {"replicas", NULL};
    const json_t *spec = json_object_get(ns->req->parent, "spec");
    const struct monerod_command_options cmd = {MONEROD_ROLE_NODESET, "spec.monerod.args", false,
                                                NULL};
    if (check_name(ns->req->name, err) < 0 ||
        monerod_spec_parse(spec, "spec", defaults, extra_keys, &ns->spec, err) < 0 ||
        spec_read_int(spec, "replicas", "spec", 0, NODESET_REPLICAS_MAX, 1, &ns->replicas, err) < 0)
        return -1;
    return monerod_command_build(&ns->spec, &cmd, &ns->argv, err);
}

static json_t *nodeset_services(const struct nodeset *ns, json_t *children)
{
    const struct monero_network_info *net = ns->spec.network;
    const struct service_port ports[] = {
        {"p2p", net->p2p_port, net->p2p_port},
        {"rpc", net->restricted_rpc_port, net->restricted_rpc_port},
    };
    struct service_params svc = {
        .name = ns->req->name,
        .namespace = ns->req->namespace,
        .labels = ns->labels,
        .selector_labels = ns->selector_labels,
        .type = ns->spec.service_type,
        .ports = ports,
        .n_ports = 2,
    };
    json_array_append_new(children, service_build(&svc));
    svc.name = ns->headless_name;
    svc.headless = true;
    svc.type = NULL;
    json_array_append_new(children, service_build(&svc));
    return children;
}

static json_t *nodeset_statefulset(struct nodeset *ns, const json_t *observed_sts)
{
    struct monerod_pod_params pod = {
        .spec = &ns->spec,
        .selector_labels = ns->selector_labels,
        .argv = ns->argv,
    };
    struct statefulset_params p = {
        .name = ns->req->name,
        .namespace = ns->req->namespace,
        .labels = ns->labels,
        .selector_labels = ns->selector_labels,
        .service_name = ns->headless_name,
        .replicas = ns->replicas,
        .volume_claim_templates =
            volumes_claim_templates(&ns->spec, ns->selector_labels, observed_sts),
        .pvc_when_deleted = ns->spec.pvc_when_deleted,
        .pvc_when_scaled = ns->spec.pvc_when_scaled,
    };
    ns->argv = NULL; /* stolen by the pod builder */
    p.pod_spec = monerod_pod_spec_build(&pod);
    return statefulset_build(&p);
}

static void nodeset_status(const struct nodeset *ns, const json_t *observed_sts,
                           struct hook_response *resp)
{
    struct workload_observed o;
    char *selector = k8s_selector_string(ns->selector_labels);
    json_t *conditions = json_array();
    workload_observe_statefulset(observed_sts, &o);
    workload_status_counts(resp->status, &o);
    jsonx_set_string(resp->status, "selector", selector);
    jsonx_set_string(resp->status, "network", ns->spec.network->name);
    free(selector);
    json_array_append_new(conditions,
                          workload_ready_condition(&o, ns->replicas, "node", ns->req->generation));
    json_t *storage = volumes_condition(&ns->spec, observed_sts, ns->req->generation);
    if (storage)
        json_array_append_new(conditions, storage);
    json_object_set_new(resp->status, "conditions", conditions);
}

/* Invalid spec: every observed child stays as it is; status says what to fix. */
static void nodeset_invalid(const struct hook_request *req, const struct spec_error *serr,
                            struct hook_response *resp)
{
    struct workload_observed o;
    const json_t *sts = hook_request_child(req, STS_KEY, req->name);
    json_decref(resp->children);
    resp->children = hook_observed_children_unchanged(req);
    workload_observe_statefulset(sts, &o);
    workload_status_counts(resp->status, &o);
    if (k8s_is_dns1035_label(req->name)) { /* keeps `kubectl scale` and HPAs working */
        json_t *selector_labels = labels_selector("monerod", LABEL_NODESET, req->name);
        char *selector = k8s_selector_string(selector_labels);
        jsonx_set_string(resp->status, "selector", selector);
        free(selector);
        json_decref(selector_labels);
    }
    json_object_set_new(resp->status, "conditions",
                        json_pack("[o]", condition_new("Ready", false, "InvalidSpec", serr->message,
                                                       req->generation)));
}

int moneronodeset_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                       struct hook_response *resp, struct hook_error *err)
{
    struct nodeset ns = {.req = req};
    struct spec_error serr;
    (void)err;
    if (nodeset_read(&ns, defaults, &serr) < 0) {
        nodeset_invalid(req, &serr, resp);
        goto done;
    }
    const json_t *observed_sts = hook_request_child(req, STS_KEY, req->name);
    ns.labels = labels_common("monerod", "node", LABEL_NODESET, req->name);
    ns.selector_labels = labels_selector("monerod", LABEL_NODESET, req->name);
    snprintf(ns.headless_name, sizeof ns.headless_name, "%s-headless", req->name);
    nodeset_services(&ns, resp->children);
    hook_response_add_child_new(resp, nodeset_statefulset(&ns, observed_sts));
    if (ns.replicas > 1)
        hook_response_add_child_new(
            resp, pdb_build(req->name, req->namespace, ns.labels, ns.selector_labels, 1));
    nodeset_status(&ns, observed_sts, resp);
done:
    resp->finalized = true; /* nothing outside Kubernetes to clean up */
    json_decref(ns.argv);
    json_decref(ns.labels);
    json_decref(ns.selector_labels);
    monerod_spec_release(&ns.spec);
    return 0;
}
