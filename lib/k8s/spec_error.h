/*
 * spec_error: what is wrong with a custom resource's spec, for the InvalidSpec condition.
 * The message always names the field ("spec.monerod.args[2]: ...").
 */
#ifndef MONERO_OPERATOR_SPEC_ERROR_H
#define MONERO_OPERATOR_SPEC_ERROR_H

struct spec_error {
    char message[384]; /* "<field>: <what is wrong>", one line */
};

void spec_error_set(struct spec_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
