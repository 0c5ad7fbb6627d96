/*
 * pod_state: the directory on the node's persistent volume where tor keeps its DataDirectory
 * (guards, consensus cache) and i2pd its router identity and netDb, so both survive restarts:
 * a long-lived onion service that picks new guards at every restart is easier to locate.
 *
 * The directory records which pod it belongs to. On a volume that belonged to another pod (a
 * snapshot restored into a new replica) the tor and i2pd state is removed before use: two I2P
 * routers must never share an identity, and guards are not to be shared either.
 */
#ifndef MONERO_OPERATOR_POD_STATE_H
#define MONERO_OPERATOR_POD_STATE_H

/* Creates `dir` (0700) for `pod`, discarding another pod's state. Returns 0 or -1 (logged). */
int pod_state_prepare(const char *dir, const char *pod);

/* Creates the parent directory of `path` (0700) if missing. Returns 0 or -1 (logged). */
int pod_state_parent(const char *path);

#endif
