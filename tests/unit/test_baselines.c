/* Unit tests for baselines (baseline.c, the rule words of profile.c,
 * compile.c's order = os-default) and the Registry.pol writer (regpol.c):
 *   - golden plans of every baseline on three releases (7 / 2008 R2, 2016,
 *     2022) in tests/golden/releases/NAME@BUILD.plan; a release a baseline
 *     refuses has its error there instead. Rewrite them after an intended
 *     change with SCHANNELCFG_UPDATE_GOLDEN=1 build/host/tests/test_baselines
 *     (the test then fails on purpose) and review git diff tests/golden;
 *   - every setting and every operation of every baseline names its rule;
 *   - os-defaults after any other built-in gives the values os-defaults
 *     gives alone (the release default), from the example states (empty
 *     keys may stay: SCHANNEL\Ciphers and the like exist, empty, on a
 *     fresh Windows too, and an empty key changes nothing);
 *   - a Registry.pol read back by this file's own reader (not regpol.c's
 *     code) and applied makes the values apply makes.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "baseline.h"
#include "builtin.h"
#include "compile.h"
#include "diff.h"
#include "profile.h"
#include "regfile.h"
#include "regpol.h"
#include "testutil.h"

#define GOLDEN_DIR "tests/golden/releases"

static const struct {
	uint32_t major, minor, build;
	const char *state; /* the example state of that era */
} releases[] = {
    {6, 1, 7601, "examples/states/ws2008r2.reg"},
    {10, 0, 14393, "examples/states/ws2016-gpo.reg"},
    {10, 0, 20348, "examples/states/ws2016-gpo.reg"},
};

static struct compile_options os_of(size_t r)
{
	return (struct compile_options){.have_os = true,
	                                .major = releases[r].major,
	                                .minor = releases[r].minor,
	                                .build = releases[r].build};
}

/* "azure-mma-tls12.ini" -> "azure-mma-tls12" */
static char *stem(const char *file_name)
{
	return xstrndup(file_name, strcspn(file_name, "."));
}

static struct profile *load(const char *name)
{
	struct diag d = {0};
	struct profile *p = NULL;

	if (profile_load(name, NULL, &p, &d) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&d, &sb);
		fail_msg("%s does not load:\n%s", name, sb_str(&sb));
	}
	diag_free(&d);
	return p;
}

/* Compiles p for release r: SC_OK with *plan, or SC_ERROR with the
 * messages in *errors (malloc'd). */
static int compile_for(const struct profile *p, size_t r, struct plan *plan, char **errors)
{
	struct compile_options o = os_of(r);
	struct diag d = {0};
	struct strbuf sb = STRBUF_INIT;
	int rc = compile_profile(p, &o, plan, &d);

	diag_format(&d, &sb);
	*errors = sb_detach(&sb);
	diag_free(&d);
	return rc;
}

/* ---- golden plans per release ---- */

static char *golden_text(const struct profile *p, size_t r)
{
	struct plan plan;
	struct strbuf sb = STRBUF_INIT;
	char *errors;

	if (compile_for(p, r, &plan, &errors) == SC_OK) {
		plan_format(&plan, &sb);
		plan_free(&plan);
	} else {
		sb_addf(&sb, "refused:\n%s", errors);
	}
	free(errors);
	return sb_detach(&sb);
}

static bool golden_one(const struct profile *p, size_t r, bool update)
{
	char *path = xasprintf(GOLDEN_DIR "/%s@%u.plan", p->name, (unsigned)releases[r].build);
	char *got = golden_text(p, r);
	bool ok = t_golden_file(path, got, update, "test_baselines");

	free(got);
	free(path);
	return ok;
}

static void test_golden_per_release(void **state)
{
	bool update = t_updating_golden();
	size_t i, r, bad = 0, baselines = 0;

	(void)state;
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = stem(builtin_profiles[i].file_name);
		struct profile *p = load(name);

		if (p->baseline) {
			baselines++;
			for (r = 0; r < ARRAY_SIZE(releases); r++)
				bad += !golden_one(p, r, update);
		}
		profile_free(p);
		free(name);
	}
	assert_int_equal(baselines, 6);
	if (update)
		fail_msg(
		    "SCHANNELCFG_UPDATE_GOLDEN is set: golden files rewritten, nothing compared");
	if (bad)
		fail_msg("%zu golden plans differ", bad);
}

/* ---- rules ---- */

