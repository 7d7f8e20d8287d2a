/*
 * The forms Wine's regedit reads that the reader takes since "Real-world
 * .reg files read as regedit reads them" (tests/regedit-variants/ holds the
 * files, tests/e2e/test_regedit_differential.sh checks them against
 * regedit): comments after data, blank and comment lines inside continued
 * hex lists, a trailing backslash on a key, '#' lines, CR CR LF, other
 * hives skipped with a warning (state files) or refused (regfile_parse,
 * as snapshots use it); and what regedit ignores, refused with file:line.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"
#include "backend_regfile.h"
#include "regfile.h"

#define V5  "Windows Registry Editor Version 5.00\r\n\r\n"
#define KEY "[HKEY_LOCAL_MACHINE\\SOFTWARE\\v]\r\n"

static int parse(const char *text, unsigned flags, struct regfile *rf, struct sc_err *err)
{
	return regfile_parse_flags("t.reg", (const uint8_t *)text, strlen(text), flags, rf, err);
}

static void refused(const char *text, unsigned line, const char *what)
{
	struct regfile rf;
	struct sc_err err = {{0}};
	char prefix[32];

	if (parse(text, REGFILE_SKIP_OTHER_HIVES, &rf, &err) == SC_OK) {
		regfile_free(&rf);
		fail_msg("accepted: %s", text);
	}
	snprintf(prefix, sizeof(prefix), "t.reg:%u: ", line);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, what))
		fail_msg("message \"%s\", expected \"%s...%s\"", err.msg, prefix, what);
}

/* The text's registry as mem_dump prints it. */
static char *dump_of(const char *text)
{
	struct regfile rf;
	struct sc_err err = {{0}};
	struct reg_backend *b = mem_backend_new();
	char *d;

	if (parse(text, REGFILE_SKIP_OTHER_HIVES, &rf, &err) != SC_OK)
		fail_msg("unexpected parse error: %s", err.msg);
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		fail_msg("unexpected load error: %s", err.msg);
	regfile_free(&rf);
	d = t_dump(b);
	reg_backend_free(b);
	return d;
}

static void has(const char *dump, const char *line)
{
	if (!strstr(dump, line))
		fail_msg("dump lacks [%s]:\n%s", line, dump);
}

static void test_comments_after_data(void **state)
{
	char *d = dump_of(V5 KEY "\"a\"=dword:00000001 ; TLS 1.2 on\r\n"
	                         "\"b\"=\"x;y\" ; after\r\n"
	                         "\"c\"=hex:01,02 ;c\r\n"
	                         "\"d\"=hex:01,;trailing comma\r\n"
	                         "\"e\"=dword:2;tight\r\n"
	                         "\"f\"=dword:3\r\n"
	                         "\"f\"=- ; gone\r\n"
	                         "# a hash line\r\n");

	(void)state;
	has(d, "\"a\" REG_DWORD:01000000\n");
	has(d, "\"b\" REG_SZ:78003b0079000000\n");
	has(d, "\"c\" REG_BINARY:0102\n");
	has(d, "\"d\" REG_BINARY:01\n");
	has(d, "\"e\" REG_DWORD:02000000\n");
	assert_null(strstr(d, "\"f\""));
	free(d);
}

static void test_continuations_with_comments(void **state)
{
	char *d = dump_of(V5 KEY "\"a\"=hex:01,02,\\ ; more\r\n"
	                         "; a comment line\r\n"
	                         "\r\n"
	                         "   \r\n"
	                         "  03,04,\\\r\n"
	                         "\t05\r\n");

	(void)state;
	has(d, "\"a\" REG_BINARY:0102030405\n");
	free(d);
}

static void test_keys_and_line_ends(void **state)
{
	char *d = dump_of("  Windows Registry Editor Version 5.00\r\r\n\r\r\n"
	                  "[hkey_local_machine\\SOFTWARE\\v\\X\\] ; comment\r\r\n"
	                  "\"a\"=dword:1\r\r\n"
	                  "  [HKEY_LOCAL_MACHINE\\SOFTWARE\\v\\Y ]\n"
	                  "\t\"b\"=\"n\\nr\\r\"\n");

	(void)state;
	has(d, "[SOFTWARE\\v\\X]\n  \"a\" REG_DWORD:01000000\n");
	has(d, "[SOFTWARE\\v\\Y ]\n  \"b\" REG_SZ:6e000a0072000d000000\n");
	free(d);
}

