/* TLS for the hook server: certificate pairs that load or are refused with the reason, and the
 * bearer token the hooks require. */
#include "testlib.h"

#include "src/hook_auth.h"
#include "tls/tls_identity.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TLS_DIR "test/fixtures/tls/"

START_TEST(matching_pairs_load_others_are_refused_with_the_reason)
{
    char err[512];
    ck_assert_int_eq(tls_identity_open(TLS_DIR "a.crt", TLS_DIR "a.key", err, sizeof err), 0);
    ck_assert_ptr_nonnull(tls_identity_callback());
    ck_assert_int_eq(tls_identity_open(TLS_DIR "rsa.crt", TLS_DIR "rsa.key", err, sizeof err), 0);
    ck_assert_int_eq(tls_identity_open(TLS_DIR "a.crt", TLS_DIR "b.key", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "does not belong to the certificate"), "%s", err);
    ck_assert_int_eq(tls_identity_open(TLS_DIR "a.crt", TLS_DIR "rsa.key", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "does not belong to the certificate"), "%s", err);
    ck_assert_int_eq(tls_identity_open(TLS_DIR "missing.crt", TLS_DIR "a.key", err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "missing.crt: no usable PEM certificate chain"), "%s", err);
    ck_assert_int_eq(tls_identity_open(TLS_DIR "a.key", TLS_DIR "a.key", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "no usable PEM certificate chain"), "%s", err);
    ck_assert_int_eq(tls_identity_open(TLS_DIR "a.crt", TLS_DIR "a.crt", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "no usable PEM private key"), "%s", err);
    tls_identity_close();
}
END_TEST

static const char *check(struct hook_auth *auth, const char *path, const char *authorization)
{
    struct http_request req = {.method = "POST", .path = path, .authorization = authorization};
    return hook_auth_check(auth, &req);
}

START_TEST(hooks_need_the_bearer_token)
{
    char path[] = "/tmp/hook-token-XXXXXX", err[256];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "s3cret\n", 7), 7);
    close(fd);
    struct hook_auth *auth = hook_auth_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(auth);
    ck_assert_ptr_null(check(auth, "/hooks/moneronodeset/sync", "Bearer s3cret"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/moneronodeset/sync", NULL));
    ck_assert_ptr_nonnull(check(auth, "/hooks/moneronodeset/sync", "Bearer s3cre"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/moneronodeset/sync", "bearer s3cret"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/x", "Basic czNjcmV0"));
    ck_assert_ptr_null(check(auth, "/healthz", NULL)); /* probes stay open */
    ck_assert_ptr_null(check(auth, "/metrics", NULL));
    ck_assert_ptr_null(check(NULL, "/hooks/moneronodeset/sync", NULL)); /* no token asked for */
    hook_auth_close(auth);
    fd = open(path, O_WRONLY | O_TRUNC);
    close(fd);
    ck_assert_ptr_null(hook_auth_open(path, err, sizeof err)); /* an empty token is refused */
    ck_assert_msg(strstr(err, "no token"), "%s", err);
    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_eq(write(fd, "  old-token \n\nnew-token\n", 24), 24);
    close(fd);
    auth = hook_auth_open(path, err, sizeof err); /* during a rotation, both */
    ck_assert_ptr_nonnull(auth);
    ck_assert_ptr_null(check(auth, "/hooks/x/sync", "Bearer old-token"));
    ck_assert_ptr_null(check(auth, "/hooks/x/sync", "Bearer new-token"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/x/sync", "Bearer old-token new-token"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/x/sync", "Bearer "));
    hook_auth_close(auth);
    unlink(path);
    /* a directory, as a mounted Secret: every key's tokens; the volume's own entries skipped */
    char dir[] = "/tmp/hook-tokens-XXXXXX", file[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *const files[][2] = {{"token", "current\n"}, {"next", "upcoming"}, {"..data", "x"}};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/%s", dir, files[i][0]);
        fd = open(file, O_WRONLY | O_CREAT, 0600);
        ck_assert_int_eq(write(fd, files[i][1], strlen(files[i][1])), (ssize_t)strlen(files[i][1]));
        close(fd);
    }
    auth = hook_auth_open(dir, err, sizeof err);
    ck_assert_ptr_nonnull(auth);
    ck_assert_ptr_null(check(auth, "/hooks/x/sync", "Bearer current"));
    ck_assert_ptr_null(check(auth, "/hooks/x/sync", "Bearer upcoming"));
    ck_assert_ptr_nonnull(check(auth, "/hooks/x/sync", "Bearer x"));
    hook_auth_close(auth);
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/%s", dir, files[i][0]);
        unlink(file);
    }
    rmdir(dir);
}
END_TEST

Suite *tls_suite(void)
{
    Suite *s = suite_create("tls");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, matching_pairs_load_others_are_refused_with_the_reason);
    tcase_add_test(tc, hooks_need_the_bearer_token);
    suite_add_tcase(s, tc);
    return s;
}
