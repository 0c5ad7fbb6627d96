/* mining_spec: reading and validating MoneroMiningNodeSet.spec (see mining_spec.h). */
#include "mining_spec.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_resources.h"
#include "k8s/quantity.h"
#include "k8s/spec_read.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

#define MINING_REPLICAS_MAX 10000

static bool no_spaces(const char *s)
{
    return s && !strpbrk(s, " \t");
}

/* A Monero address as xmrig's daemon mode wants it: base58, 95 characters (standard or
 * subaddress) or 106 (integrated), with a mainnet, testnet or stagenet prefix. Regtest uses
 * mainnet addresses. */
static bool monero_address(const char *a)
{
    static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    size_t len = strlen(a);
    if ((len != 95 && len != 106) || !strchr("48957AB", a[0]))
        return false;
    return strspn(a, alphabet) == len;
}

/* Without spec.xmrig.threads, xmrig would start one thread per CPU of the host while the
 * scheduler counts only the pod's request: one thread per whole CPU of the limit, else of the
 * request (the default request is 1 CPU), and at least one. */
static json_int_t threads_from_cpu(const json_t *resources)
{
    const char *cpu = jsonx_string(jsonx_object(resources, "limits"), "cpu");
    if (!cpu)
        cpu = jsonx_string(jsonx_object(resources, "requests"), "cpu");
    struct quantity q;
    const char *reason;
    long long n = cpu && quantity_parse(cpu, &q, &reason) ? quantity_floor(&q, 1024) : 1;
    return n > 0 ? n : 1;
}

static int read_xmrig(const json_t *spec, const struct hook_defaults *defaults,
                      struct mining_spec *s, struct spec_error *err)
{
    static const char *const keys[] = {"image",       "imagePullPolicy", "args",
                                       "resources",   "threads",         "donateLevel",
                                       "randomxMode", "hugePages",       NULL};
    static const char *const pull[] = {"Always", "IfNotPresent", "Never", NULL};
    static const char *const modes[] = {"auto", "fast", "light", NULL};
    const json_t *xmrig, *resources;
    if (spec_read_object(spec, "xmrig", "spec", &xmrig, err) < 0 ||
        (xmrig && spec_check_known_keys(xmrig, "spec.xmrig", keys, err) < 0) ||
        spec_read_string(xmrig, "image", "spec.xmrig", 512, defaults->xmrig_image, &s->image, err) <
            0 ||
        spec_read_enum(xmrig, "imagePullPolicy", "spec.xmrig", pull, NULL, &s->image_pull_policy,
                       err) < 0 ||
        cli_args_parse(&xmrig_flags, json_object_get(xmrig, "args"), "spec.xmrig.args", &s->args,
                       err) < 0 ||
        spec_read_int(xmrig, "threads", "spec.xmrig", 0, 1024, 0, &s->threads, err) < 0 ||
        spec_read_int(xmrig, "donateLevel", "spec.xmrig", 1, 99, 1, &s->donate_level, err) < 0 ||
        spec_read_enum(xmrig, "randomxMode", "spec.xmrig", modes, "auto", &s->randomx_mode, err) <
            0 ||
        spec_read_bool(xmrig, "hugePages", "spec.xmrig", false, &s->huge_pages, err) < 0 ||
        spec_read_object(xmrig, "resources", "spec.xmrig", &resources, err) < 0)
        return -1;
    if (!*s->image) {
        spec_error_set(err, "spec.xmrig.image", "must not be empty");
        return -1;
    }
    if (resources && k8s_resources_parse(resources, "spec.xmrig.resources", &s->resources, err) < 0)
        return -1;
    if (s->threads == 0)
        s->threads = threads_from_cpu(s->resources);
    return 0;
}

