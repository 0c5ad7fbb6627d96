/* xmrig_api: xmrig /2/summary client and metrics (see xmrig_api.h). */
#include "metrics/xmrig_api.h"

#include "http/http_client.h"
#include "monero_rpc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double number(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void copy(const json_t *o, const char *key, char *out, size_t size)
{
    const char *s = json_string_value(json_object_get(o, key));
    snprintf(out, size, "%s", s ? s : "");
}

int xmrig_summary_parse(const char *body, size_t len, struct xmrig_summary *out, char *error,
                        size_t error_size)
{
    json_t *r = monero_rpc_parse(body, len, error, error_size);
    memset(out, 0, sizeof *out);
    if (!r)
        return -1;
    if (!json_is_object(r)) {
        snprintf(error, error_size, "summary is not a JSON object");
        json_decref(r);
        return -1;
    }
    const json_t *hashrate = json_object_get(r, "hashrate");
    const json_t *total = json_object_get(hashrate, "total");
    const json_t *results = json_object_get(r, "results");
    const json_t *connection = json_object_get(r, "connection");
    const json_t *hugepages = json_object_get(r, "hugepages");
    for (size_t i = 0; i < 3; i++) {
        const json_t *v = json_array_get(total, i);
        out->hashrate[i] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    out->hashrate_highest = number(hashrate, "highest");
    out->hashes_total = number(results, "hashes_total");
    out->shares_good = number(results, "shares_good");
    out->shares_total = number(results, "shares_total");
    out->accepted = number(connection, "accepted");
    out->rejected = number(connection, "rejected");
    out->ping_seconds = number(connection, "ping") / 1000.0;
    out->connection_uptime_seconds = number(connection, "uptime");
    out->uptime_seconds = number(r, "uptime");
    out->donate_level = number(r, "donate_level");
    out->threads = number(json_object_get(r, "cpu"), "threads");
    out->hugepages_allocated = out->hugepages_total = NAN;
    if (json_is_array(hugepages)) { /* [allocated, total] in API v2 */
        out->hugepages_allocated = json_number_value(json_array_get(hugepages, 0));
        out->hugepages_total = json_number_value(json_array_get(hugepages, 1));
    }
    out->paused = json_is_true(json_object_get(r, "paused"));
    copy(r, "version", out->version, sizeof out->version);
    copy(r, "algo", out->algo, sizeof out->algo);
    copy(connection, "pool", out->pool, sizeof out->pool);
    json_decref(r);
    return 0;
}

int xmrig_summary_fetch(const char *base_url, const char *token, long timeout_ms,
                        struct xmrig_summary *out, char *error, size_t error_size)
{
    char url[512], auth[512], why[256];
    const char *headers[2] = {NULL, NULL};
    struct http_client_response r;
    snprintf(url, sizeof url, "%s/2/summary", base_url);
    if (token && *token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[0] = auth;
    }
    if (http_client_request(url, "GET", NULL, NULL, 0, headers, timeout_ms, 1 << 20, &r, why,
                            sizeof why) < 0) {
        snprintf(error, error_size, "/2/summary: %s", why);
        return -1;
    }
    int rc = -1;
    if (r.status != 200)
        snprintf(error, error_size, "/2/summary: HTTP status %ld", r.status);
    else
        rc = xmrig_summary_parse(r.body, r.body_len, out, error, error_size);
    http_client_response_free(&r);
    return rc;
}

void xmrig_metrics_write(struct prom_writer *w, const struct xmrig_summary *s, bool up,
                         unsigned long errors)
{
    static const char *const windows[3] = {"10s", "60s", "15m"};
    prom_family(w, "xmrig_up", "gauge", "1 when xmrig's API answered on the last scrape.");
    prom_sample(w, "xmrig_up", NULL, up);
    prom_counter(w, "xmrig_api_errors", "Failed reads of xmrig's API since the exporter started.",
                 (double)errors);
    if (!up)
        return;
    prom_family(w, "xmrig_hashrate_hashes_per_second", "gauge",
                "Hashrate averaged over a window (absent until the window has data).");
    for (int i = 0; i < 3; i++) {
        const char *labels[] = {"window", windows[i], NULL};
        if (!isnan(s->hashrate[i]))
            prom_sample(w, "xmrig_hashrate_hashes_per_second", labels, s->hashrate[i]);
    }
    prom_gauge(w, "xmrig_hashrate_highest_hashes_per_second", "Highest 10 s hashrate seen.",
               s->hashrate_highest);
    prom_counter(w, "xmrig_hashes", "Hashes computed.", s->hashes_total);
    prom_counter(w, "xmrig_shares_good", "Shares the pool or daemon accepted.", s->shares_good);
    prom_counter(w, "xmrig_shares", "Shares submitted.", s->shares_total);
    prom_counter(w, "xmrig_pool_accepted", "Results accepted on the current connection.",
                 s->accepted);
    prom_counter(w, "xmrig_pool_rejected", "Results rejected on the current connection.",
                 s->rejected);
    prom_gauge(w, "xmrig_pool_ping_seconds", "Round trip to the pool.", s->ping_seconds);
    prom_gauge(w, "xmrig_connection_uptime_seconds", "Age of the pool connection.",
               s->connection_uptime_seconds);
    prom_gauge(w, "xmrig_uptime_seconds", "Time since xmrig started.", s->uptime_seconds);
    prom_gauge(w, "xmrig_donate_level_percent", "Donate level.", s->donate_level);
    prom_gauge(w, "xmrig_threads", "Mining threads.", s->threads);
    prom_gauge(w, "xmrig_hugepages_allocated", "Huge pages in use.", s->hugepages_allocated);
    prom_gauge(w, "xmrig_hugepages_wanted", "Huge pages xmrig wanted.", s->hugepages_total);
    prom_gauge(w, "xmrig_paused", "1 when mining is paused.", s->paused);
    prom_family(w, "xmrig_build_info", "gauge", "xmrig version, algorithm and pool (always 1).");
    const char *labels[] = {"version", s->version, "algo", s->algo, "pool", s->pool, NULL};
    prom_sample(w, "xmrig_build_info", labels, 1);
}
