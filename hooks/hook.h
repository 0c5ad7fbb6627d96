/*
 * hook: the contract every resource hook fulfils, and the table of hooks the server routes to.
 *
 * A hook is a pure function of (request, defaults, the random source): it reads nothing else and
 * writes nothing but the response. The random source is used only to create a Tor/I2P key that
 * no observed Secret holds yet, so a first sync of a Tor/I2P set differs from run to run; once
 * the identities are observed, the same request gives the same bytes.
 * It returns 0 with a complete response (status and every desired child), or -1 with an error
 * for the server to answer as a 4xx/5xx; it never returns 0 with a partial children list.
 */
#ifndef MONERO_OPERATOR_HOOK_H
#define MONERO_OPERATOR_HOOK_H

#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"

#include <stddef.h>

/* Operator-wide defaults, set by server flags or environment (see `monero-operator --help`). */
struct hook_defaults {
    const char *monerod_image;
    const char *xmrig_image;
    const char *tor_image;
    const char *i2pd_image;
    const char *operator_image; /* our own image: init steps and the metrics exporter */
    /* At most this many children not yet observed are asked for per sync, so that a large set
     * shows its progress while Metacontroller's rate limit creates them (0: no limit, as in
     * render). */
    unsigned long max_new_children;
};

typedef int (*hook_sync_fn)(const struct hook_request *req, const struct hook_defaults *defaults,
                            struct hook_response *resp, struct hook_error *err);

/* The customize hook: {"relatedResources": [...]} for a parent (new reference). */
typedef json_t *(*hook_customize_fn)(const struct hook_request *req);

/*
 * A child type, declared here once: the CompositeController's childResources (checked against
 * metacontroller/<hook>.yaml by the unit tests), render's first sync and the fixtures all read it.
 * A mismatch would make Metacontroller delete and re-create children in a loop.
 */
struct hook_child_type {
    const char *key;      /* "StatefulSet.apps/v1": the children map key, "<Kind>.<apiVersion>" */
    const char *resource; /* "statefulsets": childResources[].resource */
};

struct hook_def {
    const char *name;                          /* route segment and log field: "moneronodeset" */
    const char *kind;                          /* parent kind: "MoneroNodeSet" */
    const char *api_version;                   /* parent apiVersion: "utxo.com.br/v1alpha1" */
    const char *resource;                      /* parent plural: "moneronodesets" */
    const struct hook_child_type *child_types; /* in declaration order; ends with {NULL, NULL} */
    hook_sync_fn sync;
    hook_customize_fn customize; /* NULL: no related objects */
};

#define MONERO_API_GROUP   "utxo.com.br"
#define MONERO_API_VERSION "utxo.com.br/v1alpha1"

const struct hook_def *hook_find_by_name(const char *name);
const struct hook_def *hook_find_by_kind(const char *kind);
const struct hook_def *hook_list(size_t *count);

/*
 * Runs a hook on a parsed request after checking that the parent is of the hook's kind and
 * apiVersion (a CompositeController pointed at the wrong URL answers 400, not a wrong
 * response).
 */
int hook_run(const struct hook_def *hook, const struct hook_request *req,
             const struct hook_defaults *defaults, struct hook_response *resp,
             struct hook_error *err);

/* The customize answer, after the same parent check as hook_run (NULL with err on 400). */
json_t *hook_customize(const struct hook_def *hook, const struct hook_request *req,
                       struct hook_error *err);

/* Defaults compiled in; the server may override each of them. */
extern const struct hook_defaults hook_builtin_defaults;

#endif
