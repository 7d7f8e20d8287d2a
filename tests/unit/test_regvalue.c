/* Unit tests for regvalue.c: constructors, equality, hostile string data,
 * the clean-string test that decides "text" vs hex in .reg files, describe. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "regvalue.h"

/* A value from raw bytes (size may be 0). */
static struct reg_value raw(uint32_t type, const void *bytes, size_t size)
{
	struct reg_value v;

	regvalue_set_bytes(&v, type, bytes, size);
	return v;
}

static char *describe(const struct reg_value *v)
{
	struct strbuf sb = STRBUF_INIT;

	regvalue_describe(v, &sb);
	return sb_detach(&sb);
}

static void assert_describe(const struct reg_value *v, const char *expect)
{
	char *s = describe(v);

	assert_string_equal(s, expect);
	free(s);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(regvalue_type_name(RV_NONE), "REG_NONE");
	assert_string_equal(regvalue_type_name(RV_SZ), "REG_SZ");
	assert_string_equal(regvalue_type_name(RV_EXPAND_SZ), "REG_EXPAND_SZ");
	assert_string_equal(regvalue_type_name(RV_BINARY), "REG_BINARY");
	assert_string_equal(regvalue_type_name(RV_DWORD), "REG_DWORD");
	assert_string_equal(regvalue_type_name(RV_DWORD_BIG_ENDIAN), "REG_DWORD_BIG_ENDIAN");
	assert_string_equal(regvalue_type_name(RV_LINK), "REG_LINK");
	assert_string_equal(regvalue_type_name(RV_MULTI_SZ), "REG_MULTI_SZ");
	assert_string_equal(regvalue_type_name(RV_RESOURCE_LIST), "REG_RESOURCE_LIST");
	assert_string_equal(regvalue_type_name(RV_FULL_RESOURCE_DESCRIPTOR),
	                    "REG_FULL_RESOURCE_DESCRIPTOR");
	assert_string_equal(regvalue_type_name(RV_RESOURCE_REQUIREMENTS_LIST),
	                    "REG_RESOURCE_REQUIREMENTS_LIST");
	assert_string_equal(regvalue_type_name(RV_QWORD), "REG_QWORD");
	assert_string_equal(regvalue_type_name(12), "REG_UNKNOWN");
	assert_string_equal(regvalue_type_name(0xFFFFFFFFu), "REG_UNKNOWN");
}

static void test_dword_qword(void **state)
{
	static const uint8_t le[] = {0x78, 0x56, 0x34, 0x12};
	static const uint8_t qle[] = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
	struct reg_value v, q;
	uint32_t d = 0;

	(void)state;
	regvalue_set_dword(&v, 0x12345678u);
	assert_int_equal(v.type, RV_DWORD);
	assert_int_equal(v.size, 4);
	assert_memory_equal(v.data, le, 4);
	assert_true(regvalue_get_dword(&v, &d));
	assert_int_equal(d, 0x12345678u);
	regvalue_free(&v);
	assert_null(v.data);
	assert_int_equal(v.size, 0);
	regvalue_free(&v); /* twice is fine */

	regvalue_set_dword(&v, 0xFFFFFFFFu);
	assert_true(regvalue_get_dword(&v, &d));
	assert_int_equal(d, 0xFFFFFFFFu);
	regvalue_free(&v);

	regvalue_set_qword(&q, 0x0102030405060708ull);
	assert_int_equal(q.type, RV_QWORD);
	assert_int_equal(q.size, 8);
	assert_memory_equal(q.data, qle, 8);
	assert_false(regvalue_get_dword(&q, &d)); /* a QWORD is not a DWORD */
	regvalue_free(&q);
}

