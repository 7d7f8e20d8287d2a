/*
 * snapshot.c - before-images: made from a diff, written as a .reg file,
 * read back (with integrity and scope checks), turned into a restore plan.
 */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci_index.h"
#include "platform.h"
#include "regfile.h"
#include "roots.h"
#include "sha256.h"
#include "version.h"

#define SNAPSHOT_MAGIC  "schannelcfg snapshot"
#define SNAPSHOT_FORMAT "2"
#define SHA_PREFIX      "; sha256: "
#define HMAC_PREFIX     "; hmac-sha256: "
/* Everything before the authentication line, byte for byte. The MAC (or
 * hash) covers everything after it (header fields and body), so no line
 * outside it can carry meaning. */
#define SNAPSHOT_PREAMBLE                                                                          \
	"Windows Registry Editor Version 5.00\r\n\r\n"                                             \
	"; " SNAPSHOT_MAGIC " - restores the registry as it was before an apply.\r\n"

#ifdef _WIN32
#define PATH_SEP '\\'
#else
#define PATH_SEP '/'
#endif

static void add_value(struct snapshot *s, enum reg_view view, const char *path, const char *name,
                      bool present, const struct reg_value *v)
{
	struct snap_value *sv;

	xgrow(&s->values, &s->vcap, s->nvalues + 1, sizeof(*s->values));
	sv = &s->values[s->nvalues++];
	memset(sv, 0, sizeof(*sv));
	sv->view = view;
	sv->path = xstrdup(path);
	sv->name = xstrdup(name);
	sv->present = present;
	if (present)
		regvalue_set_bytes(&sv->value, v->type, v->data, v->size);
}

/* A list of keys being built without repeats (view, path compared
 * case-insensitively), in the order first added; the index finds a repeat
 * in one probe, so 9,000 keys cost 9,000 probes, not 40 million compares. */
struct key_list {
	struct snap_key **keys;
	size_t *n, *cap;
	struct ci_index index;
};

#define KEY_LIST(array, count, capacity)                                                           \
	{                                                                                          \
		&(array), &(count), &(capacity),                                                   \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}

static void add_key(struct key_list *l, enum reg_view view, const char *path)
{
	size_t it = 0, pos, h = hash_ci(view, path);

	while ((pos = ci_index_next(&l->index, h, &it)) != SIZE_MAX)
		if ((*l->keys)[pos].view == view && streq_ci((*l->keys)[pos].path, path))
			return;
	xgrow(l->keys, l->cap, *l->n + 1, sizeof(**l->keys));
	ci_index_xput(&l->index, h, *l->n);
	(*l->keys)[*l->n].view = view;
	(*l->keys)[(*l->n)++].path = xstrdup(path);
}

/* Records that the apply creates `root` on the way to `path`. The .reg
 * body may delete ([-KEY]) only from a TLS-related root down: a root above
 * that is clamped to the TLS root, and the keys above it go to s->above
 * (as do created keys that are themselves above a root: a rollback
 * re-creating such a key). */
static void add_created(struct key_list *created, struct key_list *above, enum reg_view view,
                        const char *path, const char *root)
{
	const char *tls = tls_root_of(path);

	if ((tls && strlen(root) < strlen(tls)) || (!tls && tls_root_below(path))) {
		char *p = xstrndup(path, tls ? strlen(tls) : strlen(path));

		if (tls)
			add_key(created, view, p);
		else
			add_key(above, view, p);
		while (strlen(p) > strlen(root)) {
			*strrchr(p, '\\') = '\0';
			add_key(above, view, p);
		}
		free(p);
	} else {
		add_key(created, view, root);
	}
	/* A root that lives in the other view's key (the 32-bit SOFTWARE in the
	 * 64-bit one): when it was missing, so may its container have been (a
	 * state file). It is removed only if empty, and a real HKLM\SOFTWARE
	 * never is. */
	{
		enum reg_view cview;
		const char *container = reg_view_container(view, root, &cview);

		if (container)
			add_key(above, cview, container);
	}
}

