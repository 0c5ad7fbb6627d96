/*
 * labels: the labels every child of a Monero resource carries, and the selector subset.
 *
 * Selectors include a key naming the parent's kind (utxo.com.br/moneronodeset=<name>, ...), so
 * a MoneroNodeSet and a MoneroNetwork with the same name never select each other's pods.
 */
#ifndef MONERO_OPERATOR_LABELS_H
#define MONERO_OPERATOR_LABELS_H

#include <jansson.h>

/* {"app.kubernetes.io/name": app, "<owner_key>": name} (new reference). */
json_t *labels_selector(const char *app, const char *owner_key, const char *name);

/* Selector labels plus instance, component and managed-by (new reference). */
json_t *labels_common(const char *app, const char *component, const char *owner_key,
                      const char *name);

#define LABEL_NODESET "utxo.com.br/moneronodeset"
#define LABEL_NETWORK "utxo.com.br/moneronetwork"
#define LABEL_MINING  "utxo.com.br/monerominingnodeset"

#endif
