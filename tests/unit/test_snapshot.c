/*
 * Unit tests for snapshot.c: the file format (UTF-16LE .reg with a hashed
 * or HMAC-authenticated header), byte-exact values of every type, absent
 * values and created keys (header lines, never [-KEY]), keys created above
 * a TLS root, the authentication and scope checks (forged files with a
 * correct SHA-256 refused under a key; only documented TLS values), ids
 * equal to file names, exclusive creation, the latest by hashed time,
 * restore-plan ordering, and that `reg import` of a snapshot (the .reg
 * semantics, on the mem backend) restores the prior state and never
 * deletes what the apply did not create.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "backend_mem.h"
#include "builtin.h"
#include "compile.h"
#include "profile.h"
#include "regfile.h"
#include "schema.h"
#include "sha256.h"
#include "snapshot.h"
#include "version.h"

#define SCH          SCHANNEL_KEY
#define PROTO        SCH "\\Protocols"
#define TLS12_CLIENT PROTO "\\TLS 1.2\\Client"
#define NETFX4       DOTNET_KEY "\\v4.0.30319"
#define HK           "[HKEY_LOCAL_MACHINE\\"
#define NOW          ((time_t)1700000000) /* 2023-11-14T22:13:20Z */

static char *tmp_root;
static unsigned dir_seq;

static int group_setup(void **state)
{
	tmp_root = t_tmpdir("snapshot");
	return tmp_root ? 0 : -1;
}

static int group_teardown(void **state)
{
	t_remove_tree(tmp_root);
	free(tmp_root);
	return 0;
}

static char *new_dir(void)
{
	return xasprintf("%s/snapshots-%u", tmp_root, dir_seq++);
}

/* ---- helpers ---- */

static void add_value(struct snapshot *s, enum reg_view view, const char *path, const char *name,
                      const struct reg_value *v)
{
	struct snap_value *sv;

	xgrow(&s->values, &s->vcap, s->nvalues + 1, sizeof(*s->values));
	sv = &s->values[s->nvalues++];
	memset(sv, 0, sizeof(*sv));
	sv->view = view;
	sv->path = xstrdup(path);
	sv->name = xstrdup(name);
	sv->present = v != NULL;
	if (v)
		regvalue_set_bytes(&sv->value, v->type, v->data, v->size);
}

static void add_key(struct snap_key **keys, size_t *n, size_t *cap, enum reg_view view,
                    const char *path)
{
	xgrow(keys, cap, *n + 1, sizeof(**keys));
	(*keys)[*n].view = view;
	(*keys)[(*n)++].path = xstrdup(path);
}

static void init_meta(struct snapshot *s, const char *profile)
{
	memset(s, 0, sizeof(*s));
	s->id = xstrdup("20231114T221320Z-0001-test");
	s->time = xstrdup("2023-11-14T22:13:20Z");
	s->profile = xstrdup(profile);
	s->target = xstrdup("state:/srv/machine.reg");
	s->machine = xstrdup("-");
	s->tool = xstrdup(SCHANNELCFG_VERSION);
}

/* A fixed machine key for the keyed tests. */
static const struct snap_auth test_key = {.keyed = true, .key = {1, 2, 3, 4, 5, 6, 7, 8}};

/* Formats, encodes as a file would be, parses back. */
static int roundtrip(const struct snapshot *s, bool allow_any_key, struct snapshot *back,
                     struct sc_err *err, struct strbuf *text)
{
	uint8_t *bytes;
	size_t size;
	int rc;

	snapshot_format(s, text);
	bytes = regfile_encode(text->buf, text->len, REGFILE_UTF16LE, &size);
	assert_int_equal(bytes[0], 0xFF);
	assert_int_equal(bytes[1], 0xFE);
	rc = snapshot_parse("snap.reg", bytes, size, allow_any_key, back, err);
	free(bytes);
	return rc;
}

/* Parses UTF-8 snapshot text; the error message (if any) goes to err. */
static int parse_text(const char *text, bool allow_any_key, struct sc_err *err)
{
	struct snapshot s;
	size_t size;
	uint8_t *bytes = regfile_encode(text, strlen(text), REGFILE_UTF16LE, &size);
	int rc = snapshot_parse("snap.reg", bytes, size, allow_any_key, &s, err);

	free(bytes);
	if (rc == SC_OK)
		snapshot_free(&s);
	return rc;
}

/* Recomputes the integrity line over everything after it, as the tool
 * would have written it: forged files that pass the hash. */
static char *rehash(const char *text)
{
	const char *line = strstr(text, "; sha256: "), *rest;
	char hex[65];

	assert_non_null(line);
	rest = strchr(line, '\n') + 1;
	sha256_hex(rest, strlen(rest), hex);
	return xasprintf("%.*s; sha256: %s\r\n%s", (int)(line - text), text, hex, rest);
}

static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);

	if (!at)
		fail_msg("\"%s\" not found", from);
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static struct reg_value *bytes_value(uint32_t type, const void *data, size_t size)
{
	static struct reg_value v;

	regvalue_free(&v);
	regvalue_set_bytes(&v, type, data, size);
	return &v;
}

/* ---- format ---- */

