/* identities: per-replica Tor and I2P keys kept in a Secret (see identities.h). */
#include "identities.h"

#include "identity/base64.h"
#include "identity/key_derive.h"
#include "k8s/k8s_object.h"
#include "json/jsonx.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_TYPE_KEY "Secret.v1"

struct builder {
    const struct hook_request *req;
    const char *path;
    json_t *data; /* the Secret's data being built */
    const json_t *byo_tor, *byo_i2p;
};

/* A Secret named `name` among the related objects the customize hook asked for. */
static const json_t *related_secret(const struct hook_request *req, const char *name)
{
    const char *key;
    json_t *obj;
    json_object_foreach(jsonx_object(req->related, SECRET_TYPE_KEY), key, obj)
    {
        const char *n = jsonx_string(jsonx_object(obj, "metadata"), "name");
        if (n && strcmp(n, name) == 0)
            return jsonx_object(obj, "data");
    }
    return NULL;
}

static long decoded(const json_t *data, const char *key, uint8_t *out, size_t cap)
{
    const char *text = jsonx_string(data, key);
    return text ? base64_decode(text, out, cap) : -1;
}

static void store(json_t *data, const char *key, const uint8_t *bytes, size_t len)
{
    char *text = base64_encode(bytes, len);
    json_object_set_new(data, key, json_string(text)); /* NULL string: caught by alloc guard */
    free(text);
}

/* Whether the observed Secrets already hold `key` with the value `source` gives it. */
static bool stored_as(const struct builder *b, const json_t *source, const char *key)
{
    const json_t *have = json_object_get(b->data, key);
    return have && json_equal((json_t *)have, json_object_get(source, key));
}

static int byo_error(struct builder *b, const char *net, const char *what, struct spec_error *err)
{
    char where[192];
    snprintf(where, sizeof where, "%s.%s.keysSecret", b->path, net);
    spec_error_set(err, where, "%s", what);
    return -1;
}

/* The set's root key material: its first replica's stored tor secret key file, else its I2P
 * keys file, as the Secrets (observed, or as built so far in this sync) hold them. Every view of
 * the Secrets, however stale, has it once it exists. Returns its length, 0 when there is none. */
static size_t root_material(const struct builder *b, uint8_t *out, size_t cap)
{
    static const char *const suffixes[] = {"tor.secret", "i2p.dat"};
    char key[160];
    for (size_t i = 0; i < 2; i++) {
        snprintf(key, sizeof key, "%s-0.%s", b->req->name, suffixes[i]);
        long len = decoded(b->data, key, out, cap);
        if (len > 0)
            return (size_t)len;
    }
    return 0;
}

/* A key for `pod` that is missing: derived from the root material when there is some, so that
 * a sync working from a stale view of the Secrets makes the same key again; random for the
 * set's very first key. */
static int new_onion_key(const struct builder *b, const char *pod, struct onion_key *key)
{
    uint8_t root[I2P_KEYS_LEN + 4];
    char label[128];
    size_t len = root_material(b, root, sizeof root);
    snprintf(label, sizeof label, "%s/tor", pod);
    int rc = len ? onion_key_derive(root, len, label, key) : onion_key_generate(key);
    OPENSSL_cleanse(root, sizeof root);
    return rc;
}

static int new_i2p_keys(const struct builder *b, const char *pod, uint8_t keys[I2P_KEYS_LEN])
{
    uint8_t root[I2P_KEYS_LEN + 4];
    char label[128];
    size_t len = root_material(b, root, sizeof root);
    snprintf(label, sizeof label, "%s/i2p", pod);
    int rc = len ? i2p_keys_derive(root, len, label, keys) : i2p_keys_generate(keys);
    OPENSSL_cleanse(root, sizeof root);
    return rc;
}

static int tor_identity(struct builder *b, const char *pod, struct identity *id,
                        struct spec_error *err)
{
    char skey[128], pkey[128], msg[384];
    uint8_t secret[ONION_SECRET_FILE_LEN + 4], public[ONION_PUBLIC_FILE_LEN + 4];
    snprintf(skey, sizeof skey, "%s.tor.secret", pod);
    snprintf(pkey, sizeof pkey, "%s.tor.public", pod);
    const json_t *source =
        b->byo_tor && (json_object_get(b->byo_tor, skey) || json_object_get(b->byo_tor, pkey))
            ? b->byo_tor
            : b->data;
    long sl = decoded(source, skey, secret, sizeof secret);
    long pl = decoded(source, pkey, public, sizeof public);
    bool valid = sl > 0 && pl > 0 && onion_files_valid(secret, (size_t)sl, public, (size_t)pl);
    if (source == b->byo_tor && !valid) {
        snprintf(msg, sizeof msg,
                 "%s and %s must be tor's hs_ed25519_secret_key and "
                 "hs_ed25519_public_key files",
                 skey, pkey);
        return byo_error(b, "tor", msg, err);
    }
    if (!valid) { /* missing (or unusable): a new key */
        struct onion_key key;
        if (new_onion_key(b, pod, &key) < 0)
            return IDENTITY_NO_RANDOMNESS;
        memcpy(secret, key.secret_file, ONION_SECRET_FILE_LEN);
        memcpy(public, key.public_file, ONION_PUBLIC_FILE_LEN);
    }
    id->onion_pending = !valid || (source != b->data &&
                                   !(stored_as(b, source, skey) && stored_as(b, source, pkey)));
    if (source != b->data || !valid) {
        store(b->data, skey, secret, ONION_SECRET_FILE_LEN);
        store(b->data, pkey, public, ONION_PUBLIC_FILE_LEN);
    }
    onion_address(public + 32, id->onion);
    return 0;
}

