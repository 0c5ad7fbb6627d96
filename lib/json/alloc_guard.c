/* alloc_guard: jansson's allocator, with failure tracking and per-thread arenas (see
 * alloc_guard.h). */
#include "json/alloc_guard.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ENABLED 0
#endif
#endif
#ifndef ARENA_ENABLED
#define ARENA_ENABLED 1
#endif

#define FIRST_CHUNK (256u << 10) /* kept between requests */
#define MAX_CHUNK   (8u << 20)
#define MAX_CHUNKS  48
#define ALIGN       16

struct chunk {
    char *base;
    size_t size, used;
};

struct arena {
    bool active;
    struct chunk chunks[MAX_CHUNKS];
    size_t n_chunks;
    size_t handed_out;
};

static _Thread_local bool failed;
static _Thread_local struct arena arena;

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* A worker thread that ends gives its kept chunk back. */
static void release_at_exit(void *unused)
{
    (void)unused;
    for (size_t i = 0; i < arena.n_chunks; i++)
        free(arena.chunks[i].base);
    arena.n_chunks = 0;
}

static void make_exit_key(void)
{
    pthread_key_create(&exit_key, release_at_exit);
}

static bool owned(const struct arena *a, const void *p)
{
    for (size_t i = 0; i < a->n_chunks; i++)
        if ((const char *)p >= a->chunks[i].base &&
            (const char *)p < a->chunks[i].base + a->chunks[i].size)
            return true;
    return false;
}

/* A new chunk able to hold `size` bytes; NULL when out of memory or chunks. */
static struct chunk *grow(struct arena *a, size_t size)
{
    if (a->n_chunks == MAX_CHUNKS)
        return NULL;
    size_t want = a->n_chunks ? a->chunks[a->n_chunks - 1].size * 2 : FIRST_CHUNK;
    if (want > MAX_CHUNK)
        want = MAX_CHUNK;
    if (want < size)
        want = size;
    char *base = malloc(want);
    if (!base)
        return NULL;
    if (a->n_chunks == 0) {
        pthread_once(&exit_key_once, make_exit_key);
        pthread_setspecific(exit_key, a); /* any non-NULL value runs the destructor */
    }
    a->chunks[a->n_chunks] = (struct chunk){base, want, 0};
    return &a->chunks[a->n_chunks++];
}

static void *arena_alloc(struct arena *a, size_t size)
{
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct chunk *c = a->n_chunks ? &a->chunks[a->n_chunks - 1] : NULL;
    if (!c || c->size - c->used < need) {
        c = grow(a, need);
        if (!c)
            return NULL;
    }
    void *p = c->base + c->used;
    c->used += need;
    a->handed_out += need;
    return p;
}

static void *guarded_malloc(size_t size)
{
    void *p = ARENA_ENABLED && arena.active ? arena_alloc(&arena, size) : malloc(size);
    if (!p)
        failed = true;
    return p;
}

static void guarded_free(void *p)
{
    if (!p)
        return;
    if (ARENA_ENABLED && arena.n_chunks && owned(&arena, p)) {
        if (arena.active)
            return; /* released with the whole arena */
        fprintf(stderr, "alloc_guard: a JSON value outlived its request's arena\n");
        abort();
    }
    free(p);
}

void alloc_guard_install(void)
{
    json_set_alloc_funcs(guarded_malloc, guarded_free);
}

void alloc_guard_reset(void)
{
    failed = false;
}

bool alloc_guard_failed(void)
{
    return failed;
}

bool alloc_guard_arena_begin(void)
{
    arena.active = true;
    arena.handed_out = 0;
    return ARENA_ENABLED;
}

void alloc_guard_arena_end(void)
{
    arena.active = false;
    /* keep the first chunk for the next request; give larger ones back */
    for (size_t i = 1; i < arena.n_chunks; i++)
        free(arena.chunks[i].base);
    if (arena.n_chunks) {
        arena.chunks[0].used = 0;
        arena.n_chunks = 1;
    }
}

size_t alloc_guard_arena_used(void)
{
    return arena.handed_out;
}
