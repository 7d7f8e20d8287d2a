/*
 * compile.c - settings -> registry operations.
 *
 * Conventions (Microsoft's pages, cited at the rows of schema.c):
 *   protocols: enabled = Enabled 1 + DisabledByDefault 0,
 *              disabled = Enabled 0 + DisabledByDefault 1 ("TLS registry
 *              settings"; 1, not 0xffffffff, which Microsoft's Exchange
 *              HealthChecker flags as misconfigured);
 *   ciphers, hashes, key exchange: Enabled 0xffffffff / 0 (KB245030);
 *   "default" removes the values, then the key once it is empty.
 * MUST: removing suites never creates the Group Policy list (it would
 * override the local one).
 */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "ci_index.h"
#include "impacts.h"
#include "lookalike.h"
#include "schema.h"
#include "suites.h"

#define ENABLED_ALL_BITS 0xFFFFFFFFu

struct cc {
	const struct profile *p;
	const struct compile_options *o;
	struct plan *plan;
	struct diag *diags;
	const struct setting *s; /* the setting being compiled */
};

static char *source_of(const struct setting *s)
{
	return xasprintf("%s:%u", s->file, s->line);
}

/* Adds an op for the current setting with a "subject: value - what" reason. */
static struct plan_op *emit(struct cc *c, enum op_kind kind, enum area area, enum reg_view view,
                            const char *path, const char *name, bool reboot, const char *what)
{
	struct plan_op *op = plan_add(c->plan, kind, area, view, path, name);

	op->source = source_of(c->s);
	op->reason = xasprintf("%s: %s - %s", c->s->subject, c->s->value_text, what);
	op->rule = c->s->rule ? xstrdup(c->s->rule) : NULL;
	op->reboot = reboot;
	return op;
}

static void emit_dword(struct cc *c, enum area area, enum reg_view view, const char *path,
                       const char *name, uint32_t value, bool reboot, const char *what)
{
	struct plan_op *op = emit(c, OP_SET, area, view, path, name, reboot, what);

	regvalue_set_dword(&op->value, value);
}

static void emit_delete(struct cc *c, enum area area, enum reg_view view, const char *path,
                        const char *name, bool reboot)
{
	emit(c, OP_DELETE_VALUE, area, view, path, name, reboot,
	     "value removed: Windows uses its built-in default");
}

static void emit_rmkey(struct cc *c, enum area area, const char *path)
{
	size_t i;

	for (i = 0; i < c->plan->nops; i++) {
		const struct plan_op *op = &c->plan->ops[i];

		if (op->kind == OP_DELETE_KEY_IF_EMPTY && streq_ci(op->path, path))
			return;
	}
	emit(c, OP_DELETE_KEY_IF_EMPTY, area, REG_VIEW_64, path, NULL, true,
	     "key removed once it holds nothing");
}

/* Where the current setting writes, and whether a change there needs a
 * reboot: both from its row (schema.c). */
static char *key_of(const struct cc *c)
{
	return schema_key_path(c->s->section, c->s->def, c->s->word, c->s->version);
}

static bool reboot_of(const struct cc *c)
{
	return !c->s->def->map.no_reboot;
}

/* "default" removes the values, then the row's keys once they are empty,
 * deepest first (a protocol's Client key, then the protocol's key). */
static void emit_default(struct cc *c, const char *key)
{
	const struct reg_map *m = &c->s->def->map;
	char *path = xstrdup(key);
	unsigned level;

	emit_delete(c, m->area, c->s->view, key, m->value, reboot_of(c));
	if (m->value2)
		emit_delete(c, m->area, c->s->view, key, m->value2, reboot_of(c));
	for (level = 0; level < m->rmkeys; level++) {
		char *slash = strrchr(path, '\\');

		emit_rmkey(c, m->area, path);
		if (!slash)
			break;
		*slash = '\0';
	}
	free(path);
}

/* Protocols: enabled = value 1 + value2 0, disabled = value 0 + value2 1. */
static void compile_state_pair(struct cc *c, const char *key)
{
	const struct reg_map *m = &c->s->def->map;
	bool on = c->s->u.state == STATE_ENABLED;

	emit_dword(c, m->area, c->s->view, key, m->value, on ? 1 : 0, reboot_of(c),
	           on ? "Enabled=1: the protocol may be used"
	              : "Enabled=0: the protocol is switched off");
	emit_dword(c, m->area, c->s->view, key, m->value2, on ? 0 : 1, reboot_of(c),
	           on ? "DisabledByDefault=0: offered when applications ask for the "
	                "system defaults"
	              : "DisabledByDefault=1: not offered by default either");
}

