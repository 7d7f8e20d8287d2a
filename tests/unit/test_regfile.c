/* Unit tests for regfile.c: the .reg parser (encodings, every value form,
 * forged inputs that must fail with "FILE:LINE: "), the writer, and
 * writer -> parser round trips for every value type, malformed ones too. */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend_mem.h"
#include "backend_regfile.h"
#include "regfile.h"

#define V5  "Windows Registry Editor Version 5.00\r\n"
#define SCH "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"

/* ---- helpers ---------------------------------------------------------- */

static void parse_ok_bytes(const void *data, size_t size, struct regfile *rf)
{
	struct sc_err err = {{0}};

	if (regfile_parse("t.reg", data, size, rf, &err) != SC_OK)
		fail_msg("unexpected parse error: %s", err.msg);
}

static void parse_ok(const char *text, struct regfile *rf)
{
	parse_ok_bytes(text, strlen(text), rf);
}

/* Parses bytes that must fail at `line` with a message containing `what`. */
static void expect_error_bytes(const void *data, size_t size, unsigned line, const char *what)
{
	struct sc_err err = {{0}};
	struct regfile rf;
	char prefix[64];

	memset(&rf, 0xAA, sizeof(rf));
	if (regfile_parse("t.reg", data, size, &rf, &err) != SC_ERROR)
		fail_msg("parse succeeded; expected an error at line %u (%s)", line, what);
	snprintf(prefix, sizeof(prefix), "t.reg:%u: ", line);
	if (!starts_with(err.msg, prefix))
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg, prefix);
	if (!strstr(err.msg, what))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, what);
	/* nothing left to free, and freeing is harmless */
	assert_int_equal(rf.nrecords, 0);
	assert_null(rf.records);
	assert_null(rf.text);
	regfile_free(&rf);
}

static void expect_error(const char *text, unsigned line, const char *what)
{
	expect_error_bytes(text, strlen(text), line, what);
}

/* Loads UTF-8 .reg text (header included) into a new mem registry. */
static struct reg_backend *load(const char *text)
{
	struct reg_backend *b = mem_backend_new();
	struct sc_err err = {{0}};
	struct regfile rf;

	parse_ok(text, &rf);
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		fail_msg("apply: %s", err.msg);
	regfile_free(&rf);
	return b;
}

/* Applies more .reg text to an existing registry. */
static void apply_more(struct reg_backend *b, const char *text)
{
	struct sc_err err = {{0}};
	struct regfile rf;

	parse_ok(text, &rf);
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		fail_msg("apply: %s", err.msg);
	regfile_free(&rf);
}

static struct reg_value read_value(const struct reg_backend *b, enum reg_view view,
                                   const char *path, const char *name)
{
	struct reg_value v = {0};
	struct sc_err err = {{0}};

	if (reg_read_value_at(b, view, path, name, &v, &err) != SC_OK)
		fail_msg("%s\\%s: not found (%s)", path, name, err.msg);
	return v;
}

static void assert_value(const struct reg_backend *b, enum reg_view view, const char *path,
                         const char *name, uint32_t type, const void *bytes, size_t size)
{
	struct reg_value v = read_value(b, view, path, name);

	if (v.type != type)
		fail_msg("%s\\%s: type %u, expected %u", path, name, v.type, type);
	if (v.size != size)
		fail_msg("%s\\%s: %zu bytes, expected %zu", path, name, v.size, size);
	if (size)
		assert_memory_equal(v.data, bytes, size);
	regvalue_free(&v);
}

static int key_rc(const struct reg_backend *b, enum reg_view view, const char *path)
{
	struct sc_err err = {{0}};

	return reg_key_exists(b, view, path, &err);
}

/* UTF-8 text -> UTF-16LE bytes with BOM (caller frees). */
static uint8_t *utf16(const char *text, size_t *size)
{
	return regfile_encode(text, strlen(text), REGFILE_UTF16LE, size);
}

/* ---- encodings --------------------------------------------------------- */

static const char sample[] = V5 "\r\n"
                                "[HKEY_LOCAL_MACHINE\\" SCH "\\Protocols\\TLS 1.2\\Client]\r\n"
                                "\"Enabled\"=dword:00000001\r\n"
                                "\"Name\"=\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"\r\n";

static void check_sample(const struct regfile *rf)
{
	static const uint8_t name_bytes[] = {'c',  0,    'a', 0, 'f',  0,    0xE9, 0,    ' ', 0,
	                                     0xAC, 0x20, ' ', 0, 0x3D, 0xD8, 0x00, 0xDE, 0,   0};
	uint32_t d = 0;

	assert_int_equal(rf->format, REGFILE_V5);
	assert_int_equal(rf->nrecords, 3);
	assert_int_equal(rf->records[0].kind, RF_KEY);
	assert_int_equal(rf->records[0].view, REG_VIEW_64);
	assert_string_equal(rf->records[0].path, SCH "\\Protocols\\TLS 1.2\\Client");
	assert_null(rf->records[0].name);
	assert_int_equal(rf->records[0].line, 3);
	assert_int_equal(rf->records[1].kind, RF_SET);
	assert_string_equal(rf->records[1].name, "Enabled");
	assert_string_equal(rf->records[1].path, SCH "\\Protocols\\TLS 1.2\\Client");
	assert_true(regvalue_get_dword(&rf->records[1].value, &d));
	assert_int_equal(d, 1);
	assert_int_equal(rf->records[1].line, 4);
	assert_int_equal(rf->records[2].value.type, RV_SZ);
	assert_int_equal(rf->records[2].value.size, sizeof(name_bytes));
	assert_memory_equal(rf->records[2].value.data, name_bytes, sizeof(name_bytes));
	assert_int_equal(rf->records[2].line, 5);
	assert_non_null(rf->text);
	assert_true(starts_with(rf->text, "Windows Registry Editor Version 5.00\r\n"));
	assert_int_equal(strlen(rf->text), rf->text_len);
}

static void test_utf16le_with_bom(void **state)
{
	struct regfile rf;
	size_t size;
	uint8_t *bytes = utf16(sample, &size);

	(void)state;
	assert_int_equal(bytes[0], 0xFF);
	assert_int_equal(bytes[1], 0xFE);
	assert_int_equal(bytes[2], 'W');
	assert_int_equal(bytes[3], 0);
	parse_ok_bytes(bytes, size, &rf);
	assert_int_equal(rf.encoding, REGFILE_UTF16LE);
	check_sample(&rf);
	assert_string_equal(rf.text, sample);
	regfile_free(&rf);
	free(bytes);
}

static void test_utf8_without_bom(void **state)
{
	struct regfile rf;

	(void)state;
	parse_ok(sample, &rf);
	assert_int_equal(rf.encoding, REGFILE_UTF8);
	check_sample(&rf);
	regfile_free(&rf);
}

static void test_utf8_with_bom(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct regfile rf;

	(void)state;
	sb_adds(&sb, "\xEF\xBB\xBF");
	sb_adds(&sb, sample);
	parse_ok_bytes(sb.buf, sb.len, &rf);
	assert_int_equal(rf.encoding, REGFILE_UTF8);
	check_sample(&rf);
	regfile_free(&rf);
	sb_free(&sb);
}

static void test_regedit4(void **state)
{
	/* Latin-1 text (not valid UTF-8): single-byte strings, widened */
	static const char v4[] = "REGEDIT4\r\n"
	                         "\r\n"
	                         "[HKEY_LOCAL_MACHINE\\SOFTWARE\\V4]\r\n"
	                         "\"s\"=\"caf\xE9\"\r\n"
	                         "\"e\"=hex(2):25,50,41,54,48,25,00\r\n"
	                         "\"m\"=hex(7):61,00,62,63,00,00\r\n"
	                         "\"z\"=hex(1):e9,00\r\n"
	                         "\"b\"=hex:01,02\r\n"
	                         "\"d\"=dword:0000000a\r\n"
	                         "\"q\"=hex(b):01,00,00,00,00,00,00,00\r\n";
	static const uint8_t s[] = {'c', 0, 'a', 0, 'f', 0, 0xE9, 0, 0, 0};
	static const uint8_t e[] = {'%', 0, 'P', 0, 'A', 0, 'T', 0, 'H', 0, '%', 0, 0, 0};
	static const uint8_t m[] = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0};
	static const uint8_t z[] = {0xE9, 0, 0, 0};
	static const uint8_t bin[] = {1, 2};
	static const uint8_t q[] = {1, 0, 0, 0, 0, 0, 0, 0};
	struct reg_backend *b;
	struct regfile rf;

	(void)state;
	parse_ok(v4, &rf);
	assert_int_equal(rf.format, REGFILE_V4);
	assert_int_equal(rf.encoding, REGFILE_UTF8);
	regfile_free(&rf);
	b = load(v4);
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "s", RV_SZ, s, sizeof(s));
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "e", RV_EXPAND_SZ, e, sizeof(e));
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "m", RV_MULTI_SZ, m, sizeof(m));
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "z", RV_SZ, z, sizeof(z));
	/* binary types are not widened */
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "b", RV_BINARY, bin, sizeof(bin));
	assert_value(b, REG_VIEW_64, "SOFTWARE\\V4", "q", RV_QWORD, q, sizeof(q));
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\V4", "d"), 10);
	reg_backend_free(b);
}

