/*
 * Fixtures: test/fixtures/<hook>/<case>/request.json is sent through the same path the server
 * uses; the answer must equal response.json structurally (key order and whitespace aside).
 * Adding a case is adding a directory. A case may instead hold "status" (an HTTP code) and
 * "reason" (a fragment of the one-line error) for requests that must be refused.
 */
#include "testlib.h"

#include "hooks/hook.h"
#include "hooks/hook_call.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Cases named customize-* go to the customize hook, the others to sync. */
static void run(const char *hook, const char *dir, const char *body, size_t len,
                struct hook_answer *reply)
{
    const struct hook_def *def = hook_find_by_name(hook);
    if (strstr(dir, "/customize-"))
        hook_call(def, HOOK_CALL_CUSTOMIZE, &hook_builtin_defaults, body, len, reply);
    else
        hook_call(def, HOOK_CALL_SYNC, &hook_builtin_defaults, body, len, reply);
}

static int check_refusal(const char *dir, const char *hook, const char *body, size_t len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/status", dir);
    char *want_status = test_read_file(path, NULL);
    snprintf(path, sizeof path, "%s/reason", dir);
    char *want_reason = test_read_file(path, NULL);
    struct hook_answer reply = {0};
    run(hook, dir, body, len, &reply);
    int failed = 0;
    if (!want_status || reply.http_status != atoi(want_status)) {
        fprintf(stderr, "%s: status %d, want %s", dir, reply.http_status,
                want_status ? want_status : "(status file missing)\n");
        failed = 1;
    } else if (want_reason) {
        want_reason[strcspn(want_reason, "\n")] = '\0';
        if (!reply.body || !strstr(reply.body, want_reason)) {
            fprintf(stderr, "%s: reason \"%s\" lacks \"%s\"\n", dir, reply.body ? reply.body : "",
                    want_reason);
            failed = 1;
        }
    }
    free(reply.body);
    free(want_status);
    free(want_reason);
    return failed;
}

static int check_case(const char *hook, const char *dir)
{
    char path[1200], where[512];
    size_t len;
    snprintf(path, sizeof path, "%s/request.json", dir);
    char *body = test_read_file(path, &len);
    if (!body) {
        fprintf(stderr, "%s: no request.json\n", dir);
        return 1;
    }
    snprintf(path, sizeof path, "%s/response.json", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        int failed = check_refusal(dir, hook, body, len);
        free(body);
        return failed;
    }
    json_t *want = test_load_json(path);
    struct hook_answer reply = {0};
    run(hook, dir, body, len, &reply);
    json_t *got = reply.http_status == 200 ? json_loadb(reply.body, reply.body_len, 0, NULL) : NULL;
    int failed = 0;
    if (!got) {
        fprintf(stderr, "%s: status %d: %s\n", dir, reply.http_status,
                reply.body ? reply.body : "");
        failed = 1;
    } else if (!test_json_equal(want, got, where, sizeof where)) {
        fprintf(stderr, "%s: response differs at %s\n", dir, where);
        failed = 1;
    }
    json_decref(want);
    json_decref(got);
    free(reply.body);
    free(body);
    return failed;
}

START_TEST(every_fixture_matches)
{
    size_t n_hooks, cases = 0;
    int failures = 0;
    const struct hook_def *hooks = hook_list(&n_hooks);
    for (size_t h = 0; h < n_hooks; h++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", test_fixtures_dir(), hooks[h].name);
        DIR *d = opendir(dir);
        ck_assert_msg(d != NULL, "no fixtures for hook %s in %s", hooks[h].name, dir);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char case_dir[1024];
            snprintf(case_dir, sizeof case_dir, "%s/%s", dir, e->d_name);
            failures += check_case(hooks[h].name, case_dir);
            cases++;
        }
        closedir(d);
    }
    ck_assert_msg(cases >= 8, "only %zu fixture cases found", cases);
    ck_assert_msg(failures == 0, "%d of %zu fixture cases failed (details above)", failures, cases);
}
END_TEST

Suite *fixtures_suite(void)
{
    Suite *s = suite_create("fixtures");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_fixture_matches);
    suite_add_tcase(s, tc);
    return s;
}
