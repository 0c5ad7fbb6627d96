/*
 * fuzz_rpc: what the metrics exporter reads from the network, for libFuzzer: raw HTTP responses
 * (http_response_parse), monerod answers through every typed call and the metrics writer, and
 * xmrig summaries. The input is served as the answer to every call.
 */
#include "http/http_client.h"
#include "metrics/monero_collector.h"
#include "metrics/xmrig_api.h"
#include "monero_rpc/monero_rpc_transport.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *data;
    size_t size;
};

static int serve_input(void *state, const char *url, const char *body, long timeout_ms,
                       size_t max_answer, struct monero_rpc_answer *out, char *err, size_t err_size)
{
    const struct input *in = state;
    (void)url, (void)body, (void)timeout_ms, (void)max_answer, (void)err, (void)err_size;
    out->status = 200;
    out->body = malloc(in->size + 1);
    memcpy(out->body, in->data, in->size);
    out->body[in->size] = '\0';
    out->len = in->size;
    return 0;
}

static const struct monero_rpc_transport transport = {serve_input, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    struct http_client_response r;
    char err[256];
    if (http_response_parse((const char *)data, size, 1 << 20, &r, err, sizeof err) == 0) {
        if (r.body_len > (1 << 20) || r.body[r.body_len] != '\0')
            abort();
        http_client_response_free(&r);
    }

    struct monero_collector c = {.rpc =
                                     monero_rpc_with_transport("http://x", 1000, &transport, &in)};
    monero_collector_refresh(&c, 1e9, false);
    struct prom_writer w;
    size_t len;
    if (prom_writer_open(&w, size % 2) == 0) {
        monero_metrics_write(&w, &c.snap);
        free(prom_writer_finish(&w, &len));
    }
    char why[128];
    monero_not_ready(&c.snap, 1800, why, sizeof why);
    struct monero_generated gen;
    struct monero_rpc_error rerr;
    monero_rpc_generateblocks(c.rpc, 1, "4", &gen, &rerr);
    monero_rpc_free(c.rpc);

    struct xmrig_summary x;
    if (xmrig_summary_parse((const char *)data, size, &x, err, sizeof err) == 0 &&
        prom_writer_open(&w, false) == 0) {
        xmrig_metrics_write(&w, &x, true, 0);
        free(prom_writer_finish(&w, &len));
    }
    return 0;
}
