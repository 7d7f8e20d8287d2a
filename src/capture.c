/*
 * capture.c - registry -> profile text (see capture.h).
 *
 * Reads through the backend interface only. Every value read is either
 * written in words (and marked used) or written raw; nothing is dropped, so
 * the profile compiles back to exactly the captured state.
 */
#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regfile.h"
#include "roots.h"
#include "schema.h"
#include "suites.h"
#include "version.h"

struct cap_value {
	char *name;
	bool present; /* false: a value to delete (absent in the source) */
	struct reg_value v;
	bool used; /* written in words */
};

struct cap_key {
	enum reg_view view;
	char *path;
	struct cap_value *values;
	size_t n, cap;
	size_t nsubkeys;
	bool whole; /* read entirely (an empty one is written as "key exists") */
};

struct capture {
	const struct reg_backend *b;
	struct cap_key *keys;
	size_t n, cap;
	struct capture_stats *st;
	struct sc_err *err;
	unsigned raw_sections;
	const struct capture_options *o;
};

static struct cap_key *add_key(struct capture *c, enum reg_view view, const char *path)
{
	struct cap_key *k;

	xgrow(&c->keys, &c->cap, c->n + 1, sizeof(*c->keys));
	k = &c->keys[c->n++];
	memset(k, 0, sizeof(*k));
	k->view = view;
	k->path = xstrdup(path);
	c->st->keys++;
	return k;
}

static struct cap_value *add_value(struct cap_key *k, const char *name)
{
	struct cap_value *v;

	xgrow(&k->values, &k->cap, k->n + 1, sizeof(*k->values));
	v = &k->values[k->n++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	return v;
}

static struct cap_key *find_key(const struct capture *c, enum reg_view view, const char *path)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->keys[i].view == view && streq_ci(c->keys[i].path, path))
			return &c->keys[i];
	return NULL;
}

static struct cap_value *find_value(struct cap_key *k, const char *name)
{
	size_t i;

	for (i = 0; k && i < k->n; i++)
		if (k->values[i].present && streq_ci(k->values[i].name, name))
			return &k->values[i];
	return NULL;
}

static bool dword_of(const struct cap_value *v, uint32_t *d)
{
	return v && regvalue_get_dword(&v->v, d);
}

static int read_one(struct capture *c, struct reg_key *key, struct cap_key *k, const char *name)
{
	struct reg_value v = {0};
	int rc = c->b->ops->read_value(c->b, key, name, &v, c->err);

	if (rc == SC_ERROR)
		return rc;
	if (rc == SC_OK) {
		struct cap_value *cv = add_value(k, name);

		cv->present = true;
		cv->v = v;
		c->st->values++;
	}
	return SC_OK;
}

/* Reads a key and everything below it; a missing key is fine. */
static int read_tree(struct capture *c, enum reg_view view, const char *path)
{
	struct reg_key *key = NULL;
	struct cap_key *k;
	char *name;
	size_t i;
	int rc = c->b->ops->open_key(c->b, view, path, REG_ACCESS_READ, &key, c->err);

	if (rc != SC_OK)
		return rc == SC_NOT_FOUND ? SC_OK : rc;
	k = add_key(c, view, path);
	k->whole = true;
	for (i = 0;
	     rc == SC_OK && (rc = c->b->ops->enum_value(c->b, key, i, &name, c->err)) == SC_OK;
	     i++) {
		rc = read_one(c, key, k, name);
		free(name);
	}
	for (i = 0;
	     rc != SC_ERROR && (rc = c->b->ops->enum_subkey(c->b, key, i, &name, c->err)) == SC_OK;
	     i++) {
		char *child = xasprintf("%s\\%s", path, name);

		k->nsubkeys++;
		rc = read_tree(c, view, child);
		k = find_key(c, view, path); /* read_tree may have moved the array */
		free(child);
		free(name);
	}
	c->b->ops->close_key(c->b, key);
	return rc == SC_ERROR ? rc : SC_OK;
}

