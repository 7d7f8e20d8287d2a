/* Unit tests for the in-memory backend: every function of the backend
 * interface, view mapping, canonical dumps, stale handles. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"

#define SCH "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"

static int setup(void **state)
{
	*state = mem_backend_new();
	return 0;
}

static int teardown(void **state)
{
	reg_backend_free(*state);
	return 0;
}

/* Creates (or opens) path and closes it; fails the test on error. */
static void mk(const struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK)
		fail_msg("create %s: %s", path, err.msg);
	b->ops->close_key(b, k);
}

static void put_dword(const struct reg_backend *b, enum reg_view view, const char *path,
                      const char *name, uint32_t d)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v;

	regvalue_set_dword(&v, d);
	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    b->ops->write_value(b, k, name, &v, &err) != SC_OK)
		fail_msg("put %s\\%s: %s", path, name, err.msg);
	b->ops->close_key(b, k);
	regvalue_free(&v);
}

static int open_rc(const struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	int rc = b->ops->open_key(b, view, path, REG_ACCESS_READ, &k, &err);

	if (rc == SC_OK)
		b->ops->close_key(b, k);
	if (rc == SC_ERROR)
		fail_msg("open %s: %s", path, err.msg);
	return rc;
}

static void assert_dump(const struct reg_backend *b, const char *expect)
{
	char *d = t_dump(b);

	assert_string_equal(d, expect);
	free(d);
}

static void test_create_and_open(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	bool created = false;

	assert_true(mem_backend_is(b));
	assert_string_equal(reg_backend_name(b), "mem");
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH), SC_NOT_FOUND);
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, SCH "\\Protocols", &k, &created, &err),
	                 SC_OK);
	assert_true(created);
	b->ops->close_key(b, k);
	/* every parent was created */
	assert_int_equal(open_rc(b, REG_VIEW_64, "SYSTEM"), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols"), SC_OK);
	/* second create: exists */
	created = true;
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, SCH "\\Protocols", &k, &created, &err),
	                 SC_OK);
	assert_false(created);
	b->ops->close_key(b, k);
	/* a parent that exists is not "created" even though the leaf is */
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, SCH, &k, &created, &err), SC_OK);
	assert_false(created);
	b->ops->close_key(b, k);
	/* created may be NULL */
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, SCH "\\Ciphers", &k, NULL, &err),
	                 SC_OK);
	b->ops->close_key(b, k);
	/* missing leaf, missing parent */
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Hashes"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Hashes\\MD5"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE"), SC_NOT_FOUND);
	/* a prefix of a name is not the name */
	assert_int_equal(open_rc(b, REG_VIEW_64, "SYS"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SYSTEMX"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocol"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\ProtocolsX"), SC_NOT_FOUND);
	/* for writing, too */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, SCH, REG_ACCESS_WRITE, &k, &err), SC_OK);
	b->ops->close_key(b, k);
	b->ops->close_key(b, NULL); /* closing NULL is harmless */
}

static void test_key_exists_helper(void **state)
{
	struct reg_backend *b = *state;
	struct sc_err err = {{0}};

	mk(b, REG_VIEW_64, "SYSTEM\\A");
	assert_int_equal(reg_key_exists(b, REG_VIEW_64, "SYSTEM\\A", &err), SC_OK);
	assert_int_equal(reg_key_exists(b, REG_VIEW_64, "SYSTEM\\B", &err), SC_NOT_FOUND);
}

