/* options: flag and environment parsing for subcommands (see options.h). */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(const char *command, const char *summary, const struct option_def *defs,
                       size_t n)
{
    printf("usage: monero-operator %s [options]\n\n%s\n\noptions:\n", command, summary);
    for (size_t i = 0; i < n; i++) {
        const struct option_def *d = &defs[i];
        char flag[96];
        char short_flag[8] = "    ";
        if (d->short_name)
            snprintf(short_flag, sizeof short_flag, "-%c, ", d->short_name);
        snprintf(flag, sizeof flag, "%s--%s%s%s", short_flag, d->name,
                 d->type == OPT_FLAG ? "" : " ", d->type == OPT_FLAG ? "" : d->metavar);
        printf("  %-36s %s\n", flag, d->help);
        if (d->type == OPT_STRING && *(const char **)d->target)
            printf("  %-36s default: %s\n", "", *(const char **)d->target);
        else if (d->type == OPT_UINT)
            printf("  %-36s default: %lu\n", "", *(unsigned long *)d->target);
        if (d->env)
            printf("  %-36s environment: %s\n", "", d->env);
    }
    printf("  %-36s show this help\n", "-h, --help");
}

static int set_value(const struct option_def *d, const char *value, const char *source)
{
    if (d->type == OPT_STRING) {
        *(const char **)d->target = value;
        return 0;
    }
    if (d->type == OPT_FLAG) {
        *(bool *)d->target = strcmp(value, "0") != 0 && strcmp(value, "false") != 0;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (errno || *end || !*value || value[0] == '-' || v > d->max) {
        fprintf(stderr, "monero-operator: %s: \"%s\" must be a number from 0 to %lu\n", source,
                value, d->max);
        return -1;
    }
    *(unsigned long *)d->target = v;
    return 0;
}

static const struct option_def *find(const struct option_def *defs, size_t n, const char *name,
                                     size_t len, char short_name)
{
    for (size_t i = 0; i < n; i++) {
        if (short_name && defs[i].short_name == short_name)
            return &defs[i];
        if (!short_name && strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
            return &defs[i];
    }
    return NULL;
}

static int apply_environment(const struct option_def *defs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = defs[i].env ? getenv(defs[i].env) : NULL;
        if (v && *v && set_value(&defs[i], v, defs[i].env) < 0)
            return -1;
    }
    return 0;
}

int options_parse(const char *command, const char *summary, const struct option_def *defs,
                  size_t n_defs, int argc, char **argv)
{
    if (apply_environment(defs, n_defs) < 0)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        const struct option_def *d = NULL;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_help(command, summary, defs, n_defs);
            return 1;
        }
        if (strncmp(arg, "--", 2) == 0) {
            const char *eq = strchr(arg + 2, '=');
            size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
            d = find(defs, n_defs, arg + 2, len, 0);
            value = eq ? eq + 1 : NULL;
        } else if (arg[0] == '-' && arg[1] && !arg[2]) {
            d = find(defs, n_defs, NULL, 0, arg[1]);
        }
        if (!d) {
            fprintf(stderr, "monero-operator %s: unknown option \"%s\" (see --help)\n", command,
                    arg);
            return -1;
        }
        if (d->type == OPT_FLAG && !value)
            value = "1";
        if (!value && i + 1 >= argc) {
            fprintf(stderr, "monero-operator %s: --%s needs a value\n", command, d->name);
            return -1;
        }
        if (set_value(d, value ? value : argv[++i], d->name) < 0)
            return -1;
    }
    return 0;
}
