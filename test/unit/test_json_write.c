/* json_write against jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY): the
 * same bytes, or the same refusal, on every fixture and on generated values (control
 * characters, NUL bytes, invalid UTF-8, extreme integers, reals, unsortable-looking keys). */
#include "testlib.h"

#include "json/json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)

static void same_text(const json_t *v)
{
    char *want = json_dumps(v, FLAGS);
    size_t len = 0;
    char *got = json_write_canonical(v, &len);
    if (!want || !got) {
        ck_assert_msg(!want && !got, "jansson %s, json_write %s", want ? want : "(refuses)",
                      got ? got : "(refuses)");
        return;
    }
    ck_assert_msg(strcmp(want, got) == 0, "differ:\n%.400s\n%.400s", want, got);
    ck_assert_uint_eq(len, strlen(want));
    free(want);
    free(got);
}

START_TEST(fixtures_write_the_same)
{
    static const char *const hooks[] = {"moneronodeset", "moneronetwork", "monerominingnodeset"};
    static const char *const cases[] = {
        "first-sync",   "steady-state",        "scale-up", "tor-only", "ring-8",
        "solo-network", "tor-i2p-steady-state"};
    char path[512];
    size_t files = 0;
    for (size_t h = 0; h < 3; h++)
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
            for (int which = 0; which < 2; which++) {
                snprintf(path, sizeof path, "%s/%s/%s/%s", test_fixtures_dir(), hooks[h], cases[c],
                         which ? "response.json" : "request.json");
                json_error_t e;
                json_t *v = json_load_file(path, 0, &e);
                if (!v)
                    continue;
                same_text(v);
                json_decref(v);
                files++;
            }
    ck_assert_uint_gt(files, 15);
}
END_TEST

static unsigned long long seed;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((seed >> 33) % n);
}

static json_t *random_string(void)
{
    static const char *const pieces[] = {"a",    "Z",        "\"",           "\\",
                                         "/",    "\b",       "\f",           "\n",
                                         "\r",   "\t",       "\x01",         "\x1f",
                                         "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\xff", "\xc0\xaf", "\xed\xa0\x80", " "};
    char buf[64];
    size_t n = 0;
    for (unsigned i = 0, k = rnd(6); i < k; i++) {
        const char *p = pieces[rnd(sizeof pieces / sizeof *pieces)];
        memcpy(buf + n, p, strlen(p));
        n += strlen(p);
    }
    if (rnd(8) == 0)
        buf[n++] = '\0';
    return json_stringn_nocheck(buf, n); /* may be invalid UTF-8 on purpose */
}

static json_t *random_value(int depth)
{
    static const double reals[] = {0.1,        -0.0, 1e300, 1e-300, 4.9e-324,
                                   123456.789, -2.5, 1e21,  1e16,   0.000123};
    static const json_int_t ints[] = {0, -1, 42, 9223372036854775807LL, -9223372036854775807LL - 1};
    switch (depth > 4 ? 2 + rnd(5) : rnd(7)) {
    case 0: {
        json_t *o = json_object();
        for (unsigned i = 0, n = rnd(6); i < n; i++) {
            static const char *const keys[] = {"a", "b", "ab", "", "B", "a\xc3\xa9", "z", "aa"};
            json_object_set_new_nocheck(o, keys[rnd(8)], random_value(depth + 1));
        }
        return o;
    }
    case 1: {
        json_t *a = json_array();
        for (unsigned i = 0, n = rnd(5); i < n; i++)
            json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    case 2:
        return random_string();
    case 3:
        return json_integer(rnd(2) ? ints[rnd(5)] : (json_int_t)rnd(100000) - 50000);
    case 4:
        return json_real(reals[rnd(10)] * (rnd(2) ? 1 : -3));
    case 5:
        return rnd(2) ? json_true() : json_false();
    default:
        return json_null();
    }
}

START_TEST(generated_values_write_the_same)
{
    seed = 99;
    for (int i = 0; i < 50000; i++) {
        json_t *v = random_value(0);
        same_text(v);
        json_decref(v);
    }
}
END_TEST

Suite *json_write_suite(void)
{
    Suite *s = suite_create("json_write");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, fixtures_write_the_same);
    tcase_add_test(t, generated_values_write_the_same);
    suite_add_tcase(s, t);
    return s;
}