static void test_values(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v, out = {0}, bin;
	static const uint8_t bytes[] = {1, 2, 3};

	assert_int_equal(
	    b->ops->create_key(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.2\\Server", &k, NULL, &err),
	    SC_OK);
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_NOT_FOUND);
	regvalue_set_dword(&v, 1);
	assert_int_equal(b->ops->write_value(b, k, "Enabled", &v, &err), SC_OK);
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_OK);
	assert_true(regvalue_equal(&out, &v));
	assert_true(out.data != v.data); /* the caller owns a copy */
	regvalue_free(&out);
	regvalue_free(&v);

	/* overwrite with another type */
	regvalue_set_bytes(&bin, RV_BINARY, bytes, sizeof(bytes));
	assert_int_equal(b->ops->write_value(b, k, "Enabled", &bin, &err), SC_OK);
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_OK);
	assert_true(regvalue_equal(&out, &bin));
	regvalue_free(&out);
	/* the backend took a copy: the caller's buffer can change */
	bin.data[0] = 0x55;
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_OK);
	assert_int_equal(out.data[0], 1);
	regvalue_free(&out);
	regvalue_free(&bin);

	/* the default value and an empty value */
	assert_true(regvalue_set_string(&v, RV_SZ, "default"));
	assert_int_equal(b->ops->write_value(b, k, "", &v, &err), SC_OK);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_NONE, NULL, 0);
	assert_int_equal(b->ops->write_value(b, k, "Empty", &v, &err), SC_OK);
	assert_int_equal(b->ops->read_value(b, k, "Empty", &out, &err), SC_OK);
	assert_int_equal(out.type, RV_NONE);
	assert_int_equal(out.size, 0);
	assert_null(out.data);
	assert_int_equal(b->ops->read_value(b, k, "", &out, &err), SC_OK);
	assert_int_equal(out.type, RV_SZ);
	regvalue_free(&out);

	/* delete */
	assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_OK);
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_NOT_FOUND);
	assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_NOT_FOUND);
	assert_int_equal(b->ops->delete_value(b, k, "", &err), SC_OK);
	assert_int_equal(b->ops->delete_value(b, k, "Empty", &err), SC_OK);
	assert_int_equal(b->ops->enum_value(b, k, 0, NULL, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);

	/* the convenience reader */
	put_dword(b, REG_VIEW_64, SCH, "EventLogging", 7);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH, "EventLogging"), 7);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, SCH, "Nope", &out, &err), SC_NOT_FOUND);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, SCH "\\Nope", "x", &out, &err),
	                 SC_NOT_FOUND);
}

static void test_case_insensitive(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v;
	bool created = true;
	char *name = NULL;

	mk(b, REG_VIEW_64, "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL");
	assert_int_equal(open_rc(b, REG_VIEW_64,
	                         "system\\currentcontrolset\\CONTROL\\"
	                         "securityproviders\\schannel"),
	                 SC_OK);
	assert_int_equal(
	    b->ops->create_key(b, REG_VIEW_64, "SyStEm\\CURRENTCONTROLSET", &k, &created, &err),
	    SC_OK);
	assert_false(created);
	/* the first spelling is kept */
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "Control");
	free(name);
	assert_int_equal(b->ops->enum_subkey(b, k, 1, &name, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);

	put_dword(b, REG_VIEW_64, SCH, "Enabled", 1);
	put_dword(b, REG_VIEW_64, SCH, "ENABLED", 2); /* same value */
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH, "enabled"), 2);
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, SCH, REG_ACCESS_WRITE, &k, &err), SC_OK);
	assert_int_equal(b->ops->enum_value(b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "Enabled");
	free(name);
	assert_int_equal(b->ops->enum_value(b, k, 1, &name, &err), SC_NOT_FOUND);
	assert_int_equal(b->ops->delete_value(b, k, "eNaBlEd", &err), SC_OK);
	regvalue_set_dword(&v, 3);
	assert_int_equal(b->ops->write_value(b, k, "MixedCase", &v, &err), SC_OK);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	assert_true(t_has_value(b, REG_VIEW_64, SCH, "mixedcase"));
	/* only ASCII folds */
	mk(b, REG_VIEW_64, "SYSTEM\\\xC3\xA9");
	assert_int_equal(open_rc(b, REG_VIEW_64, "SYSTEM\\\xC3\x89"), SC_NOT_FOUND);
}