static void test_every_baseline_setting_has_a_rule(void **state)
{
	size_t i, j, r;

	(void)state;
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = stem(builtin_profiles[i].file_name);
		struct profile *p = load(name);

		for (j = 0; p->baseline && j < p->nsettings; j++)
			if (!p->settings[j].rule)
				fail_msg("%s:%u: %s has no rule", p->settings[j].file,
				         p->settings[j].line, p->settings[j].subject);
		for (r = 0; p->baseline && r < ARRAY_SIZE(releases); r++) {
			struct plan plan;
			char *errors;

			if (compile_for(p, r, &plan, &errors) == SC_OK) {
				assert_non_null(plan.baseline);
				for (j = 0; j < plan.nops; j++)
					if (!plan.ops[j].rule ||
					    !starts_with(plan.ops[j].rule, p->name))
						fail_msg(
						    "%s on %u: %s has rule %s", p->name,
						    (unsigned)releases[r].build, plan.ops[j].reason,
						    plan.ops[j].rule ? plan.ops[j].rule : "(none)");
				plan_free(&plan);
			}
			free(errors);
		}
		profile_free(p);
		free(name);
	}
}

static const char *diag_text_of(struct diag *d)
{
	static char buf[4096];
	struct strbuf sb = STRBUF_INIT;

	diag_format(d, &sb);
	snprintf(buf, sizeof(buf), "%s", sb_str(&sb));
	sb_free(&sb);
	return buf;
}

static struct profile *parse_ok(const char *text)
{
	struct diag d = {0};
	struct profile *p = NULL;

	if (profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&d, &sb);
		fail_msg("does not parse:\n%s", sb_str(&sb));
	}
	diag_free(&d);
	return p;
}

static const struct setting *setting(const struct profile *p, const char *id)
{
	const struct setting *s = profile_find_setting(p, id);

	if (!s)
		fail_msg("no setting %s", id);
	return s;
}

/* A section's rule covers all its settings, wherever the line stands (a
 * gathered suite edit and per-view copies too); a section without one
 * gives none; a second rule line in a section is an error. */
static void test_rule_lines(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = t\nbaseline = Doc 1.0\n"
	                           "[protocol \"TLS 1.0\"]\nclient = disabled\nrule = d:1\n"
	                           "server = disabled\n"
	                           "[ciphers]\nRC4 128/128 = disabled\n"
	                           "[cipher-suites]\nremove = TLS_DHE_*\nprefer = TLS_ECDHE_*\n"
	                           "rule = d:3\n"
	                           "[dotnet]\nrule = d:5\nSchUseStrongCrypto = 1\n";
	static const char twice_text[] = "[profile]\nname = t\nsummary = t\n[ciphers]\n"
	                                 "rule = a:1\nNULL = disabled\nrule = a:2\n";
	struct profile *p = parse_ok(text);
	struct diag d = {0};
	struct profile *twice = NULL;
	size_t i, dotnet = 0;

	(void)state;
	assert_string_equal(p->baseline, "Doc 1.0");
	assert_string_equal(setting(p, "protocol TLS 1.0 client")->rule, "d:1");
	assert_string_equal(setting(p, "protocol TLS 1.0 server")->rule, "d:1");
	assert_null(setting(p, "ciphers RC4 128/128")->rule);
	for (i = 0; i < p->nsettings; i++) {
		if (p->settings[i].kind == ST_SUITES)
			assert_string_equal(p->settings[i].rule, "d:3");
		if (p->settings[i].kind == ST_DOTNET) {
			assert_string_equal(p->settings[i].rule, "d:5");
			dotnet++;
		}
	}
	assert_int_equal(dotnet, 4); /* two versions, two views */
	assert_string_equal(baseline_group(p), "baseline");
	profile_free(p);
	assert_int_equal(
	    profile_parse_text("t.ini", twice_text, strlen(twice_text), NULL, &twice, &d),
	    SC_ERROR);
	assert_non_null(strstr(diag_text_of(&d), "\"rule\" is set twice"));
	diag_free(&d);
}

static void test_bad_rule_is_an_error(void **state)
{
	static const char *const bad[] = {
	    "two words", "semi;colon", "",
	    "x123456789x123456789x123456789x123456789x123456789x123456789x1234"};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *text = xasprintf("[profile]\nname = t\nsummary = t\n[ciphers]\nrule = %s\n"
		                       "NULL = disabled\n",
		                       bad[i]);
		struct diag d = {0};
		struct profile *p = NULL;
		struct strbuf sb = STRBUF_INIT;

		assert_int_equal(profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d),
		                 SC_ERROR);
		diag_format(&d, &sb);
		assert_non_null(strstr(sb_str(&sb), "t.ini:5: rule: expected an id"));
		sb_free(&sb);
		diag_free(&d);
		free(text);
	}
}

static char *values_of(const struct reg_backend *b);

/* ---- os-defaults ---- */