static int i2p_identity(struct builder *b, const char *pod, struct identity *id,
                        struct spec_error *err)
{
    char key[128], msg[256];
    uint8_t keys[I2P_KEYS_LEN + 4];
    snprintf(key, sizeof key, "%s.i2p.dat", pod);
    const json_t *source = b->byo_i2p && json_object_get(b->byo_i2p, key) ? b->byo_i2p : b->data;
    long len = decoded(source, key, keys, sizeof keys);
    bool valid = len > 0 && i2p_keys_valid(keys, (size_t)len);
    if (source == b->byo_i2p && !valid) {
        snprintf(msg, sizeof msg,
                 "%s must be an i2pd keys file with an Ed25519 (type 7) and "
                 "X25519 (type 4) destination, 455 bytes",
                 key);
        return byo_error(b, "i2p", msg, err);
    }
    if (!valid && new_i2p_keys(b, pod, keys) < 0)
        return IDENTITY_NO_RANDOMNESS;
    id->i2p_pending = !valid || (source != b->data && !stored_as(b, source, key));
    if (source != b->data || !valid)
        store(b->data, key, keys, I2P_KEYS_LEN);
    i2p_address(keys, id->b32);
    return 0;
}

static int find_byo(struct builder *b, const struct anonymity_spec *a, struct spec_error *err)
{
    char msg[320];
    const struct anonymity_network *nets[2] = {&a->tor, &a->i2p};
    const json_t **found[2] = {&b->byo_tor, &b->byo_i2p};
    for (int i = 0; i < 2; i++) {
        if (!nets[i]->enabled || !nets[i]->keys_secret)
            continue;
        *found[i] = related_secret(b->req, nets[i]->keys_secret);
        if (!*found[i]) {
            snprintf(msg, sizeof msg, "Secret \"%s\" not found in namespace \"%s\"",
                     nets[i]->keys_secret, b->req->namespace);
            return byo_error(b, i ? "i2p" : "tor", msg, err);
        }
    }
    return 0;
}

void identities_secret_name(const char *name, size_t shard, char *out, size_t size)
{
    snprintf(out, size, "%s-identities-%zu", name, shard);
}

/* The shard of a data key "<name>-<ordinal>.<suffix>" (0 when it is shaped otherwise). */
static size_t shard_of_key(const char *name, const char *key)
{
    size_t n = strlen(name);
    if (strncmp(key, name, n) != 0 || key[n] != '-')
        return 0;
    char *end;
    unsigned long ordinal = strtoul(key + n + 1, &end, 10);
    if (end == key + n + 1 || *end != '.')
        return 0;
    size_t shard = ordinal / IDENTITIES_PER_SECRET;
    return shard < IDENTITIES_SHARDS ? shard : IDENTITIES_SHARDS - 1;
}

/* The keys of the set's Secret `name`: the owned child, else the same-named Secret the customize
 * hook fetched (one Metacontroller does not own: left by a parent deleted with --cascade=orphan,
 * or not yet in its cache). Creating new keys there would advertise addresses no node has. */
static const json_t *own_secret_data(const struct hook_request *req, const char *name)
{
    const json_t *child = hook_request_child(req, SECRET_TYPE_KEY, name);
    return child ? jsonx_object(child, "data") : related_secret(req, name);
}

/* Every key the observed Secrets hold: the legacy single Secret first, then the shards. */
static json_t *observed_keys(const struct hook_request *req, const json_t *legacy,
                             bool *any_observed)
{
    json_t *all = json_object();
    char name[160];
    snprintf(name, sizeof name, "%s-identities", req->name);
    const json_t *legacy_data = legacy ? jsonx_object(legacy, "data") : related_secret(req, name);
    *any_observed = legacy_data != NULL;
    if (legacy_data)
        json_object_update(all, (json_t *)legacy_data);
    for (size_t k = 0; k < IDENTITIES_SHARDS; k++) {
        identities_secret_name(req->name, k, name, sizeof name);
        const json_t *data = own_secret_data(req, name);
        if (data) {
            *any_observed = true;
            json_object_update(all, (json_t *)data);
        }
    }
    return all;
}

