/* metrics_spec: reading spec.metrics (see metrics_spec.h). */
#include "metrics_spec.h"

#include "k8s/k8s_resources.h"
#include "k8s/spec_read.h"

#include <string.h>

int metrics_spec_read(const json_t *spec, const char *path, const struct hook_defaults *defaults,
                      json_int_t default_max_block_age, struct metrics_spec *out,
                      struct spec_error *err)
{
    static const char *const node_keys[] = {"enabled", "port",      "maxBlockAgeSeconds",
                                            "image",   "resources", NULL};
    static const char *const miner_keys[] = {"enabled", "port", "image", "resources", NULL};
    const char *const *keys = default_max_block_age < 0 ? miner_keys : node_keys;
    static const char *const requests[] = {"cpu", "10m", "memory", "16Mi", NULL};
    static const char *const limits[] = {"memory", "64Mi", NULL};
    const json_t *obj, *resources = NULL;
    char at[160], res_at[192];
    memset(out, 0, sizeof *out);
    spec_path_join(at, sizeof at, path, "metrics");
    if (spec_read_object(spec, "metrics", path, &obj, err) < 0 ||
        (obj && spec_check_known_keys(obj, at, keys, err) < 0) ||
        spec_read_bool(obj, "enabled", at, true, &out->enabled, err) < 0 ||
        spec_read_int(obj, "port", at, 1024, 65535, METRICS_DEFAULT_PORT, &out->port, err) < 0 ||
        spec_read_int(obj, "maxBlockAgeSeconds", at, 0, 7 * 86400, default_max_block_age,
                      &out->max_block_age, err) < 0 ||
        spec_read_string(obj, "image", at, 512, defaults->operator_image, &out->image, err) < 0 ||
        spec_read_object(obj, "resources", at, &resources, err) < 0)
        return -1;
    if (!*out->image) {
        spec_error_set(err, at, "image must not be empty");
        return -1;
    }
    if (resources) {
        spec_path_join(res_at, sizeof res_at, at, "resources");
        return k8s_resources_parse(resources, res_at, &out->resources, err);
    }
    out->resources = k8s_resources_build(requests, limits);
    return 0;
}

void metrics_spec_release(struct metrics_spec *m)
{
    json_decref(m->resources);
    m->resources = NULL;
}
