/*
 * The hostile-input corpus (tests/hostile/README.md) against the core, the
 * way the CLI uses it, in front of a write-counting wrapper
 * (backend_wrap.h) over a realistic registry (examples/states/ws2016-gpo.reg):
 *   profiles   profile_load, then compile_profile, then apply_plan: each
 *              later step runs only if the earlier ones accepted the input
 *              (they must not);
 *   states     regfile_backend_open (if it accepted the file, diff and
 *              apply_plan would run against it: they must not);
 *   snapshots  snapshot_load (if it accepted the file, its restore plan
 *              would be applied with apply_plan);
 *   includes   a 10,000-deep include chain, made at run time.
 * Every input must fail with a message that starts with its path ("path:N: "
 * where its expectation has an "; expect-line:") and contains its "; expect:"
 * text; a state whose expectation is an "; expect-warning:" instead (a
 * section of another hive) must be read with that warning, as if the
 * section were not there, and be saved with the section as it was. The expectation is read from the
 * file's own leading comment lines, or, for a file that cannot carry them (binary, UTF-16, a state
 * or a snapshot), from FILE.expect beside it (tests/hostile/README.md, "Expected errors"). Each
 * input also needs zero write-class calls on the wrapper, the registry's dump unchanged, no
 * snapshot written and the input file unchanged. The genuine snapshots the forged ones come from
 * (tests/hostile/valid/) must load and restore exactly: the forgeries fail because of what was
 * changed, not because of the harness. Run from the repository root.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "backend_wrap.h"
#include "cli_common.h"
#include "compile.h"
#include "diff.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"
#include "snapshot.h"

#define REALISTIC   "examples/states/ws2016-gpo.reg"
#define SIDECAR     ".expect"
#define MIN_INPUTS  50
#define CHAIN_DEPTH 10000
#define NOW         ((time_t)1700000000)

enum input_class { IN_PROFILE, IN_STATE, IN_SNAPSHOT };

/* What one input must produce. */
struct expectation {
	char *path;
	enum input_class cls;
	unsigned line; /* 0: the message names no line */
	char *message; /* text the message must contain */
	char *prefix;  /* a message starts with it (NULL: "path: " or "path:N: ") */
	bool warning;  /* "; expect-warning:": read with that warning (states) */
};

static char *tmp_root;
static unsigned dir_seq;
static size_t checked;
static struct reg_backend *realistic;
static char *realistic_dump;

static int group_setup(void **state)
{
	struct sc_err err = {{0}};

	tmp_root = t_tmpdir("hostile");
	realistic = regfile_backend_open(REALISTIC, &err);
	if (!realistic)
		fprintf(stderr, "%s\n", err.msg);
	if (!tmp_root || !realistic)
		return -1;
	realistic_dump = t_dump(realistic);
	return 0;
}

static int group_teardown(void **state)
{
	reg_backend_free(realistic);
	free(realistic_dump);
	t_remove_tree(tmp_root);
	free(tmp_root);
	return 0;
}

/* ---- expectations: the file's header, or FILE.expect ---- */

static void expectation_free(struct expectation *e)
{
	free(e->path);
	free(e->message);
	free(e->prefix);
	memset(e, 0, sizeof(*e));
}

