/* Unit tests for impacts.c: each rule of the table fires where its
 * condition holds and not where it does not; a diff keeps only the
 * impacts whose ops change something; the update probe reads Component
 * Based Servicing's package state. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diff.h"
#include "impacts.h"

static void compile_with(const char *what, uint32_t major, uint32_t minor, uint32_t build,
                         bool assumed, struct plan *plan)
{
	struct compile_options o = {.have_os = true,
	                            .major = major,
	                            .minor = minor,
	                            .build = build,
	                            .os_assumed = assumed,
	                            .force = true};
	struct diag d = {0};
	struct profile *p = NULL;

	if (profile_load(what, NULL, &p, &d) != SC_OK || compile_profile(p, &o, plan, &d) != SC_OK)
		fail_msg("%s does not compile", what);
	profile_free(p);
	diag_free(&d);
}

static const struct plan_impact *find(const struct plan *p, const char *rule)
{
	size_t i;

	for (i = 0; i < p->nimpacts; i++)
		if (!strcmp(p->impacts[i].rule, rule))
			return &p->impacts[i];
	return NULL;
}

static void test_rdp_rule(void **state)
{
	struct plan p;
	const struct plan_impact *im;

	(void)state;
	compile_with("tls12-strict", 6, 1, 7601, false, &p);
	im = find(&p, "rdp-tls10-server");
	assert_non_null(im);
	assert_int_equal(im->cls, IMPACT_CUTS_ADMIN);
	assert_string_equal(im->kb, "KB3080079");
	assert_non_null(strstr(im->text, "you lose access to Remote Desktop"));
	assert_ptr_equal(impacts_cutting_admin(p.impacts, p.nimpacts), im);
	plan_free(&p);
	compile_with("tls12-strict", 6, 0, 6002, false, &p);
	assert_int_equal(find(&p, "rdp-tls10-server")->cls, IMPACT_CUTS_ADMIN);
	assert_null(find(&p, "rdp-tls10-server")->kb); /* no update for 2008 */
	plan_free(&p);
	compile_with("tls12-strict", 6, 1, 7601, true, &p); /* --state without --os */
	assert_int_equal(find(&p, "rdp-tls10-server")->cls, IMPACT_BREAKS);
	assert_null(impacts_cutting_admin(p.impacts, p.nimpacts));
	plan_free(&p);
	compile_with("tls12-strict", 6, 2, 9200, false, &p);
	assert_null(find(&p, "rdp-tls10-server"));
	plan_free(&p);
	compile_with("azure-mma", 6, 1, 7601, false, &p); /* TLS 1.0 server stays */
	assert_null(find(&p, "rdp-tls10-server"));
	plan_free(&p);
}

static void test_sql_and_dotnet_rules(void **state)
{
	struct plan p;

	(void)state;
	compile_with("tls12-strict", 10, 0, 17763, false, &p);
	assert_non_null(find(&p, "sql-tls12-updates")); /* TLS 1.0 and 1.1 off */
	assert_null(find(&p, "dotnet-strong-crypto"));  /* it sets both .NET values */
	plan_free(&p);
	compile_with("disable-dhe", 10, 0, 17763, false, &p);
	assert_null(find(&p, "sql-tls12-updates"));
	assert_null(find(&p, "dotnet-strong-crypto"));
	plan_free(&p);
}

static void test_dotnet_rule_fires(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = t\n"
	                           "[protocol \"TLS 1.0\"]\nclient = disabled\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	(void)state;
	assert_int_equal(profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &none, &plan, &d), SC_OK);
	assert_non_null(find(&plan, "dotnet-strong-crypto"));
	assert_null(find(&plan, "sql-tls12-updates")); /* TLS 1.1 stays */
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
}

/* A list that shares no suite with a release's defaults (src/suites.c),
 * the curve suffixes of 8.1 and older counting as the same suite. */
static void test_no_common_suite_rule(void **state)
{
	static const char only13[] = "[profile]\nname = t\nsummary = t\n[cipher-suites]\n"
	                             "where = local\norder = TLS_AES_256_GCM_SHA384 "
	                             "TLS_AES_128_GCM_SHA256\n";
	struct compile_options w2022 = {.have_os = true, .major = 10, .build = 20348};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;
	const struct plan_impact *im;

	(void)state;
	assert_int_equal(profile_parse_text("t.ini", only13, strlen(only13), NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &w2022, &plan, &d), SC_OK);
	im = find(&plan, "no-common-suite");
	assert_non_null(im);
	assert_non_null(strstr(im->text, "Windows Server 2019"));
	assert_null(strstr(im->text, "Server 2022")); /* it has TLS 1.3 suites */
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
	compile_with("disable-dhe", 10, 0, 17763, false, &plan);
	assert_null(find(&plan, "no-common-suite"));
	plan_free(&plan);
	compile_with("best-practices", 10, 0, 17763, false,
	             &plan); /* ECDHE with and without _P384 */
	assert_null(find(&plan, "no-common-suite"));
	plan_free(&plan);
}

