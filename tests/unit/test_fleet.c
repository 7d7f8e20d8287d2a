/* Unit tests for fleet.c and fleet_render.c: documents are counted per
 * machine, profile and release; drifting settings are grouped by rule id
 * when there is one, else by value; duplicates keep the newest; broken
 * documents are skipped with a reason naming what was expected; CSV and
 * HTML escape what documents carry. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "fleet_render.h"

/* One changed entry: key K, value V, optional rule id. */
static char *entry(const char *key, const char *value, const char *rule, bool changed)
{
	char *r = rule ? xasprintf("\"%s\"", rule) : xstrdup("null");
	char *e = xasprintf("{\"op\": \"set\", \"area\": \"Protocols\", \"key\": \"%s\", "
	                    "\"view\": \"64\", \"value\": \"%s\", \"rule\": %s, \"changed\": %s}",
	                    key, value, r, changed ? "true" : "false");

	free(r);
	return e;
}

struct doc_spec {
	const char *machine, *time, *profile, *kind, *status, *version;
	const char *os; /* JSON for "os" */
	const char *entries;
	unsigned changes;
	bool reboot;
};

static char *doc(const struct doc_spec *d)
{
	char *status = d->status ? xasprintf("\"status\": \"%s\", ", d->status) : xstrdup("");
	char *text = xasprintf(
	    "{\"schema\": 1, \"kind\": \"%s\", \"tool_version\": \"0.1.0\", \"profile\": \"%s\", "
	    "\"target\": \"live\", \"changes\": %u, %s\"entries\": [%s], \"machine\": \"%s\", "
	    "\"os\": %s, \"time\": \"%s\", \"profile_version\": \"%s\", "
	    "\"reboot_pending\": %s, \"reboot_pending_reasons\": [%s]}",
	    d->kind ? d->kind : "check", d->profile ? d->profile : "p1", d->changes, status,
	    d->entries ? d->entries : "", d->machine, d->os ? d->os : "null",
	    d->time ? d->time : "2026-12-01T10:00:00Z", d->version ? d->version : "sha256:ab",
	    d->reboot ? "true" : "false", d->reboot ? "\"cbs-reboot-pending\"" : "");

	free(status);
	return text;
}

static int add(struct fleet *f, const char *file, const struct doc_spec *d)
{
	struct sc_err err = {{0}};
	char *text = doc(d);
	int rc = fleet_add(f, file, text, strlen(text), &err);

	free(text);
	return rc;
}

static const struct fleet_machine *machine(const struct fleet *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->machines[i].machine, name))
			return &f->machines[i];
	fail_msg("no machine %s", name);
	return NULL;
}

static const char *const OS2022 =
    "{\"major\": 10, \"minor\": 0, \"build\": 20348, \"assumed\": false}";
static const char *const OS7 = "{\"major\": 6, \"minor\": 1, \"build\": 7601, \"assumed\": true}";

static void test_aggregate(void **state)
{
	struct fleet f;
	char *e1 = entry("A", "Enabled", NULL, true), *e2 = entry("B", "Enabled", "tls-rule", true);
	char *e3 = entry("C", "Other", "tls-rule", true), *e4 = entry("D", "X", NULL, false);
	char *two = xasprintf("%s, %s", e1, e2),
	     *three = xasprintf("%s, %s, %s, %s", e1, e2, e3, e4);

	fleet_init(&f);
	assert_int_equal(
	    add(&f, "a.json",
	        &(struct doc_spec){.machine = "web2", .os = OS2022, .entries = two, .changes = 2}),
	    SC_OK);
	assert_int_equal(add(&f, "b.json",
	                     &(struct doc_spec){.machine = "web1",
	                                        .os = OS2022,
	                                        .entries = three,
	                                        .changes = 3,
	                                        .reboot = true}),
	                 SC_OK);
	assert_int_equal(
	    add(&f, "c.json",
	        &(struct doc_spec){.machine = "sql1", .os = OS7, .profile = "p2", .entries = e4}),
	    SC_OK);
	fleet_finish(&f);

	assert_int_equal(f.read, 3);
	assert_int_equal(f.skipped, 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.machines[0].machine, "sql1"); /* sorted by name */
	assert_int_equal(f.compliant, 1);
	assert_int_equal(f.reboot_pending, 1);
	assert_int_equal(machine(&f, "web1")->drifting, 3);
	assert_true(machine(&f, "sql1")->compliant);
	/* B and C share a rule: one setting, web1 counted once for it */
	assert_int_equal(f.nsettings, 2);
	assert_int_equal(f.settings[0].machines, 2);
	assert_int_equal(f.settings[1].machines, 2);
	assert_int_equal(machine(&f, "web1")->nsettings, 2);
	assert_string_equal(f.settings[1].rule ? f.settings[1].rule : f.settings[0].rule,
	                    "tls-rule");
	assert_int_equal(f.nprofiles, 2);
	assert_string_equal(f.profiles[0].name, "p1");
	assert_int_equal(f.profiles[0].machines, 2);
	assert_int_equal(f.profiles[0].compliant, 0);
	assert_int_equal(f.profiles[1].compliant, 1);
	assert_int_equal(f.nreleases, 2);
	assert_string_equal(f.releases[0].name, "10.0.20348 (Windows Server 2022)");
	assert_string_equal(f.releases[1].name, "6.1.7601 (Windows Server 2008 R2 / 7, assumed)");
	assert_int_equal(f.releases[0].machines, 2);
	fleet_free(&f);
	free(e1), free(e2), free(e3), free(e4), free(two), free(three);
}