static void test_slash_is_not_a_separator(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	char *name = NULL;

	put_dword(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128", "Enabled", 0);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128\\128"), SC_NOT_FOUND);
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_64, SCH "\\Ciphers", REG_ACCESS_READ, &k, &err), SC_OK);
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "RC4 128/128");
	free(name);
	assert_int_equal(b->ops->enum_subkey(b, k, 1, &name, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH "\\Ciphers\\rc4 128/128", "Enabled"), 0);
	assert_dump(b, "[SYSTEM]\n"
	               "[SYSTEM\\CurrentControlSet]\n"
	               "[SYSTEM\\CurrentControlSet\\Control]\n"
	               "[SYSTEM\\CurrentControlSet\\Control\\SecurityProviders]\n"
	               "[" SCH "]\n"
	               "[" SCH "\\Ciphers]\n"
	               "[" SCH "\\Ciphers\\RC4 128/128]\n"
	               "  \"Enabled\" REG_DWORD:00000000\n");
}

static void test_views(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	char *name = NULL;

	/* SOFTWARE: the 32-bit view is Wow6432Node */
	put_dword(b, REG_VIEW_32, "SOFTWARE\\Vendor\\App", "Bits", 32);
	put_dword(b, REG_VIEW_64, "SOFTWARE\\Vendor\\App", "Bits", 64);
	assert_int_equal(t_dword(b, REG_VIEW_32, "SOFTWARE\\Vendor\\App", "Bits"), 32);
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\Vendor\\App", "Bits"), 64);
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\Wow6432Node\\Vendor\\App", "Bits"), 32);
	assert_int_equal(t_dword(b, REG_VIEW_64, "software\\wow6432node\\Vendor\\App", "Bits"), 32);
	/* a key only in the 32-bit view */
	mk(b, REG_VIEW_32, "SOFTWARE\\Only32");
	assert_int_equal(open_rc(b, REG_VIEW_32, "SOFTWARE\\Only32"), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\Only32"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\Wow6432Node\\Only32"), SC_OK);
	/* lower-case spelling of SOFTWARE maps too */
	assert_int_equal(open_rc(b, REG_VIEW_32, "software\\only32"), SC_OK);
	/* the 32-bit view of SOFTWARE itself is Wow6432Node */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_32, "SOFTWARE", REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_OK);
	assert_string_equal(name, "Only32");
	free(name);
	assert_int_equal(b->ops->enum_subkey(b, k, 1, &name, &err), SC_OK);
	assert_string_equal(name, "Vendor");
	free(name);
	assert_int_equal(b->ops->enum_subkey(b, k, 2, &name, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);

	/* SYSTEM is shared */
	put_dword(b, REG_VIEW_32, SCH, "Shared", 1);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH, "Shared"), 1);
	put_dword(b, REG_VIEW_64, SCH, "Shared", 2);
	assert_int_equal(t_dword(b, REG_VIEW_32, SCH, "Shared"), 2);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\Wow6432Node\\" SCH), SC_NOT_FOUND);
	/* a name that merely starts with SOFTWARE is not SOFTWARE */
	mk(b, REG_VIEW_32, "SOFTWAREX\\K");
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWAREX\\K"), SC_OK);
}

