/*
 * profile_load.c - finding profiles (built-in or file) and merging includes.
 *
 * MUST: an include names a built-in profile or a NAME.ini beside the
 * including file; never a path ("..", separators, drive letters), so a
 * profile cannot pull in arbitrary files. MUST: bound the include depth and
 * refuse cycles.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "ci_index.h"
#include "profile.h"

#define BUILTIN_PREFIX "builtin:"

struct loader {
	const struct profile_options *opts;
	struct diag *diags;
	const char *stack[PROFILE_MAX_INCLUDE_DEPTH + 1]; /* display names being loaded */
	size_t depth;
};

static bool looks_like_path(const char *what)
{
	size_t n = strlen(what);

	return strchr(what, '/') || strchr(what, '\\') || (n > 4 && streq_ci(what + n - 4, ".ini"));
}

static bool name_matches(const struct profile *p, const char *what)
{
	size_t i;

	if (p->name && streq_ci(p->name, what))
		return true;
	for (i = 0; i < p->naliases; i++)
		if (streq_ci(p->aliases[i], what))
			return true;
	return false;
}

/* Index of the built-in profile called `what` (name or alias), or -1. */
static long find_builtin(const char *what)
{
	size_t i;

	for (i = 0; i < builtin_profile_count; i++) {
		struct diag scratch = {0};
		struct profile *p = NULL;
		char *file = xasprintf(BUILTIN_PREFIX "%s", builtin_profiles[i].file_name);
		bool match;

		profile_parse_text(file, builtin_profiles[i].text, builtin_profiles[i].size, NULL,
		                   &p, &scratch);
		match = p && name_matches(p, what);
		profile_free(p);
		diag_free(&scratch);
		free(file);
		if (match)
			return (long)i;
	}
	return -1;
}

static bool include_name_ok(const char *name)
{
	size_t i;

	if (!*name || !strcmp(name, ".") || strstr(name, ".."))
		return false;
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || name[i] == '\\' || name[i] == ':')
			return false;
	return true;
}

/* Directory part of a path (with its trailing separator), or "". */
static char *dir_of(const char *path)
{
	const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');
	const char *sep = a > b ? a : b;

	return sep ? xstrndup(path, (size_t)(sep - path) + 1) : xstrdup("");
}

static int load_any(struct loader *l, const char *what, const char *base_dir, struct profile **out,
                    const char *from_file, unsigned from_line);

static int parse_source(struct loader *l, const char *display, const char *text, size_t size,
                        struct profile **out)
{
	return profile_parse_text(display, text, size, l->opts, out, l->diags);
}

static int load_file(struct loader *l, const char *path, struct profile **out,
                     const char *from_file, unsigned from_line)
{
	struct sc_err err = {{0}};
	size_t size;
	char *text = read_file(path, PROFILE_MAX_SIZE, &size, &err);
	int rc;

	if (!text) {
		if (from_file)
			diag_error(l->diags, from_file, from_line, "include: %s", err.msg);
		else
			diag_add(l->diags, err.msg);
		return SC_ERROR;
	}
	rc = parse_source(l, path, text, size, out);
	free(text);
	return rc;
}

static bool on_stack(const struct loader *l, const char *display)
{
	size_t i;

	for (i = 0; i < l->depth; i++)
		if (!strcmp(l->stack[i], display))
			return true;
	return false;
}

/* Adds one included setting unless the profile or an earlier include set
 * it. Two includes disagreeing is an error at the include line. `ids`
 * indexes p->settings by id (a hash only: what decides is the target). */
static void merge_setting(struct loader *l, struct profile *p, size_t own_count,
                          struct ci_index *ids, const struct setting *s, const char *inc_name)
{
	size_t it = 0, i, h = hash_ci(0, s->id);

	while ((i = ci_index_next(ids, h, &it)) != SIZE_MAX) {
		const struct setting *have = &p->settings[i];

		if (!profile_same_target(have, s))
			continue;
		if (i >= own_count && strcmp(have->canonical, s->canonical))
			diag_error(l->diags, p->file, p->include_line,
			           "includes disagree on %s: %s:%u says \"%s\", %s:%u (from %s) "
			           "says \"%s\"; set it in this profile to decide",
			           s->subject, have->file, have->line, have->value_text, s->file,
			           s->line, inc_name, s->value_text);
		return;
	}
	xgrow(&p->settings, &p->cap, p->nsettings + 1, sizeof(*p->settings));
	ci_index_xput(ids, h, p->nsettings);
	profile_setting_copy(&p->settings[p->nsettings++], s);
}

/* An included profile's applies-to rules hold for the includer too: its
 * settings were written for those Windows versions. */
static void inherit_applies(struct profile *p, const struct profile *inc)
{
	size_t i;
	char *text;

	if (!inc->napplies)
		return;
	for (i = 0; i < inc->napplies; i++) {
		xgrow(&p->applies_to, &p->applies_cap, p->napplies + 1, sizeof(*p->applies_to));
		p->applies_to[p->napplies++] = inc->applies_to[i];
	}
	text = p->applies_text ? xasprintf("%s, %s", p->applies_text, inc->applies_text)
	                       : xstrdup(inc->applies_text);
	free(p->applies_text);
	p->applies_text = text;
}

