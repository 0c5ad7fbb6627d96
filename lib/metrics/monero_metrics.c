/* monero_metrics: monerod metrics in Prometheus text (see monero_metrics.h). */
#include "metrics/monero_metrics.h"

#include <stdio.h>
#include <string.h>

const char *monero_method_name(enum monero_method m)
{
    static const char *const names[M_METHODS] = {
        "get_info",       "get_last_block_header", "get_fee_estimate",
        "hard_fork_info", "get_version",           "get_transaction_pool_stats",
        "get_net_stats",  "get_connections",       "sync_info",
    };
    return names[m];
}

double monero_network_height(const struct monero_snapshot *s)
{
    double h = s->info.height;
    if (s->info.target_height > h)
        h = s->info.target_height;
    if (s->ok[M_CONNECTIONS] && s->connections.max_peer_height > h)
        h = s->connections.max_peer_height;
    if (s->ok[M_SYNC_INFO] && s->sync.max_peer_height > h)
        h = s->sync.max_peer_height;
    return h;
}

static void write_rpc_health(struct prom_writer *w, const struct monero_snapshot *s)
{
    prom_gauge(w, "monero_up", "1 when monerod answered get_info on the last scrape.",
               s->ok[M_GET_INFO]);
    prom_family(w, "monero_rpc_success", "gauge", "1 when the RPC succeeded on its last call.");
    for (int m = 0; m < M_METHODS; m++) {
        const char *labels[] = {"method", monero_method_name((enum monero_method)m), NULL};
        prom_sample(w, "monero_rpc_success", labels, s->ok[m]);
    }
    prom_family(w, w->openmetrics ? "monero_rpc_errors" : "monero_rpc_errors_total", "counter",
                "RPC calls that failed since the exporter started.");
    for (int m = 0; m < M_METHODS; m++) {
        const char *labels[] = {"method", monero_method_name((enum monero_method)m), NULL};
        prom_sample(w, "monero_rpc_errors_total", labels, (double)s->errors[m]);
    }
    prom_gauge(w, "monero_exporter_scrape_duration_seconds", "Time the last scrape took.",
               s->scrape_seconds);
}

static void write_info(struct prom_writer *w, const struct monero_snapshot *s)
{
    const struct monero_info *i = &s->info;
    prom_gauge(w, "monero_height", "Blocks in the node's chain (top block height + 1).", i->height);
    prom_gauge(w, "monero_target_height", "Height the node is syncing to (0 once synchronized).",
               i->target_height);
    prom_gauge(w, "monero_network_height", "Highest height known: own, target, or any peer's.",
               monero_network_height(s));
    prom_gauge(w, "monero_synchronized", "1 once the node has synchronized (never reset).",
               i->synchronized);
    prom_gauge(w, "monero_busy_syncing", "1 while the node is downloading blocks.",
               i->busy_syncing);
    prom_gauge(w, "monero_offline", "1 when the node runs with --offline.", i->offline);
    prom_gauge(w, "monero_difficulty", "Difficulty of the next block.", i->difficulty);
    prom_gauge(w, "monero_transactions", "Transactions in the chain.", i->tx_count);
    prom_gauge(w, "monero_alt_blocks", "Alternative blocks known.", i->alt_blocks_count);
    prom_family(w, "monero_connections", "gauge", "P2P connections by direction (get_info).");
    const char *in[] = {"direction", "in", NULL}, *out[] = {"direction", "out", NULL};
    prom_sample(w, "monero_connections", in, i->incoming_connections);
    prom_sample(w, "monero_connections", out, i->outgoing_connections);
    prom_gauge(w, "monero_rpc_connections", "Open RPC connections.", i->rpc_connections);
    prom_family(w, "monero_peerlist_size", "gauge", "Peers known, by list.");
    const char *white[] = {"list", "white", NULL}, *grey[] = {"list", "grey", NULL};
    prom_sample(w, "monero_peerlist_size", white, i->white_peerlist_size);
    prom_sample(w, "monero_peerlist_size", grey, i->grey_peerlist_size);
    prom_gauge(w, "monero_database_size_bytes", "Size of the blockchain database.",
               i->database_size);
    if (i->free_space < 18446744073709551615.0) /* the restricted RPC's "unknown" */
        prom_gauge(w, "monero_free_space_bytes", "Free space on the data volume.", i->free_space);
    prom_gauge(w, "monero_start_time_seconds", "Unix time monerod started.", i->start_time);
    prom_gauge(w, "monero_tx_pool_transactions", "Transactions in the pool.", i->tx_pool_size);
    prom_gauge(w, "monero_block_weight_limit", "Block weight limit.", i->block_weight_limit);
    prom_gauge(w, "monero_block_weight_median", "Median block weight.", i->block_weight_median);
    prom_gauge(w, "monero_update_available", "1 when monerod reports a newer version.",
               i->update_available);
    prom_family(w, "monero_build_info", "gauge", "Version and network of the node (always 1).");
    const char *labels[] = {"version", i->version, "nettype", i->nettype, NULL};
    prom_sample(w, "monero_build_info", labels, 1);
}

