/*
 * impacts.c - the table of what a plan may break (impacts.h). Each rule
 * cites the Microsoft page its claim comes from:
 *   KB3080079 "Update to add RDS support for TLS 1.1 and TLS 1.2 in Windows
 *             7 or Windows Server 2008 R2" (support.microsoft.com/help/3080079):
 *             without it, Remote Desktop speaks TLS 1.0 only.
 *   KB3135244 "TLS 1.2 support for Microsoft SQL Server"
 *             (support.microsoft.com/help/3135244).
 *   PROTOCOLS "Protocols in TLS/SSL (Schannel SSP)": TLS 1.3 from Windows 11 /
 *             Server 2022 (build 20348).
 *   SUITES    "Cipher Suites in TLS/SSL (Schannel SSP)" and its per-release
 *             pages (src/suites.c): each release's default suites.
 *   NET       "Transport Layer Security (TLS) best practices with the .NET
 *             Framework" (learn.microsoft.com/dotnet/framework/network-programming/tls):
 *             apps that do not use the system defaults need SchUseStrongCrypto /
 *             SystemDefaultTlsVersions for TLS 1.2.
 *   KB245030  "Restrict the use of certain cryptographic algorithms and
 *             protocols in Schannel.dll" (learn.microsoft.com/troubleshoot/
 *             windows-server/windows-security/restrict-cryptographic-algorithms-
 *             protocols-schannel): SHA "refers to Secure Hash Algorithm (SHA-1)";
 *             PKCS "refers to the RSA as the key exchange and authentication
 *             algorithms" and disabling it "disallows all RSA-based SSL and TLS
 *             cipher suites". Written for Windows Server 2003 and earlier; "TLS
 *             registry settings" says hashes and key exchanges "should be
 *             controlled by configuring the cipher suite order" and documents no
 *             ECDH key (MicrosoftDocs/windowsserverdocs issue 6717).
 *   DH        "TLS registry settings" (learn.microsoft.com/windows-server/security/
 *             tls/tls-registry-settings): ServerMinKeyBitLength "If not configured,
 *             2048 bits is the default" (Windows 10 / Server 2016 and later);
 *             Security Advisory 3174644 raised earlier releases from 1024.
 *   FIPS      "<enforceFIPSPolicy> Element" (learn.microsoft.com/dotnet/framework/
 *             configure-apps/file-schema/runtime/enforcefipspolicy-element): .NET
 *             classes of non-FIPS algorithms throw; .NET Framework 4.8's
 *             retargeting note: apps targeting 4.8 and later no longer throw.
 *             "System cryptography: Use FIPS compliant algorithms ..." (learn.
 *             microsoft.com/windows/security/threat-protection/security-policy-
 *             settings/): "RDP connections fail if both devices aren't configured
 *             to use the same encryption algorithms".
 *   WINHTTP   KB3140245 (support.microsoft.com/help/3140245) and WinHTTP "Option
 *             Flags" (learn.microsoft.com/windows/win32/winhttp/option-flags): "By
 *             default only SSL3 and TLS1 are enabled in Windows 7 and Windows 8."
 *   EAP       Security Advisory 2977292 (technet.microsoft.com/library/security/
 *             2977292): EAP on Windows 7, 8, 8.1, Server 2008 R2, 2012, 2012 R2
 *             uses TLS 1.1 or 1.2 only with the update and the TlsVersion value.
 *   WINRM     "Installation and Configuration for Windows Remote Management"
 *             (learn.microsoft.com/windows/win32/winrm/installation-and-
 *             configuration-for-windows-remote-management): the HTTPS listener is
 *             port 5986; TLS registry settings: disabling protocols "may cause
 *             AcquireCredentialsHandle calls to fail due to the lack of protocol
 *             versions enabled system-wide".
 */
#include "impacts.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "schema.h"
#include "suites.h"

#define PROTOCOL_KEY(p, side) SCHANNEL_KEY "\\Protocols\\" p "\\" side
#define NET4_KEY              DOTNET_KEY "\\v4.0.30319"

#define REF_KB3080079                                                                              \
	"KB3080079, support.microsoft.com/help/3080079 (RDS support for TLS 1.1 and 1.2 on "       \
	"Windows 7 / Server 2008 R2)"
