/* topology: mesh, ring and seeded random regular graphs (see topology.h). */
#include "daemons/topology.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct edge {
    uint32_t a, b; /* a < b */
};

/* splitmix64: small, fast, and fully determined by the seed on every platform. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t random_below(uint64_t *state, uint64_t bound)
{
    return next_random(state) % bound; /* bias below 2^-40 for the sizes used here */
}

/* Open-addressing set of edges, for O(1) duplicate checks during swaps. */
struct edge_set {
    uint64_t *slots; /* key + 1; 0 is empty */
    size_t mask;
};

static uint64_t edge_key(uint32_t a, uint32_t b)
{
    return a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
}

static size_t slot_of(const struct edge_set *s, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    size_t i = (size_t)(h >> 17) & s->mask;
    while (s->slots[i] && s->slots[i] != key + 1)
        i = (i + 1) & s->mask;
    return i;
}

static bool set_has(const struct edge_set *s, uint32_t a, uint32_t b)
{
    return s->slots[slot_of(s, edge_key(a, b))] != 0;
}

static void set_add(struct edge_set *s, uint32_t a, uint32_t b)
{
    uint64_t key = edge_key(a, b);
    s->slots[slot_of(s, key)] = key + 1;
}

/* Deletion with backward shift keeps probe chains intact. */
static void set_remove(struct edge_set *s, uint32_t a, uint32_t b)
{
    size_t i = slot_of(s, edge_key(a, b)), j = i;
    s->slots[i] = 0;
    for (;;) {
        j = (j + 1) & s->mask;
        if (!s->slots[j])
            return;
        uint64_t key = s->slots[j] - 1;
        size_t home = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & s->mask;
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            s->slots[i] = s->slots[j];
            s->slots[j] = 0;
            i = j;
        }
    }
}

static int set_init(struct edge_set *s, size_t edges)
{
    size_t size = 16;
    while (size < edges * 2 + 16)
        size <<= 1;
    s->slots = calloc(size, sizeof *s->slots);
    s->mask = size - 1;
    return s->slots ? 0 : -1;
}

static void add_edge(struct edge *edges, size_t *count, uint32_t a, uint32_t b)
{
    edges[*count].a = a < b ? a : b;
    edges[*count].b = a < b ? b : a;
    (*count)++;
}

static size_t mesh_edges(size_t n, struct edge *edges)
{
    size_t count = 0;
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = a + 1; b < n; b++)
            add_edge(edges, &count, a, b);
    return count;
}

/* Nodes in `order` joined in a cycle (n >= 3), or one link for n == 2. */
static size_t cycle_edges(size_t n, const uint32_t *order, struct edge *edges)
{
    size_t count = 0;
    if (n == 2)
        add_edge(edges, &count, order[0], order[1]);
    for (size_t i = 0; n >= 3 && i < n; i++)
        add_edge(edges, &count, order[i], order[(i + 1) % n]);
    return count;
}

/* Circulant graph: i linked to i±1 .. i±k/2, plus, for odd k, a matching across the circle
 * (i, i + n/2). Connected whenever k >= 2. */
static size_t circulant_edges(size_t n, size_t k, struct edge *edges)
{
    size_t count = 0;
    for (size_t d = 1; d <= k / 2; d++)
        for (size_t i = 0; i < n; i++)
            add_edge(edges, &count, (uint32_t)i, (uint32_t)((i + d) % n));
    if (k % 2 == 1) {
        size_t half = n / 2; /* n odd: node n-1 stays one link short */
        for (size_t i = 0; i < half; i++)
            add_edge(edges, &count, (uint32_t)i, (uint32_t)(i + half));
    }
    return count;
}

static void shuffle(uint32_t *v, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)random_below(state, i);
        uint32_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Degree-preserving double-edge swaps: (a,b),(c,d) -> (a,c),(b,d) or (a,d),(b,c). */
static void randomise(struct edge *edges, size_t count, struct edge_set *set, uint64_t *state,
                      size_t swaps)
{
    for (size_t s = 0; s < swaps && count >= 2; s++) {
        size_t i = (size_t)random_below(state, count), j = (size_t)random_below(state, count);
        if (i == j)
            continue;
        uint32_t a = edges[i].a, b = edges[i].b, c = edges[j].a, d = edges[j].b;
        if (next_random(state) & 1) {
            uint32_t t = c;
            c = d;
            d = t;
        }
        if (a == c || b == d || set_has(set, a, c) || set_has(set, b, d))
            continue;
        set_remove(set, edges[i].a, edges[i].b);
        set_remove(set, edges[j].a, edges[j].b);
        set_add(set, a, c);
        set_add(set, b, d);
        edges[i] = (struct edge){a < c ? a : c, a < c ? c : a};
        edges[j] = (struct edge){b < d ? b : d, b < d ? d : b};
    }
}