/* "; key: value" among the leading comment lines of text, or NULL. */
static char *header_field(const char *text, const char *key)
{
	char *prefix = xasprintf("; %s: ", key);
	const char *line = text;
	char *found = NULL;

	while (line && *line == ';') {
		if (starts_with(line, prefix)) {
			const char *start = line + strlen(prefix);

			found = xstrndup(start, strcspn(start, "\r\n"));
			break;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(prefix);
	return found;
}

static char *read_text(const char *path)
{
	struct sc_err err = {{0}};
	size_t size;
	char *text = read_file(path, 128u * 1024 * 1024, &size, &err);

	if (!text)
		fail_msg("%s (run the tests from the repository root)", err.msg);
	return text;
}

/*
 * The expectation of the input at path: from path + ".expect" when that
 * exists, else from the input's own leading "; expect:" lines; never both.
 * Fails the test when there is none or both.
 */
static void read_expectation(const char *path, enum input_class cls, struct expectation *e)
{
	char *sidecar = xasprintf("%s%s", path, SIDECAR), *text, *line;
	struct stat st;
	bool has_sidecar = stat(sidecar, &st) == 0;

	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->cls = cls;
	if (has_sidecar) {
		text = read_text(path);
		line = header_field(text, "expect");
		free(text);
		if (line)
			fail_msg("%s: an \"; expect:\" header and %s: keep one", path, sidecar);
	}
	text = read_text(has_sidecar ? sidecar : path);
	e->message = header_field(text, "expect");
	if (!e->message && cls == IN_STATE) {
		e->message = header_field(text, "expect-warning");
		e->warning = e->message != NULL;
	}
	if (!e->message)
		fail_msg("%s: no \"; expect:\" line (in the file, or in %s beside it)", path,
		         sidecar);
	line = header_field(text, "expect-line");
	e->line = line ? (unsigned)strtoul(line, NULL, 10) : 0;
	free(line);
	free(text);
	free(sidecar);
}

/* Every FILE.expect in dir names a file there (none left from a rename). */
static void check_no_orphan_sidecars(const char *dir)
{
	size_t n, i;
	char **sidecars = t_list_files(dir, SIDECAR, &n);

	for (i = 0; i < n; i++) {
		char *input = xstrndup(sidecars[i], strlen(sidecars[i]) - strlen(SIDECAR));
		struct stat st;

		if (stat(input, &st) != 0)
			fail_msg("%s: no %s beside it", sidecars[i], input);
		free(input);
	}
	strlist_free(sidecars, n);
}

/* ---- running one input ---- */

static char *new_dir(void)
{
	return xasprintf("%s/snapshots-%u", tmp_root, dir_seq++);
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return true;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static struct apply_options options(const struct reg_backend *b, const char *dir)
{
	return (struct apply_options){
	    .backend = b,
	    .snapshot_dir = dir,
	    .label = {.profile = "hostile", .target = "state:/hostile/registry.reg", .now = NOW},
	};
}

/* What a run produced: the messages and whether every step accepted. */
struct outcome {
	bool accepted;    /* the input got as far as apply_plan */
	struct diag msgs; /* every message, as the CLI would print them */
	size_t writes;    /* write-class calls on a state the input itself opened */
};

static void add_message(struct outcome *o, const char *msg)
{
	diag_add(&o->msgs, msg);
}

static void apply_and_record(const struct plan *plan, const struct reg_backend *w, const char *dir,
                             struct outcome *o)
{
	struct apply_options opt = options(w, dir);
	struct apply_result r;

	o->accepted = true;
	apply_plan(plan, &opt, &r);
	add_message(o, r.err.msg[0] ? r.err.msg : "(apply_plan accepted it)");
	apply_result_free(&r);
}

static void run_profile(const char *path, const struct reg_backend *w, const char *dir,
                        struct outcome *o)
{
	struct compile_options os = {.have_os = true,
	                             .major = DEFAULT_OS_MAJOR,
	                             .minor = DEFAULT_OS_MINOR,
	                             .build = DEFAULT_OS_BUILD};
	struct profile *p = NULL;
	struct plan plan = {0};

	if (profile_load(path, NULL, &p, &o->msgs) == SC_OK &&
	    compile_profile(p, &os, &plan, &o->msgs) == SC_OK) {
		apply_and_record(&plan, w, dir, o);
		plan_free(&plan);
	}
	profile_free(p);
}

static void run_state(const char *path, const char *dir, struct outcome *o)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(path, &err), *w;
	struct compile_options os = {.have_os = true,
	                             .major = DEFAULT_OS_MAJOR,
	                             .minor = DEFAULT_OS_MINOR,
	                             .build = DEFAULT_OS_BUILD};
	struct profile *p = NULL;
	struct plan plan = {0};
	struct diff d;

	if (!b) {
		add_message(o, err.msg);
		return;
	}
	/* Accepted: diff and apply a built-in profile against it, as the CLI
	 * would (the test then fails on o->accepted). */
	w = wrap_backend_new(b);
	if (profile_load("tls12-strict", NULL, &p, &o->msgs) == SC_OK &&
	    compile_profile(p, &os, &plan, &o->msgs) == SC_OK) {
		if (diff_compute(&plan, w, &d, &err) == SC_OK)
			diff_free(&d);
		apply_and_record(&plan, w, dir, o);
		plan_free(&plan);
	}
	o->writes += wrap_write_calls(w);
	profile_free(p);
	reg_backend_free(w);
	reg_backend_free(b);
}

static void run_snapshot(const char *path, const struct reg_backend *w, const char *dir,
                         struct outcome *o)
{
	struct sc_err err = {{0}};
	struct snapshot s;
	struct plan restore;

	if (snapshot_load(path, false, &s, &err) != SC_OK) {
		add_message(o, err.msg);
		return;
	}
	snapshot_restore_plan(&s, path, &restore);
	apply_and_record(&restore, w, dir, o);
	plan_free(&restore);
	snapshot_free(&s);
}

/* The lines of text from line `line` up to the next key header (or the
 * end), as [*start, *end) offsets. */
static void section_at(const char *text, unsigned line, size_t *start, size_t *end)
{
	const char *c = text, *nl;
	unsigned n;

	for (n = 1; n < line && (nl = strchr(c, '\n')) != NULL; n++)
		c = nl + 1;
	*start = (size_t)(c - text);
	while ((nl = strchr(c, '\n')) != NULL) {
		c = nl + 1;
		if (*c == '[')
			break;
	}
	*end = nl ? (size_t)(c - text) : strlen(text);
}

/* The registry of a state opened with regfile_backend_open, as t_dump
 * prints it, or NULL with why in *problem. */
static char *dump_opened(const struct expectation *e, const char *saved, char **problem)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(e->path, &err);
	const char *const *w;
	size_t n, i;
	char *prefix = xasprintf("%s:%u: ", e->path, e->line), *d = NULL;

	if (!b) {
		*problem = xasprintf("%s: refused: %s", e->path, err.msg);
		free(prefix);
		return NULL;
	}
	w = regfile_backend_warnings(b, &n);
	for (i = 0; i < n && !(starts_with(w[i], prefix) && strstr(w[i], e->message)); i++)
		;
	if (i == n)
		*problem = xasprintf("%s: no warning starts with \"%s\" and contains \"%s\"",
		                     e->path, prefix, e->message);
	else if (regfile_backend_save(b, saved, &err) != SC_OK)
		*problem = xasprintf("%s: save: %s", e->path, err.msg);
	else
		d = t_dump(b);
	reg_backend_free(b);
	free(prefix);
	return d;
}

/*
 * A state with a section of another hive (its "; expect-warning:"): read
 * with the warning, its registry the one of the file without the section
 * (nothing of it read), and a save writes the section back as it was
 * (nothing of it lost). The input file stays as it was.
 */
static char *check_warned_state(const struct expectation *e)
{
	char *text = read_text(e->path), *saved = xasprintf("%s/saved-%u.reg", tmp_root, dir_seq++);
	char *problem = NULL, *got, *without, *want, *after, *copy, *section;
	size_t start, end;
	struct reg_backend *b;

	section_at(text, e->line, &start, &end);
	section = xstrndup(text + start, end - start);
	without = xasprintf("%.*s%s", (int)start, text, text + end);
	b = t_state(without);
	want = t_dump(b);
	reg_backend_free(b);
	got = dump_opened(e, saved, &problem);
	copy = got ? read_text(saved) : NULL;
	after = read_text(e->path);
	if (got && strcmp(got, want))
		problem = xasprintf("%s: read as\n%s\nexpected (the file without line %u's "
		                    "section)\n%s",
		                    e->path, got, e->line, want);
	else if (got && !strstr(copy, section))
		problem = xasprintf("%s: a save lost the section at line %u", e->path, e->line);
	else if (strcmp(after, text))
		problem = xasprintf("%s: the input file changed", e->path);
	checked++;
	remove(saved);
	free(text);
	free(saved);
	free(section);
	free(without);
	free(want);
	free(got);
	free(copy);
	free(after);
	return problem;
}

/*
 * Runs one input against a wrapper over the realistic registry and checks
 * everything. Returns a description of what is wrong (xmalloc'd), or NULL.
 */
static char *check_input(const struct expectation *e)
{
	struct reg_backend *w;
	struct outcome o = {0};
	struct strbuf all = STRBUF_INIT;
	struct sc_err err = {{0}};
	char *dir, *prefix, *after, *problem = NULL, *bytes, *bytes_after;
	size_t i, writes, size, size_after;

	if (e->warning)
		return check_warned_state(e);
	w = wrap_backend_new(realistic);
	dir = new_dir();
	/* the input file itself is never rewritten either */
	bytes = read_file(e->path, 128u * 1024 * 1024, &size, &err);
	if (!bytes)
		fail_msg("%s", err.msg);
	if (e->cls == IN_PROFILE)
		run_profile(e->path, w, dir, &o);
	else if (e->cls == IN_STATE)
		run_state(e->path, dir, &o);
	else
		run_snapshot(e->path, w, dir, &o);
	writes = wrap_write_calls(w) + o.writes;
	reg_backend_free(w);
	after = t_dump(realistic);
	bytes_after = read_file(e->path, 128u * 1024 * 1024, &size_after, &err);
	prefix = e->prefix ? xstrdup(e->prefix)
	         : e->line ? xasprintf("%s:%u: ", e->path, e->line)
	                   : xasprintf("%s: ", e->path);
	diag_format(&o.msgs, &all);
	for (i = 0; i < o.msgs.count; i++)
		if (starts_with(o.msgs.lines[i], prefix) && strstr(o.msgs.lines[i], e->message))
			break;
	if (o.accepted)
		problem =
		    xasprintf("%s: accepted (it reached apply_plan): %s", e->path, sb_str(&all));
	else if (!o.msgs.count)
		problem = xasprintf("%s: refused without a message", e->path);
	else if (i == o.msgs.count)
		problem =
		    xasprintf("%s: no message starts with \"%s\" and contains \"%s\"; got:\n%s",
		              e->path, prefix, e->message, sb_str(&all));
	else if (writes)
		problem = xasprintf("%s: %zu write-class calls", e->path, writes);
	else if (strcmp(after, realistic_dump))
		problem = xasprintf("%s: the registry changed", e->path);
	else if (!dir_is_empty(dir))
		problem = xasprintf("%s: a snapshot was written in %s", e->path, dir);
	else if (!bytes_after || size_after != size || memcmp(bytes, bytes_after, size))
		problem = xasprintf("%s: the input file changed", e->path);
	checked++;
	free(bytes);
	free(bytes_after);
	free(prefix);
	free(after);
	free(dir);
	sb_free(&all);
	diag_free(&o.msgs);
	return problem;
}

/* Checks every input, then fails once with every problem found. */
static void check_all(const struct expectation *inputs, size_t n, const char *what, size_t min)
{
	struct strbuf problems = STRBUF_INIT;
	size_t i, failures = 0;

	for (i = 0; i < n; i++) {
		char *problem = check_input(&inputs[i]);

		if (problem) {
			sb_addf(&problems, "%s\n", problem);
			failures++;
			free(problem);
		}
	}
	printf("hostile: %zu %s checked\n", n, what);
	if (n < min)
		fail_msg("only %zu %s (expected at least %zu)", n, what, min);
	if (failures)
		fail_msg("%zu of %zu %s misbehaved:\n%s", failures, n, what, sb_str(&problems));
	sb_free(&problems);
}

/* ---- the corpus ---- */

/* Every input of the folders, each with its expectation, checked at once. */
static void test_folders(const char *const *dirs, size_t ndirs, const char *suffix,
                         enum input_class cls, const char *what, size_t min)
{
	size_t i, j, n = 0, cap = 0;
	struct expectation *inputs = NULL;

	for (i = 0; i < ndirs; i++) {
		size_t nfiles;
		char **files = t_list_files(dirs[i], suffix, &nfiles);

		check_no_orphan_sidecars(dirs[i]);
		for (j = 0; j < nfiles; j++) {
			xgrow(&inputs, &cap, n + 1, sizeof(*inputs));
			read_expectation(files[j], cls, &inputs[n++]);
		}
		strlist_free(files, nfiles);
	}
	check_all(inputs, n, what, min);
	for (i = 0; i < n; i++)
		expectation_free(&inputs[i]);
	free(inputs);
}

static void test_profiles(void **state)
{
	static const char *const dirs[] = {"tests/bad-profiles", "tests/hostile/profiles"};

	test_folders(dirs, ARRAY_SIZE(dirs), ".ini", IN_PROFILE, "malformed profiles", 57 + 15);
}

static void test_states(void **state)
{
	static const char *const dirs[] = {"tests/hostile/states"};

	test_folders(dirs, 1, ".reg", IN_STATE, "malformed state files", 20);
}

static void test_snapshots(void **state)
{
	static const char *const dirs[] = {"tests/hostile/snapshots"};

	test_folders(dirs, 1, ".reg", IN_SNAPSHOT, "forged or damaged snapshots", 15);
}

/* A folder for the include chain: on a tmpfs when there is one, because
 * creating 10,000 files on a disk-backed /tmp can take seconds. */
static char *chain_dir(void)
{
	struct stat st;
	char *dir;

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)) {
		dir = xstrdup("/dev/shm/schannelcfg-test-chain-XXXXXX");
		if (mkdtemp(dir))
			return dir;
		free(dir);
	}
	dir = xasprintf("%s/chain", tmp_root);
	if (mkdir(dir, 0700) != 0)
		fail_msg("cannot create %s", dir);
	return dir;
}