static void test_format_roundtrip(void **state)
{
	struct snapshot s, back;
	struct strbuf text = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_value v;
	const char *t, *sha;

	init_meta(&s, "best-practices");
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "Enabled", &v);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "DisabledByDefault", NULL);
	add_value(&s, REG_VIEW_32, NETFX4, "SchUseStrongCrypto", &v);
	regvalue_free(&v);
	add_key(&s.existed, &s.nexisted, &s.ecap, REG_VIEW_64, PROTO "\\SSL 3.0");
	add_key(&s.created, &s.ncreated, &s.ccap, REG_VIEW_64, PROTO "\\TLS 1.3");

	assert_int_equal(roundtrip(&s, false, &back, &err, &text), SC_OK);
	t = sb_str(&text);
	assert_true(starts_with(t, "Windows Registry Editor Version 5.00\r\n\r\n"
	                           "; schannelcfg snapshot - "));
	sha = strstr(t, "; sha256: ");
	assert_non_null(sha);
	assert_int_equal(strspn(sha + 10, "0123456789abcdef"), 64);
	assert_true(sha < strstr(t, "; id: ")); /* the header is hashed too */
	assert_non_null(strstr(t, "; format: 2\r\n"));
	assert_non_null(strstr(t, "; kind: apply\r\n"));
	assert_non_null(strstr(t, "; machine: -\r\n"));
	assert_non_null(strstr(t, "; allow-any-key: no\r\n"));
	assert_non_null(strstr(t, "; id: 20231114T221320Z-0001-test\r\n"));
	assert_non_null(strstr(t, "; time: 2023-11-14T22:13:20Z\r\n"));
	assert_non_null(strstr(t, "; profile: best-practices\r\n"));
	assert_non_null(strstr(t, "; target: state:/srv/machine.reg\r\n"));
	assert_non_null(strstr(t, "; tool: schannelcfg " SCHANNELCFG_VERSION "\r\n"));
	assert_non_null(strstr(t, "; values: 3\r\n"));
	assert_non_null(strstr(t, HK TLS12_CLIENT "]\r\n\"Enabled\"=dword:00000001\r\n"
	                                          "\"DisabledByDefault\"=-\r\n"));
	assert_non_null(strstr(t,
	                       HK "SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\r\n"
	                          "\"SchUseStrongCrypto\"=dword:00000001\r\n"));
	assert_non_null(strstr(t, "\r\n" HK PROTO "\\SSL 3.0]\r\n"));
	/* Created keys are header lines: reg import never deletes a subtree. */
	assert_non_null(strstr(t, "; created-key: 64 " PROTO "\\TLS 1.3\r\n"));
	assert_null(strstr(t, "[-"));

	assert_string_equal(back.id, s.id);
	assert_int_equal(back.seq, 1);
	assert_int_equal(back.kind, SNAP_APPLY);
	assert_string_equal(back.machine, "-");
	assert_false(back.keyed);
	assert_true(back.verified);
	assert_string_equal(back.time, s.time);
	assert_string_equal(back.profile, s.profile);
	assert_string_equal(back.target, s.target);
	assert_string_equal(back.tool, "schannelcfg " SCHANNELCFG_VERSION);
	assert_int_equal(back.nvalues, 3);
	assert_true(back.values[0].present);
	assert_false(back.values[1].present);
	assert_string_equal(back.values[1].name, "DisabledByDefault");
	assert_int_equal(back.values[2].view, REG_VIEW_32);
	assert_string_equal(back.values[2].path, NETFX4);
	assert_int_equal(back.nexisted, 1);
	assert_string_equal(back.existed[0].path, PROTO "\\SSL 3.0");
	assert_int_equal(back.ncreated, 1);
	assert_string_equal(back.created[0].path, PROTO "\\TLS 1.3");
	assert_int_equal(back.nabove, 0);

	snapshot_free(&back);
	snapshot_free(&s);
	sb_free(&text);
}

/* Every value type, and malformed strings, come back byte for byte. */
static void test_values_byte_exact(void **state)
{
	static const uint8_t sz_no_nul[] = {'T', 0, 'L', 0, 'S', 0};
	static const uint8_t sz_odd[] = {'a', 0, 'b'};
	static const uint8_t sz_embedded_nul[] = {'a', 0, 0, 0, 'b', 0, 0, 0};
	static const uint8_t multi[] = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0};
	static const uint8_t multi_unterminated[] = {'a', 0, 0, 0, 'b', 0};
	static const uint8_t dword_short[] = {1, 2, 3};
	static const uint8_t qword[] = {1, 2, 3, 4, 5, 6, 7, 8};
	static const uint8_t be[] = {0, 0, 0, 1};
	static const uint8_t bin[] = {0x00, 0xff, 0x7f, 0x80, 0x0d, 0x0a, 0x22, 0x5c};
	static const uint8_t link[] = {'\\', 0, 'R', 0};
	static const uint8_t res[] = {9, 8, 7};
	struct {
		const char *name;
		uint32_t type;
		const void *data;
		size_t size;
	} cases[] = {
	    {"none", RV_NONE, bin, sizeof(bin)},
	    {"none-empty", RV_NONE, NULL, 0},
	    {"sz-no-terminator", RV_SZ, sz_no_nul, sizeof(sz_no_nul)},
	    {"sz-odd", RV_SZ, sz_odd, sizeof(sz_odd)},
	    {"sz-embedded-nul", RV_SZ, sz_embedded_nul, sizeof(sz_embedded_nul)},
	    {"sz-empty-data", RV_SZ, NULL, 0},
	    {"expand-no-terminator", RV_EXPAND_SZ, sz_no_nul, sizeof(sz_no_nul)},
	    {"binary", RV_BINARY, bin, sizeof(bin)},
	    {"binary-empty", RV_BINARY, NULL, 0},
	    {"dword-short", RV_DWORD, dword_short, sizeof(dword_short)},
	    {"dword-be", RV_DWORD_BIG_ENDIAN, be, sizeof(be)},
	    {"link", RV_LINK, link, sizeof(link)},
	    {"multi", RV_MULTI_SZ, multi, sizeof(multi)},
	    {"multi-unterminated", RV_MULTI_SZ, multi_unterminated, sizeof(multi_unterminated)},
	    {"resource-list", RV_RESOURCE_LIST, res, sizeof(res)},
	    {"full-resource", RV_FULL_RESOURCE_DESCRIPTOR, res, sizeof(res)},
	    {"requirements", RV_RESOURCE_REQUIREMENTS_LIST, res, sizeof(res)},
	    {"qword", RV_QWORD, qword, sizeof(qword)},
	};
	struct snapshot s, back;
	struct strbuf text = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_value v;
	char *items[] = {"TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
	size_t i, n;

	init_meta(&s, "types");
	s.allow_any_key = true; /* names outside the documented TLS values */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		add_value(&s, REG_VIEW_64, SCH, cases[i].name,
		          bytes_value(cases[i].type, cases[i].data, cases[i].size));
	/* Clean strings (written as text), with the characters .reg escapes. */
	assert_true(regvalue_set_string(&v, RV_SZ, "C:\\path \"quoted\" caf\xC3\xA9 \xE6\x97\xA5"));
	add_value(&s, REG_VIEW_64, SCH, "text", &v);
	add_value(&s, REG_VIEW_64, SCH, "", &v); /* the default value, @ */
	add_value(&s, REG_VIEW_64, SCH, "we\"ird\\name", &v);
	regvalue_free(&v);
	assert_true(regvalue_set_string(&v, RV_EXPAND_SZ, "%SystemRoot%\\System32\\rastls.dll"));
	add_value(&s, REG_VIEW_64, SCH, "expand", &v);
	regvalue_free(&v);
	assert_true(regvalue_set_multi_sz(&v, items, 2));
	add_value(&s, REG_VIEW_64, SCH, "multi-clean", &v);
	regvalue_free(&v);
	regvalue_set_dword(&v, 0xffffffff);
	add_value(&s, REG_VIEW_64, SCH, "dword", &v);
	regvalue_free(&v);
	bytes_value(RV_NONE, NULL, 0);

	if (roundtrip(&s, true, &back, &err, &text) != SC_OK)
		fail_msg("%s\n%s", err.msg, sb_str(&text));
	assert_true(back.allow_any_key);
	assert_int_equal(back.nvalues, s.nvalues);
	for (n = 0; n < s.nvalues; n++) {
		assert_string_equal(back.values[n].name, s.values[n].name);
		assert_true(back.values[n].present);
		if (!regvalue_equal(&back.values[n].value, &s.values[n].value) ||
		    back.values[n].value.type != s.values[n].value.type)
			fail_msg("\"%s\" did not survive: type %u size %zu, was type %u size %zu",
			         s.values[n].name, back.values[n].value.type,
			         back.values[n].value.size, s.values[n].value.type,
			         s.values[n].value.size);
	}
	assert_non_null(strstr(sb_str(&text), "\r\n@=\""));
	assert_non_null(strstr(sb_str(&text), "\"sz-no-terminator\"=hex(1):54,00,4c,00,53,00\r\n"));
	snapshot_free(&back);
	snapshot_free(&s);
	sb_free(&text);
}

