/*
 * profile.c - the interpreter: lexed sections -> struct profile (settings).
 *
 * profile_lex.c has checked the text and captured its sections and
 * entries; here each section and key is looked up in the schema table
 * (schema.c), values are parsed and validated, .NET, WinHTTP and raw
 * settings are expanded per registry view, and the include names are
 * recorded (profile_load.c resolves them).
 *
 * MUST: report every error of a file, each as "file:line: message".
 * MUST NOT: touch any registry backend.
 */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci_index.h"
#include "lookalike.h"
#include "plan.h" /* suite_pattern_match */
#include "profile_lex.h"
#include "regfile.h"
#include "roots.h"
#include "suites.h"

/* ---- value parsing ---- */

struct ctx {
	const char *file;
	struct diag *diags;
	struct profile *p;
	const struct profile_options *opts;
};

#define ERR(c, line, ...) diag_error((c)->diags, (c)->file, (line), __VA_ARGS__)

/* Splits on spaces, tabs and commas into xmalloc'd words. */
static char **split_words(const char *s, size_t *count)
{
	char **words = NULL;
	size_t n = 0, cap = 0;

	while (*s) {
		size_t len = strcspn(s, " \t,");

		if (len) {
			xgrow(&words, &cap, n + 1, sizeof(*words));
			words[n++] = xstrndup(s, len);
		}
		s += len;
		s += strspn(s, " \t,");
	}
	*count = n;
	return words;
}

static const char *comment_hint(const char *value)
{
	return (strstr(value, " ;") || strstr(value, " #"))
	           ? " (comments must be on their own line)"
	           : "";
}

static bool parse_state(struct ctx *c, const struct lex_entry *e, enum state *out)
{
	if (streq_ci(e->value, "enabled"))
		*out = STATE_ENABLED;
	else if (streq_ci(e->value, "disabled"))
		*out = STATE_DISABLED;
	else if (streq_ci(e->value, "default"))
		*out = STATE_DEFAULT;
	else {
		ERR(c, e->line, "%s: expected enabled, disabled or default, not \"%s\"%s", e->key,
		    e->value, comment_hint(e->value));
		return false;
	}
	return true;
}

/* A bounded number, or "default". */
static bool parse_number(struct ctx *c, const struct lex_entry *e, uint64_t min, uint64_t max,
                         struct number_setting *s)
{
	uint64_t v;

	if (streq_ci(e->value, "default")) {
		s->is_default = true;
		return true;
	}
	if (!parse_u64(e->value, max, &v) || v < min) {
		ERR(c, e->line, "%s: expected a number from %llu to %llu or default, not \"%s\"%s",
		    e->key, (unsigned long long)min, (unsigned long long)max, e->value,
		    comment_hint(e->value));
		return false;
	}
	s->value = (uint32_t)v;
	return true;
}

/* "remove": the row's value is deleted (compile's "default"). */
static bool parse_remove(struct ctx *c, const struct lex_entry *e, struct number_setting *s)
{
	if (!streq_ci(e->value, "remove")) {
		ERR(c, e->line, "%s: expected remove, not \"%s\"%s", e->key, e->value,
		    comment_hint(e->value));
		return false;
	}
	s->is_default = true;
	return true;
}

/* Words of the row's bit vocabulary -> a mask; numbers must use known bits. */
static bool parse_mask(struct ctx *c, const struct lex_entry *e, const struct reg_map *m,
                       struct number_setting *s)
{
	uint32_t known = schema_mask_known(m), mask = 0;
	uint64_t number;
	size_t i, n;
	char **words;
	bool ok = true;

	if (streq_ci(e->value, "default")) {
		s->is_default = true;
		return true;
	}
	if (parse_u64(e->value, UINT32_MAX, &number)) {
		if (number & ~(uint64_t)known) {
			ERR(c, e->line, "%s: 0x%llx has bits that are not %s %s bits (known: 0x%x)",
			    e->key, (unsigned long long)number, m->bits_what, m->bits->what, known);
			return false;
		}
		s->value = (uint32_t)number;
		return true;
	}
	words = split_words(e->value, &n);
	for (i = 0; i < n; i++) {
		const struct vocab_entry *p = vocab_find(m->bits, words[i], NULL);

		if (!p || !schema_mask_bit(m, p)) {
			ERR(c, e->line, "%s: \"%s\" is not a %s %s can be told to use%s", e->key,
			    words[i], m->bits->what, m->bits_what, comment_hint(e->value));
			ok = false;
			break;
		}
		mask |= schema_mask_bit(m, p);
	}
	if (!n) {
		ERR(c, e->line, "%s: expected %s names, a number or default", e->key,
		    m->bits->what);
		ok = false;
	}
	strlist_free(words, n);
	s->value = mask;
	return ok;
}

