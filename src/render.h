/*
 * render.h - turning profiles, plans and diffs into text, JSON and .reg.
 *
 * Every function appends to a strbuf; nothing here prints or touches a
 * registry. The JSON shapes are documented in docs/json.md and are a
 * contract (stable key names; new keys may be added, none renamed).
 */
#ifndef SCHANNELCFG_RENDER_H
#define SCHANNELCFG_RENDER_H

#include "plan.h"
#include "profile.h"
#include "util.h"

/* Schema version written as "schema" in every JSON document. */
#define JSON_SCHEMA_VERSION 1

void render_profile_list_json(struct profile **list, size_t n, struct strbuf *sb);
void render_show_text(const struct profile *p, const struct plan *plan, struct strbuf *sb);
void render_show_json(const struct profile *p, const struct plan *plan, struct strbuf *sb);

struct json;
/* {"type": "REG_DWORD", "data": 1}: DWORDs as numbers, clean strings as
 * strings, REG_MULTI_SZ as arrays, anything else as a hex string; NULL
 * (an absent value) as null. */
void render_value_json(struct json *j, const char *key, const struct reg_value *v);
/* The fields every operation object has (op, area, key, view, value, ...). */
void render_op_json(struct json *j, const struct plan_op *op);
/* "warnings": [{"source": ..., "text": ...}] */
void render_warnings_json(struct json *j, const struct plan_warning *w, size_t n);

/* The area a setting belongs to (for grouping). */
enum area area_of_setting(const struct setting *s);

#endif
