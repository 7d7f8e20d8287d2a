/*
 * Unit tests for apply.c, the transaction, on the mem backend: refusals,
 * nothing-to-do, success, rollback from the snapshot file, tampered and
 * out-of-scope snapshots, the lock, and the fault-injection matrix: for
 * every built-in profile, several starting states and every write-class
 * call k, an apply whose k-th write fails leaves the registry exactly as it
 * was (full dumps compared); one whose restore fails too says so, and the
 * snapshot it wrote still restores the prior state.
 */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
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
#include "platform.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"
#include "schema.h"
#include "snapshot.h"
#include "suites.h"

#define SCH          SCHANNEL_KEY
#define TLS12_CLIENT SCH "\\Protocols\\TLS 1.2\\Client"
#define RUN_KEY      "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"
#define NOW          ((time_t)1700000000)

/* ---- files ---- */

static char *tmp_root;
static unsigned dir_seq;

static int group_setup(void **state)
{
	tmp_root = t_tmpdir("apply");
	return tmp_root ? 0 : -1;
}

static int group_teardown(void **state)
{
	t_remove_tree(tmp_root);
	free(tmp_root);
	return 0;
}

/* A fresh snapshot folder path (not created: apply creates it). */
static char *new_dir(const char *label)
{
	return xasprintf("%s/%s-%u", tmp_root, label, dir_seq++);
}

/* Entries in a folder; 0 when it does not exist. */
static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- registries ---- */

static char *state_text(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;

	regfile_format_mem(b, &sb);
	return sb_detach(&sb);
}

static char *dump_text(const char *text)
{
	struct reg_backend *b = t_state(text);
	char *d = t_dump(b);

	reg_backend_free(b);
	return d;
}

static void put(const struct reg_backend *b, enum reg_view view, const char *path, const char *name,
                const struct reg_value *v)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    (name && b->ops->write_value(b, k, name, v, &err) != SC_OK))
		fail_msg("put %s: %s", path, err.msg);
	b->ops->close_key(b, k);
}

static void put_dword(const struct reg_backend *b, const char *path, const char *name, uint32_t d)
{
	struct reg_value v;

	regvalue_set_dword(&v, d);
	put(b, REG_VIEW_64, path, name, &v);
	regvalue_free(&v);
}

static struct reg_backend *load_fixture(const char *file)
{
	struct sc_err err = {{0}};
	char *path = xasprintf("tests/fixtures/states/%s", file);
	struct reg_backend *b = regfile_backend_open(t_src(path), &err);

	if (!b)
		fail_msg("%s", err.msg);
	free(path);
	return b;
}

/* Windows Server 2016 as found: the fixture plus the stock local list. */
static char *state_2016(void)
{
	struct reg_backend *b = load_fixture("server2016.reg");
	size_t n;
	const char *const *order = suite_default_order(WR_2016, &n);
	struct reg_value v;
	char *text;

	assert_true(regvalue_set_multi_sz(&v, (char *const *)order, n));
	put(b, REG_VIEW_64, SUITES_LOCAL_KEY, "Functions", &v);
	regvalue_free(&v);
	text = state_text(b);
	reg_backend_free(b);
	return text;
}

static char *state_hardened(void)
{
	struct reg_backend *b = load_fixture("server2019-hardened.reg");
	char *text = state_text(b);

	reg_backend_free(b);
	return text;
}

/* ---- plans ---- */

static char *builtin_name(size_t i)
{
	const char *f = builtin_profiles[i].file_name;

	return xstrndup(f, strlen(f) - strlen(".ini"));
}

static void compile_text(const char *name, const char *text, struct plan *plan)
{
	struct profile *p = NULL;
	struct diag d = {0};
	struct compile_options co = {0};
	struct strbuf sb = STRBUF_INIT;
	int rc = text ? profile_parse_text(name, text, strlen(text), NULL, &p, &d)
	              : profile_load(name, NULL, &p, &d);

	if (rc == SC_OK)
		rc = compile_profile(p, &co, plan, &d);
	if (rc != SC_OK) {
		diag_format(&d, &sb);
		fail_msg("%s: %s", name, sb_str(&sb));
	}
	profile_free(p);
	diag_free(&d);
}

static struct plan_op *add_op(struct plan *p, enum op_kind kind, const char *path, const char *name,
                              bool reboot)
{
	struct plan_op *op = plan_add(p, kind, AREA_RAW, REG_VIEW_64, path, name);

	op->source = xstrdup("test:1");
	op->reason = xstrdup("test");
	op->reboot = reboot;
	return op;
}

static void add_set(struct plan *p, const char *path, const char *name, uint32_t d, bool reboot)
{
	regvalue_set_dword(&add_op(p, OP_SET, path, name, reboot)->value, d);
}

static struct apply_options options(const struct reg_backend *b, const char *dir)
{
	return (struct apply_options){
	    .backend = b,
	    .snapshot_dir = dir,
	    .label = {.profile = "test", .target = "state:/test/registry.reg", .now = NOW},
	};
}

/* Loads a snapshot file and applies its restore plan to b. */
static enum apply_status rollback_from(const char *snapshot, const struct reg_backend *b,
                                       const char *dir, struct apply_result *r)
{
	struct snapshot s;
	struct plan restore;
	struct sc_err err = {{0}};
	struct apply_options o = options(b, dir);
	enum apply_status st;

	o.label.profile = "rollback";
	if (snapshot_load(snapshot, false, &s, &err) != SC_OK)
		fail_msg("%s", err.msg);
	snapshot_restore_plan(&s, snapshot, &restore);
	st = apply_plan(&restore, &o, r);
	plan_free(&restore);
	snapshot_free(&s);
	return st;
}

/* Removes the snapshot an apply wrote, so folders stay small. */
static void drop_snapshot(struct apply_result *r)
{
	if (r->snapshot_path)
		unlink(r->snapshot_path);
}

/* ---- refusals, nothing to do, success ---- */

static void test_nothing_when_compliant(void **state)
{
	char *text = state_2016();
	struct reg_backend *b = t_state(text), *w;
	char *dir = new_dir("first"), *dir2 = new_dir("second"), *before;
	struct apply_options o = options(b, dir);
	struct apply_result r;
	struct plan p = {0};

	compile_text("best-practices", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	apply_result_free(&r);

	before = t_dump(b);
	w = wrap_backend_new(b);
	o = options(w, dir2);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_NOTHING);
	assert_int_equal(r.diff.nchanged, 0);
	assert_int_equal(wrap_write_calls(w), 0);
	assert_true(wrap_get_counts(w)->reads > 0);
	assert_null(r.snapshot_path);
	assert_null(r.snapshot_id);
	assert_int_equal(r.writes, 0);
	assert_false(r.reboot);
	assert_int_equal(dir_entries(dir2), 0);
	{
		char *after = t_dump(b);

		assert_string_equal(after, before);
		free(after);
	}
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(before);
	free(dir);
	free(dir2);
	free(text);
}

