/*
 * network_peers: each MoneroNetwork node's peers, as the monerod configuration file the node
 * reads at start (`--config-file`), packed into ConfigMaps.
 *
 * A node's file lists its neighbours in the topology, one `add-exclusive-node=<node>:<p2p port>`
 * line each; <node> is the neighbour's own ClusterIP Service, which resolves as soon as the
 * Service exists and keeps its address when the peer's pod restarts (monerod resolves names
 * once, at start). With Tor or I2P, each neighbour's onion and .b32.i2p address follows, so
 * transactions this node sends (which monerod sends only to anonymity peers) have somewhere to
 * go in a closed network that has no public anonymity seeds. Files are keyed "<pod name>.conf" and
 * spread over as many ConfigMaps as needed to keep each well under 256 KiB, since Metacontroller
 * copies every child whole into an annotation the API server caps at 256 KiB; the pods mount all of
 * them as one projected volume. A SHA-256 of every file goes into the pod template, so a changed
 * topology restarts the nodes (one at a time) with their new peers.
 */
#ifndef MONERO_OPERATOR_NETWORK_PEERS_H
#define MONERO_OPERATOR_NETWORK_PEERS_H

#include "identities.h"

#include "daemons/topology.h"
#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define NETWORK_PEERS_DIR         "/etc/monero-operator/peers"
#define NETWORK_PEERS_SHARD_BYTES (96 * 1024)
#define NETWORK_PEERS_MAX_BYTES   (16 * 1024 * 1024)

struct network_peers {
    json_t *configmaps; /* array of ConfigMap objects (new) */
    json_t *volume;     /* projected volume over all of them (new) */
    char checksum[65];  /* hex SHA-256 over every file */
    size_t bytes;       /* total size of the files */
};

/* Bytes of configuration the topology would need, computed without building it; `onion` and
 * `i2p` say whether each neighbour also has those addresses. */
size_t network_peers_estimate(const char *name, size_t nodes, size_t lines_per_node, int port,
                              bool onion, bool i2p);

/* Builds the files of every node of `t`; `ids` (NULL: none) gives each node's onion and I2P
 * addresses. Returns 0, or -1 when memory runs out. */
int network_peers_build(const char *name, const char *namespace, const json_t *labels,
                        const struct topology *t, const char *topology_name, int port,
                        const struct identities *ids, struct network_peers *out);

void network_peers_release(struct network_peers *p);

#endif
