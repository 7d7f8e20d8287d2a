/*
 * json.h - a minimal JSON writer into a strbuf (machine-readable output).
 *
 * Usage: json_obj_begin(&j); json_key_str(&j, "name", "x"); ... json_obj_end(&j);
 * The writer tracks commas; strings are escaped per RFC 8259 (control
 * characters as \u00XX). Output is pretty-printed with two-space indents so
 * people can read it too; key order is the order of calls (stable).
 */
#ifndef SCHANNELCFG_JSON_H
#define SCHANNELCFG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct strbuf *sb;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool pending_key; /* a key was written; the value follows on its line */
};

void json_init(struct json *j, struct strbuf *sb);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
/* Writes "key": and leaves the writer expecting a value. */
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Shorthands: key + value. */
void json_key_str(struct json *j, const char *key, const char *s);
void json_key_u64(struct json *j, const char *key, uint64_t v);
void json_key_bool(struct json *j, const char *key, bool v);
/* "key": ["a", "b"] from n strings. */
void json_key_strings(struct json *j, const char *key, char *const *items, size_t n);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