static void test_success_writes_snapshot_first(void **state)
{
	char *text = xstrdup("");
	struct reg_backend *b = t_state(text), *w = wrap_backend_new(b);
	char *dir = new_dir("success");
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct snapshot s;
	struct sc_err err = {{0}};
	struct plan p = {0};
	size_t i, values = 0;

	compile_text("azure-mma-tls12", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	assert_true(r.reboot);
	assert_true(r.diff.nchanged > 0);
	assert_int_equal(r.executed, r.diff.nchanged);
	assert_true(r.writes > 0);
	assert_int_equal(dir_entries(dir), 1);
	assert_true(file_exists(r.snapshot_path));
	assert_non_null(r.snapshot_id);
	assert_non_null(strstr(r.snapshot_path, r.snapshot_id));
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.2\\Client", "Enabled"), 1);
	assert_int_equal(t_dword(b, REG_VIEW_32, DOTNET_KEY "\\v4.0.30319", "SchUseStrongCrypto"),
	                 1);

	/* The snapshot holds the before-image of exactly the changed values. */
	assert_int_equal(snapshot_load(r.snapshot_path, false, &s, &err), SC_OK);
	assert_string_equal(s.id, r.snapshot_id);
	assert_string_equal(s.profile, "test");
	assert_string_equal(s.target, "state:/test/registry.reg");
	for (i = 0; i < r.diff.n; i++)
		values += r.diff.entries[i].changed && r.diff.entries[i].op->name;
	assert_int_equal(s.nvalues, values);
	snapshot_free(&s);
	apply_result_free(&r);
	plan_free(&p);

	/* A change that needs no reboot (.NET reads it at process start). */
	plan_init(&p, "t");
	add_set(&p, DOTNET_KEY "\\v4.0.30319", "SystemDefaultTlsVersions", 1, false);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	assert_false(r.reboot);
	apply_result_free(&r);
	plan_free(&p);

	reg_backend_free(w);
	reg_backend_free(b);
	free(dir);
	free(text);
}

static void test_input_error_touches_nothing(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *dir = new_dir("input");
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct plan p;
	struct plan_op *op;
	char *items[] = {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"};
	struct reg_value v;

	assert_true(regvalue_set_multi_sz(&v, items, 1));
	put(b, REG_VIEW_64, SUITES_LOCAL_KEY, "Functions", &v);
	regvalue_free(&v);
	plan_init(&p, "t");
	op = add_op(&p, OP_LIST_EDIT, SUITES_LOCAL_KEY, "Functions", true);
	op->edit.format = LIST_MULTI_SZ;
	op->edit.want.remove = strlist_dup((char *[]){"TLS_DHE_*"}, 1);
	op->edit.want.nremove = 1;
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_INPUT_ERROR);
	assert_non_null(strstr(r.err.msg, "empty"));
	assert_int_equal(wrap_write_calls(w), 0);
	assert_int_equal(dir_entries(dir), 0);
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(dir);
}

/* A registry that cannot be read (access denied, I/O) is not an input
 * error: the apply says so (APPLY_READ_FAILED, exit 6) and touches nothing,
 * whether the read fails in the diff or in the second read of a
 * before-image. */
static void test_read_failure_is_not_input_error(void **state)
{
	static const enum wrap_call calls[] = {WRAP_OPEN, WRAP_READ};
	char *text = state_2016(), *before = dump_text(text), *after;
	struct plan p = {0};
	size_t i, k;

	compile_text("tls12-strict", NULL, &p);
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		for (k = 1; k <= 3; k++) {
			struct reg_backend *b = t_state(text), *w = wrap_backend_new(b);
			char *dir = new_dir("read");
			struct apply_options o = options(w, dir);
			struct apply_result r;

			assert_true(wrap_inject(w, calls[i], k, WRAP_FAIL));
			if (apply_plan(&p, &o, &r) != APPLY_READ_FAILED)
				fail_msg("%s call %zu: status %d: %s", wrap_call_name(calls[i]), k,
				         r.status, r.err.msg);
			assert_true(r.diff.read_failed || strstr(r.err.msg, "injected fault"));
			assert_int_equal(wrap_write_calls(w), 0);
			assert_int_equal(dir_entries(dir), 0);
			after = t_dump(b);
			assert_string_equal(after, before);
			free(after);
			apply_result_free(&r);
			reg_backend_free(w);
			reg_backend_free(b);
			free(dir);
		}
	}
	plan_free(&p);
	free(before);
	free(text);
}

/* Lines of `trace` that start with `prefix`. */
static size_t trace_lines(const struct strbuf *trace, const char *prefix)
{
	const char *line = sb_str(trace);
	size_t n = 0, len = strlen(prefix);

	for (; *line; line = strchr(line, '\n') + 1)
		n += strncmp(line, prefix, len) == 0;
	return n;
}

#define TLS12_SERVER SCH "\\Protocols\\TLS 1.2\\Server"

/* The second read of the before-images opens each key once, however many
 * of its values change (two here), and still refuses a value that reads
 * differently through the key it opened for an earlier value. */
static void test_confirm_opens_each_key_once(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *dir = new_dir("confirm"), *before, *snap;
	struct apply_options o = options(w, dir);
	struct strbuf trace = STRBUF_INIT;
	struct apply_result r;
	struct plan p;
	size_t diff_reads;

	put_dword(b, TLS12_CLIENT, "Enabled", 0);
	put_dword(b, TLS12_CLIENT, "DisabledByDefault", 1);
	put_dword(b, TLS12_SERVER, "Enabled", 0);
	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1, true);
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0, true);
	add_set(&p, TLS12_SERVER, "Enabled", 1, true);
	before = t_dump(b);
	wrap_trace(w, &trace);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	/* One open in the diff, one in confirm_before (the executor creates). */
	assert_int_equal(trace_lines(&trace, "open 64 " TLS12_CLIENT " read"), 2);
	assert_int_equal(trace_lines(&trace, "open 64 " TLS12_SERVER " read"), 2);
	/* Each value: the diff's read, the second read, the read-back. */
	assert_int_equal(trace_lines(&trace, "read " TLS12_CLIENT " \"DisabledByDefault\""), 3);
	diff_reads = r.diff.reads;
	snap = xstrdup(r.snapshot_path);
	apply_result_free(&r);
	wrap_trace(w, NULL);
	sb_free(&trace);
	assert_int_equal(rollback_from(snap, b, dir, &r), APPLY_DONE);
	apply_result_free(&r);
	free(snap);

	/* A lie on the second value's second read: refused, nothing written. */
	reg_backend_free(w);
	w = wrap_backend_new(b);
	o = options(w, dir);
	assert_true(wrap_inject(w, WRAP_READ, diff_reads + 2, WRAP_LIE_FLIP));
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_REFUSED);
	assert_non_null(strstr(r.err.msg, "\"DisabledByDefault\" read differently twice"));
	assert_int_equal(wrap_faults_injected(w), 1);
	assert_int_equal(wrap_write_calls(w), 0);
	{
		char *after = t_dump(b);

		assert_string_equal(after, before);
		free(after);
	}
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(before);
	free(dir);
}