/* ---- value forms ------------------------------------------------------- */

static void test_every_value_form(void **state)
{
	static const char text[] = V5 "\r\n"
	                              "[HKEY_LOCAL_MACHINE\\SOFTWARE\\schannelcfg-test]\r\n"
	                              "@=\"default\"\r\n"
	                              "\"sz\"=\"TLS 1.2\"\r\n"
	                              "\"empty\"=\"\"\r\n"
	                              "\"dw\"=dword:0000000c\r\n"
	                              "\"dwmax\"=dword:FFFFFFFF\r\n"
	                              "\"dwshort\"=dword:1\r\n"
	                              "\"bin\"=hex:00,01,fe,FF\r\n"
	                              "\"binempty\"=hex:\r\n"
	                              "\"exp\"=hex(2):25,00,41,00,25,00,00,00\r\n"
	                              "\"multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n"
	                              "\"qw\"=hex(b):08,07,06,05,04,03,02,01\r\n"
	                              "\"none\"=hex(0):\r\n"
	                              "\"none2\"=hex(0):aa\r\n"
	                              "\"sz1\"=hex(1):41,00,00,00\r\n"
	                              "\"be\"=hex(5):00,00,00,01\r\n"
	                              "\"link\"=hex(6):6c,00\r\n"
	                              "\"res\"=hex(8):01\r\n"
	                              "\"full\"=hex(9):02\r\n"
	                              "\"req\"=hex(a):03\r\n"
	                              "\"padded\"=hex(00000004):01,00,00,00\r\n"
	                              "\"spaced\" = hex: 01, 02,\t03\r\n"
	                              "\"spacedsz\"=  \"x\"\r\n"
	                              "\"spaceddel\"=\"y\"\r\n"
	                              "\"spaceddel\"= -\r\n";
	static const uint8_t def[] = {'d', 0, 'e', 0, 'f', 0, 'a', 0, 'u', 0, 'l', 0, 't', 0, 0, 0};
	static const uint8_t bin[] = {0x00, 0x01, 0xfe, 0xff};
	static const uint8_t exp[] = {'%', 0, 'A', 0, '%', 0, 0, 0};
	static const uint8_t multi[] = {'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0};
	static const uint8_t qw[] = {8, 7, 6, 5, 4, 3, 2, 1};
	static const uint8_t aa[] = {0xaa};
	static const uint8_t sz1[] = {'A', 0, 0, 0};
	static const uint8_t be[] = {0, 0, 0, 1};
	static const uint8_t one[] = {1, 0, 0, 0};
	static const uint8_t spaced[] = {1, 2, 3};
	const char *k = "SOFTWARE\\schannelcfg-test";
	struct reg_backend *b = load(text);
	struct reg_value v;
	char *s;

	(void)state;
	assert_value(b, REG_VIEW_64, k, "", RV_SZ, def, sizeof(def));
	v = read_value(b, REG_VIEW_64, k, "sz");
	s = regvalue_get_string(&v);
	assert_string_equal(s, "TLS 1.2");
	assert_true(regvalue_is_clean_string(&v));
	free(s);
	regvalue_free(&v);
	assert_value(b, REG_VIEW_64, k, "empty", RV_SZ, "\0", 2);
	assert_int_equal(t_dword(b, REG_VIEW_64, k, "dw"), 12);
	assert_int_equal(t_dword(b, REG_VIEW_64, k, "dwmax"), 0xFFFFFFFFu);
	assert_int_equal(t_dword(b, REG_VIEW_64, k, "dwshort"), 1);
	assert_value(b, REG_VIEW_64, k, "bin", RV_BINARY, bin, sizeof(bin));
	assert_value(b, REG_VIEW_64, k, "binempty", RV_BINARY, NULL, 0);
	assert_value(b, REG_VIEW_64, k, "exp", RV_EXPAND_SZ, exp, sizeof(exp));
	assert_value(b, REG_VIEW_64, k, "multi", RV_MULTI_SZ, multi, sizeof(multi));
	assert_value(b, REG_VIEW_64, k, "qw", RV_QWORD, qw, sizeof(qw));
	assert_value(b, REG_VIEW_64, k, "none", RV_NONE, NULL, 0);
	assert_value(b, REG_VIEW_64, k, "none2", RV_NONE, aa, 1);
	assert_value(b, REG_VIEW_64, k, "sz1", RV_SZ, sz1, sizeof(sz1));
	assert_value(b, REG_VIEW_64, k, "be", RV_DWORD_BIG_ENDIAN, be, sizeof(be));
	assert_value(b, REG_VIEW_64, k, "link", RV_LINK, "l", 2);
	assert_value(b, REG_VIEW_64, k, "res", RV_RESOURCE_LIST, "\x01", 1);
	assert_value(b, REG_VIEW_64, k, "full", RV_FULL_RESOURCE_DESCRIPTOR, "\x02", 1);
	assert_value(b, REG_VIEW_64, k, "req", RV_RESOURCE_REQUIREMENTS_LIST, "\x03", 1);
	assert_value(b, REG_VIEW_64, k, "padded", RV_DWORD, one, 4);
	assert_value(b, REG_VIEW_64, k, "spaced", RV_BINARY, spaced, 3);
	assert_value(b, REG_VIEW_64, k, "spacedsz", RV_SZ, "x\0\0", 4);
	assert_false(t_has_value(b, REG_VIEW_64, k, "spaceddel"));
	reg_backend_free(b);
}

static void test_continuations(void **state)
{
	static const char text[] = V5 "\r\n"
	                              "[HKEY_LOCAL_MACHINE\\SYSTEM\\C]\r\n"
	                              "\"a\"=hex:01,02,\\\r\n"
	                              "  03,04,\\\r\n"
	                              "\t05,\\  \r\n" /* trailing blanks after the backslash */
	                              "\r\n"          /* regedit skips blank and ; lines */
	                              "  ; in a continued list\r\n"
	                              "  06\r\n"
	                              "\"b\"=hex(7):41,00,00,\\\r\n"
	                              "  00,00,00\r\n"
	                              "\"c\"=dword:00000003\r\n";
	static const uint8_t a[] = {1, 2, 3, 4, 5, 6};
	static const uint8_t bm[] = {'A', 0, 0, 0, 0, 0};
	struct reg_backend *b = load(text);
	struct regfile rf;

	(void)state;
	assert_value(b, REG_VIEW_64, "SYSTEM\\C", "a", RV_BINARY, a, sizeof(a));
	assert_value(b, REG_VIEW_64, "SYSTEM\\C", "b", RV_MULTI_SZ, bm, sizeof(bm));
	assert_int_equal(t_dword(b, REG_VIEW_64, "SYSTEM\\C", "c"), 3);
	reg_backend_free(b);
	/* line numbers keep counting across continuations */
	parse_ok(text, &rf);
	assert_int_equal(rf.nrecords, 4);
	assert_int_equal(rf.records[3].line, 12);
	regfile_free(&rf);
}

static void test_escapes(void **state)
{
	static const char text[] =
	    V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\E]\r\n"
	       "\"back\\\\slash \\\"quoted\\\"\"=\"C:\\\\dir\\\\ \\\"x\\\" ;not a comment\"\r\n"
	       "\"[brackets]=and@\"=\"\"\r\n";
	struct reg_backend *b = load(text);
	struct reg_value v = read_value(b, REG_VIEW_64, "SYSTEM\\E", "back\\slash \"quoted\"");
	char *s = regvalue_get_string(&v);

	(void)state;
	assert_string_equal(s, "C:\\dir\\ \"x\" ;not a comment");
	free(s);
	regvalue_free(&v);
	assert_true(t_has_value(b, REG_VIEW_64, "SYSTEM\\E", "[brackets]=and@"));
	reg_backend_free(b);
}

