/*
 * Unit tests for snapshot.c: the file format (UTF-16LE .reg with a hashed
 * header), byte-exact values of every type, absent values and created
 * keys, keys created above a TLS root, the integrity and scope checks,
 * restore-plan ordering, ids and listing, and that `reg import` of a
 * snapshot (the .reg semantics, on the mem backend) restores the prior
 * state.
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

#define SCH SCHANNEL_KEY
#define PROTO SCH "\\Protocols"
#define TLS12_CLIENT PROTO "\\TLS 1.2\\Client"
#define NETFX4 DOTNET_KEY "\\v4.0.30319"
#define HK "[HKEY_LOCAL_MACHINE\\"
#define NOW ((time_t)1700000000) /* 2023-11-14T22:13:20Z */

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
	s->tool = xstrdup(SCHANNELCFG_VERSION);
}

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
	assert_non_null(strstr(t, "; format: 1\r\n"));
	assert_non_null(strstr(t, "; id: 20231114T221320Z-0001-test\r\n"));
	assert_non_null(strstr(t, "; time: 2023-11-14T22:13:20Z\r\n"));
	assert_non_null(strstr(t, "; profile: best-practices\r\n"));
	assert_non_null(strstr(t, "; target: state:/srv/machine.reg\r\n"));
	assert_non_null(strstr(t, "; tool: schannelcfg " SCHANNELCFG_VERSION "\r\n"));
	assert_non_null(strstr(t, "; values: 3\r\n"));
	assert_non_null(strstr(t, HK TLS12_CLIENT "]\r\n\"Enabled\"=dword:00000001\r\n"
				  "\"DisabledByDefault\"=-\r\n"));
	assert_non_null(strstr(t, HK "SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\r\n"
				  "\"SchUseStrongCrypto\"=dword:00000001\r\n"));
	assert_non_null(strstr(t, "\r\n" HK PROTO "\\SSL 3.0]\r\n"));
	assert_non_null(strstr(t, "\r\n[-HKEY_LOCAL_MACHINE\\" PROTO "\\TLS 1.3]\r\n"));

	assert_string_equal(back.id, s.id);
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

	if (roundtrip(&s, false, &back, &err, &text) != SC_OK)
		fail_msg("%s\n%s", err.msg, sb_str(&text));
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
	snapshot_from_diff(&d, "best", "live", NOW, &s);
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
	assert_non_null(strstr(t, "[-HKEY_LOCAL_MACHINE\\" PROTO "\\TLS 1.3]\r\n"));
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
	snapshot_from_diff(&d, "t", "live", NOW, &s);
	assert_int_equal(s.ncreated, 2);
	assert_string_equal(s.created[0].path, SCH);
	assert_string_equal(s.created[1].path, DOTNET_KEY);
	assert_int_equal(s.created[1].view, REG_VIEW_32);
	assert_int_equal(roundtrip(&s, false, &back, &err, &text), SC_OK);
	t = sb_str(&text);
	assert_non_null(strstr(t, "; created-above-root: 64 SYSTEM\\CurrentControlSet\\Control\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 64 SYSTEM\\CurrentControlSet\\Control\\"
				  "SecurityProviders\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 32 SOFTWARE\\Microsoft\r\n"));
	assert_non_null(strstr(t, "; created-above-root: 32 SOFTWARE\r\n"));
	/* The 32-bit SOFTWARE (Wow6432Node) was missing: so may the 64-bit
	 * one have been; it is removed only if empty. */
	assert_non_null(strstr(t, "; created-above-root: 64 SOFTWARE\r\n"));
	assert_null(strstr(t, "created-above-root: 64 SYSTEM\\CurrentControlSet\r\n"));
	assert_non_null(strstr(t, "[-HKEY_LOCAL_MACHINE\\" SCH "]\r\n"));
	assert_non_null(strstr(t, "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\"
				  ".NETFramework]\r\n"));
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
	expect_refused(t, "no \"sha256:\" integrity line");
	free(t);
	/* A line slipped in before the integrity line is outside the hash:
	 * refused, even with a correct hash. */
	t = replaced(ok, "; sha256: ", "; created-above-root: 64 SYSTEM\r\n; sha256: ");
	expect_refused(t, "no \"sha256:\" integrity line");
	free(t);

	/* Forged with a correct hash: refused by the other checks. */
	t = replaced(ok, "; schannelcfg snapshot - ", "; a snapshot - ");
	u = rehash(t);
	expect_refused(u, "not a schannelcfg snapshot");
	free(t);
	free(u);
	t = replaced(ok, "; format: 1\r\n", "; format: 9\r\n");
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
	t = replaced(ok, "; existed-keys: ", "; created-above-root: 64 SYSTEM\\Setup\r\n; existed-keys: ");
	u = rehash(t);
	expect_refused(u, "not above a TLS-related root");
	free(t);
	free(u);
	t = replaced(ok, "; existed-keys: ", "; created-above-root: 99 SYSTEM\r\n; existed-keys: ");
	u = rehash(t);
	expect_refused(u, "bad created-above-root line");
	free(t);
	free(u);
	free(ok);
}

