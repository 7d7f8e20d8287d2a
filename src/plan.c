#include "plan.h"

#include <stdlib.h>
#include <string.h>

const char *area_name(enum area a)
{
	static const char *const names[AREA_COUNT] = {
	    "Protocols",      "Ciphers", "Hashes",  "Key exchange", "SChannel",   "Cipher suites",
	    ".NET Framework", "WinHTTP", "EAP-TLS", "FIPS",         "Other keys",
	};

	return a < AREA_COUNT ? names[a] : "?";
}

void plan_init(struct plan *p, const char *profile_name)
{
	memset(p, 0, sizeof(*p));
	p->profile = xstrdup(profile_name ? profile_name : "");
}

void suite_lists_copy(struct suite_lists *dst, const struct suite_lists *src)
{
	*dst = *src;
	dst->order = strlist_dup(src->order, src->norder);
	dst->remove = strlist_dup(src->remove, src->nremove);
	dst->prefer = strlist_dup(src->prefer, src->nprefer);
}

void suite_lists_free(struct suite_lists *l)
{
	strlist_free(l->order, l->norder);
	strlist_free(l->remove, l->nremove);
	strlist_free(l->prefer, l->nprefer);
	memset(l, 0, sizeof(*l));
}

static void list_edit_free(struct list_edit *e)
{
	suite_lists_free(&e->want);
	strlist_free(e->builtin, e->nbuiltin);
}

void plan_op_free(struct plan_op *op)
{
	free(op->path);
	free(op->name);
	free(op->source);
	free(op->reason);
	free(op->rule);
	regvalue_free(&op->value);
	list_edit_free(&op->edit);
}

struct plan_impact *plan_impact_add(struct plan_impact **list, size_t *n, size_t *cap,
                                    const char *rule, enum impact_class cls, const char *text,
                                    const char *ref)
{
	struct plan_impact *im;

	xgrow(list, cap, *n + 1, sizeof(**list));
	im = &(*list)[(*n)++];
	memset(im, 0, sizeof(*im));
	im->rule = rule;
	im->cls = cls;
	im->text = xstrdup(text);
	im->ref = ref;
	return im;
}

void plan_impacts_free(struct plan_impact *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i].text);
	free(list);
}

void plan_free(struct plan *p)
{
	size_t i;

	plan_impacts_free(p->impacts, p->nimpacts);
	for (i = 0; i < p->nops; i++)
		plan_op_free(&p->ops[i]);
	for (i = 0; i < p->nwarnings; i++) {
		free(p->warnings[i].source);
		free(p->warnings[i].text);
	}
	free(p->ops);
	free(p->warnings);
	free(p->profile);
	free(p->baseline);
	memset(p, 0, sizeof(*p));
}

