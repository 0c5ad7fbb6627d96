/* Tor and I2P in the hooks: identities that never change once created, keys users bring,
 * tor-only wiring, and configuration files no resource string can reach. */
#include "testlib.h"

#include "json/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Observed children for the next sync: what the last response asked for. */
static json_t *sync_with(const char *spec, const json_t *observed, const char *related)
{
    char *children = observed ? json_dumps(observed, JSON_COMPACT) : NULL;
    json_t *req = test_request("MoneroNodeSet", "hidden", spec, children);
    free(children);
    if (related)
        json_object_set_new(req, "related", json_loads(related, 0, NULL));
    return test_sync_ok("moneronodeset", req);
}

static const json_t *addresses(const json_t *resp)
{
    return jsonx_array(jsonx_object(resp, "status"), "addresses");
}

/* Two syncs: the second observes the Secrets the first asked for, as after Metacontroller
 * created them; only then are new keys stored and their addresses in status. */
static json_t *settle(const char *spec, const json_t *observed, const char *related)
{
    json_t *first = sync_with(spec, observed, related);
    json_t *created = test_as_observed(first);
    json_t *second = sync_with(spec, created, related);
    json_decref(created);
    json_decref(first);
    return second;
}

static json_t *settle_after(const char *spec, const json_t *previous)
{
    json_t *observed = test_as_observed(previous);
    json_t *resp = settle(spec, observed, NULL);
    json_decref(observed);
    return resp;
}

#define SPEC(n) "{\"replicas\": " #n ", \"tor\": {\"enabled\": true}, \"i2p\": {\"enabled\": true}}"

/* An address appears in status only once an observed Secret holds its key: before that no pod
 * can serve it. */
START_TEST(addresses_wait_for_their_keys_to_be_stored)
{
    json_t *created = sync_with(SPEC(2), NULL, NULL);
    ck_assert_uint_eq(json_array_size(addresses(created)), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *entry = json_array_get(addresses(created), i);
        ck_assert_ptr_nonnull(jsonx_string(entry, "pod"));
        ck_assert_ptr_null(json_object_get(entry, "onion"));
        ck_assert_ptr_null(json_object_get(entry, "i2p"));
    }
    json_t *stored = settle_after(SPEC(2), created);
    for (size_t i = 0; i < 2; i++) {
        json_t *entry = json_array_get(addresses(stored), i);
        ck_assert_ptr_nonnull(jsonx_string(entry, "onion"));
        ck_assert_ptr_nonnull(jsonx_string(entry, "i2p"));
    }
    json_t *observed = test_as_observed(stored);
    json_t *scaled = sync_with(SPEC(3), observed, NULL); /* replica 2's keys: new */
    ck_assert(
        json_equal(json_array_get(addresses(stored), 1), json_array_get(addresses(scaled), 1)));
    ck_assert_ptr_null(json_object_get(json_array_get(addresses(scaled), 2), "onion"));
    json_decref(observed);
    json_decref(created);
    json_decref(stored);
    json_decref(scaled);
}
END_TEST

START_TEST(identities_survive_ten_thousand_syncs)
{
    json_t *resp = settle(SPEC(3), NULL, NULL);
    json_t *first = json_deep_copy(addresses(resp));
    ck_assert_uint_eq(json_array_size(first), 3);
    ck_assert_ptr_nonnull(jsonx_string(json_array_get(first, 2), "onion"));
    for (int i = 0; i < 10000; i++) {
        json_t *observed = test_as_observed(resp);
        json_decref(resp);
        resp = sync_with(SPEC(3), observed, NULL);
        json_decref(observed);
        ck_assert_msg(json_equal(first, addresses(resp)), "addresses changed at sync %d", i + 1);
    }
    json_decref(first);
    json_decref(resp);
}
END_TEST

START_TEST(scaling_keeps_existing_identities)
{
    json_t *three = settle(SPEC(3), NULL, NULL);
    json_t *five = settle_after(SPEC(5), three);
    for (size_t i = 0; i < 3; i++)
        ck_assert(
            json_equal(json_array_get(addresses(three), i), json_array_get(addresses(five), i)));
    json_t *observed = test_as_observed(five);
    json_t *back = sync_with(SPEC(3), observed, NULL);
    json_decref(observed);
    ck_assert(json_equal(addresses(three), addresses(back)));
    /* replicas 3 and 4 keep their keys in the Secret while scaled down */
    json_t *data = jsonx_object(test_find_child(back, "Secret", "hidden-identities-0"), "data");
    ck_assert_ptr_nonnull(json_object_get(data, "hidden-4.tor.secret"));
    observed = test_as_observed(back);
    json_t *again = sync_with(SPEC(5), observed, NULL);
    ck_assert(json_equal(addresses(five), addresses(again)));
    json_decref(observed);
    json_decref(three);
    json_decref(five);
    json_decref(back);
    json_decref(again);
}
END_TEST

