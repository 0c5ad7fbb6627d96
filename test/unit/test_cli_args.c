/* Program arguments (monerod, xmrig): prefix resolution as monerod does it, reserved flags,
 * replaced defaults, and the user's order. */
#include "testlib.h"

#include "daemons/cli_args.h"
#include "daemons/cli_flags.h"

#include <string.h>

static json_t *args_of(const char *json)
{
    json_t *v = json_loads(json, 0, NULL);
    ck_assert_ptr_nonnull(v);
    return v;
}

START_TEST(prefixes_resolve_like_monerod)
{
    const struct cli_flag *f;
    ck_assert_int_eq(cli_flag_resolve(&monerod_flags, "public", 6, &f), FLAG_MATCH_PREFIX);
    ck_assert_str_eq(f->name, "public-node");
    ck_assert_int_eq(cli_flag_resolve(&monerod_flags, "data", 4, &f), FLAG_MATCH_PREFIX);
    ck_assert_str_eq(f->name, "data-dir");
    ck_assert_int_eq(cli_flag_resolve(&monerod_flags, "rpc-bind-ip", 11, &f), FLAG_MATCH_EXACT);
    ck_assert_int_eq(cli_flag_resolve(&monerod_flags, "rpc", 3, &f), FLAG_MATCH_AMBIGUOUS);
    ck_assert_int_eq(cli_flag_resolve(&monerod_flags, "no-such-flag", 12, &f), FLAG_MATCH_NONE);
}
END_TEST

START_TEST(values_inline_and_separate)
{
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"--out-peers=64\", \"--in-peers\", \"32\", \"--prune-blockchain\", "
                        "\"--limit-rate-up\", \"-1\"]");
    ck_assert_int_eq(cli_args_parse(&monerod_flags, v, "args", &a, &err), 0);
    ck_assert_uint_eq(a.count, 4);
    ck_assert_str_eq(cli_args_find(&a, "out-peers")->value, "64");
    ck_assert_str_eq(cli_args_find(&a, "in-peers")->value, "32");
    ck_assert_ptr_null(cli_args_find(&a, "prune-blockchain")->value);
    ck_assert_str_eq(cli_args_find(&a, "limit-rate-up")->value, "-1");
    json_decref(v);
}
END_TEST

static void expect_refused(const char *json, const char *fragment)
{
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of(json);
    ck_assert_msg(cli_args_parse(&monerod_flags, v, "spec.monerod.args", &a, &err) < 0,
                  "%s accepted", json);
    ck_assert_msg(strstr(err.message, fragment), "%s: message \"%s\" lacks \"%s\"", json,
                  err.message, fragment);
    json_decref(v);
}

START_TEST(malformed_args_are_refused)
{
    expect_refused("[\"status\"]", "spec.monerod.args[0]");
    expect_refused("[\"-x\"]", "not an option");
    expect_refused("[\"--rpc\"]", "ambiguous");
    expect_refused("[\"--out-peers\"]", "needs a value");
    expect_refused("[\"--offline=1\"]", "switch");
    expect_refused("[\"--out-peers=1\", \"--out-peers=2\"]", "more than once");
    expect_refused("[\"--log-file=/x\\ny\"]", "printable");
    expect_refused("[\"\"]", "printable");
    expect_refused("[42]", "must be a string");
    expect_refused("{}", "list of strings");
}
END_TEST

START_TEST(repeatable_flags_may_repeat)
{
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"--add-peer=a:1\", \"--add-peer\", \"b:2\"]");
    ck_assert_int_eq(cli_args_parse(&monerod_flags, v, "args", &a, &err), 0);
    ck_assert_uint_eq(a.count, 2);
    json_decref(v);
}
END_TEST

