/*
 * monero-status: prints one line about a monerod node, using the monero-rpc library.
 *
 *   cc monero-status.c $(pkg-config --cflags --libs monero-rpc) -o monero-status
 *   ./monero-status http://127.0.0.1:18081
 *   height=3267001 target=0 synchronized=1 peers=12/8 top_age=41s version=0.18.4.0-release
 *
 * Exits 0 when the node answered, 1 (with the failing call and reason on stderr) when not.
 */
#include <monero_rpc.h>

#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:18081";
    struct monero_rpc *rpc = monero_rpc_new(url, 5000);
    struct monero_rpc_error err;
    struct monero_info info;
    struct monero_block_header top;
    if (!rpc) {
        fprintf(stderr, "monero-status: cannot create a client\n");
        return 1;
    }
    if (monero_rpc_get_info(rpc, &info, &err) < 0 ||
        monero_rpc_get_last_block_header(rpc, &top, &err) < 0) {
        fprintf(stderr, "monero-status: %s: %s\n", err.method, err.message);
        monero_rpc_free(rpc);
        return 1;
    }
    printf("height=%.0f target=%.0f synchronized=%d peers=%.0f/%.0f top_age=%.0fs version=%s\n",
           info.height, info.target_height, info.synchronized, info.outgoing_connections,
           info.incoming_connections, (double)time(NULL) - top.timestamp, info.version);
    monero_rpc_free(rpc);
    return 0;
}