/* Reads the named values of one key (absent ones are noted as absent). */
static int read_values(struct capture *c, enum reg_view view, const char *path,
                       const char *const *names, size_t count)
{
	struct reg_key *key = NULL;
	struct cap_key *k = add_key(c, view, path);
	size_t i;
	int rc = c->b->ops->open_key(c->b, view, path, REG_ACCESS_READ, &key, c->err);

	if (rc == SC_NOT_FOUND)
		return SC_OK;
	for (i = 0; rc == SC_OK && i < count; i++)
		rc = read_one(c, key, k, names[i]);
	if (key)
		c->b->ops->close_key(c->b, key);
	return rc;
}

/* The keys capture reads whole: everything below them is TLS state. */
static const char *const tree_roots[] = {SCHANNEL_KEY, SUITES_LOCAL_KEY, SUITES_POLICY_KEY};

static bool under_tree(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tree_roots); i++)
		if (reg_path_within(path, tree_roots[i]))
			return true;
	return false;
}

/*
 * One instance of a row: the copies of its value(s) that must agree to be
 * said in one word (the registry views of [winhttp], the views and .NET
 * versions of [dotnet]; one copy elsewhere).
 */
struct copies {
	struct cap_key *keys[4];
	size_t n;
};

static size_t view_count(const struct section_def *sd)
{
	return sd->flags & SEC_PER_VIEW ? 2 : 1;
}

static size_t version_count(const struct section_def *sd)
{
	return sd->flags & SEC_PER_DOTNET ? vocab_dotnet_versions.count : 1;
}

static const char *version_at(const struct section_def *sd, size_t i)
{
	return sd->flags & SEC_PER_DOTNET ? vocab_dotnet_versions.entries[i].name : NULL;
}

/* True if an earlier row of the section maps to the same key as row i. */
static bool key_seen(const struct section_def *sd, size_t i, const char *path, const char *version)
{
	size_t j;
	bool seen = false;

	for (j = 0; j < i && !seen; j++) {
		char *other;

		if (!sd->keys[j].map.key)
			continue;
		other = schema_key_path(sd, &sd->keys[j], 0, version);
		seen = streq_ci(other, path);
		free(other);
	}
	return seen;
}

/* The value names of the rows from i on that map to `path`. */
static size_t names_at(const struct section_def *sd, size_t i, const char *path,
                       const char *version, const char **names, size_t max)
{
	size_t n = 0;

	for (; i < sd->nkeys && n + 2 <= max; i++) {
		const struct key_def *k = &sd->keys[i];
		char *other;

		if (!k->map.key)
			continue;
		other = schema_key_path(sd, k, 0, version);
		if (streq_ci(other, path)) {
			names[n++] = k->map.value;
			if (k->map.value2)
				names[n++] = k->map.value2;
		}
		free(other);
	}
	return n;
}

/* Reads, for one view and version, the values the section's rows map to
 * keys outside the trees (read whole already), each key once. */
static int read_section_copy(struct capture *c, const struct section_def *sd, enum reg_view view,
                             const char *version)
{
	const char *names[2 * 16];
	size_t i;
	int rc = SC_OK;

	for (i = 0; rc == SC_OK && i < sd->nkeys; i++) {
		const struct key_def *k = &sd->keys[i];
		char *path;

		if (!k->map.key || k->words || sd->arg == ARG_VOCAB)
			continue; /* rows with placeholders other than <VER> live in trees */
		path = schema_key_path(sd, k, 0, version);
		if (!under_tree(path) && !key_seen(sd, i, path, version))
			rc = read_values(c, view, path, names,
			                 names_at(sd, i, path, version, names, ARRAY_SIZE(names)));
		free(path);
	}
	return rc;
}

