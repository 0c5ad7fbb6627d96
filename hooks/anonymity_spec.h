/*
 * anonymity_spec: spec.tor and spec.i2p of a node set (and of a network's template.spec).
 *
 *   tor:  {enabled, rpc, maxConnections, maxInbound, noise, only, image, keysSecret}
 *   i2p:  {enabled, rpc, maxConnections, maxInbound, noise, image, keysSecret}
 *   padTransactions: bool
 *
 * Nothing read here reaches a configuration file as text except integers and booleans: images
 * go into pod specs, and Secret names into object references.
 */
#ifndef MONERO_OPERATOR_ANONYMITY_SPEC_H
#define MONERO_OPERATOR_ANONYMITY_SPEC_H

#include "hook.h"

#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>

struct anonymity_network {
    bool enabled;
    bool rpc;                   /* also publish the restricted RPC */
    json_int_t max_connections; /* outgoing over this network (--tx-proxy) */
    json_int_t max_inbound;     /* --anonymous-inbound limit */
    json_int_t rpc_connections; /* RPC clients at once over this network (all from 127.0.0.1) */
    bool noise;                 /* false: disable_noise (fluff local transactions at once) */
    bool only;                  /* tor only: all clearnet P2P through Tor */
    const char *image;
    const char *keys_secret; /* user's Secret with keys to use (bring your own), or NULL */
};

struct anonymity_spec {
    struct anonymity_network tor, i2p;
    bool pad_transactions;
};

int anonymity_spec_read(const json_t *spec, const char *path, const struct hook_defaults *defaults,
                        struct anonymity_spec *out, struct spec_error *err);

/* Either network enabled. */
bool anonymity_enabled(const struct anonymity_spec *a);

#endif
