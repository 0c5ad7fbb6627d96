/*
 * monerod_flags: the command-line options monerod 0.18 understands, and how it matches them.
 *
 * monerod parses its command line with boost::program_options and its default style, which
 * accepts any unambiguous prefix of a long option ("--data=/x" is "--data-dir=/x", "--public"
 * is "--public-node"). Checks on user arguments therefore resolve prefixes exactly as monerod
 * does; a check on exact names alone could be walked around.
 */
#ifndef MONERO_OPERATOR_MONEROD_FLAGS_H
#define MONERO_OPERATOR_MONEROD_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

struct monerod_flag {
    const char *name; /* without the leading "--" */
    bool takes_value; /* "--name=value" or "--name value" */
    bool repeatable;  /* may be given more than once (composing options) */
};

enum monerod_flag_match {
    FLAG_MATCH_NONE,
    FLAG_MATCH_EXACT,
    FLAG_MATCH_PREFIX,
    FLAG_MATCH_AMBIGUOUS
};

/* Resolves `name` (no dashes, no "=value") of length `len` the way monerod does. */
enum monerod_flag_match monerod_flag_resolve(const char *name, size_t len,
                                             const struct monerod_flag **flag);

/* Exact lookup by full name; NULL when unknown. */
const struct monerod_flag *monerod_flag_find(const char *name);

#endif
