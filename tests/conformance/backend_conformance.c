/*
 * The backend contract of src/backend.h as one cmocka suite, run against
 * every backend (backend_conformance.h). Only the backend interface is used:
 * what a test checks, every backend must do. A target's known differences
 * (CONF_KNOWN_*) are checked as the different behaviour they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend_conformance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regvalue.h"

/* One test's state: its target, backend and scratch keys. */
struct conf {
	const struct conformance_target *t;
	const char *test;
	const struct reg_backend *b;
	char *sw;    /* SOFTWARE\<root>\<test>, used in both views */
	char *sys;   /* SYSTEM\<root>\<test> */
	char **strs; /* strings freed at teardown (at(), names()) */
	size_t nstrs, capstrs;
};

/* What cmocka hands each test's setup: the target and the test's tag. */
struct conf_case {
	const struct conformance_target *t;
	const char *test;
};

/* ---- helpers ----------------------------------------------------------- */

static const char *keep(struct conf *c, char *s)
{
	xgrow(&c->strs, &c->capstrs, c->nstrs + 1, sizeof(*c->strs));
	c->strs[c->nstrs++] = s;
	return s;
}

/* base\rest, freed at teardown. */
static const char *at(struct conf *c, const char *base, const char *rest)
{
	return keep(c, xasprintf("%s\\%s", base, rest));
}

static bool known(const struct conf *c, unsigned flag)
{
	return (c->t->known & flag) != 0;
}

/* Fails the test: a target declared a difference the backend no longer has. */
static void known_gone(const struct conf *c, const char *flag)
{
	fail_msg("%s: known difference %s no longer happens: remove it from the target", c->t->name,
	         flag);
}

static struct reg_key *create(struct conf *c, enum reg_view view, const char *path, bool *created)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (c->b->ops->create_key(c->b, view, path, &k, created, &err) != SC_OK)
		fail_msg("%s: create_key %s (%s view): %s", c->t->name, path, reg_view_name(view),
		         err.msg);
	assert_non_null(k);
	return k;
}

static void mk(struct conf *c, enum reg_view view, const char *path)
{
	c->b->ops->close_key(c->b, create(c, view, path, NULL));
}

static struct reg_key *open_k(struct conf *c, enum reg_view view, const char *path,
                              enum reg_access access)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	int rc = c->b->ops->open_key(c->b, view, path, access, &k, &err);

	if (rc != SC_OK)
		fail_msg("%s: open_key %s (%s view): %s", c->t->name, path, reg_view_name(view),
		         rc == SC_NOT_FOUND ? "not found" : err.msg);
	return k;
}

/* open_key's status for path (the key, if opened, closed again). */
static int open_rc(struct conf *c, enum reg_view view, const char *path, enum reg_access access)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	int rc = c->b->ops->open_key(c->b, view, path, access, &k, &err);

	if (rc == SC_ERROR)
		fail_msg("%s: open_key %s (%s view): %s", c->t->name, path, reg_view_name(view),
		         err.msg);
	if (rc == SC_OK)
		c->b->ops->close_key(c->b, k);
	return rc;
}

static int exists(struct conf *c, enum reg_view view, const char *path)
{
	return open_rc(c, view, path, REG_ACCESS_READ);
}

static void put(struct conf *c, struct reg_key *k, const char *name, uint32_t type,
                const void *data, size_t size)
{
	struct reg_value v;
	struct sc_err err = {{0}};

	regvalue_set_bytes(&v, type, data, size);
	if (c->b->ops->write_value(c->b, k, name, &v, &err) != SC_OK)
		fail_msg("%s: write_value \"%s\": %s", c->t->name, name, err.msg);
	regvalue_free(&v);
}

static void put_dword(struct conf *c, struct reg_key *k, const char *name, uint32_t d)
{
	uint8_t le[4] = {(uint8_t)d, (uint8_t)(d >> 8), (uint8_t)(d >> 16), (uint8_t)(d >> 24)};

	put(c, k, name, RV_DWORD, le, 4);
}

static void hex(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 8 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
	if (i < n)
		snprintf(out + o, cap - o, "...");
}

/* Reads name from k and checks it is exactly (type, data, size). */
static void check_read(struct conf *c, struct reg_key *k, const char *where, const char *name,
                       uint32_t type, const void *data, size_t size)
{
	struct reg_value out = {0};
	struct sc_err err = {{0}};
	int rc = c->b->ops->read_value(c->b, k, name, &out, &err);

	if (rc != SC_OK)
		fail_msg("%s: read %s \"%s\": %s", c->t->name, where, name,
		         rc == SC_NOT_FOUND ? "not found" : err.msg);
	if (out.type != type || out.size != size || (size && memcmp(out.data, data, size))) {
		char want[160], got[160];

		hex(want, sizeof(want), data, size);
		hex(got, sizeof(got), out.data, out.size);
		fail_msg(
		    "%s: %s \"%s\": read type %u, %lu bytes [%s]; wrote type %u, %lu bytes [%s]",
		    c->t->name, where, name, (unsigned)out.type, (unsigned long)out.size, got,
		    (unsigned)type, (unsigned long)size, want);
	}
	regvalue_free(&out);
}

static void check_value(struct conf *c, enum reg_view view, const char *path, const char *name,
                        uint32_t type, const void *data, size_t size)
{
	struct reg_key *k = open_k(c, view, path, REG_ACCESS_READ);

	check_read(c, k, path, name, type, data, size);
	c->b->ops->close_key(c->b, k);
}

static void check_dword(struct conf *c, enum reg_view view, const char *path, const char *name,
                        uint32_t d)
{
	uint8_t le[4] = {(uint8_t)d, (uint8_t)(d >> 8), (uint8_t)(d >> 16), (uint8_t)(d >> 24)};

	check_value(c, view, path, name, RV_DWORD, le, 4);
}

/* read_value's status for name in path (SC_ERROR fails the test). */
static int value_rc(struct conf *c, enum reg_view view, const char *path, const char *name)
{
	struct reg_key *k = open_k(c, view, path, REG_ACCESS_READ);
	struct reg_value out = {0};
	struct sc_err err = {{0}};
	int rc = c->b->ops->read_value(c->b, k, name, &out, &err);

	if (rc == SC_ERROR)
		fail_msg("%s: read %s \"%s\": %s", c->t->name, path, name, err.msg);
	if (rc == SC_OK)
		regvalue_free(&out);
	c->b->ops->close_key(c->b, k);
	return rc;
}

/* The status of delete_key_if_empty; *deleted is set to true first, so a
 * backend must clear it itself. */
