/* Unit tests for lookalike.c: names that spell a known SChannel name with
 * look-alike characters are found (and named), real names and unrelated
 * non-ASCII names are not; a state file's look-alikes become its warnings;
 * profiles get a warning or a hint at the line. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "backend_regfile.h"
#include "compile.h"
#include "lookalike.h"
#include "profile.h"

static void test_known_names(void **state)
{
	(void)state;
	assert_string_equal(lookalike_known("RC4 128\xe2\x88\x95"
	                                    "128"),
	                    "RC4 128/128"); /* U+2215 */
	assert_string_equal(lookalike_known("RC4 128\xe2\x81\x84"
	                                    "128"),
	                    "RC4 128/128"); /* U+2044 */
	assert_string_equal(lookalike_known("TLS\xc2\xa0"
	                                    "1.2"),
	                    "TLS 1.2"); /* NBSP */
	assert_string_equal(lookalike_known("En\xe2\x80\x8b"
	                                    "abled"),
	                    "Enabled");                                    /* ZWSP */
	assert_string_equal(lookalike_known("\xd0\xa2LS 1.0"), "TLS 1.0"); /* Cyrillic TE */
	assert_string_equal(lookalike_known("Diffie\xe2\x80\x90Hellman"), "Diffie-Hellman");
	assert_string_equal(lookalike_known("Cli\xd0\xb5nt"), "Client"); /* Cyrillic ie */
	/* a key component of a row's template, printed up to its end */
	assert_int_equal(strncmp(lookalike_known("Messag\xd1\x96ng"), "Messaging", 9), 0);
}

static void test_not_lookalikes(void **state)
{
	(void)state;
	assert_null(lookalike_known("RC4 128/128")); /* the real name */
	assert_null(lookalike_known("tls 1.2"));     /* case is no look-alike */
	assert_null(lookalike_known("caf\xc3\xa9")); /* non-ASCII, but nothing known */
	assert_null(lookalike_known("RC4 129\xe2\x88\x95"
	                            "128"));
	assert_null(lookalike_known(""));
}

static void test_describe(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	lookalike_describe("a\xc2\xa0"
	                   "b\xe2\x88\x95"
	                   "c",
	                   &sb);
	assert_string_equal(sb_str(&sb), "U+00A0 NO-BREAK SPACE, U+2215 DIVISION SLASH");
	sb_free(&sb);
}

static bool any_has(const char *const *w, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(w[i], text))
			return true;
	return false;
}

static void test_state_file_warnings(void **state)
{
	static const char text[] =
	    "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	    "Ciphers\\RC4 128\xe2\x88\x95"
	    "128]\r\n\"Enabled\"=dword:00000000\r\n"
	    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	    "Ciphers\\RC4 128/128]\r\n\"En\xe2\x80\x8b"
	    "abled\"=dword:00000000\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other\\RC4 128\xe2\x88\x95"
	    "128]\r\n";
	char *dir = t_tmpdir("lookalike"), *file = xasprintf("%s/s.reg", dir);
	struct sc_err err = {{0}};
	struct reg_backend *b;
	const char *const *w;
	size_t n;

	(void)state;
	t_write_file(file, text, strlen(text));
	b = regfile_backend_open(file, &err);
	assert_non_null(b);
	w = regfile_backend_warnings(b, &n);
	assert_int_equal(n, 2); /* not the key outside the TLS roots */
	assert_non_null(strstr(w[0], "s.reg: HKLM\\"));
	assert_true(any_has(w, n,
	                    "key \"RC4 128\xe2\x88\x95"
	                    "128\" is not \"RC4 128/128\" "
	                    "(U+2215 DIVISION SLASH)"));
	assert_true(any_has(w, n,
	                    "value \"En\xe2\x80\x8b"
	                    "abled\" is not \"Enabled\""));
	reg_backend_free(b);
	t_remove_tree(dir);
	free(file);
	free(dir);
}

static void test_profile_warning_and_hint(void **state)
{
	static const char raw[] =
	    "[profile]\nname = t\nsummary = t\n[key \"x\"]\n"
	    "path = "
	    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers\\"
	    "RC4 128\xe2\x88\x95"
	    "128\n\"Enabled\" = dword:00000000\n";
	static const char word[] = "[profile]\nname = t\nsummary = t\n[protocol \"TLS\xc2\xa0"
	                           "1.2\"]\n"
	                           "client = enabled\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(profile_parse_text("t.ini", raw, strlen(raw), NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &none, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 1);
	assert_non_null(strstr(plan.warnings[0].text, "is not \"RC4 128/128\""));
	assert_string_equal(plan.warnings[0].source, "t.ini:6");
	plan_free(&plan);
	profile_free(p);
	p = NULL;
	assert_int_equal(profile_parse_text("t.ini", word, strlen(word), NULL, &p, &d), SC_ERROR);
	diag_format(&d, &sb);
	assert_non_null(strstr(sb_str(&sb), "t.ini:4: unknown protocol"));
	assert_non_null(strstr(sb_str(&sb), "(it spells \"TLS 1.2\" with U+00A0 NO-BREAK SPACE)"));
	sb_free(&sb);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_names),
	    cmocka_unit_test(test_not_lookalikes),
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test(test_state_file_warnings),
	    cmocka_unit_test(test_profile_warning_and_hint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
