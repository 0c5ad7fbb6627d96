/* alloc_guard: per-thread record of failed jansson allocations (see alloc_guard.h). */
#include "alloc_guard.h"

#include <jansson.h>
#include <stdlib.h>

static _Thread_local bool failed;

static void *guarded_malloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        failed = true;
    return p;
}

void alloc_guard_install(void)
{
    json_set_alloc_funcs(guarded_malloc, free);
}

void alloc_guard_reset(void)
{
    failed = false;
}

bool alloc_guard_failed(void)
{
    return failed;
}
