/*
 * The offline-image hive store (src/backend_hive.h, issue 15) against real
 * regf hives built by hivex's own tools (tests/hive/make-image.sh, run from
 * the repository root), never by schannelcfg; what it writes is read back
 * with hivexget and hivexregedit --export, independent readers.
 *   - the backend conformance suite (tests/conformance), where every reopen
 *     commits, closes and opens the image again;
 *   - the control set Select names (001 and 002), Wow6432Node literal on a
 *     64-bit image and one view on a 32-bit one, no CurrentControlSet key
 *     ever written, nothing written when nothing changed, dirty, missing and
 *     forged hives refused with nothing written, a failure injected at each
 *     step of a write leaving the old hive valid, and a restore giving back
 *     the exact export.
 * Built only with `make HIVEX=1` (libhivex); otherwise it says so and passes.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SC_HAVE_HIVEX
int main(void)
{
	puts("test_backend_hive: built without HIVEX=1 (libhivex): nothing to run");
	return 0;
}
#else

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../conformance/backend_conformance.h"
#include "apply.h"
#include "backend_hive.h"
#include "builtin.h"
#include "compile.h"
#include "profile.h"
#include "snapshot.h"

#define CLIENT                                                                                     \
	"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS "         \
	"1.2\\Client"
#define HCLIENT(n)                                                                                 \
	"ControlSet00" n "\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client"
#define NETFX  "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319"
#define HNETFX "Microsoft\\.NETFramework\\v4.0.30319"

/* ---- helpers ----------------------------------------------------------- */

