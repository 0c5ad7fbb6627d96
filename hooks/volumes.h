/*
 * volumes: the data volume template of a monerod StatefulSet.
 *
 * A StatefulSet's volumeClaimTemplates cannot be changed after creation (the API server
 * refuses the update), and the server fills in defaults inside them. So once the StatefulSet
 * exists, the observed templates are emitted unchanged; a spec asking for another size or
 * class is reported in a StorageUpToDate condition with what to do, instead of an update that
 * would fail on every sync.
 */
#ifndef MONERO_OPERATOR_VOLUMES_H
#define MONERO_OPERATOR_VOLUMES_H

#include "monerod_spec.h"

#include <jansson.h>

/* New array of volumeClaimTemplates. `observed_sts` may be NULL. */
json_t *volumes_claim_templates(const struct monerod_spec *s, const json_t *selector_labels,
                                const json_t *observed_sts);

/* StorageUpToDate=False when the spec differs from the existing template, else NULL. */
json_t *volumes_condition(const struct monerod_spec *s, const json_t *observed_sts,
                          json_int_t generation);

/* The network whose chain the existing volumes hold (from the observed StatefulSet's monerod
 * arguments), or NULL when nothing is observed. */
const struct monero_network_info *volumes_observed_network(const json_t *observed_sts);

/* -1 with err (at `path`.network) when the spec asks for another network than the one the
 * running nodes' volumes hold; the CRD forbids the change too, but a CRD installed without its
 * validation rules must not let it through either. */
int volumes_check_network(const struct monerod_spec *s, const json_t *observed_sts,
                          const char *path, struct spec_error *err);

/* -1 with err (at `path`.pruned) when pruned is asked for nodes whose observed monerod runs
 * without --prune-blockchain: a full node turned pruned prunes at start-up, before its RPC
 * answers, for longer than the start-up budget allows on slow disks. */
int volumes_check_pruning(const struct monerod_spec *s, const json_t *observed_sts,
                          const char *path, struct spec_error *err);

#endif
