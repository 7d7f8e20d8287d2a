/*
 * snapshot.h - rollback snapshots: the before-image of an apply, as a .reg
 * file `reg import` understands on its own.
 *
 * File layout (UTF-16LE with BOM, "Windows Registry Editor Version 5.00"):
 *   ; schannelcfg snapshot ...      a fixed title line
 *   ; sha256: <hex>                 of the UTF-8 text after this line, so it
 *   ; format: 1                     covers the header fields too: format, id,
 *   ; ...                           time, profile, target, tool, counts
 *   [KEY] "name"=before | "name"=-  values as they were (absent -> =-)
 *   [KEY]                           keys that existed and the apply removes
 *   [-KEY]                          keys the apply creates (to remove again)
 * `reg import` of the file restores the prior state (it deletes [-KEY]
 * subtrees recursively); schannelcfg rollback removes created keys only once
 * they are empty again, and says so when they are not.
 *
 * MUST: a snapshot that fails its integrity check, or names a key outside
 * the TLS-related roots (unless allow_any_key), is refused.
 */
#ifndef SCHANNELCFG_SNAPSHOT_H
#define SCHANNELCFG_SNAPSHOT_H

#include <stdbool.h>
#include <time.h>

#include "backend.h"
#include "diff.h"
#include "plan.h"
#include "util.h"

#define SNAPSHOT_SUFFIX ".reg"

struct snap_value {
	enum reg_view view;
	char *path;
	char *name;
	bool present;
	struct reg_value value;
};

struct snap_key {
	enum reg_view view;
	char *path;
};

struct snapshot {
	char *id;
	char *time;    /* ISO 8601 UTC */
	char *profile;
	char *target;  /* "live" or "state:<absolute path>" */
	char *tool;
	struct snap_value *values;
	size_t nvalues, vcap;
	struct snap_key *existed; /* keys to re-create */
	size_t nexisted, ecap;
	struct snap_key *created; /* keys to remove again (shallowest missing) */
	size_t ncreated, ccap;
	/* Keys above a TLS-related root that the apply created (e.g. an
	 * empty HKLM\SOFTWARE\Policies\Microsoft\Cryptography). The .reg body
	 * only deletes from the root down, so `reg import` can never delete a
	 * subtree above it; these are listed in the hashed header and removed
	 * by schannelcfg rollback once empty. */
	struct snap_key *above;
	size_t nabove, acap;
};

/* The before-image of a diff: every changed value, keys the plan deletes,
 * keys it creates. Metadata strings are copied. */
void snapshot_from_diff(const struct diff *d, const char *profile, const char *target,
			time_t now, struct snapshot *s);
void snapshot_free(struct snapshot *s);

/* The file's text (UTF-8, CRLF; encode with regfile_encode). */
void snapshot_format(const struct snapshot *s, struct strbuf *sb);

/*
 * Reads a snapshot file's bytes. Checks the header, the integrity hash and
 * (unless allow_any_key) that every key is inside the TLS-related roots.
 * Returns SC_OK, or SC_ERROR with "file[:line]: reason".
 */
int snapshot_parse(const char *source, const uint8_t *data, size_t size, bool allow_any_key,
		   struct snapshot *s, struct sc_err *err);

/*
 * The plan that restores the before-image: re-create removed keys, write or
 * delete each value, then remove created keys (deepest first) once empty.
 */
void snapshot_restore_plan(const struct snapshot *s, const char *source, struct plan *plan);

/* Gives s its id (time stamp, sequence number, profile) and writes it into
 * dir (created protected if missing) as <id>.reg, via a temporary file,
 * flushed and renamed. *path receives the file path (malloc'd). */
int snapshot_write(struct snapshot *s, const char *dir, char **path, struct sc_err *err);

/* Loads a snapshot file (read + parse). */
int snapshot_load(const char *path, bool allow_any_key, struct snapshot *s, struct sc_err *err);

/* Lists the snapshot files of dir, newest first (ids sort by time). */
char **snapshot_list(const char *dir, size_t *count, struct sc_err *err);

#endif