/* A command's standard output (malloc'd, trailing newline cut) and status. */
static char *run(int *status, const char *fmt, ...) SC_PRINTF(2, 3);
static char *run(int *status, const char *fmt, ...)
{
	struct strbuf out = STRBUF_INIT, cmd = STRBUF_INIT;
	char buf[4096];
	va_list ap;
	size_t n;
	FILE *p;
	int rc;

	va_start(ap, fmt);
	sb_vaddf(&cmd, fmt, ap);
	va_end(ap);
	p = popen(sb_str(&cmd), "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_add(&out, buf, n);
	rc = pclose(p);
	*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	sb_free(&cmd);
	while (out.len && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	return sb_detach(&out);
}

static char *hive_file(const char *image, const char *name)
{
	return xasprintf("%s/Windows/System32/config/%s", image, name);
}

/* hivexget's reading of one value, or NULL when it finds no such key or value. */
static char *hget(const char *image, const char *hive, const char *key, const char *name)
{
	char *file = hive_file(image, hive), *out;
	int status;

	out = run(&status, "hivexget '%s' '%s' '%s' 2>/dev/null", file, key, name);
	free(file);
	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static bool hkey_exists(const char *image, const char *hive, const char *key)
{
	char *file = hive_file(image, hive), *out;
	int status;

	out = run(&status, "hivexget '%s' '%s' >/dev/null 2>&1", file, key);
	free(file);
	free(out);
	return status == 0;
}

static char *hexport(const char *image, const char *hive)
{
	char *file = hive_file(image, hive), *out;
	int status;

	out = run(&status, "hivexregedit --export --prefix 'HKEY_LOCAL_MACHINE\\%s' '%s' '\\'",
	          hive, file);
	assert_int_equal(status, 0);
	free(file);
	return out;
}

/* Both hives' hivexregedit exports are sys0 and sw0. */
static void assert_exports(const char *img, const char *sys0, const char *sw0)
{
	char *now = hexport(img, "SYSTEM");

	assert_string_equal(now, sys0);
	free(now);
	now = hexport(img, "SOFTWARE");
	assert_string_equal(now, sw0);
	free(now);
}

static char *hexport_key(const char *image, const char *hive, const char *key)
{
	char *file = hive_file(image, hive), *out;
	int status;

	out = run(&status, "hivexregedit --export --prefix 'HKEY_LOCAL_MACHINE\\%s' '%s' '%s'",
	          hive, file, key);
	assert_int_equal(status, 0);
	free(file);
	return out;
}

static char *slurp(const char *path, size_t *size)
{
	struct sc_err err = {{0}};
	char *data = read_file(path, 64u << 20, size, &err);

	if (!data)
		fail_msg("%s", err.msg);
	return data;
}

static bool same_bytes(const char *path, const char *data, size_t size)
{
	size_t now_size;
	char *now = slurp(path, &now_size);
	bool same = now_size == size && memcmp(now, data, size) == 0;

	free(now);
	return same;
}

/* Base block: sequence numbers equal, checksum right (as the store checks). */
static bool hive_clean(const char *path)
{
	size_t size;
	unsigned char *b = (unsigned char *)slurp(path, &size);
	uint32_t sum = 0, w;
	bool clean;
	int i;

	assert_true(size >= 8192);
	for (i = 0; i < 508; i += 4) {
		memcpy(&w, b + i, 4);
		sum ^= w;
	}
	memcpy(&w, b + 508, 4);
	clean = sum == w && !memcmp(b + 4, b + 8, 4);
	free(b);
	return clean;
}

static char *make_image(const char *tag, const char *opts)
{
	char *dir = t_tmpdir(tag), *out;
	int status;

	assert_non_null(dir);
	out = run(&status, "tests/hive/make-image.sh '%s' %s 2>&1", dir, opts);
	if (status != 0)
		fail_msg("make-image.sh %s: %s", opts, out);
	free(out);
	return dir;
}

/* A fresh copy of a template image's two hives. */
static char *copy_image(const char *template, const char *tag)
{
	static const char *const hives[] = {"SYSTEM", "SOFTWARE"};
	char *dir = t_tmpdir(tag), *config, *mkdir;
	size_t i, size;

	assert_non_null(dir);
	config = xasprintf("%s/Windows/System32/config", dir);
	mkdir = xasprintf("mkdir -p '%s'", config);
	assert_int_equal(system(mkdir), 0);
	free(mkdir);
	for (i = 0; i < ARRAY_SIZE(hives); i++) {
		char *from = hive_file(template, hives[i]), *to = hive_file(dir, hives[i]);
		char *data = slurp(from, &size);

		t_write_file(to, data, size);
		free(data);
		free(from);
		free(to);
	}
	free(config);
	return dir;
}

static struct reg_backend *open_ok(const char *image)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = hive_store_open(image, &err);

	if (!b)
		fail_msg("hive_store_open %s: %s", image, err.msg);
	return b;
}

static void set_dword(const struct reg_backend *b, enum reg_view view, const char *path,
                      const char *name, uint32_t v)
{
	struct sc_err err = {{0}};
	struct reg_value val = {0};
	struct reg_key *k = NULL;

	regvalue_set_dword(&val, v);
	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    b->ops->write_value(b, k, name, &val, &err) != SC_OK)
		fail_msg("%s: %s", path, err.msg);
	b->ops->close_key(b, k);
	regvalue_free(&val);
}

static void commit_ok(const struct reg_backend *b)
{
	struct sc_err err = {{0}};

	if (reg_backend_commit(b, &err) != SC_OK)
		fail_msg("commit: %s", err.msg);
}

static void expect_str(char *got, const char *want)
{
	if (!got || strcmp(got, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", got ? got : "(absent)", want);
	free(got);
}

static char *template_64_cs2, *template_64_cs1, *template_x86;

/* ---- the conformance target -------------------------------------------- */

struct image_ctx {
	char *dir;
	struct reg_backend *b;
};

static const struct reg_backend *image_open(void *ctx)
{
	struct image_ctx *c = ctx;

	c->dir = copy_image(template_64_cs2, "hive-conformance");
	c->b = open_ok(c->dir);
	return c->b;
}

static int image_reopen(void *ctx, const struct reg_backend **b, struct sc_err *err)
{
	struct image_ctx *c = ctx;

	assert_ptr_equal(*b, c->b);
	if (reg_backend_commit(c->b, err) != SC_OK)
		return SC_ERROR;
	reg_backend_free(c->b);
	c->b = hive_store_open(c->dir, err);
	*b = c->b;
	return c->b ? SC_OK : SC_ERROR;
}

static void image_reset(void *ctx)
{
	struct image_ctx *c = ctx;
	const struct reg_backend *b;
	struct sc_err err = {{0}};
	char *sys, *sw;

	if (c->b) {
		b = c->b;
		if (image_reopen(c, &b, &err) != SC_OK)
			fail_msg("hive: reopen %s: %s", c->dir, err.msg);
		/* what the test did not touch is as it was, in the set Select names */
		assert_int_equal(t_dword(b, REG_VIEW_64, CLIENT, "Enabled"), 1);
		assert_int_equal(t_dword(b, REG_VIEW_32, NETFX, "SchUseStrongCrypto"), 1);
		assert_false(t_has_value(b, REG_VIEW_64, NETFX, "SchUseStrongCrypto"));
		expect_str(hget(c->dir, "SYSTEM", HCLIENT("2"), "Enabled"), "1");
		expect_str(hget(c->dir, "SYSTEM", HCLIENT("1"), "Enabled"), "0");
		assert_false(hkey_exists(c->dir, "SYSTEM", "CurrentControlSet"));
		sys = hive_file(c->dir, "SYSTEM");
		sw = hive_file(c->dir, "SOFTWARE");
		assert_true(hive_clean(sys));
		assert_true(hive_clean(sw));
		free(sys);
		free(sw);
	}
	reg_backend_free(c->b);
	c->b = NULL;
	t_remove_tree(c->dir);
	free(c->dir);
	c->dir = NULL;
}

/* ---- hive-specific tests ----------------------------------------------- */

/* Writes through CurrentControlSet land in the set Select names, for 1 and 2. */
static void control_set_for(const char *template, const char *n, const char *other)
{
	char *img = copy_image(template, "hive-cs");
	struct reg_backend *b = open_ok(img);
	struct hive_image_info info;
	struct sc_err err = {{0}};
	char want[8], key[256];

	assert_int_equal(hive_store_info(b, &info, &err), SC_OK);
	assert_int_equal(info.control_set, (unsigned)atoi(n));
	assert_true(info.wow64);
	assert_string_equal(info.architecture, "AMD64");
	set_dword(b, REG_VIEW_64, CLIENT, "DisabledByDefault", 0x1234);
	set_dword(b, REG_VIEW_64,
	          "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS "
	          "1.3\\Server",
	          "Enabled", 1);
	commit_ok(b);
	snprintf(want, sizeof(want), "%d", 0x1234);
	snprintf(key, sizeof(key), HCLIENT("%s"), n);
	expect_str(hget(img, "SYSTEM", key, "DisabledByDefault"), want);
	snprintf(key, sizeof(key), HCLIENT("%s"), other);
	assert_null(hget(img, "SYSTEM", key, "DisabledByDefault"));
	snprintf(key, sizeof(key),
	         "ControlSet00%s\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.3\\Server",
	         n);
	assert_true(hkey_exists(img, "SYSTEM", key));
	assert_false(hkey_exists(img, "SYSTEM", "CurrentControlSet"));
	/* the set by number is the same key */
	snprintf(key, sizeof(key), "SYSTEM\\" HCLIENT("%s"), n);
	assert_int_equal(t_dword(b, REG_VIEW_64, key, "DisabledByDefault"), 0x1234);
	reg_backend_free(b);
	t_remove_tree(img);
	free(img);
}

static void test_control_set_select(void **state)
{
	(void)state;
	control_set_for(template_64_cs1, "1", "2");
	control_set_for(template_64_cs2, "2", "1");
}

static void test_wow6432node_literal(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-wow");
	struct reg_backend *b = open_ok(img);

	(void)state;
	set_dword(b, REG_VIEW_32, NETFX, "SystemDefaultTlsVersions", 1);
	set_dword(b, REG_VIEW_64, NETFX, "SchUseStrongCrypto", 1);
	commit_ok(b);
	expect_str(hget(img, "SOFTWARE", "Wow6432Node\\" HNETFX, "SystemDefaultTlsVersions"), "1");
	assert_null(hget(img, "SOFTWARE", HNETFX, "SystemDefaultTlsVersions"));
	expect_str(hget(img, "SOFTWARE", HNETFX, "SchUseStrongCrypto"), "1");
	reg_backend_free(b);
	t_remove_tree(img);
	free(img);
}

/* A 32-bit image has one view: the 32-bit view is SOFTWARE itself. */
static void test_x86_one_view(void **state)
{
	char *img = copy_image(template_x86, "hive-x86");
	struct reg_backend *b = open_ok(img);
	struct hive_image_info info;
	struct sc_err err = {{0}};

	(void)state;
	assert_int_equal(hive_store_info(b, &info, &err), SC_OK);
	assert_false(info.wow64);
	assert_string_equal(info.architecture, "x86");
	set_dword(b, REG_VIEW_32, NETFX, "SchUseStrongCrypto", 1);
	assert_int_equal(t_dword(b, REG_VIEW_64, NETFX, "SchUseStrongCrypto"), 1);
	commit_ok(b);
	expect_str(hget(img, "SOFTWARE", HNETFX, "SchUseStrongCrypto"), "1");
	assert_false(hkey_exists(img, "SOFTWARE", "Wow6432Node"));
	reg_backend_free(b);
	t_remove_tree(img);
	free(img);
}

/* Nothing changed (nothing written, or the same values written again):
 * both files stay byte for byte. */
static void test_unchanged_writes_nothing(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-same");
	char *sys = hive_file(img, "SYSTEM"), *sw = hive_file(img, "SOFTWARE");
	size_t sys_size, sw_size;
	char *sys0 = slurp(sys, &sys_size), *sw0 = slurp(sw, &sw_size);
	struct reg_backend *b = open_ok(img);
	struct sc_err err = {{0}};
	bool deleted;

	(void)state;
	commit_ok(b);
	set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 1);                /* as it was */
	set_dword(b, REG_VIEW_32, NETFX, "SchUseStrongCrypto", 1);      /* as it was */
	set_dword(b, REG_VIEW_64, "SOFTWARE\\schannelcfg-tmp", "x", 1); /* and gone again */
	{
		struct reg_key *k = NULL;

		assert_int_equal(b->ops->open_key(b, REG_VIEW_64, "SOFTWARE\\schannelcfg-tmp",
		                                  REG_ACCESS_WRITE, &k, &err),
		                 SC_OK);
		assert_int_equal(b->ops->delete_value(b, k, "x", &err), SC_OK);
		b->ops->close_key(b, k);
	}
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, "SOFTWARE\\schannelcfg-tmp",
	                                             &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	commit_ok(b);
	assert_true(same_bytes(sys, sys0, sys_size));
	assert_true(same_bytes(sw, sw0, sw_size));
	/* one real change: only that hive is written */
	set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 0);
	commit_ok(b);
	assert_false(same_bytes(sys, sys0, sys_size));
	assert_true(same_bytes(sw, sw0, sw_size));
	reg_backend_free(b);
	free(sys0);
	free(sw0);
	free(sys);
	free(sw);
	t_remove_tree(img);
	free(img);
}

/* Changes, then their undoing, give back exactly the tools' export. */
static void test_restore_gives_back_the_export(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-restore");
	char *sys0 = hexport(img, "SYSTEM"), *sw0 = hexport(img, "SOFTWARE"), *now;
	struct reg_backend *b = open_ok(img);
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	bool deleted;

	(void)state;
	set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 0);
	set_dword(b, REG_VIEW_64, CLIENT "\\New\\Deeper", "v", 7);
	set_dword(b, REG_VIEW_32, NETFX, "SystemDefaultTlsVersions", 1);
	commit_ok(b);
	now = hexport(img, "SYSTEM");
	assert_string_not_equal(now, sys0);
	free(now);
	/* the before-image, as a rollback writes it */
	set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 1);
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_64, CLIENT "\\New\\Deeper", REG_ACCESS_WRITE, &k, &err),
	    SC_OK);
	assert_int_equal(b->ops->delete_value(b, k, "v", &err), SC_OK);
	b->ops->close_key(b, k);
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, CLIENT "\\New\\Deeper", &deleted, &err),
	    SC_OK);
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, CLIENT "\\New", &deleted, &err), SC_OK);
	assert_true(deleted);
	assert_int_equal(b->ops->open_key(b, REG_VIEW_32, NETFX, REG_ACCESS_WRITE, &k, &err),
	                 SC_OK);
	assert_int_equal(b->ops->delete_value(b, k, "SystemDefaultTlsVersions", &err), SC_OK);
	b->ops->close_key(b, k);
	commit_ok(b);
	assert_exports(img, sys0, sw0);
	reg_backend_free(b);
	free(sys0);
	free(sw0);
	t_remove_tree(img);
	free(img);
}

