/*
 * monero_rpc_transport: how monero_rpc moves bytes. The RPC logic (monero_rpc.c) is the same
 * whichever transport carries it: libcurl (monero_rpc_new) or the small plain-HTTP client
 * (monero_rpc_new_plain, used by the metrics sidecar to stay small).
 */
#ifndef MONERO_OPERATOR_MONERO_RPC_TRANSPORT_H
#define MONERO_OPERATOR_MONERO_RPC_TRANSPORT_H

#include "monero_rpc.h"

#include <stddef.h>

#define MONERO_RPC_MAX_ANSWER ((size_t)32 << 20)

struct monero_rpc_answer {
    long status;
    char *body; /* malloc'd, NUL-terminated */
    size_t len;
};

struct monero_rpc_transport {
    /* POSTs a JSON body; 0 with the answer, or -1 with a one-line reason. */
    int (*post)(void *state, const char *url, const char *body, long timeout_ms, size_t max_answer,
                struct monero_rpc_answer *out, char *err, size_t err_size);
    void (*free)(void *state);
};

struct monero_rpc {
    char *base_url;
    long timeout_ms;
    const struct monero_rpc_transport *transport;
    void *state;
};

struct monero_rpc *monero_rpc_with_transport(const char *base_url, long timeout_ms,
                                             const struct monero_rpc_transport *transport,
                                             void *state);

#endif
