/* spec_error: formatting of spec validation errors (see spec_error.h). */
#include "k8s/spec_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void spec_error_set(struct spec_error *err, const char *field, const char *fmt, ...)
{
    int n = snprintf(err->message, sizeof err->message, "%s: ", field);
    if (n < 0 || (size_t)n >= sizeof err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
}