static void test_delete_key_and_value(void **state)
{
	struct reg_backend *b =
	    load(V5 "[HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\RC4 128/128]\r\n"
	            "\"Enabled\"=dword:0\r\n"
	            "[HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\RC4 128/128\\Sub]\r\n"
	            "\"x\"=dword:1\r\n"
	            "[HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\NULL]\r\n"
	            "\"Enabled\"=dword:0\r\n"
	            "\"Other\"=dword:1\r\n"
	            "@=\"d\"\r\n");
	struct regfile rf;

	(void)state;
	apply_more(b, V5 "[-HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\rc4 128/128]\r\n"
	                 "[HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\NULL]\r\n"
	                 "\"Enabled\"=-\r\n"
	                 "@=-\r\n"
	                 "\"NeverThere\"=-\r\n"
	                 "[-HKEY_LOCAL_MACHINE\\" SCH "\\Never\\There]\r\n");
	assert_int_equal(key_rc(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128"), SC_NOT_FOUND);
	assert_int_equal(key_rc(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128\\Sub"), SC_NOT_FOUND);
	assert_int_equal(key_rc(b, REG_VIEW_64, SCH "\\Ciphers"), SC_OK);
	assert_false(t_has_value(b, REG_VIEW_64, SCH "\\Ciphers\\NULL", "Enabled"));
	assert_false(t_has_value(b, REG_VIEW_64, SCH "\\Ciphers\\NULL", ""));
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH "\\Ciphers\\NULL", "Other"), 1);
	assert_int_equal(key_rc(b, REG_VIEW_64, SCH "\\Never"), SC_NOT_FOUND);
	reg_backend_free(b);

	/* the records say what the lines said */
	parse_ok(V5 "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\X]\r\n[HKEY_LOCAL_"
	            "MACHINE\\SYSTEM\\Y]\r\n\"v\"=-\r\n",
	         &rf);
	assert_int_equal(rf.nrecords, 3);
	assert_int_equal(rf.records[0].kind, RF_DELETE_KEY);
	assert_int_equal(rf.records[0].view, REG_VIEW_32);
	assert_string_equal(rf.records[0].path, "SOFTWARE\\X");
	assert_int_equal(rf.records[2].kind, RF_DELETE_VALUE);
	assert_string_equal(rf.records[2].name, "v");
	assert_int_equal(rf.records[2].value.size, 0);
	regfile_free(&rf);
}

static void test_delete_key_refused_on_other_backends(void **state)
{
	/* a backend that is not mem (only its identity matters here) */
	struct reg_backend *mem = mem_backend_new();
	static const struct reg_backend_ops other_ops = {.name = "other"};
	struct reg_backend other = {&other_ops};
	struct sc_err err = {{0}};
	struct regfile rf;

	(void)state;
	parse_ok(V5 "[-HKEY_LOCAL_MACHINE\\SYSTEM\\D]\r\n", &rf);
	assert_int_equal(regfile_apply_records(&rf, &other, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "[-KEY]"));
	regfile_free(&rf);
	reg_backend_free(mem);
}

static void test_views_and_hklm(void **state)
{
	struct reg_backend *b =
	    load(V5 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\schannelcfg-test]\r\n"
	            "\"bits\"=dword:20\r\n"
	            "[hkey_local_machine\\software\\schannelcfg-test]\r\n"
	            "\"bits\"=dword:40\r\n"
	            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node]\r\n"
	            "\"top32\"=dword:1\r\n"
	            "[Hkey_Local_Machine\\SYSTEM\\S]\r\n"
	            "\"s\"=dword:2\r\n");
	struct regfile rf;

	(void)state;
	assert_int_equal(t_dword(b, REG_VIEW_32, "SOFTWARE\\schannelcfg-test", "bits"), 0x20);
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\schannelcfg-test", "bits"), 0x40);
	assert_int_equal(t_dword(b, REG_VIEW_32, "SOFTWARE", "top32"), 1);
	assert_int_equal(t_dword(b, REG_VIEW_32, "SYSTEM\\S", "s"), 2);
	reg_backend_free(b);

	parse_ok(V5 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\A\\B]\r\n[HKEY_LOCAL_"
	            "MACHINE\\SOFTWARE\\Wow6432NodeX]\r\n"
	            "[HKEY_LOCAL_MACHINE]\r\n[HKEY_LOCAL_MACHINE\\]\r\n",
	         &rf);
	assert_int_equal(rf.nrecords, 2); /* the root itself makes no record */
	assert_int_equal(rf.records[0].view, REG_VIEW_32);
	assert_string_equal(rf.records[0].path, "SOFTWARE\\A\\B");
	assert_int_equal(rf.records[1].view, REG_VIEW_64);
	assert_string_equal(rf.records[1].path, "SOFTWARE\\Wow6432NodeX");
	regfile_free(&rf);
}

static void test_comments(void **state)
{
	struct regfile rf;

	(void)state;
	parse_ok(V5 "; schannelcfg snapshot\r\n"
	            ";   created: 2024-01-01  \r\n"
	            "\r\n"
	            "  ; indented\r\n"
	            "[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n"
	            "; after the first key: not a header comment\r\n"
	            "\"a\"=dword:1\r\n",
	         &rf);
	assert_int_equal(rf.ncomments, 3);
	assert_string_equal(rf.header_comments[0], "schannelcfg snapshot");
	assert_string_equal(rf.header_comments[1], "created: 2024-01-01");
	assert_string_equal(rf.header_comments[2], "indented");
	assert_int_equal(rf.nrecords, 2);
	regfile_free(&rf);
}

static void test_max_line_accepted(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_backend *b;
	struct reg_value v;
	char *s;
	size_t i;

	(void)state;
	sb_adds(&sb, V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\L]\r\n\"a\"=\"");
	for (i = 0; i < REGFILE_MAX_LINE - 6; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\"\r\n"); /* the line is exactly REGFILE_MAX_LINE long */
	b = load(sb_str(&sb));
	v = read_value(b, REG_VIEW_64, "SYSTEM\\L", "a");
	s = regvalue_get_string(&v);
	assert_int_equal(strlen(s), REGFILE_MAX_LINE - 6);
	free(s);
	regvalue_free(&v);
	reg_backend_free(b);
	sb_free(&sb);
}

/* ---- the parse table: "t.reg" in, a registry or "t.reg:LINE: message" out */

/* How a row's text becomes the bytes that are parsed. */
enum input_form {
	AS_TEXT,        /* the text's bytes as they are (UTF-8 or REGEDIT4) */
	UTF16,          /* UTF-16LE with its byte-order mark, as reg export writes */
	UTF16_NO_BOM,   /* the same without FF FE */
	UTF16_FEFF_BOM, /* the big-endian mark FE FF in front of little-endian text */
	UTF16_ODD,      /* UTF-16LE with its last byte cut off */
};

struct parse_case {
	const char *name;
	const char *text;
	/* Refused: the message starts with "t.reg:LINE: " and contains `error`. */
	unsigned line;
	const char *error;
	/* Accepted: the registry the file loads into, as regfile_format_mem
	 * writes it (every key, type and byte spelled out). */
	const char *result;
	enum input_form form;
	size_t size; /* 0: strlen(text); set for text holding a NUL */
};

#define X        "[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n"
#define NUL_TEXT V5 X "\"a\"=\"x\0y\"\r\n"

