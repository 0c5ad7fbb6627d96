/*
 * pod_state: the directory on the node's volume holding tor's and i2pd's state (see
 * pod_state.h).
 */
#define _XOPEN_SOURCE 700
#include "pod_state.h"

#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "monero-operator pod-init: %s %s: %s\n", what, path, strerror(errno));
    return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

/* Removes everything below `dir`, keeping `dir` itself. */
static int empty_directory(const char *dir)
{
    char path[4096];
    const char *const parts[] = {"tor", "i2pd"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, parts[i]);
        if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
            return fail("cannot remove", path);
    }
    return 0;
}

static int read_owner(const char *file, char *owner, size_t size)
{
    FILE *f = fopen(file, "r");
    owner[0] = '\0';
    if (!f)
        return errno == ENOENT ? 0 : -1;
    if (!fgets(owner, (int)size, f))
        owner[0] = '\0';
    fclose(f);
    owner[strcspn(owner, "\n")] = '\0';
    return 0;
}

int pod_state_prepare(const char *dir, const char *pod)
{
    char file[4096], owner[256], tmp[4200];
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return fail("cannot create", dir);
    snprintf(file, sizeof file, "%s/pod", dir);
    if (read_owner(file, owner, sizeof owner) < 0)
        return fail("cannot read", file);
    if (owner[0] && strcmp(owner, pod) != 0) {
        /* a volume restored from another node's snapshot: its guards and router identity are
         * that node's, and two routers must never share one */
        printf("pod-init: state in %s was %s's; starting it afresh\n", dir, owner);
        if (empty_directory(dir) < 0)
            return -1;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", file);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%s\n", pod) < 0 || fclose(f) != 0)
        return fail("cannot write", tmp);
    return rename(tmp, file) == 0 ? 0 : fail("cannot rename to", file);
}

int pod_state_parent(const char *path)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    const char *parent = dirname(copy);
    if (mkdir(parent, 0700) < 0 && errno != EEXIST)
        return fail("cannot create", parent);
    return 0;
}
