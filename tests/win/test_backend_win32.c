/*
 * The win32 backend against a real advapi32 (Wine's, in a throwaway prefix).
 * Scratch keys: HKLM\SOFTWARE\schannelcfg-test (both views) and keys under
 * HKLM\...\SCHANNEL\Ciphers; every test starts and ends without them.
 * Results are checked with direct advapi32 calls (wintestutil.c).
 */
#include "wintestutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_win32.h"

#define RC4            WT_CIPHERS "\\RC4 128/128"
#define SCRATCH_CIPHER WT_CIPHERS "\\schannelcfg-test"

/* Whether "RC4 128/128" and Ciphers existed before the tests (then they
 * are left alone). */
static bool rc4_existed, ciphers_existed;

static void cleanup(void)
{
	DWORD subkeys = 0, values = 0;

	wt_delete_tree(REG_VIEW_64, WT_ROOT);
	wt_delete_tree(REG_VIEW_32, WT_ROOT);
	wt_delete_tree(REG_VIEW_64, SCRATCH_CIPHER);
	if (!rc4_existed)
		wt_delete_tree(REG_VIEW_64, RC4);
	if (ciphers_existed || !wt_key_exists(REG_VIEW_64, WT_CIPHERS))
		return;
	/* created as a parent by the tests: remove it once it is empty again */
	wt_key_counts(REG_VIEW_64, WT_CIPHERS, &subkeys, &values);
	if (!subkeys && !values)
		wt_delete_tree(REG_VIEW_64, WT_CIPHERS);
}

static int group_setup(void **state)
{
	(void)state;
	rc4_existed = wt_key_exists(REG_VIEW_64, RC4);
	ciphers_existed = wt_key_exists(REG_VIEW_64, WT_CIPHERS);
	cleanup();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	cleanup();
	/* nothing is left behind */
	if (wt_key_exists(REG_VIEW_64, WT_ROOT) || wt_key_exists(REG_VIEW_32, WT_ROOT) ||
	    wt_key_exists(REG_VIEW_64, SCRATCH_CIPHER) ||
	    (!ciphers_existed && wt_key_exists(REG_VIEW_64, WT_CIPHERS))) {
		fprintf(stderr, "backend_win32: scratch keys were left behind\n");
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	*state = (void *)win32_backend_get();
	cleanup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cleanup();
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

static struct reg_key *create(const struct reg_backend *b, enum reg_view view, const char *path,
                              bool *created)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, created, &err) != SC_OK)
		fail_msg("create %s: %s", path, err.msg);
	return k;
}

static struct reg_key *open_rw(const struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->open_key(b, view, path, REG_ACCESS_WRITE, &k, &err) != SC_OK)
		fail_msg("open %s: %s", path, err.msg);
	return k;
}

static int open_rc(const struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	int rc = b->ops->open_key(b, view, path, REG_ACCESS_READ, &k, &err);

	if (rc == SC_ERROR)
		fail_msg("open %s: %s", path, err.msg);
	if (rc == SC_OK)
		b->ops->close_key(b, k);
	return rc;
}

static void write_ok(const struct reg_backend *b, struct reg_key *k, const char *name,
                     const struct reg_value *v)
{
	struct sc_err err = {{0}};

	if (b->ops->write_value(b, k, name, v, &err) != SC_OK)
		fail_msg("write %s: %s", name, err.msg);
}

/* Writes v through the backend, then checks the stored type and bytes with
 * RegQueryValueExW and the backend's own read. */
static void write_and_verify(const struct reg_backend *b, enum reg_view view, const char *path,
                             const char *name, const struct reg_value *v)
{
	struct reg_key *k = create(b, view, path, NULL);
	struct reg_value back = {0};
	struct sc_err err = {{0}};
	DWORD type = 0, size = 0;
	BYTE *data = NULL;

	write_ok(b, k, name, v);
	assert_int_equal(wt_query(view, path, name, &type, &data, &size), ERROR_SUCCESS);
	if (type != v->type || size != v->size)
		fail_msg("%s: stored as type %lu, %lu bytes; wrote type %lu, %lu bytes", name,
		         (unsigned long)type, (unsigned long)size, (unsigned long)v->type,
		         (unsigned long)v->size);
	if (size)
		assert_memory_equal(data, v->data, size);
	free(data);
	if (b->ops->read_value(b, k, name, &back, &err) != SC_OK)
		fail_msg("read %s: %s", name, err.msg);
	if (!regvalue_equal(&back, v))
		fail_msg("%s: read back %s, %lu bytes; wrote %s, %lu bytes", name,
		         regvalue_type_name(back.type), (unsigned long)back.size,
		         regvalue_type_name(v->type), (unsigned long)v->size);
	regvalue_free(&back);
	b->ops->close_key(b, k);
}

