/*
 * fleet.c - reading and aggregating many machines' documents (fleet.h).
 */
#include "fleet.h"

#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "regvalue.h"
#include "suites.h"

/* ---- a string -> index map (open addressing), private to the fleet */

struct fleet_index {
	char **keys;
	size_t *values;
	size_t n, cap;
};

static uint64_t hash_of(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t *index_slot(struct fleet_index *ix, const char *key, bool *found);

static void index_grow(struct fleet_index *ix)
{
	struct fleet_index old = *ix;
	size_t i;

	ix->cap = old.cap ? old.cap * 2 : 64;
	ix->n = 0;
	ix->keys = xcalloc(ix->cap, sizeof(*ix->keys));
	ix->values = xcalloc(ix->cap, sizeof(*ix->values));
	for (i = 0; i < old.cap; i++) {
		bool found;

		if (old.keys[i])
			*index_slot(ix, old.keys[i], &found) = old.values[i];
		free(old.keys[i]);
	}
	free(old.keys);
	free(old.values);
}

/* The value slot of key, created (with a copy of key) when absent. */
static size_t *index_slot(struct fleet_index *ix, const char *key, bool *found)
{
	size_t i;

	if ((ix->n + 1) * 2 > ix->cap)
		index_grow(ix);
	for (i = hash_of(key) & (ix->cap - 1); ix->keys[i]; i = (i + 1) & (ix->cap - 1)) {
		if (!strcmp(ix->keys[i], key)) {
			*found = true;
			return &ix->values[i];
		}
	}
	*found = false;
	ix->keys[i] = xstrdup(key);
	ix->n++;
	return &ix->values[i];
}

static void index_clear(struct fleet_index *ix)
{
	size_t i;

	for (i = 0; i < ix->cap; i++)
		free(ix->keys[i]);
	free(ix->keys);
	free(ix->values);
	memset(ix, 0, sizeof(*ix));
}

static void index_free(struct fleet_index *ix)
{
	if (ix)
		index_clear(ix);
	free(ix);
}

/* ---- the fleet */

void fleet_init(struct fleet *f)
{
	memset(f, 0, sizeof(*f));
	f->by_machine = xcalloc(1, sizeof(*f->by_machine));
	f->by_setting = xcalloc(1, sizeof(*f->by_setting));
}

static void problem(struct fleet *f, const char *file, const char *error)
{
	xgrow(&f->problems, &f->pcap, f->nproblems + 1, sizeof(*f->problems));
	f->problems[f->nproblems].file = xstrdup(file);
	f->problems[f->nproblems].error = xstrdup(error);
	f->nproblems++;
	f->skipped++;
}

void fleet_skip(struct fleet *f, const char *file, const char *error)
{
	f->read++;
	problem(f, file, error);
}

static void machine_free(struct fleet_machine *m)
{
	free(m->machine);
	free(m->release);
	free(m->release_name);
	free(m->profile);
	free(m->profile_version);
	free(m->kind);
	free(m->time);
	free(m->file);
	strlist_free(m->reasons, m->nreasons);
	free(m->settings);
	memset(m, 0, sizeof(*m));
}

/* A string field that reaches a report: present, not empty, short, and
 * free of control characters (a CSV row or a terminal line stays one). */
static const char *text_field(const struct jr_value *doc, const char *key, size_t max,
                              struct sc_err *err)
{
	const char *s = jr_str(jr_get(doc, key));
	size_t i;

	if (!s || !*s) {
		sc_err_set(err, "\"%s\": a non-empty string expected", key);
		return NULL;
	}
	for (i = 0; s[i]; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			sc_err_set(err, "\"%s\" contains a control character", key);
			return NULL;
		}
	}
	if (i > max) {
		sc_err_set(err, "\"%s\" is longer than %zu bytes", key, max);
		return NULL;
	}
	return s;
}

/* "2026-12-03T14:00:00Z" exactly, as utc_iso_time writes it: then the
 * text order is the time order. */
static bool iso_time_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	}
	return s[i] == '\0';
}