static void expect_refused(const char *img, const char *what, const char *msg_part)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = hive_store_open(img, &err);

	if (b)
		fail_msg("%s: opened", what);
	if (!strstr(err.msg, msg_part))
		fail_msg("%s: message \"%s\" lacks \"%s\"", what, err.msg, msg_part);
}

/* Sets the secondary sequence number one lower, checksum kept right: a
 * hive with a write Windows did not finish. */
static void make_dirty(const char *path)
{
	size_t size;
	unsigned char *b = (unsigned char *)slurp(path, &size);
	uint32_t seq2, sum = 0, w;
	int i;

	memcpy(&seq2, b + 8, 4);
	seq2--;
	memcpy(b + 8, &seq2, 4);
	for (i = 0; i < 508; i += 4) {
		memcpy(&w, b + i, 4);
		sum ^= w;
	}
	memcpy(b + 508, &sum, 4);
	t_write_file(path, b, size);
	free(b);
}

static void test_refusals(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-refuse"), *sys = hive_file(img, "SYSTEM");
	char *sw = hive_file(img, "SOFTWARE"), *data, *out;
	size_t size, sw_size;
	char *sw0 = slurp(sw, &sw_size);
	int status;

	(void)state;
	make_dirty(sys);
	data = slurp(sys, &size);
	expect_refused(img, "dirty SYSTEM", "the hive is dirty (its base block sequence numbers");
	expect_refused(img, "dirty SYSTEM", "nothing was written");
	assert_true(same_bytes(sys, data, size));
	assert_true(same_bytes(sw, sw0, sw_size));
	free(data);
	/* a wrong checksum is dirty too */
	data = slurp(sw, &size);
	data[508] ^= 1;
	t_write_file(sys, sw0, sw_size); /* any clean hive here: SOFTWARE's */
	t_write_file(sw, data, size);
	expect_refused(img, "bad checksum", "checksum is wrong");
	free(data);
	/* missing */
	unlink(sw);
	expect_refused(img, "missing SOFTWARE", "SOFTWARE: no such file or folder");
	/* not a root */
	expect_refused("/nonexistent-image", "no image", "/nonexistent-image: no such folder");
	/* a symbolic link */
	assert_int_equal(symlink(sys, sw), 0);
	expect_refused(img, "symlinked SOFTWARE", "not a regular file (a symbolic link)");
	unlink(sw);
	t_write_file(sw, sw0, sw_size);
	/* SYSTEM without Select (SOFTWARE's content in its place) */
	expect_refused(img, "SYSTEM without Select", "no Select key");
	/* a forged SYSTEM with a CurrentControlSet key, built by the tools */
	free(img);
	img = make_image("hive-forged", "--current 1");
	free(sys);
	sys = hive_file(img, "SYSTEM");
	out = run(&status,
	          "printf 'Windows Registry Editor Version 5.00\\n\\n[HKEY_LOCAL_MACHINE\\\\SYSTEM"
	          "\\\\CurrentControlSet]\\n' | hivexregedit --merge --prefix "
	          "'HKEY_LOCAL_MACHINE\\SYSTEM' '%s' 2>&1",
	          sys);
	assert_int_equal(status, 0);
	free(out);
	expect_refused(img, "literal CurrentControlSet", "has a CurrentControlSet key");
	t_remove_tree(img);
	free(img);
	free(sys);
	free(sw);
	free(sw0);
}

