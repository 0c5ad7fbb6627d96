/* json_fast against jansson's json_loadb: the same inputs accepted, the same values (types, key
 * order, string bytes) produced, on the fixtures, on hand-picked edge cases, and on hundreds of
 * thousands of mutated and generated inputs. */
#include "testlib.h"

#include "json/json_fast.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const size_t flag_sets[] = {0,
                                   JSON_REJECT_DUPLICATES,
                                   JSON_ALLOW_NUL,
                                   JSON_DECODE_INT_AS_REAL,
                                   JSON_DECODE_ANY,
                                   JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL};

static char *dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Fails the test unless both readers agree on `text` under `flags`. */
static void agree(const char *text, size_t len, size_t flags)
{
    json_error_t je, fe;
    json_t *want = json_loadb(text, len, flags, &je);
    json_t *got = json_fast_loadb(text, len, flags, &fe);
    if (!want || !got) {
        if (want || got) {
            FILE *f = getenv("JSON_FAST_DUMP") ? fopen(getenv("JSON_FAST_DUMP"), "wb") : NULL;
            if (f) { /* the whole input, for a closer look */
                fwrite(text, 1, len, f);
                fclose(f);
            }
            char shown[200];
            size_t n = len < 60 ? len : 60;
            for (size_t i = 0, at = 0; i < n && at + 5 < sizeof shown; i++)
                at += (size_t)snprintf(
                    shown + at, sizeof shown - at,
                    (unsigned char)text[i] >= 0x20 && text[i] != 0x7f ? "%c" : "\\x%02x",
                    (unsigned char)text[i]);
            ck_abort_msg("flags %zx, input \"%s\"(%zu bytes): jansson %s (%s), json_fast %s (%s)",
                         flags, shown, len, want ? "accepts" : "rejects", want ? "" : je.text,
                         got ? "accepts" : "rejects", got ? "" : fe.text);
        }
        ck_assert_str_ne(fe.text, ""); /* a rejection says why */
        return;
    }
    char *a = dump(want), *b = dump(got);
    ck_assert_msg(json_equal(want, got) && strcmp(a, b) == 0, "values differ:\n%.300s\n%.300s", a,
                  b);
    free(a);
    free(b);
    json_decref(want);
    json_decref(got);
}

static void agree_all_flags(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof flag_sets / sizeof *flag_sets; i++)
        agree(text, len, flag_sets[i]);
}

START_TEST(edge_cases)
{
    static const char *const cases[] = {
        "{}",
        "[]",
        " \t\r\n[ ] \n",
        "",
        " ",
        "[",
        "]",
        "{",
        "}",
        "[1,]",
        "{\"a\":1,}",
        "[,1]",
        "{,}",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{1:2}",
        "[\"a\":1]",
        "[1]x",
        "[1] [2]",
        "1",
        "-1",
        "\"s\"",
        "true",
        "null",
        "[true,false,null]",
        "[True]",
        "[nul]",
        "[nulll]",
        "[truefalse]",
        "[true1]",
        "[0]",
        "[-0]",
        "[-0.0]",
        "[0.0]",
        "[01]",
        "[-01]",
        "[00]",
        "[1.]",
        "[.5]",
        "[1.e5]",
        "[1e]",
        "[1e+]",
        "[1E-3]",
        "[1e+999]",
        "[-1e999]",
        "[1e-999]",
        "[2.2250738585072011e-308]",
        "[4.9e-324]",
        "[1.7976931348623157e308]",
        "[+1]",
        "[-]",
        "[-a]",
        "[9223372036854775807]",
        "[9223372036854775808]",
        "[-9223372036854775808]",
        "[-9223372036854775809]",
        "[18446744073709551616]",
        "[123456789012345678901234567890]",
        "[0.1e1]",
        "[1E400]",
        "[1.5e308, -1.5e308]",
        "[\"\"]",
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
        "[\"\\x\"]",
        "[\"\\u\"]",
        "[\"\\u12\"]",
        "[\"\\u12G4\"]",
        "[\"\\u0041\\u00e9\\u20AC\"]",
        "[\"\\uD83D\\uDE00\"]",
        "[\"\\uD83D\"]",
        "[\"\\uD83Dx\"]",
        "[\"\\uD83D\\n\"]",
        "[\"\\uD83D\\u0041\"]",
        "[\"\\uDE00\"]",
        "[\"\\uD83D\\uD83D\"]",
        "[\"\\uD83D\\uDE0\"]",
        "[\"\\u0000\"]",
        "{\"\\u0000\":1}",
        "{\"a\\u0000b\":1}",
        "[\"a\\u0000b\"]",
        "[\"\\",
        "[\"abc",
        "[\"a\nb\"]",
        "[\"a\tb\"]",
        "[\"a\x7f\"]",
        "[\"\xc3\xa9\"]",
        "[\"\xe2\x82\xac\"]",
        "[\"\xf0\x9f\x98\x80\"]",
        "[\"\xc3\"]",
        "[\"\xc0\xaf\"]",
        "[\"\xc1\xbf\"]",
        "[\"\xe0\x80\xaf\"]",
        "[\"\xed\xa0\x80\"]",
        "[\"\xf4\x90\x80\x80\"]",
        "[\"\xf5\x80\x80\x80\"]",
        "[\"\xff\"]",
        "[\"\x80\"]",
        "[\"\xe2\x82\"]",
        "[\xc3\xa9]",
        "\xef\xbb\xbf[]",
        "[1]\xff",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"b\":{\"a\":2}}",
        "{\"\":1}",
        "{\"a\":[{\"b\":{}}]}",
        "[1, 2.5, -3, \"x\", {\"k\": [true]}]",
        "{\"k\\n\\u00e9\":\"v\"}",
        "{\"\\u0061\":1,\"a\":2}",
        "[\"\\/\"]",
        "[1\x00]",
        "[\"a\x00\"]",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        agree_all_flags(cases[i], strlen(cases[i]));
    /* NUL bytes, which C string literals cannot carry: lengths are explicit */
    static const struct {
        const char *text;
        size_t len;
    } raw[] = {
        {"[1]\x00", 4},      {"[1\x00]", 4},       {"[1\x00\x00]", 5},
        {"[true\x00,2]", 9}, {"[null\x00 ]", 8},   {"[1.5\x00]", 6},
        {"[\"a\x00\"]", 6},  {"{\"a\"\x00:1}", 9}, {"[1,\x002]", 6},
        {"1\x00", 2},        {"\x00[]", 3},        {"[-\x00]", 4},
        {"[1e5\x00\n]", 7},  {"[0\x00]", 4},       {"{\"k\":false\x00}", 12},
    };
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++)
        agree_all_flags(raw[i].text, raw[i].len);
}
END_TEST

