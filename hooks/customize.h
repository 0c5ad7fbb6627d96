/*
 * customize: Metacontroller's customize hook: which objects besides its own children a parent's
 * sync needs to see. MoneroNodeSet and MoneroNetwork ask for the Secrets named in
 * tor.keysSecret and i2p.keysSecret (keys the user brings); they arrive in the sync request's
 * "related" map. Depends on the parent only, as Metacontroller requires.
 */
#ifndef MONERO_OPERATOR_CUSTOMIZE_H
#define MONERO_OPERATOR_CUSTOMIZE_H

#include "metacontroller/hook_request.h"

#include <jansson.h>

/* {"relatedResources": [...]} for a parent whose tor/i2p settings live at `spec_path`
 * ("spec" or "spec.template.spec"); new reference. */
json_t *customize_related_secrets(const struct hook_request *req, const char *spec_path);

#endif