static void test_physical_paths(void **state)
{
	static const struct {
		enum reg_view view;
		const char *logical, *physical;
	} cases[] = {
	    {REG_VIEW_64, "SOFTWARE\\X", "SOFTWARE\\X"},
	    {REG_VIEW_32, "SOFTWARE\\X", "SOFTWARE\\Wow6432Node\\X"},
	    {REG_VIEW_32, "Software\\X\\Y", "Software\\Wow6432Node\\X\\Y"},
	    {REG_VIEW_32, "SOFTWARE", "SOFTWARE\\Wow6432Node"},
	    {REG_VIEW_32, SCH, SCH},
	    {REG_VIEW_64, SCH, SCH},
	    {REG_VIEW_32, "SOFTWAREX\\Y", "SOFTWAREX\\Y"},
	    {REG_VIEW_32, "SOFTWARE\\Wow6432Node\\X", "SOFTWARE\\Wow6432Node\\X"},
	    {REG_VIEW_32, "SOFTWARE\\Wow6432Node", "SOFTWARE\\Wow6432Node"},
	    /* only a whole component named Wow6432Node is already mapped */
	    {REG_VIEW_32, "SOFTWARE\\Wow6432NodeX", "SOFTWARE\\Wow6432Node\\Wow6432NodeX"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* heap copies, so a read past the terminator is caught by valgrind */
		char *logical = xstrdup(cases[i].logical);
		char *p = mem_physical_path(cases[i].view, logical);

		assert_string_equal(p, cases[i].physical);
		free(p);
		free(logical);
	}
}

static void test_logical_paths(void **state)
{
	static const struct {
		const char *physical, *logical;
		enum reg_view view;
	} cases[] = {
	    {"SOFTWARE\\X", "SOFTWARE\\X", REG_VIEW_64},
	    {"SOFTWARE\\Wow6432Node\\X", "SOFTWARE\\X", REG_VIEW_32},
	    {"software\\wow6432node\\X\\Y", "software\\X\\Y", REG_VIEW_32},
	    {"SOFTWARE\\Wow6432Node", "SOFTWARE", REG_VIEW_32},
	    {"SOFTWARE\\Wow6432NodeX", "SOFTWARE\\Wow6432NodeX", REG_VIEW_64},
	    {SCH, SCH, REG_VIEW_64},
	    {"SYSTEM\\Wow6432Node", "SYSTEM\\Wow6432Node", REG_VIEW_64},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum reg_view view = (enum reg_view)99;
		char *l = mem_logical_path(cases[i].physical, &view);
		char *back;

		assert_string_equal(l, cases[i].logical);
		assert_int_equal(view, cases[i].view);
		back = mem_physical_path(view, l);
		assert_int_equal(strcmp_ci(back, cases[i].physical), 0);
		free(back);
		free(l);
	}
}

static void test_delete_key_if_empty(void **state)
{
	struct reg_backend *b = *state;
	struct sc_err err = {{0}};
	bool deleted = true;

	put_dword(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Client", "Enabled", 0);
	mk(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Server");

	/* not found */
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, SCH "\\Nope", &deleted, &err),
	                 SC_NOT_FOUND);
	assert_false(deleted);
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, SCH "\\Nope\\Deeper", &deleted, &err),
	    SC_NOT_FOUND);
	/* a key with a value stays */
	deleted = true;
	assert_int_equal(b->ops->delete_key_if_empty(
	                     b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Client", &deleted, &err),
	                 SC_OK);
	assert_false(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Client"), SC_OK);
	/* a key with subkeys stays: never recursive */
	deleted = true;
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, SCH "\\Protocols", &deleted, &err), SC_OK);
	assert_false(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Server"), SC_OK);
	/* an empty key goes, and only it */
	assert_int_equal(b->ops->delete_key_if_empty(
	                     b, REG_VIEW_64, SCH "\\PROTOCOLS\\tls 1.0\\server", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Server"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Client"), SC_OK);
	/* once a value is removed, the key can go; the parent then too */
	{
		struct reg_key *k = NULL;

		assert_int_equal(b->ops->open_key(b, REG_VIEW_64,
		                                  SCH "\\Protocols\\TLS 1.0\\Client",
		                                  REG_ACCESS_WRITE, &k, &err),
		                 SC_OK);
		assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_OK);
		b->ops->close_key(b, k);
	}
	assert_int_equal(b->ops->delete_key_if_empty(
	                     b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0\\Client", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.0", &deleted, &err),
	    SC_OK);
	assert_true(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Protocols"), SC_OK);
	/* views: the 32-bit key is a different key */
	mk(b, REG_VIEW_32, "SOFTWARE\\E");
	mk(b, REG_VIEW_64, "SOFTWARE\\E");
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_32, "SOFTWARE\\E", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_32, "SOFTWARE\\E"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\E"), SC_OK);
	/* Wow6432Node itself has no subkeys now, SOFTWARE (64) still has E */
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_32, "SOFTWARE", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\Wow6432Node"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\E"), SC_OK);
	/* a one-component key under the root */
	mk(b, REG_VIEW_64, "TOP");
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, "TOP", &deleted, &err), SC_OK);
	assert_true(deleted);
	assert_int_equal(open_rc(b, REG_VIEW_64, "TOP"), SC_NOT_FOUND);
}

