/* Unit tests for util.c: bounded number parsing, UTF-8/UTF-16, strbuf,
 * case-insensitive comparison, error messages. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static void test_parse_u64_decimal(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_true(parse_u64("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(parse_u64("10", 10, &v));
	assert_int_equal(v, 10);
	assert_true(parse_u64("000042", 100, &v));
	assert_int_equal(v, 42);
	assert_true(parse_u64("18446744073709551615", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
}

static void test_parse_u64_bounds(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_false(parse_u64("11", 10, &v));
	assert_int_equal(v, 7); /* untouched on failure */
	assert_true(parse_u64("4294967295", 0xFFFFFFFFu, &v));
	assert_int_equal(v, 0xFFFFFFFFu);
	assert_false(parse_u64("4294967296", 0xFFFFFFFFu, &v));
	assert_false(parse_u64("1", 0, &v));
	assert_true(parse_u64("0", 0, &v));
	assert_int_equal(v, 0);
}

static void test_parse_u64_overflow(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_false(parse_u64("18446744073709551616", UINT64_MAX, &v));
	assert_false(parse_u64("99999999999999999999", UINT64_MAX, &v));
	assert_false(parse_u64("184467440737095516150", UINT64_MAX, &v));
	assert_false(parse_u64("0x10000000000000000", UINT64_MAX, &v));
	assert_int_equal(v, 7);
}

