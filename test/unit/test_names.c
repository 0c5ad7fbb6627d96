/* Kubernetes name rules used to refuse specs whose children could not be created. */
#include "testlib.h"

#include "k8s/k8s_names.h"

START_TEST(labels_and_subdomains)
{
    ck_assert(k8s_is_dns1123_label("a"));
    ck_assert(k8s_is_dns1123_label("0abc-9"));
    ck_assert(!k8s_is_dns1123_label("-a"));
    ck_assert(!k8s_is_dns1123_label("a-"));
    ck_assert(!k8s_is_dns1123_label("A"));
    ck_assert(!k8s_is_dns1123_label(""));
    ck_assert(!k8s_is_dns1123_label("a.b"));
    ck_assert(
        k8s_is_dns1123_label("a23456789012345678901234567890123456789012345678901234567890123"));
    ck_assert(
        !k8s_is_dns1123_label("a234567890123456789012345678901234567890123456789012345678901234"));
    ck_assert(k8s_is_dns1035_label("nodes"));
    ck_assert(!k8s_is_dns1035_label("1nodes"));
    ck_assert(k8s_is_dns1123_subdomain("fast.ssd-class"));
    ck_assert(!k8s_is_dns1123_subdomain("fast..ssd"));
    ck_assert(!k8s_is_dns1123_subdomain("Fast"));
}
END_TEST

START_TEST(label_values)
{
    ck_assert(k8s_is_label_value(""));
    ck_assert(k8s_is_label_value("ssd"));
    ck_assert(k8s_is_label_value("A_b.c-1"));
    ck_assert(!k8s_is_label_value("-a"));
    ck_assert(!k8s_is_label_value("a b"));
    ck_assert(!k8s_is_label_value("a/b"));
}
END_TEST

Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, labels_and_subdomains);
    tcase_add_test(tc, label_values);
    suite_add_tcase(s, tc);
    return s;
}
