/*
 * diff.c - plan + registry state -> what would change.
 *
 * MUST NOT write: only open_key(READ), read_value and enumeration are used.
 * Each distinct key is opened once (the benchmark counts calls).
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* An opened (or known missing) key, shared by the ops on it. */
struct key_slot {
	enum reg_view view;
	char *path;
	struct reg_key *key; /* NULL if the key does not exist */
	bool enumerated;
	char **values, **subkeys;
	size_t nvalues, nsubkeys;
};

struct differ {
	const struct plan *plan;
	const struct reg_backend *b;
	struct diff *d;
	struct sc_err *err;
	bool read_failed; /* an error came from the registry, not the plan */
	struct key_slot *slots;
	size_t nslots, cap;
	/* slot positions + 1 by hash of (view, path); 0 = empty. Positions,
	 * not pointers: xgrow moves the slots. */
	size_t *index;
	size_t index_cap; /* a power of two, at least twice nslots */
	/* entry numbers sorted by (view, path, number), so that the ops on a
	 * key, or below it, are one binary-searched range */
	size_t *by_path;
};

/* A registry call failed (access denied, I/O): said apart from a plan that
 * cannot be applied, so that the CLI gives it its own exit code. */
static int read_failed(struct differ *df)
{
	df->read_failed = true;
	return SC_ERROR;
}

/* FNV-1a over the view and the ASCII-folded path (names compare
 * case-insensitively). */
static size_t key_hash(enum reg_view view, const char *path)
{
	uint64_t h = 14695981039346656037u ^ (uint64_t)view;

	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		h ^= (c >= 'A' && c <= 'Z') ? c + 32 : c;
		h *= 1099511628211u;
	}
	return (size_t)h;
}

static struct key_slot *index_find(const struct differ *df, enum reg_view view, const char *path)
{
	size_t mask = df->index_cap - 1, i;

	if (!df->index_cap)
		return NULL;
	for (i = key_hash(view, path) & mask; df->index[i]; i = (i + 1) & mask) {
		struct key_slot *s = &df->slots[df->index[i] - 1];

		if (s->view == view && streq_ci(s->path, path))
			return s;
	}
	return NULL;
}

static void index_put(size_t *index, size_t cap, const struct key_slot *s, size_t position)
{
	size_t i;

	for (i = key_hash(s->view, s->path) & (cap - 1); index[i]; i = (i + 1) & (cap - 1))
		;
	index[i] = position + 1;
}

/* Makes room for one more slot in the index (rehashing when half full). */
static void index_reserve(struct differ *df)
{
	size_t i, cap = df->index_cap ? df->index_cap : 64;

	if (2 * (df->nslots + 1) <= df->index_cap)
		return;
	while (2 * (df->nslots + 1) > cap)
		cap *= 2;
	free(df->index);
	df->index = xcalloc(cap, sizeof(*df->index));
	df->index_cap = cap;
	for (i = 0; i < df->nslots; i++)
		index_put(df->index, cap, &df->slots[i], i);
}

static void add_warning(struct diff *d, const char *source, const char *fmt, ...) SC_PRINTF(3, 4);

static void add_warning(struct diff *d, const char *source, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	xgrow(&d->warnings, &d->wcap, d->nwarnings + 1, sizeof(*d->warnings));
	d->warnings[d->nwarnings].source = xstrdup(source ? source : "");
	d->warnings[d->nwarnings++].text = sb_detach(&sb);
}

/* Finds or opens the key; SC_OK (slot set, key may be NULL) or SC_ERROR. */
static int slot_for(struct differ *df, enum reg_view view, const char *path, struct key_slot **out)
{
	struct key_slot *s = index_find(df, view, path);
	int rc;

	if (s) {
		*out = s;
		return SC_OK;
	}
	index_reserve(df);
	xgrow(&df->slots, &df->cap, df->nslots + 1, sizeof(*df->slots));
	s = &df->slots[df->nslots];
	memset(s, 0, sizeof(*s));
	s->view = view;
	s->path = xstrdup(path);
	df->d->opens++;
	rc = df->b->ops->open_key(df->b, view, path, REG_ACCESS_READ, &s->key, df->err);
	if (rc == SC_ERROR) {
		free(s->path);
		return read_failed(df);
	}
	if (rc == SC_NOT_FOUND)
		s->key = NULL;
	index_put(df->index, df->index_cap, s, df->nslots);
	df->nslots++;
	*out = s;
	return SC_OK;
}

