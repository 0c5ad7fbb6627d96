/* monero_rpc_calls: the typed calls of monero_rpc.h, each a thin reading of one answer. */
#include "monero_rpc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number field (also "0x..." hex strings, as monerod's wide_* fields); absent counts as 0. */
static double num(const json_t *o, const char *key, unsigned *missing)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v) && strncmp(json_string_value(v), "0x", 2) == 0)
        return strtod(json_string_value(v), NULL); /* strtod reads hex */
    if (missing)
        (*missing)++;
    return 0;
}

static bool flag(const json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

static void text(const json_t *o, const char *key, char *out, size_t size)
{
    const char *s = json_string_value(json_object_get(o, key));
    snprintf(out, size, "%s", s ? s : "");
}

int monero_rpc_get_info(struct monero_rpc *rpc, struct monero_info *out,
                        struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "get_info", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    unsigned *m = &out->missing;
    out->height = num(r, "height", m);
    out->target_height = num(r, "target_height", m);
    out->difficulty = json_object_get(r, "wide_difficulty") ? num(r, "wide_difficulty", m)
                                                            : num(r, "difficulty", m);
    out->cumulative_difficulty = json_object_get(r, "wide_cumulative_difficulty")
                                     ? num(r, "wide_cumulative_difficulty", m)
                                     : num(r, "cumulative_difficulty", m);
    out->tx_count = num(r, "tx_count", m);
    out->tx_pool_size = num(r, "tx_pool_size", m);
    out->alt_blocks_count = num(r, "alt_blocks_count", m);
    out->outgoing_connections = num(r, "outgoing_connections_count", m);
    out->incoming_connections = num(r, "incoming_connections_count", m);
    out->rpc_connections = num(r, "rpc_connections_count", m);
    out->white_peerlist_size = num(r, "white_peerlist_size", m);
    out->grey_peerlist_size = num(r, "grey_peerlist_size", m);
    out->database_size = num(r, "database_size", m);
    out->free_space = num(r, "free_space", m);
    out->start_time = num(r, "start_time", m);
    out->block_weight_limit = num(r, "block_weight_limit", m);
    out->block_weight_median = num(r, "block_weight_median", m);
    out->synchronized = flag(r, "synchronized");
    out->busy_syncing = flag(r, "busy_syncing");
    out->offline = flag(r, "offline");
    out->update_available = flag(r, "update_available");
    out->restricted = flag(r, "restricted");
    text(r, "nettype", out->nettype, sizeof out->nettype);
    text(r, "version", out->version, sizeof out->version);
    text(r, "top_block_hash", out->top_block_hash, sizeof out->top_block_hash);
    json_decref(r);
    return 0;
}

int monero_rpc_get_last_block_header(struct monero_rpc *rpc, struct monero_block_header *out,
                                     struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "get_last_block_header", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    const json_t *h = json_object_get(r, "block_header");
    out->height = num(h, "height", NULL);
    out->timestamp = num(h, "timestamp", NULL);
    out->difficulty = json_object_get(h, "wide_difficulty") ? num(h, "wide_difficulty", NULL)
                                                            : num(h, "difficulty", NULL);
    out->reward = num(h, "reward", NULL);
    out->block_size = num(h, "block_size", NULL);
    out->block_weight = num(h, "block_weight", NULL);
    out->num_txes = num(h, "num_txes", NULL);
    out->major_version = num(h, "major_version", NULL);
    out->minor_version = num(h, "minor_version", NULL);
    text(h, "hash", out->hash, sizeof out->hash);
    json_decref(r);
    return 0;
}

int monero_rpc_get_fee_estimate(struct monero_rpc *rpc, struct monero_fee_estimate *out,
                                struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "get_fee_estimate", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->fee = num(r, "fee", NULL);
    out->quantization_mask = num(r, "quantization_mask", NULL);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "fees"), i, v) if (i < 4 && json_is_number(v))
        out->fees[out->n_fees++] = json_number_value(v);
    json_decref(r);
    return 0;
}