static int read_os(const struct jr_value *doc, struct fleet_machine *m, struct sc_err *err)
{
	const struct jr_value *os = jr_get(doc, "os");
	uint64_t v[3];
	static const char *const parts[] = {"major", "minor", "build"};
	size_t i;

	if (os && os->type == JR_NULL) {
		m->release = xstrdup("unknown");
		m->release_name = xstrdup("unknown Windows release");
		return SC_OK;
	}
	if (!os || os->type != JR_OBJECT || !jr_is_bool(jr_get(os, "assumed")))
		return sc_err_set(err, "\"os\": an object with major, minor, build and assumed "
		                       "(or null) expected");
	for (i = 0; i < 3; i++)
		if (!jr_u64(jr_get(os, parts[i]), UINT32_MAX, &v[i]))
			return sc_err_set(err, "\"os\".\"%s\": a number expected", parts[i]);
	m->release = xasprintf("%u.%u.%u", (unsigned)v[0], (unsigned)v[1], (unsigned)v[2]);
	m->release_name = xstrdup(
	    win_release_name(win_release_of((uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2])));
	m->os_assumed = jr_true(jr_get(os, "assumed"));
	return SC_OK;
}

static int read_reboot(const struct jr_value *doc, struct fleet_machine *m, struct sc_err *err)
{
	const struct jr_value *why = jr_get(doc, "reboot_pending_reasons");
	size_t i;

	if (!jr_is_bool(jr_get(doc, "reboot_pending")))
		return sc_err_set(err, "\"reboot_pending\": true or false expected");
	m->reboot_pending = jr_true(jr_get(doc, "reboot_pending"));
	if (!why)
		return SC_OK;
	if (why->type != JR_ARRAY || why->n > 16)
		return sc_err_set(err, "\"reboot_pending_reasons\": an array of names expected");
	m->reasons = xcalloc(why->n + 1, sizeof(*m->reasons));
	for (i = 0; i < why->n; i++) {
		const char *r = jr_str(&why->items[i]);

		if (!r || strlen(r) > 64 || strpbrk(r, "\r\n\t"))
			return sc_err_set(err, "\"reboot_pending_reasons\"[%zu]: a name expected",
			                  i);
		m->reasons[m->nreasons++] = xstrdup(r);
	}
	return SC_OK;
}

/* What an apply's status says about compliance now. */
static int read_status(const struct jr_value *doc, struct fleet_machine *m, uint64_t changes,
                       struct sc_err *err)
{
	const char *status = jr_str(jr_get(doc, "status"));

	if (!strcmp(m->kind, "check")) {
		m->compliant = changes == 0;
	} else if (status && (!strcmp(status, "applied") || !strcmp(status, "nothing_to_do"))) {
		m->compliant = true;
	} else if (status &&
	           (!strcmp(status, "rolled_back") || !strcmp(status, "rollback_failed"))) {
		m->compliant = changes == 0;
	} else {
		return sc_err_set(err, "\"status\": applied, nothing_to_do, rolled_back or "
		                       "rollback_failed expected");
	}
	m->drifting = m->compliant ? 0 : (size_t)changes;
	return SC_OK;
}

static const char *opt_str(const struct jr_value *e, const char *key, bool *ok)
{
	const struct jr_value *v = jr_get(e, key);

	if (!v || v->type == JR_NULL)
		return NULL;
	if (v->type != JR_STRING || strlen(v->str) > 1024 || strpbrk(v->str, "\r\n"))
		*ok = false;
	return jr_str(v);
}

/* The id under which a drifting entry is counted. */
static char *setting_id(const char *rule, const char *key, const char *value, const char *view)
{
	if (rule)
		return xasprintf("rule\x1f%s", rule);
	return xasprintf("value\x1f%s\x1f%s\x1f%s", key, value ? value : "", view);
}

static size_t setting_of(struct fleet *f, const struct jr_value *e, const char *rule)
{
	bool ok = true, found;
	const char *key = opt_str(e, "key", &ok), *value = opt_str(e, "value", &ok);
	const char *view = opt_str(e, "view", &ok), *area = opt_str(e, "area", &ok);
	char *id = setting_id(rule, key, value, view ? view : "64");
	size_t *slot = index_slot(f->by_setting, id, &found);
	struct fleet_setting *s;

	free(id);
	if (found)
		return *slot;
	xgrow(&f->settings, &f->scap, f->nsettings + 1, sizeof(*f->settings));
	s = &f->settings[f->nsettings];
	memset(s, 0, sizeof(*s));
	s->rule = rule ? xstrdup(rule) : NULL;
	s->area = xstrdup(area ? area : "");
	s->key = xstrdup(key ? key : "");
	s->value = value ? xstrdup(value) : NULL;
	s->view = xstrdup(view ? view : "64");
	*slot = f->nsettings;
	return f->nsettings++;
}