/* Reads every subkey or value name of path into one comma-separated string. */
static char *list_names(const struct reg_backend *b, enum reg_view view, const char *path,
                        bool values)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	size_t i;
	int rc;

	if (b->ops->open_key(b, view, path, REG_ACCESS_READ, &k, &err) != SC_OK)
		fail_msg("open %s: %s", path, err.msg);
	for (i = 0;; i++) {
		char *name = NULL;

		rc = values ? b->ops->enum_value(b, k, i, &name, &err)
		            : b->ops->enum_subkey(b, k, i, &name, &err);
		if (rc == SC_NOT_FOUND)
			break;
		assert_int_equal(rc, SC_OK);
		sb_addf(&sb, "%s%s", i ? "," : "", name);
		free(name);
	}
	b->ops->close_key(b, k);
	return sb_detach(&sb);
}

static void test_enumeration(void **state)
{
	struct reg_backend *b = *state;
	char *s;

	mk(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.2");
	mk(b, REG_VIEW_64, SCH "\\Protocols\\SSL 3.0");
	mk(b, REG_VIEW_64, SCH "\\Protocols\\tls 1.0");
	mk(b, REG_VIEW_64, SCH "\\Protocols\\PCT 1.0");
	mk(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.1");
	s = list_names(b, REG_VIEW_64, SCH "\\Protocols", false);
	/* sorted case-insensitively, original spelling kept */
	assert_string_equal(s, "PCT 1.0,SSL 3.0,tls 1.0,TLS 1.1,TLS 1.2");
	free(s);
	s = list_names(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.2", false);
	assert_string_equal(s, "");
	free(s);
	s = list_names(b, REG_VIEW_64, SCH "\\Protocols\\TLS 1.2", true);
	assert_string_equal(s, "");
	free(s);
	put_dword(b, REG_VIEW_64, SCH "\\Protocols", "b", 1);
	put_dword(b, REG_VIEW_64, SCH "\\Protocols", "A", 1);
	put_dword(b, REG_VIEW_64, SCH "\\Protocols", "", 1);
	put_dword(b, REG_VIEW_64, SCH "\\Protocols", "c", 1);
	s = list_names(b, REG_VIEW_64, SCH "\\Protocols", true);
	/* every value exactly once; the default value is named "" */
	assert_int_equal(strlen(s), strlen(",A,b,c"));
	assert_non_null(strstr(s, "A"));
	assert_non_null(strstr(s, "b"));
	assert_non_null(strstr(s, "c"));
	free(s);
}

static void test_stale_handle(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL, *parent = NULL;
	struct sc_err err = {{0}};
	struct reg_value v, out = {0};
	bool deleted = false;
	char *name = NULL;

	mk(b, REG_VIEW_64, SCH "\\Hashes\\MD5");
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_64, SCH "\\Hashes\\MD5", REG_ACCESS_WRITE, &k, &err),
	    SC_OK);
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_64, SCH "\\Hashes", REG_ACCESS_WRITE, &parent, &err),
	    SC_OK);
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, SCH "\\Hashes\\MD5", &deleted, &err),
	    SC_OK);
	assert_true(deleted);
	regvalue_set_dword(&v, 1);
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->write_value(b, k, "Enabled", &v, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "HKLM\\" SCH "\\Hashes\\MD5"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "Hashes\\MD5"));
	assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_ERROR);
	assert_int_equal(b->ops->enum_value(b, k, 0, &name, &err), SC_ERROR);
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_ERROR);
	/* the write did not resurrect the key */
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Hashes\\MD5"), SC_NOT_FOUND);
	b->ops->close_key(b, k);
	/* the parent handle is still good */
	assert_int_equal(b->ops->write_value(b, parent, "X", &v, &err), SC_OK);
	/* a whole-tree delete makes the parent's handle stale too */
	assert_int_equal(mem_delete_tree(b, SCH "\\Hashes"), SC_OK);
	assert_int_equal(b->ops->read_value(b, parent, "X", &out, &err), SC_ERROR);
	b->ops->close_key(b, parent);
	/* re-created key: a fresh handle works */
	put_dword(b, REG_VIEW_64, SCH "\\Hashes\\MD5", "Enabled", 5);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH "\\Hashes\\MD5", "Enabled"), 5);
	regvalue_free(&v);
}

