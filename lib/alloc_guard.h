/*
 * alloc_guard: makes an allocation failure inside jansson visible.
 *
 * jansson reports a failed allocation by returning NULL, and json_array_append_new() with NULL
 * simply adds nothing: a response built while memory ran out could silently miss a child, and
 * Metacontroller deletes children missing from a response. With the guard installed, any
 * failed allocation on the current thread is remembered, and the server answers 500 instead.
 */
#ifndef MONERO_OPERATOR_ALLOC_GUARD_H
#define MONERO_OPERATOR_ALLOC_GUARD_H

#include <stdbool.h>

/* Routes jansson's allocations through the guard; call once at start-up. */
void alloc_guard_install(void);

/* Clears the current thread's flag (at the start of a request). */
void alloc_guard_reset(void);

/* True when an allocation failed on this thread since the last reset. */
bool alloc_guard_failed(void);

#endif
