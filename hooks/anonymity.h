/*
 * anonymity: Tor and I2P for a set of monerod pods, as one step shared by MoneroNodeSet and
 * MoneroNetwork: prepare (identities, sidecar configuration, pod additions; may fail on the
 * spec), then emit (children, pod parts, status.addresses).
 */
#ifndef MONERO_OPERATOR_ANONYMITY_H
#define MONERO_OPERATOR_ANONYMITY_H

#include "anonymity_pod.h"
#include "identities.h"
#include "monerod_set.h"

#include "metacontroller/hook_response.h"

struct anonymity_children {
    bool active; /* Tor or I2P enabled */
    struct identities ids;
    json_t *configmaps; /* owned */
    json_t *policy;     /* owned, tor-only NetworkPolicy or NULL */
    struct anonymity_pod pod;
};

struct anonymity_context {
    const struct hook_request *req;
    size_t replicas;
    const char *path; /* "spec" or "spec.template.spec" */
    const struct monerod_spec *spec;
    const struct hook_defaults *defaults;
    const char *peers_file; /* network peer file to merge, or NULL */
    const json_t *labels, *selector_labels;
};

/* Returns an enum identity_outcome (identities.h). Release in every case. */
int anonymity_prepare(const struct anonymity_context *c, struct anonymity_children *out,
                      struct spec_error *err);

/* Adds the Secret, ConfigMaps and NetworkPolicy to the response, hands the pod parts to `set`
 * and writes status.addresses. */
void anonymity_emit(struct anonymity_children *a, const char *name, struct monerod_set *set,
                    struct hook_response *resp);

void anonymity_release(struct anonymity_children *a);

#endif
