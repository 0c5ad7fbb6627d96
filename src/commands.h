/* commands: the subcommands of the monero-operator binary, each a thin layer over lib/ and
 * hooks/. Each returns the process exit status. */
#ifndef MONERO_OPERATOR_COMMANDS_H
#define MONERO_OPERATOR_COMMANDS_H

#define MONERO_OPERATOR_VERSION "0.1.0"

int command_serve(int argc, char **argv);
int command_render(int argc, char **argv);
int command_pod_init(int argc, char **argv);
int command_exporter(int argc, char **argv);      /* in the monero-exporter binary */
int command_exporter_exec(int argc, char **argv); /* runs monero-exporter */

#endif