static void test_duplicates_keep_newest(void **state)
{
	struct fleet f;

	fleet_init(&f);
	add(&f, "1.json", &(struct doc_spec){.machine = "WEB1", .time = "2026-12-02T00:00:00Z"});
	add(&f, "2.json", &(struct doc_spec){.machine = "web1", .time = "2026-12-01T00:00:00Z"});
	add(&f, "3.json", &(struct doc_spec){.machine = "Web1", .time = "2026-12-02T00:00:00Z"});
	add(&f, "4.json", &(struct doc_spec){.machine = "other"});
	fleet_finish(&f);
	assert_int_equal(f.read, 4);
	assert_int_equal(f.duplicates, 2);
	assert_int_equal(f.n, 2);
	/* the older one never replaces; on equal times the one read last wins */
	assert_string_equal(machine(&f, "Web1")->file, "3.json");
	fleet_free(&f);
}

static void test_apply_documents(void **state)
{
	struct fleet f;
	char *e = entry("A", "Enabled", NULL, true);

	fleet_init(&f);
	add(&f, "a",
	    &(struct doc_spec){
	        .machine = "m1", .kind = "apply", .status = "applied", .entries = e, .changes = 1});
	add(&f, "b",
	    &(struct doc_spec){.machine = "m2",
	                       .kind = "apply",
	                       .status = "rolled_back",
	                       .entries = e,
	                       .changes = 1});
	add(&f, "c",
	    &(struct doc_spec){.machine = "m3",
	                       .kind = "apply",
	                       .status = "exploded",
	                       .entries = e,
	                       .changes = 1});
	fleet_finish(&f);
	assert_int_equal(f.n, 2);
	assert_true(machine(&f, "m1")->compliant);
	assert_int_equal(machine(&f, "m1")->drifting, 0);
	assert_false(machine(&f, "m2")->compliant);
	assert_int_equal(machine(&f, "m2")->drifting, 1);
	assert_int_equal(f.skipped, 1);
	assert_non_null(strstr(f.problems[0].error, "\"status\""));
	fleet_free(&f);
	free(e);
}

/* Each must be skipped, with a message containing what is expected. */
static void test_broken_documents(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"", "not JSON: line 1, column 1"},
	    {"{\"schema\": 1,", "not JSON"},
	    {"[1, 2]", "not a schannelcfg JSON document"},
	    {"{\"schema\": 2, \"kind\": \"check\", \"tool_version\": \"9\"}", "schema 2"},
	    {"{\"schema\": 1, \"kind\": \"diff\", \"tool_version\": \"9\"}", "a \"diff\" document"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": -1}",
	     "\"changes\": a number"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0}",
	     "no \"machine\": written by a schannelcfg without machine identity"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"\"}",
	     "\"machine\": a non-empty string"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"a\\nb\"}",
	     "\"machine\" contains a control character"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"m\", \"time\": \"yesterday\"}",
	     "\"time\": UTC"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"m\", \"time\": \"2026-12-01T10:00:00Z\", \"profile\": \"p\", "
	     "\"os\": 7}",
	     "\"os\": an object"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"m\", \"time\": \"2026-12-01T10:00:00Z\", \"profile\": \"p\", "
	     "\"os\": null, \"reboot_pending\": \"no\"}",
	     "\"reboot_pending\": true or false"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 1, "
	     "\"machine\": \"m\", \"time\": \"2026-12-01T10:00:00Z\", \"profile\": \"p\", "
	     "\"os\": null, \"reboot_pending\": false, \"entries\": []}",
	     "\"changes\" is 1 but 0 entries changed"},
	    {"{\"schema\": 1, \"kind\": \"check\", \"tool_version\": \"9\", \"changes\": 0, "
	     "\"machine\": \"m\", \"time\": \"2026-12-01T10:00:00Z\", \"profile\": \"p\", "
	     "\"os\": null, \"reboot_pending\": false, \"entries\": [7]}",
	     "\"entries\"[0]: an operation"},
	    {"{\"schema\": 1, \"schema\": 1}", "appears twice"},
	};
	struct fleet f;
	size_t i;

	fleet_init(&f);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sc_err err = {{0}};

		assert_int_equal(
		    fleet_add(&f, "bad.json", cases[i].text, strlen(cases[i].text), &err),
		    SC_ERROR);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, err.msg,
			         cases[i].want);
		assert_string_equal(f.problems[i].error, err.msg);
	}
	fleet_finish(&f);
	assert_int_equal(f.n, 0);
	assert_int_equal(f.read, ARRAY_SIZE(cases));
	assert_int_equal(f.skipped, ARRAY_SIZE(cases));
	fleet_free(&f);
}

