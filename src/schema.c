/*
 * schema.c - the profile language table, and the registry mapping of
 * every key (the codec). Each row cites the Microsoft page of its value in
 * map.ref; the pages:
 *   REF_TLS   "Transport Layer Security (TLS) registry settings",
 *             learn.microsoft.com/windows-server/security/tls/tls-registry-settings:
 *             Protocols, Ciphers, Hashes, KeyExchangeAlgorithms, DH/PKCS key
 *             sizes, EventLogging, session caches, issuer cache,
 *             SendTrustedIssuerList, EnableOcspStaplingForSni, Messaging.
 *   KB245030  cipher/hash/key-exchange "Enabled" = 0xffffffff convention.
 *   KB3140245 WinHTTP DefaultSecureProtocols bits.
 *   KB2977292 EAP-TLS TlsVersion bits (seed 001).
 *   KB5014754 "Certificate-based authentication changes on Windows domain
 *             controllers": CertificateMappingMethods bits.
 *   KB977377  "Vulnerability in TLS/SSL could allow spoofing":
 *             AllowInsecureRenegoClients / AllowInsecureRenegoServers.
 *   NET       ".NET Framework TLS best practices": SchUseStrongCrypto,
 *             SystemDefaultTlsVersions (seed 000).
 *   ORDER     "Prioritizing Schannel Cipher Suites" and seed 003: the local
 *             Functions list (REG_MULTI_SZ) and the Group Policy one (REG_SZ,
 *             comma separated, at most 1023 characters, overrides the local).
 *   PROTO     "Protocols in TLS/SSL (Schannel SSP)",
 *             learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-:
 *             which protocol is on by default on which release (the notes).
 * docs/allowlist.md lists every value with its page; roots.c allows every
 * mapped value of this table.
 */
#include "schema.h"

#include <string.h>

#include "util.h"

#define VOCAB(what, array)                                                                         \
	{                                                                                          \
		what, array, ARRAY_SIZE(array)                                                     \
	}

static const struct vocab_entry protocols[] = {
    {"PCT 1.0", "PCT1.0", 0, 0, "legacy; off by default on every supported Windows", 0, NULL},
    {"SSL 2.0", "SSL2.0", 0x8, 0,
     "insecure; its server side is on by default on Vista / 2008 / 7 / 2008 R2, off from 8 / 2012",
     0, NULL},
    {"SSL 3.0", "SSL3.0", 0x20, 0, "insecure (POODLE); turn off everywhere", 0, NULL},
    {"TLS 1.0", "TLS1.0", 0x80, 0xC0, "deprecated; still needed by some old clients", 0, NULL},
    {"TLS 1.1", "TLS1.1", 0x200, 0x300, "deprecated", 0, NULL},
    {"TLS 1.2", "TLS1.2", 0x800, 0xC00,
     "on by default since Windows 8 / 2012; off, client and server, on 7 / 2008 R2", 0, NULL},
    {"TLS 1.3", "TLS1.3", 0x2000, 0,
     "exists only on Windows 11 / Server 2022 (build 20348) and later", 0, NULL},
    {"DTLS 1.0", "DTLS1.0", 0, 0, NULL, 0, NULL},
    {"DTLS 1.2", "DTLS1.2", 0, 0, NULL, 0, NULL},
    {"Multi-Protocol Unified Hello", NULL, 0, 0, "legacy SSL 2.0-compatible hello", 0, NULL},
};

/* Key names exactly as SChannel reads them; '/' is part of the name. */
static const struct vocab_entry ciphers[] = {
    {"NULL", NULL, 0, 0, "no encryption", 0, NULL},
    {"DES 56/56", NULL, 0, 0, "weak", 0, NULL},
    {"RC2 40/128", NULL, 0, 0, "weak (export)", 0, NULL},
    {"RC2 56/128", NULL, 0, 0, "weak", 0, NULL},
    {"RC2 128/128", NULL, 0, 0, "weak", 0, NULL},
    {"RC4 40/128", NULL, 0, 0, "weak (export)", 0, NULL},
    {"RC4 56/128", NULL, 0, 0, "weak", 0, NULL},
    {"RC4 64/128", NULL, 0, 0, "weak", 0, NULL},
    {"RC4 128/128", NULL, 0, 0, "weak (RFC 7465 forbids RC4 in TLS)", 0, NULL},
    {"Triple DES 168", NULL, 0, 0, "64-bit block (Sweet32); Vista and later", 0, NULL},
    {"Triple DES 168/168", NULL, 0, 0, "the pre-Vista name of Triple DES 168 (KB245030)", 0, NULL},
    {"AES 128/128", NULL, 0, 0, NULL, 0, NULL},
    {"AES 256/256", NULL, 0, 0, NULL, 0, NULL},
};

