/* testlib: helpers shared by the Check suites: files, structural JSON comparison, hooks. */
#ifndef MONERO_OPERATOR_TESTLIB_H
#define MONERO_OPERATOR_TESTLIB_H

#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file (malloc'd, NUL-terminated); NULL if unreadable. */
char *test_read_file(const char *path, size_t *len);

/* Loads a JSON file; fails the test if it cannot. */
json_t *test_load_json(const char *path);

/* Structural equality; on difference writes the first differing path into `where`. */
bool test_json_equal(const json_t *expected, const json_t *actual, char *where, size_t size);

/* Runs hook `name` on a JSON request value through the same path the server uses.
 * Returns the HTTP status; *response receives the parsed body for 200 (else NULL). */
int test_run_hook(const char *name, const json_t *request, json_t **response);

/* The first child of `kind` named `name` in a response (borrowed), or NULL. */
json_t *test_find_child(const json_t *response, const char *kind, const char *name);

/* The Ready condition of a response's status (borrowed), or NULL. */
json_t *test_ready_condition(const json_t *response);

/* A sync request for a parent of `kind` named `name` in namespace "monero", generation 4, with
 * `spec` (JSON text) and observed `children` (JSON text, NULL for none). */
json_t *test_request(const char *kind, const char *name, const char *spec, const char *children);

/* Runs `hook`, asserts 200, consumes `request` and returns the response. */
json_t *test_sync_ok(const char *hook, json_t *request);

/* The first container of the StatefulSet named `statefulset` in a response (borrowed). */
json_t *test_first_container(json_t *response, const char *statefulset);

bool test_args_contain(const json_t *container, const char *arg);

/* Runs `hook` and asserts Ready=False/InvalidSpec with `fragment` in the message. */
void test_expect_invalid(const char *hook, json_t *request, const char *fragment);

/* A response's children as the observed children map of the next request (Kind.apiVersion ->
 * name -> object), as after Metacontroller applied them (new reference). */
json_t *test_as_observed(const json_t *response);

/* How many observed children a request carries. */
size_t test_observed_count(const json_t *request);

/* The slowdown allowed for wall-clock limits: CK_TIMEOUT_MULTIPLIER (20 under valgrind), or 1. */
double test_time_multiplier(void);

/* Polls `done(arg)` every millisecond until it is true or `seconds` (times the multiplier) pass;
 * returns whether it became true. For waiting on another thread instead of sleeping a guess. */
bool test_wait_for(bool (*done)(void *arg), void *arg, double seconds);

/* Directory holding the fixtures (TEST_FIXTURES env or test/fixtures). */
const char *test_fixtures_dir(void);

Suite *quantity_suite(void);
Suite *monerod_args_suite(void);
Suite *protocol_suite(void);
Suite *yaml_suite(void);
Suite *fixtures_suite(void);
Suite *nodeset_suite(void);
Suite *names_suite(void);
Suite *http_suite(void);
Suite *topology_suite(void);
Suite *network_suite(void);
Suite *mining_suite(void);
Suite *identity_suite(void);
Suite *anonymity_suite(void);
Suite *http_client_suite(void);
Suite *monero_rpc_suite(void);
Suite *json_fast_suite(void);
Suite *json_write_suite(void);
Suite *json_go_size_suite(void);
Suite *child_types_suite(void);
Suite *bootstrap_suite(void);
Suite *tls_suite(void);

#endif
