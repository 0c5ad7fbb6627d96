/*
 * fetch_one: one attempt to copy a sibling's database into the partial directory and prove it:
 * the stream's length and SHA-256 match its trailer, the database opens with Monero's LMDB, and
 * the sibling's own RPC names the same hash for the copy's top block. Only then may it be
 * installed (fetch.c renames it into place).
 */
#ifndef MONERO_BOOTSTRAP_FETCH_ONE_H
#define MONERO_BOOTSTRAP_FETCH_ONE_H

#include "chain_db.h"
#include "sources.h"

#include <stdint.h>

enum fetch_outcome { FETCH_VERIFIED, FETCH_BUSY, FETCH_FAILED };

struct fetch_params {
    const char *partial_dir; /* on the same volume as the final directory */
    const char *token;
    unsigned rpc_port;  /* the sibling's restricted RPC */
    long stall_seconds; /* a transfer without a byte for this long is abandoned */
    long rpc_timeout_ms;
};

struct fetch_result {
    uint64_t bytes;
    double seconds;
    struct chain_tip tip;
};

/* Leaves a verified copy in partial_dir (FETCH_VERIFIED), or nothing there. */
enum fetch_outcome fetch_one(const struct fetch_params *p, const struct source *src,
                             struct fetch_result *r, char *why, size_t why_len);

/* Removes the partial directory and what is in it (a data.mdb and a lock.mdb at most). */
void fetch_discard(const char *partial_dir);

#endif