static const struct vocab_entry hashes[] = {
    {"MD5", NULL, 0, 0, "weak", 0, NULL},  {"SHA", NULL, 0, 0, "SHA-1", 0, NULL},
    {"SHA256", NULL, 0, 0, NULL, 0, NULL}, {"SHA384", NULL, 0, 0, NULL, 0, NULL},
    {"SHA512", NULL, 0, 0, NULL, 0, NULL},
};

static const struct vocab_entry kex[] = {
    {"Diffie-Hellman", "DH", 0, 0, "finite-field DHE (also the TLS_DHE_* suites)", 0, NULL},
    {"ECDH", NULL, 0, 0, "elliptic-curve (EC)DHE", 0, NULL},
    {"PKCS", NULL, 0, 0, "RSA key exchange", 0, NULL},
};

/* KB5014754, "Schannel registry key": the CertificateMappingMethods bits. */
static const struct vocab_entry cert_mapping[] = {
    {"subject-issuer", NULL, 0, 0, "Subject/Issuer mapping (weak)", 0x1,
     "Subject/Issuer mapping is weak (KB5014754): not allowed by default"},
    {"issuer", NULL, 0, 0, "Issuer mapping (weak)", 0x2,
     "Issuer mapping is weak (KB5014754): not allowed by default"},
    {"upn", NULL, 0, 0, "UPN mapping (weak)", 0x4,
     "UPN mapping is weak (KB5014754): a certificate can map to an account it was not "
     "issued for"},
    {"s4u2self", NULL, 0, 0, "S4U2Self mapping (strong; default with 0x10)", 0x8, NULL},
    {"s4u2self-explicit", NULL, 0, 0, "S4U2Self explicit mapping (strong)", 0x10, NULL},
};

static const struct vocab_entry dotnet_versions[] = {
    {"v2.0.50727", "v2", 0, 0, ".NET Framework 2.0-3.5", 0, NULL},
    {"v4.0.30319", "v4", 0, 0, ".NET Framework 4.x", 0, NULL},
};

const struct vocab vocab_protocols = VOCAB("protocol", protocols);
const struct vocab vocab_ciphers = VOCAB("cipher", ciphers);
const struct vocab vocab_hashes = VOCAB("hash", hashes);
const struct vocab vocab_kex = VOCAB("key-exchange algorithm", kex);
const struct vocab vocab_dotnet_versions = VOCAB(".NET version", dotnet_versions);
const struct vocab vocab_cert_mapping = VOCAB("certificate mapping method", cert_mapping);

const struct vocab_entry *vocab_find(const struct vocab *v, const char *word, size_t *index)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		const struct vocab_entry *e = &v->entries[i];

		if (streq_ci(e->name, word) || (e->alias && streq_ci(e->alias, word))) {
			if (index)
				*index = i;
			return e;
		}
	}
	return NULL;
}

void vocab_list(const struct vocab *v, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		sb_addf(sb, "%s\"%s\"", i ? ", " : "", v->entries[i].name);
}

#define KEYS(array) array, ARRAY_SIZE(array)

#define REF_TLS                                                                                    \
	"Transport Layer Security (TLS) registry settings, "                                       \
	"learn.microsoft.com/windows-server/security/tls/tls-registry-settings"
#define REF_KB245030  "KB245030, support.microsoft.com/kb/245030"
#define REF_KB3140245 "KB3140245, support.microsoft.com/help/3140245"
#define REF_KB2977292 "KB2977292, support.microsoft.com/kb/2977292"
#define REF_KB5014754 "KB5014754, support.microsoft.com/help/5014754"
#define REF_KB977377  "KB977377, support.microsoft.com/kb/977377"
#define REF_NET                                                                                    \
	"Transport Layer Security (TLS) best practices with the .NET Framework, "                  \
	"learn.microsoft.com/dotnet/framework/network-programming/tls"
#define REF_ORDER                                                                                  \
	"Prioritizing Schannel Cipher Suites, "                                                    \
	"learn.microsoft.com/windows/win32/secauthn/prioritizing-schannel-cipher-suites"
#define REF_ADMX                                                                                   \
	"Policy CSP - ADMX_CipherSuiteOrder, "                                                     \
	"learn.microsoft.com/windows/client-management/mdm/policy-csp-admx-ciphersuiteorder"
