/*
 * capture.c - registry -> profile text (see capture.h).
 *
 * Reads through the backend interface only. Every value read is either
 * written in words (and marked used) or written raw; nothing is dropped, so
 * the profile compiles back to exactly the captured state.
 */
#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "regfile.h"
#include "roots.h"
#include "schema.h"
#include "suites.h"
#include "version.h"

struct cap_value {
	char *name;
	bool present; /* false: a value to delete (absent in the source) */
	struct reg_value v;
	bool used; /* written in words */
};

struct cap_key {
	enum reg_view view;
	char *path;
	struct cap_value *values;
	size_t n, cap;
	size_t nsubkeys;
	bool whole; /* read entirely (an empty one is written as "key exists") */
};

struct capture {
	const struct reg_backend *b;
	struct cap_key *keys;
	size_t n, cap;
	struct capture_stats *st;
	struct sc_err *err;
	unsigned raw_sections;
};

static struct cap_key *add_key(struct capture *c, enum reg_view view, const char *path)
{
	struct cap_key *k;

	xgrow(&c->keys, &c->cap, c->n + 1, sizeof(*c->keys));
	k = &c->keys[c->n++];
	memset(k, 0, sizeof(*k));
	k->view = view;
	k->path = xstrdup(path);
	c->st->keys++;
	return k;
}

static struct cap_value *add_value(struct cap_key *k, const char *name)
{
	struct cap_value *v;

	xgrow(&k->values, &k->cap, k->n + 1, sizeof(*k->values));
	v = &k->values[k->n++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	return v;
}

static struct cap_key *find_key(const struct capture *c, enum reg_view view, const char *path)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->keys[i].view == view && streq_ci(c->keys[i].path, path))
			return &c->keys[i];
	return NULL;
}

static struct cap_value *find_value(struct cap_key *k, const char *name)
{
	size_t i;

	for (i = 0; k && i < k->n; i++)
		if (k->values[i].present && streq_ci(k->values[i].name, name))
			return &k->values[i];
	return NULL;
}

static bool dword_of(const struct cap_value *v, uint32_t *d)
{
	return v && regvalue_get_dword(&v->v, d);
}

static int read_one(struct capture *c, struct reg_key *key, struct cap_key *k, const char *name)
{
	struct reg_value v = {0};
	int rc = c->b->read_value(c->b, key, name, &v, c->err);

	if (rc == SC_ERROR)
		return rc;
	if (rc == SC_OK) {
		struct cap_value *cv = add_value(k, name);

		cv->present = true;
		cv->v = v;
		c->st->values++;
	}
	return SC_OK;
}

/* Reads a key and everything below it; a missing key is fine. */
static int read_tree(struct capture *c, enum reg_view view, const char *path)
{
	struct reg_key *key = NULL;
	struct cap_key *k;
	char *name;
	size_t i;
	int rc = c->b->open_key(c->b, view, path, REG_ACCESS_READ, &key, c->err);

	if (rc != SC_OK)
		return rc == SC_NOT_FOUND ? SC_OK : rc;
	k = add_key(c, view, path);
	k->whole = true;
	for (i = 0; rc == SC_OK && (rc = c->b->enum_value(c->b, key, i, &name, c->err)) == SC_OK;
	     i++) {
		rc = read_one(c, key, k, name);
		free(name);
	}
	for (i = 0;
	     rc != SC_ERROR && (rc = c->b->enum_subkey(c->b, key, i, &name, c->err)) == SC_OK;
	     i++) {
		char *child = xasprintf("%s\\%s", path, name);

		k->nsubkeys++;
		rc = read_tree(c, view, child);
		k = find_key(c, view, path); /* read_tree may have moved the array */
		free(child);
		free(name);
	}
	c->b->close_key(c->b, key);
	return rc == SC_ERROR ? rc : SC_OK;
}