static void test_tls12_server_off_rule(void **state)
{
	static const char off[] = "[profile]\nname = t\nsummary = t\n"
	                          "[protocol \"TLS 1.2\"]\nserver = disabled\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	(void)state;
	assert_int_equal(profile_parse_text("t.ini", off, strlen(off), NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &none, &plan, &d), SC_OK);
	assert_non_null(find(&plan, "tls12-server-off"));
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
	compile_with("tls12-strict", 10, 0, 20348, false, &plan);
	assert_null(find(&plan, "tls12-server-off"));
	plan_free(&plan);
}

/* One case of the table-driven rule test: a profile body (after
 * [profile]), a Windows version (major 0: unknown), a rule and whether it
 * fires. Every rule below has a case that fires and one that does not. */
struct rule_case {
	const char *body;
	uint32_t major, minor, build;
	const char *rule;
	bool fires;
	const char *says; /* a phrase the text must hold when it fires */
};

#define TLS_SERVERS_OFF                                                                            \
	"[protocol \"TLS 1.0\"]\nserver = disabled\n[protocol \"TLS 1.1\"]\nserver = disabled\n"   \
	"[protocol \"TLS 1.2\"]\nserver = disabled\n"

static const struct rule_case rule_cases[] = {
    {TLS_SERVERS_OFF, 6, 3, 9600, "no-server-tls", true, "WinRM HTTPS"},
    {TLS_SERVERS_OFF, 10, 0, 20348, "no-server-tls", false, NULL}, /* TLS 1.3 stays */
    {TLS_SERVERS_OFF "[protocol \"TLS 1.3\"]\nserver = disabled\n", 10, 0, 20348, "no-server-tls",
     true, "Remote Desktop"},
    {"[protocol \"TLS 1.2\"]\nclient = disabled\n", 10, 0, 17763, "tls12-client-off", true,
     "without TLS 1.3"},
    {"[protocol \"TLS 1.2\"]\nclient = enabled\n", 10, 0, 17763, "tls12-client-off", false, NULL},
    {"[protocol \"TLS 1.0\"]\nclient = disabled\n", 6, 1, 7601, "winhttp-default-protocols", true,
     "KB3140245"},
    {"[protocol \"TLS 1.0\"]\nclient = disabled\n", 6, 0, 6002, "winhttp-default-protocols", true,
     "KB4467770"},
    {"[protocol \"TLS 1.0\"]\nclient = disabled\n", 6, 3, 9600, "winhttp-default-protocols", false,
     NULL},
    {"[protocol \"TLS 1.0\"]\nserver = disabled\n", 6, 3, 9600, "eap-tls10", true, "KB2977292"},
    {"[protocol \"TLS 1.0\"]\nserver = disabled\n", 10, 0, 14393, "eap-tls10", false, NULL},
    {"[hashes]\nSHA = disabled\n", 10, 0, 17763, "sha-hash-off", true,
     "Windows Server 2019 / 10 1809-21H2: "},
    {"[hashes]\nSHA = enabled\n", 10, 0, 17763, "sha-hash-off", false, NULL},
    {"[key-exchange]\nPKCS = disabled\n", 6, 3, 9600, "pkcs-off", true, "RSA certificates"},
    {"[key-exchange]\nPKCS = enabled\n", 6, 3, 9600, "pkcs-off", false, NULL},
    {"[key-exchange]\nECDH = disabled\n", 10, 0, 20348, "ecdh-off", true, "ECDSA"},
    {"[key-exchange]\nDiffie-Hellman = disabled\n", 10, 0, 20348, "ecdh-off", false, NULL},
    {"[key-exchange]\ndh-server-min-bits = 2048\n", 6, 3, 9600, "dh-min-2048", true, "Java"},
    {"[key-exchange]\ndh-server-min-bits = 2048\n", 10, 0, 14393, "dh-min-2048", false, NULL},
    {"[key-exchange]\ndh-server-min-bits = 2048\nDiffie-Hellman = disabled\n", 6, 3, 9600,
     "dh-min-2048", false, NULL},
    {"[fips]\npolicy = enabled\n", 10, 0, 17763, "fips-policy", true, "enforceFIPSPolicy"},
    {"[fips]\npolicy = disabled\n", 10, 0, 17763, "fips-policy", false, NULL},
};