static const struct parse_case parse_cases[] = {
    /* accepted: what each loads into */
    {"LF line ends, no final newline",
     "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\n\"a\"=dword:2",
     .result = V5 "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n\"a\"=dword:00000002\r\n\r\n"},
    {"REGEDIT4 holding UTF-8 text",
     "REGEDIT4\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\V4]\n\"s\"=\"\xC3\xA9\"\n",
     .result = V5 "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\V4]\r\n\"s\"=\"\xC3\xA9\"\r\n\r\n"},
    {"[-KEY] deletes what the same file made",
     V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\D\\E]\r\n\"x\"=dword:1\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\D]"
        "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\D\\F]\r\n",
     .result = V5 "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\D\\F]\r\n\r\n"},
    /* read as regedit reads them */
    {"escapes \\n and \\r", V5 X "\"a\"=\"x\\ny\\r\"\r\n",
     .result = V5 "\r\n" X "\"a\"=hex(1):78,00,0a,00,79,00,0d,00,00,00\r\n\r\n"},
    /* a value name holding CR or LF is written back with the same escapes:
     * raw, the line would end there (found by fuzz_regfile) */
    {"escapes \\n and \\r in a value name", V5 X "\"a\\rb\\nc\"=dword:1\r\n",
     .result = V5 "\r\n" X "\"a\\rb\\nc\"=dword:00000001\r\n\r\n"},
    {"trailing ',' in a hex list", V5 X "\"a\"=hex:01,\r\n",
     .result = V5 "\r\n" X "\"a\"=hex:01\r\n\r\n"},
    {"';' after a hex byte", V5 X "\"a\"=hex:01;02\r\n",
     .result = V5 "\r\n" X "\"a\"=hex:01\r\n\r\n"},
    {"one trailing backslash on a key", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X\\]\r\n\"a\"=dword:1\r\n",
     .result = V5 "\r\n" X "\"a\"=dword:00000001\r\n\r\n"},
    {"comments after a key and its data",
     V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X] ; k\r\n"
        "\"a\"=dword:1 ; d\r\n\"b\"=\"s\";x\r\n# a hash line\r\n",
     .result = V5 "\r\n" X "\"a\"=dword:00000001\r\n\"b\"=\"s\"\r\n\r\n"},
    {"CR CR LF line ends",
     "Windows Registry Editor Version 5.00\r\r\n" X "\"a\"=hex:01,\\\r\r\n  02\r\r\n",
     .result = V5 "\r\n" X "\"a\"=hex:01,02\r\n\r\n"},

    /* header and encoding */
    {"no header", "[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n\"a\"=dword:1\r\n", .line = 1,
     .error = "expected"},
    {"version 4.00 header", "Windows Registry Editor Version 4.00\r\n", .line = 1,
     .error = "expected"},
    {"empty file", "", .line = 1, .error = "empty file"},
    {"blank line before the header", "\r\n" V5, .line = 1, .error = "expected"},
    {"UTF-16 with an odd byte count", V5 X, .line = 1, .error = "odd number of bytes",
     .form = UTF16_ODD},
    {"UTF-16 without a BOM", V5, .line = 1, .error = "byte-order mark", .form = UTF16_NO_BOM},
    {"UTF-16 big-endian BOM", V5, .line = 1, .error = "big-endian", .form = UTF16_FEFF_BOM},
    {"NUL byte in UTF-8", NUL_TEXT, .line = 3, .error = "NUL", .size = sizeof(NUL_TEXT) - 1},
    {"NUL character in UTF-16", NUL_TEXT, .line = 3, .error = "NUL", .size = sizeof(NUL_TEXT) - 1,
     .form = UTF16},
    /* neither UTF-16 nor UTF-8, and not REGEDIT4: the bad line is named */
    {"Latin-1 in a v5 file", V5 X "\"a\"=\"\xE9\"\r\n", .line = 3, .error = "neither"},

    /* quoted strings */
    {"escape \\t", V5 X "\r\n\"a\"=\"x\\ty\"\r\n", .line = 4, .error = "unknown escape"},
    {"escape \\t in a name", V5 X "\"a\\t\"=\"x\"\r\n", .line = 3, .error = "unknown escape"},
    {"backslash at the end of the line", V5 X "\"a\"=\"x\\\r\n", .line = 3,
     .error = "unknown escape"},
    {"string without its closing quote", V5 X "\"a\"=\"abc\r\n", .line = 3,
     .error = "missing closing quote"},
    {"quote after the '='", V5 X "\"a=\"abc\"\r\n", .line = 3, .error = "'='"},
    {"name without its closing quote", V5 X "\"abc\r\n", .line = 3,
     .error = "missing closing quote"},
    {"text after the closing quote", V5 X "\"a\"=\"abc\"x\r\n", .line = 3,
     .error = "after the closing quote"},

    /* dword: */
    {"dword of nine digits", V5 X "\"a\"=dword:000000001\r\n", .line = 3, .error = "dword"},
    {"dword without digits", V5 X "\"a\"=dword:\r\n", .line = 3, .error = "dword"},
    {"dword with 0x", V5 X "\"a\"=dword:0x1\r\n", .line = 3, .error = "dword"},
    {"negative dword", V5 X "\"a\"=dword:-1\r\n", .line = 3, .error = "dword"},
    {"dword with a space", V5 X "\"a\"=dword:1 2\r\n", .line = 3, .error = "after the data"},
    {"DWORD: in upper case", V5 X "\"a\"=DWORD:1\r\n", .line = 3, .error = "in lower case"},
    {"HEX: in upper case", V5 X "\"a\"=HEX:01\r\n", .line = 3, .error = "in lower case"},

    /* hex(TYPE): and what is not a type */
    {"hex(c)", V5 X "\"a\"=hex(c):00\r\n", .line = 3, .error = "hex(c)"},
    {"hex(100)", V5 X "\"a\"=hex(100):00\r\n", .line = 3, .error = "unknown value type"},
    {"hex(g)", V5 X "\"a\"=hex(g):00\r\n", .line = 3, .error = "hex type"},
    {"hex()", V5 X "\"a\"=hex():00\r\n", .line = 3, .error = "hex(TYPE)"},
    {"hex(2 unclosed", V5 X "\"a\"=hex(2:00\r\n", .line = 3, .error = "hex(TYPE)"},
    {"hex(2) without ':'", V5 X "\"a\"=hex(2)00\r\n", .line = 3, .error = "':'"},
    {"hexa:", V5 X "\"a\"=hexa:00\r\n", .line = 3, .error = "expected \"string\""},
    {"qword:", V5 X "\"a\"=qword:00\r\n", .line = 3, .error = "expected"},
    {"no data after '='", V5 X "\"a\"=\r\n", .line = 3, .error = "expected"},

    /* hex lists */
    {"\"zz\" in a hex list", V5 X "\"a\"=hex:01,zz\r\n", .line = 3,
     .error = "\"zz\" is not a hex byte"},
    {"0g in a hex list", V5 X "\"a\"=hex:0g\r\n", .line = 3, .error = "not a hex byte"},
    {"one hex digit", V5 X "\"a\"=hex:1\r\n", .line = 3, .error = "two hex digits"},
    {"three hex digits", V5 X "\"a\"=hex:001\r\n", .line = 3, .error = "found more"},
    {"blank before ','", V5 X "\"a\"=hex:01 ,02\r\n", .line = 3, .error = "blank before ','"},
    {"'#' after a hex list", V5 X "\"a\"=hex:01 # x\r\n", .line = 3, .error = "expected ','"},
    {"empty byte between commas", V5 X "\"a\"=hex:01,,02\r\n", .line = 3,
     .error = "not a hex byte"},
    /* in a continued list: reported on the list's last line */
    {"bad byte on a continuation line", V5 X "\"a\"=hex:01,\\\r\n  02,zz\r\n", .line = 4,
     .error = "\"zz\" is not a hex byte"},
    {"value line inside a continued list", V5 X "\"a\"=hex:01,\\\r\n\"b\"=dword:1\r\n", .line = 4,
     .error = "does not continue"},
    {"EOF after a continued hex line", V5 X "\"a\"=hex:01,02,\\\r\n", .line = 3,
     .error = "ends inside a continued hex list"},
    {"EOF on a continuation line", V5 X "\"a\"=hex:01,\\\r\n  02,\\", .line = 4,
     .error = "ends inside a continued hex list"},

    /* where values may be */
    {"value before any key", V5 "\r\n\"a\"=dword:1\r\n" X, .line = 3, .error = "before any [KEY]"},
    {"default value before any key", V5 "@=\"x\"\r\n", .line = 2, .error = "before any [KEY]"},
    {"value under [-KEY]", V5 "[-HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n\"a\"=dword:1\r\n", .line = 3,
     .error = "deleted key"},
    {"value on the hive", V5 "[HKEY_LOCAL_MACHINE]\r\n\"a\"=dword:1\r\n", .line = 3,
     .error = "directly under HKEY_LOCAL_MACHINE"},
    {"[-HKEY_LOCAL_MACHINE]", V5 "[-HKEY_LOCAL_MACHINE]\r\n", .line = 2,
     .error = "HKEY_LOCAL_MACHINE itself"},

    /* key headers */
    {"HKEY_CURRENT_USER", V5 "[HKEY_CURRENT_USER\\Software\\X]\r\n", .line = 2,
     .error = "outside HKEY_LOCAL_MACHINE"},
    {"[-HKEY_CURRENT_USER]", V5 "\r\n[-HKEY_CURRENT_USER\\Software\\X]\r\n", .line = 3,
     .error = "outside HKEY_LOCAL_MACHINE"},
    {"HKEY_LOCAL_MACHINEX", V5 "[HKEY_LOCAL_MACHINEX\\SYSTEM]\r\n", .line = 2,
     .error = "outside HKEY_LOCAL_MACHINE"},
    {"HKLMX", V5 "[HKLMX]\r\n", .line = 2, .error = "outside HKEY_LOCAL_MACHINE"},
    /* regedit knows no abbreviation: it would skip the section */
    {"HKLM", V5 "[HKLM\\SYSTEM\\X]\r\n", .line = 2, .error = "write HKEY_LOCAL_MACHINE"},
    {"[-hklm\\...]", V5 "[-hklm\\SYSTEM\\X]\r\n", .line = 2, .error = "write HKEY_LOCAL_MACHINE"},
    {"HKCU", V5 "[HKCU\\Software]\r\n", .line = 2, .error = "write HKEY_CURRENT_USER"},
    {"space after '['", V5 "[ HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n", .line = 2,
     .error = "space after '['"},
    {"HKEY_USERS", V5 "[HKEY_USERS\\.DEFAULT]\r\n", .line = 2,
     .error = "outside HKEY_LOCAL_MACHINE"},
    {"no hive", V5 "[SYSTEM\\X]\r\n", .line = 2, .error = "outside HKEY_LOCAL_MACHINE"},
    {"empty component", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\\\X]\r\n", .line = 2,
     .error = "empty component"},
    {"two trailing backslashes", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X\\\\]\r\n", .line = 2,
     .error = "backslash"},
    {"double backslash after the hive", V5 "[HKEY_LOCAL_MACHINE\\\\SYSTEM]\r\n", .line = 2,
     .error = "backslash"},
    {"key header without ']'", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X\r\n", .line = 2, .error = "']'"},
    {"text after ']'", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X] junk\r\n", .line = 2,
     .error = "after ']'"},
    {"TAB in a key name", V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\a\tb]\r\n", .line = 2,
     .error = "control character"},

    /* other lines */
    {"unquoted value name", V5 X "Enabled=dword:1\r\n", .line = 3, .error = "expected [KEY]"},
    {"lone carriage return", V5 X "\"a\"=dword:1\rx\r\n", .line = 3, .error = "carriage return"},
};

#undef NUL_TEXT
#undef X

