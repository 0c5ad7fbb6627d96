/* k8s_workloads: StatefulSet, Service, PodDisruptionBudget and ConfigMap builders
 * (see k8s_workloads.h). */
#include "k8s/k8s_workloads.h"

#include "k8s/k8s_object.h"
#include "json/jsonx.h"

json_t *statefulset_build(const struct statefulset_params *p)
{
    json_t *sts = k8s_object_new("apps/v1", "StatefulSet", p->name, p->namespace, p->labels);
    json_t *spec = jsonx_object_at(sts, "spec");
    jsonx_set_int(spec, "replicas", p->replicas);
    jsonx_set_string(spec, "serviceName", p->service_name);
    jsonx_set_string(spec, "podManagementPolicy", "Parallel");
    json_object_set_new(spec, "updateStrategy", jsonx_string_map("type", "RollingUpdate", NULL));
    json_object_set_new(spec, "selector", k8s_label_selector(p->selector_labels));

    json_t *tmeta = json_object();
    json_object_set_new(tmeta, "labels", json_deep_copy(p->labels));
    if (p->pod_annotations && json_object_size(p->pod_annotations))
        json_object_set(tmeta, "annotations", p->pod_annotations);
    json_object_set_new(spec, "template",
                        json_pack("{s:o,s:o}", "metadata", tmeta, "spec", p->pod_spec));
    json_decref(p->pod_annotations);

    if (p->volume_claim_templates)
        json_object_set_new(spec, "volumeClaimTemplates", p->volume_claim_templates);
    if (p->pvc_when_deleted && p->pvc_when_scaled)
        json_object_set_new(spec, "persistentVolumeClaimRetentionPolicy",
                            jsonx_string_map("whenDeleted", p->pvc_when_deleted, "whenScaled",
                                             p->pvc_when_scaled, NULL));
    return sts;
}

json_t *volume_claim_template_build(const char *name, const json_t *labels, const char *size,
                                    const char *storage_class)
{
    json_t *meta = json_pack("{s:s}", "name", name);
    if (labels)
        json_object_set_new(meta, "labels", json_deep_copy(labels));
    json_t *spec = json_pack("{s:[s],s:{s:{s:s}}}", "accessModes", "ReadWriteOnce", "resources",
                             "requests", "storage", size);
    if (storage_class && *storage_class)
        jsonx_set_string(spec, "storageClassName", storage_class);
    return json_pack("{s:o,s:o}", "metadata", meta, "spec", spec);
}

json_t *service_build(const struct service_params *p)
{
    json_t *svc = k8s_object_new("v1", "Service", p->name, p->namespace, p->labels);
    json_t *spec = jsonx_object_at(svc, "spec");
    json_t *ports = json_array();
    for (size_t i = 0; i < p->n_ports; i++) {
        json_t *port =
            json_pack("{s:s,s:i,s:i,s:s}", "name", p->ports[i].name, "port", p->ports[i].port,
                      "targetPort", p->ports[i].target_port, "protocol", "TCP");
        if (p->ports[i].node_port && p->type && p->type[0] != 'C')
            jsonx_set_int(port, "nodePort", p->ports[i].node_port);
        json_array_append_new(ports, port);
    }
    json_object_set_new(spec, "ports", ports);
    json_object_set_new(spec, "selector", json_deep_copy(p->selector_labels));
    if (p->headless) {
        jsonx_set_string(spec, "clusterIP", "None");
        jsonx_set_bool(spec, "publishNotReadyAddresses", true);
        return svc;
    }
    jsonx_set_string(spec, "type", p->type);
    if (p->type[0] != 'C') /* NodePort, LoadBalancer */
        jsonx_set_string(spec, "externalTrafficPolicy", "Local");
    return svc;
}

json_t *pdb_build(const char *name, const char *namespace, const json_t *labels,
                  const json_t *selector_labels, int max_unavailable)
{
    json_t *pdb = k8s_object_new("policy/v1", "PodDisruptionBudget", name, namespace, labels);
    json_t *spec = jsonx_object_at(pdb, "spec");
    jsonx_set_int(spec, "maxUnavailable", max_unavailable);
    json_object_set_new(spec, "selector", k8s_label_selector(selector_labels));
    /* A node still syncing is not Ready for days; with the default policy such pods could not be
     * evicted either, and kubectl drain, node upgrades and autoscaler scale-down would hang.
     * Unready pods serve nobody, so evicting them costs nothing the budget protects. */
    jsonx_set_string(spec, "unhealthyPodEvictionPolicy", "AlwaysAllow");
    return pdb;
}

json_t *configmap_build(const char *name, const char *namespace, const json_t *labels, json_t *data)
{
    json_t *cm = k8s_object_new("v1", "ConfigMap", name, namespace, labels);
    json_object_set_new(cm, "data", data);
    return cm;
}
