/*
 * monero_rpc: a small C client for monerod's RPC (libcurl or plain HTTP, + jansson).
 *
 * Thread safety: one `struct monero_rpc` per thread; different handles may be used in parallel.
 * Numbers: monerod's counters are unsigned 64-bit and some exceed 2^63, so every number is
 * returned as a double (the precision metrics need); heights and timestamps fit exactly.
 * Robustness: responses are read even when a string carries raw NUL bytes or invalid UTF-8
 * (peer-supplied text does): such bytes are replaced before parsing. A field missing from a
 * response reads as 0 (or "" for strings) and is flagged in `missing`.
 * Errors: every call fills `struct monero_rpc_error` with the call's name and the reason
 * (transport, HTTP status, JSON, RPC error code and message, or a status other than "OK").
 *
 * The unrestricted RPC (127.0.0.1:18081 on mainnet) answers everything below; the restricted
 * one refuses sync_info, get_connections, get_net_stats and generateblocks, and sanitises
 * get_info (zero peer counts, free_space 2^64-1).
 *
 *   struct monero_rpc *rpc = monero_rpc_new("http://127.0.0.1:18081", 2000);
 *   struct monero_info info;
 *   struct monero_rpc_error err;
 *   if (monero_rpc_get_info(rpc, &info, &err) == 0)
 *       printf("height %.0f\n", info.height);
 *   else
 *       fprintf(stderr, "%s: %s\n", err.method, err.message);
 *   monero_rpc_free(rpc);
 */
#ifndef MONERO_RPC_H
#define MONERO_RPC_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct monero_rpc;

struct monero_rpc_error {
    char method[48];   /* "get_info", "/get_net_stats", ... */
    char message[256]; /* one line */
    long http_status;  /* 0 when no HTTP answer arrived */
    long rpc_code;     /* JSON-RPC error code, 0 when none */
};

/* base_url: "http://127.0.0.1:18081" (no trailing slash). timeout_ms covers a whole call.
 * monero_rpc_new carries calls over libcurl (any URL libcurl takes, https included);
 * monero_rpc_new_plain over a small built-in plain-HTTP client (http:// only, one connection
 * per call) for programs that must stay small. Both answer identically. */
struct monero_rpc *monero_rpc_new(const char *base_url, long timeout_ms);
struct monero_rpc *monero_rpc_new_plain(const char *base_url, long timeout_ms);
void monero_rpc_free(struct monero_rpc *rpc);

struct monero_info {
    double height, target_height, difficulty, tx_count, tx_pool_size, alt_blocks_count;
    double outgoing_connections, incoming_connections, rpc_connections;
    double white_peerlist_size, grey_peerlist_size;
    double database_size, free_space, start_time, block_weight_limit, block_weight_median;
    double cumulative_difficulty;
    bool synchronized, busy_syncing, offline, update_available, restricted;
    char nettype[16], version[48], top_block_hash[65];
    unsigned missing; /* number of expected fields absent from the answer */
};

struct monero_block_header {
    double height, timestamp, difficulty, reward, block_size, block_weight, num_txes;
    double major_version, minor_version;
    char hash[65];
};

struct monero_fee_estimate {
    double fee, quantization_mask, fees[4];
    size_t n_fees;
};

struct monero_hard_fork {
    double version, earliest_height, votes, threshold, window;
    bool enabled;
};

struct monero_version {
    double version, current_height, target_height;
    bool release;
};

struct monero_pool_stats {
    double bytes_total, bytes_min, bytes_max, bytes_med, fee_total, oldest, txs_total;
    double num_failing, num_10m, num_not_relayed, num_double_spends;
};

struct monero_net_stats {
    double start_time, total_packets_in, total_bytes_in, total_packets_out, total_bytes_out;
};

/* Connections by direction and address type (monerod's address_type: 1 IPv4, 2 IPv6, 3 I2P,
 * 4 Tor). */
enum monero_peer_network { PEER_CLEARNET, PEER_TOR, PEER_I2P, PEER_NETWORKS };
struct monero_connections {
    double incoming[PEER_NETWORKS], outgoing[PEER_NETWORKS];
    double max_peer_height;
    size_t total;
};

struct monero_sync_info {
    double height, target_height, peers, spans, max_peer_height;
};

struct monero_generated {
    double height;
    size_t blocks;
};

int monero_rpc_get_info(struct monero_rpc *rpc, struct monero_info *out,
                        struct monero_rpc_error *err);
int monero_rpc_get_last_block_header(struct monero_rpc *rpc, struct monero_block_header *out,
                                     struct monero_rpc_error *err);
int monero_rpc_get_fee_estimate(struct monero_rpc *rpc, struct monero_fee_estimate *out,
                                struct monero_rpc_error *err);
int monero_rpc_hard_fork_info(struct monero_rpc *rpc, struct monero_hard_fork *out,
                              struct monero_rpc_error *err);
int monero_rpc_get_version(struct monero_rpc *rpc, struct monero_version *out,
                           struct monero_rpc_error *err);
int monero_rpc_get_transaction_pool_stats(struct monero_rpc *rpc, struct monero_pool_stats *out,
                                          struct monero_rpc_error *err);
int monero_rpc_get_net_stats(struct monero_rpc *rpc, struct monero_net_stats *out,
                             struct monero_rpc_error *err);
int monero_rpc_get_connections(struct monero_rpc *rpc, struct monero_connections *out,
                               struct monero_rpc_error *err);
int monero_rpc_sync_info(struct monero_rpc *rpc, struct monero_sync_info *out,
                         struct monero_rpc_error *err);
/* Regtest only: mines `amount` blocks to `wallet_address` (a mainnet-format address). */
int monero_rpc_generateblocks(struct monero_rpc *rpc, unsigned amount, const char *wallet_address,
                              struct monero_generated *out, struct monero_rpc_error *err);

/*
 * Lower level, for calls without a typed wrapper. Both return the parsed "result" object (for
 * JSON-RPC) or the whole answer (for other endpoints) as a jansson value the caller must
 * json_decref, or NULL with err filled. `params_json` may be NULL.
 */
struct json_t;
struct json_t *monero_rpc_call(struct monero_rpc *rpc, const char *method, const char *params_json,
                               struct monero_rpc_error *err);
struct json_t *monero_rpc_get(struct monero_rpc *rpc, const char *path, const char *body_json,
                              struct monero_rpc_error *err);

/* Parses a response body with the same tolerance the calls apply (exposed for tests). */
struct json_t *monero_rpc_parse(const char *body, size_t len, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
