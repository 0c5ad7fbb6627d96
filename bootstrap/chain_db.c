/* chain_db: a monerod database's tip, and a consistent copy of it (see chain_db.h). */
#include "chain_db.h"

#include "lmdb.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK_INFO_HASH_OFFSET 48 /* height, timestamp, coins, weight, diff_lo, diff_hi */
#define BLOCK_INFO_MIN_LEN     (BLOCK_INFO_HASH_OFFSET + 32)

static int lmdb_fail(int rc, const char *what, char *why, size_t why_len)
{
    snprintf(why, why_len, "%s: %s", what, mdb_strerror(rc));
    return -1;
}

/* Read-only, with the kernel's read-ahead (a copy reads the file from start to end). */
static int open_env(const char *dir, MDB_env **env, char *why, size_t why_len)
{
    int rc = mdb_env_create(env);
    if (rc != 0)
        return lmdb_fail(rc, "mdb_env_create", why, why_len);
    if ((rc = mdb_env_set_maxdbs(*env, 32)) != 0 ||
        (rc = mdb_env_open(*env, dir, MDB_RDONLY, 0600)) != 0) {
        mdb_env_close(*env);
        *env = NULL;
        char what[512];
        snprintf(what, sizeof what, "cannot open the database in %s", dir);
        return lmdb_fail(rc, what, why, why_len);
    }
    return 0;
}

static int read_tip(MDB_txn *txn, struct chain_tip *out, char *why, size_t why_len)
{
    MDB_dbi blocks, info;
    MDB_stat st;
    MDB_cursor *cur;
    MDB_val key, val;
    int rc;
    if ((rc = mdb_dbi_open(txn, "blocks", MDB_INTEGERKEY, &blocks)) != 0 ||
        (rc = mdb_dbi_open(txn, "block_info", MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED,
                           &info)) != 0)
        return lmdb_fail(rc, "not a monerod database", why, why_len);
    if ((rc = mdb_stat(txn, blocks, &st)) != 0)
        return lmdb_fail(rc, "mdb_stat blocks", why, why_len);
    if (st.ms_entries == 0) {
        snprintf(why, why_len, "the database holds no blocks");
        return -1;
    }
    if ((rc = mdb_cursor_open(txn, info, &cur)) != 0)
        return lmdb_fail(rc, "block_info", why, why_len);
    rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
    mdb_cursor_close(cur);
    if (rc != 0)
        return lmdb_fail(rc, "block_info has no last entry", why, why_len);
    uint64_t top;
    if (val.mv_size < BLOCK_INFO_MIN_LEN) {
        snprintf(why, why_len, "block_info entries of %zu bytes: not a database of monerod 0.18",
                 val.mv_size);
        return -1;
    }
    memcpy(&top, val.mv_data, sizeof top);
    if (top + 1 != st.ms_entries) {
        snprintf(why, why_len, "block_info ends at height %llu but blocks holds %zu",
                 (unsigned long long)top, (size_t)st.ms_entries);
        return -1;
    }
    out->height = st.ms_entries;
    memcpy(out->top_hash, (const uint8_t *)val.mv_data + BLOCK_INFO_HASH_OFFSET, 32);
    return 0;
}

int chain_db_tip(const char *dir, struct chain_tip *out, char *why, size_t why_len)
{
    MDB_env *env;
    MDB_txn *txn;
    if (open_env(dir, &env, why, why_len) < 0)
        return -1;
    int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    int result =
        rc == 0 ? read_tip(txn, out, why, why_len) : lmdb_fail(rc, "mdb_txn_begin", why, why_len);
    if (rc == 0)
        mdb_txn_abort(txn);
    mdb_env_close(env);
    return result;
}

int chain_db_copy(const char *dir, int fd, char *why, size_t why_len)
{
    MDB_env *env;
    if (open_env(dir, &env, why, why_len) < 0)
        return -1;
    MDB_envinfo info;
    if (mdb_env_info(env, &info) == 0 && info.me_mapaddr) /* our mapping only, not monerod's */
        madvise(info.me_mapaddr, info.me_mapsize, MADV_SEQUENTIAL);
    int rc = mdb_env_copyfd(env, fd);
    mdb_env_close(env);
    return rc == 0 ? 0 : lmdb_fail(rc, "copying the database", why, why_len);
}

void chain_hash_hex(const uint8_t hash[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[hash[i] >> 4];
        out[2 * i + 1] = digits[hash[i] & 15];
    }
    out[64] = '\0';
}
