/*
 * hook-run: runs one hook on a request read from standard input and prints the response,
 * indented with sorted keys. Used to draft fixture responses (which are then read and checked by
 * a person before being committed) and by the benchmarks.
 *
 *   build/test/hook-run moneronodeset < request.json > response.json
 *   build/test/hook-run moneronodeset customize < request.json
 */
#include "hooks/hook.h"
#include "json/alloc_guard.h"
#include "src/router.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || !hook_find_by_name(argv[1])) {
        fprintf(stderr, "usage: hook-run <hook> [customize] < request.json\n");
        return 2;
    }
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
    struct http_reply reply = {0};
    if (argc == 3)
        router_run_customize(hook_find_by_name(argv[1]), buf, len, &reply);
    else
        router_run_hook(hook_find_by_name(argv[1]), &hook_builtin_defaults, buf, len, &reply);
    free(buf);
    if (reply.status != 200) {
        fprintf(stderr, "%d %s", reply.status, reply.body ? reply.body : "");
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
