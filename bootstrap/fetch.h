/*
 * fetch: the receiving side, the first init step of a monerod pod of a set with
 * `bootstrap.fromSibling`. On an empty volume it copies a Ready sibling's database (fetch_one),
 * installs it where monerod will look, records what it did, and exits 0; monerod then starts
 * from the copy and catches up over P2P. In every other case it also exits 0 and monerod
 * starts as it would without it:
 *   - the volume holds anything already: it is never touched;
 *   - no sibling is Ready (the bootstrap Service's name resolves to nothing);
 *   - every attempt failed, `--attempts` rounds over all siblings with a doubling pause.
 * It exits non-zero only when the volume cannot be written, which monerod could not survive
 * either; the kubelet then retries it with its own back-off.
 */
#ifndef MONERO_BOOTSTRAP_FETCH_H
#define MONERO_BOOTSTRAP_FETCH_H

int bootstrap_fetch(int argc, char **argv);

#endif
