/* Unit tests for profile.c and profile_load.c: the folder of bad profiles
 * (tests/bad-profiles/, each with its expected message), include
 * semantics (tests/profiles/ fixtures) and the built-in profiles' metadata.
 * Run from the repository root. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "profile.h"

#define BAD_DIR          "tests/bad-profiles"
#define GOOD_DIR         "tests/profiles"
#define MIN_BAD_PROFILES 30

/* ---- helpers ---- */

static char *diag_text(const struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;

	diag_format(d, &sb);
	return sb_detach(&sb);
}

/* Loads a profile that must load; fails the test with its diagnostics. */
static struct profile *load_ok(const char *what)
{
	struct diag d = {0};
	struct profile *p = NULL;

	if (profile_load(what, NULL, &p, &d) != SC_OK) {
		char *text = diag_text(&d);

		fail_msg("%s should load, but:\n%s", what, text);
	}
	assert_non_null(p);
	assert_int_equal(d.count, 0);
	diag_free(&d);
	return p;
}

static const struct setting *setting(const struct profile *p, const char *id)
{
	const struct setting *s = profile_find_setting(p, id);

	if (!s)
		fail_msg("%s has no setting \"%s\"", p->file, id);
	return s;
}

/* "; key: value" on one of the first lines of a bad profile, or NULL. */
static char *header_field(const char *text, const char *key)
{
	char *prefix = xasprintf("; %s: ", key);
	const char *line = text;
	char *found = NULL;
	int n;

	for (n = 0; n < 5 && line && *line == ';'; n++) {
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

/*
 * Checks one bad profile against its expectation: "; expect: TEXT" (a
 * diagnostic must contain TEXT), optionally "; expect-line: N" (that
 * diagnostic must start with "PATH:N:") and "; expect-errors: N" (exactly N
 * diagnostics). The lines head the profile, or, for one that cannot carry
 * them (not text), fill PATH.expect beside it (tests/hostile/README.md,
 * "Expected errors"). Returns a description of the problem (xmalloc'd), or NULL.
 */
static char *check_bad_profile(const char *path)
{
	struct sc_err err = {{0}};
	struct diag d = {0};
	struct profile *p = NULL;
	size_t size, i;
	char *sidecar = xasprintf("%s.expect", path);
	struct stat st;
	const char *from = stat(sidecar, &st) == 0 ? sidecar : path;
	char *text = read_file(from, PROFILE_MAX_SIZE * 2, &size, &err);
	char *expect, *line, *count, *prefix = NULL, *all, *problem = NULL;
	int rc;

	if (!text) {
		problem = xasprintf("%s: cannot read: %s", from, err.msg);
		free(sidecar);
		return problem;
	}
	expect = header_field(text, "expect");
	line = header_field(text, "expect-line");
	count = header_field(text, "expect-errors");
	free(text);
	free(sidecar);
	if (!expect || !*expect) {
		problem = xasprintf(
		    "%s: first line (or of %s.expect) must be \"; expect: <message>\"", path, path);
		goto out;
	}
	if (line)
		prefix = xasprintf("%s:%s: ", path, line);
	rc = profile_load(path, NULL, &p, &d);
	all = diag_text(&d);
	if (rc != SC_ERROR || p) {
		problem = xasprintf("%s: loaded (rc %d), expected an error containing \"%s\"", path,
		                    rc, expect);
	} else if (!d.count) {
		problem = xasprintf("%s: SC_ERROR without any diagnostic", path);
	} else if (count && d.count != strtoul(count, NULL, 10)) {
		problem =
		    xasprintf("%s: %zu diagnostics, expected %s:\n%s", path, d.count, count, all);
	} else {
		for (i = 0; i < d.count; i++)
			if (strstr(d.lines[i], expect) &&
			    (!prefix || starts_with(d.lines[i], prefix)))
				break;
		if (i == d.count)
			problem = xasprintf("%s: no diagnostic %s%s%scontains \"%s\"; got:\n%s",
			                    path, prefix ? "starting with \"" : "",
			                    prefix ? prefix : "", prefix ? "\" " : "", expect, all);
	}
	free(all);
	profile_free(p);
	diag_free(&d);
out:
	free(expect);
	free(line);
	free(count);
	free(prefix);
	return problem;
}

static void assert_bad_profile(const char *path)
{
	char *problem = check_bad_profile(path);

	if (problem)
		fail_msg("%s", problem);
}

static void write_text(const char *path, const char *text)
{
	struct sc_err err = {{0}};

	if (write_file_atomic(path, text, strlen(text), &err) != SC_OK)
		fail_msg("%s", err.msg);
}

/* ---- the folder of bad profiles ---- */

static void test_bad_profiles_folder(void **state)
{
	size_t n, i, failures = 0;
	char **paths = t_list_files(BAD_DIR, ".ini", &n);

	(void)state;
	for (i = 0; i < n; i++) {
		char *problem = check_bad_profile(paths[i]);

		if (problem) {
			print_error("%s\n", problem);
			failures++;
			free(problem);
		}
	}
	strlist_free(paths, n);
	if (n < MIN_BAD_PROFILES)
		fail_msg("%s holds %zu profiles; at least %d expected", BAD_DIR, n,
		         MIN_BAD_PROFILES);
	if (failures)
		fail_msg("%zu of %zu bad profiles did not fail as expected", failures, n);
}

/* Every error of a file is reported, each at its own line. */
static void test_all_errors_reported(void **state)
{
	const char *path = BAD_DIR "/36-three-errors.ini";
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_load(path, NULL, &p, &d), SC_ERROR);
	assert_null(p);
	assert_int_equal(d.count, 3);
	assert_true(starts_with(d.lines[0], BAD_DIR "/36-three-errors.ini:6: "));
	assert_true(starts_with(d.lines[1], BAD_DIR "/36-three-errors.ini:10: "));
	assert_true(starts_with(d.lines[2], BAD_DIR "/36-three-errors.ini:13: "));
	diag_free(&d);
}

/* The checker itself: a good profile, or a wrong expectation, is reported. */
static void test_bad_profile_checker(void **state)
{
	char dir[] = "/tmp/schannelcfg-test-XXXXXX";
	char *good, *wrong, *problem;

	(void)state;
	assert_non_null(mkdtemp(dir));
	good = xasprintf("%s/good.ini", dir);
	wrong = xasprintf("%s/wrong.ini", dir);
	write_text(good, "; expect: x\n[profile]\nname = g\nsummary = s\n");
	write_text(wrong, "; expect: unknown key\n; expect-line: 3\n[profile]\nname = g\n"
	                  "summary = s\nfoo = bar\n");
	problem = check_bad_profile(good);
	assert_non_null(problem);
	assert_non_null(strstr(problem, "loaded"));
	free(problem);
	problem = check_bad_profile(wrong); /* the error is on line 6, not 3 */
	assert_non_null(problem);
	assert_non_null(strstr(problem, "no diagnostic starting with"));
	free(problem);
	unlink(good);
	unlink(wrong);
	rmdir(dir);
	free(good);
	free(wrong);
}

/* ---- includes ---- */

static void test_include_own_settings_win(void **state)
{
	struct profile *p = load_ok(GOOD_DIR "/own-wins.ini");
	const struct setting *s;

	(void)state;
	/* ssl3-off says disabled, tls10-on says enabled: own-wins decides. */
	s = setting(p, "protocol TLS 1.0 client");
	assert_int_equal(s->u.state, STATE_ENABLED);
	assert_string_equal(s->file, GOOD_DIR "/own-wins.ini");
	assert_int_equal(s->line, 9);
	/* Only ssl3-off sets it; own-wins overrides it with default. */
	s = setting(p, "protocol SSL 3.0 server");
	assert_int_equal(s->u.state, STATE_DEFAULT);
	assert_string_equal(s->file, GOOD_DIR "/own-wins.ini");
	/* Not set here: taken from the includes, with their places. */
	s = setting(p, "protocol SSL 3.0 client");
	assert_int_equal(s->u.state, STATE_DISABLED);
	assert_string_equal(s->file, GOOD_DIR "/ssl3-off.ini");
	assert_int_equal(s->line, 7);
	s = setting(p, "ciphers RC4 128/128");
	assert_int_equal(s->u.state, STATE_DISABLED);
	assert_string_equal(s->file, GOOD_DIR "/tls10-on.ini");
	assert_int_equal(p->nsettings, 4);
	profile_free(p);
}

static void test_include_agreeing(void **state)
{
	struct profile *p = load_ok(GOOD_DIR "/agree.ini");
	const struct setting *s;

	(void)state;
	s = setting(p, "protocol SSL 3.0 client");
	assert_int_equal(s->u.state, STATE_DISABLED);
	/* The first include's copy is kept. */
	assert_string_equal(s->file, GOOD_DIR "/ssl3-off.ini");
	assert_non_null(profile_find_setting(p, "protocol TLS 1.0 client"));
	assert_int_equal(p->nsettings, 3);
	profile_free(p);
}

static void test_include_disagreeing(void **state)
{
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_bad_profile(BAD_DIR "/include-conflict/top.ini");
	assert_int_equal(profile_load(BAD_DIR "/include-conflict/top.ini", NULL, &p, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	/* Both places are named, and the error is at the include line. */
	assert_true(starts_with(d.lines[0], BAD_DIR "/include-conflict/top.ini:8: "));
	assert_non_null(strstr(d.lines[0], BAD_DIR "/include-conflict/tls10-off.ini:7"));
	assert_non_null(strstr(d.lines[0], BAD_DIR "/include-conflict/tls10-on.ini:7"));
	diag_free(&d);
}

static void test_include_builtin_from_file(void **state)
{
	struct profile *p = load_ok(GOOD_DIR "/with-builtin.ini");
	const struct setting *s;

	(void)state;
	assert_false(p->builtin);
	s = setting(p, "protocol TLS 1.2 client");
	assert_int_equal(s->u.state, STATE_ENABLED);
	assert_string_equal(s->file, "builtin:azure-mma-tls12.ini");
	s = setting(p, "protocol TLS 1.2 server");
	assert_string_equal(s->file, GOOD_DIR "/with-builtin.ini");
	setting(p, "dotnet SchUseStrongCrypto v4.0.30319 0");
	setting(p, "dotnet SchUseStrongCrypto v4.0.30319 1");
	assert_null(profile_find_setting(p, "dotnet SchUseStrongCrypto v2.0.50727 0"));
	assert_int_equal(p->nsettings, 4);
	profile_free(p);
}

static void test_include_nested(void **state)
{
	struct profile *p = load_ok(GOOD_DIR "/nested.ini");

	(void)state;
	assert_int_equal(setting(p, "protocol TLS 1.0 client")->u.state, STATE_ENABLED);
	assert_int_equal(setting(p, "hashes MD5")->u.state, STATE_DISABLED);
	assert_string_equal(setting(p, "protocol SSL 3.0 client")->file, GOOD_DIR "/ssl3-off.ini");
	assert_int_equal(p->nsettings, 5);
	profile_free(p);
}

/* Setup and teardown of a test that changes folder: the teardown goes
 * back even when the test fails, so later tests still find their files. */
static int save_cwd(void **state)
{
	*state = getcwd(NULL, 0);
	return *state ? 0 : -1;
}

static int restore_cwd(void **state)
{
	int rc = chdir(*state);

	free(*state);
	return rc;
}

/* A profile named without a folder finds its includes in the current one. */
static void test_include_from_current_folder(void **state)
{
	struct profile *p;

	(void)state;
	assert_int_equal(chdir(GOOD_DIR), 0);
	p = load_ok("own-wins.ini");
	assert_string_equal(setting(p, "protocol SSL 3.0 client")->file, "ssl3-off.ini");
	profile_free(p);
}

static void test_include_cycle(void **state)
{
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_bad_profile(BAD_DIR "/cycle/a.ini");
	assert_bad_profile(BAD_DIR "/cycle/b.ini");
	/* a -> b -> a: reported once, at b's include line. */
	assert_int_equal(profile_load(BAD_DIR "/cycle/a.ini", NULL, &p, &d), SC_ERROR);
	assert_null(p);
	assert_int_equal(d.count, 1);
	assert_true(starts_with(d.lines[0], BAD_DIR "/cycle/b.ini:7: include cycle"));
	diag_free(&d);
}

/* Writes a chain of n profiles: level0.ini includes level1, ... */
static void write_chain(const char *dir, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/level%u.ini", dir, i);
		char *text;

		if (i + 1 < n)
			text = xasprintf("[profile]\nname = level%u\nsummary = chain\n"
			                 "include = level%u\n",
			                 i, i + 1);
		else
			text = xasprintf("[profile]\nname = level%u\nsummary = chain end\n\n"
			                 "[protocol \"SSL 3.0\"]\nclient = disabled\n",
			                 i);

		write_text(path, text);
		free(path);
		free(text);
	}
}

static void remove_chain(const char *dir, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/level%u.ini", dir, i);

		unlink(path);
		free(path);
	}
	rmdir(dir);
}

static void test_include_depth_limit(void **state)
{
	char dir[] = "/tmp/schannelcfg-test-XXXXXX";
	char *top = NULL;
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	top = xasprintf("%s/level0.ini", dir);
	/* Exactly as deep as allowed: loads, with the last level's setting. */
	write_chain(dir, PROFILE_MAX_INCLUDE_DEPTH);
	p = load_ok(top);
	assert_int_equal(setting(p, "protocol SSL 3.0 client")->u.state, STATE_DISABLED);
	profile_free(p);
	remove_chain(dir, PROFILE_MAX_INCLUDE_DEPTH);
	/* 100 levels: one clean error, no crash. */
	assert_non_null(mkdtemp(strcpy(dir, "/tmp/schannelcfg-test-XXXXXX")));
	free(top);
	top = xasprintf("%s/level0.ini", dir);
	write_chain(dir, 100);
	p = NULL;
	assert_int_equal(profile_load(top, NULL, &p, &d), SC_ERROR);
	assert_null(p);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.lines[0], "includes nested deeper than the limit"));
	diag_free(&d);
	remove_chain(dir, 100);
	free(top);
}

