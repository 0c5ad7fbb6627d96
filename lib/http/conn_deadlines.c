/* conn_deadlines: per-connection clocks and the watchdog that cuts slow clients (see
 * conn_deadlines.h). */
#include "http/conn_deadlines.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define WATCHDOG_PERIOD_MS 200

enum conn_phase { WAITING_FOR_HEADERS, IN_REQUEST };

struct conn_clock {
    struct conn_clock *prev, *next;
    int fd;
    enum conn_phase phase;
    struct timespec since; /* accepted, or previous request done */
    bool cut;
};

struct conn_deadlines {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    struct conn_clock *head;
    double header_seconds, request_seconds;
    uint64_t open, cut_headers, cut_requests;
};

static double elapsed(const struct timespec *since, const struct timespec *now)
{
    return (double)(now->tv_sec - since->tv_sec) + (double)(now->tv_nsec - since->tv_nsec) / 1e9;
}

/* Cuts every connection past its deadline. Called with the lock held. */
static void cut_late_connections(struct conn_deadlines *d)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    for (struct conn_clock *c = d->head; c; c = c->next) {
        if (c->cut)
            continue;
        bool headers = c->phase == WAITING_FOR_HEADERS;
        if (elapsed(&c->since, &now) <= (headers ? d->header_seconds : d->request_seconds))
            continue;
        shutdown(c->fd, SHUT_RDWR); /* libmicrohttpd sees the end and closes the connection */
        c->cut = true;
        if (headers)
            d->cut_headers++;
        else
            d->cut_requests++;
    }
}

static void *watchdog(void *arg)
{
    struct conn_deadlines *d = arg;
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCHDOG_PERIOD_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&d->wake, &d->lock, &until);
        if (rc == ETIMEDOUT && !d->stopping)
            cut_late_connections(d);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

struct conn_deadlines *conn_deadlines_start(unsigned header_seconds, unsigned request_seconds)
{
    struct conn_deadlines *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->header_seconds = header_seconds;
    d->request_seconds = request_seconds;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    if (pthread_create(&d->thread, NULL, watchdog, d) != 0) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

void conn_deadlines_stop(struct conn_deadlines *d)
{
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    while (d->head) { /* none should be left; free them anyway */
        struct conn_clock *next = d->head->next;
        free(d->head);
        d->head = next;
    }
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

struct conn_clock *conn_deadlines_open(struct conn_deadlines *d, int fd)
{
    struct conn_clock *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    c->phase = WAITING_FOR_HEADERS;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_lock(&d->lock);
    c->next = d->head;
    if (d->head)
        d->head->prev = c;
    d->head = c;
    d->open++;
    pthread_mutex_unlock(&d->lock);
    return c;
}

void conn_deadlines_close(struct conn_deadlines *d, struct conn_clock *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        d->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    d->open--;
    pthread_mutex_unlock(&d->lock);
    free(c);
}

void conn_deadlines_headers_done(struct conn_deadlines *d, struct conn_clock *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->lock);
    c->phase = IN_REQUEST;
    pthread_mutex_unlock(&d->lock);
}

void conn_deadlines_request_done(struct conn_deadlines *d, struct conn_clock *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->lock);
    c->phase = WAITING_FOR_HEADERS;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_unlock(&d->lock);
}

void conn_deadlines_counts(struct conn_deadlines *d, struct conn_deadline_counts *out)
{
    pthread_mutex_lock(&d->lock);
    out->open = d->open;
    out->cut_headers = d->cut_headers;
    out->cut_requests = d->cut_requests;
    pthread_mutex_unlock(&d->lock);
}
