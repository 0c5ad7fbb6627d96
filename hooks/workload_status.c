/* workload_status: status and conditions from observed StatefulSets (see workload_status.h). */
#include "workload_status.h"

#include "json/json_fast.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

#define LAST_APPLIED "metacontroller.k8s.io/last-applied-configuration"

static bool spec_applied(const json_t *sts, const json_t *desired_sts)
{
    const char *text =
        jsonx_string(jsonx_object(jsonx_object(sts, "metadata"), "annotations"), LAST_APPLIED);
    if (!desired_sts || !text)
        return true;
    /* the request path's exact reader: jansson's own json_loads cost 31% of a steady-state sync */
    json_t *last = json_fast_loadb(text, strlen(text), 0, NULL);
    bool same = last && json_equal(jsonx_object(jsonx_object(last, "spec"), "template"),
                                   jsonx_object(jsonx_object(desired_sts, "spec"), "template"));
    json_decref(last);
    return same;
}

void workload_observe_statefulset(const json_t *sts, const json_t *desired_sts,
                                  struct workload_observed *o)
{
    json_int_t generation = 0, observed_generation = -1;
    const json_t *status = jsonx_object(sts, "status");
    *o = (struct workload_observed){0};
    if (!sts)
        return;
    o->present = true;
    o->spec_applied = spec_applied(sts, desired_sts);
    jsonx_integer(jsonx_object(sts, "metadata"), "generation", &generation);
    jsonx_integer(status, "observedGeneration", &observed_generation);
    o->current = observed_generation >= generation;
    const char *current_revision = jsonx_string(status, "currentRevision");
    const char *update_revision = jsonx_string(status, "updateRevision");
    o->rolled_out =
        !update_revision || (current_revision && !strcmp(current_revision, update_revision));
    jsonx_integer(status, "replicas", &o->replicas);
    jsonx_integer(status, "readyReplicas", &o->ready);
    jsonx_integer(status, "updatedReplicas", &o->updated);
    jsonx_integer(status, "availableReplicas", &o->available);
}

/* An unowned StatefulSet of our name: ours from an earlier parent of this name (our managed-by
 * label and our kind's instance label with this name), or somebody else's. */