/* c00000.ini includes c00001 includes ... c09999.ini: loading stops at
 * PROFILE_MAX_INCLUDE_DEPTH, reading no more files than that. */
static void test_include_chain(void **state)
{
	char *dir = chain_dir(), *problem;
	struct expectation e = {0};
	int i;

	for (i = 0; i < CHAIN_DEPTH; i++) {
		char *path = xasprintf("%s/c%05d.ini", dir, i);
		char *text = i + 1 < CHAIN_DEPTH
		                 ? xasprintf("[profile]\nname = c%05d\nsummary = link %d\n"
		                             "include = c%05d\n",
		                             i, i, i + 1)
		                 : xasprintf("[profile]\nname = c%05d\nsummary = the end\n"
		                             "\n[protocol \"TLS 1.2\"]\nclient = enabled\n",
		                             i);
		/* not write_file_atomic: 10,000 fsyncs take seconds */
		FILE *f = fopen(path, "wb");

		if (!f || fputs(text, f) == EOF || fclose(f) != 0)
			fail_msg("cannot write %s", path);
		free(path);
		free(text);
	}
	e.path = xasprintf("%s/c00000.ini", dir);
	e.cls = IN_PROFILE;
	e.message = xasprintf("includes nested deeper than the limit at %s/c%05d.ini", dir,
	                      PROFILE_MAX_INCLUDE_DEPTH);
	/* The message names the file whose include goes one level too deep. */
	e.prefix = xasprintf("%s/c%05d.ini:4: ", dir, PROFILE_MAX_INCLUDE_DEPTH - 1);
	problem = check_input(&e);
	t_remove_tree(dir);
	if (problem)
		fail_msg("%s", problem);
	printf("hostile: a %d-deep include chain checked\n", CHAIN_DEPTH);
	expectation_free(&e);
	free(dir);
}