/* Ciphers, hashes, key exchange (0xffffffff / 0) and FIPS (1 / 0). */
static void compile_state_value(struct cc *c, const char *key)
{
	const struct reg_map *m = &c->s->def->map;
	bool on = c->s->u.state == STATE_ENABLED, all_bits = m->codec == CODEC_ALL_BITS;
	char *what;

	if (!all_bits)
		what = xstrdup(m->effect);
	else if (on)
		what = xasprintf("%s=0xffffffff: may be used (KB245030 convention)", m->value);
	else
		what = xasprintf("%s=0: never used", m->value);
	emit_dword(c, m->area, c->s->view, key, m->value,
	           on ? (all_bits ? ENABLED_ALL_BITS : 1) : 0, reboot_of(c), what);
	free(what);
}

static bool mask_has(uint32_t mask, uint32_t bit)
{
	return bit && (mask & bit) == bit;
}

/* WinHTTP and EAP masks: warn about SSL 2.0/3.0 bits and an empty mask. */
static void warn_protocol_mask(struct cc *c, const char *src)
{
	const struct reg_map *m = &c->s->def->map;
	uint32_t ssl3 = schema_mask_bit(m, vocab_find(&vocab_protocols, "SSL 3.0", NULL));
	uint32_t ssl2 = schema_mask_bit(m, vocab_find(&vocab_protocols, "SSL 2.0", NULL));
	uint32_t mask = c->s->u.num.value;

	if (mask_has(mask, ssl3) || mask_has(mask, ssl2))
		plan_warn(c->plan, src,
		          "%s 0x%08x includes SSL %s, which is insecure (POODLE); TLS 1.1 + 1.2 "
		          "(0x00000a00) or TLS 1.2 alone (0x00000800) is enough",
		          m->value, mask, mask_has(mask, ssl2) ? "2.0" : "3.0");
	if (!mask)
		plan_warn(c->plan, src, "%s 0 turns every protocol off", m->value);
}

/* Named bits that carry a warning of their own (weak certificate
 * mappings, KB5014754). */
static void warn_mask(struct cc *c)
{
	const struct reg_map *m = &c->s->def->map;
	char *src;
	size_t i;

	if (c->s->u.num.is_default)
		return;
	src = source_of(c->s);
	if (m->bits == &vocab_protocols)
		warn_protocol_mask(c, src);
	for (i = 0; i < m->bits->count; i++)
		if (m->bits->entries[i].warn &&
		    mask_has(c->s->u.num.value, schema_mask_bit(m, &m->bits->entries[i])))
			plan_warn(c->plan, src, "%s 0x%08x: %s", m->value, c->s->u.num.value,
			          m->bits->entries[i].warn);
	free(src);
}

/* A number (DWORD, mask) or, for "default", its removal. */
static void compile_number(struct cc *c, const char *key)
{
	const struct reg_map *m = &c->s->def->map;

	emit_dword(c, m->area, c->s->view, key, m->value, c->s->u.num.value, reboot_of(c),
	           m->effect);
}

/* An explicit order may only name suites the target release has
 * ("TLS Cipher Suites in Windows ..." pages, src/suites.c): Windows
 * ignores unknown names, so a list naming them is not what it says. */
static void check_order_release(struct cc *c)
{
	const struct setting *s = c->s;
	const struct suite_lists *su = &s->u.suites.lists;
	enum win_release r;
	size_t i;

	if (!su->has_order || !c->o->have_os)
		return;
	r = win_release_of(c->o->major, c->o->minor, c->o->build);
	for (i = 0; i < su->norder; i++) {
		const struct suite_info *info = suite_find(su->order[i]);

		if (info && (info->releases & WR_BIT(r)))
			continue;
		if (c->o->force) {
			char *src = source_of(s);

			plan_warn(c->plan, src, "%s does not exist on %s (--force given)",
			          su->order[i], win_release_name(r));
			free(src);
		} else {
			diag_error(c->diags, s->file, s->line,
			           "order: %s does not exist on %s (%u.%u.%u); name only suites "
			           "this release has, or pass --force",
			           su->order[i], win_release_name(r), c->o->major, c->o->minor,
			           c->o->build);
		}
	}
}

