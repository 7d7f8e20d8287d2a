/*
 * Unit tests for cmd_guard.c, the dispatcher's one enforcement of the
 * command flags: a NEEDS_ADMIN command on the live registry is refused
 * unless elevated (the check is injected, so the refusal is tested where
 * Wine, always elevated, cannot); a MUTATES command runs holding the
 * registry's lock: on a state file the lock is the file itself, held by
 * another holder it refuses (exit 5), released it can be taken at once; a
 * state file that cannot be opened to lock is an input error (exit 2).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_guard.h"
#include "platform.h"

static bool always_no(void)
{
	return false;
}

static bool always_yes(void)
{
	return true;
}

static const struct cmd_target live = {NULL, NULL};

static void test_elevation(void **unused)
{
	const struct cmd_target state = {"x.reg", NULL}, image = {NULL, "/mnt/image"};
	struct cmd_guard g;
	struct sc_err err = {{0}};

	assert_int_equal(cmd_guard_enter(CMD_NEEDS_ADMIN, "apply", &live, always_no, &g, &err),
	                 EXIT_REFUSED);
	assert_non_null(strstr(err.msg, "schannelcfg apply: refused"));
	assert_non_null(strstr(err.msg, "must run elevated"));
	assert_null(g.lock);
	cmd_guard_leave(&g);
	/* No check function at all is a refusal too, never a pass. */
	assert_int_equal(cmd_guard_enter(CMD_NEEDS_ADMIN, "apply", &live, NULL, &g, &err),
	                 EXIT_REFUSED);
	assert_int_equal(cmd_guard_enter(CMD_NEEDS_ADMIN, "apply", &live, always_yes, &g, &err),
	                 EXIT_OK);
	cmd_guard_leave(&g);
	/* A state file needs no elevation: it is the user's own file. */
	assert_int_equal(cmd_guard_enter(CMD_NEEDS_ADMIN, "apply", &state, always_no, &g, &err),
	                 EXIT_OK);
	cmd_guard_leave(&g);
	/* Natively an image is files, guarded by their permissions. */
	assert_int_equal(cmd_guard_enter(CMD_NEEDS_ADMIN, "apply", &image, always_no, &g, &err),
	                 EXIT_OK);
	cmd_guard_leave(&g);
	/* A read-only command needs nothing. */
	assert_int_equal(cmd_guard_enter(0, "diff", &live, always_no, &g, &err), EXIT_OK);
	assert_null(g.lock);
	cmd_guard_leave(&g);
}

static void test_state_file_lock(void **unused)
{
	char *dir = t_tmpdir("guard"), *file = xasprintf("%s/state.reg", dir);
	struct platform_lock *held = NULL;
	struct cmd_guard g, again;
	struct sc_err err = {{0}};
	unsigned flags = CMD_NEEDS_ADMIN | CMD_MUTATES;

	t_write_file(file, "Windows Registry Editor Version 5.00\r\n", 38);
	assert_int_equal(platform_lock_acquire(file, true, &held, &err), SC_OK);
	assert_int_equal(cmd_guard_enter(flags, "rollback", &(struct cmd_target){file, NULL},
	                                 always_no, &g, &err),
	                 EXIT_REFUSED);
	assert_non_null(strstr(err.msg, "another schannelcfg apply or rollback is running"));
	cmd_guard_leave(&g);
	platform_lock_release(held);
	/* Free: taken; held by the guard, nobody else gets it. */
	assert_int_equal(
	    cmd_guard_enter(flags, "apply", &(struct cmd_target){file, NULL}, always_no, &g, &err),
	    EXIT_OK);
	assert_non_null(g.lock);
	assert_int_equal(cmd_guard_enter(flags, "apply", &(struct cmd_target){file, NULL},
	                                 always_no, &again, &err),
	                 EXIT_REFUSED);
	cmd_guard_leave(&again);
	cmd_guard_leave(&g);
	/* Released: taken again at once. */
	assert_int_equal(platform_lock_acquire(file, true, &held, &err), SC_OK);
	platform_lock_release(held);
	/* A state file that is not there: an input error, named. */
	free(file);
	file = xasprintf("%s/missing.reg", dir);
	assert_int_equal(
	    cmd_guard_enter(flags, "apply", &(struct cmd_target){file, NULL}, always_no, &g, &err),
	    EXIT_USAGE);
	assert_non_null(strstr(err.msg, "missing.reg"));
	cmd_guard_leave(&g);
	free(file);
	t_remove_tree(dir);
	free(dir);
}

/* An image's lock is its config folder's (which a commit never replaces),
 * found as Windows would find it (case-insensitively); an image without
 * one is an input error. */
static void test_image_lock(void **unused)
{
	char *dir = t_tmpdir("guard-image"), *config = xasprintf("%s/windows/SYSTEM32/Config", dir);
	char *hive = xasprintf("%s/system", config), *staged = xasprintf("%s/.system.new", config);
	const struct cmd_target image = {NULL, dir};
	struct platform_lock *held = NULL;
	struct cmd_guard g, again;
	struct sc_err err = {{0}};
	unsigned flags = CMD_NEEDS_ADMIN | CMD_MUTATES;

	assert_int_equal(cmd_guard_enter(flags, "apply", &image, always_no, &g, &err), EXIT_USAGE);
	assert_non_null(strstr(err.msg, "Windows"));
	cmd_guard_leave(&g);
	assert_int_equal(platform_mkdir(config, false, &err), SC_OK);
	t_write_file(hive, "regf", 4);
	assert_int_equal(platform_lock_acquire(config, true, &held, &err), SC_OK);
	assert_int_equal(cmd_guard_enter(flags, "apply", &image, always_no, &g, &err),
	                 EXIT_REFUSED);
	assert_non_null(strstr(err.msg, "running on the image"));
	cmd_guard_leave(&g);
	platform_lock_release(held);
	assert_int_equal(cmd_guard_enter(flags, "apply", &image, always_no, &g, &err), EXIT_OK);
	assert_non_null(g.lock);
	assert_int_equal(platform_lock_acquire(config, true, &held, &err), SC_NOT_FOUND);
	/* A new SYSTEM renamed over the old one, as a commit does: the lock
	 * still holds (it was on the folder, not on the old file). */
	t_write_file(staged, "regf", 4);
	assert_int_equal(rename(staged, hive), 0);
	assert_int_equal(cmd_guard_enter(flags, "apply", &image, always_no, &again, &err),
	                 EXIT_REFUSED);
	cmd_guard_leave(&again);
	cmd_guard_leave(&g);
	free(staged);
	free(hive);
	free(config);
	t_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_elevation),
	    cmocka_unit_test(test_state_file_lock),
	    cmocka_unit_test(test_image_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
