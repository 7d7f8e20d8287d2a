/* diff_format.c - a diff as text, as a .reg file, and as JSON. */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "impacts.h"
#include "baseline.h"
#include "json.h"
#include "regfile.h"
#include "render.h"
#include "version.h"

#define ARROW "\xE2\x86\x92" /* U+2192 RIGHTWARDS ARROW */

struct colors {
	const char *minus, *plus, *warn, *bold, *reset;
};

static struct colors colors_for(bool color)
{
	if (color)
		return (struct colors){"\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[0m"};
	return (struct colors){"", "", "", "", ""};
}

static void describe_side(bool present, const struct reg_value *v, struct strbuf *sb)
{
	if (present)
		regvalue_describe(v, sb);
	else
		sb_adds(sb, "(absent)");
}

static void describe_list(bool present, const struct reg_value *v, size_t n, struct strbuf *sb)
{
	if (!present)
		sb_adds(sb, "(absent)");
	else
		sb_addf(sb, "%s [%zu suite%s%s]", regvalue_type_name(v->type), n, n == 1 ? "" : "s",
		        v->type == RV_SZ ? ", comma-separated" : "");
}

static bool contains(char *const *items, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(items[i], s))
			return true;
	return false;
}

/* Element by element: removed (-), added (+), then the new order when the
 * kept elements moved. */
static void list_changes(const struct diff_entry *e, const struct colors *c, struct strbuf *sb)
{
	size_t i, kept = 0, pos = 0;
	bool moved = false;

	for (i = 0; i < e->nbefore; i++)
		if (!contains(e->after_list, e->nafter, e->before_list[i]))
			sb_addf(sb, "        %s- %s%s\n", c->minus, e->before_list[i], c->reset);
	for (i = 0; i < e->nafter; i++)
		if (!contains(e->before_list, e->nbefore, e->after_list[i]))
			sb_addf(sb, "        %s+ %s%s\n", c->plus, e->after_list[i], c->reset);
	/* Did the suites present on both sides change their relative order? */
	for (i = 0; i < e->nafter; i++) {
		if (!contains(e->before_list, e->nbefore, e->after_list[i]))
			continue;
		kept++;
		while (pos < e->nbefore && strcmp(e->before_list[pos], e->after_list[i]))
			pos++;
		if (pos >= e->nbefore)
			moved = true;
	}
	if (!moved) {
		if (kept)
			sb_addf(sb, "        (the other %zu keep their order)\n", kept);
		return;
	}
	sb_adds(sb, "        new order:\n");
	for (i = 0; i < e->nafter; i++)
		sb_addf(sb, "        %3zu. %s\n", i + 1, e->after_list[i]);
}

static void entry_text(const struct diff_entry *e, const struct colors *c, struct strbuf *sb)
{
	const struct plan_op *op = e->op;
	const char *reboot = op->reboot ? "  [reboot]" : "";

	switch (op->kind) {
	case OP_DELETE_KEY_IF_EMPTY:
		sb_addf(sb, "    %s(key removed: it holds nothing after this change)%s%s\n",
		        c->minus, c->reset, reboot);
		return;
	case OP_CREATE_KEY:
		sb_addf(sb, "    %s(key created)%s%s\n", c->plus, c->reset, reboot);
		return;
	default: break;
	}
	sb_addf(sb, "    %-20s ", *op->name ? op->name : "(default)");
	if (op->kind == OP_LIST_EDIT) {
		/* The elements follow one per line; the values themselves
		 * would be one unreadable line for a comma-separated list. */
		describe_list(e->before_present, &e->before, e->nbefore, sb);
		sb_addf(sb, " " ARROW " %s", e->after_present ? c->plus : c->minus);
		describe_list(e->after_present, &e->after, e->nafter, sb);
	} else {
		describe_side(e->before_present, &e->before, sb);
		sb_addf(sb, " " ARROW " %s", e->after_present ? c->plus : c->minus);
		describe_side(e->after_present, &e->after, sb);
	}
	sb_addf(sb, "%s%s\n", c->reset, reboot);
	if (op->kind == OP_LIST_EDIT)
		list_changes(e, c, sb);
}

