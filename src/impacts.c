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

/* The index of the op that sets path/name (64-bit view) to `value`, or
 * SIZE_MAX. */
static size_t find_set(const struct plan *p, const char *path, const char *name, uint32_t value)
{
	size_t i;

	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];
		uint32_t d;

		if (op->kind == OP_SET && op->view == REG_VIEW_64 && streq_ci(op->path, path) &&
		    streq_ci(op->name, name) && regvalue_get_dword(&op->value, &d) && d == value)
			return i;
	}
	return SIZE_MAX;
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

/* The length of a suite name without the curve suffix that Windows 8.1
 * and older append (_P256, _P384, _P521: the same suite, src/suites.c). */
static size_t stem_len(const char *name)
{
	size_t n = strlen(name);

	if (n > 5 && name[n - 5] == '_' && name[n - 4] == 'P' &&
	    (!strcmp(name + n - 3, "256") || !strcmp(name + n - 3, "384") ||
	     !strcmp(name + n - 3, "521")))
		return n - 5;
	return n;
}

static bool same_suite(const char *a, const char *b)
{
	size_t n = stem_len(a);

	return n == stem_len(b) && !strncmp_ci(a, b, n);
}

static bool in_list(char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_suite(list[i], name))
			return true;
	return false;
}

/* True if release r's default suites include none of list. */
static bool nothing_in_common(enum win_release r, char *const *list, size_t n)
{
	size_t count, i;
	const char *const *defaults = suite_default_order(r, &count);

	for (i = 0; defaults && i < count; i++)
		if (in_list(list, n, defaults[i]))
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

/* The table: one rule a row, run in this order. */
static void (*const rules[])(struct plan *, const struct compile_options *) = {
    rule_rdp, rule_sql, rule_dotnet, rule_no_common_suite, rule_tls12_server_off,
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

/* Where Component Based Servicing lists packages (what `dism /online
 * /get-packages` reads), and the state it records for an installed one. */
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
