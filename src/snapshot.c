/*
 * snapshot.c - before-images: made from a diff, written as a .reg file,
 * read back (with integrity and scope checks), turned into a restore plan.
 */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "regfile.h"
#include "roots.h"
#include "sha256.h"
#include "version.h"

#define SNAPSHOT_MAGIC "schannelcfg snapshot"
#define SNAPSHOT_FORMAT "1"
#define SHA_PREFIX "; sha256: "
/* Everything before the integrity line, byte for byte. The hash covers
 * everything after it (header fields and body), so no line outside the
 * hash can carry meaning. */
#define SNAPSHOT_PREAMBLE                                                                          \
	"Windows Registry Editor Version 5.00\r\n\r\n"                                            \
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

static bool has_key(const struct snap_key *keys, size_t n, enum reg_view view, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (keys[i].view == view && streq_ci(keys[i].path, path))
			return true;
	return false;
}

static void add_key(struct snap_key **keys, size_t *n, size_t *cap, enum reg_view view,
		    const char *path)
{
	if (has_key(*keys, *n, view, path))
		return;
	xgrow(keys, cap, *n + 1, sizeof(**keys));
	(*keys)[*n].view = view;
	(*keys)[(*n)++].path = xstrdup(path);
}

/* Records that the apply creates `root` on the way to `path`. The .reg
 * body may delete ([-KEY]) only from a TLS-related root down: a root above
 * that is clamped to the TLS root, and the keys above it go to s->above
 * (as do created keys that are themselves above a root: a rollback
 * re-creating such a key). */
static void add_created(struct snapshot *s, enum reg_view view, const char *path,
			const char *root)
{
	const char *tls = tls_root_of(path);

	if ((tls && strlen(root) < strlen(tls)) || (!tls && tls_root_below(path))) {
		char *p = xstrndup(path, tls ? strlen(tls) : strlen(path));

		if (tls)
			add_key(&s->created, &s->ncreated, &s->ccap, view, p);
		else
			add_key(&s->above, &s->nabove, &s->acap, view, p);
		while (strlen(p) > strlen(root)) {
			*strrchr(p, '\\') = '\0';
			add_key(&s->above, &s->nabove, &s->acap, view, p);
		}
		free(p);
	} else {
		add_key(&s->created, &s->ncreated, &s->ccap, view, root);
	}
	/* The 32-bit view's SOFTWARE is SOFTWARE\Wow6432Node: when that was
	 * missing, so may the 64-bit SOFTWARE have been (a state file). It
	 * is removed only if empty, and a real HKLM\SOFTWARE never is. */
	if (view == REG_VIEW_32 && streq_ci(root, "SOFTWARE"))
		add_key(&s->above, &s->nabove, &s->acap, REG_VIEW_64, "SOFTWARE");
}

void snapshot_from_diff(const struct diff *d, const char *profile, const char *target,
			time_t now, struct snapshot *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->time = utc_iso_time(now);
	s->profile = xstrdup(profile ? profile : "");
	s->target = xstrdup(target ? target : "");
	s->tool = xstrdup(SCHANNELCFG_VERSION);
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->entries[i];
		const struct plan_op *op = e->op;

		if (!e->changed)
			continue;
		if (op->kind == OP_DELETE_KEY_IF_EMPTY)
			add_key(&s->existed, &s->nexisted, &s->ecap, op->view, op->path);
		else if (op->name)
			add_value(s, op->view, op->path, op->name, e->before_present, &e->before);
		if (!e->created_root)
			continue;
		add_created(s, op->view, op->path, e->created_root);
		/* A key re-created empty (a rollback's OP_CREATE_KEY) holds no
		 * value that would lead the restore plan down to it: name it,
		 * so that its own restore removes it again. */
		if (op->kind == OP_CREATE_KEY)
			add_created(s, op->view, op->path, op->path);
	}
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
	free(s->tool);
	memset(s, 0, sizeof(*s));
}

static size_t depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '\\';
	return n;
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
	for (i = 0; i < s->ncreated; i++) {
		sb_adds(sb, "\r\n");
		regfile_format_key(sb, s->created[i].view, s->created[i].path, true);
	}
}

