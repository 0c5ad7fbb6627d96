/* xmrig_command: reserved flags, defaults, targets and the final xmrig argv
 * (see xmrig_command.h). */
#include "xmrig_command.h"

#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

static const struct cli_reserved reserved[] = {
    {"background", "a container's main process must stay in the foreground"},
    {"config", "the miner is configured by the spec; a config file would be written back"},
    {"http-enabled", "the API is always on, for metrics"},
    {"http-host", "the API listens on all pod addresses"},
    {"http-port", "the API port is fixed at 18092"},
    {"http-access-token", "set spec.api.accessTokenSecretRef instead"},
    {"http-no-restricted", "an unrestricted API would let anyone in the cluster control miners"},
    {"dry-run", "xmrig would exit instead of mining"},
    {"help", "xmrig would print help and exit"},
    {"version", "xmrig would print its version and exit"},
    {"print-platforms", "xmrig would print and exit"},
    {"bench", "benchmark mode does not mine"},
    {"stress", "stress mode does not mine"},
    {"submit", "benchmark mode does not mine"},
    {"verify", "benchmark mode does not mine"},
    {"hash", "benchmark mode does not mine"},
    {"seed", "benchmark mode does not mine"},
};

struct defaults {
    struct cli_default items[12];
    char values[4][96];
    size_t n, n_values;
};

static void add(struct defaults *d, const char *flag, const char *value)
{
    d->items[d->n++] = (struct cli_default){flag, value, {NULL, NULL, NULL}};
}

static const char *number(struct defaults *d, long long v)
{
    char *out = d->values[d->n_values++];
    snprintf(out, sizeof d->values[0], "%lld", v);
    return out;
}

static void operator_defaults(const struct mining_spec *s, struct defaults *d)
{
    add(d, "no-color", NULL);
    add(d, "donate-level", number(d, s->donate_level));
    add(d, "http-host", "0.0.0.0");
    add(d, "http-port", number(d, XMRIG_API_PORT));
    if (s->token_secret)
        add(d, "http-access-token", "$(" XMRIG_TOKEN_ENV ")");
    add(d, "randomx-wrmsr", "-1"); /* MSR writes need root; pods are unprivileged */
    add(d, "randomx-no-rdmsr", NULL);
    if (!s->huge_pages)
        add(d, "no-huge-pages", NULL);
    if (strcmp(s->randomx_mode, "auto") != 0)
        add(d, "randomx-mode", s->randomx_mode);
    if (s->threads > 0) { /* a CPU hint of the user's drops it, as --threads of theirs does */
        add(d, "threads", number(d, s->threads));
        d->items[d->n - 1].replaced_by[0] = "cpu-max-threads-hint";
    }
}

static void append(json_t *argv, const char *flag, const char *value)
{
    char buf[700];
    snprintf(buf, sizeof buf, value ? "--%s=%s" : "--%s", flag, value);
    jsonx_append_string(argv, buf);
}

static void append_pools(const struct mining_spec *s, json_t *argv)
{
    for (size_t i = 0; i < s->n_pools; i++) {
        const struct mining_pool *p = &s->pools[i];
        append(argv, "url", p->url);
        if (p->user)
            append(argv, "user", p->user);
        if (p->pass)
            append(argv, "pass", p->pass);
        if (p->rig_id)
            append(argv, "rig-id", p->rig_id);
        if (p->tls)
            append(argv, "tls", NULL);
        if (p->tls_fingerprint)
            append(argv, "tls-fingerprint", p->tls_fingerprint);
        if (p->nicehash)
            append(argv, "nicehash", NULL);
        if (p->keepalive)
            append(argv, "keepalive", NULL);
    }
}

/* Solo mining into the target's restricted RPC (get_block_template and submit_block). The
 * target is a Service in the miner's namespace: a MoneroNodeSet's Service, or the Service of
 * one node of a MoneroNetwork. */
static void append_solo(const struct mining_spec *s, json_t *argv)
{
    char url[256];
    const struct mining_solo *t = &s->solo;
    if (t->node_set)
        snprintf(url, sizeof url, "%s:%lld", t->node_set, (long long)t->port);
    else
        snprintf(url, sizeof url, "%s-%lld:%lld", t->network, (long long)t->node,
                 (long long)t->port);
    append(argv, "daemon", NULL);
    append(argv, "url", url);
    append(argv, "user", t->wallet);
}

int xmrig_command_build(const struct mining_spec *s, json_t **argv, struct spec_error *err)
{
    struct defaults d;
    memset(&d, 0, sizeof d);
    *argv = NULL;
    if (cli_args_check_reserved(&s->args, "spec.xmrig.args", reserved, ARRAY_LEN(reserved), err) <
        0)
        return -1;
    operator_defaults(s, &d);
    *argv = cli_defaults_argv(d.items, d.n, &s->args);
    if (s->solo_enabled)
        append_solo(s, *argv);
    else
        append_pools(s, *argv);
    cli_args_append_tokens(*argv, &s->args);
    return 0;
}
