/* fetch_one: copy, check and confirm one sibling's database (see fetch_one.h). */
#include "fetch_one.h"

#include "src/token.h"
#include "stream.h"

#include "monero_rpc.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct download {
    CURL *curl;
    struct stream_reader reader;
    long status; /* 0 until the first byte */
    char refusal[256];
    size_t refusal_len;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct download *d = arg;
    size_t len = size * n;
    if (d->status == 0)
        curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &d->status);
    if (d->status != 200) { /* a refusal: keep its first line */
        size_t room = sizeof d->refusal - 1 - d->refusal_len, take = len < room ? len : room;
        memcpy(d->refusal + d->refusal_len, data, take);
        d->refusal_len += take;
        d->refusal[d->refusal_len] = '\0';
        return len;
    }
    return stream_reader_feed(&d->reader, (const uint8_t *)data, len) == 0 ? len : 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static CURLcode download(struct download *d, const struct fetch_params *p, const char *where)
{
    char url[256], auth[TOKEN_MAX + 32];
    snprintf(url, sizeof url, "http://%s/v1/copy", where);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p->token);
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    curl_easy_setopt(d->curl, CURLOPT_URL, url);
    curl_easy_setopt(d->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(d->curl, CURLOPT_WRITEDATA, d);
    curl_easy_setopt(d->curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(d->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(d->curl, CURLOPT_LOW_SPEED_TIME, p->stall_seconds);
    curl_easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(d->curl, CURLOPT_PROXY, ""); /* siblings are in-cluster, never proxied */
    CURLcode rc = curl_easy_perform(d->curl);
    if (d->status == 0)
        curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &d->status);
    curl_slist_free_all(headers);
    return rc;
}

/* The first line of a refusal, for a one-line reason. */
static const char *first_line(char *text)
{
    text[strcspn(text, "\r\n")] = '\0';
    return text;
}

/* Streams the copy into partial_dir/data.mdb and checks its trailer. */
static enum fetch_outcome transfer(const struct fetch_params *p, const char *where,
                                   struct fetch_result *r, char *why, size_t why_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", p->partial_dir);
    if (mkdir(p->partial_dir, 0700) < 0 && errno != EEXIST) {
        snprintf(why, why_len, "cannot create %s: %s", p->partial_dir, strerror(errno));
        return FETCH_FAILED;
    }
    FILE *out = fopen(path, "wb");
    struct download d = {.curl = curl_easy_init()};
    if (!out || !d.curl || stream_reader_init(&d.reader, out) < 0) {
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
        if (out)
            fclose(out);
        curl_easy_cleanup(d.curl);
        stream_reader_release(&d.reader);
        return FETCH_FAILED;
    }
    double start = now_seconds();
    CURLcode rc = download(&d, p, where);
    r->seconds = now_seconds() - start;
    r->bytes = d.reader.written;
    enum fetch_outcome outcome = FETCH_FAILED;
    char reason[256];
    if (d.status == 503 && strncmp(d.refusal, "busy", 4) == 0)
        outcome = FETCH_BUSY, snprintf(why, why_len, "%s is busy", where);
    else if (d.status != 200 && d.status != 0)
        snprintf(why, why_len, "%s answered %ld: %s", where, d.status, first_line(d.refusal));
    else if (d.status == 0)
        snprintf(why, why_len, "cannot reach %s: %s", where, curl_easy_strerror(rc));
    else if (stream_reader_finish(&d.reader, reason, sizeof reason) < 0)
        snprintf(why, why_len, "from %s: %s%s%s", where, reason, rc ? "; " : "",
                 rc ? curl_easy_strerror(rc) : "");
    else if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
    else
        outcome = FETCH_VERIFIED;
    if (fclose(out) != 0 && outcome == FETCH_VERIFIED)
        outcome = FETCH_FAILED, snprintf(why, why_len, "cannot write %s", path);
    stream_reader_release(&d.reader);
    curl_easy_cleanup(d.curl);
    return outcome;
}

/* Asks the sibling's RPC for the hash of the copy's top block. */
static int confirm_with_sibling(const struct fetch_params *p, const struct source *src,
                                const struct chain_tip *tip, char *why, size_t why_len)
{
    char base[128], where[96], params[64], have[65];
    source_format(src, p->rpc_port, where, sizeof where);
    snprintf(base, sizeof base, "http://%s", where);
    snprintf(params, sizeof params, "{\"height\":%llu}", (unsigned long long)(tip->height - 1));
    struct monero_rpc *rpc = monero_rpc_new(base, p->rpc_timeout_ms);
    struct monero_rpc_error err = {0};
    json_t *res = rpc ? monero_rpc_call(rpc, "get_block_header_by_height", params, &err) : NULL;
    const char *want =
        json_string_value(json_object_get(json_object_get(res, "block_header"), "hash"));
    chain_hash_hex(tip->top_hash, have);
    int ok = want && strcmp(want, have) == 0;
    if (!want)
        snprintf(why, why_len, "cannot confirm the copy with %s's RPC: %s", where,
                 rpc ? err.message : "out of memory");
    else if (!ok)
        snprintf(why, why_len, "the copy's block %llu is %s, the sibling's RPC says %s",
                 (unsigned long long)(tip->height - 1), have, want);
    json_decref(res);
    monero_rpc_free(rpc);
    return ok ? 0 : -1;
}

void fetch_discard(const char *partial_dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", partial_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", partial_dir);
    unlink(path);
    rmdir(partial_dir);
}

enum fetch_outcome fetch_one(const struct fetch_params *p, const struct source *src,
                             struct fetch_result *r, char *why, size_t why_len)
{
    char where[96], reason[384];
    source_format(src, src->port, where, sizeof where);
    memset(r, 0, sizeof *r);
    enum fetch_outcome outcome = transfer(p, where, r, why, why_len);
    if (outcome == FETCH_VERIFIED) {
        if (chain_db_tip(p->partial_dir, &r->tip, reason, sizeof reason) < 0) {
            snprintf(why, why_len, "the copy from %s does not open: %s", where, reason);
            outcome = FETCH_FAILED;
        } else if (confirm_with_sibling(p, src, &r->tip, why, why_len) < 0) {
            outcome = FETCH_FAILED;
        }
    }
    if (outcome != FETCH_VERIFIED)
        fetch_discard(p->partial_dir);
    return outcome;
}