static bool suite_word_ok(const char *w)
{
	size_t i, stars = 0;

	for (i = 0; w[i]; i++) {
		if (w[i] == '*' && ++stars > 4)
			return false;
		if (!((w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '_' ||
		      w[i] == '*'))
			return false;
	}
	return i > 0 && i < 128;
}

static bool pattern_matches_any(const char *pattern)
{
	size_t i;

	for (i = 0; i < suite_count; i++)
		if (suite_pattern_match(pattern, suite_table[i].name))
			return true;
	return false;
}

static bool check_suite_word(struct ctx *c, const struct lex_entry *e, const char *w,
                             bool allow_glob)
{
	if (!suite_word_ok(w)) {
		ERR(c, e->line,
		    "%s: \"%s\" is not a cipher-suite name (upper-case letters, digits, "
		    "'_'%s)%s",
		    e->key, w, allow_glob ? ", '*'" : "", comment_hint(e->value));
		return false;
	}
	if (strchr(w, '*')) {
		if (!allow_glob) {
			ERR(c, e->line,
			    "%s: patterns are not allowed in an explicit order (\"%s\")", e->key,
			    w);
			return false;
		}
		if (!pattern_matches_any(w)) {
			ERR(c, e->line, "%s: pattern \"%s\" matches no Windows cipher suite",
			    e->key, w);
			return false;
		}
		return true;
	}
	if (!suite_find(w)) {
		ERR(c, e->line, "%s: \"%s\" is not a cipher suite any Windows release knows",
		    e->key, w);
		return false;
	}
	return true;
}

static bool parse_suites(struct ctx *c, const struct lex_entry *e, bool allow_glob, char ***out,
                         size_t *count)
{
	size_t i, j, n;
	char **words = split_words(e->value, &n);
	bool ok = n > 0;

	if (!n)
		ERR(c, e->line, "%s: expected at least one cipher suite", e->key);
	for (i = 0; ok && i < n; i++) {
		ok = check_suite_word(c, e, words[i], allow_glob);
		for (j = 0; ok && j < i; j++) {
			if (!strcmp(words[i], words[j])) {
				ERR(c, e->line, "%s: \"%s\" is listed twice", e->key, words[i]);
				ok = false;
			}
		}
	}
	if (!ok) {
		strlist_free(words, n);
		return false;
	}
	*out = words;
	*count = n;
	return true;
}

static bool parse_curves(struct ctx *c, const struct lex_entry *e, struct curves_setting *s)
{
	size_t i, n;
	char **words;

	if (streq_ci(e->value, "default")) {
		s->is_default = true;
		return true;
	}
	words = split_words(e->value, &n);
	for (i = 0; i < n; i++) {
		if (!curve_known(words[i])) {
			ERR(c, e->line, "%s: \"%s\" is not an ECC curve Windows knows%s", e->key,
			    words[i], comment_hint(e->value));
			strlist_free(words, n);
			return false;
		}
	}
	if (!n) {
		ERR(c, e->line, "%s: expected curve names or default", e->key);
		return false;
	}
	s->names = words;
	s->n = n;
	return true;
}

/* views: "64", "32" or "both" -> bit 0 = 64-bit, bit 1 = 32-bit. */
static bool parse_views(struct ctx *c, const struct lex_entry *e, unsigned *views)
{
	if (!strcmp(e->value, "64"))
		*views = 1;
	else if (!strcmp(e->value, "32"))
		*views = 2;
	else if (streq_ci(e->value, "both"))
		*views = 3;
	else {
		ERR(c, e->line, "%s: expected 64, 32 or both, not \"%s\"", e->key, e->value);
		return false;
	}
	return true;
}

static bool parse_versions(struct ctx *c, const struct lex_entry *e, unsigned *versions)
{
	size_t i, n, index;
	char **words;
	bool ok = true;

	if (streq_ci(e->value, "both")) {
		*versions = 3;
		return true;
	}
	*versions = 0;
	words = split_words(e->value, &n);
	for (i = 0; ok && i < n; i++) {
		if (vocab_find(&vocab_dotnet_versions, words[i], &index)) {
			*versions |= 1u << index;
		} else {
			ERR(c, e->line, "%s: expected v2.0.50727, v4.0.30319 or both, not \"%s\"",
			    e->key, words[i]);
			ok = false;
		}
	}
	strlist_free(words, n);
	if (ok && !*versions) {
		ERR(c, e->line, "%s: expected v2.0.50727, v4.0.30319 or both", e->key);
		ok = false;
	}
	return ok;
}

static bool parse_yesno(struct ctx *c, const struct lex_entry *e, bool *out)
{
	if (streq_ci(e->value, "yes"))
		*out = true;
	else if (streq_ci(e->value, "no"))
		*out = false;
	else {
		ERR(c, e->line, "%s: expected yes or no, not \"%s\"", e->key, e->value);
		return false;
	}
	return true;
}

/* "HKLM\X" -> logical path and view (Wow6432Node means the 32-bit view). */
static bool parse_reg_path(struct ctx *c, const struct lex_entry *e, char **path,
                           enum reg_view *view, bool *wow)
{
	const char *rest = NULL;
	struct sc_err why;

	if (starts_with_ci(e->value, "HKEY_LOCAL_MACHINE\\"))
		rest = e->value + strlen("HKEY_LOCAL_MACHINE\\");
	else if (starts_with_ci(e->value, "HKLM\\"))
		rest = e->value + strlen("HKLM\\");
	if (!rest) {
		ERR(c, e->line,
		    "path: expected HKLM\\... (schannelcfg manages HKEY_LOCAL_MACHINE "
		    "only), not \"%s\"",
		    e->value);
		return false;
	}
	if (!reg_path_valid(rest, &why)) {
		ERR(c, e->line, "path: %s", why.msg);
		return false;
	}
	if (reg_path_has_dot_component(rest)) {
		/* Legal key names, but "." and ".." only ever mean a path trick. */
		ERR(c, e->line, "path: \"%s\" has a \".\" or \"..\" component", e->value);
		return false;
	}
	if (starts_with_ci(rest, "SOFTWARE\\Wow6432Node\\")) {
		*path = xasprintf("SOFTWARE\\%s", rest + strlen("SOFTWARE\\Wow6432Node\\"));
		*wow = true;
		*view = REG_VIEW_32;
	} else {
		*path = xstrdup(rest);
		*wow = false;
		*view = REG_VIEW_64;
	}
	if (!c->opts->allow_any_key && !tls_root_contains(*path)) {
		struct strbuf roots = STRBUF_INIT;

		tls_roots_describe(&roots, "  ");
		ERR(c, e->line,
		    "path: HKLM\\%s is outside the TLS-related roots; pass "
		    "--allow-any-key to allow it. Allowed roots:\n%s",
		    *path, sb_str(&roots));
		sb_free(&roots);
		free(*path);
		*path = NULL;
		return false;
	}
	return true;
}

static bool parse_rule(const char *text, struct version_rule *r)
{
	char what[16], op[3];
	uint64_t a, b, build;
	char numbers[64];
	int n = 0;

	if (sscanf(text, " %15[a-z] %2[<>=] %63s %n", what, op, numbers, &n) != 3 || text[n])
		return false;
	if (!strcmp(op, ">="))
		r->cmp = CMP_GE;
	else if (!strcmp(op, ">"))
		r->cmp = CMP_GT;
	else if (!strcmp(op, "<="))
		r->cmp = CMP_LE;
	else if (!strcmp(op, "<"))
		r->cmp = CMP_LT;
	else if (!strcmp(op, "="))
		r->cmp = CMP_EQ;
	else
		return false;
	if (!strcmp(what, "build")) {
		r->what = RULE_BUILD;
		r->major = r->minor = 0;
		if (!parse_u64(numbers, 1000000, &build))
			return false;
		r->build = (uint32_t)build;
		return true;
	}
	if (strcmp(what, "windows"))
		return false;
	r->what = RULE_WINDOWS;
	{
		char *dot = strchr(numbers, '.'), *dot2;

		if (!dot)
			return false;
		*dot = '\0';
		dot2 = strchr(dot + 1, '.');
		if (dot2)
			*dot2 = '\0';
		if (!parse_u64(numbers, 100, &a) || !parse_u64(dot + 1, 100, &b) ||
		    (dot2 && !parse_u64(dot2 + 1, 1000000, &build)))
			return false;
		r->major = (uint32_t)a;
		r->minor = (uint32_t)b;
		r->build = dot2 ? (uint32_t)build : 0;
	}
	return true;
}

/* Parses comma-separated version rules ("windows >= 6.1, build < 20348")
 * into *rules; an error names `what` at `line`. */
static bool parse_rules(struct ctx *c, unsigned line, const char *what, const char *text,
                        struct version_rule **rules, size_t *n, size_t *cap)
{
	char *copy = xstrdup(text), *part, *save = NULL;
	bool ok = true;
	size_t first = *n;

	for (part = strtok_r(copy, ",", &save); ok && part; part = strtok_r(NULL, ",", &save)) {
		xgrow(rules, cap, *n + 1, sizeof(**rules));
		if (!parse_rule(part, &(*rules)[*n])) {
			ERR(c, line,
			    "%s: expected rules like \"windows >= 6.1\" or "
			    "\"build >= 20348\", separated by commas, not \"%s\"",
			    what, trim(part));
			ok = false;
		} else {
			(*n)++;
		}
	}
	free(copy);
	if (ok && *n == first) {
		ERR(c, line, "%s: expected at least one rule", what);
		ok = false;
	}
	return ok;
}

static void parse_applies(struct ctx *c, const struct lex_entry *e)
{
	struct profile *p = c->p;

	if (!parse_rules(c, e->line, "applies-to", e->value, &p->applies_to, &p->napplies,
	                 &p->applies_cap))
		return;
	free(p->applies_text);
	p->applies_text = xstrdup(e->value);
}

/* ---- settings ---- */

static struct setting *add_setting(struct ctx *c, enum setting_kind kind, unsigned line)
{
	struct profile *p = c->p;
	struct setting *s;

	xgrow(&p->settings, &p->cap, p->nsettings + 1, sizeof(*p->settings));
	s = &p->settings[p->nsettings++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->file = xstrdup(c->file);
	s->line = line;
	return s;
}

static void set_words(struct setting *s, const char *subject, const char *value, const char *id,
                      const char *canonical)
{
	s->subject = xstrdup(subject);
	s->value_text = xstrdup(value);
	s->id = xstrdup(id);
	s->canonical = xstrdup(canonical);
}

static const char *state_word(enum state st)
{
	static const char *const words[] = {[STATE_ENABLED] = "enabled",
	                                    [STATE_DISABLED] = "disabled",
	                                    [STATE_DEFAULT] = "default"};

	return words[st];
}

static void mask_words(uint32_t mask, const struct reg_map *m, struct strbuf *sb)
{
	size_t i;
	bool first = true;

	for (i = 0; i < m->bits->count; i++) {
		const struct vocab_entry *v = &m->bits->entries[i];
		uint32_t bit = schema_mask_bit(m, v);

		if (bit && (mask & bit) == bit) {
			sb_addf(sb, "%s%s", first ? "" : ", ", v->name);
			first = false;
		}
	}
	sb_addf(sb, "%s(0x%08x)", first ? "none " : " ", mask);
}

static void number_words(const struct number_setting *n, const struct key_def *k, struct strbuf *sb)
{
	if (n->is_default)
		sb_adds(sb, "default");
	else if (k->kind == VK_MASK)
		mask_words(n->value, &k->map, sb);
	else
		sb_addf(sb, "%u", n->value);
}

/* A setting holding one state or number, for [protocol], [ciphers], ... */
static void add_simple(struct ctx *c, const struct section_def *sd, const char *arg,
                       const struct key_def *k, size_t word, const struct lex_entry *e)
{
	struct setting tmp = {0}, *s;
	struct strbuf subject = STRBUF_INIT, value = STRBUF_INIT, id = STRBUF_INIT;
	const char *name = k->name ? k->name : k->words->entries[word].name;
	bool ok;

	switch (k->kind) {
	case VK_STATE: ok = parse_state(c, e, &tmp.u.state); break;
	case VK_NUMBER: ok = parse_number(c, e, k->map.min, k->map.max, &tmp.u.num); break;
	case VK_MASK: ok = parse_mask(c, e, &k->map, &tmp.u.num); break;
	case VK_REMOVE: ok = parse_remove(c, e, &tmp.u.num); break;
	default: ok = false; break;
	}
	if (!ok)
		return;
	if (k->kind == VK_STATE)
		sb_adds(&value, state_word(tmp.u.state));
	else
		number_words(&tmp.u.num, k, &value);
	if (sd->arg == ARG_VOCAB)
		sb_addf(&subject, "%s %s", arg, name);
	else
		sb_addf(&subject, "%s %s", sd->title, name);
	if (sd->arg == ARG_VOCAB)
		vocab_find(sd->arg_words, arg, &word);
	sb_addf(&id, "%s%s%s %s", sd->name, arg ? " " : "", arg ? arg : "", name);
	s = add_setting(c, k->setting, e->line);
	*s = (struct setting){.kind = k->setting,
	                      .file = s->file,
	                      .line = s->line,
	                      .word = word,
	                      .def = k,
	                      .section = sd,
	                      .u = tmp.u};
	set_words(s, sb_str(&subject), sb_str(&value), sb_str(&id), sb_str(&value));
	sb_free(&subject);
	sb_free(&value);
	sb_free(&id);
}

/* Section-wide options gathered before settings are made. */
struct section_opts {
	unsigned views;    /* bit 0: 64-bit, bit 1: 32-bit */
	unsigned versions; /* bit i: dotnet version i */
	enum suite_where where;
	char *path; /* [key] */
	bool wow;   /* path spelled with Wow6432Node */
	enum reg_view path_view;
	bool reboot;
	bool exists;
	bool malformed;
	bool views_given;
	unsigned path_line;
};

enum setting_form setting_form(const struct setting *s)
{
	if (s->kind == ST_RAW)
		return FORM_RAW;
	if (s->kind == ST_SUITES)
		return FORM_SUITES;
	if (s->kind == ST_CURVES)
		return FORM_CURVES;
	return s->def && s->def->kind == VK_STATE ? FORM_STATE : FORM_NUMBER;
}

static void condition_copy(struct condition *dst, const struct condition *src)
{
	*dst = (struct condition){0};
	if (!src->n)
		return;
	dst->rules = xcalloc(src->n, sizeof(*dst->rules));
	memcpy(dst->rules, src->rules, src->n * sizeof(*dst->rules));
	dst->n = src->n;
	dst->text = xstrdup(src->text);
}

static void condition_free(struct condition *c)
{
	free(c->rules);
	free(c->text);
	*c = (struct condition){0};
}

/* Deep-copies the union member in use. */
static void copy_value(struct setting *dst, const struct setting *src)
{
	const struct raw_setting *r = &src->u.raw;
	const struct suite_setting *su = &src->u.suites;

	switch (setting_form(src)) {
	case FORM_RAW:
		dst->u.raw.path = xstrdup(r->path);
		dst->u.raw.name = r->name ? xstrdup(r->name) : NULL;
		memset(&dst->u.raw.value, 0, sizeof(dst->u.raw.value));
		regvalue_set_bytes(&dst->u.raw.value, r->value.type, r->value.data, r->value.size);
		break;
	case FORM_SUITES: suite_lists_copy(&dst->u.suites.lists, &su->lists); break;
	case FORM_CURVES:
		dst->u.curves.names = strlist_dup(src->u.curves.names, src->u.curves.n);
		break;
	case FORM_STATE:
	case FORM_NUMBER: break;
	}
}

void profile_setting_copy(struct setting *dst, const struct setting *src)
{
	*dst = *src;
	dst->id = xstrdup(src->id);
	dst->subject = xstrdup(src->subject);
	dst->value_text = xstrdup(src->value_text);
	dst->canonical = xstrdup(src->canonical);
	dst->file = xstrdup(src->file);
	dst->rule = src->rule ? xstrdup(src->rule) : NULL;
	condition_copy(&dst->when, &src->when);
	copy_value(dst, src);
}

/* Replaces the settings made by one section (from `first` on) by one copy
 * per registry view (and .NET version) they apply to. */
static void expand_views(struct ctx *c, size_t first, const struct section_opts *o, bool dotnet)
{
	struct profile *p = c->p;
	size_t i, end = p->nsettings, v, ver;
	size_t nversions = dotnet ? vocab_dotnet_versions.count : 1;

	for (i = first; i < end; i++) {
		for (ver = 0; ver < nversions; ver++) {
			const char *vname = vocab_dotnet_versions.entries[ver].name;

			if (dotnet && !(o->versions & (1u << ver)))
				continue;
			for (v = 0; v < 2; v++) {
				struct setting *s, *base;

				if (!(o->views & (1u << v)))
					continue;
				s = add_setting(c, ST_NONE, 0);
				free(s->file);
				base = &p->settings[i]; /* add_setting may have moved it */
				profile_setting_copy(s, base);
				s->view = v ? REG_VIEW_32 : REG_VIEW_64;
				s->version = dotnet ? vname : NULL;
				free(s->subject);
				free(s->id);
				s->subject =
				    dotnet ? xasprintf(".NET %s %s (%s)", vname,
				                       base->def->map.value, reg_view_name(s->view))
				           : xasprintf("%s (%s)", base->subject,
				                       reg_view_name(s->view));
				s->id =
				    xasprintf("%s %s %d", base->id, dotnet ? vname : "-", (int)v);
			}
		}
	}
	if (end == first)
		return;
	for (i = first; i < end; i++)
		profile_setting_free(&p->settings[i]);
	memmove(p->settings + first, p->settings + end,
	        (p->nsettings - end) * sizeof(*p->settings));
	p->nsettings -= end - first;
}

/* Appends the allowlist without its last newline (diag adds one). */
static void allowlist_lines(struct strbuf *sb)
{
	tls_allowlist_describe(sb, "  ");
	if (sb->len && sb->buf[sb->len - 1] == '\n')
		sb->buf[--sb->len] = '\0';
}

/*
 * A raw value (or its deletion) must be one Microsoft documents for TLS
 * (roots.h): the subtrees around them also hold values that load code or
 * run commands. Reported at the value's line, with what that key may hold.
 */
static bool raw_value_allowed(struct ctx *c, unsigned line, const char *path, const char *name)
{
	struct strbuf known = STRBUF_INIT;
	const char *shown = *name ? name : "(default)";

	if (c->opts->allow_any_key || tls_value_allowed(path, name))
		return true;
	if (tls_values_describe(&known, path)) {
		ERR(c, line,
		    "HKLM\\%s \"%s\" is not a documented TLS value; pass --allow-any-key "
		    "to allow it. Documented values: %s",
		    path, shown, sb_str(&known));
	} else {
		allowlist_lines(&known);
		ERR(c, line,
		    "HKLM\\%s \"%s\" is not a documented TLS value (that key holds none); "
		    "pass --allow-any-key to allow it. Documented values:\n%s",
		    path, shown, sb_str(&known));
	}
	sb_free(&known);
	return false;
}

/* The first entry of a section with this key (a repeat is reported by
 * first_occurrence), or NULL. */
static const struct lex_entry *first_entry(const struct lex_section *sec, const char *key)
{
	size_t i;

	for (i = 0; i < sec->n; i++)
		if (streq_ci(sec->entries[i].key, key))
			return &sec->entries[i];
	return NULL;
}

/* With policy-list = remove the Group Policy list goes away: "auto" edits
 * then mean the local list, and "policy" contradicts it. */
static enum suite_where effective_where(struct ctx *c, const struct lex_section *sec,
                                        enum suite_where where)
{
	const struct lex_entry *removal = first_entry(sec, "policy-list");

	if (!removal)
		return where;
	if (where == WHERE_POLICY)
		ERR(c, removal->line,
		    "policy-list = remove deletes the Group Policy list that where = policy "
		    "edits; one of them must go");
	return WHERE_LOCAL;
}

static void add_suites(struct ctx *c, const struct lex_section *sec, const struct section_opts *o)
{
	/* Described in this fixed order, so the same section gives the same
	 * text (and includes compare equal) whatever the order of its lines. */
	static const char *const keys[] = {"order", "remove", "prefer"};
	struct suite_lists tmp = {0};
	struct setting *s;
	struct strbuf words = STRBUF_INIT, canon = STRBUF_INIT;
	unsigned line = 0;
	bool ok = true, any = false;
	size_t i, k;
	enum suite_where where = effective_where(c, sec, o->where);

	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		const struct lex_entry *e = first_entry(sec, keys[k]);

		if (!e)
			continue;
		if (k == 0 && streq_ci(e->value, "os-default"))
			tmp.has_order = tmp.os_default = true;
		else if (k == 0)
			ok &= (tmp.has_order = parse_suites(c, e, false, &tmp.order, &tmp.norder));
		else if (k == 1)
			ok &= parse_suites(c, e, true, &tmp.remove, &tmp.nremove);
		else
			ok &= parse_suites(c, e, true, &tmp.prefer, &tmp.nprefer);
		any = true;
		if (!line || e->line < line)
			line = e->line;
		sb_addf(&words, "%s%s = %s", words.len ? "; " : "", keys[k], e->value);
	}
	if (!any || !ok) {
		suite_lists_free(&tmp);
		sb_free(&words);
		return;
	}
	if (tmp.has_order && where != WHERE_LOCAL) {
		struct strbuf joined = STRBUF_INIT;

		for (i = 0; i < tmp.norder; i++)
			sb_addf(&joined, "%s%s", i ? "," : "", tmp.order[i]);
		if (joined.len > POLICY_FUNCTIONS_MAX)
			ERR(c, line,
			    "order: the Group Policy list is limited to %d characters; this "
			    "one has %zu (shorten it, or use where = local)",
			    POLICY_FUNCTIONS_MAX, joined.len);
		sb_free(&joined);
	}
	sb_addf(&canon, "where=%d %s", (int)where, sb_str(&words));
	s = add_setting(c, ST_SUITES, line);
	s->section = schema_section("cipher-suites");
	s->def = schema_key(s->section, "order", NULL);
	s->u.suites = (struct suite_setting){.where = where, .lists = tmp};
	set_words(s, "cipher-suite list", sb_str(&words), "cipher-suites", sb_str(&canon));
	sb_free(&words);
	sb_free(&canon);
}

static void add_curves(struct ctx *c, const struct lex_entry *e)
{
	struct curves_setting tmp = {0};
	struct setting *s;

	if (!parse_curves(c, e, &tmp))
		return;
	s = add_setting(c, ST_CURVES, e->line);
	s->u.curves = tmp;
	s->section = schema_section("cipher-suites");
	s->def = schema_key(s->section, "ecc-curves", NULL);
	set_words(s, "ECC curve order", e->value, "cipher-suites ecc-curves", e->value);
}

static void add_raw(struct ctx *c, const struct lex_entry *e, const struct section_opts *o)
{
	struct reg_value v = {0};
	struct sc_err err = {{0}};
	bool deletion = false;
	char *name = NULL, *lower;
	struct setting *s;
	struct strbuf text = STRBUF_INIT;

	if (regfile_parse_assignment(c->file, e->line, e->key, e->value, &name, &v, &deletion,
	                             &err) != SC_OK) {
		diag_add(c->diags, err.msg); /* already "file:line: ..." */
		return;
	}
	if (!deletion && !o->malformed && regvalue_is_malformed_string(&v)) {
		ERR(c, e->line,
		    "\"%s\": %s data is not a well-formed string (odd size, a missing "
		    "terminator, or %s); fix it, or say malformed = yes in this section",
		    name, regvalue_type_name(v.type),
		    v.type == RV_MULTI_SZ ? "no empty string at the end (00,00,00,00)"
		                          : "a NUL in the middle");
		free(name);
		regvalue_free(&v);
		return;
	}
	if (!raw_value_allowed(c, e->line, o->path, name)) {
		free(name);
		regvalue_free(&v);
		return;
	}
	if (deletion)
		sb_adds(&text, "- (delete)");
	else
		regvalue_describe(&v, &text);
	s = add_setting(c, ST_RAW, e->line);
	s->u.raw = (struct raw_setting){.path = xstrdup(o->path),
	                                .name = name,
	                                .delete_value = deletion,
	                                .value = v,
	                                .reboot = o->reboot};
	lower = xasprintf("raw %s\\%s", o->path, name);
	s->subject = xasprintf("HKLM\\%s \"%s\"", o->path, *name ? name : "(default)");
	s->value_text = sb_detach(&text);
	s->id = lower;
	s->canonical = xstrdup(s->value_text);
}

static bool is_raw_value_key(const char *key)
{
	return key[0] == '"' || !strcmp(key, "@");
}

static bool has_raw_values(const struct lex_section *sec)
{
	size_t i;

	for (i = 0; i < sec->n; i++)
		if (is_raw_value_key(sec->entries[i].key))
			return true;
	return false;
}

/* An empty key is only created where the allowlist leads: a key it names
 * or one above those. With values, each value was checked already (and an
 * allowed value implies an allowed key). */
static bool raw_key_allowed(struct ctx *c, const struct lex_section *sec,
                            const struct section_opts *o)
{
	const struct lex_entry *e = first_entry(sec, "exists");
	struct strbuf known = STRBUF_INIT;

	if (c->opts->allow_any_key || has_raw_values(sec) || tls_key_allowed(o->path) ||
	    tls_key_ancestor(o->path))
		return true;
	allowlist_lines(&known);
	ERR(c, e ? e->line : sec->line,
	    "exists: HKLM\\%s is not a key that holds documented TLS values, nor above one; pass "
	    "--allow-any-key to allow it. Documented values:\n%s",
	    o->path, sb_str(&known));
	sb_free(&known);
	return false;
}

/* "exists = yes": the key must exist even without values (capture writes
 * it for every empty key, so that re-applying gives back the same tree). */
static void add_key_exists(struct ctx *c, const struct lex_section *sec,
                           const struct section_opts *o)
{
	struct setting *s;

	if (!raw_key_allowed(c, sec, o))
		return;
	s = add_setting(c, ST_RAW, sec->line);

	s->u.raw = (struct raw_setting){.path = xstrdup(o->path), .reboot = o->reboot};
	s->subject = xasprintf("HKLM\\%s", o->path);
	s->value_text = xstrdup("key exists");
	s->id = xasprintf("raw %s\\", o->path);
	s->canonical = xstrdup(s->value_text);
}

/* ---- sections ---- */

static void split_header(const char *header, char **name, char **arg, bool *bad_quote)
{
	const char *sp = strpbrk(header, " \t");
	const char *a;
	size_t len;

	*bad_quote = false;
	*arg = NULL;
	if (!sp) {
		*name = xstrdup(header);
		return;
	}
	*name = xstrndup(header, (size_t)(sp - header));
	a = sp + strspn(sp, " \t");
	len = strlen(a);
	while (len && (a[len - 1] == ' ' || a[len - 1] == '\t'))
		len--;
	if (len < 2 || a[0] != '"' || a[len - 1] != '"' || memchr(a + 1, '"', len - 2)) {
		*bad_quote = true;
		return;
	}
	*arg = xstrndup(a + 1, len - 2);
}

/* Where a header's condition begins ("winhttp if build >= 20348": the
 * text after " if "), or NULL; *base_len is the length of the rest. A
 * quoted argument may itself hold " if ", so the search starts after it. */
static const char *header_condition(const char *header, size_t *base_len)
{
	const char *quote = strrchr(header, '"');
	const char *at = strstr(quote ? quote : header, " if ");

	*base_len = at ? (size_t)(at - header) : strlen(header);
	return at ? at + 4 : NULL;
}

/* " (it spells \"TLS 1.2\" with U+00A0 NO-BREAK SPACE)" when a word only
 * looks like a known one; "" otherwise. One static buffer: use it in one
 * message at a time. */
static const char *lookalike_hint(const char *word)
{
	static char hint[256];
	const char *known = lookalike_known(word);
	struct strbuf sb = STRBUF_INIT;

	hint[0] = '\0';
	if (!known)
		return hint;
	lookalike_describe(word, &sb);
	snprintf(hint, sizeof(hint), " (it spells \"%.*s\" with %s)", (int)strcspn(known, "\\"),
	         known, sb_str(&sb));
	sb_free(&sb);
	return hint;
}

static bool check_section_arg(struct ctx *c, const struct lex_section *sec,
                              const struct section_def *sd, const char *arg, bool bad_quote)
{
	if (sd->arg == ARG_NONE && (arg || bad_quote)) {
		ERR(c, sec->line, "[%s] takes no argument", sd->name);
		return false;
	}
	if (sd->arg != ARG_NONE && (!arg || bad_quote)) {
		ERR(c, sec->line, "[%s] needs a quoted %s, e.g. [%s \"%s\"]", sd->name,
		    sd->arg == ARG_VOCAB ? "name" : "label", sd->name,
		    sd->arg == ARG_VOCAB ? sd->arg_words->entries[5].name : "eap-tls");
		return false;
	}
	if (sd->arg == ARG_VOCAB && !vocab_find(sd->arg_words, arg, NULL)) {
		struct strbuf known = STRBUF_INIT;

		vocab_list(sd->arg_words, &known);
		ERR(c, sec->line, "unknown %s \"%s\"%s (known: %s)", sd->arg_words->what, arg,
		    lookalike_hint(arg), sb_str(&known));
		sb_free(&known);
		return false;
	}
	return true;
}

static void unknown_key(struct ctx *c, const struct section_def *sd, const struct lex_entry *e)
{
	struct strbuf known = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sd->nkeys; i++) {
		if (sd->keys[i].name)
			sb_addf(&known, "%s%s", known.len ? ", " : "", sd->keys[i].name);
		else
			sb_addf(&known, "%sa %s name", known.len ? ", " : "",
			        sd->keys[i].words->what);
	}
	if ((sd->flags & SEC_RAW_VALUES))
		sb_adds(&known, ", or \"ValueName\" = data");
	ERR(c, e->line, "unknown key \"%s\"%s in [%s] (expected %s)", e->key,
	    lookalike_hint(e->key), sd->name, sb_str(&known));
	sb_free(&known);
}

