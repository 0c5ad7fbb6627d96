/* copy_sender: stream one consistent copy with its trailer (see copy_sender.h). */
#include "copy_sender.h"

#include "chain_db.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *copy_thread(void *arg)
{
    struct copy_sender *s = arg;
    s->copy_result = chain_db_copy(s->lmdb_dir, s->pipe_write, s->copy_error, sizeof s->copy_error);
    if (s->copy_result != 0)
        fprintf(stderr, "monero-bootstrap: copy failed: %s\n", s->copy_error);
    close(s->pipe_write); /* the reader sees the end */
    s->pipe_write = -1;
    return NULL;
}

int copy_sender_start(struct copy_sender *s, const char *lmdb_dir, unsigned long rate,
                      atomic_ullong *bytes_counter)
{
    int fds[2];
    memset(s, 0, sizeof *s);
    s->lmdb_dir = lmdb_dir;
    s->rate_bytes_per_s = rate;
    s->bytes_counter = bytes_counter;
    s->trailer_sent = SIZE_MAX;
    s->pipe_read = s->pipe_write = -1;
    s->sha = EVP_MD_CTX_new();
    if (!s->sha || EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL) != 1 || pipe(fds) < 0)
        return -1;
    s->pipe_read = fds[0];
    s->pipe_write = fds[1];
    s->started = now_seconds();
    if (pthread_create(&s->thread, NULL, copy_thread, s) != 0)
        return -1;
    s->thread_started = true;
    return 0;
}

/* Sleeps until `sent` bytes are within the rate limit since the start. */
static void hold_pace(const struct copy_sender *s)
{
    if (s->rate_bytes_per_s == 0)
        return;
    double due = s->started + (double)s->sent / (double)s->rate_bytes_per_s;
    double wait = due - now_seconds();
    if (wait > 0) {
        struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* The copy ended: the trailer when it succeeded, else the end of the response with an error. */
static ssize_t copy_ended(struct copy_sender *s)
{
    uint8_t digest[32];
    unsigned int len = 0;
    pthread_join(s->thread, NULL);
    s->thread_started = false;
    if (s->copy_result != 0 || EVP_DigestFinal_ex(s->sha, digest, &len) != 1 || len != 32)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    stream_trailer_encode(s->sent, digest, s->trailer);
    s->trailer_sent = 0;
    return 0;
}

ssize_t copy_sender_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct copy_sender *s = cls;
    (void)pos;
    if (s->trailer_sent == SIZE_MAX) {
        ssize_t n;
        do
            n = read(s->pipe_read, buf, max);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (n > 0) {
            if (EVP_DigestUpdate(s->sha, buf, (size_t)n) != 1)
                return MHD_CONTENT_READER_END_WITH_ERROR;
            s->sent += (uint64_t)n;
            atomic_fetch_add(s->bytes_counter, (unsigned long long)n);
            hold_pace(s);
            return n;
        }
        if (copy_ended(s) < 0)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t left = STREAM_TRAILER_LEN - s->trailer_sent;
    if (left == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = left < max ? left : max;
    memcpy(buf, s->trailer + s->trailer_sent, n);
    s->trailer_sent += n;
    return (ssize_t)n;
}

bool copy_sender_finish(struct copy_sender *s)
{
    if (s->pipe_read >= 0)
        close(s->pipe_read); /* a writer still copying gets EPIPE and stops */
    s->pipe_read = -1;
    if (s->thread_started)
        pthread_join(s->thread, NULL);
    s->thread_started = false;
    if (s->pipe_write >= 0)
        close(s->pipe_write);
    s->pipe_write = -1;
    EVP_MD_CTX_free(s->sha);
    s->sha = NULL;
    return s->copy_result == 0 && s->trailer_sent == STREAM_TRAILER_LEN;
}
