/* Topologies: simple, symmetric, connected graphs with the promised degrees, the same graph for
 * the same seed, and O(n*k) size for ring and random. */
#include "testlib.h"

#include "daemons/topology.h"

#include <stdlib.h>
#include <string.h>

/* Checks symmetry, no self-links, no duplicates; returns the degree histogram's min and max. */
static void check_simple(const struct topology *t, size_t *min_degree, size_t *max_degree)
{
    size_t links = 0;
    *min_degree = (size_t)-1;
    *max_degree = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t d = t->offsets[i + 1] - t->offsets[i];
        links += d;
        *min_degree = d < *min_degree ? d : *min_degree;
        *max_degree = d > *max_degree ? d : *max_degree;
        for (size_t p = t->offsets[i]; p < t->offsets[i + 1]; p++) {
            uint32_t j = t->peers[p];
            ck_assert_uint_ne(j, i);
            if (p > t->offsets[i])
                ck_assert_uint_lt(t->peers[p - 1], j); /* sorted, hence no duplicates */
            bool back = false;
            for (size_t q = t->offsets[j]; q < t->offsets[j + 1]; q++)
                back = back || t->peers[q] == i;
            ck_assert_msg(back, "link %zu-%u is one-way", i, j);
        }
    }
    ck_assert_uint_eq(links, 2 * t->edges);
}

START_TEST(mesh_and_ring)
{
    static const size_t sizes[] = {1, 2, 3, 4, 7, 50};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s], lo, hi;
        struct topology t;
        ck_assert_int_eq(topology_build(TOPOLOGY_MESH, n, 0, 0, &t), 0);
        check_simple(&t, &lo, &hi);
        ck_assert_uint_eq(lo, n - 1);
        ck_assert_uint_eq(hi, n - 1);
        ck_assert(topology_is_connected(&t));
        topology_free(&t);
        ck_assert_int_eq(topology_build(TOPOLOGY_RING, n, 0, 0, &t), 0);
        check_simple(&t, &lo, &hi);
        ck_assert_uint_eq(hi, n >= 3 ? 2 : n - 1);
        ck_assert_uint_eq(lo, hi);
        ck_assert_uint_eq(t.edges, n >= 3 ? n : n - 1);
        ck_assert(topology_is_connected(&t));
        topology_free(&t);
    }
}
END_TEST

START_TEST(random_is_regular_and_connected)
{
    static const size_t sizes[] = {3, 4, 5, 6, 7, 10, 33, 100, 1000};
    static const size_t degrees[] = {2, 3, 4, 5, 8};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t d = 0; d < sizeof degrees / sizeof *degrees; d++)
            for (uint64_t seed = 0; seed < 5; seed++) {
                size_t n = sizes[s], k = degrees[d] < n ? degrees[d] : n - 1, lo, hi;
                struct topology t;
                ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, n, k, seed, &t), 0);
                check_simple(&t, &lo, &hi);
                ck_assert_msg(hi == k && (lo == k || (lo == k - 1 && (n * k) % 2 == 1)),
                              "n=%zu k=%zu seed=%llu: degrees %zu..%zu", n, k,
                              (unsigned long long)seed, lo, hi);
                ck_assert_msg(topology_is_connected(&t), "n=%zu k=%zu seed=%llu disconnected", n, k,
                              (unsigned long long)seed);
                topology_free(&t);
            }
}
END_TEST

static bool same_graph(const struct topology *a, const struct topology *b)
{
    return a->n == b->n && a->edges == b->edges &&
           memcmp(a->offsets, b->offsets, (a->n + 1) * sizeof *a->offsets) == 0 &&
           memcmp(a->peers, b->peers, 2 * a->edges * sizeof *a->peers) == 0;
}

START_TEST(random_is_deterministic_per_seed)
{
    struct topology a, b, c;
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 500, 4, 7, &a), 0);
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 500, 4, 7, &b), 0);
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 500, 4, 8, &c), 0);
    ck_assert(same_graph(&a, &b));
    ck_assert(!same_graph(&a, &c));
    topology_free(&a);
    topology_free(&b);
    topology_free(&c);
    /* k = 2 is a random Hamiltonian cycle, not the plain ring */
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 50, 2, 1, &a), 0);
    ck_assert_int_eq(topology_build(TOPOLOGY_RING, 50, 0, 0, &b), 0);
    ck_assert(!same_graph(&a, &b));
    topology_free(&a);
    topology_free(&b);
}
END_TEST

START_TEST(size_grows_with_n_times_k)
{
    struct topology t;
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 5000, 4, 0, &t), 0);
    ck_assert_uint_eq(t.edges, 10000);
    topology_free(&t);
    ck_assert_int_eq(topology_build(TOPOLOGY_RING, 5000, 0, 0, &t), 0);
    ck_assert_uint_eq(t.edges, 5000);
    topology_free(&t);
}
END_TEST

START_TEST(impossible_parameters)
{
    struct topology t;
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 0, 2, 0, &t), -1);
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 10, 1, 0, &t), -1);
    ck_assert_int_eq(topology_build(TOPOLOGY_RANDOM, 10, 10, 0, &t), -1);
    ck_assert_int_eq(topology_build(TOPOLOGY_MESH, 0, 0, 0, &t), -1);
}
END_TEST

Suite *topology_suite(void)
{
    Suite *s = suite_create("topology");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, mesh_and_ring);
    tcase_add_test(tc, random_is_regular_and_connected);
    tcase_add_test(tc, random_is_deterministic_per_seed);
    tcase_add_test(tc, size_grows_with_n_times_k);
    tcase_add_test(tc, impossible_parameters);
    suite_add_tcase(s, tc);
    return s;
}
