/*
 * commands.h - the command implementations, one file each (cmd_*.c).
 * Each takes the parsed command line and returns an exit code (enum sc_exit).
 */
#ifndef SCHANNELCFG_COMMANDS_H
#define SCHANNELCFG_COMMANDS_H

#include "cli.h"

int cmd_list(struct cli *cli);
int cmd_show(struct cli *cli);
int cmd_diff(struct cli *cli);
int cmd_check(struct cli *cli);
int cmd_apply(struct cli *cli);
int cmd_rollback(struct cli *cli);
int cmd_snapshots(struct cli *cli);
int cmd_capture(struct cli *cli);
int cmd_report(struct cli *cli);
int cmd_probe(struct cli *cli);

#endif
