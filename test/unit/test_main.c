/* test_main: runs every Check suite; exits non-zero on any failure. */
#include "testlib.h"

#include "json/alloc_guard.h"

#include <stdlib.h>

int main(void)
{
    alloc_guard_install();
    SRunner *sr = srunner_create(quantity_suite());
    srunner_add_suite(sr, monerod_args_suite());
    srunner_add_suite(sr, protocol_suite());
    srunner_add_suite(sr, yaml_suite());
    srunner_add_suite(sr, names_suite());
    srunner_add_suite(sr, nodeset_suite());
    srunner_add_suite(sr, topology_suite());
    srunner_add_suite(sr, network_suite());
    srunner_add_suite(sr, mining_suite());
    srunner_add_suite(sr, identity_suite());
    srunner_add_suite(sr, anonymity_suite());
    srunner_add_suite(sr, fixtures_suite());
    srunner_add_suite(sr, http_suite());
    srunner_add_suite(sr, http_client_suite());
    srunner_add_suite(sr, monero_rpc_suite());
    srunner_add_suite(sr, json_fast_suite());
    srunner_add_suite(sr, json_write_suite());
    srunner_add_suite(sr, json_go_size_suite());
    srunner_add_suite(sr, child_types_suite());
    srunner_add_suite(sr, bootstrap_suite());
    srunner_add_suite(sr, tls_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