/* The bytes a row parses (caller frees). */
static uint8_t *case_bytes(const struct parse_case *c, size_t *size)
{
	size_t n = c->size ? c->size : strlen(c->text);
	uint8_t *bytes;

	if (c->form == AS_TEXT) {
		bytes = xmalloc(n + 1);
		memcpy(bytes, c->text, n);
		*size = n;
		return bytes;
	}
	bytes = regfile_encode(c->text, n, REGFILE_UTF16LE, size);
	if (c->form == UTF16_NO_BOM) {
		memmove(bytes, bytes + 2, *size - 2);
		*size -= 2;
	} else if (c->form == UTF16_FEFF_BOM) {
		bytes[0] = 0xFE;
		bytes[1] = 0xFF;
	} else if (c->form == UTF16_ODD) {
		*size -= 1;
	}
	return bytes;
}

/* Runs one row. Returns what is wrong (xmalloc'd), or NULL. */
static char *check_parse_case(const struct parse_case *c)
{
	struct sc_err err = {{0}};
	struct regfile rf;
	size_t size;
	uint8_t *bytes = case_bytes(c, &size);
	char *problem = NULL;
	int rc;

	memset(&rf, 0xAA, sizeof(rf));
	rc = regfile_parse("t.reg", bytes, size, &rf, &err);
	free(bytes);
	if (c->result) {
		struct reg_backend *b;
		struct strbuf sb = STRBUF_INIT;

		if (rc != SC_OK)
			return xasprintf("%s: unexpected parse error: %s", c->name, err.msg);
		b = mem_backend_new();
		if (regfile_apply_records(&rf, b, &err) != SC_OK) {
			problem = xasprintf("%s: apply: %s", c->name, err.msg);
		} else {
			regfile_format_mem(b, &sb);
			if (strcmp(sb_str(&sb), c->result))
				problem = xasprintf("%s: loaded as\n%s\nexpected\n%s", c->name,
				                    sb_str(&sb), c->result);
		}
		sb_free(&sb);
		reg_backend_free(b);
		regfile_free(&rf);
		return problem;
	}
	if (rc != SC_ERROR) {
		regfile_free(&rf);
		return xasprintf("%s: parse succeeded; expected \"t.reg:%u: ...%s...\"", c->name,
		                 c->line, c->error);
	}
	{
		char *prefix = xasprintf("t.reg:%u: ", c->line);

		if (!starts_with(err.msg, prefix) || !strstr(err.msg, c->error))
			problem = xasprintf("%s: message \"%s\"; expected \"%s...%s...\"", c->name,
			                    err.msg, prefix, c->error);
		/* nothing left to free, and freeing is harmless */
		else if (rf.nrecords || rf.records || rf.text)
			problem = xasprintf("%s: a failed parse left records or text", c->name);
		free(prefix);
	}
	regfile_free(&rf);
	return problem;
}

/* Every row, then one failure naming each row that misbehaved. */
static void test_parse_table(void **state)
{
	struct strbuf problems = STRBUF_INIT;
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		char *problem = check_parse_case(&parse_cases[i]);

		if (problem) {
			sb_addf(&problems, "%s\n", problem);
			failures++;
			free(problem);
		}
	}
	if (failures)
		fail_msg("%zu of %zu parse cases failed:\n%s", failures, ARRAY_SIZE(parse_cases),
		         sb_str(&problems));
	sb_free(&problems);
}

/* Generated, so not a row: one character over the limit (its pair is
 * test_max_line_accepted). */
static void test_error_line_too_long(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	sb_adds(&sb, V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\L]\r\n\"a\"=\"");
	for (i = 0; i < REGFILE_MAX_LINE - 5; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\"\r\n");
	expect_error(sb_str(&sb), 3, "line longer than");
	sb_free(&sb);
}

/* ---- writer ------------------------------------------------------------ */

static char *format_one(const char *name, const struct reg_value *v)
{
	struct strbuf sb = STRBUF_INIT;

	regfile_format_value(&sb, name, v);
	return sb_detach(&sb);
}

static void assert_formats(const char *name, uint32_t type, const void *bytes, size_t size,
                           const char *expect)
{
	struct reg_value v;
	char *s;

	regvalue_set_bytes(&v, type, bytes, size);
	s = format_one(name, &v);
	assert_string_equal(s, expect);
	free(s);
	regvalue_free(&v);
}

static void test_format_value_forms(void **state)
{
	(void)state;
	assert_formats("Enabled", RV_DWORD, "\x01\0\0\0", 4, "\"Enabled\"=dword:00000001\r\n");
	assert_formats("", RV_DWORD, "\xff\xff\xff\xff", 4, "@=dword:ffffffff\r\n");
	assert_formats("s", RV_SZ, "a\0\\\0\"\0\0\0", 8, "\"s\"=\"a\\\\\\\"\"\r\n");
	assert_formats("a\"b\\c", RV_SZ, "\0\0", 2, "\"a\\\"b\\\\c\"=\"\"\r\n");
	/* malformed REG_SZ: hex(1), bytes as stored */
	assert_formats("s", RV_SZ, "a\0b\0", 4, "\"s\"=hex(1):61,00,62,00\r\n");
	assert_formats("s", RV_SZ, "a\0\0", 3, "\"s\"=hex(1):61,00,00\r\n");
	assert_formats("s", RV_SZ, "a\0\0\0b\0\0\0", 8, "\"s\"=hex(1):61,00,00,00,62,00,00,00\r\n");
	assert_formats("s", RV_SZ, "", 0, "\"s\"=hex(1):\r\n");
	/* control characters cannot go in quotes */
	assert_formats("s", RV_SZ, "a\0\n\0\0\0", 6, "\"s\"=hex(1):61,00,0a,00,00,00\r\n");
	assert_formats("e", RV_EXPAND_SZ, "%\0\0\0", 4, "\"e\"=hex(2):25,00,00,00\r\n");
	assert_formats("m", RV_MULTI_SZ, "a\0\0\0\0\0", 6, "\"m\"=hex(7):61,00,00,00,00,00\r\n");
	assert_formats("b", RV_BINARY, "\x01\xab", 2, "\"b\"=hex:01,ab\r\n");
	assert_formats("b", RV_BINARY, "", 0, "\"b\"=hex:\r\n");
	assert_formats("n", RV_NONE, "", 0, "\"n\"=hex(0):\r\n");
	assert_formats("q", RV_QWORD, "\x01\0\0\0\0\0\0\0", 8,
	               "\"q\"=hex(b):01,00,00,00,00,00,00,00\r\n");
	/* a DWORD of the wrong size is kept as hex(4) */
	assert_formats("d", RV_DWORD, "\x01\0\0", 3, "\"d\"=hex(4):01,00,00\r\n");
	assert_formats("be", RV_DWORD_BIG_ENDIAN, "\0\0\0\x01", 4, "\"be\"=hex(5):00,00,00,01\r\n");
	assert_formats("r", RV_RESOURCE_REQUIREMENTS_LIST, "\x01", 1, "\"r\"=hex(a):01\r\n");
}

static void test_format_wraps_like_regedit(void **state)
{
	uint8_t data[300];
	struct reg_value v;
	const char *line;
	char *s;
	size_t i, lines = 0;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	regvalue_set_bytes(&v, RV_BINARY, data, sizeof(data));
	s = format_one("Wrapped", &v);
	assert_true(starts_with(s, "\"Wrapped\"=hex:00,01,02,"));
	for (line = s; *line; lines++) {
		const char *end = strstr(line, "\r\n");

		assert_non_null(end);
		assert_true(end - line <= 80);
		if (end[2]) {
			assert_int_equal(end[-1], '\\');
			assert_int_equal(end[-2], ',');
			assert_true(starts_with(end + 2, "  "));
		}
		line = end + 2;
	}
	assert_true(lines > 10);
	free(s);
	regvalue_free(&v);
}

static void test_format_key_and_delete(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	regfile_format_key(&sb, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128", false);
	regfile_format_key(&sb, REG_VIEW_32, "SOFTWARE\\X", true);
	regfile_format_key(&sb, REG_VIEW_32, SCH, false);
	regfile_format_delete_value(&sb, "Enabled");
	regfile_format_delete_value(&sb, "");
	assert_string_equal(sb_str(&sb), "[HKEY_LOCAL_MACHINE\\" SCH "\\Ciphers\\RC4 128/128]\r\n"
	                                 "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\X]\r\n"
	                                 "[HKEY_LOCAL_MACHINE\\" SCH "]\r\n"
	                                 "\"Enabled\"=-\r\n"
	                                 "@=-\r\n");
	sb_free(&sb);
}

static void test_format_mem(void **state)
{
	struct reg_backend *b =
	    load(V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B]\r\n\"x\"=dword:1\r\n"
	            "[HKEY_LOCAL_MACHINE\\SYSTEM\\Empty]\r\n"
	            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\W]\r\n@=\"d\"\r\n");
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	regfile_format_mem(b, &sb);
	/* keys with only subkeys are implied; empty leaf keys are written */
	assert_string_equal(sb_str(&sb), V5 "\r\n"
	                                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\W]\r\n"
	                                    "@=\"d\"\r\n"
	                                    "\r\n"
	                                    "[HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B]\r\n"
	                                    "\"x\"=dword:00000001\r\n"
	                                    "\r\n"
	                                    "[HKEY_LOCAL_MACHINE\\SYSTEM\\Empty]\r\n"
	                                    "\r\n");
	sb_free(&sb);
	reg_backend_free(b);
}

