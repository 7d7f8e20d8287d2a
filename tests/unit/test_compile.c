/* Unit tests for compile.c (and plan.c's list edits): golden plans of the
 * built-in profiles (tests/golden/NAME.plan), the exact registry values the
 * seed articles ask for, cipher-suite list edits against Microsoft's
 * default orders, determinism, and the compiler's own checks.
 * Run from the repository root. To rewrite the golden files after an
 * intended change: SCHANNELCFG_UPDATE_GOLDEN=1 build/host/tests/test_compile
 * (the test then fails on purpose), and review `git diff tests/golden`. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "compile.h"
#include "suites.h"

#define GOLDEN_DIR    "tests/golden"
#define PROTOCOLS_KEY SCHANNEL_KEY "\\Protocols\\"
#define CIPHERS_KEY   SCHANNEL_KEY "\\Ciphers\\"
#define DH_KEY        SCHANNEL_KEY "\\KeyExchangeAlgorithms\\Diffie-Hellman"
#define NET4_KEY      DOTNET_KEY "\\v4.0.30319"

/* ---- helpers ---- */

static char *diag_text(const struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;

	diag_format(d, &sb);
	return sb_detach(&sb);
}

/* Loads and compiles a profile with no OS given; fails the test on error. */
static void compile_with_options(const char *what, const struct compile_options *o,
                                 struct plan *plan)
{
	struct diag d = {0};
	struct profile *p = NULL;

	if (profile_load(what, NULL, &p, &d) != SC_OK)
		fail_msg("%s does not load:\n%s", what, diag_text(&d));
	if (compile_profile(p, o, plan, &d) != SC_OK)
		fail_msg("%s does not compile:\n%s", what, diag_text(&d));
	assert_int_equal(d.count, 0);
	profile_free(p);
}

static void compile_ok(const char *what, struct plan *plan)
{
	struct compile_options none = {0};

	compile_with_options(what, &none, plan);
}

/* For a given Windows version. */
static void compile_os(const char *what, uint32_t major, uint32_t minor, uint32_t build,
                       struct plan *plan)
{
	struct compile_options o = {
	    .have_os = true, .major = major, .minor = minor, .build = build};

	compile_with_options(what, &o, plan);
}

/* Compiles profile text (no includes) with the given options; returns the
 * compiler's status, diagnostics in *d. */
static int compile_text(const char *text, const struct compile_options *o, struct plan *plan,
                        struct diag *d)
{
	struct profile *p = NULL;
	int rc;

	if (profile_parse_text("t.ini", text, strlen(text), NULL, &p, d) != SC_OK)
		fail_msg("test profile does not parse:\n%s", diag_text(d));
	rc = compile_profile(p, o, plan, d);
	profile_free(p);
	return rc;
}

static char *format_plan(const struct plan *plan)
{
	struct strbuf sb = STRBUF_INIT;

	plan_format(plan, &sb);
	return sb_detach(&sb);
}

/* The one op of this kind at view/path/name (NULL name: key ops); fails
 * the test if there is none or more than one. */
static const struct plan_op *find_op(const struct plan *plan, enum op_kind kind, enum reg_view view,
                                     const char *path, const char *name)
{
	const struct plan_op *found = NULL;
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->kind != kind || op->view != view || strcmp(op->path, path) ||
		    (name ? !op->name || strcmp(op->name, name) : op->name != NULL))
			continue;
		if (found)
			fail_msg("two ops for HKLM\\%s %s [%s]", path, name ? name : "",
			         reg_view_name(view));
		found = op;
	}
	if (!found)
		fail_msg("%s: no op for HKLM\\%s %s [%s]", plan->profile, path, name ? name : "",
		         reg_view_name(view));
	return found;
}

static bool has_op_at(const struct plan *plan, const char *path_prefix)
{
	size_t i;

	for (i = 0; i < plan->nops; i++)
		if (starts_with(plan->ops[i].path, path_prefix))
			return true;
	return false;
}

static uint32_t dword_of(const struct plan_op *op)
{
	uint32_t d = 0;

	assert_int_equal(op->kind, OP_SET);
	assert_int_equal(op->value.type, RV_DWORD);
	if (!regvalue_get_dword(&op->value, &d))
		fail_msg("HKLM\\%s %s is not a 4-byte REG_DWORD", op->path, op->name);
	return d;
}

static void assert_dword(const struct plan *plan, enum reg_view view, const char *path,
                         const char *name, uint32_t want)
{
	const struct plan_op *op = find_op(plan, OP_SET, view, path, name);
	uint32_t got = dword_of(op);

	if (got != want)
		fail_msg("%s: HKLM\\%s %s [%s] = 0x%08x, expected 0x%08x", plan->profile, path,
		         name, reg_view_name(view), got, want);
}

/* Protocol P on one side: enabled = Enabled 1 + DisabledByDefault 0,
 * disabled = Enabled 0 + DisabledByDefault 1 ("TLS registry settings"). */
static void assert_protocol(const struct plan *plan, const char *proto, const char *side,
                            bool enabled)
{
	char *key = xasprintf(PROTOCOLS_KEY "%s\\%s", proto, side);

	assert_dword(plan, REG_VIEW_64, key, "Enabled", enabled ? 1 : 0);
	assert_dword(plan, REG_VIEW_64, key, "DisabledByDefault", enabled ? 0 : 1);
	free(key);
}

static void assert_protocol_both(const struct plan *plan, const char *proto, bool enabled)
{
	assert_protocol(plan, proto, "Client", enabled);
	assert_protocol(plan, proto, "Server", enabled);
}

static const struct plan_op *list_op(const struct plan *plan, const char *key)
{
	return find_op(plan, OP_LIST_EDIT, REG_VIEW_64, key, "Functions");
}

static bool list_has(char *const *items, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(items[i], s))
			return true;
	return false;
}

/* ---- golden plans ---- */

/* Line n (0-based) of text and its length, or NULL past the end. */
/* "azure-mma-tls12.ini" -> "azure-mma-tls12" */
static char *stem(const char *file_name)
{
	return xstrndup(file_name, strcspn(file_name, "."));
}

/* Compares (or, when updating, writes) one built-in's golden plan.
 * Returns false on a mismatch. */
