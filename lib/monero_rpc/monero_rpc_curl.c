/* monero_rpc_curl: the libcurl transport behind monero_rpc_new (see monero_rpc.h). */
#include "monero_rpc.h"
#include "monero_rpc/monero_rpc_transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct collected {
    char *buf;
    size_t len, cap, max;
};

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    struct collected *c = ud;
    size_t add = size * n;
    if (c->len + add + 1 > c->max)
        return 0; /* aborts the transfer */
    if (c->len + add + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 16384;
        while (cap < c->len + add + 1)
            cap *= 2;
        char *grown = realloc(c->buf, cap);
        if (!grown)
            return 0;
        c->buf = grown;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, data, add);
    c->len += add;
    c->buf[c->len] = '\0';
    return add;
}

static int curl_post(void *state, const char *url, const char *body, long timeout_ms,
                     size_t max_answer, struct monero_rpc_answer *out, char *err, size_t err_size)
{
    CURL *curl = state;
    char error[CURL_ERROR_SIZE] = "";
    struct collected c = {.max = max_answer};
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROXY, ""); /* never through *_proxy variables */
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        snprintf(err, err_size, "%s",
                 rc == CURLE_WRITE_ERROR ? "response body too large"
                 : error[0]              ? error
                                         : curl_easy_strerror(rc));
        free(c.buf);
        return -1;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = c.buf;
    out->len = c.len;
    return 0;
}

static void curl_free_state(void *state)
{
    curl_easy_cleanup(state);
}

static const struct monero_rpc_transport curl_transport = {curl_post, curl_free_state};

struct monero_rpc *monero_rpc_new(const char *base_url, long timeout_ms)
{
    CURL *curl = curl_easy_init();
    if (!curl)
        return NULL;
    struct monero_rpc *rpc = monero_rpc_with_transport(base_url, timeout_ms, &curl_transport, curl);
    if (!rpc)
        curl_easy_cleanup(curl);
    return rpc;
}
