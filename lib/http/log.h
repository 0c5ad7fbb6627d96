/*
 * log: one JSON object per line on stderr, written with a single write(2) so lines from
 * concurrent threads never interleave.
 */
#ifndef MONERO_OPERATOR_LOG_H
#define MONERO_OPERATOR_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_set_fd(int fd);

/* Writes {"ts", "level", "msg", ...fields}; `fields` is stolen (may be NULL). */
void log_event(enum log_level level, const char *msg, json_t *fields);

/* Convenience for messages without fields, printf-style. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
