/*
 * capture: the profile it writes compiles back to exactly the captured
 * state (capture -> apply on an empty registry -> identical managed
 * values), and applied to another machine it makes that machine's managed
 * values identical.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "backend_mem.h"
#include "capture.h"
#include "compile.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"
#include "roots.h"
#include "schema.h"

/* A state with everything the vocabulary cannot say exactly. */
static const char odd_state[] =
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL]\n"
    "\"EventLogging\"=dword:00000009\n"
    "\"Custom\"=\"x\"\n"
    "\"Unterminated\"=hex(7):41,00,42,00\n"
    "\"NoNul\"=hex(1):41,00\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Protocols\\TLS 1.0\\Client]\n"
    "\"Enabled\"=dword:ffffffff\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Protocols\\TLS 1.1\\Server]\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Protocols\\TLS 1.2\\Client]\n"
    "\"Enabled\"=dword:00000001\n"
    "\"DisabledByDefault\"=dword:00000000\n"
    "\"Extra\"=hex:01,02\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Ciphers\\RC4 128/128]\n"
    "\"Enabled\"=dword:00000001\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Ciphers\\AES 128/128]\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "KeyExchangeAlgorithms\\Diffie-Hellman]\n"
    "\"ServerMinKeyBitLength\"=dword:00000100\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Undocumented\\Deep\\Deeper]\n"
    "\"Limit\"=hex(b):00,80,00,00,00,00,00,00\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration\\"
    "Local\\SSL\\00010002]\n"
    "\"Functions\"=hex(7):41,00,00,00,42,00\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\"
    "00010002]\n"
    "\"Functions\"=\"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_AES_128_CBC_SHA\"\n"
    "\"EccCurves\"=hex(7):4e,00,69,00,73,00,74,00,50,00,33,00,38,00,34,00,00,00,00,00\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\n"
    "\"SchUseStrongCrypto\"=dword:00000001\n"
    "\"SystemDefaultTlsVersions\"=dword:00000001\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\n"
    "\"SchUseStrongCrypto\"=dword:00000001\n"
    "\"SystemDefaultTlsVersions\"=dword:00000002\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\"
    "WinHttp]\n"
    "\"DefaultSecureProtocols\"=dword:00000a00\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\"
    "Internet Settings\\WinHttp]\n"
    "\"DefaultSecureProtocols\"=dword:00000a00\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\n"
    "\"TlsVersion\"=dword:00000c01\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\FipsAlgorithmPolicy]\n"
    "\"Enabled\"=dword:00000000\n";

/* "[HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X]" -> "SOFTWARE\X". */
/* A mem_dump key line "[SOFTWARE\\Wow6432Node\\X]" -> "SOFTWARE\\X" (views are
 * one namespace for the allowlist). */
static void logical_path(const char *header, char *out, size_t size)
{
	const char *p = header + 1;
	size_t n = strlen(p) - 1; /* the ']' */

	if (!strncmp(p, "SOFTWARE\\Wow6432Node\\", 21)) {
		snprintf(out, size, "SOFTWARE\\%.*s", (int)(n - 21), p + 21);
		return;
	}
	snprintf(out, size, "%.*s", (int)n, p);
}

/* The part of a mem_dump capture covers: the documented TLS values
 * (roots.h) under the keys it reads, and the keys that lead to them. */
static bool managed_key(const char *header)
{
	char path[4096];

	logical_path(header, path, sizeof(path));
	return tls_key_allowed(path) || tls_key_ancestor(path);
}

/* A mem_dump value line: `  "Name" TYPE:hex`. */
static bool managed_value(const char *header, const char *line)
{
	char path[4096], name[512];
	const char *end = strstr(line, "\" ");

	if (strncmp(line, "  \"", 3) || !end)
		return false;
	logical_path(header, path, sizeof(path));
	snprintf(name, sizeof(name), "%.*s", (int)(end - line - 3), line + 3);
	return tls_value_allowed(path, name);
}