static void test_snapshot_unwritable_refuses(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *file = xasprintf("%s/not-a-folder", tmp_root);
	char *dir = xasprintf("%s/snapshots", file);
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct plan p;
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fclose(f);
	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1, true);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_REFUSED);
	assert_non_null(strstr(r.err.msg, "nothing was changed"));
	assert_int_equal(wrap_write_calls(w), 0);
	assert_false(t_has_value(b, REG_VIEW_64, TLS12_CLIENT, "Enabled"));
	apply_result_free(&r);

	/* No folder at all: refused, never an apply without a snapshot. */
	o.snapshot_dir = NULL;
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_REFUSED);
	assert_non_null(strstr(r.err.msg, "nothing was changed"));
	assert_int_equal(wrap_write_calls(w), 0);
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(dir);
	free(file);
}

/* The snapshot is on disk before the first write-class call reaches the
 * registry: every such call checks the snapshot folder first. */
static const char *watched_dir;
static size_t writes_seen, writes_before_snapshot;

static void saw_write(void)
{
	writes_seen++;
	if (dir_entries(watched_dir) != 1)
		writes_before_snapshot++;
}

static int watch_create(const struct reg_backend *b, enum reg_view view, const char *path,
                        struct reg_key **key, bool *created, struct sc_err *err)
{
	saw_write();
	return mem_op_create_key(b, view, path, key, created, err);
}

static int watch_write(const struct reg_backend *b, struct reg_key *key, const char *name,
                       const struct reg_value *value, struct sc_err *err)
{
	saw_write();
	return mem_op_write_value(b, key, name, value, err);
}

static int watch_delete(const struct reg_backend *b, struct reg_key *key, const char *name,
                        struct sc_err *err)
{
	saw_write();
	return mem_op_delete_value(b, key, name, err);
}

static int watch_rmkey(const struct reg_backend *b, enum reg_view view, const char *path,
                       bool *deleted, struct sc_err *err)
{
	saw_write();
	return mem_op_delete_key_if_empty(b, view, path, deleted, err);
}

