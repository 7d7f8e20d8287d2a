/*
 * probe_config.c - the registry's answer to "what should be offered"
 * (probe_config.h).
 *
 * The cipher-suite lists: Group Policy's Functions (REG_SZ, comma
 * separated) under SOFTWARE\Policies\Microsoft\Cryptography\Configuration\
 * SSL\00010002, which wins, else the local Functions (REG_MULTI_SZ) under
 * SYSTEM\CurrentControlSet\Control\Cryptography\Configuration\Local\SSL\
 * 00010002 (Microsoft, "Prioritizing Schannel Cipher Suites").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_config.h"
#include "probe_util.h"
#include "regvalue.h"
#include "suites.h"

#define PROTOCOLS "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"
#define LOCAL_SSL                                                                                  \
	"SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration\\Local\\SSL\\00010002"
#define POLICY_SSL "SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002"

/* A DWORD value: SC_OK with *has (a value of another type counts as
 * absent, as SChannel ignores it), or SC_ERROR. */
static int read_dword(const struct reg_backend *b, const char *path, const char *name, bool *has,
                      uint32_t *v, struct sc_err *err)
{
	struct reg_value val = {0};
	int rc = reg_read_value_at(b, REG_VIEW_64, path, name, &val, err);

	*has = false;
	if (rc == SC_ERROR)
		return SC_ERROR;
	if (rc == SC_OK)
		*has = regvalue_get_dword(&val, v);
	regvalue_free(&val);
	return SC_OK;
}

static int read_protocol(const struct reg_backend *b, enum probe_proto p, struct proto_values *v,
                         struct sc_err *err)
{
	char *path = xasprintf("%s\\%s\\Client", PROTOCOLS, probe_proto_name(p));
	int rc = read_dword(b, path, "Enabled", &v->has_enabled, &v->enabled, err);

	if (rc == SC_OK)
		rc = read_dword(b, path, "DisabledByDefault", &v->has_disabled_by_default,
		                &v->disabled_by_default, err);
	free(path);
	return rc;
}

/* "a,b,c" -> a list (empty items dropped). */
static char **split_commas(const char *s, size_t *n)
{
	char **out = NULL;
	size_t cap = 0;
	const char *p = s;

	*n = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len) {
			xgrow(&out, &cap, *n + 1, sizeof(*out));
			out[(*n)++] = xstrndup(p, len);
		}
		p += len + (e ? 1 : 0);
	}
	return out;
}

static int read_suites(const struct reg_backend *b, struct probe_configured *c, struct sc_err *err)
{
	struct reg_value v = {0};
	int rc = reg_read_value_at(b, REG_VIEW_64, POLICY_SSL, "Functions", &v, err);

	c->suites_source = "release default";
	if (rc == SC_OK && (v.type == RV_SZ || v.type == RV_EXPAND_SZ)) {
		char *s = regvalue_get_string(&v);

		c->suites = split_commas(s, &c->nsuites);
		c->suites_source = "policy";
		free(s);
	} else if (rc != SC_ERROR) {
		regvalue_free(&v);
		rc = reg_read_value_at(b, REG_VIEW_64, LOCAL_SSL, "Functions", &v, err);
		if (rc == SC_OK && v.type == RV_MULTI_SZ) {
			c->suites = regvalue_get_multi_sz(&v, &c->nsuites);
			c->suites_source = "local";
		}
	}
	regvalue_free(&v);
	return rc == SC_ERROR ? SC_ERROR : SC_OK;
}

static int read_groups(const struct reg_backend *b, struct probe_configured *c, struct sc_err *err)
{
	struct reg_value v = {0};
	int rc = reg_read_value_at(b, REG_VIEW_64, POLICY_SSL, "EccCurves", &v, err);

	if (rc == SC_OK && v.type == RV_MULTI_SZ)
		c->groups = regvalue_get_multi_sz(&v, &c->ngroups);
	regvalue_free(&v);
	return rc == SC_ERROR ? SC_ERROR : SC_OK;
}

