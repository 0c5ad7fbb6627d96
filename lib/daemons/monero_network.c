/* monero_network: per-network ports and flags (see monero_network.h). */
#include "daemons/monero_network.h"

#include <string.h>

static const struct monero_network_info networks[] = {
    {NETWORK_MAINNET, "mainnet", NULL, 18080, 18081, 18089, 18082, "lmdb"},
    {NETWORK_TESTNET, "testnet", "testnet", 28080, 28081, 28089, 28082, "testnet/lmdb"},
    {NETWORK_STAGENET, "stagenet", "stagenet", 38080, 38081, 38089, 38082, "stagenet/lmdb"},
    {NETWORK_REGTEST, "regtest", "regtest", 18080, 18081, 18089, 18082, "fake/lmdb"},
};

const struct monero_network_info *monero_network_by_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof networks / sizeof *networks; i++)
        if (strcmp(networks[i].name, name) == 0)
            return &networks[i];
    return NULL;
}

const struct monero_network_info *monero_network_get(enum monero_network id)
{
    return &networks[id];
}

const char *monero_network_names(void)
{
    return "mainnet, testnet, stagenet, regtest";
}