static void key_line(const struct plan_op *op, struct strbuf *sb)
{
	sb_adds(sb, "  ");
	reg_display_path_sb(sb, op->view, op->path);
	sb_addc(sb, '\n');
}

void diff_summary(const struct diff *d, struct strbuf *sb)
{
	size_t values = 0, removed = 0, created = 0, i;

	if (!d->nchanged) {
		sb_adds(sb, "nothing to change");
		return;
	}
	for (i = 0; i < d->n; i++) {
		if (!d->entries[i].changed)
			continue;
		if (d->entries[i].op->kind == OP_DELETE_KEY_IF_EMPTY)
			removed++;
		else if (d->entries[i].op->kind == OP_CREATE_KEY)
			created++;
		else
			values++;
	}
	sb_addf(sb, "%zu value%s to change", values, values == 1 ? "" : "s");
	if (removed)
		sb_addf(sb, ", %zu empty key%s to remove", removed, removed == 1 ? "" : "s");
	if (created)
		sb_addf(sb, ", %zu key%s to create", created, created == 1 ? "" : "s");
	if (d->reboot)
		sb_adds(sb, ", reboot required");
}

static void warnings_text(const struct diff *d, const struct colors *c, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < d->nwarnings; i++)
		sb_addf(sb, "%s! %s%s%s%s%s\n", c->warn, d->warnings[i].text,
		        *d->warnings[i].source ? " (" : "", d->warnings[i].source,
		        *d->warnings[i].source ? ")" : "", c->reset);
}

/* The changed entries of one area (or of one rule), under their keys. */
static void entries_text(const struct diff *d, const size_t *idx, size_t n, const struct colors *c,
                         struct strbuf *sb)
{
	const struct plan_op *last = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct diff_entry *e = &d->entries[idx[i]];

		if (!last || last->view != e->op->view || strcmp(last->path, e->op->path))
			key_line(e->op, sb);
		last = e->op;
		entry_text(e, c, sb);
	}
}

static void areas_text(const struct diff *d, const struct colors *c, struct strbuf *sb)
{
	size_t *idx = xcalloc(d->n + 1, sizeof(*idx));
	size_t i, n;
	int a;

	for (a = 0; a < AREA_COUNT; a++) {
		for (i = n = 0; i < d->n; i++)
			if (d->entries[i].changed && d->entries[i].op->area == (enum area)a)
				idx[n++] = i;
		if (!n)
			continue;
		sb_addf(sb, "\n%s%s%s\n", c->bold, area_name((enum area)a), c->reset);
		entries_text(d, idx, n, c, sb);
	}
	free(idx);
}

struct rules_ctx {
	const struct diff *d;
	const struct colors *c;
	struct strbuf *sb;
};

static void rule_text(const char *rule, const size_t *idx, size_t n, void *ctx)
{
	struct rules_ctx *r = ctx;

	sb_addf(r->sb, "\n%srule %s%s (%zu finding%s)\n", r->c->bold, rule ? rule : "(none given)",
	        r->c->reset, n, n == 1 ? "" : "s");
	entries_text(r->d, idx, n, r->c, r->sb);
}

void diff_format_text(const struct diff *d, const char *heading, bool color, struct strbuf *sb)
{
	struct colors c = colors_for(color);
	struct rules_ctx r = {d, &c, sb};

	if (heading)
		sb_addf(sb, "%s%s%s\n", c.bold, heading, c.reset);
	if (d->plan && d->plan->baseline)
		sb_addf(sb, "baseline: %s\n", d->plan->baseline);
	/* A baseline's findings go under the rules they break: what an
	 * auditor asks for. Other profiles' changes go by area. */
	if (baseline_diff_has_rules(d))
		baseline_each_rule(d, rule_text, &r);
	else
		areas_text(d, &c, sb);
	impacts_text(d->impacts, d->nimpacts, sb);
	if (d->nwarnings)
		sb_adds(sb, "\n");
	warnings_text(d, &c, sb);
	sb_adds(sb, "\n");
	diff_summary(d, sb);
	sb_adds(sb, ".\n");
}