/* An absent local list means the release's built-in order ("TLS Cipher
 * Suites in Windows ..." pages, src/suites.c): edits start from it. */
static void set_builtin(struct list_edit *e, const struct compile_options *o)
{
	enum win_release r = win_release_of(o->major, o->minor, o->build);
	size_t n;
	const char *const *order = suite_default_order(r, &n);

	if (!order || !n)
		return;
	e->builtin = strlist_dup((char *const *)order, n);
	e->nbuiltin = n;
	e->builtin_for = win_release_name(r);
}

/* policy-list = remove: then no Group Policy order is left to override
 * the local one (its own warning says a GPO may write it again). */
static bool removes_policy_list(const struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nsettings; i++)
		if (p->settings[i].kind == ST_POLICY_LIST)
			return true;
	return false;
}

/* order = os-default: the release's default order (src/suites.c, from
 * Microsoft's "TLS Cipher Suites in Windows ..." pages). */
static void fill_os_default(struct suite_lists *l, const struct compile_options *o)
{
	size_t n;
	const char *const *order =
	    suite_default_order(win_release_of(o->major, o->minor, o->build), &n);

	strlist_free(l->order, l->norder);
	l->order = strlist_dup((char *const *)order, n);
	l->norder = n;
}

static void compile_suites(struct cc *c)
{
	const struct suite_setting *s = &c->s->u.suites;
	size_t i;
	bool local = s->where != WHERE_POLICY, policy = s->where != WHERE_LOCAL;
	char *src = source_of(c->s);

	if (s->lists.os_default && !c->o->have_os) {
		plan_warn(c->plan, src,
		          "order = os-default: the Windows version is unknown here (pass --os), "
		          "so the cipher-suite list is left out");
		free(src);
		return;
	}

	if (local) {
		struct plan_op *op =
		    emit(c, OP_LIST_EDIT, AREA_SUITES, REG_VIEW_64, SUITES_LOCAL_KEY, "Functions",
		         true, "the local cipher-suite order");

		op->edit.format = LIST_MULTI_SZ;
		op->edit.create_if_absent = s->lists.has_order;
		if (!s->lists.has_order && c->o->have_os)
			set_builtin(&op->edit, c->o);
	}
	if (policy) {
		struct plan_op *op = emit(
		    c, OP_LIST_EDIT, AREA_SUITES, REG_VIEW_64, SUITES_POLICY_KEY, "Functions", true,
		    s->where == WHERE_POLICY ? "the Group Policy cipher-suite order"
		                             : "the Group Policy order, only where it exists "
		                               "(it overrides the local one)");

		op->edit.format = LIST_COMMA_SZ;
		op->edit.create_if_absent = s->lists.has_order && s->where == WHERE_POLICY;
	}
	/* Each op owns its copy of the setting's lists. */
	for (i = c->plan->nops - (size_t)local - (size_t)policy; i < c->plan->nops; i++) {
		suite_lists_copy(&c->plan->ops[i].edit.want, &s->lists);
		if (s->lists.os_default)
			fill_os_default(&c->plan->ops[i].edit.want, c->o);
	}
	if (local && s->lists.has_order && !removes_policy_list(c->p))
		plan_warn(c->plan, src,
		          "a Group Policy cipher-suite order (HKLM\\" SUITES_POLICY_KEY
		          " Functions), where one exists, overrides the local order; and Windows "
		          "servicing may reset the local list");
	free(src);
}

static void compile_curves(struct cc *c, const char *key)
{
	const struct reg_map *m = &c->s->def->map;
	struct plan_op *op =
	    emit(c, OP_SET, m->area, c->s->view, key, m->value, reboot_of(c), m->effect);

	if (!regvalue_set_multi_sz(&op->value, c->s->u.curves.names, c->s->u.curves.n))
		abort(); /* names were validated */
}

/* A raw key or value name that spells a known one with look-alike
 * characters is most likely a copy-paste accident (lookalike.h). */