/* ---- built-in profiles ---- */

/* No two built-ins share a name or an alias: a name must pick one profile. */
static void check_unique_names(struct profile **list, size_t n)
{
	char **names = NULL;
	size_t count = 0, cap = 0, i, j;

	for (i = 0; i < n; i++) {
		xgrow(&names, &cap, count + 1 + list[i]->naliases, sizeof(*names));
		names[count++] = list[i]->name;
		for (j = 0; j < list[i]->naliases; j++)
			names[count++] = list[i]->aliases[j];
	}
	for (i = 0; i < count; i++)
		for (j = 0; j < i; j++)
			if (streq_ci(names[i], names[j]))
				fail_msg("two built-in profiles are called \"%s\"", names[i]);
	free(names);
}

static void test_builtins_load(void **state)
{
	struct diag d = {0};
	size_t n, i;
	struct profile **list = profile_list_builtins(&n, &d);

	(void)state;
	assert_non_null(list);
	assert_int_equal(d.count, 0);
	assert_int_equal(n, builtin_profile_count);
	assert_true(n >= 6);
	for (i = 0; i < n; i++) {
		struct profile *p;
		char *expect_file = xasprintf("%s.ini", list[i]->name);

		/* The file is named after the profile, and loads by that name. */
		assert_string_equal(builtin_profiles[i].file_name, expect_file);
		assert_non_null(list[i]->summary);
		assert_true(list[i]->nreferences > 0);
		p = load_ok(list[i]->name);
		assert_true(p->builtin);
		assert_string_equal(p->name, list[i]->name);
		profile_free(p);
		free(expect_file);
	}
	check_unique_names(list, n);
	for (i = 0; i < n; i++)
		profile_free(list[i]);
	free(list);
}

