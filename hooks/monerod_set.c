/* monerod_set: StatefulSet and headless Service of monerod nodes (see monerod_set.h). */
#include "monerod_set.h"

#include "metrics_pod.h"
#include "monerod_pod.h"
#include "volumes.h"

#include "k8s/k8s_workloads.h"

json_t *monerod_set_statefulset(struct monerod_set *set)
{
    struct monerod_pod_params pod = {
        .spec = set->spec,
        .selector_labels = set->selector_labels,
        .argv = set->argv,
        .extra_volumes = set->extra_volumes,
        .extra_mounts = set->extra_mounts,
        .extra_env = set->extra_env,
        .init_containers = set->init_containers,
        .extra_containers = set->extra_containers,
    };
    struct statefulset_params p = {
        .name = set->req->name,
        .namespace = set->req->namespace,
        .labels = set->labels,
        .selector_labels = set->selector_labels,
        .service_name = set->headless_name,
        .replicas = set->replicas,
        .pod_annotations = set->spec->metrics.enabled
                               ? metrics_pod_annotations(&set->spec->metrics, set->pod_annotations)
                               : set->pod_annotations,
        .volume_claim_templates =
            volumes_claim_templates(set->spec, set->selector_labels, set->observed_sts),
        .pvc_when_deleted = set->spec->pvc_when_deleted,
        .pvc_when_scaled = set->spec->pvc_when_scaled,
    };
    set->argv = set->extra_volumes = set->extra_mounts = set->extra_env = NULL;
    set->pod_annotations = set->init_containers = set->extra_containers = NULL;
    p.pod_spec = monerod_pod_spec_build(&pod);
    return statefulset_build(&p);
}

json_t *monerod_set_headless_service(const struct monerod_set *set)
{
    const struct monero_network_info *net = set->spec->network;
    const struct service_port ports[] = {
        {"p2p", net->p2p_port, net->p2p_port},
        {"rpc", net->restricted_rpc_port, set->spec->restricted_rpc_port},
    };
    const struct service_params svc = {
        .name = set->headless_name,
        .namespace = set->req->namespace,
        .labels = set->labels,
        .selector_labels = set->selector_labels,
        .headless = true,
        .ports = ports,
        .n_ports = 2,
    };
    return service_build(&svc);
}
