/* volume_state: empty check, install and record on the data volume (see volume_state.h). */
#include "volume_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int volume_is_empty(const char *data_dir, char *first, size_t first_len)
{
    DIR *d = opendir(data_dir);
    struct dirent *e;
    if (!d)
        return -1;
    int empty = 1;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        /* "anonymity" is tor's and i2pd's state, which says nothing about the chain */
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, "lost+found") == 0 ||
            strcmp(n, PARTIAL_NAME) == 0 || strcmp(n, "anonymity") == 0)
            continue;
        snprintf(first, first_len, "%s", n);
        empty = 0;
        break;
    }
    closedir(d);
    return empty;
}

static int make_parents(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static void sync_dir_of(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash && slash != buf)
        *slash = '\0';
    int fd = open(buf, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int volume_install(const char *partial_dir, const char *lmdb_dir, char *why, size_t why_len)
{
    char lock[4096];
    snprintf(lock, sizeof lock, "%s/lock.mdb", partial_dir);
    unlink(lock); /* from the verification; monerod makes its own */
    if (make_parents(lmdb_dir) < 0 || rename(partial_dir, lmdb_dir) < 0) {
        snprintf(why, why_len, "cannot move the copy to %s: %s", lmdb_dir, strerror(errno));
        return -1;
    }
    sync_dir_of(lmdb_dir);
    return 0;
}

int volume_record(const char *data_dir, const char *source, const struct fetch_result *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/" RECORD_NAME, data_dir);
    json_t *rec = json_pack("{s:s,s:I,s:I,s:f,s:I}", "source", source, "height",
                            (json_int_t)r->tip.height, "bytes", (json_int_t)r->bytes, "seconds",
                            r->seconds, "finished", (json_int_t)time(NULL));
    int rc = rec ? json_dump_file(rec, path, JSON_COMPACT) : -1;
    json_decref(rec);
    return rc;
}