static char *nested(size_t depth, const char *inner)
{
    size_t n = strlen(inner);
    char *s = malloc(depth * 2 + n + 1), *p = s;
    memset(p, '[', depth);
    p += depth;
    memcpy(p, inner, n);
    p += n;
    memset(p, ']', depth);
    p[depth] = '\0';
    return s;
}

START_TEST(depth_limit_is_jansson_s)
{
    for (size_t d = JSON_PARSER_MAX_DEPTH - 2; d <= JSON_PARSER_MAX_DEPTH + 1; d++) {
        char *a = nested(d, ""), *b = nested(d, "1");
        agree_all_flags(a, strlen(a));
        agree_all_flags(b, strlen(b));
        free(a);
        free(b);
    }
}
END_TEST

/* Every fixture request and response, and the recorded monerod answers. */
static size_t for_each_fixture(void (*fn)(const char *, size_t))
{
    char path[1024];
    size_t files = 0;
    static const char *const hooks[] = {"moneronodeset", "moneronetwork", "monerominingnodeset"};
    for (size_t h = 0; h < 3; h++) {
        snprintf(path, sizeof path, "%s/%s", test_fixtures_dir(), hooks[h]);
        DIR *dir = opendir(path);
        ck_assert_ptr_nonnull(dir);
        struct dirent *e;
        while ((e = readdir(dir))) {
            for (int which = 0; which < 2 && e->d_name[0] != '.'; which++) {
                size_t len;
                snprintf(path, sizeof path, "%s/%s/%s/%s", test_fixtures_dir(), hooks[h], e->d_name,
                         which ? "response.json" : "request.json");
                char *text = test_read_file(path, &len);
                if (text) {
                    fn(text, len);
                    files++;
                    free(text);
                }
            }
        }
        closedir(dir);
    }
    return files;
}

static void agree_on_file(const char *text, size_t len)
{
    agree_all_flags(text, len);
}

START_TEST(fixtures_read_the_same)
{
    ck_assert_uint_gt(for_each_fixture(agree_on_file), 80);
}
END_TEST

static unsigned long long seed;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((seed >> 33) % n);
}

/* Bytes that steer a JSON reader into its edge cases. */
static const char interesting[] = "{}[]\":,\\/-+.0129eEuntrfalsbdDCF \t\r\n\x00\x01\x1f\x7f\x80"
                                  "\xbf\xc0\xc3\xa9\xe2\x82\xac\xed\xa0\xf0\x9f\xf4\xf5\xff";