static void test_builtin_aliases(void **state)
{
	static const char *const pairs[][2] = {
	    {"azure-mma", "azure-mma-tls12"}, {"azure-p2s-vpn", "p2s-vpn"},
	    {"best", "best-practices"},       {"tls12", "tls12-strict"},
	    {"AZURE-MMA", "azure-mma-tls12"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		struct profile *p = load_ok(pairs[i][0]);

		assert_string_equal(p->name, pairs[i][1]);
		profile_free(p);
	}
}

static void test_unknown_builtin(void **state)
{
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_load("no-such-profile", NULL, &p, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.lines[0], "no built-in profile is called \"no-such-profile\""));
	diag_free(&d);
	assert_int_equal(profile_load(BAD_DIR "/no-such-file.ini", NULL, &p, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.lines[0], "no-such-file.ini"));
	diag_free(&d);
}

/* --allow-any-key lets a raw key leave the TLS roots (still HKLM only). */
static void test_allow_any_key(void **state)
{
	struct profile_options any = {.allow_any_key = true};
	struct diag d = {0};
	struct profile *p = NULL;
	const char *path = BAD_DIR "/19-raw-key-outside-roots.ini";

	(void)state;
	assert_int_equal(profile_load(path, &any, &p, &d), SC_OK);
	assert_int_equal(p->nsettings, 1);
	assert_string_equal(p->settings[0].u.raw.path,
	                    "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
	profile_free(p);
	p = NULL;
	assert_int_equal(profile_load(BAD_DIR "/20-raw-key-hkcu.ini", &any, &p, &d), SC_ERROR);
	diag_free(&d);
}

/* A raw value off the allowlist (EAP\13 Path) is refused; --allow-any-key
 * lets it through. */
static void test_allow_any_key_value(void **state)
{
	struct profile_options any = {.allow_any_key = true};
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_load(BAD_DIR "/59-raw-eap-path.ini", NULL, &p, &d), SC_ERROR);
	assert_non_null(strstr(d.lines[0], "\"Path\" is not a documented TLS value"));
	diag_free(&d);
	assert_int_equal(profile_load(BAD_DIR "/59-raw-eap-path.ini", &any, &p, &d), SC_OK);
	assert_int_equal(p->nsettings, 1);
	assert_string_equal(p->settings[0].u.raw.name, "Path");
	profile_free(p);
	p = NULL;
	assert_int_equal(profile_load(BAD_DIR "/64-raw-key-exists-undocumented.ini", &any, &p, &d),
	                 SC_OK);
	profile_free(p);
	diag_free(&d);
}