static void slots_free(struct differ *df)
{
	size_t i;

	for (i = 0; i < df->nslots; i++) {
		if (df->slots[i].key)
			df->b->ops->close_key(df->b, df->slots[i].key);
		free(df->slots[i].path);
		strlist_free(df->slots[i].values, df->slots[i].nvalues);
		strlist_free(df->slots[i].subkeys, df->slots[i].nsubkeys);
	}
	free(df->slots);
	free(df->index);
	free(df->by_path);
}

/* Reads the current value of an op; before_present tells if it exists. */
static int read_before(struct differ *df, struct diff_entry *e)
{
	struct key_slot *s;
	int rc = slot_for(df, e->op->view, e->op->path, &s);

	if (rc != SC_OK)
		return rc;
	e->key_existed = s->key != NULL;
	if (!s->key || !e->op->name)
		return SC_OK;
	df->d->reads++;
	rc = df->b->ops->read_value(df->b, s->key, e->op->name, &e->before, df->err);
	if (rc == SC_ERROR)
		return read_failed(df);
	e->before_present = rc == SC_OK;
	if (e->before_present && e->before.type > RV_TYPE_MAX)
		return sc_err_set(df->err,
		                  "HKLM\\%s \"%s\" has an unknown type 0x%x that a snapshot "
		                  "could not restore; refusing to touch it",
		                  e->op->path, e->op->name, e->before.type);
	return SC_OK;
}

/* The shallowest missing key on the way to path (which is missing). */
static int find_created_root(struct differ *df, enum reg_view view, const char *path, char **root)
{
	const char *p = path;

	*root = NULL;
	for (;;) {
		const char *end = strchr(p, '\\');
		char *prefix = xstrndup(path, end ? (size_t)(end - path) : strlen(path));
		struct key_slot *s;
		int rc = slot_for(df, view, prefix, &s);

		if (rc != SC_OK || !s->key) {
			if (rc == SC_OK)
				*root = prefix;
			else
				free(prefix);
			return rc;
		}
		free(prefix);
		if (!end)
			return SC_OK; /* it exists after all */
		p = end + 1;
	}
}

static void diff_set(struct diff_entry *e)
{
	e->after_present = true;
	regvalue_set_bytes(&e->after, e->op->value.type, e->op->value.data, e->op->value.size);
	e->changed = !e->before_present || !regvalue_equal(&e->before, &e->after);
}

static void diff_delete(struct diff_entry *e)
{
	e->after_present = false;
	e->changed = e->before_present;
}

static bool lists_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

/* An entry that leaves its value as it is: after = before. */
static void diff_unchanged(struct diff_entry *e)
{
	e->after_present = e->before_present;
	if (e->before_present)
		regvalue_set_bytes(&e->after, e->before.type, e->before.data, e->before.size);
}

/* An absent local list: Windows uses the release's built-in order, so the
 * edit applies to that order. Written only when the edit changes it (the
 * snapshot records the value as absent: rollback removes it again). */