#define REF_KB3135244                                                                              \
	"KB3135244, support.microsoft.com/help/3135244 (TLS 1.2 support for SQL Server)"
#define REF_SUITES                                                                                 \
	"Cipher Suites in TLS/SSL (Schannel SSP), "                                                \
	"learn.microsoft.com/windows/win32/secauthn/cipher-suites-in-schannel (src/suites.c)"
#define REF_PROTOCOLS                                                                              \
	"Protocols in TLS/SSL (Schannel SSP), "                                                    \
	"learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-"
#define REF_NET                                                                                    \
	"Transport Layer Security (TLS) best practices with the .NET Framework, "                  \
	"learn.microsoft.com/dotnet/framework/network-programming/tls"

#define REF_KB245030                                                                               \
	"KB245030, learn.microsoft.com/troubleshoot/windows-server/windows-security/"              \
	"restrict-cryptographic-algorithms-protocols-schannel, and TLS registry settings, "        \
	"learn.microsoft.com/windows-server/security/tls/tls-registry-settings"
#define REF_DH                                                                                     \
	"TLS registry settings (Diffie-Hellman), "                                                 \
	"learn.microsoft.com/windows-server/security/tls/tls-registry-settings"
#define REF_FIPS                                                                                   \
	"<enforceFIPSPolicy> Element, learn.microsoft.com/dotnet/framework/configure-apps/"        \
	"file-schema/runtime/enforcefipspolicy-element"
#define REF_WINHTTP                                                                                \
	"KB3140245, support.microsoft.com/help/3140245, and WinHTTP Option Flags, "                \
	"learn.microsoft.com/windows/win32/winhttp/option-flags"
#define REF_EAP "Security Advisory 2977292, technet.microsoft.com/library/security/2977292"
#define REF_WINRM                                                                                  \
	"TLS registry settings, learn.microsoft.com/windows-server/security/tls/"                  \
	"tls-registry-settings, and Installation and Configuration for Windows Remote "            \
	"Management, learn.microsoft.com/windows/win32/winrm/"                                     \
	"installation-and-configuration-for-windows-remote-management"

/* The build from which Windows has TLS 1.3 (REF_PROTOCOLS). */
#define TLS13_BUILD 20348u

/* The op that sets path/name (64-bit view) to any DWORD: its index, or
 * SIZE_MAX, and *value. */
static size_t find_dword(const struct plan *p, const char *path, const char *name, uint32_t *value)
{
	size_t i;

	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];

		if (op->kind == OP_SET && op->view == REG_VIEW_64 && streq_ci(op->path, path) &&
		    streq_ci(op->name, name) && regvalue_get_dword(&op->value, value))
			return i;
	}
	return SIZE_MAX;
}

/* The index of the op that sets path/name (64-bit view) to `value`, or
 * SIZE_MAX. */
static size_t find_set(const struct plan *p, const char *path, const char *name, uint32_t value)
{
	uint32_t d = 0;
	size_t i = find_dword(p, path, name, &d);

	return i != SIZE_MAX && d == value ? i : SIZE_MAX;
}

static struct plan_impact *add(struct plan *p, const char *rule, enum impact_class cls,
                               const char *text, const char *ref, const size_t *ops, size_t n)
{
	struct plan_impact *im =
	    plan_impact_add(&p->impacts, &p->nimpacts, &p->icap, rule, cls, text, ref);

	for (im->nops = 0; im->nops < n && im->nops < IMPACT_MAX_OPS; im->nops++)
		im->ops[im->nops] = ops[im->nops];
	return im;
}