/* ---- tests ------------------------------------------------------------- */

static void test_create_and_open(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k;
	bool created = false;

	assert_string_equal(reg_backend_name(b), "win32");
	assert_int_equal(open_rc(b, REG_VIEW_64, WT_ROOT), SC_NOT_FOUND);
	assert_int_equal(open_rc(b, REG_VIEW_64, WT_ROOT "\\A\\B"), SC_NOT_FOUND);
	k = create(b, REG_VIEW_64, WT_ROOT "\\A\\B", &created);
	assert_true(created);
	b->ops->close_key(b, k);
	assert_true(wt_key_exists(REG_VIEW_64, WT_ROOT "\\A\\B"));
	assert_int_equal(open_rc(b, REG_VIEW_64, WT_ROOT "\\A"), SC_OK);
	assert_int_equal(open_rc(b, REG_VIEW_64, WT_ROOT "\\a\\b"), SC_OK); /* case-insensitive */
	created = true;
	k = create(b, REG_VIEW_64, WT_ROOT "\\A\\B", &created);
	assert_false(created);
	b->ops->close_key(b, k);
	k = create(b, REG_VIEW_64, WT_ROOT "\\A", NULL); /* created may be NULL */
	b->ops->close_key(b, k);
	k = open_rw(b, REG_VIEW_64, WT_ROOT "\\A\\B");
	b->ops->close_key(b, k);
	b->ops->close_key(b, NULL);
	/* a 255-character name is the longest Windows allows */
	{
		char path[sizeof(WT_ROOT) + 300];
		size_t n = strlen(WT_ROOT "\\");

		memcpy(path, WT_ROOT "\\", n);
		memset(path + n, 'n', 255);
		path[n + 255] = '\0';
		k = create(b, REG_VIEW_64, path, &created);
		assert_true(created);
		b->ops->close_key(b, k);
		assert_true(wt_key_exists(REG_VIEW_64, path));
	}
}

static void test_values_every_type(void **state)
{
	const struct reg_backend *b = *state;
	char *items[] = {"TLS 1.2", "TLS 1.3"};
	static const uint8_t bin[] = {0, 1, 2, 0xfe, 0xff};
	struct reg_value v;

	regvalue_set_dword(&v, 0x12345678u);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "dword", &v);
	regvalue_free(&v);
	regvalue_set_qword(&v, 0x0102030405060708ull);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "qword", &v);
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_SZ, "caf\xC3\xA9 \xF0\x9F\x98\x80"));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz", &v);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "", &v); /* the default value */
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_EXPAND_SZ, "%SystemRoot%\\x"));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "expand", &v);
	regvalue_free(&v);
	assert_true(regvalue_set_multi_sz(&v, items, 2));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "multi", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_BINARY, bin, sizeof(bin));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "binary", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_BINARY, NULL, 0);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "binary empty", &v);
	regvalue_set_bytes(&v, RV_NONE, NULL, 0);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "none", &v);
	/* malformed values are stored and read back bit for bit */
	regvalue_set_bytes(&v, RV_SZ, "a\0b\0", 4); /* no terminator */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz unterminated", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_EXPAND_SZ, "%\0", 2);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "expand unterminated", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_MULTI_SZ, "a\0\0\0b\0", 6);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "multi unterminated", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_SZ, "a", 1); /* one byte */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz one byte", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_SZ, "a\0b", 3); /* odd size */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz odd", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_SZ, "a\0\0\0b\0\0\0", 8); /* embedded NUL */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz embedded nul", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_DWORD, "\x01\x02", 2); /* short DWORD */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "dword short", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, 0x1234, "\x01", 1); /* a type Windows does not know */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "odd type", &v);
	regvalue_free(&v);
	/* overwrite with another type */
	regvalue_set_dword(&v, 1);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz", &v);
	regvalue_free(&v);
}