static int diff_builtin_list(struct differ *df, struct diff_entry *e)
{
	const struct list_edit *ed = &e->op->edit;

	e->before_list = strlist_dup(ed->builtin, ed->nbuiltin);
	e->nbefore = ed->nbuiltin;
	e->after_list = list_edit_apply(ed, e->before_list, e->nbefore, &e->nafter);
	if (!e->nafter)
		return sc_err_set(df->err,
		                  "%s: the edit would leave HKLM\\%s %s empty, which turns "
		                  "TLS off entirely; refusing",
		                  e->op->source, e->op->path, e->op->name);
	if (lists_equal(e->before_list, e->nbefore, e->after_list, e->nafter)) {
		e->note = xasprintf("the local list is absent: Windows uses its built-in order "
		                    "for %s, which this edit leaves as it is",
		                    ed->builtin_for);
		return SC_OK;
	}
	e->note = xasprintf("the local list is absent: Windows uses its built-in order for %s; "
	                    "the edit starts from it",
	                    ed->builtin_for);
	add_warning(df->d, e->op->source,
	            "HKLM\\%s Functions is absent: Windows uses its built-in order for %s, so "
	            "the edit starts from that order and writes the result (rollback removes "
	            "the list again)",
	            e->op->path, ed->builtin_for);
	list_to_value(ed->format, e->after_list, e->nafter, &e->after);
	e->after_present = true;
	e->changed = true;
	return SC_OK;
}

static int diff_list(struct differ *df, struct diff_entry *e)
{
	const struct list_edit *ed = &e->op->edit;
	bool type_ok = true;

	if (e->before_present)
		type_ok = list_from_value(ed->format, &e->before, &e->before_list, &e->nbefore);
	if (e->before_present && !type_ok) {
		add_warning(df->d, e->op->source,
		            "HKLM\\%s %s is %s, not the %s Windows reads there; left alone",
		            e->op->path, e->op->name, regvalue_type_name(e->before.type),
		            ed->format == LIST_MULTI_SZ ? "REG_MULTI_SZ" : "REG_SZ");
		e->note = xstrdup("wrong value type: left alone");
		diff_unchanged(e);
		return SC_OK;
	}
	if (!e->before_present && !ed->create_if_absent && ed->nbuiltin)
		return diff_builtin_list(df, e);
	if (!e->before_present && !ed->create_if_absent) {
		e->note =
		    xstrdup(ed->format == LIST_COMMA_SZ
		                ? "no Group Policy order here: nothing to edit (and none is "
		                  "created)"
		                : "the local list is absent: Windows uses its built-in order");
		if (ed->format == LIST_MULTI_SZ)
			add_warning(df->d, e->op->source,
			            "HKLM\\%s Functions is absent, so Windows uses its built-in "
			            "order and there is nothing to edit; add \"order = ...\" to "
			            "pin a list",
			            e->op->path);
		return SC_OK;
	}
	e->after_list =
	    list_edit_apply(ed, e->before_present ? e->before_list : NULL, e->nbefore, &e->nafter);
	if (!e->nafter)
		return sc_err_set(df->err,
		                  "%s: the edit would leave HKLM\\%s %s empty, which turns "
		                  "TLS off entirely; refusing",
		                  e->op->source, e->op->path, e->op->name);
	if (e->before_present &&
	    lists_equal(e->before_list, e->nbefore, e->after_list, e->nafter)) {
		diff_unchanged(e);
		return SC_OK;
	}
	if (ed->format == LIST_COMMA_SZ) {
		struct reg_value tmp;
		list_to_value(ed->format, e->after_list, e->nafter, &tmp);
		if (tmp.size / 2 - 1 > POLICY_FUNCTIONS_MAX) {
			regvalue_free(&tmp);
			return sc_err_set(df->err,
			                  "%s: the Group Policy list would be longer than "
			                  "%d characters",
			                  e->op->source, POLICY_FUNCTIONS_MAX);
		}
		e->after = tmp;
	} else {
		list_to_value(ed->format, e->after_list, e->nafter, &e->after);
	}
	e->after_present = true;
	e->changed = true;
	return SC_OK;
}

static int cmp_name_ci(const void *a, const void *b)
{
	return strcmp_ci(*(char *const *)a, *(char *const *)b);
}