#define REF_FIPS                                                                                   \
	"System cryptography: Use FIPS compliant algorithms, learn.microsoft.com/windows/"         \
	"security/threat-protection/security-policy-settings/system-cryptography-use-fips-"        \
	"compliant-algorithms-for-encryption-hashing-and-signing"

#define KEX_KEY   SCHANNEL_KEY "\\KeyExchangeAlgorithms"
#define MSG_KEY   SCHANNEL_KEY "\\Messaging"
#define DWORD_MAX 0xFFFFFFFFu

/* The rows are kept out of clang-format, which lines designated
 * initializers up badly. */
/* clang-format off */
/* "rule = ID" in any section that sets something: the rule of the
 * document a baseline implements (e.g. "nist-800-52r2:3.1") that the
 * section's settings come from (profile.c). One per section, wherever it
 * stands: a plan does not depend on the order of lines (compile.h). */
#define RULE_ROW                                                                             \
	{"rule", NULL, VK_RULE, ST_NONE, KEY_OPTION,                                           \
	 "the baseline rule this section implements (shown by show and check)", {0}}

static const struct key_def profile_keys[] = {
	{"name", NULL, VK_WORDS, ST_NONE, KEY_REQUIRED,
	 "the profile's name: lower-case letters, digits, '-' and '.'", {0}},
	{"aliases", NULL, VK_WORDS, ST_NONE, 0, "other names it can be called by", {0}},
	{"summary", NULL, VK_TEXT, ST_NONE, KEY_REQUIRED, "one line: what it is for", {0}},
	{"reference", NULL, VK_TEXT, ST_NONE, KEY_REPEATABLE,
	 "where the values come from (a Microsoft page or a seed); repeatable", {0}},
	{"note", NULL, VK_TEXT, ST_NONE, KEY_REPEATABLE,
	 "a remark show prints (e.g. where the profile differs from common advice); repeatable",
	 {0}},
	{"include", NULL, VK_WORDS, ST_NONE, 0,
	 "built-in profiles, or NAME.ini files in the same folder, whose settings this one "
	 "starts from (its own settings win)", {0}},
	{"applies-to", NULL, VK_APPLIES_TO, ST_NONE, 0,
	 "Windows versions the profile is meant for, e.g. \"windows >= 6.1\" or "
	 "\"build >= 20348\"; apply refuses other versions unless --force", {0}},
	{"baseline", NULL, VK_TEXT, ST_NONE, 0,
	 "marks a baseline: the name and version of the document it implements (e.g. \"NIST SP "
	 "800-52 Rev. 2 (2019-08)\"); check reports its findings by rule", {0}},
};

static const struct key_def protocol_keys[] = {
	{"client", NULL, VK_STATE, ST_PROTOCOL, 0,
	 "the protocol when this machine is the TLS client",
	 {CODEC_STATE_PAIR, SCHANNEL_KEY "\\Protocols\\<ARG>\\Client", "Enabled",
	  "DisabledByDefault", .area = AREA_PROTOCOLS, .rmkeys = 2, .ref = REF_TLS}},
	{"server", NULL, VK_STATE, ST_PROTOCOL, 0,
	 "the protocol when this machine is the TLS server",
	 {CODEC_STATE_PAIR, SCHANNEL_KEY "\\Protocols\\<ARG>\\Server", "Enabled",
	  "DisabledByDefault", .area = AREA_PROTOCOLS, .rmkeys = 2, .ref = REF_TLS}},
	RULE_ROW,
};

static const struct key_def cipher_keys[] = {
	{NULL, &vocab_ciphers, VK_STATE, ST_CIPHER, 0,
	 "a bulk cipher: enabled (0xffffffff), disabled (0) or default (value removed)",
	 {CODEC_ALL_BITS, SCHANNEL_KEY "\\Ciphers\\<WORD>", "Enabled", .area = AREA_CIPHERS,
	  .rmkeys = 1, .ref = REF_KB245030}},
	RULE_ROW,
};

static const struct key_def hash_keys[] = {
	{NULL, &vocab_hashes, VK_STATE, ST_HASH, 0,
	 "a hash: enabled (0xffffffff), disabled (0) or default (value removed)",
	 {CODEC_ALL_BITS, SCHANNEL_KEY "\\Hashes\\<WORD>", "Enabled", .area = AREA_HASHES,
	  .rmkeys = 1, .ref = REF_KB245030}},
	RULE_ROW,
};

