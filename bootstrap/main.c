/* monero-bootstrap: a new node starts from a Ready sibling's database instead of days of sync.
 *
 *   monero-bootstrap serve ...   the sending side (a sidecar of every node; serve.h)
 *   monero-bootstrap fetch ...   the receiving side (the first init step; fetch.h)
 *   monero-bootstrap tip DIR     height and top block hash of a database (for people and tests)
 *
 * Linked with Monero's own LMDB (scripts/monero-lmdb), the one monerod uses: its lock format
 * is what lets this process read the database while monerod writes it.
 */
#include "chain_db.h"
#include "fetch.h"
#include "serve.h"

#include <stdio.h>
#include <string.h>

static int tip(int argc, char **argv)
{
    struct chain_tip t;
    char why[512], hash[65];
    if (argc != 2) {
        fprintf(stderr, "usage: monero-bootstrap tip DIR\n");
        return 2;
    }
    if (chain_db_tip(argv[1], &t, why, sizeof why) < 0) {
        fprintf(stderr, "monero-bootstrap tip: %s\n", why);
        return 1;
    }
    chain_hash_hex(t.top_hash, hash);
    printf("{\"height\":%llu,\"top_hash\":\"%s\"}\n", (unsigned long long)t.height, hash);
    return 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "serve") == 0)
        return bootstrap_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "fetch") == 0)
        return bootstrap_fetch(argc - 1, argv + 1);
    if (strcmp(cmd, "tip") == 0)
        return tip(argc - 1, argv + 1);
    fprintf(stderr, "usage: monero-bootstrap serve|fetch|tip [options] (--help for each)\n");
    return strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ? 0 : 2;
}
