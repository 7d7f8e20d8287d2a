/* Unit tests for roots.c: the allowlist of documented TLS values (what it
 * allows, what it refuses, how it matches), and the check that everything
 * the vocabulary compiles to is on it. Run from the repository root. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "compile.h"
#include "profile.h"
#include "roots.h"
#include "schema.h"

#define PROTOCOLS SCHANNEL_KEY "\\Protocols\\"
#define KEX       SCHANNEL_KEY "\\KeyExchangeAlgorithms\\"

static void test_documented_values(void **state)
{
	(void)state;
	assert_true(tls_value_allowed(EAP_TLS_KEY, "TlsVersion"));
	assert_true(tls_value_allowed(PROTOCOLS "TLS 1.2\\Client", "Enabled"));
	assert_true(tls_value_allowed(PROTOCOLS "TLS 1.2\\Server", "DisabledByDefault"));
	assert_true(tls_value_allowed(PROTOCOLS "DTLS 1.2\\Client", "Enabled"));
	assert_true(tls_value_allowed(SCHANNEL_KEY "\\Ciphers\\RC4 128/128", "Enabled"));
	assert_true(tls_value_allowed(SCHANNEL_KEY "\\Hashes\\SHA256", "Enabled"));
	assert_true(tls_value_allowed(KEX "ECDH", "Enabled"));
	assert_true(tls_value_allowed(KEX "Diffie-Hellman", "Enabled"));
	assert_true(tls_value_allowed(KEX "Diffie-Hellman", "ServerMinKeyBitLength"));
	assert_true(tls_value_allowed(KEX "Diffie-Hellman", "ClientMinKeyBitLength"));
	assert_true(tls_value_allowed(KEX "PKCS", "ClientMinKeyBitLength"));
	assert_true(tls_value_allowed(SCHANNEL_KEY, "EventLogging"));
	assert_true(tls_value_allowed(SUITES_LOCAL_KEY, "Functions"));
	assert_true(tls_value_allowed(SUITES_POLICY_KEY, "Functions"));
	assert_true(tls_value_allowed(SUITES_POLICY_KEY, "EccCurves"));
	assert_true(tls_value_allowed(DOTNET_KEY "\\v4.0.30319", "SchUseStrongCrypto"));
	assert_true(tls_value_allowed(DOTNET_KEY "\\v2.0.50727", "SystemDefaultTlsVersions"));
	/* any v* version component, not only the two the vocabulary knows */
	assert_true(tls_value_allowed(DOTNET_KEY "\\v4.5", "SchUseStrongCrypto"));
	assert_true(tls_value_allowed(WINHTTP_KEY, "DefaultSecureProtocols"));
	assert_true(tls_value_allowed(FIPS_KEY, "Enabled"));
}

/* The two values that motivated the allowlist, and their neighbours. */
static void test_code_execution_values_refused(void **state)
{
	(void)state;
	assert_false(tls_value_allowed(EAP_TLS_KEY, "Path"));
	assert_false(tls_value_allowed(EAP_TLS_KEY, "ConfigUIPath"));
	assert_false(tls_value_allowed(EAP_TLS_KEY, ""));
	assert_false(tls_value_allowed(DOTNET_KEY, "DbgManagedDebugger"));
	assert_false(tls_value_allowed(DOTNET_KEY, "SchUseStrongCrypto"));
	assert_false(tls_value_allowed(DOTNET_KEY "\\v4.0.30319", "DbgManagedDebugger"));
	assert_false(tls_value_allowed("SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\25",
	                               "TlsVersion"));
}

/* The SChannel-wide values the profile language has words for (schema.c
 * rows) are allowed where Microsoft documents them, and nowhere else. */
