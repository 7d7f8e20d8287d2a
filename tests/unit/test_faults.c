/*
 * The fault matrix: apply and rollback against a registry that fails, or
 * misreports, at any one call.
 *
 * For every built-in profile x every starting state (examples/states/NAME.reg,
 * an empty registry, the fixtures test_apply.c uses, and a half-applied
 * one) x every kind of backend call x every effect (fail; for read_value
 * also three lies) x every k up to the number of such calls a fault-free
 * run makes, plus one: apply on a fresh copy through backend_wrap, and
 * classify what it left. Allowed outcomes:
 *   untouched   the registry is as before, exit INPUT_ERROR/REFUSED/
 *               ROLLED_BACK, nothing was written;
 *   restored    ROLLED_BACK after writing, and the registry is as before;
 *   restorable  ROLLBACK_FAILED, and the snapshot it wrote restores the
 *               prior state through a healthy backend;
 *   done        DONE (or NOTHING where a fault-free run has nothing to do)
 *               and the registry is what a fault-free apply leaves;
 *   hidden      a lie during the diff made one wrong value look right: the
 *               apply left exactly that value as it was and did the rest.
 *               A single read cannot tell; re-reading everything would
 *               cost a compliant re-apply its minimum of reads;
 *   not reached k is past the last such call, or the lie had nothing to
 *               falsify: the run must equal the fault-free one.
 * Anything else is a violation: each is printed with (profile, state,
 * phase, call, effect, k, status) and fails the test. The same matrix runs
 * for the rollback of a fault-free apply's snapshot.
 *
 * Two violations this matrix found in apply.c (KNOWN_VIOLATIONS below: a
 * misread written into a list edit; a misread recorded in the snapshot,
 * found by rolling back the snapshot of every done run after a lie) are
 * fixed (apply reads each before-image twice); they are counted and fail
 * the test (SC_MATRIX_STRICT=0 only prints them, for a look at a regression).
 *
 * SC_MATRIX_STRIDE=n runs every n-th case only (valgrind in CI).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "backend_mem.h"
#include "backend_wrap.h"
#include "builtin.h"
#include "compile.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"
#include "schema.h"
#include "snapshot.h"
#include "suites.h"

#define NOW          ((time_t)1700000000)
#define TLS12_CLIENT SCHANNEL_KEY "\\Protocols\\TLS 1.2\\Client"
#define MAX_STATES   8

static char *tmp_root;
static unsigned dir_seq;

static int group_setup(void **state)
{
	struct stat st;

	/* The matrix writes ~15,000 snapshots, each fsync'd: on a disk it
	 * waits more than it computes. A tmpfs makes fsync free. */
	if (!getenv("TMPDIR") && stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 0);
	tmp_root = t_tmpdir("faults");
	return tmp_root ? 0 : -1;
}

static int group_teardown(void **state)
{
	t_remove_tree(tmp_root);
	free(tmp_root);
	return 0;
}

static char *new_dir(const char *label)
{
	return xasprintf("%s/%s-%u", tmp_root, label, dir_seq++);
}

/* ---- copies and dumps of mem registries, fast (the matrix makes ~20,000) ---- */

static int copy_key(void *ctx, const struct mem_key_info *key)
{
	struct reg_backend *to = ctx;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	enum reg_view view;
	char *path = mem_logical_path(key->path, &view);
	size_t i;

	if (to->ops->create_key(to, view, path, &k, NULL, &err) != SC_OK)
		fail_msg("copy: %s", err.msg);
	for (i = 0; i < key->nvalues; i++)
		if (to->ops->write_value(to, k, key->value_names[i], key->values[i], &err) != SC_OK)
			fail_msg("copy: %s", err.msg);
	to->ops->close_key(to, k);
	free(path);
	return 0;
}

/* A copy of a mem registry: walking it beats parsing its .reg text. */
static struct reg_backend *mem_copy(const struct reg_backend *b)
{
	struct reg_backend *to = mem_backend_new();

	mem_walk(b, copy_key, to);
	return to;
}

static const struct mem_key_info *sorting; /* qsort has no context */

static int cmp_value_at(const void *a, const void *b)
{
	const char *x = sorting->value_names[*(const size_t *)a];
	const char *y = sorting->value_names[*(const size_t *)b];
	int c = strcmp_ci(x, y);

	return c ? c : strcmp(x, y);
}

static void add_hex(struct strbuf *sb, const struct reg_value *v)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < v->size; i++) {
		sb_addc(sb, digits[v->data[i] >> 4]);
		sb_addc(sb, digits[v->data[i] & 15]);
	}
}

