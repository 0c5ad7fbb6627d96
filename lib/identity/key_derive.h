/*
 * key_derive: Tor and I2P keys derived from secret key material already stored, so that computing
 * a missing key twice gives the same key.
 *
 * Why: Metacontroller's caches can be a sync behind. A sync that sees an identities Secret as it
 * was before the last key was added would otherwise make a new random key for that replica and
 * replace the stored one, changing its onion or I2P address. Derived from material every view
 * of the Secret holds (the set's first replica's key), the key comes out the same.
 *
 * Each 32-byte part is HMAC-SHA256(root, "monero-operator/v1/<label>/<part>"): `root` is secret
 * key material (e.g. a tor hs_ed25519_secret_key file), `label` names the key ("hidden-3/tor").
 */
#ifndef MONERO_OPERATOR_KEY_DERIVE_H
#define MONERO_OPERATOR_KEY_DERIVE_H

#include "identity/i2p_keys.h"
#include "identity/onion.h"

#include <stddef.h>
#include <stdint.h>

/* 0, or -1 when the root is empty or OpenSSL fails. */
int onion_key_derive(const uint8_t *root, size_t root_len, const char *label,
                     struct onion_key *key);
int i2p_keys_derive(const uint8_t *root, size_t root_len, const char *label,
                    uint8_t out[I2P_KEYS_LEN]);

#endif
