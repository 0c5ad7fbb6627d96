/*
 * cli_args: user-supplied arguments of a program (monerod, xmrig), checked and merged with the
 * operator's own.
 *
 * User arguments are read the way the program reads them ("--flag=value", "--flag value",
 * unique prefixes, and "-x value" / "-xvalue" where the program has one-letter options). Three
 * kinds of flags exist:
 *   - reserved: the operator owns them (data dir, bind addresses, ...); a user value is refused
 *     with the reason, so a pod is never started with a configuration that cannot work;
 *   - defaults: the operator sets them unless the user gives the same flag (or one listed as
 *     replacing it), in which case the user's value is used instead, never both;
 *   - everything else passes through untouched, in the user's order.
 * The final command line is: operator defaults that were not replaced, then the user's tokens.
 */
#ifndef MONERO_OPERATOR_CLI_ARGS_H
#define MONERO_OPERATOR_CLI_ARGS_H

#include "daemons/cli_flags.h"
#include "k8s/spec_error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CLI_ARGS_MAX    256
#define CLI_ARG_LEN_MAX 4096

struct cli_option {
    const struct cli_flag *flag; /* resolved flag; NULL when the table does not know it */
    const char *value;           /* borrowed; NULL for switches */
    size_t value_len;
    size_t token; /* index of the option's first token in the user array */
};

struct cli_args {
    const struct cli_flag_table *table;
    const json_t *tokens; /* borrowed JSON array of strings (may be NULL: no user args) */
    size_t count;
    struct cli_option options[CLI_ARGS_MAX];
};

struct cli_default {
    const char *flag;  /* full long name without "--" */
    const char *value; /* NULL for a switch */
    /* further user flags that drop this default, e.g. "zmq-pub" drops "no-zmq" */
    const char *replaced_by[3];
};

struct cli_reserved {
    const char *flag;
    const char *reason; /* completes "--flag is managed by the operator: <reason>" */
};

/* Parses the JSON array at `field` ("spec.monerod.args"); NULL or absent means no arguments.
 * Refuses non-strings, empty tokens or control characters, positional words, ambiguous
 * prefixes, and repeated single-use flags. */
int cli_args_parse(const struct cli_flag_table *table, const json_t *tokens, const char *field,
                   struct cli_args *out, struct spec_error *err);

/* Refuses any user option whose flag is in `reserved`. */
int cli_args_check_reserved(const struct cli_args *args, const char *field,
                            const struct cli_reserved *reserved, size_t n_reserved,
                            struct spec_error *err);

/* The first option for `flag` (full name) the user gave, else NULL. */
const struct cli_option *cli_args_find(const struct cli_args *args, const char *flag);

/* The defaults the user did not replace, as "--flag[=value]" tokens (new array). */
json_t *cli_defaults_argv(const struct cli_default *defaults, size_t n_defaults,
                          const struct cli_args *args);

/* Appends the user's tokens, unchanged and in order. */
void cli_args_append_tokens(json_t *argv, const struct cli_args *args);

/* Builds argv (new reference): defaults not replaced by the user, then the user's tokens. */
json_t *cli_argv_compose(const struct cli_default *defaults, size_t n_defaults,
                         const struct cli_args *args);

#endif
