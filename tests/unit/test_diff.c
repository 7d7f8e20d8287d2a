/*
 * Unit tests for diff.c and diff_format.c on the mem backend: what each
 * kind of operation would change, keys that become empty, cipher-suite
 * list edits and their warnings, the keys a write would create, the calls
 * made (reads only, each key opened once), and the three output forms
 * (text, a .reg file that makes exactly the change, JSON).
 */
#include "testutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "backend_mem.h"
#include "backend_wrap.h"
#include "builtin.h"
#include "compile.h"
#include "diff.h"
#include "profile.h"
#include "backend_regfile.h"
#include "regfile.h"
#include "schema.h"
#include "suites.h"

#define SCH          SCHANNEL_KEY
#define PROTO        SCH "\\Protocols"
#define TLS10        PROTO "\\TLS 1.0"
#define TLS12_CLIENT PROTO "\\TLS 1.2\\Client"
#define HK           "[HKEY_LOCAL_MACHINE\\"
#define NETFX4       DOTNET_KEY "\\v4.0.30319"

/* Snapshots written by the applies that check .reg output (removed). */
static char *tmp_dir;

static int group_setup(void **state)
{
	tmp_dir = t_tmpdir("diff");
	return tmp_dir ? 0 : -1;
}

static int group_teardown(void **state)
{
	t_remove_tree(tmp_dir);
	free(tmp_dir);
	return 0;
}

/* ---- building plans ---- */

static struct plan_op *add_op(struct plan *p, enum op_kind kind, enum reg_view view,
                              const char *path, const char *name)
{
	struct plan_op *op = plan_add(p, kind, AREA_RAW, view, path, name);

	op->source = xasprintf("test.ini:%zu", p->nops);
	op->reason = xstrdup("test");
	op->reboot = true;
	return op;
}

static struct plan_op *add_set(struct plan *p, const char *path, const char *name, uint32_t d)
{
	struct plan_op *op = add_op(p, OP_SET, REG_VIEW_64, path, name);

	regvalue_set_dword(&op->value, d);
	return op;
}

static void add_del(struct plan *p, const char *path, const char *name)
{
	add_op(p, OP_DELETE_VALUE, REG_VIEW_64, path, name);
}

static void add_rmkey(struct plan *p, const char *path)
{
	add_op(p, OP_DELETE_KEY_IF_EMPTY, REG_VIEW_64, path, NULL);
}

static struct plan_op *add_edit(struct plan *p, enum list_format f, char **remove, size_t nremove,
                                char **prefer, size_t nprefer)
{
	struct plan_op *op =
	    add_op(p, OP_LIST_EDIT, REG_VIEW_64,
	           f == LIST_MULTI_SZ ? SUITES_LOCAL_KEY : SUITES_POLICY_KEY, "Functions");

	op->area = AREA_SUITES;
	op->edit.format = f;
	op->edit.want.remove = strlist_dup(remove, nremove);
	op->edit.want.nremove = nremove;
	op->edit.want.prefer = strlist_dup(prefer, nprefer);
	op->edit.want.nprefer = nprefer;
	return op;
}

static void compile_builtin(const char *name, struct plan *plan)
{
	struct profile *p = NULL;
	struct diag d = {0};
	struct compile_options co = {0};
	struct strbuf sb = STRBUF_INIT;
	int rc = profile_load(name, NULL, &p, &d);

	if (rc == SC_OK)
		rc = compile_profile(p, &co, plan, &d);
	if (rc != SC_OK) {
		diag_format(&d, &sb);
		fail_msg("%s: %s", name, sb_str(&sb));
	}
	profile_free(p);
	diag_free(&d);
}

static char *builtin_name(size_t i)
{
	const char *f = builtin_profiles[i].file_name;

	return xstrndup(f, strlen(f) - strlen(".ini"));
}

/* ---- states ---- */

static void put(const struct reg_backend *b, enum reg_view view, const char *path, const char *name,
                const struct reg_value *v)
{
	struct reg_key *k = NULL;
	struct sc_err err = {{0}};

	if (b->ops->create_key(b, view, path, &k, NULL, &err) != SC_OK ||
	    (name && b->ops->write_value(b, k, name, v, &err) != SC_OK))
		fail_msg("put %s: %s", path, err.msg);
	b->ops->close_key(b, k);
}

static void put_list(const struct reg_backend *b, enum list_format f, char **items, size_t n)
{
	struct reg_value v;

	list_to_value(f, items, n, &v);
	put(b, REG_VIEW_64, f == LIST_MULTI_SZ ? SUITES_LOCAL_KEY : SUITES_POLICY_KEY, "Functions",
	    &v);
	regvalue_free(&v);
}

static struct reg_backend *state_2016(void)
{
	struct sc_err err = {{0}};
	struct reg_backend *b =
	    regfile_backend_open(t_src("tests/fixtures/states/server2016.reg"), &err);
	size_t n;
	const char *const *order = suite_default_order(WR_2016, &n);
	struct reg_value v;

	if (!b)
		fail_msg("%s", err.msg);
	assert_true(regvalue_set_multi_sz(&v, (char *const *)order, n));
	put(b, REG_VIEW_64, SUITES_LOCAL_KEY, "Functions", &v);
	regvalue_free(&v);
	return b;
}

static struct reg_backend *state_hardened(void)
{
	struct sc_err err = {{0}};
	struct reg_backend *b =
	    regfile_backend_open(t_src("tests/fixtures/states/server2019-hardened.reg"), &err);

	if (!b)
		fail_msg("%s", err.msg);
	return b;
}

