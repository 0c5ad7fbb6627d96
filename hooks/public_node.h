/*
 * public_node: whether a node started with --public-node can be reached where it says it can.
 *
 * monerod advertises its restricted RPC to peers, who list it in their get_public_nodes: the
 * address they record is the one this node's connections come from, the ports are the P2P port
 * it announces (--p2p-external-port behind a NodePort) and the port its restricted RPC listens
 * on. So a NodePort set needs fixed p2pNodePort and rpcNodePort (the container then listens on
 * rpcNodePort), and a tor.only set cannot be public at all (peers see Tor exits): both are
 * refused. A ClusterIP set is reachable by nobody outside the cluster; that is reported in a
 * PublicNodeReachable condition rather than refused, because the original proposal's own
 * example is such a set and must keep applying as it is.
 */
#ifndef MONERO_OPERATOR_PUBLIC_NODE_H
#define MONERO_OPERATOR_PUBLIC_NODE_H

#include "monerod_spec.h"

#include "k8s/spec_error.h"

#include <jansson.h>

/* 0, or -1 with err set on `field` (the args' path) for a combination that cannot work. */
int public_node_check(const struct monerod_spec *s, const char *field, struct spec_error *err);

/* The PublicNodeReachable condition (new reference), or NULL when --public-node is not given. */
json_t *public_node_condition(const struct monerod_spec *s, json_int_t generation);

#endif
