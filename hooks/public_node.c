/* public_node: checks and status for --public-node (see public_node.h). */
#include "public_node.h"
#include "workload_status.h"

#include <stdio.h>
#include <string.h>

int public_node_check(const struct monerod_spec *s, const char *field, struct spec_error *err)
{
    const struct cli_option *public_node = cli_args_find(&s->args, "public-node");
    const char *why = NULL;
    if (!public_node)
        return 0;
    if (s->anonymity.tor.only)
        why = "with tor.only peers see only Tor exits' addresses";
    else if (strcmp(s->service_type, "NodePort") == 0 && (!s->p2p_node_port || !s->rpc_node_port))
        why = "behind a NodePort it needs service.p2pNodePort and service.rpcNodePort, so that "
              "the ports monerod advertises are the node ports (random ones would not be)";
    if (!why)
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s[%zu]", field, public_node->token);
    spec_error_set(err, where, "--public-node advertises this node's RPC to peers, but %s", why);
    return -1;
}

json_t *public_node_condition(const struct monerod_spec *s, json_int_t generation)
{
    if (!cli_args_find(&s->args, "public-node"))
        return NULL;
    if (strcmp(s->service_type, "ClusterIP") == 0)
        return condition_new("PublicNodeReachable", false, "ClusterIPService",
                             "--public-node advertises the RPC to peers, but a ClusterIP Service "
                             "is reachable from inside the cluster only; set service.type "
                             "NodePort with p2pNodePort and rpcNodePort, or LoadBalancer",
                             generation);
    if (strcmp(s->service_type, "NodePort") == 0)
        return condition_new("PublicNodeReachable", true, "FixedNodePorts",
                             "peers are told the node ports, where the nodes listen", generation);
    return condition_new("PublicNodeReachable", true, "LoadBalancer",
                         "peers are told the Service's ports; they reach the node if its "
                         "outgoing connections leave from the load balancer's address",
                         generation);
}