static void test_profile_versions(void **state)
{
	struct fleet f;
	struct strbuf sb = STRBUF_INIT;

	fleet_init(&f);
	add(&f, "a", &(struct doc_spec){.machine = "m1", .version = "sha256:old"});
	add(&f, "b", &(struct doc_spec){.machine = "m2", .version = "sha256:new"});
	add(&f, "c", &(struct doc_spec){.machine = "m3", .version = "sha256:new"});
	fleet_finish(&f);
	assert_int_equal(f.nprofiles, 1);
	assert_int_equal(f.profiles[0].nversions, 2);
	assert_string_equal(f.profiles[0].versions[0], "sha256:old");
	assert_int_equal(f.profiles[0].version_machines[0], 1);
	assert_int_equal(f.profiles[0].version_machines[1], 2);
	fleet_html(&f, "2026-12-03T00:00:00Z", &sb);
	assert_non_null(strstr(sb_str(&sb), "<code>sha256:new</code></td><td class=\"n\">2</td>"));
	sb_free(&sb);
	fleet_free(&f);
}

static void test_csv_escapes(void **state)
{
	struct fleet f;
	struct strbuf sb = STRBUF_INIT;

	fleet_init(&f);
	add(&f, "a", &(struct doc_spec){.machine = "=HYPERLINK(\\\"x\\\")", .os = OS2022});
	add(&f, "b", &(struct doc_spec){.machine = "plain, with comma"});
	fleet_finish(&f);
	fleet_csv(&f, &sb);
	assert_string_equal(
	    sb_str(&sb), "machine,release,profile,compliant,values_drifting,reboot_pending,time\r\n"
	                 "\"'=HYPERLINK(\"\"x\"\")\",\"10.0.20348\",\"p1\",\"yes\",\"0\",\"no\","
	                 "\"2026-12-01T10:00:00Z\"\r\n"
	                 "\"plain, with comma\",\"unknown\",\"p1\",\"yes\",\"0\",\"no\","
	                 "\"2026-12-01T10:00:00Z\"\r\n");
	sb_free(&sb);
	fleet_free(&f);
}

static void test_html_escapes(void **state)
{
	struct fleet f;
	struct strbuf sb = STRBUF_INIT;

	fleet_init(&f);
	add(&f, "a", &(struct doc_spec){.machine = "<script>alert(1)</script>", .reboot = true});
	/* a long profile name is cut in the chart, between characters: 45
	 * ASCII bytes, then a two-byte e-acute across the cut */
	add(&f, "b",
	    &(struct doc_spec){.machine = "m2",
	                       .profile = "ppppppppppppppppppppppppppppppppppppppppppppp\u00e9"
	                                  "xxxxxxxxxxxxxxxx"});
	fleet_finish(&f);
	fleet_html(&f, "2026-12-03T00:00:00Z", &sb);
	assert_true(utf8_valid(sb_str(&sb), sb.len));
	assert_null(strstr(sb_str(&sb), "id=\"versions\"")); /* one version each */
	assert_non_null(
	    strstr(sb_str(&sb), "</title>ppppppppppppppppppppppppppppppppppppppppppppp&hellip;"));
	assert_null(strstr(sb_str(&sb), "<script>alert"));
	assert_non_null(strstr(sb_str(&sb), "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(sb_str(&sb), "Content-Security-Policy"));
	assert_non_null(strstr(sb_str(&sb), "script-src 'sha256-"));
	assert_non_null(
	    strstr(sb_str(&sb), "<div class=\"card warn\" id=\"count-reboot\"><b>1</b>"));
	/* self-contained: nothing fetched from anywhere */
	assert_null(strstr(sb_str(&sb), "src=\"http"));
	assert_null(strstr(sb_str(&sb), "href=\"http"));
	assert_null(strstr(sb_str(&sb), "@import"));
	sb_free(&sb);
	fleet_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_aggregate),        cmocka_unit_test(test_duplicates_keep_newest),
	    cmocka_unit_test(test_apply_documents),  cmocka_unit_test(test_broken_documents),
	    cmocka_unit_test(test_profile_versions), cmocka_unit_test(test_csv_escapes),
	    cmocka_unit_test(test_html_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