int probe_configured_read(const struct reg_backend *b, uint32_t major, uint32_t minor,
                          uint32_t build, struct probe_configured *c, struct sc_err *err)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < PP_COUNT; i++) {
		struct proto_values v = {0};

		if (read_protocol(b, (enum probe_proto)i, &v, err) != SC_OK) {
			probe_configured_free(c);
			return SC_ERROR;
		}
		c->on[i] = probe_configured_on((enum probe_proto)i, &v, major, minor, build);
		c->from_registry[i] = v.has_enabled || v.has_disabled_by_default;
	}
	if (read_suites(b, c, err) != SC_OK || read_groups(b, c, err) != SC_OK) {
		probe_configured_free(c);
		return SC_ERROR;
	}
	return SC_OK;
}

void probe_configured_free(struct probe_configured *c)
{
	strlist_free(c->suites, c->nsuites);
	strlist_free(c->groups, c->ngroups);
	memset(c, 0, sizeof(*c));
}

/* Signalling values, not suites: never "configured". */
static bool signalling(const char *name)
{
	return !strcmp(name, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV") ||
	       !strcmp(name, "TLS_FALLBACK_SCSV") || !strncmp(name, "0x", 2);
}

static void add(struct probe_difference **out, size_t *n, size_t *cap, const char *what,
                const char *name, bool offered)
{
	struct probe_difference *d;

	xgrow(out, cap, *n + 1, sizeof(**out));
	d = &(*out)[(*n)++];
	memset(d, 0, sizeof(*d));
	snprintf(d->what, sizeof(d->what), "%s", what);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->offered = offered;
	d->configured = !offered;
}

size_t probe_compare(const bool offered[PP_COUNT], char *const *suites, size_t nsuites,
                     const struct probe_configured *c, struct probe_difference **out)
{
	size_t n = 0, cap = 0, i;

	*out = NULL;
	for (i = 0; i < PP_COUNT; i++)
		if (offered[i] != c->on[i])
			add(out, &n, &cap, "version", probe_proto_name((enum probe_proto)i),
			    offered[i]);
	if (!c->suites)
		return n;
	for (i = 0; i < nsuites; i++)
		if (!signalling(suites[i]) && !suite_in(c->suites, c->nsuites, suites[i]))
			add(out, &n, &cap, "cipher_suite", suites[i], true);
	for (i = 0; i < c->nsuites; i++) /* once per suite: _P256 and _P384 are one */
		if (!suite_in(suites, nsuites, c->suites[i]) &&
		    !suite_in(c->suites, i, c->suites[i]))
			add(out, &n, &cap, "cipher_suite", c->suites[i], false);
	return n;
}

/* Windows' EccCurves name, then IANA's, for the curves whose names differ. */
static const char *const curve_alias[][2] = {{"curve25519", "x25519"},
                                             {"NistP256", "secp256r1"},
                                             {"NistP384", "secp384r1"},
                                             {"NistP521", "secp521r1"}};

/* a and b without regard to ASCII case and underscores. */
static bool loose_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == '_')
			a++;
		while (*b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if ((*a | 0x20) != (*b | 0x20))
			return false;
		a++, b++;
	}
}

bool probe_group_same(const char *windows, const char *iana)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(curve_alias); i++)
		if (streq_ci(windows, curve_alias[i][0]))
			return !strcmp(iana, curve_alias[i][1]);
	return loose_equal(windows, iana);
}

/* Whether list[0..n) has name; windows_list: the list holds Windows'
 * names (EccCurves) and name is IANA's, else the reverse. */
static bool group_listed(char *const *list, size_t n, const char *name, bool windows_list)
{
	while (n--)
		if (windows_list ? probe_group_same(list[n], name)
		                 : probe_group_same(name, list[n]))
			return true;
	return false;
}

size_t probe_compare_groups(char *const *groups, size_t ngroups, const struct probe_configured *c,
                            struct probe_difference **out, size_t n)
{
	size_t cap = n, i;

	if (!c->groups)
		return n;
	for (i = 0; i < ngroups; i++)
		if (strncmp(groups[i], "0x", 2) &&
		    !group_listed(c->groups, c->ngroups, groups[i], true))
			add(out, &n, &cap, "group", groups[i], true);
	for (i = 0; i < c->ngroups; i++)
		if (!group_listed(groups, ngroups, c->groups[i], false))
			add(out, &n, &cap, "group", c->groups[i], false);
	return n;
}