static int dump_key(void *ctx, const struct mem_key_info *key)
{
	struct strbuf *sb = ctx;
	size_t *order = xcalloc(key->nvalues + 1, sizeof(*order)), i;

	for (i = 0; i < key->nvalues; i++)
		order[i] = i;
	sorting = key;
	qsort(order, key->nvalues, sizeof(*order), cmp_value_at);
	sb_adds(sb, "[");
	sb_adds(sb, key->path);
	sb_adds(sb, "]\n");
	for (i = 0; i < key->nvalues; i++) {
		const struct reg_value *v = key->values[order[i]];

		sb_addf(sb, "  \"%s\" %u:", key->value_names[order[i]], (unsigned)v->type);
		add_hex(sb, v);
		sb_addc(sb, '\n');
	}
	free(order);
	return 0;
}

/* Like mem_dump (every key, every value, in a canonical order: equal iff
 * the registries are), without a printf per byte. */
static char *dump(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;

	mem_walk(b, dump_key, &sb);
	return sb_detach(&sb);
}

/* ---- states and plans (as test_apply.c builds them) ---- */

static char *state_text(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;

	regfile_format_mem(b, &sb);
	return sb_detach(&sb);
}

static char *load_state(const char *path)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(t_src(path), &err);
	char *text;

	if (!b)
		fail_msg("%s", err.msg);
	text = state_text(b);
	reg_backend_free(b);
	return text;
}

/* Windows Server 2016 as found: the fixture plus the stock local list. */
static char *state_2016(void)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open("tests/fixtures/states/server2016.reg", &err);
	struct reg_key *k = NULL;
	size_t n;
	const char *const *order = suite_default_order(WR_2016, &n);
	struct reg_value v;
	char *text;

	if (!b)
		fail_msg("%s", err.msg);
	assert_true(regvalue_set_multi_sz(&v, (char *const *)order, n));
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, SUITES_LOCAL_KEY, &k, NULL, &err),
	                 SC_OK);
	assert_int_equal(b->ops->write_value(b, k, "Functions", &v, &err), SC_OK);
	b->ops->close_key(b, k);
	regvalue_free(&v);
	text = state_text(b);
	reg_backend_free(b);
	return text;
}

static char *builtin_name(size_t i)
{
	const char *f = builtin_profiles[i].file_name;

	return xstrndup(f, strlen(f) - strlen(".ini"));
}

/* Baselines ([profile] baseline =) run every BASELINE_STRIDE-th case. */
#define BASELINE_STRIDE 12

static void compile_builtin(const char *name, struct plan *plan)
{
	struct profile *p = NULL;
	struct diag d = {0};
	struct compile_options co = {0};
	struct strbuf sb = STRBUF_INIT;
	int rc = profile_load(name, NULL, &p, &d);

	if (rc == SC_OK)
		rc = compile_profile(p, &co, plan, &d);
	if (rc != SC_OK) {
		diag_format(&d, &sb);
		fail_msg("%s: %s", name, sb_str(&sb));
	}
	profile_free(p);
	diag_free(&d);
}

static struct apply_options options(const struct reg_backend *b, const char *dir,
                                    const char *profile)
{
	return (struct apply_options){
	    .backend = b,
	    .snapshot_dir = dir,
	    .label = {.profile = profile, .target = "state:/test/registry.reg", .now = NOW},
	};
}

/* The restore plan of a snapshot file (what `rollback` applies). */
static void restore_plan_of(const char *snapshot, struct plan *restore)
{
	struct snapshot s;
	struct sc_err err = {{0}};

	if (snapshot_load(snapshot, false, &s, &err) != SC_OK)
		fail_msg("%s", err.msg);
	snapshot_restore_plan(&s, snapshot, restore);
	snapshot_free(&s);
}

/* Rolls b back with a snapshot through b itself (healthy); true when it
 * then dumps as `want`. */
static bool restores_to(const char *snapshot, struct reg_backend *b, const char *dir,
                        const char *want)
{
	struct apply_options o = options(b, dir, "rollback");
	struct apply_result r;
	struct plan restore;
	enum apply_status st;
	char *d;
	bool same;

	restore_plan_of(snapshot, &restore);
	st = apply_plan(&restore, &o, &r);
	if (r.snapshot_path)
		unlink(r.snapshot_path);
	apply_result_free(&r);
	plan_free(&restore);
	d = dump(b);
	same = (st == APPLY_DONE || st == APPLY_NOTHING) && !strcmp(d, want);
	free(d);
	return same;
}

/* ---- registry comparison, value by value ---- */

/* Every key and value of a mem registry: id "path" for a key, "path\1name"
 * for a value, whose data is "type:hex" (NULL for a key); sorted by id. */
struct item {
	char *id, *data;
};

struct items {
	struct item *v;
	size_t n, cap;
};

static void add_item(struct items *it, char *id, char *data)
{
	xgrow(&it->v, &it->cap, it->n + 1, sizeof(*it->v));
	it->v[it->n++] = (struct item){id, data};
}

/* String data as readable text (ASCII, NULs as '|', others as \xNN), so a
 * violation report shows which suite changed; odd sizes end in hex. */