static void test_schannel_words_allowed(void **state)
{
	static const char *const names[] = {
	    "CertificateMappingMethods",
	    "SendTrustedIssuerList",
	    "ClientCacheTime",
	    "ServerCacheTime",
	    "MaximumCacheSize",
	    "IssuerCacheSize",
	    "IssuerCacheTime",
	    "EnableOcspStaplingForSni",
	    "AllowInsecureRenegoClients",
	    "AllowInsecureRenegoServers",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!tls_value_allowed(SCHANNEL_KEY, names[i]))
			fail_msg("SCHANNEL \"%s\" is a word: it must be allowed", names[i]);
		if (tls_value_allowed(SCHANNEL_KEY "\\Messaging", names[i]) ||
		    tls_value_allowed(SCHANNEL_KEY "\\Protocols\\TLS 1.2\\Client", names[i]))
			fail_msg("\"%s\" is allowed in the wrong key", names[i]);
	}
	assert_true(tls_value_allowed(SCHANNEL_KEY "\\Messaging", "MessageLimitClient"));
	assert_true(tls_value_allowed(SCHANNEL_KEY "\\Messaging", "MessageLimitServer"));
	assert_true(tls_value_allowed(SCHANNEL_KEY "\\Messaging", "MessageLimitServerClientAuth"));
	assert_false(tls_value_allowed(SCHANNEL_KEY, "MessageLimitClient"));
}

/* Documented on Microsoft's page, but not protocol/cipher choice. */
static void test_non_tls_choice_values_refused(void **state)
{
	(void)state;
	assert_false(tls_value_allowed(SCHANNEL_KEY, "ClientAuthTrustMode"));
	assert_false(tls_value_allowed(SCHANNEL_KEY, "DisableRenegoOnServer"));
	assert_false(
	    tls_value_allowed("SYSTEM\\CurrentControlSet\\Control\\Lsa", "FIPSAlgorithmPolicy"));
	assert_false(tls_value_allowed(SCHANNEL_KEY "\\CipherSuites", "Enabled"));
	/* a value in the wrong key of the right family */
	assert_false(tls_value_allowed(KEX "ECDH", "ServerMinKeyBitLength"));
	assert_false(tls_value_allowed(KEX "PKCS", "ServerMinKeyBitLength"));
	assert_false(tls_value_allowed(SCHANNEL_KEY "\\Ciphers\\NULL", "DisabledByDefault"));
	assert_false(tls_value_allowed(SUITES_LOCAL_KEY, "EccCurves"));
}

static void test_case_insensitive(void **state)
{
	(void)state;
	assert_true(tls_value_allowed("system\\currentcontrolset\\services\\rasman\\ppp\\eap\\13",
	                              "tlsversion"));
	assert_true(tls_value_allowed("SOFTWARE\\MICROSOFT\\.netframework\\V4.0.30319",
	                              "SCHUSESTRONGCRYPTO"));
	assert_true(tls_value_allowed(PROTOCOLS "tls 1.2\\CLIENT", "enabled"));
	assert_true(tls_key_allowed("software\\policies\\microsoft\\cryptography\\"
	                            "configuration\\ssl\\00010002"));
}

/* Components compare whole: neither a longer name nor a prefix matches. */
static void test_whole_components(void **state)
{
	(void)state;
	assert_false(tls_value_allowed(PROTOCOLS "TLS 1.2\\ClientX", "Enabled"));
	assert_false(tls_value_allowed(PROTOCOLS "TLS 1.2\\Clien", "Enabled"));
	assert_false(tls_value_allowed(PROTOCOLS "TLS 1.2\\Client\\Deeper", "Enabled"));
	assert_false(tls_value_allowed(PROTOCOLS "TLS 1.2", "Enabled"));
	assert_false(tls_value_allowed(EAP_TLS_KEY "0", "TlsVersion"));
	assert_false(tls_value_allowed(EAP_TLS_KEY "\\Sub", "TlsVersion"));
	assert_false(tls_value_allowed(SCHANNEL_KEY "X", "EventLogging"));
	assert_false(tls_value_allowed(FIPS_KEY, "EnabledX"));
	assert_false(tls_value_allowed(FIPS_KEY, "Enable"));
	assert_false(tls_value_allowed(FIPS_KEY "\\", "Enabled"));
	/* "v*" needs a version after the v; "*" needs a name */
	assert_false(tls_value_allowed(DOTNET_KEY "\\v", "SchUseStrongCrypto"));
	assert_false(tls_value_allowed(DOTNET_KEY "\\4.0.30319", "SchUseStrongCrypto"));
	assert_false(tls_value_allowed(SCHANNEL_KEY "\\Ciphers\\", "Enabled"));
	assert_false(tls_value_allowed(SCHANNEL_KEY "\\Ciphers", "Enabled"));
	assert_false(tls_value_allowed("", "Enabled"));
}

