/* monerod_flags: the table of monerod 0.18 options and prefix resolution (see monerod_flags.h).
 *
 * The table is the union of `monerod --help` for v0.18.0.0 and the options added up to
 * v0.18.5.1 (restricted-zmq-rpc, confirm-zmq-rpc-external-bind). Keep it sorted by name. */
#include "monerod_flags.h"

#include <string.h>

#define V true  /* takes a value */
#define S false /* switch */
#define R true  /* repeatable */
#define O false /* once */

static const struct monerod_flag flags[] = {
    {"add-exclusive-node", V, R},
    {"add-peer", V, R},
    {"add-priority-node", V, R},
    {"allow-local-ip", S, O},
    {"anonymous-inbound", V, R},
    {"ban-list", V, O},
    {"bg-mining-enable", S, O},
    {"bg-mining-idle-threshold", V, O},
    {"bg-mining-ignore-battery", S, O},
    {"bg-mining-miner-target", V, O},
    {"bg-mining-min-idle-interval", V, O},
    {"block-download-max-size", V, O},
    {"block-notify", V, O},
    {"block-rate-notify", V, O},
    {"block-sync-size", V, O},
    {"bootstrap-daemon-address", V, O},
    {"bootstrap-daemon-login", V, O},
    {"bootstrap-daemon-proxy", V, O},
    {"check-updates", V, O},
    {"config-file", V, O},
    {"confirm-external-bind", S, O},
    {"confirm-zmq-rpc-external-bind", S, O},
    {"data-dir", V, O},
    {"db-salvage", S, O},
    {"db-sync-mode", V, O},
    {"detach", S, O},
    {"disable-dns-checkpoints", S, O},
    {"disable-rpc-ban", S, O},
    {"enable-dns-blocklist", S, O},
    {"enforce-dns-checkpointing", S, O},
    {"extra-messages-file", V, O},
    {"fast-block-sync", V, O},
    {"fixed-difficulty", V, O},
    {"fluffy-blocks", S, O},
    {"help", S, O},
    {"hide-my-port", S, O},
    {"igd", V, O},
    {"in-peers", V, O},
    {"keep-alt-blocks", S, O},
    {"keep-fakechain", S, O},
    {"limit-rate", V, O},
    {"limit-rate-down", V, O},
    {"limit-rate-up", V, O},
    {"log-file", V, O},
    {"log-level", V, O},
    {"max-concurrency", V, O},
    {"max-connections-per-ip", V, O},
    {"max-log-file-size", V, O},
    {"max-log-files", V, O},
    {"max-txpool-weight", V, O},
    {"mining-threads", V, O},
    {"no-fluffy-blocks", S, O},
    {"no-igd", S, O},
    {"no-sync", S, O},
    {"no-zmq", S, O},
    {"non-interactive", S, O},
    {"offline", S, O},
    {"os-version", S, O},
    {"out-peers", V, O},
    {"p2p-bind-ip", V, O},
    {"p2p-bind-ipv6-address", V, O},
    {"p2p-bind-port", V, O},
    {"p2p-bind-port-ipv6", V, O},
    {"p2p-external-port", V, O},
    {"p2p-ignore-ipv4", S, O},
    {"p2p-use-ipv6", S, O},
    {"pad-transactions", S, O},
    {"pidfile", V, O},
    {"prep-blocks-threads", V, O},
    {"proxy", V, O},
    {"proxy-allow-dns-leaks", S, O},
    {"prune-blockchain", S, O},
    {"public-node", S, O},
    {"regtest", S, O},
    {"reorg-notify", V, O},
    {"restricted-rpc", S, O},
    {"restricted-zmq-rpc", S, O},
    {"rpc-access-control-origins", V, O},
    {"rpc-bind-ip", V, O},
    {"rpc-bind-ipv6-address", V, O},
    {"rpc-bind-port", V, O},
    {"rpc-ignore-ipv4", S, O},
    {"rpc-login", V, O},
    {"rpc-max-connections", V, O},
    {"rpc-max-connections-per-private-ip", V, O},
    {"rpc-max-connections-per-public-ip", V, O},
    {"rpc-payment-address", V, O},
    {"rpc-payment-allow-free-loopback", S, O},
    {"rpc-payment-credits", V, O},
    {"rpc-payment-difficulty", V, O},
    {"rpc-response-soft-limit", V, O},
    {"rpc-restricted-bind-ip", V, O},
    {"rpc-restricted-bind-ipv6-address", V, O},
    {"rpc-restricted-bind-port", V, O},
    {"rpc-ssl", V, O},
    {"rpc-ssl-allow-any-cert", S, O},
    {"rpc-ssl-allow-chained", S, O},
    {"rpc-ssl-allowed-fingerprints", V, R},
    {"rpc-ssl-ca-certificates", V, O},
    {"rpc-ssl-certificate", V, O},
    {"rpc-ssl-private-key", V, O},
    {"rpc-use-ipv6", S, O},
    {"seed-node", V, R},
    {"show-time-stats", V, O},
    {"stagenet", S, O},
    {"start-mining", V, O},
    {"sync-pruned-blocks", S, O},
    {"test-dbg-lock-sleep", V, O},
    {"test-drop-download", S, O},
    {"test-drop-download-height", V, O},
    {"testnet", S, O},
    {"tos-flag", V, O},
    {"tx-proxy", V, R},
    {"version", S, O},
    {"zmq-pub", V, R},
    {"zmq-rpc-bind-ip", V, O},
    {"zmq-rpc-bind-port", V, O},
};

#define FLAG_COUNT (sizeof flags / sizeof *flags)

const struct monerod_flag *monerod_flag_find(const char *name)
{
    const struct monerod_flag *flag;
    return monerod_flag_resolve(name, strlen(name), &flag) == FLAG_MATCH_EXACT ? flag : NULL;
}

enum monerod_flag_match monerod_flag_resolve(const char *name, size_t len,
                                             const struct monerod_flag **flag)
{
    const struct monerod_flag *candidate = NULL;
    size_t candidates = 0;
    *flag = NULL;
    if (len == 0)
        return FLAG_MATCH_NONE;
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        if (strncmp(flags[i].name, name, len) != 0)
            continue;
        if (flags[i].name[len] == '\0') {
            *flag = &flags[i];
            return FLAG_MATCH_EXACT; /* an exact name wins over longer names it prefixes */
        }
        candidate = &flags[i];
        candidates++;
    }
    if (candidates == 1) {
        *flag = candidate;
        return FLAG_MATCH_PREFIX;
    }
    return candidates ? FLAG_MATCH_AMBIGUOUS : FLAG_MATCH_NONE;
}