static bool golden_one(const char *name, bool update)
{
	struct plan plan;
	char *path = xasprintf(GOLDEN_DIR "/%s.plan", name);
	char *got;
	bool ok;

	compile_ok(name, &plan);
	got = format_plan(&plan);
	plan_free(&plan);
	ok = t_golden_file(path, got, update, "test_compile");
	free(got);
	free(path);
	return ok;
}

static size_t count_ops(const struct plan *plan, enum op_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nops; i++)
		n += plan->ops[i].kind == kind;
	return n;
}

/* A key the plan makes exist is not removed by the same plan (capture
 * writes "default" and "exists = yes" for an empty protocol key). */
static void test_created_key_not_removed(void **state)
{
	static const char text[] =
	    "[profile]\nname = t\nsummary = t\n"
	    "[protocol \"TLS 1.0\"]\nclient = default\nserver = default\n"
	    "[key \"k\"]\npath = HKLM\\" SCHANNEL_KEY "\\Protocols\\TLS 1.0\nexists = yes\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct plan plan;
	size_t i;

	(void)state;
	assert_int_equal(compile_text(text, &none, &plan, &d), SC_OK);
	for (i = 0; i < plan.nops; i++)
		if (plan.ops[i].kind == OP_DELETE_KEY_IF_EMPTY)
			assert_string_not_equal(plan.ops[i].path, PROTOCOLS_KEY "TLS 1.0");
	/* the Client and Server keys below it are still removed once empty */
	find_op(&plan, OP_DELETE_KEY_IF_EMPTY, REG_VIEW_64, PROTOCOLS_KEY "TLS 1.0\\Client", NULL);
	find_op(&plan, OP_CREATE_KEY, REG_VIEW_64, PROTOCOLS_KEY "TLS 1.0", NULL);
	plan_free(&plan);
	diag_free(&d);
}

/* True if some warning of the plan contains `text`. */
static bool plan_warns(const struct plan *plan, const char *text)
{
	size_t i;

	for (i = 0; i < plan->nwarnings; i++)
		if (strstr(plan->warnings[i].text, text))
			return true;
	return false;
}

/* The SChannel-wide words each write one row's value, and "default"
 * removes it (and the Messaging key once empty). */
static void test_schannel_words(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = t\n"
	                           "[schannel]\n"
	                           "ClientCacheTime = 0\n"
	                           "ServerCacheTime = 3600000\n"
	                           "MaximumCacheSize = 4294967295\n"
	                           "CertificateMappingMethods = upn s4u2self\n"
	                           "AllowInsecureRenegoClients = 0\n"
	                           "MessageLimitClient = 65536\n"
	                           "MessageLimitServer = default\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct plan plan;

	(void)state;
	assert_int_equal(compile_text(text, &none, &plan, &d), SC_OK);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY, "ClientCacheTime", 0);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY, "ServerCacheTime", 3600000);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY, "MaximumCacheSize", 0xFFFFFFFFu);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY, "CertificateMappingMethods", 0xC);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY, "AllowInsecureRenegoClients", 0);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY "\\Messaging", "MessageLimitClient", 65536);
	find_op(&plan, OP_DELETE_VALUE, REG_VIEW_64, SCHANNEL_KEY "\\Messaging",
	        "MessageLimitServer");
	/* MessageLimitClient keeps the key: "default" does not remove it */
	assert_int_equal(count_ops(&plan, OP_DELETE_KEY_IF_EMPTY), 0);
	assert_int_equal(find_op(&plan, OP_SET, REG_VIEW_64, SCHANNEL_KEY, "ClientCacheTime")->area,
	                 AREA_SCHANNEL);
	plan_free(&plan);
	assert_int_equal(compile_text("[profile]\nname = t\nsummary = t\n[schannel]\n"
	                              "MessageLimitServer = default\n",
	                              &none, &plan, &d),
	                 SC_OK);
	find_op(&plan, OP_DELETE_KEY_IF_EMPTY, REG_VIEW_64, SCHANNEL_KEY "\\Messaging", NULL);
	plan_free(&plan);
	assert_int_equal(compile_text(text, &none, &plan, &d), SC_OK);
	/* UPN mapping is weak (KB5014754); S4U2Self is not */
	assert_true(plan_warns(&plan, "CertificateMappingMethods 0x0000000c: UPN mapping is weak"));
	assert_false(plan_warns(&plan, "S4U2Self"));
	plan_free(&plan);
	diag_free(&d);
}

static void test_golden_plans(void **state)
{
	bool update = t_updating_golden();
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = stem(builtin_profiles[i].file_name);

		bad += !golden_one(name, update);
		free(name);
	}
	if (update)
		fail_msg("SCHANNELCFG_UPDATE_GOLDEN is set: golden files rewritten, nothing "
		         "compared. Review git diff " GOLDEN_DIR ", then run without it.");
	if (bad)
		fail_msg("%zu of %zu golden plans differ", bad, builtin_profile_count);
}

/* Every golden file belongs to a built-in (none left behind by a rename). */
static void test_golden_files_have_profiles(void **state)
{
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *de;
	size_t plans = 0, i;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		bool known = false;

		if (n < 6 || strcmp(de->d_name + n - 5, ".plan"))
			continue;
		plans++;
		for (i = 0; i < builtin_profile_count; i++) {
			char *name = stem(builtin_profiles[i].file_name);

			known |= strlen(name) == n - 5 && !strncmp(name, de->d_name, n - 5);
			free(name);
		}
		if (!known) {
			closedir(d);
			fail_msg(GOLDEN_DIR "/%s has no built-in profile", de->d_name);
		}
	}
	closedir(d);
	assert_int_equal(plans, builtin_profile_count);
}

/* ---- the seeds' exact values ---- */

/* Seed 000: exactly the four values of the article's "reg add" lines. */
static void test_seed_azure_mma(void **state)
{
	struct plan plan;
	const char *tls12 = PROTOCOLS_KEY "TLS 1.2\\Client";

	(void)state;
	compile_ok("azure-mma", &plan);
	assert_string_equal(plan.profile, "azure-mma-tls12");
	assert_int_equal(plan.nops, 4);
	assert_dword(&plan, REG_VIEW_64, tls12, "DisabledByDefault", 0);
	assert_dword(&plan, REG_VIEW_64, tls12, "Enabled", 1);
	assert_dword(&plan, REG_VIEW_64, NET4_KEY, "SchUseStrongCrypto", 1);
	assert_dword(&plan, REG_VIEW_32, NET4_KEY, "SchUseStrongCrypto", 1);
	assert_true(find_op(&plan, OP_SET, REG_VIEW_64, tls12, "Enabled")->reboot);
	assert_int_equal(plan.nwarnings, 0);
	plan_free(&plan);
}

