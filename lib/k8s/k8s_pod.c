/* k8s_pod: shared pod spec builders (see k8s_pod.h). */
#include "k8s/k8s_pod.h"

#include "k8s/k8s_object.h"
#include "json/jsonx.h"

json_t *k8s_pod_security_context(json_int_t uid, json_int_t gid)
{
    json_t *ctx = json_object();
    jsonx_set_bool(ctx, "runAsNonRoot", true);
    jsonx_set_int(ctx, "runAsUser", uid);
    jsonx_set_int(ctx, "runAsGroup", gid);
    jsonx_set_int(ctx, "fsGroup", gid);
    jsonx_set_string(ctx, "fsGroupChangePolicy", "OnRootMismatch");
    json_object_set_new(ctx, "seccompProfile", jsonx_string_map("type", "RuntimeDefault", NULL));
    return ctx;
}

json_t *k8s_container_security_context(bool read_only_root)
{
    json_t *ctx = json_object();
    json_t *drop = json_array();
    jsonx_append_string(drop, "ALL");
    jsonx_set_bool(ctx, "allowPrivilegeEscalation", false);
    jsonx_set_bool(ctx, "readOnlyRootFilesystem", read_only_root);
    jsonx_set_bool(ctx, "runAsNonRoot", true);
    json_object_set_new(ctx, "capabilities", json_pack("{s:o}", "drop", drop));
    return ctx;
}

static void set_timing(json_t *probe, const struct k8s_probe_timing *t)
{
    jsonx_set_int(probe, "periodSeconds", t->period_seconds);
    jsonx_set_int(probe, "failureThreshold", t->failure_threshold);
    if (t->timeout_seconds > 0)
        jsonx_set_int(probe, "timeoutSeconds", t->timeout_seconds);
    if (t->initial_delay_seconds > 0)
        jsonx_set_int(probe, "initialDelaySeconds", t->initial_delay_seconds);
}

json_t *k8s_probe_tcp(int port, const struct k8s_probe_timing *t)
{
    json_t *probe = json_pack("{s:{s:i}}", "tcpSocket", "port", port);
    set_timing(probe, t);
    return probe;
}

json_t *k8s_probe_http_get(const char *path, int port, const struct k8s_probe_timing *t)
{
    json_t *probe = json_pack("{s:{s:s,s:i}}", "httpGet", "path", path, "port", port);
    set_timing(probe, t);
    return probe;
}

json_t *k8s_container_port(const char *name, int port)
{
    return json_pack("{s:s,s:i,s:s}", "name", name, "containerPort", port, "protocol", "TCP");
}

json_t *k8s_pod_anti_affinity(const json_t *selector_labels, bool hard)
{
    json_t *term = json_object();
    json_object_set_new(term, "labelSelector", k8s_label_selector(selector_labels));
    jsonx_set_string(term, "topologyKey", "kubernetes.io/hostname");
    json_t *anti = json_object();
    if (hard) {
        json_object_set_new(anti, "requiredDuringSchedulingIgnoredDuringExecution",
                            json_pack("[o]", term));
    } else {
        json_t *weighted = json_pack("{s:i,s:o}", "weight", 100, "podAffinityTerm", term);
        json_object_set_new(anti, "preferredDuringSchedulingIgnoredDuringExecution",
                            json_pack("[o]", weighted));
    }
    return json_pack("{s:o}", "podAntiAffinity", anti);
}

json_t *k8s_env_from_field(const char *name, const char *field_path)
{
    return json_pack("{s:s,s:{s:{s:s,s:s}}}", "name", name, "valueFrom", "fieldRef", "apiVersion",
                     "v1", "fieldPath", field_path);
}

json_t *k8s_volume_mount(const char *name, const char *path, bool read_only)
{
    json_t *m = json_pack("{s:s,s:s}", "name", name, "mountPath", path);
    if (read_only)
        jsonx_set_bool(m, "readOnly", true);
    return m;
}

json_t *k8s_volume_sub_mount(const char *name, const char *path, const char *sub_path)
{
    return json_pack("{s:s,s:s,s:s}", "name", name, "mountPath", path, "subPath", sub_path);
}

json_t *k8s_volume_empty_dir(const char *name, const char *size_limit)
{
    json_t *empty = json_object();
    if (size_limit)
        jsonx_set_string(empty, "sizeLimit", size_limit);
    return json_pack("{s:s,s:o}", "name", name, "emptyDir", empty);
}
