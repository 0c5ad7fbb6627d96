/* monero_rpc_plain: the small plain-HTTP transport behind monero_rpc_new_plain (see
 * monero_rpc.h and http_client.h). */
#include "http/http_client.h"
#include "monero_rpc.h"
#include "monero_rpc/monero_rpc_transport.h"

#include <string.h>

static int plain_post(void *state, const char *url, const char *body, long timeout_ms,
                      size_t max_answer, struct monero_rpc_answer *out, char *err, size_t err_size)
{
    (void)state;
    struct http_client_response r;
    if (http_client_request(url, "POST", "application/json", body, strlen(body), NULL, timeout_ms,
                            max_answer, &r, err, err_size) < 0)
        return -1;
    out->status = r.status;
    out->body = r.body;
    out->len = r.body_len;
    return 0;
}

static const struct monero_rpc_transport plain_transport = {plain_post, NULL};

struct monero_rpc *monero_rpc_new_plain(const char *base_url, long timeout_ms)
{
    return monero_rpc_with_transport(base_url, timeout_ms, &plain_transport, NULL);
}