void diff_format_reg(const struct diff *d, struct strbuf *sb)
{
	const struct plan_op *last = NULL;
	size_t i;

	sb_adds(sb, "Windows Registry Editor Version 5.00\r\n\r\n");
	sb_addf(sb, "; schannelcfg %s: the change, as a .reg file (reg import FILE)\r\n",
	        SCHANNELCFG_VERSION);
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->entries[i];
		const struct plan_op *op = e->op;

		if (!e->changed)
			continue;
		if (op->kind == OP_DELETE_KEY_IF_EMPTY) {
			/* The key is empty at this point: [-KEY] removes just it. */
			sb_adds(sb, "\r\n");
			regfile_format_key(sb, op->view, op->path, true);
			last = NULL;
			continue;
		}
		if (!last || last->view != op->view || strcmp(last->path, op->path)) {
			sb_adds(sb, "\r\n");
			regfile_format_key(sb, op->view, op->path, false);
		}
		last = op;
		if (op->kind == OP_CREATE_KEY)
			continue;
		if (e->after_present)
			regfile_format_value(sb, op->name, &e->after);
		else
			regfile_format_delete_value(sb, op->name);
	}
}

static void entry_json(struct json *j, const struct diff_entry *e)
{
	json_obj_begin(j);
	render_op_json(j, e->op);
	json_key_bool(j, "changed", e->changed);
	if (e->op->name) {
		render_value_json(j, "before", e->before_present ? &e->before : NULL);
		render_value_json(j, "after", e->after_present ? &e->after : NULL);
	}
	if (e->op->kind == OP_LIST_EDIT && (e->before_list || e->after_list)) {
		json_key_strings(j, "before_list", e->before_list, e->nbefore);
		json_key_strings(j, "after_list", e->after_list, e->nafter);
	}
	json_key_bool(j, "key_existed", e->key_existed);
	json_key_str(j, "creates_key", e->created_root);
	json_key_str(j, "note", e->note);
	json_obj_end(j);
}

void diff_json_fields(struct json *j, const struct diff *d, const char *kind, const char *profile,
                      const char *target, bool reboot_required)
{
	struct strbuf summary = STRBUF_INIT;
	size_t i;

	json_key_u64(j, "schema", JSON_SCHEMA_VERSION);
	json_key_str(j, "kind", kind);
	json_key_str(j, "tool_version", SCHANNELCFG_VERSION);
	json_key_str(j, "profile", profile);
	json_key_str(j, "target", target);
	baseline_json(j, d->plan ? d->plan->profile : NULL, d->plan ? d->plan->baseline : NULL);
	json_key_u64(j, "changes", d->nchanged);
	json_key_bool(j, "reboot_required", reboot_required);
	diff_summary(d, &summary);
	json_key_str(j, "summary", sb_str(&summary));
	json_key(j, "entries");
	json_arr_begin(j);
	for (i = 0; i < d->n; i++)
		entry_json(j, &d->entries[i]);
	json_arr_end(j);
	render_warnings_json(j, d->warnings, d->nwarnings);
	impacts_json(j, d->impacts, d->nimpacts);
	sb_free(&summary);
}

void diff_format_json(const struct diff *d, const char *kind, const char *profile,
                      const char *target, struct strbuf *sb)
{
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	diff_json_fields(&j, d, kind, profile, target, d->reboot && d->nchanged);
	json_obj_end(&j);
	json_finish(&j);
}
