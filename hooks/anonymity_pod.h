/*
 * anonymity_pod: what Tor and I2P add to a monerod pod.
 *
 *   - an init container (this project's image, `monero-operator pod-init`) that copies the
 *     pod's own keys from the identities Secret into place (tor's HiddenServiceDir must be 0700
 *     and owned by tor's user, which a Secret volume cannot be), computes the pod's addresses
 *     from those keys and writes monerod's configuration file with `anonymous-inbound` (and,
 *     in a network, the pod's peers): monerod always advertises the address of the key its
 *     sidecars actually serve;
 *   - a tor and/or an i2pd sidecar on 127.0.0.1 (SOCKS 9050 and 4447; hidden services to
 *     monerod's 18084 and 18085, optionally the restricted RPC), configured from ConfigMaps;
 *   - monerod's `--tx-proxy` flags (in monerod_command.c).
 *
 * Generated configuration files contain only fixed text and numbers: no string from a
 * resource ever reaches them.
 */
#ifndef MONERO_OPERATOR_ANONYMITY_POD_H
#define MONERO_OPERATOR_ANONYMITY_POD_H

#include "hook.h"
#include "monerod_spec.h"

#include <jansson.h>

#define TOR_SOCKS_PORT     9050
#define TOR_INBOUND_PORT   18084
#define I2P_SOCKS_PORT     4447
#define I2P_INBOUND_PORT   18085
#define SIDECAR_UID        10001
#define MONEROD_RUN_CONFIG "/run/monero-operator/monerod.conf"

struct anonymity_pod {
    json_t *init_containers; /* new arrays */
    json_t *containers;
    json_t *volumes;
    json_t *monerod_mounts;
};

/* The ConfigMaps "<name>-tor" and "<name>-i2pd" the sidecars read (new array, maybe empty). */
json_t *anonymity_configmaps(const char *name, const char *namespace, const json_t *labels,
                             const struct monerod_spec *s);

/* Pod additions. `peers_file` is the network peer file to merge into monerod's configuration
 * (a path with $(POD_NAME)), or NULL. */
void anonymity_pod_build(const char *name, const struct monerod_spec *s,
                         const struct hook_defaults *defaults, const char *peers_file,
                         struct anonymity_pod *out);

/* The NetworkPolicy of tor-only mode: node pods may open TCP connections to port 443 only
 * (tor is configured to reach relays on 443 only), so monerod cannot reach clearnet peers
 * except through Tor. Needs a CNI that enforces NetworkPolicy. */
json_t *anonymity_tor_only_policy(const char *name, const char *namespace, const json_t *labels,
                                  const json_t *selector_labels);

#endif
