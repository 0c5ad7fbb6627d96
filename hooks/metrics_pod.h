/*
 * metrics_pod: the exporter sidecar (`monero-exporter`, shipped in the operator's image) and
 * the annotations that let an annotation-driven Prometheus find it with no extra work.
 *
 * In monerod pods it reads the unrestricted RPC on 127.0.0.1 (the restricted one sanitises the
 * numbers) and serves /readyz, which the monerod container's readinessProbe uses: a pod counts
 * as ready only while its node serves the current chain. In miner pods it reads xmrig's API.
 */
#ifndef MONERO_OPERATOR_METRICS_POD_H
#define MONERO_OPERATOR_METRICS_POD_H

#include "metrics_spec.h"

#include <jansson.h>

/* The sidecar for a monerod whose unrestricted RPC listens on 127.0.0.1:rpc_port. */
json_t *metrics_monerod_container(const struct metrics_spec *m, int rpc_port);

/* The sidecar for an xmrig whose API listens on 127.0.0.1:api_port; `token_env` is the
 * container env entry holding the API token (borrowed, copied), or NULL. */
json_t *metrics_xmrig_container(const struct metrics_spec *m, int api_port,
                                const json_t *token_env);

/* readinessProbe for the main container: GET /readyz on the sidecar. */
json_t *metrics_readiness_probe(const struct metrics_spec *m);

/* Adds prometheus.io/{scrape,port,path} to `annotations` (created when NULL); returns it. */
json_t *metrics_pod_annotations(const struct metrics_spec *m, json_t *annotations);

#endif
