/*
 * sync_answer_rules: what every sync answer obeys, whatever the resource, applied after the
 * resource's own hook:
 *   - a parent being deleted (held by another controller's finalizer, or foreground deletion)
 *     keeps every observed child exactly as it is and asks for nothing new; Ready=False/Deleting;
 *   - (checked on the written answer, see below) a child whose annotations would exceed the API
 *     server's 256 KiB once Metacontroller has stored its last-applied copy (counted as Go
 *     writes it) makes the spec invalid: every observed child is kept, Ready=False/InvalidSpec
 *     names the child and its size;
 *   - observed StatefulSets without Metacontroller's last-applied annotation (server-side apply,
 *     which is not supported) add ApplyStrategySupported=False saying so;
 *   - creation is paced to defaults->max_new_children new children per sync, and Ready says how
 *     far it has got (Creating: "creating children: N of M exist, ...").
 */
#ifndef MONERO_OPERATOR_SYNC_ANSWER_RULES_H
#define MONERO_OPERATOR_SYNC_ANSWER_RULES_H

#include "hook.h"
#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"

void sync_answer_rules(struct hook_response *resp, const struct hook_request *req,
                       const struct hook_defaults *defaults);

/* Whether a sync answer of `answer_bytes` (canonical JSON) could hold a child too large once
 * stored: false for nearly every answer, which then needs no closer look. */
bool sync_answer_may_be_oversized(size_t answer_bytes);

/* The size Go's json.Marshal gives each child of a written answer (canonical JSON as
 * json_write_canonical writes it: text[len] is its terminating NUL, and it holds no other), from
 * the text in one pass; returns how many children it found (exposed for its differential test). */
size_t sync_answer_children_go_sizes(const char *text, size_t len, size_t *sizes, size_t cap);

/* The answer to give instead of `answer` (written as `text`) when one of its children would be
 * too large once stored (new reference, the refusal's one-line reason in `message`), or NULL
 * when none is. */
json_t *sync_answer_refuse_oversized(const struct hook_request *req, const json_t *answer,
                                     const char *text, size_t text_len, char *message,
                                     size_t message_size);

#endif
