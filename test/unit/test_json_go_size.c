/* json_go_size against an independent count: jansson's compact dump (which escapes '"', '\\' and
 * control characters, \b \f \n \r \t short) plus what Go's json.Marshal adds: five bytes for each
 * '<', '>' and '&', three for each U+2028 and U+2029, four for each backspace and form feed
 * (\u0008 and \u000c), on every fixture and on generated strings. */
#include "testlib.h"

#include "hooks/sync_answer_rules.h"
#include "json/json_go_size.h"
#include "json/json_write.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t reference_size(const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    ck_assert_ptr_nonnull(text);
    size_t n = strlen(text);
    for (const char *p = text; *p; p++) {
        if (*p == '<' || *p == '>' || *p == '&')
            n += 5;
        else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
                 ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9))
            n += 3;
        else if (p[0] == '\\' && (p[1] == 'b' || p[1] == 'f'))
            n += 4, p++;
        else if (p[0] == '\\')
            p++; /* an escape's second byte is never one of the above */
    }
    free(text);
    return n;
}

static void check_file(const char *path)
{
    json_t *v = test_load_json(path);
    ck_assert_msg(json_go_size(v) == reference_size(v), "%s: %zu, reference %zu", path,
                  json_go_size(v), reference_size(v));
    json_decref(v);
}

START_TEST(fixtures_count_as_go_writes_them)
{
    char dir[512], path[1024];
    static const char *const hooks[] = {"moneronodeset", "moneronetwork", "monerominingnodeset"};
    size_t files = 0;
    for (size_t h = 0; h < 3; h++) {
        snprintf(dir, sizeof dir, "%s/%s", test_fixtures_dir(), hooks[h]);
        DIR *d = opendir(dir);
        ck_assert_ptr_nonnull(d);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s/response.json", dir, e->d_name);
            FILE *f = fopen(path, "r");
            if (!f)
                continue;
            fclose(f);
            check_file(path);
            files++;
        }
        closedir(d);
    }
    ck_assert_uint_gt(files, 30);
}
END_TEST

START_TEST(generated_strings_count_as_go_writes_them)
{
    static const char *const pieces[] = {"a",
                                         "<",
                                         ">",
                                         "&",
                                         "\"",
                                         "\\",
                                         "\n",
                                         "\t",
                                         "\r",
                                         "\b",
                                         "\f",
                                         "\x01",
                                         "\x1f",
                                         "/",
                                         "\xc3\xa9",
                                         "\xe2\x80\xa8",
                                         "\xe2\x80\xa9",
                                         "\xe2\x80\xa7",
                                         "\xf0\x9f\x98\x80",
                                         " "};
    srand(7);
    for (int round = 0; round < 2000; round++) {
        char text[512] = "";
        size_t len = 0;
        for (int k = rand() % 40; k > 0; k--) {
            const char *p = pieces[rand() % (int)(sizeof pieces / sizeof *pieces)];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        text[len] = '\0';
        json_t *v = json_pack("{s:[s,i,b,n], s:s}", text, text, (json_int_t)(rand() - RAND_MAX / 2),
                              round % 2, "k", text);
        ck_assert_ptr_nonnull(v);
        ck_assert_uint_eq(json_go_size(v), reference_size(v));
        ck_assert_uint_eq(json_go_string_size(text, len), reference_size(json_object_get(v, "k")));
        json_decref(v);
    }
}
END_TEST

/* The one-pass count over a written answer equals json_go_size of each child. */
static void check_answer(json_t *answer)
{
    size_t len = 0, n = json_array_size(json_object_get(answer, "children"));
    char *text = json_write_canonical(answer, &len);
    size_t *sizes = calloc(n + 1, sizeof *sizes);
    ck_assert_uint_eq(sync_answer_children_go_sizes(text, len, sizes, n), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(sizes[i],
                          json_go_size(json_array_get(json_object_get(answer, "children"), i)));
    free(sizes);
    free(text);
}

START_TEST(written_answers_count_as_their_children)
{
    char path[1024];
    static const char *const cases[] = {"moneronodeset/steady-state",
                                        "moneronodeset/tor-i2p-steady-state",
                                        "moneronetwork/mesh-4", "monerominingnodeset/steady-state"};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        snprintf(path, sizeof path, "%s/%s/response.json", test_fixtures_dir(), cases[c]);
        json_t *answer = test_load_json(path);
        check_answer(answer);
        json_decref(answer);
    }
    json_t *tricky = json_pack("{s:[{s:s, s:[s,s,s], s:{s:s}}, {s:s}, {}], s:{s:s}}", "children",
                               "a", "x<y>&z\u2028\u2029", "b", "\\b\b\f\\f", "]}\"{[", "\\\"", "c",
                               "k<", "v&", "d", "\xe2\x80\xa7", "status", "s", "<>");
    ck_assert_ptr_nonnull(tricky);
    check_answer(tricky);
    json_decref(tricky);
}
END_TEST

Suite *json_go_size_suite(void)
{
    Suite *s = suite_create("json_go_size");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fixtures_count_as_go_writes_them);
    tcase_add_test(tc, generated_strings_count_as_go_writes_them);
    tcase_add_test(tc, written_answers_count_as_their_children);
    suite_add_tcase(s, tc);
    return s;
}