static void test_unterminated_strings_kept(void **state)
{
	/* NUL characters right after the data: RegSetValueEx would store one
	 * as a terminator unless the backend prevents it. */
	static uint8_t sz[] = {'a', 0, 'b', 0, 0, 0, 0, 0};
	static uint8_t multi[] = {'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0};
	const struct reg_backend *b = *state;
	struct reg_value v = {RV_SZ, 4, sz};

	write_and_verify(b, REG_VIEW_64, WT_ROOT, "sz", &v);
	v.type = RV_EXPAND_SZ;
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "expand", &v);
	v = (struct reg_value){RV_MULTI_SZ, 6, multi};
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "multi", &v);
	v.size = 8; /* "a", "b", list not ended */
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "multi2", &v);
	v = (struct reg_value){RV_SZ, 3, sz};
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "odd", &v);
}

static void test_read_and_delete(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k = create(b, REG_VIEW_64, WT_ROOT, NULL);
	struct reg_value v, out = {0};
	struct sc_err err = {{0}};
	DWORD type, size;
	BYTE *data;

	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_NOT_FOUND);
	assert_int_equal(b->ops->read_value(b, k, "", &out, &err), SC_NOT_FOUND);
	regvalue_set_dword(&v, 0);
	write_ok(b, k, "Enabled", &v);
	regvalue_free(&v);
	assert_int_equal(b->ops->read_value(b, k, "ENABLED", &out, &err), SC_OK);
	regvalue_free(&out);
	assert_int_equal(b->ops->delete_value(b, k, "enabled", &err), SC_OK);
	assert_int_equal(wt_query(REG_VIEW_64, WT_ROOT, "Enabled", &type, &data, &size),
	                 ERROR_FILE_NOT_FOUND);
	assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_NOT_FOUND);
	assert_int_equal(b->ops->read_value(b, k, "Enabled", &out, &err), SC_NOT_FOUND);
	b->ops->close_key(b, k);
	/* the convenience helpers on top of the backend */
	assert_int_equal(wt_set(REG_VIEW_64, WT_ROOT, "Direct", REG_DWORD, "\x07\0\0\0", 4),
	                 ERROR_SUCCESS);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, WT_ROOT, "Direct", &out, &err), SC_OK);
	assert_int_equal(out.type, RV_DWORD);
	assert_int_equal(out.data[0], 7);
	regvalue_free(&out);
	assert_int_equal(reg_key_exists(b, REG_VIEW_64, WT_ROOT, &err), SC_OK);
	assert_int_equal(reg_key_exists(b, REG_VIEW_64, WT_ROOT "\\Nope", &err), SC_NOT_FOUND);
}

static void test_more_data(void **state)
{
	const struct reg_backend *b = *state;
	struct strbuf text = STRBUF_INIT;
	struct reg_value v;
	uint8_t *big = malloc(100 * 1024);
	size_t i;

	assert_non_null(big);
	for (i = 0; i < 100 * 1024; i++)
		big[i] = (uint8_t)(i * 31 + (i >> 8));
	/* around the backend's first buffer (256 bytes) */
	regvalue_set_bytes(&v, RV_BINARY, big, 256);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "b256", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_BINARY, big, 257);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "b257", &v);
	regvalue_free(&v);
	regvalue_set_bytes(&v, RV_BINARY, big, 100 * 1024);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "b100k", &v);
	regvalue_free(&v);
	/* a long REG_MULTI_SZ */
	for (i = 0; i < 500; i++) {
		char item[40];
		uint16_t *w;
		size_t units, j;

		snprintf(item, sizeof(item), "TLS_ECDHE_ECDSA_%04zu", i);
		w = utf8_to_utf16(item, strlen(item), &units);
		for (j = 0; j <= units; j++) {
			char le[2] = {(char)(w[j] & 0xff), (char)(w[j] >> 8)};

			sb_add(&text, le, 2);
		}
		free(w);
	}
	sb_add(&text, "\0\0", 2);
	regvalue_set_bytes(&v, RV_MULTI_SZ, text.buf, text.len);
	assert_true(v.size > 20000);
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "multi long", &v);
	{
		size_t n = 0;
		struct reg_value back = {0};
		struct sc_err err = {{0}};
		char **items;

		assert_int_equal(
		    reg_read_value_at(b, REG_VIEW_64, WT_ROOT, "multi long", &back, &err), SC_OK);
		items = regvalue_get_multi_sz(&back, &n);
		assert_int_equal(n, 500);
		assert_string_equal(items[0], "TLS_ECDHE_ECDSA_0000");
		assert_string_equal(items[499], "TLS_ECDHE_ECDSA_0499");
		strlist_free(items, n);
		regvalue_free(&back);
	}
	regvalue_free(&v);
	sb_free(&text);
	free(big);
}