void snapshot_format(const struct snapshot *s, struct strbuf *sb)
{
	struct strbuf hashed = STRBUF_INIT;
	char hex[65];
	size_t i;

	sb_adds(&hashed, "; Restore with: schannelcfg rollback ID   (or: reg import THIS-FILE)\r\n");
	sb_addf(&hashed, "; format: %s\r\n", SNAPSHOT_FORMAT);
	sb_addf(&hashed, "; id: %s\r\n", s->id ? s->id : "");
	sb_addf(&hashed, "; time: %s\r\n", s->time);
	sb_addf(&hashed, "; profile: %s\r\n", s->profile);
	sb_addf(&hashed, "; target: %s\r\n", s->target);
	sb_addf(&hashed, "; tool: schannelcfg %s\r\n", s->tool);
	sb_addf(&hashed, "; values: %zu\r\n", s->nvalues);
	sb_addf(&hashed, "; existed-keys: %zu\r\n", s->nexisted);
	sb_addf(&hashed, "; created-keys: %zu\r\n", s->ncreated);
	for (i = 0; i < s->nabove; i++)
		sb_addf(&hashed, "; created-above-root: %s %s\r\n",
			s->above[i].view == REG_VIEW_32 ? "32" : "64", s->above[i].path);
	format_body(s, &hashed);
	sha256_hex(hashed.buf, hashed.len, hex);
	sb_adds(sb, SNAPSHOT_PREAMBLE);
	sb_addf(sb, SHA_PREFIX "%s\r\n", hex);
	sb_add(sb, hashed.buf, hashed.len);
	sb_free(&hashed);
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

/* The integrity line follows the fixed preamble; its hash covers the
 * rest of the file: every header field and the body. */
static int check_integrity(const char *source, const struct regfile *rf, struct sc_err *err)
{
	size_t preamble = strlen(SNAPSHOT_PREAMBLE);
	const char *line, *body;
	char want[65], got[65];

	if (rf->text_len < preamble || memcmp(rf->text, SNAPSHOT_PREAMBLE, preamble) ||
	    !starts_with(rf->text + preamble, SHA_PREFIX))
		return sc_err_set(err, "%s: no \"sha256:\" integrity line right after the snapshot "
				       "title; not a snapshot, or damaged",
				  source);
	line = rf->text + preamble + strlen(SHA_PREFIX);
	if (strspn(line, "0123456789abcdef") != 64 || !strchr("\r\n", line[64]) ||
	    (line[64] == '\r' && line[65] != '\n'))
		return sc_err_set(err, "%s: integrity line damaged (expected 64 hex digits)",
				  source);
	memcpy(want, line, 64);
	want[64] = '\0';
	body = line + 64 + (line[64] == '\r') + (line[64] != '\0');
	sha256_hex(body, rf->text_len - (size_t)(body - rf->text), got);
	if (strcmp(want, got))
		return sc_err_set(err, "%s: integrity check failed (the file was changed, truncated "
				       "or damaged after it was written); refusing to use it",
				  source);
	return SC_OK;
}

static int check_header(const char *source, const struct regfile *rf, struct snapshot *s,
			struct sc_err *err)
{
	static const char *const required[] = {"format", "id", "time", "profile", "target", "tool"};
	const char *format;
	size_t i;

	if (!rf->ncomments || !starts_with(rf->header_comments[0], SNAPSHOT_MAGIC))
		return sc_err_set(err, "%s: not a schannelcfg snapshot (no \"; " SNAPSHOT_MAGIC
				       "\" header)",
				  source);
	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!header_field(rf, required[i]))
			return sc_err_set(err, "%s: snapshot header lacks \"%s:\"", source,
					  required[i]);
	format = header_field(rf, "format");
	if (strcmp(format, SNAPSHOT_FORMAT))
		return sc_err_set(err, "%s: snapshot format %s is not supported (expected %s)",
				  source, format, SNAPSHOT_FORMAT);
	s->id = xstrdup(header_field(rf, "id"));
	s->time = xstrdup(header_field(rf, "time"));
	s->profile = xstrdup(header_field(rf, "profile"));
	s->target = xstrdup(header_field(rf, "target"));
	s->tool = xstrdup(header_field(rf, "tool"));
	return SC_OK;
}

/* Values and deletions must lie inside a TLS-related root. A bare [KEY]
 * (re-creating an empty key) may also be an ancestor of one: creating
 * HKLM\SYSTEM\CurrentControlSet if it were missing harms nothing. */
