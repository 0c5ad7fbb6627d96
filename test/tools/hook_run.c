/*
 * hook-run: runs one hook on a request read from standard input and prints the response,
 * indented with sorted keys. Used to draft fixture responses (which are then read and checked by
 * a person before being committed) and by the benchmarks.
 *
 *   build/test/hook-run moneronodeset < request.json > response.json
 *   build/test/hook-run moneronodeset customize < request.json
 *   build/test/hook-run moneronodeset child-types      the declared child types, as JSON
 */
#include "hooks/hook.h"
#include "hooks/hook_call.h"
#include "json/alloc_guard.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [{"key": "StatefulSet.apps/v1", "resource": "statefulsets"}, ...] for the fixture generator. */
static int print_child_types(const struct hook_def *hook)
{
    json_t *list = json_array();
    for (const struct hook_child_type *t = hook->child_types; t->key; t++)
        json_array_append_new(list, json_pack("{s:s,s:s}", "key", t->key, "resource", t->resource));
    json_dumpf(list, stdout, JSON_COMPACT);
    putchar('\n');
    json_decref(list);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || !hook_find_by_name(argv[1])) {
        fprintf(stderr, "usage: hook-run <hook> [customize|child-types] < request.json\n");
        return 2;
    }
    if (argc == 3 && strcmp(argv[2], "child-types") == 0)
        return print_child_types(hook_find_by_name(argv[1]));
    alloc_guard_install();
    size_t cap = 1 << 20, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (!buf)
        return 1;
    struct hook_answer reply = {0};
    if (argc == 3)
        hook_call(hook_find_by_name(argv[1]), HOOK_CALL_CUSTOMIZE, &hook_builtin_defaults, buf, len,
                  &reply);
    else
        hook_call(hook_find_by_name(argv[1]), HOOK_CALL_SYNC, &hook_builtin_defaults, buf, len,
                  &reply);
    free(buf);
    if (reply.http_status != 200) {
        fprintf(stderr, "%d %s", reply.http_status, reply.body ? reply.body : "");
        free(reply.body);
        return 1;
    }
    json_t *v = json_loadb(reply.body, reply.body_len, 0, NULL);
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
    putchar('\n');
    json_decref(v);
    free(reply.body);
    return 0;
}