static void test_too_large(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k = create(b, REG_VIEW_64, WT_ROOT, NULL);
	size_t size = RV_MAX_DATA + 2;
	uint8_t *huge = calloc(1, size);
	struct reg_value v, out = {0};
	struct sc_err err = {{0}};

	assert_non_null(huge);
	/* the backend refuses to write more than RV_MAX_DATA... */
	regvalue_set_bytes(&v, RV_BINARY, huge, size);
	assert_int_equal(b->ops->write_value(b, k, "huge", &v, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "HKLM\\" WT_ROOT));
	assert_non_null(strstr(err.msg, "huge"));
	regvalue_free(&v);
	/* ...and to read it when something else wrote it */
	assert_int_equal(wt_set(REG_VIEW_64, WT_ROOT, "huge", REG_BINARY, huge, (DWORD)size),
	                 ERROR_SUCCESS);
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->read_value(b, k, "huge", &out, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT ": RegQueryValueEx failed"));
	b->ops->close_key(b, k);
	free(huge);
}

static void test_rc4_slash_is_one_key(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v;
	bool found = false;
	size_t i;

	k = create(b, REG_VIEW_64, RC4, NULL);
	regvalue_set_dword(&v, 0);
	write_ok(b, k, "Enabled", &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	/* advapi32 itself: "RC4 128/128" under Ciphers, no "RC4 128" with "128" */
	assert_int_equal(wt_open(REG_VIEW_64, RC4, KEY_QUERY_VALUE, NULL), ERROR_SUCCESS);
	if (!rc4_existed)
		assert_int_equal(wt_open(REG_VIEW_64, WT_CIPHERS "\\RC4 128", KEY_READ, NULL),
		                 ERROR_FILE_NOT_FOUND);
	assert_int_equal(wt_open(REG_VIEW_64, WT_CIPHERS "\\RC4 128\\128", KEY_READ, NULL),
	                 ERROR_FILE_NOT_FOUND);
	{
		DWORD type = 0, size = 0;
		BYTE *data = NULL;

		assert_int_equal(wt_query(REG_VIEW_64, RC4, "Enabled", &type, &data, &size),
		                 ERROR_SUCCESS);
		assert_int_equal(type, REG_DWORD);
		free(data);
	}
	/* the backend enumerates it as one name */
	assert_int_equal(b->ops->open_key(b, REG_VIEW_64, WT_CIPHERS, REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	for (i = 0;; i++) {
		char *name = NULL;
		int rc = b->ops->enum_subkey(b, k, i, &name, &err);

		if (rc == SC_NOT_FOUND)
			break;
		assert_int_equal(rc, SC_OK);
		if (!strcmp(name, "RC4 128/128"))
			found = true;
		assert_string_not_equal(name, "RC4 128");
		free(name);
	}
	b->ops->close_key(b, k);
	assert_true(found);
	/* and deletes it as one key */
	if (!rc4_existed) {
		bool deleted = false;

		assert_int_equal(b->ops->open_key(b, REG_VIEW_64, RC4, REG_ACCESS_WRITE, &k, &err),
		                 SC_OK);
		assert_int_equal(b->ops->delete_value(b, k, "Enabled", &err), SC_OK);
		b->ops->close_key(b, k);
		assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, RC4, &deleted, &err),
		                 SC_OK);
		assert_true(deleted);
		assert_false(wt_key_exists(REG_VIEW_64, RC4));
		assert_true(wt_key_exists(REG_VIEW_64, WT_CIPHERS));
	}
}

static void test_multi_sz(void **state)
{
	const struct reg_backend *b = *state;
	char *items[] = {"TLS_AES_256_GCM_SHA384", "caf\xC3\xA9", "C:\\x \"y\""};
	struct reg_value v, out = {0};
	struct sc_err err = {{0}};
	DWORD type = 0, size = 0;
	BYTE *data = NULL;
	size_t n = 0;
	char **back;

	assert_true(regvalue_set_multi_sz(&v, items, 3));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "Functions", &v);
	assert_int_equal(wt_query(REG_VIEW_64, WT_ROOT, "Functions", &type, &data, &size),
	                 ERROR_SUCCESS);
	assert_int_equal(type, REG_MULTI_SZ);
	/* strings separated by one NUL, the list ended by another */
	assert_int_equal(size % 2, 0);
	assert_int_equal(data[size - 1], 0);
	assert_int_equal(data[size - 2], 0);
	assert_int_equal(data[size - 3], 0);
	assert_int_equal(data[size - 4], 0);
	free(data);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, WT_ROOT, "Functions", &out, &err),
	                 SC_OK);
	back = regvalue_get_multi_sz(&out, &n);
	assert_int_equal(n, 3);
	assert_string_equal(back[0], items[0]);
	assert_string_equal(back[1], items[1]);
	assert_string_equal(back[2], items[2]);
	strlist_free(back, n);
	regvalue_free(&out);
	regvalue_free(&v);
	/* an empty list */
	assert_true(regvalue_set_multi_sz(&v, items, 0));
	write_and_verify(b, REG_VIEW_64, WT_ROOT, "Empty", &v);
	regvalue_free(&v);
}

