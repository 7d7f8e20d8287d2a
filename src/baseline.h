/*
 * baseline.h - baselines: profiles that implement a published document
 * (NIST SP 800-52r2, PCI DSS, Mozilla's TLS guidelines, ...) and name the
 * rule of that document every setting comes from.
 *
 * A profile is a baseline when its [profile] has "baseline = DOCUMENT
 * VERSION"; its settings carry "rule = ID" (profile.h: setting.rule), which
 * compile.c copies into each operation (plan.h: plan_op.rule). This module
 * only presents them: the list groups, the JSON "baseline" object, and
 * findings grouped by rule. Nothing here reads or writes a registry.
 */
#ifndef SCHANNELCFG_BASELINE_H
#define SCHANNELCFG_BASELINE_H

#include "diff.h"
#include "plan.h"
#include "profile.h"
#include "util.h"

/* How `list` groups a profile: "seed" (it cites one of the project's seed
 * reports: a reference starting "seed "), "baseline" (it has baseline =),
 * or "other". A static string. */
const char *baseline_group(const struct profile *p);

struct json;
/* "baseline": {"name": NAME, "version": VERSION}, or "baseline": null
 * when version is NULL (not a baseline). */
void baseline_json(struct json *j, const char *name, const char *version);

/* True if some changed entry of the diff carries a rule. */
bool baseline_diff_has_rules(const struct diff *d);

/* Calls fn for every distinct rule of the changed entries (in the order
 * they first appear; NULL, "no rule", last when some entry has none), with
 * the indexes of its entries. `idx` is only valid during the call. */
void baseline_each_rule(const struct diff *d,
                        void (*fn)(const char *rule, const size_t *idx, size_t n, void *ctx),
                        void *ctx);

#endif
