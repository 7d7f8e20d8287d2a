/*
 * cmd_guard.h - the command flags, enforced once, by the dispatcher.
 *
 * A command is declared (main.c's table) with:
 *   CMD_NEEDS_ADMIN  it writes the live registry: refused (exit 5) unless
 *                    the process is elevated, before anything is opened;
 *   CMD_MUTATES      it writes a registry (live or a --state file): it runs
 *                    holding the registry's lock, taken before anything is
 *                    read, so that its read-modify-write is one (no lost
 *                    update; another apply or rollback is refused, exit 5).
 * Nothing below the dispatcher checks elevation or takes the lock again.
 *
 * MUST: cmd_guard_enter is called before the command reads anything, and
 * cmd_guard_leave after it has written everything (a --state file is saved
 * inside the command, under the lock).
 */
#ifndef SCHANNELCFG_CMD_GUARD_H
#define SCHANNELCFG_CMD_GUARD_H

#include <stdbool.h>

#include "util.h"

enum cmd_flags {
	CMD_NEEDS_ADMIN = 1 << 0,
	CMD_MUTATES = 1 << 1,
};

struct platform_lock;

struct cmd_guard {
	struct platform_lock *lock; /* held while the command runs, or NULL */
};

/* The registry a command works on: the live one (both NULL), a .reg state
 * file, or an offline image's hives. */
struct cmd_target {
	const char *state_file;
	const char *image_dir;
};

/*
 * Checks and takes what `flags` ask for a command on the registry t names.
 * An image's lock (POSIX) is on its SYSTEM hive file. is_elevated is injectable
 * (platform_is_elevated in the CLI; tests refuse with their own).
 * Returns 0 with *g holding the lock (if any), or an exit code: 5 refused
 * (not elevated, lock busy), 2 (the state file cannot be opened to lock
 * it); the message, naming the command, is in err. Release with
 * cmd_guard_leave (also after a failure: it is then a no-op).
 */
int cmd_guard_enter(unsigned flags, const char *command, const struct cmd_target *t,
                    bool (*is_elevated)(void), struct cmd_guard *g, struct sc_err *err);
void cmd_guard_leave(struct cmd_guard *g);

#endif
