/*
 * bench_counts - the registry calls diff and apply make, counted by the
 * tracing backend wrapper (backend_wrap.h), against the minimum. Part of
 * scripts/bench.sh (issue 8); not shipped, not a test.
 *
 *   bench_counts PROFILE STATE.reg [MAJOR.MINOR.BUILD] [--trace]
 *
 * Loads STATE.reg into memory (the .reg backend; the file is never
 * rewritten), compiles PROFILE for the given Windows version (default
 * 6.1.7601, as the CLI assumes for a state file), puts the wrapper in front
 * of the registry, then runs, each with fresh counts:
 *   diff      diff_compute
 *   apply     apply_plan (snapshot into a temporary folder, no lock)
 *   re-apply  apply_plan again, on the now compliant registry
 * and prints one table row per run, and the minimum:
 *   opens  one per distinct key the plan touches (view + path)
 *   reads  one per value the plan touches
 *   writes one per value that changes (set or delete)
 * "opens" counts open_key and create_key (an open for writing that may
 * create the key); "writes" counts write_value, delete_value and
 * delete_key_if_empty. --trace prints the wrapper's trace of each run.
 *
 * Exit status: 0; 1 when a step fails or the re-apply writes anything;
 * 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "backend_wrap.h"
#include "compile.h"
#include "diff.h"
#include "platform.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"

struct row {
	const char *what;
	struct wrap_counts c;
};

static void print_row(const struct row *r)
{
	printf("| %-10s | %5zu | %5zu | %6zu | %5zu | %6zu | %11zu |\n", r->what,
	       r->c.opens + r->c.creates, r->c.reads, r->c.writes + r->c.deletes + r->c.key_deletes,
	       r->c.enums, r->c.closes,
	       r->c.creates + r->c.writes + r->c.deletes + r->c.key_deletes);
}

static size_t distinct_keys(const struct plan *p)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->nops; i++) {
		for (j = 0; j < i; j++)
			if (p->ops[j].view == p->ops[i].view &&
			    streq_ci(p->ops[j].path, p->ops[i].path))
				break;
		n += j == i;
	}
	return n;
}

static size_t touched_values(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nops; i++)
		n += p->ops[i].name != NULL;
	return n;
}

static int run_apply(const struct plan *plan, struct reg_backend *w, const char *dir,
                     const char *target, struct apply_result *r)
{
	struct apply_options o = {
	    .backend = w,
	    .snapshot_dir = dir,
	    .label = {.kind = SNAP_APPLY,
	              .profile = plan->profile,
	              .target = target,
	              .machine = "-",
	              .now = time(NULL)},
	};

	apply_plan(plan, &o, r);
	if (r->status != APPLY_DONE && r->status != APPLY_NOTHING) {
		fprintf(stderr, "bench_counts: apply failed (status %d): %s\n", (int)r->status,
		        r->err.msg);
		return -1;
	}
	return 0;
}

static void trace_out(struct strbuf *sb, const char *what, bool on)
{
	if (on)
		printf("\n--- trace: %s\n%s", what, sb_str(sb));
	sb_free(sb);
}

int main(int argc, char **argv)
{
	struct compile_options copts = {.have_os = true, .major = 6, .minor = 1, .build = 7601};
	struct profile_options popts = {0};
	struct diag diags = {0};
	struct profile *prof = NULL;
	struct plan plan = {0};
	struct sc_err err = {{0}};
	struct reg_backend *state, *w;
	struct diff d;
	struct apply_result r1, r2;
	struct row rows[3];
	struct strbuf tr = STRBUF_INIT;
	char dir[] = "/tmp/bench_counts.XXXXXX";
	char *target;
	bool trace = false;
	size_t keys, values, changed;
	int i, rc = 0, npos = 0;
	const char *pos[3] = {NULL, NULL, NULL};

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace"))
			trace = true;
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			npos = 4;
	}
	if (npos < 2 || npos > 3 ||
	    (pos[2] && sscanf(pos[2], "%u.%u.%u", &copts.major, &copts.minor, &copts.build) != 3)) {
		fprintf(stderr,
		        "usage: bench_counts PROFILE STATE.reg [MAJOR.MINOR.BUILD] [--trace]\n");
		return 2;
	}
	if (profile_load(pos[0], &popts, &prof, &diags) != SC_OK ||
	    compile_profile(prof, &copts, &plan, &diags) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&diags, &sb);
		fprintf(stderr, "%s", sb_str(&sb));
		return 1;
	}
	state = regfile_backend_open(pos[1], &err);
	if (!state) {
		fprintf(stderr, "bench_counts: %s\n", err.msg);
		return 1;
	}
	if (!mkdtemp(dir)) {
		perror("bench_counts: mkdtemp");
		return 1;
	}
	target = xasprintf("state:%s", pos[1]);
	w = wrap_backend_new(state);

	wrap_trace(w, &tr);
	if (diff_compute(&plan, w, &d, &err) != SC_OK) {
		fprintf(stderr, "bench_counts: diff: %s\n", err.msg);
		return 1;
	}
	rows[0] = (struct row){"diff", *wrap_get_counts(w)};
	trace_out(&tr, "diff", trace);
	changed = d.nchanged;
	diff_free(&d);

	wrap_reset_counts(w);
	wrap_trace(w, &tr);
	if (run_apply(&plan, w, dir, target, &r1))
		return 1;
	rows[1] = (struct row){"apply", *wrap_get_counts(w)};
	trace_out(&tr, "apply", trace);

	wrap_reset_counts(w);
	wrap_trace(w, &tr);
	if (run_apply(&plan, w, dir, target, &r2))
		return 1;
	rows[2] = (struct row){"re-apply", *wrap_get_counts(w)};
	trace_out(&tr, "re-apply", trace);
	wrap_trace(w, NULL);

	keys = distinct_keys(&plan);
	values = touched_values(&plan);
	printf("profile %s on %s (as Windows %u.%u.%u): %zu operations, %zu distinct keys, "
	       "%zu values touched, %zu to change\n",
	       prof->name, pos[1], copts.major, copts.minor, copts.build, plan.nops, keys, values,
	       changed);
	printf("| %-10s | %5s | %5s | %6s | %5s | %6s | %11s |\n", "run", "opens", "reads",
	       "writes", "enums", "closes", "write-class");
	printf("|------------|-------|-------|--------|-------|--------|-------------|\n");
	for (i = 0; i < 3; i++)
		print_row(&rows[i]);
	printf("| %-10s | %5zu | %5zu | %6zu |       |        |             |\n", "min diff", keys,
	       values, (size_t)0);
	printf("| %-10s | %5zu | %5zu | %6zu |       |        |             |\n", "min apply", keys,
	       values, changed);
	printf("| %-10s | %5zu | %5zu | %6zu |       |        |             |\n", "min re-app",
	       keys, values, (size_t)0);
	printf(
	    "apply: %zu changes executed, status %s; re-apply: status %s, %zu write-class calls\n",
	    r1.executed, r1.status == APPLY_DONE ? "done" : "nothing to do",
	    r2.status == APPLY_NOTHING ? "nothing to do" : "done",
	    rows[2].c.creates + rows[2].c.writes + rows[2].c.deletes + rows[2].c.key_deletes);
	if (rows[2].c.creates + rows[2].c.writes + rows[2].c.deletes + rows[2].c.key_deletes) {
		fprintf(stderr, "bench_counts: the compliant re-apply wrote to the registry\n");
		rc = 1;
	}
	if (rows[0].c.creates + rows[0].c.writes + rows[0].c.deletes + rows[0].c.key_deletes) {
		fprintf(stderr, "bench_counts: diff wrote to the registry\n");
		rc = 1;
	}

	if (r1.snapshot_path)
		remove(r1.snapshot_path);
	rmdir(dir);
	apply_result_free(&r1);
	apply_result_free(&r2);
	reg_backend_free(w);
	reg_backend_free(state);
	plan_free(&plan);
	profile_free(prof);
	diag_free(&diags);
	free(target);
	return rc;
}