START_TEST(disabling_tor_keeps_the_keys)
{
    json_t *on = settle(SPEC(2), NULL, NULL);
    json_t *observed = test_as_observed(on);
    json_t *off = sync_with("{\"replicas\": 2}", observed, NULL);
    json_decref(observed);
    ck_assert_ptr_nonnull(test_find_child(off, "Secret", "hidden-identities-0"));
    ck_assert_ptr_null(test_find_child(off, "ConfigMap", "hidden-tor"));
    observed = test_as_observed(off);
    json_t *on_again = sync_with(SPEC(2), observed, NULL);
    ck_assert(json_equal(addresses(on), addresses(on_again)));
    json_decref(observed);
    json_decref(on);
    json_decref(off);
    json_decref(on_again);
}
END_TEST

/* RFC 8032 test 1 as tor's files; its onion is 25njq...l5sid.onion. */
#define TOR_SECRET_B64                                                                             \
    "PT0gZWQyNTUxOXYxLXNlY3JldDogdHlwZTAgPT0AAAAwfIOGTygzy0J6LvHACgE8/f8naNmAwKOlIPAGkE3pT5tPCv4o" \
    "C3Rqd4aE51RCUCBXt0c6A/CPlvWjjpKH4B+P"
#define TOR_PUBLIC_B64                                                                             \
    "PT0gZWQyNTUxOXYxLXB1YmxpYzogdHlwZTAgPT0AAADXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGg=="

START_TEST(keys_users_bring_are_used)
{
    const char *related =
        "{\"Secret.v1\": {\"mine\": {\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": "
        "{\"name\": \"mine\", \"namespace\": \"monero\"}, \"data\": {\"hidden-0.tor.secret\": "
        "\"" TOR_SECRET_B64 "\", \"hidden-0.tor.public\": \"" TOR_PUBLIC_B64 "\"}}}}";
    const char *spec = "{\"replicas\": 2, \"tor\": {\"enabled\": true, \"keysSecret\": \"mine\"}}";
    json_t *resp = sync_with(spec, NULL, related); /* copied into the set's Secret: pending */
    ck_assert_ptr_null(json_object_get(json_array_get(addresses(resp), 0), "onion"));
    json_decref(resp);
    resp = settle(spec, NULL, related);
    ck_assert_str_eq(jsonx_string(json_array_get(addresses(resp), 0), "onion"),
                     "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion");
    ck_assert_str_ne(jsonx_string(json_array_get(addresses(resp), 1), "onion"),
                     "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion");
    json_decref(resp);
    /* a Secret that is not there, or keys that are not tor's: refused, nothing created */
    test_expect_invalid("moneronodeset", test_request("MoneroNodeSet", "hidden", spec, NULL),
                        "spec.tor.keysSecret: Secret \"mine\" not found");
    json_t *req = test_request("MoneroNodeSet", "hidden", spec, NULL);
    json_object_set_new(req, "related",
                        json_pack("{s:{s:{s:{s:s},s:{s:s,s:s}}}}", "Secret.v1", "mine", "metadata",
                                  "name", "mine", "data", "hidden-0.tor.secret", "AAAA",
                                  "hidden-0.tor.public", TOR_PUBLIC_B64));
    test_expect_invalid("moneronodeset", req, "hs_ed25519_secret_key");
}
END_TEST

