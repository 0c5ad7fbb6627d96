/*
 * scheduling: where pods may run: anti-affinity between replicas, node selector, tolerations,
 * priority class. Shared by every resource.
 */
#ifndef MONERO_OPERATOR_SCHEDULING_H
#define MONERO_OPERATOR_SCHEDULING_H

#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>

struct scheduling {
    bool hard_anti_affinity;
    const json_t *node_selector; /* borrowed, validated map of strings; may be NULL */
    const json_t *tolerations;   /* borrowed, validated list; may be NULL */
    const char *priority_class_name;
};

/* Reads hardAntiAffinity, nodeSelector, tolerations and priorityClassName of `spec`. */
int scheduling_read(const json_t *spec, const char *path, struct scheduling *s,
                    struct spec_error *err);

/* Sets affinity (replicas spread over nodes; required when hard), nodeSelector, tolerations
 * and priorityClassName on a pod spec. */
void scheduling_apply(const struct scheduling *s, const json_t *selector_labels, json_t *pod_spec);

#endif