static int rmkey(struct conf *c, enum reg_view view, const char *path, bool *deleted)
{
	struct sc_err err = {{0}};
	int rc;

	*deleted = true;
	rc = c->b->ops->delete_key_if_empty(c->b, view, path, deleted, &err);
	if (rc == SC_ERROR)
		fail_msg("%s: delete_key_if_empty %s: %s", c->t->name, path, err.msg);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every subkey (or value) name of path, enumerated by index until
 * SC_NOT_FOUND, sorted, one per line. Freed at teardown. */
static const char *names(struct conf *c, enum reg_view view, const char *path, bool values)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_key *k = open_k(c, view, path, REG_ACCESS_READ);
	char **list = NULL;
	size_t n = 0, cap = 0, i;

	for (;;) {
		struct sc_err err = {{0}};
		char *name = NULL;
		int rc = values ? c->b->ops->enum_value(c->b, k, n, &name, &err)
		                : c->b->ops->enum_subkey(c->b, k, n, &name, &err);

		if (rc == SC_NOT_FOUND)
			break;
		if (rc != SC_OK)
			fail_msg("%s: enumerate %s at %lu: %s", c->t->name, path, (unsigned long)n,
			         err.msg);
		assert_non_null(name);
		if (n >= 10000)
			fail_msg("%s: enumerating %s does not end", c->t->name, path);
		xgrow(&list, &cap, n + 1, sizeof(*list));
		list[n++] = name;
	}
	c->b->ops->close_key(c->b, k);
	if (n)
		qsort(list, n, sizeof(*list), cmp_str);
	for (i = 0; i < n; i++) {
		sb_addf(&sb, "%s%s", i ? "\n" : "", list[i]);
		free(list[i]);
	}
	free(list);
	sb_adds(&sb, "");
	return keep(c, sb_detach(&sb));
}

/* Makes the state durable and loads it again (regfile: save + reopen). */
static void reopen(struct conf *c)
{
	struct sc_err err = {{0}};

	if (c->t->reopen && c->t->reopen(c->t->ctx, &c->b, &err) != SC_OK)
		fail_msg("%s: reopen: %s", c->t->name, err.msg);
	assert_non_null(c->b);
}

/* The error names the key as the caller gave it: reg_display_path. */
static void check_err_names(struct conf *c, const struct sc_err *err, enum reg_view view,
                            const char *path, const char *what)
{
	char *display = reg_display_path(view, path);
	char *physical = NULL;
	const char *want = display;

	if (known(c, CONF_KNOWN_ERROR_PHYSICAL_PATH) && view == REG_VIEW_32 &&
	    starts_with_ci(path, "SOFTWARE\\")) {
		/* Known difference (mem, regfile: backend_mem.c builds its
		 * messages from the physical path): the 32-bit view's error
		 * says HKLM\SOFTWARE\Wow6432Node\... and not "(32-bit view)". */
		physical = xasprintf("HKLM\\SOFTWARE\\Wow6432Node\\%s", path + 9);
		if (strstr(err->msg, display))
			known_gone(c, "CONF_KNOWN_ERROR_PHYSICAL_PATH");
		want = physical;
	}
	if (!strstr(err->msg, want))
		fail_msg("%s: %s: the error does not name \"%s\": \"%s\"", c->t->name, what, want,
		         err->msg);
	free(physical);
	free(display);
}

/* Removes path and everything below it through the backend alone. */
static void remove_tree(struct conf *c, enum reg_view view, const char *path)
{
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	char *name = NULL;
	bool deleted = false;
	int rc = c->b->ops->open_key(c->b, view, path, REG_ACCESS_WRITE, &k, &err);

	if (rc == SC_NOT_FOUND)
		return;
	if (rc != SC_OK)
		fail_msg("%s: clean-up: open %s: %s", c->t->name, path, err.msg);
	while ((rc = c->b->ops->enum_subkey(c->b, k, 0, &name, &err)) == SC_OK) {
		char *child = xasprintf("%s\\%s", path, name);

		free(name);
		remove_tree(c, view, child);
		free(child);
	}
	if (rc != SC_NOT_FOUND)
		fail_msg("%s: clean-up: enumerate %s: %s", c->t->name, path, err.msg);
	while ((rc = c->b->ops->enum_value(c->b, k, 0, &name, &err)) == SC_OK) {
		rc = c->b->ops->delete_value(c->b, k, name, &err);
		free(name);
		if (rc != SC_OK)
			fail_msg("%s: clean-up: delete a value of %s: %s", c->t->name, path,
			         err.msg);
	}
	if (rc != SC_NOT_FOUND)
		fail_msg("%s: clean-up: enumerate values of %s: %s", c->t->name, path, err.msg);
	c->b->ops->close_key(c->b, k);
	if (c->b->ops->delete_key_if_empty(c->b, view, path, &deleted, &err) != SC_OK || !deleted)
		fail_msg("%s: clean-up: delete %s: %s", c->t->name, path,
		         deleted ? err.msg : "not deleted");
}

/* ---- fixtures ---------------------------------------------------------- */

static int setup(void **state)
{
	const struct conf_case *cc = *state;
	struct conf *c = xcalloc(1, sizeof(*c));

	c->t = cc->t;
	c->test = cc->test;
	c->sw = xasprintf("SOFTWARE\\%s\\%s", c->t->root, c->test);
	c->sys = xasprintf("SYSTEM\\%s\\%s", c->t->root, c->test);
	*state = c;
	c->b = c->t->open(c->t->ctx);
	if (!c->b)
		return -1;
	/* every test starts without its scratch keys */
	if (exists(c, REG_VIEW_64, c->sw) != SC_NOT_FOUND ||
	    exists(c, REG_VIEW_32, c->sw) != SC_NOT_FOUND ||
	    exists(c, REG_VIEW_64, c->sys) != SC_NOT_FOUND) {
		fprintf(stderr, "%s: %s: scratch keys exist before the test\n", c->t->name,
		        c->test);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct conf *c = *state;
	char *sw_root = xasprintf("SOFTWARE\\%s", c->t->root);
	char *sys_root = xasprintf("SYSTEM\\%s", c->t->root);
	bool deleted;
	int rc = 0;
	size_t i;

	if (c->b) {
		remove_tree(c, REG_VIEW_64, c->sw);
		remove_tree(c, REG_VIEW_32, c->sw);
		remove_tree(c, REG_VIEW_64, c->sys);
		/* the shared roots go once the last test's keys are gone */
		rmkey(c, REG_VIEW_64, sw_root, &deleted);
		rmkey(c, REG_VIEW_32, sw_root, &deleted);
		rmkey(c, REG_VIEW_64, sys_root, &deleted);
		if (exists(c, REG_VIEW_64, c->sw) != SC_NOT_FOUND ||
		    exists(c, REG_VIEW_32, c->sw) != SC_NOT_FOUND ||
		    exists(c, REG_VIEW_64, c->sys) != SC_NOT_FOUND)
			rc = -1;
	}
	c->t->reset(c->t->ctx);
	for (i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->sw);
	free(c->sys);
	free(sw_root);
	free(sys_root);
	free(c);
	return rc;
}

/* ---- create_key, open_key ---------------------------------------------- */

static void test_create_key(void **state)
{
	struct conf *c = *state;
	const char *a = at(c, c->sys, "A"), *ab = at(c, c->sys, "A\\B");
	const char *abc = at(c, c->sys, "A\\B\\C");
	struct reg_key *k;
	bool created = false;

	/* missing parents are created; *created is about the key itself */
	assert_int_equal(exists(c, REG_VIEW_64, a), SC_NOT_FOUND);
	k = create(c, REG_VIEW_64, abc, &created);
	assert_true(created);
	c->b->ops->close_key(c->b, k);
	assert_int_equal(exists(c, REG_VIEW_64, c->sys), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, a), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, ab), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, abc), SC_OK);
	/* a key that exists, as a leaf or as a parent, is not created */
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, abc, &created));
	assert_false(created);
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, ab, &created));
	assert_false(created);
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, c->sys, &created));
	assert_false(created);
	/* a new leaf below existing parents is */
	created = false;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, at(c, ab, "D"), &created));
	assert_true(created);
	/* created may be NULL */
	mk(c, REG_VIEW_64, at(c, ab, "E"));
	assert_int_equal(exists(c, REG_VIEW_64, at(c, ab, "E")), SC_OK);
	/* the handle create_key returns is open for writing, also for a key
	 * that existed */
	k = create(c, REG_VIEW_64, abc, NULL);
	put_dword(c, k, "x", 7);
	check_read(c, k, abc, "x", RV_DWORD, "\x07\0\0\0", 4);
	c->b->ops->close_key(c->b, k);
	/* the same in the 32-bit view below SOFTWARE */
	created = false;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_32, at(c, c->sw, "A\\B"), &created));
	assert_true(created);
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_32, at(c, c->sw, "A\\B"), &created));
	assert_false(created);
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_32, at(c, c->sw, "A"), &created));
	assert_false(created);
	/* and it lasts */
	reopen(c);
	assert_int_equal(exists(c, REG_VIEW_64, at(c, ab, "D")), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_32, at(c, c->sw, "A\\B")), SC_OK);
	check_dword(c, REG_VIEW_64, abc, "x", 7);
	created = true;
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, at(c, ab, "E"), &created));
	assert_false(created);
}

