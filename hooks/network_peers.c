/* network_peers: per-node peer files in ConfigMaps (see network_peers.h). */
#include "network_peers.h"
#include "anonymity_pod.h"

#include "k8s/k8s_object.h"
#include "k8s/k8s_workloads.h"
#include "json/jsonx.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t digits(size_t v)
{
    size_t d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

size_t network_peers_estimate(const char *name, size_t nodes, size_t lines_per_node, int port,
                              bool onion, bool i2p)
{
    const size_t flag = strlen("add-exclusive-node=");
    size_t line = flag + strlen(name) + 1 + digits(nodes) + 1 + digits((size_t)port) + 1;
    if (onion) /* "<56 chars>.onion:18084" */
        line += flag + ONION_ADDRESS_LEN + 1 + digits(TOR_INBOUND_PORT) + 1;
    if (i2p)
        line += flag + I2P_ADDRESS_LEN + 1;
    size_t header = 64 + strlen(name) + digits(nodes);
    return nodes * (header + lines_per_node * line);
}

/* A neighbour's anonymity addresses, as monerod takes them: an onion at the virtual port its
 * tor serves P2P on, a .b32.i2p without a port (the i2pd server tunnel accepts any). */
static void anonymity_lines(FILE *f, const struct identities *ids, unsigned peer)
{
    if (!ids || peer >= ids->count)
        return;
    const struct identity *id = &ids->replicas[peer];
    if (id->onion[0])
        fprintf(f, "add-exclusive-node=%s:%d\n", id->onion, TOR_INBOUND_PORT);
    if (id->b32[0])
        fprintf(f, "add-exclusive-node=%s\n", id->b32);
}

/* One node's file; returns its length, or 0 when memory runs out. */
static char *node_file(const char *name, const struct topology *t, size_t node,
                       const char *topology_name, int port, const struct identities *ids,
                       size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fprintf(f, "# peers of %s-%zu in the %s topology of %zu nodes\n", name, node, topology_name,
            t->n);
    for (size_t p = t->offsets[node]; p < t->offsets[node + 1]; p++)
        fprintf(f, "add-exclusive-node=%s-%u:%d\n", name, t->peers[p], port);
    for (size_t p = t->offsets[node]; p < t->offsets[node + 1]; p++)
        anonymity_lines(f, ids, t->peers[p]);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static json_t *shard_configmap(const char *name, const char *namespace, const json_t *labels,
                               size_t shard, json_t *data)
{
    char cm_name[128];
    snprintf(cm_name, sizeof cm_name, "%s-peers-%zu", name, shard);
    return configmap_build(cm_name, namespace, labels, data);
}

static void add_projection(json_t *sources, const char *cm_name)
{
    json_array_append_new(sources, json_pack("{s:{s:s}}", "configMap", "name", cm_name));
}

static void finish_checksum(EVP_MD_CTX *ctx, char out[65])
{
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, digest, &n);
    for (unsigned int i = 0; i < n && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    out[64] = '\0';
}

int network_peers_build(const char *name, const char *namespace, const json_t *labels,
                        const struct topology *t, const char *topology_name, int port,
                        const struct identities *ids, struct network_peers *out)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    json_t *sources = json_array(), *data = json_object();
    size_t shard_bytes = 0;
    memset(out, 0, sizeof *out);
    out->configmaps = json_array();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        goto fail;
    for (size_t i = 0; i < t->n; i++) {
        char key[96];
        size_t len;
        char *text = node_file(name, t, i, topology_name, port, ids, &len);
        if (!text)
            goto fail;
        snprintf(key, sizeof key, "%s-%zu.conf", name, i);
        if (shard_bytes + len > NETWORK_PEERS_SHARD_BYTES && json_object_size(data)) {
            json_array_append_new(
                out->configmaps,
                shard_configmap(name, namespace, labels, json_array_size(out->configmaps), data));
            data = json_object();
            shard_bytes = 0;
        }
        EVP_DigestUpdate(ctx, key, strlen(key) + 1);
        EVP_DigestUpdate(ctx, text, len + 1);
        json_object_set_new(data, key, json_stringn(text, len));
        shard_bytes += len + strlen(key);
        out->bytes += len;
        free(text);
    }
    json_array_append_new(out->configmaps, shard_configmap(name, namespace, labels,
                                                           json_array_size(out->configmaps), data));
    for (size_t s = 0; s < json_array_size(out->configmaps); s++)
        add_projection(
            sources,
            jsonx_string(jsonx_object(json_array_get(out->configmaps, s), "metadata"), "name"));
    out->volume = json_pack("{s:s,s:{s:o}}", "name", "peers", "projected", "sources", sources);
    finish_checksum(ctx, out->checksum);
    EVP_MD_CTX_free(ctx);
    return 0;
fail:
    EVP_MD_CTX_free(ctx);
    json_decref(sources);
    json_decref(data);
    network_peers_release(out);
    return -1;
}

void network_peers_release(struct network_peers *p)
{
    json_decref(p->configmaps);
    json_decref(p->volume);
    p->configmaps = p->volume = NULL;
}
