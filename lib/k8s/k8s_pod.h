/*
 * k8s_pod: pieces of pod specs that every workload we emit shares: hardened security
 * contexts, probes, ports, anti-affinity.
 *
 * Every builder returns a new reference with canonical values (integers as JSON integers, no
 * fields the API server would add by default), so the desired object is stable across syncs.
 */
#ifndef MONERO_OPERATOR_K8S_POD_H
#define MONERO_OPERATOR_K8S_POD_H

#include <jansson.h>
#include <stdbool.h>

/* Pod-level: runAsNonRoot, the given uid/gid, fsGroup (OnRootMismatch, so a large volume is
 * not re-chowned at every start) and seccomp RuntimeDefault. */
json_t *k8s_pod_security_context(json_int_t uid, json_int_t gid);

/* Container-level: no privilege escalation, every capability dropped, optional read-only
 * root filesystem. */
json_t *k8s_container_security_context(bool read_only_root);

struct k8s_probe_timing {
    int period_seconds;
    int timeout_seconds; /* 0: server default (1s), not emitted */
    int failure_threshold;
    int initial_delay_seconds; /* 0: not emitted */
};

json_t *k8s_probe_tcp(int port, const struct k8s_probe_timing *t);
json_t *k8s_probe_http_get(const char *path, int port, const struct k8s_probe_timing *t);

/* {"name": name, "containerPort": port, "protocol": "TCP"} */
json_t *k8s_container_port(const char *name, int port);

/* Spread the pods matched by `selector_labels` across nodes: required when `hard`, else
 * preferred (weight 100). Topology key kubernetes.io/hostname. */
json_t *k8s_pod_anti_affinity(const json_t *selector_labels, bool hard);

/* {"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}} */
json_t *k8s_env_from_field(const char *name, const char *field_path);

/* {"name": name, "mountPath": path} plus readOnly when set */
json_t *k8s_volume_mount(const char *name, const char *path, bool read_only);

/* A writable mount of the directory `sub_path` inside volume `name`; the directory must exist
 * before the container starts (kubelet would create a missing one as root). */
json_t *k8s_volume_sub_mount(const char *name, const char *path, const char *sub_path);

/* {"name": name, "emptyDir": {}} with an optional sizeLimit (canonical quantity or NULL) */
json_t *k8s_volume_empty_dir(const char *name, const char *size_limit);

#endif
