/*
 * topology: who peers with whom in a closed network of n nodes.
 *
 *   full mesh  every node with every other one: n(n-1)/2 links
 *   ring       node i with i-1 and i+1 (mod n): connected, degree 2, diameter n/2
 *   random     a random k-regular graph (seeded, so the same seed gives the same graph),
 *              always connected: a connected circulant graph randomised by degree-preserving
 *              edge swaps, falling back to the circulant itself if swaps never yield a
 *              connected graph. When n*k is odd, one node has degree k-1.
 *
 * Graphs are undirected and simple (no self-links, no duplicates); adjacency lists are sorted.
 * Memory and time are O(n*k) for ring and random, O(n^2) for the mesh.
 */
#ifndef MONERO_OPERATOR_TOPOLOGY_H
#define MONERO_OPERATOR_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

enum topology_type { TOPOLOGY_MESH, TOPOLOGY_RING, TOPOLOGY_RANDOM };

struct topology {
    size_t n;
    size_t *offsets; /* n + 1 entries: neighbours of i are peers[offsets[i] .. offsets[i+1]) */
    uint32_t *peers;
    size_t edges; /* undirected links */
};

/* Builds the graph. `degree` and `seed` are used by TOPOLOGY_RANDOM only; degree must be at
 * least 2 (or n-1 when n <= 2) and at most n-1. Returns 0, or -1 for impossible parameters or
 * when memory runs out. */
int topology_build(enum topology_type type, size_t n, size_t degree, uint64_t seed,
                   struct topology *out);

void topology_free(struct topology *t);

/* True when every node can reach every other one. */
int topology_is_connected(const struct topology *t);

/* Name ("mesh", "ring", "random") and lookup. */
const char *topology_type_name(enum topology_type type);
int topology_type_parse(const char *name, enum topology_type *type);

#endif
