/* metrics_pod: exporter sidecar containers and scrape annotations (see metrics_pod.h). */
#include "metrics_pod.h"

#include "k8s/k8s_pod.h"
#include "json/jsonx.h"

#include <stdio.h>

static const struct k8s_probe_timing readiness_timing = {10, 5, 3, 0};
static const struct k8s_probe_timing liveness_timing = {30, 5, 3, 0};

static json_t *exporter_container(const struct metrics_spec *m, json_t *args)
{
    char listen[16];
    snprintf(listen, sizeof listen, "--listen=:%d", (int)m->port);
    json_array_append_new(args, json_string(listen));
    json_t *c = json_object();
    jsonx_set_string(c, "name", "exporter");
    jsonx_set_string(c, "image", m->image);
    json_object_set_new(c, "command", json_pack("[s]", "monero-exporter"));
    json_object_set_new(c, "args", args);
    json_object_set_new(c, "ports", json_pack("[o]", k8s_container_port("metrics", (int)m->port)));
    json_object_set(c, "resources", m->resources);
    json_object_set_new(c, "securityContext", k8s_container_security_context(true));
    json_object_set_new(c, "livenessProbe",
                        k8s_probe_http_get("/healthz", (int)m->port, &liveness_timing));
    return c;
}

json_t *metrics_monerod_container(const struct metrics_spec *m, int rpc_port)
{
    char monerod[48], age[40];
    snprintf(monerod, sizeof monerod, "--monerod=http://127.0.0.1:%d", rpc_port);
    snprintf(age, sizeof age, "--max-block-age=%lld", (long long)m->max_block_age);
    return exporter_container(m, json_pack("[s,s]", monerod, age));
}

json_t *metrics_xmrig_container(const struct metrics_spec *m, int api_port, const json_t *token_env)
{
    char xmrig[48];
    snprintf(xmrig, sizeof xmrig, "--xmrig=http://127.0.0.1:%d", api_port);
    json_t *c = exporter_container(m, json_pack("[s]", xmrig));
    if (token_env)
        json_object_set_new(c, "env", json_pack("[O]", token_env));
    return c;
}

json_t *metrics_readiness_probe(const struct metrics_spec *m)
{
    return k8s_probe_http_get("/readyz", (int)m->port, &readiness_timing);
}

json_t *metrics_pod_annotations(const struct metrics_spec *m, json_t *annotations)
{
    char port[8];
    snprintf(port, sizeof port, "%d", (int)m->port);
    if (!annotations)
        annotations = json_object();
    jsonx_set_string(annotations, "prometheus.io/scrape", "true");
    jsonx_set_string(annotations, "prometheus.io/port", port);
    jsonx_set_string(annotations, "prometheus.io/path", "/metrics");
    return annotations;
}