static void test_open_key(void **state)
{
	struct conf *c = *state;
	const char *key = at(c, c->sys, "Key"), *sub = at(c, key, "Sub");
	static const enum reg_access both[] = {REG_ACCESS_READ, REG_ACCESS_WRITE};
	size_t i;

	mk(c, REG_VIEW_64, sub);
	for (i = 0; i < ARRAY_SIZE(both); i++) {
		enum reg_access a = both[i];

		assert_int_equal(open_rc(c, REG_VIEW_64, key, a), SC_OK);
		assert_int_equal(open_rc(c, REG_VIEW_64, sub, a), SC_OK);
		/* a missing key, a missing parent */
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, c->sys, "Missing"), a),
		                 SC_NOT_FOUND);
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, c->sys, "Missing\\Deeper"), a),
		                 SC_NOT_FOUND);
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, key, "Missing\\Deeper"), a),
		                 SC_NOT_FOUND);
		/* a prefix of a name, or a name and more, is another name */
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, c->sys, "Ke"), a), SC_NOT_FOUND);
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, c->sys, "KeyX"), a), SC_NOT_FOUND);
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, key, "Su"), a), SC_NOT_FOUND);
		assert_int_equal(open_rc(c, REG_VIEW_64, at(c, key, "Sub\\Sub"), a), SC_NOT_FOUND);
		/* open_key never creates */
		assert_int_equal(exists(c, REG_VIEW_64, at(c, c->sys, "Missing")), SC_NOT_FOUND);
	}
	c->b->ops->close_key(c->b, NULL); /* closing NULL is harmless */
}

static void test_access(void **state)
{
	struct conf *c = *state;
	const char *key = at(c, c->sys, "Access");
	struct sc_err err = {{0}};
	struct reg_key *k;
	struct reg_value v;
	char *name = NULL;
	int rc;

	k = create(c, REG_VIEW_64, key, NULL);
	put_dword(c, k, "v", 1);
	c->b->ops->close_key(c->b, k);
	mk(c, REG_VIEW_64, at(c, key, "Sub"));

	/* REG_ACCESS_WRITE: set and delete values */
	k = open_k(c, REG_VIEW_64, key, REG_ACCESS_WRITE);
	put_dword(c, k, "w", 2);
	check_read(c, k, key, "w", RV_DWORD, "\x02\0\0\0", 4);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "w", &err), SC_OK);
	c->b->ops->close_key(c->b, k);

	/* REG_ACCESS_READ: query and enumerate... */
	k = open_k(c, REG_VIEW_64, key, REG_ACCESS_READ);
	check_read(c, k, key, "v", RV_DWORD, "\x01\0\0\0", 4);
	assert_int_equal(c->b->ops->enum_value(c->b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "v");
	free(name);
	assert_int_equal(c->b->ops->enum_subkey(c->b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "Sub");
	free(name);
	/* ...but neither set nor delete a value */
	regvalue_set_dword(&v, 3);
	memset(&err, 0, sizeof(err));
	rc = c->b->ops->write_value(c->b, k, "w", &v, &err);
	regvalue_free(&v);
	if (known(c, CONF_KNOWN_READ_HANDLE_WRITES)) {
		/* Known difference (mem, regfile: backend_mem.c ignores the
		 * access): the write through a read handle succeeds. */
		if (rc != SC_OK)
			known_gone(c, "CONF_KNOWN_READ_HANDLE_WRITES");
		assert_int_equal(c->b->ops->delete_value(c->b, k, "w", &err), SC_OK);
	} else {
		assert_int_equal(rc, SC_ERROR);
		check_err_names(c, &err, REG_VIEW_64, key, "write_value through a read handle");
		memset(&err, 0, sizeof(err));
		assert_int_equal(c->b->ops->delete_value(c->b, k, "v", &err), SC_ERROR);
		check_err_names(c, &err, REG_VIEW_64, key, "delete_value through a read handle");
	}
	c->b->ops->close_key(c->b, k);
	/* nothing changed */
	assert_string_equal(names(c, REG_VIEW_64, key, true), "v");
	check_dword(c, REG_VIEW_64, key, "v", 1);
}

/* ---- names ------------------------------------------------------------- */

static const char *lower(struct conf *c, const char *s)
{
	char *p = xstrdup(s), *q;

	for (q = p; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return keep(c, p);
}

static const char *upper(struct conf *c, const char *s)
{
	char *p = xstrdup(s), *q;

	for (q = p; *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	return keep(c, p);
}

static void test_case_insensitive(void **state)
{
	struct conf *c = *state;
	static const char *const same[][2] = {
	    {"MixedCase", "mIXEDcASE"},
	    {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"},
	};
	/* ASCII pairs 0x20 apart that are not letters: they never fold */
	static const char *const other[][2] = {
	    {"k@", "k`"},
	    {"k[", "k{"},
	    {"k]", "k}"},
	    {"k^", "k~"},
	};
	const char *mixed = at(c, c->sys, "MixedCase");
	struct sc_err err = {{0}};
	struct reg_key *k;
	bool created = true;
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(same); i++) {
		mk(c, REG_VIEW_64, at(c, c->sys, same[i][0]));
		assert_int_equal(exists(c, REG_VIEW_64, at(c, c->sys, same[i][1])), SC_OK);
	}
	mk(c, REG_VIEW_64, at(c, mixed, "Child"));
	/* every component folds, the scratch root's too */
	assert_int_equal(exists(c, REG_VIEW_64, lower(c, at(c, mixed, "Child"))), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, upper(c, at(c, mixed, "Child"))), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_32, lower(c, at(c, c->sw, "x"))), SC_NOT_FOUND);
	mk(c, REG_VIEW_32, at(c, c->sw, "x"));
	assert_int_equal(exists(c, REG_VIEW_32, lower(c, at(c, c->sw, "X"))), SC_OK);
	/* creating another spelling opens the same key, which keeps its name */
	c->b->ops->close_key(c->b, create(c, REG_VIEW_64, upper(c, mixed), &created));
	assert_false(created);
	for (i = 0; i < ARRAY_SIZE(other); i++)
		mk(c, REG_VIEW_64, at(c, c->sys, other[i][0]));
	assert_string_equal(names(c, REG_VIEW_64, c->sys, false),
	                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\nMixedCase\nk@\nk[\nk]\nk^");
	for (i = 0; i < ARRAY_SIZE(other); i++)
		assert_int_equal(exists(c, REG_VIEW_64, at(c, c->sys, other[i][1])), SC_NOT_FOUND);

	/* values */
	k = open_k(c, REG_VIEW_64, mixed, REG_ACCESS_WRITE);
	put_dword(c, k, "Enabled", 1);
	put_dword(c, k, "ENABLED", 2); /* the same value */
	check_read(c, k, mixed, "enabled", RV_DWORD, "\x02\0\0\0", 4);
	for (i = 0; i < ARRAY_SIZE(other); i++)
		put_dword(c, k, other[i][0], (uint32_t)i);
	c->b->ops->close_key(c->b, k);
	assert_true(streq_ci(names(c, REG_VIEW_64, mixed, true), "Enabled\nk@\nk[\nk]\nk^"));
	for (i = 0; i < ARRAY_SIZE(other); i++)
		assert_int_equal(value_rc(c, REG_VIEW_64, mixed, other[i][1]), SC_NOT_FOUND);
	k = open_k(c, REG_VIEW_64, mixed, REG_ACCESS_WRITE);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "eNaBlEd", &err), SC_OK);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "Enabled", &err), SC_NOT_FOUND);
	c->b->ops->close_key(c->b, k);

	/* only ASCII folds: "caf\u00e9" and "caf\u00c9" are two names */
	mk(c, REG_VIEW_64, at(c, c->sys, "caf\xC3\xA9"));
	rc = exists(c, REG_VIEW_64, at(c, c->sys, "caf\xC3\x89"));
	k = open_k(c, REG_VIEW_64, mixed, REG_ACCESS_WRITE);
	put_dword(c, k, "\xC3\xA9t\xC3\xA9", 1);
	c->b->ops->close_key(c->b, k);
	if (known(c, CONF_KNOWN_UNICODE_FOLDING)) {
		/* Known difference (win32: the registry itself folds every
		 * letter it has an upper case for): one key, one value. */
		if (rc != SC_OK || value_rc(c, REG_VIEW_64, mixed, "\xC3\x89T\xC3\x89") != SC_OK)
			known_gone(c, "CONF_KNOWN_UNICODE_FOLDING");
	} else {
		assert_int_equal(rc, SC_NOT_FOUND);
		assert_int_equal(value_rc(c, REG_VIEW_64, mixed, "\xC3\x89T\xC3\x89"),
		                 SC_NOT_FOUND);
		assert_int_equal(value_rc(c, REG_VIEW_64, mixed, "\xC3\xA9T\xC3\xA9"), SC_OK);
	}
	/* the spelling survives a reopen */
	reopen(c);
	assert_string_equal(names(c, REG_VIEW_64, c->sys, false),
	                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\nMixedCase\ncaf\xC3\xA9\nk@\nk[\nk]\nk^");
	assert_int_equal(exists(c, REG_VIEW_64, lower(c, at(c, mixed, "Child"))), SC_OK);
}

