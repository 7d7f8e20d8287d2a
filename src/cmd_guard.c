/* cmd_guard.h: elevation and the registry lock, for the dispatcher. */
#include "cmd_guard.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "image.h"
#include "platform.h"

/* The file whose lock is the registry's: the state file, an image's
 * config folder (POSIX: a lock on the folder, which a commit never
 * replaces, unlike the hive files it renames over; on Windows the machine's
 * one lock, since RegLoadKeyW opens the hive exclusively anyway), or NULL
 * for the machine's. */
static char *lock_file_of(const struct cmd_target *t, struct sc_err *err, bool *failed)
{
	*failed = false;
	if (t->state_file)
		return xstrdup(t->state_file);
#ifdef _WIN32
	return NULL;
#else
	if (!t->image_dir)
		return NULL;
	{
		char *config = image_config_dir(t->image_dir, err);

		*failed = config == NULL;
		return config;
	}
#endif
}

static int take_lock(const char *command, const struct cmd_target *t, struct cmd_guard *g,
                     struct sc_err *err)
{
	bool failed;
	char *file = lock_file_of(t, err, &failed);
	int rc = failed ? SC_ERROR
	                : platform_lock_acquire(file ? file : "apply", file != NULL, &g->lock, err);
	const char *what = t->state_file ? "state file" : t->image_dir ? "image" : "live registry";

	free(file);

	if (rc == SC_OK)
		return EXIT_OK;
	if (rc == SC_NOT_FOUND) {
		sc_err_set(err,
		           "schannelcfg %s: refused: another schannelcfg apply or rollback is "
		           "running on the %s; try again when it has finished. Nothing was "
		           "changed.",
		           command, what);
		return EXIT_REFUSED;
	}
	sc_err_prefix(err, "schannelcfg %s", command);
	return t->state_file || t->image_dir ? EXIT_USAGE : EXIT_REFUSED;
}

/* Files are guarded by their own permissions; the live registry, and on
 * Windows an image's hives (RegLoadKeyW needs the backup and restore
 * privileges, which administrators hold), by elevation. */
static bool needs_elevation(const struct cmd_target *t)
{
#ifdef _WIN32
	return !t->state_file;
#else
	return !t->state_file && !t->image_dir;
#endif
}

int cmd_guard_enter(unsigned flags, const char *command, const struct cmd_target *t,
                    bool (*is_elevated)(void), struct cmd_guard *g, struct sc_err *err)
{
	memset(g, 0, sizeof(*g));
	if ((flags & CMD_NEEDS_ADMIN) && needs_elevation(t) && !(is_elevated && is_elevated())) {
		sc_err_set(err,
		           "schannelcfg %s: refused: this command changes the live registry "
		           "and must run elevated (as Administrator). Nothing was changed.",
		           command);
		return EXIT_REFUSED;
	}
	if (flags & CMD_MUTATES)
		return take_lock(command, t, g, err);
	return EXIT_OK;
}

void cmd_guard_leave(struct cmd_guard *g)
{
	platform_lock_release(g->lock);
	g->lock = NULL;
}