static void test_other_hives(void **state)
{
	static const char text[] = V5 "[HKEY_CURRENT_USER\\Software\\x]\r\n"
	                              "\"u\"=dword:1\r\n" KEY "\"a\"=dword:2\r\n"
	                              "[-HKEY_USERS\\.DEFAULT\\x]\r\n"
	                              "[HKEY_CLASSES_ROOT\\x]\r\n"
	                              "@=\"c\"\r\n";
	struct regfile rf;
	struct sc_err err = {{0}};
	char *path = t_tmpdir("variants"), *file = xasprintf("%s/s.reg", path);
	struct reg_backend *b;
	const char *const *w;
	size_t n;

	(void)state;
	assert_int_equal(parse(text, REGFILE_SKIP_OTHER_HIVES, &rf, &err), SC_OK);
	assert_int_equal(rf.nwarnings, 3);
	assert_non_null(
	    strstr(rf.warnings[0], "t.reg:3: skipped [HKEY_CURRENT_USER\\Software\\x]"));
	assert_non_null(strstr(rf.warnings[1], "t.reg:7: skipped [-HKEY_USERS"));
	assert_int_equal(rf.nrecords, 2); /* [KEY] and "a" */
	regfile_free(&rf);
	/* regfile_parse (snapshots) stays strict */
	assert_int_equal(regfile_parse("t.reg", (const uint8_t *)text, strlen(text), &rf, &err),
	                 SC_ERROR);
	assert_non_null(strstr(err.msg, "t.reg:3: "));
	assert_non_null(strstr(err.msg, "outside HKEY_LOCAL_MACHINE"));
	/* the backend keeps them */
	assert_int_equal(write_file_atomic(file, text, strlen(text), &err), SC_OK);
	b = regfile_store_open(file, &err);
	assert_non_null(b);
	w = regfile_backend_warnings(b, &n);
	assert_int_equal(n, 3);
	assert_non_null(strstr(w[2], ":8: skipped [HKEY_CLASSES_ROOT\\x]"));
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\v", "a"), 2);
	assert_false(t_has_value(b, REG_VIEW_64, "SOFTWARE\\v", "u"));
	reg_backend_free(b);
	b = mem_backend_new();
	assert_null(regfile_backend_warnings(b, &n));
	assert_int_equal(n, 0);
	reg_backend_free(b);
	t_remove_tree(path);
	free(file);
	free(path);
}

/* Sets SOFTWARE\v "a" to d in b and commits (the file is saved). */
static int set_and_commit(struct reg_backend *b, uint32_t d, struct sc_err *err)
{
	struct reg_key *key = NULL;
	struct reg_value v;
	int rc = b->ops->create_key(b, REG_VIEW_64, "SOFTWARE\\v", &key, NULL, err);

	regvalue_set_dword(&v, d);
	if (rc == SC_OK)
		rc = b->ops->write_value(b, key, "a", &v, err);
	if (key)
		b->ops->close_key(b, key);
	regvalue_free(&v);
	return rc == SC_OK ? reg_backend_commit(b, err) : rc;
}

/* A save writes the skipped sections back as they were: a state file is a
 * backup of a machine, and an apply to it must not drop HKEY_CURRENT_USER. */
static void test_other_hives_kept_on_save(void **state)
{
	static const char hkcu[] = "[HKEY_CURRENT_USER\\Software\\x]\r\n\"u\"=hex:01,\\\r\n"
	                           "  02 ; kept\r\n\r\n";
	static const char hku[] = "[-HKEY_USERS\\.DEFAULT\\x]\r\n";
	static const char v4[] = "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\x]\r\n\"s\"=hex(2):41,00\r\n";
	char *dir = t_tmpdir("variants"), *file = xasprintf("%s/s.reg", dir), *text, *saved;
	struct sc_err err = {{0}};
	struct reg_backend *b;
	size_t n, size;

	(void)state;
	text = xasprintf(V5 "%s" KEY "\"a\"=dword:2\r\n%s", hkcu, hku);
	t_write_file(file, text, strlen(text));
	b = regfile_store_open(file, &err);
	assert_non_null(b);
	assert_int_equal(set_and_commit(b, 3, &err), SC_OK);
	reg_backend_free(b);
	saved = read_file(file, 1 << 20, &size, &err);
	assert_non_null(saved);
	assert_non_null(strstr(saved, hkcu));
	assert_non_null(strstr(saved, hku));
	/* and read again, the same: nothing lost, nothing doubled */
	b = regfile_store_open(file, &err);
	assert_non_null(b);
	regfile_backend_warnings(b, &n);
	assert_int_equal(n, 2);
	assert_int_equal(t_dword(b, REG_VIEW_64, "SOFTWARE\\v", "a"), 3);
	assert_int_equal(set_and_commit(b, 4, &err), SC_OK);
	reg_backend_free(b);
	free(saved);
	saved = read_file(file, 1 << 20, &size, &err);
	assert_non_null(strstr(saved, hkcu));
	assert_null(strstr(strstr(saved, hkcu) + 1, hkcu));
	free(saved);
	/* REGEDIT4: saved as version 5, the hex(2) text would change: refused */
	t_write_file(file, v4, strlen(v4));
	b = regfile_store_open(file, &err);
	assert_non_null(b);
	assert_int_equal(reg_backend_commit(b, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "REGEDIT4 file with sections of other hives"));
	reg_backend_free(b);
	saved = read_file(file, 1 << 20, &size, &err);
	assert_string_equal(saved, v4);
	free(saved);
	t_remove_tree(dir);
	free(text);
	free(file);
	free(dir);
}