void snapshot_from_diff(const struct diff *d, const struct snap_label *label, struct snapshot *s)
{
	struct key_list existed = KEY_LIST(s->existed, s->nexisted, s->ecap);
	struct key_list created = KEY_LIST(s->created, s->ncreated, s->ccap);
	struct key_list above = KEY_LIST(s->above, s->nabove, s->acap);
	size_t i;

	memset(s, 0, sizeof(*s));
	s->time = utc_iso_time(label->now);
	s->profile = xstrdup(label->profile ? label->profile : "");
	s->target = xstrdup(label->target ? label->target : "");
	s->tool = xstrdup(SCHANNELCFG_VERSION);
	s->machine = xstrdup(label->machine ? label->machine : "-");
	s->kind = label->kind;
	s->allow_any_key = label->allow_any_key;
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->entries[i];
		const struct plan_op *op = e->op;

		if (!e->changed)
			continue;
		if (op->kind == OP_DELETE_KEY_IF_EMPTY)
			add_key(&existed, op->view, op->path);
		else if (op->name)
			add_value(s, op->view, op->path, op->name, e->before_present, &e->before);
		if (!e->created_root)
			continue;
		add_created(&created, &above, op->view, op->path, e->created_root);
		/* A key re-created empty (a rollback's OP_CREATE_KEY) holds no
		 * value that would lead the restore plan down to it: name it,
		 * so that its own restore removes it again. */
		if (op->kind == OP_CREATE_KEY)
			add_created(&created, &above, op->view, op->path, op->path);
	}
	ci_index_free(&existed.index);
	ci_index_free(&created.index);
	ci_index_free(&above.index);
}

void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nvalues; i++) {
		free(s->values[i].path);
		free(s->values[i].name);
		regvalue_free(&s->values[i].value);
	}
	for (i = 0; i < s->nexisted; i++)
		free(s->existed[i].path);
	for (i = 0; i < s->ncreated; i++)
		free(s->created[i].path);
	for (i = 0; i < s->nabove; i++)
		free(s->above[i].path);
	free(s->above);
	free(s->values);
	free(s->existed);
	free(s->created);
	free(s->id);
	free(s->time);
	free(s->profile);
	free(s->target);
	free(s->machine);
	free(s->tool);
	memset(s, 0, sizeof(*s));
}

static void format_body(const struct snapshot *s, struct strbuf *sb)
{
	const struct snap_value *last = NULL;
	size_t i;

	for (i = 0; i < s->nvalues; i++) {
		const struct snap_value *v = &s->values[i];

		if (!last || last->view != v->view || strcmp(last->path, v->path)) {
			sb_adds(sb, "\r\n");
			regfile_format_key(sb, v->view, v->path, false);
		}
		last = v;
		if (v->present)
			regfile_format_value(sb, v->name, &v->value);
		else
			regfile_format_delete_value(sb, v->name);
	}
	for (i = 0; i < s->nexisted; i++) {
		sb_adds(sb, "\r\n");
		regfile_format_key(sb, s->existed[i].view, s->existed[i].path, false);
	}
}

static void format_keys(struct strbuf *sb, const char *field, const struct snap_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_addf(sb, "; %s: %s %s\r\n", field, keys[i].view == REG_VIEW_32 ? "32" : "64",
		        keys[i].path);
}

static const char *kind_name(enum snap_kind kind)
{
	return kind == SNAP_ROLLBACK ? "rollback" : "apply";
}

/* The authentication line for the hashed text. */
static void format_auth(const struct snap_auth *auth, const struct strbuf *hashed,
                        struct strbuf *sb)
{
	char hex[65];

	if (auth && auth->keyed) {
		uint8_t mac[32];

		hmac_sha256(auth->key, sizeof(auth->key), hashed->buf, hashed->len, mac);
		hex_encode(mac, sizeof(mac), hex);
		sb_addf(sb, HMAC_PREFIX "%s\r\n", hex);
	} else {
		sha256_hex(hashed->buf, hashed->len, hex);
		sb_addf(sb, SHA_PREFIX "%s\r\n", hex);
	}
}

void snapshot_format_auth(const struct snapshot *s, const struct snap_auth *auth, struct strbuf *sb)
{
	struct strbuf hashed = STRBUF_INIT;

	sb_adds(&hashed,
	        "; Restore with: schannelcfg rollback ID   (or: reg import THIS-FILE)\r\n");
	sb_addf(&hashed, "; format: %s\r\n", SNAPSHOT_FORMAT);
	sb_addf(&hashed, "; id: %s\r\n", s->id ? s->id : "");
	sb_addf(&hashed, "; kind: %s\r\n", kind_name(s->kind));
	sb_addf(&hashed, "; time: %s\r\n", s->time);
	sb_addf(&hashed, "; profile: %s\r\n", s->profile);
	sb_addf(&hashed, "; target: %s\r\n", s->target);
	sb_addf(&hashed, "; machine: %s\r\n", s->machine ? s->machine : "-");
	sb_addf(&hashed, "; allow-any-key: %s\r\n", s->allow_any_key ? "yes" : "no");
	sb_addf(&hashed, "; tool: schannelcfg %s\r\n", s->tool);
	sb_addf(&hashed, "; values: %zu\r\n", s->nvalues);
	sb_addf(&hashed, "; existed-keys: %zu\r\n", s->nexisted);
	sb_addf(&hashed, "; created-keys: %zu\r\n", s->ncreated);
	format_keys(&hashed, "created-key", s->created, s->ncreated);
	format_keys(&hashed, "created-above-root", s->above, s->nabove);
	format_body(s, &hashed);
	sb_adds(sb, SNAPSHOT_PREAMBLE);
	format_auth(auth, &hashed, sb);
	sb_add(sb, hashed.buf, hashed.len);
	sb_free(&hashed);
}

