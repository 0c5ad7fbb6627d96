/* k8s_object: common object skeleton and selectors (see k8s_object.h). */
#include "k8s/k8s_object.h"

#include "json/jsonx.h"

#include <stdlib.h>
#include <string.h>

json_t *k8s_object_new(const char *api_version, const char *kind, const char *name,
                       const char *namespace, const json_t *labels)
{
    json_t *obj = json_object();
    json_t *meta = json_object();
    jsonx_set_string(obj, "apiVersion", api_version);
    jsonx_set_string(obj, "kind", kind);
    jsonx_set_string(meta, "name", name);
    if (namespace && *namespace)
        jsonx_set_string(meta, "namespace", namespace);
    if (labels && json_object_size(labels))
        json_object_set_new(meta, "labels", json_deep_copy(labels));
    json_object_set_new(obj, "metadata", meta);
    return obj;
}

json_t *k8s_label_selector(const json_t *match_labels)
{
    json_t *sel = json_object();
    json_object_set_new(sel, "matchLabels", json_deep_copy(match_labels));
    return sel;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *k8s_selector_string(const json_t *match_labels)
{
    size_t n = json_object_size(match_labels), i = 0, len = 1;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    const char *key;
    json_t *value;
    if (!keys)
        abort();
    json_object_foreach((json_t *)match_labels, key, value)
    {
        keys[i++] = key;
        len += strlen(key) + strlen(json_string_value(value)) + 2;
    }
    qsort(keys, n, sizeof *keys, compare_keys);
    char *out = malloc(len);
    if (!out)
        abort();
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, keys[i]);
        strcat(out, "=");
        strcat(out, json_string_value(json_object_get(match_labels, keys[i])));
    }
    free(keys);
    return out;
}
