/*
 * hook-bench: in-process cost of each hook as its input grows. For MoneroNetwork at 10, 100 and
 * 1000 nodes in every topology, and for the other hooks on their examples, prints the mean time
 * per call (request parse, hook, response serialisation: everything but HTTP) and the response
 * size, as a Markdown table.
 */
#include "hooks/hook.h"
#include "hooks/hook_call.h"
#include "json/alloc_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the hook until 0.5 s have passed (at least 3 calls); prints one table row. */
static void measure(const char *hook, const char *label, const char *body)
{
    const struct hook_def *def = hook_find_by_name(hook);
    size_t len = strlen(body), calls = 0, bytes = 0;
    int status = 0;
    const char *result = "";
    double start = now(), elapsed;
    do {
        struct hook_answer reply = {0};
        hook_call(def, HOOK_CALL_SYNC, &hook_builtin_defaults, body, len, &reply);
        status = reply.http_status;
        bytes = reply.body_len;
        result = status != 200 ? "error" : reply.invalid_spec ? "InvalidSpec" : "children";
        free(reply.body);
        calls++;
        elapsed = now() - start;
    } while (elapsed < 0.5 || calls < 3);
    double per_call = elapsed / (double)calls;
    printf("| %-20s | %-22s | %9zu | %3d %-11s | %9.3f | %10zu |\n", hook, label, len, status,
           result, per_call * 1e3, bytes);
    fflush(stdout);
}

static void network(size_t nodes, const char *topology)
{
    char body[1024], label[64];
    snprintf(body, sizeof body,
             "{\"parent\": {\"apiVersion\": \"utxo.com.br/v1alpha1\", \"kind\": \"MoneroNetwork\", "
             "\"metadata\": {\"name\": \"net\", \"namespace\": \"research\"}, \"spec\": "
             "{\"replicas\": %zu, \"topology\": {\"type\": \"%s\"}, \"template\": {\"spec\": "
             "{\"monerod\": {\"args\": [\"--fixed-difficulty=1\"]}}}}}, \"children\": "
             "{\"ConfigMap.v1\": {}, \"Service.v1\": {}, \"StatefulSet.apps/v1\": {}, "
             "\"PodDisruptionBudget.policy/v1\": {}, \"NetworkPolicy.networking.k8s.io/v1\": {}}}",
             nodes, topology);
    snprintf(label, sizeof label, "%zu nodes, %s", nodes, topology);
    measure("moneronetwork", label, body);
}

/* A MoneroNodeSet of `replicas` nodes over Tor and I2P, first sync: the per-replica work is
 * the identities (key generation) and their files. */
static void nodeset(size_t replicas)
{
    char body[1024], label[64];
    snprintf(body, sizeof body,
             "{\"parent\": {\"apiVersion\": \"utxo.com.br/v1alpha1\", \"kind\": \"MoneroNodeSet\", "
             "\"metadata\": {\"name\": \"nodes\", \"namespace\": \"monero\"}, \"spec\": "
             "{\"replicas\": %zu, \"tor\": {\"enabled\": true}, \"i2p\": {\"enabled\": true}}}, "
             "\"children\": {\"ConfigMap.v1\": {}, \"Secret.v1\": {}, \"Service.v1\": {}, "
             "\"StatefulSet.apps/v1\": {}, \"PodDisruptionBudget.policy/v1\": {}, "
             "\"NetworkPolicy.networking.k8s.io/v1\": {}}}",
             replicas);
    snprintf(label, sizeof label, "%zu replicas, Tor+I2P", replicas);
    measure("moneronodeset", label, body);
}

static void fixture(const char *hook, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "test/fixtures/%s/%s/request.json", hook, dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "hook-bench: cannot read %s\n", path);
        exit(1);
    }
    static char body[1 << 20];
    size_t n = fread(body, 1, sizeof body - 1, f);
    fclose(f);
    body[n] = '\0';
    measure(hook, dir, body);
}

int main(void)
{
    static const char *const topologies[] = {"random", "ring", "mesh"};
    static const size_t sizes[] = {1, 10, 100, 1000};
    alloc_guard_install();
    printf("| hook                 | input                  | request B | answer          | ms / "
           "call | response B |\n");
    printf("|----------------------|------------------------|-----------|-----------------|--------"
           "---|------------|\n");
    for (size_t s = 0; s < 4; s++)
        for (size_t t = 0; t < 3; t++)
            network(sizes[s], topologies[t]);
    for (size_t s = 0; s < 4; s++)
        nodeset(sizes[s]);
    fixture("moneronodeset", "first-sync");
    fixture("moneronodeset", "steady-state");
    fixture("moneronetwork", "steady-state");
    fixture("monerominingnodeset", "steady-state");
    return 0;
}