/* ---- from a diff ---- */

static void diff_of(const char *reg, struct plan *p, struct diff *d, struct reg_backend **b)
{
	struct sc_err err = {{0}};

	*b = t_state(reg);
	if (diff_compute(p, *b, d, &err) != SC_OK)
		fail_msg("%s", err.msg);
}

static struct plan_op *add_op(struct plan *p, enum op_kind kind, enum reg_view view,
                              const char *path, const char *name)
{
	struct plan_op *op = plan_add(p, kind, AREA_RAW, view, path, name);

	op->source = xstrdup("test.ini:1");
	op->reason = xstrdup("test");
	op->reboot = true;
	return op;
}

static void add_set(struct plan *p, enum reg_view view, const char *path, const char *name,
                    uint32_t d)
{
	regvalue_set_dword(&add_op(p, OP_SET, view, path, name)->value, d);
}

static void test_from_diff(void **state)
{
	struct reg_backend *b;
	struct plan p;
	struct diff d;
	struct snapshot s;
	struct strbuf text = STRBUF_INIT;
	const char *t;

	plan_init(&p, "t");
	add_set(&p, REG_VIEW_64, TLS12_CLIENT, "Enabled", 1);           /* existed: 0 */
	add_set(&p, REG_VIEW_64, TLS12_CLIENT, "DisabledByDefault", 0); /* absent */
	add_set(&p, REG_VIEW_64, TLS12_CLIENT, "Same", 5);              /* unchanged */
	add_op(&p, OP_DELETE_VALUE, REG_VIEW_64, PROTO "\\SSL 3.0", "Enabled");
	add_op(&p, OP_DELETE_KEY_IF_EMPTY, REG_VIEW_64, PROTO "\\SSL 3.0", NULL);
	add_set(&p, REG_VIEW_64, PROTO "\\TLS 1.3\\Server", "Enabled", 1);
	diff_of(HK TLS12_CLIENT "]\n\"Enabled\"=dword:0\n\"Same\"=dword:5\n"
	                        "\n" HK PROTO "\\SSL 3.0]\n\"Enabled\"=dword:0\n",
	        &p, &d, &b);
	snapshot_from_diff(
	    &d, &(struct snap_label){.profile = "best", .target = "live", .now = NOW}, &s);
	assert_string_equal(s.time, "2023-11-14T22:13:20Z");
	assert_string_equal(s.profile, "best");
	assert_null(s.id);
	assert_int_equal(s.nvalues, 4);
	assert_true(s.values[0].present);
	assert_false(s.values[1].present);
	assert_string_equal(s.values[2].path, PROTO "\\SSL 3.0");
	assert_true(s.values[2].present);
	assert_false(s.values[3].present);
	assert_int_equal(s.nexisted, 1);
	assert_string_equal(s.existed[0].path, PROTO "\\SSL 3.0");
	assert_int_equal(s.ncreated, 1);
	assert_string_equal(s.created[0].path, PROTO "\\TLS 1.3");
	assert_int_equal(s.nabove, 0);
	snapshot_format(&s, &text);
	t = sb_str(&text);
	assert_non_null(strstr(t, HK TLS12_CLIENT "]\r\n\"Enabled\"=dword:00000000\r\n"
	                                          "\"DisabledByDefault\"=-\r\n"));
	assert_null(strstr(t, "\"Same\""));
	assert_non_null(strstr(t, HK PROTO "\\TLS 1.3\\Server]\r\n\"Enabled\"=-\r\n"));
	assert_non_null(strstr(t, "; created-key: 64 " PROTO "\\TLS 1.3\r\n"));
	assert_null(strstr(t, "[-"));
	snapshot_free(&s);
	sb_free(&text);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* Keys above a TLS root: the .reg deletes from the root down; the rest
 * is in the (hashed) header and removed by rollback. */
static void test_created_above_root(void **state)
{
	struct reg_backend *b;
	struct plan p, restore;
	struct diff d;
	struct snapshot s, back;
	struct strbuf text = STRBUF_INIT;
	struct sc_err err = {{0}};
	const char *t;
	size_t i;

	plan_init(&p, "t");
	add_set(&p, REG_VIEW_64, TLS12_CLIENT, "Enabled", 1);
	add_set(&p, REG_VIEW_32, NETFX4, "SchUseStrongCrypto", 1);
	diff_of(HK "SYSTEM\\CurrentControlSet]\n\"x\"=dword:1\n", &p, &d, &b);
	snapshot_from_diff(&d, &(struct snap_label){.profile = "t", .target = "live", .now = NOW},
	                   &s);
	s.id = xstrdup("20231114T221320Z-0001-t");
	assert_int_equal(s.ncreated, 2);
	assert_string_equal(s.created[0].path, SCH);
	assert_string_equal(s.created[1].path, DOTNET_KEY);
	assert_int_equal(s.created[1].view, REG_VIEW_32);
	if (roundtrip(&s, false, &back, &err, &text) != SC_OK)
		fail_msg("%s", err.msg);
	t = sb_str(&text);
	assert_non_null(
	    strstr(t, "; created-above-root: 64 SYSTEM\\CurrentControlSet\\Control\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 64 SYSTEM\\CurrentControlSet\\Control\\"
	                          "SecurityProviders\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 32 SOFTWARE\\Microsoft\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 32 SOFTWARE\r\n"));
	/* The 32-bit SOFTWARE (Wow6432Node) was missing: so may the 64-bit
	 * one have been; it is removed only if empty. */
	assert_non_null(strstr(t, "; created-above-root: 64 SOFTWARE\r\n"));
	assert_null(strstr(t, "created-above-root: 64 SYSTEM\\CurrentControlSet\r\n"));
	assert_non_null(strstr(t, "; created-key: 64 " SCH "\r\n"));
	assert_non_null(strstr(t, "; created-key: 32 SOFTWARE\\Microsoft\\.NETFramework\r\n"));
	assert_null(strstr(t, "[-"));
	assert_int_equal(back.nabove, s.nabove);
	for (i = 0; i < s.nabove; i++) {
		assert_string_equal(back.above[i].path, s.above[i].path);
		assert_int_equal(back.above[i].view, s.above[i].view);
	}

	/* The restore plan removes them, deepest first, physical depth:
	 * SOFTWARE\Wow6432Node before SOFTWARE. */
	snapshot_restore_plan(&back, "snap.reg", &restore);
	{
		size_t wow = SIZE_MAX, sw = SIZE_MAX, control = SIZE_MAX, sch = SIZE_MAX;

		for (i = 0; i < restore.nops; i++) {
			const struct plan_op *op = &restore.ops[i];

			if (op->kind != OP_DELETE_KEY_IF_EMPTY)
				continue;
			if (streq_ci(op->path, "SOFTWARE"))
				*(op->view == REG_VIEW_32 ? &wow : &sw) = i;
			if (streq_ci(op->path, "SYSTEM\\CurrentControlSet\\Control"))
				control = i;
			if (streq_ci(op->path, SCH))
				sch = i;
		}
		assert_true(wow < sw && sw != SIZE_MAX);
		assert_true(sch < control && control != SIZE_MAX);
	}
	plan_free(&restore);
	snapshot_free(&back);
	snapshot_free(&s);
	sb_free(&text);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- restore plans ---- */

static void test_restore_plan_order(void **state)
{
	struct snapshot s;
	struct plan p;
	struct reg_value v;
	size_t i, phase = 0;
	static const char *const want[] = {
	    "mkkey " PROTO "\\TLS 1.0",
	    "mkkey " PROTO "\\TLS 1.0\\Client",
	    "mkkey " PROTO "\\TLS 1.0\\Server",
	    "set " PROTO "\\TLS 1.0\\Server Enabled",
	    "delete " PROTO "\\TLS 1.3\\Client\\Deep Enabled",
	    "delete " PROTO "\\TLS 1.3\\Server Enabled",
	    "rmkey " PROTO "\\TLS 1.3\\Client\\Deep",
	    "rmkey " PROTO "\\TLS 1.3\\Server",
	    "rmkey " PROTO "\\TLS 1.3\\Client",
	    "rmkey " PROTO "\\TLS 1.3",
	};

	init_meta(&s, "t");
	regvalue_set_dword(&v, 1);
	add_key(&s.existed, &s.nexisted, &s.ecap, REG_VIEW_64, PROTO "\\TLS 1.0\\Server");
	add_key(&s.existed, &s.nexisted, &s.ecap, REG_VIEW_64, PROTO "\\TLS 1.0");
	add_key(&s.existed, &s.nexisted, &s.ecap, REG_VIEW_64, PROTO "\\TLS 1.0\\Client");
	add_value(&s, REG_VIEW_64, PROTO "\\TLS 1.0\\Server", "Enabled", &v);
	add_value(&s, REG_VIEW_64, PROTO "\\TLS 1.3\\Client\\Deep", "Enabled", NULL);
	add_value(&s, REG_VIEW_64, PROTO "\\TLS 1.3\\Server", "Enabled", NULL);
	add_key(&s.created, &s.ncreated, &s.ccap, REG_VIEW_64, PROTO "\\TLS 1.3");
	regvalue_free(&v);

	snapshot_restore_plan(&s, "snap.reg", &p);
	assert_int_equal(p.nops, ARRAY_SIZE(want));
	for (i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];
		static const char *const verbs[] = {"set", "delete", "rmkey", "edit", "mkkey"};
		char *line = op->name ? xasprintf("%s %s %s", verbs[op->kind], op->path, op->name)
		                      : xasprintf("%s %s", verbs[op->kind], op->path);

		assert_string_equal(line, want[i]);
		free(line);
		assert_string_equal(op->source, "snap.reg");
		assert_int_equal(op->area, AREA_PROTOCOLS);
		assert_true(op->reboot);
		/* create keys, then values, then delete keys: never backwards */
		if (op->kind == OP_CREATE_KEY)
			assert_int_equal(phase, 0);
		else if (op->kind == OP_DELETE_KEY_IF_EMPTY)
			phase = 2;
		else
			assert_true(phase <= 1 && (phase = 1));
	}
	assert_int_equal(p.ops[3].value.type, RV_DWORD);
	plan_free(&p);
	snapshot_free(&s);
}

/* .NET values need no reboot; areas follow the key. */
static void test_restore_plan_areas(void **state)
{
	struct snapshot s;
	struct plan p;
	struct reg_value v;

	init_meta(&s, "t");
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_32, NETFX4, "SchUseStrongCrypto", &v);
	add_value(&s, REG_VIEW_64, SCH "\\Ciphers\\RC4 128/128", "Enabled", &v);
	add_value(&s, REG_VIEW_64, SUITES_POLICY_KEY, "Functions", &v);
	regvalue_free(&v);
	snapshot_restore_plan(&s, "snap.reg", &p);
	assert_int_equal(p.ops[0].area, AREA_DOTNET);
	assert_false(p.ops[0].reboot);
	assert_int_equal(p.ops[0].view, REG_VIEW_32);
	assert_int_equal(p.ops[1].area, AREA_CIPHERS);
	assert_int_equal(p.ops[2].area, AREA_SUITES);
	plan_free(&p);
	snapshot_free(&s);
}