/* One rule may cover several values: a machine counts once per setting. */
static void add_setting(struct fleet_machine *m, size_t idx)
{
	size_t i;

	for (i = 0; i < m->nsettings; i++)
		if (m->settings[i] == idx)
			return;
	m->settings[m->nsettings++] = idx;
}

/* Checks every entry; records the drifting ones when the machine drifts.
 * The changed entries must add up to "changes". */
static int read_entries(struct fleet *f, const struct jr_value *doc, struct fleet_machine *m,
                        uint64_t changes, struct sc_err *err)
{
	const struct jr_value *entries = jr_get(doc, "entries");
	size_t i, changed = 0;

	if (!entries || entries->type != JR_ARRAY)
		return sc_err_set(err, "\"entries\": an array expected");
	m->settings = xcalloc(entries->n + 1, sizeof(*m->settings));
	for (i = 0; i < entries->n; i++) {
		const struct jr_value *e = &entries->items[i];
		bool ok = true;
		const char *rule = opt_str(e, "rule", &ok);

		opt_str(e, "key", &ok);
		opt_str(e, "value", &ok);
		if (e->type != JR_OBJECT || !jr_is_bool(jr_get(e, "changed")) ||
		    !jr_str(jr_get(e, "key")) || !ok)
			return sc_err_set(err,
			                  "\"entries\"[%zu]: an operation with \"changed\" and "
			                  "\"key\" expected",
			                  i);
		if (!jr_true(jr_get(e, "changed")))
			continue;
		changed++;
		if (!m->compliant)
			add_setting(m, setting_of(f, e, rule));
	}
	if (changed != changes)
		return sc_err_set(err, "\"changes\" is %llu but %zu entries changed",
		                  (unsigned long long)changes, changed);
	return SC_OK;
}

static int read_identity(const struct jr_value *doc, struct fleet_machine *m, struct sc_err *err)
{
	const char *s;
	const struct jr_value *pv = jr_get(doc, "profile_version");

	if (!jr_get(doc, "machine"))
		return sc_err_set(err, "no \"machine\": written by a schannelcfg without machine "
		                       "identity; run check --format json again with this version");
	if (!(s = text_field(doc, "machine", 256, err)))
		return SC_ERROR;
	m->machine = xstrdup(s);
	if (!(s = text_field(doc, "time", 32, err)))
		return SC_ERROR;
	if (!iso_time_ok(s))
		return sc_err_set(err, "\"time\": UTC as 2026-12-03T14:00:00Z expected");
	m->time = xstrdup(s);
	if (!(s = text_field(doc, "profile", 256, err)))
		return SC_ERROR;
	m->profile = xstrdup(s);
	if (pv && pv->type != JR_NULL && !(s = text_field(doc, "profile_version", 80, err)))
		return SC_ERROR;
	m->profile_version = pv && pv->type != JR_NULL ? xstrdup(s) : NULL;
	if (read_os(doc, m, err) != SC_OK)
		return SC_ERROR;
	return read_reboot(doc, m, err);
}

/* The document's own shape first: what makes it a schannelcfg one. */
static int read_document(struct fleet *f, const struct jr_value *doc, struct fleet_machine *m,
                         struct sc_err *err)
{
	const char *kind = jr_str(jr_get(doc, "kind"));
	uint64_t schema, changes;