/* Documented values load without the flag, spelled in any case, in either
 * view; an empty key may be created where the allowlist leads. */
static void test_raw_documented_values_load(void **state)
{
	static const char text[] =
	    "[profile]\nname = raw\nsummary = documented raw values\n"
	    "[key \"eap\"]\n"
	    "path = hklm\\system\\currentcontrolset\\services\\rasman\\ppp\\eap\\13\n"
	    "\"tlsversion\" = dword:00000c00\n"
	    "[key \"dotnet32\"]\n"
	    "path = HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319\n"
	    "\"SchUseStrongCrypto\" = -\n"
	    "[key \"rc4\"]\n"
	    "path = HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	    "Ciphers\\RC4 128/128\n"
	    "\"Enabled\" = dword:00000000\n"
	    "[key \"protocols\"]\n"
	    "path = HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	    "Protocols\n"
	    "exists = yes\n";
	struct diag d = {0};
	struct profile *p = NULL;

	(void)state;
	if (profile_parse_text("raw.ini", text, strlen(text), NULL, &p, &d) != SC_OK)
		fail_msg("documented raw values refused:\n%s", diag_text(&d));
	assert_int_equal(p->nsettings, 4);
	profile_free(p);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_profiles_folder),
	    cmocka_unit_test(test_all_errors_reported),
	    cmocka_unit_test(test_bad_profile_checker),
	    cmocka_unit_test(test_include_own_settings_win),
	    cmocka_unit_test(test_include_agreeing),
	    cmocka_unit_test(test_include_disagreeing),
	    cmocka_unit_test(test_include_builtin_from_file),
	    cmocka_unit_test(test_include_nested),
	    cmocka_unit_test_setup_teardown(test_include_from_current_folder, save_cwd,
	                                    restore_cwd),
	    cmocka_unit_test(test_include_cycle),
	    cmocka_unit_test(test_include_depth_limit),
	    cmocka_unit_test(test_builtins_load),
	    cmocka_unit_test(test_builtin_aliases),
	    cmocka_unit_test(test_unknown_builtin),
	    cmocka_unit_test(test_allow_any_key),
	    cmocka_unit_test(test_allow_any_key_value),
	    cmocka_unit_test(test_raw_documented_values_load),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