static struct reg_backend *copy_of(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_backend *c;

	regfile_format_mem(b, &sb);
	c = t_state(sb_str(&sb));
	sb_free(&sb);
	return c;
}

/* Computes a diff; fails the test on error. */
static void diff_ok(const struct plan *p, const struct reg_backend *b, struct diff *d)
{
	struct sc_err err = {{0}};

	if (diff_compute(p, b, d, &err) != SC_OK)
		fail_msg("diff: %s", err.msg);
	assert_int_equal(d->n, p->nops);
}

static bool has_warning(const struct diff *d, const char *text)
{
	size_t i;

	for (i = 0; i < d->nwarnings; i++)
		if (strstr(d->warnings[i].text, text))
			return true;
	return false;
}

static void assert_list(char **items, size_t n, const char *const *want, size_t nwant)
{
	size_t i;

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(items[i], want[i]);
}

/* ---- values ---- */

static void test_set(void **state)
{
	struct reg_backend *b = t_state(HK TLS12_CLIENT "]\n"
	                                                "\"Enabled\"=dword:00000001\n"
	                                                "\"DisabledByDefault\"=\"0\"\n");
	struct plan p;
	struct diff d;
	uint32_t dw;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1);           /* equal */
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0); /* REG_SZ "0" -> DWORD */
	add_set(&p, TLS12_CLIENT, "New", 7);               /* absent */
	add_set(&p, TLS12_CLIENT, "enabled", 1);           /* names fold case */
	diff_ok(&p, b, &d);
	assert_false(d.entries[0].changed);
	assert_true(d.entries[0].before_present && d.entries[0].after_present);
	assert_true(d.entries[1].changed);
	assert_int_equal(d.entries[1].before.type, RV_SZ);
	assert_true(regvalue_get_dword(&d.entries[1].after, &dw) && dw == 0);
	assert_true(d.entries[2].changed);
	assert_false(d.entries[2].before_present);
	assert_true(d.entries[2].key_existed);
	assert_null(d.entries[2].created_root);
	assert_false(d.entries[3].changed);
	assert_int_equal(d.nchanged, 2);
	assert_true(d.reboot);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

