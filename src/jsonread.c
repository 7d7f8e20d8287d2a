/*
 * jsonread.c - the bounded JSON reader (jsonread.h).
 */
#include "jsonread.h"

#include <stdlib.h>
#include <string.h>

/* A hostile document cannot make the tree much larger than its text:
 * every value costs one node, and nodes are capped. */
#define JR_MAX_NODES  500000
#define JR_MAX_NUMBER 64

/* Every string of a tree (keys, values, numbers) lives in its root's
 * arena: one allocation per 64 KiB instead of one per string, and one
 * free for them all. */
struct jr_chunk {
	struct jr_chunk *next;
	size_t used, cap;
	char data[];
};

#define JR_CHUNK 65536

struct parser {
	const char *s;
	size_t len, pos;
	size_t nodes;
	struct sc_err *err;
	struct jr_chunk *arena;
};

static char *arena_strndup(struct parser *p, const char *s, size_t n)
{
	struct jr_chunk *c = p->arena;
	char *out;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > JR_CHUNK ? n + 1 : JR_CHUNK;

		c = xmalloc(sizeof(*c) + cap);
		c->next = p->arena;
		c->used = 0;
		c->cap = cap;
		p->arena = c;
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

/* "line L, column C" of the current position, counted in bytes. */
static int fail(struct parser *p, const char *what)
{
	size_t i, line = 1, col = 1;

	for (i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return sc_err_set(p->err, "line %zu, column %zu: %s", line, col, what);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	                           p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int peek_at(const struct parser *p, size_t at)
{
	return at < p->len ? (unsigned char)p->s[at] : -1;
}

static int parse_value(struct parser *p, struct jr_value *out, int depth);

static int hex4(struct parser *p, unsigned *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < 4; i++) {
		int c = peek(p);

		if (c >= '0' && c <= '9')
			*out = *out * 16 + (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*out = *out * 16 + (unsigned)((c | 0x20) - 'a' + 10);
		else
			return fail(p, "four hexadecimal digits expected after \\u");
		p->pos++;
	}
	return SC_OK;
}

static void add_utf8(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(sb, (char)(0xC0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xE0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_addc(sb, (char)(0xF0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

/* \uXXXX, with a surrogate pair as one code point; lone surrogates and
 * NUL are refused (a C string could not carry them faithfully). */
static int unicode_escape(struct parser *p, struct strbuf *sb)
{
	unsigned cp, low;

	if (hex4(p, &cp) != SC_OK)
		return SC_ERROR;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return fail(p, "a low surrogate without its high surrogate");
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (peek(p) != '\\' || p->pos + 1 >= p->len || p->s[p->pos + 1] != 'u')
			return fail(p, "a high surrogate must be followed by \\u and a low one");
		p->pos += 2;
		if (hex4(p, &low) != SC_OK)
			return SC_ERROR;
		if (low < 0xDC00 || low > 0xDFFF)
			return fail(p, "a high surrogate must be followed by a low one");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
	}
	if (cp == 0)
		return fail(p, "\\u0000 (a NUL character) is not accepted in a string");
	add_utf8(sb, cp);
	return SC_OK;
}

static int escape(struct parser *p, struct strbuf *sb)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int c = peek(p);
	const char *hit = c > 0 ? strchr(from, c) : NULL;

	p->pos++;
	if (c == 'u')
		return unicode_escape(p, sb);
	if (!hit)
		return fail(p, "an escape expected: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	sb_addc(sb, to[hit - from]);
	return SC_OK;
}

/* The bytes up to the next quote, backslash or control character; *high
 * is set when one of them is not ASCII (then UTF-8 is checked). */
static size_t plain_run(const struct parser *p, bool *high)
{
	size_t i = p->pos;

	while (i < p->len) {
		unsigned char c = (unsigned char)p->s[i];

		if (c == '"' || c == '\\' || c < 0x20)
			break;
		*high |= c >= 0x80;
		i++;
	}
	return i - p->pos;
}

static int parse_string(struct parser *p, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t start = p->pos, run;
	bool high = false;
	int rc = SC_OK;

	p->pos++; /* the opening quote */
	run = plain_run(p, &high);
	if (peek_at(p, p->pos + run) == '"' && !high) {
		/* no escape, all ASCII: the common case, one allocation */
		*out = arena_strndup(p, p->s + p->pos, run);
		p->pos += run + 1;
		return SC_OK;
	}
	while (rc == SC_OK) {
		int c;

		run = plain_run(p, &high);
		sb_add(&sb, p->s + p->pos, run);
		p->pos += run;
		c = peek(p);
		if (c < 0) {
			p->pos = start;
			rc = fail(p, "this string is not closed");
		} else if (c == '"') {
			p->pos++;
			break;
		} else if (c < 0x20) {
			rc = fail(p, "a control character inside a string (escape it)");
		} else {
			p->pos++;
			rc = escape(p, &sb);
		}
	}
	if (rc == SC_OK && high && !utf8_valid(sb_str(&sb), sb.len)) {
		p->pos = start;
		rc = fail(p, "this string is not valid UTF-8");
	}
	if (rc != SC_OK) {
		sb_free(&sb);
		return rc;
	}
	*out = arena_strndup(p, sb_str(&sb), sb.len);
	sb_free(&sb);
	return SC_OK;
}

static size_t digits(struct parser *p)
{
	size_t n = 0;

	while (peek(p) >= '0' && peek(p) <= '9') {
		p->pos++;
		n++;
	}
	return n;
}

/* RFC 8259 section 6, kept as text (jr_u64 converts what is wanted). */
static int parse_number(struct parser *p, struct jr_value *out)
{
	size_t start = p->pos;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (peek(p) >= '0' && peek(p) <= '9')
			return fail(p, "a number may not have a leading zero");
	} else if (!digits(p)) {
		return fail(p, "a digit expected");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!digits(p))
			return fail(p, "a digit expected after the decimal point");
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!digits(p))
			return fail(p, "a digit expected in the exponent");
	}
	if (p->pos - start > JR_MAX_NUMBER) {
		p->pos = start;
		return fail(p, "a number longer than 64 characters");
	}
	out->type = JR_NUMBER;
	out->str = arena_strndup(p, p->s + start, p->pos - start);
	return SC_OK;
}

static int literal(struct parser *p, const char *word, struct jr_value *out, enum jr_type t, bool b)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "a value expected (an object, array, string, number, true, false "
		               "or null)");
	p->pos += n;
	out->type = t;
	out->boolean = b;
	return SC_OK;
}

static struct jr_value *new_item(struct jr_value *parent)
{
	struct jr_value *v;

	xgrow(&parent->items, &parent->cap, parent->n + 1, sizeof(*parent->items));
	v = &parent->items[parent->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int duplicate(struct parser *p, const char *key, size_t start)
{
	char *msg = xasprintf("the key \"%.100s\" appears twice in this object", key);
	int rc;

	p->pos = start;
	rc = fail(p, msg);
	free(msg);
	return rc;
}

/* The objects of real documents are small: compared pairwise. */
static int check_duplicates_small(struct parser *p, const struct jr_value *obj, size_t start)
{
	size_t i, j;

	for (i = 1; i < obj->n; i++)
		for (j = 0; j < i; j++)
			if (obj->keys[i][0] == obj->keys[j][0] &&
			    !strcmp(obj->keys[i], obj->keys[j]))
				return duplicate(p, obj->keys[i], start);
	return SC_OK;
}

/* Otherwise sorted, so a hostile object with many keys costs n log n. */
static int check_duplicates(struct parser *p, const struct jr_value *obj, size_t start)
{
	char **sorted;
	size_t i;
	int rc = SC_OK;

	if (obj->n < 2)
		return SC_OK;
	if (obj->n <= 16)
		return check_duplicates_small(p, obj, start);
	sorted = xmalloc(obj->n * sizeof(*sorted));
	memcpy(sorted, obj->keys, obj->n * sizeof(*sorted));
	qsort(sorted, obj->n, sizeof(*sorted), compare_keys);
	for (i = 1; i < obj->n && rc == SC_OK; i++)
		if (!strcmp(sorted[i - 1], sorted[i]))
			rc = duplicate(p, sorted[i], start);
	free(sorted);
	return rc;
}

static int parse_member(struct parser *p, struct jr_value *obj, int depth)
{
	char *key = NULL;
	struct jr_value *item;
	size_t old_cap;

	skip_ws(p);
	if (peek(p) != '"')
		return fail(p, "a key (a string in double quotes) expected");
	if (parse_string(p, &key) != SC_OK)
		return SC_ERROR;
	/* keys[i] names items[i]: both grow together (to the same capacity,
	 * so many keys cost amortised constant time), and jr_free frees a key
	 * whose value failed to parse too. */
	old_cap = obj->cap;
	item = new_item(obj);
	if (!obj->keys || obj->cap != old_cap)
		obj->keys = xrealloc(obj->keys, obj->cap * sizeof(*obj->keys));
	obj->keys[obj->n - 1] = key;
	skip_ws(p);
	if (peek(p) != ':')
		return fail(p, "':' expected after the key");
	p->pos++;
	return parse_value(p, item, depth + 1);
}

/* Objects and arrays: '{' or '[' then members separated by ','. */
static int parse_container(struct parser *p, struct jr_value *out, int depth)
{
	bool object = peek(p) == '{';
	char close = object ? '}' : ']';
	size_t start = p->pos;

	out->type = object ? JR_OBJECT : JR_ARRAY;
	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return SC_OK;
	}
	for (;;) {
		int rc =
		    object ? parse_member(p, out, depth) : parse_value(p, new_item(out), depth + 1);

		if (rc != SC_OK)
			return rc;
		skip_ws(p);
		if (peek(p) == close)
			break;
		if (peek(p) != ',')
			return fail(p, object ? "',' or '}' expected" : "',' or ']' expected");
		p->pos++;
	}
	p->pos++;
	return object ? check_duplicates(p, out, start) : SC_OK;
}

static int parse_value(struct parser *p, struct jr_value *out, int depth)
{
	int c;

	skip_ws(p);
	c = peek(p);
	if (depth > JR_MAX_DEPTH)
		return fail(p, "nested deeper than 64 levels");
	if (++p->nodes > JR_MAX_NODES)
		return fail(p, "more than 500000 values in one document");
	switch (c) {
	case -1: return fail(p, "a value expected, found the end of the text");
	case '{':
	case '[': return parse_container(p, out, depth);
	case '"': out->type = JR_STRING; return parse_string(p, &out->str);
	case 't': return literal(p, "true", out, JR_BOOL, true);
	case 'f': return literal(p, "false", out, JR_BOOL, false);
	case 'n': return literal(p, "null", out, JR_NULL, false);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p, out);
		return literal(p, "?", out, JR_NULL, false);
	}
}

int jr_parse(const char *text, size_t len, struct jr_value *out, struct sc_err *err)
{
	struct parser p = {text, len, 0, 0, err, NULL};
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	rc = parse_value(&p, out, 0);
	out->arena = p.arena; /* the root owns every string */
	skip_ws(&p);
	if (rc == SC_OK && p.pos == p.len)
		return SC_OK;
	if (rc == SC_OK)
		fail(&p, "text after the end of the document");
	jr_free(out);
	return SC_ERROR;
}

static void free_tree(struct jr_value *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free_tree(&v->items[i]);
	free(v->items);
	free(v->keys);
}

void jr_free(struct jr_value *v)
{
	struct jr_chunk *c, *next;

	if (!v)
		return;
	free_tree(v);
	for (c = v->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(v, 0, sizeof(*v));
}

const struct jr_value *jr_get(const struct jr_value *v, const char *key)
{
	size_t i;

	if (!v || v->type != JR_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const char *jr_str(const struct jr_value *v)
{
	return v && v->type == JR_STRING ? v->str : NULL;
}

bool jr_u64(const struct jr_value *v, uint64_t max, uint64_t *out)
{
	if (!v || v->type != JR_NUMBER || v->str[0] == '-' || strpbrk(v->str, ".eE"))
		return false;
	return parse_u64(v->str, max, out);
}

bool jr_true(const struct jr_value *v)
{
	return v && v->type == JR_BOOL && v->boolean;
}

bool jr_is_bool(const struct jr_value *v)
{
	return v && v->type == JR_BOOL;
}