static void test_no_write_before_snapshot(void **state)
{
	char *text = state_2016();
	struct reg_backend *b = t_state(text), *watched;
	struct t_front front;
	char *dir = new_dir("order");
	struct apply_options o;
	struct apply_result r;
	struct plan p = {0};

	watched = t_front_init(&front, b);
	front.ops.create_key = watch_create;
	front.ops.write_value = watch_write;
	front.ops.delete_value = watch_delete;
	front.ops.delete_key_if_empty = watch_rmkey;
	watched_dir = dir;
	writes_seen = writes_before_snapshot = 0;
	o = options(watched, dir);
	compile_text("best-practices", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	assert_true(writes_seen > 10);
	assert_int_equal(writes_before_snapshot, 0);
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(b);
	free(dir);
	free(text);
}

/* The wrapper itself: counts, fault numbering, traces. */
static void test_wrapper(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	const struct wrap_counts *c = wrap_get_counts(w);
	struct strbuf trace = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	struct reg_value v = {0}, got = {0};
	char *name = NULL;
	bool deleted;
	size_t i;

	assert_true(wrap_backend_is(w));
	assert_false(wrap_backend_is(b));
	wrap_trace(w, &trace);
	assert_int_equal(w->ops->open_key(w, REG_VIEW_64, TLS12_CLIENT, REG_ACCESS_READ, &k, &err),
	                 SC_NOT_FOUND);
	assert_int_equal(w->ops->create_key(w, REG_VIEW_64, TLS12_CLIENT, &k, NULL, &err), SC_OK);
	regvalue_set_dword(&v, 1);
	assert_int_equal(w->ops->write_value(w, k, "Enabled", &v, &err), SC_OK);
	assert_int_equal(w->ops->read_value(w, k, "Enabled", &got, &err), SC_OK);
	assert_true(regvalue_equal(&got, &v));
	regvalue_free(&got);
	assert_int_equal(w->ops->enum_value(w, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "Enabled");
	free(name);
	assert_int_equal(w->ops->enum_subkey(w, k, 0, &name, &err), SC_NOT_FOUND);
	wrap_fail_write(w, 3);
	assert_int_equal(w->ops->delete_value(w, k, "Enabled", &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "injected fault at write-class call 3 (delete)"));
	assert_non_null(strstr(err.msg, "HKLM\\" TLS12_CLIENT " \"Enabled\""));
	assert_true(t_has_value(b, REG_VIEW_64, TLS12_CLIENT, "Enabled"));
	assert_int_equal(w->ops->delete_value(w, k, "Enabled", &err), SC_OK);
	w->ops->close_key(w, k);
	assert_int_equal(w->ops->delete_key_if_empty(w, REG_VIEW_64, TLS12_CLIENT, &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(c->opens, 1);
	assert_int_equal(c->creates, 1);
	assert_int_equal(c->writes, 1);
	assert_int_equal(c->reads, 1);
	assert_int_equal(c->enums, 2);
	assert_int_equal(c->deletes, 2);
	assert_int_equal(c->key_deletes, 1);
	assert_int_equal(c->closes, 1);
	assert_int_equal(wrap_write_calls(w), 5);
	assert_int_equal(wrap_faults_injected(w), 1);
	assert_string_equal(sb_str(&trace), "open 64 " TLS12_CLIENT " read -> not found\n"
	                                    "create 64 " TLS12_CLIENT " -> ok\n"
	                                    "write " TLS12_CLIENT " \"Enabled\" REG_DWORD -> ok\n"
	                                    "read " TLS12_CLIENT " \"Enabled\" -> ok\n"
	                                    "enumvalue " TLS12_CLIENT " #0 -> ok\n"
	                                    "enumkey " TLS12_CLIENT " #0 -> not found\n"
	                                    "delete " TLS12_CLIENT " \"Enabled\" -> FAULT\n"
	                                    "delete " TLS12_CLIENT " \"Enabled\" -> ok\n"
	                                    "rmkey 64 " TLS12_CLIENT " -> ok\n");
	regvalue_free(&v);

	/* From k on, everything fails; cleared, nothing does. */
	wrap_trace(w, NULL);
	wrap_reset_counts(w);
	wrap_clear_faults(w);
	wrap_fail_writes_from(w, 2);
	assert_int_equal(w->ops->create_key(w, REG_VIEW_64, "SOFTWARE\\A", &k, NULL, &err), SC_OK);
	w->ops->close_key(w, k);
	assert_int_equal(w->ops->create_key(w, REG_VIEW_64, "SOFTWARE\\B", &k, NULL, &err),
	                 SC_ERROR);
	assert_int_equal(w->ops->delete_key_if_empty(w, REG_VIEW_64, "SOFTWARE\\A", &deleted, &err),
	                 SC_ERROR);
	assert_false(deleted);
	wrap_clear_faults(w);
	assert_int_equal(w->ops->delete_key_if_empty(w, REG_VIEW_64, "SOFTWARE\\A", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(wrap_faults_injected(w), 2);
	for (i = 0; i < WRAP_MAX_FAULTS; i++)
		assert_true(wrap_fail_write(w, 100 + i));
	assert_false(wrap_fail_write(w, 999));
	sb_free(&trace);
	reg_backend_free(w);
	reg_backend_free(b);
}

/* ---- failures after the first write ---- */

/* A backend whose commit fails, as a .reg file's save can (a full disk). */
static int commit_calls;

static int fail_commit(const struct reg_backend *b, struct sc_err *err)
{
	(void)b;
	++commit_calls;
	return sc_err_set(err, "the state file could not be saved");
}

static struct reg_backend *failing_commit_state(const char *text, struct t_front *f)
{
	struct reg_backend *b = t_front_init(f, t_state(text));

	f->ops.commit = fail_commit;
	return b;
}

/* A backend in front of another whose k-th write_value raises a signal
 * (as Ctrl-C or a service stop would arrive mid-transaction). */
static const struct reg_backend *signal_inner;
static int signal_at, signal_writes, signal_number;

static int write_then_signal(const struct reg_backend *b, struct reg_key *key, const char *name,
                             const struct reg_value *v, struct sc_err *err)
{
	(void)b;
	if (++signal_writes == signal_at)
		raise(signal_number);
	return signal_inner->ops->write_value(signal_inner, key, name, v, err);
}

/* SIGTERM or SIGINT during EXECUTE (the real platform guard, not a mock):
 * the transaction stops before the next change, restores, says why, and
 * the process lives to report it. */
static void test_interrupted_restores(void **state)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	char *text = state_2016(), *before = dump_text(text), *after;
	struct plan p = {0};
	struct sigaction before_sa, after_sa;
	size_t i;

	sigaction(SIGTERM, NULL, &before_sa);
	compile_text("tls12-strict", NULL, &p);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct reg_backend *b = t_state(text);
		struct t_front front;
		char *dir = new_dir("signal");
		struct apply_options o = options(t_front_init(&front, b), dir);
		struct apply_result r;

		front.ops.write_value = write_then_signal;
		signal_inner = b;
		signal_at = 3;
		signal_writes = 0;
		signal_number = sigs[i];
		o.guard_signals = true;
		assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLED_BACK);
		assert_non_null(strstr(r.err.msg, "interrupted by SIG"));
		assert_true(file_exists(r.snapshot_path));
		after = t_dump(b);
		assert_string_equal(after, before);
		free(after);
		apply_result_free(&r);
		reg_backend_free(b);
		free(dir);
	}
	/* After the transaction the handling is what it was before. */
	sigaction(SIGTERM, NULL, &after_sa);
	assert_true(after_sa.sa_handler == before_sa.sa_handler);
	plan_free(&p);
	free(before);
	free(text);
}

static void test_commit_failure_restores(void **state)
{
	char *text = state_2016(), *before = dump_text(text), *after;
	struct t_front front;
	struct reg_backend *b = failing_commit_state(text, &front), *w = wrap_backend_new(b);
	char *dir = new_dir("commit");
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct plan p = {0};
	size_t n;

	compile_text("tls12-strict", NULL, &p);
	/* The write-class calls of a whole successful run. */
	{
		struct reg_backend *b2 = t_state(text), *w2 = wrap_backend_new(b2);
		struct apply_options o2 = options(w2, dir);

		assert_int_equal(apply_plan(&p, &o2, &r), APPLY_DONE);
		n = wrap_write_calls(w2);
		apply_result_free(&r);
		reg_backend_free(w2);
		reg_backend_free(b2);
	}
	commit_calls = 0;
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLED_BACK);
	assert_int_equal(commit_calls, 1); /* through the wrapper, once */
	assert_non_null(strstr(r.err.msg, "could not be saved"));
	assert_true(file_exists(r.snapshot_path));
	after = t_dump(b);
	assert_string_equal(after, before);
	free(after);
	apply_result_free(&r);

	/* A commit failure whose restore fails too: its first write fails. */
	assert_int_equal(wrap_write_calls(w), 2 * n);
	reg_backend_free(w);
	reg_backend_free(front.base.mem);
	b = failing_commit_state(text, &front);
	w = wrap_backend_new(b);
	o.backend = w;
	wrap_fail_write(w, n + 1);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLBACK_FAILED);
	assert_non_null(strstr(r.restore_err.msg, "injected fault"));
	assert_true(file_exists(r.snapshot_path));
	apply_result_free(&r);

	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(front.base.mem);
	free(dir);
	free(before);
	free(text);
}

/* A backend that stores something else than it is given, once. */
static int (*real_write)(const struct reg_backend *, struct reg_key *, const char *,
                         const struct reg_value *, struct sc_err *);
static int lies_left;

static int lying_write(const struct reg_backend *b, struct reg_key *key, const char *name,
                       const struct reg_value *value, struct sc_err *err)
{
	struct reg_value other;
	int rc;

	if (!lies_left || value->type != RV_DWORD)
		return real_write(b, key, name, value, err);
	lies_left--;
	regvalue_set_dword(&other, 0x5a5a5a5a);
	rc = real_write(b, key, name, &other, err);
	regvalue_free(&other);
	return rc;
}

static void test_verify_failure_restores(void **state)
{
	char *text = state_2016(), *before = dump_text(text), *after;
	struct reg_backend *b = t_state(text);
	struct t_front liar;
	char *dir = new_dir("verify");
	struct apply_options o = options(t_front_init(&liar, b), dir);
	struct apply_result r;
	struct plan p = {0};

	real_write = mem_op_write_value;
	liar.ops.write_value = lying_write;
	lies_left = 1;
	compile_text("best-practices", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLED_BACK);
	assert_non_null(strstr(r.err.msg, "read back"));
	after = t_dump(b);
	assert_string_equal(after, before);
	free(after);
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(b);
	free(dir);
	free(before);
	free(text);
}

/* The automatic restore deletes values without creating keys to do so. */
static void test_restore_creates_nothing(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *dir = new_dir("nocreate");
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct plan p;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1, true);
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0, true);
	add_set(&p, SCH "\\Protocols\\TLS 1.2\\Server", "Enabled", 1, true);
	wrap_fail_write(w, 1); /* the create_key of the first write */
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLED_BACK);
	assert_int_equal(wrap_get_counts(w)->creates, 1);
	assert_int_equal(wrap_get_counts(w)->writes, 0);
	assert_int_equal(wrap_get_counts(w)->deletes, 0);
	{
		char *d = t_dump(b);

		assert_string_equal(d, "");
		free(d);
	}
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(dir);
}