static void test_rule_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rule_cases); i++) {
		const struct rule_case *rc = &rule_cases[i];
		char *text = xasprintf("[profile]\nname = t\nsummary = t\n%s", rc->body);
		struct compile_options o = {.have_os = rc->major != 0,
		                            .major = rc->major,
		                            .minor = rc->minor,
		                            .build = rc->build,
		                            .force = true};
		struct diag d = {0};
		struct profile *p = NULL;
		struct plan plan;
		const struct plan_impact *im;

		if (profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d) != SC_OK ||
		    compile_profile(p, &o, &plan, &d) != SC_OK)
			fail_msg("case %zu does not compile", i);
		im = find(&plan, rc->rule);
		if (rc->fires != (im != NULL))
			fail_msg("case %zu: %s %s", i, rc->rule,
			         rc->fires ? "does not fire" : "fires");
		if (im && rc->says && !strstr(im->text, rc->says))
			fail_msg("case %zu: %s says \"%s\", not \"%s\"", i, rc->rule, im->text,
			         rc->says);
		plan_free(&plan);
		profile_free(p);
		diag_free(&d);
		free(text);
	}
}

/* Only losing every server protocol is the remote-administration class
 * besides RDP on 6.0/6.1; an assumed version only warns. */
static void test_no_server_tls_class(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = t\n" TLS_SERVERS_OFF;
	struct compile_options known = {.have_os = true, .major = 6, .minor = 3, .build = 9600};
	struct compile_options assumed = known;
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	(void)state;
	assumed.os_assumed = true;
	assert_int_equal(profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &known, &plan, &d), SC_OK);
	assert_int_equal(find(&plan, "no-server-tls")->cls, IMPACT_CUTS_ADMIN);
	assert_null(find(&plan, "no-server-tls")->kb); /* no update makes it safe */
	plan_free(&plan);
	assert_int_equal(compile_profile(p, &assumed, &plan, &d), SC_OK);
	assert_int_equal(find(&plan, "no-server-tls")->cls, IMPACT_BREAKS);
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
}

/* A diff keeps an impact only when its op changes the registry. */
static void test_diff_keeps_changed_only(void **state)
{
	struct reg_backend *done = t_state(
	    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	    "Protocols\\TLS 1.0\\Server]\n\"Enabled\"=dword:00000000\n"
	    "\"DisabledByDefault\"=dword:00000001\n");
	struct reg_backend *fresh = t_state("");
	struct sc_err err = {{0}};
	struct plan p;
	struct diff d;

	(void)state;
	compile_with("tls12-strict", 6, 1, 7601, false, &p);
	assert_int_equal(diff_compute(&p, fresh, &d, &err), SC_OK);
	assert_non_null(impacts_cutting_admin(d.impacts, d.nimpacts));
	diff_free(&d);
	assert_int_equal(diff_compute(&p, done, &d, &err), SC_OK);
	assert_null(impacts_cutting_admin(d.impacts, d.nimpacts)); /* already off */
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(done);
	reg_backend_free(fresh);
}

static void test_update_probe(void **state)
{
	static const char pkg[] =
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based "
	    "Servicing\\Packages\\Package_for_KB3080079~31bf3856ad364e35~amd64~~6.1.1.1]\n"
	    "\"CurrentState\"=dword:%08x\n";
	char text[512];
	struct sc_err err = {{0}};
	struct reg_backend *b;
	char *found = NULL;

	(void)state;
	snprintf(text, sizeof(text), pkg, 0x70u);
	b = t_state(text);
	assert_int_equal(impacts_update_installed(b, "KB3080079", &found, &err), SC_OK);
	assert_non_null(strstr(found, "Package_for_KB3080079~"));
	free(found);
	assert_int_equal(impacts_update_installed(b, "KB3080078", &found, &err), SC_NOT_FOUND);
	reg_backend_free(b);
	snprintf(text, sizeof(text), pkg, 0x20u); /* staged, not installed */
	b = t_state(text);
	assert_int_equal(impacts_update_installed(b, "KB3080079", &found, &err), SC_NOT_FOUND);
	reg_backend_free(b);
	b = t_state("");
	assert_int_equal(impacts_update_installed(b, "KB3080079", &found, &err), SC_NOT_FOUND);
	reg_backend_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rdp_rule),
	    cmocka_unit_test(test_sql_and_dotnet_rules),
	    cmocka_unit_test(test_dotnet_rule_fires),
	    cmocka_unit_test(test_no_common_suite_rule),
	    cmocka_unit_test(test_tls12_server_off_rule),
	    cmocka_unit_test(test_rule_table),
	    cmocka_unit_test(test_no_server_tls_class),
	    cmocka_unit_test(test_diff_keeps_changed_only),
	    cmocka_unit_test(test_update_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