static struct reg_backend *load_state(const char *path)
{
	struct sc_err err = {{0}};
	size_t size;
	char *bytes = read_file(path, 64 * 1024 * 1024, &size, &err);
	struct regfile rf;
	struct reg_backend *b;

	if (!bytes || regfile_parse(path, (const uint8_t *)bytes, size, &rf, &err) != SC_OK)
		fail_msg("%s", err.msg);
	b = mem_backend_new();
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		fail_msg("%s", err.msg);
	regfile_free(&rf);
	free(bytes);
	return b;
}

static void apply_to(const struct plan *plan, const struct reg_backend *b)
{
	char *dir = t_tmpdir("baselines");
	struct apply_options o = {
	    .backend = b, .snapshot_dir = dir, .label = {.profile = plan->profile, .target = "t"}};
	struct apply_result res;

	apply_plan(plan, &o, &res);
	if (res.status != APPLY_DONE && res.status != APPLY_NOTHING)
		fail_msg("apply %s: status %d: %s", plan->profile, res.status, res.err.msg);
	apply_result_free(&res);
	t_remove_tree(dir);
	free(dir);
}

/* Applies the built-in `name` for release r; false when it refuses r. */
static bool apply_builtin(const char *name, size_t r, const struct reg_backend *b)
{
	struct profile *p = load(name);
	struct plan plan;
	char *errors;
	bool ok = compile_for(p, r, &plan, &errors) == SC_OK;

	if (ok) {
		apply_to(&plan, b);
		plan_free(&plan);
	}
	free(errors);
	profile_free(p);
	return ok;
}

static void test_os_defaults_after_every_builtin(void **state)
{
	size_t i, r, cases = 0;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(releases); r++) {
		struct reg_backend *alone = load_state(releases[r].state);
		char *want;

		assert_true(apply_builtin("os-defaults", r, alone));
		want = values_of(alone);
		for (i = 0; i < builtin_profile_count; i++) {
			char *name = stem(builtin_profiles[i].file_name);
			struct reg_backend *b = load_state(releases[r].state);
			char *got;

			if (apply_builtin(name, r, b)) {
				assert_true(apply_builtin("os-defaults", r, b));
				got = values_of(b);
				if (strcmp(got, want))
					fail_msg(
					    "%s then os-defaults on %u differs from os-defaults "
					    "alone:\n--- alone\n%s\n--- after %s\n%s",
					    name, (unsigned)releases[r].build, want, name, got);
				free(got);
				cases++;
			}
			reg_backend_free(b);
			free(name);
		}
		/* and the default is the release's: the local list is its
		 * default order, no Group Policy order is left */
		assert_false(
		    t_has_value(alone, REG_VIEW_64,
		                "SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\"
		                "SSL\\00010002",
		                "Functions"));
		assert_true(t_has_value(alone, REG_VIEW_64,
		                        "SYSTEM\\CurrentControlSet\\Control\\Cryptography\\"
		                        "Configuration\\Local\\SSL\\00010002",
		                        "Functions"));
		free(want);
		reg_backend_free(alone);
	}
	assert_true(cases >= 3 * 10);
}

/* ---- Registry.pol ---- */

/* An independent reader of [MS-GPREG] 2.2.1 instructions (not regpol.c's
 * code): reads UTF-16LE text up to its NUL, then expects `sep`. */
static char *read_text16(const uint8_t *p, size_t n, size_t *at, char sep)
{
	size_t start = *at, units;
	char *s;

	while (*at + 1 < n && (p[*at] || p[*at + 1]))
		*at += 2;
	assert_true(*at + 3 < n);
	s = utf16le_bytes_to_utf8(p + start, *at - start, &units);
	*at += 2;
	assert_int_equal(p[*at], (uint8_t)sep);
	assert_int_equal(p[*at + 1], 0);
	*at += 2;
	return s;
}

static uint32_t read_u32(const uint8_t *p, size_t n, size_t *at)
{
	uint32_t v;

	assert_true(*at + 4 <= n);
	v = (uint32_t)p[*at] | (uint32_t)p[*at + 1] << 8 | (uint32_t)p[*at + 2] << 16 |
	    (uint32_t)p[*at + 3] << 24;
	*at += 4;
	return v;
}

/* Applies the instructions to b as the Group Policy client would: a
 * value set, "**del.NAME" deleted, an empty name only makes the key. */