static void test_get_dword_hostile(void **state)
{
	static const uint8_t five[] = {1, 0, 0, 0, 0};
	struct reg_value v;
	uint32_t d = 77;

	(void)state;
	v = raw(RV_DWORD, five, 3); /* short */
	assert_false(regvalue_get_dword(&v, &d));
	regvalue_free(&v);
	v = raw(RV_DWORD, five, 5); /* long */
	assert_false(regvalue_get_dword(&v, &d));
	regvalue_free(&v);
	v = raw(RV_DWORD, NULL, 0); /* empty */
	assert_false(regvalue_get_dword(&v, &d));
	regvalue_free(&v);
	v = raw(RV_BINARY, five, 4); /* right size, wrong type */
	assert_false(regvalue_get_dword(&v, &d));
	regvalue_free(&v);
	v = raw(RV_DWORD_BIG_ENDIAN, five, 4);
	assert_false(regvalue_get_dword(&v, &d));
	regvalue_free(&v);
	assert_int_equal(d, 77);
}

static void test_set_string(void **state)
{
	static const uint8_t tls[] = {'T', 0, 'L', 0, 'S', 0, 0, 0};
	static const uint8_t euro_emoji[] = {0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 0, 0};
	struct reg_value v;

	(void)state;
	assert_true(regvalue_set_string(&v, RV_SZ, "TLS"));
	assert_int_equal(v.type, RV_SZ);
	assert_int_equal(v.size, sizeof(tls));
	assert_memory_equal(v.data, tls, sizeof(tls));
	regvalue_free(&v);

	assert_true(regvalue_set_string(&v, RV_EXPAND_SZ, "\xE2\x82\xAC\xF0\x9F\x98\x80"));
	assert_int_equal(v.type, RV_EXPAND_SZ);
	assert_int_equal(v.size, sizeof(euro_emoji));
	assert_memory_equal(v.data, euro_emoji, sizeof(euro_emoji));
	regvalue_free(&v);

	assert_true(regvalue_set_string(&v, RV_SZ, ""));
	assert_int_equal(v.size, 2);
	assert_int_equal(v.data[0], 0);
	assert_int_equal(v.data[1], 0);
	regvalue_free(&v);

	assert_false(regvalue_set_string(&v, RV_SZ, "bad \xC3 utf-8"));
	assert_false(regvalue_set_string(&v, RV_SZ, "\xED\xA0\x80"));
}

static void test_set_multi_sz(void **state)
{
	static const uint8_t ab[] = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0};
	char *items[] = {"a", "bc"};
	char *with_empty[] = {"a", "", "b"};
	char *bad[] = {"a", "\xFF"};
	struct reg_value v;
	size_t n = 0;
	char **back;

	(void)state;
	assert_true(regvalue_set_multi_sz(&v, items, 2));
	assert_int_equal(v.type, RV_MULTI_SZ);
	assert_int_equal(v.size, sizeof(ab));
	assert_memory_equal(v.data, ab, sizeof(ab));
	back = regvalue_get_multi_sz(&v, &n);
	assert_int_equal(n, 2);
	assert_string_equal(back[0], "a");
	assert_string_equal(back[1], "bc");
	strlist_free(back, n);
	regvalue_free(&v);

	/* an empty list is two NULs (one empty string ending the list) */
	assert_true(regvalue_set_multi_sz(&v, items, 0));
	assert_int_equal(v.size, 2);
	assert_int_equal(v.data[0], 0);
	assert_int_equal(v.data[1], 0);
	back = regvalue_get_multi_sz(&v, &n);
	assert_int_equal(n, 0);
	strlist_free(back, n);
	regvalue_free(&v);

	assert_false(regvalue_set_multi_sz(&v, with_empty, 3));
	assert_false(regvalue_set_multi_sz(&v, bad, 2));
}

