/*
 * anonymity_reach: whether transactions submitted to a node with Tor or I2P can leave it.
 *
 * With --tx-proxy, monerod sends the transactions it did not receive from a peer (a wallet's)
 * only to Tor/I2P peers, and keeps them while it has none. It knows onion and I2P seed nodes on
 * mainnet only, and any --add-exclusive-node turns seeds off. A MoneroNetwork gives every node
 * its neighbours' addresses (network_peers.h); a MoneroNodeSet elsewhere needs peers from its
 * user, and the AnonymityPeers condition says whether it has some source of them.
 */
#ifndef MONERO_OPERATOR_ANONYMITY_REACH_H
#define MONERO_OPERATOR_ANONYMITY_REACH_H

#include "monerod_spec.h"

#include <jansson.h>

/* The AnonymityPeers condition of a MoneroNodeSet (new reference), or NULL without Tor/I2P. */
json_t *anonymity_peers_condition(const struct monerod_spec *s, json_int_t generation);

#endif
