/*
 * k8s_resources: container resource requirements from a spec, checked and canonical.
 *
 * Accepts {"requests": {name: quantity}, "limits": {name: quantity}} where a quantity is a
 * string or an integer. Refuses what the API server would refuse later (a request above its
 * limit, a malformed quantity or resource name) so the problem shows as a status condition
 * instead of a StatefulSet that silently never updates.
 */
#ifndef MONERO_OPERATOR_K8S_RESOURCES_H
#define MONERO_OPERATOR_K8S_RESOURCES_H

#include "k8s/spec_error.h"

#include <jansson.h>

/* Writes a new canonical copy into *out. */
int k8s_resources_parse(const json_t *in, const char *path, json_t **out, struct spec_error *err);

/* Builds {"requests": {...}, "limits": {...}} from NULL-terminated name/value pairs, each list
 * terminated by a NULL name. Values must already be canonical. */
json_t *k8s_resources_build(const char *const *requests, const char *const *limits);

#endif
