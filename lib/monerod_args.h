/*
 * monerod_args: user-supplied monerod arguments, checked and merged with the operator's own.
 *
 * User arguments are read the way monerod reads them ("--flag=value", "--flag value", unique
 * prefixes). Three kinds of flags exist:
 *   - reserved: the operator owns them (data dir, bind addresses, ...); a user value is refused
 *     with the reason, so a pod is never started with a configuration that cannot work;
 *   - defaults: the operator sets them unless the user gives the same flag (or one listed as
 *     replacing it), in which case the user's value is used instead, never both;
 *   - everything else passes through untouched, in the user's order.
 * The final command line is: operator defaults that were not replaced, then the user's tokens.
 */
#ifndef MONERO_OPERATOR_MONEROD_ARGS_H
#define MONERO_OPERATOR_MONEROD_ARGS_H

#include "monerod_flags.h"
#include "spec_error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define MONEROD_USER_ARGS_MAX    256
#define MONEROD_USER_ARG_LEN_MAX 4096

struct monerod_user_option {
    const struct monerod_flag *flag; /* resolved flag; NULL when monerod 0.18 does not know it */
    const char *value;               /* borrowed; NULL for switches */
    size_t token;                    /* index of the option's first token in the user array */
};

struct monerod_user_args {
    const json_t *tokens; /* borrowed JSON array of strings (may be NULL: no user args) */
    size_t count;
    struct monerod_user_option options[MONEROD_USER_ARGS_MAX];
};

struct monerod_default {
    const char *flag;  /* full flag name without "--" */
    const char *value; /* NULL for a switch */
    /* further user flags that drop this default, e.g. "zmq-pub" drops "no-zmq" */
    const char *replaced_by[3];
};

struct monerod_reserved {
    const char *flag;
    const char *reason; /* completes "--flag is managed by the operator: <reason>" */
};

/* Parses the JSON array at `field` ("spec.monerod.args"); NULL or absent means no arguments.
 * Refuses non-strings, empty or control characters, positional words, ambiguous prefixes and
 * repeated single-use flags. */
int monerod_user_args_parse(const json_t *tokens, const char *field, struct monerod_user_args *out,
                            struct spec_error *err);

/* Refuses any user option whose flag is in `reserved`. */
int monerod_user_args_check_reserved(const struct monerod_user_args *args, const char *field,
                                     const struct monerod_reserved *reserved, size_t n_reserved,
                                     struct spec_error *err);

/* The option for `flag` (full name) if the user gave it, else NULL. */
const struct monerod_user_option *monerod_user_args_find(const struct monerod_user_args *args,
                                                         const char *flag);

/* Builds the argv array (new reference): defaults not replaced by the user, then user tokens. */
json_t *monerod_argv_compose(const struct monerod_default *defaults, size_t n_defaults,
                             const struct monerod_user_args *args);

#endif
