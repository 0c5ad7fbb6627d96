/*
 * hook_request: parse and check a Metacontroller CompositeController sync/finalize request.
 *
 * The request shape is {"controller", "parent", "children", "related", "finalizing"}. Children are
 * grouped by "<Kind>.<apiVersion>" (core group "Pod.v1", others "StatefulSet.apps/v1"); the inner
 * keys are "name" (hook v1) or "namespace/name" (hook v2). Lookups here match on the objects'
 * metadata, so both key styles work without knowing the hook version.
 */
#ifndef MONERO_OPERATOR_HOOK_REQUEST_H
#define MONERO_OPERATOR_HOOK_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define HOOK_ERROR_MAX 256

struct hook_error {
    int http_status;              /* 400 for a malformed request, 500 for our own failures */
    char message[HOOK_ERROR_MAX]; /* one line, no trailing newline */
};

struct hook_request {
    json_t *body;             /* owned: the whole parsed request */
    const json_t *controller; /* borrowed; always an object ({} when absent, as in render) */
    const json_t *parent;     /* borrowed; always an object with metadata.name */
    const json_t *children;   /* borrowed; always an object (empty when absent) */
    const json_t *related;    /* borrowed; always an object (empty when absent) */
    bool finalizing;
    const char *name;      /* parent metadata.name (borrowed) */
    const char *namespace; /* parent metadata.namespace, "" for cluster-scoped (borrowed) */
    json_int_t generation; /* parent metadata.generation, 0 when absent */
};

/* Parses a request body. Returns 0, or -1 with err filled (http_status 400). */
int hook_request_parse(const char *data, size_t len, struct hook_request *req,
                       struct hook_error *err);

/* Takes ownership of an already parsed body (steals the reference, even on failure). */
int hook_request_adopt(json_t *body, struct hook_request *req, struct hook_error *err);

void hook_request_release(struct hook_request *req);

/* The group object for "<Kind>.<apiVersion>", or NULL when Metacontroller sent none. */
const json_t *hook_request_child_group(const struct hook_request *req, const char *type_key);

/* The group of related objects (customize hook) for "<Kind>.<apiVersion>", or NULL. */
const json_t *hook_request_related_group(const struct hook_request *req, const char *type_key);

/* The observed child of that type named `name` in the parent's namespace, or NULL. */
const json_t *hook_request_child(const struct hook_request *req, const char *type_key,
                                 const char *name);

/* Splits "StatefulSet.apps/v1" into kind "StatefulSet" and apiVersion "apps/v1" (first '.').
 * Returns false when the key has no '.' or an empty part. */
bool hook_type_key_split(const char *type_key, char *kind, size_t kind_size, char *api_version,
                         size_t api_version_size);

void hook_error_set(struct hook_error *err, int http_status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
