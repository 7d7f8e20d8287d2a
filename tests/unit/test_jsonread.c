/* Unit tests for jsonread.c: what RFC 8259 allows is read back exactly
 * (escapes, surrogate pairs, nesting, numbers as written), what it does
 * not is refused with its line and column, and the limits (depth,
 * duplicate keys, NUL, invalid UTF-8) hold. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

static void parse_ok(const char *text, struct jr_value *v)
{
	struct sc_err err = {{0}};

	if (jr_parse(text, strlen(text), v, &err) != SC_OK)
		fail_msg("refused %s: %s", text, err.msg);
}

/* The message for a text that must be refused. */
static void assert_refused(const char *text, size_t len, const char *want)
{
	struct sc_err err = {{0}};
	struct jr_value v;

	assert_int_equal(jr_parse(text, len, &v, &err), SC_ERROR);
	if (!strstr(err.msg, want))
		fail_msg("for [%.*s] got \"%s\", expected \"%s\"", (int)len, text, err.msg, want);
}

#define REFUSED(text, want) assert_refused(text, sizeof(text) - 1, want)

static void test_document(void **state)
{
	struct jr_value v;
	uint64_t n = 0;

	parse_ok("{\"schema\": 1, \"kind\": \"check\", \"ok\": true, \"no\": false, \"x\": null,\n"
	         " \"list\": [1, \"two\", {\"three\": 3}], \"empty\": {}, \"none\": []}",
	         &v);
	assert_int_equal(v.type, JR_OBJECT);
	assert_int_equal(v.n, 8);
	assert_true(jr_u64(jr_get(&v, "schema"), 10, &n));
	assert_int_equal(n, 1);
	assert_string_equal(jr_str(jr_get(&v, "kind")), "check");
	assert_true(jr_true(jr_get(&v, "ok")));
	assert_false(jr_true(jr_get(&v, "no")));
	assert_true(jr_is_bool(jr_get(&v, "no")));
	assert_int_equal(jr_get(&v, "x")->type, JR_NULL);
	assert_null(jr_get(&v, "absent"));
	assert_null(jr_str(jr_get(&v, "schema")));
	assert_int_equal(jr_get(&v, "list")->n, 3);
	assert_true(jr_u64(jr_get(&jr_get(&v, "list")->items[2], "three"), 3, &n));
	assert_int_equal(n, 3);
	assert_int_equal(jr_get(&v, "empty")->n, 0);
	jr_free(&v);
}

static void test_escapes(void **state)
{
	struct jr_value v;

	parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\"", &v);
	assert_string_equal(v.str, "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	jr_free(&v);
	parse_ok("\"caf\xc3\xa9\"", &v);
	assert_string_equal(v.str, "caf\xc3\xa9");
	jr_free(&v);
	parse_ok("\xEF\xBB\xBF  \"\"  ", &v);
	assert_string_equal(v.str, "");
	jr_free(&v);
}

static void test_numbers(void **state)
{
	struct jr_value v;
	uint64_t n;

	parse_ok("[0, -1, 3010, 1.5, 2e3, 18446744073709551615, 18446744073709551616]", &v);
	assert_true(jr_u64(&v.items[0], 5, &n) && n == 0);
	assert_false(jr_u64(&v.items[1], 5, &n));
	assert_true(jr_u64(&v.items[2], 4000, &n) && n == 3010);
	assert_false(jr_u64(&v.items[2], 3009, &n));
	assert_false(jr_u64(&v.items[3], 5, &n));
	assert_false(jr_u64(&v.items[4], 5000, &n));
	assert_string_equal(v.items[4].str, "2e3");
	assert_true(jr_u64(&v.items[5], UINT64_MAX, &n) && n == UINT64_MAX);
	assert_false(jr_u64(&v.items[6], UINT64_MAX, &n));
	jr_free(&v);
}

static void test_refused_syntax(void **state)
{
	REFUSED("", "line 1, column 1: a value expected, found the end");
	REFUSED("{\"a\": 1,}", "column 9: a key");
	REFUSED("[1, 2,]", "a value expected");
	REFUSED("{\"a\" 1}", "':' expected");
	REFUSED("{'a': 1}", "a key");
	REFUSED("[1 2]", "',' or ']' expected");
	REFUSED("{\"a\": 1\n \"b\": 2}", "line 2, column 2: ',' or '}' expected");
	REFUSED("01", "leading zero");
	REFUSED("-", "a digit expected");
	REFUSED("1.", "after the decimal point");
	REFUSED("1e", "in the exponent");
	REFUSED("NaN", "a value expected");
	REFUSED("tru", "a value expected");
	REFUSED("{} {}", "text after the end");
	REFUSED("/* c */ {}", "a value expected");
	REFUSED("\"abc", "line 1, column 1: this string is not closed");
	REFUSED("\"a\tb\"", "control character");
	REFUSED("\"\\x\"", "an escape expected");
	REFUSED("\"\\u12\"", "four hexadecimal digits");
}

static void test_refused_limits(void **state)
{
	char deep[200];
	size_t i;

	REFUSED("\"a\\u0000b\"", "NUL");
	REFUSED("\"\\ud83d\"", "high surrogate");
	REFUSED("\"\\ude00\"", "low surrogate without");
	REFUSED("\"\\ud83d\\u0041\"", "followed by a low one");
	REFUSED("\"\xff\"", "not valid UTF-8");
	REFUSED("\"\xc0\xaf\"", "not valid UTF-8"); /* overlong '/' */
	REFUSED("\"a\0b\"", "control character");
	REFUSED("{\"k\": 1, \"j\": 2, \"k\": 3}", "the key \"k\" appears twice");
	REFUSED("[1234567890123456789012345678901234567890123456789012345678901234567890]",
	        "longer than 64");
	for (i = 0; i < 66; i++)
		deep[i] = '[';
	assert_refused(deep, 66, "nested deeper than 64 levels");
	for (i = 0; i < 64; i++)
		deep[i] = '[';
	for (i = 0; i < 64; i++)
		deep[64 + i] = ']';
	{
		struct jr_value v;
		struct sc_err err = {{0}};

		assert_int_equal(jr_parse(deep, 128, &v, &err), SC_OK);
		jr_free(&v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_document),       cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_numbers),        cmocka_unit_test(test_refused_syntax),
	    cmocka_unit_test(test_refused_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
