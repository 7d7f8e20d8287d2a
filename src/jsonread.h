/*
 * jsonread.h - a small JSON reader (RFC 8259) for documents from other
 * machines, which are hostile input.
 *
 * MUST: bounded: nesting at most JR_MAX_DEPTH, the text at most the size
 * the caller read (callers cap it), strings valid UTF-8 with no NUL (an
 * escaped \u0000 is refused), no duplicate keys in an object (two readers
 * would pick different ones). MUST NOT: accept anything RFC 8259 does not
 * (comments, trailing commas, single quotes, NaN, leading zeros, a second
 * value after the first).
 *
 * jr_parse builds a tree the caller owns (jr_free on the root, never on
 * a part of it); lookups return borrowed pointers into it, valid until
 * jr_free.
 */
#ifndef SCHANNELCFG_JSONREAD_H
#define SCHANNELCFG_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JR_MAX_DEPTH 64

enum jr_type { JR_NULL, JR_BOOL, JR_NUMBER, JR_STRING, JR_ARRAY, JR_OBJECT };

struct jr_value {
	enum jr_type type;
	bool boolean;
	/* JR_STRING: the decoded text (NUL-terminated, no NUL inside);
	 * JR_NUMBER: the number as written. */
	char *str;
	/* JR_ARRAY: the elements; JR_OBJECT: the members' values, keys[i]
	 * naming items[i], in document order. */
	struct jr_value *items;
	char **keys;
	size_t n, cap;
	struct jr_chunk *arena; /* the root's: where every string of the tree is */
};

/*
 * Parses text[0..len) (a UTF-8 byte-order mark is skipped). SC_OK with
 * *out filled, or SC_ERROR with "line L, column C: what was expected" in
 * err and nothing to free.
 */
int jr_parse(const char *text, size_t len, struct jr_value *out, struct sc_err *err);
void jr_free(struct jr_value *v);

/* The member `key` of an object, or NULL (absent, or v not an object). */
const struct jr_value *jr_get(const struct jr_value *v, const char *key);
/* The string, or NULL when v is NULL or not a string. */
const char *jr_str(const struct jr_value *v);
/* True with *out when v is a non-negative integer <= max (no fraction,
 * no exponent). */
bool jr_u64(const struct jr_value *v, uint64_t max, uint64_t *out);
/* True when v is the literal true. */
bool jr_true(const struct jr_value *v);
/* True when v is a JSON boolean (either). */
bool jr_is_bool(const struct jr_value *v);

#endif