static int read_sections(struct capture *c, bool per_view)
{
	size_t s, view, ver;
	int rc = SC_OK;

	for (view = 0; rc == SC_OK && view < 2; view++) {
		for (s = 0; rc == SC_OK && s < schema_section_count; s++) {
			const struct section_def *sd = &schema_sections[s];

			if (!!(sd->flags & SEC_PER_VIEW) != per_view || view >= view_count(sd))
				continue;
			for (ver = 0; rc == SC_OK && ver < version_count(sd); ver++)
				rc = read_section_copy(c, sd, (enum reg_view)view,
				                       version_at(sd, ver));
		}
	}
	return rc;
}

/* The trees first, then the per-view sections view by view, then the
 * rest: the order raw sections are written in. */
static int read_all(struct capture *c)
{
	size_t i;
	int rc = SC_OK;

	for (i = 0; rc == SC_OK && i < ARRAY_SIZE(tree_roots); i++)
		rc = read_tree(c, REG_VIEW_64, tree_roots[i]);
	if (rc == SC_OK)
		rc = read_sections(c, true);
	if (rc == SC_OK)
		rc = read_sections(c, false);
	return rc;
}

/* ---- words: the rows walked backward ---- */

static void line(struct capture *c, struct strbuf *sb, const char *fmt, ...) SC_PRINTF(3, 4);

static void line(struct capture *c, struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
	sb_addc(sb, '\n');
	c->st->words++;
}

/* Appends "[header]" and the section's lines, if it has any. */
static void section(struct strbuf *out, const char *header, struct strbuf *body)
{
	if (body->len)
		sb_addf(out, "\n%s\n%s", header, body->buf);
	sb_free(body);
}

/* A list the profile language can state as "order = ...": known suites,
 * each once. */
static bool speakable_list(const struct cap_value *v, char ***items, size_t *n)
{
	size_t i, j;

	if (!v || v->v.type != RV_MULTI_SZ || !regvalue_is_clean_string(&v->v))
		return false;
	*items = regvalue_get_multi_sz(&v->v, n);
	for (i = 0; i < *n; i++) {
		bool ok = suite_find((*items)[i]) != NULL;

		for (j = 0; ok && j < i; j++)
			ok = strcmp((*items)[i], (*items)[j]) != 0;
		if (!ok)
			break;
	}
	if (*n && i == *n)
		return true;
	strlist_free(*items, *n);
	return false;
}

static bool speakable_curves(const struct cap_value *v, char ***items, size_t *n)
{
	size_t i;

	if (!v || v->v.type != RV_MULTI_SZ || !regvalue_is_clean_string(&v->v))
		return false;
	*items = regvalue_get_multi_sz(&v->v, n);
	for (i = 0; i < *n && curve_known((*items)[i]); i++)
		;
	if (*n && i == *n)
		return true;
	strlist_free(*items, *n);
	return false;
}

/* An absent local list (Windows then uses its built-in order) is stated
 * as a raw deletion, in a section of its own if the key is missing too. */
static void local_list_absent(struct capture *c)
{
	struct cap_key *k = find_key(c, REG_VIEW_64, SUITES_LOCAL_KEY);

	if (!k)
		k = add_key(c, REG_VIEW_64, SUITES_LOCAL_KEY);
	add_value(k, "Functions")->present = false;
}

static void words_order(struct capture *c, struct cap_value *local, struct strbuf *body)
{
	char **items;
	size_t n, i;

	if (!local) {
		local_list_absent(c);
		if (c->o->have_os)
			sb_addf(body,
			        "; no local list here: Windows uses the built-in order of %s; "
			        "applying this profile deletes the list elsewhere too\n",
			        win_release_name(
			            win_release_of(c->o->major, c->o->minor, c->o->build)));
	} else if (speakable_list(local, &items, &n)) {
		sb_adds(body, "where = local\n");
		sb_adds(body, "order =");
		for (i = 0; i < n; i++)
			sb_addf(body, " %s", items[i]);
		line(c, body, "%s", "");
		local->used = true;
		strlist_free(items, n);
	}
}

/* The lists, and what is absent from them: no Group Policy order is
 * "policy-list = remove", no curve order "ecc-curves = default". */
