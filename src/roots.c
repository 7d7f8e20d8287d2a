/*
 * roots.c - the allowlist of documented TLS values, and the TLS-related
 * roots (see roots.h). docs/allowlist.md explains every row and what was
 * left out on purpose.
 */
#include "roots.h"

#include <string.h>

#include "schema.h"

/* One row: a key pattern and the value names Microsoft documents there. */
struct allow_row {
	const char *key;
	const char *const *names; /* NULL-terminated */
};

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})
/* A key that exists on stock Windows and is documented without values:
 * it may be created empty (capture records it so), never given a value. */
#define KEY_ONLY  ((const char *const[]){NULL})
#define PROTOCOLS SCHANNEL_KEY "\\Protocols\\*"
#define KEX       SCHANNEL_KEY "\\KeyExchangeAlgorithms"

/*
 * Sources, by row. Everything else on those pages (client-certificate
 * mapping and trust, session caches, OCSP stapling, handshake message
 * limits) is deliberately absent: it is not the choice of protocol,
 * cipher or key exchange, and changing it changes who is authenticated
 * or how much memory LSASS spends (docs/allowlist.md). The table is kept
 * out of clang-format, which indents braced lists with spaces.
 */
/* clang-format off */
static const struct allow_row allowlist[] = {
	/* "Transport Layer Security (TLS) registry settings", section
	 * "SChannel logging"; KB260729 "How to enable Schannel event logging"
	 * (support.microsoft.com/kb/260729). */
	{SCHANNEL_KEY, NAMES("EventLogging")},
	/* "Transport Layer Security (TLS) registry settings", section
	 * "CipherSuites": suites are configured through the cipher-suite
	 * order, never by values here. */
	{SCHANNEL_KEY "\\CipherSuites", KEY_ONLY},
	/* "Transport Layer Security (TLS) registry settings", section "TLS,
	 * DTLS, and SSL protocol version settings"
	 * (learn.microsoft.com/windows-server/security/tls/tls-registry-settings). */
	{PROTOCOLS "\\Client", NAMES("Enabled", "DisabledByDefault")},
	{PROTOCOLS "\\Server", NAMES("Enabled", "DisabledByDefault")},
	/* KB245030 "How to restrict the use of certain cryptographic
	 * algorithms and protocols in Schannel.dll"
	 * (support.microsoft.com/kb/245030): Ciphers, Hashes and
	 * KeyExchangeAlgorithms subkeys, each with Enabled. */
	{SCHANNEL_KEY "\\Ciphers\\*", NAMES("Enabled")},
	{SCHANNEL_KEY "\\Hashes\\*", NAMES("Enabled")},
	{KEX "\\*", NAMES("Enabled")},
	/* "Transport Layer Security (TLS) registry settings", sections
	 * "KeyExchangeAlgorithm - Diffie-Hellman key sizes" and
	 * "KeyExchangeAlgorithm - Client RSA key sizes". */
	{KEX "\\Diffie-Hellman",
	 NAMES("ServerMinKeyBitLength", "ClientMinKeyBitLength", "ClientMaxKeyBitLength")},
	{KEX "\\PKCS", NAMES("ClientMinKeyBitLength", "ClientMaxKeyBitLength")},
	/* "Manage Transport Layer Security (TLS)", "Configuring TLS Cipher
	 * Suite Order" (learn.microsoft.com/windows-server/security/tls/manage-tls)
	 * and "Prioritizing Schannel Cipher Suites"
	 * (learn.microsoft.com/windows/win32/secauthn/prioritizing-schannel-cipher-suites):
	 * the local list that the CNG functions edit. */
	{SUITES_LOCAL_KEY, NAMES("Functions")},
	/* "Policy CSP - ADMX_CipherSuiteOrder"
	 * (learn.microsoft.com/windows/client-management/mdm/policy-csp-admx-ciphersuiteorder):
	 * SSLCipherSuiteOrder and SSLCurveOrder both live in this key;
	 * CipherSuiteOrder.admx names the values Functions and EccCurves. */
	{SUITES_POLICY_KEY, NAMES("Functions", "EccCurves")},
	/* "Transport Layer Security (TLS) best practices with the .NET
	 * Framework", "Configuring security via the Windows Registry"
	 * (learn.microsoft.com/dotnet/framework/network-programming/tls). */
	{DOTNET_KEY "\\v*", NAMES("SchUseStrongCrypto", "SystemDefaultTlsVersions")},
	/* KB3140245 "Update to enable TLS 1.1 and TLS 1.2 as default secure
	 * protocols in WinHTTP in Windows" (support.microsoft.com/help/3140245). */
	{WINHTTP_KEY, NAMES("DefaultSecureProtocols")},
	/* KB2977292 "Microsoft Security Advisory: Update for Microsoft EAP
	 * implementation that enables the use of TLS"
	 * (support.microsoft.com/kb/2977292); KB3121002. */
	{EAP_TLS_KEY, NAMES("TlsVersion")},
	/* "System cryptography: Use FIPS compliant algorithms for encryption,
	 * hashing, and signing" (learn.microsoft.com/windows/security/
	 * threat-protection/security-policy-settings/system-cryptography-use-
	 * fips-compliant-algorithms-for-encryption-hashing-and-signing); the
	 * value's path: "Create and configure a self-hosted integration
	 * runtime" (learn.microsoft.com/azure/data-factory/
	 * create-self-hosted-integration-runtime). */
	{FIPS_KEY, NAMES("Enabled")},
};
/* clang-format on */

