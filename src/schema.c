/*
 * schema.c - the profile language table. Sources of the registry facts:
 *   [TLS]   "Transport Layer Security (TLS) registry settings", Windows Server
 *           docs (learn.microsoft.com/windows-server/security/tls/
 *           tls-registry-settings): Protocols, Ciphers, Hashes,
 *           KeyExchangeAlgorithms, DH/PKCS key sizes, EventLogging.
 *   [KB245030] cipher/hash/key-exchange "Enabled" = 0xffffffff convention.
 *   [KB3140245] WinHTTP DefaultSecureProtocols bits.
 *   [KB2977292] EAP-TLS TlsVersion bits (seed 001).
 *   [NET]   ".NET Framework TLS best practices": SchUseStrongCrypto,
 *           SystemDefaultTlsVersions (seed 000).
 *   [ORDER] "Prioritizing Schannel Cipher Suites" and seed 003: the local
 *           Functions list (REG_MULTI_SZ) and the Group Policy one (REG_SZ,
 *           comma separated, at most 1023 characters, overrides the local).
 * docs/allowlist.md lists every value with its page.
 */
#include "schema.h"

#include <string.h>

#include "util.h"

#define VOCAB(what, array)                                                                         \
	{                                                                                          \
		what, array, ARRAY_SIZE(array)                                                     \
	}

static const struct vocab_entry protocols[] = {
    {"PCT 1.0", "PCT1.0", 0, 0, "legacy; off by default on every supported Windows"},
    {"SSL 2.0", "SSL2.0", 0x8, 0, "insecure; off by default since Windows Vista"},
    {"SSL 3.0", "SSL3.0", 0x20, 0, "insecure (POODLE); turn off everywhere"},
    {"TLS 1.0", "TLS1.0", 0x80, 0xC0, "deprecated; still needed by some old clients"},
    {"TLS 1.1", "TLS1.1", 0x200, 0x300, "deprecated"},
    {"TLS 1.2", "TLS1.2", 0x800, 0xC00,
     "on by default since Windows 8 / 2012; off on 7 / 2008 R2 clients"},
    {"TLS 1.3", "TLS1.3", 0x2000, 0,
     "exists only on Windows 11 / Server 2022 (build 20348) and later"},
    {"DTLS 1.0", "DTLS1.0", 0, 0, NULL},
    {"DTLS 1.2", "DTLS1.2", 0, 0, NULL},
    {"Multi-Protocol Unified Hello", NULL, 0, 0, "legacy SSL 2.0-compatible hello"},
};

/* Key names exactly as SChannel reads them; '/' is part of the name. */
static const struct vocab_entry ciphers[] = {
    {"NULL", NULL, 0, 0, "no encryption"},
    {"DES 56/56", NULL, 0, 0, "weak"},
    {"RC2 40/128", NULL, 0, 0, "weak (export)"},
    {"RC2 56/128", NULL, 0, 0, "weak"},
    {"RC2 128/128", NULL, 0, 0, "weak"},
    {"RC4 40/128", NULL, 0, 0, "weak (export)"},
    {"RC4 56/128", NULL, 0, 0, "weak"},
    {"RC4 64/128", NULL, 0, 0, "weak"},
    {"RC4 128/128", NULL, 0, 0, "weak (RFC 7465 forbids RC4 in TLS)"},
    {"Triple DES 168", NULL, 0, 0, "64-bit block (Sweet32); Vista and later"},
    {"Triple DES 168/168", NULL, 0, 0, "the pre-Vista name of Triple DES 168 (KB245030)"},
    {"AES 128/128", NULL, 0, 0, NULL},
    {"AES 256/256", NULL, 0, 0, NULL},
};

static const struct vocab_entry hashes[] = {
    {"MD5", NULL, 0, 0, "weak"},  {"SHA", NULL, 0, 0, "SHA-1"}, {"SHA256", NULL, 0, 0, NULL},
    {"SHA384", NULL, 0, 0, NULL}, {"SHA512", NULL, 0, 0, NULL},
};

