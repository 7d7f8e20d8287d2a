/*
 * cli_common.h - what several commands do the same way: find the registry
 * (live or --state file), learn the Windows version, load and compile a
 * profile, and report input errors (exit 2, nothing touched).
 */
#ifndef SCHANNELCFG_CLI_COMMON_H
#define SCHANNELCFG_CLI_COMMON_H

#include "cli.h"
#include "compile.h"
#include "plan.h"
#include "profile.h"

/* A loaded and compiled profile. */
struct loaded {
	struct profile *profile;
	struct plan plan;
	struct compile_options os; /* the Windows version used (have_os) */
};

/* The Windows version to assume for --state files without --os. */
#define DEFAULT_OS_MAJOR 6
#define DEFAULT_OS_MINOR 1
#define DEFAULT_OS_BUILD 7601

/*
 * Works out the Windows version: --os if given; the running Windows for
 * the live registry; for a --state file without --os the oldest supported
 * one, DEFAULT_OS_* (6.1.7601: Windows 7 SP1 / Server 2008 R2), where the
 * version checks are strictest. Returns EXIT_OK or EXIT_USAGE (bad --os,
 * message printed).
 */
int cli_os_version(const struct cli *cli, struct compile_options *os);

/* Loads and compiles `what`; prints every problem and returns EXIT_USAGE
 * on bad input. On EXIT_OK free with cli_loaded_free. */
int cli_load_and_compile(const struct cli *cli, const char *what, struct loaded *out);
void cli_loaded_free(struct loaded *l);

/* Opens the registry: the --state file or the live one. Prints the
 * problem and returns EXIT_USAGE when it cannot. */
int cli_open_registry(const struct cli *cli, struct reg_backend **b);

/* Frees an --image store opened for its version and not handed over (the
 * dispatcher calls it after every command). */
void cli_close_image(void);

#endif