static void test_delete_tree(void **state)
{
	struct reg_backend *b = *state;

	put_dword(b, REG_VIEW_64, SCH "\\Ciphers\\AES 128/128", "Enabled", 1);
	put_dword(b, REG_VIEW_64, SCH "\\Ciphers\\NULL", "Enabled", 0);
	put_dword(b, REG_VIEW_64, SCH "\\Hashes\\SHA", "Enabled", 1);
	assert_int_equal(mem_delete_tree(b, SCH "\\CIPHERS"), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Ciphers"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, SCH "\\Hashes\\SHA"), SC_OK);
	assert_int_equal(mem_delete_tree(b, SCH "\\Ciphers"), SC_NOT_FOUND);
	assert_int_equal(mem_delete_tree(b, SCH "\\Nope\\Deeper"), SC_NOT_FOUND);
	/* the 32-bit tree is addressed by its physical path */
	put_dword(b, REG_VIEW_32, "SOFTWARE\\V\\W", "x", 1);
	put_dword(b, REG_VIEW_64, "SOFTWARE\\V\\W", "x", 1);
	assert_int_equal(mem_delete_tree(b, "SOFTWARE\\Wow6432Node\\V"), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_32, "SOFTWARE\\V"), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, "SOFTWARE\\V\\W"), SC_OK);
	assert_int_equal(mem_delete_tree(b, "SYSTEM"), SC_OK);
	assert_dump(b, "[SOFTWARE]\n"
	               "[SOFTWARE\\V]\n"
	               "[SOFTWARE\\V\\W]\n"
	               "  \"x\" REG_DWORD:01000000\n"
	               "[SOFTWARE\\Wow6432Node]\n");
}

/* Builds the same state in two orders; the dumps must match. */
static void build_state(struct reg_backend *b, bool reverse)
{
	static const char *const keys[] = {
	    SCH "\\Protocols\\TLS 1.2\\Client", SCH "\\Protocols\\TLS 1.2\\Server",
	    SCH "\\Protocols\\SSL 2.0\\Server", SCH "\\Ciphers\\RC4 40/128",
	    SCH "\\Ciphers\\RC4 128/128",
	};
	static const char *const names[] = {"Enabled", "DisabledByDefault", "", "z", "A"};
	struct sc_err err = {{0}};
	size_t i, j, n = ARRAY_SIZE(keys);

	for (i = 0; i < n; i++) {
		size_t ki = reverse ? n - 1 - i : i;
		const char *path = keys[ki];
		struct reg_key *k = NULL;

		assert_int_equal(b->ops->create_key(b, REG_VIEW_64, path, &k, NULL, &err), SC_OK);
		for (j = 0; j < ARRAY_SIZE(names); j++) {
			struct reg_value v;
			size_t at = reverse ? ARRAY_SIZE(names) - 1 - j : j;

			regvalue_set_dword(&v, (uint32_t)(ki * 10 + at));
			assert_int_equal(b->ops->write_value(b, k, names[at], &v, &err), SC_OK);
			regvalue_free(&v);
		}
		b->ops->close_key(b, k);
	}
	put_dword(b, reverse ? REG_VIEW_64 : REG_VIEW_32, "SOFTWARE\\K", "v", reverse ? 64 : 32);
	put_dword(b, reverse ? REG_VIEW_32 : REG_VIEW_64, "SOFTWARE\\K", "v", reverse ? 32 : 64);
}

