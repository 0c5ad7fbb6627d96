/* registry: the hooks this server answers, by route name and by parent kind (see hook.h). */
#include "hook.h"

#include "customize.h"
#include "monerominingnodeset.h"
#include "moneronetwork.h"
#include "moneronodeset.h"

#include <string.h>

const struct hook_defaults hook_builtin_defaults = {
    .monerod_image = "ghcr.io/sethforprivacy/simple-monerod:v0.18.5.1",
    .xmrig_image = "ghcr.io/monero-operator/xmrig:0.1.0",
    .tor_image = "ghcr.io/monero-operator/tor:0.1.0",
    .i2pd_image = "ghcr.io/monero-operator/i2pd:0.1.0",
    .operator_image = "ghcr.io/monero-operator/monero-operator:0.1.0",
};

static json_t *nodeset_customize(const struct hook_request *req)
{
    return customize_related_secrets(req, "spec");
}

static json_t *network_customize(const struct hook_request *req)
{
    return customize_related_secrets(req, "spec.template.spec");
}

static const struct hook_def hooks[] = {
    {"moneronodeset", "MoneroNodeSet", MONERO_API_VERSION, "moneronodesets",
     moneronodeset_child_types, moneronodeset_sync, nodeset_customize},
    {"moneronetwork", "MoneroNetwork", MONERO_API_VERSION, "moneronetworks",
     moneronetwork_child_types, moneronetwork_sync, network_customize},
    {"monerominingnodeset", "MoneroMiningNodeSet", MONERO_API_VERSION, "monerominingnodesets",
     monerominingnodeset_child_types, monerominingnodeset_sync, customize_related_statefulset},
};

const struct hook_def *hook_list(size_t *count)
{
    *count = sizeof hooks / sizeof *hooks;
    return hooks;
}

const struct hook_def *hook_find_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof hooks / sizeof *hooks; i++)
        if (strcmp(hooks[i].name, name) == 0)
            return &hooks[i];
    return NULL;
}

const struct hook_def *hook_find_by_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof hooks / sizeof *hooks; i++)
        if (strcmp(hooks[i].kind, kind) == 0)
            return &hooks[i];
    return NULL;
}

static int check_parent(const struct hook_def *hook, const struct hook_request *req,
                        struct hook_error *err)
{
    const char *kind = json_string_value(json_object_get(req->parent, "kind"));
    const char *api_version = json_string_value(json_object_get(req->parent, "apiVersion"));
    if (!kind || strcmp(kind, hook->kind) != 0) {
        hook_error_set(err, 400, "parent.kind is \"%s\"; this hook serves %s", kind ? kind : "",
                       hook->kind);
        return -1;
    }
    if (!api_version || strcmp(api_version, hook->api_version) != 0) {
        hook_error_set(err, 400, "parent.apiVersion is \"%s\"; this hook serves %s",
                       api_version ? api_version : "", hook->api_version);
        return -1;
    }
    return 0;
}

int hook_run(const struct hook_def *hook, const struct hook_request *req,
             const struct hook_defaults *defaults, struct hook_response *resp,
             struct hook_error *err)
{
    return check_parent(hook, req, err) < 0 ? -1 : hook->sync(req, defaults, resp, err);
}

json_t *hook_customize(const struct hook_def *hook, const struct hook_request *req,
                       struct hook_error *err)
{
    if (check_parent(hook, req, err) < 0)
        return NULL;
    return hook->customize ? hook->customize(req) : json_pack("{s:[]}", "relatedResources");
}
