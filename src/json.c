#include "json.h"

#include <string.h>

void json_init(struct json *j, struct strbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
}

static void indent(struct json *j)
{
	int i;

	sb_addc(j->sb, '\n');
	for (i = 0; i < j->depth; i++)
		sb_adds(j->sb, "  ");
}

/* Separator and indentation before a value or key at the current level. */
static void before_item(struct json *j)
{
	if (j->pending_key) {
		j->pending_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			sb_addc(j->sb, ',');
		indent(j);
	}
	j->need_comma[j->depth] = true;
}

static void open(struct json *j, char c)
{
	before_item(j);
	sb_addc(j->sb, c);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close(struct json *j, char c)
{
	bool had_items = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had_items)
		indent(j);
	sb_addc(j->sb, c);
}

void json_obj_begin(struct json *j)
{
	open(j, '{');
}

void json_obj_end(struct json *j)
{
	close(j, '}');
}

void json_arr_begin(struct json *j)
{
	open(j, '[');
}

void json_arr_end(struct json *j)
{
	close(j, ']');
}

static void write_string(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_addf(sb, "\\%c", c);
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\u%04x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '"');
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	write_string(j->sb, key);
	sb_adds(j->sb, ": ");
	j->pending_key = true;
}

void json_str(struct json *j, const char *s)
{
	before_item(j);
	if (s)
		write_string(j->sb, s);
	else
		sb_adds(j->sb, "null");
}

void json_u64(struct json *j, uint64_t v)
{
	before_item(j);
	sb_addf(j->sb, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, bool v)
{
	before_item(j);
	sb_adds(j->sb, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_item(j);
	sb_adds(j->sb, "null");
}

void json_key_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_key_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_key_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_key_strings(struct json *j, const char *key, char *const *items, size_t n)
{
	size_t i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++)
		json_str(j, items[i]);
	json_arr_end(j);
}

void json_finish(struct json *j)
{
	sb_addc(j->sb, '\n');
}
