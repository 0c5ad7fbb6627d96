/* sync_answer_rules: what every sync answer obeys, whatever the resource (see
 * sync_answer_rules.h). */
#include "sync_answer_rules.h"

#include "invalid_spec.h"

#include "json/json_go_size.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replaces (or adds) the Ready condition of the response's status with False/reason/msg. */
static void set_not_ready(struct hook_response *resp, const struct hook_request *req,
                          const char *reason, const char *msg)
{
    json_t *ready = json_pack("{s:s, s:s, s:s, s:s}", "type", "Ready", "status", "False", "reason",
                              reason, "message", msg);
    if (req->generation > 0)
        json_object_set_new(ready, "observedGeneration", json_integer(req->generation));
    json_t *conditions = json_object_get(resp->status, "conditions");
    size_t i;
    json_t *c;
    json_array_foreach(conditions, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (type && strcmp(type, "Ready") == 0) {
            json_array_set_new(conditions, i, ready);
            return;
        }
    }
    if (!json_is_array(conditions))
        json_object_set_new(resp->status, "conditions", conditions = json_array());
    json_array_append_new(conditions, ready);
}

/* The Ready condition while creation is paced: how far it has got. */
static void note_paced_creation(struct hook_response *resp, const struct hook_request *req,
                                size_t present, size_t desired, size_t left_out)
{
    char msg[256];
    snprintf(msg, sizeof msg,
             "creating children: %zu of %zu exist, %zu more asked for now, the other %zu on the "
             "next syncs",
             present, desired, desired - present - left_out, left_out);
    set_not_ready(resp, req, "Creating", msg);
}

/* A parent being deleted (a finalizer of another controller, or foreground deletion, holds it):
 * Metacontroller still calls sync and writes status but manages no children. The answer keeps
 * every observed child exactly as it is and asks for nothing new, whatever the spec says, so
 * nothing could be created or removed early even by a Metacontroller that did. */
static void keep_children_while_deleting(struct hook_response *resp, const struct hook_request *req)
{
    json_decref(resp->children);
    resp->children = hook_observed_children_unchanged(req);
    set_not_ready(resp, req, "Deleting",
                  "being deleted: the children are left as they are, for the garbage collector");
}

#define LAST_APPLIED "metacontroller.k8s.io/last-applied-configuration"
/* The API server's limit on all of an object's annotations, keys and values together. */
#define ANNOTATIONS_MAX_BYTES 262144
/* What Metacontroller adds before writing the annotation: the label
 * "controller-uid":"<36-character UID>" (56 bytes with its comma), with room to spare. */
#define METACONTROLLER_ADDS 128

/* The bytes of annotations `child` will carry once Metacontroller has applied it, `go_bytes`
 * being the child as Go writes it. */
static size_t stored_annotation_bytes(const json_t *child, size_t go_bytes)
{
    size_t n = strlen(LAST_APPLIED) + go_bytes + METACONTROLLER_ADDS;
    const char *key;
    json_t *value;
    json_object_foreach(jsonx_object(jsonx_object(child, "metadata"), "annotations"), key, value)
        n += strlen(key) + json_string_length(value);
    return n;
}

/*
 * The size Go gives each child, from the written answer `text` (canonical JSON, which starts
 * {"children":[ as keys are sorted): one pass, each element's bytes plus what Go's encoder adds
 * to them (<, >, & and U+2028/2029 are written longer; \b and \f counted as \u0008 and \u000c),
 * stored into sizes[i] for the i-th child. Returns the number of children seen.
 */
size_t sync_answer_children_go_sizes(const char *text, size_t len, size_t *sizes, size_t cap)
{
    static const char start[] = "{\"children\":[";
    const unsigned char *p = (const unsigned char *)text + sizeof start - 1;
    const unsigned char *end = (const unsigned char *)text + len, *element = p;
    size_t count = 0, extra = 0;
    int depth = 0;
    bool in_string = false;
    if (len < sizeof start || memcmp(text, start, sizeof start - 1) != 0)
        return 0;
    for (; count < cap && p < end; p++) {
        /* ordinary bytes in bulk: the text ends in a NUL (json_write_canonical) and holds no
         * other (a NUL is written \u0000), and glibc's strcspn is vectorised for small sets */
        p += strcspn((const char *)p, "\"\\<>&{}[],\xe2");
        if (p >= end)
            break;
        unsigned char c = *p;
        if (in_string) {
            if (c == '\\') {
                p++;
                extra += p < end && (*p == 'b' || *p == 'f') ? 4 : 0;
            } else if (c == '"') {
                in_string = false;
            } else if (c == '<' || c == '>' || c == '&') {
                extra += 5;
            } else if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 &&
                       (p[2] == 0xA8 || p[2] == 0xA9)) {
                extra += 3, p += 2;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth-- == 0)
                break; /* the end of the children array */
            if (depth == 0) {
                sizes[count++] = (size_t)(p + 1 - element) + extra;
                extra = 0;
            }
        } else if (c == ',' && depth == 0) {
            element = p + 1;
        }
    }
    return count;
}