static int compare_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static int to_adjacency(size_t n, const struct edge *edges, size_t count, struct topology *t)
{
    t->n = n;
    t->edges = count;
    t->offsets = calloc(n + 1, sizeof *t->offsets);
    t->peers = malloc((2 * count + 1) * sizeof *t->peers);
    size_t *fill = calloc(n + 1, sizeof *fill);
    if (!t->offsets || !t->peers || !fill) {
        free(fill);
        topology_free(t);
        return -1;
    }
    for (size_t e = 0; e < count; e++) {
        t->offsets[edges[e].a + 1]++;
        t->offsets[edges[e].b + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        t->offsets[i + 1] += t->offsets[i];
    for (size_t e = 0; e < count; e++) {
        t->peers[t->offsets[edges[e].a] + fill[edges[e].a]++] = edges[e].b;
        t->peers[t->offsets[edges[e].b] + fill[edges[e].b]++] = edges[e].a;
    }
    free(fill);
    for (size_t i = 0; i < n; i++)
        qsort(t->peers + t->offsets[i], t->offsets[i + 1] - t->offsets[i], sizeof *t->peers,
              compare_u32);
    return 0;
}

int topology_is_connected(const struct topology *t)
{
    if (t->n <= 1)
        return 1;
    uint32_t *queue = malloc(t->n * sizeof *queue);
    bool *seen = calloc(t->n, sizeof *seen);
    size_t head = 0, tail = 0;
    if (!queue || !seen) {
        free(queue);
        free(seen);
        return 0;
    }
    queue[tail++] = 0;
    seen[0] = true;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (size_t p = t->offsets[v]; p < t->offsets[v + 1]; p++)
            if (!seen[t->peers[p]]) {
                seen[t->peers[p]] = true;
                queue[tail++] = t->peers[p];
            }
    }
    free(queue);
    free(seen);
    return tail == t->n;
}

#define RANDOM_ROUNDS 8

/* Random k-regular: swaps on a circulant, keeping the first connected result. */
static int random_regular(size_t n, size_t k, uint64_t seed, struct edge *edges,
                          struct topology *out)
{
    uint64_t state = seed;
    size_t count = circulant_edges(n, k, edges);
    struct edge_set set;
    if (set_init(&set, count) < 0)
        return -1;
    for (size_t e = 0; e < count; e++)
        set_add(&set, edges[e].a, edges[e].b);
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        randomise(edges, count, &set, &state, 10 * count);
        if (to_adjacency(n, edges, count, out) < 0)
            break;
        if (topology_is_connected(out)) {
            free(set.slots);
            return 0;
        }
        topology_free(out);
    }
    free(set.slots);
    count = circulant_edges(n, k, edges); /* always connected */
    return to_adjacency(n, edges, count, out);
}

static int valid_parameters(enum topology_type type, size_t n, size_t degree)
{
    if (n == 0 || n > UINT32_MAX)
        return 0;
    if (type != TOPOLOGY_RANDOM || n <= 2)
        return 1;
    return degree >= 2 && degree <= n - 1;
}

int topology_build(enum topology_type type, size_t n, size_t degree, uint64_t seed,
                   struct topology *out)
{
    memset(out, 0, sizeof *out);
    if (!valid_parameters(type, n, degree))
        return -1;
    if (type == TOPOLOGY_RANDOM && (n <= 2 || degree == n - 1))
        type = TOPOLOGY_MESH; /* the only such graph */
    size_t max_edges = type == TOPOLOGY_MESH ? n * (n - 1) / 2 : n * (degree > 2 ? degree : 2);
    struct edge *edges = malloc((max_edges + 1) * sizeof *edges);
    uint32_t *order = malloc(n * sizeof *order);
    int rc = -1;
    if (!edges || !order)
        goto done;
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    if (type == TOPOLOGY_MESH) {
        rc = to_adjacency(n, edges, mesh_edges(n, edges), out);
    } else if (type == TOPOLOGY_RING) {
        rc = to_adjacency(n, edges, cycle_edges(n, order, edges), out);
    } else if (degree == 2) { /* a connected 2-regular graph is one cycle: a random order */
        uint64_t state = seed;
        shuffle(order, n, &state);
        rc = to_adjacency(n, edges, cycle_edges(n, order, edges), out);
    } else {
        rc = random_regular(n, degree, seed, edges, out);
    }
done:
    free(edges);
    free(order);
    return rc;
}

void topology_free(struct topology *t)
{
    free(t->offsets);
    free(t->peers);
    t->offsets = NULL;
    t->peers = NULL;
}

const char *topology_type_name(enum topology_type type)
{
    static const char *const names[] = {"mesh", "ring", "random"};
    return names[type];
}

int topology_type_parse(const char *name, enum topology_type *type)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, topology_type_name((enum topology_type)i)) == 0) {
            *type = (enum topology_type)i;
            return 0;
        }
    return -1;
}