	if (doc->type != JR_OBJECT || !jr_u64(jr_get(doc, "schema"), UINT32_MAX, &schema) ||
	    !jr_str(jr_get(doc, "tool_version")) || !kind)
		return sc_err_set(err, "not a schannelcfg JSON document (no \"schema\", \"kind\" "
		                       "and \"tool_version\")");
	if (schema != 1)
		return sc_err_set(err, "schema %llu: this schannelcfg reads schema 1",
		                  (unsigned long long)schema);
	if (strcmp(kind, "check") && strcmp(kind, "apply"))
		return sc_err_set(
		    err, "a \"%.40s\" document: report reads check and apply documents", kind);
	m->kind = xstrdup(kind);
	if (!jr_u64(jr_get(doc, "changes"), SIZE_MAX / 2, &changes))
		return sc_err_set(err, "\"changes\": a number expected");
	if (read_identity(doc, m, err) != SC_OK || read_status(doc, m, changes, err) != SC_OK)
		return SC_ERROR;
	return read_entries(f, doc, m, changes, err);
}

/* Computer names compare without case. */
static char *machine_key(const char *name)
{
	char *k = xstrdup(name), *p;

	for (p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

static void keep(struct fleet *f, struct fleet_machine *m)
{
	char *key = machine_key(m->machine);
	bool found;
	size_t *slot = index_slot(f->by_machine, key, &found);

	free(key);
	if (!found) {
		xgrow(&f->machines, &f->cap, f->n + 1, sizeof(*f->machines));
		f->machines[f->n] = *m;
		*slot = f->n++;
		return;
	}
	f->duplicates++;
	if (strcmp(m->time, f->machines[*slot].time) >= 0) {
		machine_free(&f->machines[*slot]);
		f->machines[*slot] = *m;
	} else {
		machine_free(m);
	}
}

/* Windows PowerShell 5.1 writes UTF-16LE with a byte-order mark when
 * output is redirected with '>': such a collected document is read as the
 * same text in UTF-8. */
static int add_utf16(struct fleet *f, const char *file, const char *text, size_t len,
                     struct sc_err *err)
{
	size_t n = 0;
	char *utf8 = utf16le_bytes_to_utf8((const uint8_t *)text + 2, len - 2, &n);
	int rc;

	f->read--; /* counted again by fleet_add */
	if (!utf8) {
		f->read++;
		sc_err_set(err, "a UTF-16 file that cannot be converted");
		problem(f, file, err->msg);
		return SC_ERROR;
	}
	rc = fleet_add(f, file, utf8, n, err);
	free(utf8);
	return rc;
}

int fleet_add(struct fleet *f, const char *file, const char *text, size_t len, struct sc_err *err)
{
	struct jr_value doc;
	struct fleet_machine m;

	memset(&m, 0, sizeof(m));
	f->read++;
	if (len >= 2 && (unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE)
		return add_utf16(f, file, text, len, err);
	if (jr_parse(text, len, &doc, err) != SC_OK) {
		sc_err_prefix(err, "not JSON");
		problem(f, file, err->msg);
		return SC_ERROR;
	}
	if (read_document(f, &doc, &m, err) != SC_OK) {
		jr_free(&doc);
		machine_free(&m);
		problem(f, file, err->msg);
		return SC_ERROR;
	}
	jr_free(&doc);
	m.file = xstrdup(file);
	keep(f, &m);
	return SC_OK;
}

/* ---- fleet_finish */

static int by_name(const void *a, const void *b)
{
	const struct fleet_machine *x = a, *y = b;
	int c = strcmp_ci(x->machine, y->machine);

	return c ? c : strcmp(x->machine, y->machine);
}

static const struct fleet_setting *sort_base;

static int by_drift(const void *a, const void *b)
{
	const struct fleet_setting *x = &sort_base[*(const size_t *)a];
	const struct fleet_setting *y = &sort_base[*(const size_t *)b];
	int c;

	if (x->machines != y->machines)
		return x->machines > y->machines ? -1 : 1;
	if ((c = strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "")) != 0)
		return c;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->value ? x->value : "", y->value ? y->value : "");
}

static void setting_free(struct fleet_setting *s)
{
	free(s->rule);
	free(s->area);
	free(s->key);
	free(s->value);
	free(s->view);
}

/* Most drifting first; settings no kept machine drifts on (a replaced
 * duplicate's, a skipped document's) are dropped. */
static void sort_settings(struct fleet *f)
{
	size_t *order = xcalloc(f->nsettings + 1, sizeof(*order));
	size_t *new_of = xcalloc(f->nsettings + 1, sizeof(*new_of));
	struct fleet_setting *sorted = xcalloc(f->nsettings + 1, sizeof(*sorted));
	size_t i, j, kept = 0;

	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->machines[i].nsettings; j++)
			f->settings[f->machines[i].settings[j]].machines++;
	for (i = 0; i < f->nsettings; i++)
		order[i] = i;
	sort_base = f->settings;
	qsort(order, f->nsettings, sizeof(*order), by_drift);
	for (i = 0; i < f->nsettings; i++) {
		if (f->settings[order[i]].machines) {
			new_of[order[i]] = kept;
			sorted[kept++] = f->settings[order[i]];
		} else {
			setting_free(&f->settings[order[i]]);
		}
	}
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->machines[i].nsettings; j++)
			f->machines[i].settings[j] = new_of[f->machines[i].settings[j]];
	free(f->settings);
	f->settings = sorted;
	f->nsettings = f->scap = kept;
	free(order);
	free(new_of);
}

