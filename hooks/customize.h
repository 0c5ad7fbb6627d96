/*
 * customize: Metacontroller's customize hook: which objects besides its own children a parent's
 * sync needs to see. MoneroNodeSet and MoneroNetwork ask for the Secrets named in
 * tor.keysSecret and i2p.keysSecret (keys the user brings) and for their own identities
 * Secrets; every kind asks for the StatefulSet of its name (name conflicts). They arrive in the
 * sync request's "related" map. Depends on the parent only, as Metacontroller requires.
 */
#ifndef MONERO_OPERATOR_CUSTOMIZE_H
#define MONERO_OPERATOR_CUSTOMIZE_H

#include "metacontroller/hook_request.h"

#include <jansson.h>

/* {"relatedResources": [...]} for a parent whose tor/i2p settings live at `spec_path`
 * ("spec" or "spec.template.spec"); new reference. */
json_t *customize_related_secrets(const struct hook_request *req, const char *spec_path);

/* Only the StatefulSet of the parent's name (name conflicts), for parents without Tor/I2P. */
json_t *customize_related_statefulset(const struct hook_request *req);

#endif