/* Reports repeated keys; returns false if entry i repeats an earlier one. */
static bool first_occurrence(struct ctx *c, const struct lex_section *sec, size_t i,
                             const struct section_def *sd)
{
	const struct lex_entry *e = &sec->entries[i];
	size_t j, wi = 0, wj = 0;
	const struct key_def *k = sd ? schema_key(sd, e->key, &wi) : NULL;

	if (k && (k->flags & KEY_REPEATABLE))
		return true;
	for (j = 0; j < i; j++) {
		const struct lex_entry *o = &sec->entries[j];
		const struct key_def *ko = sd ? schema_key(sd, o->key, &wj) : NULL;
		bool same = k ? (k == ko && (k->name || wi == wj)) : streq_ci(o->key, e->key);

		if (same) {
			ERR(c, e->line, "\"%s\" is set twice in [%s] (first at line %u)", e->key,
			    sec->header, o->line);
			return false;
		}
	}
	return true;
}

static void meta_name(struct ctx *c, const struct lex_entry *e)
{
	size_t i;

	for (i = 0; e->value[i]; i++) {
		char ch = e->value[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '.'))
			break;
	}
	if (!e->value[0] || e->value[i] || i > 64)
		ERR(c, e->line, "name: expected lower-case letters, digits, '-' or '.', not \"%s\"",
		    e->value);
	else {
		free(c->p->name); /* a repeated [profile] section is reported elsewhere */
		c->p->name = xstrdup(e->value);
	}
}