int monero_rpc_hard_fork_info(struct monero_rpc *rpc, struct monero_hard_fork *out,
                              struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "hard_fork_info", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->version = num(r, "version", NULL);
    out->earliest_height = num(r, "earliest_height", NULL);
    out->votes = num(r, "votes", NULL);
    out->threshold = num(r, "threshold", NULL);
    out->window = num(r, "window", NULL);
    out->enabled = flag(r, "enabled");
    json_decref(r);
    return 0;
}

int monero_rpc_get_version(struct monero_rpc *rpc, struct monero_version *out,
                           struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "get_version", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->version = num(r, "version", NULL);
    out->current_height = num(r, "current_height", NULL);
    out->target_height = num(r, "target_height", NULL);
    out->release = flag(r, "release");
    json_decref(r);
    return 0;
}

int monero_rpc_get_transaction_pool_stats(struct monero_rpc *rpc, struct monero_pool_stats *out,
                                          struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_get(rpc, "/get_transaction_pool_stats", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    const json_t *s = json_object_get(r, "pool_stats");
    out->bytes_total = num(s, "bytes_total", NULL);
    out->bytes_min = num(s, "bytes_min", NULL);
    out->bytes_max = num(s, "bytes_max", NULL);
    out->bytes_med = num(s, "bytes_med", NULL);
    out->fee_total = num(s, "fee_total", NULL);
    out->oldest = num(s, "oldest", NULL);
    out->txs_total = num(s, "txs_total", NULL);
    out->num_failing = num(s, "num_failing", NULL);
    out->num_10m = num(s, "num_10m", NULL);
    out->num_not_relayed = num(s, "num_not_relayed", NULL);
    out->num_double_spends = num(s, "num_double_spends", NULL);
    json_decref(r);
    return 0;
}

int monero_rpc_get_net_stats(struct monero_rpc *rpc, struct monero_net_stats *out,
                             struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_get(rpc, "/get_net_stats", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->start_time = num(r, "start_time", NULL);
    out->total_packets_in = num(r, "total_packets_in", NULL);
    out->total_bytes_in = num(r, "total_bytes_in", NULL);
    out->total_packets_out = num(r, "total_packets_out", NULL);
    out->total_bytes_out = num(r, "total_bytes_out", NULL);
    json_decref(r);
    return 0;
}

static enum monero_peer_network peer_network(const json_t *connection)
{
    double type = num(connection, "address_type", NULL);
    return type == 4 ? PEER_TOR : type == 3 ? PEER_I2P : PEER_CLEARNET;
}

int monero_rpc_get_connections(struct monero_rpc *rpc, struct monero_connections *out,
                               struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "get_connections", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "connections"), i, c)
    {
        enum monero_peer_network n = peer_network(c);
        double height = num(c, "height", NULL);
        if (flag(c, "incoming"))
            out->incoming[n]++;
        else
            out->outgoing[n]++;
        if (height > out->max_peer_height)
            out->max_peer_height = height;
        out->total++;
    }
    json_decref(r);
    return 0;
}

int monero_rpc_sync_info(struct monero_rpc *rpc, struct monero_sync_info *out,
                         struct monero_rpc_error *err)
{
    json_t *r = monero_rpc_call(rpc, "sync_info", NULL, err);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->height = num(r, "height", NULL);
    out->target_height = num(r, "target_height", NULL);
    out->peers = (double)json_array_size(json_object_get(r, "peers"));
    out->spans = (double)json_array_size(json_object_get(r, "spans"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r, "peers"), i, p)
    {
        double h = num(json_object_get(p, "info"), "height", NULL);
        if (h > out->max_peer_height)
            out->max_peer_height = h;
    }
    json_decref(r);
    return 0;
}

int monero_rpc_generateblocks(struct monero_rpc *rpc, unsigned amount, const char *wallet_address,
                              struct monero_generated *out, struct monero_rpc_error *err)
{
    json_t *params = json_pack("{s:i,s:s,s:i}", "amount_of_blocks", (int)amount, "wallet_address",
                               wallet_address, "starting_nonce", 0);
    char *text = json_dumps(params, JSON_COMPACT);
    json_decref(params);
    json_t *r = text ? monero_rpc_call(rpc, "generateblocks", text, err) : NULL;
    free(text);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    out->height = num(r, "height", NULL);
    out->blocks = json_array_size(json_object_get(r, "blocks"));
    json_decref(r);
    return 0;
}
