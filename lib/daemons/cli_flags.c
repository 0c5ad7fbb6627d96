/* cli_flags: option lookup with prefix resolution (see cli_flags.h). */
#include "daemons/cli_flags.h"

#include <string.h>

enum cli_flag_match cli_flag_resolve(const struct cli_flag_table *t, const char *name, size_t len,
                                     const struct cli_flag **flag)
{
    const struct cli_flag *candidate = NULL;
    size_t candidates = 0;
    *flag = NULL;
    if (len == 0)
        return FLAG_MATCH_NONE;
    for (size_t i = 0; i < t->count; i++) {
        if (strncmp(t->flags[i].name, name, len) != 0)
            continue;
        if (t->flags[i].name[len] == '\0') {
            *flag = &t->flags[i];
            return FLAG_MATCH_EXACT; /* an exact name wins over longer names it prefixes */
        }
        candidate = &t->flags[i];
        candidates++;
    }
    if (candidates == 1) {
        *flag = candidate;
        return FLAG_MATCH_PREFIX;
    }
    return candidates ? FLAG_MATCH_AMBIGUOUS : FLAG_MATCH_NONE;
}

const struct cli_flag *cli_flag_short(const struct cli_flag_table *t, char c)
{
    for (size_t i = 0; c && i < t->count; i++)
        if (t->flags[i].short_name == c)
            return &t->flags[i];
    return NULL;
}

const struct cli_flag *cli_flag_find(const struct cli_flag_table *t, const char *name)
{
    const struct cli_flag *flag;
    return cli_flag_resolve(t, name, strlen(name), &flag) == FLAG_MATCH_EXACT ? flag : NULL;
}