static void write_last_block(struct prom_writer *w, const struct monero_snapshot *s)
{
    const struct monero_block_header *b = &s->last_block;
    prom_gauge(w, "monero_last_block_timestamp_seconds", "Timestamp of the top block.",
               b->timestamp);
    prom_gauge(w, "monero_last_block_age_seconds", "Seconds since the top block's timestamp.",
               s->now > b->timestamp ? s->now - b->timestamp : 0);
    prom_gauge(w, "monero_last_block_difficulty", "Difficulty of the top block.", b->difficulty);
    prom_gauge(w, "monero_last_block_reward_piconero", "Reward of the top block, in piconero.",
               b->reward);
    prom_gauge(w, "monero_last_block_size_bytes", "Size of the top block.", b->block_size);
    prom_gauge(w, "monero_last_block_weight", "Weight of the top block.", b->block_weight);
    prom_gauge(w, "monero_last_block_transactions",
               "Transactions in the top block (coinbase aside).", b->num_txes);
}

static void write_fees(struct prom_writer *w, const struct monero_snapshot *s)
{
    char priority[4];
    prom_family(w, "monero_fee_estimate_piconero_per_byte", "gauge",
                "Fee estimate per byte, by priority tier (0 = lowest).");
    for (size_t i = 0; i < s->fees.n_fees; i++) {
        snprintf(priority, sizeof priority, "%zu", i);
        const char *labels[] = {"priority", priority, NULL};
        prom_sample(w, "monero_fee_estimate_piconero_per_byte", labels, s->fees.fees[i]);
    }
    if (s->fees.n_fees == 0) {
        const char *labels[] = {"priority", "0", NULL};
        prom_sample(w, "monero_fee_estimate_piconero_per_byte", labels, s->fees.fee);
    }
    prom_gauge(w, "monero_fee_quantization_mask", "Fees are multiples of this.",
               s->fees.quantization_mask);
}

static void write_pool(struct prom_writer *w, const struct monero_snapshot *s)
{
    const struct monero_pool_stats *p = &s->pool;
    prom_gauge(w, "monero_tx_pool_bytes", "Bytes of transactions in the pool.", p->bytes_total);
    prom_gauge(w, "monero_tx_pool_fees_piconero", "Fees of the transactions in the pool.",
               p->fee_total);
    prom_gauge(w, "monero_tx_pool_oldest_timestamp_seconds",
               "Arrival time of the oldest pool entry.", p->oldest);
    prom_gauge(w, "monero_tx_pool_failing_transactions", "Pool transactions failing to verify.",
               p->num_failing);
    prom_gauge(w, "monero_tx_pool_older_than_10m_transactions",
               "Pool transactions older than 10 min.", p->num_10m);
    prom_gauge(w, "monero_tx_pool_not_relayed_transactions", "Pool transactions not relayed yet.",
               p->num_not_relayed);
    prom_gauge(w, "monero_tx_pool_double_spend_transactions", "Pool transactions double-spending.",
               p->num_double_spends);
}

static void write_net(struct prom_writer *w, const struct monero_snapshot *s)
{
    const struct monero_net_stats *n = &s->net;
    prom_counter(w, "monero_net_received_bytes", "Bytes received on P2P since monerod started.",
                 n->total_bytes_in);
    prom_counter(w, "monero_net_sent_bytes", "Bytes sent on P2P since monerod started.",
                 n->total_bytes_out);
    prom_counter(w, "monero_net_received_packets", "Packets received on P2P.", n->total_packets_in);
    prom_counter(w, "monero_net_sent_packets", "Packets sent on P2P.", n->total_packets_out);
}

static void write_peers(struct prom_writer *w, const struct monero_snapshot *s)
{
    static const char *const networks[PEER_NETWORKS] = {"clearnet", "tor", "i2p"};
    prom_family(w, "monero_peers", "gauge", "P2P connections by direction and network.");
    for (int n = 0; n < PEER_NETWORKS; n++) {
        const char *in[] = {"direction", "in", "network", networks[n], NULL};
        const char *out[] = {"direction", "out", "network", networks[n], NULL};
        prom_sample(w, "monero_peers", in, s->connections.incoming[n]);
        prom_sample(w, "monero_peers", out, s->connections.outgoing[n]);
    }
}

void monero_metrics_write(struct prom_writer *w, const struct monero_snapshot *s)
{
    write_rpc_health(w, s);
    if (s->ok[M_GET_INFO])
        write_info(w, s);
    if (s->ok[M_LAST_BLOCK_HEADER])
        write_last_block(w, s);
    if (s->ok[M_FEE_ESTIMATE])
        write_fees(w, s);
    if (s->ok[M_HARD_FORK_INFO])
        prom_gauge(w, "monero_hard_fork_version", "Hard fork version in effect.",
                   s->hard_fork.version);
    if (s->ok[M_VERSION])
        prom_gauge(w, "monero_rpc_version", "RPC version (major << 16 | minor).",
                   s->version.version);
    if (s->ok[M_POOL_STATS])
        write_pool(w, s);
    if (s->ok[M_NET_STATS])
        write_net(w, s);
    if (s->ok[M_CONNECTIONS])
        write_peers(w, s);
    if (s->ok[M_SYNC_INFO])
        prom_gauge(w, "monero_sync_peer_height_max", "Highest height among syncing peers.",
                   s->sync.max_peer_height);
}