static int enumerate(struct differ *df, struct key_slot *s)
{
	size_t i;
	char *name;
	int rc;

	if (s->enumerated || !s->key)
		return SC_OK;
	for (i = 0; (rc = df->b->ops->enum_value(df->b, s->key, i, &name, df->err)) == SC_OK; i++) {
		s->values = xrealloc(s->values, (s->nvalues + 1) * sizeof(*s->values));
		s->values[s->nvalues++] = name;
	}
	if (rc == SC_ERROR)
		return read_failed(df);
	for (i = 0; (rc = df->b->ops->enum_subkey(df->b, s->key, i, &name, df->err)) == SC_OK;
	     i++) {
		s->subkeys = xrealloc(s->subkeys, (s->nsubkeys + 1) * sizeof(*s->subkeys));
		s->subkeys[s->nsubkeys++] = name;
	}
	s->enumerated = true;
	/* for listed(); the callers that walk them do not depend on the order */
	if (s->nvalues > 1)
		qsort(s->values, s->nvalues, sizeof(*s->values), cmp_name_ci);
	if (s->nsubkeys > 1)
		qsort(s->subkeys, s->nsubkeys, sizeof(*s->subkeys), cmp_name_ci);
	return rc == SC_ERROR ? read_failed(df) : SC_OK;
}

static const struct diff *sort_diff; /* qsort has no context argument */

static int cmp_by_path(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct plan_op *ox = sort_diff->entries[x].op, *oy = sort_diff->entries[y].op;
	int c;

	if (ox->view != oy->view)
		return ox->view < oy->view ? -1 : 1;
	c = strcmp_ci(ox->path, oy->path);
	return c ? c : (x > y) - (x < y);
}

static void sort_by_path(struct differ *df)
{
	size_t i;

	df->by_path = xcalloc(df->d->n + 1, sizeof(*df->by_path));
	for (i = 0; i < df->d->n; i++)
		df->by_path[i] = i;
	sort_diff = df->d;
	qsort(df->by_path, df->d->n, sizeof(*df->by_path), cmp_by_path);
	sort_diff = NULL;
}

