/* anonymity_reach: can a node's own transactions leave over Tor/I2P (see anonymity_reach.h). */
#include "anonymity_reach.h"
#include "workload_status.h"

#include <stdbool.h>
#include <string.h>

static bool value_ends_with_host(const struct cli_option *o, const char *suffix)
{
    /* "<host>[:port]": the host part ends with the suffix */
    size_t n = o->value_len, k = strlen(suffix);
    const char *colon = o->value ? memchr(o->value, ':', n) : NULL;
    if (colon)
        n = (size_t)(colon - o->value);
    return o->value && n >= k && strncmp(o->value + n - k, suffix, k) == 0;
}

static bool is_peer_flag(const char *name)
{
    return strcmp(name, "add-peer") == 0 || strcmp(name, "add-priority-node") == 0 ||
           strcmp(name, "add-exclusive-node") == 0 || strcmp(name, "seed-node") == 0;
}

/* Whether the user gave an onion or I2P peer for a network that is enabled, or any exclusive
 * node (which turns monerod's seed nodes off). */
static void scan_peers(const struct monerod_spec *s, bool *anonymous, bool *exclusive)
{
    *anonymous = *exclusive = false;
    for (size_t i = 0; i < s->args.count; i++) {
        const struct cli_option *o = &s->args.options[i];
        if (!o->flag || !is_peer_flag(o->flag->name))
            continue;
        *exclusive |= strcmp(o->flag->name, "add-exclusive-node") == 0;
        *anonymous |= (s->anonymity.tor.enabled && value_ends_with_host(o, ".onion")) ||
                      (s->anonymity.i2p.enabled && value_ends_with_host(o, ".i2p"));
    }
}

json_t *anonymity_peers_condition(const struct monerod_spec *s, json_int_t generation)
{
    bool anonymous, exclusive;
    if (!s->anonymity.tor.enabled && !s->anonymity.i2p.enabled)
        return NULL;
    scan_peers(s, &anonymous, &exclusive);
    if (anonymous)
        return condition_new("AnonymityPeers", true, "PeersGiven",
                             "monerod.args name onion or I2P peers for local transactions",
                             generation);
    if (s->network->id == NETWORK_MAINNET && !exclusive)
        return condition_new("AnonymityPeers", true, "BuiltInSeeds",
                             "monerod finds onion and I2P peers from its mainnet seed nodes",
                             generation);
    return condition_new(
        "AnonymityPeers", false, exclusive ? "ExclusiveNodesOnly" : "NoAnonymitySeeds",
        "monerod sends transactions submitted to this node only to Tor/I2P peers and has none "
        "to find (seed nodes exist on mainnet only, and --add-exclusive-node turns them off): "
        "add --add-peer=<address>.onion:<port> or <address>.b32.i2p to monerod.args, or such "
        "transactions wait in the pool",
        generation);
}
