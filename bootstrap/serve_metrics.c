/* serve_metrics: the sending side's counters and this pod's received record as Prometheus
 * text (see serve_state.h). */
#include "serve_state.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static void counter(FILE *f, const char *name, const char *help, const char *labels,
                    unsigned long long value, int header)
{
    if (header)
        fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
    fprintf(f, "%s%s %llu\n", name, labels, value);
}

/* The record fetch leaves on the volume after installing a copy; nothing when absent. */
static void received(FILE *f, const char *path)
{
    json_t *r = path ? json_load_file(path, 0, NULL) : NULL;
    const char *source = json_string_value(json_object_get(r, "source"));
    if (!source) {
        json_decref(r);
        return;
    }
    static const char *const gauges[][3] = {
        {"monero_bootstrap_received_bytes", "bytes", "Size of the copy this node started from."},
        {"monero_bootstrap_received_seconds", "seconds", "Time the copy took to arrive."},
        {"monero_bootstrap_received_height", "height", "Height of the copy."},
        {"monero_bootstrap_received_timestamp_seconds", "finished",
         "When the copy was installed (Unix time)."},
    };
    for (size_t i = 0; i < sizeof gauges / sizeof gauges[0]; i++) {
        json_t *v = json_object_get(r, gauges[i][1]);
        if (!json_is_number(v))
            continue;
        fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s{source=\"%s\"} %.17g\n", gauges[i][0],
                gauges[i][2], gauges[i][0], gauges[i][0], source, json_number_value(v));
    }
    json_decref(r);
}

char *serve_metrics_text(struct serve_state *st)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    counter(f, "monero_bootstrap_sent_bytes_total", "Bytes of database copies sent to siblings.",
            "", atomic_load(&st->bytes_sent), 1);
    counter(f, "monero_bootstrap_copies_total", "Copies sent to siblings, by outcome.",
            "{result=\"completed\"}", atomic_load(&st->copies_completed), 1);
    counter(f, "monero_bootstrap_copies_total", "", "{result=\"failed\"}",
            atomic_load(&st->copies_failed), 0);
    counter(f, "monero_bootstrap_refused_total", "Copy requests refused, by reason.",
            "{reason=\"unauthorized\"}", atomic_load(&st->refused_unauthorized), 1);
    counter(f, "monero_bootstrap_refused_total", "", "{reason=\"busy\"}",
            atomic_load(&st->refused_busy), 0);
    counter(f, "monero_bootstrap_refused_total", "", "{reason=\"no_database\"}",
            atomic_load(&st->refused_no_database), 0);
    received(f, st->received_file);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