/* Remote Desktop on 6.0 / 6.1 speaks TLS 1.0 (KB3080079). */
static void rule_rdp(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.0", "Server"), "Enabled", 0);
	struct strbuf sb = STRBUF_INIT;

	if (op == SIZE_MAX || !o->have_os || o->major != 6 || o->minor > 1)
		return;
	if (o->minor == 1)
		sb_adds(&sb,
		        "Remote Desktop: on Windows 7 / Server 2008 R2, Remote Desktop Services "
		        "speak only TLS 1.0 until KB3080079 is installed; with TLS 1.0 server "
		        "off you lose access to Remote Desktop. Install KB3080079 first (check: "
		        "PowerShell Get-HotFix -Id KB3080079, or wmic qfe get HotFixID | findstr "
		        "3080079)");
	else
		sb_adds(&sb,
		        "Remote Desktop: on Windows Server 2008 / Vista (6.0), Remote Desktop "
		        "Services speak TLS 1.0 (KB3080079 adds TLS 1.1 and 1.2 only to Windows 7 "
		        "/ 2008 R2); with TLS 1.0 server off you lose access to Remote Desktop. "
		        "Keep TLS 1.0 server on there");
	if (o->os_assumed)
		sb_addf(&sb,
		        ". This --state file is taken to be Windows %u.%u.%u: pass --os to say "
		        "which Windows it is (on 6.0 and 6.1, apply then refuses without --force)",
		        o->major, o->minor, o->build);
	add(p, "rdp-tls10-server", o->os_assumed ? IMPACT_BREAKS : IMPACT_CUTS_ADMIN, sb_str(&sb),
	    REF_KB3080079, &op, 1)
	    ->kb = o->minor == 1 ? "KB3080079" : NULL;
	sb_free(&sb);
}

/* Both TLS 1.0 and TLS 1.1 off on one side: SQL Server needs KB3135244. */
static void rule_sql(struct plan *p, const struct compile_options *o)
{
	static const char *const sides[] = {"Server", "Client"};
	size_t i;

	(void)o;
	for (i = 0; i < ARRAY_SIZE(sides); i++) {
		char *k10 = xasprintf(SCHANNEL_KEY "\\Protocols\\TLS 1.0\\%s", sides[i]);
		char *k11 = xasprintf(SCHANNEL_KEY "\\Protocols\\TLS 1.1\\%s", sides[i]);
		size_t ops[2] = {find_set(p, k10, "Enabled", 0), find_set(p, k11, "Enabled", 0)};

		free(k10);
		free(k11);
		if (ops[0] == SIZE_MAX || ops[1] == SIZE_MAX)
			continue;
		add(p, "sql-tls12-updates", IMPACT_BREAKS,
		    "SQL Server: releases without the TLS 1.2 updates that KB3135244 lists "
		    "(Windows "
		    "Internal Database, which WSUS and the RDS Connection Broker use, is SQL "
		    "Server "
		    "too) and their clients cannot connect once TLS 1.0 and 1.1 are off; install "
		    "those "
		    "updates first",
		    REF_KB3135244, ops, 2);
		return;
	}
}

/* Client TLS 1.0 off while .NET 4.x apps may still ask for it. */
static void rule_dotnet(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.0", "Client"), "Enabled", 0);

	(void)o;
	if (op == SIZE_MAX || (find_set(p, NET4_KEY, "SchUseStrongCrypto", 1) != SIZE_MAX &&
	                       find_set(p, NET4_KEY, "SystemDefaultTlsVersions", 1) != SIZE_MAX))
		return;
	add(p, "dotnet-strong-crypto", IMPACT_BREAKS,
	    ".NET Framework: applications that do not use the system's TLS defaults (built for "
	    ".NET 4.6 or older) ask for TLS 1.0 and fail once the client side has it off, unless "
	    "SchUseStrongCrypto and SystemDefaultTlsVersions are 1; add [dotnet] "
	    "SchUseStrongCrypto = 1 and SystemDefaultTlsVersions = 1 (the best-practices profile "
	    "does), or check they are 1 on this machine",
	    REF_NET, &op, 1);
}

/* True if release r's default suites include none of list. */
static bool nothing_in_common(enum win_release r, char *const *list, size_t n)
{
	size_t count, i;
	const char *const *defaults = suite_default_order(r, &count);

	for (i = 0; defaults && i < count; i++)
		if (suite_in(list, n, defaults[i]))
			return false;
	return defaults != NULL;
}

/* The releases (src/suites.c, from Microsoft's per-release pages) whose
 * default suites the list an edit produces shares nothing with. */