static void test_keys_and_ancestors(void **state)
{
	(void)state;
	assert_true(tls_key_allowed(EAP_TLS_KEY));
	assert_true(tls_key_allowed(PROTOCOLS "TLS 1.2\\Client"));
	assert_true(tls_key_allowed(SCHANNEL_KEY "\\CipherSuites"));
	assert_true(tls_key_allowed(SCHANNEL_KEY));
	assert_false(tls_key_allowed(PROTOCOLS "TLS 1.2"));
	assert_false(tls_key_allowed(PROTOCOLS "TLS 1.2\\ClientX"));
	assert_true(tls_key_allowed(SCHANNEL_KEY "\\Messaging"));
	assert_false(tls_key_allowed(SCHANNEL_KEY "\\Messaging\\Deep"));
	assert_false(tls_key_allowed(DOTNET_KEY));

	assert_true(tls_key_ancestor("SYSTEM"));
	assert_true(tls_key_ancestor("SOFTWARE"));
	assert_true(tls_key_ancestor("system\\currentcontrolset"));
	assert_true(tls_key_ancestor(SCHANNEL_KEY));
	assert_true(tls_key_ancestor(SCHANNEL_KEY "\\Protocols"));
	assert_true(tls_key_ancestor(PROTOCOLS "TLS 1.2"));
	assert_true(tls_key_ancestor(DOTNET_KEY));
	assert_true(tls_key_ancestor("SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP"));
	assert_false(tls_key_ancestor(EAP_TLS_KEY));
	assert_false(tls_key_ancestor(PROTOCOLS "TLS 1.2\\Client"));
	assert_false(tls_key_ancestor("SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\25"));
	assert_false(tls_key_ancestor("SYSTEM\\Setup"));
	assert_false(tls_key_ancestor(SCHANNEL_KEY "\\Messaging"));
	assert_false(tls_key_ancestor(""));
}

static void test_describe(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	tls_allowlist_describe(&sb, "  ");
	assert_non_null(strstr(sb_str(&sb), "  HKLM\\" PROTOCOLS
	                                    "<name>\\Client: Enabled, DisabledByDefault\n"));
	assert_non_null(strstr(sb_str(&sb), "  HKLM\\" DOTNET_KEY "\\v<name>: SchUseStrongCrypto, "
	                                    "SystemDefaultTlsVersions\n"));
	assert_non_null(strstr(sb_str(&sb), "  HKLM\\" EAP_TLS_KEY ": TlsVersion\n"));
	assert_null(strstr(sb_str(&sb), "Path"));
	sb_reset(&sb);
	assert_int_equal(tls_values_describe(&sb, KEX "Diffie-Hellman"), 4);
	assert_string_equal(sb_str(&sb), "Enabled, ServerMinKeyBitLength, ClientMinKeyBitLength, "
	                                 "ClientMaxKeyBitLength");
	sb_reset(&sb);
	assert_int_equal(tls_values_describe(&sb, PROTOCOLS "TLS 1.2\\ClientX"), 0);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
}

/* The roots keep their meaning for snapshot.c (key-creation bookkeeping). */
static void test_roots_unchanged(void **state)
{
	(void)state;
	assert_true(tls_root_contains(EAP_TLS_KEY "\\Sub"));
	assert_true(tls_root_contains("SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\25"));
	assert_false(tls_root_contains(SCHANNEL_KEY "X"));
	assert_string_equal(tls_root_of(DOTNET_KEY "\\v4.0.30319"), DOTNET_KEY);
	assert_true(tls_root_below("SYSTEM\\CurrentControlSet"));
	assert_false(tls_root_below(SCHANNEL_KEY));
}