void snapshot_format(const struct snapshot *s, struct strbuf *sb)
{
	snapshot_format_auth(s, NULL, sb);
}

/* ---- reading ---- */

/* The value of "; name: value" among the header comments, or NULL. */
static const char *header_field(const struct regfile *rf, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < rf->ncomments; i++) {
		const char *c = rf->header_comments[i];

		if (!strncmp(c, name, n) && c[n] == ':')
			return c[n + 1] == ' ' ? c + n + 2 : c + n + 1;
	}
	return NULL;
}

static bool hex_decode32(const char *hex, uint8_t out[32])
{
	size_t i;

	for (i = 0; i < 32; i++) {
		uint64_t byte;
		char two[3] = {hex[2 * i], hex[2 * i + 1], '\0'};

		if (!parse_hex_u64(two, 2, &byte))
			return false;
		out[i] = (uint8_t)byte;
	}
	return true;
}

/* Which authentication line the file has: HMAC (keyed) or plain hash.
 * A keyed check never accepts a plain hash, which anyone can recompute. */
static int auth_line(const char *source, const struct regfile *rf, const struct snap_auth *auth,
                     bool *keyed, const char **hex, struct sc_err *err)
{
	size_t preamble = strlen(SNAPSHOT_PREAMBLE);
	const char *line = rf->text + preamble;
	bool want_keyed = auth && auth->keyed, any = auth && auth->unverified;

	if (rf->text_len < preamble || memcmp(rf->text, SNAPSHOT_PREAMBLE, preamble))
		return sc_err_set(err,
		                  "%s: not a schannelcfg snapshot (no snapshot title), or "
		                  "damaged",
		                  source);
	*keyed = starts_with(line, HMAC_PREFIX);
	if (!*keyed && !starts_with(line, SHA_PREFIX))
		return sc_err_set(err,
		                  "%s: no \"%s\" line right after the snapshot title; not a "
		                  "snapshot, or damaged",
		                  source, want_keyed ? "hmac-sha256:" : "sha256:");
	if (want_keyed && !*keyed && !any)
		return sc_err_set(err,
		                  "%s: not authenticated (it carries only a plain SHA-256, which "
		                  "anyone can recompute: a state-file snapshot, or forged); "
		                  "refusing to restore it to the live registry",
		                  source);
	if (!want_keyed && *keyed && !any)
		return sc_err_set(err,
		                  "%s: a live-registry snapshot (HMAC-authenticated); it restores "
		                  "only the live registry",
		                  source);
	*hex = line + strlen(*keyed ? HMAC_PREFIX : SHA_PREFIX);
	return SC_OK;
}

/* Checks the MAC (or hash) after the fixed preamble against the rest of
 * the file. */
static int check_auth(const char *source, const struct regfile *rf, const struct snap_auth *auth,
                      struct snapshot *s, struct sc_err *err)
{
	const char *hex = NULL, *body;
	uint8_t want[32], got[32];
	size_t body_len;
	bool keyed = false;
	int rc = auth_line(source, rf, auth, &keyed, &hex, err);

	if (rc != SC_OK)
		return rc;
	if (strspn(hex, "0123456789abcdef") != 64 || !strchr("\r\n", hex[64]) ||
	    (hex[64] == '\r' && hex[65] != '\n') || !hex_decode32(hex, want))
		return sc_err_set(err, "%s: integrity line damaged (expected 64 hex digits)",
		                  source);
	s->keyed = keyed;
	if (keyed && !(auth && auth->keyed))
		return SC_OK; /* listing without the key: unverified */
	body = hex + 64 + (hex[64] == '\r') + (hex[64] != '\0');
	body_len = rf->text_len - (size_t)(body - rf->text);
	if (keyed) {
		hmac_sha256(auth->key, sizeof(auth->key), body, body_len, got);
	} else {
		struct sha256 h;

		sha256_init(&h);
		sha256_update(&h, body, body_len);
		sha256_final(&h, got);
	}
	if (!digest_equal(want, got, sizeof(got)))
		return sc_err_set(
		    err,
		    "%s: %s (the file was changed, truncated, damaged or forged "
		    "after it was written); refusing to use it",
		    source,
		    keyed ? "authentication failed: its HMAC does not verify under this "
		            "machine's snapshot key"
		          : "integrity check failed");
	s->verified = true;
	return SC_OK;
}

