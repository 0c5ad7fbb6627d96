/*
 * prom_text: writer for the Prometheus text exposition format (version 0.0.4) and
 * OpenMetrics 1.0 text, into a memory buffer.
 *
 * Label values are escaped (backslash, double quote, newline); metric and label names are
 * the caller's constants. Numbers are printed so that integers stay integers.
 */
#ifndef MONERO_OPERATOR_PROM_TEXT_H
#define MONERO_OPERATOR_PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct prom_writer {
    FILE *out;
    char *buf;
    size_t len;
    bool openmetrics; /* OpenMetrics: counters' samples end in _total, stream ends in # EOF */
};

int prom_writer_open(struct prom_writer *w, bool openmetrics);

/* Finishes the exposition and returns the malloc'd text (caller frees); NULL on failure. */
char *prom_writer_finish(struct prom_writer *w, size_t *len);

/* # HELP and # TYPE lines. `family` is the name without _total. type: counter, gauge, ... */
void prom_family(struct prom_writer *w, const char *family, const char *type, const char *help);

/* One sample. `labels` is NULL or a NULL-terminated list of name, value pairs. */
void prom_sample(struct prom_writer *w, const char *name, const char *const *labels, double value);

/* A family with one unlabelled sample: a gauge `name`, or a counter whose sample is
 * `family`_total. A NaN value (not known) writes nothing. */
void prom_gauge(struct prom_writer *w, const char *name, const char *help, double value);
void prom_counter(struct prom_writer *w, const char *family, const char *help, double value);

/* Writes a label value with exposition-format escaping. */
void prom_write_label_value(FILE *out, const char *value);

#endif
