/* Quantities: canonical forms must match what the Kubernetes API server stores, or the hooks'
 * desired objects would differ from the stored ones on every sync. */
#include "testlib.h"

#include "k8s/quantity.h"

#include <string.h>

static const struct {
    const char *in, *canonical;
} canonical_cases[] = {
    {"0", "0"},
    {"0Gi", "0"},
    {"00", "0"},
    {"1", "1"},
    {"1000m", "1"},
    {"5000m", "5"},
    {"1500m", "1500m"},
    {"1.5", "1500m"},
    {"0.5", "500m"},
    {"1.08", "1080m"},
    {"1080000000n", "1080m"},
    {"1000u", "1m"},
    {"100m", "100m"},
    {"1Ki", "1Ki"},
    {"1024Mi", "1Gi"},
    {"307200Ki", "300Mi"},
    {"1.5Gi", "1536Mi"},
    {"0.5Gi", "512Mi"},
    {"1.5Ki", "1536"},
    {"1025Ki", "1025Ki"},
    {".001Ki", "1024m"},
    {"1000M", "1G"},
    {"0.001T", "1G"},
    {"100M", "100M"},
    {"50k", "50k"},
    {"100.035k", "100035"},
    {"10.035M", "10035k"},
    {"1e3", "1e3"},
    {"1E6", "1e6"},
    {"1.2e3", "1200"},
    {".001e12", "1e9"},
    {"0.001e0", "1e-3"},
    {"1000e-12", "1e-9"},
    {"80e-3", "80e-3"},
    {"1E", "1E"},
    {"2P", "2P"},
    {"+2Gi", "2Gi"},
    {"-1500m", "-1500m"},
    {"150Gi", "150Gi"},
    {"350Gi", "350Gi"},
    {"1.G", "1G"},
    {"9.01", "9010m"},
    {"1n", "1n"},
};

START_TEST(canonical_forms)
{
    char out[64];
    const char *reason;
    for (size_t i = 0; i < sizeof canonical_cases / sizeof *canonical_cases; i++) {
        bool ok = quantity_canonical(canonical_cases[i].in, out, sizeof out, &reason);
        ck_assert_msg(ok, "%s: %s", canonical_cases[i].in, reason);
        ck_assert_msg(strcmp(out, canonical_cases[i].canonical) == 0, "%s -> %s, want %s",
                      canonical_cases[i].in, out, canonical_cases[i].canonical);
    }
}
END_TEST

START_TEST(canonical_is_a_fixed_point)
{
    char once[64], twice[64];
    const char *reason;
    for (size_t i = 0; i < sizeof canonical_cases / sizeof *canonical_cases; i++) {
        ck_assert(quantity_canonical(canonical_cases[i].in, once, sizeof once, &reason));
        ck_assert(quantity_canonical(once, twice, sizeof twice, &reason));
        ck_assert_str_eq(once, twice);
    }
}
END_TEST

START_TEST(rejects_malformed)
{
    static const char *const bad[] = {"",    "1.1.M", "1+1.0M", "0.1mi",   "0.1am", "aoeu",
                                      ".5i", "1i",    "-3.01i", "-3.01e-", " 1",    "1 ",
                                      ".",   "-",     "Gi",     "1GB",     "1e",    "1e+",
                                      "12E", "9Ei",   "0.1n",   "1e99999"};
    struct quantity q;
    const char *reason;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!quantity_parse(bad[i], &q, &reason), "\"%s\" parsed", bad[i]);
}
END_TEST

START_TEST(largest_values)
{
    char out[64];
    const char *reason;
    ck_assert(quantity_canonical("9223372036854775807", out, sizeof out, &reason));
    ck_assert_str_eq(out, "9223372036854775807");
    ck_assert(quantity_canonical("7Ei", out, sizeof out, &reason));
    ck_assert_str_eq(out, "7Ei");
    ck_assert(!quantity_canonical("9223372036854775808", out, sizeof out, &reason));
    ck_assert(!quantity_canonical("8Ei", out, sizeof out, &reason));
}
END_TEST

START_TEST(compares_by_value)
{
    struct quantity a, b;
    const char *reason;
    static const struct {
        const char *x, *y;
        int cmp;
    } cases[] = {{"0", "0", 0},          {"100m", "50m", 1},   {"50m", "100m", -1},
                 {"10000T", "100Gi", 1}, {"1Gi", "1024Mi", 0}, {"1", "1000m", 0},
                 {"-1", "1", -1},        {"2Gi", "2G", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ck_assert(quantity_parse(cases[i].x, &a, &reason));
        ck_assert(quantity_parse(cases[i].y, &b, &reason));
        ck_assert_int_eq(quantity_compare(&a, &b), cases[i].cmp);
        ck_assert_int_eq(quantity_compare(&b, &a), -cases[i].cmp);
    }
}
END_TEST

Suite *quantity_suite(void)
{
    Suite *s = suite_create("quantity");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, canonical_forms);
    tcase_add_test(tc, canonical_is_a_fixed_point);
    tcase_add_test(tc, rejects_malformed);
    tcase_add_test(tc, largest_values);
    tcase_add_test(tc, compares_by_value);
    suite_add_tcase(s, tc);
    return s;
}
