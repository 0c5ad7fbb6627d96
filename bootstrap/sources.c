/* sources: resolve and shuffle the siblings to copy from (see sources.h). */
#include "sources.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int split(const char *spec, char *host, size_t host_len, unsigned *port)
{
    const char *colon = strrchr(spec, ':');
    char *end;
    if (!colon || colon == spec)
        return -1;
    long p = strtol(colon + 1, &end, 10);
    if (*end != '\0' || p <= 0 || p > 65535)
        return -1;
    size_t len = (size_t)(colon - spec);
    if (spec[0] == '[' && colon[-1] == ']') {
        spec++;
        len -= 2;
    }
    if (len == 0 || len >= host_len)
        return -1;
    memcpy(host, spec, len);
    host[len] = '\0';
    *port = (unsigned)p;
    return 0;
}

static void add_unique(struct sources *out, const char *addr, unsigned port)
{
    for (size_t i = 0; i < out->n; i++)
        if (out->list[i].port == port && strcmp(out->list[i].host, addr) == 0)
            return;
    if (out->n == SOURCES_MAX)
        return;
    snprintf(out->list[out->n].host, sizeof out->list[out->n].host, "%s", addr);
    out->list[out->n++].port = port;
}

static void resolve_one(const char *host, unsigned port, struct sources *out)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return; /* no Ready sibling behind this name */
    for (ai = res; ai; ai = ai->ai_next) {
        char addr[INET6_ADDRSTRLEN];
        const void *a = ai->ai_family == AF_INET
                            ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                            : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        if (inet_ntop(ai->ai_family, a, addr, sizeof addr))
            add_unique(out, addr, port);
    }
    freeaddrinfo(res);
}

int sources_resolve(const char *const *specs, size_t n, struct sources *out, char *why,
                    size_t why_len)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        char host[256];
        unsigned port;
        if (split(specs[i], host, sizeof host, &port) < 0) {
            snprintf(why, why_len, "--from %s is not HOST:PORT", specs[i]);
            return -1;
        }
        resolve_one(host, port, out);
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (size_t i = out->n; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)rand() % i;
        struct source tmp = out->list[i - 1];
        out->list[i - 1] = out->list[j];
        out->list[j] = tmp;
    }
    return 0;
}

void source_format(const struct source *s, unsigned port, char *out, size_t len)
{
    snprintf(out, len, strchr(s->host, ':') ? "[%s]:%u" : "%s:%u", s->host, port);
}
