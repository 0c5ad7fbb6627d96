/*
 * chain_db: reads a monerod blockchain database (the `lmdb` directory) with Monero's own LMDB:
 * its height and the hash of its top block, and copies it to a file descriptor while monerod
 * keeps writing (a read transaction sees the last committed state; LMDB keeps the pages it
 * reads from being reused until it ends).
 *
 * The tables read, as monerod's blockchain_db/lmdb/db_lmdb.cpp defines them: "blocks" (one
 * entry per block, so its entry count is the height) and "block_info" (one duplicate per block
 * under a zero key, sorted by height; each begins with the height and holds the block hash at
 * byte 48).
 */
#ifndef MONERO_BOOTSTRAP_CHAIN_DB_H
#define MONERO_BOOTSTRAP_CHAIN_DB_H

#include <stddef.h>
#include <stdint.h>

struct chain_tip {
    uint64_t height;      /* number of blocks */
    uint8_t top_hash[32]; /* of block height-1 */
};

/* Reads the tip of the database in `dir`; -1 with the reason in `why`. */
int chain_db_tip(const char *dir, struct chain_tip *out, char *why, size_t why_len);

/* Writes a consistent copy of `dir`'s data.mdb to `fd`: its last committed state, while
 * writers go on. -1 with the reason in `why`. */
int chain_db_copy(const char *dir, int fd, char *why, size_t why_len);

/* 64 lowercase hex digits and a NUL. */
void chain_hash_hex(const uint8_t hash[32], char out[65]);

#endif
