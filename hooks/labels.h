/*
 * labels: the labels every child of a Monero resource carries, and the selector subset.
 *
 * Selectors include a key naming the parent's kind (utxo.com.br/moneronodeset=<name>, ...), so
 * a MoneroNodeSet and a MoneroNetwork with the same name never select each other's pods.
 */
#ifndef MONERO_OPERATOR_LABELS_H
#define MONERO_OPERATOR_LABELS_H

#include "k8s/spec_error.h"

#include <jansson.h>

/* {"app.kubernetes.io/name": app, "<owner_key>": name} (new reference). */
json_t *labels_selector(const char *app, const char *owner_key, const char *name);

/* Selector labels plus instance, component and managed-by (new reference). */
json_t *labels_common(const char *app, const char *component, const char *owner_key,
                      const char *name);

/*
 * Refuses a parent name that cannot name its children: every resource names a StatefulSet
 * (at most 52 characters) and Services (DNS-1035: starting with a letter) after itself.
 * `children` completes the message: "(it names <children>)".
 */
int parent_name_check(const char *name, const char *children, struct spec_error *err);

#define LABEL_NODESET "utxo.com.br/moneronodeset"
#define LABEL_NETWORK "utxo.com.br/moneronetwork"
#define LABEL_MINING  "utxo.com.br/monerominingnodeset"

#endif
