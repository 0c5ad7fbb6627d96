/*
 * options: table-driven command-line options with environment-variable fallbacks.
 *
 * Precedence: --flag, then the environment variable, then the compiled-in default. `--help`
 * prints every option with its variable and default.
 */
#ifndef MONERO_OPERATOR_OPTIONS_H
#define MONERO_OPERATOR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum option_type { OPT_STRING, OPT_UINT, OPT_FLAG };

struct option_def {
    const char *name; /* long flag without dashes */
    char short_name;  /* 0 when none */
    const char *env;  /* environment variable, or NULL */
    enum option_type type;
    void *target;      /* const char **, unsigned long *, or bool * */
    unsigned long max; /* OPT_UINT: largest accepted value */
    const char *metavar;
    const char *help;
};

/*
 * Parses argv (argv[0] is the command name) into the targets. Positional arguments are not
 * accepted. Returns 0, 1 when --help was printed, or -1 after printing an error.
 */
int options_parse(const char *command, const char *summary, const struct option_def *defs,
                  size_t n_defs, int argc, char **argv);

#endif