/* Managed values only; managed SCHANNEL keys (even empty ones) are listed too. */
static char *managed_dump(const struct reg_backend *b)
{
	char *all = t_dump(b), *save = NULL, *line;
	struct strbuf out = STRBUF_INIT;
	char path[4096] = "";

	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '[') {
			snprintf(path, sizeof(path), "%s", line);
			if ((strstr(path, "SecurityProviders\\SCHANNEL") ||
			     strstr(path, "SSL\\00010002")) &&
			    managed_key(path))
				sb_addf(&out, "%s\n", path);
		} else if (managed_key(path) && managed_value(path, line)) {
			sb_addf(&out, "%s %s\n", path, line);
		}
	}
	free(all);
	return sb_detach(&out);
}

static char *capture_text(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct capture_stats st;
	struct sc_err err = {{0}};

	if (capture_profile(b, &(struct capture_options){.source = "test"}, &sb, &st, &err) !=
	    SC_OK)
		fail_msg("capture: %s", err.msg);
	return sb_detach(&sb);
}

/* Applies profile text to b (a transaction with a throwaway snapshot dir). */
static enum apply_status apply_text(const char *text, const struct reg_backend *b)
{
	enum apply_status status;
	struct compile_options none = {0};
	struct diag d = {0};
	struct profile *p = NULL;
	struct apply_result r;
	struct apply_options o = {0};
	struct plan plan;
	char *dir = t_tmpdir("capture");

	if (profile_parse_text("captured.ini", text, strlen(text), NULL, &p, &d) != SC_OK ||
	    compile_profile(p, &none, &plan, &d) != SC_OK) {
		struct strbuf sb = STRBUF_INIT;

		diag_format(&d, &sb);
		fail_msg("captured profile does not compile:\n%s\n--- profile:\n%s", sb_str(&sb),
		         text);
	}
	assert_non_null(dir);
	o = (struct apply_options){
	    .backend = b, .snapshot_dir = dir, .label = {.profile = "captured", .target = "test"}};
	apply_plan(&plan, &o, &r);
	if (r.status != APPLY_DONE && r.status != APPLY_NOTHING)
		fail_msg("apply of the captured profile: status %d: %s", r.status, r.err.msg);
	status = r.status;
	apply_result_free(&r);
	plan_free(&plan);
	profile_free(p);
	diag_free(&d);
	t_remove_tree(dir);
	free(dir);
	return status;
}

static struct reg_backend *load_file(const char *path)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(path, &err);

	if (!b)
		fail_msg("%s", err.msg);
	return b;
}

/* The profile without its "; not captured:" lines (the values left out
 * are not in the copy, so a capture of the copy does not name them). */
static char *without_not_captured(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line + 1) : strlen(line);

		if (!starts_with(line, "; not captured: "))
			sb_add(&sb, line, n);
		line += n;
	}
	return sb_detach(&sb);
}

/* Capture, apply to an empty registry: the managed values are identical,
 * and capturing again gives the same profile. */
/* A copy of a mem registry (through its .reg text). */
static struct reg_backend *clone_of(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_backend *copy;

	regfile_format_mem(b, &sb);
	copy = t_state(sb_str(&sb));
	sb_free(&sb);
	return copy;
}

/* capture(S) applied to S changes nothing; applied to an empty registry it
 * makes S's managed values; captured again it says the same. */
static void round_trip(struct reg_backend *source)
{
	struct reg_backend *empty = mem_backend_new(), *same = clone_of(source);
	char *text = capture_text(source), *again;
	char *want = managed_dump(source), *got;

	if (apply_text(text, same) != APPLY_NOTHING)
		fail_msg("the capture applied to its own source changed it:\n%s", text);
	reg_backend_free(same);
	apply_text(text, empty);
	got = managed_dump(empty);
	assert_string_equal(got, want);
	again = capture_text(empty);
	free(want);
	want = without_not_captured(text);
	assert_string_equal(again, want);
	free(text);
	free(again);
	free(want);
	free(got);
	reg_backend_free(empty);
}

