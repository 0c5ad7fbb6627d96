/*
 * monerod_spec: the node settings shared by MoneroNodeSet.spec and MoneroNetwork's
 * template.spec, read into a validated configuration with every default applied.
 *
 * Defaults here are the behaviour; the CRD shows the same values for `kubectl explain`, but a
 * spec that reaches us without them (render, or a CRD installed without defaults) behaves the
 * same.
 */
#ifndef MONERO_OPERATOR_MONEROD_SPEC_H
#define MONERO_OPERATOR_MONEROD_SPEC_H

#include "anonymity_spec.h"
#include "hook.h"
#include "metrics_spec.h"
#include "scheduling.h"

#include "daemons/cli_args.h"
#include "daemons/monero_network.h"
#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>

/* bootstrap.fromSibling: an empty volume starts as a copy of a Ready sibling's database. */
struct sibling_bootstrap_spec {
    bool enabled;
    json_int_t rate_limit_mb; /* bootstrap.rateLimitMBps: 0, no limit */
    json_int_t attempts;      /* bootstrap.attempts: rounds before syncing over P2P instead */
};

struct monerod_spec {
    const struct monero_network_info *network;
    bool pruned;
    char disk_size[48]; /* canonical quantity */
    const char *storage_class;
    const char *volume_snapshot; /* bootstrap.volumeSnapshot: NULL, or new volumes' source */
    struct sibling_bootstrap_spec from_sibling; /* bootstrap.fromSibling and its settings */
    const char *pvc_when_deleted;               /* Retain | Delete */
    const char *pvc_when_scaled;
    const char *service_type; /* ClusterIP | NodePort | LoadBalancer */
    json_int_t p2p_node_port; /* service.p2pNodePort, 0: the cluster picks one */
    json_int_t rpc_node_port; /* service.rpcNodePort, 0: the cluster picks one */
    int restricted_rpc_port;  /* where the restricted RPC listens in the pod: the network's
                               * port, or rpcNodePort behind a NodePort Service */
    const char *image;
    const char *image_pull_policy; /* NULL: the cluster's default */
    struct cli_args args;
    json_t *resources; /* owned, canonical */
    struct scheduling scheduling;
    json_int_t termination_grace_seconds;
    struct anonymity_spec anonymity;
    struct metrics_spec metrics;
};

/* The keys monerod_spec_parse understands (NULL-terminated), for unknown-field checks. */
extern const char *const monerod_spec_keys[];

struct monerod_spec_options {
    const char *path;                     /* field path for messages: "spec", ... */
    const struct hook_defaults *defaults; /* default images */
    const char *const *extra_keys;        /* keys the caller reads itself (e.g. "replicas") */
    const char *default_network;          /* when neither spec.network nor args choose one */
    bool closed_network; /* a MoneroNetwork: its chain moves only when someone there mines */
};

/* Reads `spec`. Returns 0, or -1 with err set; the result must be released with
 * monerod_spec_release in both cases. */
int monerod_spec_parse(const json_t *spec, const struct monerod_spec_options *o,
                       struct monerod_spec *out, struct spec_error *err);

void monerod_spec_release(struct monerod_spec *s);

#endif
