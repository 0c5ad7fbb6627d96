/*
 * monerominingnodeset: spec -> validated config -> children -> status, with no I/O (see
 * monerominingnodeset.h). An invalid spec, including one without a mining target, keeps every
 * observed child as it is.
 */
#include "monerominingnodeset.h"

#include "invalid_spec.h"
#include "labels.h"
#include "metrics_pod.h"
#include "mining_spec.h"
#include "workload_status.h"
#include "xmrig_command.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_object.h"
#include "k8s/k8s_pod.h"
#include "k8s/k8s_resources.h"
#include "k8s/k8s_workloads.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STS_KEY               "StatefulSet.apps/v1"
#define MINER_UID             65532
#define RANDOMX_DATASET_PAGES 1168 /* 2336 MiB of 2 MiB pages: dataset and cache */

const struct hook_child_type monerominingnodeset_child_types[] = {
    {"Service.v1", "services"},
    {STS_KEY, "statefulsets"},
    {NULL, NULL},
};

static const struct k8s_probe_timing readiness_timing = {10, 5, 3, 0};
static const struct k8s_probe_timing liveness_timing = {30, 5, 5, 0};

/* Fast RandomX needs its 2 GiB dataset in memory; light mode about 256 MiB. Huge pages, when
 * asked for, are requested for the dataset plus one scratchpad per thread. */
static json_t *default_resources(const struct mining_spec *s)
{
    char pages[32];
    bool light = strcmp(s->randomx_mode, "light") == 0;
    const char *memory = light ? "512Mi" : "2560Mi", *limit = light ? "1Gi" : "3Gi";
    if (s->huge_pages) {
        long long n = RANDOMX_DATASET_PAGES + (s->threads > 0 ? s->threads : 8);
        snprintf(pages, sizeof pages, "%lldMi", n * 2);
        const char *const requests[] = {"cpu",           "1",   "memory", "512Mi",
                                        "hugepages-2Mi", pages, NULL};
        const char *const limits[] = {"memory", "1Gi", "hugepages-2Mi", pages, NULL};
        return k8s_resources_build(requests, limits);
    }
    const char *const requests[] = {"cpu", "1", "memory", memory, NULL};
    const char *const limits[] = {"memory", limit, NULL};
    return k8s_resources_build(requests, limits);
}

static json_t *token_env(const struct mining_spec *s)
{
    return json_pack("{s:s,s:{s:{s:s,s:s}}}", "name", XMRIG_TOKEN_ENV, "valueFrom", "secretKeyRef",
                     "name", s->token_secret, "key", s->token_key);
}

static json_t *miner_env(const struct mining_spec *s)
{
    json_t *env = json_pack(
        "[o,o]", k8s_env_from_field("id", "metadata.labels['apps.kubernetes.io/pod-index']"),
        k8s_env_from_field("POD_NAME", "metadata.name"));
    if (s->token_secret)
        json_array_append_new(env, token_env(s));
    return env;
}

static json_t *miner_container(const struct mining_spec *s, json_t *argv)
{
    json_t *c = json_object();
    jsonx_set_string(c, "name", "xmrig");
    jsonx_set_string(c, "image", s->image);
    if (s->image_pull_policy)
        jsonx_set_string(c, "imagePullPolicy", s->image_pull_policy);
    json_object_set_new(c, "command", json_pack("[s]", "xmrig"));
    json_object_set_new(c, "args", argv);
    json_object_set_new(c, "env", miner_env(s));
    json_object_set_new(c, "ports", json_pack("[o]", k8s_container_port("api", XMRIG_API_PORT)));
    json_object_set_new(c, "resources",
                        s->resources ? json_deep_copy(s->resources) : default_resources(s));
    json_object_set_new(c, "securityContext", k8s_container_security_context(true));
    json_object_set_new(c, "readinessProbe", k8s_probe_tcp(XMRIG_API_PORT, &readiness_timing));
    json_object_set_new(c, "livenessProbe", k8s_probe_tcp(XMRIG_API_PORT, &liveness_timing));
    json_object_set_new(c, "volumeMounts",
                        json_pack("[o]", k8s_volume_mount("tmp", "/tmp", false)));
    return c;
}