/* ---- checks on reading ---- */

static char *valid_text(void)
{
	struct snapshot s;
	struct strbuf sb = STRBUF_INIT;
	struct reg_value v;

	init_meta(&s, "t");
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "Enabled", &v);
	regvalue_free(&v);
	add_key(&s.created, &s.ncreated, &s.ccap, REG_VIEW_64, PROTO "\\TLS 1.3");
	snapshot_format(&s, &sb);
	snapshot_free(&s);
	return sb_detach(&sb);
}

static void expect_refused(const char *text, const char *why_part)
{
	struct sc_err err = {{0}};

	if (parse_text(text, false, &err) == SC_OK)
		fail_msg("accepted, expected a refusal with \"%s\":\n%s", why_part, text);
	if (!strstr(err.msg, why_part))
		fail_msg("refused with \"%s\", expected \"%s\"", err.msg, why_part);
	assert_true(starts_with(err.msg, "snap.reg"));
}

static void test_forged_and_damaged(void **state)
{
	char *ok = valid_text(), *t, *u;
	struct sc_err err = {{0}};

	assert_int_equal(parse_text(ok, false, &err), SC_OK);

	/* Damaged: refused by the hash. */
	t = replaced(ok, "dword:00000001", "dword:00000002");
	expect_refused(t, "integrity check failed");
	free(t);
	t = replaced(ok, "; profile: t\r\n", "; profile: u\r\n");
	expect_refused(t, "integrity check failed");
	free(t);
	t = xstrndup(ok, strlen(ok) - 10);
	expect_refused(t, "");
	free(t);
	t = replaced(ok, "; sha256: ", "; sha256: 0");
	expect_refused(t, "integrity line damaged");
	free(t);
	t = replaced(ok, "; sha256: ", "; sha512: ");
	expect_refused(t, "no \"sha256:\" line");
	free(t);
	/* A line slipped in before the integrity line is outside the hash:
	 * refused, even with a correct hash. */
	t = replaced(ok, "; sha256: ", "; created-above-root: 64 SYSTEM\r\n; sha256: ");
	expect_refused(t, "no \"sha256:\" line");
	free(t);

	/* Forged with a correct hash: refused by the other checks. */
	t = replaced(ok, "; format: 2\r\n", "; format: 9\r\n");
	u = rehash(t);
	expect_refused(u, "format 9 is not supported");
	free(t);
	free(u);
	t = replaced(ok, "; target: state:/srv/machine.reg\r\n", "");
	u = rehash(t);
	expect_refused(u, "lacks \"target:\"");
	free(t);
	free(u);
	t = replaced(ok, "; values: 1\r\n", "; values: 2\r\n");
	u = rehash(t);
	expect_refused(u, "header says 2 values");
	free(t);
	free(u);
	t = replaced(
	    ok, "; existed-keys: ", "; created-above-root: 64 SYSTEM\\Setup\r\n; existed-keys: ");
	u = rehash(t);
	expect_refused(u, "not a TLS key or an ancestor of one");
	free(t);
	free(u);
	t = replaced(ok, "; existed-keys: ", "; created-above-root: 99 SYSTEM\r\n; existed-keys: ");
	u = rehash(t);
	expect_refused(u, "bad created-above-root line");
	free(t);
	free(u);
	t = replaced(ok, "; created-key: 64 ",
	             "; created-key: 64 SYSTEM\\Setup\r\n; created-key: 64 ");
	u = rehash(t);
	expect_refused(u, "created-key \"SYSTEM\\Setup\" is not a TLS key");
	free(t);
	free(u);
	/* The id names the time it was taken: a file cannot claim to be newer. */
	t = replaced(ok, "; id: 20231114T221320Z-0001-test", "; id: 99991231T235959Z-9999-test");
	u = rehash(t);
	expect_refused(u, "does not match its time");
	free(t);
	free(u);
	t = replaced(ok, "; kind: apply", "; kind: rollbackish");
	u = rehash(t);
	expect_refused(u, "snapshot kind \"rollbackish\"");
	free(t);
	free(u);
	free(ok);
}