static void warn_lookalike(struct cc *c, const char *name, const char *what)
{
	const char *known = lookalike_known(name);
	struct strbuf sb = STRBUF_INIT;
	char *src;

	if (!known)
		return;
	src = source_of(c->s);
	lookalike_describe(name, &sb);
	plan_warn(c->plan, src, "%s \"%s\" is not \"%.*s\" (%s): Windows reads only the latter",
	          what, name, (int)strcspn(known, "\\"), known, sb_str(&sb));
	sb_free(&sb);
	free(src);
}

static void warn_lookalikes(struct cc *c, const struct raw_setting *s)
{
	const char *p = s->path;

	while (*p) {
		size_t len = strcspn(p, "\\");
		char *part = xasprintf("%.*s", (int)len, p);

		warn_lookalike(c, part, "key");
		free(part);
		p += len + (p[len] == '\\');
	}
	if (s->name)
		warn_lookalike(c, s->name, "value");
}

static void compile_raw(struct cc *c)
{
	const struct raw_setting *s = &c->s->u.raw;
	enum reg_view view = c->s->view;

	warn_lookalikes(c, s);
	if (!s->name) {
		emit(c, OP_CREATE_KEY, AREA_RAW, view, s->path, NULL, s->reboot,
		     "the key exists (even without values)");
	} else if (s->delete_value) {
		emit(c, OP_DELETE_VALUE, AREA_RAW, view, s->path, s->name, s->reboot,
		     "value removed");
	} else {
		struct plan_op *op =
		    emit(c, OP_SET, AREA_RAW, view, s->path, s->name, s->reboot, "raw value");

		regvalue_set_bytes(&op->value, s->value.type, s->value.data, s->value.size);
	}
}

static void warn_protocol(struct cc *c)
{
	const struct setting *s = c->s;
	const char *proto = vocab_protocols.entries[s->word].name;
	char *src = source_of(s);

	if (s->u.state == STATE_ENABLED && (!strcmp(proto, "SSL 2.0") || !strcmp(proto, "SSL 3.0")))
		plan_warn(c->plan, src, "%s is insecure; enabling it is almost never right", proto);
	if (s->u.state == STATE_ENABLED && !strcmp(proto, "TLS 1.3")) {
		if (!c->o->have_os)
			plan_warn(c->plan, src,
			          "TLS 1.3 exists only on Windows 11 / Server 2022 (build 20348) "
			          "and later; enabling it on older Windows is unsupported and "
			          "breaks connections");
		else if (c->o->build < 20348 && !c->o->force)
			diag_error(
			    c->diags, s->file, s->line,
			    "TLS 1.3 is enabled, but this Windows (%u.%u.%u) is older than "
			    "Windows 11 / Server 2022 (build 20348): enabling it there breaks "
			    "TLS; remove the line, use applies-to, or pass --force",
			    c->o->major, c->o->minor, c->o->build);
	}
	free(src);
}

/* Group Policy owns its list: removing it here lasts until the GPO that
 * set it (if any) is applied again ("Prioritizing Schannel Cipher
 * Suites": the SSL Cipher Suite Order policy setting). */
static void warn_policy_removal(struct cc *c)
{
	char *src = source_of(c->s);

	plan_warn(c->plan, src,
	          "policy-list = remove deletes the Group Policy cipher-suite order; if a GPO "
	          "sets it (Computer Configuration > Administrative Templates > Network > SSL "
	          "Configuration Settings > SSL Cipher Suite Order), the next Group Policy "
	          "refresh writes it again: change the GPO too");
	free(src);
}

/* Values Windows does not read on the target release: the pre-Vista
 * name of Triple DES (KB245030), and WinHTTP's TLS 1.3 bit before TLS
 * 1.3 exists (build 20348, "Protocols in TLS/SSL (Schannel SSP)"). */
static void warn_unread(struct cc *c)
{
	const struct setting *s = c->s;
	char *src;

	if (!c->o->have_os)
		return;
	src = source_of(s);
	/* Removing it ("default") is what a reset of a stale value does. */
	if (s->kind == ST_CIPHER && s->u.state != STATE_DEFAULT &&
	    !strcmp(vocab_ciphers.entries[s->word].name, "Triple DES 168/168") && c->o->major >= 6)
		plan_warn(
		    c->plan, src,
		    "\"Triple DES 168/168\" is the key Windows before Vista read; %u.%u reads "
		    "\"Triple DES 168\"",
		    c->o->major, c->o->minor);
	if (s->kind == ST_WINHTTP && !s->u.num.is_default && (s->u.num.value & 0x2000) &&
	    c->o->build < 20348)
		plan_warn(
		    c->plan, src,
		    "DefaultSecureProtocols: the TLS 1.3 bit (0x2000) does nothing before build "
		    "20348 (Windows 11 / Server 2022); this Windows is %u.%u.%u",
		    c->o->major, c->o->minor, c->o->build);
	free(src);
}