static int parse_kind(const char *source, const char *text, struct snapshot *s, struct sc_err *err)
{
	if (!strcmp(text, "apply"))
		s->kind = SNAP_APPLY;
	else if (!strcmp(text, "rollback"))
		s->kind = SNAP_ROLLBACK;
	else
		return sc_err_set(err, "%s: snapshot kind \"%s\" (expected apply or rollback)",
		                  source, text);
	return SC_OK;
}

static int parse_yes_no(const char *source, const char *field, const char *text, bool *out,
                        struct sc_err *err)
{
	if (strcmp(text, "yes") && strcmp(text, "no"))
		return sc_err_set(err, "%s: snapshot %s \"%s\" (expected yes or no)", source, field,
		                  text);
	*out = !strcmp(text, "yes");
	return SC_OK;
}

static char *compact_time(const char *iso)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *iso; iso++)
		if (*iso != '-' && *iso != ':')
			sb_addc(&sb, *iso);
	return sb_detach(&sb);
}

/* The id is "<time, compact>-<4-digit sequence>-<profile>": its time must
 * be the hashed time (so that the file name cannot claim another). */
static int parse_id(const char *source, struct snapshot *s, struct sc_err *err)
{
	char *stamp = compact_time(s->time);
	size_t n = strlen(stamp);
	char digits[5] = {0};
	uint64_t seq = 0;
	bool ok = !strncmp(s->id, stamp, n) && s->id[n] == '-' && strlen(s->id) > n + 5 &&
	          s->id[n + 5] == '-';

	if (ok) {
		memcpy(digits, s->id + n + 1, 4);
		ok = strspn(digits, "0123456789") == 4 && parse_u64(digits, 9999, &seq) && seq;
	}
	free(stamp);
	if (!ok)
		return sc_err_set(err, "%s: snapshot id \"%s\" does not match its time %s", source,
		                  s->id, s->time);
	s->seq = (unsigned)seq;
	return SC_OK;
}

static int check_header(const char *source, const struct regfile *rf, struct snapshot *s,
                        struct sc_err *err)
{
	static const char *const required[] = {"format",  "id",     "kind",    "time",
	                                       "profile", "target", "machine", "allow-any-key",
	                                       "tool"};
	const char *format;
	size_t i;
	int rc;

	if (!rf->ncomments || !starts_with(rf->header_comments[0], SNAPSHOT_MAGIC))
		return sc_err_set(
		    err, "%s: not a schannelcfg snapshot (no \"; " SNAPSHOT_MAGIC "\" header)",
		    source);
	format = header_field(rf, "format");
	if (format && strcmp(format, SNAPSHOT_FORMAT))
		return sc_err_set(err,
		                  "%s: snapshot format %s is not supported (expected %s; an "
		                  "older schannelcfg wrote it without authentication: check it, "
		                  "then restore it by hand with reg import)",
		                  source, format, SNAPSHOT_FORMAT);
	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!header_field(rf, required[i]))
			return sc_err_set(err, "%s: snapshot header lacks \"%s:\"", source,
			                  required[i]);
	s->id = xstrdup(header_field(rf, "id"));
	s->time = xstrdup(header_field(rf, "time"));
	s->profile = xstrdup(header_field(rf, "profile"));
	s->target = xstrdup(header_field(rf, "target"));
	s->machine = xstrdup(header_field(rf, "machine"));
	s->tool = xstrdup(header_field(rf, "tool"));
	rc = parse_kind(source, header_field(rf, "kind"), s, err);
	if (rc == SC_OK)
		rc = parse_yes_no(source, "allow-any-key", header_field(rf, "allow-any-key"),
		                  &s->allow_any_key, err);
	if (rc == SC_OK)
		rc = parse_id(source, s, err);
	return rc;
}

/* A key a snapshot may re-create or remove when empty: a documented TLS
 * key or one of its ancestors (re-creating HKLM\SYSTEM\CurrentControlSet if
 * it were missing harms nothing; removing an empty one changes nothing). */
