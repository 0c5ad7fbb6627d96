/*
 * moneronodeset: the MoneroNodeSet hook. N identical monerod full nodes: a StatefulSet with a
 * volume per node, a Service for P2P and the restricted RPC, a headless Service for stable pod
 * names, and a PodDisruptionBudget when there is more than one node.
 */
#ifndef MONERO_OPERATOR_MONERONODESET_H
#define MONERO_OPERATOR_MONERONODESET_H

#include "hook.h"

extern const struct hook_child_type moneronodeset_child_types[];

int moneronodeset_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                       struct hook_response *resp, struct hook_error *err);

#endif