/* Reads the named values of one key (absent ones are noted as absent). */
static int read_values(struct capture *c, enum reg_view view, const char *path,
                       const char *const *names, size_t count)
{
	struct reg_key *key = NULL;
	struct cap_key *k = add_key(c, view, path);
	size_t i;
	int rc = c->b->open_key(c->b, view, path, REG_ACCESS_READ, &key, c->err);

	if (rc == SC_NOT_FOUND)
		return SC_OK;
	for (i = 0; rc == SC_OK && i < count; i++)
		rc = read_one(c, key, k, names[i]);
	if (key)
		c->b->close_key(c->b, key);
	return rc;
}

static int read_all(struct capture *c)
{
	static const char *const dotnet[] = {"SchUseStrongCrypto", "SystemDefaultTlsVersions"};
	static const char *const winhttp[] = {"DefaultSecureProtocols"};
	static const char *const eap[] = {"TlsVersion"};
	static const char *const fips[] = {"Enabled"};
	size_t i, view;
	int rc = read_tree(c, REG_VIEW_64, SCHANNEL_KEY);

	if (rc == SC_OK)
		rc = read_tree(c, REG_VIEW_64, SUITES_LOCAL_KEY);
	if (rc == SC_OK)
		rc = read_tree(c, REG_VIEW_64, SUITES_POLICY_KEY);
	for (view = 0; rc == SC_OK && view < 2; view++) {
		for (i = 0; rc == SC_OK && i < vocab_dotnet_versions.count; i++) {
			char *path =
			    xasprintf(DOTNET_KEY "\\%s", vocab_dotnet_versions.entries[i].name);

			rc = read_values(c, (enum reg_view)view, path, dotnet, ARRAY_SIZE(dotnet));
			free(path);
		}
		if (rc == SC_OK)
			rc = read_values(c, (enum reg_view)view, WINHTTP_KEY, winhttp, 1);
	}
	if (rc == SC_OK)
		rc = read_values(c, REG_VIEW_64, EAP_TLS_KEY, eap, 1);
	if (rc == SC_OK)
		rc = read_values(c, REG_VIEW_64, FIPS_KEY, fips, 1);
	return rc;
}

/* ---- words ---- */

/*
 * A managed value absent from the source: if its key exists there, the
 * absence is written raw ("name" = -, in that key's [key] section, which
 * also says the key exists); if the key is missing too, the word is
 * "default" (remove the value, then the key once empty).
 */
static bool absent_is_raw(struct capture *c, const char *path, const char *value)
{
	struct cap_key *k = find_key(c, REG_VIEW_64, path);

	if (!k || !k->whole)
		return false;
	add_value(k, value)->present = false;
	return true;
}

static void line(struct capture *c, struct strbuf *sb, const char *fmt, ...) SC_PRINTF(3, 4);

static void line(struct capture *c, struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
	sb_addc(sb, '\n');
	c->st->words++;
}

/* Appends "[header]" and the section's lines, if it has any. */
static void section(struct strbuf *out, const char *header, struct strbuf *body)
{
	if (body->len)
		sb_addf(out, "\n%s\n%s", header, body->buf);
	sb_free(body);
}

static void protocol_side(struct capture *c, const char *proto, const char *side, struct strbuf *sb)
{
	char *path = xasprintf(SCHANNEL_KEY "\\Protocols\\%s\\%s", proto, side);
	struct cap_key *k = find_key(c, REG_VIEW_64, path);
	struct cap_value *en = find_value(k, "Enabled"), *dbd = find_value(k, "DisabledByDefault");
	uint32_t e, d;
	char lower[8];
	size_t i;

	for (i = 0; side[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)(side[i] | 0x20);
	lower[i] = '\0';
	if (!en && !dbd) {
		if (!absent_is_raw(c, path, "Enabled") ||
		    !absent_is_raw(c, path, "DisabledByDefault"))
			line(c, sb, "%s = default", lower);
	} else if (dword_of(en, &e) && dword_of(dbd, &d) &&
	           ((e == 1 && d == 0) || (e == 0 && d == 1))) {
		line(c, sb, "%s = %s", lower, e ? "enabled" : "disabled");
		en->used = dbd->used = true;
	} else {
		/* Written raw; the missing half of the pair is raw too. */
		if (!en)
			absent_is_raw(c, path, "Enabled");
		if (!dbd)
			absent_is_raw(c, path, "DisabledByDefault");
	}
	free(path);
}

static void words_protocols(struct capture *c, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < vocab_protocols.count; i++) {
		const char *proto = vocab_protocols.entries[i].name;
		struct strbuf body = STRBUF_INIT;
		char *header = xasprintf("[protocol \"%s\"]", proto);

		protocol_side(c, proto, "Client", &body);
		protocol_side(c, proto, "Server", &body);
		section(out, header, &body);
		free(header);
	}
}