bool sync_answer_may_be_oversized(size_t answer_bytes)
{
    /* No string grows more than six times as Go writes it. */
    return answer_bytes * 6 + strlen(LAST_APPLIED) + METACONTROLLER_ADDS > ANNOTATIONS_MAX_BYTES;
}

json_t *sync_answer_refuse_oversized(const struct hook_request *req, const json_t *answer,
                                     const char *text, size_t text_len, char *message,
                                     size_t message_size)
{
    const json_t *children = jsonx_array(answer, "children");
    size_t n = json_array_size(children);
    size_t *sizes = calloc(n ? n : 1, sizeof *sizes);
    if (!sizes)
        abort();
    size_t seen = sync_answer_children_go_sizes(text, text_len, sizes, n);
    for (size_t i = 0; i < n; i++) {
        json_t *child = json_array_get(children, i);
        /* (a text not shaped as expected is counted the slow way, never skipped) */
        size_t bytes = stored_annotation_bytes(child, seen == n ? sizes[i] : json_go_size(child));
        if (bytes <= ANNOTATIONS_MAX_BYTES)
            continue;
        free(sizes);
        struct spec_error serr = {0};
        spec_error_set(&serr, "spec",
                       "the %s %s would carry %zu bytes of annotations as Metacontroller stores "
                       "it (its last-applied copy, written by Go, which escapes <, > and & as six "
                       "bytes each), over the API server's limit of %d: shorten the longest "
                       "strings of the spec (monerod.args, ...)",
                       jsonx_string(child, "kind"),
                       jsonx_string(jsonx_object(child, "metadata"), "name"), bytes,
                       ANNOTATIONS_MAX_BYTES);
        struct hook_response resp;
        hook_response_init(&resp);
        json_decref(resp.status);
        resp.status = json_deep_copy(jsonx_object(answer, "status")); /* keeps status.selector */
        if (!resp.status)
            resp.status = json_object();
        invalid_spec_answer(req, NULL, &serr, &resp);
        snprintf(message, message_size, "%s", serr.message);
        json_t *out = hook_response_to_json(&resp, false);
        hook_response_release(&resp);
        return out;
    }
    free(sizes);
    return NULL;
}

/* Whether an observed StatefulSet lacks the last-applied annotation that dynamic apply (the
 * default --apply-strategy) always writes: Metacontroller then runs with server-side apply. */
static bool applied_without_last_applied(const struct hook_request *req)
{
    const char *key;
    json_t *sts;
    json_object_foreach((json_t *)hook_request_child_group(req, "StatefulSet.apps/v1"), key, sts)
    {
        if (!jsonx_string(jsonx_object(jsonx_object(sts, "metadata"), "annotations"), LAST_APPLIED))
            return true;
    }
    return false;
}

/* Server-side apply is not supported: say so in a condition of its own, whatever else the status
 * says, since Ready cannot then tell whether the declared pod template has been applied. */
static void note_apply_strategy(struct hook_response *resp, const struct hook_request *req)
{
    if (!applied_without_last_applied(req))
        return;
    json_t *c = json_pack(
        "{s:s, s:s, s:s, s:s}", "type", "ApplyStrategySupported", "status", "False", "reason",
        "NoLastAppliedConfiguration", "message",
        "the StatefulSet carries no " LAST_APPLIED " annotation: Metacontroller seems to run with "
        "--apply-strategy=server-side-apply, which this operator does not support (run it with "
        "the default, dynamic-apply); until then Ready cannot tell whether a changed spec has been "
        "applied");
    if (req->generation > 0)
        json_object_set_new(c, "observedGeneration", json_integer(req->generation));
    json_t *conditions = json_object_get(resp->status, "conditions");
    if (!json_is_array(conditions))
        json_object_set_new(resp->status, "conditions", conditions = json_array());
    json_array_append_new(conditions, c);
}

void sync_answer_rules(struct hook_response *resp, const struct hook_request *req,
                       const struct hook_defaults *defaults)
{
    size_t present, desired, left_out = 0;
    if (req->finalizing)
        return;
    note_apply_strategy(resp, req);
    if (jsonx_string(jsonx_object(req->parent, "metadata"), "deletionTimestamp")) {
        keep_children_while_deleting(resp, req);
        return;
    }
    if (!resp->invalid_spec && defaults->max_new_children)
        left_out =
            hook_response_pace_creation(resp, req, defaults->max_new_children, &present, &desired);
    if (left_out)
        note_paced_creation(resp, req, present, desired, left_out);
}
