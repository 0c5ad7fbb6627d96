/* scheduling: reading and applying pod placement settings (see scheduling.h). */
#include "scheduling.h"

#include "k8s/k8s_names.h"
#include "k8s/k8s_pod.h"
#include "k8s/spec_read.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

static int check_string_map(const json_t *map, const char *where, struct spec_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)map, key, value)
    {
        if (!k8s_is_qualified_name(key)) {
            spec_error_set(err, where, "\"%.80s\" is not a valid label key", key);
            return -1;
        }
        if (!json_is_string(value) || !k8s_is_label_value(json_string_value(value))) {
            spec_error_set(err, where, "value of \"%s\" must be a valid label value", key);
            return -1;
        }
    }
    return 0;
}

/* The rules the API server applies to a toleration, so that a bad one is reported here rather
 * than failing every StatefulSet update. */
static int check_toleration(const json_t *t, const char *at, struct spec_error *err)
{
    static const char *const operators[] = {"Exists", "Equal", NULL};
    static const char *const effects[] = {"", "NoSchedule", "PreferNoSchedule", "NoExecute", NULL};
    const char *key, *op, *value, *effect;
    json_int_t seconds;
    if (spec_read_string(t, "key", at, 317, "", &key, err) < 0 ||
        spec_read_enum(t, "operator", at, operators, "Equal", &op, err) < 0 ||
        spec_read_string(t, "value", at, 63, "", &value, err) < 0 ||
        spec_read_enum(t, "effect", at, effects, "", &effect, err) < 0 ||
        spec_read_int(t, "tolerationSeconds", at, -1000000000, 1000000000, 0, &seconds, err) < 0)
        return -1;
    if (*key && !k8s_is_qualified_name(key)) {
        spec_error_set(err, at, "key \"%.80s\" is not a valid label key", key);
        return -1;
    }
    if (!k8s_is_label_value(value)) {
        spec_error_set(err, at, "value must be a valid label value");
        return -1;
    }
    if (!*key && strcmp(op, "Exists") != 0) {
        spec_error_set(err, at, "an empty key needs operator Exists");
        return -1;
    }
    if (strcmp(op, "Exists") == 0 && *value) {
        spec_error_set(err, at, "operator Exists takes no value");
        return -1;
    }
    if (json_object_get(t, "tolerationSeconds") && strcmp(effect, "NoExecute") != 0) {
        spec_error_set(err, at, "tolerationSeconds needs effect NoExecute");
        return -1;
    }
    return 0;
}

static int check_tolerations(const json_t *list, const char *where, struct spec_error *err)
{
    static const char *const keys[] = {"key",    "operator",          "value",
                                       "effect", "tolerationSeconds", NULL};
    size_t i;
    json_t *item;
    if (!json_is_array(list)) {
        spec_error_set(err, where, "must be a list of tolerations");
        return -1;
    }
    json_array_foreach(list, i, item)
    {
        char at[192];
        snprintf(at, sizeof at, "%s[%zu]", where, i);
        if (!json_is_object(item)) {
            spec_error_set(err, at, "must be an object");
            return -1;
        }
        if (spec_check_known_keys(item, at, keys, err) < 0 || check_toleration(item, at, err) < 0)
            return -1;
    }
    return 0;
}

int scheduling_read(const json_t *spec, const char *path, struct scheduling *s,
                    struct spec_error *err)
{
    char where[160];
    const json_t *tolerations = json_object_get(spec, "tolerations");
    memset(s, 0, sizeof *s);
    if (spec_read_bool(spec, "hardAntiAffinity", path, false, &s->hard_anti_affinity, err) < 0 ||
        spec_read_object(spec, "nodeSelector", path, &s->node_selector, err) < 0 ||
        spec_read_string(spec, "priorityClassName", path, 253, NULL, &s->priority_class_name, err) <
            0)
        return -1;
    if (s->priority_class_name && *s->priority_class_name &&
        !k8s_is_dns1123_subdomain(s->priority_class_name)) {
        spec_path_join(where, sizeof where, path, "priorityClassName");
        spec_error_set(err, where, "\"%.80s\" is not a PriorityClass name", s->priority_class_name);
        return -1;
    }
    spec_path_join(where, sizeof where, path, "nodeSelector");
    if (s->node_selector && check_string_map(s->node_selector, where, err) < 0)
        return -1;
    s->tolerations = json_is_null(tolerations) ? NULL : tolerations;
    spec_path_join(where, sizeof where, path, "tolerations");
    return s->tolerations ? check_tolerations(s->tolerations, where, err) : 0;
}

void scheduling_apply(const struct scheduling *s, const json_t *selector_labels, json_t *pod_spec)
{
    json_object_set_new(pod_spec, "affinity",
                        k8s_pod_anti_affinity(selector_labels, s->hard_anti_affinity));
    if (s->node_selector && json_object_size(s->node_selector))
        json_object_set_new(pod_spec, "nodeSelector", json_deep_copy(s->node_selector));
    if (s->tolerations && json_array_size(s->tolerations))
        json_object_set_new(pod_spec, "tolerations", json_deep_copy(s->tolerations));
    if (s->priority_class_name && *s->priority_class_name)
        jsonx_set_string(pod_spec, "priorityClassName", s->priority_class_name);
}