static const struct vocab_entry kex[] = {
    {"Diffie-Hellman", "DH", 0, 0, "finite-field DHE (also the TLS_DHE_* suites)"},
    {"ECDH", NULL, 0, 0, "elliptic-curve (EC)DHE"},
    {"PKCS", NULL, 0, 0, "RSA key exchange"},
};

static const struct vocab_entry dotnet_versions[] = {
    {"v2.0.50727", "v2", 0, 0, ".NET Framework 2.0-3.5"},
    {"v4.0.30319", "v4", 0, 0, ".NET Framework 4.x"},
};

const struct vocab vocab_protocols = VOCAB("protocol", protocols);
const struct vocab vocab_ciphers = VOCAB("cipher", ciphers);
const struct vocab vocab_hashes = VOCAB("hash", hashes);
const struct vocab vocab_kex = VOCAB("key-exchange algorithm", kex);
const struct vocab vocab_dotnet_versions = VOCAB(".NET version", dotnet_versions);

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

static const struct key_def profile_keys[] = {
    {"name", NULL, VK_WORDS, ST_NONE, KEY_REQUIRED, NULL,
     "the profile's name: lower-case letters, digits, '-' and '.'"},
    {"aliases", NULL, VK_WORDS, ST_NONE, 0, NULL, "other names it can be called by"},
    {"summary", NULL, VK_TEXT, ST_NONE, KEY_REQUIRED, NULL, "one line: what it is for"},
    {"reference", NULL, VK_TEXT, ST_NONE, KEY_REPEATABLE, NULL,
     "where the values come from (a Microsoft page or a seed); repeatable"},
    {"note", NULL, VK_TEXT, ST_NONE, KEY_REPEATABLE, NULL,
     "a remark show prints (e.g. where the profile differs from common advice); repeatable"},
    {"include", NULL, VK_WORDS, ST_NONE, 0, NULL,
     "built-in profiles, or NAME.ini files in the same folder, whose settings this one "
     "starts from (its own settings win)"},
    {"applies-to", NULL, VK_APPLIES_TO, ST_NONE, 0, NULL,
     "Windows versions the profile is meant for, e.g. \"windows >= 6.1\" or "
     "\"build >= 20348\"; apply refuses other versions unless --force"},
};

static const struct key_def protocol_keys[] = {
    {"client", NULL, VK_STATE, ST_PROTOCOL, 0, "Enabled, DisabledByDefault",
     "the protocol when this machine is the TLS client"},
    {"server", NULL, VK_STATE, ST_PROTOCOL, 0, "Enabled, DisabledByDefault",
     "the protocol when this machine is the TLS server"},
};

static const struct key_def cipher_keys[] = {
    {NULL, &vocab_ciphers, VK_STATE, ST_CIPHER, 0, "Enabled",
     "a bulk cipher: enabled (0xffffffff), disabled (0) or default (value removed)"},
};

static const struct key_def hash_keys[] = {
    {NULL, &vocab_hashes, VK_STATE, ST_HASH, 0, "Enabled",
     "a hash: enabled (0xffffffff), disabled (0) or default (value removed)"},
};

static const struct key_def kex_keys[] = {
    {NULL, &vocab_kex, VK_STATE, ST_KEX, 0, "Enabled",
     "a key-exchange algorithm: enabled (0xffffffff), disabled (0) or default"},
    {"dh-server-min-bits", NULL, VK_KEY_BITS, ST_KEX_BITS, 0, "ServerMinKeyBitLength",
     "smallest Diffie-Hellman group the server offers (Windows 10+ default 2048)"},
    {"dh-client-min-bits", NULL, VK_KEY_BITS, ST_KEX_BITS, 0, "ClientMinKeyBitLength",
     "smallest Diffie-Hellman group the client accepts (Windows 10+ default 1024)"},
    {"pkcs-client-min-bits", NULL, VK_KEY_BITS, ST_KEX_BITS, 0, "ClientMinKeyBitLength",
     "smallest RSA key the client accepts"},
};

static const struct key_def schannel_keys[] = {
    {"EventLogging", NULL, VK_EVENT_LOGGING, ST_EVENT_LOGGING, 0, "EventLogging",
     "what SChannel logs to the System log: bitmask 0-7 (1 errors, 2 warnings, 4 info)"},
};