/* Keys outside the two hives cannot be created; the hive roots stay. */
static void test_outside_the_hives(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-outside");
	struct reg_backend *b = open_ok(img);
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	bool deleted = true;

	(void)state;
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, "SAM\\X", &k, NULL, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "HKLM\\SAM\\X: not in the image's hives"));
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, "SOFTWARE", &deleted, &err),
	                 SC_OK);
	assert_false(deleted);
	reg_backend_free(b);
	t_remove_tree(img);
	free(img);
}

static const char *fail_step;
static int fail_at(const char *s, const char *tmp)
{
	(void)tmp;
	return fail_step && !strcmp(s, fail_step);
}

/* A failure at any step of a write leaves the old hive, valid, and no
 * temporary file; the next commit writes the change. */
static void test_failed_write_keeps_the_hive(void **state)
{
	static const char *const steps[] = {"created", "committed", "flushed", "verified"};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		char *img = copy_image(template_64_cs2, "hive-crash");
		char *sys = hive_file(img, "SYSTEM"), *config, *out;
		size_t size;
		char *sys0 = slurp(sys, &size);
		struct reg_backend *b = open_ok(img);
		struct sc_err err = {{0}};
		int status;

		set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 0);
		hive_store_write_hook = fail_at;
		fail_step = steps[i];
		assert_int_equal(reg_backend_commit(b, &err), SC_ERROR);
		assert_non_null(strstr(err.msg, steps[i]));
		hive_store_write_hook = NULL;
		assert_true(same_bytes(sys, sys0, size));
		assert_true(hive_clean(sys));
		expect_str(hget(img, "SYSTEM", HCLIENT("2"), "Enabled"), "1");
		config = xasprintf("%s/Windows/System32/config", img);
		out = run(&status, "ls -A '%s'", config);
		assert_string_equal(out, "SOFTWARE\nSYSTEM");
		free(out);
		free(config);
		commit_ok(b); /* from the reloaded file: the change is still to write */
		expect_str(hget(img, "SYSTEM", HCLIENT("2"), "Enabled"), "0");
		assert_true(hive_clean(sys));
		reg_backend_free(b);
		free(sys0);
		free(sys);
		t_remove_tree(img);
		free(img);
	}
}