static void test_wow64_views(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k;
	struct reg_value v, out = {0};
	struct sc_err err = {{0}};
	DWORD type = 0, size = 0;
	BYTE *data = NULL;
	bool created = false;

	/* SOFTWARE: the 32-bit view lands in Wow6432Node */
	k = create(b, REG_VIEW_32, WT_ROOT "\\Views", &created);
	assert_true(created);
	regvalue_set_dword(&v, 32);
	write_ok(b, k, "bits", &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	assert_true(wt_key_exists(REG_VIEW_64, "SOFTWARE\\Wow6432Node\\schannelcfg-test\\Views"));
	assert_false(wt_key_exists(REG_VIEW_64, WT_ROOT "\\Views"));
	assert_int_equal(open_rc(b, REG_VIEW_64, WT_ROOT "\\Views"), SC_NOT_FOUND);
	assert_int_equal(wt_query(REG_VIEW_64, "SOFTWARE\\Wow6432Node\\schannelcfg-test\\Views",
	                          "bits", &type, &data, &size),
	                 ERROR_SUCCESS);
	assert_int_equal(type, REG_DWORD);
	assert_int_equal(data[0], 32);
	free(data);
	/* the 64-bit view holds its own key of the same name */
	k = create(b, REG_VIEW_64, WT_ROOT "\\Views", &created);
	assert_true(created);
	regvalue_set_dword(&v, 64);
	write_ok(b, k, "bits", &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_32, WT_ROOT "\\Views", "bits", &out, &err),
	                 SC_OK);
	assert_int_equal(out.data[0], 32);
	regvalue_free(&out);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, WT_ROOT "\\Views", "bits", &out, &err),
	                 SC_OK);
	assert_int_equal(out.data[0], 64);
	regvalue_free(&out);

	/* SYSTEM is shared: written in one view, seen in the other */
	k = create(b, REG_VIEW_32, SCRATCH_CIPHER, &created);
	assert_true(created);
	regvalue_set_dword(&v, 0xffffffffu);
	write_ok(b, k, "Enabled", &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	assert_int_equal(wt_query(REG_VIEW_64, SCRATCH_CIPHER, "Enabled", &type, &data, &size),
	                 ERROR_SUCCESS);
	assert_int_equal(size, 4);
	free(data);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, SCRATCH_CIPHER, "Enabled", &out, &err),
	                 SC_OK);
	regvalue_free(&out);
	k = create(b, REG_VIEW_64, SCRATCH_CIPHER, &created);
	assert_false(created); /* the same key */
	b->ops->close_key(b, k);
}