START_TEST(tor_only_is_enforced)
{
    json_t *resp = sync_with("{\"tor\": {\"enabled\": true, \"only\": true}}", NULL, NULL);
    json_t *c = test_first_container(resp, "hidden");
    ck_assert(test_args_contain(c, "--proxy=127.0.0.1:9050"));
    ck_assert(test_args_contain(c, "--p2p-bind-ip=127.0.0.1"));
    ck_assert(!test_args_contain(c, "--enable-dns-blocklist"));
    json_t *np = test_find_child(resp, "NetworkPolicy", "hidden-tor-only");
    ck_assert_ptr_nonnull(np);
    ck_assert_int_eq(
        json_integer_value(json_object_get(
            json_array_get(
                jsonx_array(json_array_get(jsonx_array(jsonx_object(np, "spec"), "egress"), 0),
                            "ports"),
                0),
            "port")),
        443);
    const char *torrc = jsonx_string(
        jsonx_object(test_find_child(resp, "ConfigMap", "hidden-tor"), "data"), "torrc");
    ck_assert_ptr_nonnull(strstr(torrc, "ReachableAddresses *:443\n"));
    ck_assert_uint_eq(
        json_array_size(
            jsonx_array(jsonx_object(test_find_child(resp, "Service", "hidden"), "spec"), "ports")),
        1); /* no clearnet P2P published */
    json_decref(resp);
    test_expect_invalid("moneronodeset",
                        test_request("MoneroNodeSet", "hidden",
                                     "{\"tor\": {\"enabled\": true, \"only\": true}, \"monerod\": "
                                     "{\"args\": [\"--proxy=1.2.3.4:9050\"]}}",
                                     NULL),
                        "--proxy is managed by the operator");
    test_expect_invalid("moneronetwork",
                        test_request("MoneroNetwork", "net",
                                     "{\"template\": {\"spec\": {\"tor\": {\"enabled\": true, "
                                     "\"only\": true}}}}",
                                     NULL),
                        "spec.template.spec.tor.only");
    test_expect_invalid("moneronodeset",
                        test_request("MoneroNodeSet", "hidden",
                                     "{\"i2p\": {\"enabled\": true, \"keysSecret\": \"No_Such\"}}",
                                     NULL),
                        "spec.i2p.keysSecret: \"No_Such\" is not a Secret name");
}
END_TEST

/* The pod's container named `name` among its containers or init containers (borrowed). */
static json_t *pod_container(json_t *resp, const char *name)
{
    json_t *pod = jsonx_path(test_find_child(resp, "StatefulSet", "hidden"), "spec.template.spec");
    const char *lists[] = {"containers", "initContainers"};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(jsonx_array(pod, lists[l]), i,
                           c) if (strcmp(jsonx_string(c, "name"), name) == 0) return c;
    }
    return NULL;
}

static bool mounts(json_t *container, const char *volume, const char *path, const char *sub)
{
    size_t i;
    json_t *m;
    json_array_foreach(jsonx_array(container, "volumeMounts"), i, m)
    {
        const char *have_sub = jsonx_string(m, "subPath");
        if (strcmp(jsonx_string(m, "name"), volume) == 0 &&
            strcmp(jsonx_string(m, "mountPath"), path) == 0 &&
            (sub ? have_sub && strcmp(have_sub, sub) == 0 : !have_sub))
            return true;
    }
    return false;
}

/* tor's guards and state, i2pd's router identity and netDb live on the node's persistent
 * volume ("data", the claim template), claimed by the init step before the sidecars start. */
START_TEST(tor_and_i2pd_state_lives_on_the_volume)
{
    json_t *resp = sync_with(SPEC(2), NULL, NULL);
    json_t *sts = test_find_child(resp, "StatefulSet", "hidden");
    ck_assert_str_eq(
        jsonx_string(jsonx_object(json_array_get(jsonx_path(sts, "spec.volumeClaimTemplates"), 0),
                                  "metadata"),
                     "name"),
        "data");
    ck_assert(mounts(pod_container(resp, "tor"), "data", "/var/lib/tor", "anonymity/tor"));
    ck_assert(mounts(pod_container(resp, "i2pd"), "data", "/var/lib/i2pd", "anonymity/i2pd"));
    json_t *init = pod_container(resp, "identities");
    ck_assert(mounts(init, "data", "/data", NULL));
    ck_assert(test_args_contain(init, "--state-dir=/data/anonymity"));
    ck_assert(test_args_contain(init, "--tor-dir=/data/anonymity/tor/hs"));
    ck_assert(test_args_contain(init, "--i2p-keys=/data/anonymity/i2pd/monero.dat"));
    size_t i;
    json_t *v;
    json_array_foreach(jsonx_path(sts, "spec.template.spec.volumes"), i, v)
    {
        ck_assert_str_ne(jsonx_string(v, "name"), "tor-data"); /* the emptyDirs of before */
        ck_assert_str_ne(jsonx_string(v, "name"), "i2pd-data");
    }
    const char *torrc = jsonx_string(
        jsonx_object(test_find_child(resp, "ConfigMap", "hidden-tor"), "data"), "torrc");
    ck_assert_ptr_null(strstr(torrc, "AvoidDiskWrites"));
    json_decref(resp);
}
END_TEST