/* The mode of the hive survives a write. */
static void test_mode_kept(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-mode"), *sys = hive_file(img, "SYSTEM");
	struct reg_backend *b;
	struct stat st;

	(void)state;
	assert_int_equal(chmod(sys, 0640), 0);
	b = open_ok(img);
	set_dword(b, REG_VIEW_64, CLIENT, "Enabled", 0);
	commit_ok(b);
	assert_int_equal(stat(sys, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	reg_backend_free(b);
	free(sys);
	t_remove_tree(img);
	free(img);
}

/* ---- the engine on an image: every built-in profile --------------------- */

/* Compiles built-in profile i for the image's Windows version (the
 * store's). False when the profile refuses that version (applies-to). */
static bool compile_builtin(size_t i, const struct reg_backend *b, struct plan *plan)
{
	const char *f = builtin_profiles[i].file_name;
	char *name = xstrndup(f, strlen(f) - strlen(".ini"));
	struct hive_image_info info;
	struct compile_options co = {0};
	struct profile *p = NULL;
	struct diag d = {0};
	struct strbuf sb = STRBUF_INIT;
	struct sc_err err = {{0}};
	int rc = profile_load(name, NULL, &p, &d);

	assert_int_equal(hive_store_info(b, &info, &err), SC_OK);
	assert_true(info.have_os);
	co.have_os = true;
	co.major = info.major;
	co.minor = info.minor;
	co.build = info.build;
	if (rc == SC_OK)
		rc = compile_profile(p, &co, plan, &d);
	if (rc != SC_OK) {
		diag_format(&d, &sb);
		if (!strstr(sb_str(&sb), "applies"))
			fail_msg("%s: %s", name, sb_str(&sb));
		printf("  (%s refuses %u.%u.%u: %s)\n", name, info.major, info.minor, info.build,
		       sb_str(&sb));
		sb_free(&sb);
	}
	profile_free(p);
	diag_free(&d);
	free(name);
	return rc == SC_OK;
}

/* apply, apply again (nothing: the files stay byte for byte), rollback from
 * the snapshot (the tools' exports are as before), for each built-in
 * profile on the image. */
static void profiles_on(const char *template, const char *tag, const char *other_set)
{
	size_t i;

	for (i = 0; i < builtin_profile_count; i++) {
		char *img = copy_image(template, tag), *snaps = xasprintf("%s/snapshots", img);
		char *sys0 = hexport(img, "SYSTEM"), *sw0 = hexport(img, "SOFTWARE"), *now;
		char *other0 = hexport_key(img, "SYSTEM", other_set);
		char *sys = hive_file(img, "SYSTEM"), *sw = hive_file(img, "SOFTWARE");
		struct apply_options o = {.snapshot_dir = snaps,
		                          .label = {.profile = builtin_profiles[i].file_name,
		                                    .target = "image:test",
		                                    .now = 1767225600}};
		struct reg_backend *b = open_ok(img);
		struct plan p = {0}, restore = {0};
		struct apply_result r;
		struct snapshot snap;
		struct sc_err err = {{0}};
		size_t sys_size, sw_size;
		char *sys1, *sw1, *snapshot;
		bool compiled;

		assert_int_equal(mkdir(snaps, 0700), 0);
		o.backend = b;
		compiled = compile_builtin(i, b, &p);
		if (!compiled || apply_plan(&p, &o, &r) == APPLY_NOTHING) {
			/* (disable-dhe: these images have no suite list to edit) */
			now = hexport(img, "SYSTEM");
			assert_string_equal(now, sys0);
			free(now);
			if (compiled)
				apply_result_free(&r);
			reg_backend_free(b);
			plan_free(&p);
			free(other0);
			free(sys0);
			free(sw0);
			free(sys);
			free(sw);
			free(snaps);
			t_remove_tree(img);
			free(img);
			continue;
		}
		if (r.status != APPLY_DONE)
			fail_msg("%s: apply: status %d: %s", builtin_profiles[i].file_name,
			         (int)r.status, r.err.msg);
		snapshot = xstrdup(r.snapshot_path);
		apply_result_free(&r);
		now = hexport(img, "SYSTEM");
		assert_string_not_equal(now, sys0); /* every profile sets SCHANNEL values */
		free(now);
		now = hexport_key(img, "SYSTEM", other_set); /* the other set: untouched */
		assert_string_equal(now, other0);
		free(now);
		assert_false(hkey_exists(img, "SYSTEM", "CurrentControlSet"));
		assert_true(hive_clean(sys));
		assert_true(hive_clean(sw));
		reg_backend_free(b);

		/* a second apply, from a fresh open: compliant, nothing written */
		sys1 = slurp(sys, &sys_size);
		sw1 = slurp(sw, &sw_size);
		b = open_ok(img);
		o.backend = b;
		assert_int_equal(apply_plan(&p, &o, &r), APPLY_NOTHING);
		apply_result_free(&r);
		assert_true(same_bytes(sys, sys1, sys_size));
		assert_true(same_bytes(sw, sw1, sw_size));

		/* rollback: the exports as the tools made them */
		if (snapshot_load(snapshot, false, &snap, &err) != SC_OK)
			fail_msg("%s", err.msg);
		snapshot_restore_plan(&snap, snapshot, &restore);
		o.label.profile = "rollback";
		if (apply_plan(&restore, &o, &r) != APPLY_DONE)
			fail_msg("%s: rollback: %s", builtin_profiles[i].file_name, r.err.msg);
		apply_result_free(&r);
		now = hexport(img, "SYSTEM");
		if (strcmp(now, sys0) != 0)
			fail_msg("%s: SYSTEM after rollback:\n%s\nbefore:\n%s",
			         builtin_profiles[i].file_name, now, sys0);
		free(now);
		now = hexport(img, "SOFTWARE");
		if (strcmp(now, sw0) != 0)
			fail_msg("%s: SOFTWARE after rollback:\n%s\nbefore:\n%s",
			         builtin_profiles[i].file_name, now, sw0);
		free(now);

		reg_backend_free(b);
		snapshot_free(&snap);
		plan_free(&restore);
		plan_free(&p);
		free(snapshot);
		free(sys1);
		free(sw1);
		free(other0);
		free(sys0);
		free(sw0);
		free(sys);
		free(sw);
		free(snaps);
		t_remove_tree(img);
		free(img);
	}
}

static void test_profiles_2022(void **state)
{
	(void)state;
	profiles_on(template_64_cs2, "hive-p2022", "ControlSet001");
}

static void test_profiles_2008r2(void **state)
{
	(void)state;
	profiles_on(template_64_cs1, "hive-p2008", "ControlSet002");
}

/* Loaded on demand (backend_hive.h): a key deleted in the store stays
 * deleted when its parent is listed afterwards; a key created under a
 * parent never listed joins its siblings, which stay; the values of a key
 * first seen on the way to another are the hive's; and every key the
 * store never opened is as it was after the commit. */
static void test_on_demand_loading(void **state)
{
	char *img = copy_image(template_64_cs2, "hive-lazy");
	struct reg_backend *b = open_ok(img);
	const char *tls12 = "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	                    "Protocols\\TLS 1.2";
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	struct reg_value v = {0};
	char *name = NULL;
	bool deleted = false;
	size_t i;

	(void)state;
	/* A deep key first: SecurityProviders is then a key on the way. */
	assert_int_equal(t_dword(b, REG_VIEW_64, CLIENT, "Enabled"), 1);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64,
	                                   "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders",
	                                   "SecurityProviders", &v, &err),
	                 SC_OK);
	expect_str(regvalue_get_string(&v), "credssp.dll");
	regvalue_free(&v);
	/* Delete TLS 1.2\Client, then list its parent: it does not come back. */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, CLIENT, REG_ACCESS_WRITE, &k, &err),
	                 SC_OK);
	assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_OK);
	b->ops->close_key(b, k);
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, CLIENT, &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, tls12, REG_ACCESS_READ, &k, &err), SC_OK);
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);
	assert_int_equal(reg_key_exists(b, REG_VIEW_64, CLIENT, &err), SC_NOT_FOUND);
	/* A new key below Winlogon, which was never listed. */
	set_dword(b, REG_VIEW_64, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Sc",
	          "Test", 7);
	/* The SYSTEM root, listed: its control sets as the booted machine names them. */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, "SYSTEM", REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	for (i = 0; b->ops->enum_subkey(b, k, i, &name, &err) == SC_OK; i++) {
		assert_false(streq_ci(name, "ControlSet002"));
		free(name);
	}
	b->ops->close_key(b, k);
	assert_true(i >= 4); /* ControlSet001, CurrentControlSet, MountedDevices, Select */
	commit_ok(b);
	reg_backend_free(b);
	assert_false(hkey_exists(img, "SYSTEM", HCLIENT("2")));
	assert_true(hkey_exists(img, "SYSTEM", HCLIENT("1")));
	expect_str(
	    hget(img, "SOFTWARE", "Microsoft\\Windows NT\\CurrentVersion\\Winlogon", "Shell"),
	    "explorer.exe");
	expect_str(
	    hget(img, "SOFTWARE", "Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Sc", "Test"),
	    "7");
	expect_str(
	    hget(img, "SYSTEM", "ControlSet002\\Control\\SecurityProviders", "SecurityProviders"),
	    "credssp.dll");
	expect_str(hget(img, "SYSTEM", "ControlSet002\\Control\\SecurityProviders\\WDigest",
	                "UseLogonCredential"),
	           "0");
	expect_str(hget(img, "SYSTEM", "ControlSet002\\Services\\Tcpip\\Parameters", "Hostname"),
	           "golden");
	expect_str(hget(img, "SOFTWARE", "Classes\\.txt", ""), "txtfile");
	assert_true(hkey_exists(img, "SYSTEM", "MountedDevices"));
	t_remove_tree(img);
	free(img);
}

