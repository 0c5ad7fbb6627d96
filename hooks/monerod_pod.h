/*
 * monerod_pod: the pod template of a monerod node, shared by MoneroNodeSet and MoneroNetwork.
 *
 * monerod runs as uid/gid 1000 (the user of the common monerod images), with a read-only root
 * filesystem (it only writes its data directory and /tmp), no capabilities and seccomp
 * RuntimeDefault. Startup and liveness use the restricted RPC: a long startup budget (core
 * initialisation, including pruning an existing database, happens before RPC binds), then
 * /get_height, which answers while the node syncs. Readiness is the metrics sidecar's /readyz
 * (synchronized, with peers, recent top block), or /get_height when spec.metrics is off.
 */
#ifndef MONERO_OPERATOR_MONEROD_POD_H
#define MONERO_OPERATOR_MONEROD_POD_H

#include "monerod_spec.h"

#include <jansson.h>

#define MONEROD_UID         1000
#define MONEROD_DATA_VOLUME "data"

struct monerod_pod_params {
    const struct monerod_spec *spec;
    const json_t *selector_labels; /* for anti-affinity */
    json_t *argv;                  /* stolen */
    json_t *extra_volumes;         /* stolen array, may be NULL */
    json_t *extra_mounts;          /* stolen array of monerod volumeMounts, may be NULL */
    json_t *extra_env;             /* stolen array of monerod env vars, may be NULL */
    json_t *init_containers;       /* stolen array, may be NULL */
    json_t *extra_containers;      /* stolen array of sidecars, may be NULL */
};

/* Returns the pod spec (new reference). */
json_t *monerod_pod_spec_build(const struct monerod_pod_params *p);

#endif
