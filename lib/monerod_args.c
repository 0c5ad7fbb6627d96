/* monerod_args: parsing, checking and merging of monerod arguments (see monerod_args.h). */
#include "monerod_args.h"

#include <stdio.h>
#include <string.h>

static bool has_control_characters(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static int token_at(const json_t *tokens, size_t i, const char *field, const char **out,
                    struct spec_error *err)
{
    char where[96];
    snprintf(where, sizeof where, "%s[%zu]", field, i);
    const json_t *t = json_array_get(tokens, i);
    if (!json_is_string(t)) {
        spec_error_set(err, where, "must be a string");
        return -1;
    }
    *out = json_string_value(t);
    size_t len = json_string_length(t);
    if (len == 0 || len > MONEROD_USER_ARG_LEN_MAX || strlen(*out) != len ||
        has_control_characters(*out)) {
        spec_error_set(err, where, "must be 1 to %d printable characters",
                       MONEROD_USER_ARG_LEN_MAX);
        return -1;
    }
    return 0;
}

/* Reads the option starting at token i; advances *i past its value when it is separate. */
static int parse_option(const json_t *tokens, size_t *i, const char *field,
                        struct monerod_user_option *opt, struct spec_error *err)
{
    const char *text;
    char where[96];
    snprintf(where, sizeof where, "%s[%zu]", field, *i);
    if (token_at(tokens, *i, field, &text, err) < 0)
        return -1;
    if (strncmp(text, "--", 2) != 0) {
        spec_error_set(err, where,
                       "\"%s\" is not an option: monerod takes only --long-options "
                       "(a bare word would run as a daemon command and exit)",
                       text);
        return -1;
    }
    const char *name = text + 2, *eq = strchr(name, '=');
    size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
    opt->token = *i;
    opt->value = eq ? eq + 1 : NULL;
    enum monerod_flag_match m = monerod_flag_resolve(name, name_len, &opt->flag);
    if (m == FLAG_MATCH_AMBIGUOUS) {
        spec_error_set(err, where, "\"--%.*s\" is ambiguous: monerod would refuse it",
                       (int)name_len, name);
        return -1;
    }
    if (opt->flag && opt->flag->takes_value && !eq) {
        if (*i + 1 >= json_array_size(tokens)) {
            spec_error_set(err, where, "--%s needs a value", opt->flag->name);
            return -1;
        }
        if (token_at(tokens, ++*i, field, &opt->value, err) < 0)
            return -1;
    } else if (!opt->flag && !eq && *i + 1 < json_array_size(tokens)) {
        /* an option newer than our table: a following word can only be its value */
        const char *next = json_string_value(json_array_get(tokens, *i + 1));
        if (next && strncmp(next, "--", 2) != 0 &&
            token_at(tokens, ++*i, field, &opt->value, err) < 0)
            return -1;
    } else if (opt->flag && !opt->flag->takes_value && eq) {
        spec_error_set(err, where, "--%s is a switch and takes no value", opt->flag->name);
        return -1;
    }
    return 0;
}

static int check_repeats(const struct monerod_user_args *args, const char *field,
                         struct spec_error *err)
{
    for (size_t a = 0; a < args->count; a++) {
        const struct monerod_flag *f = args->options[a].flag;
        if (!f || f->repeatable)
            continue;
        for (size_t b = a + 1; b < args->count; b++) {
            if (args->options[b].flag == f) {
                char where[96];
                snprintf(where, sizeof where, "%s[%zu]", field, args->options[b].token);
                spec_error_set(err, where, "--%s is given more than once; monerod would refuse it",
                               f->name);
                return -1;
            }
        }
    }
    return 0;
}

int monerod_user_args_parse(const json_t *tokens, const char *field, struct monerod_user_args *out,
                            struct spec_error *err)
{
    out->tokens = tokens;
    out->count = 0;
    if (!tokens || json_is_null(tokens))
        return 0;
    if (!json_is_array(tokens)) {
        spec_error_set(err, field, "must be a list of strings");
        return -1;
    }
    if (json_array_size(tokens) > MONEROD_USER_ARGS_MAX) {
        spec_error_set(err, field, "at most %d arguments are allowed", MONEROD_USER_ARGS_MAX);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(tokens); i++) {
        if (parse_option(tokens, &i, field, &out->options[out->count], err) < 0)
            return -1;
        out->count++;
    }
    return check_repeats(out, field, err);
}

int monerod_user_args_check_reserved(const struct monerod_user_args *args, const char *field,
                                     const struct monerod_reserved *reserved, size_t n_reserved,
                                     struct spec_error *err)
{
    for (size_t a = 0; a < args->count; a++) {
        const struct monerod_flag *f = args->options[a].flag;
        for (size_t r = 0; f && r < n_reserved; r++) {
            if (strcmp(f->name, reserved[r].flag) != 0)
                continue;
            char where[96];
            snprintf(where, sizeof where, "%s[%zu]", field, args->options[a].token);
            spec_error_set(err, where, "--%s is managed by the operator: %s", f->name,
                           reserved[r].reason);
            return -1;
        }
    }
    return 0;
}

const struct monerod_user_option *monerod_user_args_find(const struct monerod_user_args *args,
                                                         const char *flag)
{
    for (size_t a = 0; a < args->count; a++)
        if (args->options[a].flag && strcmp(args->options[a].flag->name, flag) == 0)
            return &args->options[a];
    return NULL;
}

static bool default_replaced(const struct monerod_default *d, const struct monerod_user_args *args)
{
    if (monerod_user_args_find(args, d->flag))
        return true;
    for (size_t i = 0; i < sizeof d->replaced_by / sizeof *d->replaced_by; i++)
        if (d->replaced_by[i] && monerod_user_args_find(args, d->replaced_by[i]))
            return true;
    return false;
}

json_t *monerod_argv_compose(const struct monerod_default *defaults, size_t n_defaults,
                             const struct monerod_user_args *args)
{
    json_t *argv = json_array();
    char buf[512];
    for (size_t i = 0; i < n_defaults; i++) {
        const struct monerod_default *d = &defaults[i];
        if (default_replaced(d, args))
            continue;
        if (d->value)
            snprintf(buf, sizeof buf, "--%s=%s", d->flag, d->value);
        else
            snprintf(buf, sizeof buf, "--%s", d->flag);
        json_array_append_new(argv, json_string(buf));
    }
    for (size_t i = 0; args->tokens && i < json_array_size(args->tokens); i++)
        json_array_append(argv, json_array_get(args->tokens, i));
    return argv;
}