/* Onion and I2P RPC clients all arrive from 127.0.0.1: monerod's per-private-IP cap is sized for
 * them and bans are off, only when that RPC is published; a user's own value wins. */
START_TEST(anonymous_rpc_clients_are_not_capped_at_25)
{
    json_t *resp = sync_with("{\"tor\": {\"enabled\": true, \"rpc\": true, \"rpcConnections\": "
                             "300}, \"i2p\": {\"enabled\": true, \"rpc\": true, "
                             "\"rpcConnections\": 50}}",
                             NULL, NULL);
    json_t *c = test_first_container(resp, "hidden");
    ck_assert(test_args_contain(c, "--rpc-max-connections-per-private-ip=350"));
    ck_assert(test_args_contain(c, "--rpc-max-connections=450"));
    ck_assert(test_args_contain(c, "--disable-rpc-ban"));
    json_decref(resp);
    resp = sync_with("{\"tor\": {\"enabled\": true}, \"i2p\": {\"enabled\": true}}", NULL, NULL);
    c = test_first_container(resp, "hidden");
    ck_assert(!test_args_contain(c, "--disable-rpc-ban"));
    ck_assert(!test_args_contain(c, "--rpc-max-connections=200"));
    json_decref(resp);
    resp = sync_with("{\"tor\": {\"enabled\": true, \"rpc\": true}, \"monerod\": {\"args\": "
                     "[\"--rpc-max-connections-per-private-ip=7\"]}}",
                     NULL, NULL);
    c = test_first_container(resp, "hidden");
    ck_assert(test_args_contain(c, "--rpc-max-connections-per-private-ip=7"));
    ck_assert(!test_args_contain(c, "--rpc-max-connections-per-private-ip=100"));
    ck_assert(test_args_contain(c, "--rpc-max-connections=200"));
    json_decref(resp);
}
END_TEST

static const char *peers_condition(const char *spec, const char *field)
{
    static char out[64];
    json_t *resp = sync_with(spec, NULL, NULL);
    size_t i;
    json_t *c;
    out[0] = '\0';
    json_array_foreach(jsonx_path(resp, "status.conditions"), i, c)
    {
        if (strcmp(jsonx_string(c, "type"), "AnonymityPeers") == 0)
            snprintf(out, sizeof out, "%s", jsonx_string(c, field));
    }
    json_decref(resp);
    return out;
}

/* monerod sends a wallet's transactions only to Tor/I2P peers and has seeds for them on mainnet
 * only: a set elsewhere, or with exclusive clearnet nodes, is told it has none to use. */
START_TEST(a_set_is_told_when_its_transactions_cannot_leave)
{
    ck_assert_str_eq(peers_condition("{\"tor\": {\"enabled\": true}}", "reason"), "BuiltInSeeds");
    ck_assert_str_eq(
        peers_condition("{\"network\": \"stagenet\", \"tor\": {\"enabled\": true}}", "reason"),
        "NoAnonymitySeeds");
    ck_assert_str_eq(
        peers_condition("{\"network\": \"stagenet\", \"tor\": {\"enabled\": true}}", "status"),
        "False");
    ck_assert_str_eq(peers_condition("{\"tor\": {\"enabled\": true}, \"monerod\": {\"args\": "
                                     "[\"--add-exclusive-node=1.2.3.4:18080\"]}}",
                                     "reason"),
                     "ExclusiveNodesOnly");
    ck_assert_str_eq(
        peers_condition(
            "{\"network\": \"testnet\", \"tor\": {\"enabled\": true}, \"monerod\": "
            "{\"args\": [\"--add-peer=zbjkbsxc5munw3qusl7j2hpcmikhqocdf4pqhnhtpzw5nt5jrmofptid."
            "onion:28083\"]}}",
            "reason"),
        "PeersGiven");
    /* an I2P peer does not help a set that runs Tor only */
    ck_assert_str_eq(peers_condition("{\"network\": \"testnet\", \"tor\": {\"enabled\": true}, "
                                     "\"monerod\": {\"args\": [\"--add-peer=abc.b32.i2p\"]}}",
                                     "reason"),
                     "NoAnonymitySeeds");
    ck_assert_str_eq(peers_condition("{}", "reason"), "");
}
END_TEST

/* Strings from the resource go into pod specs and names, never into a configuration file:
 * hostile values leave torrc, i2pd.conf and tunnels.conf byte-identical, or are refused. */
