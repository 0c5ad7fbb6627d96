/*
 * xmrig_command: xmrig's command line for a miner, from its spec.
 *
 * The operator's flags come first (its HTTP API on 0.0.0.0:18092 for metrics, MSR tweaks off
 * since pods are unprivileged, the donate level), then the typed pools or the solo target, then
 * the user's arguments in their order. `$(id)` anywhere expands to the replica's index (an
 * environment variable Kubernetes substitutes in args).
 */
#ifndef MONERO_OPERATOR_XMRIG_COMMAND_H
#define MONERO_OPERATOR_XMRIG_COMMAND_H

#include "mining_spec.h"

#include <jansson.h>

#define XMRIG_TOKEN_ENV "XMRIG_HTTP_ACCESS_TOKEN"

/* Builds argv (new reference) or fails on a flag the operator owns. */
int xmrig_command_build(const struct mining_spec *s, json_t **argv, struct spec_error *err);

#endif
