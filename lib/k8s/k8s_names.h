/*
 * k8s_names: Kubernetes name rules, so a spec whose children could not exist is refused up
 * front with a message, instead of failing later inside Metacontroller.
 */
#ifndef MONERO_OPERATOR_K8S_NAMES_H
#define MONERO_OPERATOR_K8S_NAMES_H

#include <stdbool.h>

/* RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters. */
bool k8s_is_dns1123_label(const char *s);

/* RFC 1035 label (Service names): as above but starting with a letter. */
bool k8s_is_dns1035_label(const char *s);

/* RFC 1123 subdomain: labels joined by '.', at most 253 characters. */
bool k8s_is_dns1123_subdomain(const char *s);

/* Label value: empty, or up to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric. */
bool k8s_is_label_value(const char *s);

/* Qualified name (label and annotation keys, toleration keys): an optional DNS subdomain
 * prefix and '/', then 1 to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric. */
bool k8s_is_qualified_name(const char *s);

/*
 * Longest name a StatefulSet may have: its pods carry the label
 * controller-revision-hash=<name>-<10 character hash>, and label values stop at 63.
 */
#define K8S_STATEFULSET_NAME_MAX 52

#endif
