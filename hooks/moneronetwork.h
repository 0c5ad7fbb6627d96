/*
 * moneronetwork: the MoneroNetwork hook. A closed network of monerod nodes wired to each other
 * in a chosen topology: one StatefulSet of N nodes (each with its volume), one ClusterIP
 * Service per node (the stable name its peers dial), the per-node peer files in ConfigMaps, a
 * headless Service and a PodDisruptionBudget.
 */
#ifndef MONERO_OPERATOR_MONERONETWORK_H
#define MONERO_OPERATOR_MONERONETWORK_H

#include "hook.h"

extern const struct hook_child_type moneronetwork_child_types[];

int moneronetwork_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                       struct hook_response *resp, struct hook_error *err);

#endif
