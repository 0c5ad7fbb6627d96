/* monerod_spec: reading and validating the node settings of a spec (see monerod_spec.h). */
#include "monerod_spec.h"

#include "scheduling.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_resources.h"
#include "k8s/quantity.h"
#include "k8s/spec_read.h"

#include <stdio.h>
#include <string.h>

const char *const monerod_spec_keys[] = {
    "network",
    "pruned",
    "hardAntiAffinity",
    "diskSize",
    "storageClass",
    "volumeRetentionPolicy",
    "service",
    "monerod",
    "nodeSelector",
    "tolerations",
    "priorityClassName",
    "terminationGracePeriodSeconds",
    "tor",
    "i2p",
    "padTransactions",
    "metrics",
    "bootstrap",
    NULL,
};

static const char *const retention_values[] = {"Retain", "Delete", NULL};
static const char *const service_types[] = {"ClusterIP", "NodePort", "LoadBalancer", NULL};
static const char *const pull_policies[] = {"Always", "IfNotPresent", "Never", NULL};
static const char *const network_names[] = {"mainnet", "testnet", "stagenet", "regtest", NULL};

static int check_keys(const json_t *spec, const char *path, const char *const *extra,
                      struct spec_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)spec, key, value)
    {
        bool known = false;
        for (size_t i = 0; !known && monerod_spec_keys[i]; i++)
            known = strcmp(monerod_spec_keys[i], key) == 0;
        for (size_t i = 0; !known && extra && extra[i]; i++)
            known = strcmp(extra[i], key) == 0;
        if (!known) {
            char where[160];
            spec_path_join(where, sizeof where, path, key);
            spec_error_set(err, where, "unknown field");
            return -1;
        }
    }
    return 0;
}

/* The network comes from spec.network or from a network switch in the args; both must agree. */
static int read_network(const json_t *spec, const char *path, const char *default_network,
                        struct monerod_spec *s, struct spec_error *err)
{
    const char *declared, *from_args = NULL;
    char where[160];
    if (spec_read_enum(spec, "network", path, network_names, NULL, &declared, err) < 0)
        return -1;
    for (size_t i = 1; i < 4; i++) {
        const struct monero_network_info *n = monero_network_get((enum monero_network)i);
        if (!cli_args_find(&s->args, n->flag))
            continue;
        if (from_args) {
            snprintf(where, sizeof where, "%s.monerod.args", path);
            spec_error_set(err, where, "--%s and --%s cannot be combined", from_args, n->flag);
            return -1;
        }
        from_args = n->flag;
    }
    if (declared && from_args && strcmp(declared, from_args) != 0) {
        spec_path_join(where, sizeof where, path, "network");
        spec_error_set(err, where, "is \"%s\" but monerod.args select --%s", declared, from_args);
        return -1;
    }
    s->network = monero_network_by_name(declared    ? declared
                                        : from_args ? from_args
                                                    : default_network);
    return 0;
}

static const char *default_disk_size(const struct monerod_spec *s)
{
    switch (s->network->id) {
    case NETWORK_MAINNET:
        return s->pruned ? "150Gi" : "350Gi";
    case NETWORK_TESTNET:
    case NETWORK_STAGENET:
        return s->pruned ? "30Gi" : "60Gi";
    case NETWORK_REGTEST:
        break;
    }
    return "2Gi";
}

static json_t *default_resources(enum monero_network id)
{
    static const char *const mainnet_requests[] = {"cpu", "2", "memory", "2Gi", NULL};
    static const char *const mainnet_limits[] = {"memory", "6Gi", NULL};
    static const char *const test_requests[] = {"cpu", "500m", "memory", "1Gi", NULL};
    static const char *const test_limits[] = {"memory", "4Gi", NULL};
    static const char *const regtest_requests[] = {"cpu", "100m", "memory", "256Mi", NULL};
    static const char *const regtest_limits[] = {"memory", "1Gi", NULL};
    if (id == NETWORK_MAINNET)
        return k8s_resources_build(mainnet_requests, mainnet_limits);
    if (id == NETWORK_REGTEST)
        return k8s_resources_build(regtest_requests, regtest_limits);
    return k8s_resources_build(test_requests, test_limits);
}