static void add_text(struct strbuf *sb, const struct reg_value *v)
{
	size_t i;

	for (i = 0; i + 1 < v->size; i += 2) {
		unsigned c = v->data[i] | (unsigned)v->data[i + 1] << 8;

		if (!c)
			sb_addc(sb, '|');
		else if (c >= 0x20 && c < 0x7f && c != '\\' && c != '|')
			sb_addc(sb, (char)c);
		else
			sb_addf(sb, "\\x%04x", c);
	}
	if (v->size % 2)
		sb_addf(sb, "\\x%02x", v->data[v->size - 1]);
}

static int collect_key(void *ctx, const struct mem_key_info *key)
{
	struct items *it = ctx;
	size_t i;

	add_item(it, xstrdup(key->path), NULL);
	for (i = 0; i < key->nvalues; i++) {
		const struct reg_value *v = key->values[i];
		struct strbuf sb = STRBUF_INIT;

		sb_addf(&sb, "%u:", (unsigned)v->type);
		if (v->type == RV_SZ || v->type == RV_MULTI_SZ)
			add_text(&sb, v);
		else
			add_hex(&sb, v);
		add_item(it, xasprintf("%s\1%s", key->path, key->value_names[i]), sb_detach(&sb));
	}
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->id, ((const struct item *)b)->id);
}

static void collect(const struct reg_backend *b, struct items *it)
{
	memset(it, 0, sizeof(*it));
	mem_walk(b, collect_key, it);
	qsort(it->v, it->n, sizeof(*it->v), cmp_item);
}

static void items_free(struct items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		free(it->v[i].id);
		free(it->v[i].data);
	}
	free(it->v);
}

/* The item `id` of it, or NULL. */
static const struct item *find_item(const struct items *it, const char *id)
{
	struct item key = {(char *)id, NULL};

	return it->n ? bsearch(&key, it->v, it->n, sizeof(*it->v), cmp_item) : NULL;
}

static bool same_item(const struct item *x, const struct item *y)
{
	if (!x || !y)
		return x == y;
	return !x->data == !y->data && (!x->data || !strcmp(x->data, y->data));
}

/* How a registry after a faulty run compares with the states before and
 * after a fault-free run, key by key and value by value. */
struct comparison {
	size_t keys_foreign;   /* keys present or absent as in neither */
	size_t values_before;  /* values as before (and not as after) */
	size_t values_foreign; /* values as in neither */
};

static void compare_item(const struct items *got, const struct items *before,
                         const struct items *after, const char *id, struct comparison *c)
{
	const struct item *g = find_item(got, id);
	bool value = strchr(id, '\1') != NULL;

	if (same_item(g, find_item(after, id)))
		return;
	if (same_item(g, find_item(before, id)))
		c->values_before += value;
	else if (value)
		c->values_foreign++;
	else
		c->keys_foreign++;
}

/* Walking several item lists, each id once: true in the first list that
 * has it. */
static bool first_listing(const struct items *const *lists, size_t i, const char *id)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (find_item(lists[j], id))
			return false;
	return true;
}

static const char *shown(const struct item *it)
{
	return !it ? "-" : it->data ? it->data : "(key)";
}

/* One line of a difference: around where got and want first differ (the
 * lines stay short: cmocka truncates long messages). */
static void print_data(const char *what, const struct item *it, const struct item *got,
                       const struct item *want)
{
	const char *g = shown(got), *w = shown(want), *t = shown(it);
	size_t at = 0, from;

	while (g[at] && g[at] == w[at])
		at++;
	from = at > 30 ? at - 30 : 0;
	if (from > strlen(t))
		from = 0;
	print_message("      %-10s %s%.80s%s\n", what, from ? "..." : "", t + from,
	              strlen(t + from) > 80 ? "..." : "");
}

/* Prints every key or value of got that is not as after (with before). */
static void print_differences(const struct reg_backend *got, const struct reg_backend *b,
                              const struct reg_backend *a)
{
	struct items g, bf, af;
	const struct items *const all[3] = {&g, &bf, &af};
	size_t i, j;

	collect(got, &g);
	collect(b, &bf);
	collect(a, &af);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < all[i]->n; j++) {
			const char *id = all[i]->v[j].id;
			const struct item *gi = find_item(&g, id), *ai = find_item(&af, id),
			                  *bi = find_item(&bf, id);

			if (same_item(gi, ai) || !first_listing(all, i, id))
				continue;
			print_message("    %s\n", id);
			print_data("before", bi, gi, ai);
			print_data("fault-free", ai, gi, ai);
			print_data("got", gi, gi, ai);
		}
	}
	items_free(&g);
	items_free(&bf);
	items_free(&af);
}

