/*
 * sibling_bootstrap: what `bootstrap.fromSibling` adds to a set of monerod pods, shared by
 * MoneroNodeSet and MoneroNetwork:
 *   - a Secret <name>-bootstrap with the set's token (made once, then kept as observed);
 *   - a headless Service <name>-bootstrap listing only Ready pods, whose name a new node
 *     resolves to find siblings to copy from;
 *   - a NetworkPolicy <name>-bootstrap admitting only the set's own pods to the copy port and
 *     leaving every other port as open as before;
 *   - in the pod: the `bootstrap` init step first (monero-bootstrap fetch) and the
 *     `bootstrap-serve` sidecar (monero-bootstrap serve), both from the operator's image.
 */
#ifndef MONERO_OPERATOR_SIBLING_BOOTSTRAP_H
#define MONERO_OPERATOR_SIBLING_BOOTSTRAP_H

#include "monerod_set.h"

#include "metacontroller/hook_response.h"

#define BOOTSTRAP_PORT         18090
#define BOOTSTRAP_METRICS_PORT 18091

struct sibling_bootstrap {
    bool active;
    json_t *secret, *service, *policy;         /* owned children */
    json_t *init_container, *sidecar, *volume; /* owned pod parts */
};

/* Builds everything; -1 only when the system's random source failed (no token could be made).
 * Release in every case. */
int sibling_bootstrap_prepare(const struct hook_request *req, const struct monerod_spec *s,
                              const struct hook_defaults *d, const json_t *labels,
                              const json_t *selector_labels, struct sibling_bootstrap *out);

/* Adds the children to the response and the pod parts to `set` (the init step first). */
void sibling_bootstrap_emit(struct sibling_bootstrap *b, struct monerod_set *set,
                            struct hook_response *resp);

void sibling_bootstrap_release(struct sibling_bootstrap *b);

/* Egress the tor-only NetworkPolicy must allow for the copy: the siblings' copy and RPC ports
 * and cluster DNS (new reference, appended to that policy's egress rules). */
json_t *sibling_bootstrap_egress(const struct monerod_spec *s, const json_t *selector_labels);

#endif
