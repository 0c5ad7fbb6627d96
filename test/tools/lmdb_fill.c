/* lmdb-fill: writes an LMDB database of a given size with Monero's LMDB, for measuring how fast
 * monero-bootstrap streams a copy (the sender does not look at the content, only at the pages).
 *
 *   lmdb-fill DIR MEGABYTES
 */
#include "lmdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lmdb-fill DIR MEGABYTES\n");
        return 2;
    }
    size_t mb = strtoul(argv[2], NULL, 10);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    static char value[1 << 20];
    for (size_t i = 0; i < sizeof value; i++)
        value[i] = (char)(i * 131 + 7);
    int rc = mdb_env_create(&env);
    if (rc == 0)
        rc = mdb_env_set_mapsize(env, (mb + 64) << 20);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(env, 4);
    if (rc == 0)
        rc = mdb_env_open(env, argv[1], MDB_NOSYNC, 0644);
    for (size_t i = 0; rc == 0 && i < mb; i++) {
        MDB_val key = {sizeof i, &i}, val = {sizeof value, value};
        value[0] = (char)i;
        rc = mdb_txn_begin(env, NULL, 0, &txn);
        if (rc == 0)
            rc = mdb_dbi_open(txn, "filler", MDB_CREATE | MDB_INTEGERKEY, &dbi);
        if (rc == 0)
            rc = mdb_put(txn, dbi, &key, &val, 0);
        rc = rc == 0 ? mdb_txn_commit(txn) : (mdb_txn_abort(txn), rc);
    }
    if (rc == 0)
        rc = mdb_env_sync(env, 1);
    mdb_env_close(env);
    if (rc != 0) {
        fprintf(stderr, "lmdb-fill: %s\n", mdb_strerror(rc));
        return 1;
    }
    return 0;
}