static void compare(const struct reg_backend *got, const struct reg_backend *b,
                    const struct reg_backend *a, struct comparison *c)
{
	struct items g, bf, af;
	const struct items *const all[3] = {&g, &bf, &af};
	size_t i, j;

	memset(c, 0, sizeof(*c));
	collect(got, &g);
	collect(b, &bf);
	collect(a, &af);
	for (i = 0; i < 3; i++)
		for (j = 0; j < all[i]->n; j++)
			if (first_listing(all, i, all[i]->v[j].id))
				compare_item(&g, &bf, &af, all[i]->v[j].id, c);
	items_free(&g);
	items_free(&bf);
	items_free(&af);
}

/* ---- one case ---- */

enum outcome {
	OUT_UNTOUCHED,
	OUT_RESTORED,
	OUT_RESTORABLE,
	OUT_DONE,
	OUT_HIDDEN,
	OUT_NOT_REACHED,
	OUT_KNOWN_WRITTEN, /* KNOWN_VIOLATIONS (1) */
	OUT_VIOLATION,
	OUT_N
};

static const char *const outcome_names[OUT_N] = {
    "untouched", "restored",    "restorable", "done",
    "hidden",    "not reached", "known (1)",  "VIOLATION",
};

/* What a phase (apply, or the rollback of its snapshot) starts from and
 * what a fault-free run of it gives. */
struct phase {
	const char *label; /* "profile on state: apply" */
	const struct plan *plan;
	const char *profile;
	struct reg_backend *start;  /* the registry before (each run gets a copy) */
	struct reg_backend *result; /* what the fault-free run left */
	char *before, *after;       /* their dumps */
	enum apply_status status;
	size_t calls[WRAP_NKINDS];
	char *snapshot; /* the fault-free run's snapshot, or NULL */
	const char *dir;
};

struct fault {
	enum wrap_call kind;
	size_t k;
	enum wrap_effect effect;
};

/* A run through a wrapper that has `f` armed (f NULL: none). */
struct run {
	enum apply_status status;
	struct reg_backend *b;
	char *dump, *snapshot;
	size_t calls[WRAP_NKINDS], writes, injected;
	char where[512];
};

static void run_phase(const struct phase *ph, const struct fault *f, struct run *out)
{
	struct reg_backend *w;
	struct apply_options o;
	struct apply_result r;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->b = mem_copy(ph->start);
	w = wrap_backend_new(out->b);
	o = options(w, ph->dir, ph->profile);
	if (f)
		wrap_inject(w, f->kind, f->k, f->effect);
	out->status = apply_plan(ph->plan, &o, &r);
	out->dump = dump(out->b);
	out->snapshot = r.snapshot_path ? xstrdup(r.snapshot_path) : NULL;
	for (i = 0; i < WRAP_NKINDS; i++)
		out->calls[i] = wrap_calls(w, (enum wrap_call)i);
	out->writes = wrap_write_calls(w);
	out->injected = wrap_faults_injected(w);
	snprintf(out->where, sizeof(out->where), "%s", wrap_last_fault(w));
	apply_result_free(&r);
	reg_backend_free(w);
}

static void run_free(struct run *r)
{
	if (r->snapshot)
		unlink(r->snapshot);
	free(r->snapshot);
	free(r->dump);
	reg_backend_free(r->b);
}

static bool is_lie(const struct fault *f)
{
	return f->effect != WRAP_FAIL;
}

/* Did a done run after a lie write a snapshot that restores the prior
 * state? (A run with nothing to do wrote none.) */
static bool snapshot_exact(const struct phase *ph, const struct run *r)
{
	struct reg_backend *copy;
	bool ok;

	if (!r->snapshot)
		return true;
	copy = mem_copy(r->b);
	ok = restores_to(r->snapshot, copy, ph->dir, ph->before);
	reg_backend_free(copy);
	return ok;
}

/* Done after a lie, but not as a fault-free run: one value left as it was
 * (hidden), or KNOWN_VIOLATIONS (1): one value written that is neither. */
static enum outcome classify_lie(const struct phase *ph, const struct run *r)
{
	struct comparison c;

	compare(r->b, ph->start, ph->result, &c);
	if (c.keys_foreign || c.values_before + c.values_foreign > 1)
		return OUT_VIOLATION;
	if (c.values_foreign)
		return r->status == APPLY_DONE ? OUT_KNOWN_WRITTEN : OUT_VIOLATION;
	return OUT_HIDDEN;
}

static enum outcome classify(const struct phase *ph, const struct fault *f, struct run *r)
{
	bool as_before = !strcmp(r->dump, ph->before), as_after = !strcmp(r->dump, ph->after);

	if (!r->injected)
		return r->status == ph->status && as_after ? OUT_NOT_REACHED : OUT_VIOLATION;
	switch (r->status) {
	case APPLY_INPUT_ERROR:
	case APPLY_READ_FAILED:
	case APPLY_REFUSED: return as_before && !r->writes ? OUT_UNTOUCHED : OUT_VIOLATION;
	case APPLY_ROLLED_BACK:
		if (!as_before)
			return OUT_VIOLATION;
		return r->writes ? OUT_RESTORED : OUT_UNTOUCHED;
	case APPLY_ROLLBACK_FAILED:
		return r->snapshot && restores_to(r->snapshot, r->b, ph->dir, ph->before)
		           ? OUT_RESTORABLE
		           : OUT_VIOLATION;
	case APPLY_DONE:
	case APPLY_NOTHING:
		if (as_after && (r->status == APPLY_DONE || ph->status == APPLY_NOTHING))
			return OUT_DONE;
		return is_lie(f) ? classify_lie(ph, r) : OUT_VIOLATION;
	}
	return OUT_VIOLATION;
}