#define KEY_BITS(key, value)                                                                 \
	{CODEC_DWORD, KEX_KEY "\\" key, value, .min = 512, .max = 16384,                      \
	 .area = AREA_KEY_EXCHANGE, .rmkeys = 1, .effect = "minimum key size in bits",        \
	 .ref = REF_TLS}

static const struct key_def kex_keys[] = {
	{NULL, &vocab_kex, VK_STATE, ST_KEX, 0,
	 "a key-exchange algorithm: enabled (0xffffffff), disabled (0) or default",
	 {CODEC_ALL_BITS, KEX_KEY "\\<WORD>", "Enabled", .area = AREA_KEY_EXCHANGE, .rmkeys = 1,
	  .ref = REF_KB245030}},
	{"dh-server-min-bits", NULL, VK_NUMBER, ST_KEX_BITS, 0,
	 "smallest Diffie-Hellman group the server offers (Windows 10+ default 2048)",
	 KEY_BITS("Diffie-Hellman", "ServerMinKeyBitLength")},
	{"dh-client-min-bits", NULL, VK_NUMBER, ST_KEX_BITS, 0,
	 "smallest Diffie-Hellman group the client accepts (Windows 10+ default 1024)",
	 KEY_BITS("Diffie-Hellman", "ClientMinKeyBitLength")},
	{"pkcs-client-min-bits", NULL, VK_NUMBER, ST_KEX_BITS, 0,
	 "smallest RSA key the client accepts",
	 KEY_BITS("PKCS", "ClientMinKeyBitLength")},
	RULE_ROW,
};

/* One DWORD of the SCHANNEL key (or its Messaging subkey). */
#define SCHANNEL_DWORD(key, value, lo, hi, rm, what, page)                                   \
	{CODEC_DWORD, key, value, .min = lo, .max = hi, .area = AREA_SCHANNEL, .rmkeys = rm,  \
	 .effect = what, .ref = page}

static const struct key_def schannel_keys[] = {
	{"EventLogging", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "what SChannel logs to the System log: bitmask 0-7 (1 errors, 2 warnings, 4 info)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "EventLogging", 0, 7, 0, "what SChannel logs", REF_TLS)},
	{"CertificateMappingMethods", NULL, VK_MASK, ST_SCHANNEL, 0,
	 "how client certificates are mapped to accounts: method names or a number "
	 "(Windows' default 0x18: s4u2self s4u2self-explicit)",
	 {CODEC_MASK, SCHANNEL_KEY, "CertificateMappingMethods", .bits = &vocab_cert_mapping,
	  .field = BITS_OWN, .bits_what = "SChannel", .area = AREA_SCHANNEL,
	  .effect = "how client certificates are mapped to accounts", .ref = REF_KB5014754}},
	{"ClientCacheTime", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "milliseconds a client keeps a TLS session for reuse; 0 turns the cache off "
	 "(default 10 hours)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "ClientCacheTime", 0, DWORD_MAX, 0,
	                "client session-cache lifetime (ms)", REF_TLS)},
	{"ServerCacheTime", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "milliseconds a server keeps a TLS session for reuse; 0 turns the cache off "
	 "(default 10 hours)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "ServerCacheTime", 0, DWORD_MAX, 0,
	                "server session-cache lifetime (ms)", REF_TLS)},
	{"MaximumCacheSize", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "most session-cache elements (default 20000, 2-4 KB of LSASS memory each); 0 turns "
	 "the server cache off",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "MaximumCacheSize", 0, DWORD_MAX, 0,
	                "most session-cache elements", REF_TLS)},
	{"IssuerCacheSize", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "size of the cache of issuers that map to no account (default 100)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "IssuerCacheSize", 0, DWORD_MAX, 0,
	                "issuer-mapping negative cache size", REF_TLS)},
	{"IssuerCacheTime", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "milliseconds an issuer that maps to no account stays cached (default 10 minutes)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "IssuerCacheTime", 0, DWORD_MAX, 0,
	                "issuer-mapping negative cache lifetime (ms)", REF_TLS)},
	{"SendTrustedIssuerList", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "1: a server asking for a client certificate sends its trusted issuers (default 0 "
	 "since Windows 8 / 2012, 1 before)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "SendTrustedIssuerList", 0, 1, 0,
	                "whether the trusted issuer list is sent", REF_TLS)},
	{"EnableOcspStaplingForSni", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "1: OCSP stapling also for SNI and Centralized Certificate Store bindings (Windows 8 "
	 "/ 2012 and later; may cost performance)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "EnableOcspStaplingForSni", 0, 1, 0,
	                "OCSP stapling for SNI / CCS bindings", REF_TLS)},
	{"AllowInsecureRenegoClients", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "0: this machine's TLS servers refuse clients that do not support secure "
	 "renegotiation (RFC 5746)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "AllowInsecureRenegoClients", 0, 1, 0,
	                "clients without secure renegotiation allowed when 1", REF_KB977377)},
	{"AllowInsecureRenegoServers", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "0: this machine's TLS clients refuse servers that do not support secure "
	 "renegotiation (RFC 5746)",
	 SCHANNEL_DWORD(SCHANNEL_KEY, "AllowInsecureRenegoServers", 0, 1, 0,
	                "servers without secure renegotiation allowed when 1", REF_KB977377)},
	{"MessageLimitClient", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "largest fragmented handshake message a TLS client accepts, in bytes (default "
	 "0x8000; 0 refuses fragmented messages, which breaks the RFCs)",
	 SCHANNEL_DWORD(MSG_KEY, "MessageLimitClient", 0, 0xFFFFFF, 1,
	                "largest fragmented handshake message (client)", REF_TLS)},
	{"MessageLimitServer", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "the same for a TLS server without client authentication (default 0x4000)",
	 SCHANNEL_DWORD(MSG_KEY, "MessageLimitServer", 0, 0xFFFFFF, 1,
	                "largest fragmented handshake message (server)", REF_TLS)},
	{"MessageLimitServerClientAuth", NULL, VK_NUMBER, ST_SCHANNEL, 0,
	 "the same for a TLS server with client authentication (default 0x8000)",
	 SCHANNEL_DWORD(MSG_KEY, "MessageLimitServerClientAuth", 0, 0xFFFFFF, 1,
	                "largest fragmented handshake message (server, client auth)",
	                REF_TLS)},
	RULE_ROW,
};