static void test_slash_is_a_character(void **state)
{
	struct conf *c = *state;
	const char *ciphers = at(c, c->sys, "Ciphers"), *rc4 = at(c, ciphers, "RC4 128/128");
	struct reg_key *k;
	bool created = false, deleted;

	k = create(c, REG_VIEW_64, rc4, &created);
	assert_true(created);
	put_dword(c, k, "Enabled", 0);
	c->b->ops->close_key(c->b, k);
	mk(c, REG_VIEW_64, at(c, ciphers, "RC4 40/128"));
	mk(c, REG_VIEW_32, at(c, c->sw, "a/b"));
	reopen(c);
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(exists(c, REG_VIEW_64, at(c, ciphers, "RC4 128")), SC_NOT_FOUND);
		assert_int_equal(exists(c, REG_VIEW_64, at(c, ciphers, "RC4 128\\128")),
		                 SC_NOT_FOUND);
		assert_string_equal(names(c, REG_VIEW_64, ciphers, false),
		                    "RC4 128/128\nRC4 40/128");
		assert_string_equal(names(c, REG_VIEW_64, rc4, false), "");
		check_dword(c, REG_VIEW_64, at(c, ciphers, "rc4 128/128"), "Enabled", 0);
		assert_string_equal(names(c, REG_VIEW_32, c->sw, false), "a/b");
		assert_int_equal(exists(c, REG_VIEW_32, at(c, c->sw, "a")), SC_NOT_FOUND);
		if (pass)
			break;
		/* deleting one leaves the other, and creates no "RC4 40" */
		assert_int_equal(rmkey(c, REG_VIEW_64, at(c, ciphers, "RC4 40/128"), &deleted),
		                 SC_OK);
		assert_true(deleted);
		mk(c, REG_VIEW_64, at(c, ciphers, "RC4 40/128"));
	}
}

/* ---- values ------------------------------------------------------------ */

struct vcase {
	const char *name;
	uint32_t type;
	size_t size;
	const char *data;
};

/* A value whose data is a string literal (its own terminator excluded). */
#define V(name, type, literal)                                                                     \
	{                                                                                          \
		name, type, sizeof(literal) - 1, literal                                           \
	}

/* Writes every case into path, reopens, checks each byte for byte and the
 * value list, then deletes each. */
static void values_round_trip(struct conf *c, enum reg_view view, const char *path,
                              const struct vcase *cases, size_t n)
{
	struct strbuf expect = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_key *k = create(c, view, path, NULL);
	const char **sorted = xcalloc(n, sizeof(*sorted));
	size_t i;

	for (i = 0; i < n; i++) {
		put(c, k, cases[i].name, cases[i].type, cases[i].data, cases[i].size);
		sorted[i] = cases[i].name;
	}
	/* read back through the handle that wrote them */
	for (i = 0; i < n; i++)
		check_read(c, k, path, cases[i].name, cases[i].type, cases[i].data, cases[i].size);
	c->b->ops->close_key(c->b, k);
	reopen(c);
	for (i = 0; i < n; i++)
		check_value(c, view, path, cases[i].name, cases[i].type, cases[i].data,
		            cases[i].size);
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (i = 0; i < n; i++)
		sb_addf(&expect, "%s%s", i ? "\n" : "", sorted[i]);
	sb_adds(&expect, "");
	assert_string_equal(names(c, view, path, true), expect.buf);
	sb_free(&expect);
	free(sorted);
	k = open_k(c, view, path, REG_ACCESS_WRITE);
	for (i = 0; i < n; i++) {
		struct reg_value out = {0};

		assert_int_equal(c->b->ops->delete_value(c->b, k, cases[i].name, &err), SC_OK);
		assert_int_equal(c->b->ops->read_value(c->b, k, cases[i].name, &out, &err),
		                 SC_NOT_FOUND);
	}
	assert_string_equal(names(c, view, path, true), "");
	c->b->ops->close_key(c->b, k);
}

