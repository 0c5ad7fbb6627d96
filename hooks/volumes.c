/* volumes: data volume templates and their immutability (see volumes.h). */
#include "volumes.h"

#include "monerod_pod.h"
#include "workload_status.h"

#include "k8s/k8s_workloads.h"
#include "k8s/quantity.h"
#include "k8s/spec_read.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

static const json_t *observed_templates(const json_t *observed_sts)
{
    const json_t *vcts = jsonx_array(jsonx_object(observed_sts, "spec"), "volumeClaimTemplates");
    return json_array_size(vcts) ? vcts : NULL;
}

json_t *volumes_claim_templates(const struct monerod_spec *s, const json_t *selector_labels,
                                const json_t *observed_sts)
{
    const json_t *observed = observed_templates(observed_sts);
    if (observed)
        return json_deep_copy(observed);
    json_t *data = volume_claim_template_build(MONEROD_DATA_VOLUME, selector_labels, s->disk_size,
                                               s->storage_class);
    if (s->volume_snapshot) /* every volume of the set starts as a copy of the snapshot */
        json_object_set_new(jsonx_object_at(data, "spec"), "dataSource",
                            json_pack("{s:s,s:s,s:s}", "apiGroup", "snapshot.storage.k8s.io",
                                      "kind", "VolumeSnapshot", "name", s->volume_snapshot));
    return json_pack("[o]", data);
}

static const json_t *data_template(const json_t *vcts)
{
    size_t i;
    json_t *t;
    json_array_foreach(vcts, i, t)
    {
        const char *name = jsonx_string(jsonx_object(t, "metadata"), "name");
        if (name && strcmp(name, MONEROD_DATA_VOLUME) == 0)
            return t;
    }
    return NULL;
}

static bool same_size(const char *observed, const char *desired)
{
    struct quantity a, b;
    const char *reason;
    return observed && quantity_parse(observed, &a, &reason) &&
           quantity_parse(desired, &b, &reason) && quantity_compare(&a, &b) == 0;
}

/* The VolumeSnapshot the observed template restores from, or NULL. */
static const char *observed_snapshot(const json_t *spec)
{
    const json_t *source = jsonx_object(spec, "dataSource");
    const char *kind = jsonx_string(source, "kind");
    return kind && strcmp(kind, "VolumeSnapshot") == 0 ? jsonx_string(source, "name") : NULL;
}

/* bootstrap.volumeSnapshot only counts when the StatefulSet is created. */
static json_t *snapshot_condition(const struct monerod_spec *s, const json_t *spec,
                                  json_int_t generation)
{
    const char *have = observed_snapshot(spec), *want = s->volume_snapshot;
    char msg[512];
    if ((!have && !want) || (have && want && strcmp(have, want) == 0))
        return NULL;
    if (want)
        snprintf(msg, sizeof msg,
                 "spec.bootstrap.volumeSnapshot \"%s\" applies only to a set created with it: "
                 "the volume template is immutable, so new replicas get %s; existing volumes "
                 "are never replaced",
                 want, have ? "volumes from the snapshot it names" : "empty volumes and sync");
    else
        snprintf(msg, sizeof msg,
                 "the volumes were set up from VolumeSnapshot \"%s\" and the template cannot "
                 "change: new replicas still start from it (and stay Pending if it is deleted)",
                 have);
    return condition_new("StorageUpToDate", false, "VolumeTemplateImmutable", msg, generation);
}

json_t *volumes_condition(const struct monerod_spec *s, const json_t *observed_sts,
                          json_int_t generation)
{
    const json_t *t = data_template(observed_templates(observed_sts));
    char msg[384];
    if (!t)
        return NULL;
    const json_t *spec = jsonx_object(t, "spec");
    const char *size = jsonx_string(jsonx_path(spec, "resources.requests"), "storage");
    const char *cls = jsonx_string(spec, "storageClassName");
    const char *want_cls = s->storage_class && *s->storage_class ? s->storage_class : NULL;
    if (!same_size(size, s->disk_size)) {
        snprintf(msg, sizeof msg,
                 "spec.diskSize is %s but the volumes were created with %s; volume templates "
                 "cannot change: expand each PersistentVolumeClaim data-<name>-<n> instead",
                 s->disk_size, size ? size : "no size");
        return condition_new("StorageUpToDate", false, "VolumeTemplateImmutable", msg, generation);
    }
    if ((cls || want_cls) && (!cls || !want_cls || strcmp(cls, want_cls) != 0)) {
        snprintf(msg, sizeof msg,
                 "spec.storageClass is \"%s\" but the volumes were created with \"%s\"; existing "
                 "volumes keep their class",
                 want_cls ? want_cls : "", cls ? cls : "");
        return condition_new("StorageUpToDate", false, "VolumeTemplateImmutable", msg, generation);
    }
    return snapshot_condition(s, spec, generation);
}

const struct monero_network_info *volumes_observed_network(const json_t *observed_sts)
{
    const json_t *containers = jsonx_path(observed_sts, "spec.template.spec.containers");
    const json_t *c, *arg;
    size_t i, j;
    json_array_foreach(containers, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        if (!name || strcmp(name, "monerod") != 0)
            continue;
        json_array_foreach(json_object_get(c, "args"), j, arg)
        {
            const char *a = json_string_value(arg);
            for (int id = NETWORK_TESTNET; a && id <= NETWORK_REGTEST; id++) {
                const struct monero_network_info *n = monero_network_get((enum monero_network)id);
                if (a[0] == '-' && a[1] == '-' && strcmp(a + 2, n->flag) == 0)
                    return n;
            }
        }
        return monero_network_get(NETWORK_MAINNET);
    }
    return NULL;
}

/* The observed monerod container's arguments, or NULL. */
static const json_t *observed_monerod_args(const json_t *observed_sts)
{
    const json_t *c;
    size_t i;
    json_array_foreach(jsonx_path(observed_sts, "spec.template.spec.containers"), i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        if (name && strcmp(name, "monerod") == 0)
            return json_object_get(c, "args");
    }
    return NULL;
}

int volumes_check_pruning(const struct monerod_spec *s, const json_t *observed_sts,
                          const char *path, struct spec_error *err)
{
    const json_t *args = observed_monerod_args(observed_sts), *arg;
    size_t i;
    if (!s->pruned || !args)
        return 0;
    json_array_foreach(args, i, arg)
    {
        const char *a = json_string_value(arg);
        if (a && strcmp(a, "--prune-blockchain") == 0)
            return 0;
    }
    char at[160];
    spec_path_join(at, sizeof at, path, "pruned");
    spec_error_set(err, at,
                   "cannot be turned on for nodes that already hold a full chain: monerod would "
                   "prune the whole database at start-up, for hours before its RPC answers, and "
                   "be restarted mid-prune; create a new set with pruned: true, or prune the "
                   "volumes offline (monero-blockchain-prune) first");
    return -1;
}

int volumes_check_network(const struct monerod_spec *s, const json_t *observed_sts,
                          const char *path, struct spec_error *err)
{
    const struct monero_network_info *running = volumes_observed_network(observed_sts);
    char at[160];
    if (!running || running->id == s->network->id)
        return 0;
    spec_path_join(at, sizeof at, path, "network");
    spec_error_set(err, at,
                   "cannot change from %s to %s: the nodes' volumes hold the %s chain (create "
                   "another resource for %s)",
                   running->name, s->network->name, running->name, s->network->name);
    return -1;
}
