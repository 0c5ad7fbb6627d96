/* hook_response: building and serialising hook answers (see hook_response.h). */
#include "metacontroller/hook_response.h"

#include "json/json_fast.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_APPLIED_ANNOTATION "metacontroller.k8s.io/last-applied-configuration"

void hook_response_init(struct hook_response *resp)
{
    resp->status = json_object();
    resp->children = json_array();
    resp->resync_after_seconds = 0;
    resp->finalized = false;
    resp->invalid_spec = false;
    resp->invalid_spec_message[0] = '\0';
}

void hook_response_release(struct hook_response *resp)
{
    json_decref(resp->status);
    json_decref(resp->children);
    resp->status = resp->children = NULL;
}

void hook_response_add_child_new(struct hook_response *resp, json_t *child)
{
    json_array_append_new(resp->children, child);
}

json_t *hook_response_to_json(const struct hook_response *resp, bool finalizing)
{
    json_t *out = json_object();
    json_object_set(out, "status", resp->status);
    json_object_set(out, "children", resp->children);
    if (resp->resync_after_seconds > 0)
        jsonx_set_int(out, "resyncAfterSeconds", resp->resync_after_seconds);
    if (finalizing)
        jsonx_set_bool(out, "finalized", resp->finalized);
    return out;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of an object in byte order, so output never depends on the order of the input. */
static const char **sorted_keys(const json_t *obj, size_t *count)
{
    size_t n = json_object_size(obj), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    const char *key;
    json_t *value;
    if (!keys)
        abort();
    json_object_foreach((json_t *)obj, key, value) keys[i++] = key;
    qsort(keys, n, sizeof *keys, compare_strings);
    *count = n;
    return keys;
}

static json_t *last_applied(const json_t *observed)
{
    const char *text = jsonx_string(jsonx_object(jsonx_object(observed, "metadata"), "annotations"),
                                    LAST_APPLIED_ANNOTATION);
    if (!text)
        return NULL;
    json_t *applied = json_fast_loadb(text, strlen(text), 0, NULL); /* = json_loads, faster */
    if (!json_is_object(applied) || !jsonx_string(applied, "kind") ||
        !jsonx_string(applied, "apiVersion")) {
        json_decref(applied);
        return NULL;
    }
    return applied;
}

static json_t *without_server_fields(const json_t *observed)
{
    static const char *const server_owned[] = {
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "managedFields",
        "selfLink",
        "ownerReferences",
    };
    json_t *copy = json_deep_copy(observed);
    json_object_del(copy, "status");
    json_t *meta = jsonx_object(copy, "metadata");
    for (size_t i = 0; i < sizeof server_owned / sizeof *server_owned; i++)
        json_object_del(meta, server_owned[i]);
    json_t *annotations = jsonx_object(meta, "annotations");
    json_object_del(annotations, LAST_APPLIED_ANNOTATION);
    return copy;
}

static void append_group(json_t *out, const json_t *group)
{
    size_t n;
    const char **names = sorted_keys(group, &n);
    for (size_t i = 0; i < n; i++) {
        const json_t *observed = json_object_get(group, names[i]);
        json_t *desired = last_applied(observed);
        json_array_append_new(out, desired ? desired : without_server_fields(observed));
    }
    free(names);
}

json_t *hook_observed_children_unchanged(const struct hook_request *req)
{
    json_t *out = json_array();
    size_t n;
    const char **type_keys = sorted_keys(req->children, &n);
    for (size_t i = 0; i < n; i++)
        append_group(out, json_object_get(req->children, type_keys[i]));
    free(type_keys);
    return out;
}

const json_t *hook_response_child(const struct hook_response *resp, const char *kind,
                                  const char *name)
{
    size_t i;
    json_t *child;
    json_array_foreach(resp->children, i, child)
    {
        const char *k = json_string_value(json_object_get(child, "kind"));
        const char *n =
            json_string_value(json_object_get(json_object_get(child, "metadata"), "name"));
        if (k && n && strcmp(k, kind) == 0 && strcmp(n, name) == 0)
            return child;
    }
    return NULL;
}

/* Whether `child` is observed: a hash lookup by the children map's own key, which Metacontroller
 * makes the name (hook v1) or "namespace/name" (v2), checked against the object's name, so
 * pacing stays linear in the number of children, missing ones included. */
static bool child_observed(const struct hook_request *req, const json_t *child)
{
    char key[256];
    const char *kind = jsonx_string(child, "kind"), *api = jsonx_string(child, "apiVersion");
    const char *name = jsonx_string(jsonx_object(child, "metadata"), "name");
    if (!kind || !api || !name ||
        (size_t)snprintf(key, sizeof key, "%s.%s", kind, api) >= sizeof key)
        return false;
    const json_t *group = hook_request_child_group(req, key);
    const json_t *hit = json_object_get(group, name);
    if (!hit && (size_t)snprintf(key, sizeof key, "%s/%s", req->namespace, name) < sizeof key)
        hit = json_object_get(group, key);
    const char *hit_name = jsonx_string(jsonx_object(hit, "metadata"), "name");
    return hit_name && strcmp(hit_name, name) == 0;
}

static bool is_service(const json_t *child)
{
    const char *kind = jsonx_string(child, "kind");
    return kind && strcmp(kind, "Service") == 0;
}

size_t hook_response_pace_creation(struct hook_response *resp, const struct hook_request *req,
                                   size_t max_new, size_t *present, size_t *desired)
{
    size_t n = json_array_size(resp->children), taken = 0;
    *desired = n;
    *present = 0;
    char *keep = calloc(n ? n : 1, 1); /* 1: observed or taken */
    if (!keep)
        abort();
    for (size_t i = 0; i < n; i++)
        if (child_observed(req, json_array_get(resp->children, i)))
            keep[i] = 1, (*present)++;
    for (int services = 0; services < 2; services++)
        for (size_t i = 0; i < n; i++)
            if (!keep[i] && is_service(json_array_get(resp->children, i)) == (services == 1) &&
                (max_new == 0 || taken < max_new))
                keep[i] = 1, taken++;
    size_t left_out = n - *present - taken;
    if (left_out) {
        json_t *kept = json_array();
        for (size_t i = 0; i < n; i++)
            if (keep[i])
                json_array_append(kept, json_array_get(resp->children, i));
        json_decref(resp->children);
        resp->children = kept;
    }
    free(keep);
    return left_out;
}