static void test_values_every_type(void **state)
{
	struct conf *c = *state;
	static const struct vcase cases[] = {
	    V("sz", RV_SZ, "T\0L\0S\0 \0\xe9\0\x3d\xd8\x00\xde\0\0"), /* "TLS é😀" */
	    V("expand sz", RV_EXPAND_SZ, "%\0S\0y\0s\0%\0\\\0x\0\0\0"),
	    V("binary", RV_BINARY, "\0\x01\x7f\x80\xfe\xff"),
	    V("dword", RV_DWORD, "\x78\x56\x34\x12"),
	    V("dword big endian", RV_DWORD_BIG_ENDIAN, "\x12\x34\x56\x78"),
	    V("multi sz", RV_MULTI_SZ, "a\0\0\0b\0c\0\0\0\0\0"),
	    V("qword", RV_QWORD, "\x08\x07\x06\x05\x04\x03\x02\x01"),
	    V("none", RV_NONE, ""),
	    V("none with data", RV_NONE, "\x01\x00\x02"),
	};

	values_round_trip(c, REG_VIEW_64, at(c, c->sys, "Types"), cases, ARRAY_SIZE(cases));
	/* the same in the 32-bit view */
	values_round_trip(c, REG_VIEW_32, at(c, c->sw, "Types"), cases, ARRAY_SIZE(cases));
}

static void test_values_malformed(void **state)
{
	struct conf *c = *state;
	static const struct vcase cases[] = {
	    /* strings as stored, not as they should be */
	    V("sz empty", RV_SZ, ""),
	    V("sz only terminator", RV_SZ, "\0\0"),
	    V("sz one byte", RV_SZ, "a"),
	    V("sz odd", RV_SZ, "a\0b"),
	    V("sz odd with NUL", RV_SZ, "a\0\0"),
	    V("sz unterminated", RV_SZ, "a\0b\0"),
	    V("sz embedded NUL", RV_SZ, "a\0\0\0b\0\0\0"),
	    V("sz two terminators", RV_SZ, "a\0\0\0\0\0"),
	    V("sz lone surrogate", RV_SZ, "\x00\xd8\0\0"),
	    V("sz quote backslash", RV_SZ, "\"\0\\\0\0\0"),
	    V("expand empty", RV_EXPAND_SZ, ""),
	    V("expand unterminated", RV_EXPAND_SZ, "%\0"),
	    V("expand odd", RV_EXPAND_SZ, "%\0x"),
	    /* numbers of the wrong size */
	    V("binary empty", RV_BINARY, ""),
	    V("binary zeros", RV_BINARY, "\0\0\0"),
	    V("dword empty", RV_DWORD, ""),
	    V("dword short", RV_DWORD, "\x01\x02"),
	    V("dword long", RV_DWORD, "\x01\x02\x03\x04\x05"),
	    V("dword big endian short", RV_DWORD_BIG_ENDIAN, "\x01"),
	    V("qword empty", RV_QWORD, ""),
	    V("qword short", RV_QWORD, "\x01\x02\x03"),
	    V("none odd", RV_NONE, "\xff"),
	};
	const char *key = at(c, c->sys, "Malformed");
	struct reg_key *k;
	uint8_t *big = xmalloc(64 * 1024 + 1);
	uint8_t copy[4] = {1, 2, 3, 4};
	struct reg_value v;
	struct sc_err err = {{0}};
	size_t i;

	values_round_trip(c, REG_VIEW_64, key, cases, ARRAY_SIZE(cases));

	/* a large value, odd-sized */
	for (i = 0; i < 64 * 1024 + 1; i++)
		big[i] = (uint8_t)(i * 31 + (i >> 8));
	k = create(c, REG_VIEW_64, key, NULL);
	put(c, k, "big", RV_BINARY, big, 64 * 1024 + 1);
	/* the backend keeps its own copy: the caller's buffer may change */
	regvalue_set_bytes(&v, RV_BINARY, copy, sizeof(copy));
	assert_int_equal(c->b->ops->write_value(c->b, k, "copy", &v, &err), SC_OK);
	v.data[0] = 0x55;
	regvalue_free(&v);
	/* overwriting changes type and size */
	put(c, k, "retyped", RV_SZ, "l\0o\0n\0g\0e\0r\0\0\0", 14);
	put(c, k, "retyped", RV_DWORD, "\x01\0\0\0", 4);
	put(c, k, "shrunk", RV_BINARY, big, 100);
	put(c, k, "shrunk", RV_BINARY, big, 1);
	c->b->ops->close_key(c->b, k);
	reopen(c);
	check_value(c, REG_VIEW_64, key, "big", RV_BINARY, big, 64 * 1024 + 1);
	check_value(c, REG_VIEW_64, key, "copy", RV_BINARY, "\x01\x02\x03\x04", 4);
	check_value(c, REG_VIEW_64, key, "retyped", RV_DWORD, "\x01\0\0\0", 4);
	check_value(c, REG_VIEW_64, key, "shrunk", RV_BINARY, big, 1);
	free(big);
}

static void test_value_names(void **state)
{
	struct conf *c = *state;
	char longname[1001];
	struct vcase cases[] = {
	    V("@", RV_DWORD, "\x01\0\0\0"),
	    V("quote \" backslash \\ end\\", RV_DWORD, "\x02\0\0\0"),
	    V("=", RV_DWORD, "\x03\0\0\0"),
	    V(" leading and trailing space ", RV_DWORD, "\x04\0\0\0"),
	    V("semi;colon [bracket] -", RV_DWORD, "\x05\0\0\0"),
	    V("caf\xC3\xA9 \xF0\x9F\x98\x80", RV_SZ, "x\0\0\0"),
	    V("a/b", RV_DWORD, "\x06\0\0\0"),
	    V("", RV_SZ, "d\0\0\0"),
	    V("long", RV_BINARY, "\x07"),
	};

	memset(longname, 'v', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cases[ARRAY_SIZE(cases) - 1].name = longname;
	values_round_trip(c, REG_VIEW_64, at(c, c->sys, "Names"), cases, ARRAY_SIZE(cases));
}

static void test_default_value(void **state)
{
	struct conf *c = *state;
	const char *key = at(c, c->sys, "Default");
	struct sc_err err = {{0}};
	struct reg_value out = {0};
	struct reg_key *k = create(c, REG_VIEW_64, key, NULL);
	char *name = NULL;

	/* a new key has no default value, and lists no values */
	assert_int_equal(c->b->ops->read_value(c->b, k, "", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->enum_value(c->b, k, 0, &name, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "", &err), SC_NOT_FOUND);
	put(c, k, "", RV_SZ, "d\0e\0f\0\0\0", 8);
	put_dword(c, k, "Named", 1);
	c->b->ops->close_key(c->b, k);
	reopen(c);
	check_value(c, REG_VIEW_64, key, "", RV_SZ, "d\0e\0f\0\0\0", 8);
	/* it is enumerated, named "" */
	assert_string_equal(names(c, REG_VIEW_64, key, true), "\nNamed");
	k = open_k(c, REG_VIEW_64, key, REG_ACCESS_WRITE);
	/* any type */
	put_dword(c, k, "", 5);
	check_read(c, k, key, "", RV_DWORD, "\x05\0\0\0", 4);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "", &err), SC_OK);
	assert_int_equal(c->b->ops->read_value(c->b, k, "", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "", &err), SC_NOT_FOUND);
	c->b->ops->close_key(c->b, k);
	check_dword(c, REG_VIEW_64, key, "Named", 1);
	assert_string_equal(names(c, REG_VIEW_64, key, true), "Named");
}