static void test_set_bytes_and_copy(void **state)
{
	static const uint8_t bytes[] = {0, 1, 2, 0xFF};
	struct reg_value v, c;
	struct sc_err err = {{0}};

	(void)state;
	regvalue_set_bytes(&v, RV_BINARY, bytes, sizeof(bytes));
	assert_int_equal(v.type, RV_BINARY);
	assert_memory_equal(v.data, bytes, 4);
	assert_int_equal(regvalue_copy(&c, &v, &err), SC_OK);
	assert_true(regvalue_equal(&c, &v));
	assert_true(c.data != v.data); /* a deep copy */
	c.data[0] = 9;
	assert_false(regvalue_equal(&c, &v));
	regvalue_free(&c);
	regvalue_free(&v);

	regvalue_set_bytes(&v, RV_NONE, NULL, 0);
	assert_int_equal(v.type, RV_NONE);
	assert_int_equal(v.size, 0);
	assert_null(v.data);
	memset(&c, 0xAA, sizeof(c));
	assert_int_equal(regvalue_copy(&c, &v, &err), SC_OK);
	assert_int_equal(c.type, RV_NONE);
	assert_int_equal(c.size, 0);
	assert_null(c.data);
	regvalue_free(&v);
}

static void test_equal(void **state)
{
	static const uint8_t one[] = {1, 0, 0, 0};
	struct reg_value a, b;

	(void)state;
	regvalue_set_dword(&a, 1);
	b = raw(RV_BINARY, one, 4);
	assert_false(regvalue_equal(&a, &b)); /* same bytes, different type */
	regvalue_free(&b);
	b = raw(RV_DWORD, one, 3);
	assert_false(regvalue_equal(&a, &b)); /* prefix */
	regvalue_free(&b);
	b = raw(RV_DWORD, one, 4);
	assert_true(regvalue_equal(&a, &b));
	assert_true(regvalue_equal(&a, &a));
	regvalue_free(&b);
	regvalue_free(&a);

	/* two empty values of one type are equal whatever their data pointer */
	a = raw(RV_BINARY, NULL, 0);
	b = raw(RV_BINARY, one, 0);
	assert_true(regvalue_equal(&a, &b));
	b.type = RV_NONE;
	assert_false(regvalue_equal(&a, &b));
}

static void test_clean_string(void **state)
{
	static const struct {
		uint32_t type;
		const char *bytes;
		size_t size;
		bool clean;
	} cases[] = {
	    {RV_SZ, "a\0\0\0", 4, true},
	    {RV_SZ, "\0\0", 2, true}, /* "" */
	    {RV_EXPAND_SZ, "%\0P\0%\0\0\0", 8, true},
	    {RV_SZ, "", 0, false},                 /* no terminator at all */
	    {RV_SZ, "a\0", 2, false},              /* no terminator */
	    {RV_SZ, "a\0\0", 3, false},            /* odd size */
	    {RV_SZ, "a\0\0\0\0", 5, false},        /* odd size */
	    {RV_SZ, "a\0\0\0b\0\0\0", 8, false},   /* embedded NUL */
	    {RV_SZ, "a\0\0\0\0\0", 6, false},      /* two terminators */
	    {RV_SZ, "\0\0a\0", 4, false},          /* leading NUL */
	    {RV_SZ, "\0a\0\0", 4, true},           /* U+6100: high byte only */
	    {RV_MULTI_SZ, "a\0\0\0\0\0", 6, true}, /* ["a"] */
	    {RV_MULTI_SZ, "a\0\0\0b\0\0\0\0\0", 10, true},
	    {RV_MULTI_SZ, "\0\0\0\0", 4, true}, /* [] as Windows writes it */
	    {RV_MULTI_SZ, "", 0, false},
	    {RV_MULTI_SZ, "a\0\0\0", 4, false}, /* list not ended */
	    {RV_MULTI_SZ, "a\0", 2, false},
	    {RV_MULTI_SZ, "a\0\0\0\0\0\0", 7, false},           /* odd */
	    {RV_MULTI_SZ, "a\0\0\0\0\0b\0\0\0\0\0", 12, false}, /* empty string inside */
	    {RV_MULTI_SZ, "\0\0a\0\0\0\0\0", 8, false},         /* starts with an empty string */
	    {RV_MULTI_SZ, "a\0\0\0\0\0\0\0", 8, false},         /* three NULs at the end */
	    {RV_BINARY, "a\0\0\0", 4, false},                   /* not a string type */
	    {RV_DWORD, "a\0\0\0", 4, false},
	    {RV_NONE, "\0\0", 2, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct reg_value v = raw(cases[i].type, cases[i].bytes, cases[i].size);

		if (regvalue_is_clean_string(&v) != cases[i].clean)
			fail_msg("case %zu: is_clean_string should be %s", i,
			         cases[i].clean ? "true" : "false");
		regvalue_free(&v);
	}
}

static void test_clean_string_from_constructors(void **state)
{
	char *items[] = {"SSL 3.0", "TLS 1.0"};
	struct reg_value v;

	(void)state;
	assert_true(regvalue_set_string(&v, RV_SZ, "x"));
	assert_true(regvalue_is_clean_string(&v));
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_EXPAND_SZ, ""));
	assert_true(regvalue_is_clean_string(&v));
	regvalue_free(&v);
	assert_true(regvalue_set_multi_sz(&v, items, 2));
	assert_true(regvalue_is_clean_string(&v));
	regvalue_free(&v);
}