static void test_encode(void **state)
{
	static const uint8_t expect[] = {0xFF, 0xFE, 'a', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE};
	size_t size = 0;
	uint8_t *bytes = regfile_encode("a\xC3\xA9\xF0\x9F\x98\x80", 7, REGFILE_UTF16LE, &size);

	(void)state;
	assert_int_equal(size, sizeof(expect));
	assert_memory_equal(bytes, expect, size);
	free(bytes);
	bytes = regfile_encode("abc", 2, REGFILE_UTF8, &size);
	assert_int_equal(size, 2);
	assert_memory_equal(bytes, "ab", 2);
	free(bytes);
	bytes = regfile_encode("", 0, REGFILE_UTF16LE, &size);
	assert_int_equal(size, 2);
	free(bytes);
}

/* ---- round trips ------------------------------------------------------- */

static void put(struct reg_backend *b, enum reg_view view, const char *path, const char *name,
                uint32_t type, const void *bytes, size_t size)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	struct reg_value v;

	regvalue_set_bytes(&v, type, bytes, size);
	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    b->ops->write_value(b, k, name, &v, &err) != SC_OK)
		fail_msg("put: %s", err.msg);
	b->ops->close_key(b, k);
	regvalue_free(&v);
}

static void put_key(struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK)
		fail_msg("put_key: %s", err.msg);
	b->ops->close_key(b, k);
}

/* Every type, well-formed and malformed, in awkward keys and names. */
static struct reg_backend *every_type(void)
{
	static const char k[] = "SOFTWARE\\schannelcfg-test";
	struct reg_backend *b = mem_backend_new();
	uint8_t big[4000];
	struct strbuf text = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	put(b, REG_VIEW_64, k, "", RV_SZ, "d\0\0\0", 4);
	put(b, REG_VIEW_64, k, "sz", RV_SZ, "a\0\\\0\"\0\0\0", 8);
	put(b, REG_VIEW_64, k, "sz empty", RV_SZ, "\0\0", 2);
	put(b, REG_VIEW_64, k, "sz unterminated", RV_SZ, "a\0b\0", 4);
	put(b, REG_VIEW_64, k, "sz odd", RV_SZ, "a\0b", 3);
	put(b, REG_VIEW_64, k, "sz zero bytes", RV_SZ, "", 0);
	put(b, REG_VIEW_64, k, "sz embedded nul", RV_SZ, "a\0\0\0b\0\0\0", 8);
	put(b, REG_VIEW_64, k, "sz two terminators", RV_SZ, "a\0\0\0\0\0", 6);
	put(b, REG_VIEW_64, k, "sz newline", RV_SZ, "a\0\n\0b\0\0\0", 8);
	put(b, REG_VIEW_64, k, "sz tab cr", RV_SZ, "\t\0\r\0\0\0", 6);
	put(b, REG_VIEW_64, k, "sz unicode", RV_SZ, "\xe9\0\xac\x20\x3d\xd8\x00\xde\0\0", 10);
	put(b, REG_VIEW_64, k, "sz lone surrogate", RV_SZ,
	    "a\0\x00\xd8"
	    "b\0\0\0",
	    8);
	put(b, REG_VIEW_64, k, "sz lone low surrogate", RV_SZ, "\x00\xdc\0\0", 4);
	put(b, REG_VIEW_64, k, "sz U+FFFD", RV_SZ, "\xfd\xff\0\0", 4);
	put(b, REG_VIEW_64, k, "expand", RV_EXPAND_SZ, "%\0X\0%\0\0\0", 8);
	put(b, REG_VIEW_64, k, "expand unterminated", RV_EXPAND_SZ, "%\0", 2);
	put(b, REG_VIEW_64, k, "multi", RV_MULTI_SZ, "a\0\0\0b\0c\0\0\0\0\0", 12);
	put(b, REG_VIEW_64, k, "multi empty", RV_MULTI_SZ, "\0\0", 2);
	put(b, REG_VIEW_64, k, "multi empty4", RV_MULTI_SZ, "\0\0\0\0", 4);
	put(b, REG_VIEW_64, k, "multi unterminated", RV_MULTI_SZ, "a\0\0\0b\0", 6);
	put(b, REG_VIEW_64, k, "multi hole", RV_MULTI_SZ, "a\0\0\0\0\0b\0\0\0\0\0", 12);
	put(b, REG_VIEW_64, k, "binary", RV_BINARY, big, sizeof(big));
	put(b, REG_VIEW_64, k, "binary empty", RV_BINARY, "", 0);
	put(b, REG_VIEW_64, k, "dword", RV_DWORD, "\x78\x56\x34\x12", 4);
	put(b, REG_VIEW_64, k, "dword short", RV_DWORD, "\x01\x02", 2);
	put(b, REG_VIEW_64, k, "dword long", RV_DWORD, "\x01\x02\x03\x04\x05", 5);
	put(b, REG_VIEW_64, k, "dword empty", RV_DWORD, "", 0);
	put(b, REG_VIEW_64, k, "dword be", RV_DWORD_BIG_ENDIAN, "\x12\x34\x56\x78", 4);
	put(b, REG_VIEW_64, k, "qword", RV_QWORD, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	put(b, REG_VIEW_64, k, "qword short", RV_QWORD, "\x01", 1);
	put(b, REG_VIEW_64, k, "none", RV_NONE, "", 0);
	put(b, REG_VIEW_64, k, "none data", RV_NONE, "\x00\x01", 2);
	put(b, REG_VIEW_64, k, "link", RV_LINK, "\\\0R\0", 4);
	put(b, REG_VIEW_64, k, "res", RV_RESOURCE_LIST, big, 100);
	put(b, REG_VIEW_64, k, "full", RV_FULL_RESOURCE_DESCRIPTOR, big, 10);
	put(b, REG_VIEW_64, k, "req", RV_RESOURCE_REQUIREMENTS_LIST, big, 3);
	put(b, REG_VIEW_64, k, "back\\slash \"and\" quote", RV_DWORD, "\0\0\0\0", 4);
	put(b, REG_VIEW_64, k, "@", RV_SZ, "@\0\0\0", 4);
	put(b, REG_VIEW_64, k, "=[]; #", RV_SZ, "[\0]\0\0\0", 6);
	put(b, REG_VIEW_64, k, "caf\xC3\xA9 \xF0\x9F\x98\x80", RV_SZ, "\0\0", 2);
	/* a string longer than a .reg line may be: must still come back */
	for (i = 0; i < 70000; i++)
		sb_add(&text, "x\0", 2);
	sb_add(&text, "\0\0", 2);
	put(b, REG_VIEW_64, k, "sz long", RV_SZ, text.buf, text.len);
	sb_reset(&text);
	for (i = 0; i < 30000; i++)
		sb_add(&text, "\xac\x20", 2);
	sb_add(&text, "\0\0", 2);
	put(b, REG_VIEW_64, k, "sz long euro", RV_SZ, text.buf, text.len);
	sb_free(&text);
	/* keys: 32-bit view, '/' in names, empty keys, brackets, unicode */
	put(b, REG_VIEW_32, k, "bits", RV_DWORD, "\x20\0\0\0", 4);
	put(b, REG_VIEW_32, "SOFTWARE", "top32", RV_DWORD, "\x01\0\0\0", 4);
	put(b, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128", "Enabled", RV_DWORD, "\0\0\0\0", 4);
	put_key(b, REG_VIEW_64, SCH "\\Ciphers\\Empty");
	put_key(b, REG_VIEW_32, "SOFTWARE\\schannelcfg-test\\Empty32");
	put(b, REG_VIEW_64, "SYSTEM\\a]b[c", "x", RV_DWORD, "\x01\0\0\0", 4);
	put(b, REG_VIEW_64, "SYSTEM\\k\xC3\xA9y", "x", RV_DWORD, "\x02\0\0\0", 4);
	return b;
}

static void round_trip(enum regfile_encoding enc)
{
	struct reg_backend *a = every_type(), *b = mem_backend_new();
	struct strbuf text = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct regfile rf;
	char *da, *db;
	uint8_t *bytes;
	size_t size;

	regfile_format_mem(a, &text);
	bytes = regfile_encode(text.buf, text.len, enc, &size);
	if (regfile_parse("rt.reg", bytes, size, &rf, &err) != SC_OK)
		fail_msg("our own output does not parse: %s", err.msg);
	assert_int_equal(rf.encoding, enc);
	assert_int_equal(regfile_apply_records(&rf, b, &err), SC_OK);
	da = t_dump(a);
	db = t_dump(b);
	assert_string_equal(da, db);
	free(da);
	free(db);
	regfile_free(&rf);
	free(bytes);
	sb_free(&text);
	reg_backend_free(a);
	reg_backend_free(b);
}

static void test_round_trip_utf16(void **state)
{
	(void)state;
	round_trip(REGFILE_UTF16LE);
}

static void test_round_trip_utf8(void **state)
{
	(void)state;
	round_trip(REGFILE_UTF8);
}

static void test_round_trip_each_value_alone(void **state)
{
	/* value by value, so a failure names the value */
	struct reg_backend *all = every_type();
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};
	size_t i;

	(void)state;
	assert_int_equal(all->ops->open_key(all, REG_VIEW_64, "SOFTWARE\\schannelcfg-test",
	                                    REG_ACCESS_READ, &k, &err),
	                 SC_OK);
	for (i = 0;; i++) {
		struct strbuf sb = STRBUF_INIT;
		struct reg_value v = {0};
		struct regfile rf;
		char *name = NULL;

		if (all->ops->enum_value(all, k, i, &name, &err) != SC_OK)
			break;
		assert_int_equal(all->ops->read_value(all, k, name, &v, &err), SC_OK);
		sb_adds(&sb, V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\r\n");
		regfile_format_value(&sb, name, &v);
		if (regfile_parse("one.reg", (const uint8_t *)sb.buf, sb.len, &rf, &err) != SC_OK)
			fail_msg("value \"%s\": %s", name, err.msg);
		assert_int_equal(rf.nrecords, 2);
		assert_string_equal(rf.records[1].name, name);
		if (!regvalue_equal(&rf.records[1].value, &v))
			fail_msg("value \"%s\" (%s, %zu bytes) came back as %s, %zu bytes", name,
			         regvalue_type_name(v.type), v.size,
			         regvalue_type_name(rf.records[1].value.type),
			         rf.records[1].value.size);
		regfile_free(&rf);
		regvalue_free(&v);
		sb_free(&sb);
		free(name);
	}
	assert_true(i > 40);
	all->ops->close_key(all, k);
	reg_backend_free(all);
}

static void test_backend_open_and_save(void **state)
{
	char dir[] = "/tmp/sc-regfile.XXXXXX";
	struct reg_backend *a = every_type(), *b, *c;
	struct sc_err err = {{0}};
	char *path, *da, *db;
	char *data;
	size_t size;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/state.reg", dir);
	assert_int_equal(regfile_backend_save(a, path, &err), SC_OK);
	data = read_file(path, REGFILE_MAX_SIZE, &size, &err);
	assert_non_null(data);
	assert_true(size > 2);
	assert_int_equal((uint8_t)data[0], 0xFF); /* saved as UTF-16LE with BOM */
	assert_int_equal((uint8_t)data[1], 0xFE);
	free(data);
	b = regfile_backend_open(path, &err);
	if (!b)
		fail_msg("open: %s", err.msg);
	assert_true(mem_backend_is(b));
	da = t_dump(a);
	db = t_dump(b);
	assert_string_equal(da, db);
	free(da);
	free(db);
	/* a missing file is an error naming it */
	free(path);
	path = xasprintf("%s/missing.reg", dir);
	c = regfile_backend_open(path, &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "missing.reg"));
	/* a malformed file: "path:line: ..." */
	assert_int_equal(write_file_atomic(path, V5 "[HKCU\\X]\r\n", strlen(V5) + 10, &err), SC_OK);
	c = regfile_backend_open(path, &err);
	assert_null(c);
	da = xasprintf("%s:2: ", path);
	assert_true(starts_with(err.msg, da));
	free(da);
	unlink(path);
	free(path);
	rmdir(dir);
	reg_backend_free(a);
	reg_backend_free(b);
}

/* ---- state files keep what they were (security review) ---------------- */

#define STATE_TEXT V5 "\r\n[HKEY_LOCAL_MACHINE\\" SCH "]\r\n\"EventLogging\"=dword:00000001\r\n"

/* Opens path as a state file, sets SCHANNEL "Added"=dword:7, saves. */
static void open_write_save(const char *path)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(path, &err);
	uint32_t seven = 7;