static void test_missing_values(void **state)
{
	struct conf *c = *state;
	const char *key = at(c, c->sys, "Missing");
	struct sc_err err = {{0}};
	struct reg_value out = {0};
	struct reg_key *k = create(c, REG_VIEW_64, key, NULL);

	/* in a key without values */
	assert_int_equal(c->b->ops->read_value(c->b, k, "x", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "x", &err), SC_NOT_FOUND);
	/* in a key with others; a prefix of a name is another name */
	put_dword(c, k, "Enabled", 1);
	assert_int_equal(c->b->ops->read_value(c->b, k, "x", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->read_value(c->b, k, "Enable", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->read_value(c->b, k, "EnabledX", &out, &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "x", &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "Enable", &err), SC_NOT_FOUND);
	/* a subkey is not a value, a value is not a subkey */
	c->b->ops->close_key(c->b, k);
	mk(c, REG_VIEW_64, at(c, key, "Child"));
	assert_int_equal(value_rc(c, REG_VIEW_64, key, "Child"), SC_NOT_FOUND);
	assert_int_equal(exists(c, REG_VIEW_64, at(c, key, "Enabled")), SC_NOT_FOUND);
	/* deleted is absent, also after a reopen */
	k = open_k(c, REG_VIEW_64, key, REG_ACCESS_WRITE);
	put_dword(c, k, "Gone", 1);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "Gone", &err), SC_OK);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "Gone", &err), SC_NOT_FOUND);
	assert_int_equal(c->b->ops->read_value(c->b, k, "Gone", &out, &err), SC_NOT_FOUND);
	c->b->ops->close_key(c->b, k);
	reopen(c);
	assert_int_equal(value_rc(c, REG_VIEW_64, key, "Gone"), SC_NOT_FOUND);
	check_dword(c, REG_VIEW_64, key, "Enabled", 1);
	assert_string_equal(names(c, REG_VIEW_64, key, true), "Enabled");
}

static void test_multi_sz(void **state)
{
	struct conf *c = *state;
	static const struct vcase cases[] = {
	    V("no bytes", RV_MULTI_SZ, ""),
	    V("empty list", RV_MULTI_SZ, "\0\0"),
	    V("one empty string", RV_MULTI_SZ, "\0\0\0\0"),
	    V("one string", RV_MULTI_SZ, "a\0\0\0\0\0"),
	    V("no list terminator", RV_MULTI_SZ, "a\0\0\0"),
	    V("two, no list terminator", RV_MULTI_SZ, "a\0\0\0b\0\0\0"),
	    V("no terminator at all", RV_MULTI_SZ, "a\0b\0"),
	    V("empty string inside", RV_MULTI_SZ, "a\0\0\0\0\0b\0\0\0\0\0"),
	    V("odd size", RV_MULTI_SZ, "a\0\0\0\0"),
	    V("one byte", RV_MULTI_SZ, "\0"),
	};
	char *items[] = {"TLS_AES_256_GCM_SHA384", "caf\xC3\xA9", "C:\\x \"y\""};
	const char *key = at(c, c->sys, "Multi");
	struct reg_value v;
	struct reg_key *k;

	values_round_trip(c, REG_VIEW_64, key, cases, ARRAY_SIZE(cases));
	/* a list as regvalue builds it */
	assert_true(regvalue_set_multi_sz(&v, items, ARRAY_SIZE(items)));
	k = create(c, REG_VIEW_64, key, NULL);
	put(c, k, "list", v.type, v.data, v.size);
	c->b->ops->close_key(c->b, k);
	reopen(c);
	check_value(c, REG_VIEW_64, key, "list", v.type, v.data, v.size);
	regvalue_free(&v);
}

/* ---- delete_key_if_empty ----------------------------------------------- */

static void test_delete_key_if_empty(void **state)
{
	struct conf *c = *state;
	const char *p = at(c, c->sys, "P"), *child = at(c, p, "Child");
	const char *valued = at(c, c->sys, "Valued"), *def = at(c, c->sys, "Default");
	const char *sibling = at(c, c->sys, "Sibling");
	struct sc_err err = {{0}};
	struct reg_key *k;
	bool deleted;

	mk(c, REG_VIEW_64, child);
	mk(c, REG_VIEW_64, sibling);
	k = create(c, REG_VIEW_64, valued, NULL);
	put_dword(c, k, "x", 1);
	c->b->ops->close_key(c->b, k);
	k = create(c, REG_VIEW_64, def, NULL);
	put(c, k, "", RV_SZ, "", 0);
	c->b->ops->close_key(c->b, k);

	/* a missing key, a missing parent: SC_NOT_FOUND, nothing deleted */
	assert_int_equal(rmkey(c, REG_VIEW_64, at(c, c->sys, "Missing"), &deleted), SC_NOT_FOUND);
	assert_false(deleted);
	assert_int_equal(rmkey(c, REG_VIEW_64, at(c, c->sys, "Missing\\Deeper"), &deleted),
	                 SC_NOT_FOUND);
	assert_false(deleted);
	/* a key with a value stays; so does one with only the default value */
	assert_int_equal(rmkey(c, REG_VIEW_64, valued, &deleted), SC_OK);
	assert_false(deleted);
	check_dword(c, REG_VIEW_64, valued, "x", 1);
	assert_int_equal(rmkey(c, REG_VIEW_64, def, &deleted), SC_OK);
	assert_false(deleted);
	check_value(c, REG_VIEW_64, def, "", RV_SZ, "", 0);
	/* a key with a subkey stays, even an empty one: never recursive */
	assert_int_equal(rmkey(c, REG_VIEW_64, p, &deleted), SC_OK);
	assert_false(deleted);
	assert_int_equal(exists(c, REG_VIEW_64, child), SC_OK);
	assert_int_equal(rmkey(c, REG_VIEW_64, c->sys, &deleted), SC_OK);
	assert_false(deleted);
	/* an empty key goes (any spelling), and only it */
	assert_int_equal(rmkey(c, REG_VIEW_64, upper(c, child), &deleted), SC_OK);
	assert_true(deleted);
	assert_int_equal(exists(c, REG_VIEW_64, child), SC_NOT_FOUND);
	assert_int_equal(exists(c, REG_VIEW_64, p), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, sibling), SC_OK);
	assert_int_equal(rmkey(c, REG_VIEW_64, child, &deleted), SC_NOT_FOUND);
	assert_false(deleted);
	/* then its parent, now empty */
	assert_int_equal(rmkey(c, REG_VIEW_64, p, &deleted), SC_OK);
	assert_true(deleted);
	/* once its values are gone, a key can go */
	k = open_k(c, REG_VIEW_64, valued, REG_ACCESS_WRITE);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "x", &err), SC_OK);
	c->b->ops->close_key(c->b, k);
	assert_int_equal(rmkey(c, REG_VIEW_64, valued, &deleted), SC_OK);
	assert_true(deleted);
	/* it stays deleted */
	reopen(c);
	assert_string_equal(names(c, REG_VIEW_64, c->sys, false), "Default\nSibling");
	/* views: the 32-bit key is another key than the 64-bit one */
	mk(c, REG_VIEW_32, at(c, c->sw, "E"));
	mk(c, REG_VIEW_64, at(c, c->sw, "E"));
	assert_int_equal(rmkey(c, REG_VIEW_32, at(c, c->sw, "E"), &deleted), SC_OK);
	assert_true(deleted);
	assert_int_equal(exists(c, REG_VIEW_32, at(c, c->sw, "E")), SC_NOT_FOUND);
	assert_int_equal(exists(c, REG_VIEW_64, at(c, c->sw, "E")), SC_OK);
	assert_int_equal(rmkey(c, REG_VIEW_32, at(c, c->sw, "E"), &deleted), SC_NOT_FOUND);
}

