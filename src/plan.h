/*
 * plan.h - a compiled profile: an ordered, deterministic list of registry
 * operations. Made by compile.c; read by diff.c; never touches a backend.
 *
 * Each operation carries where it came from ("file:line"), why it exists
 * (one line, in words) and whether its effect needs a reboot.
 */
#ifndef SCHANNELCFG_PLAN_H
#define SCHANNELCFG_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "regvalue.h"
#include "util.h"

enum op_kind {
	OP_SET,                 /* write `value` */
	OP_DELETE_VALUE,        /* remove the value if present */
	OP_DELETE_KEY_IF_EMPTY, /* remove the key if it holds nothing */
	OP_LIST_EDIT,           /* edit a cipher-suite list (see list_edit) */
	OP_CREATE_KEY,          /* make sure the key exists (restoring snapshots) */
};

/* Areas group operations in output, in this order. */
enum area {
	AREA_PROTOCOLS,
	AREA_CIPHERS,
	AREA_HASHES,
	AREA_KEY_EXCHANGE,
	AREA_SCHANNEL,
	AREA_SUITES,
	AREA_DOTNET,
	AREA_WINHTTP,
	AREA_EAP,
	AREA_FIPS,
	AREA_RAW,
	AREA_COUNT
};
const char *area_name(enum area a);

enum list_format {
	LIST_MULTI_SZ, /* the local list: one suite per string */
	LIST_COMMA_SZ, /* the Group Policy list: one REG_SZ, comma separated */
};

/* The three edits a cipher-suite list can get: a profile's order, remove
 * and prefer words (profile.h keeps them as written, list_edit as asked). */
struct suite_lists {
	bool has_order;
	/* order = os-default: the order is the target release's default one
	 * (src/suites.c), filled in by compile.c; `order` is empty until then. */
	bool os_default;
	char **order;
	size_t norder;
	char **remove;
	size_t nremove;
	char **prefer;
	size_t nprefer;
};

/* Deep copy (dst owns its lists) and release. */
void suite_lists_copy(struct suite_lists *dst, const struct suite_lists *src);
void suite_lists_free(struct suite_lists *l);

/*
 * How a cipher-suite list changes: start from `order` (when has_order) or
 * from the current list; drop every suite matching a `remove` pattern; then
 * move the suites matching each `prefer` pattern to the front (pattern by
 * pattern, each group keeping its order). An absent list is created only
 * when create_if_absent (an explicit order for that list); otherwise an
 * absent list stays absent.
 */
struct list_edit {
	enum list_format format;
	bool create_if_absent;
	struct suite_lists want;
	/* The local list only: when the value is absent, Windows uses its
	 * built-in order, which this is (the target release's, src/suites.c),
	 * so an edit starts from it (NULL: unknown release, nothing to edit).
	 * builtin_for names the release, for messages. */
	char **builtin;
	size_t nbuiltin;
	const char *builtin_for;
};

struct plan_op {
	enum op_kind kind;
	enum area area;
	enum reg_view view;
	char *path;             /* relative to HKLM */
	char *name;             /* value name; NULL for key operations */
	struct reg_value value; /* OP_SET */
	struct list_edit edit;  /* OP_LIST_EDIT */
	char *source;           /* "file:line" */
	char *reason;           /* one line, in words */
	char *rule;             /* the baseline rule it implements, or NULL */
	bool reboot;            /* a change here takes effect after a reboot */
};

struct plan_warning {
	char *source; /* "file:line" or "" */
	char *text;
};

/* What a plan may break (impacts.c's rules): who loses what, and whether
 * it cuts remote administration (apply then needs --force). ops: the
 * plan ops that trigger it; a diff keeps the impact when one of them
 * changes something. */
enum impact_class { IMPACT_BREAKS, IMPACT_CUTS_ADMIN };

#define IMPACT_MAX_OPS 4

struct plan_impact {
	const char *rule; /* stable id, e.g. "rdp-tls10-server" */
	enum impact_class cls;
	char *text;
	const char *ref; /* the Microsoft page */
	const char *kb;  /* the update that removes the impact ("KB3080079"), or NULL */
	size_t ops[IMPACT_MAX_OPS];
	size_t nops;
};

struct plan {
	char *profile; /* profile name */
	/* A baseline's document (the profile's "baseline ="), or NULL. */
	char *baseline;
	struct plan_op *ops;
	size_t nops, cap;
	struct plan_warning *warnings;
	size_t nwarnings, wcap;
	struct plan_impact *impacts;
	size_t nimpacts, icap;
};

/* Appends an impact (text copied) and returns it for its ops. */
struct plan_impact *plan_impact_add(struct plan_impact **list, size_t *n, size_t *cap,
                                    const char *rule, enum impact_class cls, const char *text,
                                    const char *ref);
void plan_impacts_free(struct plan_impact *list, size_t n);

void plan_init(struct plan *p, const char *profile_name);
void plan_free(struct plan *p);
/* Releases what one op owns (plan_free does this for every op). */
void plan_op_free(struct plan_op *op);
/* Appends an operation with copies of path and name. The caller then sets
 * the op's source and reason (malloc'd strings the plan takes over) and,
 * for OP_SET / OP_LIST_EDIT, its value or edit (also taken over). */
struct plan_op *plan_add(struct plan *p, enum op_kind kind, enum area area, enum reg_view view,
                         const char *path, const char *name);
void plan_warn(struct plan *p, const char *source, const char *fmt, ...) SC_PRINTF(3, 4);

/* Applies a list edit to `current` (NULL when the list is absent). Returns
 * the new list (xmalloc'd, *count set), or NULL when the list stays absent. */
char **list_edit_apply(const struct list_edit *e, char *const *current, size_t ncurrent,
                       size_t *count);
/* The list as the registry stores it (REG_MULTI_SZ or comma REG_SZ). */
void list_to_value(enum list_format f, char *const *items, size_t n, struct reg_value *out);
/* Splits a stored list; tolerates the other type (returns false if the
 * value's type does not match the format, *items still filled). */
bool list_from_value(enum list_format f, const struct reg_value *v, char ***items, size_t *n);

/* True if the glob pattern ('*' = any run) matches name. */
bool suite_pattern_match(const char *pattern, const char *name);

/*
 * Appends the plan in its canonical text form: one line per operation,
 *   set    HKLM\...\TLS 1.2\Client [64] Enabled = REG_DWORD 0x00000001  reboot  (file:line) reason
 * The golden tests pin this form for every built-in profile.
 */
void plan_format(const struct plan *p, struct strbuf *sb);

#endif