static void rule_no_common_suite(struct plan *p, const struct compile_options *o)
{
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;
	size_t i, n = 0;
	int r;

	(void)o;
	for (i = 0; i < p->nops && !n; i++) {
		const struct list_edit *e = &p->ops[i].edit;
		char **result;
		size_t count;

		if (p->ops[i].kind != OP_LIST_EDIT || e->format != LIST_MULTI_SZ ||
		    (!e->want.has_order && !e->builtin))
			continue;
		result = list_edit_apply(e, e->builtin, e->nbuiltin, &count);
		for (r = 0; r < WR_COUNT; r++)
			if (nothing_in_common((enum win_release)r, result, count))
				sb_addf(&names, "%s%s", n++ ? ", " : "",
				        win_release_name((enum win_release)r));
		strlist_free(result, count);
		if (n) {
			sb_addf(&text,
			        "Cipher suites: machines of %s that keep their default suites "
			        "share no suite with the list this makes (%zu suites): TLS "
			        "between them and this machine fails, both ways",
			        sb_str(&names), count);
			add(p, "no-common-suite", IMPACT_BREAKS, sb_str(&text), REF_SUITES, &i, 1);
		}
	}
	sb_free(&names);
	sb_free(&text);
}

/* TLS 1.2 server off: only TLS 1.3 clients (Windows 11 / Server 2022 and
 * later) remain, unless older protocols are on. */
static void rule_tls12_server_off(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.2", "Server"), "Enabled", 0);

	(void)o;
	if (op == SIZE_MAX)
		return;
	add(p, "tls12-server-off", IMPACT_BREAKS,
	    "TLS 1.2 server off: clients without TLS 1.3, which is every Windows before Windows 11 "
	    "/ Server 2022 (build 20348), reach this machine's TLS servers only over an older "
	    "protocol that is still on, or not at all",
	    REF_PROTOCOLS, &op, 1);
}

static bool has_tls13(const struct compile_options *o)
{
	return o->major > 10 || (o->major == 10 && o->build >= TLS13_BUILD);
}

/* Every server TLS version off (TLS 1.3 too where Windows has it): Remote
 * Desktop's TLS security layer and WinRM's HTTPS listener have no protocol
 * left. */
static void rule_no_server_tls(struct plan *p, const struct compile_options *o)
{
	static const char *const versions[] = {"TLS 1.0", "TLS 1.1", "TLS 1.2"};
	size_t ops[4], i, n = 0;
	size_t op13 = find_set(p, PROTOCOL_KEY("TLS 1.3", "Server"), "Enabled", 0);

	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		char *key = xasprintf(SCHANNEL_KEY "\\Protocols\\%s\\Server", versions[i]);

		ops[n] = find_set(p, key, "Enabled", 0);
		free(key);
		if (ops[n++] == SIZE_MAX)
			return;
	}
	if (op13 != SIZE_MAX)
		ops[n++] = op13;
	else if (!o->have_os || has_tls13(o))
		return;
	add(p, "no-server-tls", o->have_os && !o->os_assumed ? IMPACT_CUTS_ADMIN : IMPACT_BREAKS,
	    "No TLS version is left for servers: Remote Desktop (its TLS security layer, which "
	    "Network Level Authentication needs) and WinRM HTTPS listeners (port 5986) refuse "
	    "every connection, as do IIS, LDAPS and every other SChannel server; keep TLS 1.2 "
	    "server on",
	    REF_WINRM, ops, n);
}

/* TLS 1.2 client off: outgoing TLS reaches TLS 1.3 servers only. */
static void rule_tls12_client_off(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.2", "Client"), "Enabled", 0);

	if (op == SIZE_MAX)
		return;
	add(p, "tls12-client-off", IMPACT_BREAKS,
	    o->have_os && !has_tls13(o)
	        ? "TLS 1.2 client off on a Windows without TLS 1.3 (before build 20348): this "
	          "machine's TLS clients (Windows Update, .NET, WinHTTP, browsers using "
	          "SChannel) connect only over an older protocol that is still on, or not at all"
	        : "TLS 1.2 client off: this machine's TLS clients (Windows Update, .NET, WinHTTP) "
	          "reach only servers that speak TLS 1.3, which most do not yet, unless an older "
	          "protocol is still on",
	    REF_PROTOCOLS, &op, 1);
}