/* A restore write that fails does not stop the restore: every other
 * value is still put back, and the result says the state is uncertain. */
static void test_restore_is_best_effort(void **state)
{
	struct reg_backend *b = t_state("[HKEY_LOCAL_MACHINE\\" TLS12_CLIENT "]\n"
	                                "\"Enabled\"=dword:00000000\n"
	                                "\"DisabledByDefault\"=dword:00000001\n"
	                                "\"Other\"=dword:00000005\n"),
	                   *w = wrap_backend_new(b);
	char *dir = new_dir("besteffort");
	struct apply_options o = options(w, dir);
	struct apply_result r;
	struct plan p;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1, true);
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0, true);
	add_set(&p, TLS12_CLIENT, "Other", 6, true);
	/* Apply: create(1) write(2) write(3) write(4, fails); restore:
	 * create(5) write(6, fails) write(7) write(8). */
	wrap_fail_write(w, 4);
	wrap_fail_write(w, 6);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_ROLLBACK_FAILED);
	assert_non_null(strstr(r.err.msg, "\"Other\""));
	assert_non_null(strstr(r.restore_err.msg, "\"Enabled\""));
	assert_int_equal(wrap_write_calls(w), 8);
	assert_int_equal(t_dword(b, REG_VIEW_64, TLS12_CLIENT, "Enabled"), 1);
	assert_int_equal(t_dword(b, REG_VIEW_64, TLS12_CLIENT, "DisabledByDefault"), 1);
	assert_int_equal(t_dword(b, REG_VIEW_64, TLS12_CLIENT, "Other"), 5);
	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
	free(dir);
}

/* ---- rollback ---- */

static void test_rollback_roundtrip(void **state)
{
	char *text = state_2016(), *before = dump_text(text), *d, *first;
	struct reg_backend *b = t_state(text);
	char *dir = new_dir("rollback");
	struct apply_options o = options(b, dir);
	struct apply_result r;
	struct snapshot s;
	struct sc_err err = {{0}};
	struct plan p = {0};

	compile_text("best-practices", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	first = xstrdup(r.snapshot_path);
	apply_result_free(&r);

	assert_int_equal(rollback_from(first, b, dir, &r), APPLY_DONE);
	d = t_dump(b);
	assert_string_equal(d, before);
	free(d);
	/* The rollback wrote its own snapshot first: the state it replaced. */
	assert_non_null(r.snapshot_path);
	assert_string_not_equal(r.snapshot_path, first);
	assert_true(file_exists(r.snapshot_path));
	assert_int_equal(dir_entries(dir), 2);
	assert_int_equal(snapshot_load(r.snapshot_path, false, &s, &err), SC_OK);
	assert_string_equal(s.profile, "rollback");
	assert_true(s.nvalues > 0);
	snapshot_free(&s);
	apply_result_free(&r);

	/* Idempotent: the second time there is nothing to do. */
	assert_int_equal(rollback_from(first, b, dir, &r), APPLY_NOTHING);
	assert_null(r.snapshot_path);
	assert_int_equal(dir_entries(dir), 2);
	apply_result_free(&r);
	d = t_dump(b);
	assert_string_equal(d, before);
	free(d);

	plan_free(&p);
	reg_backend_free(b);
	free(first);
	free(dir);
	free(before);
	free(text);
}

/* Keys the apply created are removed on rollback, except one that someone
 * filled in meanwhile, which is left with what it holds. */
static void test_rollback_keeps_filled_created_key(void **state)
{
	struct reg_backend *b = t_state("");
	char *dir = new_dir("filled"), *snap, *d;
	struct apply_options o = options(b, dir);
	struct apply_result r;
	struct plan p = {0};

	compile_text("best-practices", NULL, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	snap = xstrdup(r.snapshot_path);
	apply_result_free(&r);
	put_dword(b, SCH "\\Protocols\\TLS 1.2\\Server", "Foreign", 7);

	assert_int_equal(rollback_from(snap, b, dir, &r), APPLY_DONE);
	apply_result_free(&r);
	d = t_dump(b);
	assert_string_equal(d, "[SYSTEM]\n"
	                       "[SYSTEM\\CurrentControlSet]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	                       "Protocols]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	                       "Protocols\\TLS 1.2]\n"
	                       "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	                       "Protocols\\TLS 1.2\\Server]\n"
	                       "  \"Foreign\" REG_DWORD:07000000\n");
	free(d);
	assert_int_equal(rollback_from(snap, b, dir, &r), APPLY_NOTHING);
	apply_result_free(&r);

	plan_free(&p);
	reg_backend_free(b);
	free(snap);
	free(dir);
}

/* A rollback re-creates keys the apply removed, empty ones included; if
 * that rollback fails, its own restore removes them all again. */
static void test_rollback_of_removed_keys_is_transactional(void **state)
{
	static const char profile[] = "[profile]\n"
	                              "name = tls10-default\n"
	                              "summary = TLS 1.0 back to the OS default\n"
	                              "\n"
	                              "[protocol \"TLS 1.0\"]\n"
	                              "client = default\n"
	                              "server = default\n";
	static const char reg[] = "[HKEY_LOCAL_MACHINE\\" SCH "\\Protocols\\TLS 1.0\\Client]\n"
	                          "\n"
	                          "[HKEY_LOCAL_MACHINE\\" SCH "\\Protocols\\TLS 1.0\\Server]\n"
	                          "\"Enabled\"=dword:00000001\n";
	struct reg_backend *b = t_state(reg), *w;
	char *before = t_dump(b), *removed, *d, *snap, *removed_text;
	char *dir = new_dir("removed");
	struct apply_options o = options(b, dir);
	struct apply_result r;
	struct plan p = {0};
	size_t n, k;

	compile_text("tls10-default.ini", profile, &p);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	snap = xstrdup(r.snapshot_path);
	apply_result_free(&r);
	removed = t_dump(b);
	assert_null(strstr(removed, "TLS 1.0"));
	removed_text = state_text(b);

	/* Count the rollback's writes, then fail each in turn. */
	reg_backend_free(b);
	b = t_state(removed_text);
	w = wrap_backend_new(b);
	assert_int_equal(rollback_from(snap, w, dir, &r), APPLY_DONE);
	d = t_dump(b);
	assert_string_equal(d, before);
	free(d);
	n = wrap_write_calls(w);
	apply_result_free(&r);
	reg_backend_free(w);
	reg_backend_free(b);
	for (k = 1; k <= n; k++) {
		b = t_state(removed_text);
		w = wrap_backend_new(b);
		wrap_fail_write(w, k);
		assert_int_equal(rollback_from(snap, w, dir, &r), APPLY_ROLLED_BACK);
		d = t_dump(b);
		if (strcmp(d, removed))
			fail_msg("rollback failing at write %zu of %zu left:\n%s\nexpected:\n%s", k,
			         n, d, removed);
		free(d);
		drop_snapshot(&r);
		apply_result_free(&r);
		reg_backend_free(w);
		reg_backend_free(b);
	}
	plan_free(&p);
	free(removed_text);
	free(removed);
	free(before);
	free(snap);
	free(dir);
}

