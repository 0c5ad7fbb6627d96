/* labels: common and selector labels for children (see labels.h). */
#include "labels.h"

#include "k8s/k8s_names.h"
#include "json/jsonx.h"

#include <string.h>

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

int parent_name_check(const char *name, const char *children, struct spec_error *err)
{
    if (k8s_is_dns1035_label(name) && strlen(name) <= K8S_STATEFULSET_NAME_MAX)
        return 0;
    spec_error_set(err, "metadata.name",
                   "\"%s\" must start with a letter, use only lowercase letters, digits and '-', "
                   "and be at most %d characters (it names %s)",
                   name, K8S_STATEFULSET_NAME_MAX, children);
    return -1;
}