static void mutate_and_agree(const char *text, size_t len)
{
    char *buf = malloc(len + 64);
    for (int round = 0; round < 400; round++) {
        size_t n = len;
        memcpy(buf, text, len);
        for (unsigned edits = 1 + rnd(4); edits-- > 0 && n > 0;) {
            size_t at = rnd((unsigned)n);
            switch (rnd(4)) {
            case 0: /* replace */
                buf[at] = interesting[rnd(sizeof interesting - 1)];
                break;
            case 1: /* insert */
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = interesting[rnd(sizeof interesting - 1)];
                n++;
                break;
            case 2: /* delete */
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
                break;
            default: /* truncate */
                n = at;
            }
        }
        agree(buf, n, rnd(2) ? JSON_REJECT_DUPLICATES : 0);
    }
    free(buf);
}

START_TEST(mutated_fixtures_read_the_same)
{
    seed = 20261123;
    for_each_fixture(mutate_and_agree);
}
END_TEST

/* Random documents from a small grammar, with random spacing and hostile tokens mixed in. */
static void generate(char *out, size_t *at, size_t cap, int depth)
{
    static const char *const atoms[] = {"0",
                                        "-0",
                                        "12",
                                        "-7",
                                        "3.25",
                                        "1e3",
                                        "-2.5E-3",
                                        "9223372036854775807",
                                        "true",
                                        "false",
                                        "null",
                                        "\"\"",
                                        "\"plain\"",
                                        "\"\\u00e9\\n\"",
                                        "\"\xc3\xa9\"",
                                        "\"\\uD83D\\uDE00\"",
                                        "\"a\\\"b\"",
                                        "1e999",
                                        "01",
                                        "\"\\u0000\"",
                                        "tru",
                                        "\"\\uDE00\"",
                                        "\"\xed\xa0\x80\""};
    static const char *const spaces[] = {"", " ", "\n", "\t", "\r\n  "};
    if (*at + 64 >= cap)
        return;
    int kind = depth > 6 ? 2 : (int)rnd(5);
    const char *space = spaces[rnd(5)];
    if (kind == 0) {
        *at += (size_t)snprintf(out + *at, cap - *at, "[%s", space);
        for (unsigned i = 0, n = rnd(4); i < n; i++) {
            if (i)
                *at += (size_t)snprintf(out + *at, cap - *at, ",%s", space);
            generate(out, at, cap, depth + 1);
        }
        *at += (size_t)snprintf(out + *at, cap - *at, "%s]", space);
    } else if (kind == 1) {
        *at += (size_t)snprintf(out + *at, cap - *at, "{%s", space);
        for (unsigned i = 0, n = rnd(4); i < n; i++)
            *at +=
                (size_t)snprintf(out + *at, cap - *at, "%s\"k%u\"%s:", i ? "," : "", rnd(3), space),
                generate(out, at, cap, depth + 1);
        *at += (size_t)snprintf(out + *at, cap - *at, "%s}", space);
    } else {
        *at +=
            (size_t)snprintf(out + *at, cap - *at, "%s", atoms[rnd(sizeof atoms / sizeof *atoms)]);
    }
}

START_TEST(generated_documents_read_the_same)
{
    seed = 7;
    char buf[16384];
    for (int i = 0; i < 100000; i++) {
        size_t at = 0;
        generate(buf, &at, sizeof buf, 0);
        agree(buf, at, flag_sets[rnd(sizeof flag_sets / sizeof *flag_sets)]);
    }
}
END_TEST

START_TEST(unsupported_flags_are_refused)
{
    json_error_t e;
    ck_assert_ptr_null(json_fast_loadb("[]", 2, JSON_DISABLE_EOF_CHECK, &e));
    ck_assert_str_eq(e.text, "wrong arguments");
    ck_assert_ptr_null(json_fast_loadb(NULL, 0, 0, &e));
}
END_TEST

Suite *json_fast_suite(void)
{
    Suite *s = suite_create("json_fast");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, edge_cases);
    tcase_add_test(t, depth_limit_is_jansson_s);
    tcase_add_test(t, fixtures_read_the_same);
    tcase_add_test(t, unsupported_flags_are_refused);
    suite_add_tcase(s, t);
    TCase *slow = tcase_create("differential");
    tcase_set_tags(slow, "slow");
    tcase_set_timeout(slow, 300);
    tcase_add_test(slow, mutated_fixtures_read_the_same);
    tcase_add_test(slow, generated_documents_read_the_same);
    suite_add_tcase(s, slow);
    return s;
}
