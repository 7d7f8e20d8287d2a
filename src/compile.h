/*
 * compile.h - profile -> plan.
 *
 * The compiler turns each setting into registry operations, in a fixed
 * order (by area, then vocabulary order), so the same profile always gives
 * the same plan whatever the order of its lines. It never touches a
 * backend: everything it knows comes from the profile and the options.
 */
#ifndef SCHANNELCFG_COMPILE_H
#define SCHANNELCFG_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "profile.h"

struct compile_options {
	/* The Windows version the plan is for, when known (live registry,
	 * or --os). Without it, OS-dependent checks become warnings. */
	bool have_os;
	uint32_t major, minor, build;
	/* The version is the CLI's assumption for a --state file given
	 * without --os (the oldest supported Windows), not a fact: what would
	 * refuse on a known version only warns. */
	bool os_assumed;
	/* --force: allow what the OS check refuses (TLS 1.3 on old builds,
	 * suites the release lacks, applies-to mismatch). */
	bool force;
};

/*
 * Compiles a loaded profile. Returns SC_OK with *plan filled (plan_free),
 * or SC_ERROR with every problem in diags ("file:line: message"); *plan is
 * then empty.
 */
int compile_profile(const struct profile *p, const struct compile_options *o, struct plan *plan,
                    struct diag *diags);

#endif