static int check_scope(const char *source, const struct regfile_record *r, bool bare_key,
		       bool allow_any_key, struct sc_err *err)
{
	if (allow_any_key || tls_root_contains(r->path) || (bare_key && tls_root_below(r->path)))
		return SC_OK;
	return sc_err_set(err, "%s:%u: HKLM\\%s is outside the TLS-related roots; a snapshot may "
			       "only restore TLS settings (pass --allow-any-key to override)",
			  source, r->line, r->path);
}

/* Turns the records into values and keys; a [KEY] with no values after it
 * is a key to re-create. */
static int take_records(const char *source, const struct regfile *rf, bool allow_any_key,
			struct snapshot *s, struct sc_err *err)
{
	size_t i;

	for (i = 0; i < rf->nrecords; i++) {
		const struct regfile_record *r = &rf->records[i];
		const struct regfile_record *next = i + 1 < rf->nrecords ? &rf->records[i + 1] : NULL;
		bool bare = r->kind == RF_KEY &&
			    (!next || next->kind == RF_KEY || next->kind == RF_DELETE_KEY);
		int rc = check_scope(source, r, bare, allow_any_key, err);

		if (rc != SC_OK)
			return rc;
		switch (r->kind) {
		case RF_KEY:
			if (bare)
				add_key(&s->existed, &s->nexisted, &s->ecap, r->view, r->path);
			break;
		case RF_DELETE_KEY:
			add_key(&s->created, &s->ncreated, &s->ccap, r->view, r->path);
			break;
		case RF_SET:
		case RF_DELETE_VALUE:
			add_value(s, r->view, r->path, r->name, r->kind == RF_SET, &r->value);
			break;
		}
	}
	return SC_OK;
}

/* "; created-above-root: 64 PATH" lines: only ancestors of a TLS root. */
static int take_above(const char *source, const struct regfile *rf, struct snapshot *s,
		      struct sc_err *err)
{
	static const char field[] = "created-above-root: ";
	size_t i;

	for (i = 0; i < rf->ncomments; i++) {
		const char *c = rf->header_comments[i], *path;
		enum reg_view view;

		if (!starts_with(c, field))
			continue;
		c += strlen(field);
		if (!strncmp(c, "64 ", 3) || !strncmp(c, "32 ", 3))
			view = c[0] == '3' ? REG_VIEW_32 : REG_VIEW_64;
		else
			return sc_err_set(err, "%s: bad created-above-root line", source);
		path = c + 3;
		if (!reg_path_valid(path, err) || !tls_root_below(path))
			return sc_err_set(err, "%s: created-above-root \"%s\" is not above a "
					       "TLS-related root",
					  source, path);
		add_key(&s->above, &s->nabove, &s->acap, view, path);
	}
	return SC_OK;
}

static int check_counts(const char *source, const struct regfile *rf, const struct snapshot *s,
			struct sc_err *err)
{
	const char *v = header_field(rf, "values");
	uint64_t n;

	if (v && (!parse_u64(v, SIZE_MAX, &n) || n != s->nvalues))
		return sc_err_set(err, "%s: header says %s values, the file holds %zu", source, v,
				  s->nvalues);
	return SC_OK;
}

int snapshot_parse(const char *source, const uint8_t *data, size_t size, bool allow_any_key,
		   struct snapshot *s, struct sc_err *err)
{
	struct regfile rf;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = regfile_parse(source, data, size, &rf, err);
	if (rc != SC_OK)
		return rc;
	rc = check_header(source, &rf, s, err);
	if (rc == SC_OK)
		rc = check_integrity(source, &rf, err);
	if (rc == SC_OK)
		rc = take_records(source, &rf, allow_any_key, s, err);
	if (rc == SC_OK)
		rc = take_above(source, &rf, s, err);
	if (rc == SC_OK)
		rc = check_counts(source, &rf, s, err);
	regfile_free(&rf);
	if (rc != SC_OK)
		snapshot_free(s);
	return rc;
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