/* ---- the property: capture(S) applied to any T makes T's managed
 * values S's, and applying it again changes nothing ---- */

#define PROTOCOLS_KEY SCHANNEL_KEY "\\Protocols"

/* A small deterministic generator (one stream per case). */
static uint32_t next_rand(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*seed >> 33);
}

static void put_key(struct reg_backend *b, enum reg_view view, const char *path)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK)
		fail_msg("%s", err.msg);
	b->ops->close_key(b, k);
}

static void put_value(struct reg_backend *b, enum reg_view view, const char *path, const char *name,
                      const struct reg_value *v)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    b->ops->write_value(b, k, name, v, &err) != SC_OK)
		fail_msg("%s", err.msg);
	b->ops->close_key(b, k);
}

/* Writes `name` = one of `choices` (0 in a choice list: absent, picked
 * with one chance in n+1). */
static void maybe_dword(struct reg_backend *b, uint64_t *seed, enum reg_view view, const char *path,
                        const char *name, const uint32_t *choices, size_t n)
{
	size_t pick = next_rand(seed) % (n + 1);
	struct reg_value v = {0};

	if (pick == n)
		return;
	regvalue_set_dword(&v, choices[pick]);
	put_value(b, view, path, name, &v);
	regvalue_free(&v);
}

static void gen_protocols(struct reg_backend *b, uint64_t *seed)
{
	static const char *const protos[] = {"SSL 3.0", "TLS 1.0", "TLS 1.2", "TLS 1.3"};
	static const uint32_t enabled[] = {0, 1, 0xFFFFFFFFu}, dbd[] = {0, 1};
	size_t i, side;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		char *key = xasprintf(PROTOCOLS_KEY "\\%s", protos[i]);

		if (next_rand(seed) % 4 == 0)
			put_key(b, REG_VIEW_64, key); /* an empty protocol key */
		for (side = 0; side < 2; side++) {
			char *path = xasprintf("%s\\%s", key, side ? "Server" : "Client");

			if (next_rand(seed) % 5 == 0)
				put_key(b, REG_VIEW_64, path);
			maybe_dword(b, seed, REG_VIEW_64, path, "Enabled", enabled, 3);
			maybe_dword(b, seed, REG_VIEW_64, path, "DisabledByDefault", dbd, 2);
			free(path);
		}
		free(key);
	}
}

static void gen_algorithms(struct reg_backend *b, uint64_t *seed)
{
	static const char *const keys[] = {"Ciphers\\RC4 128/128", "Ciphers\\Triple DES 168",
	                                   "Hashes\\MD5", "KeyExchangeAlgorithms\\Diffie-Hellman",
	                                   "KeyExchangeAlgorithms\\PKCS"};
	static const uint32_t enabled[] = {0, 0xFFFFFFFFu, 1}, bits[] = {2048, 100};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		char *path = xasprintf(SCHANNEL_KEY "\\%s", keys[i]);

		if (next_rand(seed) % 5 == 0)
			put_key(b, REG_VIEW_64, path);
		maybe_dword(b, seed, REG_VIEW_64, path, "Enabled", enabled, 3);
		if (i >= 3)
			maybe_dword(b, seed, REG_VIEW_64, path, "ClientMinKeyBitLength", bits, 2);
		free(path);
	}
}

static void gen_schannel(struct reg_backend *b, uint64_t *seed)
{
	static const uint32_t logging[] = {1, 9}, cache[] = {0, 36000000}, mapping[] = {0x18, 0x20};
	static const uint32_t limit[] = {0x8000};

	maybe_dword(b, seed, REG_VIEW_64, SCHANNEL_KEY, "EventLogging", logging, 2);
	maybe_dword(b, seed, REG_VIEW_64, SCHANNEL_KEY, "ClientCacheTime", cache, 2);
	maybe_dword(b, seed, REG_VIEW_64, SCHANNEL_KEY, "CertificateMappingMethods", mapping, 2);
	maybe_dword(b, seed, REG_VIEW_64, SCHANNEL_KEY "\\Messaging", "MessageLimitClient", limit,
	            1);
}

