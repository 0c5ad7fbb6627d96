/*
 * copy_sender: one database copy on its way to a sibling. A thread writes the copy into a pipe
 * (chain_db_copy); the HTTP response reads the pipe, hashes and counts what passes, holds the
 * pace to the rate limit, and ends with the stream trailer (stream.h). A copy that fails ends
 * the response without a trailer, so the receiver cannot mistake it for a complete one.
 */
#ifndef MONERO_BOOTSTRAP_COPY_SENDER_H
#define MONERO_BOOTSTRAP_COPY_SENDER_H

#include "stream.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct copy_sender {
    const char *lmdb_dir;
    unsigned long rate_bytes_per_s; /* 0: as fast as the receiver takes it */
    int pipe_read, pipe_write;
    pthread_t thread;
    bool thread_started;
    int copy_result; /* of chain_db_copy, set by the thread */
    char copy_error[256];
    EVP_MD_CTX *sha;
    uint64_t sent; /* copy bytes handed to the response so far */
    double started;
    uint8_t trailer[STREAM_TRAILER_LEN];
    size_t trailer_sent;          /* SIZE_MAX until the copy has ended */
    atomic_ullong *bytes_counter; /* the server's bytes-sent total */
};

/* Starts the copy thread. -1 when no pipe or thread could be made. */
int copy_sender_start(struct copy_sender *s, const char *lmdb_dir, unsigned long rate,
                      atomic_ullong *bytes_counter);

/* The response's content reader (libmicrohttpd's MHD_ContentReaderCallback). */
ssize_t copy_sender_read(void *cls, uint64_t pos, char *buf, size_t max);

/* Stops the copy (a receiver that went away) and waits for the thread. Returns true when the
 * whole copy and its trailer were sent. */
bool copy_sender_finish(struct copy_sender *s);

#endif
