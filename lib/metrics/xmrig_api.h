/*
 * xmrig_api: reads xmrig's HTTP API (GET /2/summary, with an optional bearer token) and writes
 * its metrics. Hashrates are null in xmrig's answer until a window has data; those are NaN
 * here and left out of the exposition.
 */
#ifndef MONERO_OPERATOR_XMRIG_API_H
#define MONERO_OPERATOR_XMRIG_API_H

#include "metrics/prom_text.h"

#include <stdbool.h>
#include <stddef.h>

struct xmrig_summary {
    double hashrate[3]; /* 10 s, 60 s, 15 min windows, H/s; NaN when not known yet */
    double hashrate_highest, hashes_total, shares_good, shares_total, accepted, rejected;
    double ping_seconds, connection_uptime_seconds, uptime_seconds, donate_level;
    double hugepages_allocated, hugepages_total, threads;
    bool paused;
    char version[32], algo[32], pool[128];
};

/* Parses the JSON text of /2/summary (also used by tests). Returns 0 or -1 with a reason. */
int xmrig_summary_parse(const char *body, size_t len, struct xmrig_summary *out, char *error,
                        size_t error_size);

/* Fetches base_url + "/2/summary". `token` may be NULL. */
int xmrig_summary_fetch(const char *base_url, const char *token, long timeout_ms,
                        struct xmrig_summary *out, char *error, size_t error_size);

/* xmrig_up, hashrates, shares, pool, huge pages. `up` false writes only xmrig_up 0. */
void xmrig_metrics_write(struct prom_writer *w, const struct xmrig_summary *s, bool up,
                         unsigned long errors);

#endif