/* ---- tampered and out-of-scope snapshots ---- */

static char *read_text(const char *path)
{
	struct sc_err err = {{0}};
	size_t size, len;
	char *bytes = read_file(path, REGFILE_MAX_SIZE, &size, &err), *text;

	if (!bytes)
		fail_msg("%s", err.msg);
	assert_true(size >= 2 && (uint8_t)bytes[0] == 0xFF && (uint8_t)bytes[1] == 0xFE);
	text = utf16le_bytes_to_utf8((const uint8_t *)bytes + 2, size - 2, &len);
	free(bytes);
	return text;
}

static void write_bytes(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	fclose(f);
}

static void write_text(const char *path, const char *text)
{
	size_t size;
	uint8_t *bytes = regfile_encode(text, strlen(text), REGFILE_UTF16LE, &size);

	write_bytes(path, bytes, size);
	free(bytes);
}

/* text with the first `from` replaced by `to` (which must be present). */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);

	if (!at)
		fail_msg("\"%s\" not in the snapshot", from);
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static void assert_refused(const char *path, bool allow_any_key, const char *why)
{
	struct snapshot s;
	struct sc_err err = {{0}};

	if (snapshot_load(path, allow_any_key, &s, &err) == SC_OK) {
		snapshot_free(&s);
		fail_msg("a snapshot with %s was accepted", why);
	}
	assert_true(strlen(err.msg) > 0);
}

static void test_tampered_snapshot_refused(void **state)
{
	struct reg_backend *b = t_state("");
	char *dir = new_dir("tamper"), *orig, *bad, *t;
	struct apply_options o = options(b, dir);
	struct apply_result r;
	struct snapshot s;
	struct sc_err err = {{0}};
	struct plan p;
	size_t size;
	char *bytes;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1, true);
	add_set(&p, SCH "\\Protocols\\TLS 1.0\\Server", "Enabled", 0, true);
	assert_int_equal(apply_plan(&p, &o, &r), APPLY_DONE);
	orig = read_text(r.snapshot_path);
	/* A copy keeps its name: the name is the id. */
	bad = xasprintf("%s/%s.reg", tmp_root, r.snapshot_id);

	/* The untouched file, rewritten byte for byte, is accepted. */
	write_text(bad, orig);
	assert_int_equal(snapshot_load(bad, false, &s, &err), SC_OK);
	snapshot_free(&s);

	/* One character of the body. */
	t = replaced(orig, "Protocols\\TLS 1.2\\Client]", "Protocols\\TLS 1.3\\Client]");
	write_text(bad, t);
	assert_refused(bad, false, "a changed key name");
	free(t);
	t = replaced(orig, "\"Enabled\"=-", "\"Enablee\"=-");
	write_text(bad, t);
	assert_refused(bad, false, "a changed value name");
	free(t);

	/* The header: every field is covered by the integrity check. */
	t = replaced(orig, "; profile: test", "; profile: tesT");
	write_text(bad, t);
	assert_refused(bad, false, "an edited profile line");
	free(t);
	t = replaced(orig, "; target: state:/test/registry.reg", "; target: live");
	write_text(bad, t);
	assert_refused(bad, false, "an edited target line");
	free(t);
	t = replaced(orig, "; tool:", "; created-above-root: 64 SYSTEM\r\n; tool:");
	write_text(bad, t);
	assert_refused(bad, false, "an added header line");
	free(t);

	/* Truncated: an even number of bytes (valid UTF-16), then an odd one. */
	bytes = read_file(r.snapshot_path, REGFILE_MAX_SIZE, &size, &err);
	assert_non_null(bytes);
	write_bytes(bad, bytes, size - 40);
	assert_refused(bad, false, "the end cut off");
	write_bytes(bad, bytes, size - 1);
	assert_refused(bad, false, "an odd size");
	/* One byte flipped anywhere after the header line. */
	bytes[size - 8] ^= 0x01;
	write_bytes(bad, bytes, size);
	assert_refused(bad, false, "one flipped byte");
	free(bytes);

	apply_result_free(&r);
	plan_free(&p);
	reg_backend_free(b);
	free(orig);
	free(bad);
	free(dir);
}

static void test_snapshot_outside_roots_refused(void **state)
{
	struct snapshot s = {0}, back;
	struct strbuf sb = STRBUF_INIT;
	struct sc_err err = {{0}};
	char *path = xasprintf("%s/20231114T221320Z-0001-evil.reg", tmp_root), *t;
	struct reg_value v;

	s.id = xstrdup("20231114T221320Z-0001-evil");
	s.time = xstrdup("2023-11-14T22:13:20Z");
	s.profile = xstrdup("evil");
	s.target = xstrdup("live");
	s.machine = xstrdup("-");
	s.tool = xstrdup("0");
	s.values = xcalloc(1, sizeof(*s.values));
	s.nvalues = s.vcap = 1;
	s.values[0].path = xstrdup(RUN_KEY);
	s.values[0].name = xstrdup("Updater");
	s.values[0].present = true;
	assert_true(regvalue_set_string(&v, RV_SZ, "C:\\evil.exe"));
	s.values[0].value = v;
	snapshot_format(&s, &sb);
	write_text(path, sb_str(&sb));
	assert_refused(path, false, "a value under ...\\CurrentVersion\\Run");
	/* --allow-any-key is not enough: the apply must have run with it. */
	assert_refused(path, true, "a Run value in a snapshot taken without --allow-any-key");
	sb_free(&sb);
	s.allow_any_key = true;
	snapshot_format(&s, &sb);
	write_text(path, sb_str(&sb));
	assert_refused(path, false, "an --allow-any-key snapshot restored without it");
	t = read_text(path);
	assert_non_null(strstr(t, "; allow-any-key: yes\r\n"));
	free(t);
	assert_int_equal(snapshot_load(path, true, &back, &err), SC_OK);
	assert_int_equal(back.nvalues, 1);
	assert_string_equal(back.values[0].path, RUN_KEY);
	snapshot_free(&back);
	snapshot_free(&s);
	sb_free(&sb);
	free(path);
}