enum relation { REL_NONE, REL_EQUAL, REL_ANCESTOR };

/* One pattern component against one key name: "*" matches any name,
 * "v*" any name starting with "v" and longer than it, anything else only
 * itself (case-insensitive). */
static bool component_matches(const char *pat, size_t plen, const char *name, size_t nlen)
{
	if (plen && pat[plen - 1] == '*')
		return nlen > plen - 1 && !strncmp_ci(pat, name, plen - 1);
	return nlen == plen && !strncmp_ci(pat, name, plen);
}

/* Walks path and pattern component by component. */
static enum relation relate(const char *path, const char *pattern)
{
	for (;;) {
		size_t plen = strcspn(pattern, "\\"), nlen = strcspn(path, "\\");

		if (!component_matches(pattern, plen, path, nlen))
			return REL_NONE;
		pattern += plen;
		path += nlen;
		if (!*path)
			return *pattern ? REL_ANCESTOR : REL_EQUAL;
		if (!*pattern)
			return REL_NONE; /* path is below the key */
		pattern++;
		path++;
	}
}

static bool row_has(const struct allow_row *r, const char *name)
{
	size_t i;

	for (i = 0; r->names[i]; i++)
		if (streq_ci(r->names[i], name))
			return true;
	return false;
}

bool tls_value_allowed(const char *path, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(allowlist); i++)
		if (relate(path, allowlist[i].key) == REL_EQUAL && row_has(&allowlist[i], name))
			return true;
	return false;
}

static bool any_row(const char *path, enum relation want)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(allowlist); i++)
		if (relate(path, allowlist[i].key) == want)
			return true;
	return false;
}

bool tls_key_allowed(const char *path)
{
	return any_row(path, REL_EQUAL);
}

bool tls_key_ancestor(const char *path)
{
	return any_row(path, REL_ANCESTOR);
}

size_t tls_values_describe(struct strbuf *sb, const char *path)
{
	size_t i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(allowlist); i++) {
		if (relate(path, allowlist[i].key) != REL_EQUAL)
			continue;
		for (j = 0; allowlist[i].names[j]; j++)
			sb_addf(sb, "%s%s", n++ ? ", " : "", allowlist[i].names[j]);
	}
	return n;
}

/* A pattern in words: "*" -> "<name>", "v*" -> "v<name>". */
static void describe_key(struct strbuf *sb, const char *pattern)
{
	for (; *pattern; pattern++) {
		if (*pattern == '*')
			sb_adds(sb, "<name>");
		else
			sb_addc(sb, *pattern);
	}
}

void tls_allowlist_describe(struct strbuf *sb, const char *indent)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(allowlist); i++) {
		sb_addf(sb, "%sHKLM\\", indent);
		describe_key(sb, allowlist[i].key);
		if (!allowlist[i].names[0])
			sb_adds(sb, ": the key only, no values");
		for (j = 0; allowlist[i].names[j]; j++)
			sb_addf(sb, "%s%s", j ? ", " : ": ", allowlist[i].names[j]);
		sb_addc(sb, '\n');
	}
}

/* ---- the TLS-related roots ---- */

/* The subtrees the allowlist's keys live in. */
static const char *const tls_roots[] = {
    SCHANNEL_KEY,
    "SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration",
    "SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration",
    DOTNET_KEY,
    WINHTTP_KEY,
    "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP",
    FIPS_KEY,
};

/* True if `inner` is `outer` or below it (whole components). */
static bool within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	return starts_with_ci(inner, outer) && (inner[n] == '\0' || inner[n] == '\\');
}

const char *tls_root_of(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		if (within(path, tls_roots[i]))
			return tls_roots[i];
	return NULL;
}

bool tls_root_contains(const char *path)
{
	return tls_root_of(path) != NULL;
}

bool tls_root_below(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		if (strlen(path) < strlen(tls_roots[i]) && within(tls_roots[i], path))
			return true;
	return false;
}

void tls_roots_describe(struct strbuf *sb, const char *indent)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		sb_addf(sb, "%sHKLM\\%s\n", indent, tls_roots[i]);
}