/* The smallest volume accepted: monerod's LMDB database, logs and the regtest chain of a test
 * need more than this to start; "100m" (0.1 byte) or "1Mi" would only crash-loop. */
#define DISK_SIZE_MIN "1Gi"

static bool disk_too_small(const char *disk_size)
{
    struct quantity size, min;
    const char *reason;
    return quantity_parse(disk_size, &size, &reason) &&
           quantity_parse(DISK_SIZE_MIN, &min, &reason) && quantity_compare(&size, &min) < 0;
}

static int read_storage(const json_t *spec, const char *path, struct monerod_spec *s,
                        struct spec_error *err)
{
    const json_t *retention;
    char where[160];
    if (spec_read_bool(spec, "pruned", path, s->network->id != NETWORK_REGTEST, &s->pruned, err) <
            0 ||
        spec_read_quantity(spec, "diskSize", path, default_disk_size(s), s->disk_size,
                           sizeof s->disk_size, err) < 0 ||
        spec_read_string(spec, "storageClass", path, 253, NULL, &s->storage_class, err) < 0 ||
        spec_read_object(spec, "volumeRetentionPolicy", path, &retention, err) < 0)
        return -1;
    if (disk_too_small(s->disk_size)) {
        spec_path_join(where, sizeof where, path, "diskSize");
        spec_error_set(err, where,
                       "\"%s\" is below %s, the least monerod needs to start and hold a database",
                       s->disk_size, DISK_SIZE_MIN);
        return -1;
    }
    if (s->storage_class && *s->storage_class && !k8s_is_dns1123_subdomain(s->storage_class)) {
        spec_path_join(where, sizeof where, path, "storageClass");
        spec_error_set(err, where, "\"%s\" is not a valid StorageClass name", s->storage_class);
        return -1;
    }
    static const char *const retention_keys[] = {"whenDeleted", "whenScaled", NULL};
    spec_path_join(where, sizeof where, path, "volumeRetentionPolicy");
    if ((retention && spec_check_known_keys(retention, where, retention_keys, err) < 0) ||
        spec_read_enum(retention, "whenDeleted", where, retention_values, "Retain",
                       &s->pvc_when_deleted, err) < 0 ||
        spec_read_enum(retention, "whenScaled", where, retention_values, "Retain",
                       &s->pvc_when_scaled, err) < 0)
        return -1;
    return 0;
}

/* bootstrap: {volumeSnapshot: NAME} (new volumes start as a copy of that VolumeSnapshot) or
 * {fromSibling: true, rateLimitMBps, attempts} (an empty volume starts as a copy of a Ready
 * sibling's database). */
static int read_bootstrap(const json_t *spec, const char *path, struct monerod_spec *s,
                          struct spec_error *err)
{
    static const char *const keys[] = {"volumeSnapshot", "fromSibling", "rateLimitMBps", "attempts",
                                       NULL};
    const json_t *bootstrap;
    struct sibling_bootstrap_spec *sib = &s->from_sibling;
    char where[160], at[192];
    spec_path_join(where, sizeof where, path, "bootstrap");
    if (spec_read_object(spec, "bootstrap", path, &bootstrap, err) < 0 ||
        (bootstrap && spec_check_known_keys(bootstrap, where, keys, err) < 0) ||
        spec_read_string(bootstrap, "volumeSnapshot", where, 253, NULL, &s->volume_snapshot, err) <
            0 ||
        spec_read_bool(bootstrap, "fromSibling", where, false, &sib->enabled, err) < 0 ||
        spec_read_int(bootstrap, "rateLimitMBps", where, 0, 100000, 0, &sib->rate_limit_mb, err) <
            0 ||
        spec_read_int(bootstrap, "attempts", where, 1, 100, 3, &sib->attempts, err) < 0)
        return -1;
    if (s->volume_snapshot && !k8s_is_dns1123_subdomain(s->volume_snapshot)) {
        spec_path_join(at, sizeof at, where, "volumeSnapshot");
        spec_error_set(err, at, "\"%s\" is not a VolumeSnapshot name", s->volume_snapshot);
        return -1;
    }
    if (s->volume_snapshot && sib->enabled) {
        spec_path_join(at, sizeof at, where, "fromSibling");
        spec_error_set(err, at,
                       "volumes restored from volumeSnapshot are never empty, so fromSibling "
                       "would never copy; choose one of the two");
        return -1;
    }
    return 0;
}

