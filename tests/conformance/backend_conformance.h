/*
 * backend_conformance.h - the behaviour every registry backend must have
 * (the contract of src/backend.h), written once and run against each
 * backend: mem and regfile natively (tests/unit/test_backend_conformance.c),
 * win32 under Wine (tests/win/test_backend_conformance.c).
 *
 * The suite is a cmocka group: conformance_run runs every check against one
 * target and returns the number of failed tests (0: all passed), as
 * cmocka_run_group_tests does. Include cmocka's prerequisites and <cmocka.h>
 * (testutil.h or wintestutil.h) before this header's users call fail_msg.
 *
 * Scratch keys: each test works below keys of its own,
 *   SOFTWARE\<root>\<test>   (in both views: SOFTWARE\Wow6432Node\... for 32)
 *   SYSTEM\<root>\<test>     (shared by both views)
 * which must not exist when the test starts; the test removes them through
 * the backend when it ends (and SOFTWARE\<root>, SYSTEM\<root> once empty),
 * then calls the target's reset. A backend on the live registry thus finds
 * the prefix as it was.
 *
 * Known differences: a backend that does not keep part of the contract
 * declares it in `known` (CONF_KNOWN_*, with a comment naming the backend
 * and the behaviour where the target is defined). The suite then checks
 * that the backend still behaves in that documented, different way, and
 * fails once it no longer does, so a fixed backend drops the flag.
 */
#ifndef SCHANNELCFG_BACKEND_CONFORMANCE_H
#define SCHANNELCFG_BACKEND_CONFORMANCE_H

#include <stdbool.h>

#include "backend.h"
#include "util.h"

/* Ways a backend is known to differ from backend.h. */
enum conformance_known {
	/* A REG_ACCESS_READ handle accepts write_value and delete_value
	 * (backend.h: reads query and enumerate only; writes "also set and
	 * delete values"). */
	CONF_KNOWN_READ_HANDLE_WRITES = 1u << 0,
	/* Errors on a key in the 32-bit view name its physical path
	 * ("HKLM\SOFTWARE\Wow6432Node\X") instead of the path the caller gave
	 * with the view ("HKLM\SOFTWARE\X (32-bit view)", reg_display_path). */
	CONF_KNOWN_ERROR_PHYSICAL_PATH = 1u << 1,
	/* Non-ASCII letters fold too ("\xC3\xA9" and "\xC3\x89" are one name);
	 * backend.h says names fold ASCII only. */
	CONF_KNOWN_UNICODE_FOLDING = 1u << 2,
	/* A value name that is not UTF-8 is refused with a message that
	 * names the value but not the key. */
	CONF_KNOWN_BAD_NAME_ERROR_NO_KEY = 1u << 3,
};

struct conformance_target {
	const char *name; /* "mem", "regfile", "win32": the cmocka group's name */
	/* The scratch key's name below SOFTWARE and SYSTEM (one component). */
	const char *root;
	void *ctx; /* passed to the functions below */
	/* Returns the backend for one test (called before each test). Fails
	 * the test (fail_msg) or returns NULL when it cannot. */
	const struct reg_backend *(*open)(void *ctx);
	/* Optional (NULL: nothing to do). Called with no key open: makes the
	 * state durable and loads it again (regfile: save, then reopen the
	 * saved file), replacing *b. SC_OK, or SC_ERROR with err set. */
	int (*reopen)(void *ctx, const struct reg_backend **b, struct sc_err *err);
	/* Called after each test, after the suite's own clean-up: releases
	 * what open made and removes anything the test left behind. */
	void (*reset)(void *ctx);
	unsigned known; /* CONF_KNOWN_* bits */
};

/* Runs the whole suite against t (which must outlive the call). Returns
 * the number of failed tests. */
int conformance_run(const struct conformance_target *t);

/* How many tests conformance_run runs. */
size_t conformance_count(void);

#endif
