/*
 * bench_diff - how long diff_compute takes on large synthetic plans.
 * Part of scripts/bench.sh (issue 8); not shipped, not a test.
 *
 *   bench_diff [-k VALUES_PER_KEY] [-r RUNS] [-x] N...
 *
 * For each N: a plan of N OP_SET operations (REG_DWORD values named V0,
 * V1, ... under keys SYSTEM\...\SCHANNEL\Bench\Key000000, Key000001, ...,
 * VALUES_PER_KEY values per key, default 2, like Enabled/DisabledByDefault)
 * and an in-memory registry (backend_mem) holding the same N values, every
 * other one different from the plan, so half the plan changes something.
 * diff_compute is timed with CLOCK_MONOTONIC, RUNS times (default 9; fewer
 * for N >= 100000 when one run takes over 10 s), and the median, minimum
 * and maximum are printed in milliseconds, with the time per operation and
 * the growth factor from the previous N.
 *
 * -x adds, after each key's values, an OP_DELETE_KEY_IF_EMPTY of that key,
 * as the restore plans of rollback have for keys an apply created (the
 * keys keep their values, so none is deleted; N counts only the OP_SETs).
 *
 * Exit status: 0; 1 when a diff fails or its result is wrong; 2 on usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend_mem.h"
#include "diff.h"
#include "plan.h"

#define KEY_PREFIX "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Bench\\Key"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void key_path(char *buf, size_t size, size_t i, size_t per_key)
{
	snprintf(buf, size, KEY_PREFIX "%06zu", i / per_key);
}

static bool with_key_deletes;

static void build(size_t n, size_t per_key, struct plan *plan, struct reg_backend **state)
{
	struct reg_backend *b = mem_backend_new();
	struct reg_key *key = NULL;
	struct sc_err err = {{0}};
	char path[128], name[32];
	size_t i;

	plan_init(plan, "synthetic");
	for (i = 0; i < n; i++) {
		struct plan_op *op;
		struct reg_value v;

		key_path(path, sizeof(path), i, per_key);
		snprintf(name, sizeof(name), "V%zu", i % per_key);
		op = plan_add(plan, OP_SET, AREA_RAW, REG_VIEW_64, path, name);
		regvalue_set_dword(&op->value, 1);
		op->source = xstrdup("bench_diff:0");
		op->reason = xstrdup("synthetic");

		if (i % per_key == 0) {
			if (key)
				b->ops->close_key(b, key);
			if (b->ops->create_key(b, REG_VIEW_64, path, &key, NULL, &err) != SC_OK) {
				fprintf(stderr, "bench_diff: %s\n", err.msg);
				exit(1);
			}
		}
		regvalue_set_dword(&v, i % 2 ? 0 : 1); /* odd ones differ */
		if (b->ops->write_value(b, key, name, &v, &err) != SC_OK) {
			fprintf(stderr, "bench_diff: %s\n", err.msg);
			exit(1);
		}
		regvalue_free(&v);
		if (with_key_deletes && (i % per_key == per_key - 1 || i == n - 1)) {
			op = plan_add(plan, OP_DELETE_KEY_IF_EMPTY, AREA_RAW, REG_VIEW_64, path,
			              NULL);
			op->source = xstrdup("bench_diff:0");
			op->reason = xstrdup("synthetic");
		}
	}
	if (key)
		b->ops->close_key(b, key);
	*state = b;
}

int main(int argc, char **argv)
{
	size_t per_key = 2, runs = 9;
	double prev = 0;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-x")) {
			with_key_deletes = true;
			i--;
			continue;
		}
		if (i + 1 >= argc)
			break;
		if (!strcmp(argv[i], "-k"))
			per_key = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-r"))
			runs = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i >= argc || !per_key || !runs || runs > 101) {
		fprintf(stderr, "usage: bench_diff [-k VALUES_PER_KEY] [-r RUNS] [-x] N...\n");
		return 2;
	}
	printf("| %9s | %7s | %4s | %11s | %11s | %11s | %8s | %6s |\n", "ops", "keys", "runs",
	       "median ms", "min ms", "max ms", "ns/op", "growth");
	printf("|-----------|---------|------|-------------|-------------|-------------|----------|"
	       "--------|\n");
	for (; i < argc; i++) {
		size_t n = strtoul(argv[i], NULL, 10), r, done = 0;
		struct reg_backend *state;
		struct plan plan;
		double *t = xcalloc(runs, sizeof(*t)), med;

		if (!n) {
			fprintf(stderr, "bench_diff: bad N '%s'\n", argv[i]);
			return 2;
		}
		build(n, per_key, &plan, &state);
		for (r = 0; r < runs; r++) {
			struct sc_err err = {{0}};
			struct diff d;
			double t0 = now_ms();

			if (diff_compute(&plan, state, &d, &err) != SC_OK) {
				fprintf(stderr, "bench_diff: %s\n", err.msg);
				return 1;
			}
			t[r] = now_ms() - t0;
			done++;
			if (d.nchanged != n / 2) {
				fprintf(stderr, "bench_diff: %zu changes, expected %zu\n",
				        d.nchanged, n / 2);
				return 1;
			}
			diff_free(&d);
			if (n >= 100000 && t[r] > 10000 && done >= 1)
				break; /* one run says enough; the median of 1 is that run */
		}
		qsort(t, done, sizeof(*t), cmp_double);
		med = t[done / 2];
		printf("| %9zu | %7zu | %4zu | %11.2f | %11.2f | %11.2f | %8.0f | ", n,
		       (n + per_key - 1) / per_key, done, med, t[0], t[done - 1], med * 1e6 / n);
		if (prev > 0)
			printf("%5.1fx |\n", med / prev);
		else
			printf("%6s |\n", "-");
		fflush(stdout);
		prev = med;
		free(t);
		plan_free(&plan);
		reg_backend_free(state);
	}
	return 0;
}
