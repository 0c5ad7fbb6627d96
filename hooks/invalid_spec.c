/* invalid_spec: unchanged children and an InvalidSpec condition (see invalid_spec.h). */
#include "invalid_spec.h"

#include "workload_status.h"

#include "k8s/k8s_object.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>

void invalid_spec_answer(const struct hook_request *req, const json_t *selector_labels,
                         const struct spec_error *serr, struct hook_response *resp)
{
    struct workload_observed o;
    resp->invalid_spec = true;
    snprintf(resp->invalid_spec_message, sizeof resp->invalid_spec_message, "%s", serr->message);
    json_decref(resp->children);
    resp->children = hook_observed_children_unchanged(req);
    workload_observe_statefulset(hook_request_child(req, "StatefulSet.apps/v1", req->name), NULL,
                                 &o);
    workload_status_counts(resp->status, &o);
    if (selector_labels) {
        char *selector = k8s_selector_string(selector_labels);
        jsonx_set_string(resp->status, "selector", selector);
        free(selector);
    }
    json_object_set_new(resp->status, "conditions",
                        json_pack("[o]", condition_new("Ready", false, "InvalidSpec", serr->message,
                                                       req->generation)));
}