/* A keyed (live) snapshot: the HMAC is checked under the key; a correct
 * plain SHA-256 around any body is worth nothing there. */
static void test_keyed(void **state)
{
	struct snapshot s, back;
	struct strbuf sb = STRBUF_INIT;
	struct snap_auth other = test_key, listing = {.unverified = true};
	struct sc_err err = {{0}};
	struct reg_value v;
	uint8_t *bytes;
	size_t size;
	char *forged, *t;

	init_meta(&s, "t");
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "Enabled", &v);
	regvalue_free(&v);
	snapshot_format_auth(&s, &test_key, &sb);
	assert_non_null(strstr(sb_str(&sb), "\r\n; hmac-sha256: "));
	assert_null(strstr(sb_str(&sb), "; sha256: "));
	bytes = regfile_encode(sb.buf, sb.len, REGFILE_UTF16LE, &size);
	assert_int_equal(
	    snapshot_parse_auth("snap.reg", bytes, size, &test_key, false, &back, &err), SC_OK);
	assert_true(back.keyed && back.verified);
	snapshot_free(&back);
	/* Another machine's key: refused. */
	other.key[0] ^= 1;
	assert_int_equal(snapshot_parse_auth("snap.reg", bytes, size, &other, false, &back, &err),
	                 SC_ERROR);
	assert_non_null(strstr(err.msg, "authentication failed"));
	/* Without the key: listed unverified, never restorable. */
	assert_int_equal(snapshot_parse_auth("snap.reg", bytes, size, &listing, false, &back, &err),
	                 SC_OK);
	assert_true(back.keyed);
	assert_false(back.verified);
	snapshot_free(&back);
	/* A state-file (unkeyed) reader refuses a live snapshot. */
	assert_int_equal(snapshot_parse("snap.reg", bytes, size, false, &back, &err), SC_ERROR);
	free(bytes);

	/* A forged file with a correct SHA-256: refused under a key. */
	sb_free(&sb);
	snapshot_format(&s, &sb);
	forged = rehash(t = replaced(sb_str(&sb), "dword:00000001", "dword:00000000"));
	free(t);
	bytes = regfile_encode(forged, strlen(forged), REGFILE_UTF16LE, &size);
	assert_int_equal(snapshot_parse("snap.reg", bytes, size, false, &back, &err), SC_OK);
	snapshot_free(&back);
	assert_int_equal(
	    snapshot_parse_auth("snap.reg", bytes, size, &test_key, false, &back, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "not authenticated"));
	/* ... and a flipped hmac line is refused too. */
	free(bytes);
	free(forged);
	sb_free(&sb);
	snapshot_format_auth(&s, &test_key, &sb);
	forged = replaced(sb_str(&sb), "dword:00000001", "dword:00000000");
	bytes = regfile_encode(forged, strlen(forged), REGFILE_UTF16LE, &size);
	assert_int_equal(
	    snapshot_parse_auth("snap.reg", bytes, size, &test_key, false, &back, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "authentication failed"));
	free(bytes);
	free(forged);
	sb_free(&sb);
	snapshot_free(&s);
}