static const struct key_def suite_keys[] = {
	{"remove", NULL, VK_SUITE_PATTERNS, ST_SUITES, 0,
	 "suites to take out of the list; '*' matches any run of characters",
	 {CODEC_SUITES, SUITES_LOCAL_KEY, "Functions", .area = AREA_SUITES, .ref = REF_ORDER}},
	{"prefer", NULL, VK_SUITE_PATTERNS, ST_SUITES, 0,
	 "suites to move to the front, pattern by pattern, keeping their relative order",
	 {CODEC_SUITES, SUITES_LOCAL_KEY, "Functions", .area = AREA_SUITES, .ref = REF_ORDER}},
	{"order", NULL, VK_SUITE_LIST, ST_SUITES, 0,
	 "the complete list, in order (replaces the current one)",
	 {CODEC_SUITES, SUITES_LOCAL_KEY, "Functions", .area = AREA_SUITES, .ref = REF_ORDER}},
	{"where", NULL, VK_WHERE, ST_NONE, KEY_OPTION,
	 "which list to edit: auto (the local list, and the Group Policy list where it "
	 "exists), local, or policy", {0}},
	{"policy-list", NULL, VK_REMOVE, ST_POLICY_LIST, 0,
	 "remove: delete the Group Policy cipher-suite order, which overrides the local one "
	 "(a GPO that sets it writes it again at its next refresh); the other words then edit "
	 "the local list only",
	 {CODEC_REMOVE, SUITES_POLICY_KEY, "Functions", .area = AREA_SUITES, .rmkeys = 1,
	  .ref = REF_ADMX}},
	{"ecc-curves", NULL, VK_CURVES, ST_CURVES, 0,
	 "elliptic-curve order (Group Policy key), e.g. curve25519 NistP384 NistP256",
	 {CODEC_CURVES, SUITES_POLICY_KEY, "EccCurves", .area = AREA_SUITES, .rmkeys = 1,
	  .effect = "elliptic-curve order (Group Policy)", .ref = REF_ADMX}},
	RULE_ROW,
};

#define DOTNET_FLAG(value)                                                                   \
	{CODEC_DWORD, DOTNET_KEY "\\<VER>", value, .min = 0, .max = 1, .area = AREA_DOTNET,   \
	 .no_reboot = true, .effect = "read by .NET applications when they start",            \
	 .ref = REF_NET}