static void test_get_string_hostile(void **state)
{
	static const struct {
		const char *bytes;
		size_t size;
		const char *expect;
	} cases[] = {
	    {"a\0b\0\0\0", 6, "ab"},    /* well formed */
	    {"a\0b\0", 4, "ab"},        /* no terminator */
	    {"a\0b\0c", 5, "ab"},       /* odd size: last byte dropped */
	    {"a\0\0\0b\0\0\0", 8, "a"}, /* embedded NUL: stops there */
	    {"\0\0a\0", 4, ""},         /* starts with NUL */
	    {"a", 1, ""},               /* one byte */
	    {"", 0, ""},                /* empty */
	    {"\x00\xD8"
	     "a\0",
	     4,
	     "\xEF\xBF\xBD"
	     "a"}, /* unpaired surrogate */
	    {"\xAC\x20", 2, "\xE2\x82\xAC"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct reg_value v = raw(RV_SZ, cases[i].bytes, cases[i].size);
		char *s = regvalue_get_string(&v);

		if (strcmp(s, cases[i].expect) != 0)
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, s, cases[i].expect);
		free(s);
		regvalue_free(&v);
	}
}

static void check_multi(const char *bytes, size_t size, const char *const *expect, size_t n)
{
	struct reg_value v = raw(RV_MULTI_SZ, bytes, size);
	size_t count = 99, i;
	char **items = regvalue_get_multi_sz(&v, &count);

	assert_int_equal(count, n);
	for (i = 0; i < n; i++)
		assert_string_equal(items[i], expect[i]);
	strlist_free(items, count);
	regvalue_free(&v);
}

static void test_get_multi_sz_hostile(void **state)
{
	static const char *const ab[] = {"a", "b"};
	static const char *const abc[] = {"a", "bc"};

	(void)state;
	check_multi("a\0\0\0b\0\0\0\0\0", 10, ab, 2); /* well formed */
	check_multi("a\0\0\0b\0\0\0", 8, ab, 2);      /* list not ended */
	check_multi("a\0\0\0b\0", 6, ab, 2);          /* last string unterminated */
	check_multi("a\0\0\0b\0c", 7, ab, 2);         /* odd size */
	check_multi("a\0\0\0b\0c\0", 8, abc, 2);
	check_multi("a\0\0\0\0\0b\0\0\0\0\0", 12, ab, 1); /* stops at the empty string */
	check_multi("\0\0a\0\0\0", 6, ab, 0);             /* empty first string */
	check_multi("", 0, ab, 0);
	check_multi("a", 1, ab, 0);
}

