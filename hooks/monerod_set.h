/*
 * monerod_set: the StatefulSet of monerod nodes and its headless Service, shared by
 * MoneroNodeSet (identical nodes) and MoneroNetwork (nodes wired to each other).
 */
#ifndef MONERO_OPERATOR_MONEROD_SET_H
#define MONERO_OPERATOR_MONEROD_SET_H

#include "monerod_spec.h"

#include "metacontroller/hook_request.h"

#include <jansson.h>

struct monerod_set {
    const struct hook_request *req; /* parent: name and namespace */
    json_int_t replicas;
    const struct monerod_spec *spec;
    const json_t *labels;
    const json_t *selector_labels;
    const char *headless_name;
    const json_t *observed_sts; /* may be NULL */
    json_t *argv;               /* stolen */
    json_t *extra_volumes;      /* stolen, may be NULL */
    json_t *extra_mounts;       /* stolen, may be NULL */
    json_t *extra_env;          /* stolen, may be NULL */
    json_t *pod_annotations;    /* stolen, may be NULL */
    json_t *init_containers;    /* stolen, may be NULL */
    json_t *extra_containers;   /* stolen, may be NULL */
};

/* The StatefulSet (new reference); consumes the stolen members. */
json_t *monerod_set_statefulset(struct monerod_set *set);

/* The headless Service governing the StatefulSet (stable per-pod DNS, not-ready pods included). */
json_t *monerod_set_headless_service(const struct monerod_set *set);

#endif
