/*
 * snapshot.h - rollback snapshots: the before-image of an apply, as a .reg
 * file `reg import` understands on its own.
 *
 * File layout (format 2; UTF-16LE with BOM, "Windows Registry Editor
 * Version 5.00"):
 *   ; schannelcfg snapshot ...      a fixed title line
 *   ; hmac-sha256: <hex>            live snapshots: HMAC-SHA256 under the
 *   ; sha256: <hex>                 machine key; state-file snapshots: a
 *                                   plain hash (integrity only). Either
 *                                   covers the UTF-8 text after this line:
 *   ; format: 2                     every header field below and the body
 *   ; id: <stamp>-<seq>-<profile>   equal to the file name
 *   ; kind: apply | rollback        what wrote it (never the profile name)
 *   ; time / profile / target / machine / allow-any-key / tool / counts
 *   ; created-key: 64 PATH          keys the apply creates (removed by
 *   ; created-above-root: 64 PATH   rollback once empty, deepest first)
 *   [KEY] "name"=before | "name"=-  values as they were (absent -> =-)
 *   [KEY]                           keys that existed and the apply removes
 * The body has no [-KEY] line: `reg import` of the file puts every value
 * back and leaves the keys the apply created as harmless empty keys; it
 * never deletes a subtree (a subkey or value made after the apply, or a
 * whole .NETFramework key, survives).
 *
 * MUST: a live rollback uses only a snapshot whose HMAC verifies under the
 * machine key (platform_snapshot_key), whose id is its file name, and whose
 * values are documented TLS values (roots.h) - unless its hashed header
 * says allow-any-key and the caller allows it too. MUST NOT: accept a
 * [-KEY] line, a "." or ".." key component, or a key outside the TLS keys.
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

enum snap_kind {
	SNAP_APPLY,    /* written by apply: what `rollback` restores by default */
	SNAP_ROLLBACK, /* written by rollback (restoring it undoes the rollback) */
};

/* How a snapshot file is authenticated. keyed: HMAC-SHA256 under key (the
 * live registry's snapshots, platform_snapshot_key); not keyed: a plain
 * SHA-256, which only detects damage (.reg state files, whose snapshots
 * anyone who can write the state file's folder could forge anyway). */
struct snap_auth {
	bool keyed;
	/* Listing without the key (a non-elevated `snapshots`): an HMAC line
	 * is accepted unchecked and the snapshot marked unverified. Never for
	 * a snapshot that is restored. */
	bool unverified;
	uint8_t key[32];
};

struct snapshot {
	char *id;
	unsigned seq; /* the id's sequence number (orders one second's ids) */
	enum snap_kind kind;
	char *time; /* ISO 8601 UTC */
	char *profile;
	char *target;       /* "live" or "state:<absolute path>" */
	char *machine;      /* MachineGuid of the live registry, or "-" */
	bool allow_any_key; /* taken with --allow-any-key (values outside roots.h) */
	bool keyed;         /* parsed: the file carries an HMAC (a live snapshot) */
	bool verified;      /* parsed: its HMAC or hash was checked */
	char *tool;
	struct snap_value *values;
	size_t nvalues, vcap;
	struct snap_key *existed; /* keys to re-create */
	size_t nexisted, ecap;
	struct snap_key *created; /* keys to remove again (shallowest missing),
	                           * "; created-key:" header lines */
	size_t ncreated, ccap;
	/* Keys above a TLS-related root that the apply created (e.g. an
	 * empty HKLM\SOFTWARE\Policies\Microsoft\Cryptography). The .reg body
	 * only deletes from the root down, so `reg import` can never delete a
	 * subtree above it; these are listed in the hashed header and removed
	 * by schannelcfg rollback once empty. */
	struct snap_key *above;
	size_t nabove, acap;
};

/* What a snapshot says about itself (its hashed header): what made it,
 * for which registry and machine, and when. Strings are the caller's;
 * NULL profile or target is "", NULL machine is "-". */
struct snap_label {
	enum snap_kind kind;
	const char *profile;
	const char *target; /* "live" or "state:<path>" */
	const char *machine;
	bool allow_any_key; /* the apply ran with --allow-any-key */
	time_t now;
};

/* The before-image of a diff: every changed value, keys the plan deletes,
 * keys it creates, labelled (strings copied). */
void snapshot_from_diff(const struct diff *d, const struct snap_label *label, struct snapshot *s);
void snapshot_free(struct snapshot *s);

/* The file's text (UTF-8, CRLF; encode with regfile_encode), authenticated
 * with auth (NULL: not keyed). */
void snapshot_format_auth(const struct snapshot *s, const struct snap_auth *auth,
                          struct strbuf *sb);
/* snapshot_format_auth(s, NULL, sb). */
void snapshot_format(const struct snapshot *s, struct strbuf *sb);

/*
 * Reads a snapshot file's bytes. Checks the header, the authentication
 * (auth->keyed: the file must carry an HMAC that verifies under auth->key;
 * otherwise a SHA-256 line), that values are documented TLS values (or the
 * header says allow-any-key and allow_any_key is set too), that no line
 * deletes a key subtree and no key has a "." or ".." component.
 * Returns SC_OK, or SC_ERROR with "file[:line]: reason".
 */
int snapshot_parse_auth(const char *source, const uint8_t *data, size_t size,
                        const struct snap_auth *auth, bool allow_any_key, struct snapshot *s,
                        struct sc_err *err);
/* snapshot_parse_auth with auth NULL (not keyed). */
int snapshot_parse(const char *source, const uint8_t *data, size_t size, bool allow_any_key,
                   struct snapshot *s, struct sc_err *err);

/*
 * The plan that restores the before-image: re-create removed keys, write or
 * delete each value, then remove created keys (deepest first) once empty.
 */
void snapshot_restore_plan(const struct snapshot *s, const char *source, struct plan *plan);

/* Gives s its id (time stamp, sequence number, profile) and writes it into
 * dir (created protected if missing) as <id>.reg: a temporary file, flushed,
 * then moved to its name only if no file has that name (never replacing
 * one); a name taken meanwhile by another process gets the next sequence
 * number. *path receives the file path (malloc'd). */
int snapshot_write_auth(struct snapshot *s, const char *dir, const struct snap_auth *auth,
                        char **path, struct sc_err *err);
/* snapshot_write_auth with auth NULL. */
int snapshot_write(struct snapshot *s, const char *dir, char **path, struct sc_err *err);

/* Loads a snapshot file (read + parse; its id must equal its file name). */
int snapshot_load_auth(const char *path, const struct snap_auth *auth, bool allow_any_key,
                       struct snapshot *s, struct sc_err *err);
/* snapshot_load_auth with auth NULL. */
int snapshot_load(const char *path, bool allow_any_key, struct snapshot *s, struct sc_err *err);

/* True if a was taken after b: by the hashed time, then the id's sequence
 * number (never by file name, which anyone could choose). */
bool snapshot_newer(const struct snapshot *a, const struct snapshot *b);

/* Lists the snapshot files (names) of dir, by name, descending. Choosing
 * the latest one is by snapshot_newer on loaded, verified snapshots. */
char **snapshot_list(const char *dir, size_t *count, struct sc_err *err);

#endif
