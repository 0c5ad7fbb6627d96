/* fetch: bootstrap an empty volume from a Ready sibling, or step aside (see fetch.h). */
#include "fetch.h"

#include "fetch_one.h"
#include "sources.h"
#include "volume_state.h"

#include "src/options.h"
#include "src/token.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fetch_options {
    const char *data_dir, *lmdb_dir, *from, *token_file, *summary_file;
    unsigned long rpc_port, attempts, backoff_ms, stall_seconds;
};

/* One line for the log and for `kubectl describe pod` (the container's termination message). */
static void say(const struct fetch_options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const struct fetch_options *o, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "monero-bootstrap fetch: %s\n", line);
    FILE *f = o->summary_file && *o->summary_file ? fopen(o->summary_file, "w") : NULL;
    if (f) {
        fprintf(f, "%s\n", line);
        fclose(f);
    }
}

static void pause_ms(unsigned long ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int split_from(char *list, const char **specs, size_t cap)
{
    size_t n = 0;
    for (char *tok = strtok(list, ","); tok && n < cap; tok = strtok(NULL, ","))
        specs[n++] = tok;
    return (int)n;
}

/* One round over every sibling; 1 when a copy was installed, 0 when none, -1 on a local
 * failure. */
static int one_round(const struct fetch_options *o, const struct fetch_params *p,
                     const struct sources *srcs)
{
    char why[768], where[96], done[512];
    for (size_t i = 0; i < srcs->n; i++) {
        struct fetch_result r;
        source_format(&srcs->list[i], srcs->list[i].port, where, sizeof where);
        fprintf(stderr, "monero-bootstrap fetch: copying from %s\n", where);
        if (fetch_one(p, &srcs->list[i], &r, why, sizeof why) != FETCH_VERIFIED) {
            fprintf(stderr, "monero-bootstrap fetch: %s\n", why);
            continue;
        }
        if (volume_install(p->partial_dir, o->lmdb_dir, why, sizeof why) < 0) {
            say(o, "%s", why);
            return -1;
        }
        volume_record(o->data_dir, where, &r);
        snprintf(done, sizeof done,
                 "bootstrapped from %s at height %llu: %llu bytes in %.1f s (%.1f MB/s)", where,
                 (unsigned long long)r.tip.height, (unsigned long long)r.bytes, r.seconds,
                 r.seconds > 0 ? (double)r.bytes / r.seconds / 1e6 : 0.0);
        say(o, "%s", done);
        return 1;
    }
    return 0;
}

/* Rounds until a copy is installed or the attempts are spent. */
static int fetch_rounds(const struct fetch_options *o, const struct fetch_params *p,
                        const char **specs, size_t n_specs)
{
    char why[256];
    unsigned long pause = o->backoff_ms;
    for (unsigned long round = 1; round <= o->attempts; round++) {
        struct sources srcs;
        if (sources_resolve(specs, n_specs, &srcs, why, sizeof why) < 0) {
            say(o, "%s", why);
            return 2;
        }
        if (srcs.n == 0) {
            say(o, "%s", "no Ready sibling to copy from: monerod syncs over P2P");
            return 0;
        }
        int got = one_round(o, p, &srcs);
        if (got != 0)
            return got > 0 ? 0 : 1;
        if (round < o->attempts) {
            fprintf(stderr, "monero-bootstrap fetch: attempt %lu of %lu failed; next in %lu ms\n",
                    round, o->attempts, pause);
            pause_ms(pause);
            pause = pause * 2 > 300000 ? 300000 : pause * 2;
        }
    }
    say(o, "no copy after %lu attempts: monerod syncs over P2P", o->attempts);
    return 0;
}

static int fetch_run(const struct fetch_options *o)
{
    char partial[4096], token[TOKEN_MAX + 1], first[256], list[4096];
    const char *specs[SOURCES_MAX];
    int empty = volume_is_empty(o->data_dir, first, sizeof first);
    if (empty < 0) {
        say(o, "cannot read the volume at %s", o->data_dir);
        return 1;
    }
    if (!empty) {
        say(o, "the volume holds data (%s): left as it is, monerod starts from it", first);
        return 0;
    }
    snprintf(partial, sizeof partial, "%s/" PARTIAL_NAME, o->data_dir);
    fetch_discard(partial); /* an attempt that died half-way */
    if (token_read(o->token_file, token) < 0) {
        say(o, "cannot read the token in %s: monerod syncs over P2P", o->token_file);
        return 0;
    }
    snprintf(list, sizeof list, "%s", o->from);
    int n = split_from(list, specs, SOURCES_MAX);
    const struct fetch_params p = {partial, token, (unsigned)o->rpc_port, (long)o->stall_seconds,
                                   10000};
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = fetch_rounds(o, &p, specs, (size_t)n);
    curl_global_cleanup();
    return rc;
}

int bootstrap_fetch(int argc, char **argv)
{
    struct fetch_options o = {
        "/data", "/data/lmdb", "", "/etc/monero-bootstrap/token", "/dev/termination-log", 18089,
        3,       5000,         60};
    const struct option_def defs[] = {
        {"data-dir", 0, NULL, OPT_STRING, &o.data_dir, 0, "DIR", "the node's data volume"},
        {"lmdb", 0, NULL, OPT_STRING, &o.lmdb_dir, 0, "DIR",
         "where monerod opens its database (under --data-dir)"},
        {"from", 0, NULL, OPT_STRING, &o.from, 0, "HOST:PORT,...",
         "siblings' copy ports; a name stands for every address it resolves to"},
        {"rpc-port", 0, NULL, OPT_UINT, &o.rpc_port, 65535, "PORT",
         "the siblings' restricted RPC port, asked to confirm the copy"},
        {"token-file", 0, NULL, OPT_STRING, &o.token_file, 0, "FILE", "the set's shared token"},
        {"attempts", 0, NULL, OPT_UINT, &o.attempts, 100, "N",
         "rounds over every sibling before monerod syncs over P2P instead"},
        {"backoff-ms", 0, NULL, OPT_UINT, &o.backoff_ms, 600000, "MS",
         "pause after the first failed round, doubled after each (at most 5 min)"},
        {"stall-seconds", 0, NULL, OPT_UINT, &o.stall_seconds, 3600, "S",
         "abandon a transfer that sends nothing for this long"},
        {"summary-file", 0, NULL, OPT_STRING, &o.summary_file, 0, "FILE",
         "where the outcome line is also written (the termination message); empty: nowhere"},
    };
    int rc = options_parse("fetch", "Start an empty volume from a Ready sibling's database.", defs,
                           sizeof defs / sizeof defs[0], argc, argv);
    if (rc != 0)
        return rc < 0 ? 2 : 0;
    if (!*o.from || o.attempts == 0 || o.stall_seconds == 0) {
        fprintf(stderr, "monero-bootstrap fetch: --from, --attempts >= 1 and --stall-seconds >= 1"
                        " are required\n");
        return 2;
    }
    return fetch_run(&o);
}
