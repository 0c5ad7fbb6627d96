/*
 * monerod_command: monerod's full command line for a node, from its spec.
 *
 * The operator's flags come first (the ones it must own, and defaults a user flag replaces),
 * then the user's arguments in their order. The tables of reserved flags and defaults live in
 * monerod_command.c and are documented in docs/resources/moneronodeset.md.
 */
#ifndef MONERO_OPERATOR_MONEROD_COMMAND_H
#define MONERO_OPERATOR_MONEROD_COMMAND_H

#include "monerod_spec.h"

#include <jansson.h>

#define MONEROD_DATA_DIR "/data"

enum monerod_role {
    MONEROD_ROLE_NODESET, /* independent nodes joining a public (or user-chosen) network */
    MONEROD_ROLE_NETWORK, /* nodes of a closed MoneroNetwork, wired to each other */
};

struct monerod_command_options {
    enum monerod_role role;
    const char *field;       /* "spec.monerod.args": where user args live, for messages */
    bool offline;            /* network of a single node: --offline */
    const char *config_file; /* per-node config file (network peers), or NULL */
    int out_peers;           /* network: outgoing connections to keep (its degree); 0: none */
};

/* Builds argv (new reference) or fails on a reserved flag. */
int monerod_command_build(const struct monerod_spec *s, const struct monerod_command_options *o,
                          json_t **argv, struct spec_error *err);

#endif