static json_t *miner_pod(const struct mining_spec *s, const json_t *selector_labels, json_t *argv)
{
    json_t *pod = json_object();
    json_object_set_new(pod, "securityContext", k8s_pod_security_context(MINER_UID, MINER_UID));
    jsonx_set_int(pod, "terminationGracePeriodSeconds", 30);
    jsonx_set_bool(pod, "enableServiceLinks", false);
    jsonx_set_bool(pod, "automountServiceAccountToken", false);
    scheduling_apply(&s->scheduling, selector_labels, pod);
    json_t *containers = json_pack("[o]", miner_container(s, argv));
    if (s->metrics.enabled) {
        json_t *token = s->token_secret ? token_env(s) : NULL;
        json_array_append_new(containers,
                              metrics_xmrig_container(&s->metrics, XMRIG_API_PORT, token));
        json_decref(token);
    }
    json_object_set_new(pod, "containers", containers);
    json_object_set_new(pod, "volumes", json_pack("[o]", k8s_volume_empty_dir("tmp", "16Mi")));
    return pod;
}

static void mining_children(const struct hook_request *req, const struct mining_spec *s,
                            const json_t *labels, const json_t *selector_labels, json_t *argv,
                            struct hook_response *resp)
{
    const struct service_port ports[] = {{"api", XMRIG_API_PORT, XMRIG_API_PORT}};
    const struct service_params svc = {
        .name = req->name,
        .namespace = req->namespace,
        .labels = labels,
        .selector_labels = selector_labels,
        .headless = true,
        .ports = ports,
        .n_ports = 1,
    };
    struct statefulset_params sts = {
        .name = req->name,
        .namespace = req->namespace,
        .labels = labels,
        .selector_labels = selector_labels,
        .service_name = req->name,
        .replicas = s->replicas,
        .pod_spec = miner_pod(s, selector_labels, argv),
        .pod_annotations = s->metrics.enabled ? metrics_pod_annotations(&s->metrics, NULL) : NULL,
    };
    hook_response_add_child_new(resp, service_build(&svc));
    hook_response_add_child_new(resp, statefulset_build(&sts));
}

static void mining_status(const struct hook_request *req, const struct mining_spec *s,
                          const json_t *selector_labels, struct hook_response *resp)
{
    struct workload_observed o;
    char target[600];
    char *selector = k8s_selector_string(selector_labels);
    workload_observe_statefulset(hook_request_child(req, STS_KEY, req->name),
                                 hook_response_child(resp, "StatefulSet", req->name), &o);
    workload_check_name_conflict(req, &o);
    workload_status_counts(resp->status, &o);
    mining_spec_target(s, target, sizeof target);
    jsonx_set_string(resp->status, "selector", selector);
    jsonx_set_string(resp->status, "target", target);
    free(selector);
    json_object_set_new(
        resp->status, "conditions",
        json_pack("[o]", workload_ready_condition(&o, s->replicas, "miner", req->generation)));
}

int monerominingnodeset_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                             struct hook_response *resp, struct hook_error *err)
{
    struct mining_spec s = {0}; /* released below even when parsing never started */
    struct spec_error serr;
    json_t *argv = NULL;
    json_t *labels = labels_common("xmrig", "miner", LABEL_MINING, req->name);
    json_t *selector_labels = labels_selector("xmrig", LABEL_MINING, req->name);
    (void)err;
    if (parent_name_check(req->name, "a StatefulSet and a Service", &serr) < 0 ||
        mining_spec_parse(json_object_get(req->parent, "spec"), defaults, &s, &serr) < 0 ||
        xmrig_command_build(&s, &argv, &serr) < 0) {
        invalid_spec_answer(req, k8s_is_dns1035_label(req->name) ? selector_labels : NULL, &serr,
                            resp);
    } else {
        mining_children(req, &s, labels, selector_labels, argv, resp);
        mining_status(req, &s, selector_labels, resp);
    }
    resp->finalized = true;
    mining_spec_release(&s);
    json_decref(labels);
    json_decref(selector_labels);
    return 0;
}
