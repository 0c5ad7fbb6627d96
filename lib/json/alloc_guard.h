/*
 * alloc_guard: jansson's allocator. It makes allocation failures visible, and lets a request
 * build and drop its JSON values in a per-thread arena.
 *
 * Failures: jansson reports a failed allocation by returning NULL, and json_array_append_new()
 * with NULL simply adds nothing: a response built while memory ran out could silently miss a
 * child, and Metacontroller deletes children missing from a response. With the guard
 * installed, any failed allocation on the current thread is remembered, and the server answers
 * 500 instead.
 *
 * Arenas: between alloc_guard_arena_begin() and alloc_guard_arena_end() on a thread, jansson's
 * allocations come from that thread's arena (bump allocation in chunks) and its frees cost
 * nothing; _end releases them all at once. A hook request allocates and frees thousands of
 * small values (a parsed request, the response tree), and glibc's malloc/free were a quarter
 * of its instructions. Rule: no jansson value allocated inside the window may outlive it (the
 * response text, written by json_write, is plain malloc memory). Freeing arena memory outside
 * its window aborts with a message instead of corrupting the heap. Under AddressSanitizer the
 * arena is a pass-through, so the sanitizer still sees every allocation of the hook code.
 */
#ifndef MONERO_OPERATOR_ALLOC_GUARD_H
#define MONERO_OPERATOR_ALLOC_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Routes jansson's allocations through the guard; call once at start-up. */
void alloc_guard_install(void);

/* Clears the current thread's flag (at the start of a request). */
void alloc_guard_reset(void);

/* True when an allocation failed on this thread since the last reset. */
bool alloc_guard_failed(void);

/* Starts and ends the current thread's arena window (not nested). _begin returns true when
 * the arena is in use, i.e. when _end releases every value allocated in the window whether or
 * not it was freed (false under AddressSanitizer: free each value as usual). */
bool alloc_guard_arena_begin(void);
void alloc_guard_arena_end(void);

/* Bytes handed out in the current or last window of this thread (for tests and benchmarks). */
size_t alloc_guard_arena_used(void);

#endif