static void words_suites(struct capture *c, struct strbuf *out)
{
	struct cap_key *policy = find_key(c, REG_VIEW_64, SUITES_POLICY_KEY);
	struct cap_value *curves = find_value(policy, "EccCurves");
	struct strbuf body = STRBUF_INIT;
	char **items;
	size_t n, i;

	words_order(c, find_value(find_key(c, REG_VIEW_64, SUITES_LOCAL_KEY), "Functions"), &body);
	if (!find_value(policy, "Functions"))
		line(c, &body, "policy-list = remove");
	if (!curves) {
		line(c, &body, "ecc-curves = default");
	} else if (speakable_curves(curves, &items, &n)) {
		sb_adds(&body, "ecc-curves =");
		for (i = 0; i < n; i++)
			sb_addf(&body, " %s", items[i]);
		line(c, &body, "%s", "");
		curves->used = true;
		strlist_free(items, n);
	}
	section(out, "[cipher-suites]", &body);
}

/* The copies of one row instance (word: the <ARG> or <WORD> index). */
static void copies_of(struct capture *c, const struct section_def *sd, const struct key_def *k,
                      size_t word, struct copies *cp)
{
	size_t view, ver;

	cp->n = 0;
	for (view = 0; view < view_count(sd); view++) {
		for (ver = 0; ver < version_count(sd); ver++) {
			char *path = schema_key_path(sd, k, word, version_at(sd, ver));

			cp->keys[cp->n++] = find_key(c, (enum reg_view)view, path);
			free(path);
		}
	}
}

/* The row's value(s) in one copy; false if any is absent. */
static bool values_in(const struct key_def *k, struct cap_key *key, struct cap_value **v1,
                      struct cap_value **v2)
{
	*v1 = find_value(key, k->map.value);
	*v2 = k->map.value2 ? find_value(key, k->map.value2) : NULL;
	return *v1 && (!k->map.value2 || *v2);
}

/* What one copy says in words, into *word (static text or `num`). */
static bool decode(const struct key_def *k, struct cap_value *v1, struct cap_value *v2,
                   char num[24])
{
	uint32_t a, b;

	if (!dword_of(v1, &a) || (k->map.value2 && !dword_of(v2, &b)))
		return false;
	switch (k->map.codec) {
	case CODEC_STATE_PAIR:
		if ((a == 1 && b == 0) || (a == 0 && b == 1))
			return snprintf(num, 24, "%s", a ? "enabled" : "disabled") > 0;
		return false;
	case CODEC_ALL_BITS:
	case CODEC_STATE_01:
		if (a == 0 || a == (k->map.codec == CODEC_ALL_BITS ? 0xFFFFFFFFu : 1u))
			return snprintf(num, 24, "%s", a ? "enabled" : "disabled") > 0;
		return false;
	case CODEC_DWORD:
		return a >= k->map.min && a <= k->map.max && snprintf(num, 24, "%u", a) > 0;
	case CODEC_MASK:
		return !(a & ~schema_mask_known(&k->map)) && snprintf(num, 24, "0x%x", a) > 0;
	case CODEC_NONE:
	case CODEC_REMOVE:
	case CODEC_SUITES:
	case CODEC_CURVES: break;
	}
	return false;
}

/* Every copy present and saying the same word? */
static bool copies_agree(const struct key_def *k, struct copies *cp, char word[24])
{
	size_t i;

	for (i = 0; i < cp->n; i++) {
		struct cap_value *v1, *v2;
		char w[24];

		if (!values_in(k, cp->keys[i], &v1, &v2) || !decode(k, v1, v2, w))
			return false;
		if (i && strcmp(w, word))
			return false;
		memcpy(word, w, sizeof(w));
	}
	return cp->n > 0;
}

static bool all_absent(const struct key_def *k, struct copies *cp)
{
	size_t i;

	for (i = 0; i < cp->n; i++)
		if (find_value(cp->keys[i], k->map.value) ||
		    (k->map.value2 && find_value(cp->keys[i], k->map.value2)))
			return false;
	return true;
}

