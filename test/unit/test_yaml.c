/* YAML: scalars resolve as kubectl's decoder resolves them, errors name line and column, hostile
 * input is bounded, and what we write reads back identically. */
#include "testlib.h"

#include "json/yaml_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *parse_one(const char *text)
{
    char err[256];
    json_t *docs = yaml_stream_to_json(text, strlen(text), err, sizeof err);
    ck_assert_msg(docs != NULL, "%s", err);
    ck_assert_uint_eq(json_array_size(docs), 1);
    json_t *doc = json_incref(json_array_get(docs, 0));
    json_decref(docs);
    return doc;
}

START_TEST(scalars_resolve_like_kubectl)
{
    json_t *d = parse_one("a: true\nb: yes\nc: off\nd: ~\ne: 010\nf: 0x1F\ng: 1.5\nh: 3.0\n"
                          "i: '3'\nj: \"true\"\nk: !!str 12\nl: 1_000\nm: hello\nn: .inf\no: -7\n");
    const char *want = "{\"a\":true,\"b\":true,\"c\":false,\"d\":null,\"e\":8,\"f\":31,\"g\":1.5,"
                       "\"h\":3,\"i\":\"3\",\"j\":\"true\",\"k\":\"12\",\"l\":1000,"
                       "\"m\":\"hello\",\"n\":\".inf\",\"o\":-7}";
    json_t *expected = json_loads(want, 0, NULL);
    char where[128];
    ck_assert_msg(test_json_equal(expected, d, where, sizeof where), "differs at %s", where);
    json_decref(expected);
    json_decref(d);
}
END_TEST

START_TEST(streams_skip_empty_documents)
{
    char err[256];
    const char *text = "---\n---\na: 1\n---\n# only a comment\n---\n- x\n...\n";
    json_t *docs = yaml_stream_to_json(text, strlen(text), err, sizeof err);
    ck_assert_ptr_nonnull(docs);
    ck_assert_uint_eq(json_array_size(docs), 2);
    json_decref(docs);
}
END_TEST

static void expect_error(const char *text, const char *fragment)
{
    char err[256];
    json_t *docs = yaml_stream_to_json(text, strlen(text), err, sizeof err);
    ck_assert_msg(docs == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(err, fragment), "\"%s\" lacks \"%s\"", err, fragment);
}

START_TEST(errors_name_line_and_column)
{
    expect_error("a: 1\nb: [1, 2\n", "line 3 column 1");
    expect_error("a: 1\na: 2\n", "line 2 column 1: duplicate mapping key");
    expect_error("a: *nope\n", "unknown alias");
    expect_error("base: &b {x: 1}\nc:\n  <<: *b\n", "merge keys");
    expect_error("? [1, 2]\n: x\n", "mapping keys must be scalars");
    /* a scalar document cut short by an error (found by fuzz-render: it leaked the scalar) */
    expect_error("apiVersion:!x\nkind: y\n", "line 2 column 5: mapping values are not allowed");
}
END_TEST

START_TEST(alias_bombs_are_bounded)
{
    char text[4096] = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++, prev++) {
        char line[128];
        snprintf(line, sizeof line, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
                 c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev);
        strcat(text, line);
    }
    expect_error(text, "too large");
}
END_TEST

START_TEST(deep_nesting_is_bounded)
{
    char text[1024] = "";
    for (int i = 0; i < 100; i++)
        strcat(text, "[");
    expect_error(text, "nested too deeply");
}
END_TEST

START_TEST(written_yaml_reads_back_identically)
{
    const char *json = "[{\"s\":[\"true\",\"0755\",\"1e3\",\"~\",\"\",\"yes\",\"a: b\",\"- x\","
                       "\"line1\\nline2\\n\",\"#x\",\"plain\",\"3.0\",\"null\",\"@x\"],"
                       "\"n\":[1,-2,0],\"b\":[true,false],\"z\":null,\"e\":{},\"l\":[],"
                       "\"nested\":{\"k\":{\"k\":[{\"a\":1}]}}}]";
    json_t *docs = json_loads(json, 0, NULL);
    char *out = NULL, err[256];
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    ck_assert_int_eq(yaml_stream_write(f, docs), 0);
    fclose(f);
    json_t *back = yaml_stream_to_json(out, len, err, sizeof err);
    ck_assert_msg(back != NULL, "%s\n%s", err, out);
    char where[128];
    ck_assert_msg(test_json_equal(docs, back, where, sizeof where), "differs at %s:\n%s", where,
                  out);
    free(out);
    json_decref(back);
    json_decref(docs);
}
END_TEST

Suite *yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, scalars_resolve_like_kubectl);
    tcase_add_test(tc, streams_skip_empty_documents);
    tcase_add_test(tc, errors_name_line_and_column);
    tcase_add_test(tc, alias_bombs_are_bounded);
    tcase_add_test(tc, deep_nesting_is_bounded);
    tcase_add_test(tc, written_yaml_reads_back_identically);
    suite_add_tcase(s, tc);
    return s;
}