/* Seed 001: three values, and a warning that 0xaa0 includes SSL 3.0. */
static void test_seed_p2s_vpn(void **state)
{
	struct plan plan;

	(void)state;
	compile_ok("p2s-vpn", &plan);
	assert_int_equal(plan.nops, 3);
	assert_dword(&plan, REG_VIEW_64, EAP_TLS_KEY, "TlsVersion", 0xC00);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0xAA0);
	assert_dword(&plan, REG_VIEW_32, WINHTTP_KEY, "DefaultSecureProtocols", 0xAA0);
	assert_string_equal(EAP_TLS_KEY,
	                    "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13");
	assert_string_equal(WINHTTP_KEY, "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
	                                 "Internet Settings\\WinHttp");
	/* The SSL 3.0 warning, and (no Windows version given) both prerequisites. */
	assert_int_equal(plan.nwarnings, 3);
	assert_non_null(strstr(plan.warnings[0].text, "SSL 3.0"));
	assert_non_null(strstr(plan.warnings[0].text, "0x00000aa0"));
	assert_non_null(strstr(plan.warnings[1].text, "KB3140245"));
	assert_non_null(strstr(plan.warnings[2].text, "KB2977292"));
	plan_free(&plan);
}

/* Seed 003: remove TLS_DHE_* from the local list and, where it exists, the
 * Group Policy list; never create either. */
static void test_seed_disable_dhe(void **state)
{
	struct plan plan;
	const struct plan_op *local, *policy;

	(void)state;
	compile_ok("disable-dhe", &plan);
	assert_int_equal(plan.nops, 2);
	assert_string_equal(SUITES_LOCAL_KEY, "SYSTEM\\CurrentControlSet\\Control\\Cryptography\\"
	                                      "Configuration\\Local\\SSL\\00010002");
	assert_string_equal(SUITES_POLICY_KEY, "SOFTWARE\\Policies\\Microsoft\\Cryptography\\"
	                                       "Configuration\\SSL\\00010002");
	local = list_op(&plan, SUITES_LOCAL_KEY);
	policy = list_op(&plan, SUITES_POLICY_KEY);
	assert_int_equal(local->edit.format, LIST_MULTI_SZ);
	assert_int_equal(policy->edit.format, LIST_COMMA_SZ);
	assert_false(local->edit.create_if_absent);
	assert_false(policy->edit.create_if_absent);
	assert_false(local->edit.want.has_order);
	assert_false(policy->edit.want.has_order);
	assert_int_equal(local->edit.want.nremove, 1);
	assert_string_equal(local->edit.want.remove[0], "TLS_DHE_*");
	assert_int_equal(policy->edit.want.nremove, 1);
	assert_string_equal(policy->edit.want.remove[0], "TLS_DHE_*");
	assert_int_equal(local->edit.want.nprefer + policy->edit.want.nprefer, 0);
	assert_true(local->reboot && policy->reboot);
	plan_free(&plan);
}

/* Seed 002: SSL 3.0 off both sides, TLS 1.0-1.2 on, RC4 off, AES first. */
/* The OP_SET at the 64-bit path/name, or NULL. */
static const struct plan_op *find_set_op(const struct plan *plan, const char *path,
                                         const char *name)
{
	size_t i;

	for (i = 0; i < plan->nops; i++)
		if (plan->ops[i].kind == OP_SET && streq_ci(plan->ops[i].path, path) &&
		    streq_ci(plan->ops[i].name, name))
			return &plan->ops[i];
	return NULL;
}

static void test_seed_exchange_2015(void **state)
{
	static const char *const rc4[] = {"RC4 40/128", "RC4 56/128", "RC4 64/128", "RC4 128/128"};
	struct plan plan;
	const struct plan_op *local;
	size_t i;

	(void)state;
	compile_ok("exchange-2015", &plan);
	assert_protocol_both(&plan, "SSL 3.0", false);
	/* "do not disable TLS 1.0" leaves it to Windows; it never writes Enabled=1 */
	assert_null(find_set_op(&plan, PROTOCOLS_KEY "TLS 1.0\\Server", "Enabled"));
	assert_null(find_set_op(&plan, PROTOCOLS_KEY "TLS 1.0\\Client", "Enabled"));
	assert_protocol_both(&plan, "TLS 1.1", true);
	assert_protocol_both(&plan, "TLS 1.2", true);
	for (i = 0; i < ARRAY_SIZE(rc4); i++) {
		char *key = xasprintf(CIPHERS_KEY "%s", rc4[i]);

		assert_dword(&plan, REG_VIEW_64, key, "Enabled", 0);
		free(key);
	}
	/* "RC4 128/128" is one key name, not RC4 128 -> 128. */
	assert_true(has_op_at(&plan, CIPHERS_KEY "RC4 128/128"));
	assert_false(has_op_at(&plan, CIPHERS_KEY "RC4 128\\"));
	local = list_op(&plan, SUITES_LOCAL_KEY);
	assert_false(local->edit.create_if_absent);
	assert_true(list_has(local->edit.want.remove, local->edit.want.nremove, "*_RC4_*"));
	assert_true(local->edit.want.nprefer > 0);
	assert_non_null(strstr(local->edit.want.prefer[0], "_AES_"));
	assert_false(list_op(&plan, SUITES_POLICY_KEY)->edit.create_if_absent);
	/* 3 protocols x 2 sides x 2 values, TLS 1.0's 2 sides x (2 deletions and
	 * 1 key removal) and its key, 4 ciphers, 2 lists; nothing else. */
	assert_int_equal(plan.nops, 12 + 7 + 4 + 2);
	assert_false(has_op_at(&plan, PROTOCOLS_KEY "TLS 1.3"));
	assert_false(has_op_at(&plan, PROTOCOLS_KEY "SSL 2.0"));
	plan_free(&plan);
}