static int read_pool(const json_t *item, const char *at, struct mining_pool *p,
                     struct spec_error *err)
{
    static const char *const keys[] = {"url",   "user",     "pass",      "tls", "tlsFingerprint",
                                       "rigId", "nicehash", "keepalive", NULL};
    if (!json_is_object(item)) {
        spec_error_set(err, at, "must be an object");
        return -1;
    }
    if (spec_check_known_keys(item, at, keys, err) < 0 ||
        spec_read_string(item, "url", at, 512, NULL, &p->url, err) < 0 ||
        spec_read_string(item, "user", at, 512, NULL, &p->user, err) < 0 ||
        spec_read_string(item, "pass", at, 512, NULL, &p->pass, err) < 0 ||
        spec_read_string(item, "tlsFingerprint", at, 128, NULL, &p->tls_fingerprint, err) < 0 ||
        spec_read_string(item, "rigId", at, 128, NULL, &p->rig_id, err) < 0 ||
        spec_read_bool(item, "tls", at, false, &p->tls, err) < 0 ||
        spec_read_bool(item, "nicehash", at, false, &p->nicehash, err) < 0 ||
        spec_read_bool(item, "keepalive", at, false, &p->keepalive, err) < 0)
        return -1;
    char where[160];
    spec_path_join(where, sizeof where, at, "url");
    if (!p->url || !*p->url || !no_spaces(p->url)) {
        spec_error_set(err, where, "must be a pool address such as pool.example.org:3333");
        return -1;
    }
    return 0;
}

static int read_pools(const json_t *spec, struct mining_spec *s, struct spec_error *err)
{
    const json_t *pools = json_object_get(spec, "pools");
    size_t i;
    json_t *item;
    if (!pools || json_is_null(pools))
        return 0;
    if (!json_is_array(pools) || json_array_size(pools) > XMRIG_POOLS_MAX) {
        spec_error_set(err, "spec.pools", "must be a list of at most %d pools", XMRIG_POOLS_MAX);
        return -1;
    }
    json_array_foreach(pools, i, item)
    {
        char at[64];
        snprintf(at, sizeof at, "spec.pools[%zu]", i);
        if (read_pool(item, at, &s->pools[s->n_pools++], err) < 0)
            return -1;
    }
    return 0;
}

static int read_solo_target(const json_t *solo, struct mining_solo *t, struct spec_error *err)
{
    const char *names[2] = {t->node_set, t->network};
    const char *fields[2] = {"spec.solo.moneroNodeSet", "spec.solo.moneroNetwork"};
    if ((t->node_set != NULL) == (t->network != NULL)) {
        spec_error_set(err, "spec.solo", "name exactly one of moneroNodeSet or moneroNetwork");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        if (names[i] && !k8s_is_dns1035_label(names[i])) {
            spec_error_set(err, fields[i], "\"%s\" is not a resource name", names[i]);
            return -1;
        }
    }
    if (t->node_set && json_object_get(solo, "node")) {
        spec_error_set(err, "spec.solo.node", "only applies to moneroNetwork");
        return -1;
    }
    return 0;
}

static int read_solo(const json_t *spec, struct mining_spec *s, struct spec_error *err)
{
    static const char *const keys[] = {"moneroNodeSet", "moneroNetwork", "node",
                                       "port",          "walletAddress", NULL};
    const json_t *solo;
    struct mining_solo *t = &s->solo;
    if (spec_read_object(spec, "solo", "spec", &solo, err) < 0 || !solo)
        return 0;
    s->solo_enabled = true;
    if (spec_check_known_keys(solo, "spec.solo", keys, err) < 0 ||
        spec_read_string(solo, "moneroNodeSet", "spec.solo", 63, NULL, &t->node_set, err) < 0 ||
        spec_read_string(solo, "moneroNetwork", "spec.solo", 63, NULL, &t->network, err) < 0 ||
        spec_read_int(solo, "node", "spec.solo", 0, 9999, 0, &t->node, err) < 0 ||
        spec_read_int(solo, "port", "spec.solo", 1, 65535, 18089, &t->port, err) < 0 ||
        spec_read_string(solo, "walletAddress", "spec.solo", 128, NULL, &t->wallet, err) < 0 ||
        read_solo_target(solo, t, err) < 0)
        return -1;
    if (!t->wallet || !monero_address(t->wallet)) {
        spec_error_set(err, "spec.solo.walletAddress",
                       "must be a Monero address (95 or 106 base58 characters; mainnet format on "
                       "regtest)");
        return -1;
    }
    return 0;
}