/* First position in by_path whose (view, path) is not below (view, path). */
static size_t lower_bound(const struct differ *df, enum reg_view view, const char *path)
{
	size_t lo = 0, hi = df->d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct plan_op *op = df->d->entries[df->by_path[mid]].op;
		int c = op->view != view ? (op->view < view ? -1 : 1) : strcmp_ci(op->path, path);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The positions in by_path of the ops on `path` and below it: [*from, *to).
 * "path\..." sorts before "path]" (']' follows '\'); paths like "path0"
 * may fall in between and are skipped by the callers. */
static void range_below(const struct differ *df, enum reg_view view, const char *path, size_t *from,
                        size_t *to)
{
	char *end = xasprintf("%s]", path);

	*from = lower_bound(df, view, path);
	*to = lower_bound(df, view, end);
	free(end);
}

/* Will the value `name` of key (view, path) exist after the plan's entries
 * before `upto`? The last op on it decides; none: `now`. */
static bool value_after(const struct differ *df, size_t upto, enum reg_view view, const char *path,
                        const char *name, bool now)
{
	size_t pos, best = SIZE_MAX;

	for (pos = lower_bound(df, view, path); pos < df->d->n; pos++) {
		size_t i = df->by_path[pos];
		const struct plan_op *op = df->d->entries[i].op;

		if (op->view != view || !streq_ci(op->path, path))
			break;
		if (i < upto && op->name && streq_ci(op->name, name) && op->kind != OP_CREATE_KEY)
			best = i;
	}
	if (best == SIZE_MAX)
		return now;
	return df->d->entries[best].after_present ||
	       (!df->d->entries[best].changed && df->d->entries[best].before_present);
}

/* Will the child key exist after the plan's entries before `upto`? The
 * last op on it or below it decides; none: `now`. */
static bool subkey_after(const struct differ *df, size_t upto, enum reg_view view,
                         const char *child, bool now)
{
	size_t pos, from, to, n = strlen(child);
	bool present = now;
	size_t last = SIZE_MAX;

	range_below(df, view, child, &from, &to);
	for (pos = from; pos < to; pos++) {
		size_t i = df->by_path[pos];
		const struct diff_entry *e = &df->d->entries[i];
		const char *p = e->op->path;

		if (i >= upto || (p[n] && p[n] != '\\') || (last != SIZE_MAX && i < last))
			continue;
		if (e->op->kind == OP_DELETE_KEY_IF_EMPTY && !p[n] && e->changed) {
			present = false;
			last = i;
		} else if (e->after_present || e->op->kind == OP_CREATE_KEY) {
			present = true;
			last = i;
		}
	}
	return present;
}

/* names: sorted by strcmp_ci (enumerate). */
static bool listed(char *const *names, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp_ci(names[mid], name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Does an op before `upto` put a value or a subkey into the key (view,
 * path) that it does not hold now (s: the key's enumeration)? */
static bool plan_fills(const struct differ *df, size_t upto, enum reg_view view, const char *path,
                       const struct key_slot *s)
{
	size_t pos, from, to, n = strlen(path);

	range_below(df, view, path, &from, &to);
	for (pos = from; pos < to; pos++) {
		size_t i = df->by_path[pos];
		const struct plan_op *op = df->d->entries[i].op;
		const char *p = op->path;
		bool present;

		if (i >= upto || (p[n] && p[n] != '\\'))
			continue;
		if (!p[n]) {
			if (!op->name || listed(s->values, s->nvalues, op->name))
				continue;
			present = value_after(df, upto, view, path, op->name, false);
		} else {
			char *child = xstrndup(p, n + 1 + strcspn(p + n + 1, "\\"));

			present = !listed(s->subkeys, s->nsubkeys, child + n + 1) &&
			          subkey_after(df, upto, view, child, false);
			free(child);
		}
		if (present)
			return true;
	}
	return false;
}

static int diff_delete_key(struct differ *df, struct diff_entry *e, size_t index)
{
	struct key_slot *s;
	size_t i;
	int rc = slot_for(df, e->op->view, e->op->path, &s);

	if (rc != SC_OK)
		return rc;
	e->key_existed = s->key != NULL;
	if (!s->key)
		return SC_OK;
	rc = enumerate(df, s);
	if (rc != SC_OK)
		return rc;
	for (i = 0; i < s->nvalues; i++)
		if (value_after(df, index, e->op->view, e->op->path, s->values[i], true))
			return SC_OK;
	if (plan_fills(df, index, e->op->view, e->op->path, s))
		return SC_OK;
	for (i = 0; i < s->nsubkeys; i++) {
		enum reg_view view;
		char *child;
		bool stays;

		reg_view_subkey(e->op->view, e->op->path, s->subkeys[i], &view, &child);
		stays = subkey_after(df, index, view, child, true);

		free(child);
		if (stays)
			return SC_OK;
	}
	e->changed = true;
	return SC_OK;
}

static bool writes(const struct diff_entry *e)
{
	return e->changed && (e->after_present || e->op->kind == OP_CREATE_KEY);
}

static int diff_entry(struct differ *df, size_t index)
{
	struct diff_entry *e = &df->d->entries[index];
	int rc;

	if (e->op->kind == OP_DELETE_KEY_IF_EMPTY)
		return diff_delete_key(df, e, index);
	rc = read_before(df, e);
	if (rc != SC_OK)
		return rc;
	switch (e->op->kind) {
	case OP_SET: diff_set(e); break;
	case OP_DELETE_VALUE: diff_delete(e); break;
	case OP_LIST_EDIT: rc = diff_list(df, e); break;
	case OP_CREATE_KEY: e->changed = !e->key_existed; break;
	case OP_DELETE_KEY_IF_EMPTY: break;
	}
	if (rc == SC_OK && writes(e) && !e->key_existed)
		rc = find_created_root(df, e->op->view, e->op->path, &e->created_root);
	return rc;
}

/* A local-list edit while a Group Policy list exists that the plan leaves
 * alone: the change will not take effect. */
static int warn_policy_override(struct differ *df)
{
	struct diff *d = df->d;
	bool local_changes = false, policy_edited = false;
	struct reg_value v = {0};
	struct key_slot *s;
	size_t i;
	int rc;

	for (i = 0; i < d->n; i++) {
		const struct plan_op *op = d->entries[i].op;

		/* the plan removes the policy list (policy-list = remove) */
		if (op->kind == OP_DELETE_VALUE && !strcmp_ci(op->path, SUITES_POLICY_KEY) &&
		    !strcmp_ci(op->name, "Functions"))
			policy_edited = true;
		if (op->kind != OP_LIST_EDIT)
			continue;
		if (op->edit.format == LIST_MULTI_SZ && d->entries[i].changed)
			local_changes = true;
		if (op->edit.format == LIST_COMMA_SZ)
			policy_edited = true;
		if (op->edit.format == LIST_COMMA_SZ && d->entries[i].changed)
			add_warning(
			    d, op->source,
			    "Group Policy owns the list this changes (HKLM\\" SUITES_POLICY_KEY
			    " Functions): the next Group Policy refresh writes the GPO's order "
			    "back unless the GPO (SSL Cipher Suite Order) is changed too");
	}
	if (!local_changes || policy_edited)
		return SC_OK;
	/* Through the slots: the policy key may be open already (EccCurves). */
	rc = slot_for(df, REG_VIEW_64, SUITES_POLICY_KEY, &s);
	if (rc != SC_OK || !s->key)
		return rc;
	d->reads++;
	rc = df->b->ops->read_value(df->b, s->key, "Functions", &v, df->err);
	if (rc == SC_ERROR)
		return read_failed(df);
	if (rc == SC_OK)
		add_warning(d, NULL,
		            "a Group Policy cipher-suite order exists (HKLM\\" SUITES_POLICY_KEY
		            " Functions) and overrides the local list this plan changes");
	regvalue_free(&v);
	return SC_OK;
}

/* An impact is the diff's when one of its ops changes something. */
static void keep_changed_impacts(const struct plan *plan, struct diff *d)
{
	size_t i, k;

	for (i = 0; i < plan->nimpacts; i++) {
		const struct plan_impact *im = &plan->impacts[i];
		bool changed = false;

		for (k = 0; k < im->nops && !changed; k++)
			changed = im->ops[k] < d->n && d->entries[im->ops[k]].changed;
		if (changed)
			plan_impact_add(&d->impacts, &d->nimpacts, &d->icap, im->rule, im->cls,
			                im->text, im->ref)
			    ->kb = im->kb;
	}
}

int diff_compute(const struct plan *plan, const struct reg_backend *b, struct diff *out,
                 struct sc_err *err)
{
	struct differ df = {.plan = plan, .b = b, .d = out, .err = err};
	size_t i;
	int rc = SC_OK;

	memset(out, 0, sizeof(*out));
	out->plan = plan;
	out->entries = xcalloc(plan->nops + 1, sizeof(*out->entries));
	out->n = plan->nops;
	for (i = 0; i < plan->nops; i++)
		out->entries[i].op = &plan->ops[i];
	for (i = 0; i < plan->nwarnings; i++)
		add_warning(out, plan->warnings[i].source, "%s", plan->warnings[i].text);
	sort_by_path(&df);
	for (i = 0; rc == SC_OK && i < plan->nops; i++) {
		rc = diff_entry(&df, i);
		if (rc == SC_OK && out->entries[i].changed) {
			out->nchanged++;
			out->reboot |= plan->ops[i].reboot;
		}
	}
	if (rc == SC_OK)
		rc = warn_policy_override(&df);
	if (rc == SC_OK)
		keep_changed_impacts(plan, out);
	slots_free(&df);
	if (rc != SC_OK)
		diff_free(out);
	out->read_failed = df.read_failed;
	return rc;
}

void diff_free(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct diff_entry *e = &d->entries[i];

		regvalue_free(&e->before);
		regvalue_free(&e->after);
		free(e->created_root);
		strlist_free(e->before_list, e->nbefore);
		strlist_free(e->after_list, e->nafter);
		free(e->note);
	}
	for (i = 0; i < d->nwarnings; i++) {
		free(d->warnings[i].source);
		free(d->warnings[i].text);
	}
	free(d->entries);
	free(d->warnings);
	plan_impacts_free(d->impacts, d->nimpacts);
	memset(d, 0, sizeof(*d));
}