/* tls12-strict and best-practices: TLS 1.2 only (1.3 left to Windows). */
static void check_tls12_only(const char *name)
{
	static const char *const off[] = {"SSL 2.0", "SSL 3.0", "TLS 1.0",
	                                  "TLS 1.1", "PCT 1.0", "Multi-Protocol Unified Hello"};
	static const char *const cipher_off[] = {
	    "NULL",       "DES 56/56",  "RC2 40/128", "RC2 56/128",  "RC2 128/128",
	    "RC4 40/128", "RC4 56/128", "RC4 64/128", "RC4 128/128", "Triple DES 168"};
	struct plan plan;
	const struct plan_op *local;
	size_t i;

	compile_ok(name, &plan);
	for (i = 0; i < ARRAY_SIZE(off); i++)
		assert_protocol_both(&plan, off[i], false);
	assert_protocol_both(&plan, "TLS 1.2", true);
	assert_false(has_op_at(&plan, PROTOCOLS_KEY "TLS 1.3"));
	for (i = 0; i < ARRAY_SIZE(cipher_off); i++) {
		char *key = xasprintf(CIPHERS_KEY "%s", cipher_off[i]);

		assert_dword(&plan, REG_VIEW_64, key, "Enabled", 0);
		free(key);
	}
	assert_dword(&plan, REG_VIEW_64, CIPHERS_KEY "AES 128/128", "Enabled", 0xFFFFFFFFu);
	assert_dword(&plan, REG_VIEW_64, CIPHERS_KEY "AES 256/256", "Enabled", 0xFFFFFFFFu);
	assert_dword(&plan, REG_VIEW_64, DH_KEY, "Enabled", 0xFFFFFFFFu);
	assert_dword(&plan, REG_VIEW_64, DH_KEY, "ServerMinKeyBitLength", 2048);
	local = list_op(&plan, SUITES_LOCAL_KEY);
	assert_true(list_has(local->edit.want.remove, local->edit.want.nremove, "TLS_DHE_*"));
	assert_false(local->edit.create_if_absent);
	local = list_op(&plan, SUITES_POLICY_KEY);
	assert_true(list_has(local->edit.want.remove, local->edit.want.nremove, "TLS_DHE_*"));
	assert_false(local->edit.create_if_absent);
	assert_dword(&plan, REG_VIEW_64, NET4_KEY, "SchUseStrongCrypto", 1);
	assert_dword(&plan, REG_VIEW_32, NET4_KEY, "SchUseStrongCrypto", 1);
	assert_dword(&plan, REG_VIEW_64, NET4_KEY, "SystemDefaultTlsVersions", 1);
	assert_dword(&plan, REG_VIEW_32, NET4_KEY, "SystemDefaultTlsVersions", 1);
	plan_free(&plan);
}

static void test_seed_tls12_strict(void **state)
{
	struct plan plan;

	(void)state;
	check_tls12_only("tls12-strict");
	compile_ok("tls12", &plan);
	assert_dword(&plan, REG_VIEW_64, DH_KEY, "ClientMinKeyBitLength", 2048);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0x800);
	assert_dword(&plan, REG_VIEW_32, WINHTTP_KEY, "DefaultSecureProtocols", 0x800);
	assert_dword(&plan, REG_VIEW_64, SCHANNEL_KEY "\\Hashes\\MD5", "Enabled", 0);
	/* The WinHTTP prerequisite, and the TLS 1.3 WinHTTP section left out
	 * (no Windows version given). */
	assert_int_equal(plan.nwarnings, 2);
	assert_true(plan_warns(&plan, "KB3140245"));
	assert_true(plan_warns(&plan, "\"if build >= 20348\" is left out"));
	plan_free(&plan);
	/* Where Windows has TLS 1.3, WinHTTP gets it too. */
	compile_os("tls12", 10, 0, 20348, &plan);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0x2800);
	assert_dword(&plan, REG_VIEW_32, WINHTTP_KEY, "DefaultSecureProtocols", 0x2800);
	plan_free(&plan);
	compile_os("tls12", 10, 0, 17763, &plan);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0x800);
	assert_false(plan_warns(&plan, "left out"));
	plan_free(&plan);
}

static void test_best_practices(void **state)
{
	struct plan plan;
	const struct plan_op *local;

	(void)state;
	check_tls12_only("best-practices");
	compile_ok("best", &plan);
	local = list_op(&plan, SUITES_LOCAL_KEY);
	assert_true(list_has(local->edit.want.remove, local->edit.want.nremove, "*_CBC_SHA"));
	/* WinHTTP follows SChannel: the value is removed in both views. */
	find_op(&plan, OP_DELETE_VALUE, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols");
	find_op(&plan, OP_DELETE_VALUE, REG_VIEW_32, WINHTTP_KEY, "DefaultSecureProtocols");
	/* applies-to windows >= 6.3, and no OS given: that, and the 2016+
	 * suite section left out. */
	assert_int_equal(plan.nwarnings, 2);
	assert_true(plan_warns(&plan, "windows >= 6.3"));
	assert_true(plan_warns(&plan, "\"if build >= 14393\" is left out"));
	plan_free(&plan);
	/* IIS Crypto 4.0's 2016+ template has no TLS_RSA_* suite; 2012 R2
	 * keeps them, last. */
	compile_os("best", 10, 0, 14393, &plan);
	local = list_op(&plan, SUITES_LOCAL_KEY);
	assert_true(list_has(local->edit.want.remove, local->edit.want.nremove, "TLS_RSA_*"));
	plan_free(&plan);
	compile_os("best", 6, 3, 9600, &plan);
	local = list_op(&plan, SUITES_LOCAL_KEY);
	assert_false(list_has(local->edit.want.remove, local->edit.want.nremove, "TLS_RSA_*"));
	plan_free(&plan);
}

static void parse_fails(const char *text, const char *says)
{
	struct diag d = {0};
	struct profile *p = NULL;

	char *got;

	assert_int_equal(profile_parse_text("t.ini", text, strlen(text), NULL, &p, &d), SC_ERROR);
	got = diag_text(&d);
	if (!strstr(got, says))
		fail_msg("expected \"%s\" in:\n%s", says, got);
	free(got);
	diag_free(&d);
}

/* [section if RULES]: where the rules hold its settings replace the same
 * value's unconditional ones; elsewhere they are left out; two that both
 * hold, a condition on [profile] and a bad rule are errors at their line. */
static void test_section_conditions(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = t\n"
	                           "[winhttp]\nDefaultSecureProtocols = TLS1.2\n"
	                           "[winhttp if build >= 20348]\n"
	                           "DefaultSecureProtocols = TLS1.2 TLS1.3\n";
	struct compile_options w2019 = {.have_os = true, .major = 10, .build = 17763};
	struct compile_options w2022 = {.have_os = true, .major = 10, .build = 20348};
	struct diag d = {0};
	struct plan plan;
	char *got;

	(void)state;
	assert_int_equal(compile_text(text, &w2019, &plan, &d), SC_OK);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0x800);
	plan_free(&plan);
	assert_int_equal(compile_text(text, &w2022, &plan, &d), SC_OK);
	assert_dword(&plan, REG_VIEW_64, WINHTTP_KEY, "DefaultSecureProtocols", 0x2800);
	assert_int_equal(count_ops(&plan, OP_SET), 2); /* 64 and 32-bit, once each */
	plan_free(&plan);
	assert_int_equal(
	    compile_text("[profile]\nname = t\nsummary = t\n"
	                 "[winhttp if build >= 17763]\nDefaultSecureProtocols = TLS1.2\n"
	                 "[winhttp if build >= 20348]\nDefaultSecureProtocols = TLS1.3\n",
	                 &w2022, &plan, &d),
	    SC_ERROR);
	got = diag_text(&d);
	assert_non_null(strstr(got, "t.ini:7:"));
	assert_non_null(strstr(got, "make their conditions exclusive"));
	free(got);
	diag_free(&d);
	parse_fails("[profile if build >= 1]\nname = t\nsummary = t\n", "cannot have a condition");
	parse_fails("[profile]\nname = t\nsummary = t\n"
	            "[winhttp if version 11]\nDefaultSecureProtocols = TLS1.2\n",
	            "t.ini:4: if: expected rules like");
	parse_fails("[profile]\nname = t\nsummary = t\n"
	            "[winhttp if build >= 1]\nDefaultSecureProtocols = TLS1.2\n"
	            "[winhttp if build >= 1]\nDefaultSecureProtocols = TLS1.3\n",
	            "appears twice");
}