static struct fleet_group *group_of(struct fleet_group **groups, size_t *n, struct fleet_index *ix,
                                    const char *name)
{
	bool found;
	size_t *slot = index_slot(ix, name, &found);

	if (!found) {
		*groups = xrealloc(*groups, (*n + 1) * sizeof(**groups));
		memset(&(*groups)[*n], 0, sizeof(**groups));
		(*groups)[*n].name = xstrdup(name);
		*slot = (*n)++;
	}
	return &(*groups)[*slot];
}

static void count_in(struct fleet_group *g, const struct fleet_machine *m)
{
	g->machines++;
	g->compliant += m->compliant;
	g->reboot_pending += m->reboot_pending;
}

static void count_version(struct fleet_group *g, const char *version)
{
	size_t i;

	version = version ? version : "unknown";
	for (i = 0; i < g->nversions; i++) {
		if (!strcmp(g->versions[i], version)) {
			g->version_machines[i]++;
			return;
		}
	}
	g->versions = xrealloc(g->versions, (g->nversions + 1) * sizeof(*g->versions));
	g->version_machines =
	    xrealloc(g->version_machines, (g->nversions + 1) * sizeof(*g->version_machines));
	g->versions[g->nversions] = xstrdup(version);
	g->version_machines[g->nversions++] = 1;
}

static int group_by_name(const void *a, const void *b)
{
	return strcmp(((const struct fleet_group *)a)->name, ((const struct fleet_group *)b)->name);
}

static void make_groups(struct fleet *f)
{
	struct fleet_index profiles = {0}, releases = {0};
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct fleet_machine *m = &f->machines[i];
		char *release = xasprintf("%s (%s%s)", m->release, m->release_name,
		                          m->os_assumed ? ", assumed" : "");
		struct fleet_group *p =
		    group_of(&f->profiles, &f->nprofiles, &profiles, m->profile);

		count_in(p, m);
		count_version(p, m->profile_version);
		count_in(group_of(&f->releases, &f->nreleases, &releases, release), m);
		free(release);
		f->compliant += m->compliant;
		f->reboot_pending += m->reboot_pending;
	}
	index_clear(&profiles);
	index_clear(&releases);
	if (f->nprofiles)
		qsort(f->profiles, f->nprofiles, sizeof(*f->profiles), group_by_name);
	if (f->nreleases)
		qsort(f->releases, f->nreleases, sizeof(*f->releases), group_by_name);
}

void fleet_finish(struct fleet *f)
{
	if (f->n)
		qsort(f->machines, f->n, sizeof(*f->machines), by_name);
	sort_settings(f);
	make_groups(f);
}

static void groups_free(struct fleet_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].name);
		strlist_free(g[i].versions, g[i].nversions);
		free(g[i].version_machines);
	}
	free(g);
}

void fleet_free(struct fleet *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		machine_free(&f->machines[i]);
	for (i = 0; i < f->nsettings; i++)
		setting_free(&f->settings[i]);
	for (i = 0; i < f->nproblems; i++) {
		free(f->problems[i].file);
		free(f->problems[i].error);
	}
	free(f->machines);
	free(f->settings);
	free(f->problems);
	groups_free(f->profiles, f->nprofiles);
	groups_free(f->releases, f->nreleases);
	index_free(f->by_machine);
	index_free(f->by_setting);
	memset(f, 0, sizeof(*f));
}