/* WinHTTP on 6.0-6.2 offers SSL 3.0 and TLS 1.0 unless its update and
 * DefaultSecureProtocols say otherwise. */
static void rule_winhttp(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.0", "Client"), "Enabled", 0);
	uint32_t bits = 0;
	bool sets = find_dword(p, WINHTTP_KEY, "DefaultSecureProtocols", &bits) != SIZE_MAX &&
	            (bits & 0xa00u);
	struct strbuf sb = STRBUF_INIT;

	if (op == SIZE_MAX || !o->have_os || o->major != 6 || o->minor > 2)
		return;
	sb_addf(&sb,
	        "WinHTTP: on %s, WinHTTP callers (the WinRM client, WebDAV, services using "
	        "WinHTTP's defaults) offer only SSL 3.0 and TLS 1.0 and fail once TLS 1.0 client "
	        "is off, unless %s is installed and DefaultSecureProtocols names TLS 1.1 or 1.2",
	        o->minor == 0 ? "Windows Server 2008 SP2" : "Windows 7 / 8 / Server 2008 R2 / 2012",
	        o->minor == 0 ? "KB4467770" : "KB3140245");
	sb_adds(&sb, sets ? " (this plan sets it; it is read only with that update)"
	                  : " ([winhttp] DefaultSecureProtocols = TLS1.1 TLS1.2)");
	add(p, "winhttp-default-protocols", IMPACT_BREAKS, sb_str(&sb), REF_WINHTTP, &op, 1)->kb =
	    o->minor == 0 ? "KB4467770" : "KB3140245";
	sb_free(&sb);
}

/* EAP-TLS and PEAP on 6.1-6.3 speak TLS 1.0 until KB2977292 and TlsVersion. */
static void rule_eap(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, PROTOCOL_KEY("TLS 1.0", "Client"), "Enabled", 0);
	uint32_t bits = 0;
	bool sets = find_dword(p, EAP_TLS_KEY, "TlsVersion", &bits) != SIZE_MAX;

	if (op == SIZE_MAX)
		op = find_set(p, PROTOCOL_KEY("TLS 1.0", "Server"), "Enabled", 0);
	if (op == SIZE_MAX || !o->have_os || o->major != 6 || o->minor < 1)
		return;
	add(p, "eap-tls10", IMPACT_BREAKS,
	    sets
	        ? "EAP-TLS and PEAP (802.1X, VPN, NPS): on Windows 7 / 8 / 8.1 and Server 2008 R2 "
	          "/ 2012 / 2012 R2 they use TLS 1.0 unless KB2977292 is installed: the TlsVersion "
	          "this plan sets is read only with it"
	        : "EAP-TLS and PEAP (802.1X, VPN, NPS): on Windows 7 / 8 / 8.1 and Server 2008 R2 "
	          "/ 2012 / 2012 R2 they use TLS 1.0 and fail with it off unless KB2977292 is "
	          "installed and [eap-tls] TlsVersion names TLS 1.1 or 1.2",
	    REF_EAP, &op, 1)
	    ->kb = "KB2977292";
}

static bool sha1_mac(const char *name)
{
	const struct suite_info *si = suite_find(name);

	return si && (si->flags & SUITE_SHA1_MAC);
}

static bool names_rsa(const char *name)
{
	return strstr(name, "RSA") != NULL;
}

static bool names_ecdhe(const char *name)
{
	return strstr(name, "ECDHE") != NULL;
}

/* "on Windows Server 2019 / 10 1809-21H2, 9 of its 23 default suites",
 * or "" when the release is unknown. */
static void count_defaults(const struct compile_options *o, bool (*pick)(const char *),
                           struct strbuf *sb)
{
	enum win_release r = win_release_of(o->major, o->minor, o->build);
	size_t count = 0, n = 0, i;
	const char *const *defaults = suite_default_order(r, &count);

	if (!o->have_os || !defaults)
		return;
	for (i = 0; i < count; i++)
		n += pick(defaults[i]);
	sb_addf(sb, " (on %s: %zu of its %zu default suites)", win_release_name(r), n, count);
}