/* Checks that belong to what a setting means, not to its codec. */
static void check_setting(struct cc *c)
{
	warn_unread(c);
	if (c->s->kind == ST_POLICY_LIST)
		warn_policy_removal(c);
	if (c->s->kind == ST_PROTOCOL)
		warn_protocol(c);
	if (c->s->kind == ST_SUITES)
		check_order_release(c);
	if (c->s->def->map.codec == CODEC_MASK)
		warn_mask(c);
}

/* A "default" number, state or curve list removes the row's values. */
static bool is_default(const struct setting *s)
{
	switch (setting_form(s)) {
	case FORM_STATE: return s->u.state == STATE_DEFAULT;
	case FORM_NUMBER: return s->u.num.is_default;
	case FORM_CURVES: return s->u.curves.is_default;
	case FORM_SUITES:
	case FORM_RAW: break;
	}
	return false;
}

/* Walks the setting's row forward: its codec says which values to write. */
static void compile_setting(struct cc *c)
{
	char *key;

	if (c->s->kind == ST_RAW) {
		compile_raw(c);
		return;
	}
	if (!c->s->def || !c->s->def->map.key)
		return;
	check_setting(c);
	key = key_of(c);
	if (is_default(c->s)) {
		emit_default(c, key);
	} else {
		switch (c->s->def->map.codec) {
		case CODEC_STATE_PAIR: compile_state_pair(c, key); break;
		case CODEC_ALL_BITS:
		case CODEC_STATE_01: compile_state_value(c, key); break;
		case CODEC_DWORD:
		case CODEC_MASK: compile_number(c, key); break;
		case CODEC_SUITES: compile_suites(c); break;
		case CODEC_CURVES: compile_curves(c, key); break;
		case CODEC_REMOVE: /* parsed as is_default: emit_default deletes it */
		case CODEC_NONE: break;
		}
	}
	free(key);
}

/* Settings in a fixed order: kind, vocabulary position, then id. */
static int cmp_settings(const void *a, const void *b)
{
	const struct setting *const *x = a, *const *y = b;

	if ((*x)->kind != (*y)->kind)
		return (int)(*x)->kind - (int)(*y)->kind;
	if ((*x)->word != (*y)->word)
		return (*x)->word < (*y)->word ? -1 : 1;
	return strcmp_ci((*x)->id, (*y)->id);
}

static size_t depth_of(const char *path)
{
	size_t d = 0;

	for (; *path; path++)
		d += *path == '\\';
	return d;
}

/* Key removals go last within their area, deepest first, so a key is
 * only considered once everything below it has been handled. */
static int cmp_ops(const void *a, const void *b)
{
	const struct plan_op *x = a, *y = b;
	bool xk = x->kind == OP_DELETE_KEY_IF_EMPTY, yk = y->kind == OP_DELETE_KEY_IF_EMPTY;

	if (x->area != y->area)
		return (int)x->area - (int)y->area;
	if (xk != yk)
		return xk ? 1 : -1;
	if (xk && depth_of(x->path) != depth_of(y->path))
		return depth_of(x->path) > depth_of(y->path) ? -1 : 1;
	return 0;
}

/* qsort is not stable: keep the emit order among equal ops. */
static void sort_ops(struct plan *plan)
{
	size_t i, j;

	for (i = 1; i < plan->nops; i++) {
		struct plan_op tmp = plan->ops[i];

		for (j = i; j > 0 && cmp_ops(&plan->ops[j - 1], &tmp) > 0; j--)
			plan->ops[j] = plan->ops[j - 1];
		plan->ops[j] = tmp;
	}
}

static bool same_target(const struct plan_op *a, const struct plan_op *b)
{
	return a->name && b->name && a->view == b->view && streq_ci(a->path, b->path) &&
	       streq_ci(a->name, b->name);
}

