/* monero_rpc: monerod RPC calls over a pluggable transport, parsed with jansson (see
 * monero_rpc.h). The transports live in monero_rpc_curl.c (libcurl) and monero_rpc_plain.c. */
#include "monero_rpc.h"

#include "monero_rpc/monero_rpc_transport.h"
#include "json/json_sanitize.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(struct monero_rpc_error *err, const char *method, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_error(struct monero_rpc_error *err, const char *method, const char *fmt, ...)
{
    va_list ap;
    snprintf(err->method, sizeof err->method, "%s", method);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

struct monero_rpc *monero_rpc_with_transport(const char *base_url, long timeout_ms,
                                             const struct monero_rpc_transport *transport,
                                             void *state)
{
    struct monero_rpc *rpc = calloc(1, sizeof *rpc);
    if (!rpc)
        return NULL;
    rpc->base_url = strdup(base_url);
    rpc->timeout_ms = timeout_ms;
    rpc->transport = transport;
    rpc->state = state;
    if (!rpc->base_url) {
        free(rpc);
        return NULL;
    }
    return rpc;
}

void monero_rpc_free(struct monero_rpc *rpc)
{
    if (!rpc)
        return;
    if (rpc->transport && rpc->transport->free)
        rpc->transport->free(rpc->state);
    free(rpc->base_url);
    free(rpc);
}

json_t *monero_rpc_parse(const char *body, size_t len, char *error, size_t error_size)
{
    char *copy = malloc(len + 1);
    json_error_t jerr;
    if (!copy) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    memcpy(copy, body, len);
    copy[len] = '\0';
    json_sanitize(copy, len);
    json_t *v = json_loadb(copy, len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &jerr);
    free(copy);
    if (!v)
        snprintf(error, error_size, "invalid JSON at line %d column %d: %s", jerr.line, jerr.column,
                 jerr.text);
    return v;
}

/* POSTs `body` to base_url + path; returns the parsed answer or NULL with err. */
static json_t *post(struct monero_rpc *rpc, const char *path, const char *body, const char *name,
                    struct monero_rpc_error *err)
{
    char url[1024], error[256] = "";
    struct monero_rpc_answer answer = {0};
    snprintf(url, sizeof url, "%s%s", rpc->base_url, path);
    memset(err, 0, sizeof *err);
    if (rpc->transport->post(rpc->state, url, body ? body : "", rpc->timeout_ms,
                             MONERO_RPC_MAX_ANSWER, &answer, error, sizeof error) < 0) {
        set_error(err, name, "%s", error);
        return NULL;
    }
    err->http_status = answer.status;
    json_t *v = NULL;
    if (answer.status != 200)
        set_error(err, name, "HTTP status %ld", answer.status);
    else if (!(v = monero_rpc_parse(answer.body ? answer.body : "", answer.len, error,
                                    sizeof error)))
        set_error(err, name, "%s", error);
    free(answer.body);
    return v;
}

/* Anything but status "OK" (BUSY, errors) is a failure; a missing status is accepted. */
static int check_status(const json_t *answer, const char *name, struct monero_rpc_error *err)
{
    const char *status = json_string_value(json_object_get(answer, "status"));
    if (!json_is_object(answer)) {
        set_error(err, name, "answer is not a JSON object");
        return -1;
    }
    if (status && strcmp(status, "OK") != 0) {
        set_error(err, name, "status %s", status);
        return -1;
    }
    return 0;
}

json_t *monero_rpc_call(struct monero_rpc *rpc, const char *method, const char *params_json,
                        struct monero_rpc_error *err)
{
    char body[4096];
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":\"0\",\"method\":\"%s\",\"params\":%s}", method,
             params_json ? params_json : "{}");
    json_t *answer = post(rpc, "/json_rpc", body, method, err);
    if (!answer)
        return NULL;
    json_t *error = json_object_get(answer, "error");
    json_t *result = json_object_get(answer, "result");
    if (error) {
        err->rpc_code = (long)json_number_value(json_object_get(error, "code"));
        set_error(err, method, "RPC error %ld: %s", err->rpc_code,
                  json_string_value(json_object_get(error, "message"))
                      ? json_string_value(json_object_get(error, "message"))
                      : "(no message)");
        result = NULL;
    } else if (!json_is_object(result)) {
        set_error(err, method, "answer without a result object");
        result = NULL;
    } else if (check_status(result, method, err) < 0) {
        result = NULL;
    }
    json_incref(result);
    json_decref(answer);
    return result;
}

json_t *monero_rpc_get(struct monero_rpc *rpc, const char *path, const char *body_json,
                       struct monero_rpc_error *err)
{
    json_t *answer = post(rpc, path, body_json ? body_json : "{}", path, err);
    if (answer && check_status(answer, path, err) < 0) {
        json_decref(answer);
        return NULL;
    }
    return answer;
}