static const struct key_def suite_keys[] = {
    {"remove", NULL, VK_SUITE_PATTERNS, ST_SUITES, 0, "Functions",
     "suites to take out of the list; '*' matches any run of characters"},
    {"prefer", NULL, VK_SUITE_PATTERNS, ST_SUITES, 0, "Functions",
     "suites to move to the front, pattern by pattern, keeping their relative order"},
    {"order", NULL, VK_SUITE_LIST, ST_SUITES, 0, "Functions",
     "the complete list, in order (replaces the current one)"},
    {"where", NULL, VK_WHERE, ST_NONE, KEY_OPTION, NULL,
     "which list to edit: auto (the local list, and the Group Policy list where it "
     "exists), local, or policy"},
    {"ecc-curves", NULL, VK_CURVES, ST_CURVES, 0, "EccCurves",
     "elliptic-curve order (Group Policy key), e.g. curve25519 NistP384 NistP256"},
};

static const struct key_def dotnet_keys[] = {
    {"SchUseStrongCrypto", NULL, VK_FLAG01, ST_DOTNET, 0, "SchUseStrongCrypto",
     "1: .NET uses strong cryptography (TLS 1.1/1.2 available, RC4 off)"},
    {"SystemDefaultTlsVersions", NULL, VK_FLAG01, ST_DOTNET, 0, "SystemDefaultTlsVersions",
     "1: .NET lets Windows choose the TLS version"},
    {"versions", NULL, VK_VERSIONS, ST_NONE, KEY_OPTION, NULL,
     "v2.0.50727, v4.0.30319 or both (default both)"},
    {"views", NULL, VK_VIEWS, ST_NONE, KEY_OPTION, NULL,
     "64, 32 or both registry views (default both: 32-bit apps read Wow6432Node)"},
};

static const struct key_def winhttp_keys[] = {
    {"DefaultSecureProtocols", NULL, VK_WINHTTP_MASK, ST_WINHTTP, 0, "DefaultSecureProtocols",
     "protocols WinHTTP offers by default: names (TLS1.2 ...) or a number; needs "
     "KB3140245 on Windows 7 / 2008 R2 / 2012"},
    {"views", NULL, VK_VIEWS, ST_NONE, KEY_OPTION, NULL, "64, 32 or both (default both)"},
};

static const struct key_def eap_keys[] = {
    {"TlsVersion", NULL, VK_EAP_MASK, ST_EAP, 0, "TlsVersion",
     "TLS versions EAP-TLS (RAS/VPN) may use: names or a number; needs KB2977292 on "
     "Windows 7 / 8.1"},
};

static const struct key_def fips_keys[] = {
    {"policy", NULL, VK_STATE, ST_FIPS, 0, "Enabled",
     "FIPS algorithm policy: enabled (1), disabled (0) or default (value removed)"},
};

static const struct key_def raw_keys[] = {
    {"path", NULL, VK_REG_PATH, ST_NONE, KEY_REQUIRED | KEY_OPTION, NULL,
     "the key, HKLM\\... (HKLM\\SOFTWARE\\Wow6432Node\\... means the 32-bit view)"},
    {"view", NULL, VK_VIEWS, ST_NONE, KEY_OPTION, NULL, "64, 32 or both (default 64)"},
    {"reboot", NULL, VK_YESNO, ST_NONE, KEY_OPTION, NULL,
     "whether a change here needs a reboot (default yes)"},
    {"exists", NULL, VK_YESNO, ST_NONE, KEY_OPTION, NULL,
     "yes: the key must exist, even with no values (default no: values only)"},
    {"malformed", NULL, VK_YESNO, ST_NONE, KEY_OPTION, NULL,
     "yes: accept string-typed hex data that is not a well-formed string (an odd size, "
     "no terminator); capture uses it to reproduce such values exactly (default no)"},
};

