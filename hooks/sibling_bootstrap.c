/* sibling_bootstrap: token Secret, Service, NetworkPolicy and pod parts of a set that starts
 * new nodes from a sibling's database (see sibling_bootstrap.h). */
#include "sibling_bootstrap.h"

#include "monerod_command.h"
#include "monerod_pod.h"

#include "identity/base64.h"
#include "k8s/k8s_object.h"
#include "k8s/k8s_pod.h"
#include "k8s/k8s_resources.h"
#include "k8s/k8s_workloads.h"
#include "json/jsonx.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_DIR   "/etc/monero-bootstrap"
#define TOKEN_KEY   "token"
#define RECORD_FILE MONEROD_DATA_DIR "/.monero-bootstrap.json"

/* The observed token when there is one, else 32 random bytes as hex (NULL on failure). */
static char *token_base64(const struct hook_request *req, const char *secret_name)
{
    const json_t *observed = hook_request_child(req, "Secret.v1", secret_name);
    const char *have = jsonx_string(json_object_get(observed, "data"), TOKEN_KEY);
    if (have && *have)
        return strdup(have);
    uint8_t raw[32];
    char hex[65];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return NULL;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return base64_encode((const uint8_t *)hex, 64);
}

static json_t *token_secret(const struct hook_request *req, const char *name, const json_t *labels)
{
    char *token = token_base64(req, name);
    if (!token)
        return NULL;
    json_t *secret = k8s_object_new("v1", "Secret", name, req->namespace, labels);
    jsonx_set_string(secret, "type", "Opaque");
    json_object_set_new(secret, "data", json_pack("{s:s}", TOKEN_KEY, token));
    free(token);
    return secret;
}

/* Headless, Ready pods only: its name resolves to every sibling that may be copied from. */
static json_t *ready_siblings_service(const char *name, const struct hook_request *req,
                                      const json_t *labels, const json_t *selector_labels)
{
    const struct service_port port = {"bootstrap", BOOTSTRAP_PORT, BOOTSTRAP_PORT, 0};
    const struct service_params p = {.name = name,
                                     .namespace = req->namespace,
                                     .labels = labels,
                                     .selector_labels = selector_labels,
                                     .headless = true,
                                     .ports = &port,
                                     .n_ports = 1};
    json_t *svc = service_build(&p);
    /* Ready pods only: left out rather than false, which the API server drops (omitempty), so
     * every sync would see a difference and write it again */
    json_object_del(jsonx_object_at(svc, "spec"), "publishNotReadyAddresses");
    return svc;
}

static json_t *port_range(const char *protocol, int from, int to)
{
    return json_pack("{s:s,s:i,s:i}", "protocol", protocol, "port", from, "endPort", to);
}

/* Ingress to the set's pods: the copy port from the set's own pods; every other port (TCP and
 * UDP) from anywhere, as without the policy. */
static json_t *copy_port_policy(const char *name, const struct hook_request *req,
                                const json_t *labels, const json_t *selector_labels)
{
    json_t *np =
        k8s_object_new("networking.k8s.io/v1", "NetworkPolicy", name, req->namespace, labels);
    json_t *siblings = json_pack("[{s:o}]", "podSelector", k8s_label_selector(selector_labels));
    json_t *copy_rule = json_pack("{s:o,s:[{s:s,s:i}]}", "from", siblings, "ports", "protocol",
                                  "TCP", "port", BOOTSTRAP_PORT);
    json_t *others =
        json_pack("[o,o,o]", port_range("TCP", 1, BOOTSTRAP_PORT - 1),
                  port_range("TCP", BOOTSTRAP_PORT + 1, 65535), port_range("UDP", 1, 65535));
    json_t *rest_rule = json_pack("{s:o}", "ports", others);
    json_object_set_new(np, "spec",
                        json_pack("{s:o,s:[s],s:[o,o]}", "podSelector",
                                  k8s_label_selector(selector_labels), "policyTypes", "Ingress",
                                  "ingress", copy_rule, rest_rule));
    return np;
}

/* "--flag=value" */
static void add_string(json_t *args, const char *flag, const char *value)
{
    char buf[320];
    snprintf(buf, sizeof buf, "%s=%s", flag, value);
    jsonx_append_string(args, buf);
}

static void add_number(json_t *args, const char *flag, long long value)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s=%lld", flag, value);
    jsonx_append_string(args, buf);
}

static json_t *common_mounts(void)
{
    return json_pack("[o,o]", k8s_volume_mount(MONEROD_DATA_VOLUME, MONEROD_DATA_DIR, false),
                     k8s_volume_mount("bootstrap-token", TOKEN_DIR, true));
}

/* `name`: init steps and containers share one namespace of names in a pod. */
static json_t *bootstrap_container(const char *name, const struct hook_defaults *d, json_t *args,
                                   json_t *resources)
{
    return json_pack("{s:s,s:s,s:[s],s:o,s:o,s:o,s:o}", "name", name, "image", d->operator_image,
                     "command", "monero-bootstrap", "args", args, "volumeMounts", common_mounts(),
                     "securityContext", k8s_container_security_context(true), "resources",
                     resources);
}