static void test_scope(void **state)
{
	char *ok = valid_text(), *t, *u;
	struct sc_err err = {{0}};

	/* A value outside the roots. */
	t = replaced(ok, "\"Enabled\"=dword:00000001\r\n",
		     "\"Enabled\"=dword:00000001\r\n\r\n"
		     "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
		     "\"Updater\"=\"C:\\\\evil.exe\"\r\n");
	t = replaced(u = t, "; values: 1", "; values: 2");
	free(u);
	u = rehash(t);
	expect_refused(u, "outside the TLS-related roots");
	err.msg[0] = '\0';
	assert_int_equal(parse_text(u, true, &err), SC_OK);
	free(t);
	free(u);

	/* A deletion outside them (reg import would delete the subtree). */
	t = replaced(ok, "[-HKEY_LOCAL_MACHINE\\", "[-HKEY_LOCAL_MACHINE\\SYSTEM\\Setup]\r\n\r\n"
						    "[-HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	expect_refused(u, "HKLM\\SYSTEM\\Setup is outside");
	free(t);
	free(u);
	t = replaced(ok, "[-HKEY_LOCAL_MACHINE\\", "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet]"
						    "\r\n\r\n[-HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	expect_refused(u, "outside the TLS-related roots");
	free(t);
	free(u);

	/* A bare key above a root (re-created empty) is harmless. */
	t = replaced(ok, "[-HKEY_LOCAL_MACHINE\\",
		     "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control]\r\n\r\n"
		     "[-HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	assert_int_equal(parse_text(u, false, &err), SC_OK);
	free(t);
	free(u);
	/* ... but not a bare key beside one. */
	t = replaced(ok, "[-HKEY_LOCAL_MACHINE\\",
		     "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Evil]\r\n\r\n"
		     "[-HKEY_LOCAL_MACHINE\\");
	u = rehash(t);
	expect_refused(u, "outside the TLS-related roots");
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

/* ---- reg import of a snapshot ---- */

static char *builtin_name(size_t i)
{
	const char *f = builtin_profiles[i].file_name;

	return xstrndup(f, strlen(f) - strlen(".ini"));
}

/* Applies a profile, then imports the snapshot's body with the .reg
 * semantics (as `reg import` would): the state is as before, except the
 * empty keys above a TLS root that only schannelcfg rollback removes. */
static void test_reg_import_restores(void **state)
{
	static const char *const states[] = {
		"",
		HK SCH "\\Protocols\\TLS 1.0\\Server]\n\"Enabled\"=dword:00000001\n"
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
			struct apply_options o = {.backend = b, .snapshot_dir = dir,
						  .profile_name = name, .target = "live", .now = NOW};
			struct apply_result r;
			struct sc_err err = {{0}};
			struct regfile rf;
			size_t size, k;
			char *bytes;

			apply_plan(&p, &o, &r);
			if (r.status == APPLY_NOTHING) {
				apply_result_free(&r);
				reg_backend_free(b);
				free(before);
				continue;
			}
			assert_int_equal(r.status, APPLY_DONE);
			bytes = read_file(r.snapshot_path, REGFILE_MAX_SIZE, &size, &err);
			assert_non_null(bytes);
			assert_int_equal(regfile_parse(r.snapshot_path, (uint8_t *)bytes, size, &rf,
						       &err),
					 SC_OK);
			assert_int_equal(rf.encoding, REGFILE_UTF16LE);
			assert_int_equal(regfile_apply_records(&rf, b, &err), SC_OK);
			/* What reg import cannot do: the keys above the roots. */
			{
				struct snapshot snap;

				assert_int_equal(snapshot_load(r.snapshot_path, false, &snap, &err),
						 SC_OK);
				bool progress = true;

				while (progress) {
					progress = false;
					for (k = 0; k < snap.nabove; k++) {
						bool deleted = false;

						b->delete_key_if_empty(b, snap.above[k].view,
								       snap.above[k].path,
								       &deleted, &err);
						progress |= deleted;
					}
				}
				snapshot_free(&snap);
			}
			after = t_dump(b);
			if (strcmp(after, before))
				fail_msg("%s on state %zu: reg import left\n%s\nexpected\n%s", name, s,
					 after, before);
			unlink(r.snapshot_path);
			free(after);
			free(before);
			free(bytes);
			regfile_free(&rf);
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
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_write_load_list),
		cmocka_unit_test(test_reg_import_restores),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
