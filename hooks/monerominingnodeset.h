/*
 * monerominingnodeset: the MoneroMiningNodeSet hook. A fleet of xmrig miners: a StatefulSet
 * (stable replica indices for $(id), one rolling update, `kubectl scale` and HPAs through the
 * scale subresource) and a headless Service exposing each miner's HTTP API for metrics.
 */
#ifndef MONERO_OPERATOR_MONEROMININGNODESET_H
#define MONERO_OPERATOR_MONEROMININGNODESET_H

#include "hook.h"

extern const struct hook_child_type monerominingnodeset_child_types[];

int monerominingnodeset_sync(const struct hook_request *req, const struct hook_defaults *defaults,
                             struct hook_response *resp, struct hook_error *err);

#endif