static bool key_in_scope(const char *path)
{
	return tls_key_allowed(path) || tls_key_ancestor(path);
}

/* Values must be documented TLS values unless the snapshot was taken with
 * --allow-any-key (its hashed header says so) and the caller allows it. */
static int check_scope(const char *source, const struct regfile_record *r, bool bare_key,
                       bool any_key, struct sc_err *err)
{
	if (reg_path_has_dot_component(r->path))
		return sc_err_set(err, "%s:%u: HKLM\\%s has a \".\" or \"..\" component", source,
		                  r->line, r->path);
	if (r->kind == RF_DELETE_KEY)
		return sc_err_set(err,
		                  "%s:%u: [-HKLM\\%s] would delete a whole subtree; a snapshot "
		                  "never does (the keys an apply created are listed in its "
		                  "header and removed by rollback once empty)",
		                  source, r->line, r->path);
	if (any_key)
		return SC_OK;
	if (r->kind == RF_KEY && bare_key
	        ? key_in_scope(r->path)
	        : r->kind == RF_KEY || tls_value_allowed(r->path, r->name))
		return SC_OK;
	if (r->kind == RF_KEY)
		return sc_err_set(err,
		                  "%s:%u: HKLM\\%s is not a TLS key; a snapshot may only "
		                  "restore TLS settings",
		                  source, r->line, r->path);
	return sc_err_set(err,
	                  "%s:%u: HKLM\\%s \"%s\" is not a documented TLS value; a snapshot "
	                  "may only restore what an apply could have written (one taken with "
	                  "--allow-any-key says so in its header, and is restored only with "
	                  "--allow-any-key)",
	                  source, r->line, r->path, r->name);
}

/* Turns the records into values and keys; a [KEY] with no values after it
 * is a key to re-create. */
static int take_records(const char *source, const struct regfile *rf, bool any_key,
                        struct snapshot *s, struct sc_err *err)
{
	struct key_list existed = KEY_LIST(s->existed, s->nexisted, s->ecap);
	size_t i;
	int rc = SC_OK;

	for (i = 0; rc == SC_OK && i < rf->nrecords; i++) {
		const struct regfile_record *r = &rf->records[i];
		const struct regfile_record *next =
		    i + 1 < rf->nrecords ? &rf->records[i + 1] : NULL;
		bool bare = r->kind == RF_KEY &&
		            (!next || next->kind == RF_KEY || next->kind == RF_DELETE_KEY);

		rc = check_scope(source, r, bare, any_key, err);
		if (rc != SC_OK)
			break;
		if (r->kind == RF_KEY && bare)
			add_key(&existed, r->view, r->path);
		else if (r->kind == RF_SET || r->kind == RF_DELETE_VALUE)
			add_value(s, r->view, r->path, r->name, r->kind == RF_SET, &r->value);
	}
	ci_index_free(&existed.index);
	return rc;
}

/* "; FIELD: 64 PATH" header lines (created-key, created-above-root). */
static int take_key_lines(const char *source, const struct regfile *rf, const char *field,
                          bool any_key, struct key_list *keys, struct sc_err *err)
{
	size_t i, flen = strlen(field);
	int rc = SC_OK;

	for (i = 0; rc == SC_OK && i < rf->ncomments; i++) {
		const char *c = rf->header_comments[i], *path;
		enum reg_view view = REG_VIEW_64;

		if (strncmp(c, field, flen) || strncmp(c + flen, ": ", 2))
			continue;
		c += flen + 2;
		if (!strncmp(c, "64 ", 3) || !strncmp(c, "32 ", 3))
			view = c[0] == '3' ? REG_VIEW_32 : REG_VIEW_64;
		else
			rc =
			    sc_err_set(err, "%s: bad %s line (expected \"64 PATH\" or \"32 PATH\")",
			               source, field);
		path = c + 3;
		if (rc == SC_OK && reg_path_has_dot_component(path))
			rc = sc_err_set(err, "%s: %s \"%s\" has a \".\" or \"..\" component",
			                source, field, path);
		if (rc == SC_OK &&
		    (!reg_path_valid(path, err) || (!any_key && !key_in_scope(path))))
			rc = sc_err_set(err, "%s: %s \"%s\" is not a TLS key or an ancestor of one",
			                source, field, path);
		if (rc == SC_OK)
			add_key(keys, view, path);
	}
	ci_index_free(&keys->index);
	return rc;
}

