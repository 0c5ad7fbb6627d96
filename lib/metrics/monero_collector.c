/* monero_collector: per-call refresh with caching, and readiness (see monero_collector.h). */
#include "metrics/monero_collector.h"

#include <stdio.h>
#include <time.h>

static double max_age(const struct monero_collector *c, enum monero_method m)
{
    if (m == M_CONNECTIONS || m == M_SYNC_INFO)
        return (double)c->heavy_interval;
    if (m == M_FEE_ESTIMATE || m == M_HARD_FORK_INFO || m == M_VERSION)
        return (double)c->slow_interval;
    return 0;
}

static int ask(struct monero_collector *c, enum monero_method m, struct monero_rpc_error *err)
{
    struct monero_snapshot *s = &c->snap;
    switch (m) {
    case M_GET_INFO:
        return monero_rpc_get_info(c->rpc, &s->info, err);
    case M_LAST_BLOCK_HEADER:
        return monero_rpc_get_last_block_header(c->rpc, &s->last_block, err);
    case M_FEE_ESTIMATE:
        return monero_rpc_get_fee_estimate(c->rpc, &s->fees, err);
    case M_HARD_FORK_INFO:
        return monero_rpc_hard_fork_info(c->rpc, &s->hard_fork, err);
    case M_VERSION:
        return monero_rpc_get_version(c->rpc, &s->version, err);
    case M_POOL_STATS:
        return monero_rpc_get_transaction_pool_stats(c->rpc, &s->pool, err);
    case M_NET_STATS:
        return monero_rpc_get_net_stats(c->rpc, &s->net, err);
    case M_CONNECTIONS:
        return monero_rpc_get_connections(c->rpc, &s->connections, err);
    default:
        return monero_rpc_sync_info(c->rpc, &s->sync, err);
    }
}

static double monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Asks every call that is due. A call that gets no HTTP answer at all (monerod down, or stalled
 * past the timeout) ends the round: the calls after it are marked failed without being asked,
 * so a stalled monerod costs one timeout per scrape, not one per call.
 */
void monero_collector_refresh(struct monero_collector *c, double now, bool readiness_only)
{
    double start = monotonic();
    const char *unanswered = NULL;
    for (int i = 0; i < M_METHODS; i++) {
        enum monero_method m = (enum monero_method)i;
        if (readiness_only && m > M_LAST_BLOCK_HEADER)
            break;
        if (!readiness_only && c->snap.ok[m] && now - c->asked[m] < max_age(c, m))
            continue;
        if (unanswered) {
            c->snap.ok[m] = false;
            snprintf(c->last_error[m], sizeof c->last_error[m],
                     "not asked: %s got no answer in this scrape", unanswered);
            continue;
        }
        struct monero_rpc_error err;
        c->asked[m] = now;
        c->snap.ok[m] = ask(c, m, &err) == 0;
        if (!c->snap.ok[m]) {
            c->snap.errors[m]++;
            snprintf(c->last_error[m], sizeof c->last_error[m], "%s: %s", err.method, err.message);
            if (err.http_status == 0)
                unanswered = monero_method_name(m);
        }
    }
    c->snap.now = now;
    c->snap.scrape_seconds = monotonic() - start;
}

const char *monero_not_ready(const struct monero_snapshot *s, unsigned long max_block_age,
                             char *why, size_t size)
{
    double peers = s->info.incoming_connections + s->info.outgoing_connections;
    if (!s->ok[M_GET_INFO])
        return "monerod does not answer get_info";
    if (!s->info.synchronized)
        return "not synchronized yet";
    if (!s->info.offline && peers == 0)
        return "no peers";
    if (max_block_age && !s->ok[M_LAST_BLOCK_HEADER])
        return "monerod does not answer get_last_block_header";
    if (max_block_age && s->now - s->last_block.timestamp > (double)max_block_age) {
        snprintf(why, size, "top block is %.0f s old (limit %lu s)",
                 s->now - s->last_block.timestamp, max_block_age);
        return why;
    }
    return NULL;
}