static json_t *secret_child(const struct hook_request *req, const char *name, const json_t *labels,
                            json_t *data)
{
    json_t *secret = k8s_object_new("v1", "Secret", name, req->namespace, labels);
    jsonx_set_string(secret, "type", "Opaque");
    json_object_set_new(secret, "data", data);
    return secret;
}

/*
 * The shards holding `data` (every shard with a key, and every one observed), and the legacy
 * Secret, unchanged, while a shard that takes its keys is not yet observed: a failed create must
 * never leave keys nowhere. A shard that is not our child but exists already holding exactly its
 * keys (left unowned when an earlier parent of this name was deleted with --cascade=orphan) is
 * left out: its create could only be refused on every sync, and its keys are read from it.
 */
static json_t *shard_secrets(const struct hook_request *req, const json_t *legacy,
                             const json_t *labels, const json_t *data)
{
    json_t *shards[IDENTITIES_SHARDS] = {0};
    bool legacy_pending = false;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)data, key, value)
    {
        size_t k = shard_of_key(req->name, key);
        if (!shards[k])
            shards[k] = json_object();
        json_object_set(shards[k], key, value);
    }
    json_t *out = json_array();
    for (size_t k = 0; k < IDENTITIES_SHARDS; k++) {
        char name[160];
        identities_secret_name(req->name, k, name, sizeof name);
        bool observed = hook_request_child(req, SECRET_TYPE_KEY, name) != NULL;
        if (!shards[k] && observed)
            shards[k] = json_object();
        const json_t *unowned = observed ? NULL : related_secret(req, name);
        if (shards[k] && unowned && json_equal(shards[k], (json_t *)unowned)) {
            json_decref(shards[k]);
            continue;
        }
        if (shards[k])
            json_array_append_new(out, secret_child(req, name, labels, shards[k]));
        if (shards[k] && !observed && legacy)
            legacy_pending = true;
    }
    if (legacy_pending)
        json_array_append_new(
            out, secret_child(req, jsonx_string(jsonx_object(legacy, "metadata"), "name"), labels,
                              json_deep_copy(jsonx_object(legacy, "data"))));
    return out;
}

int identities_build(const struct hook_request *req, size_t replicas, const char *path,
                     const struct anonymity_spec *a, const json_t *labels, struct identities *out,
                     struct spec_error *err)
{
    char legacy_name[128];
    snprintf(legacy_name, sizeof legacy_name, "%s-identities", req->name);
    const json_t *legacy = hook_request_child(req, SECRET_TYPE_KEY, legacy_name);
    struct builder b = {req, path, NULL, NULL, NULL};
    bool any_observed;
    memset(out, 0, sizeof *out);
    json_t *observed_data = observed_keys(req, legacy, &any_observed);
    if (!anonymity_enabled(a) && !any_observed) {
        json_decref(observed_data);
        return 0;
    }
    if (anonymity_enabled(a) && replicas > IDENTITIES_MAX) {
        spec_error_set(err, path, "Tor and I2P identities are limited to %d replicas",
                       IDENTITIES_MAX);
        json_decref(observed_data);
        return -1;
    }
    b.data = observed_data;
    out->replicas = calloc(replicas ? replicas : 1, sizeof *out->replicas);
    out->count = replicas;
    int rc = out->replicas ? find_byo(&b, a, err) : IDENTITY_OUT_OF_MEMORY;
    for (size_t i = 0; rc == 0 && i < replicas; i++) {
        char pod[96];
        snprintf(pod, sizeof pod, "%s-%zu", req->name, i);
        if (a->tor.enabled)
            rc = tor_identity(&b, pod, &out->replicas[i], err);
        if (rc == 0 && a->i2p.enabled)
            rc = i2p_identity(&b, pod, &out->replicas[i], err);
    }
    if (rc < 0) {
        json_decref(b.data);
        identities_release(out);
        return rc;
    }
    out->secrets = shard_secrets(req, legacy, labels, b.data);
    json_decref(b.data);
    return 0;
}

const char *identity_failure_message(int outcome)
{
    return outcome == IDENTITY_NO_RANDOMNESS ? "the system's random source failed while creating "
                                               "Tor/I2P keys or a bootstrap token"
                                             : "out of memory while creating identities";
}

void identities_release(struct identities *ids)
{
    json_decref(ids->secrets);
    free(ids->replicas);
    memset(ids, 0, sizeof *ids);
}

json_t *identities_status(const struct identities *ids, const char *name)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ids->count; i++) {
        char pod[96];
        snprintf(pod, sizeof pod, "%s-%zu", name, i);
        const struct identity *id = &ids->replicas[i];
        json_t *entry = json_pack("{s:s}", "pod", pod);
        if (id->onion[0] && !id->onion_pending)
            jsonx_set_string(entry, "onion", id->onion);
        if (id->b32[0] && !id->i2p_pending)
            jsonx_set_string(entry, "i2p", id->b32);
        json_array_append_new(list, entry);
    }
    return list;
}