static void test_regedit4_utf16_not_widened(void **state)
{
	static const char text[] = "REGEDIT4\r\n" KEY "\"m\"=hex(7):61,00,00,00,00,00\r\n";
	static const uint8_t want[] = {'a', 0, 0, 0, 0, 0};
	size_t size;
	uint8_t *bytes = regfile_encode(text, strlen(text), REGFILE_UTF16LE, &size);
	struct regfile rf;
	struct sc_err err = {{0}};

	(void)state;
	assert_int_equal(regfile_parse("t.reg", bytes, size, &rf, &err), SC_OK);
	assert_int_equal(rf.records[1].value.size, sizeof(want));
	assert_memory_equal(rf.records[1].value.data, want, sizeof(want));
	regfile_free(&rf);
	free(bytes);
}

static void test_what_regedit_ignores(void **state)
{
	(void)state;
	refused(V5 KEY "\"p\"=dword:1 # c\r\n", 4, "after the data");
	refused(V5 KEY "\"p\"=DWORD:1\r\n", 4, "lower case");
	refused(V5 KEY "\"p\"=Hex:01\r\n", 4, "lower case");
	refused(V5 KEY "\"p\"=hex:01 ,02\r\n", 4, "blank before ','");
	refused(V5 KEY "\"p\"=hex:1,2\r\n", 4, "two hex digits");
	refused(V5 KEY "\"p\"=hex:01,02\\\r\n  03\r\n", 4, "expected ','");
	refused(V5 KEY "\"p\"=hex:01,\\\r\n\"q\"=dword:1\r\n", 5, "continued hex list");
	refused(V5 KEY "\"p\"=hex:01,\\\r\n# not skipped\r\n02\r\n", 5, "continued hex list");
	refused(V5 KEY "\"p\"=hex:01,\\ x\r\n", 4, "continuation backslash");
	refused(V5 KEY "\"p\"=dword: ;c\r\n", 4, "dword");
	refused(V5 KEY "\"p\"=dword:0x1\r\n", 4, "dword");
	refused(V5 KEY "\"p\"=-x\r\n", 4, "after '-'");
	refused(V5 KEY "\"p\"=\"a\" x\r\n", 4, "after the closing quote");
	refused(V5 KEY "\"p\"=\"a\\Wb\"\r\n", 4, "unknown escape");
	refused(V5 "[HKLM\\SOFTWARE\\v]\r\n", 3, "write HKEY_LOCAL_MACHINE");
	refused(V5 "[HKCU\\Software\\v]\r\n", 3, "write HKEY_CURRENT_USER");
	refused(V5 KEY "[-HKLM\\SOFTWARE\\v]\r\n", 4, "HKLM");
	refused(V5 "[ HKEY_LOCAL_MACHINE\\SOFTWARE\\v]\r\n", 3, "after '['");
	refused(V5 "[- HKEY_LOCAL_MACHINE\\SOFTWARE\\v]\r\n", 3, "after '[-'");
	refused(V5 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\v] junk\r\n", 3, "after ']'");
	refused(V5 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\v] ; see [1]\r\n", 3, "last ']'");
	refused(V5 "[HKEY_LOCAL_MACHINE \\SOFTWARE\\v]\r\n", 3, "outside HKEY_LOCAL_MACHINE");
	refused(V5 KEY "\"a\"=dword:1\r\"p\"=dword:1\r\n", 4, "carriage return");
	refused("Windows Registry Editor Version 5.00 \r\n" KEY, 1, "first line");
	refused("REGEDIT\r\n" KEY, 1, "first line");
	refused(V5 KEY "Enabled=1\r\n", 4, "regedit ignores this line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_comments_after_data),
	    cmocka_unit_test(test_continuations_with_comments),
	    cmocka_unit_test(test_keys_and_line_ends),
	    cmocka_unit_test(test_other_hives),
	    cmocka_unit_test(test_other_hives_kept_on_save),
	    cmocka_unit_test(test_regedit4_utf16_not_widened),
	    cmocka_unit_test(test_what_regedit_ignores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