static void mark_used(const struct key_def *k, struct copies *cp)
{
	size_t i;

	for (i = 0; i < cp->n; i++) {
		struct cap_value *v1, *v2;

		values_in(k, cp->keys[i], &v1, &v2);
		v1->used = true;
		if (v2)
			v2->used = true;
	}
}

/* Absent values of copies whose key exists become raw deletions. */
static void raw_deletions(const struct key_def *k, struct copies *cp)
{
	size_t i;

	for (i = 0; i < cp->n; i++) {
		if (!cp->keys[i])
			continue;
		if (!find_value(cp->keys[i], k->map.value))
			add_value(cp->keys[i], k->map.value)->present = false;
		if (k->map.value2 && !find_value(cp->keys[i], k->map.value2))
			add_value(cp->keys[i], k->map.value2)->present = false;
	}
}

/* One row instance, backward: in words when every copy agrees on a value
 * the row can say, "default" when all are absent, raw otherwise. "default"
 * also removes the row's keys once empty; where the source has such a key,
 * its captured values or its "exists = yes" section keep it (a plan never
 * removes a key it makes exist: compile.c). */
static void words_row(struct capture *c, const struct section_def *sd, const struct key_def *k,
                      size_t word, struct strbuf *body)
{
	const char *name = k->name ? k->name : k->words->entries[word].name;
	struct copies cp;
	char said[24];

	copies_of(c, sd, k, word, &cp);
	if (all_absent(k, &cp)) {
		line(c, body, "%s = default", name);
	} else if (copies_agree(k, &cp, said)) {
		line(c, body, "%s = %s", name, said);
		mark_used(k, &cp);
	} else {
		raw_deletions(k, &cp);
	}
}

static void words_instance(struct capture *c, const struct section_def *sd, size_t arg,
                           struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	char *header;
	size_t i, w;

	for (i = 0; i < sd->nkeys; i++) {
		const struct key_def *k = &sd->keys[i];

		if (!k->map.key || k->map.codec == CODEC_SUITES || k->map.codec == CODEC_CURVES)
			continue;
		for (w = 0; w < (k->words ? k->words->count : 1); w++)
			words_row(c, sd, k, k->words ? w : arg, &body);
	}
	header = sd->arg == ARG_VOCAB
	             ? xasprintf("[%s \"%s\"]", sd->name, sd->arg_words->entries[arg].name)
	             : xasprintf("[%s]", sd->name);
	section(out, header, &body);
	free(header);
}

static void words_all(struct capture *c, struct strbuf *out)
{
	size_t s, arg;

	for (s = 0; s < schema_section_count; s++) {
		const struct section_def *sd = &schema_sections[s];

		if (sd->flags & (SEC_METADATA | SEC_RAW_VALUES))
			continue;
		if (sd->flags & SEC_GATHERED) {
			words_suites(c, out);
			continue;
		}
		for (arg = 0; arg < (sd->arg == ARG_VOCAB ? sd->arg_words->count : 1); arg++)
			words_instance(c, sd, arg, out);
	}
}

/* ---- raw ---- */

/* INI (inih) splits at the first '=' or ':' and trims spaces: such names
 * cannot be written. */
static bool ini_safe(const char *s)
{
	size_t n = strlen(s);

	if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		return false;
	for (; *s; s++)
		if (*s == '=' || *s == ':' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

static bool has_present_values(const struct cap_key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->values[i].present)
			return true;
	return false;
}

/* A string-typed value that is not a well-formed string is reproduced
 * byte for byte; the profile must then say so (malformed = yes). */
static bool has_malformed_string(const struct cap_key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		const struct reg_value *v = &k->values[i].v;

		if (k->values[i].present && !k->values[i].used && regvalue_is_malformed_string(v) &&
		    tls_value_allowed(k->path, k->values[i].name))
			return true;
	}
	return false;
}

/* A value that is not a documented TLS value is left out: applying it
 * would need --allow-any-key (roots.h), and a capture is for cloning TLS
 * settings. It is named in a comment, so nothing goes unnoticed. */