/* p2pNodePort and rpcNodePort: fixed node ports, for NodePort and LoadBalancer Services. */
static int check_node_port(const struct monerod_spec *s, const char *where, const char *key,
                           json_int_t port, struct spec_error *err)
{
    char at[176];
    spec_path_join(at, sizeof at, where, key);
    if (port && strcmp(s->service_type, "ClusterIP") == 0) {
        spec_error_set(err, at, "needs service.type NodePort or LoadBalancer");
        return -1;
    }
    if (port && (port < 30000 || port > 32767)) {
        spec_error_set(err, at, "%lld is outside the cluster's default node port range 30000-32767",
                       (long long)port);
        return -1;
    }
    return 0;
}

static int read_service(const json_t *spec, const char *path, struct monerod_spec *s,
                        struct spec_error *err)
{
    static const char *const keys[] = {"type", "p2pNodePort", "rpcNodePort", NULL};
    const json_t *service;
    char where[160];
    spec_path_join(where, sizeof where, path, "service");
    if (spec_read_object(spec, "service", path, &service, err) < 0 ||
        (service && spec_check_known_keys(service, where, keys, err) < 0) ||
        spec_read_enum(service, "type", where, service_types, "ClusterIP", &s->service_type, err) <
            0 ||
        spec_read_int(service, "p2pNodePort", where, 0, 65535, 0, &s->p2p_node_port, err) < 0 ||
        spec_read_int(service, "rpcNodePort", where, 0, 65535, 0, &s->rpc_node_port, err) < 0 ||
        check_node_port(s, where, "p2pNodePort", s->p2p_node_port, err) < 0 ||
        check_node_port(s, where, "rpcNodePort", s->rpc_node_port, err) < 0)
        return -1;
    if (s->p2p_node_port && s->p2p_node_port == s->rpc_node_port) {
        char at[176];
        spec_path_join(at, sizeof at, where, "rpcNodePort");
        spec_error_set(err, at, "must differ from p2pNodePort");
        return -1;
    }
    /* Behind a NodePort, monerod must listen on the node port itself: it advertises the port it
     * listens on to peers (--public-node), and has no option to advertise another. */
    s->restricted_rpc_port = s->rpc_node_port && strcmp(s->service_type, "NodePort") == 0
                                 ? (int)s->rpc_node_port
                                 : s->network->restricted_rpc_port;
    return 0;
}