static void meta_summary(struct ctx *c, const struct lex_entry *e)
{
	if (!e->value[0])
		ERR(c, e->line, "summary: expected one line of text");
	else {
		free(c->p->summary);
		c->p->summary = xstrdup(e->value);
	}
}

static void meta_aliases(struct ctx *c, const struct lex_entry *e)
{
	struct profile *p = c->p;

	strlist_free(p->aliases, p->naliases);
	p->aliases = split_words(e->value, &p->naliases);
}

static void meta_include(struct ctx *c, const struct lex_entry *e)
{
	struct profile *p = c->p;
	size_t n;
	char **words = split_words(e->value, &n);

	strlist_free(p->includes, p->nincludes);
	p->includes = words;
	p->nincludes = n;
	p->include_line = e->line;
}

/* reference and note are repeatable: each line adds one. */
static void append_line(char ***list, size_t *n, size_t *cap, const char *value)
{
	xgrow(list, cap, *n + 1, sizeof(char *));
	(*list)[(*n)++] = xstrdup(value);
}

static void meta_reference(struct ctx *c, const struct lex_entry *e)
{
	append_line(&c->p->references, &c->p->nreferences, &c->p->references_cap, e->value);
}

static void meta_note(struct ctx *c, const struct lex_entry *e)
{
	append_line(&c->p->notes, &c->p->nnotes, &c->p->notes_cap, e->value);
}

