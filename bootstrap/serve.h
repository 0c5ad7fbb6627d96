/*
 * serve: the sending side, a sidecar of every monerod pod of a set with
 * `bootstrap.fromSibling`. It serves one route on the copy port:
 *
 *   GET /v1/copy   Authorization: Bearer <the set's token>
 *                  200: a consistent copy of this node's database and the trailer (stream.h)
 *                  401: no or a wrong token      503: busy with another copy, or no database
 *
 * at most one copy at a time (a second asker is told busy and tries another sibling), paced to
 * an optional rate limit so this node keeps serving its own peers. monerod keeps running.
 * On the metrics port, GET /metrics: what was sent and refused, and what this pod's own volume
 * received when it was bootstrapped (received.h).
 */
#ifndef MONERO_BOOTSTRAP_SERVE_H
#define MONERO_BOOTSTRAP_SERVE_H

int bootstrap_serve(int argc, char **argv);

#endif