/* ---- enumeration ------------------------------------------------------- */

static void test_enumeration(void **state)
{
	struct conf *c = *state;
	static const char *const special[] = {"RC4 56/128", "caf\xC3\xA9", "Z z", "[x]"};
	const char *key = at(c, c->sys, "Enum");
	struct strbuf want_keys = STRBUF_INIT, want_values = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_key *k;
	char *name = NULL;
	size_t i;

	/* written out of order; read back sorted, each name once */
	k = create(c, REG_VIEW_64, key, NULL);
	for (i = 0; i < 40; i++) {
		size_t j = (i * 17) % 40; /* 17 and 40 are coprime: a permutation */
		char sub[16];

		snprintf(sub, sizeof(sub), "k%02zu", j);
		mk(c, REG_VIEW_64, at(c, key, sub));
		mk(c, REG_VIEW_64, at(c, at(c, key, sub), "grandchild"));
		snprintf(sub, sizeof(sub), "v%02zu", j);
		put_dword(c, k, sub, (uint32_t)j);
	}
	for (i = 0; i < ARRAY_SIZE(special); i++) {
		mk(c, REG_VIEW_64, at(c, key, special[i]));
		put_dword(c, k, special[i], 1);
	}
	put_dword(c, k, "", 1);
	c->b->ops->close_key(c->b, k);
	/* sorted by strcmp: upper case, '[', lower case; the default value,
	 * named "", first */
	sb_adds(&want_keys, "RC4 56/128\nZ z\n[x]\ncaf\xC3\xA9");
	sb_adds(&want_values, "\nRC4 56/128\nZ z\n[x]\ncaf\xC3\xA9");
	for (i = 0; i < 40; i++) {
		sb_addf(&want_keys, "\nk%02zu", i);
		sb_addf(&want_values, "\nv%02zu", i);
	}
	for (int pass = 0; pass < 2; pass++) {
		assert_string_equal(names(c, REG_VIEW_64, key, false), want_keys.buf);
		assert_string_equal(names(c, REG_VIEW_64, key, true), want_values.buf);
		assert_string_equal(names(c, REG_VIEW_64, at(c, key, "k07"), false), "grandchild");
		assert_string_equal(names(c, REG_VIEW_64, at(c, key, "k07"), true), "");
		/* far past the end: SC_NOT_FOUND too */
		k = open_k(c, REG_VIEW_64, key, REG_ACCESS_READ);
		assert_int_equal(c->b->ops->enum_subkey(c->b, k, 1000, &name, &err), SC_NOT_FOUND);
		assert_int_equal(c->b->ops->enum_value(c->b, k, 1000, &name, &err), SC_NOT_FOUND);
		c->b->ops->close_key(c->b, k);
		k = open_k(c, REG_VIEW_64, at(c, key, "k07\\grandchild"), REG_ACCESS_READ);
		assert_int_equal(c->b->ops->enum_subkey(c->b, k, 0, &name, &err), SC_NOT_FOUND);
		assert_int_equal(c->b->ops->enum_value(c->b, k, 0, &name, &err), SC_NOT_FOUND);
		c->b->ops->close_key(c->b, k);
		reopen(c);
	}
	sb_free(&want_keys);
	sb_free(&want_values);
}

/* ---- views ------------------------------------------------------------- */

static void test_views_software(void **state)
{
	struct conf *c = *state;
	const char *views = at(c, c->sw, "Views"), *only32 = at(c, c->sw, "Only32");
	char *wow = xasprintf("SOFTWARE\\Wow6432Node\\%s\\%s\\Only32", c->t->root, c->test);
	struct sc_err err = {{0}};
	struct reg_key *k;
	bool created = false, deleted;

	/* REG_VIEW_32 under SOFTWARE is a tree of its own */
	k = create(c, REG_VIEW_32, views, &created);
	assert_true(created);
	put_dword(c, k, "bits", 32);
	c->b->ops->close_key(c->b, k);
	assert_int_equal(exists(c, REG_VIEW_64, views), SC_NOT_FOUND);
	k = create(c, REG_VIEW_64, views, &created);
	assert_true(created);
	put_dword(c, k, "bits", 64);
	c->b->ops->close_key(c->b, k);
	mk(c, REG_VIEW_32, only32);
	reopen(c);
	check_dword(c, REG_VIEW_32, views, "bits", 32);
	check_dword(c, REG_VIEW_64, views, "bits", 64);
	assert_int_equal(exists(c, REG_VIEW_32, only32), SC_OK);
	assert_int_equal(exists(c, REG_VIEW_64, only32), SC_NOT_FOUND);
	/* which the 64-bit view sees as SOFTWARE\Wow6432Node */
	assert_int_equal(exists(c, REG_VIEW_64, wow), SC_OK);
	assert_string_equal(names(c, REG_VIEW_32, c->sw, false), "Only32\nViews");
	assert_string_equal(names(c, REG_VIEW_64, c->sw, false), "Views");
	/* deleting in one view leaves the other */
	k = open_k(c, REG_VIEW_32, views, REG_ACCESS_WRITE);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "bits", &err), SC_OK);
	c->b->ops->close_key(c->b, k);
	check_dword(c, REG_VIEW_64, views, "bits", 64);
	assert_int_equal(rmkey(c, REG_VIEW_32, views, &deleted), SC_OK);
	assert_true(deleted);
	assert_int_equal(exists(c, REG_VIEW_64, views), SC_OK);
	assert_int_equal(rmkey(c, REG_VIEW_64, only32, &deleted), SC_NOT_FOUND);
	assert_int_equal(exists(c, REG_VIEW_32, only32), SC_OK);
	free(wow);
}