/* Conventions every built-in keeps (the mistakes other tools' trackers
 * show): protocol Enabled is 0 or 1, never 0xffffffff; cipher, hash and
 * key-exchange Enabled is 0 or 0xffffffff; .NET and WinHTTP values are set
 * alike in both views; views are never spelled as Wow6432Node paths; the
 * Group Policy list is a comma REG_SZ; removing suites never creates a list. */
static void check_conventions(const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		const struct plan_op *op = &plan->ops[i];
		bool is_enabled = op->kind == OP_SET && op->name && !strcmp(op->name, "Enabled");

		assert_null(strstr(op->path, "Wow6432Node"));
		if (is_enabled && op->area == AREA_PROTOCOLS)
			assert_true(dword_of(op) <= 1);
		if (is_enabled && (op->area == AREA_CIPHERS || op->area == AREA_HASHES ||
		                   op->area == AREA_KEY_EXCHANGE))
			assert_true(dword_of(op) == 0 || dword_of(op) == 0xFFFFFFFFu);
		if (op->kind == OP_SET && (op->area == AREA_DOTNET || op->area == AREA_WINHTTP)) {
			const struct plan_op *other = find_op(
			    plan, OP_SET, op->view == REG_VIEW_64 ? REG_VIEW_32 : REG_VIEW_64,
			    op->path, op->name);

			assert_true(regvalue_equal(&op->value, &other->value));
		}
		if (op->kind == OP_LIST_EDIT) {
			bool policy = !strcmp(op->path, SUITES_POLICY_KEY);

			assert_int_equal(op->edit.format, policy ? LIST_COMMA_SZ : LIST_MULTI_SZ);
			if (!op->edit.want.has_order)
				assert_false(op->edit.create_if_absent);
		}
	}
}

static void test_builtin_conventions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < builtin_profile_count; i++) {
		char *name = stem(builtin_profiles[i].file_name);
		struct plan plan;

		compile_ok(name, &plan);
		check_conventions(&plan);
		plan_free(&plan);
		free(name);
	}
}

/* ---- cipher-suite list edits against Microsoft's default orders ---- */

static char **apply_edit(const struct plan_op *op, enum win_release r, size_t *n)
{
	size_t ndefault;
	const char *const *order = suite_default_order(r, &ndefault);

	assert_non_null(order);
	return list_edit_apply(&op->edit, (char *const *)order, ndefault, n);
}

static uint32_t flags_of(const char *suite)
{
	const struct suite_info *s = suite_find(suite);

	if (!s)
		fail_msg("%s is not a known suite", suite);
	return s->flags;
}

/* disable-dhe keeps every other suite, in Microsoft's order. */
static void test_disable_dhe_lists(void **state)
{
	struct plan plan;
	size_t r, i, n, k, ndefault;

	(void)state;
	compile_ok("disable-dhe", &plan);
	for (r = 0; r < WR_COUNT; r++) {
		const char *const *order = suite_default_order((enum win_release)r, &ndefault);
		char **out = apply_edit(list_op(&plan, SUITES_LOCAL_KEY), (enum win_release)r, &n);

		for (i = 0, k = 0; i < ndefault; i++) {
			if (strstr(order[i], "_DHE_"))
				continue;
			assert_true(k < n);
			assert_string_equal(out[k], order[i]);
			k++;
		}
		assert_int_equal(k, n);
		strlist_free(out, n);
	}
	/* Absent lists stay absent. */
	assert_null(list_edit_apply(&list_op(&plan, SUITES_LOCAL_KEY)->edit, NULL, 0, &n));
	assert_null(list_edit_apply(&list_op(&plan, SUITES_POLICY_KEY)->edit, NULL, 0, &n));
	plan_free(&plan);
}