static void test_delete_value(void **state)
{
	struct reg_backend *b = t_state(HK TLS12_CLIENT "]\n\"Enabled\"=dword:00000001\n");
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_del(&p, TLS12_CLIENT, "Enabled");
	add_del(&p, TLS12_CLIENT, "DisabledByDefault");
	add_del(&p, PROTO "\\TLS 1.1\\Client", "Enabled");
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_true(d.entries[0].before_present);
	assert_false(d.entries[0].after_present);
	assert_false(d.entries[1].changed);
	assert_true(d.entries[1].key_existed);
	assert_false(d.entries[2].changed);
	assert_false(d.entries[2].key_existed);
	assert_null(d.entries[2].created_root); /* a deletion creates nothing */
	assert_int_equal(d.nchanged, 1);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- keys that become empty ---- */

static void test_delete_key_if_empty(void **state)
{
	struct reg_backend *b = t_state(HK TLS10 "\\Client]\n"
	                                         "\"Enabled\"=dword:00000000\n"
	                                         "\"DisabledByDefault\"=dword:00000001\n"
	                                         "\n" HK TLS10 "\\Server]\n"
	                                         "\"Enabled\"=dword:00000000\n"
	                                         "\"Custom\"=dword:00000001\n"
	                                         "\n" HK PROTO "\\SSL 3.0\\Client]\n"
	                                         "\n" HK PROTO "\\PCT 1.0]\n");
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	/* TLS 1.0\Client empties; Server keeps "Custom"; so TLS 1.0 stays. */
	add_del(&p, TLS10 "\\Client", "Enabled");
	add_del(&p, TLS10 "\\Client", "DisabledByDefault");
	add_rmkey(&p, TLS10 "\\Client");
	add_del(&p, TLS10 "\\Server", "Enabled");
	add_rmkey(&p, TLS10 "\\Server");
	add_rmkey(&p, TLS10);
	/* SSL 3.0\Client is empty already; SSL 3.0 empties with it. */
	add_rmkey(&p, PROTO "\\SSL 3.0\\Client");
	add_rmkey(&p, PROTO "\\SSL 3.0");
	/* A key that does not exist. */
	add_rmkey(&p, PROTO "\\SSL 2.0");
	/* A key the plan writes into before removing it: stays; so does
	 * its parent, which gets a new subkey. */
	add_set(&p, PROTO "\\PCT 1.0", "Enabled", 0);
	add_rmkey(&p, PROTO "\\PCT 1.0");
	add_set(&p, PROTO "\\SSL 3.0\\Client", "Enabled", 0);
	add_rmkey(&p, PROTO "\\SSL 3.0");
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed && d.entries[1].changed);
	assert_true(d.entries[2].changed);
	assert_true(d.entries[2].key_existed);
	assert_true(d.entries[3].changed);
	assert_false(d.entries[4].changed); /* "Custom" stays */
	assert_false(d.entries[5].changed); /* Server stays under it */
	assert_true(d.entries[6].changed);
	assert_true(d.entries[7].changed); /* empty only once its child is gone */
	assert_false(d.entries[8].changed);
	assert_false(d.entries[8].key_existed);
	assert_true(d.entries[9].changed);
	assert_false(d.entries[10].changed);
	/* SSL 3.0\Client is gone by now; the set re-creates it under SSL 3.0. */
	assert_true(d.entries[11].changed);
	assert_false(d.entries[12].changed);
	assert_int_equal(d.nchanged, 8);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* A parent that empties after several generations are removed, and one
 * that keeps a subkey the plan does not touch. */
static void test_delete_key_nested(void **state)
{
	struct reg_backend *b = t_state(HK SCH "\\Hashes\\MD5\\Deep]\n"
	                                       "\"Enabled\"=dword:00000000\n"
	                                       "\n" HK SCH "\\Ciphers\\RC4 40/128]\n"
	                                       "\"Enabled\"=dword:00000000\n"
	                                       "\n" HK SCH "\\Ciphers\\Other]\n"
	                                       "\n" HK PROTO "\\PCT 1.0]\n");
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_del(&p, SCH "\\Hashes\\MD5\\Deep", "Enabled");
	add_rmkey(&p, SCH "\\Hashes\\MD5\\Deep");
	add_rmkey(&p, SCH "\\Hashes\\MD5");
	add_rmkey(&p, SCH "\\Hashes");
	add_del(&p, SCH "\\Ciphers\\RC4 40/128", "Enabled");
	add_rmkey(&p, SCH "\\Ciphers\\RC4 40/128");
	add_rmkey(&p, SCH "\\Ciphers");
	add_set(&p, PROTO "\\PCT 1.0\\Client", "Enabled", 0);
	add_rmkey(&p, PROTO "\\PCT 1.0");
	diff_ok(&p, b, &d);
	assert_true(d.entries[1].changed && d.entries[2].changed && d.entries[3].changed);
	assert_true(d.entries[5].changed);
	assert_false(d.entries[6].changed); /* "Other" stays */
	assert_false(d.entries[8].changed); /* gets a new subkey first */
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- created keys ---- */

static void test_created_root(void **state)
{
	struct reg_backend *b = t_state(HK "SYSTEM\\CurrentControlSet\\Control]\n"
	                                   "\"x\"=dword:00000001\n"
	                                   "\n" HK NETFX4 "]\n"
	                                   "\"SchUseStrongCrypto\"=dword:00000001\n");
	struct plan p;
	struct plan_op *op;
	struct diff d;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1);
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0);
	op = add_op(&p, OP_SET, REG_VIEW_32, NETFX4, "SchUseStrongCrypto");
	regvalue_set_dword(&op->value, 1);
	add_set(&p, NETFX4, "SchUseStrongCrypto", 1); /* 64-bit: exists */
	op = add_op(&p, OP_CREATE_KEY, REG_VIEW_64, SCH "\\Hashes\\SHA", NULL);
	op = add_op(&p, OP_CREATE_KEY, REG_VIEW_64, "SYSTEM\\CurrentControlSet\\Control", NULL);
	diff_ok(&p, b, &d);
	assert_false(d.entries[0].key_existed);
	assert_string_equal(d.entries[0].created_root,
	                    "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders");
	assert_string_equal(d.entries[1].created_root,
	                    "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders");
	/* The 32-bit view: its SOFTWARE (Wow6432Node) is missing. */
	assert_true(d.entries[2].changed);
	assert_string_equal(d.entries[2].created_root, "SOFTWARE");
	assert_false(d.entries[3].changed);
	assert_null(d.entries[3].created_root);
	assert_true(d.entries[4].changed);
	assert_string_equal(d.entries[4].created_root,
	                    "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders");
	assert_false(d.entries[5].changed);
	assert_null(d.entries[5].created_root);
	diff_free(&d);

	/* Once Wow6432Node\Microsoft exists, only .NETFramework is new. */
	{
		struct reg_value v;

		regvalue_set_dword(&v, 1);
		put(b, REG_VIEW_32, "SOFTWARE\\Microsoft", "x", &v);
		regvalue_free(&v);
	}
	diff_ok(&p, b, &d);
	assert_string_equal(d.entries[2].created_root, DOTNET_KEY);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- cipher-suite lists ---- */

static void test_list_remove_keeps_order(void **state)
{
	char *local[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
	                 "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
	static const char *const want[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                                   "TLS_RSA_WITH_AES_256_GCM_SHA384",
	                                   "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
	static const char *const preferred[] = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	                                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                                        "TLS_RSA_WITH_AES_256_GCM_SHA384"};
	struct reg_backend *b = t_state("");
	char *remove[] = {"TLS_DHE_*"}, *prefer[] = {"TLS_ECDHE_ECDSA_*", "TLS_ECDHE_*"};
	struct plan p;
	struct diff d;
	char **items;
	size_t n;

	put_list(b, LIST_MULTI_SZ, local, 5);
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_list(d.entries[0].before_list, d.entries[0].nbefore, (const char *const *)local, 5);
	assert_list(d.entries[0].after_list, d.entries[0].nafter, want, 3);
	assert_int_equal(d.entries[0].after.type, RV_MULTI_SZ);
	items = regvalue_get_multi_sz(&d.entries[0].after, &n);
	assert_list(items, n, want, 3);
	strlist_free(items, n);
	assert_false(has_warning(&d, "Group Policy"));
	diff_free(&d);
	plan_free(&p);

	/* prefer: each group moves to the front, keeping its own order. */
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, prefer, 2);
	diff_ok(&p, b, &d);
	assert_list(d.entries[0].after_list, d.entries[0].nafter, preferred, 3);
	diff_free(&d);
	plan_free(&p);

	/* Nothing matches: unchanged, and "after" is the value as it stays. */
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, (char *[]){"*_RC4_*"}, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_false(d.entries[0].changed);
	assert_true(d.entries[0].after_present);
	assert_true(regvalue_equal(&d.entries[0].after, &d.entries[0].before));
	assert_int_equal(d.nchanged, 0);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* Editing an existing Group Policy list: Group Policy will write it back. */
static void test_list_policy_edit_says_gpo_owns_it(void **state)
{
	char *items[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"}, *none[] = {"TLS_RSA_WITH_NULL_*"};
	struct reg_backend *b = t_state("");
	struct plan p;
	struct diff d;

	(void)state;
	put_list(b, LIST_COMMA_SZ, items, 2);
	plan_init(&p, "t");
	add_edit(&p, LIST_COMMA_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_true(has_warning(&d, "the next Group Policy refresh writes the GPO's order back"));
	diff_free(&d);
	plan_free(&p);
	plan_init(&p, "t"); /* an edit that changes nothing says nothing */
	add_edit(&p, LIST_COMMA_SZ, none, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_false(d.entries[0].changed);
	assert_false(has_warning(&d, "Group Policy refresh"));
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

static void test_list_policy_absent_not_created(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *remove[] = {"TLS_DHE_*"};
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_edit(&p, LIST_COMMA_SZ, remove, 1, NULL, 0);
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	diff_ok(&p, w, &d);
	assert_false(d.entries[0].changed);
	assert_false(d.entries[0].after_present);
	assert_null(d.entries[0].created_root);
	assert_non_null(strstr(d.entries[0].note, "none is created"));
	/* An absent local list: Windows' built-in order, said so. */
	assert_false(d.entries[1].changed);
	assert_non_null(d.entries[1].note);
	assert_true(has_warning(&d, "built-in order"));
	assert_int_equal(d.nchanged, 0);
	assert_int_equal(wrap_write_calls(w), 0);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
}

/* An absent local list is the release's built-in order (src/suites.c, from
 * Microsoft's per-release pages): disable-dhe on a registry without one
 * removes the DHE suites from that order and writes the rest, in order;
 * on a release whose order has none, nothing changes; an unknown release
 * (no --os for a state file in a test) keeps the old "nothing to edit". */
static void test_absent_local_list_is_builtin_order(void **state)
{
	static const struct {
		uint32_t major, minor, build;
		enum win_release r;
	} releases[] = {{6, 1, 7601, WR_7}, {10, 0, 14393, WR_2016}, {10, 0, 20348, WR_2022}};
	size_t i, j, n, dhe;

	for (i = 0; i < ARRAY_SIZE(releases); i++) {
		struct compile_options co = {.have_os = true,
		                             .major = releases[i].major,
		                             .minor = releases[i].minor,
		                             .build = releases[i].build};
		const char *const *order = suite_default_order(releases[i].r, &n);
		struct reg_backend *b = t_state("");
		struct profile *prof = NULL;
		struct diag dg = {0};
		struct plan p = {0};
		struct diff d;
		const struct diff_entry *e = NULL;

		assert_int_equal(profile_load("disable-dhe", NULL, &prof, &dg), SC_OK);
		assert_int_equal(compile_profile(prof, &co, &p, &dg), SC_OK);
		diff_ok(&p, b, &d);
		for (j = 0; j < d.n; j++)
			if (!strcmp(d.entries[j].op->path, SUITES_LOCAL_KEY))
				e = &d.entries[j];
		assert_non_null(e);
		for (j = 0, dhe = 0; j < n; j++)
			dhe += !strncmp(order[j], "TLS_DHE_", 8);
		assert_false(e->before_present);
		assert_int_equal(e->nbefore, n);
		assert_int_equal(e->changed, dhe > 0);
		assert_non_null(strstr(e->note, win_release_name(releases[i].r)));
		if (dhe) {
			char **items = regvalue_get_multi_sz(&e->after, &j);

			assert_int_equal(e->nafter, n - dhe);
			assert_int_equal(j, n - dhe);
			for (j = 0; j < e->nafter; j++)
				assert_true(strncmp(items[j], "TLS_DHE_", 8));
			strlist_free(items, e->nafter);
			assert_true(has_warning(&d, "Windows uses its built-in order for"));
		}
		diff_free(&d);
		plan_free(&p);
		profile_free(prof);
		diag_free(&dg);
		reg_backend_free(b);
	}
}

static void test_list_policy_wrong_type_left_alone(void **state)
{
	struct reg_backend *b = t_state("");
	char *items[] = {"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"};
	struct reg_value v;
	struct plan p;
	struct diff d;

	/* Group Policy's Functions as REG_MULTI_SZ: Windows ignores it. */
	assert_true(regvalue_set_multi_sz(&v, items, 2));
	put(b, REG_VIEW_64, SUITES_POLICY_KEY, "Functions", &v);
	regvalue_free(&v);
	plan_init(&p, "t");
	add_edit(&p, LIST_COMMA_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_false(d.entries[0].changed);
	assert_true(has_warning(&d, "left alone"));
	assert_true(has_warning(&d, "REG_MULTI_SZ"));
	assert_non_null(d.entries[0].note);
	assert_true(d.entries[0].after_present);
	assert_true(regvalue_equal(&d.entries[0].after, &d.entries[0].before));
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

static void test_list_policy_edit(void **state)
{
	struct reg_backend *b = t_state("");
	char *items[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"};
	struct plan p;
	struct diff d;
	char *s;

	put_list(b, LIST_COMMA_SZ, items, 3);
	plan_init(&p, "t");
	add_edit(&p, LIST_COMMA_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_int_equal(d.entries[0].after.type, RV_SZ);
	s = regvalue_get_string(&d.entries[0].after);
	assert_string_equal(
	    s, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_RSA_WITH_AES_256_GCM_SHA384");
	free(s);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

static void test_list_edit_that_empties_is_refused(void **state)
{
	struct reg_backend *b = t_state("");
	char *items[] = {"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"};
	char *remove[] = {"TLS_DHE_*"};
	struct sc_err err = {{0}};
	struct plan p;
	struct diff d;

	put_list(b, LIST_MULTI_SZ, items, 2);
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	assert_int_equal(diff_compute(&p, b, &d, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "empty"));
	assert_non_null(strstr(err.msg, "test.ini:1"));
	assert_null(d.entries); /* freed on error */
	plan_free(&p);
	reg_backend_free(b);
}

static void test_list_policy_too_long_is_refused(void **state)
{
	struct reg_backend *b = t_state("");
	struct sc_err err = {{0}};
	struct plan p;
	struct plan_op *op;
	struct diff d;
	size_t i;

	plan_init(&p, "t");
	op = add_edit(&p, LIST_COMMA_SZ, NULL, 0, NULL, 0);
	op->edit.create_if_absent = true;
	op->edit.want.has_order = true;
	op->edit.want.norder = 40;
	op->edit.want.order = xcalloc(40, sizeof(char *));
	for (i = 0; i < 40; i++)
		op->edit.want.order[i] =
		    xasprintf("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_%02zu", i);
	assert_int_equal(diff_compute(&p, b, &d, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "longer than 1023"));
	plan_free(&p);
	reg_backend_free(b);
}

static void test_list_override_warning(void **state)
{
	struct reg_backend *b = t_state("");
	char *local[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"};
	char *policy[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"};
	struct plan p;
	struct diff d;

	put_list(b, LIST_MULTI_SZ, local, 2);
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_false(has_warning(&d, "overrides"));
	diff_free(&d);

	put_list(b, LIST_COMMA_SZ, policy, 1);
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_true(has_warning(&d, "Group Policy cipher-suite order exists"));
	diff_free(&d);
	plan_free(&p);

	/* A plan that edits the policy list too gets no such warning. */
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	add_edit(&p, LIST_COMMA_SZ, remove, 1, NULL, 0);
	diff_ok(&p, b, &d);
	assert_false(has_warning(&d, "overrides"));
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* An explicit order creates an absent list (and says which key it adds). */
static void test_list_order_creates(void **state)
{
	struct reg_backend *b = t_state(HK "SYSTEM\\CurrentControlSet\\Control]\n\"x\"=dword:1\n");
	struct plan p;
	struct plan_op *op;
	struct diff d;

	plan_init(&p, "t");
	op = add_edit(&p, LIST_MULTI_SZ, NULL, 0, NULL, 0);
	op->edit.create_if_absent = true;
	op->edit.want.has_order = true;
	op->edit.want.order = strlist_dup((char *[]){"TLS_AES_256_GCM_SHA384"}, 1);
	op->edit.want.norder = 1;
	diff_ok(&p, b, &d);
	assert_true(d.entries[0].changed);
	assert_false(d.entries[0].before_present);
	assert_string_equal(d.entries[0].created_root,
	                    "SYSTEM\\CurrentControlSet\\Control\\Cryptography");
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- calls made ---- */

static void test_counters_and_opens(void **state)
{
	struct reg_backend *b = t_state(HK TLS12_CLIENT "]\n\"Enabled\"=dword:1\n"
	                                                "\n" HK PROTO "\\TLS 1.2\\Server]\n"),
	                   *w = wrap_backend_new(b);
	const struct wrap_counts *c = wrap_get_counts(w);
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1);
	add_set(&p, TLS12_CLIENT, "DisabledByDefault", 0);
	add_set(&p, PROTO "\\TLS 1.2\\Server", "Enabled", 1);
	add_set(&p, PROTO "\\TLS 1.2\\Server", "DisabledByDefault", 0);
	add_del(&p, TLS12_CLIENT, "Other");
	add_set(&p, TLS12_CLIENT, "ENABLED", 1); /* same key and value, other case */
	diff_ok(&p, w, &d);
	assert_int_equal(d.opens, 2);
	assert_int_equal(c->opens, 2);
	assert_int_equal(d.reads, 6);
	assert_int_equal(c->reads, 6);
	assert_int_equal(c->closes, 2);
	assert_int_equal(wrap_write_calls(w), 0);
	diff_free(&d);

	/* Missing keys: the key and each missing prefix, each once. */
	wrap_reset_counts(w);
	plan_free(&p);
	plan_init(&p, "t");
	add_set(&p, PROTO "\\TLS 1.3\\Client", "Enabled", 1);
	add_set(&p, PROTO "\\TLS 1.3\\Client", "DisabledByDefault", 0);
	add_set(&p, PROTO "\\TLS 1.3\\Server", "Enabled", 1);
	diff_ok(&p, w, &d);
	/* TLS 1.3\Client, SYSTEM ... Protocols (6 existing prefixes), TLS 1.3,
	 * TLS 1.3\Server: 9 distinct keys. */
	assert_int_equal(c->opens, 9);
	assert_int_equal(d.opens, 9);
	assert_int_equal(c->reads, 0);
	assert_int_equal(c->closes, 6);
	assert_string_equal(d.entries[0].created_root, PROTO "\\TLS 1.3");
	assert_string_equal(d.entries[2].created_root, PROTO "\\TLS 1.3");
	assert_int_equal(wrap_write_calls(w), 0);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
}

/* The policy key is opened once even when the override check reads it. */
static void test_policy_key_opened_once(void **state)
{
	struct reg_backend *b = t_state(""), *w = wrap_backend_new(b);
	char *local[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"};
	struct plan p;
	struct plan_op *op;
	struct diff d;

	put_list(b, LIST_MULTI_SZ, local, 2);
	put_list(b, LIST_COMMA_SZ, local, 1);
	plan_init(&p, "t");
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	op = add_op(&p, OP_SET, REG_VIEW_64, SUITES_POLICY_KEY, "EccCurves");
	assert_true(regvalue_set_multi_sz(&op->value, (char *[]){"NistP256"}, 1));
	diff_ok(&p, w, &d);
	assert_true(has_warning(&d, "overrides"));
	assert_int_equal(wrap_get_counts(w)->opens, 2);
	assert_int_equal(d.opens, 2);
	assert_int_equal(d.reads, 3);
	assert_int_equal(wrap_get_counts(w)->reads, 3);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(w);
	reg_backend_free(b);
}

/* diff_compute never calls a write-class function, for any built-in
 * profile on any of the test states. */
static void test_diff_never_writes(void **state)
{
	struct reg_backend *states[3] = {t_state(""), state_2016(), state_hardened()};
	size_t i, s;

	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct plan p = {0};

		compile_builtin(name, &p);
		for (s = 0; s < 3; s++) {
			struct reg_backend *w = wrap_backend_new(states[s]);
			const struct wrap_counts *c = wrap_get_counts(w);
			struct diff d;

			diff_ok(&p, w, &d);
			assert_int_equal(wrap_write_calls(w), 0);
			assert_int_equal(c->creates + c->writes + c->deletes + c->key_deletes, 0);
			assert_int_equal(c->opens, d.opens);
			assert_int_equal(c->reads, d.reads);
			diff_free(&d);
			reg_backend_free(w);
		}
		plan_free(&p);
		free(name);
	}
	for (s = 0; s < 3; s++)
		reg_backend_free(states[s]);
}

/* ---- text ---- */

static void test_format_text(void **state)
{
	struct reg_backend *b = t_state(HK TLS12_CLIENT "]\n\"Enabled\"=dword:00000000\n"
	                                                "\n" HK PROTO "\\SSL 3.0\\Client]\n");
	char *local[] = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	                 "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"};
	char *policy[] = {"TLS_RSA_WITH_AES_256_GCM_SHA384"};
	char *remove[] = {"TLS_DHE_*"};
	struct strbuf sb = STRBUF_INIT;
	struct plan p;
	struct diff d;
	const char *t;

	put_list(b, LIST_MULTI_SZ, local, 3);
	put_list(b, LIST_COMMA_SZ, policy, 1);
	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1)->area = AREA_PROTOCOLS;
	add_rmkey(&p, PROTO "\\SSL 3.0\\Client");
	p.ops[1].area = AREA_PROTOCOLS;
	add_edit(&p, LIST_MULTI_SZ, remove, 1, NULL, 0);
	add_del(&p, TLS12_CLIENT, "Unchanged");
	diff_ok(&p, b, &d);
	diff_format_text(&d, "best-practices on the test registry", false, &sb);
	t = sb_str(&sb);
	assert_true(starts_with(t, "best-practices on the test registry\n"));
	assert_non_null(strstr(t, "\nProtocols\n"));
	assert_non_null(strstr(t, "  HKLM\\" TLS12_CLIENT "\n"));
	assert_non_null(strstr(t, "Enabled              REG_DWORD 0x00000000 (0) \xE2\x86\x92 "
	                          "REG_DWORD 0x00000001 (1)  [reboot]\n"));
	assert_non_null(strstr(t, "(key removed: it holds nothing after this change)  [reboot]"));
	assert_non_null(strstr(t, "\nCipher suites\n"));
	assert_non_null(strstr(t, "REG_MULTI_SZ [3 suites] \xE2\x86\x92 REG_MULTI_SZ [2 suites]"));
	assert_non_null(strstr(t, "        - TLS_DHE_RSA_WITH_AES_256_GCM_SHA384\n"));
	assert_non_null(strstr(t, "(the other 2 keep their order)"));
	assert_null(strstr(t, "Unchanged")); /* unchanged entries are not listed */
	assert_non_null(strstr(t, "! a Group Policy cipher-suite order exists"));
	assert_non_null(
	    strstr(t, "\n2 values to change, 1 empty key to remove, reboot required.\n"));
	assert_null(strchr(t, '\x1b'));
	sb_reset(&sb);

	/* In color, every warning line ends with a reset. */
	diff_format_text(&d, NULL, true, &sb);
	t = sb_str(&sb);
	assert_non_null(strchr(t, '\x1b'));
	assert_non_null(strstr(t, "overrides the local list this plan changes\x1b[0m\n"));
	sb_free(&sb);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

static void test_summary(void **state)
{
	struct reg_backend *b = t_state(HK TLS12_CLIENT "]\n\"Enabled\"=dword:00000001\n");
	struct strbuf sb = STRBUF_INIT;
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_set(&p, TLS12_CLIENT, "Enabled", 1);
	diff_ok(&p, b, &d);
	diff_summary(&d, &sb);
	assert_string_equal(sb_str(&sb), "nothing to change");
	diff_free(&d);
	sb_reset(&sb);
	add_set(&p, TLS12_CLIENT, "Enabled", 0)->reboot = false;
	add_op(&p, OP_CREATE_KEY, REG_VIEW_64, PROTO "\\TLS 1.3", NULL)->reboot = false;
	diff_ok(&p, b, &d);
	diff_summary(&d, &sb);
	assert_string_equal(sb_str(&sb), "1 value to change, 1 key to create");
	sb_free(&sb);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- .reg ---- */

/* diff_format_reg, imported into a copy of the state, gives exactly what
 * a real apply gives. */
static void check_reg_output(const struct plan *plan, const struct reg_backend *state,
                             const char *label)
{
	struct reg_backend *imported = copy_of(state), *applied = copy_of(state);
	struct strbuf sb = STRBUF_INIT;
	struct apply_options o = {.backend = applied, .snapshot_dir = NULL};
	struct apply_result r;
	struct sc_err err = {{0}};
	struct regfile rf;
	struct diff d;
	char *want, *got;

	diff_ok(plan, state, &d);
	diff_format_reg(&d, &sb);
	if (regfile_parse(label, (const uint8_t *)sb_str(&sb), sb.len, &rf, &err) != SC_OK)
		fail_msg("%s: %s\n%s", label, err.msg, sb_str(&sb));
	assert_int_equal(rf.format, REGFILE_V5);
	if (regfile_apply_records(&rf, imported, &err) != SC_OK)
		fail_msg("%s: %s", label, err.msg);
	o.snapshot_dir = tmp_dir;
	o.label.target = "state:test";
	o.label.now = 1700000000;
	apply_plan(plan, &o, &r);
	assert_true(r.status == APPLY_DONE || r.status == APPLY_NOTHING);
	if (r.snapshot_path)
		unlink(r.snapshot_path);
	apply_result_free(&r);
	want = t_dump(applied);
	got = t_dump(imported);
	if (strcmp(got, want))
		fail_msg("%s: importing the .reg gives\n%s\nthe apply gives\n%s\nthe .reg:\n%s",
		         label, got, want, sb_str(&sb));
	free(want);
	free(got);
	regfile_free(&rf);
	diff_free(&d);
	sb_free(&sb);
	reg_backend_free(imported);
	reg_backend_free(applied);
}

static void test_format_reg_matches_apply(void **state)
{
	struct reg_backend *states[3] = {t_state(""), state_2016(), state_hardened()};
	static const char *const names[3] = {"empty", "server2016", "hardened"};
	size_t i, s;

	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct plan p = {0};

		compile_builtin(name, &p);
		for (s = 0; s < 3; s++) {
			char *label = xasprintf("%s on %s", name, names[s]);

			check_reg_output(&p, states[s], label);
			free(label);
		}
		plan_free(&p);
		free(name);
	}
	for (s = 0; s < 3; s++)
		reg_backend_free(states[s]);
}

/* Removing keys: [-KEY] lines in the right order. */
static void test_format_reg_key_removal(void **state)
{
	struct reg_backend *b = t_state(HK TLS10 "\\Client]\n\"Enabled\"=dword:00000000\n"
	                                         "\n" HK TLS10 "\\Server]\n");
	struct strbuf sb = STRBUF_INIT;
	struct plan p;
	struct diff d;

	plan_init(&p, "t");
	add_del(&p, TLS10 "\\Client", "Enabled");
	add_rmkey(&p, TLS10 "\\Client");
	add_rmkey(&p, TLS10 "\\Server");
	add_rmkey(&p, TLS10);
	diff_ok(&p, b, &d);
	diff_format_reg(&d, &sb);
	assert_non_null(strstr(sb_str(&sb), "[HKEY_LOCAL_MACHINE\\" TLS10 "\\Client]\r\n"
	                                    "\"Enabled\"=-\r\n\r\n"
	                                    "[-HKEY_LOCAL_MACHINE\\" TLS10 "\\Client]\r\n\r\n"
	                                    "[-HKEY_LOCAL_MACHINE\\" TLS10 "\\Server]\r\n\r\n"
	                                    "[-HKEY_LOCAL_MACHINE\\" TLS10 "]\r\n"));
	check_reg_output(&p, b, "key removal");
	sb_free(&sb);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* ---- JSON ---- */

/* A small RFC 8259 validator: value syntax, string escapes, nesting. */
struct jp {
	const char *s;
	int depth;
};

static bool jp_value(struct jp *p);

static void jp_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static bool jp_string(struct jp *p)
{
	if (*p->s != '"')
		return false;
	for (p->s++; *p->s != '"'; p->s++) {
		if ((unsigned char)*p->s < 0x20)
			return false;
		if (*p->s == '\\') {
			p->s++;
			if (*p->s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p->s[i]))
						return false;
				p->s += 4;
			} else if (!*p->s || !strchr("\"\\/bfnrt", *p->s)) {
				return false;
			}
		}
	}
	p->s++;
	return true;
}

static bool jp_number(struct jp *p)
{
	const char *start = p->s;

	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (isdigit((unsigned char)*p->s))
		while (isdigit((unsigned char)*p->s))
			p->s++;
	else
		return false;
	if (*p->s == '.') {
		p->s++;
		if (!isdigit((unsigned char)*p->s))
			return false;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!isdigit((unsigned char)*p->s))
			return false;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	return p->s > start;
}

static bool jp_container(struct jp *p, char open, char close)
{
	bool first = true;

	if (++p->depth > 64)
		return false;
	p->s++;
	jp_ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		if (!first) {
			if (*p->s != ',')
				return false;
			p->s++;
			jp_ws(p);
		}
		first = false;
		if (open == '{') {
			if (!jp_string(p))
				return false;
			jp_ws(p);
			if (*p->s++ != ':')
				return false;
			jp_ws(p);
		}
		if (!jp_value(p))
			return false;
		jp_ws(p);
		if (*p->s == close) {
			p->s++;
			p->depth--;
			return true;
		}
	}
}

static bool jp_value(struct jp *p)
{
	jp_ws(p);
	switch (*p->s) {
	case '{': return jp_container(p, '{', '}');
	case '[': return jp_container(p, '[', ']');
	case '"': return jp_string(p);
	case 't': return !strncmp(p->s, "true", 4) && (p->s += 4);
	case 'f': return !strncmp(p->s, "false", 5) && (p->s += 5);
	case 'n': return !strncmp(p->s, "null", 4) && (p->s += 4);
	default: return jp_number(p);
	}
}

static bool json_valid(const char *s)
{
	struct jp p = {s, 0};

	if (!jp_value(&p))
		return false;
	jp_ws(&p);
	return *p.s == '\0';
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static void test_json_validator(void **state)
{
	assert_true(json_valid("{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]}"));
	assert_true(json_valid("[]"));
	assert_false(json_valid("{\"a\": 1,}"));
	assert_false(json_valid("{\"a\" 1}"));
	assert_false(json_valid("[\"tab\there\"]"));
	assert_false(json_valid("[01]"));
	assert_false(json_valid("{} {}"));
	assert_false(json_valid("[\"\\x\"]"));
}

static void test_format_json(void **state)
{
	struct reg_backend *b = state_2016();
	struct strbuf sb = STRBUF_INIT;
	struct plan p = {0};
	struct diff d;
	const char *t;
	static const char *const top[] = {"\"schema\": 1",
	                                  "\"kind\": \"diff\"",
	                                  "\"tool_version\": ",
	                                  "\"profile\": \"best-practices\"",
	                                  "\"target\": \"state:C:\\\\x \\\"y\\\".reg\"",
	                                  "\"changes\": ",
	                                  "\"reboot_required\": true",
	                                  "\"summary\": ",
	                                  "\"entries\": [",
	                                  "\"warnings\": ["};
	static const char *const per_entry[] = {
	    "\"op\": ",          "\"changed\": ", "\"key_existed\": ",
	    "\"creates_key\": ", "\"note\": ",    "\"reason\": "};
	size_t i;

	compile_builtin("best-practices", &p);
	diff_ok(&p, b, &d);
	diff_format_json(&d, "diff", "best-practices", "state:C:\\x \"y\".reg", &sb);
	t = sb_str(&sb);
	if (!json_valid(t))
		fail_msg("invalid JSON:\n%s", t);
	for (i = 0; i < ARRAY_SIZE(top); i++)
		if (!strstr(t, top[i]))
			fail_msg("no %s in\n%s", top[i], t);
	for (i = 0; i < ARRAY_SIZE(per_entry); i++)
		assert_int_equal(count(t, per_entry[i]), d.n);
	assert_int_equal(count(t, "\"changed\": true"), d.nchanged);
	assert_non_null(strstr(t, "\"before_list\": ["));
	assert_non_null(strstr(t, "\"after_list\": ["));
	assert_non_null(strstr(t, "\"text\": "));
	sb_free(&sb);
	diff_free(&d);
	plan_free(&p);

	/* Nothing to change: still a whole document. */
	plan_init(&p, "t");
	diff_ok(&p, b, &d);
	diff_format_json(&d, "check", "t", "live", &sb);
	t = sb_str(&sb);
	assert_true(json_valid(t));
	assert_non_null(strstr(t, "\"changes\": 0"));
	assert_non_null(strstr(t, "\"reboot_required\": false"));
	assert_non_null(strstr(t, "\"entries\": []"));
	sb_free(&sb);
	diff_free(&d);
	plan_free(&p);
	reg_backend_free(b);
}

/* Every built-in profile's JSON on the 2016 state is valid. */
static void test_format_json_builtins(void **state)
{
	struct reg_backend *b = state_2016();
	size_t i;

	for (i = 0; i < builtin_profile_count; i++) {
		char *name = builtin_name(i);
		struct strbuf sb = STRBUF_INIT;
		struct plan p = {0};
		struct diff d;

		compile_builtin(name, &p);
		diff_ok(&p, b, &d);
		diff_format_json(&d, "diff", name, "live", &sb);
		if (!json_valid(sb_str(&sb)))
			fail_msg("%s: invalid JSON:\n%s", name, sb_str(&sb));
		sb_free(&sb);
		diff_free(&d);
		plan_free(&p);
		free(name);
	}
	reg_backend_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set),
	    cmocka_unit_test(test_delete_value),
	    cmocka_unit_test(test_delete_key_if_empty),
	    cmocka_unit_test(test_delete_key_nested),
	    cmocka_unit_test(test_created_root),
	    cmocka_unit_test(test_list_remove_keeps_order),
	    cmocka_unit_test(test_list_policy_absent_not_created),
	    cmocka_unit_test(test_list_policy_edit_says_gpo_owns_it),
	    cmocka_unit_test(test_absent_local_list_is_builtin_order),
	    cmocka_unit_test(test_list_policy_wrong_type_left_alone),
	    cmocka_unit_test(test_list_policy_edit),
	    cmocka_unit_test(test_list_edit_that_empties_is_refused),
	    cmocka_unit_test(test_list_policy_too_long_is_refused),
	    cmocka_unit_test(test_list_override_warning),
	    cmocka_unit_test(test_list_order_creates),
	    cmocka_unit_test(test_counters_and_opens),
	    cmocka_unit_test(test_policy_key_opened_once),
	    cmocka_unit_test(test_diff_never_writes),
	    cmocka_unit_test(test_format_text),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_format_reg_matches_apply),
	    cmocka_unit_test(test_format_reg_key_removal),
	    cmocka_unit_test(test_json_validator),
	    cmocka_unit_test(test_format_json),
	    cmocka_unit_test(test_format_json_builtins),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
