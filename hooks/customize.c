/* customize: related Secrets for bring-your-own keys (see customize.h). */
#include "customize.h"

#include "identities.h"

#include "k8s/k8s_names.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

static void add_name(json_t *names, const json_t *network)
{
    const char *name = jsonx_string(network, "keysSecret");
    if (!name || !k8s_is_dns1123_subdomain(name) ||
        !json_is_true(json_object_get(network, "enabled")))
        return;
    size_t i;
    json_t *existing;
    json_array_foreach(names, i,
                       existing) if (strcmp(json_string_value(existing), name) == 0) return;
    jsonx_append_string(names, name);
}

/* The set's own identities Secrets, owned or not: a Secret left by a parent deleted with
 * --cascade=orphan (or not yet seen as a child) must be read, never overwritten with new keys. */
static void add_own_identities(json_t *names, const char *parent)
{
    char name[160];
    snprintf(name, sizeof name, "%s-identities", parent);
    jsonx_append_string(names, name);
    for (size_t k = 0; k < IDENTITIES_SHARDS; k++) {
        identities_secret_name(parent, k, name, sizeof name);
        jsonx_append_string(names, name);
    }
}

static json_t *rule_new(const struct hook_request *req, const char *api_version,
                        const char *resource, json_t *names)
{
    json_t *rule =
        json_pack("{s:s,s:s,s:o}", "apiVersion", api_version, "resource", resource, "names", names);
    if (*req->namespace)
        jsonx_set_string(rule, "namespace", req->namespace);
    return rule;
}

/* The StatefulSet of the parent's name, whoever owns it: one of another kind's parent (a
 * MoneroNetwork and a MoneroMiningNodeSet both named "regtest") is a name conflict to report. */
static void add_statefulset_rule(const struct hook_request *req, json_t *rules)
{
    if (k8s_is_dns1123_subdomain(req->name))
        json_array_append_new(
            rules, rule_new(req, "apps/v1", "statefulsets", json_pack("[s]", req->name)));
}

json_t *customize_related_secrets(const struct hook_request *req, const char *spec_path)
{
    json_t *names = json_array(), *rules = json_array();
    char path[64];
    snprintf(path, sizeof path, "parent.%s", spec_path);
    const json_t *spec = jsonx_path(req->body, path);
    if (k8s_is_dns1123_subdomain(req->name))
        add_own_identities(names, req->name);
    add_name(names, jsonx_object(spec, "tor"));
    add_name(names, jsonx_object(spec, "i2p"));
    if (json_array_size(names))
        json_array_append_new(rules, rule_new(req, "v1", "secrets", names));
    else
        json_decref(names);
    add_statefulset_rule(req, rules);
    return json_pack("{s:o}", "relatedResources", rules);
}

json_t *customize_related_statefulset(const struct hook_request *req)
{
    json_t *rules = json_array();
    add_statefulset_rule(req, rules);
    return json_pack("{s:o}", "relatedResources", rules);
}