const struct section_def schema_sections[] = {
    {"profile", "profile", ARG_NONE, NULL, KEYS(profile_keys), false, NULL,
     "what the profile is: name, summary, where its values come from"},
    {"protocol", "protocol", ARG_VOCAB, &vocab_protocols, KEYS(protocol_keys), false,
     SCHANNEL_KEY "\\Protocols\\<P>\\{Client,Server}",
     "enabled = Enabled 1 + DisabledByDefault 0; disabled = Enabled 0 + DisabledByDefault 1; "
     "default = both values removed (Windows decides)"},
    {"ciphers", "cipher", ARG_NONE, NULL, KEYS(cipher_keys), false, SCHANNEL_KEY "\\Ciphers\\<C>",
     "bulk ciphers, by SChannel key name (\"RC4 128/128\" is one key)"},
    {"hashes", "hash", ARG_NONE, NULL, KEYS(hash_keys), false, SCHANNEL_KEY "\\Hashes\\<H>",
     "hash algorithms"},
    {"key-exchange", "key exchange", ARG_NONE, NULL, KEYS(kex_keys), false,
     SCHANNEL_KEY "\\KeyExchangeAlgorithms\\<K>", "key-exchange algorithms and key sizes"},
    {"schannel", "SChannel", ARG_NONE, NULL, KEYS(schannel_keys), false, SCHANNEL_KEY,
     "SChannel-wide settings"},
    {"cipher-suites", "cipher suites", ARG_NONE, NULL, KEYS(suite_keys), false,
     SUITES_LOCAL_KEY " (Functions, REG_MULTI_SZ); " SUITES_POLICY_KEY
                      " (Functions, REG_SZ; EccCurves)",
     "the cipher-suite order; removing suites never creates the Group Policy list"},
    {"dotnet", ".NET", ARG_NONE, NULL, KEYS(dotnet_keys), false, DOTNET_KEY "\\<version>",
     ".NET Framework TLS behaviour"},
    {"winhttp", "WinHTTP", ARG_NONE, NULL, KEYS(winhttp_keys), false, WINHTTP_KEY,
     "WinHTTP defaults"},
    {"eap-tls", "EAP-TLS", ARG_NONE, NULL, KEYS(eap_keys), false, EAP_TLS_KEY,
     "EAP-TLS for RAS / SSTP VPN clients"},
    {"fips", "FIPS", ARG_NONE, NULL, KEYS(fips_keys), false, FIPS_KEY, "FIPS algorithm policy"},
    {"key", "key", ARG_LABEL, NULL, KEYS(raw_keys), true, NULL,
     "any other value, in .reg syntax: \"Name\" = dword:00000c00 | \"text\" | hex(7):... | - "
     "(delete). Keys outside the TLS-related roots need --allow-any-key"},
};

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

static const char *kind_words(enum value_kind kind)
{
	switch (kind) {
	case VK_TEXT: return "text";
	case VK_WORDS: return "words";
	case VK_STATE: return "enabled | disabled | default";
	case VK_FLAG01: return "1 | 0 | default";
	case VK_KEY_BITS: return "512..16384 | default";
	case VK_EVENT_LOGGING: return "0..7 | default";
	case VK_WINHTTP_MASK: return "SSL2.0 SSL3.0 TLS1.0 TLS1.1 TLS1.2 TLS1.3 | number | default";
	case VK_EAP_MASK: return "TLS1.0 TLS1.1 TLS1.2 | number | default";
	case VK_SUITE_PATTERNS: return "suite names or patterns (TLS_DHE_*)";
	case VK_SUITE_LIST: return "suite names, in order";
	case VK_CURVES: return "curve names | default";
	case VK_WHERE: return "auto | local | policy";
	case VK_VIEWS: return "64 | 32 | both";
	case VK_VERSIONS: return "v2.0.50727 | v4.0.30319 | both";
	case VK_YESNO: return "yes | no";
	case VK_REG_PATH: return "HKLM\\...";
	case VK_APPLIES_TO: return "windows >= 6.1 | build >= 20348 ...";
	}
	return "";
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
	for (i = 0; i < s->nkeys; i++) {
		const struct key_def *k = &s->keys[i];

		if (k->name) {
			sb_addf(sb, "  %-24s = %s\n", k->name, kind_words(k->kind));
		} else {
			sb_addf(sb, "  %-24s = %s\n    %s: ", "<NAME>", kind_words(k->kind),
			        k->words->what);
			vocab_list(k->words, sb);
			sb_addc(sb, '\n');
		}
		sb_addf(sb, "      %s\n", k->doc);
	}
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