static void test_scope(void **state)
{
	char *ok = valid_text(), *t, *u;
	struct sc_err err = {{0}};

	/* A value outside the documented TLS values. */
	t = replaced(ok, "\"Enabled\"=dword:00000001\r\n",
	             "\"Enabled\"=dword:00000001\r\n\r\n"
	             "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
	             "\"Updater\"=\"C:\\\\evil.exe\"\r\n");
	t = replaced(u = t, "; values: 1", "; values: 2");
	free(u);
	u = rehash(t);
	expect_refused(u, "\"Updater\" is not a documented TLS value");
	/* --allow-any-key alone is not enough: the snapshot's hashed header
	 * must say that its apply ran with it. */
	expect_refused(u, "is not a documented TLS value");
	assert_int_equal(parse_text(u, true, &err), SC_ERROR);
	free(t);
	t = replaced(u, "; allow-any-key: no", "; allow-any-key: yes");
	free(u);
	u = rehash(t);
	expect_refused(u, "restore it only with --allow-any-key");
	err.msg[0] = '\0';
	assert_int_equal(parse_text(u, true, &err), SC_OK);
	free(t);
	free(u);

	/* Inside a TLS subtree, but code-loading values: refused. */
	t = replaced(
	    ok, "\"Enabled\"=dword:00000001\r\n",
	    "\"Enabled\"=dword:00000001\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\r\n"
	    "\"Path\"=\"C:\\\\Users\\\\Public\\\\evil.dll\"\r\n"
	    "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework]\r\n"
	    "\"DbgManagedDebugger\"=\"C:\\\\evil.exe\"\r\n");
	t = replaced(u = t, "; values: 1", "; values: 3");
	free(u);
	u = rehash(t);
	expect_refused(u, "EAP\\13 \"Path\" is not a documented TLS value");
	free(t);
	free(u);

	/* A subtree deletion, anywhere: refused (reg import would delete it
	 * with everything made after the apply). */
	t = replaced(ok, "\r\n[HKEY_LOCAL_MACHINE\\",
	             "\r\n[-HKEY_LOCAL_MACHINE\\" PROTO "\\TLS 1.3]\r\n\r\n[HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	expect_refused(u, "would delete a whole subtree");
	free(t);
	free(u);

	/* "." and ".." components: refused. */
	t = replaced(ok, "TLS 1.2\\Client]", "TLS 1.2\\..\\Client]");
	u = rehash(t);
	expect_refused(u, "\".\" or \"..\" component");
	free(t);
	free(u);

	/* A bare key above a root (re-created empty) is harmless. */
	t = replaced(ok, "\r\n[HKEY_LOCAL_MACHINE\\",
	             "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control]\r\n"
	             "\r\n[HKEY_LOCAL_MACHINE\\");
	t = replaced(u = t, "; existed-keys: 0", "; existed-keys: 1");
	free(u);
	u = rehash(t);
	if (parse_text(u, false, &err) != SC_OK)
		fail_msg("%s", err.msg);
	free(t);
	free(u);
	/* ... but not a bare key beside one. */
	t = replaced(ok, "\r\n[HKEY_LOCAL_MACHINE\\",
	             "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Evil]\r\n"
	             "\r\n[HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	expect_refused(u, "is not a TLS key");
	free(t);
	free(u);
	free(ok);
}

/* ---- files ---- */

static void test_write_load_list(void **state)
{
	char *dir = new_dir(), *p1 = NULL, *p2 = NULL, *p3 = NULL;
	struct snapshot s, back;
	struct sc_err err = {{0}};
	struct reg_value v;
	struct stat st;
	char **names;
	size_t n;

	init_meta(&s, "best-practices");
	free(s.id);
	s.id = NULL;
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "Enabled", &v);
	regvalue_free(&v);
	assert_int_equal(snapshot_write(&s, dir, &p1, &err), SC_OK);
	assert_string_equal(s.id, "20231114T221320Z-0001-best-practices");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(p1, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0);
	free(s.profile);
	s.profile = xstrdup("rollback");
	assert_int_equal(snapshot_write(&s, dir, &p2, &err), SC_OK);
	assert_string_equal(s.id, "20231114T221320Z-0002-rollback");
	free(s.profile);
	s.profile = xstrdup("");
	assert_int_equal(snapshot_write(&s, dir, &p3, &err), SC_OK);
	assert_string_equal(s.id, "20231114T221320Z-0003-none");

	assert_int_equal(snapshot_load(p1, false, &back, &err), SC_OK);
	assert_string_equal(back.id, "20231114T221320Z-0001-best-practices");
	assert_int_equal(back.nvalues, 1);
	snapshot_free(&back);

	names = snapshot_list(dir, &n, &err);
	assert_non_null(names);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "20231114T221320Z-0003-none.reg");
	assert_string_equal(names[2], "20231114T221320Z-0001-best-practices.reg");
	strlist_free(names, n);

	assert_int_equal(snapshot_load("/nonexistent/x.reg", false, &back, &err), SC_ERROR);
	snapshot_free(&s);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
}

