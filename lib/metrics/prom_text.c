/* prom_text: Prometheus / OpenMetrics text writer (see prom_text.h). */
#include "metrics/prom_text.h"

#include <math.h>
#include <stdlib.h>

int prom_writer_open(struct prom_writer *w, bool openmetrics)
{
    w->buf = NULL;
    w->len = 0;
    w->openmetrics = openmetrics;
    w->out = open_memstream(&w->buf, &w->len);
    return w->out ? 0 : -1;
}

char *prom_writer_finish(struct prom_writer *w, size_t *len)
{
    if (w->openmetrics)
        fputs("# EOF\n", w->out);
    if (fclose(w->out) != 0) {
        free(w->buf);
        return NULL;
    }
    *len = w->len;
    return w->buf;
}

void prom_family(struct prom_writer *w, const char *family, const char *type, const char *help)
{
    fprintf(w->out, "# HELP %s %s\n# TYPE %s %s\n", family, help, family, type);
}

void prom_write_label_value(FILE *out, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == '\\')
            fputs("\\\\", out);
        else if (*p == '"')
            fputs("\\\"", out);
        else if (*p == '\n')
            fputs("\\n", out);
        else
            fputc(*p, out);
    }
}

static void write_value(FILE *out, double v)
{
    if (isnan(v))
        fputs("NaN", out);
    else if (isinf(v))
        fputs(v > 0 ? "+Inf" : "-Inf", out);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.9g", v);
}

void prom_sample(struct prom_writer *w, const char *name, const char *const *labels, double value)
{
    fputs(name, w->out);
    if (labels && labels[0]) {
        fputc('{', w->out);
        for (size_t i = 0; labels[i]; i += 2) {
            fprintf(w->out, "%s%s=\"", i ? "," : "", labels[i]);
            prom_write_label_value(w->out, labels[i + 1]);
            fputc('"', w->out);
        }
        fputc('}', w->out);
    }
    fputc(' ', w->out);
    write_value(w->out, value);
    fputc('\n', w->out);
}

void prom_gauge(struct prom_writer *w, const char *name, const char *help, double value)
{
    if (isnan(value))
        return;
    prom_family(w, name, "gauge", help);
    prom_sample(w, name, NULL, value);
}

void prom_counter(struct prom_writer *w, const char *family, const char *help, double value)
{
    char sample[160];
    if (isnan(value))
        return;
    snprintf(sample, sizeof sample, "%s_total", family);
    prom_family(w, w->openmetrics ? family : sample, "counter", help); /* OpenMetrics: no _total */
    prom_sample(w, sample, NULL, value);
}
