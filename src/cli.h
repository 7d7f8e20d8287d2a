/*
 * cli.h - what the command implementations (cmd_*.c) share with main.c.
 *
 * main.c owns the command table, parses the options every command shares,
 * checks each command's flags (NEEDS_ADMIN, MUTATES) in one place, and maps
 * results to exit codes. Commands print through cli_out/cli_errf only.
 */
#ifndef SCHANNELCFG_CLI_H
#define SCHANNELCFG_CLI_H

#include <stdbool.h>

#include "util.h"

/* Exit codes: a contract with pipelines (README "Exit codes"). */
enum sc_exit {
	EXIT_OK = 0,              /* success, nothing to do, compliant */
	EXIT_DRIFT = 1,           /* check: the registry differs from the profile */
	EXIT_USAGE = 2,           /* usage or input error; nothing was touched */
	EXIT_ROLLED_BACK = 3,     /* apply failed and was rolled back */
	EXIT_ROLLBACK_FAILED = 4, /* rollback failed: registry state uncertain */
	EXIT_REFUSED = 5,         /* not elevated, another apply running, bad snapshot */
	EXIT_READ_FAILED = 6,     /* the registry could not be read; nothing was touched */
	EXIT_NETWORK = 7,         /* probe: no connection could be made, no handshake tried */
	EXIT_REBOOT = 3010,       /* applied; a reboot is required */
};

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_REG, FORMAT_HTML, FORMAT_CSV, FORMAT_POL };

/* Options shared by the commands; which ones a command accepts is declared
 * in its table entry (OPT_* bits). */
enum {
	OPT_STATE = 1 << 0,
	OPT_FORMAT = 1 << 1,
	OPT_SNAPSHOT_DIR = 1 << 2,
	OPT_FORCE = 1 << 3,
	OPT_OS = 1 << 4,
	OPT_ALLOW_ANY_KEY = 1 << 5,
	OPT_FORMAT_REG = 1 << 6, /* --format reg is meaningful */
	OPT_NO_COLOR = 1 << 7,
	OPT_IMAGE = 1 << 8,
	OPT_TIMEOUT = 1 << 9,        /* probe, check --live: --timeout MS */
	OPT_OFFER = 1 << 10,         /* probe --offer */
	OPT_LIVE = 1 << 11,          /* check --live */
	OPT_FORMAT_REPORT = 1 << 12, /* report: --format html|csv|json only */
	OPT_FORMAT_POL = 1 << 13,    /* --format pol (a Registry.pol) is meaningful */
	OPT_OUTPUT = 1 << 14,        /* --output FILE (the Registry.pol) */
};

struct cli {
	const char *command;
	/* positional arguments after the options */
	char **args;
	int nargs;
	/* options */
	const char *state_file;   /* --state: a .reg file is the registry */
	const char *image_dir;    /* --image: an offline Windows installation's hives are */
	const char *snapshot_dir; /* --snapshot-dir */
	const char *os_version;   /* --os 6.1.7601 */
	const char *output;       /* --output FILE: where --format pol goes */
	enum output_format format;
	bool force;
	bool allow_any_key;
	bool color;
	const char *timeout; /* --timeout MS (probe) */
	bool offer;          /* probe --offer */
	bool live;           /* check --live */
};

/* Prints to stdout / stderr (UTF-8; see platform_write). */
void cli_out(const char *text);
void cli_outf(const char *fmt, ...) SC_PRINTF(1, 2);
void cli_errf(const char *fmt, ...) SC_PRINTF(1, 2);

#endif