/* The hive a step fails on ("SYSTEM" or "SOFTWARE"), once, for
 * fail_in_hive (the restore's own commit then goes through). */
static const char *fail_hive;
static int fail_in_hive(const char *s, const char *path)
{
	const char *base = strrchr(path, '/');
	bool fail = fail_step && !strcmp(s, fail_step) && base && !strcmp(base + 1, fail_hive);

	if (fail)
		fail_step = NULL;
	return fail;
}

/* tls12-strict (it changes both hives) applied with a write failing at
 * step, in hive: the transaction rolls back, and both files hold what they
 * held before, by hivexregedit's exports; bytes too when no rename was
 * done. After a rename (SYSTEM "installed": in place, its folder flush
 * failing) the restore has to reach the file as well. */
static void rollback_after(const char *step, const char *hive, bool renamed)
{
	char *img = copy_image(template_64_cs2, "hive-partial"),
	     *snaps = xasprintf("%s/snapshots", img);
	char *sys0 = hexport(img, "SYSTEM"), *sw0 = hexport(img, "SOFTWARE");
	char *sys = hive_file(img, "SYSTEM"), *sysbytes;
	struct apply_options o = {
	    .snapshot_dir = snaps,
	    .label = {.profile = "tls12-strict", .target = "image:test", .now = 1767225600}};
	struct reg_backend *b = open_ok(img);
	struct plan p = {0};
	struct apply_result r;
	size_t i, size;

	for (i = 0; strcmp(builtin_profiles[i].file_name, "tls12-strict.ini"); i++)
		;
	sysbytes = slurp(sys, &size);
	assert_int_equal(mkdir(snaps, 0700), 0);
	o.backend = b;
	assert_true(compile_builtin(i, b, &p));
	fail_step = step;
	fail_hive = hive;
	hive_store_write_hook = fail_in_hive;
	apply_plan(&p, &o, &r);
	hive_store_write_hook = NULL;
	if (r.status != APPLY_ROLLED_BACK)
		fail_msg("%s in %s: status %d (%s; restore: %s)", step, hive, (int)r.status,
		         r.err.msg, r.restore_err.msg);
	apply_result_free(&r);
	reg_backend_free(b);
	plan_free(&p);
	assert_exports(img, sys0, sw0);
	assert_true(renamed || same_bytes(sys, sysbytes, size));
	assert_true(hive_clean(sys));
	free(sysbytes);
	free(sys);
	free(sys0);
	free(sw0);
	free(snaps);
	t_remove_tree(img);
	free(img);
}

