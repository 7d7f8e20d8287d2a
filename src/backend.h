/*
 * backend.h - the one door to a registry.
 *
 * Everything schannelcfg reads or writes goes through a `const struct
 * reg_backend *`. The core never knows which registry is behind it:
 *   - win32   (backend_win32.c): the live registry through advapi32;
 *   - regfile (backend_regfile.c): a .reg file loaded into memory, saved on
 *     commit (regfile.c is the text);
 *   - mem     (backend_mem.c): in-memory, for unit tests;
 *   - wrappers (backend_wrap.c): count or trace calls, inject faults.
 *
 * Paths are UTF-8, relative to HKEY_LOCAL_MACHINE, components separated by
 * one backslash, no leading/trailing backslash ("SYSTEM\CurrentControlSet").
 * A forward slash is an ordinary character: "RC4 128/128" is one key.
 * Names compare case-insensitively. The mem backend (and so .reg files and
 * snapshots) folds ASCII letters only; the Windows registry folds the whole
 * of Unicode ("caf\u00e9" and "caf\u00c9" are one key there). The names
 * schannelcfg manages are ASCII, where the two agree.
 *
 * Views: REG_VIEW_64 is the native 64-bit view; REG_VIEW_32 is what a 32-bit
 * process sees (KEY_WOW64_32KEY). Under HKLM\SOFTWARE the 32-bit view is the
 * Wow6432Node subtree; HKLM\SYSTEM is shared by both views. Callers never
 * spell "Wow6432Node" themselves; the backend maps the view.
 *
 * Every function returns SC_OK, SC_NOT_FOUND (where documented) or SC_ERROR
 * with a message naming the full key path in *err. No function prints.
 */
#ifndef SCHANNELCFG_BACKEND_H
#define SCHANNELCFG_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "regvalue.h"
#include "util.h"

enum reg_view {
	REG_VIEW_64 = 0,
	REG_VIEW_32 = 1,
};

enum reg_access {
	REG_ACCESS_READ,  /* query values, enumerate */
	REG_ACCESS_WRITE, /* also set and delete values */
};

/* An open key. Backend-specific; released with close_key. */
struct reg_key;

/*
 * A store is a struct that begins with `struct reg_backend` and whatever
 * state it needs after it (as git's ref stores do). Its operations are one
 * static const table per kind of store; the table's address is the store's
 * identity, for a checked downcast (reg_backend_is): never a name, never a
 * copied table. A kind may be based on another (a .reg file's store is a
 * mem store with a file behind it, and works wherever a mem store does).
 */
struct reg_backend;

struct reg_backend_ops {
	const char *name;                   /* "mem", "regfile", "win32", "wrap" */
	const struct reg_backend_ops *base; /* the kind this one extends, or NULL */

	/* Opens an existing key. SC_NOT_FOUND if it (or a parent) is missing. */
	int (*open_key)(const struct reg_backend *b, enum reg_view view, const char *path,
	                enum reg_access access, struct reg_key **key, struct sc_err *err);

	/* Opens a key for writing, creating it and any missing parents.
	 * *created (may be NULL) tells whether the key itself was new. */
	int (*create_key)(const struct reg_backend *b, enum reg_view view, const char *path,
	                  struct reg_key **key, bool *created, struct sc_err *err);

	/* Reads a value ("" is the default value). SC_NOT_FOUND if absent.
	 * On SC_OK the caller owns out->data (regvalue_free). */
	int (*read_value)(const struct reg_backend *b, struct reg_key *key, const char *name,
	                  struct reg_value *out, struct sc_err *err);

	int (*write_value)(const struct reg_backend *b, struct reg_key *key, const char *name,
	                   const struct reg_value *value, struct sc_err *err);

	/* SC_NOT_FOUND if the value was already absent. */
	int (*delete_value)(const struct reg_backend *b, struct reg_key *key, const char *name,
	                    struct sc_err *err);

	/* Deletes the key if it has no values and no subkeys; *deleted says
	 * whether it did. SC_NOT_FOUND if the key does not exist. Never
	 * deletes anything recursively. */
	int (*delete_key_if_empty)(const struct reg_backend *b, enum reg_view view,
	                           const char *path, bool *deleted, struct sc_err *err);