static const struct key_def dotnet_keys[] = {
	{"SchUseStrongCrypto", NULL, VK_NUMBER, ST_DOTNET, 0,
	 "1: .NET uses strong cryptography (TLS 1.1/1.2 available, RC4 off)",
	 DOTNET_FLAG("SchUseStrongCrypto")},
	{"SystemDefaultTlsVersions", NULL, VK_NUMBER, ST_DOTNET, 0,
	 "1: .NET lets Windows choose the TLS version", DOTNET_FLAG("SystemDefaultTlsVersions")},
	{"versions", NULL, VK_VERSIONS, ST_NONE, KEY_OPTION,
	 "v2.0.50727, v4.0.30319 or both (default both)", {0}},
	{"views", NULL, VK_VIEWS, ST_NONE, KEY_OPTION,
	 "64, 32 or both registry views (default both: 32-bit apps read Wow6432Node)", {0}},
	RULE_ROW,
};

static const struct key_def winhttp_keys[] = {
	{"DefaultSecureProtocols", NULL, VK_MASK, ST_WINHTTP, 0,
	 "protocols WinHTTP offers by default: names (TLS1.2 ...) or a number; needs "
	 "KB3140245 on Windows 7 / 2008 R2 / 2012",
	 {CODEC_MASK, WINHTTP_KEY, "DefaultSecureProtocols", .bits = &vocab_protocols,
	  .field = BITS_WINHTTP, .bits_what = "WinHTTP", .area = AREA_WINHTTP,
	  .effect = "protocols WinHTTP offers by default (KB3140245 on 7/2008 R2/2012)",
	  .ref = REF_KB3140245}},
	{"views", NULL, VK_VIEWS, ST_NONE, KEY_OPTION, "64, 32 or both (default both)", {0}},
	RULE_ROW,
};

static const struct key_def eap_keys[] = {
	{"TlsVersion", NULL, VK_MASK, ST_EAP, 0,
	 "TLS versions EAP-TLS (RAS/VPN) may use: names or a number; needs KB2977292 on "
	 "Windows 7 / 8.1",
	 {CODEC_MASK, EAP_TLS_KEY, "TlsVersion", .bits = &vocab_protocols, .field = BITS_EAP,
	  .bits_what = "EAP-TLS", .area = AREA_EAP,
	  .effect = "TLS versions EAP-TLS may use (KB2977292 on 7/8.1; or restart EapHost)",
	  .ref = REF_KB2977292}},
	RULE_ROW,
};

static const struct key_def fips_keys[] = {
	{"policy", NULL, VK_STATE, ST_FIPS, 0,
	 "FIPS algorithm policy: enabled (1), disabled (0) or default (value removed)",
	 {CODEC_STATE_01, FIPS_KEY, "Enabled", .area = AREA_FIPS,
	  .effect = "FIPS-approved algorithms only when 1", .ref = REF_FIPS}},
	RULE_ROW,
};

static const struct key_def raw_keys[] = {
	{"path", NULL, VK_REG_PATH, ST_NONE, KEY_REQUIRED | KEY_OPTION,
	 "the key, HKLM\\... (HKLM\\SOFTWARE\\Wow6432Node\\... means the 32-bit view)", {0}},
	{"view", NULL, VK_VIEWS, ST_NONE, KEY_OPTION, "64, 32 or both (default 64)", {0}},
	{"reboot", NULL, VK_YESNO, ST_NONE, KEY_OPTION,
	 "whether a change here needs a reboot (default yes)", {0}},
	{"exists", NULL, VK_YESNO, ST_NONE, KEY_OPTION,
	 "yes: the key must exist, even with no values (default no: values only)", {0}},
	{"malformed", NULL, VK_YESNO, ST_NONE, KEY_OPTION,
	 "yes: accept string-typed hex data that is not a well-formed string (an odd size, "
	 "no terminator); capture uses it to reproduce such values exactly (default no)", {0}},
	RULE_ROW,
};

