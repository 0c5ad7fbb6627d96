/* test_child_types: each hook's child types are declared once (hooks/<hook>.c); the
 * CompositeController in metacontroller/<hook>.yaml and every fixture request must agree. */
#include "testlib.h"

#include "hooks/hook.h"
#include "json/jsonx.h"
#include "json/yaml_json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t declared_count(const struct hook_def *hook)
{
    size_t n = 0;
    while (hook->child_types[n].key)
        n++;
    return n;
}

/* The CompositeController of metacontroller/<hook>.yaml (new reference). */
static json_t *load_controller(const struct hook_def *hook)
{
    char path[256], err[256];
    size_t len = 0;
    snprintf(path, sizeof path, "metacontroller/%s.yaml", hook->name);
    char *text = test_read_file(path, &len);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    json_t *docs = yaml_stream_to_json(text, len, err, sizeof err);
    free(text);
    ck_assert_msg(docs != NULL, "%s: %s", path, err);
    json_t *found = NULL, *doc;
    size_t i;
    json_array_foreach(docs, i, doc)
    {
        const char *kind = jsonx_string(doc, "kind");
        if (kind && strcmp(kind, "CompositeController") == 0)
            found = json_incref(doc);
    }
    json_decref(docs);
    ck_assert_msg(found != NULL, "%s has no CompositeController", path);
    return found;
}

START_TEST(controllers_declare_the_hooks_child_types)
{
    size_t n_hooks;
    const struct hook_def *hooks = hook_list(&n_hooks);
    for (size_t h = 0; h < n_hooks; h++) {
        const struct hook_def *hook = &hooks[h];
        json_t *cc = load_controller(hook);
        json_t *spec = json_object_get(cc, "spec");
        ck_assert_str_eq(jsonx_string(json_object_get(spec, "parentResource"), "resource"),
                         hook->resource);
        json_t *declared = json_object_get(spec, "childResources");
        ck_assert_msg(json_array_size(declared) == declared_count(hook),
                      "%s: %zu childResources, the hook declares %zu", hook->name,
                      json_array_size(declared), declared_count(hook));
        for (size_t i = 0; hook->child_types[i].key; i++) {
            const json_t *c = json_array_get(declared, i);
            char key[128];
            snprintf(key, sizeof key, "%s", hook->child_types[i].key);
            const char *api_version = strchr(key, '.') + 1;
            ck_assert_str_eq(jsonx_string(c, "apiVersion"), api_version);
            ck_assert_str_eq(jsonx_string(c, "resource"), hook->child_types[i].resource);
        }
        json_decref(cc);
    }
}
END_TEST

/* Every fixture request carries exactly the declared child groups, as Metacontroller sends. */
static void check_fixture_requests(const struct hook_def *hook)
{
    char dir_path[256];
    snprintf(dir_path, sizeof dir_path, "test/fixtures/%s", hook->name);
    DIR *dir = opendir(dir_path);
    ck_assert_msg(dir != NULL, "cannot open %s", dir_path);
    size_t checked = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        char path[600], refusal[600];
        snprintf(path, sizeof path, "%s/%s/request.json", dir_path, e->d_name);
        snprintf(refusal, sizeof refusal, "%s/%s/status", dir_path, e->d_name);
        FILE *f = fopen(path, "r"), *refused = fopen(refusal, "r");
        if (f)
            fclose(f);
        if (refused)
            fclose(refused);
        if (!f || refused || e->d_name[0] == '.')
            continue; /* not a case, or a request the server must refuse (malformed on purpose) */
        json_t *req = test_load_json(path);
        json_t *children = json_object_get(req, "children");
        if (json_is_object(children) && json_object_size(children) > 0) {
            ck_assert_msg(json_object_size(children) == declared_count(hook), "%s: %zu groups",
                          path, json_object_size(children));
            for (size_t i = 0; hook->child_types[i].key; i++)
                ck_assert_msg(json_object_get(children, hook->child_types[i].key) != NULL,
                              "%s lacks %s", path, hook->child_types[i].key);
            checked++;
        }
        json_decref(req);
    }
    closedir(dir);
    ck_assert_msg(checked > 0, "no fixture request checked for %s", hook->name);
}

START_TEST(fixtures_send_the_hooks_child_types)
{
    size_t n_hooks;
    const struct hook_def *hooks = hook_list(&n_hooks);
    for (size_t h = 0; h < n_hooks; h++)
        check_fixture_requests(&hooks[h]);
}
END_TEST

Suite *child_types_suite(void)
{
    Suite *s = suite_create("child_types");
    TCase *tc = tcase_create("declared_once");
    tcase_add_test(tc, controllers_declare_the_hooks_child_types);
    tcase_add_test(tc, fixtures_send_the_hooks_child_types);
    suite_add_tcase(s, tc);
    return s;
}
