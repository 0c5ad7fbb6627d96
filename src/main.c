/* main: dispatches `monero-operator <command>` to its implementation. */
#include "commands.h"

#include "json/alloc_guard.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("usage: monero-operator <command> [options]\n"
          "\n"
          "commands:\n"
          "  serve     run the Metacontroller hook server (the operator)\n"
          "  render    print the objects a custom resource file turns into, without a cluster\n"
          "  exporter  metrics and sync-aware readiness sidecar for monerod (or xmrig)\n"
          "  pod-init  install a pod's Tor/I2P keys (init container of monerod pods)\n"
          "  version   print the version\n"
          "\n"
          "Run `monero-operator <command> --help` for the options of a command.\n",
          out);
}

int main(int argc, char **argv)
{
    alloc_guard_install();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return command_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "render") == 0)
        return command_render(argc - 1, argv + 1);
    if (strcmp(cmd, "pod-init") == 0)
        return command_pod_init(argc - 1, argv + 1);
    if (strcmp(cmd, "exporter") == 0)
        return command_exporter_exec(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("monero-operator %s\n", MONERO_OPERATOR_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "monero-operator: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
}