static void test_dump_canonical(void **state)
{
	struct reg_backend *a = *state, *b = mem_backend_new();
	struct sc_err err = {{0}};
	struct reg_key *k = NULL;
	struct reg_value v;
	char *da, *db;

	build_state(a, false);
	build_state(b, true);
	da = t_dump(a);
	db = t_dump(b);
	assert_string_equal(da, db);
	assert_non_null(strstr(da, "[" SCH "\\Ciphers\\RC4 128/128]\n"
	                           "  \"\" REG_DWORD:2a000000\n"
	                           "  \"A\" REG_DWORD:2c000000\n"
	                           "  \"DisabledByDefault\" REG_DWORD:29000000\n"
	                           "  \"Enabled\" REG_DWORD:28000000\n"
	                           "  \"z\" REG_DWORD:2b000000\n"));
	assert_non_null(strstr(da, "[SOFTWARE\\K]\n  \"v\" REG_DWORD:40000000\n"));
	assert_non_null(strstr(da, "[SOFTWARE\\Wow6432Node\\K]\n  \"v\" REG_DWORD:20000000\n"));
	free(db);

	/* delete and re-add a value: same state, same dump */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128",
	                                  REG_ACCESS_WRITE, &k, &err),
	                 SC_OK);
	assert_int_equal(b->ops->delete_value(b, k, "A", &err), SC_OK);
	db = t_dump(b);
	assert_string_not_equal(da, db);
	free(db);
	regvalue_set_dword(&v, 44);
	assert_int_equal(b->ops->write_value(b, k, "A", &v, &err), SC_OK);
	db = t_dump(b);
	assert_string_equal(da, db);
	free(db);
	/* a different type with the same bytes is a different state */
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_BINARY, "\x2c\0\0\0", 4);
	assert_int_equal(b->ops->write_value(b, k, "A", &v, &err), SC_OK);
	db = t_dump(b);
	assert_string_not_equal(da, db);
	free(db);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	/* an extra empty key is a different state */
	regvalue_set_dword(&v, 44);
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128",
	                                  REG_ACCESS_WRITE, &k, &err),
	                 SC_OK);
	assert_int_equal(b->ops->write_value(b, k, "A", &v, &err), SC_OK);
	b->ops->close_key(b, k);
	regvalue_free(&v);
	mk(b, REG_VIEW_64, SCH "\\Hashes");
	db = t_dump(b);
	assert_string_not_equal(da, db);
	free(db);
	free(da);
	reg_backend_free(b);
}

static void test_dump_empty_and_types(void **state)
{
	struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v;

	assert_dump(b, "");
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, "SYSTEM\\T", &k, NULL, &err), SC_OK);
	regvalue_set_bytes(&v, RV_NONE, NULL, 0);
	assert_int_equal(b->ops->write_value(b, k, "none", &v, &err), SC_OK);
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_SZ, "hi"));
	assert_int_equal(b->ops->write_value(b, k, "sz", &v, &err), SC_OK);
	regvalue_free(&v);
	regvalue_set_qword(&v, 0x0102030405060708ull);
	assert_int_equal(b->ops->write_value(b, k, "qw", &v, &err), SC_OK);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	assert_dump(b, "[SYSTEM]\n"
	               "[SYSTEM\\T]\n"
	               "  \"none\" REG_NONE:\n"
	               "  \"qw\" REG_QWORD:0807060504030201\n"
	               "  \"sz\" REG_SZ:680069000000\n");
}

struct walk_ctx {
	struct strbuf sb;
	int stop_after;
	int seen;
};

