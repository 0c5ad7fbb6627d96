/* anonymity_spec: reading spec.tor, spec.i2p and padTransactions (see anonymity_spec.h). */
#include "anonymity_spec.h"

#include "k8s/k8s_names.h"
#include "k8s/spec_read.h"

#include <stdio.h>
#include <string.h>

static int read_network(const json_t *spec, const char *key, const char *path,
                        const char *default_image, struct anonymity_network *n,
                        struct spec_error *err)
{
    static const char *const tor_keys[] = {
        "enabled", "rpc",  "rpcConnections", "maxConnections", "maxInbound",
        "noise",   "only", "image",          "keysSecret",     NULL};
    const char *const *keys = tor_keys;
    const char *const i2p_keys[] = {"enabled",        "rpc",        "rpcConnections",
                                    "maxConnections", "maxInbound", "noise",
                                    "image",          "keysSecret", NULL};
    const json_t *obj;
    char at[160];
    if (strcmp(key, "i2p") == 0)
        keys = i2p_keys;
    spec_path_join(at, sizeof at, path, key);
    memset(n, 0, sizeof *n);
    if (spec_read_object(spec, key, path, &obj, err) < 0 ||
        (obj && spec_check_known_keys(obj, at, keys, err) < 0) ||
        spec_read_bool(obj, "enabled", at, false, &n->enabled, err) < 0 ||
        spec_read_bool(obj, "rpc", at, false, &n->rpc, err) < 0 ||
        spec_read_int(obj, "rpcConnections", at, 1, 10000, 100, &n->rpc_connections, err) < 0 ||
        spec_read_int(obj, "maxConnections", at, 1, 1000, 16, &n->max_connections, err) < 0 ||
        spec_read_int(obj, "maxInbound", at, 1, 1000, 32, &n->max_inbound, err) < 0 ||
        spec_read_bool(obj, "noise", at, false, &n->noise, err) < 0 ||
        spec_read_bool(obj, "only", at, false, &n->only, err) < 0 ||
        spec_read_string(obj, "image", at, 512, default_image, &n->image, err) < 0 ||
        spec_read_string(obj, "keysSecret", at, 253, NULL, &n->keys_secret, err) < 0)
        return -1;
    if (n->keys_secret && !k8s_is_dns1123_subdomain(n->keys_secret)) {
        char field[176];
        spec_path_join(field, sizeof field, at, "keysSecret");
        spec_error_set(err, field, "\"%s\" is not a Secret name", n->keys_secret);
        return -1;
    }
    if (!*n->image) {
        spec_error_set(err, at, "image must not be empty");
        return -1;
    }
    if (n->only && !n->enabled) {
        spec_error_set(err, at, "only needs enabled: true");
        return -1;
    }
    return 0;
}

int anonymity_spec_read(const json_t *spec, const char *path, const struct hook_defaults *defaults,
                        struct anonymity_spec *out, struct spec_error *err)
{
    memset(out, 0, sizeof *out);
    if (read_network(spec, "tor", path, defaults->tor_image, &out->tor, err) < 0 ||
        read_network(spec, "i2p", path, defaults->i2pd_image, &out->i2p, err) < 0 ||
        spec_read_bool(spec, "padTransactions", path, false, &out->pad_transactions, err) < 0)
        return -1;
    if (out->tor.only && out->i2p.enabled) {
        char at[176];
        spec_path_join(at, sizeof at, path, "tor.only");
        spec_error_set(err, at,
                       "cannot be combined with i2p.enabled: tor-only pods may reach nothing but "
                       "Tor relays (TCP 443), and i2pd needs DNS to reseed and TCP and UDP to its "
                       "peers; run I2P without tor.only");
        return -1;
    }
    return 0;
}

bool anonymity_enabled(const struct anonymity_spec *a)
{
    return a->tor.enabled || a->i2p.enabled;
}