/* Ciphers, hashes, key exchange: Enabled 0xffffffff / 0 / absent. */
static void words_algorithms(struct capture *c, const char *folder, const struct vocab *v,
                             struct strbuf *body)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		char *path = xasprintf(SCHANNEL_KEY "\\%s\\%s", folder, v->entries[i].name);
		struct cap_value *en = find_value(find_key(c, REG_VIEW_64, path), "Enabled");
		uint32_t e;

		if (!en) {
			if (!absent_is_raw(c, path, "Enabled"))
				line(c, body, "%s = default", v->entries[i].name);
		} else if (dword_of(en, &e) && (e == 0 || e == 0xFFFFFFFFu)) {
			line(c, body, "%s = %s", v->entries[i].name, e ? "enabled" : "disabled");
			en->used = true;
		}
		free(path);
	}
}

static void words_key_bits(struct capture *c, struct strbuf *body)
{
	static const struct {
		const char *word, *key, *value;
	} bits[] = {
	    {"dh-server-min-bits", "Diffie-Hellman", "ServerMinKeyBitLength"},
	    {"dh-client-min-bits", "Diffie-Hellman", "ClientMinKeyBitLength"},
	    {"pkcs-client-min-bits", "PKCS", "ClientMinKeyBitLength"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		char *path = xasprintf(SCHANNEL_KEY "\\KeyExchangeAlgorithms\\%s", bits[i].key);
		struct cap_value *v = find_value(find_key(c, REG_VIEW_64, path), bits[i].value);
		uint32_t d;

		if (!v) {
			if (!absent_is_raw(c, path, bits[i].value))
				line(c, body, "%s = default", bits[i].word);
		} else if (dword_of(v, &d) && d >= 512 && d <= 16384) {
			line(c, body, "%s = %u", bits[i].word, d);
			v->used = true;
		}
		free(path);
	}
}

static void words_schannel(struct capture *c, struct strbuf *out)
{
	struct strbuf ciphers = STRBUF_INIT, hashes = STRBUF_INIT, kex = STRBUF_INIT;
	struct strbuf general = STRBUF_INIT;
	struct cap_value *ev = find_value(find_key(c, REG_VIEW_64, SCHANNEL_KEY), "EventLogging");
	uint32_t d;

	words_protocols(c, out);
	words_algorithms(c, "Ciphers", &vocab_ciphers, &ciphers);
	section(out, "[ciphers]", &ciphers);
	words_algorithms(c, "Hashes", &vocab_hashes, &hashes);
	section(out, "[hashes]", &hashes);
	words_algorithms(c, "KeyExchangeAlgorithms", &vocab_kex, &kex);
	words_key_bits(c, &kex);
	section(out, "[key-exchange]", &kex);
	if (!ev) {
		if (!absent_is_raw(c, SCHANNEL_KEY, "EventLogging"))
			line(c, &general, "EventLogging = default");
	} else if (dword_of(ev, &d) && d <= 7) {
		line(c, &general, "EventLogging = %u", d);
		ev->used = true;
	}
	section(out, "[schannel]", &general);
}

/* A list the profile language can state as "order = ...": known suites,
 * each once. */
static bool speakable_list(const struct cap_value *v, char ***items, size_t *n)
{
	size_t i, j;

	if (!v || v->v.type != RV_MULTI_SZ || !regvalue_is_clean_string(&v->v))
		return false;
	*items = regvalue_get_multi_sz(&v->v, n);
	for (i = 0; i < *n; i++) {
		bool ok = suite_find((*items)[i]) != NULL;

		for (j = 0; ok && j < i; j++)
			ok = strcmp((*items)[i], (*items)[j]) != 0;
		if (!ok)
			break;
	}
	if (*n && i == *n)
		return true;
	strlist_free(*items, *n);
	return false;
}

static bool speakable_curves(const struct cap_value *v, char ***items, size_t *n)
{
	size_t i;

	if (!v || v->v.type != RV_MULTI_SZ || !regvalue_is_clean_string(&v->v))
		return false;
	*items = regvalue_get_multi_sz(&v->v, n);
	for (i = 0; i < *n && curve_known((*items)[i]); i++)
		;
	if (*n && i == *n)
		return true;
	strlist_free(*items, *n);
	return false;
}

static void words_suites(struct capture *c, struct strbuf *out)
{
	struct cap_value *local =
	    find_value(find_key(c, REG_VIEW_64, SUITES_LOCAL_KEY), "Functions");
	struct cap_value *curves =
	    find_value(find_key(c, REG_VIEW_64, SUITES_POLICY_KEY), "EccCurves");
	struct strbuf body = STRBUF_INIT;
	char **items;
	size_t n, i;

	if (speakable_list(local, &items, &n)) {
		sb_adds(&body, "where = local\n");
		sb_adds(&body, "order =");
		for (i = 0; i < n; i++)
			sb_addf(&body, " %s", items[i]);
		line(c, &body, "%s", "");
		local->used = true;
		strlist_free(items, n);
	}
	if (speakable_curves(curves, &items, &n)) {
		sb_adds(&body, "ecc-curves =");
		for (i = 0; i < n; i++)
			sb_addf(&body, " %s", items[i]);
		line(c, &body, "%s", "");
		curves->used = true;
		strlist_free(items, n);
	}
	section(out, "[cipher-suites]", &body);
}

/*
 * A value kept in several copies (.NET versions x views, WinHTTP views):
 * in words when every copy agrees on 0/1 (or a mask), "default" when all
 * are absent; otherwise each copy is written raw and absent copies become
 * explicit deletions.
 */
struct copies {
	struct cap_key *keys[4];
	size_t n;
};

static bool copies_agree(struct copies *cp, const char *name, bool *all_absent, uint32_t *d)
{
	size_t i, present = 0;
	bool same = true;

	for (i = 0; i < cp->n; i++) {
		struct cap_value *v = find_value(cp->keys[i], name);
		uint32_t x;

		if (!v)
			continue;
		present++;
		if (!dword_of(v, &x) || (present > 1 && x != *d))
			same = false;
		*d = x;
	}
	*all_absent = present == 0;
	return present == cp->n && same;
}

static void copies_to_raw_deletions(struct copies *cp, const char *name)
{
	size_t i;

	for (i = 0; i < cp->n; i++)
		if (!find_value(cp->keys[i], name))
			add_value(cp->keys[i], name)->present = false;
}

static void mark_used(struct copies *cp, const char *name)
{
	size_t i;

	for (i = 0; i < cp->n; i++)
		find_value(cp->keys[i], name)->used = true;
}

/* One copy-kept value in words; `ok` says whether the agreed number fits. */
static void words_copies(struct capture *c, struct copies *cp, const char *name,
                         bool (*fits)(uint32_t), struct strbuf *body)
{
	bool absent;
	uint32_t d = 0;

	if (copies_agree(cp, name, &absent, &d) && fits(d)) {
		line(c, body, d <= 1 ? "%s = %u" : "%s = 0x%x", name, d);
		mark_used(cp, name);
	} else if (absent) {
		line(c, body, "%s = default", name);
	} else {
		copies_to_raw_deletions(cp, name);
	}
}

static bool fits_flag(uint32_t d)
{
	return d <= 1;
}

/* Does a mask use only protocol bits the vocabulary knows (WinHTTP or EAP)? */
static bool fits_mask(uint32_t d, bool eap)
{
	uint32_t known = 0;
	size_t i;

	for (i = 0; i < vocab_protocols.count; i++)
		known |= eap ? vocab_protocols.entries[i].eap : vocab_protocols.entries[i].winhttp;
	return !(d & ~known);
}

static bool fits_winhttp(uint32_t d)
{
	return fits_mask(d, false);
}

static bool fits_eap(uint32_t d)
{
	return fits_mask(d, true);
}

static void words_dotnet_winhttp(struct capture *c, struct strbuf *out)
{
	struct copies dotnet = {{0}, 0}, winhttp = {{0}, 0};
	struct strbuf body = STRBUF_INIT;
	size_t view, i;

	for (view = 0; view < 2; view++) {
		for (i = 0; i < vocab_dotnet_versions.count; i++) {
			char *path =
			    xasprintf(DOTNET_KEY "\\%s", vocab_dotnet_versions.entries[i].name);

			dotnet.keys[dotnet.n++] = find_key(c, (enum reg_view)view, path);
			free(path);
		}
		winhttp.keys[winhttp.n++] = find_key(c, (enum reg_view)view, WINHTTP_KEY);
	}
	words_copies(c, &dotnet, "SchUseStrongCrypto", fits_flag, &body);
	words_copies(c, &dotnet, "SystemDefaultTlsVersions", fits_flag, &body);
	section(out, "[dotnet]", &body);
	words_copies(c, &winhttp, "DefaultSecureProtocols", fits_winhttp, &body);
	section(out, "[winhttp]", &body);
}

static void words_single(struct capture *c, const char *path, const char *value, const char *word,
                         bool (*fits)(uint32_t), const char *header, struct strbuf *out)
{
	struct copies one = {{find_key(c, REG_VIEW_64, path)}, 1};
	struct strbuf body = STRBUF_INIT;
	bool absent;
	uint32_t d = 0;

	if (copies_agree(&one, value, &absent, &d) && fits(d)) {
		if (!strcmp(word, "policy"))
			line(c, &body, "policy = %s", d ? "enabled" : "disabled");
		else
			line(c, &body, "%s = 0x%x", word, d);
		mark_used(&one, value);
	} else if (absent) {
		line(c, &body, "%s = default", word);
	} else {
		copies_to_raw_deletions(&one, value);
	}
	section(out, header, &body);
}

/* ---- raw ---- */

/* INI (inih) splits at the first '=' or ':' and trims spaces: such names
 * cannot be written. */
static bool ini_safe(const char *s)
{
	size_t n = strlen(s);

	if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		return false;
	for (; *s; s++)
		if (*s == '=' || *s == ':' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

static bool has_present_values(const struct cap_key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->values[i].present)
			return true;
	return false;
}

/* A string-typed value that is not a well-formed string is reproduced
 * byte for byte; the profile must then say so (malformed = yes). */
static bool has_malformed_string(const struct cap_key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		const struct reg_value *v = &k->values[i].v;

		if (k->values[i].present && !k->values[i].used && regvalue_is_malformed_string(v) &&
		    tls_value_allowed(k->path, k->values[i].name))
			return true;
	}
	return false;
}

/* A value that is not a documented TLS value is left out: applying it
 * would need --allow-any-key (roots.h), and a capture is for cloning TLS
 * settings. It is named in a comment, so nothing goes unnoticed. */
static bool skip_value(struct capture *c, const struct cap_key *k, const struct cap_value *v,
                       struct strbuf *out)
{
	if (tls_value_allowed(k->path, v->name))
		return false;
	sb_addf(out,
	        "; not captured: HKLM\\%s%s \"%s\" is not a documented TLS value "
	        "(docs/allowlist.md)\n",
	        k->path, k->view == REG_VIEW_32 ? " (32-bit view)" : "", v->name);
	c->st->skipped++;
	return true;
}

static int raw_key(struct capture *c, const struct cap_key *k, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	size_t i, nvalues = 0;
	bool exists;

	for (i = 0; i < k->n; i++) {
		const struct cap_value *v = &k->values[i];

		if (v->used || skip_value(c, k, v, out))
			continue;
		if (!ini_safe(v->name)) {
			sb_free(&body);
			return sc_err_set(c->err,
			                  "HKLM\\%s: value name \"%s\" cannot be written in a "
			                  "profile (it holds '=', ':', a control character or "
			                  "leading/trailing spaces)",
			                  k->path, v->name);
		}
		regfile_format_assignment(&body, v->name, v->present ? &v->v : NULL);
		sb_addc(&body, '\n');
		c->st->raw++;
		nvalues++;
	}
	/* A key read whole that holds no value of its own and no subkey would
	 * not come back by writing values: say that it exists. */
	exists = k->whole && !k->nsubkeys && !has_present_values(k) &&
	         (tls_key_allowed(k->path) || tls_key_ancestor(k->path));
	if (!nvalues && !exists) {
		sb_free(&body);
		return SC_OK;
	}
	if (!ini_safe(k->path)) {
		sb_free(&body);
		return sc_err_set(c->err, "HKLM\\%s: key path cannot be written in a profile",
		                  k->path);
	}
	sb_addf(out, "\n[key \"raw-%u\"]\npath = HKLM\\%s\nview = %s\n%s%s%s", ++c->raw_sections,
	        k->path, k->view == REG_VIEW_32 ? "32" : "64", exists ? "exists = yes\n" : "",
	        has_malformed_string(k) ? "malformed = yes\n" : "", sb_str(&body));
	sb_free(&body);
	return SC_OK;
}

static void header(const char *source, time_t now, struct strbuf *out)
{
	char *when = utc_iso_time(now);

	sb_addf(out,
	        "; Captured by schannelcfg %s from %s on %s.\n"
	        "; Applying this profile makes another machine's TLS registry settings match:\n"
	        "; values in words where the vocabulary says exactly the same thing, the\n"
	        "; rest as raw [key] sections; \"default\" removes a value absent here.\n"
	        "[profile]\nname      = captured\n"
	        "summary   = TLS configuration captured from %s on %s\n"
	        "reference = schannelcfg capture\n",
	        SCHANNELCFG_VERSION, source, when, source, when);
	free(when);
}

static void free_capture(struct capture *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->keys[i].n; j++) {
			free(c->keys[i].values[j].name);
			regvalue_free(&c->keys[i].values[j].v);
		}
		free(c->keys[i].values);
		free(c->keys[i].path);
	}
	free(c->keys);
}

int capture_profile(const struct reg_backend *b, const char *source, time_t now, struct strbuf *out,
                    struct capture_stats *stats, struct sc_err *err)
{
	struct capture c = {.b = b, .st = stats, .err = err};
	size_t i;
	int rc;

	memset(stats, 0, sizeof(*stats));
	rc = read_all(&c);
	if (rc == SC_OK) {
		header(source, now, out);
		words_schannel(&c, out);
		words_suites(&c, out);
		words_dotnet_winhttp(&c, out);
		words_single(&c, EAP_TLS_KEY, "TlsVersion", "TlsVersion", fits_eap, "[eap-tls]",
		             out);
		words_single(&c, FIPS_KEY, "Enabled", "policy", fits_flag, "[fips]", out);
		for (i = 0; rc == SC_OK && i < c.n; i++)
			rc = raw_key(&c, &c.keys[i], out);
	}
	free_capture(&c);
	return rc;
}