static bool skip_value(struct capture *c, const struct cap_key *k, const struct cap_value *v,
                       struct strbuf *out)
{
	if (tls_value_allowed(k->path, v->name))
		return false;
	sb_addf(out,
	        "; not captured: HKLM\\%s%s \"%s\" is not a documented TLS value "
	        "(docs/allowlist.md)\n",
	        k->path, k->view == REG_VIEW_32 ? " (32-bit view)" : "", v->name);
	c->st->skipped++;
	return true;
}

static int raw_key(struct capture *c, const struct cap_key *k, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	size_t i, nvalues = 0;
	bool exists;

	for (i = 0; i < k->n; i++) {
		const struct cap_value *v = &k->values[i];

		if (v->used || skip_value(c, k, v, out))
			continue;
		if (!ini_safe(v->name)) {
			sb_free(&body);
			return sc_err_set(c->err,
			                  "HKLM\\%s: value name \"%s\" cannot be written in a "
			                  "profile (it holds '=', ':', a control character or "
			                  "leading/trailing spaces)",
			                  k->path, v->name);
		}
		regfile_format_assignment(&body, v->name, v->present ? &v->v : NULL);
		sb_addc(&body, '\n');
		c->st->raw++;
		nvalues++;
	}
	/* A key read whole that holds no value of its own and no subkey would
	 * not come back by writing values: say that it exists. */
	exists = k->whole && !k->nsubkeys && !has_present_values(k) &&
	         (tls_key_allowed(k->path) || tls_key_ancestor(k->path));
	if (!nvalues && !exists) {
		sb_free(&body);
		return SC_OK;
	}
	if (!ini_safe(k->path)) {
		sb_free(&body);
		return sc_err_set(c->err, "HKLM\\%s: key path cannot be written in a profile",
		                  k->path);
	}
	sb_addf(out, "\n[key \"raw-%u\"]\npath = HKLM\\%s\nview = %s\n%s%s%s", ++c->raw_sections,
	        k->path, k->view == REG_VIEW_32 ? "32" : "64", exists ? "exists = yes\n" : "",
	        has_malformed_string(k) ? "malformed = yes\n" : "", sb_str(&body));
	sb_free(&body);
	return SC_OK;
}

static void header(const struct capture_options *o, struct strbuf *out)
{
	const char *source = o->source;
	char *when = utc_iso_time(o->now);

	sb_addf(out,
	        "; Captured by schannelcfg %s from %s on %s.\n"
	        "; Applying this profile makes another machine's TLS registry settings match:\n"
	        "; values in words where the vocabulary says exactly the same thing, the\n"
	        "; rest as raw [key] sections; \"default\" removes a value absent here.\n"
	        "[profile]\nname      = captured\n"
	        "summary   = TLS configuration captured from %s on %s\n"
	        "reference = schannelcfg capture\n",
	        SCHANNELCFG_VERSION, source, when, source, when);
	if (o->have_os)
		sb_addf(out, "; Windows %u.%u.%u (%s)\n", o->major, o->minor, o->build,
		        win_release_name(win_release_of(o->major, o->minor, o->build)));
	free(when);
}

static void free_capture(struct capture *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->keys[i].n; j++) {
			free(c->keys[i].values[j].name);
			regvalue_free(&c->keys[i].values[j].v);
		}
		free(c->keys[i].values);
		free(c->keys[i].path);
	}
	free(c->keys);
}

int capture_profile(const struct reg_backend *b, const struct capture_options *o,
                    struct strbuf *out, struct capture_stats *stats, struct sc_err *err)
{
	struct capture c = {.b = b, .st = stats, .err = err, .o = o};
	size_t i;
	int rc;

	memset(stats, 0, sizeof(*stats));
	rc = read_all(&c);
	if (rc == SC_OK) {
		header(o, out);
		words_all(&c, out);
		for (i = 0; rc == SC_OK && i < c.n; i++)
			rc = raw_key(&c, &c.keys[i], out);
	}
	free_capture(&c);
	return rc;
}