static void test_parse_u64_hex(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_true(parse_u64("0x0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(parse_u64("0xff", 255, &v));
	assert_int_equal(v, 255);
	assert_true(parse_u64("0XFF", 255, &v));
	assert_int_equal(v, 255);
	assert_true(parse_u64("0xAbCd", 0xFFFF, &v));
	assert_int_equal(v, 0xABCD);
	assert_false(parse_u64("0x100", 255, &v));
	assert_true(parse_u64("0xffffffffffffffff", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
	/* leading zeros beyond 16 digits are fine: only the value is bounded */
	assert_true(parse_u64("0x00000000000000000000000000001", 1, &v));
	assert_int_equal(v, 1);
	assert_false(parse_u64("0x", 10, &v));
	assert_false(parse_u64("0xg", 10, &v));
	assert_false(parse_u64("0x1g", 100, &v));
	assert_false(parse_u64("0x-1", 100, &v));
	assert_false(parse_u64("x10", 100, &v));
}

static void test_parse_u64_junk(void **state)
{
	static const char *const bad[] = {
	    "",    " ",   " 1",  "1 ",  "1\t",   "+1", "-1",   "-0",  "1.0",
	    "1e3", "12a", "a12", "0b1", "1,000", "١",  "0x 1", "1\n",
	};
	uint64_t v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_u64(bad[i], UINT64_MAX, &v))
			fail_msg("parse_u64 accepted \"%s\"", bad[i]);
	}
	assert_int_equal(v, 7);
}

static void test_parse_hex_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_true(parse_hex_u64("0000000c", 8, &v));
	assert_int_equal(v, 12);
	assert_true(parse_hex_u64("FFFFFFFF", 8, &v));
	assert_int_equal(v, 0xFFFFFFFFu);
	assert_false(parse_hex_u64("000000000", 8, &v)); /* nine digits */
	assert_false(parse_hex_u64("", 8, &v));
	assert_false(parse_hex_u64("0x1", 8, &v));
	assert_false(parse_hex_u64("1 ", 8, &v));
	assert_false(parse_hex_u64("1", 17, &v));
	assert_true(parse_hex_u64("ffffffffffffffff", 16, &v));
	assert_true(v == UINT64_MAX);
}

/* UTF-8 -> UTF-16 -> UTF-8 for a string, checking the code units. */
static void check_utf16(const char *utf8, const uint16_t *expect, size_t nexpect)
{
	size_t units = 99, len = 99;
	uint16_t *w = utf8_to_utf16(utf8, strlen(utf8), &units);
	char *back;

	assert_non_null(w);
	assert_int_equal(units, nexpect);
	assert_memory_equal(w, expect, nexpect * sizeof(uint16_t));
	assert_int_equal(w[units], 0);
	back = utf16_to_utf8(w, units, &len);
	assert_non_null(back);
	assert_int_equal(len, strlen(utf8));
	assert_string_equal(back, utf8);
	free(back);
	free(w);
}

static void test_utf16_roundtrip(void **state)
{
	static const uint16_t ascii[] = {'T', 'L', 'S'};
	static const uint16_t two[] = {0x00E9, 0x00FF};
	static const uint16_t three[] = {0x20AC, 0xFFFD, 0xD7FF, 0xE000};
	static const uint16_t pair[] = {0xD83D, 0xDE00, 'x', 0xDBFF, 0xDFFF, 0xD800, 0xDC00};

	(void)state;
	check_utf16("TLS", ascii, 3);
	check_utf16("\xC3\xA9\xC3\xBF", two, 2);
	check_utf16("\xE2\x82\xAC\xEF\xBF\xBD\xED\x9F\xBF\xEE\x80\x80", three, 4);
	/* U+1F600, 'x', U+10FFFF, U+10000: surrogate pairs */
	check_utf16("\xF0\x9F\x98\x80x\xF4\x8F\xBF\xBF\xF0\x90\x80\x80", pair, 7);
	check_utf16("", ascii, 0);
}

static void test_utf8_invalid_rejected(void **state)
{
	static const char *const bad[] = {
	    "\x80",                 /* lone continuation byte */
	    "a\xC3",                /* truncated 2-byte sequence */
	    "\xE2\x82",             /* truncated 3-byte sequence */
	    "\xF0\x9F\x98",         /* truncated 4-byte sequence */
	    "\xC0\xAF",             /* overlong '/' */
	    "\xC1\xBF",             /* overlong */
	    "\xE0\x80\xAF",         /* overlong 3-byte */
	    "\xF0\x80\x80\xAF",     /* overlong 4-byte */
	    "\xED\xA0\x80",         /* encoded surrogate U+D800 */
	    "\xED\xBF\xBF",         /* encoded surrogate U+DFFF */
	    "\xF4\x90\x80\x80",     /* U+110000 */
	    "\xF8\x88\x80\x80\x80", /* 5-byte form */
	    "\xFE",
	    "\xFF",
	    "\xC3\x28", /* bad continuation */
	};
	size_t i, units = 99;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint16_t *w = utf8_to_utf16(bad[i], strlen(bad[i]), &units);

		if (w) {
			free(w);
			fail_msg("utf8_to_utf16 accepted bad sequence #%zu", i);
		}
		if (utf8_valid(bad[i], strlen(bad[i])))
			fail_msg("utf8_valid accepted bad sequence #%zu", i);
	}
	assert_int_equal(units, 99);
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4));
	/* an embedded NUL is a valid code point; the length decides */
	assert_true(utf8_valid("a\0b", 3));
}

static void test_utf8_len_is_respected(void **state)
{
	size_t units = 0;
	uint16_t *w = utf8_to_utf16("abc\xFF", 3, &units); /* the bad byte is past len */

	(void)state;
	assert_non_null(w);
	assert_int_equal(units, 3);
	free(w);
	w = utf8_to_utf16("a\0b", 3, &units);
	assert_non_null(w);
	assert_int_equal(units, 3);
	assert_int_equal(w[1], 0);
	free(w);
	/* a 2-byte sequence cut by len */
	assert_null(utf8_to_utf16("\xC3\xA9", 1, &units));
}