static int resolve_includes(struct loader *l, struct profile *p, const char *base_dir)
{
	size_t own = p->nsettings, i, j;
	struct ci_index ids = {0};
	int rc = SC_OK;

	for (i = 0; i < own && p->nincludes; i++)
		ci_index_xput(&ids, hash_ci(0, p->settings[i].id), i);
	for (i = 0; i < p->nincludes; i++) {
		struct profile *inc = NULL;

		if (!include_name_ok(p->includes[i])) {
			diag_error(l->diags, p->file, p->include_line,
			           "include: \"%s\" must be a built-in profile name or NAME.ini in "
			           "the same folder (no paths, no \"..\")",
			           p->includes[i]);
			rc = SC_ERROR;
			continue;
		}
		if (load_any(l, p->includes[i], base_dir, &inc, p->file, p->include_line) !=
		    SC_OK) {
			rc = SC_ERROR;
			continue;
		}
		for (j = 0; j < inc->nsettings; j++)
			merge_setting(l, p, own, &ids, &inc->settings[j], p->includes[i]);
		inherit_applies(p, inc);
		profile_free(inc);
	}
	ci_index_free(&ids);
	return rc;
}

static bool file_exists(const char *path)
{
	struct sc_err err;
	size_t size;
	char *text = read_file(path, PROFILE_MAX_SIZE, &size, &err);

	free(text);
	return text != NULL;
}

/* Where a profile comes from: a file (*path) or a built-in (*builtin).
 * On the command line a path-looking argument is a file; an include is
 * first looked for beside the including file, then among the built-ins.
 * base_dir is NULL when the includer is a built-in: those include only
 * built-ins, whatever files lie in the current folder. */
static bool locate(const char *what, const char *base_dir, bool is_include, char **path,
                   long *builtin)
{
	*path = NULL;
	*builtin = -1;
	if (!is_include && looks_like_path(what)) {
		*path = xstrdup(what);
		return true;
	}
	if (is_include && base_dir) {
		size_t n = strlen(what);
		bool has_ext = n > 4 && streq_ci(what + n - 4, ".ini");
		char *candidate = xasprintf("%s%s%s", base_dir, what, has_ext ? "" : ".ini");

		if (file_exists(candidate)) {
			*path = candidate;
			return true;
		}
		free(candidate);
	}
	*builtin = find_builtin(what);
	return *builtin >= 0;
}

/* Loads a profile (and, recursively, its includes). base_dir is the
 * folder of the including file ("" for the current folder; NULL for
 * built-ins and the command line). */
static int load_any(struct loader *l, const char *what, const char *base_dir, struct profile **out,
                    const char *from_file, unsigned from_line)
{
	size_t errors = l->diags->errors;
	char *path, *display, *dir;
	long builtin;
	int rc;

	*out = NULL;
	if (!locate(what, base_dir, from_file != NULL, &path, &builtin)) {
		if (from_file)
			diag_error(l->diags, from_file, from_line,
			           "include: no built-in profile or .ini file beside this one is "
			           "called \"%s\"",
			           what);
		else
			diag_error(l->diags, what, 0,
			           "no built-in profile is called \"%s\" (see 'schannelcfg list'), "
			           "and it is not a path to an .ini file",
			           what);
		return SC_ERROR;
	}
	display = path ? xstrdup(path)
	               : xasprintf(BUILTIN_PREFIX "%s", builtin_profiles[builtin].file_name);
	if (on_stack(l, display) || l->depth >= PROFILE_MAX_INCLUDE_DEPTH) {
		diag_error(l->diags, from_file ? from_file : display, from_line,
		           on_stack(l, display) ? "include cycle: %s includes itself again"
		                                : "includes nested deeper than the limit at %s",
		           display);
		free(display);
		free(path);
		return SC_ERROR;
	}
	l->stack[l->depth++] = display;
	if (path)
		rc = load_file(l, path, out, from_file, from_line);
	else
		rc = parse_source(l, display, builtin_profiles[builtin].text,
		                  builtin_profiles[builtin].size, out);
	/* A file named without a folder ("my.ini") has "" here, not NULL:
	 * its includes are looked for in the current folder. */
	dir = path ? dir_of(path) : NULL;
	if (rc == SC_OK)
		rc = resolve_includes(l, *out, dir);
	l->depth--;
	free(dir);
	free(display);
	free(path);
	if (rc != SC_OK || l->diags->errors > errors) {
		profile_free(*out);
		*out = NULL;
		return SC_ERROR;
	}
	(*out)->builtin = builtin >= 0;
	return SC_OK;
}

int profile_load(const char *what, const struct profile_options *opts, struct profile **out,
                 struct diag *diags)
{
	struct profile_options none = {0};
	struct loader l = {.opts = opts ? opts : &none, .diags = diags};

	return load_any(&l, what, NULL, out, NULL, 0);
}

struct profile **profile_list_builtins(size_t *count, struct diag *diags)
{
	struct profile **list = xcalloc(builtin_profile_count + 1, sizeof(*list));
	size_t i;

	for (i = 0; i < builtin_profile_count; i++) {
		char *file = xasprintf(BUILTIN_PREFIX "%s", builtin_profiles[i].file_name);

		profile_parse_text(file, builtin_profiles[i].text, builtin_profiles[i].size, NULL,
		                   &list[i], diags);
		free(file);
	}
	*count = builtin_profile_count;
	if (diags->errors) {
		for (i = 0; i < builtin_profile_count; i++)
			profile_free(list[i]);
		free(list);
		return NULL;
	}
	return list;
}