/* ---- the matrix ---- */

static const char *const status_names[] = {
    "DONE", "NOTHING", "INPUT_ERROR", "REFUSED", "ROLLED_BACK", "ROLLBACK_FAILED",
};

struct tally {
	size_t cases, skipped;
	size_t by_outcome[OUT_N];
	size_t by_kind[WRAP_NKINDS][WRAP_NEFFECTS];
	size_t snapshot_inexact; /* KNOWN_VIOLATIONS (2) */
	size_t stride, seq;
	bool strict;
};

static struct tally tally;

/*
 * KNOWN_VIOLATIONS, found by this matrix in apply.c, which reads each
 * before-image once (during the diff) and trusts it:
 *  (1) a misread list (cipher-suite order, local or Group Policy) is edited
 *      and written back: a flipped byte in "TLS_..." ends as "ULS_..." in
 *      the registry, and the read-back check passes (it compares the write
 *      with itself). Status DONE, one value as in neither state.
 *  (2) a misread value goes into the snapshot as the prior state: the apply
 *      itself ends right (DONE, registry as fault-free), but rolling its
 *      snapshot back later "restores" the misread value.
 * Both vanish because apply re-reads each changed value's before-image before
 * writing the snapshot and refuses when the two reads differ (apply.c
 * confirm_before). They are printed, counted, and fatal unless
 * SC_MATRIX_STRICT=0; any other violation always fails.
 */
static void known_violation(const char *which, const struct phase *ph, const struct fault *f,
                            const struct run *r, size_t seen)
{
	if (seen < 3 || tally.strict)
		print_message("  known violation %s: %s, %s %s #%zu: %s\n", which, ph->label,
		              wrap_call_name(f->kind), wrap_effect_name(f->effect), f->k, r->where);
}

static bool violation(const struct phase *ph, const struct fault *f, const struct run *r)
{
	print_message("VIOLATION: %s, %s %s #%zu -> %s (fault: %s)\n", ph->label,
	              wrap_call_name(f->kind), wrap_effect_name(f->effect), f->k,
	              status_names[r->status], r->where[0] ? r->where : "none injected");
	print_differences(r->b, ph->start, ph->result);
	return false;
}

/* One case; false on a violation. */
static bool check_case(const struct phase *ph, const struct fault *f)
{
	struct run r;
	enum outcome out;

	if (tally.seq++ % tally.stride) {
		tally.skipped++;
		return true;
	}
	run_phase(ph, f, &r);
	out = classify(ph, f, &r);
	tally.cases++;
	tally.by_outcome[out]++;
	tally.by_kind[f->kind][f->effect]++;
	if (out == OUT_KNOWN_WRITTEN)
		known_violation("(1), a misread written", ph, f, &r,
		                tally.by_outcome[OUT_KNOWN_WRITTEN] - 1);
	if ((out == OUT_DONE || out == OUT_HIDDEN) && is_lie(f) && !snapshot_exact(ph, &r))
		known_violation("(2), the snapshot records a misread", ph, f, &r,
		                tally.snapshot_inexact++);
	if (out == OUT_VIOLATION)
		violation(ph, f, &r);
	run_free(&r);
	return out != OUT_VIOLATION;
}

/* Every kind x effect x k of one phase; returns the violations. */
static size_t check_phase(const struct phase *ph)
{
	size_t kind, k, bad = 0;
	int effect;

	for (kind = 0; kind < WRAP_NKINDS; kind++) {
		int last = kind == WRAP_READ ? WRAP_NEFFECTS - 1 : WRAP_FAIL;

		for (effect = WRAP_FAIL; effect <= last; effect++) {
			for (k = 1; k <= ph->calls[kind] + 1; k++) {
				struct fault f = {(enum wrap_call)kind, k,
				                  (enum wrap_effect)effect};

				bad += !check_case(ph, &f);
			}
		}
	}
	return bad;
}

/* Runs a phase from ph->start fault-free and keeps what it did. */
static void prepare_phase(struct phase *ph)
{
	struct run r;

	ph->before = dump(ph->start);
	run_phase(ph, NULL, &r);
	if (r.status != APPLY_DONE && r.status != APPLY_NOTHING)
		fail_msg("%s: a fault-free run ended %s", ph->label, status_names[r.status]);
	ph->status = r.status;
	memcpy(ph->calls, r.calls, sizeof(ph->calls));
	ph->after = xstrdup(r.dump);
	ph->result = r.b;
	ph->snapshot = r.snapshot;
	r.b = NULL;
	r.snapshot = NULL;
	run_free(&r);
}

