/*
 * quantity: Kubernetes resource quantities ("500m", "2Gi", "1e3"), parsed exactly and printed in
 * the canonical form the API server stores.
 *
 * Emitting the canonical form matters: the API server rewrites "1000m" to "1", and a desired
 * object that keeps saying "1000m" differs from what is stored on every sync, so Metacontroller
 * would update it forever. Values are exact (decimal mantissa and exponent, never floating
 * point); magnitudes beyond 2^63-1 are refused rather than capped.
 */
#ifndef MONERO_OPERATOR_QUANTITY_H
#define MONERO_OPERATOR_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum quantity_format { QUANTITY_DECIMAL_SI, QUANTITY_BINARY_SI, QUANTITY_DECIMAL_EXPONENT };

struct quantity {
    bool negative;
    unsigned __int128 mantissa; /* value = mantissa * 10^exponent10 (after binary suffixes) */
    int exponent10;
    enum quantity_format format;
};

/* Parses `text`; returns false (and sets *reason to a static string) when it is not a quantity
 * or cannot be represented (more than 2^63-1, or finer than 1n). */
bool quantity_parse(const char *text, struct quantity *q, const char **reason);

/* Writes the canonical form into out (at least 48 bytes). Returns false if it does not fit. */
bool quantity_format(const struct quantity *q, char *out, size_t out_size);

/* Parses and re-prints in canonical form; false with *reason as for quantity_parse. */
bool quantity_canonical(const char *text, char *out, size_t out_size, const char **reason);

/* Compares two quantities by value: <0, 0, >0. */
int quantity_compare(const struct quantity *a, const struct quantity *b);

/* The whole part of a non-negative quantity ("2500m" -> 2), at most `cap`; 0 for negatives. */
long long quantity_floor(const struct quantity *q, long long cap);

/* True when the quantity is strictly positive. */
bool quantity_is_positive(const struct quantity *q);

#endif