/* On Windows Server 2016's default list: 9 DHE suites go, 23 stay. */
static void test_disable_dhe_2016(void **state)
{
	struct plan plan;
	size_t n;
	char **out;

	(void)state;
	compile_ok("disable-dhe", &plan);
	out = apply_edit(list_op(&plan, SUITES_LOCAL_KEY), WR_2016, &n);
	assert_int_equal(n, 23);
	assert_string_equal(out[0], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(out[3], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_string_equal(out[4], "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
	assert_string_equal(out[12], "TLS_RSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(out[18], "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
	assert_string_equal(out[22], "TLS_RSA_WITH_NULL_SHA");
	strlist_free(out, n);
	plan_free(&plan);
}

/* The Group Policy list, as Windows stores it: one comma-separated REG_SZ. */
static void test_disable_dhe_policy_string(void **state)
{
	struct plan plan;
	struct reg_value before = {0}, after = {0};
	char **items, **out, *text;
	size_t n, nout;

	(void)state;
	compile_ok("disable-dhe", &plan);
	assert_true(regvalue_set_string(&before, RV_SZ,
	                                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
	                                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, "
	                                "TLS_RSA_WITH_AES_256_GCM_SHA384,"
	                                "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"));
	assert_true(list_from_value(LIST_COMMA_SZ, &before, &items, &n));
	out = list_edit_apply(&list_op(&plan, SUITES_POLICY_KEY)->edit, items, n, &nout);
	list_to_value(LIST_COMMA_SZ, out, nout, &after);
	assert_int_equal(after.type, RV_SZ);
	text = regvalue_get_string(&after);
	assert_string_equal(text, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
	                          "TLS_RSA_WITH_AES_256_GCM_SHA384");
	free(text);
	strlist_free(items, n);
	strlist_free(out, nout);
	regvalue_free(&before);
	regvalue_free(&after);
	plan_free(&plan);
}

/* Strong lists: no DHE and nothing weak; forward-secret AEAD suites (TLS
 * 1.3 or ECDHE GCM) form the head of the list; every ECDHE suite comes
 * before every RSA key-exchange suite. With no_sha1, no SHA-1 MAC suite. */
static void check_strong_list(char **out, size_t n, bool no_sha1)
{
	size_t i;
	bool head = true, seen_rsa = false;

	assert_true(n > 0);
	assert_true((flags_of(out[0]) & (SUITE_AEAD | SUITE_PFS)) == (SUITE_AEAD | SUITE_PFS));
	for (i = 0; i < n; i++) {
		uint32_t f = flags_of(out[i]);
		bool strong = (f & (SUITE_AEAD | SUITE_PFS)) == (SUITE_AEAD | SUITE_PFS);

		assert_false(f & (SUITE_DHE | SUITE_WEAK));
		if (no_sha1)
			assert_false(f & SUITE_SHA1_MAC);
		if (strong && !head)
			fail_msg("%s comes after a weaker suite", out[i]);
		head &= strong;
		if (starts_with(out[i], "TLS_RSA_"))
			seen_rsa = true;
		else if (seen_rsa)
			fail_msg("%s comes after an RSA key-exchange suite", out[i]);
	}
}

static void test_strong_profiles_lists(void **state)
{
	static const char *const names[] = {"best-practices", "tls12-strict"};
	size_t i, r, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct plan plan;

		compile_ok(names[i], &plan);
		for (r = WR_81; r < WR_COUNT; r++) {
			char **out =
			    apply_edit(list_op(&plan, SUITES_LOCAL_KEY), (enum win_release)r, &n);

			check_strong_list(out, n, i == 0);
			strlist_free(out, n);
			out =
			    apply_edit(list_op(&plan, SUITES_POLICY_KEY), (enum win_release)r, &n);
			check_strong_list(out, n, i == 0);
			strlist_free(out, n);
		}
		plan_free(&plan);
	}
}

/* best-practices on Windows Server 2016 and 2022, in full. */
static void test_best_practices_exact_lists(void **state)
{
	static const char *const want2016[] = {
	    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
	    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
	    "TLS_RSA_WITH_AES_256_GCM_SHA384",         "TLS_RSA_WITH_AES_128_GCM_SHA256",
	    "TLS_RSA_WITH_AES_256_CBC_SHA256",         "TLS_RSA_WITH_AES_128_CBC_SHA256",
	};
	struct plan plan;
	size_t n, i;
	char **out;

	(void)state;
	compile_ok("best-practices", &plan);
	out = apply_edit(list_op(&plan, SUITES_LOCAL_KEY), WR_2016, &n);
	assert_int_equal(n, ARRAY_SIZE(want2016));
	for (i = 0; i < n; i++)
		assert_string_equal(out[i], want2016[i]);
	strlist_free(out, n);
	/* Server 2022: the TLS 1.3 suites lead. */
	out = apply_edit(list_op(&plan, SUITES_LOCAL_KEY), WR_2022, &n);
	assert_true(n > 3);
	assert_string_equal(out[0], "TLS_AES_256_GCM_SHA384");
	assert_string_equal(out[1], "TLS_AES_128_GCM_SHA256");
	assert_true(starts_with(out[2], "TLS_ECDHE_ECDSA_WITH_AES_"));
	strlist_free(out, n);
	plan_free(&plan);
}

/* exchange-2015 on Windows Server 2012 R2: no RC4; AES-GCM first, then
 * the other AES suites, then the rest (3DES). */
static void test_exchange_2015_list(void **state)
{
	struct plan plan;
	size_t n, i;
	bool in_aes = true;
	char **out;

	(void)state;
	compile_ok("exchange-2015", &plan);
	out = apply_edit(list_op(&plan, SUITES_LOCAL_KEY), WR_81, &n);
	assert_true(n > 0);
	assert_true(starts_with(out[0], "TLS_ECDHE_") && strstr(out[0], "_AES_") &&
	            strstr(out[0], "_GCM_"));
	for (i = 0; i < n; i++) {
		assert_null(strstr(out[i], "_RC4_"));
		if (strstr(out[i], "_AES_") && !in_aes)
			fail_msg("%s comes after a non-AES suite", out[i]);
		in_aes &= strstr(out[i], "_AES_") != NULL;
	}
	assert_true(list_has(out, n, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
	strlist_free(out, n);
	plan_free(&plan);
}

/* ---- determinism ---- */

struct block {
	char **lines;
	size_t n, cap;
};

/* Cuts profile text into sections (header first), dropping comments and
 * blank lines. */
static struct block *cut_blocks(const char *text, size_t *count)
{
	struct block *b = NULL;
	size_t n = 0, cap = 0;
	const char *line = text;

	while (*line) {
		size_t len = strcspn(line, "\n");
		char *copy = xstrndup(line, len);

		if (*trim(copy) == '[') {
			xgrow(&b, &cap, n + 1, sizeof(*b));
			memset(&b[n++], 0, sizeof(*b));
		}
		if (*copy && *copy != ';' && *copy != '#' && n) {
			xgrow(&b[n - 1].lines, &b[n - 1].cap, b[n - 1].n + 1, sizeof(char *));
			b[n - 1].lines[b[n - 1].n++] = xstrdup(copy);
		}
		free(copy);
		line += len + (line[len] == '\n');
	}
	*count = n;
	return b;
}

/* perm = 0..n-1, reversed when *x is 0, else shuffled by a fixed LCG (so
 * a failure reproduces). */
static size_t *permutation(size_t n, uint32_t *x)
{
	size_t *perm = xcalloc(n + 1, sizeof(*perm));
	size_t i;

	for (i = 0; i < n; i++)
		perm[i] = *x ? i : n - 1 - i;
	for (i = n; *x && i > 1; i--) {
		size_t k, t;

		*x = *x * 1103515245u + 12345u;
		k = (*x >> 8) % i;
		t = perm[i - 1];
		perm[i - 1] = perm[k];
		perm[k] = t;
	}
	return perm;
}

/* The same profile with its sections, and the lines of each section, in
 * another order (seed 0: reversed). */
static char *reorder(const char *text, uint32_t seed)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n, i, j;
	struct block *b = cut_blocks(text, &n);
	size_t *sections = permutation(n, &seed);

	for (i = 0; i < n; i++) {
		struct block *s = &b[sections[i]];
		size_t *lines = permutation(s->n - 1, &seed);

		sb_addf(&sb, "%s\n", s->lines[0]);
		for (j = 0; j + 1 < s->n; j++)
			sb_addf(&sb, "%s\n", s->lines[1 + lines[j]]);
		sb_adds(&sb, "\n");
		free(lines);
		strlist_free(s->lines, s->n);
	}
	free(sections);
	free(b);
	return sb_detach(&sb);
}

/* plan_format with every "file:line" replaced by "-": lines move when the
 * profile is reordered; nothing else may change. */
static char *format_without_sources(struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		free(plan->ops[i].source);
		plan->ops[i].source = xstrdup("-");
	}
	for (i = 0; i < plan->nwarnings; i++) {
		free(plan->warnings[i].source);
		plan->warnings[i].source = xstrdup("-");
	}
	return format_plan(plan);
}

static char *plan_of_text(const char *file, const char *text)
{
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;
	char *out;

	if (profile_parse_text(file, text, strlen(text), NULL, &p, &d) != SC_OK)
		fail_msg("%s does not parse:\n%s\n%s", file, diag_text(&d), text);
	if (compile_profile(p, &none, &plan, &d) != SC_OK)
		fail_msg("%s does not compile:\n%s", file, diag_text(&d));
	out = format_without_sources(&plan);
	plan_free(&plan);
	profile_free(p);
	return out;
}

static void check_reordering(const char *file, const char *text)
{
	char *want = plan_of_text(file, text);
	uint32_t seed;

	for (seed = 0; seed < 6; seed++) {
		char *moved = reorder(text, seed);
		char *got = plan_of_text(file, moved);

		if (strcmp(want, got)) {
			print_error("%s reordered (seed %u):\n%s\n", file, seed, moved);
			t_golden_diff(file, want, got, "test_compile");
			fail_msg("%s: reordering its lines changed the plan", file);
		}
		free(moved);
		free(got);
	}
	free(want);
}

/* Each built-in, reversed and shuffled five ways. */
static void test_determinism_builtins(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < builtin_profile_count; i++)
		check_reordering(builtin_profiles[i].file_name, builtin_profiles[i].text);
}

static void test_determinism_fixture(void **state)
{
	struct sc_err err = {{0}};
	size_t size;
	char *text = read_file("tests/profiles/everything.ini", 65536, &size, &err);

	(void)state;
	if (!text)
		fail_msg("%s", err.msg);
	check_reordering("everything.ini", text);
	free(text);
}

/* ---- the compiler's checks ---- */

static void test_conflicting_raw_value(void **state)
{
	struct compile_options none = {0};
	struct diag d = {0};
	struct plan plan;

	(void)state;
	assert_int_equal(compile_text("[profile]\nname = t\nsummary = s\n\n"
	                              "[protocol \"TLS 1.2\"]\nclient = enabled\n\n"
	                              "[key \"again\"]\n"
	                              "path = HKLM\\" PROTOCOLS_KEY "TLS 1.2\\Client\n"
	                              "\"Enabled\" = dword:ffffffff\n",
	                              &none, &plan, &d),
	                 SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_true(starts_with(d.lines[0], "t.ini:10: "));
	assert_non_null(strstr(d.lines[0], "also set at t.ini:6"));
	assert_int_equal(plan.nops, 0);
	diag_free(&d);
}

static const char tls13_profile[] = "[profile]\nname = t\nsummary = s\n\n"
                                    "[protocol \"TLS 1.3\"]\nserver = enabled\n";

static void test_tls13_needs_new_windows(void **state)
{
	struct compile_options none = {0};
	struct compile_options old = {.have_os = true, .major = 10, .build = 17763};
	struct compile_options forced = {
	    .have_os = true, .major = 10, .build = 17763, .force = true};
	struct compile_options fresh = {.have_os = true, .major = 10, .build = 20348};
	struct diag d = {0};
	struct plan plan;

	(void)state;
	assert_int_equal(compile_text(tls13_profile, &none, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 1);
	assert_non_null(strstr(plan.warnings[0].text, "20348"));
	plan_free(&plan);
	assert_int_equal(compile_text(tls13_profile, &old, &plan, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_true(starts_with(d.lines[0], "t.ini:6: TLS 1.3 is enabled"));
	diag_free(&d);
	assert_int_equal(compile_text(tls13_profile, &forced, &plan, &d), SC_OK);
	plan_free(&plan);
	assert_int_equal(compile_text(tls13_profile, &fresh, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 0);
	assert_dword(&plan, REG_VIEW_64, PROTOCOLS_KEY "TLS 1.3\\Server", "Enabled", 1);
	plan_free(&plan);
	assert_int_equal(d.count, 0);
}

static void test_applies_to(void **state)
{
	struct compile_options w7 = {.have_os = true, .major = 6, .minor = 1, .build = 7601};
	struct compile_options w7f = {
	    .have_os = true, .major = 6, .minor = 1, .build = 7601, .force = true};
	struct compile_options w2012r2 = {.have_os = true, .major = 6, .minor = 3, .build = 9600};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	(void)state;
	assert_int_equal(profile_load("best-practices", NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &w7, &plan, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.lines[0], "pass --force"));
	diag_free(&d);
	assert_int_equal(compile_profile(p, &w7f, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 1);
	plan_free(&plan);
	assert_int_equal(compile_profile(p, &w2012r2, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 0);
	plan_free(&plan);
	profile_free(p);
}

/* An explicit order creates the list it is for; under where = auto only
 * the local one (the policy list overrides it, so it is only edited). */
static void test_explicit_order_creates(void **state)
{
	static const char base[] = "[profile]\nname = t\nsummary = s\n\n[cipher-suites]\n"
	                           "order = TLS_AES_256_GCM_SHA384 "
	                           "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n";
	struct compile_options none = {0};
	struct diag d = {0};
	struct plan plan;
	char *text;
	size_t n;
	char **out;

	(void)state;
	assert_int_equal(compile_text(base, &none, &plan, &d), SC_OK);
	assert_true(list_op(&plan, SUITES_LOCAL_KEY)->edit.create_if_absent);
	assert_false(list_op(&plan, SUITES_POLICY_KEY)->edit.create_if_absent);
	out = list_edit_apply(&list_op(&plan, SUITES_LOCAL_KEY)->edit, NULL, 0, &n);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "TLS_AES_256_GCM_SHA384");
	strlist_free(out, n);
	assert_int_equal(plan.nwarnings, 1); /* the policy list would override it */
	plan_free(&plan);
	text = xasprintf("%swhere = policy\n", base);
	assert_int_equal(compile_text(text, &none, &plan, &d), SC_OK);
	assert_int_equal(plan.nops, 1);
	assert_true(list_op(&plan, SUITES_POLICY_KEY)->edit.create_if_absent);
	plan_free(&plan);
	free(text);
}

/* An explicit order may only name suites the target Windows release has:
 * TLS 1.3 suites exist from Server 2022 on, curve-suffixed names only up to
 * 2012 R2 (src/suites.c, from Microsoft's per-release pages). */
static void test_order_names_only_suites_the_release_has(void **state)
{
	static const char text[] = "[profile]\nname = t\nsummary = s\n\n[cipher-suites]\n"
	                           "order = TLS_AES_256_GCM_SHA384 "
	                           "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n";
	struct compile_options w2016 = {.have_os = true, .major = 10, .build = 14393};
	struct compile_options w2016f = {
	    .have_os = true, .major = 10, .build = 14393, .force = true};
	struct compile_options w2022 = {.have_os = true, .major = 10, .build = 20348};
	struct compile_options w2012r2 = {.have_os = true, .major = 6, .minor = 3, .build = 9600};
	struct diag d = {0};
	struct plan plan;

	(void)state;
	assert_int_equal(compile_text(text, &w2016, &plan, &d), SC_ERROR);
	assert_int_equal(d.count, 1);
	assert_true(
	    starts_with(d.lines[0], "t.ini:6: order: TLS_AES_256_GCM_SHA384 does not exist"));
	diag_free(&d);
	/* 2012 R2 lacks both: the TLS 1.3 suite and the unsuffixed ECDHE name. */
	assert_int_equal(compile_text(text, &w2012r2, &plan, &d), SC_ERROR);
	assert_int_equal(d.count, 2);
	diag_free(&d);
	assert_int_equal(compile_text(text, &w2016f, &plan, &d), SC_OK);
	assert_non_null(strstr(plan.warnings[0].text, "--force given"));
	plan_free(&plan);
	assert_int_equal(compile_text(text, &w2022, &plan, &d), SC_OK);
	plan_free(&plan);
	assert_int_equal(d.count, 0);
}

/* KB3140245 (WinHTTP) is named on 7 / 2008 R2 / 2012 and KB2977292 (EAP-TLS)
 * on 7 / 8 / 8.1 (KB2977292 lists Windows 8 and Server 2012 too); newer
 * Windows need neither. */
static void test_prerequisites_by_version(void **state)
{
	struct compile_options w7 = {.have_os = true, .major = 6, .minor = 1, .build = 7601};
	struct compile_options w2012 = {.have_os = true, .major = 6, .minor = 2, .build = 9200};
	struct compile_options w10 = {.have_os = true, .major = 10, .build = 19045};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	(void)state;
	assert_int_equal(profile_load("p2s-vpn", NULL, &p, &d), SC_OK);
	assert_int_equal(compile_profile(p, &w7, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 3);
	plan_free(&plan);
	assert_int_equal(compile_profile(p, &w2012, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 3);
	assert_non_null(strstr(plan.warnings[1].text, "KB3140245"));
	assert_non_null(strstr(plan.warnings[2].text, "KB2977292"));
	plan_free(&plan);
	assert_int_equal(compile_profile(p, &w10, &plan, &d), SC_OK);
	assert_int_equal(plan.nwarnings, 1); /* only SSL 3.0 */
	plan_free(&plan);
	profile_free(p);
	assert_int_equal(d.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_plans),
	    cmocka_unit_test(test_schannel_words),
	    cmocka_unit_test(test_created_key_not_removed),
	    cmocka_unit_test(test_golden_files_have_profiles),
	    cmocka_unit_test(test_seed_azure_mma),
	    cmocka_unit_test(test_seed_p2s_vpn),
	    cmocka_unit_test(test_seed_disable_dhe),
	    cmocka_unit_test(test_seed_exchange_2015),
	    cmocka_unit_test(test_seed_tls12_strict),
	    cmocka_unit_test(test_best_practices),
	    cmocka_unit_test(test_section_conditions),
	    cmocka_unit_test(test_builtin_conventions),
	    cmocka_unit_test(test_disable_dhe_lists),
	    cmocka_unit_test(test_disable_dhe_2016),
	    cmocka_unit_test(test_disable_dhe_policy_string),
	    cmocka_unit_test(test_strong_profiles_lists),
	    cmocka_unit_test(test_best_practices_exact_lists),
	    cmocka_unit_test(test_exchange_2015_list),
	    cmocka_unit_test(test_determinism_builtins),
	    cmocka_unit_test(test_determinism_fixture),
	    cmocka_unit_test(test_conflicting_raw_value),
	    cmocka_unit_test(test_tls13_needs_new_windows),
	    cmocka_unit_test(test_applies_to),
	    cmocka_unit_test(test_explicit_order_creates),
	    cmocka_unit_test(test_order_names_only_suites_the_release_has),
	    cmocka_unit_test(test_prerequisites_by_version),
	};

	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