/* Would this op make the key `path` (of `view`) exist, or keep it? */
static bool keeps_key(const struct plan_op *op, enum reg_view view, const char *path)
{
	if (op->view != view || !reg_path_within(op->path, path))
		return false;
	return op->kind == OP_SET || op->kind == OP_CREATE_KEY ||
	       (op->kind == OP_LIST_EDIT && op->edit.create_if_absent);
}

/*
 * A key the plan makes exist is never removed by it: "default" on a
 * protocol removes its keys once empty, and a [key] section may say the
 * same key exists (capture writes both for a key that exists empty). The
 * removal would run first (areas sort before raw) and the creation
 * after, so every apply would change the registry twice, for ever.
 */
static void drop_contradicted_removals(struct plan *plan)
{
	bool *drop = xcalloc(plan->nops + 1, sizeof(*drop));
	size_t i, j, kept = 0;

	/* decide first, compact after: the scan needs every op in place */
	for (i = 0; i < plan->nops; i++)
		for (j = 0;
		     plan->ops[i].kind == OP_DELETE_KEY_IF_EMPTY && j < plan->nops && !drop[i]; j++)
			drop[i] = keeps_key(&plan->ops[j], plan->ops[i].view, plan->ops[i].path);
	for (i = 0; i < plan->nops; i++) {
		if (drop[i])
			plan_op_free(&plan->ops[i]);
		else
			plan->ops[kept++] = plan->ops[i];
	}
	plan->nops = kept;
	free(drop);
}

static void check_conflicts(const struct plan *plan, struct diag *diags)
{
	struct ci_index index = {0};
	size_t i, j, it;

	for (i = 0; i < plan->nops; i++) {
		const struct plan_op *op = &plan->ops[i];
		size_t h;

		if (!op->name)
			continue;
		h = hash_ci_more(hash_ci(op->view, op->path), op->name);
		it = 0;
		while ((j = ci_index_next(&index, h, &it)) != SIZE_MAX)
			if (same_target(op, &plan->ops[j]))
				break;
		if (j == SIZE_MAX) {
			ci_index_xput(&index, h, i);
			continue;
		}
		diag_addf(diags,
		          "%s: HKLM\\%s \"%s\" is also set at %s; one place "
		          "must decide",
		          op->source, op->path, op->name, plan->ops[j].source);
	}
	ci_index_free(&index);
}

static void check_applies(const struct profile *p, const struct compile_options *o,
                          struct plan *plan, struct diag *diags)
{
	if (!p->napplies)
		return;
	if (!o->have_os) {
		plan_warn(plan, p->file,
		          "profile applies to %s; the Windows version is unknown "
		          "here (pass --os to check)",
		          p->applies_text);
		return;
	}
	if (profile_applies(p, o->major, o->minor, o->build))
		return;
	if (o->force)
		plan_warn(plan, p->file, "profile applies to %s, not %u.%u.%u (--force given)",
		          p->applies_text, o->major, o->minor, o->build);
	else
		diag_addf(diags,
		          "%s: profile applies to %s, and this Windows is %u.%u.%u "
		          "(pass --force to apply it anyway)",
		          p->file, p->applies_text, o->major, o->minor, o->build);
}

/* Updates a plan's settings rely on, from Microsoft's KB articles: named
 * when the Windows version needs them, or when the version is unknown. */
static void note_prerequisites(const struct compile_options *o, struct plan *plan)
{
	bool winhttp = false, eap = false;
	uint32_t v = o->major * 100 + o->minor;
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		winhttp |= plan->ops[i].area == AREA_WINHTTP && plan->ops[i].kind == OP_SET;
		eap |= plan->ops[i].area == AREA_EAP && plan->ops[i].kind == OP_SET;
	}
	if (winhttp && (!o->have_os || v == 601 || v == 602))
		plan_warn(plan, NULL,
		          "prerequisite: WinHTTP reads DefaultSecureProtocols only with "
		          "KB3140245 installed on Windows 7 / Server 2008 R2 / Server 2012");
	if (eap && (!o->have_os || v == 601 || v == 602 || v == 603))
		plan_warn(plan, NULL,
		          "prerequisite: EAP-TLS reads TlsVersion only with KB2977292 "
		          "installed on Windows 7 / 8 / 8.1 and Server 2008 R2 / 2012 / 2012 R2 "
		          "(and 8.1 needs update 2919355 first)");
}

