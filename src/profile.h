/*
 * profile.h - reading profiles (INI) into settings.
 *
 * A profile is parsed with inih (configured for hostile input, see
 * common.mk) after profile_lex.c has read the text itself and rejected NUL
 * bytes, invalid UTF-8, over-long lines, over-long section headers and
 * text after a header's ']' (inih would silently truncate or drop them).
 * Every error in a file is collected as "file:line: message"; nothing is
 * ever written while loading.
 *
 * Includes are resolved here: a built-in profile may include built-ins; a
 * profile file may include NAME.ini from its own folder or a built-in. The
 * including profile's settings win; two includes that set the same thing
 * differently are an error naming both places; cycles are an error.
 */
#ifndef SCHANNELCFG_PROFILE_H
#define SCHANNELCFG_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "profile_diag.h" /* struct diag, diag_error, diag_format, ... */
#include "regvalue.h"
#include "schema.h"
#include "util.h"

/* Longest profile line, and the most include levels, accepted. */
/* 64 KiB: capture writes a raw REG_MULTI_SZ (a long suite list as hex) on
 * one line. */
#define PROFILE_MAX_LINE          65536
#define PROFILE_MAX_SIZE          (1024 * 1024)
#define PROFILE_MAX_INCLUDE_DEPTH 16
/* inih truncates section names at 49 bytes; longer headers are refused. */
#define PROFILE_MAX_SECTION 49

enum state { STATE_ENABLED, STATE_DISABLED, STATE_DEFAULT };

enum suite_where { WHERE_AUTO, WHERE_LOCAL, WHERE_POLICY };

/* A version condition of applies-to. */
struct version_rule {
	enum { RULE_WINDOWS, RULE_BUILD } what;
	enum { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ } cmp;
	uint32_t major, minor, build;
};

/* A section's "if" condition ([winhttp if build >= 20348]): the rules
 * that must all hold, and their text as written. Owned by each setting. */
struct condition {
	struct version_rule *rules;
	size_t n;
	char *text;
};

/* A number row's value (VK_NUMBER, VK_MASK); "default" removes it. */
struct number_setting {
	bool is_default;
	uint32_t value;
};

/* [cipher-suites] ecc-curves. */
struct curves_setting {
	bool is_default;
	char **names;
	size_t n;
};

/* [cipher-suites] remove/prefer/order, gathered into one edit. */
struct suite_setting {
	enum suite_where where;
	struct suite_lists lists;
};

/* [key] sections: one value (name NULL: the key exists). */
struct raw_setting {
	char *path;
	char *name;
	bool delete_value;
	struct reg_value value;
	bool reboot;
};

/* Which member of struct setting's union is in use (setting_form). */
enum setting_form { FORM_STATE, FORM_NUMBER, FORM_CURVES, FORM_SUITES, FORM_RAW };

/*
 * One thing a profile sets. `id` identifies what is set (two settings with
 * the same id are the same registry value(s)); `canonical` is the value in
 * normal form, so includes can be compared. What it means is its row:
 * `def` (NULL only for ST_RAW) within `section`; the value is the union
 * member setting_form() names.
 */
struct setting {
	enum setting_kind kind;
	const struct key_def *def;
	const struct section_def *section;
	size_t word;         /* the <ARG> or <WORD> vocabulary index */
	enum reg_view view;  /* per-view sections and [key] */
	const char *version; /* a .NET version, for SEC_PER_DOTNET sections */

	char *id;         /* "protocol TLS 1.2 client", "dotnet v4.0.30319 32 SchUseStrongCrypto" */
	char *subject;    /* in words: "TLS 1.2 client" */
	char *value_text; /* in words: "enabled", "TLS 1.1 TLS 1.2 (0x00000a00)" */
	char *canonical;
	char *file; /* source file display name (owned) */
	unsigned line;
	/* The baseline rule ("nist-800-52r2:3.1") of its section's "rule =",
	 * or NULL (owned). */
	char *rule;
	/* Set when the section has an "if": the setting applies only where the
	 * condition holds, and there it replaces the same target's setting
	 * without one (compile.c). */
	struct condition when;

	union {
		enum state state; /* FORM_STATE: rows of kind VK_STATE */
		struct number_setting num;
		struct curves_setting curves;
		struct suite_setting suites;
		struct raw_setting raw;
	} u;
};

enum setting_form setting_form(const struct setting *s);

struct profile {
	char *name;
	char **aliases;
	size_t naliases;
	char *summary;
	char **references;
	size_t nreferences, references_cap;
	char **notes;
	size_t nnotes, notes_cap;
	char **includes; /* as written */
	size_t nincludes;
	unsigned include_line;
	struct version_rule *applies_to;
	size_t napplies, applies_cap;
	char *applies_text;
	/* [profile] baseline: the document (name, version) a baseline
	 * implements; NULL for other profiles. */
	char *baseline;
	char *file; /* display name: "builtin:NAME.ini" or the path */
	bool builtin;
	struct setting *settings;
	size_t nsettings, cap;
};

struct profile_options {
	bool allow_any_key; /* raw keys outside the TLS-related roots */
};

/*
 * Loads a profile: `what` is a built-in name or alias, or a path to an
 * .ini file (anything containing a path separator or ending in ".ini").
 * Includes are resolved and merged. On success returns SC_OK and *out
 * (free with profile_free). On failure returns SC_ERROR with every problem
 * in diags (each "file:line: message").
 */
int profile_load(const char *what, const struct profile_options *opts, struct profile **out,
                 struct diag *diags);

/* Parses one profile text without resolving includes (fuzzing, tests).
 * Returns SC_OK or SC_ERROR with diags. */
int profile_parse_text(const char *file, const char *text, size_t size,
                       const struct profile_options *opts, struct profile **out,
                       struct diag *diags);

void profile_free(struct profile *p);

/* The built-in profiles, parsed (metadata only is used by `list`).
 * Returns an array of `count` profiles (free each with profile_free, then
 * the array), or NULL with diags when a built-in is broken. */
struct profile **profile_list_builtins(size_t *count, struct diag *diags);

/* Deep copy of a setting (dst owns its own copies of everything). */
void profile_setting_copy(struct setting *dst, const struct setting *src);
void profile_setting_free(struct setting *s);

/* True if two settings set the same registry value(s): the same row,
 * word, view and .NET version, or the same raw key and value name, under
 * the same condition. */
bool profile_same_target(const struct setting *a, const struct setting *b);
/* The same, whatever the settings' conditions. */
bool profile_same_value(const struct setting *a, const struct setting *b);

/* Finds a setting by id; NULL if absent. */
const struct setting *profile_find_setting(const struct profile *p, const char *id);

/* True if a Windows version satisfies every applies-to rule. */
bool profile_applies(const struct profile *p, uint32_t major, uint32_t minor, uint32_t build);
/* True if a Windows version satisfies a setting's condition (always, when
 * it has none). */
bool profile_condition_holds(const struct condition *c, uint32_t major, uint32_t minor,
                             uint32_t build);

#endif
