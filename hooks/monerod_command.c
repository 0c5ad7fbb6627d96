/* monerod_command: reserved flags, defaults and the final monerod argv (see monerod_command.h). */
#include "monerod_command.h"

#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

static const struct cli_reserved reserved_always[] = {
    {"non-interactive", "always set; monerod needs it without a terminal"},
    {"detach", "a container's main process must stay in the foreground"},
    {"pidfile", "only meaningful with --detach"},
    {"help", "monerod would print help and exit"},
    {"version", "monerod would print its version and exit"},
    {"os-version", "monerod would print its OS and exit"},
    {"data-dir", "the data directory is the persistent volume at " MONEROD_DATA_DIR},
    {"config-file", "the operator owns the configuration file"},
    {"p2p-bind-ip", "P2P listens on all pod addresses"},
    {"p2p-bind-port", "the P2P port follows spec.network and is published by the Service"},
    {"rpc-bind-ip", "the unrestricted RPC stays on 127.0.0.1"},
    {"rpc-bind-port", "the unrestricted RPC port follows spec.network"},
    {"rpc-bind-ipv6-address", "the unrestricted RPC stays on loopback"},
    {"confirm-external-bind", "the unrestricted RPC is never exposed"},
    {"rpc-restricted-bind-ip", "the restricted RPC listens on all pod addresses"},
    {"rpc-restricted-bind-port", "probes and the Service use the restricted RPC port"},
    {"restricted-rpc", "it would restrict the loopback RPC the operator relies on"},
    {"rpc-login", "kubelet probes cannot answer its HTTP Digest challenge"},
    {"zmq-rpc-bind-ip", "the ZMQ RPC is unrestricted and stays on 127.0.0.1"},
    {"confirm-zmq-rpc-external-bind", "the ZMQ RPC is never exposed"},
};

/* In a MoneroNetwork the operator wires the peers; other peer sources would break isolation. */
static const struct cli_reserved reserved_in_network[] = {
    {"add-exclusive-node", "peers come from spec.topology"},
    {"add-priority-node", "peers come from spec.topology"},
    {"add-peer", "peers come from spec.topology"},
    {"seed-node", "a MoneroNetwork is closed"},
    {"offline", "set by the operator for a single-node network"},
};

static int check_reserved(const struct monerod_spec *s, const struct monerod_command_options *o,
                          struct spec_error *err)
{
    if (cli_args_check_reserved(&s->args, o->field, reserved_always, ARRAY_LEN(reserved_always),
                                err) < 0)
        return -1;
    if (o->role == MONEROD_ROLE_NETWORK &&
        cli_args_check_reserved(&s->args, o->field, reserved_in_network,
                                ARRAY_LEN(reserved_in_network), err) < 0)
        return -1;
    return 0;
}

struct default_list {
    struct cli_default items[40];
    char values[8][24]; /* storage for numeric values */
    size_t n, n_values;
};

static void add(struct default_list *l, const char *flag, const char *value,
                const char *replaced_by_1, const char *replaced_by_2, const char *replaced_by_3)
{
    struct cli_default *d = &l->items[l->n++];
    d->flag = flag;
    d->value = value;
    d->replaced_by[0] = replaced_by_1;
    d->replaced_by[1] = replaced_by_2;
    d->replaced_by[2] = replaced_by_3;
}

/* A default with a numeric value (ports, counts); the user may replace it. */
static void add_port(struct default_list *l, const char *flag, int port)
{
    char *v = l->values[l->n_values++];
    snprintf(v, sizeof l->values[0], "%d", port);
    add(l, flag, v, NULL, NULL, NULL);
}

static void add_binds(struct default_list *l, const struct monero_network_info *n)
{
    add(l, "p2p-bind-ip", "0.0.0.0", NULL, NULL, NULL);
    add_port(l, "p2p-bind-port", n->p2p_port);
    add(l, "rpc-bind-ip", "127.0.0.1", NULL, NULL, NULL);
    add_port(l, "rpc-bind-port", n->rpc_port);
    add(l, "rpc-restricted-bind-ip", "0.0.0.0", NULL, NULL, NULL);
    add_port(l, "rpc-restricted-bind-port", n->restricted_rpc_port);
}

static void add_network_defaults(struct default_list *l, const struct monerod_spec *s,
                                 const struct monerod_command_options *o)
{
    if (s->network->flag)
        add(l, s->network->flag, NULL, NULL, NULL, NULL);
    if (s->network->id == NETWORK_REGTEST) {
        add(l, "keep-fakechain", NULL, NULL, NULL, NULL); /* else the chain is wiped at start */
        add(l, "disable-dns-checkpoints", NULL, NULL, NULL, NULL);
    }
    if (s->pruned) {
        add(l, "prune-blockchain", NULL, NULL, NULL, NULL);
        add(l, "sync-pruned-blocks", NULL, NULL, NULL, NULL);
    }
    if (o->role == MONEROD_ROLE_NETWORK) {
        if (o->offline)
            add(l, "offline", NULL, NULL, NULL, NULL);
        else if (o->out_peers > 0) /* enough outgoing slots to dial every listed peer */
            add_port(l, "out-peers", o->out_peers);
        return;
    }
    if (s->network->id == NETWORK_REGTEST) /* a lone regtest node: offline unless peers given */
        add(l, "offline", NULL, "add-exclusive-node", "add-priority-node", "add-peer");
    else
        add(l, "out-peers", "12", NULL, NULL, NULL);
    if (s->network->id != NETWORK_REGTEST)
        add(l, "in-peers", "48", NULL, NULL, NULL);
    if (s->network->id == NETWORK_MAINNET)
        add(l, "enable-dns-blocklist", NULL, "proxy", NULL, NULL);
}

int monerod_command_build(const struct monerod_spec *s, const struct monerod_command_options *o,
                          json_t **argv, struct spec_error *err)
{
    struct default_list l;
    memset(&l, 0, sizeof l);
    *argv = NULL;
    if (check_reserved(s, o, err) < 0)
        return -1;
    add(&l, "non-interactive", NULL, NULL, NULL, NULL);
    add(&l, "data-dir", MONEROD_DATA_DIR, NULL, NULL, NULL);
    if (o->config_file)
        add(&l, "config-file", o->config_file, NULL, NULL, NULL);
    add(&l, "log-file", "/dev/null", NULL, NULL, NULL);
    add(&l, "max-log-file-size", "0", "log-file", NULL, NULL);
    add_binds(&l, s->network);
    add(&l, "no-igd", NULL, "igd", NULL, NULL);
    add(&l, "no-zmq", NULL, "zmq-pub", "zmq-rpc-bind-port", NULL);
    add(&l, "check-updates", "disabled", NULL, NULL, NULL);
    add_network_defaults(&l, s, o);
    *argv = cli_argv_compose(l.items, l.n, &s->args);
    return 0;
}