static bool condition_holds(const struct setting *s, const struct compile_options *o)
{
	return o->have_os && profile_condition_holds(&s->when, o->major, o->minor, o->build);
}

/* The setting of the same value that replaces s here (a later one with a
 * holding condition), or NULL. */
static const struct setting *replacement(const struct profile *p, const struct setting *s,
                                         const struct compile_options *o)
{
	size_t i;

	for (i = 0; i < p->nsettings; i++) {
		const struct setting *t = &p->settings[i];

		if (t != s && t->when.n && condition_holds(t, o) && profile_same_value(s, t))
			return t;
	}
	return NULL;
}

/* True if no earlier setting came from s's section (views and .NET
 * versions make several settings of one line). */
static bool first_of_section(const struct profile *p, const struct setting *s)
{
	const struct setting *t;

	for (t = p->settings; t < s; t++)
		if (t->line == s->line && !strcmp(t->file, s->file))
			return false;
	return true;
}

/* Whether a setting takes part in this compile: one with a condition where
 * it holds (two that hold for one value are an error), one without where no
 * such setting replaces it. Without a Windows version, conditions cannot be
 * told: those settings are left out, and said so. */
static bool setting_active(const struct profile *p, const struct setting *s,
                           const struct compile_options *o, struct plan *plan, struct diag *diags)
{
	const struct setting *other;

	if (!s->when.n)
		return !replacement(p, s, o);
	if (!o->have_os)
		return false; /* warn_left_out says so */
	if (!condition_holds(s, o))
		return false;
	other = replacement(p, s, o);
	if (other && other > s)
		diag_addf(diags,
		          "%s:%u: %s and %s:%u (%s) both apply to Windows %u.%u.%u; make their "
		          "conditions exclusive",
		          other->file, other->line, other->subject, s->file, s->line, s->subject,
		          o->major, o->minor, o->build);
	return true;
}

static int cmp_conditions(const void *a, const void *b)
{
	const struct setting *x = *(const struct setting *const *)a;
	const struct setting *y = *(const struct setting *const *)b;

	return strcmp(x->when.text, y->when.text);
}

/* Without a Windows version, each conditional section is left out, and
 * said so once, in the order of the conditions' text: the plan, warnings
 * included, must not depend on the order of the profile's lines. */
static void warn_left_out(const struct profile *p, const struct compile_options *o,
                          struct plan *plan)
{
	const struct setting **left = xcalloc(p->nsettings + 1, sizeof(*left));
	size_t i, n = 0;

	for (i = 0; !o->have_os && i < p->nsettings; i++)
		if (p->settings[i].when.n && first_of_section(p, &p->settings[i]))
			left[n++] = &p->settings[i];
	qsort(left, n, sizeof(*left), cmp_conditions);
	for (i = 0; i < n; i++) {
		char *source = source_of(left[i]);

		plan_warn(plan, source,
		          "the section \"if %s\" is left out: the Windows version is unknown here "
		          "(pass --os)",
		          left[i]->when.text);
		free(source);
	}
	free(left);
}

int compile_profile(const struct profile *p, const struct compile_options *o, struct plan *plan,
                    struct diag *diags)
{
	struct compile_options none = {0};
	struct cc c = {.p = p, .o = o ? o : &none, .plan = plan, .diags = diags};
	const struct setting **order = xcalloc(p->nsettings + 1, sizeof(*order));
	size_t errors = diags->errors, i, n = 0;

	plan_init(plan, p->name);
	plan->baseline = p->baseline ? xstrdup(p->baseline) : NULL;
	check_applies(p, c.o, plan, diags);
	warn_left_out(p, c.o, plan);
	for (i = 0; i < p->nsettings; i++)
		if (setting_active(p, &p->settings[i], c.o, plan, diags))
			order[n++] = &p->settings[i];
	qsort(order, n, sizeof(*order), cmp_settings);
	for (i = 0; i < n; i++) {
		c.s = order[i];
		compile_setting(&c);
	}
	free(order);
	sort_ops(plan);
	drop_contradicted_removals(plan);
	check_conflicts(plan, diags);
	note_prerequisites(c.o, plan);
	impacts_assess(plan, c.o);
	if (diags->errors > errors) {
		plan_free(plan);
		return SC_ERROR;
	}
	return SC_OK;
}