static void meta_baseline(struct ctx *c, const struct lex_entry *e)
{
	if (!*e->value) {
		ERR(c, e->line, "baseline: expected the document's name and version");
		return;
	}
	free(c->p->baseline);
	c->p->baseline = xstrdup(e->value);
}

/* The [profile] keys (schema.c's profile_keys), each with what it sets. */
static const struct {
	const char *key;
	void (*set)(struct ctx *c, const struct lex_entry *e);
} meta_keys[] = {
    {"name", meta_name},           {"summary", meta_summary},     {"aliases", meta_aliases},
    {"include", meta_include},     {"reference", meta_reference}, {"note", meta_note},
    {"applies-to", parse_applies}, {"baseline", meta_baseline},
};

static void profile_meta(struct ctx *c, const struct lex_entry *e)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(meta_keys); i++) {
		if (streq_ci(e->key, meta_keys[i].key)) {
			meta_keys[i].set(c, e);
			return;
		}
	}
}

/* Where each yes/no option of a [key] section goes. */
static bool *yesno_option(struct section_opts *o, const char *key)
{
	static const struct {
		const char *key;
		size_t offset;
	} fields[] = {
	    {"exists", offsetof(struct section_opts, exists)},
	    {"malformed", offsetof(struct section_opts, malformed)},
	    {"reboot", offsetof(struct section_opts, reboot)},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (streq_ci(fields[i].key, key))
			return (bool *)((char *)o + fields[i].offset);
	return &o->reboot; /* unreachable: schema.c has no other yes/no key */
}

/* A baseline rule id names a section of a document: "nist-800-52r2:3.3.1",
 * "pci-dss-4:4.2.1", "mozilla:intermediate(7)". A closed alphabet keeps it
 * safe to print and to use as a JSON value or a grouping key. */
#define RULE_MAX 64

static bool parse_rule_id(struct ctx *c, const struct lex_entry *e)
{
	size_t n = strlen(e->value);

	if (n && n <= RULE_MAX &&
	    strspn(e->value,
	           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:()") == n)
		return true;
	ERR(c, e->line,
	    "rule: expected an id such as nist-800-52r2:3.1 (1-%d letters, digits, '-', '.', '_', "
	    "':', '(', ')'), not \"%s\"",
	    RULE_MAX, e->value);
	return false;
}

/* Each setting a section made (from `first` on) takes the section's rule
 * (one "rule =" line, wherever it stands: plans do not depend on the order
 * of lines). */
static void attach_rules(struct ctx *c, const struct lex_section *sec, size_t first)
{
	const struct lex_entry *e = first_entry(sec, "rule");
	size_t i;

	for (i = first; e && i < c->p->nsettings; i++) {
		free(c->p->settings[i].rule);
		c->p->settings[i].rule = xstrdup(e->value);
	}
}

/* Reads the options of a section (views, where, path, ...). */
static bool section_options(struct ctx *c, const struct lex_section *sec,
                            const struct section_def *sd, struct section_opts *o)
{
	bool ok = true;
	size_t i;

	*o = (struct section_opts){.views = 3, .versions = 3, .where = WHERE_AUTO, .reboot = true};
	if ((sd->flags & SEC_RAW_VALUES))
		o->views = 1;
	for (i = 0; i < sec->n; i++) {
		const struct lex_entry *e = &sec->entries[i];
		const struct key_def *k =
		    is_raw_value_key(e->key) ? NULL : schema_key(sd, e->key, NULL);

		if (!k || !(k->flags & KEY_OPTION))
			continue;
		if (k->kind == VK_VIEWS) {
			ok &= parse_views(c, e, &o->views);
			o->views_given = true;
		} else if (k->kind == VK_VERSIONS) {
			ok &= parse_versions(c, e, &o->versions);
		} else if (k->kind == VK_YESNO) {
			ok &= parse_yesno(c, e, yesno_option(o, k->name));
		} else if (k->kind == VK_RULE) {
			ok &= parse_rule_id(c, e);
		} else if (k->kind == VK_REG_PATH) {
			free(o->path); /* a repeated path = is reported as a duplicate */
			o->path = NULL;
			ok &= parse_reg_path(c, e, &o->path, &o->path_view, &o->wow);
			o->path_line = e->line;
		} else if (k->kind == VK_WHERE) {
			if (streq_ci(e->value, "auto"))
				o->where = WHERE_AUTO;
			else if (streq_ci(e->value, "local"))
				o->where = WHERE_LOCAL;
			else if (streq_ci(e->value, "policy"))
				o->where = WHERE_POLICY;
			else {
				ERR(c, e->line, "where: expected auto, local or policy, not \"%s\"",
				    e->value);
				ok = false;
			}
		}
	}
	/* Only HKLM\SOFTWARE is split by WOW64; elsewhere the 32-bit view is
	 * the same key, written once through the 64-bit view. */
	if ((sd->flags & SEC_RAW_VALUES) && o->path && !o->wow &&
	    !starts_with_ci(o->path, "SOFTWARE\\"))
		o->views = 1;
	if (o->wow) {
		if (o->views_given && o->views != 2)
			ERR(c, o->path_line,
			    "path names Wow6432Node (the 32-bit view) but view is "
			    "not 32");
		o->views = 2;
	}
	return ok;
}

static void check_required(struct ctx *c, const struct lex_section *sec,
                           const struct section_def *sd)
{
	size_t i, j;

	for (i = 0; i < sd->nkeys; i++) {
		bool found = false;

		if (!(sd->keys[i].flags & KEY_REQUIRED))
			continue;
		for (j = 0; j < sec->n && !found; j++)
			found = !is_raw_value_key(sec->entries[j].key) &&
			        streq_ci(sec->entries[j].key, sd->keys[i].name);
		if (!found)
			ERR(c, sec->line, "[%s] needs \"%s = ...\" (%s)", sd->name,
			    sd->keys[i].name, sd->keys[i].doc);
	}
}

static void process_entry(struct ctx *c, const struct lex_section *sec,
                          const struct section_def *sd, const char *arg, size_t i,
                          const struct section_opts *o)
{
	const struct lex_entry *e = &sec->entries[i];
	const struct key_def *k;
	size_t word = 0;

	if ((sd->flags & SEC_RAW_VALUES) && is_raw_value_key(e->key)) {
		if (o->path)
			add_raw(c, e, o);
		return;
	}
	k = schema_key(sd, e->key, &word);
	if (!k) {
		unknown_key(c, sd, e);
		return;
	}
	if (!first_occurrence(c, sec, i, sd) || (k->flags & KEY_OPTION))
		return;
	if ((sd->flags & SEC_METADATA))
		profile_meta(c, e);
	else if (k->setting == ST_SUITES)
		; /* gathered per section by add_suites */
	else if (k->setting == ST_CURVES)
		add_curves(c, e);
	else
		add_simple(c, sd, arg, k, word, e);
}

static void unknown_section(struct ctx *c, const struct lex_section *sec)
{
	struct strbuf known = STRBUF_INIT;
	size_t i;

	for (i = 0; i < schema_section_count; i++)
		sb_addf(&known, "%s%s", i ? ", " : "", schema_sections[i].name);
	ERR(c, sec->line, "unknown section [%s] (known: %s)", sec->header, sb_str(&known));
	sb_free(&known);
}

/* Gives the settings a section made (from `first` on) its condition: they
 * are then their own targets (id, subject) that compile picks by version. */
static void attach_condition(struct ctx *c, size_t first, const struct condition *when)
{
	size_t i;

	for (i = first; when->n && i < c->p->nsettings; i++) {
		struct setting *s = &c->p->settings[i];
		char *id = xasprintf("%s if %s", s->id, when->text);
		char *subject = xasprintf("%s (if %s)", s->subject, when->text);

		free(s->id);
		free(s->subject);
		s->id = id;
		s->subject = subject;
		condition_copy(&s->when, when);
	}
}

/* Reads a header's " if ..." into *when. */
static bool section_condition(struct ctx *c, const struct lex_section *sec,
                              const struct section_def *sd, const char *text,
                              struct condition *when)
{
	size_t cap = 0;

	if (!text)
		return true;
	if (sd->flags & SEC_METADATA) {
		ERR(c, sec->line, "[%s] cannot have a condition (use applies-to)", sd->name);
		return false;
	}
	when->text = xstrdup(text);
	return parse_rules(c, sec->line, "if", text, &when->rules, &when->n, &cap);
}

static void process_section(struct ctx *c, const struct lex_section *sec)
{
	const struct section_def *sd;
	struct section_opts o;
	struct condition when = {0};
	size_t base_len, i, first = c->p->nsettings;
	const char *cond = header_condition(sec->header, &base_len);
	char *base = xstrndup(sec->header, base_len), *name, *arg;
	bool bad_quote;

	split_header(base, &name, &arg, &bad_quote);
	sd = schema_section(name);
	if (!sd) {
		unknown_section(c, sec);
		goto out;
	}
	if (!check_section_arg(c, sec, sd, arg, bad_quote) ||
	    !section_condition(c, sec, sd, cond, &when))
		goto out;
	if (arg && sd->arg == ARG_VOCAB) {
		char *canonical = xstrdup(vocab_find(sd->arg_words, arg, NULL)->name);

		free(arg);
		arg = canonical;
	}
	check_required(c, sec, sd);
	if (!section_options(c, sec, sd, &o))
		goto out_opts;
	for (i = 0; i < sec->n; i++) {
		if ((sd->flags & SEC_RAW_VALUES) && is_raw_value_key(sec->entries[i].key) &&
		    !first_occurrence(c, sec, i, NULL))
			continue;
		process_entry(c, sec, sd, arg, i, &o);
	}
	if (sd->flags & SEC_GATHERED)
		add_suites(c, sec, &o);
	if ((sd->flags & SEC_RAW_VALUES) && o.path && o.exists)
		add_key_exists(c, sec, &o);
	attach_rules(c, sec, first);
	if (sd->flags & (SEC_PER_VIEW | SEC_RAW_VALUES))
		expand_views(c, first, &o, sd->flags & SEC_PER_DOTNET);
	attach_condition(c, first, &when);
out_opts:
	free(o.path);
out:
	condition_free(&when);
	free(base);
	free(name);
	free(arg);
}

/* What a header names: [protocol "TLS1.2"] and [protocol  "tls 1.2"] are
 * the same section as [protocol "TLS 1.2"]. xmalloc'd. */
static char *section_identity(const char *header)
{
	const struct section_def *sd;
	const struct vocab_entry *v = NULL;
	size_t base_len;
	const char *cond = header_condition(header, &base_len);
	char *base = xstrndup(header, base_len), *name, *arg, *id;
	bool bad_quote;

	split_header(base, &name, &arg, &bad_quote);
	sd = schema_section(name);
	if (sd && sd->arg == ARG_VOCAB && arg)
		v = vocab_find(sd->arg_words, arg, NULL);
	id =
	    xasprintf("%s%s%s%s", v ? name : base, v ? " \"" : "", v ? v->name : "", v ? "\"" : "");
	if (cond) {
		char *with = xasprintf("%s if %s", id, cond);

		free(id);
		id = with;
	}
	free(base);
	free(name);
	free(arg);
	return id;
}

static void check_duplicate_sections(struct ctx *c, const struct lex_file *r)
{
	char **ids = xcalloc(r->n + 1, sizeof(*ids));
	struct ci_index index = {0};
	size_t i, j, it, h;

	for (i = 0; i < r->n; i++)
		ids[i] = section_identity(r->sections[i].header);
	for (i = 0; i < r->n; i++) {
		h = hash_ci(0, ids[i]);
		it = 0;
		while ((j = ci_index_next(&index, h, &it)) != SIZE_MAX)
			if (streq_ci(ids[i], ids[j]))
				break;
		if (j == SIZE_MAX) {
			ci_index_xput(&index, h, i);
			continue;
		}
		ERR(c, r->sections[i].line,
		    "section [%s] appears twice (first at line %u); merge them",
		    r->sections[i].header, r->sections[j].line);
	}
	ci_index_free(&index);
	strlist_free(ids, r->n);
}

static void check_profile_section(struct ctx *c, const struct lex_file *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->sections[i].header, "profile"))
			return;
	ERR(c, 1, "missing [profile] section (every profile needs a name and a summary)");
}

int profile_parse_text(const char *file, const char *text, size_t size,
                       const struct profile_options *opts, struct profile **out, struct diag *diags)
{
	struct profile_options none = {0};
	struct lex_file lf = {0};
	struct ctx c = {.file = file, .diags = diags, .opts = opts ? opts : &none};
	size_t errors = diags->errors, i;

	*out = NULL;
	if (profile_lex(file, text, size, &lf, diags) != SC_OK)
		return SC_ERROR;
	/* An inih-level error does not stop here: the sections it returned are
	 * still interpreted, so every error of the file is reported at once. */
	c.p = xcalloc(1, sizeof(*c.p));
	c.p->file = xstrdup(file);
	check_profile_section(&c, &lf);
	check_duplicate_sections(&c, &lf);
	for (i = 0; i < lf.n; i++)
		process_section(&c, &lf.sections[i]);
	profile_lex_free(&lf);
	if (diags->errors > errors) {
		profile_free(c.p);
		return SC_ERROR;
	}
	*out = c.p;
	return SC_OK;
}

void profile_setting_free(struct setting *s)
{
	free(s->id);
	free(s->subject);
	free(s->value_text);
	free(s->canonical);
	free(s->file);
	free(s->rule);
	condition_free(&s->when);
	switch (setting_form(s)) {
	case FORM_SUITES: suite_lists_free(&s->u.suites.lists); break;
	case FORM_CURVES: strlist_free(s->u.curves.names, s->u.curves.n); break;
	case FORM_RAW:
		free(s->u.raw.path);
		free(s->u.raw.name);
		regvalue_free(&s->u.raw.value);
		break;
	case FORM_STATE:
	case FORM_NUMBER: break;
	}
}

void profile_free(struct profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nsettings; i++)
		profile_setting_free(&p->settings[i]);
	free(p->settings);
	free(p->name);
	strlist_free(p->aliases, p->naliases);
	free(p->summary);
	strlist_free(p->references, p->nreferences);
	strlist_free(p->notes, p->nnotes);
	strlist_free(p->includes, p->nincludes);
	free(p->applies_to);
	free(p->applies_text);
	free(p->baseline);
	free(p->file);
	free(p);
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && streq_ci(a, b));
}