static void gen_lists(struct reg_backend *b, uint64_t *seed)
{
	static char *suites[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                         "TLS_RSA_WITH_AES_128_CBC_SHA", "NOT_A_SUITE"};
	static char *curves[] = {"NistP384", "curve25519"};
	struct reg_value v = {0};
	uint32_t pick = next_rand(seed) % 3;

	if (pick) {
		regvalue_set_multi_sz(&v, suites, pick == 1 ? 2 : 3);
		put_value(b, REG_VIEW_64, SUITES_LOCAL_KEY, "Functions", &v);
		regvalue_free(&v);
	}
	pick = next_rand(seed) % 4;
	if (pick & 1) {
		regvalue_set_string(&v, RV_SZ,
		                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
		                    "TLS_RSA_WITH_AES_128_CBC_SHA");
		put_value(b, REG_VIEW_64, SUITES_POLICY_KEY, "Functions", &v);
		regvalue_free(&v);
	}
	if (pick & 2) {
		regvalue_set_multi_sz(&v, curves, 2);
		put_value(b, REG_VIEW_64, SUITES_POLICY_KEY, "EccCurves", &v);
		regvalue_free(&v);
	}
}

static void gen_others(struct reg_backend *b, uint64_t *seed)
{
	static const uint32_t flag[] = {0, 1, 2}, winhttp[] = {0xA00, 0x800, 0x1};
	static const uint32_t eap[] = {0xC00, 0xC01}, fips[] = {0, 1};
	static const char *const net[] = {DOTNET_KEY "\\v4.0.30319", DOTNET_KEY "\\v2.0.50727"};
	size_t view, i;

	for (view = 0; view < 2; view++) {
		for (i = 0; i < ARRAY_SIZE(net); i++) {
			maybe_dword(b, seed, (enum reg_view)view, net[i], "SchUseStrongCrypto",
			            flag, 3);
			maybe_dword(b, seed, (enum reg_view)view, net[i],
			            "SystemDefaultTlsVersions", flag, 2);
		}
		maybe_dword(b, seed, (enum reg_view)view, WINHTTP_KEY, "DefaultSecureProtocols",
		            winhttp, 3);
	}
	maybe_dword(b, seed, REG_VIEW_64, EAP_TLS_KEY, "TlsVersion", eap, 2);
	maybe_dword(b, seed, REG_VIEW_64, FIPS_KEY, "Enabled", fips, 2);
}

/* A random machine: the keys stock Windows always has, then a random
 * choice of every kind of managed value, odd ones included. */
static struct reg_backend *random_state(uint64_t seed)
{
	static const char *const stock[] = {
	    PROTOCOLS_KEY, SCHANNEL_KEY "\\Ciphers", SCHANNEL_KEY "\\Hashes",
	    SCHANNEL_KEY "\\KeyExchangeAlgorithms", SUITES_LOCAL_KEY};
	struct reg_backend *b = mem_backend_new();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stock); i++)
		put_key(b, REG_VIEW_64, stock[i]);
	gen_protocols(b, &seed);
	gen_algorithms(b, &seed);
	gen_schannel(b, &seed);
	gen_lists(b, &seed);
	gen_others(b, &seed);
	return b;
}

/* 2000 pairs in the plain suite; the sanitizer suites, which check memory
 * rather than the property, run fewer (scripts/test.sh sets
 * SC_PROPERTY_CASES). */
static size_t property_cases(void)
{
	const char *n = getenv("SC_PROPERTY_CASES");

	return n && atoi(n) > 0 ? (size_t)atoi(n) : 2000;
}