		if (hit && (hit[strlen(map[i].contains)] == '\0' ||
			    hit[strlen(map[i].contains)] == '\\'))
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

/* Depth in the physical tree: the 32-bit view's SOFTWARE\X is
 * SOFTWARE\Wow6432Node\X, one level deeper than the 64-bit one. */
static size_t physical_depth(const struct snap_key *k)
{
	size_t d = depth(k->path);

	if (k->view == REG_VIEW_32 && starts_with_ci(k->path, "SOFTWARE") &&
	    (k->path[8] == '\0' || k->path[8] == '\\'))
		d++;
	return d;
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

/* Every key at or below `root` that the snapshot's values live in, with
 * the keys between them and root. */
static void keys_under(const struct snapshot *s, const struct snap_key *root,
		       struct snap_key **keys, size_t *n, size_t *cap)
{
	size_t i, len = strlen(root->path);

	add_key(keys, n, cap, root->view, root->path);
	for (i = 0; i < s->nvalues; i++) {
		const struct snap_value *v = &s->values[i];
		char *p;

		if (v->view != root->view || !starts_with_ci(v->path, root->path) ||
		    (v->path[len] != '\\' && v->path[len] != '\0'))
			continue;
		p = xstrdup(v->path);
		while (strlen(p) > len) {
			add_key(keys, n, cap, v->view, p);
			*strrchr(p, '\\') = '\0';
		}
		free(p);
	}
}

void snapshot_restore_plan(const struct snapshot *s, const char *source, struct plan *plan)
{
	struct snap_key *keys = NULL;
	size_t i, n = 0, cap = 0;

	plan_init(plan, s->profile);
	for (i = 0; i < s->nexisted; i++)
		add_key(&keys, &n, &cap, s->existed[i].view, s->existed[i].path);
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_depth_asc);
	for (i = 0; i < n; i++)
		restore_op(plan, OP_CREATE_KEY, keys[i].view, keys[i].path, NULL, source,
			   "the key existed before");
	for (i = 0; i < s->nvalues; i++) {
		const struct snap_value *v = &s->values[i];
		struct plan_op *op = restore_op(plan, v->present ? OP_SET : OP_DELETE_VALUE, v->view,
						v->path, v->name, source,
						v->present ? "the value as it was" : "the value was absent");

		if (v->present)
			regvalue_set_bytes(&op->value, v->value.type, v->value.data, v->value.size);
	}
	for (i = 0; i < n; i++)
		free(keys[i].path);
	n = 0;
	for (i = 0; i < s->ncreated; i++)
		keys_under(s, &s->created[i], &keys, &n, &cap);
	for (i = 0; i < s->nabove; i++)
		add_key(&keys, &n, &cap, s->above[i].view, s->above[i].path);
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

static char *compact_time(const char *iso)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *iso; iso++)
		if (*iso != '-' && *iso != ':')
			sb_addc(&sb, *iso);
	return sb_detach(&sb);
}

/* The next free sequence number for snapshots taken in this second: ids
 * then sort by time and order of creation, whatever the profile name. */
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

int snapshot_write(struct snapshot *s, const char *dir, char **path, struct sc_err *err)
{
	char *stamp = compact_time(s->time);
	struct strbuf text = STRBUF_INIT;
	uint8_t *bytes;
	size_t size;
	unsigned seq;
	int rc;

	*path = NULL;
	rc = platform_mkdir(dir, true, err);
	if (rc == SC_OK) {
		seq = next_sequence(dir, stamp);
		if (seq > 9999)
			rc = sc_err_set(err, "%s: too many snapshots in one second", dir);
	}
	if (rc != SC_OK) {
		free(stamp);
		return rc;
	}
	free(s->id);
	s->id = xasprintf("%s-%04u-%s", stamp, seq, *s->profile ? s->profile : "none");
	*path = xasprintf("%s%c%s" SNAPSHOT_SUFFIX, dir, PATH_SEP, s->id);
	free(stamp);
	snapshot_format(s, &text);
	bytes = regfile_encode(text.buf, text.len, REGFILE_UTF16LE, &size);
	rc = platform_write_file(*path, bytes, size, true, err);
	free(bytes);
	sb_free(&text);
	if (rc != SC_OK) {
		free(*path);
		*path = NULL;
	}
	return rc;
}

int snapshot_load(const char *path, bool allow_any_key, struct snapshot *s, struct sc_err *err)
{
	size_t size;
	char *data = read_file(path, REGFILE_MAX_SIZE, &size, err);
	int rc;

	memset(s, 0, sizeof(*s));
	if (!data)
		return SC_ERROR;
	rc = snapshot_parse(path, (const uint8_t *)data, size, allow_any_key, s, err);
	free(data);
	return rc;
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