static void test_views_system_shared(void **state)
{
	struct conf *c = *state;
	const char *shared = at(c, c->sys, "Shared"), *made64 = at(c, c->sys, "Made64");
	char *wow = xasprintf("SOFTWARE\\Wow6432Node\\%s", shared);
	struct reg_key *k;
	bool created = false, deleted;

	k = create(c, REG_VIEW_32, shared, &created);
	assert_true(created);
	put_dword(c, k, "v", 32);
	c->b->ops->close_key(c->b, k);
	/* the same key in the 64-bit view */
	created = true;
	k = create(c, REG_VIEW_64, shared, &created);
	assert_false(created);
	check_read(c, k, shared, "v", RV_DWORD, "\x20\0\0\0", 4);
	put_dword(c, k, "v", 64);
	c->b->ops->close_key(c->b, k);
	check_dword(c, REG_VIEW_32, shared, "v", 64);
	mk(c, REG_VIEW_64, made64);
	reopen(c);
	check_dword(c, REG_VIEW_32, shared, "v", 64);
	assert_int_equal(exists(c, REG_VIEW_32, made64), SC_OK);
	assert_string_equal(names(c, REG_VIEW_32, c->sys, false), "Made64\nShared");
	assert_string_equal(names(c, REG_VIEW_64, c->sys, false), "Made64\nShared");
	/* nothing of it under Wow6432Node */
	assert_int_equal(exists(c, REG_VIEW_64, wow), SC_NOT_FOUND);
	/* deleted in one view, gone from both */
	assert_int_equal(rmkey(c, REG_VIEW_32, made64, &deleted), SC_OK);
	assert_true(deleted);
	assert_int_equal(exists(c, REG_VIEW_64, made64), SC_NOT_FOUND);
	free(wow);
}

/* ---- errors ------------------------------------------------------------ */

/* Every call on a handle to a key deleted since fails, naming the key. */
static void stale_handle(struct conf *c, enum reg_view view, const char *path)
{
	struct sc_err err = {{0}};
	struct reg_value v, out = {0};
	struct reg_key *k = create(c, view, path, NULL);
	char *name = NULL;
	bool deleted = false;

	put_dword(c, k, "x", 1);
	assert_int_equal(c->b->ops->delete_value(c->b, k, "x", &err), SC_OK);
	assert_int_equal(c->b->ops->delete_key_if_empty(c->b, view, path, &deleted, &err), SC_OK);
	assert_true(deleted);
	regvalue_set_dword(&v, 1);
	memset(&err, 0, sizeof(err));
	assert_int_equal(c->b->ops->write_value(c->b, k, "y", &v, &err), SC_ERROR);
	check_err_names(c, &err, view, path, "write_value on a deleted key");
	regvalue_free(&v);
	memset(&err, 0, sizeof(err));
	assert_int_equal(c->b->ops->read_value(c->b, k, "x", &out, &err), SC_ERROR);
	check_err_names(c, &err, view, path, "read_value on a deleted key");
	memset(&err, 0, sizeof(err));
	assert_int_equal(c->b->ops->delete_value(c->b, k, "x", &err), SC_ERROR);
	check_err_names(c, &err, view, path, "delete_value on a deleted key");
	memset(&err, 0, sizeof(err));
	assert_int_equal(c->b->ops->enum_subkey(c->b, k, 0, &name, &err), SC_ERROR);
	check_err_names(c, &err, view, path, "enum_subkey on a deleted key");
	memset(&err, 0, sizeof(err));
	assert_int_equal(c->b->ops->enum_value(c->b, k, 0, &name, &err), SC_ERROR);
	check_err_names(c, &err, view, path, "enum_value on a deleted key");
	c->b->ops->close_key(c->b, k);
	/* the failed write did not bring the key back */
	assert_int_equal(exists(c, view, path), SC_NOT_FOUND);
}

/* Names are UTF-8 (backend.h). A backend may store a name that is not, or
 * refuse it; if it refuses, the error names the key. */
static void bad_name(struct conf *c, enum reg_view view, const char *path)
{
	static const char bad[] = "bad \xff name";
	struct sc_err err = {{0}};
	struct reg_value v, out = {0};
	struct reg_key *k = create(c, view, path, NULL);
	int rc;

	regvalue_set_dword(&v, 1);
	rc = c->b->ops->write_value(c->b, k, bad, &v, &err);
	regvalue_free(&v);
	if (rc == SC_OK) {
		/* stored: it reads back and goes again */
		assert_int_equal(c->b->ops->read_value(c->b, k, bad, &out, &err), SC_OK);
		regvalue_free(&out);
		assert_int_equal(c->b->ops->delete_value(c->b, k, bad, &err), SC_OK);
	} else if (known(c, CONF_KNOWN_BAD_NAME_ERROR_NO_KEY)) {
		/* Known difference (win32: backend_win32.c wide() reports
		 * 'value name "...": invalid UTF-8 or out of memory'): the
		 * refusal does not say which key. */
		assert_int_equal(rc, SC_ERROR);
		if (strstr(err.msg, path))
			known_gone(c, "CONF_KNOWN_BAD_NAME_ERROR_NO_KEY");
	} else {
		assert_int_equal(rc, SC_ERROR);
		check_err_names(c, &err, view, path, "write_value of a name that is not UTF-8");
		memset(&err, 0, sizeof(err));
		assert_int_equal(c->b->ops->read_value(c->b, k, bad, &out, &err), SC_ERROR);
		check_err_names(c, &err, view, path, "read_value of a name that is not UTF-8");
	}
	c->b->ops->close_key(c->b, k);
	assert_string_equal(names(c, view, path, true), "");
}

static void test_errors_name_the_key(void **state)
{
	struct conf *c = *state;

	stale_handle(c, REG_VIEW_64, at(c, c->sys, "Gone"));
	stale_handle(c, REG_VIEW_64, at(c, c->sw, "Gone"));
	stale_handle(c, REG_VIEW_32, at(c, c->sw, "Gone"));
	/* and a new key of that name is a fresh key */
	mk(c, REG_VIEW_64, at(c, c->sys, "Gone"));
	assert_string_equal(names(c, REG_VIEW_64, at(c, c->sys, "Gone"), true), "");
	bad_name(c, REG_VIEW_64, at(c, c->sys, "BadName"));
}

/* ---- the suite --------------------------------------------------------- */

static const struct {
	const char *name;
	CMUnitTestFunction fn;
} tests[] = {
    {"create_key", test_create_key},
    {"open_key", test_open_key},
    {"access", test_access},
    {"case_insensitive", test_case_insensitive},
    {"slash_is_a_character", test_slash_is_a_character},
    {"values_every_type", test_values_every_type},
    {"values_malformed", test_values_malformed},
    {"value_names", test_value_names},
    {"default_value", test_default_value},
    {"missing_values", test_missing_values},
    {"multi_sz", test_multi_sz},
    {"delete_key_if_empty", test_delete_key_if_empty},
    {"enumeration", test_enumeration},
    {"views_software", test_views_software},
    {"views_system_shared", test_views_system_shared},
    {"errors_name_the_key", test_errors_name_the_key},
};

size_t conformance_count(void)
{
	return ARRAY_SIZE(tests);
}

int conformance_run(const struct conformance_target *t)
{
	struct CMUnitTest group[ARRAY_SIZE(tests)];
	struct conf_case cases[ARRAY_SIZE(tests)];
	char *group_name = xasprintf("backend_conformance(%s)", t->name);
	size_t i;
	int failed;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		cases[i] = (struct conf_case){t, tests[i].name};
		group[i] =
		    (struct CMUnitTest){tests[i].name, tests[i].fn, setup, teardown, &cases[i]};
	}
	failed = _cmocka_run_group_tests(group_name, group, ARRAY_SIZE(group), NULL, NULL);
	free(group_name);
	return failed;
}
