/* cmd_guard.h: elevation and the registry lock, for the dispatcher. */
#include "cmd_guard.h"

#include <string.h>

#include "cli.h"
#include "platform.h"

static int take_lock(const char *command, const char *state_file, struct cmd_guard *g,
                     struct sc_err *err)
{
	int rc = platform_lock_acquire(state_file ? state_file : "apply", state_file != NULL,
	                               &g->lock, err);

	if (rc == SC_OK)
		return EXIT_OK;
	if (rc == SC_NOT_FOUND) {
		sc_err_set(err,
		           "schannelcfg %s: refused: another schannelcfg apply or rollback is "
		           "running on the %s; try again when it has finished. Nothing was "
		           "changed.",
		           command, state_file ? "state file" : "live registry");
		return EXIT_REFUSED;
	}
	sc_err_prefix(err, "schannelcfg %s", command);
	return state_file ? EXIT_USAGE : EXIT_REFUSED;
}

int cmd_guard_enter(unsigned flags, const char *command, const char *state_file,
                    bool (*is_elevated)(void), struct cmd_guard *g, struct sc_err *err)
{
	memset(g, 0, sizeof(*g));
	if ((flags & CMD_NEEDS_ADMIN) && !state_file && !(is_elevated && is_elevated())) {
		sc_err_set(err,
		           "schannelcfg %s: refused: this command changes the live registry "
		           "and must run elevated (as Administrator). Nothing was changed.",
		           command);
		return EXIT_REFUSED;
	}
	if (flags & CMD_MUTATES)
		return take_lock(command, state_file, g, err);
	return EXIT_OK;
}

void cmd_guard_leave(struct cmd_guard *g)
{
	platform_lock_release(g->lock);
	g->lock = NULL;
}