/* A snapshot that re-creates a key above a TLS root (harmless, allowed):
 * the rollback's own snapshot names it in its header, loads without
 * --allow-any-key, and restores the state before the rollback, also when
 * the rollback fails at any write. */
static void test_rollback_recreating_key_above_root(void **state)
{
	struct snapshot s = {0}, own;
	struct strbuf sb = STRBUF_INIT;
	struct sc_err err = {{0}};
	char *path = xasprintf("%s/20231114T221320Z-0001-test.reg", tmp_root),
	     *dir = new_dir("above"), *d;
	struct reg_backend *b = t_state(""), *w;
	struct reg_value v;
	struct apply_result r;
	size_t n, k;

	s.id = xstrdup("20231114T221320Z-0001-test");
	s.time = xstrdup("2023-11-14T22:13:20Z");
	s.profile = xstrdup("test");
	s.target = xstrdup("state:/test/registry.reg");
	s.machine = xstrdup("-");
	s.tool = xstrdup("0");
	s.existed = xcalloc(1, sizeof(*s.existed));
	s.nexisted = s.ecap = 1;
	s.existed[0].path = xstrdup("SYSTEM\\CurrentControlSet\\Control");
	s.values = xcalloc(1, sizeof(*s.values));
	s.nvalues = s.vcap = 1;
	s.values[0].path = xstrdup(TLS12_CLIENT);
	s.values[0].name = xstrdup("Enabled");
	s.values[0].present = true;
	regvalue_set_dword(&v, 1);
	s.values[0].value = v;
	snapshot_format(&s, &sb);
	snapshot_free(&s);
	write_text(path, sb_str(&sb));
	sb_free(&sb);

	w = wrap_backend_new(b);
	assert_int_equal(rollback_from(path, w, dir, &r), APPLY_DONE);
	n = wrap_write_calls(w);
	assert_int_equal(snapshot_load(r.snapshot_path, false, &own, &err), SC_OK);
	assert_true(own.nabove >= 3);
	snapshot_free(&own);
	apply_result_free(&r);
	reg_backend_free(w);
	assert_int_equal(t_dword(b, REG_VIEW_64, TLS12_CLIENT, "Enabled"), 1);
	reg_backend_free(b);

	for (k = 1; k <= n; k++) {
		b = t_state("");
		w = wrap_backend_new(b);
		wrap_fail_write(w, k);
		assert_int_equal(rollback_from(path, w, dir, &r), APPLY_ROLLED_BACK);
		d = t_dump(b);
		if (*d)
			fail_msg("rollback failing at write %zu of %zu left:\n%s", k, n, d);
		free(d);
		apply_result_free(&r);
		reg_backend_free(w);
		reg_backend_free(b);
	}
	free(dir);
	free(path);
}

/* ---- the fault-injection matrix ---- */

struct matrix {
	size_t combos;         /* profile x state pairs with something to change */
	size_t apply_cases;    /* (profile x state x k), restore verified */
	size_t restore_cases;  /* the restore failing too */
	size_t rollback_cases; /* a rollback failing at write k */
};

static struct matrix totals;

/* One apply on a fresh copy of a state, with some writes failing. */
struct run {
	enum apply_status status;
	struct reg_backend *b; /* the registry afterwards */
	char *dump;
	size_t writes;  /* write-class calls made */
	char *snapshot; /* the snapshot it wrote, or NULL */
};

/* Applies plan to a copy of `text`, failing the write-class calls listed
 * in faults[] (0-terminated). A failure must be an injected one. */
static void run(const struct plan *plan, const char *text, const size_t *faults, const char *dir,
                struct run *out)
{
	struct reg_backend *w;
	struct apply_options o;
	struct apply_result r;

	out->b = t_state(text);
	w = wrap_backend_new(out->b);
	o = options(w, dir);
	for (; *faults; faults++)
		wrap_fail_write(w, *faults);
	out->status = apply_plan(plan, &o, &r);
	if ((out->status == APPLY_ROLLED_BACK || out->status == APPLY_ROLLBACK_FAILED) &&
	    !strstr(r.err.msg, "injected fault"))
		fail_msg("failed for another reason: %s", r.err.msg);
	if (out->status == APPLY_ROLLBACK_FAILED && !strstr(r.restore_err.msg, "injected fault"))
		fail_msg("restore failed for another reason: %s", r.restore_err.msg);
	out->dump = t_dump(out->b);
	out->writes = wrap_write_calls(w);
	out->snapshot = r.snapshot_path ? xstrdup(r.snapshot_path) : NULL;
	apply_result_free(&r);
	reg_backend_free(w);
}

/* Releases a run and deletes its snapshot file. */
static void run_free(struct run *r)
{
	if (r->snapshot)
		unlink(r->snapshot);
	free(r->snapshot);
	free(r->dump);
	reg_backend_free(r->b);
	memset(r, 0, sizeof(*r));
}

static void expect_same(const char *what, const char *label, size_t k, const char *got,
                        const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s: %s, write %zu failing: the registry differs.\ngot:\n%s\nwanted:\n%s",
		         label, what, k, got, want);
}

/* SC_MATRIX_STRIDE=n (valgrind in CI, as test_faults): of the failing
 * writes k, only every n-th runs, and always the first and the last. */
static bool k_skipped(size_t k, size_t n)
{
	static size_t stride;

	if (!stride) {
		const char *e = getenv("SC_MATRIX_STRIDE");

		stride = e && atoi(e) > 1 ? (size_t)atoi(e) : 1;
	}
	return k != 1 && k != n && k % stride;
}

