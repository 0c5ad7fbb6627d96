/* monerod_command: reserved flags, defaults and the final monerod argv (see monerod_command.h). */
#include "monerod_command.h"

#include "anonymity_pod.h"
#include "public_node.h"

#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

#define MONEROD_RPC_MAX_CONNECTIONS 100 /* monerod's default --rpc-max-connections */

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

/* With Tor or I2P enabled the operator wires the proxies and the inbound addresses. */
static const struct cli_reserved reserved_anonymity[] = {
    {"tx-proxy", "set by spec.tor and spec.i2p"},
    {"anonymous-inbound", "each replica's own address is set from its key"},
};

static const struct cli_reserved reserved_tor_only[] = {
    {"proxy", "spec.tor.only sends all P2P through the tor sidecar"},
    {"proxy-allow-dns-leaks", "spec.tor.only must not leak DNS"},
};

/* --rpc-ssl=enabled makes monerod refuse plain HTTP on its RPC ports, which the metrics sidecar
 * (and through it the readiness probe) speaks inside the pod: every probe would fail. monerod's
 * default, autodetect, serves TLS and plain clients alike. */
static int check_rpc_ssl(const struct monerod_spec *s, const char *field, struct spec_error *err)
{
    const struct cli_option *ssl = cli_args_find(&s->args, "rpc-ssl");
    if (!ssl || !ssl->value || ssl->value_len != 7 || strncmp(ssl->value, "enabled", 7) != 0)
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s[%zu]", field, ssl->token);
    spec_error_set(err, where,
                   "--rpc-ssl=enabled would refuse the plain HTTP the metrics sidecar and the "
                   "readiness probe use inside the pod, so the node would never be ready; leave "
                   "monerod's default (autodetect), which also serves TLS clients");
    return -1;
}

static int check_reserved(const struct monerod_spec *s, const struct monerod_command_options *o,
                          struct spec_error *err)
{
    if (check_rpc_ssl(s, o->field, err) < 0 || public_node_check(s, o->field, err) < 0)
        return -1;
    if (anonymity_enabled(&s->anonymity) &&
        cli_args_check_reserved(&s->args, o->field, reserved_anonymity,
                                ARRAY_LEN(reserved_anonymity), err) < 0)
        return -1;
    if (s->anonymity.tor.only && cli_args_check_reserved(&s->args, o->field, reserved_tor_only,
                                                         ARRAY_LEN(reserved_tor_only), err) < 0)
        return -1;
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
    struct cli_default items[48];
    char values[12][64]; /* storage for composed values */
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

static void add_binds(struct default_list *l, const struct monerod_spec *s)
{
    const struct monero_network_info *n = s->network;
    const bool tor_only = s->anonymity.tor.only;
    /* tor-only: no clearnet inbound; peers reach the node through its onion */
    add(l, "p2p-bind-ip", tor_only ? "127.0.0.1" : "0.0.0.0", NULL, NULL, NULL);
    add_port(l, "p2p-bind-port", n->p2p_port);
    add(l, "rpc-bind-ip", "127.0.0.1", NULL, NULL, NULL);
    add_port(l, "rpc-bind-port", n->rpc_port);
    add(l, "rpc-restricted-bind-ip", "0.0.0.0", NULL, NULL, NULL);
    add_port(l, "rpc-restricted-bind-port", s->restricted_rpc_port);
}

#define SIMPLE_MONEROD          "ghcr.io/sethforprivacy/simple-monerod:"
#define SIMPLE_MONEROD_BAN_LIST "/home/monero/ban_list.txt"

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
    if (s->network->id == NETWORK_MAINNET && !s->anonymity.tor.only) /* no effect via a proxy */
        add(l, "enable-dns-blocklist", NULL, "proxy", NULL, NULL);
    /* simple-monerod's own command passes the ban list it ships (GPG-verified at build time);
     * replacing that command must not drop it. Other images may have no such file, which
     * monerod treats as fatal: there, --ban-list in spec.monerod.args names one. */
    if (s->network->id == NETWORK_MAINNET &&
        strncmp(s->image, SIMPLE_MONEROD, strlen(SIMPLE_MONEROD)) == 0)
        add(l, "ban-list", SIMPLE_MONEROD_BAN_LIST, NULL, NULL, NULL);
}

static void add_proxy(struct default_list *l, const char *net, int port,
                      const struct anonymity_network *n)
{
    char *v = l->values[l->n_values++];
    snprintf(v, sizeof l->values[0], "%s,127.0.0.1:%d,%lld%s", net, port,
             (long long)n->max_connections, n->noise ? "" : ",disable_noise");
    add(l, "tx-proxy", v, NULL, NULL, NULL);
}

/*
 * Every client of the onion or I2P RPC arrives from 127.0.0.1, a "private" address for monerod:
 * its per-private-IP cap (25) would be the cap for all those wallets together, and its ban (on
 * a client's failed getblocks.bin/gethashes.bin lookups, the only ban trigger in 0.18) would
 * shut every one of them out. The cap becomes the sum of spec.{tor,i2p}.rpcConnections, the
 * total cap keeps monerod's 100 for everyone else on top, and bans are off for this listener
 * (monerod has one restricted RPC listener, so clearnet clients of it lose bans too).
 */
static void add_anonymous_rpc(struct default_list *l, const struct anonymity_spec *a)
{
    json_int_t anonymous = 0;
    if (a->tor.enabled && a->tor.rpc)
        anonymous += a->tor.rpc_connections;
    if (a->i2p.enabled && a->i2p.rpc)
        anonymous += a->i2p.rpc_connections;
    if (anonymous == 0)
        return;
    add(l, "disable-rpc-ban", NULL, NULL, NULL, NULL);
    add_port(l, "rpc-max-connections-per-private-ip", (int)anonymous);
    add_port(l, "rpc-max-connections", (int)anonymous + MONEROD_RPC_MAX_CONNECTIONS);
}

static void add_anonymity(struct default_list *l, const struct anonymity_spec *a)
{
    if (a->tor.enabled)
        add_proxy(l, "tor", TOR_SOCKS_PORT, &a->tor);
    if (a->i2p.enabled)
        add_proxy(l, "i2p", I2P_SOCKS_PORT, &a->i2p);
    if (a->tor.only)
        add(l, "proxy", "127.0.0.1:9050", NULL, NULL, NULL);
    if (a->pad_transactions)
        add(l, "pad-transactions", NULL, NULL, NULL, NULL);
    add_anonymous_rpc(l, a);
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
    add_binds(&l, s);
    add(&l, "no-igd", NULL, "igd", NULL, NULL);
    add(&l, "no-zmq", NULL, "zmq-pub", "zmq-rpc-bind-port", NULL);
    add(&l, "check-updates", "disabled", NULL, NULL, NULL);
    /* Behind a NodePort, peers reach the node on the node port: monerod must announce that one,
     * or the peers it tells to connect back try 18080 and fail. */
    char external_port[16];
    if (s->p2p_node_port && strcmp(s->service_type, "NodePort") == 0) {
        snprintf(external_port, sizeof external_port, "%lld", (long long)s->p2p_node_port);
        add(&l, "p2p-external-port", external_port, NULL, NULL, NULL);
    }
    add_network_defaults(&l, s, o);
    add_anonymity(&l, &s->anonymity);
    *argv = cli_argv_compose(l.items, l.n, &s->args);
    return 0;
}
