/* cli_args: parsing, checking and merging of program arguments (see cli_args.h). */
#include "daemons/cli_args.h"

#include <stdio.h>
#include <string.h>

static bool has_control_characters(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

static void where_at(char *out, size_t size, const char *field, size_t i)
{
    snprintf(out, size, "%s[%zu]", field, i);
}

static int token_at(const json_t *tokens, size_t i, const char *field, const char **out,
                    struct spec_error *err)
{
    char where[128];
    const json_t *t = json_array_get(tokens, i);
    where_at(where, sizeof where, field, i);
    if (!json_is_string(t)) {
        spec_error_set(err, where, "must be a string");
        return -1;
    }
    *out = json_string_value(t);
    size_t len = json_string_length(t);
    if (len == 0 || len > CLI_ARG_LEN_MAX || strlen(*out) != len ||
        has_control_characters(*out, len)) {
        spec_error_set(err, where, "must be 1 to %d printable characters", CLI_ARG_LEN_MAX);
        return -1;
    }
    return 0;
}

static struct cli_option *new_option(struct cli_args *args, size_t token, const char *field,
                                     struct spec_error *err)
{
    if (args->count >= CLI_ARGS_MAX) {
        spec_error_set(err, field, "at most %d options are allowed", CLI_ARGS_MAX);
        return NULL;
    }
    struct cli_option *o = &args->options[args->count++];
    memset(o, 0, sizeof *o);
    o->token = token;
    return o;
}

/* Takes the next token as the value of `o`. */
static int take_next(const json_t *tokens, size_t *i, const char *field, struct cli_option *o,
                     struct spec_error *err)
{
    char where[128];
    where_at(where, sizeof where, field, *i);
    if (*i + 1 >= json_array_size(tokens)) {
        spec_error_set(err, where, "--%s needs a value", o->flag->name);
        return -1;
    }
    if (token_at(tokens, ++*i, field, &o->value, err) < 0)
        return -1;
    o->value_len = strlen(o->value);
    return 0;
}

static int parse_long(struct cli_args *args, size_t *i, const char *text, const char *field,
                      struct spec_error *err)
{
    char where[128];
    const char *name = text + 2, *eq = strchr(name, '=');
    size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
    struct cli_option *o = new_option(args, *i, field, err);
    where_at(where, sizeof where, field, *i);
    if (!o)
        return -1;
    if (name_len == 0) {
        spec_error_set(err, where, "\"%s\" is not an option", text);
        return -1;
    }
    if (cli_flag_resolve(args->table, name, name_len, &o->flag) == FLAG_MATCH_AMBIGUOUS) {
        spec_error_set(err, where, "\"--%.*s\" is ambiguous: %s would refuse it", (int)name_len,
                       name, args->table->program);
        return -1;
    }
    if (eq) {
        o->value = eq + 1;
        o->value_len = strlen(o->value);
        if (o->flag && !o->flag->takes_value && !o->flag->optional_value) {
            spec_error_set(err, where, "--%s is a switch and takes no value", o->flag->name);
            return -1;
        }
        return 0;
    }
    if (o->flag && o->flag->takes_value)
        return take_next(args->tokens, i, field, o, err);
    if (!o->flag && *i + 1 < json_array_size(args->tokens)) {
        /* an option newer than our table: a following non-option word can only be its value */
        const char *next = json_string_value(json_array_get(args->tokens, *i + 1));
        if (next && next[0] != '-' && token_at(args->tokens, ++*i, field, &o->value, err) < 0)
            return -1;
        o->value_len = o->value ? strlen(o->value) : 0;
    }
    return 0;
}

/* "-x", "-xVALUE", "-x VALUE" and grouped switches "-kB", as getopt reads them. */
static int parse_short(struct cli_args *args, size_t *i, const char *text, const char *field,
                       struct spec_error *err)
{
    for (const char *c = text + 1; *c; c++) {
        struct cli_option *o = new_option(args, *i, field, err);
        if (!o)
            return -1;
        o->flag = cli_flag_short(args->table, *c);
        if (!o->flag || !o->flag->takes_value)
            continue; /* unknown letters are passed on; the program reports them */
        if (c[1]) {
            o->value = c + 1;
            o->value_len = strlen(o->value);
            return 0;
        }
        return take_next(args->tokens, i, field, o, err);
    }
    return 0;
}

static int parse_token(struct cli_args *args, size_t *i, const char *field, struct spec_error *err)
{
    const char *text;
    char where[128];
    if (token_at(args->tokens, *i, field, &text, err) < 0)
        return -1;
    if (strncmp(text, "--", 2) == 0)
        return parse_long(args, i, text, field, err);
    if (text[0] == '-' && text[1] && args->table->short_options)
        return parse_short(args, i, text, field, err);
    where_at(where, sizeof where, field, *i);
    spec_error_set(err, where, "\"%s\" is not an option: %s takes %s", text, args->table->program,
                   args->table->short_options ? "-x and --long options"
                                              : "only --long-options (a bare word would run as a "
                                                "daemon command and exit)");
    return -1;
}

static int check_repeats(const struct cli_args *args, const char *field, struct spec_error *err)
{
    for (size_t a = 0; a < args->count; a++) {
        const struct cli_flag *f = args->options[a].flag;
        for (size_t b = a + 1; f && !f->repeatable && b < args->count; b++) {
            if (args->options[b].flag == f) {
                char where[128];
                where_at(where, sizeof where, field, args->options[b].token);
                spec_error_set(err, where, "--%s is given more than once; %s would refuse it",
                               f->name, args->table->program);
                return -1;
            }
        }
    }
    return 0;
}

int cli_args_parse(const struct cli_flag_table *table, const json_t *tokens, const char *field,
                   struct cli_args *out, struct spec_error *err)
{
    out->table = table;
    out->tokens = tokens;
    out->count = 0;
    if (!tokens || json_is_null(tokens))
        return 0;
    if (!json_is_array(tokens)) {
        spec_error_set(err, field, "must be a list of strings");
        return -1;
    }
    if (json_array_size(tokens) > CLI_ARGS_MAX) {
        spec_error_set(err, field, "at most %d arguments are allowed", CLI_ARGS_MAX);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(tokens); i++)
        if (parse_token(out, &i, field, err) < 0)
            return -1;
    return check_repeats(out, field, err);
}

int cli_args_check_reserved(const struct cli_args *args, const char *field,
                            const struct cli_reserved *reserved, size_t n_reserved,
                            struct spec_error *err)
{
    for (size_t a = 0; a < args->count; a++) {
        const struct cli_flag *f = args->options[a].flag;
        for (size_t r = 0; f && r < n_reserved; r++) {
            if (strcmp(f->name, reserved[r].flag) != 0)
                continue;
            char where[128];
            where_at(where, sizeof where, field, args->options[a].token);
            spec_error_set(err, where, "--%s is managed by the operator: %s", f->name,
                           reserved[r].reason);
            return -1;
        }
    }
    return 0;
}

const struct cli_option *cli_args_find(const struct cli_args *args, const char *flag)
{
    for (size_t a = 0; a < args->count; a++)
        if (args->options[a].flag && strcmp(args->options[a].flag->name, flag) == 0)
            return &args->options[a];
    return NULL;
}

static bool default_replaced(const struct cli_default *d, const struct cli_args *args)
{
    if (cli_args_find(args, d->flag))
        return true;
    for (size_t i = 0; i < sizeof d->replaced_by / sizeof *d->replaced_by; i++)
        if (d->replaced_by[i] && cli_args_find(args, d->replaced_by[i]))
            return true;
    return false;
}

json_t *cli_defaults_argv(const struct cli_default *defaults, size_t n_defaults,
                          const struct cli_args *args)
{
    json_t *argv = json_array();
    char buf[768];
    for (size_t i = 0; i < n_defaults; i++) {
        const struct cli_default *d = &defaults[i];
        if (default_replaced(d, args))
            continue;
        if (d->value)
            snprintf(buf, sizeof buf, "--%s=%s", d->flag, d->value);
        else
            snprintf(buf, sizeof buf, "--%s", d->flag);
        json_array_append_new(argv, json_string(buf));
    }
    return argv;
}

void cli_args_append_tokens(json_t *argv, const struct cli_args *args)
{
    for (size_t i = 0; args->tokens && i < json_array_size(args->tokens); i++)
        json_array_append(argv, json_array_get(args->tokens, i));
}

json_t *cli_argv_compose(const struct cli_default *defaults, size_t n_defaults,
                         const struct cli_args *args)
{
    json_t *argv = cli_defaults_argv(defaults, n_defaults, args);
    cli_args_append_tokens(argv, args);
    return argv;
}
