#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "impacts.h"
#include "json.h"
#include "version.h"

/* From the setting's row; raw values have none. */
enum area area_of_setting(const struct setting *s)
{
	return s->def && s->def->map.key ? s->def->map.area : AREA_RAW;
}

static bool plan_needs_reboot(const struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++)
		if (plan->ops[i].reboot)
			return true;
	return false;
}

static void show_header(const struct profile *p, struct strbuf *sb)
{
	size_t i;

	sb_addf(sb, "Profile %s", p->name);
	for (i = 0; i < p->naliases; i++)
		sb_addf(sb, "%s%s", i ? ", " : " (alias ", p->aliases[i]);
	sb_addf(sb, "%s\n  %s\n  source:     %s\n", p->naliases ? ")" : "", p->summary, p->file);
	if (p->applies_text)
		sb_addf(sb, "  applies to: %s\n", p->applies_text);
	if (p->baseline)
		sb_addf(sb, "  baseline:   %s\n", p->baseline);
	for (i = 0; i < p->nincludes; i++)
		sb_addf(sb, "  includes:   %s\n", p->includes[i]);
	for (i = 0; i < p->nreferences; i++)
		sb_addf(sb, "  reference:  %s\n", p->references[i]);
	for (i = 0; i < p->nnotes; i++)
		sb_addf(sb, "  note:       %s\n", p->notes[i]);
}

static void show_settings(const struct profile *p, struct strbuf *sb)
{
	size_t i;
	int a;

	sb_addf(sb, "\nSettings (%zu)\n", p->nsettings);
	for (a = 0; a < AREA_COUNT; a++) {
		bool header = false;

		for (i = 0; i < p->nsettings; i++) {
			const struct setting *s = &p->settings[i];

			if (area_of_setting(s) != (enum area)a)
				continue;
			if (!header)
				sb_addf(sb, "  %s\n", area_name((enum area)a));
			header = true;
			sb_addf(sb, "    %-44s %-12s  %s:%u%s%s\n", s->subject, s->value_text,
			        s->file, s->line, s->rule ? "  rule " : "", s->rule ? s->rule : "");
		}
	}
}

static void show_op(const struct plan_op *op, struct strbuf *sb)
{
	static const char *const verbs[] = {"set", "delete", "remove key if empty", "edit list",
	                                    "create key"};

	sb_addf(sb, "    %s HKLM\\%s%s", verbs[op->kind], op->path,
	        op->view == REG_VIEW_32 ? " (32-bit view)" : "");
	if (op->name)
		sb_addf(sb, " : %s", *op->name ? op->name : "(default)");
	if (op->kind == OP_SET) {
		sb_adds(sb, " = ");
		regvalue_describe(&op->value, sb);
	}
	sb_addf(sb, "%s\n      %s\n      (%s)\n", op->reboot ? "  [reboot]" : "", op->reason,
	        op->source);
	if (op->rule)
		sb_addf(sb, "      rule %s\n", op->rule);
	if (op->kind == OP_LIST_EDIT) {
		const struct list_edit *e = &op->edit;
		size_t i;

		sb_addf(sb, "      list: %s%s\n",
		        e->format == LIST_MULTI_SZ ? "REG_MULTI_SZ, one suite per string"
		                                   : "REG_SZ, comma-separated",
		        e->create_if_absent ? "" : "; left alone where absent");
		if (e->want.has_order)
			for (i = 0; i < e->want.norder; i++)
				sb_addf(sb, "        %2zu. %s\n", i + 1, e->want.order[i]);
		for (i = 0; i < e->want.nremove; i++)
			sb_addf(sb, "      remove %s\n", e->want.remove[i]);
		for (i = 0; i < e->want.nprefer; i++)
			sb_addf(sb, "      prefer %s\n", e->want.prefer[i]);
	}
}

static void show_ops(const struct plan *plan, struct strbuf *sb)
{
	size_t i;
	int a;

	sb_addf(sb, "\nRegistry operations (%zu%s)\n", plan->nops,
	        plan_needs_reboot(plan) ? ", a reboot is needed after they change anything" : "");
	for (a = 0; a < AREA_COUNT; a++) {
		bool header = false;

		for (i = 0; i < plan->nops; i++) {
			if (plan->ops[i].area != (enum area)a)
				continue;
			if (!header)
				sb_addf(sb, "  %s\n", area_name((enum area)a));
			header = true;
			show_op(&plan->ops[i], sb);
		}
	}
}

static void show_warnings(const struct plan *plan, struct strbuf *sb)
{
	size_t i;

	if (!plan->nwarnings)
		return;
	sb_addf(sb, "\nWarnings (%zu)\n", plan->nwarnings);
	for (i = 0; i < plan->nwarnings; i++)
		sb_addf(sb, "  ! %s%s%s\n", plan->warnings[i].text,
		        *plan->warnings[i].source ? "\n    at " : "", plan->warnings[i].source);
}

void render_show_text(const struct profile *p, const struct plan *plan, struct strbuf *sb)
{
	show_header(p, sb);
	show_settings(p, sb);
	show_ops(plan, sb);
	impacts_text(plan->impacts, plan->nimpacts, sb);
	show_warnings(plan, sb);
}

/* ---- JSON ---- */

static void json_doc_begin(struct json *j, const char *kind)
{
	json_obj_begin(j);
	json_key_u64(j, "schema", JSON_SCHEMA_VERSION);
	json_key_str(j, "kind", kind);
	json_key_str(j, "tool_version", SCHANNELCFG_VERSION);
}