static void phase_free(struct phase *ph)
{
	if (ph->snapshot)
		unlink(ph->snapshot);
	free(ph->snapshot);
	free(ph->before);
	free(ph->after);
	reg_backend_free(ph->start);
	reg_backend_free(ph->result);
}

/* The apply phase, then the rollback of its fault-free snapshot from the
 * state it left. Returns the violations. */
static size_t check_combo(const char *profile, const struct plan *plan, const char *text,
                          const char *label)
{
	char *dir = new_dir("m"), *l1 = xasprintf("%s: apply", label);
	char *l2 = xasprintf("%s: rollback", label);
	struct phase ap = {.label = l1, .plan = plan, .profile = profile, .dir = dir}, rb;
	struct plan restore = {0};
	size_t bad;

	ap.start = t_state(text);
	prepare_phase(&ap);
	bad = check_phase(&ap);
	if (ap.snapshot) {
		restore_plan_of(ap.snapshot, &restore);
		rb = (struct phase){.label = l2,
		                    .plan = &restore,
		                    .profile = "rollback",
		                    .start = mem_copy(ap.result),
		                    .dir = dir};
		prepare_phase(&rb);
		if (strcmp(rb.after, ap.before))
			fail_msg("%s: a fault-free rollback does not restore the prior state",
			         label);
		bad += check_phase(&rb);
		phase_free(&rb);
		plan_free(&restore);
	}
	phase_free(&ap);
	free(l1);
	free(l2);
	free(dir);
	return bad;
}

/* The 2016 machine with the first half of the plan's operations applied. */
static char *half_applied(const struct plan *p, const char *text_2016)
{
	struct reg_backend *b = t_state(text_2016);
	char *dir = new_dir("half"), *text;
	struct apply_options o = options(b, dir, "half");
	struct apply_result r;
	struct plan half = *p;
	enum apply_status st;

	half.nops = p->nops / 2;
	st = apply_plan(&half, &o, &r);
	assert_true(st == APPLY_DONE || st == APPLY_NOTHING);
	apply_result_free(&r);
	text = state_text(b);
	reg_backend_free(b);
	t_remove_tree(dir);
	free(dir);
	return text;
}

static size_t env_size(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end || !n ? dflt : (size_t)n;
}

/* The starting states: fixed ones, then examples/states/NAME.reg. names[] and
 * texts[] are xmalloc'd; the half-applied slot is filled per profile. */
static size_t matrix_states(char **names, char **texts)
{
	char **files;
	size_t n = 0, nfiles, i;

	names[n] = xstrdup("empty");
	texts[n++] = xstrdup("");
	names[n] = xstrdup("server2016");
	texts[n++] = state_2016();
	names[n] = xstrdup("server2019-hardened");
	texts[n++] = load_state("tests/fixtures/states/server2019-hardened.reg");
	names[n] = xstrdup("half-applied 2016");
	texts[n++] = NULL;
	files = t_list_files(t_src("examples/states"), ".reg", &nfiles);
	assert_true(nfiles >= 2 && n + nfiles <= MAX_STATES);
	for (i = 0; i < nfiles; i++) {
		const char *base = strrchr(files[i], '/');

		names[n] = xstrdup(base ? base + 1 : files[i]);
		texts[n++] = load_state(files[i]);
	}
	strlist_free(files, nfiles);
	return n;
}

static void print_tally(size_t combos)
{
	size_t i;

	print_message("fault matrix: %zu profiles, %zu (profile x state) pairs, %zu cases run "
	              "(%zu skipped by SC_MATRIX_STRIDE=%zu, and all but every %dth case of the "
	              "baselines):\n",
	              builtin_profile_count, combos, tally.cases, tally.skipped, tally.stride,
	              BASELINE_STRIDE);
	for (i = 0; i < OUT_N; i++)
		print_message("  %-12s %zu\n", outcome_names[i], tally.by_outcome[i]);
	print_message("  by call:");
	for (i = 0; i < WRAP_NKINDS; i++)
		print_message(" %s %zu", wrap_call_name((enum wrap_call)i), tally.by_kind[i][0]);
	print_message("; read_value lies: flip %zu, type %zu, presence %zu\n",
	              tally.by_kind[WRAP_READ][WRAP_LIE_FLIP],
	              tally.by_kind[WRAP_READ][WRAP_LIE_TYPE],
	              tally.by_kind[WRAP_READ][WRAP_LIE_PRESENCE]);
	print_message("  known (2)    %zu (of the done and hidden: the snapshot records a "
	              "misread)\n",
	              tally.snapshot_inexact);
}