static void test_describe(void **state)
{
	static const uint8_t bin[] = {0xde, 0xad, 0x00, 0x01};
	char *items[] = {"one", "two", "three"};
	char *single[] = {"one"};
	uint8_t big[40];
	struct reg_value v;
	size_t i;

	(void)state;
	regvalue_set_dword(&v, 1);
	assert_describe(&v, "REG_DWORD 0x00000001 (1)");
	regvalue_free(&v);
	regvalue_set_dword(&v, 0xFFFFFFFFu);
	assert_describe(&v, "REG_DWORD 0xffffffff (4294967295)");
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_SZ, "TLS_ECDHE"));
	assert_describe(&v, "REG_SZ \"TLS_ECDHE\"");
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_EXPAND_SZ, "%SystemRoot%"));
	assert_describe(&v, "REG_EXPAND_SZ \"%SystemRoot%\"");
	regvalue_free(&v);
	assert_true(regvalue_set_multi_sz(&v, items, 3));
	assert_describe(&v, "REG_MULTI_SZ [3 strings]");
	regvalue_free(&v);
	assert_true(regvalue_set_multi_sz(&v, single, 1));
	assert_describe(&v, "REG_MULTI_SZ [1 string]");
	regvalue_free(&v);
	v = raw(RV_BINARY, bin, sizeof(bin));
	assert_describe(&v, "REG_BINARY de,ad,00,01");
	regvalue_free(&v);
	v = raw(RV_NONE, NULL, 0);
	{
		char *s = describe(&v);

		assert_true(starts_with(s, "REG_NONE"));
		free(s);
	}
	regvalue_set_qword(&v, 1);
	assert_describe(&v, "REG_QWORD 01,00,00,00,00,00,00,00");
	regvalue_free(&v);
	/* malformed: a 3-byte DWORD, an odd REG_SZ, an unknown type: as hex */
	v = raw(RV_DWORD, bin, 3);
	assert_describe(&v, "REG_DWORD de,ad,00");
	regvalue_free(&v);
	v = raw(RV_SZ, "a\0b", 3);
	assert_describe(&v, "REG_SZ 61,00,62");
	regvalue_free(&v);
	v = raw(0x1234, bin, 2);
	assert_describe(&v, "REG_UNKNOWN de,ad");
	regvalue_free(&v);
	/* a REG_SZ without terminator still reads as its text */
	v = raw(RV_SZ, "h\0i\0", 4);
	assert_describe(&v, "REG_SZ \"hi\"");
	regvalue_free(&v);
	/* long data is cut after 32 bytes, with the full size */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	v = raw(RV_BINARY, big, sizeof(big));
	{
		char *s = describe(&v);

		assert_true(starts_with(s, "REG_BINARY 00,01,02,"));
		assert_non_null(strstr(s, ",1f,... (40 bytes)"));
		assert_null(strstr(s, ",20"));
		free(s);
	}
	regvalue_free(&v);
}

static void test_describe_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_value v;

	(void)state;
	sb_adds(&sb, "old: ");
	regvalue_set_dword(&v, 0);
	regvalue_describe(&v, &sb);
	assert_string_equal(sb_str(&sb), "old: REG_DWORD 0x00000000 (0)");
	regvalue_free(&v);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_type_names),
	    cmocka_unit_test(test_dword_qword),
	    cmocka_unit_test(test_get_dword_hostile),
	    cmocka_unit_test(test_set_string),
	    cmocka_unit_test(test_set_multi_sz),
	    cmocka_unit_test(test_set_bytes_and_copy),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_clean_string),
	    cmocka_unit_test(test_clean_string_from_constructors),
	    cmocka_unit_test(test_get_string_hostile),
	    cmocka_unit_test(test_get_multi_sz_hostile),
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test(test_describe_appends),
	};

	return cmocka_run_group_tests_name("regvalue", tests, NULL, NULL);
}