/* Hashes\SHA, KeyExchangeAlgorithms\PKCS or \ECDH off (KB245030). */
static void rule_algorithm_off(struct plan *p, const struct compile_options *o, const char *rule,
                               const char *key, bool (*pick)(const char *), const char *what,
                               const char *then)
{
	size_t op = find_set(p, key, "Enabled", 0);
	struct strbuf sb = STRBUF_INIT;

	if (op == SIZE_MAX)
		return;
	sb_adds(&sb, what);
	count_defaults(o, pick, &sb);
	sb_addf(&sb,
	        "%s. Microsoft documents this key for Windows Server 2003 and earlier (or not "
	        "at all) and says to control it through the cipher-suite order instead",
	        then);
	add(p, rule, IMPACT_BREAKS, sb_str(&sb), REF_KB245030, &op, 1);
	sb_free(&sb);
}

static void rule_sha_off(struct plan *p, const struct compile_options *o)
{
	rule_algorithm_off(p, o, "sha-hash-off", SCHANNEL_KEY "\\Hashes\\SHA", sha1_mac,
	                   "SHA hash off: KB245030 says this disallows the suites with a SHA-1 MAC "
	                   "(..._SHA)",
	                   "; what else it stops (SHA-1 certificate signatures, the TLS 1.0 and "
	                   "1.1 handshake) is not documented");
}

static void rule_pkcs_off(struct plan *p, const struct compile_options *o)
{
	rule_algorithm_off(p, o, "pkcs-off", SCHANNEL_KEY "\\KeyExchangeAlgorithms\\PKCS",
	                   names_rsa,
	                   "PKCS off: KB245030 calls this key RSA \"as the key exchange and "
	                   "authentication algorithms\" and says disabling it disallows all "
	                   "RSA-based suites: TLS_RSA_*, ECDHE_RSA_* and DHE_RSA_*",
	                   "; servers with RSA certificates, Remote Desktop's self-signed one "
	                   "among them, may be left with no suite");
}

static void rule_ecdh_off(struct plan *p, const struct compile_options *o)
{
	rule_algorithm_off(p, o, "ecdh-off", SCHANNEL_KEY "\\KeyExchangeAlgorithms\\ECDH",
	                   names_ecdhe, "ECDH off: the ECDHE suites go",
	                   "; forward secrecy is left to DHE suites, servers with ECDSA "
	                   "certificates have no suite, and what it does to TLS 1.3 is not "
	                   "documented");
}

/* DH minimum 2048 where Windows' own default is still 1024. */
static void rule_dh_2048(struct plan *p, const struct compile_options *o)
{
	uint32_t bits = 0;
	size_t op = find_dword(p, SCHANNEL_KEY "\\KeyExchangeAlgorithms\\Diffie-Hellman",
	                       "ServerMinKeyBitLength", &bits);

	if (op == SIZE_MAX || bits < 2048 || (o->have_os && o->major >= 10) ||
	    find_set(p, SCHANNEL_KEY "\\KeyExchangeAlgorithms\\Diffie-Hellman", "Enabled", 0) !=
	        SIZE_MAX)
		return;
	add(p, "dh-min-2048", IMPACT_BREAKS,
	    "Diffie-Hellman server minimum of 2048 bits or more, up from 1024 before Windows 10 / "
	    "Server 2016: clients limited to 1024-bit groups (older Java runtimes, old "
	    "appliances) fail on DHE suites unless they also offer an ECDHE or RSA suite",
	    REF_DH, &op, 1);
}

/* FIPS policy on: .NET's non-FIPS managed classes throw; RDP peers must
 * share FIPS algorithms. */
static void rule_fips(struct plan *p, const struct compile_options *o)
{
	size_t op = find_set(p, FIPS_KEY, "Enabled", 1);

	(void)o;
	if (op == SIZE_MAX)
		return;
	add(p, "fips-policy", IMPACT_BREAKS,
	    "FIPS policy on: .NET Framework applications built for 4.7.2 or older throw when they "
	    "create a non-FIPS algorithm class (RijndaelManaged, MD5CryptoServiceProvider, "
	    "SHA256Managed, ...) unless their config has <enforceFIPSPolicy enabled=\"false\"/>; "
	    "Remote Desktop connections fail with peers that do not use the same FIPS algorithms; "
	    "curve25519 is not available",
	    REF_FIPS, &op, 1);
}