static void test_fault_matrix(void **state)
{
	char *names[MAX_STATES], *texts[MAX_STATES];
	size_t nstates = matrix_states(names, texts), i, s, bad = 0, combos = 0, stride;

	memset(&tally, 0, sizeof(tally));
	stride = env_size("SC_MATRIX_STRIDE", 1);
	tally.strict = env_size("SC_MATRIX_STRICT", 1) != 0;
	assert_true(builtin_profile_count >= 6);
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct plan p = {0};

		/* The baselines compile to the same kinds of operations as the
		 * others, with many more of them: every BASELINE_STRIDE-th case
		 * keeps the matrix within CI's time (every case of the others). */
		tally.stride = stride * (t_is_baseline(name) ? BASELINE_STRIDE : 1);
		compile_builtin(name, &p);
		texts[3] = half_applied(&p, texts[1]);
		for (s = 0; s < nstates; s++) {
			char *label = xasprintf("%s on %s", name, names[s]);

			bad += check_combo(name, &p, texts[s], label);
			combos++;
			free(label);
		}
		free(texts[3]);
		texts[3] = NULL;
		plan_free(&p);
		free(name);
	}
	tally.stride = stride;
	print_tally(combos);
	for (s = 0; s < nstates; s++) {
		free(names[s]);
		free(texts[s]);
	}
	if (bad)
		fail_msg("%zu violations", bad);
	if (tally.strict && (tally.snapshot_inexact || tally.by_outcome[OUT_KNOWN_WRITTEN]))
		fail_msg("known violations (SC_MATRIX_STRICT): %zu written, %zu in snapshots",
		         tally.by_outcome[OUT_KNOWN_WRITTEN], tally.snapshot_inexact);
	assert_int_equal(tally.by_outcome[OUT_VIOLATION], 0);
}

/* ---- the wrapper's faults and lies themselves ---- */

/* Every kind is numbered on its own, in write-class and in "any"; a fault
 * armed on any counter fails exactly that call, and says which. */
static void test_wrap_numbering(void **state)
{
	struct reg_backend *b = t_state("[HKEY_LOCAL_MACHINE\\" TLS12_CLIENT "]\n"
	                                "\"Enabled\"=dword:00000001\n"),
	                   *w = wrap_backend_new(b);
	struct strbuf trace = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	struct reg_value v = {0};
	char *name = NULL;
	bool deleted;

	wrap_trace(w, &trace);
	assert_true(wrap_inject(w, WRAP_OPEN, 2, WRAP_FAIL));
	assert_true(wrap_inject(w, WRAP_ANY, 4, WRAP_FAIL));
	assert_true(wrap_inject(w, WRAP_ENUM_VALUE, 1, WRAP_FAIL));
	assert_true(wrap_inject(w, WRAP_RMKEY, 1, WRAP_FAIL));
	assert_true(wrap_inject(w, WRAP_OPEN, 0, WRAP_FAIL)); /* ignored */
	/* any #1, open #1 */
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, TLS12_CLIENT, REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	w->ops->close_key(w, k);
	/* any #2, open #2: fails, without reaching the registry */
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, TLS12_CLIENT, REG_ACCESS_READ, &k, &err),
	                 SC_ERROR);
	assert_non_null(strstr(err.msg, "injected fault at open_key call 2 (open)"));
	assert_non_null(strstr(err.msg, "HKLM\\" TLS12_CLIENT));
	assert_string_equal(wrap_last_fault(w), "open 64 " TLS12_CLIENT " read -> FAULT");
	/* any #3, create #1 (write-class #1) */
	assert_int_equal(w->ops->create_key(w, REG_VIEW_64, TLS12_CLIENT, &k, NULL, &err), SC_OK);
	/* any #4: a read this time */
	assert_int_equal(w->ops->read_value(w, k, "Enabled", &v, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "injected fault at backend call 4 (read)"));
	assert_int_equal(w->ops->enum_value(w, k, 0, &name, &err), SC_ERROR);
	assert_int_equal(w->ops->enum_subkey(w, k, 0, &name, &err), SC_NOT_FOUND);
	w->ops->close_key(w, k);
	assert_int_equal(w->ops->delete_key_if_empty(w, REG_VIEW_64, TLS12_CLIENT, &deleted, &err),
	                 SC_ERROR);
	assert_false(deleted);
	assert_non_null(strstr(err.msg, "delete_key_if_empty call 1 (rmkey)"));
	assert_int_equal(wrap_calls(w, WRAP_OPEN), 2);
	assert_int_equal(wrap_calls(w, WRAP_READ), 1);
	assert_int_equal(wrap_calls(w, WRAP_ENUM_KEY), 1);
	assert_int_equal(wrap_calls(w, WRAP_ENUM_VALUE), 1);
	assert_int_equal(wrap_calls(w, WRAP_WRITE_CLASS), 2);
	assert_int_equal(wrap_write_calls(w), 2);
	assert_int_equal(wrap_calls(w, WRAP_ANY), 7);
	assert_int_equal(wrap_faults_injected(w), 4);
	assert_int_equal(wrap_get_counts(w)->enums, 2);
	assert_true(t_has_value(b, REG_VIEW_64, TLS12_CLIENT, "Enabled"));
	assert_string_equal(sb_str(&trace), "open 64 " TLS12_CLIENT " read -> ok\n"
	                                    "open 64 " TLS12_CLIENT " read -> FAULT\n"
	                                    "create 64 " TLS12_CLIENT " -> ok\n"
	                                    "read " TLS12_CLIENT " \"Enabled\" -> FAULT\n"
	                                    "enumvalue " TLS12_CLIENT " #0 -> FAULT\n"
	                                    "enumkey " TLS12_CLIENT " #0 -> not found\n"
	                                    "rmkey 64 " TLS12_CLIENT " -> FAULT\n");
	/* Reset: numbering starts again, armed faults stay. */
	wrap_reset_counts(w);
	assert_string_equal(wrap_last_fault(w), "");
	assert_int_equal(wrap_calls(w, WRAP_ANY), 0);
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, "SYSTEM", REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	w->ops->close_key(w, k);
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, "SYSTEM", REG_ACCESS_READ, &k, &err),
	                 SC_ERROR);
	assert_string_equal(wrap_call_name(WRAP_WRITE_CLASS), "write-class");
	assert_string_equal(wrap_effect_name(WRAP_LIE_PRESENCE), "presence");
	sb_free(&trace);
	reg_backend_free(w);
	reg_backend_free(b);
}