struct plan_op *plan_add(struct plan *p, enum op_kind kind, enum area area, enum reg_view view,
                         const char *path, const char *name)
{
	struct plan_op *op;

	xgrow(&p->ops, &p->cap, p->nops + 1, sizeof(*p->ops));
	op = &p->ops[p->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->area = area;
	op->view = view;
	op->path = xstrdup(path);
	op->name = name ? xstrdup(name) : NULL;
	return op;
}

void plan_warn(struct plan *p, const char *source, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (i = 0; i < p->nwarnings; i++) {
		if (!strcmp(p->warnings[i].text, sb_str(&sb))) {
			sb_free(&sb);
			return;
		}
	}
	xgrow(&p->warnings, &p->wcap, p->nwarnings + 1, sizeof(*p->warnings));
	p->warnings[p->nwarnings].source = xstrdup(source ? source : "");
	p->warnings[p->nwarnings++].text = sb_detach(&sb);
}

bool suite_pattern_match(const char *pattern, const char *name)
{
	/* Iterative glob: on a mismatch, retry from the last '*' one
	 * character further (linear in practice, no recursion depth). */
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return !*pattern;
}

static bool matches_any(char *const *patterns, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (suite_pattern_match(patterns[i], name))
			return true;
	return false;
}

char **list_edit_apply(const struct list_edit *e, char *const *current, size_t ncurrent,
                       size_t *count)
{
	char *const *src = e->want.has_order ? e->want.order : current;
	size_t nsrc = e->want.has_order ? e->want.norder : ncurrent;
	char **kept, **out;
	bool *taken;
	size_t i, j, n = 0, o = 0;

	*count = 0;
	if (!e->want.has_order && !current)
		return NULL;
	kept = xcalloc(nsrc + 1, sizeof(*kept));
	for (i = 0; i < nsrc; i++)
		if (!matches_any(e->want.remove, e->want.nremove, src[i]))
			kept[n++] = src[i];
	out = xcalloc(n + 1, sizeof(*out));
	taken = xcalloc(n + 1, sizeof(*taken));
	for (j = 0; j < e->want.nprefer; j++) {
		for (i = 0; i < n; i++) {
			if (!taken[i] && suite_pattern_match(e->want.prefer[j], kept[i])) {
				taken[i] = true;
				out[o++] = xstrdup(kept[i]);
			}
		}
	}
	for (i = 0; i < n; i++)
		if (!taken[i])
			out[o++] = xstrdup(kept[i]);
	free(kept);
	free(taken);
	*count = o;
	return out;
}

void list_to_value(enum list_format f, char *const *items, size_t n, struct reg_value *out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (f == LIST_MULTI_SZ) {
		if (!regvalue_set_multi_sz(out, items, n))
			abort(); /* suite names are validated ASCII: cannot happen */
		return;
	}
	for (i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? "," : "", items[i]);
	if (!regvalue_set_string(out, RV_SZ, sb_str(&sb)))
		abort();
	sb_free(&sb);
}

/* Splits a comma-separated policy string, trimming spaces around names. */
static char **split_commas(const char *s, size_t *n)
{
	char **items = NULL;
	size_t cap = 0;

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		char *item = xstrndup(s, len);

		if (*trim(item)) {
			xgrow(&items, &cap, *n + 1, sizeof(*items));
			items[(*n)++] = xstrdup(trim(item));
		}
		free(item);
		s += len;
		if (*s == ',')
			s++;
	}
	return items;
}

bool list_from_value(enum list_format f, const struct reg_value *v, char ***items, size_t *n)
{
	bool is_multi = v->type == RV_MULTI_SZ;

	if (is_multi) {
		*items = regvalue_get_multi_sz(v, n);
	} else if (v->type == RV_SZ || v->type == RV_EXPAND_SZ) {
		char *s = regvalue_get_string(v);

		*items = split_commas(s, n);
		free(s);
	} else {
		*items = NULL;
		*n = 0;
		return false;
	}
	return f == LIST_MULTI_SZ ? is_multi : v->type == RV_SZ;
}

static void format_op_target(const struct plan_op *op, struct strbuf *sb)
{
	sb_addf(sb, "HKLM\\%s [%s]", op->path, op->view == REG_VIEW_32 ? "32" : "64");
	if (op->name)
		sb_addf(sb, " %s", *op->name ? op->name : "@");
}

static void format_list(const char *label, char *const *items, size_t n, struct strbuf *sb)
{
	size_t i;

	if (!n)
		return;
	sb_addf(sb, " %s:", label);
	for (i = 0; i < n; i++)
		sb_addf(sb, " %s", items[i]);
}

static void format_edit(const struct list_edit *e, struct strbuf *sb)
{
	sb_addf(sb, " (%s%s)",
	        e->format == LIST_MULTI_SZ ? "REG_MULTI_SZ" : "REG_SZ, comma-separated",
	        e->create_if_absent ? "" : ", only if present");
	if (e->want.has_order)
		format_list("order", e->want.order, e->want.norder, sb);
	format_list("remove", e->want.remove, e->want.nremove, sb);
	format_list("prefer", e->want.prefer, e->want.nprefer, sb);
}

void plan_format(const struct plan *p, struct strbuf *sb)
{
	static const char *const verbs[] = {"set", "delete", "rmkey", "edit", "mkkey"};
	size_t i;

	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];

		sb_addf(sb, "%-6s ", verbs[op->kind]);
		format_op_target(op, sb);
		if (op->kind == OP_SET) {
			sb_adds(sb, " = ");
			regvalue_describe(&op->value, sb);
		} else if (op->kind == OP_LIST_EDIT) {
			format_edit(&op->edit, sb);
		}
		sb_addf(sb, "%s\n         <- %s: %s\n", op->reboot ? "  [reboot]" : "", op->source,
		        op->reason);
		if (op->rule)
			sb_addf(sb, "         rule %s\n", op->rule);
	}
	for (i = 0; i < p->nwarnings; i++)
		sb_addf(sb, "warning: %s%s%s\n", p->warnings[i].source,
		        *p->warnings[i].source ? ": " : "", p->warnings[i].text);
}