static void check_matrix(const struct plan *plan, const char *text, const char *label)
{
	char *dir = new_dir("matrix"), *before = dump_text(text), *after_text, *d;
	struct run ok, f;
	struct apply_result r;
	struct reg_backend *b, *w;
	struct apply_options o;
	size_t n, k, j, nr;
	enum apply_status st;

	run(plan, text, (size_t[]){0}, dir, &ok);
	if (ok.status == APPLY_NOTHING) {
		print_message("  %s: nothing to change\n", label);
		assert_int_equal(ok.writes, 0);
		assert_string_equal(ok.dump, before);
		goto out;
	}
	if (ok.status != APPLY_DONE)
		fail_msg("%s: the apply itself ended with status %d", label, ok.status);
	totals.combos++;
	n = ok.writes;
	after_text = state_text(ok.b);

	/* Applying again changes nothing; the snapshot rolls it back, once. */
	b = t_state(after_text);
	w = wrap_backend_new(b);
	o = options(w, dir);
	assert_int_equal(apply_plan(plan, &o, &r), APPLY_NOTHING);
	assert_int_equal(wrap_write_calls(w), 0);
	apply_result_free(&r);
	assert_int_equal(rollback_from(ok.snapshot, w, dir, &r), APPLY_DONE);
	nr = wrap_write_calls(w);
	drop_snapshot(&r);
	apply_result_free(&r);
	reg_backend_free(w);
	d = t_dump(b);
	expect_same("rollback from the snapshot", label, 0, d, before);
	free(d);
	assert_int_equal(rollback_from(ok.snapshot, b, dir, &r), APPLY_NOTHING);
	apply_result_free(&r);
	reg_backend_free(b);

	/* The apply failing at every write: the state is as before. */
	for (k = 1; k <= n; k++) {
		if (k_skipped(k, n))
			continue;
		run(plan, text, (size_t[]){k, 0}, dir, &f);
		if (f.status != APPLY_ROLLED_BACK)
			fail_msg("%s: write %zu of %zu failing gave status %d", label, k, n,
			         f.status);
		expect_same("apply", label, k, f.dump, before);
		run_free(&f);
		totals.apply_cases++;
	}

	/* The restore failing too: the state is uncertain and said to be;
	 * the snapshot that apply wrote still restores the prior state. */
	for (k = 1; k <= n; k++) {
		size_t restore_writes = 1;

		if (k_skipped(k, n))
			continue;
		/* Every restore write, for the first and the last k. */
		if (k == 1 || k == n) {
			run(plan, text, (size_t[]){k, 0}, dir, &f);
			restore_writes = f.writes - k;
			run_free(&f);
		}
		for (j = 1; j <= restore_writes; j++) {
			if (k_skipped(j, restore_writes))
				continue;
			run(plan, text, (size_t[]){k, k + j, 0}, dir, &f);
			if (f.status != APPLY_ROLLBACK_FAILED)
				fail_msg("%s: writes %zu and %zu failing gave status %d", label, k,
				         k + j, f.status);
			st = rollback_from(f.snapshot, f.b, dir, &r);
			assert_true(st == APPLY_DONE || st == APPLY_NOTHING);
			drop_snapshot(&r);
			apply_result_free(&r);
			d = t_dump(f.b);
			expect_same("manual rollback after a failed restore", label, k, d, before);
			free(d);
			run_free(&f);
			totals.restore_cases++;
		}
	}

	/* The rollback failing at every write: the state stays as applied. */
	for (k = 1; k <= nr; k++) {
		if (k_skipped(k, nr))
			continue;
		b = t_state(after_text);
		w = wrap_backend_new(b);
		wrap_fail_write(w, k);
		st = rollback_from(ok.snapshot, w, dir, &r);
		if (st != APPLY_ROLLED_BACK)
			fail_msg("%s: rollback write %zu of %zu failing gave status %d", label, k,
			         nr, st);
		drop_snapshot(&r);
		apply_result_free(&r);
		d = t_dump(b);
		expect_same("rollback", label, k, d, ok.dump);
		free(d);
		reg_backend_free(w);
		reg_backend_free(b);
		totals.rollback_cases++;
	}
	free(after_text);
out:
	run_free(&ok);
	free(before);
	free(dir);
}

static void test_fault_matrix(void **state)
{
	char *states[4] = {xstrdup(""), state_2016(), state_hardened(), NULL};
	static const char *const names[4] = {"empty", "server2016", "server2019-hardened",
	                                     "half-compliant 2016"};
	size_t i, s, cases = 0, profiles = 0;

	memset(&totals, 0, sizeof(totals));
	assert_true(builtin_profile_count >= 6);
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct plan p = {0}, half;

		/* The baselines compile to the same kinds of operations as the
		 * other built-ins, many more of them: they go through test_faults'
		 * matrix (sampled there), not this one, to keep CI's time. */
		if (t_is_baseline(name)) {
			free(name);
			continue;
		}
		profiles++;
		compile_text(name, NULL, &p);
		/* Half-compliant: the 2016 machine with the first half of
		 * this profile's operations already applied. */
		{
			struct reg_backend *b = t_state(states[1]);
			char *dir = new_dir("half");
			struct apply_options o = options(b, dir);
			struct apply_result r;
			enum apply_status st;

			half = p;
			half.nops = p.nops / 2;
			st = apply_plan(&half, &o, &r);
			assert_true(st == APPLY_DONE || st == APPLY_NOTHING);
			apply_result_free(&r);
			states[3] = state_text(b);
			reg_backend_free(b);
			free(dir);
		}
		for (s = 0; s < 4; s++) {
			char *label = xasprintf("%s on %s", name, names[s]);

			check_matrix(&p, states[s], label);
			free(label);
		}
		free(states[3]);
		states[3] = NULL;
		plan_free(&p);
		free(name);
	}
	cases = totals.apply_cases;
	print_message(
	    "fault-injection matrix: %zu profiles (the baselines: test_faults) x 4 states "
	    "(%zu pairs with changes): "
	    "%zu (profile x state x k) apply cases restored exactly, %zu with the "
	    "restore failing too, %zu rollback cases\n",
	    profiles, totals.combos, cases, totals.restore_cases, totals.rollback_cases);
	assert_true(totals.combos >= 6 * 3);
	assert_true(cases >= totals.combos * 2); /* at least the first and last write */
	for (s = 0; s < 3; s++)
		free(states[s]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nothing_when_compliant),
	    cmocka_unit_test(test_success_writes_snapshot_first),
	    cmocka_unit_test(test_input_error_touches_nothing),
	    cmocka_unit_test(test_read_failure_is_not_input_error),
	    cmocka_unit_test(test_confirm_opens_each_key_once),
	    cmocka_unit_test(test_snapshot_unwritable_refuses),
	    cmocka_unit_test(test_no_write_before_snapshot),
	    cmocka_unit_test(test_wrapper),
	    cmocka_unit_test(test_commit_failure_restores),
	    cmocka_unit_test(test_interrupted_restores),
	    cmocka_unit_test(test_verify_failure_restores),
	    cmocka_unit_test(test_restore_creates_nothing),
	    cmocka_unit_test(test_restore_is_best_effort),
	    cmocka_unit_test(test_rollback_roundtrip),
	    cmocka_unit_test(test_rollback_keeps_filled_created_key),
	    cmocka_unit_test(test_rollback_of_removed_keys_is_transactional),
	    cmocka_unit_test(test_rollback_recreating_key_above_root),
	    cmocka_unit_test(test_tampered_snapshot_refused),
	    cmocka_unit_test(test_snapshot_outside_roots_refused),
	    cmocka_unit_test(test_fault_matrix),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
