/* anonymity: the Tor/I2P step of the monerod hooks (see anonymity.h). */
#include "anonymity.h"
#include "sibling_bootstrap.h"

#include "json/jsonx.h"

#include <string.h>

int anonymity_prepare(const struct anonymity_context *c, struct anonymity_children *out,
                      struct spec_error *err)
{
    const struct anonymity_spec *a = &c->spec->anonymity;
    memset(out, 0, sizeof *out);
    int rc = identities_build(c->req, c->replicas, c->path, a, c->labels, &out->ids, err);
    if (rc < 0)
        return rc;
    out->active = anonymity_enabled(a);
    if (!out->active)
        return 0;
    out->configmaps = anonymity_configmaps(c->req->name, c->req->namespace, c->labels, c->spec);
    if (a->tor.only)
        out->policy = anonymity_tor_only_policy(c->req->name, c->req->namespace, c->labels,
                                                c->selector_labels);
    if (out->policy && c->spec->from_sibling.enabled) { /* the copy goes pod to pod */
        json_t *egress = sibling_bootstrap_egress(c->spec, c->selector_labels);
        json_array_extend(jsonx_path(out->policy, "spec.egress"), egress);
        json_decref(egress);
    }
    anonymity_pod_build(c->req->name, c->spec, c->defaults, c->peers_file, &out->pod);
    return 0;
}

static json_t *merged(json_t *a, json_t *b)
{
    if (!a)
        return b;
    json_array_extend(a, b);
    json_decref(b);
    return a;
}

void anonymity_emit(struct anonymity_children *a, const char *name, struct monerod_set *set,
                    struct hook_response *resp)
{
    size_t i;
    json_t *secret;
    json_array_foreach(a->ids.secrets, i, secret)
        hook_response_add_child_new(resp, json_incref(secret));
    if (!a->active)
        return;
    json_array_extend(resp->children, a->configmaps);
    if (a->policy)
        hook_response_add_child_new(resp, json_incref(a->policy));
    set->init_containers = merged(set->init_containers, a->pod.init_containers);
    set->extra_containers = merged(set->extra_containers, a->pod.containers);
    set->extra_volumes = merged(set->extra_volumes, a->pod.volumes);
    set->extra_mounts = merged(set->extra_mounts, a->pod.monerod_mounts);
    memset(&a->pod, 0, sizeof a->pod);
    json_object_set_new(resp->status, "addresses", identities_status(&a->ids, name));
}

void anonymity_release(struct anonymity_children *a)
{
    identities_release(&a->ids);
    json_decref(a->configmaps);
    json_decref(a->policy);
    json_decref(a->pod.init_containers);
    json_decref(a->pod.containers);
    json_decref(a->pod.volumes);
    json_decref(a->pod.monerod_mounts);
    memset(a, 0, sizeof *a);
}
