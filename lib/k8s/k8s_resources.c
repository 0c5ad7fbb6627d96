/* k8s_resources: parsing and canonicalisation of container resources (see k8s_resources.h). */
#include "k8s/k8s_resources.h"

#include "k8s/k8s_names.h"
#include "k8s/quantity.h"
#include "k8s/spec_read.h"

#include <stdio.h>
#include <string.h>

/* A resource name: a label, optionally prefixed by a DNS subdomain ("nvidia.com/gpu"). */
static bool resource_name_valid(const char *name)
{
    const char *slash = strchr(name, '/');
    if (!slash)
        return k8s_is_dns1123_subdomain(name) || strncmp(name, "hugepages-", 10) == 0;
    char prefix[254];
    size_t n = (size_t)(slash - name);
    if (n == 0 || n >= sizeof prefix)
        return false;
    memcpy(prefix, name, n);
    prefix[n] = '\0';
    return k8s_is_dns1123_subdomain(prefix) && k8s_is_label_value(slash + 1) && slash[1];
}

static int quantity_from_json(const json_t *v, const char *where, struct quantity *q,
                              struct spec_error *err)
{
    char text[32];
    const char *reason;
    if (json_is_integer(v)) {
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    } else if (!json_is_string(v)) {
        spec_error_set(err, where, "must be a quantity such as \"500m\" or \"2Gi\"");
        return -1;
    }
    if (!quantity_parse(json_is_string(v) ? json_string_value(v) : text, q, &reason)) {
        spec_error_set(err, where, "%s", reason);
        return -1;
    }
    if (q->negative) {
        spec_error_set(err, where, "must not be negative");
        return -1;
    }
    return 0;
}

static int parse_list(const json_t *list, const char *path, json_t *out, struct spec_error *err)
{
    const char *name;
    json_t *value;
    char where[200], canonical[48];
    if (!json_is_object(list)) {
        spec_error_set(err, path, "must be a map of resource name to quantity");
        return -1;
    }
    json_object_foreach((json_t *)list, name, value)
    {
        struct quantity q;
        snprintf(where, sizeof where, "%s.%s", path, name);
        if (!resource_name_valid(name)) {
            spec_error_set(err, where, "not a valid resource name");
            return -1;
        }
        if (quantity_from_json(value, where, &q, err) < 0)
            return -1;
        quantity_format(&q, canonical, sizeof canonical);
        json_object_set_new(out, name, json_string(canonical));
    }
    return 0;
}

static int check_requests_within_limits(const json_t *requests, const json_t *limits,
                                        const char *path, struct spec_error *err)
{
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)requests, name, value)
    {
        const json_t *limit = json_object_get(limits, name);
        struct quantity r, l;
        const char *reason;
        if (!limit)
            continue;
        quantity_parse(json_string_value(value), &r, &reason);
        quantity_parse(json_string_value(limit), &l, &reason);
        if (quantity_compare(&r, &l) > 0) {
            char where[200];
            snprintf(where, sizeof where, "%s.requests.%s", path, name);
            spec_error_set(err, where, "request %s is above its limit %s", json_string_value(value),
                           json_string_value(limit));
            return -1;
        }
    }
    return 0;
}

int k8s_resources_parse(const json_t *in, const char *path, json_t **out, struct spec_error *err)
{
    static const char *const known[] = {"requests", "limits", NULL};
    char where[160];
    *out = NULL;
    if (!json_is_object(in)) {
        spec_error_set(err, path, "must be an object with requests and/or limits");
        return -1;
    }
    if (spec_check_known_keys(in, path, known, err) < 0)
        return -1;
    json_t *result = json_object();
    for (size_t i = 0; known[i]; i++) {
        const json_t *list = json_object_get(in, known[i]);
        if (!list || json_is_null(list))
            continue;
        json_t *canonical = json_object();
        json_object_set_new(result, known[i], canonical);
        spec_path_join(where, sizeof where, path, known[i]);
        if (parse_list(list, where, canonical, err) < 0)
            goto fail;
    }
    if (check_requests_within_limits(json_object_get(result, "requests"),
                                     json_object_get(result, "limits"), path, err) < 0)
        goto fail;
    *out = result;
    return 0;
fail:
    json_decref(result);
    return -1;
}

json_t *k8s_resources_build(const char *const *requests, const char *const *limits)
{
    json_t *out = json_object();
    const char *const *lists[] = {requests, limits};
    const char *names[] = {"requests", "limits"};
    for (int l = 0; l < 2; l++) {
        if (!lists[l] || !lists[l][0])
            continue;
        json_t *map = json_object();
        for (size_t i = 0; lists[l][i]; i += 2)
            json_object_set_new(map, lists[l][i], json_string(lists[l][i + 1]));
        json_object_set_new(out, names[l], map);
    }
    return out;
}