/* The table: one rule a row, run in this order. */
static void (*const rules[])(struct plan *, const struct compile_options *) = {
    rule_rdp,
    rule_no_server_tls,
    rule_sql,
    rule_dotnet,
    rule_winhttp,
    rule_eap,
    rule_no_common_suite,
    rule_tls12_server_off,
    rule_tls12_client_off,
    rule_sha_off,
    rule_pkcs_off,
    rule_ecdh_off,
    rule_dh_2048,
    rule_fips,
};

void impacts_assess(struct plan *plan, const struct compile_options *o)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rules); i++)
		rules[i](plan, o);
}

static const char *severity(enum impact_class c)
{
	return c == IMPACT_CUTS_ADMIN ? "cuts_remote_admin" : "breaks";
}

void impacts_text(const struct plan_impact *list, size_t n, struct strbuf *sb)
{
	size_t i;

	if (!n)
		return;
	sb_addf(sb, "\nWhat this may break (%zu)\n", n);
	for (i = 0; i < n; i++) {
		sb_addf(sb, "  %s %s\n", list[i].cls == IMPACT_CUTS_ADMIN ? "!!" : "! ",
		        list[i].text);
		sb_addf(
		    sb, "     see %s%s\n", list[i].ref,
		    list[i].cls == IMPACT_CUTS_ADMIN
		        ? "\n     apply refuses this without --force: it cuts remote administration"
		        : "");
	}
}

void impacts_json(struct json *j, const struct plan_impact *list, size_t n)
{
	size_t i;

	json_key(j, "impacts");
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_key_str(j, "rule", list[i].rule);
		json_key_str(j, "severity", severity(list[i].cls));
		json_key_str(j, "text", list[i].text);
		json_key_str(j, "reference", list[i].ref);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Where Component Based Servicing lists packages: Microsoft names this key
 * as where installed packages are found ("Troubleshoot Windows Update
 * installation error 0x800f0831", learn.microsoft.com/troubleshoot/
 * windows-server/installing-updates-features-roles/troubleshoot-windows-
 * update-installation-error-corruption), but documents no CurrentState
 * values: 0x70 is the one servicing tools read as "Installed" (not a
 * Microsoft source; docs/impacts.md). It only lifts the Remote Desktop
 * guard for that one update, and the report names what it found. */
#define CBS_PACKAGES                                                                               \
	"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define CBS_INSTALLED 0x70u

static bool package_installed(const struct reg_backend *b, const char *name)
{
	char *path = xasprintf(CBS_PACKAGES "\\%s", name);
	struct reg_value v = {0};
	struct sc_err err = {{0}};
	uint32_t state = 0;
	bool yes = reg_read_value_at(b, REG_VIEW_64, path, "CurrentState", &v, &err) == SC_OK &&
	           regvalue_get_dword(&v, &state) && state == CBS_INSTALLED;

	regvalue_free(&v);
	free(path);
	return yes;
}

int impacts_update_installed(const struct reg_backend *b, const char *kb, char **found,
                             struct sc_err *err)
{
	char *prefix = xasprintf("Package_for_%s~", kb), *name = NULL;
	struct reg_key *key = NULL;
	size_t i;
	int rc = b->ops->open_key(b, REG_VIEW_64, CBS_PACKAGES, REG_ACCESS_READ, &key, err);

	*found = NULL;
	for (i = 0; rc == SC_OK && (rc = b->ops->enum_subkey(b, key, i, &name, err)) == SC_OK;
	     i++) {
		bool hit = starts_with_ci(name, prefix) && package_installed(b, name);

		if (hit) {
			*found = name;
			break;
		}
		free(name);
	}
	if (key)
		b->ops->close_key(b, key);
	free(prefix);
	if (*found)
		return SC_OK;
	return rc == SC_ERROR ? SC_ERROR : SC_NOT_FOUND;
}

const struct plan_impact *impacts_cutting_admin(const struct plan_impact *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].cls == IMPACT_CUTS_ADMIN)
			return &list[i];
	return NULL;
}