/* The name is the id: a copy under another name (one that sorts last) is
 * refused; a name already taken (another process, same second) is never
 * replaced: the next sequence number is used. Newest is by hashed time. */
static void test_ids_exclusive_newest(void **state)
{
	char *dir = new_dir(), *p1 = NULL, *p2 = NULL, *copy, *squat;
	struct snapshot s, a, b;
	struct sc_err err = {{0}};
	struct reg_value v;
	size_t size;
	char *bytes;

	init_meta(&s, "azure-mma-tls12");
	regvalue_set_dword(&v, 1);
	add_value(&s, REG_VIEW_64, TLS12_CLIENT, "Enabled", &v);
	regvalue_free(&v);
	/* Another process took -0001 after our listing: a file of its own. */
	assert_int_equal(mkdir(dir, 0700), 0);
	squat = xasprintf("%s/20231114T221320Z-0001-azure-mma-tls12.reg", dir);
	t_write_file(squat, "theirs", 6);
	assert_int_equal(snapshot_write(&s, dir, &p1, &err), SC_OK);
	assert_string_equal(s.id, "20231114T221320Z-0002-azure-mma-tls12");
	bytes = read_file(squat, 100, &size, &err);
	assert_string_equal(bytes, "theirs"); /* never replaced */
	free(bytes);
	/* A copy named to sort last is not that snapshot. */
	bytes = read_file(p1, REGFILE_MAX_SIZE, &size, &err);
	copy = xasprintf("%s/99991231T235959Z-9999-azure-mma-tls12.reg", dir);
	t_write_file(copy, bytes, size);
	free(bytes);
	assert_int_equal(snapshot_load(copy, false, &a, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "does not match the snapshot id"));
	/* Newest: by time, then sequence number. */
	free(s.time);
	s.time = xstrdup("2023-11-14T22:13:21Z");
	assert_int_equal(snapshot_write(&s, dir, &p2, &err), SC_OK);
	assert_int_equal(snapshot_load(p1, false, &a, &err), SC_OK);
	assert_int_equal(snapshot_load(p2, false, &b, &err), SC_OK);
	assert_true(snapshot_newer(&b, &a));
	assert_false(snapshot_newer(&a, &b));
	a.seq = 9999; /* same second: the sequence decides */
	free(a.time);
	a.time = xstrdup(b.time);
	assert_true(snapshot_newer(&a, &b));
	snapshot_free(&a);
	snapshot_free(&b);
	snapshot_free(&s);
	free(copy);
	free(squat);
	free(p1);
	free(p2);
	free(dir);
}

/* ---- reg import of a snapshot ---- */

static char *builtin_name(size_t i)
{
	const char *f = builtin_profiles[i].file_name;

	return xstrndup(f, strlen(f) - strlen(".ini"));
}

/* Removes the empty keys the snapshot says the apply created, as rollback
 * does (reg import leaves them: harmless empty keys). */
static void remove_created_empty(const struct reg_backend *b, const char *path)
{
	struct sc_err err = {{0}};
	struct snapshot snap;
	struct plan p;
	size_t k;

	assert_int_equal(snapshot_load(path, false, &snap, &err), SC_OK);
	snapshot_restore_plan(&snap, path, &p);
	for (k = 0; k < p.nops; k++) {
		bool deleted = false;

		if (p.ops[k].kind == OP_DELETE_KEY_IF_EMPTY)
			b->ops->delete_key_if_empty(b, p.ops[k].view, p.ops[k].path, &deleted,
			                            &err);
	}
	plan_free(&p);
	snapshot_free(&snap);
}