/* Arms the next read with `how`, reads `name`, checks the return code. */
static void read_armed(struct reg_backend *w, struct reg_key *k, const char *name,
                       enum wrap_effect how, int want_rc, struct reg_value *got)
{
	struct sc_err err = {{0}};

	wrap_clear_faults(w);
	wrap_inject(w, WRAP_READ, wrap_calls(w, WRAP_READ) + 1, how);
	memset(got, 0, sizeof(*got));
	assert_int_equal(w->ops->read_value(w, k, name, got, &err), want_rc);
}

/* Each lie falsifies one read's answer and leaves the registry alone; one
 * with nothing to falsify passes the read through, uncounted. */
static void test_wrap_lies(void **state)
{
	struct reg_backend *b = t_state("[HKEY_LOCAL_MACHINE\\" TLS12_CLIENT "]\n"
	                                "\"Enabled\"=dword:00000001\n"
	                                "\"Empty\"=hex:\n"),
	                   *w = wrap_backend_new(b);
	char *before = t_dump(b), *after;
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	struct reg_value got;
	uint32_t d = 0;

	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, TLS12_CLIENT, REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	read_armed(w, k, "Enabled", WRAP_LIE_FLIP, SC_OK, &got);
	assert_true(regvalue_get_dword(&got, &d));
	assert_int_equal(d, 0);
	assert_string_equal(wrap_last_fault(w), "read " TLS12_CLIENT " \"Enabled\" -> LIE flip");
	regvalue_free(&got);
	read_armed(w, k, "Enabled", WRAP_LIE_TYPE, SC_OK, &got);
	assert_int_equal(got.type, RV_BINARY);
	assert_int_equal(got.size, 4);
	regvalue_free(&got);
	read_armed(w, k, "Enabled", WRAP_LIE_PRESENCE, SC_NOT_FOUND, &got);
	read_armed(w, k, "Missing", WRAP_LIE_PRESENCE, SC_OK, &got);
	assert_true(regvalue_get_dword(&got, &d));
	assert_int_equal(d, 0);
	regvalue_free(&got);
	/* Empty data cannot have a byte flipped: its type changes instead. */
	read_armed(w, k, "Empty", WRAP_LIE_FLIP, SC_OK, &got);
	assert_int_equal(got.type, RV_DWORD);
	assert_int_equal(got.size, 0);
	regvalue_free(&got);
	assert_int_equal(wrap_faults_injected(w), 5);
	/* Nothing to falsify: the truth, not counted. */
	read_armed(w, k, "Missing", WRAP_LIE_FLIP, SC_NOT_FOUND, &got);
	read_armed(w, k, "Missing", WRAP_LIE_TYPE, SC_NOT_FOUND, &got);
	assert_int_equal(wrap_faults_injected(w), 5);
	/* A lie armed on a call that is not a read passes it through. */
	wrap_clear_faults(w);
	wrap_inject(w, WRAP_ANY, wrap_calls(w, WRAP_ANY) + 1, WRAP_LIE_FLIP);
	w->ops->close_key(w, k);
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, TLS12_CLIENT, REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	assert_int_equal(wrap_faults_injected(w), 5);
	w->ops->close_key(w, k);
	after = t_dump(b);
	assert_string_equal(after, before);
	free(after);
	free(before);
	reg_backend_free(w);
	reg_backend_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wrap_numbering),
	    cmocka_unit_test(test_wrap_lies),
	    cmocka_unit_test(test_fault_matrix),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
