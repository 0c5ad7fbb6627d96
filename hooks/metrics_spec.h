/*
 * metrics_spec: `spec.metrics`, the exporter sidecar of node and miner pods.
 *
 *   metrics:
 *     enabled: true             # default; false removes the sidecar (and readiness falls back
 *                               # to monerod answering RPC)
 *     port: 9090                # /metrics, /readyz, /healthz
 *     maxBlockAgeSeconds: 1800  # nodes only: /readyz fails when the top block is older;
 *                               # default 1800 mainnet, 3600 testnet/stagenet, 0 (off) regtest
 *     image: ...                # default: the operator's image (it ships monero-exporter)
 *     resources: {...}          # default requests cpu 10m, memory 16Mi; limit memory 64Mi
 */
#ifndef MONERO_OPERATOR_METRICS_SPEC_H
#define MONERO_OPERATOR_METRICS_SPEC_H

#include "hook.h"

#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>

#define METRICS_DEFAULT_PORT 9090

struct metrics_spec {
    bool enabled;
    json_int_t port;
    json_int_t max_block_age;
    const char *image;
    json_t *resources; /* owned, canonical */
};

/* Reads spec.metrics; `default_max_block_age` is the network's, or -1 for miners (whose
 * metrics have no maxBlockAgeSeconds). Release with metrics_spec_release in every case. */
int metrics_spec_read(const json_t *spec, const char *path, const struct hook_defaults *defaults,
                      json_int_t default_max_block_age, struct metrics_spec *out,
                      struct spec_error *err);

void metrics_spec_release(struct metrics_spec *m);

#endif
