/*
 * cmd_probe.h - what `check --live` borrows from `probe --offer`
 * (cmd_probe.c).
 */
#ifndef SCHANNELCFG_CMD_PROBE_H
#define SCHANNELCFG_CMD_PROBE_H

#include "cli.h"

/*
 * Runs the offer probe and appends it to sb, which holds check's output
 * (text: a section after it; JSON: sb becomes {"check": <sb>, "live":
 * {...}}). Returns rc, or EXIT_DRIFT when rc is EXIT_OK and what is
 * offered differs from the registry, or the probe's own failure
 * (EXIT_NETWORK, EXIT_USAGE on a build without SChannel, EXIT_READ_FAILED);
 * then sb is printed as it was.
 */
int probe_check_live(struct cli *cli, struct strbuf *sb, int rc);

#endif