static void test_delete_key_if_empty(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k;
	struct reg_value v;
	struct sc_err err = {{0}};
	bool deleted = true;

	k = create(b, REG_VIEW_64, WT_ROOT "\\P\\Child", NULL);
	b->ops->close_key(b, k);
	k = create(b, REG_VIEW_64, WT_ROOT "\\Valued", NULL);
	regvalue_set_dword(&v, 1);
	write_ok(b, k, "x", &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);

	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, WT_ROOT "\\Missing", &deleted, &err),
	    SC_NOT_FOUND);
	assert_false(deleted);
	/* a key with subkeys stays: never recursive */
	deleted = true;
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, WT_ROOT "\\P", &deleted, &err),
	                 SC_OK);
	assert_false(deleted);
	assert_true(wt_key_exists(REG_VIEW_64, WT_ROOT "\\P\\Child"));
	/* a key with a value stays */
	deleted = true;
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, WT_ROOT "\\Valued", &deleted, &err), SC_OK);
	assert_false(deleted);
	assert_true(wt_key_exists(REG_VIEW_64, WT_ROOT "\\Valued"));
	/* an empty key goes, then its parent */
	assert_int_equal(
	    b->ops->delete_key_if_empty(b, REG_VIEW_64, WT_ROOT "\\P\\Child", &deleted, &err),
	    SC_OK);
	assert_true(deleted);
	assert_false(wt_key_exists(REG_VIEW_64, WT_ROOT "\\P\\Child"));
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_64, WT_ROOT "\\p", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_false(wt_key_exists(REG_VIEW_64, WT_ROOT "\\P"));
	/* views: deleting the 32-bit key leaves the 64-bit one */
	k = create(b, REG_VIEW_32, WT_ROOT "\\E", NULL);
	b->ops->close_key(b, k);
	k = create(b, REG_VIEW_64, WT_ROOT "\\E", NULL);
	b->ops->close_key(b, k);
	assert_int_equal(b->ops->delete_key_if_empty(b, REG_VIEW_32, WT_ROOT "\\E", &deleted, &err),
	                 SC_OK);
	assert_true(deleted);
	assert_false(wt_key_exists(REG_VIEW_32, WT_ROOT "\\E"));
	assert_true(wt_key_exists(REG_VIEW_64, WT_ROOT "\\E"));
}