	if (!b)
		fail_msg("open: %s", err.msg);
	put(b, REG_VIEW_64, SCH, "Added", RV_DWORD, &seven, 4);
	if (regfile_backend_save(b, path, &err) != SC_OK)
		fail_msg("save: %s", err.msg);
	reg_backend_free(b);
}

/* Re-parses path: its encoding, BOM and line ends, and "Added" is there. */
static void expect_saved(const char *path, enum regfile_encoding enc, bool bom, bool lf,
                         const char *first_bytes, size_t nfirst)
{
	struct sc_err err = {{0}};
	struct reg_backend *b;
	struct regfile rf;
	size_t size;
	char *data = read_file(path, REGFILE_MAX_SIZE, &size, &err);

	assert_non_null(data);
	assert_true(size > nfirst);
	assert_memory_equal(data, first_bytes, nfirst);
	parse_ok_bytes(data, size, &rf);
	assert_int_equal(rf.format, REGFILE_V5);
	assert_int_equal(rf.encoding, enc);
	assert_int_equal(rf.utf8_bom, bom);
	assert_int_equal(rf.lf, lf);
	assert_int_equal(strstr(rf.text, "\r\n") == NULL, lf);
	regfile_free(&rf);
	free(data);
	b = regfile_backend_open(path, &err);
	assert_non_null(b);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH, "Added"), 7);
	assert_int_equal(t_dword(b, REG_VIEW_64, SCH, "EventLogging"), 1);
	reg_backend_free(b);
}

static char *utf16_file(const char *text, size_t *size)
{
	return (char *)regfile_encode(text, strlen(text), REGFILE_UTF16LE, size);
}

static char *lf_only(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *text; text++)
		if (*text != '\r')
			sb_addc(&sb, *text);
	return sb_detach(&sb);
}

static void test_save_keeps_encoding(void **state)
{
	char *dir = t_tmpdir("keep-enc"), *path, *bytes, *lf;
	struct strbuf bom = STRBUF_INIT;
	size_t size;

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/state.reg", dir);
	/* UTF-16LE stays UTF-16LE with BOM */
	bytes = utf16_file(STATE_TEXT, &size);
	t_write_file(path, bytes, size);
	free(bytes);
	open_write_save(path);
	expect_saved(path, REGFILE_UTF16LE, false, false, "\xFF\xFEW\0", 4);
	/* UTF-8 with BOM keeps the BOM */
	sb_adds(&bom, "\xEF\xBB\xBF" STATE_TEXT);
	t_write_file(path, bom.buf, bom.len);
	open_write_save(path);
	expect_saved(path, REGFILE_UTF8, true, false, "\xEF\xBB\xBFWin", 6);
	/* UTF-8 without BOM gets none (the 32 MB case of the review) */
	t_write_file(path, STATE_TEXT, strlen(STATE_TEXT));
	open_write_save(path);
	expect_saved(path, REGFILE_UTF8, false, false, "Windows", 7);
	/* LF line ends stay LF, in both encodings */
	lf = lf_only(STATE_TEXT);
	t_write_file(path, lf, strlen(lf));
	open_write_save(path);
	expect_saved(path, REGFILE_UTF8, false, true, "Windows", 7);
	bytes = utf16_file(lf, &size);
	t_write_file(path, bytes, size);
	open_write_save(path);
	expect_saved(path, REGFILE_UTF16LE, false, true, "\xFF\xFEW\0", 4);
	free(bytes);
	free(lf);
	sb_free(&bom);
	free(path);
	t_remove_tree(dir);
	free(dir);
}

/* REGEDIT4 cannot hold every value: it is written as v5 UTF-16LE. */
static void test_save_regedit4_as_v5(void **state)
{
	char *dir = t_tmpdir("keep-v4"), *path;
	const char *v4 =
	    "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\" SCH "]\r\n\"EventLogging\"=dword:00000001\r\n";

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/state.reg", dir);
	t_write_file(path, v4, strlen(v4));
	open_write_save(path);
	expect_saved(path, REGFILE_UTF16LE, false, false, "\xFF\xFEW\0", 4);
	free(path);
	t_remove_tree(dir);
	free(dir);
}

static void test_save_keeps_mode(void **state)
{
	char *dir = t_tmpdir("keep-mode"), *path;
	static const mode_t modes[] = {0600, 0640, 0444};
	struct stat st;
	size_t i;

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/state.reg", dir);
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		unlink(path);
		t_write_file(path, STATE_TEXT, strlen(STATE_TEXT));
		assert_int_equal(chmod(path, modes[i]), 0);
		open_write_save(path);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, modes[i]);
		assert_int_equal(st.st_uid, geteuid());
	}
	free(path);
	t_remove_tree(dir);
	free(dir);
}

