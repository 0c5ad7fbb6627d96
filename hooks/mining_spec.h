/*
 * mining_spec: MoneroMiningNodeSet.spec read into a validated configuration.
 *
 * A miner always needs a target: pools (typed, or -o/--url in xmrig.args) or solo mining into
 * an in-cluster node. There is no default wallet and no default pool: a spec without a target
 * is invalid.
 */
#ifndef MONERO_OPERATOR_MINING_SPEC_H
#define MONERO_OPERATOR_MINING_SPEC_H

#include "hook.h"
#include "metrics_spec.h"
#include "scheduling.h"

#include "daemons/cli_args.h"
#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>

#define XMRIG_API_PORT  18092
#define XMRIG_POOLS_MAX 16

struct mining_pool {
    const char *url, *user, *pass, *tls_fingerprint, *rig_id;
    bool tls, nicehash, keepalive;
};

struct mining_solo {
    const char *node_set; /* MoneroNodeSet name, or NULL */
    const char *network;  /* MoneroNetwork name, or NULL */
    json_int_t node;      /* MoneroNetwork node index */
    json_int_t port;      /* restricted RPC port of the target */
    const char *wallet;
};

struct mining_spec {
    json_int_t replicas;
    const char *image, *image_pull_policy;
    struct cli_args args;
    json_int_t
        threads; /* xmrig.threads, else the whole CPUs of the limit (or request), at least 1 */
    json_int_t donate_level;
    const char *randomx_mode; /* auto | fast | light */
    bool huge_pages;
    json_t *resources; /* owned, canonical */
    struct mining_pool pools[XMRIG_POOLS_MAX];
    size_t n_pools;
    bool solo_enabled;
    struct mining_solo solo;
    const char *token_secret, *token_key; /* xmrig API token Secret, or NULL */
    struct scheduling scheduling;
    struct metrics_spec metrics;
};

int mining_spec_parse(const json_t *spec, const struct hook_defaults *defaults,
                      struct mining_spec *out, struct spec_error *err);
void mining_spec_release(struct mining_spec *s);

/* "pool <url>" or "solo <host>:<port>" for status (written into out). */
void mining_spec_target(const struct mining_spec *s, char *out, size_t size);

#endif