static int check_counts(const char *source, const struct regfile *rf, const struct snapshot *s,
                        struct sc_err *err)
{
	static const char *const fields[] = {"values", "existed-keys", "created-keys"};
	const size_t have[] = {s->nvalues, s->nexisted, s->ncreated};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const char *v = header_field(rf, fields[i]);
		uint64_t n;

		if (v && (!parse_u64(v, SIZE_MAX, &n) || n != have[i]))
			return sc_err_set(err, "%s: header says %s %s, the file holds %zu", source,
			                  v, fields[i], have[i]);
	}
	return SC_OK;
}

/* The checks behind the authentication: what the hashed text says. */
static int take_contents(const char *source, const struct regfile *rf, bool allow_any_key,
                         struct snapshot *s, struct sc_err *err)
{
	bool any_key = s->allow_any_key && allow_any_key;
	struct key_list created = KEY_LIST(s->created, s->ncreated, s->ccap);
	struct key_list above = KEY_LIST(s->above, s->nabove, s->acap);
	int rc;

	if (s->allow_any_key && !allow_any_key)
		return sc_err_set(err,
		                  "%s: snapshot %s was taken with --allow-any-key (it may hold "
		                  "values outside the TLS settings); restore it only with "
		                  "--allow-any-key",
		                  source, s->id);
	rc = take_records(source, rf, any_key, s, err);
	if (rc == SC_OK)
		rc = take_key_lines(source, rf, "created-key", any_key, &created, err);
	if (rc == SC_OK)
		rc = take_key_lines(source, rf, "created-above-root", any_key, &above, err);
	if (rc == SC_OK)
		rc = check_counts(source, rf, s, err);
	return rc;
}

int snapshot_parse_auth(const char *source, const uint8_t *data, size_t size,
                        const struct snap_auth *auth, bool allow_any_key, struct snapshot *s,
                        struct sc_err *err)
{
	struct regfile rf;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = regfile_parse(source, data, size, &rf, err);
	if (rc != SC_OK)
		return rc;
	rc = check_auth(source, &rf, auth, s, err);
	if (rc == SC_OK)
		rc = check_header(source, &rf, s, err);
	if (rc == SC_OK)
		rc = take_contents(source, &rf, allow_any_key, s, err);
	regfile_free(&rf);
	if (rc != SC_OK)
		snapshot_free(s);
	return rc;
}

int snapshot_parse(const char *source, const uint8_t *data, size_t size, bool allow_any_key,
                   struct snapshot *s, struct sc_err *err)
{
	return snapshot_parse_auth(source, data, size, NULL, allow_any_key, s, err);
}

/* ---- restoring ---- */

static enum area area_of_path(const char *path)
{
	static const struct {
		const char *contains;
		enum area area;
	} map[] = {
	    {"\\SCHANNEL\\Protocols", AREA_PROTOCOLS},
	    {"\\SCHANNEL\\Ciphers", AREA_CIPHERS},
	    {"\\SCHANNEL\\Hashes", AREA_HASHES},
	    {"\\SCHANNEL\\KeyExchangeAlgorithms", AREA_KEY_EXCHANGE},
	    {"\\SCHANNEL", AREA_SCHANNEL},
	    {"\\Cryptography\\Configuration", AREA_SUITES},
	    {"\\.NETFramework", AREA_DOTNET},
	    {"\\WinHttp", AREA_WINHTTP},
	    {"\\RasMan\\PPP\\EAP", AREA_EAP},
	    {"\\FipsAlgorithmPolicy", AREA_FIPS},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		const char *hit = strstr(path, map[i].contains);

		if (hit &&
		    (hit[strlen(map[i].contains)] == '\0' || hit[strlen(map[i].contains)] == '\\'))
			return map[i].area;
	}
	return AREA_RAW;
}

static struct plan_op *restore_op(struct plan *plan, enum op_kind kind, enum reg_view view,
                                  const char *path, const char *name, const char *source,
                                  const char *reason)
{
	enum area area = area_of_path(path);
	struct plan_op *op = plan_add(plan, kind, area, view, path, name);

	op->source = xstrdup(source);
	op->reason = xstrdup(reason);
	op->reboot = area != AREA_DOTNET;
	return op;
}

/* Depth in the physical tree (a 32-bit SOFTWARE key is one level deeper). */
static size_t physical_depth(const struct snap_key *k)
{
	return reg_view_depth(k->view, k->path);
}

static int cmp_depth_asc(const void *a, const void *b)
{
	const struct snap_key *x = a, *y = b;
	size_t dx = physical_depth(x), dy = physical_depth(y);
	int c;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	c = strcmp_ci(x->path, y->path);
	return c ? c : (int)x->view - (int)y->view;
}