static void test_save_through_symlink(void **state)
{
	char *dir = t_tmpdir("keep-link"), *target, *link, *sub;
	struct stat st;
	char buf[256];
	ssize_t n;

	(void)state;
	assert_non_null(dir);
	sub = xasprintf("%s/real", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	target = xasprintf("%s/real/state.reg", dir);
	link = xasprintf("%s/state.reg", dir);
	t_write_file(target, STATE_TEXT, strlen(STATE_TEXT));
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(symlink("real/state.reg", link), 0); /* relative, as people write them */
	open_write_save(link);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	n = readlink(link, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "real/state.reg");
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* the target got the new content: read it by its own name */
	expect_saved(target, REGFILE_UTF8, false, false, "Windows", 7);
	free(target);
	free(link);
	free(sub);
	t_remove_tree(dir);
	free(dir);
}

static void on_alarm(int sig)
{
	(void)sig;
	fputs("read_file blocked on a FIFO\n", stderr);
	_exit(1);
}

static void test_read_refuses_fifo(void **state)
{
	char *dir = t_tmpdir("fifo"), *path;
	struct sc_err err = {{0}};
	size_t size;
	time_t start = time(NULL);

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/state.reg", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(10); /* a blocking open would otherwise hang the suite */
	assert_null(read_file(path, REGFILE_MAX_SIZE, &size, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_true(starts_with(err.msg, path));
	assert_null(regfile_backend_open(path, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
	alarm(0);
	assert_true(time(NULL) - start < 5);
	free(path);
	t_remove_tree(dir);
	free(dir);
}

static void test_read_refuses_directory(void **state)
{
	char *dir = t_tmpdir("dir");
	struct sc_err err = {{0}};
	size_t size;

	(void)state;
	assert_non_null(dir);
	assert_null(read_file(dir, REGFILE_MAX_SIZE, &size, &err));
	assert_non_null(strstr(err.msg, "not a regular file (a directory)"));
	assert_null(regfile_backend_open(dir, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* /dev/null is a character device: refused too, not read as empty */
	assert_null(read_file("/dev/null", 100, &size, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
	t_remove_tree(dir);
	free(dir);
}

static void test_read_size_limit(void **state)
{
	char *dir = t_tmpdir("limit"), *path, *data;
	struct sc_err err = {{0}};
	size_t size = 0;

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/f", dir);
	t_write_file(path, "0123456789", 10);
	data = read_file(path, 10, &size, &err); /* exactly the limit: fine */
	assert_non_null(data);
	assert_int_equal(size, 10);
	assert_string_equal(data, "0123456789");
	free(data);
	assert_null(read_file(path, 9, &size, &err));
	assert_non_null(strstr(err.msg, "file larger than 9 bytes"));
	t_write_file(path, "", 0);
	data = read_file(path, 10, &size, &err);
	assert_non_null(data);
	assert_int_equal(size, 0);
	free(data);
	free(path);
	t_remove_tree(dir);
	free(dir);
}

/* A UTF-16LE state that would exceed REGFILE_MAX_SIZE is not saved. */
static void test_save_oversize_refused(void **state)
{
	char *dir = t_tmpdir("oversize"), *path, *before, *after, *name;
	struct sc_err err = {{0}};
	struct reg_backend *b;
	struct stat st0, st1;
	uint8_t *blob = xcalloc(1, RV_MAX_DATA);
	size_t size, size0, size1, i;

	(void)state;
	assert_non_null(dir);
	path = xasprintf("%s/state.reg", dir);
	before = utf16_file(STATE_TEXT, &size);
	t_write_file(path, before, size);
	free(before);
	before = read_file(path, REGFILE_MAX_SIZE, &size0, &err);
	assert_int_equal(stat(path, &st0), 0);
	b = regfile_backend_open(path, &err);
	assert_non_null(b);
	/* 12 x 1 MB of hex: about 37 MB of text, 75 MB as UTF-16LE */
	for (i = 0; i < 12; i++) {
		name = xasprintf("Blob%zu", i);
		put(b, REG_VIEW_64, SCH, name, RV_BINARY, blob, RV_MAX_DATA);
		free(name);
	}
	assert_int_equal(regfile_backend_save(b, path, &err), SC_ERROR);
	assert_true(starts_with(err.msg, path));
	assert_non_null(strstr(err.msg, "not saved"));
	assert_non_null(strstr(err.msg, "67108864"));
	after = read_file(path, REGFILE_MAX_SIZE, &size1, &err);
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(size0, size1);
	assert_memory_equal(before, after, size0);
	assert_int_equal(st0.st_ino, st1.st_ino);
	free(before);
	free(after);
	reg_backend_free(b);
	free(blob);
	free(path);
	t_remove_tree(dir); /* and no temporary file was left (rmdir would fail) */
	free(dir);
}

/* Applies the records one at a time: exactly file order, no presorting. */
static struct reg_backend *load_one_by_one(const struct regfile *rf)
{
	struct reg_backend *b = mem_backend_new();
	struct sc_err err = {{0}};
	size_t i;

	for (i = 0; i < rf->nrecords; i++) {
		struct regfile one = *rf;

		one.records = &rf->records[i];
		one.nrecords = 1;
		if (regfile_apply_records(&one, b, &err) != SC_OK)
			fail_msg("apply: %s", err.msg);
	}
	return b;
}

static char *format_of(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;

	regfile_format_mem(b, &sb);
	return sb_detach(&sb);
}

/* Big files are loaded keys-first and big keys' values in name order;
 * the registry must be what file order gives, small keys in file order. */
static void check_load_order(const char *text, bool same_text)
{
	struct reg_backend *fast, *ref;
	struct regfile rf;
	char *a, *b;

	parse_ok(text, &rf);
	fast = mem_backend_new();
	{
		struct sc_err err = {{0}};

		if (regfile_apply_records(&rf, fast, &err) != SC_OK)
			fail_msg("apply: %s", err.msg);
	}
	ref = load_one_by_one(&rf);
	a = t_dump(fast);
	b = t_dump(ref);
	assert_string_equal(a, b);
	free(a);
	free(b);
	if (same_text) {
		a = format_of(fast);
		b = format_of(ref);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	regfile_free(&rf);
	reg_backend_free(fast);
	reg_backend_free(ref);
}

static void test_load_order(void **state)
{
	struct strbuf small = STRBUF_INIT, big = STRBUF_INIT;
	int i;

	(void)state;
	sb_adds(&small, V5);
	/* keys out of name order, values out of name order (kept: < 64) */
	for (i = 300; i > 0; i--)
		sb_addf(&small,
		        "[HKEY_LOCAL_MACHINE\\" SCH "\\K%d]\r\n\"z\"=dword:1\r\n\"A\"=dword:2\r\n"
		        "\"m\"=\"%d\"\r\n",
		        (i * 37) % 301, i);
	sb_adds(&small,
	        "[HKEY_LOCAL_MACHINE\\" SCH "\\K5]\r\n\"a\"=dword:9\r\n\"new\"=dword:3\r\n");
	check_load_order(small.buf, true);
	/* with deletions: file order still decides */
	sb_adds(&small,
	        "[-HKEY_LOCAL_MACHINE\\" SCH "\\K7]\r\n[HKEY_LOCAL_MACHINE\\" SCH "\\K7\\Sub]\r\n"
	        "[HKEY_LOCAL_MACHINE\\" SCH "\\K9]\r\n\"z\"=-\r\n");
	check_load_order(small.buf, true);
	/* one key with many values out of order, names repeated in other case */
	sb_adds(&big, V5 "[HKEY_LOCAL_MACHINE\\" SCH "\\Many]\r\n");
	for (i = 0; i < 500; i++)
		sb_addf(&big, "\"%s%d\"=dword:%x\r\n", i % 3 ? "value" : "VALUE", (i * 7919) % 211,
		        i);
	sb_adds(&big, "[HKEY_LOCAL_MACHINE\\" SCH "\\Many\\Sub]\r\n[HKEY_LOCAL_MACHINE\\" SCH
	              "\\Many]\r\n"
	              "\"value3\"=\"last\"\r\n");
	check_load_order(big.buf, false);
	sb_adds(&big, "[HKEY_LOCAL_MACHINE\\" SCH
	              "\\Many]\r\n\"value5\"=-\r\n[-HKEY_LOCAL_MACHINE\\" SCH "\\Many\\Sub]\r\n");
	check_load_order(big.buf, false);
	sb_free(&small);
	sb_free(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf16le_with_bom),
	    cmocka_unit_test(test_utf8_without_bom),
	    cmocka_unit_test(test_utf8_with_bom),
	    cmocka_unit_test(test_regedit4),
	    cmocka_unit_test(test_every_value_form),
	    cmocka_unit_test(test_continuations),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_delete_key_and_value),
	    cmocka_unit_test(test_delete_key_refused_on_other_backends),
	    cmocka_unit_test(test_views_and_hklm),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_max_line_accepted),
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_error_line_too_long),
	    cmocka_unit_test(test_format_value_forms),
	    cmocka_unit_test(test_format_wraps_like_regedit),
	    cmocka_unit_test(test_format_key_and_delete),
	    cmocka_unit_test(test_format_mem),
	    cmocka_unit_test(test_encode),
	    cmocka_unit_test(test_round_trip_utf16),
	    cmocka_unit_test(test_round_trip_utf8),
	    cmocka_unit_test(test_round_trip_each_value_alone),
	    cmocka_unit_test(test_backend_open_and_save),
	    cmocka_unit_test(test_save_keeps_encoding),
	    cmocka_unit_test(test_save_regedit4_as_v5),
	    cmocka_unit_test(test_save_keeps_mode),
	    cmocka_unit_test(test_save_through_symlink),
	    cmocka_unit_test(test_read_refuses_fifo),
	    cmocka_unit_test(test_read_refuses_directory),
	    cmocka_unit_test(test_read_size_limit),
	    cmocka_unit_test(test_save_oversize_refused),
	    cmocka_unit_test(test_load_order),
	};

	return cmocka_run_group_tests_name("regfile", tests, NULL, NULL);
}
