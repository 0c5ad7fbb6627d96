/*
 * monero_collector: keeps a monerod snapshot fresh for the exporter, and decides readiness.
 *
 * Each call is asked on its own and fails alone. get_info, the top block, the pool and the net
 * counters are asked on every scrape; get_connections and sync_info (heavier: one entry per
 * peer) at most every `heavy_interval` seconds; the fee estimate, hard fork and version (slow to
 * change) every `slow_interval` seconds. Readiness means "serving the current chain":
 * synchronized, with peers unless offline by design, and a top block younger than
 * `max_block_age` seconds (0 turns that check off; regtest chains only move when mined).
 */
#ifndef MONERO_OPERATOR_MONERO_COLLECTOR_H
#define MONERO_OPERATOR_MONERO_COLLECTOR_H

#include "metrics/monero_metrics.h"
#include "monero_rpc.h"

#include <stdbool.h>
#include <stddef.h>

struct monero_collector {
    struct monero_rpc *rpc;
    unsigned long heavy_interval, slow_interval; /* seconds */
    struct monero_snapshot snap;
    double asked[M_METHODS]; /* wall clock of each call's last attempt */
    char last_error[M_METHODS][320];
};

/* Refreshes what is due at wall-clock `now`. With `readiness_only`, asks just get_info and the
 * top block, always afresh (a probe must not read a cached answer). */
void monero_collector_refresh(struct monero_collector *c, double now, bool readiness_only);

/* NULL when the snapshot shows a node serving the current chain, else a one-line reason
 * (written into `why` when it carries numbers). */
const char *monero_not_ready(const struct monero_snapshot *s, unsigned long max_block_age,
                             char *why, size_t size);

#endif
