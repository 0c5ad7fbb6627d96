/*
 * floor-server: the hook server's HTTP path with the hook taken out, for `make bench`. The same
 * http_server (libmicrohttpd thread pool, body accumulation, limits, request accounting)
 * answers every POST with a constant body read from a file, so the difference between its
 * throughput and the real server's on the same requests is what the hooks cost.
 *
 *   floor-server PORT THREADS RESPONSE_FILE
 */
#include "http/http_server.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *constant;
static size_t constant_len;

static void answer(void *ctx, const struct http_request *req, struct http_reply *reply)
{
    (void)ctx;
    (void)req;
    reply->status = 200;
    reply->body = malloc(constant_len);
    memcpy(reply->body, constant, constant_len);
    reply->body_len = constant_len;
    reply->content_type = "application/json";
}

int main(int argc, char **argv)
{
    char err[256];
    if (argc != 4) {
        fprintf(stderr, "usage: floor-server PORT THREADS RESPONSE_FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[3], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        return 1;
    constant_len = (size_t)ftell(f);
    rewind(f);
    constant = malloc(constant_len);
    if (fread(constant, 1, constant_len, f) != constant_len)
        return 1;
    fclose(f);
    struct http_server_config c = {.bind_address = "127.0.0.1",
                                   .port = (uint16_t)atoi(argv[1]),
                                   .threads = (unsigned)atoi(argv[2]),
                                   .max_body_bytes = 64u << 20,
                                   .max_in_flight = 256,
                                   .connection_timeout_seconds = 30,
                                   .handler = answer};
    struct http_server *s = http_server_start(&c, err, sizeof err);
    if (!s) {
        fprintf(stderr, "floor-server: %s\n", err);
        return 1;
    }
    sigset_t set;
    int sig;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sigwait(&set, &sig);
    http_server_drain_and_stop(s, 5);
    free(constant);
    return 0;
}