static void json_profile_meta(struct json *j, const struct profile *p)
{
	json_key_str(j, "name", p->name);
	json_key_strings(j, "aliases", p->aliases, p->naliases);
	json_key_str(j, "summary", p->summary);
	json_key_str(j, "source", p->file);
	json_key_str(j, "applies_to", p->applies_text);
	json_key_str(j, "group", baseline_group(p));
	baseline_json(j, p->name, p->baseline);
	json_key_strings(j, "references", p->references, p->nreferences);
	json_key_strings(j, "notes", p->notes, p->nnotes);
}

void render_profile_list_json(struct profile **list, size_t n, struct strbuf *sb)
{
	struct json j;
	size_t i;

	json_init(&j, sb);
	json_doc_begin(&j, "list");
	json_key(&j, "profiles");
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		json_obj_begin(&j);
		json_profile_meta(&j, list[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/* {"type": "REG_DWORD", "data": 1} / "data": "text" / ["a","b"] / "hex". */
void render_value_json(struct json *j, const char *key, const struct reg_value *v)
{
	uint32_t dword;
	size_t i;

	json_key(j, key);
	if (!v) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_key_str(j, "type", regvalue_type_name(v->type));
	json_key(j, "data");
	if (regvalue_get_dword(v, &dword)) {
		json_u64(j, dword);
	} else if ((v->type == RV_SZ || v->type == RV_EXPAND_SZ) && regvalue_is_clean_string(v)) {
		char *s = regvalue_get_string(v);

		json_str(j, s);
		free(s);
	} else if (v->type == RV_MULTI_SZ && regvalue_is_clean_string(v)) {
		size_t n;
		char **items = regvalue_get_multi_sz(v, &n);

		json_arr_begin(j);
		for (i = 0; i < n; i++)
			json_str(j, items[i]);
		json_arr_end(j);
		strlist_free(items, n);
	} else {
		struct strbuf hex = STRBUF_INIT;

		for (i = 0; i < v->size; i++)
			sb_addf(&hex, "%02x", v->data[i]);
		json_str(j, sb_str(&hex));
		sb_free(&hex);
	}
	json_obj_end(j);
}

static const char *op_kind_name(enum op_kind k)
{
	static const char *const names[] = {"set", "delete_value", "delete_key_if_empty",
	                                    "list_edit", "create_key"};

	return names[k];
}

void render_op_json(struct json *j, const struct plan_op *op)
{
	json_key_str(j, "op", op_kind_name(op->kind));
	json_key_str(j, "area", area_name(op->area));
	json_key_str(j, "key", op->path);
	json_key_str(j, "view", op->view == REG_VIEW_32 ? "32" : "64");
	json_key_str(j, "value", op->name);
	json_key_bool(j, "reboot", op->reboot);
	json_key_str(j, "source", op->source);
	json_key_str(j, "reason", op->reason);
	json_key_str(j, "rule", op->rule);
}

static void json_plan_ops(struct json *j, const struct plan *plan)
{
	size_t i;

	json_key(j, "operations");
	json_arr_begin(j);
	for (i = 0; i < plan->nops; i++) {
		const struct plan_op *op = &plan->ops[i];

		json_obj_begin(j);
		render_op_json(j, op);
		if (op->kind == OP_SET)
			render_value_json(j, "data", &op->value);
		if (op->kind == OP_LIST_EDIT) {
			json_key_str(j, "list_format",
			             op->edit.format == LIST_MULTI_SZ ? "multi_sz" : "comma_sz");
			json_key_bool(j, "create_if_absent", op->edit.create_if_absent);
			if (op->edit.want.has_order)
				json_key_strings(j, "order", op->edit.want.order,
				                 op->edit.want.norder);
			json_key_strings(j, "remove", op->edit.want.remove, op->edit.want.nremove);
			json_key_strings(j, "prefer", op->edit.want.prefer, op->edit.want.nprefer);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

void render_warnings_json(struct json *j, const struct plan_warning *w, size_t n)
{
	size_t i;

	json_key(j, "warnings");
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_key_str(j, "source", w[i].source);
		json_key_str(j, "text", w[i].text);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void render_show_json(const struct profile *p, const struct plan *plan, struct strbuf *sb)
{
	struct json j;
	size_t i;

	json_init(&j, sb);
	json_doc_begin(&j, "show");
	json_key(&j, "profile");
	json_obj_begin(&j);
	json_profile_meta(&j, p);
	json_obj_end(&j);
	json_key(&j, "settings");
	json_arr_begin(&j);
	for (i = 0; i < p->nsettings; i++) {
		json_obj_begin(&j);
		json_key_str(&j, "area", area_name(area_of_setting(&p->settings[i])));
		json_key_str(&j, "subject", p->settings[i].subject);
		json_key_str(&j, "value", p->settings[i].value_text);
		json_key_str(&j, "file", p->settings[i].file);
		json_key_u64(&j, "line", p->settings[i].line);
		json_key_str(&j, "rule", p->settings[i].rule);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key_bool(&j, "reboot_required", plan_needs_reboot(plan));
	json_plan_ops(&j, plan);
	render_warnings_json(&j, plan->warnings, plan->nwarnings);
	impacts_json(&j, plan->impacts, plan->nimpacts);
	json_obj_end(&j);
	json_finish(&j);
}
