/*
 * hook_response: the sync/finalize answer to Metacontroller, and the one safe fallback.
 *
 * A response always carries a "children" array and a "status" object; Metacontroller deletes
 * every observed child missing from "children", so there is no constructor for a response
 * without them. Serialisation is canonical (compact, keys sorted) and integral numbers stay
 * JSON integers.
 */
#ifndef MONERO_OPERATOR_HOOK_RESPONSE_H
#define MONERO_OPERATOR_HOOK_RESPONSE_H

#include "metacontroller/hook_request.h"

#include <jansson.h>
#include <stdbool.h>

struct hook_response {
    json_t *status;                  /* owned object */
    json_t *children;                /* owned array of desired objects, in a stable order */
    json_int_t resync_after_seconds; /* 0: not sent */
    bool finalized;                  /* sent only when the request was a finalize call */
    /* Not sent: the spec was refused and every observed child is kept (Ready=False/InvalidSpec).
     * Callers such as `render` act on it without reading the status. */
    bool invalid_spec;
    char invalid_spec_message[384];
};

/* Starts an empty response: status {} and children []. */
void hook_response_init(struct hook_response *resp);
void hook_response_release(struct hook_response *resp);

/* Appends a desired child (steals the reference). */
void hook_response_add_child_new(struct hook_response *resp, json_t *child);

/* The desired child of `kind` named `name`, or NULL (borrowed). */
const json_t *hook_response_child(const struct hook_response *resp, const char *kind,
                                  const char *name);

/*
 * Paces creation: keeps every desired child that is observed, and at most `max_new` of the
 * others, the few of kinds other than Service first (the StatefulSet, its ConfigMaps and Secrets,
 * so pods can start) and then Services, each group in the order listed. The rest follow on later
 * syncs (Metacontroller syncs again as the new children appear). Observed children are never
 * left out, so nothing is deleted. Returns how many were left out; *present receives how many
 * desired children are observed, *desired how many the hook asked for. max_new 0: no limit.
 */
size_t hook_response_pace_creation(struct hook_response *resp, const struct hook_request *req,
                                   size_t max_new, size_t *present, size_t *desired);

/* The response object as Metacontroller expects it (new reference). */
json_t *hook_response_to_json(const struct hook_response *resp, bool finalizing);

/*
 * Every observed child, in a stable order (type key, then name), as a desired object that
 * changes nothing: the last configuration Metacontroller applied (its last-applied annotation)
 * when present, else the observed object without server-owned fields. Used when the parent's
 * spec is invalid, so that running workloads and their volumes are left exactly as they are.
 * Returns a new array.
 */
json_t *hook_observed_children_unchanged(const struct hook_request *req);

#endif
