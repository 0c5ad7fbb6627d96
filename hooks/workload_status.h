/*
 * workload_status: parent status computed from observed children only.
 *
 * Nothing here reads a clock or counts calls: the same observed children give the same
 * status, so Metacontroller's status write is a no-op once the world is stable (a status that
 * changes on every call would make it resync forever).
 */
#ifndef MONERO_OPERATOR_WORKLOAD_STATUS_H
#define MONERO_OPERATOR_WORKLOAD_STATUS_H

#include "metacontroller/hook_request.h"

#include <jansson.h>
#include <stdbool.h>

struct workload_observed {
    bool present;      /* the StatefulSet exists */
    bool spec_applied; /* it carries the pod template this sync desires (as last applied) */
    bool current;      /* its controller has seen its latest spec */
    bool rolled_out;   /* every pod runs the latest revision (currentRevision == updateRevision) */
    json_int_t replicas, ready, updated, available;
    char conflict[320]; /* "" or who owns the StatefulSet of our name: "MoneroNetwork regtest" */
    /* The StatefulSet of our name has no owner but our labels: left by an earlier parent of this
     * name deleted with --cascade=orphan. Holds the label selector that finds what it left. */
    char orphaned_by[192];
};

/*
 * Reads a StatefulSet as observed (may be NULL) against the one this sync desires (NULL: none,
 * as when the spec is refused). The desired pod template counts as applied when the template
 * Metacontroller last applied (its last-applied annotation) equals it; without the annotation
 * it cannot be told, and counts as applied.
 */
void workload_observe_statefulset(const json_t *sts, const json_t *desired_sts,
                                  struct workload_observed *o);

/*
 * When no StatefulSet of ours is observed, looks for one of the same name that the customize hook
 * fetched: owned by another parent (a MoneroNetwork and a MoneroMiningNodeSet both named
 * "regtest") or by nobody, it can never become ours, and the Ready condition says so
 * (NameConflict) instead of waiting forever for a create that fails with AlreadyExists.
 */
void workload_check_name_conflict(const struct hook_request *req, struct workload_observed *o);

/* Why the Ready condition is False or True, built from what workload_observe_statefulset and
 * workload_check_name_conflict found; `namespace` names where the user's commands run. */

/* {"type", "status": "True"|"False", "reason", "message", "observedGeneration"} */
json_t *condition_new(const char *type, bool ok, const char *reason, const char *message,
                      json_int_t generation);

/* The Ready condition for `desired` replicas of `what` ("node", "miner") from `o`. */
json_t *workload_ready_condition(const struct workload_observed *o, json_int_t desired,
                                 const char *what, json_int_t generation);

/* Fills replicas/readyReplicas/updatedReplicas of `status` from `o`. */
void workload_status_counts(json_t *status, const struct workload_observed *o);

#endif