START_TEST(no_string_reaches_a_configuration_file)
{
    json_t *plain =
        sync_with("{\"tor\": {\"enabled\": true}, \"i2p\": {\"enabled\": true}}", NULL, NULL);
    json_t *hostile = sync_with(
        "{\"tor\": {\"enabled\": true, \"image\": \"tor\\nHiddenServiceDir /tmp\", \"keysSecret\": "
        "null}, \"i2p\": {\"enabled\": true, \"image\": \"x]\\n[sam]\\nenabled = true\"}, "
        "\"storageClass\": \"ssd\", \"monerod\": {\"image\": \"m\\nx\"}}",
        NULL, NULL);
    /* the images are not printable single lines: the spec is refused, nothing is written */
    ck_assert_str_eq(jsonx_string(test_ready_condition(hostile), "reason"), "InvalidSpec");
    ck_assert_uint_eq(json_array_size(jsonx_array(hostile, "children")), 0);
    json_decref(hostile);
    hostile =
        sync_with("{\"tor\": {\"enabled\": true, \"image\": \"evil/tor:1 # HiddenServicePort\", "
                  "\"maxInbound\": 7}, \"i2p\": {\"enabled\": true, \"image\": \"[sam]\"}}",
                  NULL, NULL);
    const char *names[] = {"hidden-tor", "hidden-i2pd"};
    for (int i = 0; i < 2; i++) {
        json_t *a = jsonx_object(test_find_child(plain, "ConfigMap", names[i]), "data");
        json_t *b = jsonx_object(test_find_child(hostile, "ConfigMap", names[i]), "data");
        ck_assert_msg(json_equal(a, b), "%s changed with resource strings", names[i]);
    }
    json_decref(plain);
    json_decref(hostile);
}
END_TEST

/* The largest set the CRD allows: every Secret stays well under Metacontroller's 256 KiB cap. */
START_TEST(identities_are_sharded_under_the_annotation_cap)
{
    json_t *big = settle(SPEC(1000), NULL, NULL);
    size_t i, secrets = 0, largest = 0;
    json_t *child;
    json_array_foreach(jsonx_array(big, "children"), i, child)
    {
        char *text = json_dumps(child, JSON_COMPACT);
        size_t len = strlen(text);
        free(text);
        ck_assert_msg(len < 128 * 1024, "%s %s is %zu bytes", jsonx_string(child, "kind"),
                      jsonx_string(jsonx_object(child, "metadata"), "name"), len);
        if (strcmp(jsonx_string(child, "kind"), "Secret") == 0)
            secrets++;
        largest = len > largest ? len : largest;
    }
    ck_assert_uint_eq(secrets, 16); /* 64 replicas a Secret */
    ck_assert_uint_eq(json_array_size(addresses(big)), 1000);
    json_t *observed = test_as_observed(big);
    json_t *again = sync_with(SPEC(1000), observed, NULL);
    ck_assert(json_equal(addresses(big), addresses(again)));
    json_decref(observed);
    json_decref(again);
    json_decref(big);
}
END_TEST

/* Keys in the single Secret of earlier versions keep their addresses; that Secret stays until
 * the shards holding its keys exist, then is left out. */
START_TEST(keys_of_the_single_secret_move_to_shards)
{
    json_t *now = settle(SPEC(3), NULL, NULL);
    json_t *observed = test_as_observed(now);
    json_t *shard = json_object_get(json_object_get(observed, "Secret.v1"), "hidden-identities-0");
    json_t *legacy = json_deep_copy(shard);
    json_object_set_new(json_object_get(legacy, "metadata"), "name",
                        json_string("hidden-identities"));
    json_t *old_children = json_object();
    json_object_set_new(old_children, "Secret.v1", json_pack("{s:o}", "hidden-identities", legacy));
    json_t *first = sync_with(SPEC(3), old_children, NULL);
    ck_assert(json_equal(addresses(now), addresses(first)));
    ck_assert_ptr_nonnull(test_find_child(first, "Secret", "hidden-identities"));
    ck_assert_ptr_nonnull(test_find_child(first, "Secret", "hidden-identities-0"));
    json_t *both = test_as_observed(first);
    json_t *second = sync_with(SPEC(3), both, NULL);
    ck_assert(json_equal(addresses(now), addresses(second)));
    ck_assert_ptr_null(test_find_child(second, "Secret", "hidden-identities"));
    json_decref(both);
    json_decref(old_children);
    json_decref(observed);
    json_decref(now);
    json_decref(first);
    json_decref(second);
}
END_TEST