static int read_monerod(const json_t *spec, const char *path, const struct hook_defaults *defaults,
                        struct monerod_spec *s, struct spec_error *err)
{
    static const char *const keys[] = {"image", "imagePullPolicy", "args", "resources", NULL};
    const json_t *monerod, *resources;
    char where[160], args_path[192];
    spec_path_join(where, sizeof where, path, "monerod");
    snprintf(args_path, sizeof args_path, "%s.args", where);
    if (spec_read_object(spec, "monerod", path, &monerod, err) < 0 ||
        (monerod && spec_check_known_keys(monerod, where, keys, err) < 0) ||
        spec_read_string(monerod, "image", where, 512, defaults->monerod_image, &s->image, err) <
            0 ||
        spec_read_enum(monerod, "imagePullPolicy", where, pull_policies, NULL,
                       &s->image_pull_policy, err) < 0 ||
        cli_args_parse(&monerod_flags, json_object_get(monerod, "args"), args_path, &s->args, err) <
            0 ||
        spec_read_object(monerod, "resources", where, &resources, err) < 0)
        return -1;
    if (!*s->image) {
        spec_path_join(args_path, sizeof args_path, where, "image");
        spec_error_set(err, args_path, "must not be empty");
        return -1;
    }
    s->resources = NULL;
    if (resources) {
        spec_path_join(args_path, sizeof args_path, where, "resources");
        return k8s_resources_parse(resources, args_path, &s->resources, err);
    }
    return 0;
}

static int read_scheduling(const json_t *spec, const char *path, struct monerod_spec *s,
                           struct spec_error *err)
{
    return scheduling_read(spec, path, &s->scheduling, err) < 0 ||
                   spec_read_int(spec, "terminationGracePeriodSeconds", path, 30, 86400, 300,
                                 &s->termination_grace_seconds, err) < 0
               ? -1
               : 0;
}

/* Readiness waits for a recent block: 30 min on mainnet (15 blocks late), an hour on the public
 * test networks (their few miners leave gaps), never on regtest or a closed MoneroNetwork: their
 * chain moves only when someone there mines, and a pause in mining must not make every node
 * unready (stalled rollouts, blocked drains). */
static json_int_t default_max_block_age(enum monero_network id, bool closed_network)
{
    if (closed_network || id == NETWORK_REGTEST)
        return 0;
    return id == NETWORK_MAINNET ? 1800 : 3600;
}

static int read_metrics(const json_t *spec, const struct monerod_spec_options *o,
                        struct monerod_spec *s, struct spec_error *err)
{
    const struct monero_network_info *n = s->network;
    const char *path = o->path;
    char metrics[160], at[176];
    if (metrics_spec_read(spec, path, o->defaults, default_max_block_age(n->id, o->closed_network),
                          &s->metrics, err) < 0)
        return -1;
    if (s->metrics.enabled &&
        (s->metrics.port == n->p2p_port || s->metrics.port == n->rpc_port ||
         s->metrics.port == s->restricted_rpc_port || s->metrics.port == n->zmq_rpc_port)) {
        spec_path_join(metrics, sizeof metrics, path, "metrics");
        spec_path_join(at, sizeof at, metrics, "port");
        spec_error_set(err, at, "%lld is one of monerod's ports", (long long)s->metrics.port);
        return -1;
    }
    return 0;
}

int monerod_spec_parse(const json_t *spec, const struct monerod_spec_options *o,
                       struct monerod_spec *out, struct spec_error *err)
{
    const char *path = o->path;
    memset(out, 0, sizeof *out);
    if (spec && !json_is_object(spec)) {
        spec_error_set(err, path, "must be an object");
        return -1;
    }
    if ((spec && check_keys(spec, path, o->extra_keys, err) < 0) ||
        read_monerod(spec, path, o->defaults, out, err) < 0 ||
        read_network(spec, path, o->default_network, out, err) < 0 ||
        read_storage(spec, path, out, err) < 0 || read_bootstrap(spec, path, out, err) < 0 ||
        read_service(spec, path, out, err) < 0 || read_scheduling(spec, path, out, err) < 0 ||
        anonymity_spec_read(spec, path, o->defaults, &out->anonymity, err) < 0 ||
        read_metrics(spec, o, out, err) < 0)
        return -1;
    if (!out->resources)
        out->resources = default_resources(out->network->id);
    return 0;
}

void monerod_spec_release(struct monerod_spec *s)
{
    json_decref(s->resources);
    s->resources = NULL;
    metrics_spec_release(&s->metrics);
}
