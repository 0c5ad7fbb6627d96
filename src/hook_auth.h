/*
 * hook_auth: who may call the hooks. With --token-file, every /hooks/ request must carry
 * "Authorization: Bearer <token>" (Metacontroller's CompositeController sends it from its
 * `authorization` setting); others get 401 before their body is read. --token-file names a
 * file of tokens, one per line, or a directory (a mounted Secret) whose every key holds some: up
 * to four in all, each accepted. A rotation adds the new token under a second key, moves
 * Metacontroller to it, then drops the old one, with no request refused (docs/security.md). It
 * is looked at at most once a second and read again when it changes, so no restart is needed;
 * comparison is constant-time (token.h). /healthz, /readyz and /metrics stay
 * open, on the hook port and on the probe listener.
 */
#ifndef MONERO_OPERATOR_HOOK_AUTH_H
#define MONERO_OPERATOR_HOOK_AUTH_H

#include "http/http_server.h"

struct hook_auth;

/* Reads the token file. Returns NULL with a one-line reason in err when it is unusable. */
struct hook_auth *hook_auth_open(const char *token_file, char *err, size_t err_size);

/* NULL when `req` may go on, else the reason for a 401. */
const char *hook_auth_check(struct hook_auth *auth, const struct http_request *req);

void hook_auth_close(struct hook_auth *auth);

#endif
