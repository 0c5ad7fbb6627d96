/* exporter_exec: `monero-operator exporter ...` runs the monero-exporter binary installed next
 * to this one (or found on PATH), so the sidecar keeps its small footprint whichever name a pod
 * spec uses. */
#include "commands.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int command_exporter_exec(int argc, char **argv)
{
    char self[PATH_MAX], sibling[PATH_MAX + 32];
    (void)argc;
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    argv[0] = "monero-exporter";
    if (n > 0) {
        self[n] = '\0';
        snprintf(sibling, sizeof sibling, "%s/monero-exporter", dirname(self));
        execv(sibling, argv);
    }
    execvp("monero-exporter", argv);
    fprintf(stderr, "monero-operator exporter: cannot run monero-exporter: %s\n", strerror(errno));
    return 127;
}