const struct section_def schema_sections[] = {
	{"profile", "profile", ARG_NONE, NULL, KEYS(profile_keys), SEC_METADATA, NULL,
	 "what the profile is: name, summary, where its values come from"},
	{"protocol", "protocol", ARG_VOCAB, &vocab_protocols, KEYS(protocol_keys), 0,
	 SCHANNEL_KEY "\\Protocols\\<P>\\{Client,Server}",
	 "enabled = Enabled 1 + DisabledByDefault 0; disabled = Enabled 0 + DisabledByDefault 1; "
	 "default = both values removed (Windows decides)"},
	{"ciphers", "cipher", ARG_NONE, NULL, KEYS(cipher_keys), 0, SCHANNEL_KEY "\\Ciphers\\<C>",
	 "bulk ciphers, by SChannel key name (\"RC4 128/128\" is one key)"},
	{"hashes", "hash", ARG_NONE, NULL, KEYS(hash_keys), 0, SCHANNEL_KEY "\\Hashes\\<H>",
	 "hash algorithms"},
	{"key-exchange", "key exchange", ARG_NONE, NULL, KEYS(kex_keys), 0,
	 SCHANNEL_KEY "\\KeyExchangeAlgorithms\\<K>", "key-exchange algorithms and key sizes"},
	{"schannel", "SChannel", ARG_NONE, NULL, KEYS(schannel_keys), 0, SCHANNEL_KEY,
	 "SChannel-wide settings: logging, certificate mapping, caches, renegotiation, "
	 "handshake message limits"},
	{"cipher-suites", "cipher suites", ARG_NONE, NULL, KEYS(suite_keys), SEC_GATHERED,
	 SUITES_LOCAL_KEY " (Functions, REG_MULTI_SZ); " SUITES_POLICY_KEY
	 " (Functions, REG_SZ; EccCurves)",
	 "the cipher-suite order; removing suites never creates the Group Policy list"},
	{"dotnet", ".NET", ARG_NONE, NULL, KEYS(dotnet_keys), SEC_PER_VIEW | SEC_PER_DOTNET,
	 DOTNET_KEY "\\<version>", ".NET Framework TLS behaviour"},
	{"winhttp", "WinHTTP", ARG_NONE, NULL, KEYS(winhttp_keys), SEC_PER_VIEW, WINHTTP_KEY,
	 "WinHTTP defaults"},
	{"eap-tls", "EAP-TLS", ARG_NONE, NULL, KEYS(eap_keys), 0, EAP_TLS_KEY,
	 "EAP-TLS for RAS / SSTP VPN clients"},
	{"fips", "FIPS", ARG_NONE, NULL, KEYS(fips_keys), 0, FIPS_KEY, "FIPS algorithm policy"},
	{"key", "key", ARG_LABEL, NULL, KEYS(raw_keys), SEC_RAW_VALUES, NULL,
	 "any other value, in .reg syntax: \"Name\" = dword:00000c00 | \"text\" | hex(7):... | - "
	 "(delete). Keys outside the TLS-related roots need --allow-any-key"},
};
/* clang-format on */

const size_t schema_section_count = ARRAY_SIZE(schema_sections);

const struct section_def *schema_section(const char *name)
{
	size_t i;

	for (i = 0; i < schema_section_count; i++)
		if (!strcmp(schema_sections[i].name, name))
			return &schema_sections[i];
	return NULL;
}

const struct key_def *schema_key(const struct section_def *s, const char *key, size_t *word_index)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key_def *k = &s->keys[i];

		if (k->name ? streq_ci(k->name, key)
		            : vocab_find(k->words, key, word_index) != NULL)
			return k;
	}
	return NULL;
}

const struct section_def *schema_section_of(const struct key_def *k)
{
	size_t i;

	for (i = 0; i < schema_section_count; i++) {
		const struct section_def *s = &schema_sections[i];

		if (k >= s->keys && k < s->keys + s->nkeys)
			return s;
	}
	return NULL;
}

void schema_each_mapped(void (*fn)(const struct section_def *, const struct key_def *, void *),
                        void *ctx)
{
	size_t i, j;

	for (i = 0; i < schema_section_count; i++)
		for (j = 0; j < schema_sections[i].nkeys; j++)
			if (schema_sections[i].keys[j].map.key)
				fn(&schema_sections[i], &schema_sections[i].keys[j], ctx);
}

/* Replaces the template's placeholder (there is at most one) by `with`. */
static char *expand(const char *template, const char *arg, const char *word, const char *ver)
{
	static const char *const names[] = {"<ARG>", "<WORD>", "<VER>"};
	const char *with[] = {arg, word, ver};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *at = strstr(template, names[i]);

		if (at)
			return xasprintf("%.*s%s%s", (int)(at - template), template,
			                 with[i] ? with[i] : "", at + strlen(names[i]));
	}
	return xstrdup(template);
}

char *schema_key_path(const struct section_def *s, const struct key_def *k, size_t word,
                      const char *version)
{
	const char *arg = s->arg == ARG_VOCAB ? s->arg_words->entries[word].name : NULL;
	const char *w = k->words ? k->words->entries[word].name : NULL;

	return expand(k->map.key, arg, w, version);
}

char *schema_key_pattern(const struct key_def *k)
{
	return expand(k->map.key, "*", "*", "v*");
}