/* Imports a snapshot file with the .reg semantics, as `reg import` would. */
static void reg_import(const struct reg_backend *b, const char *path)
{
	struct sc_err err = {{0}};
	struct regfile rf;
	size_t size;
	char *bytes = read_file(path, REGFILE_MAX_SIZE, &size, &err);

	assert_non_null(bytes);
	assert_int_equal(regfile_parse(path, (uint8_t *)bytes, size, &rf, &err), SC_OK);
	assert_int_equal(rf.encoding, REGFILE_UTF16LE);
	assert_int_equal(regfile_apply_records(&rf, b, &err), SC_OK);
	regfile_free(&rf);
	free(bytes);
}

/* A subkey and a value made under a key the apply created, after the
 * apply: `reg import` of the snapshot keeps them (a [-KEY] line would have
 * deleted the whole subtree), and so does rollback. */
static void test_reg_import_keeps_later_keys(void **state)
{
	char *dir = new_dir();
	struct reg_backend *b = t_state("");
	struct profile *prof = NULL;
	struct diag dg = {0};
	struct compile_options co = {0};
	struct plan p = {0};
	struct apply_options o = {
	    .backend = b,
	    .snapshot_dir = dir,
	    .label = {.profile = "tls12-strict", .target = "live", .now = NOW}};
	struct apply_result r;
	struct reg_value v, got = {0};
	struct sc_err err = {{0}};
	struct reg_key *key;
	const char *later = PROTO "\\TLS 1.0\\Client\\Later";

	assert_int_equal(profile_load("tls12-strict", NULL, &prof, &dg), SC_OK);
	assert_int_equal(compile_profile(prof, &co, &p, &dg), SC_OK);
	apply_plan(&p, &o, &r);
	assert_int_equal(r.status, APPLY_DONE);
	assert_int_equal(b->ops->create_key(b, REG_VIEW_64, later, &key, NULL, &err), SC_OK);
	regvalue_set_dword(&v, 7);
	assert_int_equal(b->ops->write_value(b, key, "Keep", &v, &err), SC_OK);
	b->ops->close_key(b, key);
	reg_import(b, r.snapshot_path);
	assert_int_equal(reg_read_value_at(b, REG_VIEW_64, later, "Keep", &got, &err), SC_OK);
	assert_true(regvalue_equal(&got, &v));
	/* The values the apply set are gone again. */
	assert_int_equal(
	    reg_read_value_at(b, REG_VIEW_64, PROTO "\\TLS 1.0\\Client", "Enabled", &got, &err),
	    SC_NOT_FOUND);
	regvalue_free(&got);
	regvalue_free(&v);
	apply_result_free(&r);
	plan_free(&p);
	profile_free(prof);
	diag_free(&dg);
	reg_backend_free(b);
	free(dir);
}

/* Applies a profile, then imports the snapshot's body with the .reg
 * semantics (as `reg import` would): the state is as before, except the
 * empty keys the apply created, which only schannelcfg rollback removes. */
static void test_reg_import_restores(void **state)
{
	static const char *const states[] = {
	    "",
	    HK SCH
	    "\\Protocols\\TLS 1.0\\Server]\n\"Enabled\"=dword:00000001\n"
	    "\"DisabledByDefault\"=dword:00000000\n"
	    "\n" HK SCH "\\Ciphers\\RC4 128/128]\n\"Enabled\"=dword:00000001\n"
	    "\n" HK NETFX4 "]\n\"SchUseStrongCrypto\"=dword:00000000\n"
	    "\n" HK "SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\n"
	    "\n" HK "SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration\\Local\\"
	    "SSL\\00010002]\n\"Functions\"=hex(7):54,00,4c,00,53,00,5f,00,44,00,48,00,45,00,5f,"
	    "00,58,00,00,00,54,00,4c,00,53,00,5f,00,52,00,53,00,41,00,5f,00,57,00,00,00,00,00\n"
	    "\n" HK "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\n"
	    "\"TlsVersion\"=dword:000000c0\n",
	};
	char *dir = new_dir();
	size_t i, s;

	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct profile *prof = NULL;
		struct diag dg = {0};
		struct compile_options co = {0};
		struct plan p = {0};

		assert_int_equal(profile_load(name, NULL, &prof, &dg), SC_OK);
		assert_int_equal(compile_profile(prof, &co, &p, &dg), SC_OK);
		for (s = 0; s < ARRAY_SIZE(states); s++) {
			struct reg_backend *b = t_state(states[s]);
			char *before = t_dump(b), *after;
			struct apply_options o = {
			    .backend = b,
			    .snapshot_dir = dir,
			    .label = {.profile = name, .target = "live", .now = NOW}};
			struct apply_result r;

			apply_plan(&p, &o, &r);
			if (r.status == APPLY_NOTHING) {
				apply_result_free(&r);
				reg_backend_free(b);
				free(before);
				continue;
			}
			assert_int_equal(r.status, APPLY_DONE);
			reg_import(b, r.snapshot_path);
			remove_created_empty(b, r.snapshot_path);
			after = t_dump(b);
			if (strcmp(after, before))
				fail_msg("%s on state %zu: reg import left\n%s\nexpected\n%s", name,
				         s, after, before);
			unlink(r.snapshot_path);
			free(after);
			free(before);
			apply_result_free(&r);
			reg_backend_free(b);
		}
		plan_free(&p);
		profile_free(prof);
		diag_free(&dg);
		free(name);
	}
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_roundtrip),
	    cmocka_unit_test(test_values_byte_exact),
	    cmocka_unit_test(test_from_diff),
	    cmocka_unit_test(test_created_above_root),
	    cmocka_unit_test(test_restore_plan_order),
	    cmocka_unit_test(test_restore_plan_areas),
	    cmocka_unit_test(test_forged_and_damaged),
	    cmocka_unit_test(test_keyed),
	    cmocka_unit_test(test_scope),
	    cmocka_unit_test(test_write_load_list),
	    cmocka_unit_test(test_ids_exclusive_newest),
	    cmocka_unit_test(test_reg_import_restores),
	    cmocka_unit_test(test_reg_import_keeps_later_keys),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