static void orphan_or_foreign(const struct hook_request *req, const json_t *meta,
                              struct workload_observed *o)
{
    const json_t *labels = jsonx_object(meta, "labels");
    const char *kind = jsonx_string(req->parent, "kind"), *key;
    json_t *value;
    const char *managed_by = jsonx_string(labels, "app.kubernetes.io/managed-by");
    if (kind && managed_by && strcmp(managed_by, "monero-operator") == 0) {
        char label[96];
        snprintf(label, sizeof label, "utxo.com.br/%s", kind);
        for (char *c = label; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        json_object_foreach((json_t *)labels, key, value)
        {
            if (strcmp(key, label) == 0 && json_is_string(value) &&
                strcmp(json_string_value(value), req->name) == 0) {
                snprintf(o->orphaned_by, sizeof o->orphaned_by, "%s=%s", label, req->name);
                snprintf(o->conflict, sizeof o->conflict, "an earlier %s %s", kind, req->name);
                return;
            }
        }
    }
    snprintf(o->conflict, sizeof o->conflict, "nobody (created outside the operator)");
}

void workload_check_name_conflict(const struct hook_request *req, struct workload_observed *o)
{
    if (o->present)
        return;
    const json_t *group = hook_request_related_group(req, "StatefulSet.apps/v1");
    const char *key, *uid = jsonx_string(jsonx_object(req->parent, "metadata"), "uid");
    json_t *sts;
    json_object_foreach((json_t *)group, key, sts)
    {
        const json_t *meta = jsonx_object(sts, "metadata");
        const char *name = jsonx_string(meta, "name");
        if (!name || strcmp(name, req->name) != 0)
            continue;
        size_t i;
        json_t *ref;
        json_array_foreach(jsonx_array(meta, "ownerReferences"), i, ref)
        {
            if (!json_is_true(json_object_get(ref, "controller")))
                continue;
            const char *ref_uid = jsonx_string(ref, "uid");
            if (uid && ref_uid && strcmp(uid, ref_uid) == 0)
                return; /* ours, not yet in Metacontroller's cache */
            const char *kind = jsonx_string(ref, "kind"), *owner = jsonx_string(ref, "name");
            snprintf(o->conflict, sizeof o->conflict, "%s %s", kind ? kind : "?",
                     owner ? owner : "?");
            return;
        }
        orphan_or_foreign(req, meta, o);
        return;
    }
}

json_t *condition_new(const char *type, bool ok, const char *reason, const char *message,
                      json_int_t generation)
{
    json_t *c = jsonx_string_map("type", type, "status", ok ? "True" : "False", "reason", reason,
                                 "message", message, NULL);
    if (generation > 0)
        jsonx_set_int(c, "observedGeneration", generation);
    return c;
}

/* Ready=False when a StatefulSet of our name exists that can never be ours; NULL otherwise. */
static json_t *blocked_condition(const struct workload_observed *o, json_int_t generation)
{
    char msg[1024];
    if (o->present || !o->conflict[0])
        return NULL;
    if (o->orphaned_by[0]) {
        snprintf(msg, sizeof msg,
                 "the StatefulSet and other objects of this name were left by %s (deleted with "
                 "--cascade=orphan) and cannot be adopted; delete them, keeping pods, volumes "
                 "and keys: kubectl delete statefulset,service,poddisruptionbudget,networkpolicy,"
                 "configmap -l %s --cascade=orphan",
                 o->conflict, o->orphaned_by);
        return condition_new("Ready", false, "Orphaned", msg, generation);
    }
    snprintf(msg, sizeof msg,
             "a StatefulSet named like this resource already exists and belongs to %s: "
             "rename one of them",
             o->conflict);
    return condition_new("Ready", false, "NameConflict", msg, generation);
}

json_t *workload_ready_condition(const struct workload_observed *o, json_int_t desired,
                                 const char *what, json_int_t generation)
{
    char msg[1024];
    const char *plural = desired == 1 ? "" : "s";
    json_t *blocked = blocked_condition(o, generation);
    if (blocked)
        return blocked;
    if (!o->present) {
        snprintf(msg, sizeof msg, "waiting for the StatefulSet to be created");
        return condition_new("Ready", false, "Creating", msg, generation);
    }
    if (desired == 0)
        return condition_new("Ready", true, "ScaledToZero", "no replicas requested", generation);
    if (!o->spec_applied) {
        snprintf(msg, sizeof msg, "0 of %lld %s%s updated: the new spec is not yet applied",
                 (long long)desired, what, plural);
        return condition_new("Ready", false, "Updating", msg, generation);
    }
    if (!o->current) {
        snprintf(msg, sizeof msg, "waiting for the StatefulSet controller to apply the spec");
        return condition_new("Ready", false, "Progressing", msg, generation);
    }
    if (!o->rolled_out) {
        snprintf(msg, sizeof msg, "%lld of %lld %s%s updated, %lld ready", (long long)o->updated,
                 (long long)desired, what, plural, (long long)o->ready);
        return condition_new("Ready", false, "Updating", msg, generation);
    }
    if (o->replicas != desired) {
        snprintf(msg, sizeof msg, "scaling from %lld to %lld %s%s, %lld ready",
                 (long long)o->replicas, (long long)desired, what, plural, (long long)o->ready);
        return condition_new("Ready", false, "Scaling", msg, generation);
    }
    if (o->updated < desired) {
        snprintf(msg, sizeof msg, "%lld of %lld %s%s updated, %lld ready", (long long)o->updated,
                 (long long)desired, what, plural, (long long)o->ready);
        return condition_new("Ready", false, "Updating", msg, generation);
    }
    snprintf(msg, sizeof msg, "%lld/%lld %s%s ready", (long long)o->ready, (long long)desired, what,
             plural);
    if (o->ready < desired)
        return condition_new("Ready", false, "ReplicasNotReady", msg, generation);
    return condition_new("Ready", true, "AllReplicasReady", msg, generation);
}

void workload_status_counts(json_t *status, const struct workload_observed *o)
{
    jsonx_set_int(status, "replicas", o->replicas);
    jsonx_set_int(status, "readyReplicas", o->ready);
    jsonx_set_int(status, "updatedReplicas", o->updated);
}