static int visit(void *ctx, const struct mem_key_info *key)
{
	struct walk_ctx *w = ctx;
	size_t i;

	sb_addf(&w->sb, "%s(%zu,%zu:", key->path, key->nvalues, key->nsubkeys);
	for (i = 0; i < key->nvalues; i++)
		sb_addf(&w->sb, "%s%s", i ? "," : "", key->value_names[i]);
	sb_adds(&w->sb, ")\n");
	return ++w->seen == w->stop_after ? 42 : 0;
}

static void test_walk(void **state)
{
	struct reg_backend *b = *state;
	struct walk_ctx w = {STRBUF_INIT, 0, 0};

	put_dword(b, REG_VIEW_64, "SYSTEM\\B", "z", 1);
	put_dword(b, REG_VIEW_64, "SYSTEM\\B", "a", 1);
	put_dword(b, REG_VIEW_64, "SYSTEM\\B", "m", 1);
	put_dword(b, REG_VIEW_64, "SYSTEM\\A\\C", "x", 1);
	assert_int_equal(mem_walk(b, visit, &w), 0);
	/* parents first, subkeys by name, values in insertion order */
	assert_string_equal(sb_str(&w.sb), "SYSTEM(0,2:)\n"
	                                   "SYSTEM\\A(0,1:)\n"
	                                   "SYSTEM\\A\\C(1,0:x)\n"
	                                   "SYSTEM\\B(3,0:z,a,m)\n");
	sb_reset(&w.sb);
	w.seen = 0;
	w.stop_after = 2;
	assert_int_equal(mem_walk(b, visit, &w), 42);
	assert_string_equal(sb_str(&w.sb), "SYSTEM(0,2:)\nSYSTEM\\A(0,1:)\n");
	sb_free(&w.sb);
}

static void test_display_and_validity(void **state)
{
	struct sc_err err = {{0}};
	char *d;
	char long_name[300];

	(void)state;
	d = reg_display_path(REG_VIEW_64, SCH);
	assert_string_equal(d, "HKLM\\" SCH);
	free(d);
	d = reg_display_path(REG_VIEW_32, "SOFTWARE\\X");
	assert_string_equal(d, "HKLM\\SOFTWARE\\X (32-bit view)");
	free(d);
	assert_string_equal(reg_view_name(REG_VIEW_32), "32-bit");
	assert_string_equal(reg_view_name(REG_VIEW_64), "64-bit");
	assert_true(reg_path_valid(SCH "\\Ciphers\\RC4 128/128", &err));
	assert_false(reg_path_valid("", &err));
	assert_false(reg_path_valid("\\SYSTEM", &err));
	assert_false(reg_path_valid("SYSTEM\\", &err));
	assert_false(reg_path_valid("SYSTEM\\\\X", &err));
	assert_non_null(strstr(err.msg, "empty component"));
	assert_false(reg_path_valid("SYSTEM\\a\tb", &err));
	assert_false(reg_path_valid("SYSTEM\\\xC3", &err));
	memset(long_name, 'k', sizeof(long_name));
	long_name[255] = '\0';
	assert_true(reg_path_valid(long_name, &err));
	long_name[255] = 'k';
	long_name[256] = '\0';
	assert_false(reg_path_valid(long_name, &err));
}

static void test_backend_free_null(void **state)
{
	(void)state;
	reg_backend_free(NULL);
	assert_false(mem_backend_is(NULL));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_create_and_open),
	    T(test_key_exists_helper),
	    T(test_values),
	    T(test_case_insensitive),
	    T(test_slash_is_not_a_separator),
	    T(test_views),
	    T(test_physical_paths),
	    T(test_logical_paths),
	    T(test_delete_key_if_empty),
	    T(test_enumeration),
	    T(test_stale_handle),
	    T(test_delete_tree),
	    T(test_dump_canonical),
	    T(test_dump_empty_and_types),
	    T(test_walk),
	    T(test_display_and_validity),
	    T(test_backend_free_null),
	};

	return cmocka_run_group_tests_name("backend_mem", tests, NULL, NULL);
}
