/* hook_auth: the bearer token the hooks require (see hook_auth.h). */
#include "hook_auth.h"
#include "token.h"

#include "http/log.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define TOKENS 4 /* accepted at once: during a rotation, the old and the new */

struct hook_auth {
    pthread_mutex_t lock;
    char *file;
    char tokens[TOKENS][TOKEN_MAX + 1]; /* "" for unused slots */
    struct stat seen;                   /* the file as last read */
    time_t checked;
    bool warned; /* the unusable file was reported */
};

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Adds the tokens of one file, one per non-empty line (surrounding spaces ignored), after the
 * `n` already in `out`. Returns the new count, or -1 when unreadable, over TOKENS in all, or a
 * line over TOKEN_MAX bytes. */
static int read_tokens_file(const char *path, char out[TOKENS][TOKEN_MAX + 1], int n)
{
    char line[TOKEN_MAX + 2];
    int bad = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (!bad && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        bad = len == sizeof line - 1 && line[len - 1] != '\n'; /* over TOKEN_MAX */
        while (len && strchr(" \t\r\n", line[len - 1]))
            line[--len] = '\0';
        char *start = line + strspn(line, " \t");
        if (!*start || bad)
            continue;
        if (n == TOKENS) {
            bad = 1;
            continue;
        }
        memcpy(out[n++], start, strlen(start) + 1);
    }
    fclose(f);
    return bad ? -1 : n;
}

/* The tokens of `path`: a file, or a directory (a mounted Secret) whose every key is a file of
 * tokens (entries starting with "." are the volume's own). Returns how many, -1 if none. */
static int read_tokens(const char *path, char out[TOKENS][TOKEN_MAX + 1])
{
    struct stat st;
    int n = 0;
    memset(out, 0, sizeof(char[TOKENS][TOKEN_MAX + 1]));
    if (stat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        n = read_tokens_file(path, out, 0);
    else {
        DIR *d = opendir(path);
        struct dirent *e;
        char file[4096];
        while (d && n >= 0 && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
                n = read_tokens_file(file, out, n);
        }
        if (d)
            closedir(d);
    }
    return n <= 0 ? -1 : n;
}

/* Under the lock: reads the file again if it changed; an unusable new one keeps the old. */
static void refresh(struct hook_auth *a)
{
    struct stat st;
    char tokens[TOKENS][TOKEN_MAX + 1];
    time_t now = time(NULL);
    if (now == a->checked)
        return;
    a->checked = now;
    /* A file is read again when its stat changes; a directory every second, since a key file
     * changed in place leaves the directory's own stat as it was. */
    if (stat(a->file, &st) < 0 || (!S_ISDIR(st.st_mode) && same_file(&st, &a->seen)))
        return;
    int n = read_tokens(a->file, tokens);
    if (n < 0) {
        if (!a->warned) /* once, until it is usable again */
            log_msg(LOG_WARN, "--token-file %s: unusable now; keeping the tokens read before",
                    a->file);
        a->warned = true;
        return;
    }
    a->seen = st;
    a->warned = false;
    if (memcmp(a->tokens, tokens, sizeof tokens) == 0)
        return;
    memcpy(a->tokens, tokens, sizeof tokens);
    log_msg(LOG_INFO, "--token-file %s: %d token(s) read again", a->file, n);
}

struct hook_auth *hook_auth_open(const char *token_file, char *err, size_t err_size)
{
    struct hook_auth *a = calloc(1, sizeof *a);
    if (!a || !(a->file = strdup(token_file))) {
        snprintf(err, err_size, "out of memory");
        free(a);
        return NULL;
    }
    if (stat(token_file, &a->seen) < 0 || read_tokens(token_file, a->tokens) < 0) {
        snprintf(err, err_size,
                 "--token-file %s: unreadable, no token, more than %d, or one over %d bytes",
                 token_file, TOKENS, TOKEN_MAX);
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
    bool ok = false;
    pthread_mutex_lock(&a->lock);
    refresh(a);
    for (int i = 0; i < TOKENS; i++) /* every slot, whichever matches: no early exit */
        ok |= token_matches_header(req->authorization, a->tokens[i]);
    pthread_mutex_unlock(&a->lock);
    return ok ? NULL : "the bearer token is not one this server accepts";
}

void hook_auth_close(struct hook_auth *a)
{
    if (!a)
        return;
    free(a->file);
    free(a);
}
