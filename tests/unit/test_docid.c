/* Unit tests for docid.c: which machine a target names, what changes a
 * profile's version (what it sets) and what does not (comments, layout),
 * the pending-reboot markers read through a registry, and the JSON keys. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "docid.h"
#include "json.h"
#include "profile_diag.h"

static void expect_machine(const char *target, const char *name, const char *want)
{
	char *got = docid_machine_of_target(target, name);

	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
}

static void test_machine_of_target(void **state)
{
	expect_machine("live", "WEB01", "WEB01");
	expect_machine("live", NULL, NULL);
	expect_machine("state:/srv/fleet/web02.reg", "ignored", "web02");
	expect_machine("state:C:\\fleet\\WEB03.REG", NULL, "WEB03");
	expect_machine("state:/srv/no-suffix", NULL, "no-suffix");
	expect_machine("image:/mnt/images/ws2022-gold", NULL, "ws2022-gold");
	expect_machine("image:D:\\images\\win11\\", NULL, "win11");
	expect_machine("image:/", NULL, NULL);
	expect_machine("something-else", "X", NULL);
}

static char *version_of(const char *text)
{
	struct profile *p = NULL;
	struct diag d = {0};
	char *v;

	if (profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d) != SC_OK)
		fail_msg("profile does not parse");
	v = docid_profile_version(p);
	profile_free(p);
	diag_free(&d);
	return v;
}

#define HEAD "[profile]\nname = t\nsummary = s\n"

static void test_profile_version(void **state)
{
	char *a = version_of(HEAD "[protocol \"TLS 1.2\"]\nclient = enabled\n");
	char *same = version_of("; a comment\n" HEAD "\n[protocol \"TLS 1.2\"]\n"
	                        "client   =   enabled\n");
	char *other = version_of(HEAD "[protocol \"TLS 1.2\"]\nclient = disabled\n");
	char *renamed = version_of("[profile]\nname = u\nsummary = s\n"
	                           "[protocol \"TLS 1.2\"]\nclient = enabled\n");

	assert_int_equal(strlen(a), strlen("sha256:") + 64);
	assert_true(starts_with(a, "sha256:"));
	assert_string_equal(a, same);
	assert_string_not_equal(a, other);
	assert_string_not_equal(a, renamed);
	free(a), free(same), free(other), free(renamed);
}

static void test_reboot_markers(void **state)
{
	struct reg_backend *none = t_state("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft]\n");
	struct reg_backend *all = t_state(
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based "
	    "Servicing\\RebootPending]\n"
	    "[HKEY_LOCAL_"
	    "MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto "
	    "Update\\RebootRequired]\n"
	    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager]\n"
	    "\"PendingFileRenameOperations\"=hex(7):00,00\n");
	struct doc_identity id;

	docid_init(&id, "live", "m", NULL, NULL, 0);
	docid_reboot_markers(&id, none);
	assert_false(id.reboot_pending);
	assert_int_equal(id.nreasons, 0);
	docid_reboot_markers(&id, all);
	assert_true(id.reboot_pending);
	assert_int_equal(id.nreasons, 3);
	assert_string_equal(id.reasons[0], "cbs-reboot-pending");
	assert_string_equal(id.reasons[1], "windows-update-reboot-required");
	assert_string_equal(id.reasons[2], "pending-file-rename");
	docid_free(&id);
	reg_backend_free(none);
	reg_backend_free(all);
}

static void test_json_fields(void **state)
{
	struct compile_options os = {
	    .have_os = true, .os_assumed = true, .major = 6, .minor = 1, .build = 7601};
	struct doc_identity id;
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	docid_init(&id, "state:/x/web9.reg", NULL, &os, NULL, 1764763200);
	docid_add_reason(&id, "schannelcfg-change");
	json_init(&j, &sb);
	json_obj_begin(&j);
	docid_json_fields(&j, &id);
	json_obj_end(&j);
	assert_string_equal(sb_str(&sb), "{\n"
	                                 "  \"machine\": \"web9\",\n"
	                                 "  \"os\": {\n"
	                                 "    \"major\": 6,\n"
	                                 "    \"minor\": 1,\n"
	                                 "    \"build\": 7601,\n"
	                                 "    \"assumed\": true\n"
	                                 "  },\n"
	                                 "  \"time\": \"2025-12-03T12:00:00Z\",\n"
	                                 "  \"profile_version\": null,\n"
	                                 "  \"reboot_pending\": true,\n"
	                                 "  \"reboot_pending_reasons\": [\n"
	                                 "    \"schannelcfg-change\"\n"
	                                 "  ]\n"
	                                 "}");
	sb_free(&sb);
	docid_free(&id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_machine_of_target),
	    cmocka_unit_test(test_profile_version),
	    cmocka_unit_test(test_reboot_markers),
	    cmocka_unit_test(test_json_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