static void test_failed_commit_rolls_back_both_hives(void **state)
{
	(void)state;
	rollback_after("created", "SOFTWARE", false);  /* staged SYSTEM is never renamed */
	rollback_after("verified", "SOFTWARE", false); /* nor after SOFTWARE was written */
	rollback_after("installed", "SYSTEM", true);   /* SYSTEM replaced: restored on disk */
}

int main(void)
{
	static struct image_ctx image = {NULL, NULL};
	const struct conformance_target target = {
	    "hive", "schannelcfg-conformance", &image, image_open, image_reopen, image_reset, 0};
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_control_set_select),
	    cmocka_unit_test(test_wow6432node_literal),
	    cmocka_unit_test(test_x86_one_view),
	    cmocka_unit_test(test_unchanged_writes_nothing),
	    cmocka_unit_test(test_restore_gives_back_the_export),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_outside_the_hives),
	    cmocka_unit_test(test_failed_write_keeps_the_hive),
	    cmocka_unit_test(test_mode_kept),
	    cmocka_unit_test(test_profiles_2022),
	    cmocka_unit_test(test_profiles_2008r2),
	    cmocka_unit_test(test_on_demand_loading),
	    cmocka_unit_test(test_failed_commit_rolls_back_both_hives),
	};
	int failed;

	template_64_cs2 = make_image("hive-template2", "--current 2");
	template_64_cs1 = make_image("hive-template1", "--current 1 --os 2008r2");
	template_x86 = make_image("hive-template86", "--arch x86 --os 2008r2");
	failed = conformance_run(&target);
	failed += cmocka_run_group_tests(tests, NULL, NULL);
	t_remove_tree(template_64_cs2);
	t_remove_tree(template_64_cs1);
	t_remove_tree(template_x86);
	free(template_64_cs2);
	free(template_64_cs1);
	free(template_x86);
	return failed;
}
#endif