/* The set's identities Secret exists but is not an owned child (parent re-created after
 * --cascade=orphan, or a cache lag): its keys, fetched by customize, are used, never replaced,
 * and it is not asked for as a child, whose create could only be refused on every sync. */
START_TEST(unowned_identities_are_reused_not_regenerated)
{
    json_t *first = settle(SPEC(2), NULL, NULL);
    json_t *shard = test_find_child(first, "Secret", "hidden-identities-0");
    char *secret = json_dumps(shard, JSON_COMPACT);
    char related[8192];
    snprintf(related, sizeof related, "{\"Secret.v1\": {\"hidden-identities-0\": %s}}", secret);
    free(secret);
    for (int i = 0; i < 3; i++) {
        json_t *again = sync_with(SPEC(2), NULL, related);
        ck_assert(json_equal(addresses(first), addresses(again)));
        ck_assert_ptr_null(test_find_child(again, "Secret", "hidden-identities-0"));
        json_decref(again);
    }
    json_decref(first);
}
END_TEST

/* Metacontroller's cache a sync behind: after a scale-up stored replica 2's keys, a sync that
 * still sees the Secrets as they were makes exactly the same keys again (derived from replica
 * 0's), so nothing stored is replaced and replica 2's addresses never change. Replica 0's first
 * key is random: two new sets differ. */
START_TEST(a_stale_view_of_the_secrets_makes_the_same_keys)
{
    json_t *two = settle(SPEC(2), NULL, NULL);
    json_t *before = test_as_observed(two);
    json_t *scaled = sync_with(SPEC(3), before, NULL); /* stores replica 2's keys */
    json_t *again = sync_with(SPEC(3), before, NULL);  /* the same stale view, another sync */
    const json_t *a = test_find_child(scaled, "Secret", "hidden-identities-0");
    const json_t *b = test_find_child(again, "Secret", "hidden-identities-0");
    ck_assert(json_equal(jsonx_object(a, "data"), jsonx_object(b, "data")));
    ck_assert_ptr_nonnull(jsonx_string(jsonx_object(a, "data"), "hidden-2.tor.secret"));
    ck_assert_ptr_nonnull(jsonx_string(jsonx_object(a, "data"), "hidden-2.i2p.dat"));
    json_t *settled = settle_after(SPEC(3), scaled), *settled_again = settle_after(SPEC(3), again);
    ck_assert(json_equal(json_array_get(addresses(settled), 2),
                         json_array_get(addresses(settled_again), 2)));
    json_decref(settled_again);
    json_t *other = settle(SPEC(2), NULL, NULL);
    ck_assert(!json_equal(addresses(two), addresses(other)));
    json_decref(settled);
    json_decref(other);
    json_decref(before);
    json_decref(scaled);
    json_decref(again);
    json_decref(two);
}
END_TEST

Suite *anonymity_suite(void)
{
    Suite *s = suite_create("anonymity");
    TCase *slow = tcase_create("stability");
    tcase_set_tags(slow, "slow"); /* minutes under valgrind: excluded there (CK_EXCLUDE_TAGS) */
    tcase_set_timeout(slow, 300);
    tcase_add_test(slow, identities_survive_ten_thousand_syncs);
    suite_add_tcase(s, slow);
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, addresses_wait_for_their_keys_to_be_stored);
    tcase_add_test(tc, scaling_keeps_existing_identities);
    tcase_add_test(tc, disabling_tor_keeps_the_keys);
    tcase_add_test(tc, keys_users_bring_are_used);
    tcase_add_test(tc, tor_only_is_enforced);
    tcase_add_test(tc, tor_and_i2pd_state_lives_on_the_volume);
    tcase_add_test(tc, anonymous_rpc_clients_are_not_capped_at_25);
    tcase_add_test(tc, a_set_is_told_when_its_transactions_cannot_leave);
    tcase_add_test(tc, identities_are_sharded_under_the_annotation_cap);
    tcase_add_test(tc, keys_of_the_single_secret_move_to_shards);
    tcase_add_test(tc, unowned_identities_are_reused_not_regenerated);
    tcase_add_test(tc, no_string_reaches_a_configuration_file);
    tcase_add_test(tc, a_stale_view_of_the_secrets_makes_the_same_keys);
    suite_add_tcase(s, tc);
    return s;
}