static int cmp_depth_desc(const void *a, const void *b)
{
	return -cmp_depth_asc(a, b);
}

/* Value numbers sorted by (view, path): the values at or below a key are
 * then one binary-searched range (as diff.c finds a key's subtree). */
static const struct snapshot *sort_snapshot; /* qsort has no context argument */

static int cmp_value_path(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct snap_value *vx = &sort_snapshot->values[x], *vy = &sort_snapshot->values[y];
	int c;

	if (vx->view != vy->view)
		return vx->view < vy->view ? -1 : 1;
	c = strcmp_ci(vx->path, vy->path);
	return c ? c : (x > y) - (x < y);
}

static size_t *values_by_path(const struct snapshot *s)
{
	size_t *by_path = xcalloc(s->nvalues + 1, sizeof(*by_path)), i;

	for (i = 0; i < s->nvalues; i++)
		by_path[i] = i;
	sort_snapshot = s;
	qsort(by_path, s->nvalues, sizeof(*by_path), cmp_value_path);
	sort_snapshot = NULL;
	return by_path;
}

/* The first position whose (view, path) does not sort before (view, path). */
static size_t lower_bound(const struct snapshot *s, const size_t *by_path, enum reg_view view,
                          const char *path)
{
	size_t lo = 0, hi = s->nvalues;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct snap_value *v = &s->values[by_path[mid]];
		int c = v->view != view ? (v->view < view ? -1 : 1) : strcmp_ci(v->path, path);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every key at or below `root` that the snapshot's values live in, with
 * the keys between them and root. Paths below root sort after "root" and
 * before "root]" (']' follows '\\' in ASCII, and folding changes neither). */
static void keys_under(const struct snapshot *s, const size_t *by_path, const struct snap_key *root,
                       struct key_list *keys)
{
	size_t pos, to, len = strlen(root->path);
	char *end = xasprintf("%s]", root->path);

	add_key(keys, root->view, root->path);
	pos = lower_bound(s, by_path, root->view, root->path);
	to = lower_bound(s, by_path, root->view, end);
	free(end);
	for (; pos < to; pos++) {
		const struct snap_value *v = &s->values[by_path[pos]];
		char *p;

		if (v->path[len] != '\\' && v->path[len] != '\0')
			continue;
		p = xstrdup(v->path);
		while (strlen(p) > len) {
			add_key(keys, v->view, p);
			*strrchr(p, '\\') = '\0';
		}
		free(p);
	}
}

void snapshot_restore_plan(const struct snapshot *s, const char *source, struct plan *plan)
{
	struct snap_key *keys = NULL;
	size_t i, n = 0, cap = 0, *by_path;
	struct key_list list = KEY_LIST(keys, n, cap);

	plan_init(plan, s->profile);
	for (i = 0; i < s->nexisted; i++)
		add_key(&list, s->existed[i].view, s->existed[i].path);
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_depth_asc);
	for (i = 0; i < n; i++)
		restore_op(plan, OP_CREATE_KEY, keys[i].view, keys[i].path, NULL, source,
		           "the key existed before");
	for (i = 0; i < s->nvalues; i++) {
		const struct snap_value *v = &s->values[i];
		struct plan_op *op = restore_op(
		    plan, v->present ? OP_SET : OP_DELETE_VALUE, v->view, v->path, v->name, source,
		    v->present ? "the value as it was" : "the value was absent");

		if (v->present)
			regvalue_set_bytes(&op->value, v->value.type, v->value.data, v->value.size);
	}
	for (i = 0; i < n; i++)
		free(keys[i].path);
	n = 0;
	ci_index_free(&list.index);
	by_path = values_by_path(s);
	for (i = 0; i < s->ncreated; i++)
		keys_under(s, by_path, &s->created[i], &list);
	free(by_path);
	for (i = 0; i < s->nabove; i++)
		add_key(&list, s->above[i].view, s->above[i].path);
	ci_index_free(&list.index);
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_depth_desc);
	for (i = 0; i < n; i++) {
		restore_op(plan, OP_DELETE_KEY_IF_EMPTY, keys[i].view, keys[i].path, NULL, source,
		           "the key did not exist before");
		free(keys[i].path);
	}
	free(keys);
}

/* ---- files ---- */

/* The next free sequence number for snapshots taken in this second: ids
 * then sort by time and order of creation, whatever the profile name. A
 * number another process takes meanwhile is found when the file is
 * created (snapshot_write_auth then tries the next one). */
