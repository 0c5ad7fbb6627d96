/*
 * monero_metrics: the Prometheus / OpenMetrics exposition of one monerod snapshot.
 *
 * A snapshot holds the last answer of each RPC and whether it succeeded; a failed RPC only
 * removes its own metrics (and counts in monero_rpc_errors_total), never the others. The
 * writer is a pure function of the snapshot, so its output is unit-tested and promtool-checked
 * without a daemon.
 */
#ifndef MONERO_OPERATOR_MONERO_METRICS_H
#define MONERO_OPERATOR_MONERO_METRICS_H

#include "metrics/prom_text.h"
#include "monero_rpc.h"

#include <stdbool.h>

enum monero_method {
    M_GET_INFO,
    M_LAST_BLOCK_HEADER,
    M_FEE_ESTIMATE,
    M_HARD_FORK_INFO,
    M_VERSION,
    M_POOL_STATS,
    M_NET_STATS,
    M_CONNECTIONS,
    M_SYNC_INFO,
    M_METHODS
};

struct monero_snapshot {
    bool ok[M_METHODS];              /* the last attempt of each call succeeded */
    unsigned long errors[M_METHODS]; /* failures since start */
    struct monero_info info;
    struct monero_block_header last_block;
    struct monero_fee_estimate fees;
    struct monero_hard_fork hard_fork;
    struct monero_version version;
    struct monero_pool_stats pool;
    struct monero_net_stats net;
    struct monero_connections connections;
    struct monero_sync_info sync;
    double now;            /* wall clock of the scrape, for last block age */
    double scrape_seconds; /* time the scrape took */
};

const char *monero_method_name(enum monero_method m);

/* Writes every metric of the snapshot. */
void monero_metrics_write(struct prom_writer *w, const struct monero_snapshot *s);

/* max(height, target height, highest peer height): the height the network is at, as far as
 * this node can tell (target_height is 0 once synchronized). */
double monero_network_height(const struct monero_snapshot *s);

#endif