bool profile_same_target(const struct setting *a, const struct setting *b)
{
	return same_text(a->when.text, b->when.text) && profile_same_value(a, b);
}

bool profile_same_value(const struct setting *a, const struct setting *b)
{
	if (a->kind != b->kind || a->view != b->view)
		return false;
	if (a->kind == ST_RAW)
		return same_text(a->u.raw.path, b->u.raw.path) &&
		       same_text(a->u.raw.name, b->u.raw.name);
	return a->def == b->def && a->word == b->word && same_text(a->version, b->version);
}

const struct setting *profile_find_setting(const struct profile *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nsettings; i++)
		if (streq_ci(p->settings[i].id, id))
			return &p->settings[i];
	return NULL;
}

static bool rule_holds(const struct version_rule *r, uint32_t major, uint32_t minor, uint32_t build)
{
	int64_t have, want;

	if (r->what == RULE_BUILD) {
		have = build;
		want = r->build;
	} else {
		have = ((int64_t)major << 40) | ((int64_t)minor << 24) | (r->build ? build : 0);
		want = ((int64_t)r->major << 40) | ((int64_t)r->minor << 24) | r->build;
	}
	switch (r->cmp) {
	case CMP_GE: return have >= want;
	case CMP_GT: return have > want;
	case CMP_LE: return have <= want;
	case CMP_LT: return have < want;
	case CMP_EQ: return have == want;
	}
	return false;
}

bool profile_condition_holds(const struct condition *c, uint32_t major, uint32_t minor,
                             uint32_t build)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!rule_holds(&c->rules[i], major, minor, build))
			return false;
	return true;
}

bool profile_applies(const struct profile *p, uint32_t major, uint32_t minor, uint32_t build)
{
	size_t i;

	for (i = 0; i < p->napplies; i++)
		if (!rule_holds(&p->applies_to[i], major, minor, build))
			return false;
	return true;
}
