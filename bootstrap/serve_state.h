/* serve_state: what the sending side shares between its connections and its metrics. */
#ifndef MONERO_BOOTSTRAP_SERVE_STATE_H
#define MONERO_BOOTSTRAP_SERVE_STATE_H

#include <stdatomic.h>

struct serve_state {
    const char *lmdb_dir, *token_file, *received_file;
    unsigned long rate_bytes_per_s;
    atomic_int busy;
    atomic_ullong bytes_sent, copies_completed, copies_failed;
    atomic_ullong refused_unauthorized, refused_busy, refused_no_database;
};

/* The Prometheus text of the counters and of the received record (malloc'd). */
char *serve_metrics_text(struct serve_state *st);

#endif