static size_t pol_apply(const uint8_t *p, size_t n, const struct reg_backend *b)
{
	size_t at = 8, count = 0;

	assert_true(n >= 8);
	assert_memory_equal(p, "PReg\x01\x00\x00\x00", 8);
	while (at < n) {
		char *key, *name;
		uint32_t type, size;
		struct reg_key *k = NULL;
		struct sc_err err = {{0}};
		enum reg_view view = REG_VIEW_64;
		const char *path;

		assert_int_equal(p[at], '[');
		at += 2;
		key = read_text16(p, n, &at, ';');
		name = read_text16(p, n, &at, ';');
		type = read_u32(p, n, &at);
		at += 2;
		size = read_u32(p, n, &at);
		at += 2;
		assert_true(at + size + 2 <= n);
		path = key;
		if (starts_with(key, "SOFTWARE\\Wow6432Node\\")) {
			/* the backend spells the 32-bit view itself */
			memmove(key + 9, key + 21, strlen(key + 21) + 1);
			view = REG_VIEW_32;
		}
		assert_int_equal(b->ops->create_key(b, view, path, &k, NULL, &err), SC_OK);
		if (starts_with(name, "**del."))
			b->ops->delete_value(b, k, name + 6, &err);
		else if (*name) {
			struct reg_value v = {0};

			regvalue_set_bytes(&v, type, p + at, size);
			assert_int_equal(b->ops->write_value(b, k, name, &v, &err), SC_OK);
			regvalue_free(&v);
		}
		b->ops->close_key(b, k);
		at += size;
		assert_int_equal(p[at], ']');
		at += 2;
		count++;
		free(key);
		free(name);
	}
	return count;
}

/* The value lines of a dump, each prefixed with its key: empty keys do not
 * count (regpol.h: a Registry.pol does not remove them). */
static char *values_of(const struct reg_backend *b)
{
	char *all = t_dump(b), *save = NULL, *line, *key = NULL;
	struct strbuf sb = STRBUF_INIT;

	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '[')
			key = line;
		else
			sb_addf(&sb, "%s %s\n", key ? key : "", line);
	}
	free(all);
	return sb_detach(&sb);
}

static void test_regpol_round_trip(void **state)
{
	size_t i, r, checked = 0;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(releases); r++) {
		for (i = 0; i < builtin_profile_count; i++) {
			char *name = stem(builtin_profiles[i].file_name);
			struct profile *p = load(name);
			struct reg_backend *applied = load_state(releases[r].state);
			struct reg_backend *by_pol = load_state(releases[r].state);
			struct plan plan;
			struct diff d;
			struct sc_err err = {{0}};
			uint8_t *bytes;
			size_t size;
			char *errors, *want, *got;

			if (compile_for(p, r, &plan, &errors) == SC_OK) {
				assert_int_equal(diff_compute(&plan, by_pol, &d, &err), SC_OK);
				assert_int_equal(regpol_from_diff(&d, &bytes, &size, &err), SC_OK);
				assert_true(pol_apply(bytes, size, by_pol) <= d.nchanged);
				apply_to(&plan, applied);
				want = values_of(applied);
				got = values_of(by_pol);
				if (strcmp(want, got))
					fail_msg(
					    "%s on %u: Registry.pol state differs from apply:\n"
					    "--- apply\n%s\n--- Registry.pol\n%s",
					    name, (unsigned)releases[r].build, want, got);
				free(want);
				free(got);
				free(bytes);
				diff_free(&d);
				plan_free(&plan);
				checked++;
			}
			free(errors);
			reg_backend_free(applied);
			reg_backend_free(by_pol);
			profile_free(p);
			free(name);
		}
	}
	assert_true(checked >= 30);
}

/* What Registry.pol cannot hold is refused, with the value named. */
static void test_regpol_refuses(void **state)
{
	struct plan plan;
	struct plan_op *op;
	struct diff d;
	struct sc_err err = {{0}};
	struct reg_backend *b = mem_backend_new();
	uint8_t *bytes;
	size_t size;

	(void)state;
	plan_init(&plan, "t");
	op = plan_add(&plan, OP_SET, AREA_RAW, REG_VIEW_64, "SYSTEM\\K", "V");
	op->source = xstrdup("t:1");
	op->reason = xstrdup("t");
	regvalue_set_bytes(&op->value, RV_NONE, "x", 1);
	assert_int_equal(diff_compute(&plan, b, &d, &err), SC_OK);
	assert_int_equal(regpol_from_diff(&d, &bytes, &size, &err), SC_ERROR);
	assert_null(bytes);
	assert_non_null(strstr(err.msg, "HKLM\\SYSTEM\\K \"V\": REG_NONE cannot be written"));
	diff_free(&d);
	plan_free(&plan);
	reg_backend_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_per_release),
	    cmocka_unit_test(test_every_baseline_setting_has_a_rule),
	    cmocka_unit_test(test_rule_lines),
	    cmocka_unit_test(test_bad_rule_is_an_error),
	    cmocka_unit_test(test_os_defaults_after_every_builtin),
	    cmocka_unit_test(test_regpol_round_trip),
	    cmocka_unit_test(test_regpol_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
