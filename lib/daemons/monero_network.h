/*
 * monero_network: the Monero networks a node can join and the ports each one uses.
 *
 * Regtest ("fakechain") uses the mainnet configuration, ports included; testnet and stagenet
 * shift every port by 10000 and 20000. The restricted RPC port has no upstream default; the
 * convention 18089 is shifted the same way.
 */
#ifndef MONERO_OPERATOR_MONERO_NETWORK_H
#define MONERO_OPERATOR_MONERO_NETWORK_H

#include <stdbool.h>

enum monero_network { NETWORK_MAINNET, NETWORK_TESTNET, NETWORK_STAGENET, NETWORK_REGTEST };

struct monero_network_info {
    enum monero_network id;
    const char *name; /* as written in spec.network: "mainnet", "testnet", ... */
    const char *flag; /* monerod switch selecting it, NULL for mainnet */
    int p2p_port;
    int rpc_port;            /* unrestricted RPC, loopback only */
    int restricted_rpc_port; /* published restricted RPC */
    int zmq_rpc_port;
    /* Where monerod keeps its database under --data-dir: testnet and stagenet add their name
     * to the data directory, regtest "fake" to the database's folder. */
    const char *db_dir;
};

/* Lookup by name ("mainnet", ...); NULL when unknown. */
const struct monero_network_info *monero_network_by_name(const char *name);
const struct monero_network_info *monero_network_get(enum monero_network id);

/* Comma-separated list of valid names, for error messages. */
const char *monero_network_names(void);

#endif
