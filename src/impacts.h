/*
 * impacts.h - what a plan may break, said before it breaks.
 *
 * One table (impacts.c), one row a rule: a condition on the compiled plan
 * and the Windows release, who loses what, the Microsoft page, and what
 * to do first. compile_profile runs it and keeps the result in
 * plan->impacts; a diff keeps the impacts whose ops change something;
 * show, diff and apply print them as "What this may break" (JSON:
 * "impacts"). Only IMPACT_CUTS_ADMIN (remote administration lost) makes
 * apply refuse without --force.
 */
#ifndef SCHANNELCFG_IMPACTS_H
#define SCHANNELCFG_IMPACTS_H

#include "compile.h"
#include "plan.h"

struct json;

/* Runs every rule on the plan; appends to plan->impacts. */
void impacts_assess(struct plan *plan, const struct compile_options *o);

/* The "What this may break" section (nothing when n is 0). */
void impacts_text(const struct plan_impact *list, size_t n, struct strbuf *sb);

/* "impacts": [{"rule", "severity", "text", "reference"}] (always present). */
void impacts_json(struct json *j, const struct plan_impact *list, size_t n);

/*
 * Whether the update `kb` ("KB3080079") is installed on the registry b:
 * a Component Based Servicing package "Package_for_KB...~..." whose
 * CurrentState is 0x70, installed. SC_OK with *found (xmalloc'd) naming
 * the package, SC_NOT_FOUND, or SC_ERROR on a read failure.
 */
int impacts_update_installed(const struct reg_backend *b, const char *kb, char **found,
                             struct sc_err *err);

/* The first impact that cuts remote administration, or NULL. */
const struct plan_impact *impacts_cutting_admin(const struct plan_impact *list, size_t n);

#endif