static unsigned next_sequence(const char *dir, const char *stamp)
{
	struct sc_err err;
	size_t n, i, len = strlen(stamp);
	char **names = platform_list_dir(dir, SNAPSHOT_SUFFIX, &n, &err);
	unsigned max = 0;

	for (i = 0; names && i < n; i++) {
		uint64_t seq;
		char digits[5] = {0};

		if (strncmp(names[i], stamp, len) || names[i][len] != '-')
			continue;
		memcpy(digits, names[i] + len + 1, 4);
		if (parse_u64(digits, 9999, &seq) && seq > max)
			max = (unsigned)seq;
	}
	strlist_free(names, names ? n : 0);
	return max + 1;
}

/* Names s with sequence number seq and creates its file, never replacing
 * one: *taken when the name exists already. */
static int create_named(struct snapshot *s, const char *dir, const char *stamp, unsigned seq,
                        const struct snap_auth *auth, char **path, bool *taken, struct sc_err *err)
{
	struct strbuf text = STRBUF_INIT;
	uint8_t *bytes;
	size_t size;
	int rc;

	free(s->id);
	s->id = xasprintf("%s-%04u-%s", stamp, seq, *s->profile ? s->profile : "none");
	s->seq = seq;
	free(*path);
	*path = xasprintf("%s%c%s" SNAPSHOT_SUFFIX, dir, PATH_SEP, s->id);
	snapshot_format_auth(s, auth, &text);
	bytes = regfile_encode(text.buf, text.len, REGFILE_UTF16LE, &size);
	rc = platform_create_file(*path, bytes, size, true, taken, err);
	free(bytes);
	sb_free(&text);
	return rc;
}

int snapshot_write_auth(struct snapshot *s, const char *dir, const struct snap_auth *auth,
                        char **path, struct sc_err *err)
{
	char *stamp = compact_time(s->time);
	bool taken = true;
	unsigned seq;
	int rc;

	*path = NULL;
	rc = platform_mkdir(dir, true, err);
	for (seq = next_sequence(dir, stamp); rc == SC_OK && taken; seq++) {
		if (seq > 9999) {
			rc = sc_err_set(err, "%s: too many snapshots in one second", dir);
			break;
		}
		rc = create_named(s, dir, stamp, seq, auth, path, &taken, err);
	}
	free(stamp);
	if (rc != SC_OK) {
		free(*path);
		*path = NULL;
	}
	return rc;
}

int snapshot_write(struct snapshot *s, const char *dir, char **path, struct sc_err *err)
{
	return snapshot_write_auth(s, dir, NULL, path, err);
}

/* The file name without folder and suffix. */
static char *stem_of(const char *path)
{
	const char *base = path, *p;
	size_t n;

	for (p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	n = strlen(base);
	if (n > strlen(SNAPSHOT_SUFFIX) &&
	    streq_ci(base + n - strlen(SNAPSHOT_SUFFIX), SNAPSHOT_SUFFIX))
		n -= strlen(SNAPSHOT_SUFFIX);
	return xstrndup(base, n);
}

int snapshot_load_auth(const char *path, const struct snap_auth *auth, bool allow_any_key,
                       struct snapshot *s, struct sc_err *err)
{
	size_t size;
	char *data = read_file(path, REGFILE_MAX_SIZE, &size, err);
	char *stem;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!data)
		return SC_ERROR;
	rc = snapshot_parse_auth(path, (const uint8_t *)data, size, auth, allow_any_key, s, err);
	free(data);
	if (rc != SC_OK)
		return rc;
	/* A copy under another name (say, one that sorts last) is not the
	 * snapshot its header describes. */
	stem = stem_of(path);
	if (strcmp(stem, s->id))
		rc =
		    sc_err_set(err, "%s: the file name does not match the snapshot id %s inside it",
		               path, s->id);
	free(stem);
	if (rc != SC_OK)
		snapshot_free(s);
	return rc;
}

int snapshot_load(const char *path, bool allow_any_key, struct snapshot *s, struct sc_err *err)
{
	return snapshot_load_auth(path, NULL, allow_any_key, s, err);
}

bool snapshot_newer(const struct snapshot *a, const struct snapshot *b)
{
	int c = strcmp(a->time, b->time);

	return c ? c > 0 : a->seq > b->seq;
}

static int cmp_desc(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

char **snapshot_list(const char *dir, size_t *count, struct sc_err *err)
{
	char **names = platform_list_dir(dir, SNAPSHOT_SUFFIX, count, err);

	if (names)
		qsort(names, *count, sizeof(*names), cmp_desc);
	return names;
}
