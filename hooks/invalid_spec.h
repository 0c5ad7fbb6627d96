/*
 * invalid_spec: the answer to a spec the operator cannot carry out. Every observed child is
 * returned unchanged (so Metacontroller neither deletes nor updates anything: running pods and
 * their volumes are untouched), and the status keeps the observed counts and says what is wrong
 * in Ready=False, reason InvalidSpec.
 */
#ifndef MONERO_OPERATOR_INVALID_SPEC_H
#define MONERO_OPERATOR_INVALID_SPEC_H

#include "k8s/spec_error.h"
#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"

#include <jansson.h>

/* `selector_labels` (may be NULL) keeps status.selector, so scaling keeps working. */
void invalid_spec_answer(const struct hook_request *req, const json_t *selector_labels,
                         const struct spec_error *serr, struct hook_response *resp);

#endif