static int read_api(const json_t *spec, struct mining_spec *s, struct spec_error *err)
{
    static const char *const keys[] = {"accessTokenSecretRef", NULL};
    static const char *const ref_keys[] = {"name", "key", NULL};
    const json_t *api, *ref;
    if (spec_read_object(spec, "api", "spec", &api, err) < 0)
        return -1;
    if (!api)
        return 0;
    if (spec_check_known_keys(api, "spec.api", keys, err) < 0 ||
        spec_read_object(api, "accessTokenSecretRef", "spec.api", &ref, err) < 0)
        return -1;
    if (!ref)
        return 0;
    if (spec_check_known_keys(ref, "spec.api.accessTokenSecretRef", ref_keys, err) < 0 ||
        spec_read_string(ref, "name", "spec.api.accessTokenSecretRef", 253, NULL, &s->token_secret,
                         err) < 0 ||
        spec_read_string(ref, "key", "spec.api.accessTokenSecretRef", 253, "token", &s->token_key,
                         err) < 0)
        return -1;
    if (!s->token_secret || !k8s_is_dns1123_subdomain(s->token_secret)) {
        spec_error_set(err, "spec.api.accessTokenSecretRef.name", "must name a Secret");
        return -1;
    }
    return 0;
}

static int check_target(const struct mining_spec *s, struct spec_error *err)
{
    if (s->n_pools && s->solo_enabled) {
        spec_error_set(err, "spec", "set either pools or solo, not both");
        return -1;
    }
    if (s->n_pools || s->solo_enabled || cli_args_find(&s->args, "url"))
        return 0;
    spec_error_set(err, "spec",
                   "no mining target: set spec.pools, spec.solo, or -o/--url in spec.xmrig.args "
                   "(there is no default pool or wallet)");
    return -1;
}

int mining_spec_parse(const json_t *spec, const struct hook_defaults *defaults,
                      struct mining_spec *out, struct spec_error *err)
{
    static const char *const keys[] = {
        "replicas",    "hardAntiAffinity",  "xmrig",   "pools", "solo", "api", "nodeSelector",
        "tolerations", "priorityClassName", "metrics", NULL};
    memset(out, 0, sizeof *out);
    if (spec && spec_check_known_keys(spec, "spec", keys, err) < 0)
        return -1;
    if (spec_read_int(spec, "replicas", "spec", 0, MINING_REPLICAS_MAX, 1, &out->replicas, err) <
            0 ||
        read_xmrig(spec, defaults, out, err) < 0 || read_pools(spec, out, err) < 0 ||
        read_solo(spec, out, err) < 0 || read_api(spec, out, err) < 0 ||
        scheduling_read(spec, "spec", &out->scheduling, err) < 0 ||
        metrics_spec_read(spec, "spec", defaults, -1, &out->metrics, err) < 0)
        return -1;
    if (out->metrics.enabled && out->metrics.port == XMRIG_API_PORT) {
        spec_error_set(err, "spec.metrics.port", "%d is xmrig's API port", XMRIG_API_PORT);
        return -1;
    }
    return check_target(out, err);
}

void mining_spec_release(struct mining_spec *s)
{
    json_decref(s->resources);
    s->resources = NULL;
    metrics_spec_release(&s->metrics);
}

void mining_spec_target(const struct mining_spec *s, char *out, size_t size)
{
    const struct cli_option *url = cli_args_find(&s->args, "url");
    if (s->solo_enabled && s->solo.node_set)
        snprintf(out, size, "solo %s:%lld", s->solo.node_set, (long long)s->solo.port);
    else if (s->solo_enabled)
        snprintf(out, size, "solo %s-%lld:%lld", s->solo.network, (long long)s->solo.node,
                 (long long)s->solo.port);
    else if (s->n_pools)
        snprintf(out, size, "pool %s", s->pools[0].url);
    else
        snprintf(out, size, "pool %.*s", (int)url->value_len, url->value);
}