START_TEST(reserved_flags_found_through_prefixes)
{
    static const struct cli_reserved reserved[] = {{"data-dir", "owned"}};
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"--offline\", \"--data\", \"/elsewhere\"]");
    ck_assert_int_eq(cli_args_parse(&monerod_flags, v, "spec.monerod.args", &a, &err), 0);
    ck_assert_int_eq(cli_args_check_reserved(&a, "spec.monerod.args", reserved, 1, &err), -1);
    ck_assert_str_eq(err.message, "spec.monerod.args[1]: --data-dir is managed by the operator: "
                                  "owned");
    json_decref(v);
}
END_TEST

START_TEST(user_value_replaces_default_and_order_is_kept)
{
    static const struct cli_default defaults[] = {
        {"non-interactive", NULL, {NULL}},
        {"out-peers", "12", {NULL}},
        {"no-zmq", NULL, {"zmq-pub", NULL}},
        {"enable-dns-blocklist", NULL, {NULL}},
    };
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"--zmq-pub=tcp://0.0.0.0:18083\", \"--out-peers\", \"64\", "
                        "\"--enable-dns\"]");
    ck_assert_int_eq(cli_args_parse(&monerod_flags, v, "args", &a, &err), 0);
    json_t *argv = cli_argv_compose(defaults, 4, &a);
    json_t *want = args_of("[\"--non-interactive\", \"--zmq-pub=tcp://0.0.0.0:18083\", "
                           "\"--out-peers\", \"64\", \"--enable-dns\"]");
    ck_assert_msg(json_equal(argv, want), "%s", json_dumps(argv, 0));
    json_decref(argv);
    json_decref(want);
    json_decref(v);
}
END_TEST

START_TEST(unknown_newer_flags_pass_through_with_their_value)
{
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"--some-future-flag\", \"value\", \"--offline\"]");
    ck_assert_int_eq(cli_args_parse(&monerod_flags, v, "args", &a, &err), 0);
    ck_assert_uint_eq(a.count, 2);
    ck_assert_ptr_null(a.options[0].flag);
    ck_assert_str_eq(a.options[0].value, "value");
    json_decref(v);
}
END_TEST

START_TEST(xmrig_short_options_as_getopt_reads_them)
{
    struct cli_args a;
    struct spec_error err;
    json_t *v = args_of("[\"-opool:1\", \"-u\", \"w\", \"-kt\", \"4\", \"--ur=p2:2\", \"-Z\"]");
    ck_assert_int_eq(cli_args_parse(&xmrig_flags, v, "args", &a, &err), 0);
    ck_assert_uint_eq(a.count, 6);
    ck_assert_str_eq(a.options[0].flag->name, "url");
    ck_assert_str_eq(a.options[0].value, "pool:1");
    ck_assert_str_eq(a.options[1].flag->name, "user");
    ck_assert_str_eq(a.options[1].value, "w");
    ck_assert_str_eq(a.options[2].flag->name, "keepalive");
    ck_assert_str_eq(a.options[3].flag->name, "threads");
    ck_assert_str_eq(a.options[3].value, "4");
    ck_assert_str_eq(a.options[4].flag->name, "url");
    ck_assert_ptr_null(a.options[5].flag); /* unknown letters pass through */
    json_decref(v);
    v = args_of("[\"--randomx-wrmsr=-1\", \"--tls=yes\"]");
    ck_assert_int_eq(cli_args_parse(&xmrig_flags, v, "args", &a, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "args[1]: --tls is a switch"));
    json_decref(v);
}
END_TEST

Suite *monerod_args_suite(void)
{
    Suite *s = suite_create("monerod_args");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, prefixes_resolve_like_monerod);
    tcase_add_test(tc, values_inline_and_separate);
    tcase_add_test(tc, malformed_args_are_refused);
    tcase_add_test(tc, repeatable_flags_may_repeat);
    tcase_add_test(tc, reserved_flags_found_through_prefixes);
    tcase_add_test(tc, user_value_replaces_default_and_order_is_kept);
    tcase_add_test(tc, unknown_newer_flags_pass_through_with_their_value);
    tcase_add_test(tc, xmrig_short_options_as_getopt_reads_them);
    suite_add_tcase(s, tc);
    return s;
}
