/*
 * diff.h - what a plan would change in a registry, value by value.
 *
 * diff_compute reads (never writes) every value the plan touches, through
 * the backend, once per distinct key, and works out the value after the
 * plan. The result drives the diff/check output, the snapshot (the
 * before-image of exactly the changed values) and apply's verification.
 */
#ifndef SCHANNELCFG_DIFF_H
#define SCHANNELCFG_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "plan.h"
#include "util.h"

struct diff_entry {
	const struct plan_op *op; /* borrowed from the plan */
	bool changed;
	/* Values (OP_SET, OP_DELETE_VALUE, OP_LIST_EDIT). */
	bool before_present;
	struct reg_value before;
	bool after_present;
	struct reg_value after;
	/* Keys. key_existed: op->path exists now. created_root: when a write
	 * will create op->path, the shallowest missing key on its way (what
	 * rollback removes again); NULL otherwise. */
	bool key_existed;
	char *created_root;
	/* OP_LIST_EDIT: the lists before and after, element by element. */
	char **before_list, **after_list;
	size_t nbefore, nafter;
	char *note; /* why nothing changes, in words ("the list is absent ...") */
};

struct diff {
	const struct plan *plan;    /* borrowed: the plan diffed (its baseline) */
	struct diff_entry *entries; /* one per plan op, in plan order */
	size_t n;
	size_t nchanged;
	bool reboot; /* a changed entry needs a reboot */
	/* Warnings that depend on the registry's state. */
	struct plan_warning *warnings;
	size_t nwarnings, wcap;
	/* The plan's impacts (impacts.h) of which an op changes something. */
	struct plan_impact *impacts;
	size_t nimpacts, icap;
	/* Registry calls made, for tests and the benchmark. */
	size_t opens, reads;
	/* diff_compute failed because the registry could not be read (access
	 * denied, I/O), not because of the plan. Kept after a failure. */
	bool read_failed;
};

/*
 * Computes the diff. Returns SC_OK, or SC_ERROR (a read failure, then
 * out->read_failed; or a plan that cannot be applied safely, e.g. one that
 * would leave an empty cipher-suite list) with the reason in err. Free with
 * diff_free (after a failure there is nothing to free but read_failed is
 * set).
 */
int diff_compute(const struct plan *plan, const struct reg_backend *b, struct diff *out,
                 struct sc_err *err);
void diff_free(struct diff *d);

/* Text for people (grouped by area, "before -> after", warnings, a
 * one-line summary), a .reg file that makes exactly the change, or JSON
 * (docs/json.md). `heading` is printed first in text form (may be NULL). */
void diff_format_text(const struct diff *d, const char *heading, bool color, struct strbuf *sb);
void diff_format_reg(const struct diff *d, struct strbuf *sb);
void diff_format_json(const struct diff *d, const char *kind, const char *profile,
                      const char *target, struct strbuf *sb);
/* The diff document's fields, inside an object the caller opened (apply
 * adds its result fields after them). reboot_required: for a diff, whether
 * applying would need a reboot; for an apply, whether the applied change
 * does. */
struct json;
void diff_json_fields(struct json *j, const struct diff *d, const char *kind, const char *profile,
                      const char *target, bool reboot_required);
/* "3 values to change, reboot required" / "nothing to change". */
void diff_summary(const struct diff *d, struct strbuf *sb);

#endif