uint32_t schema_mask_bit(const struct reg_map *m, const struct vocab_entry *e)
{
	switch (m->field) {
	case BITS_WINHTTP: return e->winhttp;
	case BITS_EAP: return e->eap;
	case BITS_OWN: return e->bit;
	}
	return 0;
}

uint32_t schema_mask_known(const struct reg_map *m)
{
	uint32_t known = 0;
	size_t i;

	for (i = 0; i < m->bits->count; i++)
		known |= schema_mask_bit(m, &m->bits->entries[i]);
	return known;
}

static void kind_words(struct strbuf *sb, const struct key_def *k)
{
	switch (k->kind) {
	case VK_TEXT: sb_adds(sb, "text"); return;
	case VK_WORDS: sb_adds(sb, "words"); return;
	case VK_STATE: sb_adds(sb, "enabled | disabled | default"); return;
	case VK_NUMBER:
		sb_addf(sb, "%llu..%llu | default", (unsigned long long)k->map.min,
		        (unsigned long long)k->map.max);
		return;
	case VK_REMOVE: sb_adds(sb, "remove"); return;
	case VK_MASK: {
		size_t i;

		for (i = 0; i < k->map.bits->count; i++)
			if (schema_mask_bit(&k->map, &k->map.bits->entries[i]))
				sb_addf(sb, "%s ",
				        k->map.bits->entries[i].alias
				            ? k->map.bits->entries[i].alias
				            : k->map.bits->entries[i].name);
		sb_adds(sb, "| number | default");
		return;
	}
	case VK_SUITE_PATTERNS: sb_adds(sb, "suite names or patterns (TLS_DHE_*)"); return;
	case VK_SUITE_LIST: sb_adds(sb, "suite names, in order"); return;
	case VK_CURVES: sb_adds(sb, "curve names | default"); return;
	case VK_WHERE: sb_adds(sb, "auto | local | policy"); return;
	case VK_VIEWS: sb_adds(sb, "64 | 32 | both"); return;
	case VK_VERSIONS: sb_adds(sb, "v2.0.50727 | v4.0.30319 | both"); return;
	case VK_YESNO: sb_adds(sb, "yes | no"); return;
	case VK_REG_PATH: sb_adds(sb, "HKLM\\..."); return;
	case VK_APPLIES_TO: sb_adds(sb, "windows >= 6.1 | build >= 20348 ..."); return;
	case VK_RULE: sb_adds(sb, "DOC:SECTION, e.g. nist-800-52r2:3.1"); return;
	}
}

/* "      writes HKLM\...\Client: Enabled, DisabledByDefault (page)" */
static void describe_map(struct strbuf *sb, const struct key_def *k)
{
	if (!k->map.key)
		return;
	sb_addf(sb, "      writes HKLM\\%s: %s%s%s\n", k->map.key, k->map.value,
	        k->map.value2 ? ", " : "", k->map.value2 ? k->map.value2 : "");
	sb_addf(sb, "      see %s\n", k->map.ref);
}

static void describe_key(struct strbuf *sb, const struct key_def *k)
{
	sb_addf(sb, "  %-24s = ", k->name ? k->name : "<NAME>");
	kind_words(sb, k);
	sb_addc(sb, '\n');
	if (!k->name) {
		sb_addf(sb, "    %s: ", k->words->what);
		vocab_list(k->words, sb);
		sb_addc(sb, '\n');
	}
	sb_addf(sb, "      %s\n", k->doc);
	describe_map(sb, k);
}

static void describe_section(struct strbuf *sb, const struct section_def *s)
{
	size_t i;

	if (s->arg == ARG_VOCAB)
		sb_addf(sb, "[%s \"NAME\"]   NAME: ", s->name), vocab_list(s->arg_words, sb);
	else if (s->arg == ARG_LABEL)
		sb_addf(sb, "[%s \"LABEL\"]", s->name);
	else
		sb_addf(sb, "[%s]", s->name);
	sb_addf(sb, "\n    %s\n", s->doc);
	if (s->registry)
		sb_addf(sb, "    registry: HKLM\\%s\n", s->registry);
	for (i = 0; i < s->nkeys; i++)
		describe_key(sb, &s->keys[i]);
	sb_addc(sb, '\n');
}

void schema_describe(struct strbuf *sb)
{
	size_t i;

	sb_adds(sb,
	        "Profile language (INI). Lines: [section], key = value, ; or # comments.\n"
	        "Unknown sections and keys, repeated keys and repeated sections are errors.\n\n");
	for (i = 0; i < schema_section_count; i++)
		describe_section(sb, &schema_sections[i]);
}