/* All subkey or value names of a key, sorted, comma-separated. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *names(const struct reg_backend *b, enum reg_view view, const char *path, bool values)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	char *list[64];
	size_t n = 0, i;
	int rc;

	if (b->ops->open_key(b, view, path, REG_ACCESS_READ, &k, &err) != SC_OK)
		fail_msg("open %s: %s", path, err.msg);
	for (;;) {
		assert_true(n < ARRAY_SIZE(list));
		rc = values ? b->ops->enum_value(b, k, n, &list[n], &err)
		            : b->ops->enum_subkey(b, k, n, &list[n], &err);
		if (rc == SC_NOT_FOUND)
			break;
		if (rc != SC_OK)
			fail_msg("enumerate %s: %s", path, err.msg);
		n++;
	}
	b->ops->close_key(b, k);
	qsort(list, n, sizeof(*list), cmp_str);
	for (i = 0; i < n; i++) {
		sb_addf(&sb, "%s%s", i ? "," : "", list[i]);
		free(list[i]);
	}
	return sb_detach(&sb);
}

static void test_enumeration(void **state)
{
	const struct reg_backend *b = *state;
	static const char *const subkeys[] = {"TLS 1.2", "SSL 3.0", "RC4 40/128", "caf\xC3\xA9"};
	struct reg_key *k;
	struct reg_value v;
	char longname[2000];
	size_t i;
	char *s;

	for (i = 0; i < ARRAY_SIZE(subkeys); i++) {
		char *path = xasprintf(WT_ROOT "\\Enum\\%s", subkeys[i]);

		k = create(b, REG_VIEW_64, path, NULL);
		b->ops->close_key(b, k);
		free(path);
	}
	k = create(b, REG_VIEW_64, WT_ROOT "\\Enum", NULL);
	regvalue_set_dword(&v, 1);
	write_ok(b, k, "Enabled", &v);
	write_ok(b, k, "", &v);
	write_ok(b, k, "DisabledByDefault", &v);
	memset(longname, 'v', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	write_ok(b, k, longname, &v);
	regvalue_free(&v);
	b->ops->close_key(b, k);
	s = names(b, REG_VIEW_64, WT_ROOT "\\Enum", false);
	assert_string_equal(s, "RC4 40/128,SSL 3.0,TLS 1.2,caf\xC3\xA9");
	free(s);
	s = names(b, REG_VIEW_64, WT_ROOT "\\Enum", true);
	assert_true(starts_with(s, ",DisabledByDefault,Enabled,vvvv"));
	assert_int_equal(strlen(s), strlen(",DisabledByDefault,Enabled,") + sizeof(longname) - 1);
	free(s);
	s = names(b, REG_VIEW_64, WT_ROOT "\\Enum\\TLS 1.2", false);
	assert_string_equal(s, "");
	free(s);
	s = names(b, REG_VIEW_64, WT_ROOT "\\Enum\\TLS 1.2", true);
	assert_string_equal(s, "");
	free(s);
}

static void test_errors_name_the_key(void **state)
{
	const struct reg_backend *b = *state;
	struct reg_key *k = NULL;
	struct reg_value v, out = {0};
	struct sc_err err = {{0}};
	char *name = NULL;

	/* writing through a read-only handle: access denied */
	k = create(b, REG_VIEW_64, WT_ROOT "\\Err", NULL);
	b->ops->close_key(b, k);
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_64, WT_ROOT "\\Err", REG_ACCESS_READ, &k, &err), SC_OK);
	regvalue_set_dword(&v, 1);
	assert_int_equal(b->ops->write_value(b, k, "x", &v, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Err: RegSetValueEx failed: "));
	assert_non_null(strstr(err.msg, "(error 5)"));
	b->ops->close_key(b, k);
	/* the same in the 32-bit view says so */
	k = create(b, REG_VIEW_32, WT_ROOT "\\Err32", NULL);
	b->ops->close_key(b, k);
	assert_int_equal(
	    b->ops->open_key(b, REG_VIEW_32, WT_ROOT "\\Err32", REG_ACCESS_READ, &k, &err), SC_OK);
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->delete_value(b, k, "x", &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Err32 (32-bit view): RegDeleteValue"));
	b->ops->close_key(b, k);
	/* a key deleted while open fails cleanly, naming it */
	k = create(b, REG_VIEW_64, WT_ROOT "\\Gone", NULL);
	write_ok(b, k, "x", &v);
	wt_delete_tree(REG_VIEW_64, WT_ROOT "\\Gone");
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->write_value(b, k, "y", &v, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Gone: RegSetValueEx failed"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->read_value(b, k, "x", &out, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Gone: RegQueryValueEx failed"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->enum_subkey(b, k, 0, &name, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Gone: RegEnumKeyEx failed"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(b->ops->enum_value(b, k, 0, &name, &err), SC_ERROR);
	assert_true(starts_with(err.msg, "HKLM\\" WT_ROOT "\\Gone: RegEnumValue failed"));
	b->ops->close_key(b, k);
	regvalue_free(&v);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_create_and_open),
	    T(test_values_every_type),
	    T(test_unterminated_strings_kept),
	    T(test_read_and_delete),
	    T(test_more_data),
	    T(test_too_large),
	    T(test_rc4_slash_is_one_key),
	    T(test_multi_sz),
	    T(test_wow64_views),
	    T(test_delete_key_if_empty),
	    T(test_enumeration),
	    T(test_errors_name_the_key),
	};

	(void)argc;
	(void)argv;
	return cmocka_run_group_tests_name("backend_win32", tests, group_setup, group_teardown);
}
