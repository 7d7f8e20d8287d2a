/*
 * The backend conformance suite (tests/conformance) against the win32
 * backend, on a real advapi32 (Wine's, in a throwaway prefix). Scratch keys:
 * HKLM\SOFTWARE\schannelcfg-conformance (both views) and
 * HKLM\SYSTEM\schannelcfg-conformance; the suite removes each test's keys
 * through the backend, and this file checks with advapi32 that nothing was
 * left behind.
 */
#include "wintestutil.h"

#include <stdio.h>

#include "../conformance/backend_conformance.h"
#include "backend_win32.h"

#define ROOT "schannelcfg-conformance"

static const char *const roots[] = {"SOFTWARE\\" ROOT, "SYSTEM\\" ROOT};

/* Tests after which a scratch key was still there. */
static int left_behind;

/* Whether a scratch key exists in either view; deletes it if so. */
static bool sweep(void)
{
	bool found = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(roots); i++) {
		if (wt_key_exists(REG_VIEW_64, roots[i]) || wt_key_exists(REG_VIEW_32, roots[i]))
			found = true;
		wt_delete_tree(REG_VIEW_64, roots[i]);
		wt_delete_tree(REG_VIEW_32, roots[i]);
	}
	return found;
}

static const struct reg_backend *w32_open(void *ctx)
{
	(void)ctx;
	return win32_backend_get();
}

static void w32_reset(void *ctx)
{
	(void)ctx;
	if (sweep()) {
		fprintf(stderr, "backend_conformance(win32): scratch keys left behind\n");
		left_behind++;
	}
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	/* Known difference of win32 (of the registry itself): names fold
	 * beyond ASCII, "caf\u00e9" and "caf\u00c9" are one key (backend.h
	 * says so; mem folds ASCII only). A value name that is not UTF-8 is
	 * refused naming its key (src/backend_win32.c, value_name), as the
	 * suite asks: found by it, fixed. */
	const struct conformance_target target = {
	    "win32", ROOT, NULL, w32_open, NULL, w32_reset, CONF_KNOWN_UNICODE_FOLDING,
	};
	int failed;

	(void)argc;
	(void)argv;
	sweep(); /* what an interrupted run may have left */
	failed = conformance_run(&target);
	return failed + left_behind;
}
