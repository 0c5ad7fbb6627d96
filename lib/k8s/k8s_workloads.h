/*
 * k8s_workloads: builders for the workload-level children: StatefulSet, Service,
 * PodDisruptionBudget, ConfigMap. Each returns a new reference; parameters marked "stolen" are
 * owned by the builder afterwards.
 */
#ifndef MONERO_OPERATOR_K8S_WORKLOADS_H
#define MONERO_OPERATOR_K8S_WORKLOADS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct statefulset_params {
    const char *name;
    const char *namespace;
    const json_t *labels;          /* object labels, also given to the pods */
    const json_t *selector_labels; /* immutable once created: keep them stable */
    const char *service_name;      /* governing (headless) Service */
    json_int_t replicas;
    json_t *pod_spec;               /* stolen */
    json_t *pod_annotations;        /* stolen, may be NULL */
    json_t *volume_claim_templates; /* stolen, may be NULL */
    const char *pvc_when_deleted;   /* "Retain" or "Delete"; NULL: no retention policy */
    const char *pvc_when_scaled;
};

/* Parallel pod management, RollingUpdate (one pod at a time). */
json_t *statefulset_build(const struct statefulset_params *p);

/* A volumeClaimTemplate {metadata: {name, labels}, spec: {accessModes: [RWO], resources,
 * storageClassName?}}. `size` must be canonical. */
json_t *volume_claim_template_build(const char *name, const json_t *labels, const char *size,
                                    const char *storage_class);

struct service_port {
    const char *name;
    int port;
    int target_port;
    int node_port; /* 0: the cluster picks one (NodePort, LoadBalancer) */
};

struct service_params {
    const char *name;
    const char *namespace;
    const json_t *labels;
    const json_t *selector_labels;
    const char *type; /* "ClusterIP", "NodePort", "LoadBalancer"; NULL with headless */
    bool headless;    /* clusterIP: None, publishNotReadyAddresses */
    const struct service_port *ports;
    size_t n_ports;
};

/* NodePort and LoadBalancer Services keep the client address (externalTrafficPolicy Local):
 * monerod limits connections per IP, and SNAT would make every peer look like one IP. */
json_t *service_build(const struct service_params *p);

/* policy/v1 PodDisruptionBudget allowing `max_unavailable` pods down at once. */
json_t *pdb_build(const char *name, const char *namespace, const json_t *labels,
                  const json_t *selector_labels, int max_unavailable);

/* v1 ConfigMap with `data` (stolen). */
json_t *configmap_build(const char *name, const char *namespace, const json_t *labels,
                        json_t *data);

#endif
