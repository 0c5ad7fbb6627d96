/* exporter_main: the monero-exporter binary, the metrics sidecar on its own so that it loads
 * only libmicrohttpd and jansson (`monero-operator exporter` runs it). */
#include "commands.h"

#include "json/alloc_guard.h"

int main(int argc, char **argv)
{
    alloc_guard_install();
    return command_exporter(argc, argv);
}
