/* testlib: shared helpers for the unit tests (see testlib.h). */
#include "testlib.h"

#include "hooks/hook.h"
#include "hooks/hook_call.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = '\0';
        if (len)
            *len = (size_t)size;
    }
    return buf;
}

json_t *test_load_json(const char *path)
{
    json_error_t err;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    ck_assert_msg(v != NULL, "%s: line %d: %s", path, err.line, err.text);
    return v;
}

static bool equal_at(const json_t *a, const json_t *b, const char *path, char *where, size_t size)
{
    char sub[1024];
    if (json_typeof(a) != json_typeof(b) ||
        (!json_is_object(a) && !json_is_array(a) && !json_equal(a, b))) {
        snprintf(where, size, "%s", *path ? path : "(root)");
        return false;
    }
    if (json_is_array(a)) {
        size_t n =
            json_array_size(a) > json_array_size(b) ? json_array_size(a) : json_array_size(b);
        for (size_t i = 0; i < n; i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
            if (!x || !y) {
                snprintf(where, size, "%s (%s)", sub, x ? "missing" : "unexpected");
                return false;
            }
            if (!equal_at(x, y, sub, where, size))
                return false;
        }
        return true;
    }
    if (json_is_object(a)) {
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)a, key, value)
        {
            snprintf(sub, sizeof sub, "%s.%s", path, key);
            const json_t *other = json_object_get(b, key);
            if (!other) {
                snprintf(where, size, "%s (missing)", sub);
                return false;
            }
            if (!equal_at(value, other, sub, where, size))
                return false;
        }
        json_object_foreach((json_t *)b, key, value)
        {
            if (!json_object_get(a, key)) {
                snprintf(where, size, "%s.%s (unexpected)", path, key);
                return false;
            }
        }
    }
    return true;
}

bool test_json_equal(const json_t *expected, const json_t *actual, char *where, size_t size)
{
    return equal_at(expected, actual, "", where, size);
}

int test_run_hook(const char *name, const json_t *request, json_t **response)
{
    const struct hook_def *hook = hook_find_by_name(name);
    struct hook_answer reply = {0};
    char *body = json_dumps(request, JSON_COMPACT);
    *response = NULL;
    ck_assert_ptr_nonnull(hook);
    hook_call(hook, HOOK_CALL_SYNC, &hook_builtin_defaults, body, strlen(body), &reply);
    free(body);
    if (reply.http_status == 200) {
        json_error_t err;
        *response = json_loadb(reply.body, reply.body_len, 0, &err);
        ck_assert_msg(*response != NULL, "hook answered invalid JSON: %s", err.text);
    }
    free(reply.body);
    return reply.http_status;
}

json_t *test_find_child(const json_t *response, const char *kind, const char *name)
{
    size_t i;
    json_t *child;
    json_array_foreach(jsonx_array(response, "children"), i, child)
    {
        const char *k = jsonx_string(child, "kind");
        const char *n = jsonx_string(jsonx_object(child, "metadata"), "name");
        if (k && n && strcmp(k, kind) == 0 && strcmp(n, name) == 0)
            return child;
    }
    return NULL;
}

json_t *test_ready_condition(const json_t *response)
{
    size_t i;
    json_t *c;
    json_array_foreach(jsonx_array(jsonx_object(response, "status"), "conditions"), i, c)
    {
        const char *type = jsonx_string(c, "type");
        if (type && strcmp(type, "Ready") == 0)
            return c;
    }
    return NULL;
}

const char *test_fixtures_dir(void)
{
    const char *dir = getenv("TEST_FIXTURES");
    return dir && *dir ? dir : "test/fixtures";
}

json_t *test_request(const char *kind, const char *name, const char *spec, const char *children)
{
    const char *fmt = "{\"controller\": {}, \"parent\": {\"apiVersion\": \"utxo.com.br/v1alpha1\", "
                      "\"kind\": \"%s\", \"metadata\": {\"name\": \"%s\", \"namespace\": "
                      "\"monero\", \"generation\": 4, \"uid\": \"u-1\"}, \"spec\": %s}, "
                      "\"children\": %s, \"related\": {}, \"finalizing\": false}";
    size_t size = strlen(fmt) + strlen(kind) + strlen(name) + strlen(spec) +
                  (children ? strlen(children) : 2) + 1;
    char *buf = malloc(size);
    snprintf(buf, size, fmt, kind, name, spec, children ? children : "{}");
    json_error_t err;
    json_t *r = json_loads(buf, 0, &err);
    ck_assert_msg(r != NULL, "test request: %s", err.text);
    free(buf);
    return r;
}

json_t *test_sync_ok(const char *hook, json_t *request)
{
    json_t *resp;
    ck_assert_int_eq(test_run_hook(hook, request, &resp), 200);
    json_decref(request);
    return resp;
}

json_t *test_first_container(json_t *response, const char *statefulset)
{
    json_t *s = test_find_child(response, "StatefulSet", statefulset);
    ck_assert_msg(s != NULL, "no StatefulSet %s", statefulset);
    return json_array_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(s, "spec"), "template"), "spec"),
            "containers"),
        0);
}

bool test_args_contain(const json_t *container, const char *arg)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(container, "args"), i,
                       a) if (strcmp(json_string_value(a), arg) == 0) return true;
    return false;
}

void test_expect_invalid(const char *hook, json_t *request, const char *fragment)
{
    json_t *resp = test_sync_ok(hook, request);
    json_t *ready = test_ready_condition(resp);
    ck_assert_ptr_nonnull(ready);
    ck_assert_str_eq(json_string_value(json_object_get(ready, "reason")), "InvalidSpec");
    const char *msg = json_string_value(json_object_get(ready, "message"));
    ck_assert_msg(strstr(msg, fragment), "\"%s\" lacks \"%s\"", msg, fragment);
    json_decref(resp);
}

double test_time_multiplier(void)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double v = m ? strtod(m, NULL) : 1.0;
    return v >= 1.0 ? v : 1.0;
}

bool test_wait_for(bool (*done)(void *arg), void *arg, double seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double limit = seconds * test_time_multiplier();
    for (;;) {
        if (done(arg))
            return true;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 >
            limit)
            return false;
        usleep(1000);
    }
}

json_t *test_as_observed(const json_t *response)
{
    json_t *children = json_object();
    size_t i;
    json_t *child;
    json_array_foreach(jsonx_array(response, "children"), i, child)
    {
        char key[128];
        snprintf(key, sizeof key, "%s.%s", jsonx_string(child, "kind"),
                 jsonx_string(child, "apiVersion"));
        json_object_set(jsonx_object_at(children, key),
                        jsonx_string(jsonx_object(child, "metadata"), "name"), child);
    }
    return children;
}

size_t test_observed_count(const json_t *request)
{
    size_t n = 0;
    const char *key;
    json_t *group;
    json_object_foreach(json_object_get(request, "children"), key, group) n +=
        json_object_size(group);
    return n;
}
