/* hook_auth: the bearer token the hooks require (see hook_auth.h). */
#include "hook_auth.h"
#include "token.h"

#include "http/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct hook_auth {
    pthread_mutex_t lock;
    char *file;
    char token[TOKEN_MAX + 1];
    struct stat seen; /* the file as last read */
    time_t checked;
};

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Under the lock: reads the file again if it changed; an unreadable new one keeps the old. */
static void refresh(struct hook_auth *a)
{
    struct stat st;
    char token[TOKEN_MAX + 1];
    time_t now = time(NULL);
    if (now == a->checked)
        return;
    a->checked = now;
    if (stat(a->file, &st) < 0 || same_file(&st, &a->seen))
        return;
    if (token_read(a->file, token) < 0) {
        log_msg(LOG_WARN,
                "--token-file %s: unreadable, empty or over %d bytes; keeping the "
                "previous token",
                a->file, TOKEN_MAX);
        return;
    }
    memcpy(a->token, token, sizeof token);
    a->seen = st;
    log_msg(LOG_INFO, "--token-file %s: token read again", a->file);
}

struct hook_auth *hook_auth_open(const char *token_file, char *err, size_t err_size)
{
    struct hook_auth *a = calloc(1, sizeof *a);
    if (!a || !(a->file = strdup(token_file))) {
        snprintf(err, err_size, "out of memory");
        free(a);
        return NULL;
    }
    if (stat(token_file, &a->seen) < 0 || token_read(token_file, a->token) < 0) {
        snprintf(err, err_size, "--token-file %s: unreadable, empty or over %d bytes", token_file,
                 TOKEN_MAX);
        hook_auth_close(a);
        return NULL;
    }
    pthread_mutex_init(&a->lock, NULL);
    a->checked = time(NULL);
    return a;
}

const char *hook_auth_check(struct hook_auth *a, const struct http_request *req)
{
    if (!a || strncmp(req->path, "/hooks/", 7) != 0)
        return NULL;
    if (!req->authorization)
        return "this server requires \"Authorization: Bearer <token>\"";
    pthread_mutex_lock(&a->lock);
    refresh(a);
    bool ok = token_matches_header(req->authorization, a->token);
    pthread_mutex_unlock(&a->lock);
    return ok ? NULL : "the bearer token is not the one this server expects";
}

void hook_auth_close(struct hook_auth *a)
{
    if (!a)
        return;
    free(a->file);
    free(a);
}
