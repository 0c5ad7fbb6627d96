/* labels: common and selector labels for children (see labels.h). */
#include "labels.h"

#include "../lib/jsonx.h"

json_t *labels_selector(const char *app, const char *owner_key, const char *name)
{
    return jsonx_string_map("app.kubernetes.io/name", app, owner_key, name, NULL);
}

json_t *labels_common(const char *app, const char *component, const char *owner_key,
                      const char *name)
{
    json_t *labels = labels_selector(app, owner_key, name);
    jsonx_set_string(labels, "app.kubernetes.io/instance", name);
    jsonx_set_string(labels, "app.kubernetes.io/component", component);
    jsonx_set_string(labels, "app.kubernetes.io/managed-by", "monero-operator");
    return labels;
}