static void check_case(size_t i)
{
	struct reg_backend *s = random_state(2 * i + 1), *t = random_state(2 * i + 2);
	char *text = capture_text(s), *want = managed_dump(s), *got;

	apply_text(text, t);
	got = managed_dump(t);
	if (strcmp(got, want)) {
		FILE *f = fopen("/tmp/sc-property-failure.txt", "w");

		if (f) {
			fprintf(f, "--- S\n%s--- T after\n%s--- capture\n%s", want, got, text);
			fclose(f);
		}
		fail_msg("case %zu: capture(S) applied to T differs from S "
		         "(/tmp/sc-property-failure.txt)",
		         i);
	}
	if (apply_text(text, t) != APPLY_NOTHING)
		fail_msg("case %zu: a second apply changed T again:\n%s", i, text);
	free(got);
	free(want);
	free(text);
	reg_backend_free(s);
	reg_backend_free(t);
}

static void test_property_capture_exact(void **state)
{
	size_t i, n = property_cases();
	const char *tmp = getenv("TMPDIR");
	char *saved = tmp ? xstrdup(tmp) : NULL;

	(void)state;
	/* Each apply flushes a snapshot: in memory when the machine has
	 * /dev/shm, so the cases cost CPU, not disk flushes. */
	if (access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	for (i = 0; i < n; i++)
		check_case(i);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	printf("capture property: %zu random (S, T) pairs\n", n);
}

static void test_round_trip_fixtures(void **state)
{
	static const char *const files[] = {
	    "examples/states/ws2008r2.reg",
	    "examples/states/ws2016-gpo.reg",
	    "tests/fixtures/states/server2016.reg",
	    "tests/fixtures/states/server2019-hardened.reg",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct reg_backend *b = load_file(files[i]);

		round_trip(b);
		reg_backend_free(b);
	}
}

/* The SChannel-wide words (caches, mapping, renegotiation, message
 * limits): said in words when in range, raw when not. */
static const char schannel_words_state[] =
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL]\n"
    "\"ClientCacheTime\"=dword:00000000\n"
    "\"ServerCacheTime\"=dword:0036ee80\n"
    "\"MaximumCacheSize\"=dword:00004e20\n"
    "\"CertificateMappingMethods\"=dword:00000018\n"
    "\"SendTrustedIssuerList\"=dword:00000002\n"
    "\"AllowInsecureRenegoClients\"=dword:00000000\n"
    "\"AllowInsecureRenegoServers\"=dword:00000000\n"
    "\"EnableOcspStaplingForSni\"=dword:00000001\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
    "Messaging]\n"
    "\"MessageLimitClient\"=dword:00010000\n"
    "\"MessageLimitServer\"=dword:01000000\n";

static void test_schannel_words(void **state)
{
	struct reg_backend *b = t_state(schannel_words_state);
	char *text = capture_text(b);

	(void)state;
	assert_non_null(strstr(text, "[schannel]\nEventLogging = default\n"
	                             "CertificateMappingMethods = 0x18\n"
	                             "ClientCacheTime = 0\nServerCacheTime = 3600000\n"
	                             "MaximumCacheSize = 20000\n"));
	assert_non_null(strstr(text, "AllowInsecureRenegoClients = 0\n"));
	assert_non_null(strstr(text, "EnableOcspStaplingForSni = 1\n"));
	assert_non_null(strstr(text, "MessageLimitClient = 65536\n"));
	/* out of range: raw, in its key's section */
	assert_null(strstr(text, "SendTrustedIssuerList = "));
	assert_non_null(strstr(text, "\"SendTrustedIssuerList\" = dword:00000002"));
	assert_non_null(strstr(text, "\"MessageLimitServer\" = dword:01000000"));
	/* absent (its key exists, kept by the values captured there) */
	assert_non_null(strstr(text, "MessageLimitServerClientAuth = default\n"));
	free(text);
	round_trip(b);
	reg_backend_free(b);
}