	/* Enumerates by index, like RegEnumKeyEx / RegEnumValue: SC_NOT_FOUND
	 * past the end. *name is malloc'd (caller frees). */
	int (*enum_subkey)(const struct reg_backend *b, struct reg_key *key, size_t index,
	                   char **name, struct sc_err *err);
	int (*enum_value)(const struct reg_backend *b, struct reg_key *key, size_t index,
	                  char **name, struct sc_err *err);

	void (*close_key)(const struct reg_backend *b, struct reg_key *key);

	/* The end of a transaction (apply.h COMMITTED): makes what was written
	 * through this store durable. A .reg file's store saves the file
	 * (atomically: on failure it is as it was, and the transaction
	 * restores); NULL where every write is durable already (the live
	 * registry, mem). Locking is not an operation here: the dispatcher
	 * takes the lock before the store is opened (cmd_guard.h), because
	 * the lock must cover the store's first read. */
	int (*commit)(const struct reg_backend *b, struct sc_err *err);

	/* After a failed commit: whether it changed the target in part (a
	 * store of several files that replaced some). The transaction then
	 * commits its restore too. NULL: a failed commit changed nothing. */
	bool (*commit_left_partial)(const struct reg_backend *b);

	/* Releases the store. NULL for static stores (the live registry). */
	void (*destroy)(struct reg_backend *b);
};

struct reg_backend {
	const struct reg_backend_ops *ops;
};

/* "HKLM\path" or "HKLM\path (32-bit view)", for messages. xmalloc'd. */
char *reg_display_path(enum reg_view view, const char *path);
void reg_display_path_sb(struct strbuf *sb, enum reg_view view, const char *path);
const char *reg_view_name(enum reg_view view); /* "64-bit" / "32-bit" */

/* Convenience: opens path for reading, reads one value, closes. */
int reg_read_value_at(const struct reg_backend *b, enum reg_view view, const char *path,
                      const char *name, struct reg_value *out, struct sc_err *err);

/* True if the key exists (SC_OK), false if not (SC_NOT_FOUND); SC_ERROR on error. */
int reg_key_exists(const struct reg_backend *b, enum reg_view view, const char *path,
                   struct sc_err *err);

/*
 * Checks that a path is well-formed: non-empty components of at most 255
 * characters, no leading/trailing/double backslash, no control characters,
 * total length at most 32767... Returns true when valid; otherwise fills
 * err with the reason.
 */
bool reg_path_valid(const char *path, struct sc_err *err);

/* True if a component of path is "." or "..": legal registry key names,
 * but in a profile or snapshot only ever a path trick; both refuse them. */
bool reg_path_has_dot_component(const char *path);

/* True if path is key or lies below it, comparing whole components
 * case-insensitively ("SOFTWARE\\X" is within "SOFTWARE", "SOFTWAREX" is
 * not). */
bool reg_path_within(const char *path, const char *key);

/*
 * Where the views meet, for code that walks keys by view (diff, snapshots);
 * nothing else spells Wow6432Node. On Windows the 32-bit view's SOFTWARE is
 * the 64-bit SOFTWARE\Wow6432Node, and HKLM\SYSTEM is shared.
 *   reg_view_subkey: the (view, path) of the subkey `name` that enumerating
 *     (view, parent) gave: (64, SOFTWARE) + "Wow6432Node" is (32, SOFTWARE).
 *     *path is xmalloc'd.
 *   reg_view_depth: how deep (view, path) lies in the one physical tree
 *     (components below HKLM, Wow6432Node counted).
 *   reg_view_container: the key of the other view that physically holds
 *     (view, path) as its own root, or NULL: (32, SOFTWARE) lives in (64,
 *     SOFTWARE), so creating one may have created the other.
 */
void reg_view_subkey(enum reg_view view, const char *parent, const char *name,
                     enum reg_view *child_view, char **path);
size_t reg_view_depth(enum reg_view view, const char *path);
const char *reg_view_container(enum reg_view view, const char *path, enum reg_view *container_view);

/* True if b is of the kind `ops`, or of a kind based on it. NULL b: false. */
bool reg_backend_is(const struct reg_backend *b, const struct reg_backend_ops *ops);

/* The kind's name, for messages ("mem", "regfile", ...). */
const char *reg_backend_name(const struct reg_backend *b);

/* b's commit, or SC_OK for stores whose writes are durable already. */
int reg_backend_commit(const struct reg_backend *b, struct sc_err *err);
bool reg_backend_commit_left_partial(const struct reg_backend *b);

/* Releases a backend made by any *_backend_new function. NULL is fine. */
void reg_backend_free(struct reg_backend *b);

#endif