static void test_unpaired_surrogates(void **state)
{
	static const uint16_t lone_high[] = {'a', 0xD800, 'b'};
	static const uint16_t lone_low[] = {0xDC00, 'b'};
	static const uint16_t high_at_end[] = {'a', 0xDBFF};
	static const uint16_t reversed[] = {0xDC00, 0xD800};
	static const uint16_t high_high_low[] = {0xD800, 0xD800, 0xDC00};
	size_t len = 0;
	char *s;

	(void)state;
	s = utf16_to_utf8(lone_high, 3, &len);
	assert_string_equal(s, "a\xEF\xBF\xBD"
	                       "b");
	assert_int_equal(len, 5);
	free(s);
	s = utf16_to_utf8(lone_low, 2, NULL);
	assert_string_equal(s, "\xEF\xBF\xBD"
	                       "b");
	free(s);
	s = utf16_to_utf8(high_at_end, 2, NULL);
	assert_string_equal(s, "a\xEF\xBF\xBD");
	free(s);
	s = utf16_to_utf8(reversed, 2, NULL);
	assert_string_equal(s, "\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
	/* the second high surrogate still pairs with the low one */
	s = utf16_to_utf8(high_high_low, 3, NULL);
	assert_string_equal(s, "\xEF\xBF\xBD\xF0\x90\x80\x80");
	free(s);
}

static void test_utf16_embedded_nul_kept(void **state)
{
	static const uint16_t w[] = {'a', 0, 'b'};
	size_t len = 0;
	char *s = utf16_to_utf8(w, 3, &len);

	(void)state;
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 4);
	free(s);
	s = utf16_to_utf8(w, 0, &len);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_utf16le_bytes(void **state)
{
	static const uint8_t bytes[] = {'h', 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 'z'};
	size_t len = 0;
	char *s;

	(void)state;
	/* odd size: the last byte is dropped */
	s = utf16le_bytes_to_utf8(bytes, sizeof(bytes), &len);
	assert_string_equal(s, "h\xE2\x82\xAC\xF0\x9F\x98\x80");
	assert_int_equal(len, 8);
	free(s);
	/* a pair cut in half by the size */
	s = utf16le_bytes_to_utf8(bytes, 6, &len);
	assert_string_equal(s, "h\xE2\x82\xAC\xEF\xBF\xBD");
	free(s);
	s = utf16le_bytes_to_utf8(bytes, 1, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t i;

	(void)state;
	assert_string_equal(sb_str(&sb), "");
	sb_add(&sb, "", 0);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	sb_adds(&sb, "abc");
	sb_addc(&sb, '-');
	sb_addf(&sb, "%d:%s:%zu", 42, "x", (size_t)7);
	assert_string_equal(sb_str(&sb), "abc-42:x:7");
	assert_int_equal(sb.len, 10);
	sb_add(&sb, "\0z", 2); /* embedded NUL kept, still terminated */
	assert_int_equal(sb.len, 12);
	assert_memory_equal(sb.buf + 10, "\0z\0", 3);
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	for (i = 0; i < 10000; i++)
		sb_addc(&sb, (char)('a' + i % 26));
	assert_int_equal(sb.len, 10000);
	assert_int_equal(strlen(sb.buf), 10000);
	assert_true(sb.cap > sb.len);
	sb_reset(&sb);
	sb_addf(&sb, "%05d|%-3s|%x", 12, "a", 255);
	assert_string_equal(sb.buf, "00012|a  |ff");
	p = sb_detach(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
	assert_string_equal(p, "00012|a  |ff");
	free(p);
	/* detaching an empty strbuf still gives a string to free */
	p = sb_detach(&sb);
	assert_string_equal(p, "");
	free(p);
	sb_free(&sb);
	sb_free(&sb); /* twice is fine */
}

static void test_strbuf_long_format(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_adds(&sb, "<");
	sb_addf(&sb, "%s>", big);
	assert_int_equal(sb.len, 5000 + 1);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[sb.len - 1], '>');
	sb_free(&sb);
}

static void test_strcmp_ci(void **state)
{
	(void)state;
	assert_int_equal(strcmp_ci("SCHANNEL", "schannel"), 0);
	assert_int_equal(strcmp_ci("", ""), 0);
	assert_true(strcmp_ci("a", "B") < 0);
	assert_true(strcmp_ci("B", "a") > 0);
	assert_true(strcmp_ci("abc", "ABCD") < 0);
	assert_true(strcmp_ci("ABCD", "abc") > 0);
	assert_true(strcmp_ci("", "a") < 0);
	/* only ASCII folds: é and É differ */
	assert_true(strcmp_ci("\xC3\xA9", "\xC3\x89") != 0);
	/* bytes >= 0x80 compare as unsigned */
	assert_true(strcmp_ci("\xC3", "z") > 0);
	/* '[' and '_' sit between 'Z' and 'a': folding must be consistent */
	assert_true((strcmp_ci("_", "A") > 0) == (strcmp_ci("_", "a") > 0));
	assert_true((strcmp_ci("A", "_") > 0) == (strcmp_ci("a", "_") > 0));
	assert_true(streq_ci("TLS 1.2", "tls 1.2"));
	assert_false(streq_ci("TLS 1.2", "TLS 1.3"));
	assert_int_equal(strncmp_ci("Protocols", "PROTOX", 5), 0);
	assert_true(strncmp_ci("Protocols", "PROTOX", 6) != 0);
	assert_int_equal(strncmp_ci("ab", "AB", 100), 0);
	assert_int_equal(strncmp_ci("x", "y", 0), 0);
	assert_true(starts_with_ci("HKEY_LOCAL_MACHINE\\X", "hkey_local_machine"));
	assert_false(starts_with_ci("HKLM", "HKLM\\"));
	assert_true(starts_with("abc", ""));
	assert_false(starts_with("abc", "ABC"));
}

static void test_trim(void **state)
{
	char a[] = " \t x y \t ";
	char b[] = "   ";
	char c[] = "z";

	(void)state;
	assert_string_equal(trim(a), "x y");
	assert_string_equal(trim(b), "");
	assert_string_equal(trim(c), "z");
}

static void test_sc_err(void **state)
{
	struct sc_err err = {{0}};
	char big[3000];

	(void)state;
	assert_int_equal(sc_err_set(&err, "bad %s %d", "thing", 3), SC_ERROR);
	assert_string_equal(err.msg, "bad thing 3");
	assert_int_equal(sc_err_prefix(&err, "file.reg:%u", 12u), SC_ERROR);
	assert_string_equal(err.msg, "file.reg:12: bad thing 3");
	assert_int_equal(sc_err_set(NULL, "ignored"), SC_ERROR);
	assert_int_equal(sc_err_prefix(NULL, "ignored"), SC_ERROR);
	/* truncated, never overflowing */
	memset(big, 'e', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sc_err_set(&err, "%s", big);
	assert_int_equal(strlen(err.msg), SC_ERR_MAX - 1);
	sc_err_prefix(&err, "p");
	assert_int_equal(strlen(err.msg), SC_ERR_MAX - 1);
	assert_true(starts_with(err.msg, "p: eee"));
}

static void test_x_helpers(void **state)
{
	char *s = xstrndup("abcdef", 3);
	char *f = xasprintf("%s-%u", "k", 9u);
	int *arr = NULL;
	size_t cap = 0, i;

	(void)state;
	assert_string_equal(s, "abc");
	assert_string_equal(f, "k-9");
	free(s);
	free(f);
	xgrow(&arr, &cap, 3, sizeof(*arr));
	assert_true(cap >= 3);
	xgrow(&arr, &cap, 1000, sizeof(*arr));
	assert_true(cap >= 1000);
	for (i = 0; i < 1000; i++)
		arr[i] = (int)i;
	assert_int_equal(arr[999], 999);
	free(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_u64_decimal),
	    cmocka_unit_test(test_parse_u64_bounds),
	    cmocka_unit_test(test_parse_u64_overflow),
	    cmocka_unit_test(test_parse_u64_hex),
	    cmocka_unit_test(test_parse_u64_junk),
	    cmocka_unit_test(test_parse_hex_u64),
	    cmocka_unit_test(test_utf16_roundtrip),
	    cmocka_unit_test(test_utf8_invalid_rejected),
	    cmocka_unit_test(test_utf8_len_is_respected),
	    cmocka_unit_test(test_unpaired_surrogates),
	    cmocka_unit_test(test_utf16_embedded_nul_kept),
	    cmocka_unit_test(test_utf16le_bytes),
	    cmocka_unit_test(test_strbuf),
	    cmocka_unit_test(test_strbuf_long_format),
	    cmocka_unit_test(test_strcmp_ci),
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_sc_err),
	    cmocka_unit_test(test_x_helpers),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