/* An empty protocol key (common after an IIS Crypto restore): the capture
 * says "default" for its sides and that the key exists; applying it to
 * its source must change nothing, every time. */
static void test_empty_protocol_key(void **state)
{
	struct reg_backend *b =
	    t_state("[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\"
	            "SCHANNEL\\Protocols\\TLS 1.0]\n");

	(void)state;
	round_trip(b);
	reg_backend_free(b);
}

static void test_round_trip_odd_values(void **state)
{
	struct reg_backend *b = t_state(odd_state);
	char *text = capture_text(b);

	(void)state;
	/* In words where exact, raw otherwise; what is not a documented TLS
	 * value is left out, and said so. */
	assert_non_null(strstr(text, "[protocol \"TLS 1.2\"]\nclient = enabled"));
	assert_null(strstr(text, "\"Extra\" = hex:01,02"));
	assert_non_null(strstr(text, "; not captured: HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
	                             "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client "
	                             "\"Extra\" is not a documented TLS value"));
	assert_non_null(strstr(text, "SCHANNEL\\Undocumented\\Deep\\Deeper \"Limit\" is not"));
	assert_non_null(strstr(text, "\"Enabled\" = dword:ffffffff")); /* TLS 1.0 client */
	assert_non_null(strstr(text, "\"DisabledByDefault\" = -"));    /* its missing half */
	assert_non_null(strstr(text, "exists = yes"));                 /* empty keys */
	assert_non_null(strstr(text, "malformed = yes"));              /* bad strings */
	assert_non_null(strstr(text, "\"Functions\" = hex(7):41,00,00,00,42,00"));
	assert_non_null(strstr(text, "SCHANNEL \"Unterminated\" is not a documented TLS value"));
	assert_non_null(strstr(text, "\"EventLogging\" = dword:00000009"));
	assert_non_null(strstr(text, "\"TlsVersion\" = dword:00000c01")); /* unknown bit */
	assert_non_null(strstr(text, "policy = disabled"));
	assert_non_null(strstr(text, "DefaultSecureProtocols = 0xa00"));
	assert_non_null(strstr(text, "\"Functions\" = hex(7):")); /* unknown suite names */
	{
		struct capture_stats st;
		struct strbuf sb = STRBUF_INIT;
		struct sc_err err = {{0}};

		assert_int_equal(
		    capture_profile(b, &(struct capture_options){.source = "test"}, &sb, &st, &err),
		    SC_OK);
		assert_int_equal(st.skipped, 5); /* Custom, Unterminated, NoNul, Extra, Limit */
		sb_free(&sb);
	}
	free(text);
	round_trip(b);
	reg_backend_free(b);
}

/* Cloning: the captured profile applied to another machine makes its
 * managed values those of the source (both have a local suite list). */
static void test_clone_onto_other_machine(void **state)
{
	struct reg_backend *src = load_file("tests/fixtures/states/server2019-hardened.reg");
	struct reg_backend *dst = load_file("examples/states/ws2016-gpo.reg");
	char *text = capture_text(src), *want, *got;

	(void)state;
	apply_text(text, dst);
	want = managed_dump(src);
	got = managed_dump(dst);
	/* The source has no Group Policy list; capture leaves the target's
	 * alone (it is Group Policy's), so compare without that key. */
	{
		char *p;

		while ((p = strstr(got, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies")) ||
		       (p = strstr(got, "[SOFTWARE\\Policies")))
			memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	}
	assert_string_equal(got, want);
	free(text);
	free(want);
	free(got);
	reg_backend_free(src);
	reg_backend_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_fixtures),
	    cmocka_unit_test(test_round_trip_odd_values),
	    cmocka_unit_test(test_schannel_words),
	    cmocka_unit_test(test_empty_protocol_key),
	    cmocka_unit_test(test_property_capture_exact),
	    cmocka_unit_test(test_clone_onto_other_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
