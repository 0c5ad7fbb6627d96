/*
 * conn_deadlines: deadlines a trickling client cannot extend.
 *
 * libmicrohttpd's connection timeout is an idle timeout: every byte received resets it, so a
 * client sending one header byte every few seconds holds a connection forever (slowloris). This
 * module keeps a clock per connection and a watchdog thread that cuts the connection (shutdown
 * of its socket, which libmicrohttpd then sees as closed and cleans up) when
 *   - its request headers are not complete `header_seconds` after the connection was accepted or
 *     its previous request finished, or
 *   - the whole request (body included) and its response are not done `request_seconds` after
 *     that same start.
 * An idle keep-alive connection therefore lasts at most `header_seconds` between requests.
 *
 * The server calls conn_deadlines_open when a connection starts and conn_deadlines_close when it
 * ends (libmicrohttpd notifies the end before it closes the socket, so the watchdog never touches
 * a descriptor that was closed and reused), and marks the steps in between.
 */
#ifndef MONERO_OPERATOR_CONN_DEADLINES_H
#define MONERO_OPERATOR_CONN_DEADLINES_H

#include <stdint.h>

struct conn_deadlines;
struct conn_clock;

struct conn_deadline_counts {
    uint64_t open;         /* connections now tracked */
    uint64_t cut_headers;  /* connections cut for slow headers, since start */
    uint64_t cut_requests; /* connections cut for a slow request or response, since start */
};

/* Starts the watchdog. NULL when the thread or memory cannot be had. */
struct conn_deadlines *conn_deadlines_start(unsigned header_seconds, unsigned request_seconds);

/* Stops the watchdog; every connection must have been closed (the server is stopped). */
void conn_deadlines_stop(struct conn_deadlines *d);

/* A connection on socket `fd` was accepted. NULL when out of memory (it then has no deadline). */
struct conn_clock *conn_deadlines_open(struct conn_deadlines *d, int fd);

/* The connection ends; `clock` is freed. Accepts NULL. */
void conn_deadlines_close(struct conn_deadlines *d, struct conn_clock *clock);

/* Its request headers are complete. Accepts NULL. */
void conn_deadlines_headers_done(struct conn_deadlines *d, struct conn_clock *clock);

/* Its request and response are done: the clock restarts for the next request. Accepts NULL. */
void conn_deadlines_request_done(struct conn_deadlines *d, struct conn_clock *clock);

void conn_deadlines_counts(struct conn_deadlines *d, struct conn_deadline_counts *out);

#endif
