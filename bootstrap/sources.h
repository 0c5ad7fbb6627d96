/*
 * sources: the siblings a new node may copy from. Each --from is HOST:PORT; a HOST that is a DNS
 * name stands for every address it resolves to (the set's bootstrap Service is headless and
 * lists only Ready pods, so its name resolves to every Ready sibling, or to nothing). The list is
 * shuffled so that several new nodes spread over the siblings.
 */
#ifndef MONERO_BOOTSTRAP_SOURCES_H
#define MONERO_BOOTSTRAP_SOURCES_H

#include <stddef.h>

#define SOURCES_MAX 64

struct source {
    char host[64]; /* numeric address, IPv6 without brackets */
    unsigned port;
};

struct sources {
    struct source list[SOURCES_MAX];
    size_t n;
};

/* Resolves every "HOST:PORT" of `specs` (n of them). Names that do not resolve add nothing;
 * -1 only for a malformed spec (with the reason in `why`). */
int sources_resolve(const char *const *specs, size_t n, struct sources *out, char *why,
                    size_t why_len);

/* "10.0.0.5:18090" or "[fd00::5]:18090". */
void source_format(const struct source *s, unsigned port, char *out, size_t len);

#endif
