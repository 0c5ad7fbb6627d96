/*
 * k8s_object: the skeleton every emitted child shares (apiVersion, kind, metadata).
 *
 * Children are minimal desired objects: only fields we decide, no server defaults, no status,
 * never a null value. apiVersion and kind must be exactly those declared in the
 * CompositeController, or Metacontroller deletes and recreates the child in a loop.
 */
#ifndef MONERO_OPERATOR_K8S_OBJECT_H
#define MONERO_OPERATOR_K8S_OBJECT_H

#include <jansson.h>

/* {apiVersion, kind, metadata: {name, namespace (omitted when NULL or ""), labels}}.
 * `labels` is copied (may be NULL). Returns a new reference. */
json_t *k8s_object_new(const char *api_version, const char *kind, const char *name,
                       const char *namespace, const json_t *labels);

/* {"matchLabels": <copy of labels>} */
json_t *k8s_label_selector(const json_t *match_labels);

/* "k1=v1,k2=v2" in key order, the string form a scale subresource reports. Caller frees. */
char *k8s_selector_string(const json_t *match_labels);

#endif
