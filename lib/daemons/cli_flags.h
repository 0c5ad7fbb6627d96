/*
 * cli_flags: tables of a program's command-line options, and how the program matches them.
 *
 * monerod (boost::program_options) and xmrig (getopt_long) both accept any unambiguous prefix
 * of a long option ("--data=/x" is monerod's "--data-dir=/x"). Checks on user arguments must
 * resolve prefixes exactly as the program does, or they could be walked around.
 */
#ifndef MONERO_OPERATOR_CLI_FLAGS_H
#define MONERO_OPERATOR_CLI_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

struct cli_flag {
    const char *name;    /* long name without the leading "--" */
    char short_name;     /* 0 when the flag has no one-letter form */
    bool takes_value;    /* "--name=value", "--name value", "-xvalue", "-x value" */
    bool repeatable;     /* may be given more than once */
    bool optional_value; /* a switch that also accepts "--name=value" */
};

struct cli_flag_table {
    const char *program; /* for messages: "monerod" */
    const struct cli_flag *flags;
    size_t count;
    bool short_options; /* the program accepts -x forms */
};

enum cli_flag_match { FLAG_MATCH_NONE, FLAG_MATCH_EXACT, FLAG_MATCH_PREFIX, FLAG_MATCH_AMBIGUOUS };

/* Resolves a long `name` (no dashes, no "=value") of length `len` as the program does. */
enum cli_flag_match cli_flag_resolve(const struct cli_flag_table *t, const char *name, size_t len,
                                     const struct cli_flag **flag);

/* The flag with one-letter form `c`, or NULL. */
const struct cli_flag *cli_flag_short(const struct cli_flag_table *t, char c);

/* Exact lookup by full long name; NULL when unknown. */
const struct cli_flag *cli_flag_find(const struct cli_flag_table *t, const char *name);

extern const struct cli_flag_table monerod_flags; /* monerod 0.18 */
extern const struct cli_flag_table xmrig_flags;   /* xmrig 6 */

#endif