/* The init step: copy a Ready sibling's database onto an empty volume, or step aside. */
static json_t *fetch_container(const char *service, const struct monerod_spec *s,
                               const struct hook_defaults *d)
{
    json_t *args = json_pack("[s,s]", "fetch", "--data-dir=" MONEROD_DATA_DIR);
    char lmdb[96], from[160];
    snprintf(lmdb, sizeof lmdb, MONEROD_DATA_DIR "/%s", s->network->db_dir);
    snprintf(from, sizeof from, "%s:%d", service, BOOTSTRAP_PORT);
    add_string(args, "--lmdb", lmdb);
    add_string(args, "--from", from);
    add_number(args, "--rpc-port", s->restricted_rpc_port);
    add_string(args, "--token-file", TOKEN_DIR "/" TOKEN_KEY);
    add_number(args, "--attempts", (long long)s->from_sibling.attempts);
    const char *const requests[] = {"cpu", "100m", "memory", "32Mi", NULL};
    const char *const limits[] = {"memory", "256Mi", NULL};
    return bootstrap_container("bootstrap", d, args, k8s_resources_build(requests, limits));
}

/* The sidecar: sends copies of this node's database to siblings that ask. */
static json_t *serve_container(const struct monerod_spec *s, const struct hook_defaults *d)
{
    static const struct k8s_probe_timing liveness = {30, 5, 3, 0};
    json_t *args = json_pack("[s]", "serve");
    char lmdb[96];
    snprintf(lmdb, sizeof lmdb, MONEROD_DATA_DIR "/%s", s->network->db_dir);
    add_string(args, "--lmdb", lmdb);
    add_string(args, "--token-file", TOKEN_DIR "/" TOKEN_KEY);
    add_number(args, "--port", BOOTSTRAP_PORT);
    add_number(args, "--metrics-port", BOOTSTRAP_METRICS_PORT);
    add_string(args, "--received-record", RECORD_FILE);
    if (s->from_sibling.rate_limit_mb > 0)
        add_number(args, "--rate-limit-mb", (long long)s->from_sibling.rate_limit_mb);
    const char *const requests[] = {"cpu", "10m", "memory", "16Mi", NULL};
    const char *const limits[] = {"memory", "128Mi", NULL};
    json_t *c =
        bootstrap_container("bootstrap-serve", d, args, k8s_resources_build(requests, limits));
    json_object_set_new(c, "ports",
                        json_pack("[o,o]", k8s_container_port("bootstrap", BOOTSTRAP_PORT),
                                  k8s_container_port("boot-metrics", BOOTSTRAP_METRICS_PORT)));
    json_object_set_new(c, "livenessProbe",
                        k8s_probe_http_get("/healthz", BOOTSTRAP_METRICS_PORT, &liveness));
    return c;
}

int sibling_bootstrap_prepare(const struct hook_request *req, const struct monerod_spec *s,
                              const struct hook_defaults *d, const json_t *labels,
                              const json_t *selector_labels, struct sibling_bootstrap *out)
{
    char name[128];
    memset(out, 0, sizeof *out);
    if (!s->from_sibling.enabled)
        return 0;
    out->active = true;
    snprintf(name, sizeof name, "%s-bootstrap", req->name);
    out->secret = token_secret(req, name, labels);
    if (!out->secret)
        return -1;
    out->service = ready_siblings_service(name, req, labels, selector_labels);
    out->policy = copy_port_policy(name, req, labels, selector_labels);
    out->init_container = fetch_container(name, s, d);
    out->sidecar = serve_container(s, d);
    out->volume = json_pack("{s:s,s:{s:s,s:i}}", "name", "bootstrap-token", "secret", "secretName",
                            name, "defaultMode", 0440);
    return 0;
}

static json_t *prepended(json_t *first, json_t *rest)
{
    json_t *out = json_pack("[o]", first);
    if (rest)
        json_array_extend(out, rest);
    json_decref(rest);
    return out;
}

static json_t *appended(json_t *list, json_t *item)
{
    if (!list)
        list = json_array();
    json_array_append_new(list, item);
    return list;
}

void sibling_bootstrap_emit(struct sibling_bootstrap *b, struct monerod_set *set,
                            struct hook_response *resp)
{
    if (!b->active)
        return;
    hook_response_add_child_new(resp, b->secret);
    hook_response_add_child_new(resp, b->service);
    hook_response_add_child_new(resp, b->policy);
    set->init_containers = prepended(b->init_container, set->init_containers);
    set->extra_containers = appended(set->extra_containers, b->sidecar);
    set->extra_volumes = appended(set->extra_volumes, b->volume);
    memset(b, 0, sizeof *b);
}

void sibling_bootstrap_release(struct sibling_bootstrap *b)
{
    json_decref(b->secret);
    json_decref(b->service);
    json_decref(b->policy);
    json_decref(b->init_container);
    json_decref(b->sidecar);
    json_decref(b->volume);
    memset(b, 0, sizeof *b);
}

json_t *sibling_bootstrap_egress(const struct monerod_spec *s, const json_t *selector_labels)
{
    json_t *siblings = json_pack("[{s:o}]", "podSelector", k8s_label_selector(selector_labels));
    json_t *to_siblings =
        json_pack("{s:o,s:[{s:s,s:i},{s:s,s:i}]}", "to", siblings, "ports", "protocol", "TCP",
                  "port", BOOTSTRAP_PORT, "protocol", "TCP", "port", s->restricted_rpc_port);
    json_t *dns = json_pack("{s:[{s:{}}],s:[{s:s,s:i},{s:s,s:i}]}", "to", "namespaceSelector",
                            "ports", "protocol", "UDP", "port", 53, "protocol", "TCP", "port", 53);
    return json_pack("[o,o]", to_siblings, dns);
}
