/*
 * apply.h - changing a registry as a transaction.
 *
 * States of one apply (git's ref-transaction shape):
 *   OPEN       the dispatcher's checks passed (elevation) and the registry's
 *              lock is held (cmd_guard.h); nothing read.
 *   PREPARED   the diff is computed and, when anything changes, the snapshot
 *              (before-image) is on disk and its restore plan is in memory.
 *              Nothing has been written. Failures up to here change nothing.
 *   COMMITTED  every operation was executed and read back as expected, and
 *              the backend committed (backend.h: a .reg state file's
 *              backend saves the file; the live registry needs nothing).
 *   ABORTED    an operation or its verification failed: the restore plan was
 *              executed and verified (APPLY_ROLLED_BACK), or that failed too
 *              (APPLY_ROLLBACK_FAILED: state uncertain; the snapshot path is
 *              in the result).
 * MUST: nothing is written before the snapshot is on disk. MUST: nothing
 * between the first write and the end of the automatic restore can exit the
 * process: backend calls report errors, and the restore plan is built
 * before the first write so that restoring needs no allocation beyond the
 * backends' own (which report failure instead of aborting).
 */
#ifndef SCHANNELCFG_APPLY_H
#define SCHANNELCFG_APPLY_H

#include <stdbool.h>
#include <time.h>

#include "backend.h"
#include "diff.h"
#include "plan.h"
#include "snapshot.h"
#include "util.h"

enum apply_status {
	APPLY_DONE,            /* committed */
	APPLY_NOTHING,         /* compliant: nothing written, no snapshot */
	APPLY_INPUT_ERROR,     /* the plan cannot be applied (nothing touched) */
	APPLY_REFUSED,         /* snapshot not writable, a value read differently twice */
	APPLY_ROLLED_BACK,     /* failed; the prior state was restored */
	APPLY_ROLLBACK_FAILED, /* failed; restoring failed too */
	APPLY_READ_FAILED,     /* the registry could not be read (nothing touched) */
};

struct apply_options {
	const struct reg_backend *backend;
	/* The snapshot: written to snapshot_dir before the first write,
	 * authenticated with snapshot_auth (NULL: a plain hash, for state
	 * files), its header from label. */
	const char *snapshot_dir;
	const struct snap_auth *snapshot_auth;
	struct snap_label label;
	/* Called in PREPARE only when something will change, with what will,
	 * before the snapshot is written: the CLI refuses what cuts remote
	 * administration (impacts.h), checks the snapshot folder and loads or
	 * creates the machine's snapshot key (into *snapshot_auth) here, so
	 * that a compliant apply writes nothing at all. A failure refuses the
	 * apply with nothing changed; the hook's message says why. NULL:
	 * nothing to do. */
	int (*before_snapshot)(void *ctx, const struct diff *d, struct sc_err *err);
	void *before_snapshot_ctx;
	/* Guard against interruption (platform_guard_begin): a signal or
	 * console event during EXECUTE stops it before the next operation
	 * and runs the restore; the process ends only after that. */
	bool guard_signals;
};

struct apply_result {
	enum apply_status status;
	struct diff diff;    /* what was (to be) changed */
	char *snapshot_path; /* written snapshot, or NULL */
	char *snapshot_id;
	bool reboot;               /* a committed change needs a reboot */
	size_t executed;           /* operations executed before success/failure */
	struct sc_err err;         /* why it failed */
	struct sc_err restore_err; /* why restoring failed (ROLLBACK_FAILED) */
	size_t writes;             /* registry writes made (sets, deletes, key ops) */
};

/* Runs the transaction. Always fills *r (free with apply_result_free);
 * returns r->status. */
enum apply_status apply_plan(const struct plan *plan, const struct apply_options *o,
                             struct apply_result *r);
void apply_result_free(struct apply_result *r);

#endif