/* Every op of a plan lands on the allowlist; fails the test naming the op. */
static void assert_plan_allowlisted(const char *what, const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->name && !tls_value_allowed(op->path, op->name))
			fail_msg("%s: HKLM\\%s \"%s\" (%s) is not on the allowlist", what, op->path,
			         op->name, op->source);
		if (!op->name && !tls_key_allowed(op->path) && !tls_key_ancestor(op->path))
			fail_msg("%s: key HKLM\\%s (%s) is not on the allowlist", what, op->path,
			         op->source);
	}
}

static void compile_and_check(const char *what)
{
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;

	if (profile_load(what, NULL, &p, &d) != SC_OK ||
	    compile_profile(p, &none, &plan, &d) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&d, &sb);
		fail_msg("%s does not compile:\n%s", what, sb_str(&sb));
	}
	assert_true(plan.nops > 0);
	assert_plan_allowlisted(what, &plan);
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
}

/* Everything the vocabulary words compile to needs no --allow-any-key. */
static void test_vocabulary_compiles_to_allowlist(void **state)
{
	size_t i;

	(void)state;
	assert_true(builtin_profile_count >= 6);
	for (i = 0; i < builtin_profile_count; i++) {
		const char *file = builtin_profiles[i].file_name;
		char *name = xstrndup(file, strcspn(file, "."));

		compile_and_check(name);
		free(name);
	}
	compile_and_check("tests/profiles/everything.ini");
}

/* Each word of each vocabulary, set and reset, compiles to the allowlist
 * (the built-ins do not use every cipher, hash or protocol). */
static void test_every_word_allowlisted(void **state)
{
	const struct vocab *const lists[] = {&vocab_ciphers, &vocab_hashes, &vocab_kex};
	const char *const sections[] = {"ciphers", "hashes", "key-exchange"};
	struct strbuf text = STRBUF_INIT;
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct plan plan;
	size_t i, j;

	(void)state;
	sb_adds(&text, "[profile]\nname = words\nsummary = every word\n");
	for (i = 0; i < vocab_protocols.count; i++)
		sb_addf(&text, "[protocol \"%s\"]\nclient = %s\nserver = default\n",
		        vocab_protocols.entries[i].name, i % 2 ? "enabled" : "disabled");
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		sb_addf(&text, "[%s]\n", sections[i]);
		for (j = 0; j < lists[i]->count; j++)
			sb_addf(&text, "%s = %s\n", lists[i]->entries[j].name,
			        j % 3 == 0   ? "default"
			        : j % 3 == 1 ? "enabled"
			                     : "disabled");
	}
	sb_adds(&text,
	        "dh-server-min-bits = default\ndh-client-min-bits = 2048\n"
	        "pkcs-client-min-bits = default\n[schannel]\nEventLogging = default\n"
	        "[cipher-suites]\nwhere = policy\nremove = TLS_DHE_*\necc-curves = default\n"
	        "[dotnet]\nSchUseStrongCrypto = default\nSystemDefaultTlsVersions = 1\n"
	        "[winhttp]\nDefaultSecureProtocols = default\n[eap-tls]\nTlsVersion = default\n"
	        "[fips]\npolicy = default\n");
	if (profile_parse_text("words.ini", text.buf, text.len, NULL, &p, &d) != SC_OK ||
	    compile_profile(p, &none, &plan, &d) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&d, &sb);
		fail_msg("words.ini does not compile:\n%s\n%s", sb_str(&sb), text.buf);
	}
	assert_plan_allowlisted("words.ini", &plan);
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
	sb_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_documented_values),
	    cmocka_unit_test(test_code_execution_values_refused),
	    cmocka_unit_test(test_schannel_words_allowed),
	    cmocka_unit_test(test_non_tls_choice_values_refused),
	    cmocka_unit_test(test_case_insensitive),
	    cmocka_unit_test(test_whole_components),
	    cmocka_unit_test(test_keys_and_ancestors),
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test(test_roots_unchanged),
	    cmocka_unit_test(test_vocabulary_compiles_to_allowlist),
	    cmocka_unit_test(test_every_word_allowlisted),
	};

	return cmocka_run_group_tests_name("roots", tests, NULL, NULL);
}