/* ---- positive controls ---- */

/* The genuine snapshots load; the harness sees writes when there are some:
 * applying tls12-strict to the realistic registry and rolling it back
 * with the genuine snapshot of that apply restores it exactly. */
static void test_genuine_snapshots_restore(void **state)
{
	struct compile_options os = {.have_os = true,
	                             .major = DEFAULT_OS_MAJOR,
	                             .minor = DEFAULT_OS_MINOR,
	                             .build = DEFAULT_OS_BUILD};
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(REALISTIC, &err), *w;
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan, restore;
	struct snapshot s;
	struct apply_result r;
	struct apply_options o;
	char *dir = new_dir(), *before, *after;

	assert_non_null(b);
	before = t_dump(b);
	assert_int_equal(
	    snapshot_load("tests/hostile/valid/20231114T221320Z-0001-p2s-vpn.reg", false, &s, &err),
	    SC_OK);
	snapshot_free(&s);
	w = wrap_backend_new(b);
	o = options(w, dir);
	assert_int_equal(profile_load("tls12-strict", NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &os, &plan, &d), SC_OK);
	assert_int_equal(apply_plan(&plan, &o, &r), APPLY_DONE);
	assert_true(wrap_write_calls(w) > 0);
	apply_result_free(&r);
	if (snapshot_load("tests/hostile/valid/20231114T221320Z-0001-tls12-strict.reg", false, &s,
	                  &err) != SC_OK)
		fail_msg("%s", err.msg);
	snapshot_restore_plan(&s, "valid", &restore);
	wrap_reset_counts(w);
	o.label.profile = "rollback";
	assert_int_equal(apply_plan(&restore, &o, &r), APPLY_DONE);
	assert_true(wrap_write_calls(w) > 0);
	after = t_dump(b);
	assert_string_equal(after, before);
	apply_result_free(&r);
	plan_free(&restore);
	plan_free(&plan);
	snapshot_free(&s);
	profile_free(p);
	diag_free(&d);
	reg_backend_free(w);
	reg_backend_free(b);
	free(before);
	free(after);
	free(dir);
}

/* Runs last: the whole corpus was checked. */
static void test_total(void **state)
{
	printf("hostile: %zu malformed inputs checked in all\n", checked);
	if (checked < MIN_INPUTS)
		fail_msg("only %zu inputs (expected at least %d)", checked, MIN_INPUTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_genuine_snapshots_restore),
	    cmocka_unit_test(test_profiles),
	    cmocka_unit_test(test_states),
	    cmocka_unit_test(test_snapshots),
	    cmocka_unit_test(test_include_chain),
	    cmocka_unit_test(test_total),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
