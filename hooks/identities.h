/*
 * identities: each replica's Tor and I2P keys, kept in Secret children "<name>-identities-<k>",
 * shard k holding the keys of pods <name>-<64k> to <name>-<64k+63>.
 *
 * Metacontroller stores each child whole in an annotation capped at 256 KiB, so one Secret for
 * every replica could not exist past about 290 Tor+I2P replicas; a shard stays near 60 KiB at
 * most. Keys are read wherever a version put them: the shards, and the single
 * "<name>-identities" Secret of earlier versions, which is kept (unchanged) until every shard
 * that takes its keys exists, and then left out (Metacontroller deletes it).
 *
 * The hook is stateless, so the Secret is the state: every sync copies the keys the observed
 * Secret holds and only creates keys that are missing (new replicas, a network just enabled).
 * Hence an address never changes once its key exists: not across resyncs, pod restarts,
 * operator upgrades or scaling (keys of replicas removed by scaling down stay in the Secret,
 * so scaling up again brings their addresses back). Keys for a network that gets disabled stay
 * too. Keys from a Secret the user names (spec.tor.keysSecret, spec.i2p.keysSecret), fetched
 * through the customize hook, take precedence and are copied in, to migrate an existing onion
 * or destination. Deleting the Secret loses the identities: the next sync creates new ones.
 *
 * Data keys per pod: "<pod>.tor.secret" and "<pod>.tor.public" (tor's hs_ed25519_secret_key
 * and hs_ed25519_public_key files), "<pod>.i2p.dat" (i2pd's keys file).
 */
#ifndef MONERO_OPERATOR_IDENTITIES_H
#define MONERO_OPERATOR_IDENTITIES_H

#include "anonymity_spec.h"

#include "identity/i2p_keys.h"
#include "identity/onion.h"
#include "k8s/spec_error.h"
#include "metacontroller/hook_request.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define IDENTITIES_MAX        1000
#define IDENTITIES_PER_SECRET 64
#define IDENTITIES_SHARDS     ((IDENTITIES_MAX + IDENTITIES_PER_SECRET - 1) / IDENTITIES_PER_SECRET)

struct identity {
    char onion[ONION_ADDRESS_LEN + 1]; /* "" when Tor is off */
    char b32[I2P_ADDRESS_LEN + 1];     /* "" when I2P is off */
    /* The key is new or changed in this sync: no observed Secret holds it yet, so no pod can
     * serve the address; status leaves it out until a later sync observes it stored. */
    bool onion_pending, i2p_pending;
};

struct identities {
    json_t *secrets; /* the Secret children (new array), NULL when none is needed or kept */
    struct identity *replicas; /* `count` entries (malloc'd) */
    size_t count;
};

/* What building the identities came to. The last two are the server's failures (500), never
 * the spec's: the sync is refused, so no child is touched. */
enum identity_outcome {
    IDENTITY_OK = 0,
    IDENTITY_SPEC_ERROR = -1, /* err says what is wrong: an unusable key, too many replicas */
    IDENTITY_OUT_OF_MEMORY = -2,
    IDENTITY_NO_RANDOMNESS = -3, /* the system's random source failed: no key could be made */
};

/* The one-line reason for a server failure (IDENTITY_OUT_OF_MEMORY, IDENTITY_NO_RANDOMNESS). */
const char *identity_failure_message(int outcome);

/* The name of shard `k`: "<name>-identities-<k>". */
void identities_secret_name(const char *name, size_t shard, char *out, size_t size);

/*
 * Builds the Secrets for `replicas` pods named <name>-<i>. `path` names the spec holding tor and
 * i2p ("spec", "spec.template.spec") for messages. Returns an enum identity_outcome.
 */
int identities_build(const struct hook_request *req, size_t replicas, const char *path,
                     const struct anonymity_spec *a, const json_t *labels, struct identities *out,
                     struct spec_error *err);

void identities_release(struct identities *ids);

/* status.addresses: [{"pod", "onion"?, "i2p"?}] for the replicas (new reference); an address
 * appears only once an observed Secret holds its key. */
json_t *identities_status(const struct identities *ids, const char *name);

#endif
