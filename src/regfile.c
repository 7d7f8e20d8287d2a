#include "regfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"

static const char header_v5[] = "Windows Registry Editor Version 5.00";
static const char header_v4[] = "REGEDIT4";

struct parser {
	const char *source;
	struct regfile *rf;
	struct sc_err *err;
	char *text;             /* decoded, NUL-terminated UTF-8 (becomes rf->text) */
	struct strbuf line_buf; /* a copy of the current line, which parsing cuts up */
	size_t len;
	size_t pos;        /* next unread byte */
	size_t line_start; /* where the current line starts */
	size_t skip_start; /* where the skipped section starts */
	unsigned line;     /* line number of the current line (1-based) */
	unsigned next_line;
	bool have_key;    /* a [KEY] header is open */
	bool key_deleted; /* ...and it was a [-KEY] */
	bool key_is_root;
	enum reg_view view;
	char *path;
	bool regedit;    /* a whole file: regedit's rules (comments, case) */
	bool skip_hives; /* other hives' sections are skipped with a warning */
	bool skipping;   /* inside such a section */
};

static int fail(struct parser *p, const char *fmt, ...) SC_PRINTF(2, 3);

static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[SC_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sc_err_set(p->err, "%s:%u: %s", p->source, p->line, msg);
}

/* Latin-1 to UTF-8, for REGEDIT4 files that are not valid UTF-8. */
static char *latin1_to_utf8(const uint8_t *data, size_t size, size_t *out_len)
{
	char *out = xmalloc(size * 2 + 1);
	size_t i, o = 0;

	for (i = 0; i < size; i++) {
		if (data[i] < 0x80) {
			out[o++] = (char)data[i];
		} else {
			out[o++] = (char)(0xC0 | (data[i] >> 6));
			out[o++] = (char)(0x80 | (data[i] & 0x3F));
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* 1-based line number of byte offset `at` in text. */
static unsigned line_at(const char *text, size_t at)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

/* Line of the first invalid UTF-8 sequence: '\n' is never inside one, so
 * checking line by line finds it. */
static unsigned first_bad_utf8_line(const char *s, size_t len)
{
	const char *end = s + len;
	unsigned line = 1;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (!utf8_valid(s, n))
			break;
		s += n + 1;
		line++;
	}
	return line;
}

/* An unpaired surrogate would decode to U+FFFD: a --state apply would then
 * rewrite that value silently, and two different files would read alike. */
static int check_utf16(struct parser *p, const uint8_t *u, size_t units)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < units; i++) {
		unsigned c = (unsigned)(u[2 * i] | u[2 * i + 1] << 8);
		unsigned d = i + 1 < units ? (unsigned)(u[2 * i + 2] | u[2 * i + 3] << 8) : 0;

		if (c == '\n') {
			line++;
		} else if (c >= 0xD800 && c <= 0xDBFF && d >= 0xDC00 && d <= 0xDFFF) {
			i++;
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			p->line = line;
			return fail(p, "invalid UTF-16 (an unpaired surrogate)");
		}
	}
	return SC_OK;
}

static bool looks_like_bomless_utf16(const uint8_t *data, size_t size)
{
	return size >= 4 && data[0] && !data[1] && data[2] && !data[3];
}

/* Turns the file's bytes into UTF-8 text. */
static int decode(struct parser *p, const uint8_t *data, size_t size)
{
	struct regfile *rf = p->rf;
	const uint8_t *nul;

	p->line = 1;
	if (size >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
		if (size % 2)
			return fail(p, "UTF-16 file has an odd number of bytes (truncated?)");
		rf->encoding = REGFILE_UTF16LE;
		if (check_utf16(p, data + 2, (size - 2) / 2) != SC_OK)
			return SC_ERROR;
		p->text = utf16le_bytes_to_utf8(data + 2, size - 2, &p->len);
		if (!p->text)
			return fail(p, "out of memory decoding UTF-16");
		return SC_OK;
	}
	if (size >= 2 && data[0] == 0xFE && data[1] == 0xFF)
		return fail(p, "UTF-16 big-endian is not a .reg encoding (expected UTF-16LE)");
	if (looks_like_bomless_utf16(data, size))
		return fail(p, "looks like UTF-16 without a byte-order mark (expected FF FE)");
	rf->encoding = REGFILE_UTF8;
	if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		rf->utf8_bom = true;
		data += 3;
		size -= 3;
	}
	nul = memchr(data, '\0', size);
	if (nul) {
		p->line = line_at((const char *)data, (size_t)(nul - data));
		return fail(p, "file contains a NUL byte (expected text)");
	}
	if (utf8_valid((const char *)data, size)) {
		p->text = xstrndup((const char *)data, size);
		p->len = size;
	} else if (size >= sizeof(header_v4) - 1 &&
	           !memcmp(data, header_v4, sizeof(header_v4) - 1)) {
		p->text = latin1_to_utf8(data, size, &p->len);
	} else {
		p->line = first_bad_utf8_line((const char *)data, size);
		return fail(p, "file is neither UTF-16LE with a byte-order mark nor valid UTF-8");
	}
	return SC_OK;
}

/* Returns the next physical line (CR/LF stripped, NUL-terminated in place),
 * or NULL at the end. */
static char *next_physical_line(struct parser *p, int *rc)
{
	const char *start, *end;
	size_t n;

	*rc = SC_OK;
	if (p->pos >= p->len)
		return NULL;
	start = p->text + p->pos;
	end = memchr(start, '\n', p->len - p->pos);
	if (!end)
		end = p->text + p->len;
	p->line_start = p->pos;
	p->pos = (size_t)(end - p->text) + (end < p->text + p->len ? 1 : 0);
	p->line = p->next_line++;
	n = (size_t)(end - start);
	/* CR CR LF (a CRLF file copied in text mode) ends a line as CRLF does:
	 * regedit reads a blank line after it, which changes nothing */
	while (n && start[n - 1] == '\r')
		n--;
	if (n > REGFILE_MAX_LINE) {
		*rc = fail(p, "line longer than %u characters", REGFILE_MAX_LINE);
		return NULL;
	}
	if (memchr(start, '\r', n)) {
		*rc = fail(p, "stray carriage return in the middle of a line (regedit "
		              "would end the line there; editors and viewers do not)");
		return NULL;
	}
	/* a copy: the text itself stays intact as the regfile's `text` */
	sb_reset(&p->line_buf);
	sb_add(&p->line_buf, start, n);
	return p->line_buf.buf;
}

/* Takes ownership of name (malloc'd, or NULL for key records). */
static void add_record(struct parser *p, enum regfile_rec_kind kind, char *name,
                       struct reg_value *value)
{
	struct regfile *rf = p->rf;
	struct regfile_record *r;

	xgrow(&rf->records, &rf->cap, rf->nrecords + 1, sizeof(*rf->records));
	r = &rf->records[rf->nrecords++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->view = p->view;
	r->path = p->path;
	r->name = name;
	if (value) {
		r->value = *value;
		value->data = NULL;
		value->size = 0;
	}
	r->line = p->line;
}

/* One copy of a header's path, shared by its records: a big file has a
 * million values under a few keys. */
static char *own_path(struct regfile *rf, char *path)
{
	xgrow(&rf->paths, &rf->paths_cap, rf->npaths + 1, sizeof(*rf->paths));
	rf->paths[rf->npaths++] = path;
	return path;
}

static const char *skip_blanks(const char *c);

/* The hives regedit knows besides HKEY_LOCAL_MACHINE (full names only:
 * regedit reads no abbreviation, HKLM included). */
static const char *const other_hives[] = {"HKEY_CURRENT_USER", "HKEY_USERS", "HKEY_CLASSES_ROOT",
                                          "HKEY_CURRENT_CONFIG", "HKEY_DYN_DATA"};
static const struct {
	const char *abbreviation, *hive;
} abbreviations[] = {{"HKLM", "HKEY_LOCAL_MACHINE"},
                     {"HKCU", "HKEY_CURRENT_USER"},
                     {"HKU", "HKEY_USERS"},
                     {"HKCR", "HKEY_CLASSES_ROOT"},
                     {"HKCC", "HKEY_CURRENT_CONFIG"}};

/* The length of name's first component if it is `hive` (any case). */
static bool is_hive(const char *name, const char *hive)
{
	size_t n = strlen(hive);

	return starts_with_ci(name, hive) && (!name[n] || name[n] == '\\');
}

static void add_warning(struct parser *p, const char *fmt, ...) SC_PRINTF(2, 3);

static void add_warning(struct parser *p, const char *fmt, ...)
{
	struct regfile *rf = p->rf;
	char msg[SC_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xgrow(&rf->warnings, &rf->warnings_cap, rf->nwarnings + 1, sizeof(*rf->warnings));
	rf->warnings[rf->nwarnings++] = xasprintf("%s:%u: %s", p->source, p->line, msg);
}

/* Ends a skipped section at `end` (the next header's line, or the end):
 * its text is kept for a save to write back. */
static void end_skipped(struct parser *p, size_t end)
{
	struct strbuf *kept = &p->rf->skipped;

	if (!p->skipping)
		return;
	sb_add(kept, p->text + p->skip_start, end - p->skip_start);
	if (kept->len && kept->buf[kept->len - 1] != '\n')
		sb_adds(kept, "\r\n");
	p->skipping = false;
}

/* A section of another hive: skipped (state files) or refused. */
static int other_hive(struct parser *p, const char *name, bool deletion)
{
	if (!p->skip_hives)
		return fail(p, "key \"%s\" is outside HKEY_LOCAL_MACHINE", name);
	add_warning(p,
	            "skipped [%s%s] and its values: only HKEY_LOCAL_MACHINE is read (a save "
	            "keeps the section as it is)",
	            deletion ? "-" : "", name);
	p->skip_start = p->line_start;
	p->have_key = true;
	p->key_deleted = deletion;
	p->key_is_root = false;
	p->skipping = true;
	return SC_OK;
}

static int parse_key_header(struct parser *p, char *line)
{
	char *close = strrchr(line, ']');
	bool deletion = line[1] == '-';
	char *name = line + (deletion ? 2 : 1);
	char *rest, *after;
	struct sc_err why;
	size_t i, len;

	end_skipped(p, p->line_start);
	if (*name == ' ' || *name == '\t')
		return fail(p, "space after '%s' (regedit ignores such a line)",
		            deletion ? "[-" : "[");
	if (!close)
		return fail(p, "key header without closing ']'");
	after = trim(close + 1);
	if (*after && *after != ';')
		return fail(p, "unexpected text after ']' (a comment starts with ';')");
	*close = '\0';
	for (rest = strchr(name, ']'); rest; rest = strchr(rest + 1, ']')) {
		if (*skip_blanks(rest + 1) == ';')
			return fail(p,
			            "']' and ';' in a key header: regedit reads the key name up to "
			            "the last ']', comment included");
	}
	for (i = 0; i < ARRAY_SIZE(abbreviations); i++) {
		if (is_hive(name, abbreviations[i].abbreviation))
			return fail(p,
			            "\"%s\" is not a hive name regedit knows (it ignores the "
			            "section): write %s",
			            abbreviations[i].abbreviation, abbreviations[i].hive);
	}
	for (i = 0; i < ARRAY_SIZE(other_hives); i++) {
		if (is_hive(name, other_hives[i]))
			return other_hive(p, name, deletion);
	}
	if (!is_hive(name, "HKEY_LOCAL_MACHINE"))
		return fail(p, "key \"%s\" is outside HKEY_LOCAL_MACHINE", name);
	rest = name + strlen("HKEY_LOCAL_MACHINE");
	/* regedit drops one trailing backslash: [HKEY_LOCAL_MACHINE\\X\\] is X */
	len = strlen(rest);
	if (p->regedit && len > 1 && rest[len - 1] == '\\' && rest[len - 2] != '\\')
		rest[len - 1] = '\0';
	p->path = NULL;
	p->have_key = true;
	p->key_deleted = deletion;
	p->key_is_root = !*rest || !rest[1];
	if (p->key_is_root) {
		if (deletion)
			return fail(p, "refusing to delete HKEY_LOCAL_MACHINE itself");
		p->path = own_path(p->rf, xstrdup(""));
		return SC_OK;
	}
	if (!reg_path_valid(rest + 1, &why))
		return fail(p, "%s", why.msg);
	p->path = own_path(p->rf, mem_logical_path(rest + 1, &p->view));
	add_record(p, deletion ? RF_DELETE_KEY : RF_KEY, NULL, NULL);
	return SC_OK;
}

/* Parses a quoted string at *s (which points at the opening quote) and
 * leaves *s after the closing quote. Returns the unescaped text. */
static char *parse_quoted(struct parser *p, char **s, int *rc)
{
	struct strbuf sb = STRBUF_INIT;
	char *c = *s + 1;

	*rc = SC_OK;
	for (; *c && *c != '"'; c++) {
		size_t plain = strcspn(c, "\\\"");

		if (plain) { /* a run without escapes at once, not char by char */
			sb_add(&sb, c, plain);
			c += plain - 1;
			continue;
		}
		if (*c == '\\' && p->regedit && (c[1] == 'n' || c[1] == 'r')) {
			sb_addc(&sb,
			        c[1] == 'n' ? '\n' : '\r'); /* as Wine's reg export writes them */
			c++;
			continue;
		}
		if (*c == '\\') {
			if (c[1] != '\\' && c[1] != '"') {
				*rc = fail(p,
				           "unknown escape \"\\%c\" in a quoted string "
				           "(allowed: \\\\ \\\"%s)",
				           c[1] ? c[1] : ' ', p->regedit ? " \\n \\r" : "");
				sb_free(&sb);
				return NULL;
			}
			c++;
		}
		sb_addc(&sb, *c);
	}
	if (*c != '"') {
		*rc = fail(p, "missing closing quote");
		sb_free(&sb);
		return NULL;
	}
	*s = c + 1;
	return sb_detach(&sb);
}

static bool is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *skip_blanks(const char *c)
{
	while (*c == ' ' || *c == '\t')
		c++;
	return c;
}

/* True at the end of a line's data: nothing, or (in a file) a comment. */
static bool data_ends(const struct parser *p, const char *c)
{
	return !*c || (p->regedit && *c == ';');
}

/* After a trailing backslash: the next line with hex bytes, skipping blank
 * and comment lines as regedit does. Returns it, or NULL with *rc set. */
static const char *continuation_line(struct parser *p, int *rc)
{
	unsigned start_line = p->line;
	const char *next;

	for (;;) {
		next = next_physical_line(p, rc);
		if (*rc != SC_OK)
			return NULL;
		if (!next) {
			p->line = start_line;
			*rc = fail(p, "file ends inside a continued hex list");
			return NULL;
		}
		next = skip_blanks(next);
		if (!p->regedit || (*next && *next != ';'))
			break;
	}
	if (!is_hex_digit(*next)) {
		*rc = fail(p, "line does not continue the continued hex list (expected hex bytes; "
		              "regedit drops the value and this line)");
		return NULL;
	}
	return next;
}

/* Why c, in a hex list and not at its end, is no byte of two hex digits. */
static int bad_byte(struct parser *p, const char *c)
{
	char digits[3] = {c[0], c[1], '\0'};

	if (is_hex_digit(c[0]) && is_hex_digit(c[1]))
		return fail(p, "expected two hex digits in a hex list, found more");
	/* regedit reads "1," and a "1" that ends the data as a byte; the
	 * value of "0g" or "1 ,02" it drops */
	if (is_hex_digit(c[0]) && (c[1] == ',' || data_ends(p, skip_blanks(c + 1))))
		return fail(p,
		            "expected two hex digits in a hex list (regedit reads \"%c\" as "
		            "a byte; a truncated file?)",
		            c[0]);
	return fail(p, "\"%s\" is not a hex byte", digits);
}

/* Parses a hex list as regedit does: bytes of two hex digits separated by
 * commas (spaces or tabs before a byte), a backslash after a comma (or
 * first) continuing it on the next line, a ';' comment at the end. */
static int parse_hex_list(struct parser *p, const char *c, struct strbuf *bytes)
{
	int rc = SC_OK;

	for (;;) {
		uint64_t b;
		char digits[3] = {0};

		c = skip_blanks(c);
		if (*c == '\\') {
			c = skip_blanks(c + 1);
			if (!data_ends(p, c))
				return fail(p, "unexpected text after the continuation backslash");
			c = continuation_line(p, &rc);
			if (!c)
				return rc;
			continue;
		}
		if (data_ends(p, c))
			return SC_OK;
		if (!is_hex_digit(c[0]) || !is_hex_digit(c[1]) || is_hex_digit(c[2]))
			return bad_byte(p, c);
		digits[0] = c[0];
		digits[1] = c[1];
		parse_hex_u64(digits, 2, &b);
		sb_addc(bytes, (char)b);
		if (bytes->len > RV_MAX_DATA)
			return fail(p, "value data longer than %u bytes", RV_MAX_DATA);
		c += 2;
		if (*c == ',') {
			c++;
			continue;
		}
		c = skip_blanks(c);
		if (data_ends(p, c))
			return SC_OK;
		if (*c == ',')
			return fail(p, "blank before ',' in a hex list (regedit ignores the line)");
		return fail(p, "expected ',' between hex bytes, found '%c'", *c);
	}
}

/* REGEDIT4 stores string types as single-byte text; widen to UTF-16LE. */
static void widen_v4_strings(struct reg_value *v)
{
	uint8_t *wide;
	size_t i;

	if (v->type != RV_SZ && v->type != RV_EXPAND_SZ && v->type != RV_MULTI_SZ)
		return;
	wide = xmalloc(v->size * 2 + 1);
	for (i = 0; i < v->size; i++) {
		wide[2 * i] = v->data[i];
		wide[2 * i + 1] = 0;
	}
	free(v->data);
	v->data = wide;
	v->size *= 2;
}

static int parse_hex_value(struct parser *p, const char *data, struct reg_value *v)
{
	struct strbuf bytes = STRBUF_INIT;
	const char *colon;
	uint64_t type = RV_BINARY;
	int rc;

	if (data[3] == '(') {
		const char *close = strchr(data, ')');
		char digits[16] = {0};

		if (!close || close - data - 4 < 1 || close - data - 4 > 8)
			return fail(p, "expected hex(TYPE): with a hex type number");
		memcpy(digits, data + 4, (size_t)(close - data - 4));
		if (!parse_hex_u64(digits, 8, &type))
			return fail(p, "\"%s\" is not a hex type number", digits);
		if (type > RV_TYPE_MAX)
			return fail(p, "unknown value type hex(%s) (known: 0-b)", digits);
		colon = close + 1;
	} else {
		colon = data + 3;
	}
	if (*colon != ':')
		return fail(p, "expected ':' after hex type");
	rc = parse_hex_list(p, colon + 1, &bytes);
	if (rc != SC_OK) {
		sb_free(&bytes);
		return rc;
	}
	v->type = (uint32_t)type;
	v->size = bytes.len;
	v->data = (uint8_t *)sb_detach(&bytes);
	if (!v->size) {
		free(v->data);
		v->data = NULL;
	}
	/* regedit widens by the file's encoding, not its header: a REGEDIT4
	 * file in UTF-16LE holds UTF-16LE (hex(2)/(7) in an 8-bit v5 file are
	 * read as UTF-16LE here, see regfile.h) */
	if (p->rf->format == REGFILE_V4 && p->rf->encoding == REGFILE_UTF8)
		widen_v4_strings(v);
	return SC_OK;
}

/* The data type's tag: regedit matches them case-sensitively; profiles
 * (regfile_parse_assignment) take any case. */
static bool tag(const struct parser *p, const char *data, const char *t)
{
	return p->regedit ? !strncmp(data, t, strlen(t)) : starts_with_ci(data, t);
}

static int parse_dword(struct parser *p, const char *data, struct reg_value *v)
{
	const char *c = skip_blanks(data), *end;
	char digits[9] = {0};
	uint64_t dword;

	for (end = c; is_hex_digit(*end); end++)
		;
	if (end == c || end - c > 8 || (*end && *end != ' ' && *end != '\t' && *end != ';'))
		return fail(p, "expected dword:XXXXXXXX with 1 to 8 hex digits");
	memcpy(digits, c, (size_t)(end - c));
	if (!data_ends(p, skip_blanks(end)))
		return fail(p, "unexpected text after the data (a comment starts with ';')");
	parse_hex_u64(digits, 8, &dword);
	regvalue_set_dword(v, (uint32_t)dword);
	return SC_OK;
}

/* Parses the data after '='. *deletion set for "-". */
static int parse_data(struct parser *p, char *data, struct reg_value *v, bool *deletion)
{
	int rc;

	*deletion = false;
	data = trim(data); /* "name"= "text" and "name"=dword:1 alike */
	if (*data == '-') {
		if (!data_ends(p, skip_blanks(data + 1)))
			return fail(p, "unexpected text after '-' (a deletion is \"name\"=-)");
		*deletion = true;
		return SC_OK;
	}
	if (*data == '"') {
		char *s = data;
		char *text = parse_quoted(p, &s, &rc);

		if (!text)
			return rc;
		if (!data_ends(p, skip_blanks(s))) {
			free(text);
			return fail(p, "unexpected text after the closing quote");
		}
		if (!regvalue_set_string(v, RV_SZ, text)) {
			free(text);
			return fail(p, "string is not valid text");
		}
		free(text);
		return SC_OK;
	}
	if (tag(p, data, "dword:"))
		return parse_dword(p, data + 6, v);
	if (tag(p, data, "hex:") || tag(p, data, "hex("))
		return parse_hex_value(p, data, v);
	return fail(p, "expected \"string\", dword:, hex:, hex(N): or - after '='%s",
	            p->regedit ? " (in lower case)" : "");
}

int regfile_parse_assignment(const char *source, unsigned line, const char *name_part,
                             const char *data_part, char **name, struct reg_value *v,
                             bool *deletion, struct sc_err *err)
{
	struct regfile rf = {.format = REGFILE_V5};
	struct parser p = {.source = source, .rf = &rf, .err = err, .line = line};
	char *name_copy = xstrdup(name_part), *s = name_copy;
	int rc = SC_OK;

	/* The data is one line: a trailing backslash has no next line to join. */
	p.text = xstrdup("");
	*name = NULL;
	if (!strcmp(trim(s), "@")) {
		*name = xstrdup("");
	} else if (*s == '"') {
		*name = parse_quoted(&p, &s, &rc);
		if (*name && *trim(s)) {
			rc = fail(&p, "unexpected text after the quoted value name");
		}
	} else {
		rc = fail(&p, "expected a quoted value name or @");
	}
	if (rc == SC_OK) {
		char *data = xstrdup(data_part);

		rc = parse_data(&p, data, v, deletion);
		free(data);
	}
	if (rc != SC_OK) {
		free(*name);
		*name = NULL;
	}
	free(name_copy);
	free(p.text);
	return rc;
}

static int parse_value_line(struct parser *p, char *line)
{
	struct reg_value v = {0};
	char *name, *s = line;
	bool deletion;
	int rc = SC_OK;

	if (!p->have_key)
		return fail(p, "value before any [KEY] header");
	if (p->key_deleted)
		return fail(p, "value under a deleted key [-...]");
	if (*s == '@') {
		name = xstrdup("");
		s++;
	} else {
		name = parse_quoted(p, &s, &rc);
		if (!name)
			return rc;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '=') {
		free(name);
		return fail(p, "expected '=' after the value name");
	}
	if (p->key_is_root) {
		free(name);
		return fail(p, "values directly under HKEY_LOCAL_MACHINE are not supported");
	}
	rc = parse_data(p, s + 1, &v, &deletion);
	if (rc == SC_OK && !p->skipping)
		add_record(p, deletion ? RF_DELETE_VALUE : RF_SET, name, deletion ? NULL : &v);
	else
		free(name);
	regvalue_free(&v);
	return rc;
}

static void add_comment(struct regfile *rf, const char *text)
{
	char *copy = xstrdup(text);

	xgrow(&rf->header_comments, &rf->comments_cap, rf->ncomments + 1,
	      sizeof(*rf->header_comments));
	rf->header_comments[rf->ncomments++] = xstrdup(trim(copy));
	free(copy);
}

static int parse_header(struct parser *p)
{
	int rc;
	char *line = next_physical_line(p, &rc);

	if (rc != SC_OK)
		return rc;
	if (!line)
		return fail(p, "empty file (expected \"%s\")", header_v5);
	/* regedit skips blanks before the header, but imports nothing from a
	 * file whose header has anything after it */
	while (*line == ' ' || *line == '\t')
		line++;
	if (!strcmp(line, header_v5)) {
		p->rf->format = REGFILE_V5;
	} else if (!strcmp(line, header_v4)) {
		p->rf->format = REGFILE_V4;
	} else {
		return fail(p, "expected \"%s\" or \"%s\" on the first line", header_v5, header_v4);
	}
	return SC_OK;
}

static int parse_lines(struct parser *p)
{
	char *line;
	int rc;

	while ((line = next_physical_line(p, &rc)) != NULL) {
		char *t = trim(line);

		if (!*t)
			continue;
		if (*t == ';') {
			if (!p->have_key)
				add_comment(p->rf, t + 1);
			continue;
		}
		if (*t == '#') /* regedit ignores every line not starting with [ @ " */
			continue;
		if (*t == '[')
			rc = parse_key_header(p, t);
		else if (*t == '"' || *t == '@')
			rc = parse_value_line(p, t);
		else
			rc = fail(p, "expected [KEY], \"name\"=value, @=value or a ; comment "
			             "(regedit ignores this line)");
		if (rc != SC_OK)
			return rc;
	}
	if (rc == SC_OK)
		end_skipped(p, p->len);
	return rc;
}

/* Room for one record per line, up front: growing by doubling copies and
 * touches twice the memory. A record takes at least 16 bytes of text in
 * practice, which bounds the guess for files of blank lines. */
static void reserve_records(struct regfile *rf)
{
	const char *p = rf->text, *end = rf->text + rf->text_len;
	size_t lines = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		lines++;
	}
	if (lines > rf->text_len / 16 + 16)
		lines = rf->text_len / 16 + 16;
	xgrow(&rf->records, &rf->cap, lines, sizeof(*rf->records));
}

int regfile_parse(const char *source, const uint8_t *data, size_t size, struct regfile *rf,
                  struct sc_err *err)
{
	return regfile_parse_flags(source, data, size, 0, rf, err);
}

int regfile_parse_flags(const char *source, const uint8_t *data, size_t size, unsigned flags,
                        struct regfile *rf, struct sc_err *err)
{
	struct parser p = {.source = source,
	                   .rf = rf,
	                   .err = err,
	                   .next_line = 1,
	                   .regedit = true,
	                   .skip_hives = (flags & REGFILE_SKIP_OTHER_HIVES) != 0};
	int rc;

	memset(rf, 0, sizeof(*rf));
	if (size > REGFILE_MAX_SIZE)
		return sc_err_set(err, "%s: file larger than %u bytes", source, REGFILE_MAX_SIZE);
	rc = decode(&p, data, size);
	if (rc == SC_OK) {
		rf->text = p.text; /* lines are parsed from copies: it stays intact */
		rf->text_len = p.len;
		reserve_records(rf);
		if (strlen(p.text) != p.len) {
			p.line = line_at(p.text, strlen(p.text));
			rc = fail(&p, "file contains a NUL character (expected text)");
		}
	}
	if (rc == SC_OK) {
		const char *nl = memchr(p.text, '\n', p.len);

		rf->lf = nl && (nl == p.text || nl[-1] != '\r');
		rc = parse_header(&p);
	}
	if (rc == SC_OK)
		rc = parse_lines(&p);
	if (!rf->text)
		free(p.text);
	sb_free(&p.line_buf);
	if (rc != SC_OK)
		regfile_free(rf);
	return rc;
}

void regfile_free(struct regfile *rf)
{
	size_t i;

	for (i = 0; i < rf->nrecords; i++) {
		free(rf->records[i].name);
		regvalue_free(&rf->records[i].value);
	}
	for (i = 0; i < rf->ncomments; i++)
		free(rf->header_comments[i]);
	for (i = 0; i < rf->nwarnings; i++)
		free(rf->warnings[i]);
	free(rf->warnings);
	sb_free(&rf->skipped);
	for (i = 0; i < rf->npaths; i++)
		free(rf->paths[i]);
	free(rf->paths);
	free(rf->records);
	free(rf->header_comments);
	free(rf->text);
	memset(rf, 0, sizeof(*rf));
}

/* The key the previous records used: consecutive records almost always
 * share it, and opening it again resolves the whole path. */
struct key_cache {
	struct reg_key *key;
	const struct regfile_record *rec; /* whose view and path it is */
};

static void cache_drop(struct key_cache *c, const struct reg_backend *b)
{
	if (c->key)
		b->ops->close_key(b, c->key);
	c->key = NULL;
	c->rec = NULL;
}

static int apply_record(const struct regfile_record *r, const struct reg_backend *b,
                        struct key_cache *c, struct sc_err *err)
{
	int rc = SC_OK;

	if (c->key &&
	    (r->kind == RF_DELETE_KEY || c->rec->view != r->view || strcmp(c->rec->path, r->path)))
		cache_drop(c, b);
	if (r->kind == RF_DELETE_KEY) {
		char *physical;

		if (!mem_backend_is(b))
			return sc_err_set(err,
			                  "[-KEY] is only supported when loading a state file");
		physical = mem_physical_path(r->view, r->path);
		mem_delete_tree(b, physical);
		free(physical);
		return SC_OK;
	}
	if (!c->key) {
		rc = b->ops->create_key(b, r->view, r->path, &c->key, NULL, err);
		if (rc != SC_OK)
			return rc;
		c->rec = r;
	}
	if (r->kind == RF_SET)
		rc = b->ops->write_value(b, c->key, r->name, &r->value, err);
	else if (r->kind == RF_DELETE_VALUE)
		rc = b->ops->delete_value(b, c->key, r->name, err);
	return rc == SC_NOT_FOUND ? SC_OK : rc;
}

/*
 * The mem registry keeps subkeys and values in sorted arrays, so loading a
 * big file in file order costs a memmove per insertion: quadratic for a key
 * with 100,000 subkeys or values listed out of name order. So, before the
 * records are applied in file order:
 *   - when the keys are not in name order, every key is created in name
 *     order first, making each later insertion an append;
 *   - a key with many values out of name order gets them in name order.
 * The result is the same: each key or value created early is created (or
 * set) again by its own record, after which only later records matter.
 * In a file without deletions (as reg export writes them) keys do not
 * affect each other, so each is loaded whole right there, its values in
 * file order (or the name order above, same result), and the file-order
 * pass has nothing left to do: one pass, in memory order.
 */
#define PRESORT_MIN_VALUES 64

/* Consecutive records under one key header. */
struct run {
	const struct regfile_record *rec; /* the first */
	size_t first, end;                /* record indexes [first, end) */
	char *physical;
};

struct presort {
	const struct regfile *rf;
	const struct reg_backend *b;
	struct run *runs;
	size_t nruns;
	bool deletions; /* the file has [-KEY] or "name"=- records */
	bool *done;     /* per record: already applied by the presort */
};

/* Name order of the mem tree: component by component, case-folded, a
 * shorter component first ('\\' sorts before every allowed character). */
static int cmp_physical(const char *a, const char *b)
{
	while (*a && *a == *b) { /* the common prefix, usually long */
		a++;
		b++;
	}
	for (;; a++, b++) {
		int ca = *a == '\\' ? 1 : (unsigned char)*a,
		    cb = *b == '\\' ? 1 : (unsigned char)*b;

		ca = ca >= 'A' && ca <= 'Z' ? ca - 'A' + 'a' : ca;
		cb = cb >= 'A' && cb <= 'Z' ? cb - 'A' + 'a' : cb;
		if (ca != cb || !ca)
			return ca - cb;
	}
}

static int cmp_run(const void *x, const void *y)
{
	const struct run *a = x, *b = y;
	int c = cmp_physical(a->physical, b->physical);

	return c ? c : (a->first > b->first) - (a->first < b->first);
}

/* One byte of a name (path: '\\' as 1, see cmp_physical), case-folded. */
static int fold_byte(const char *s, size_t i, bool path)
{
	int c = (unsigned char)s[i];

	if (path && c == '\\')
		return 1;
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* strcmp_ci, skipping the identical prefix first. */
static int cmp_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return strcmp_ci(a, b);
}

/*
 * Sorting a million names that share a long prefix ("Value0001234", or
 * key paths under SCHANNEL) spends its time comparing that prefix in
 * memory all over the heap. Each item carries the 8 case-folded bytes
 * after the common prefix of all, big-endian: comparing keys orders as
 * comparing the strings does, which is only needed on equal keys.
 */
struct keyed {
	uint64_t key;
	const char *str;
	size_t order; /* among equal strings: file order */
	const void *item;
	bool path; /* str is a physical key path (cmp_physical), else a name */
};

static size_t common_prefix(const struct keyed *k, size_t count)
{
	size_t lcp = strlen(k[0].str), i, n;

	for (i = 1; i < count && lcp; i++) {
		for (n = 0; n < lcp &&
		            fold_byte(k[i].str, n, k[i].path) == fold_byte(k[0].str, n, k[0].path);
		     n++)
			;
		lcp = n;
	}
	return lcp;
}

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	c = a->path ? cmp_physical(a->str, b->str) : cmp_name(a->str, b->str);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Sorts k[0..count) (str, path, order and item set) by (str, order). */
static void sort_keyed(struct keyed *k, size_t count)
{
	size_t lcp = count ? common_prefix(k, count) : 0, i, j;

	for (i = 0; i < count; i++) {
		const char *rest = k[i].str + lcp;

		k[i].key = 0;
		for (j = 0; j < 8; j++) {
			k[i].key =
			    k[i].key << 8 | (unsigned)(*rest ? fold_byte(rest, 0, k[i].path) : 0);
			rest += *rest != '\0';
		}
	}
	qsort(k, count, sizeof(*k), cmp_keyed);
}

/* Sorts a key's RF_SET records by (name case-insensitively, file order). */
static void sort_by_name(const struct regfile_record **set, size_t count)
{
	struct keyed *k = xmalloc(count * sizeof(*k));
	size_t i;

	for (i = 0; i < count; i++)
		k[i] = (struct keyed){0, set[i]->name, i, set[i], false};
	sort_keyed(k, count);
	for (i = 0; i < count; i++)
		set[i] = k[i].item;
	free(k);
}

/* Sorts runs by (physical path, file order). */
static void sort_runs(struct run *runs, size_t n)
{
	struct keyed *k = xmalloc((n ? n : 1) * sizeof(*k));
	struct run *copy = xmalloc((n ? n : 1) * sizeof(*copy));
	size_t i;

	for (i = 0; i < n; i++)
		k[i] = (struct keyed){0, runs[i].physical, runs[i].first, &runs[i], true};
	sort_keyed(k, n);
	for (i = 0; i < n; i++)
		copy[i] = *(const struct run *)k[i].item;
	memcpy(runs, copy, n * sizeof(*runs));
	free(copy);
	free(k);
}

/* Splits the records into runs; true if they are already in name order. */
static bool find_runs(struct presort *ps)
{
	const struct regfile *rf = ps->rf;
	size_t i, cap = 0;
	bool sorted = true;

	for (i = 0; i < rf->nrecords; i++) {
		const struct regfile_record *r = &rf->records[i];
		struct run *last = ps->nruns ? &ps->runs[ps->nruns - 1] : NULL;

		ps->deletions |= r->kind == RF_DELETE_KEY || r->kind == RF_DELETE_VALUE;
		if (r->kind == RF_DELETE_KEY)
			continue;
		if (last && last->end == i && r->kind != RF_KEY && last->rec->path == r->path) {
			last->end = i + 1;
			continue;
		}
		xgrow(&ps->runs, &cap, ps->nruns + 1, sizeof(*ps->runs));
		ps->runs[ps->nruns] =
		    (struct run){r, i, i + 1, mem_physical_path(r->view, r->path)};
		if (ps->nruns) /* not `last`: xgrow may have moved the array */
			sorted =
			    sorted && cmp_run(&ps->runs[ps->nruns - 1], &ps->runs[ps->nruns]) <= 0;
		ps->nruns++;
	}
	return sorted;
}

/* The RF_SET records of one key (runs[0..n), one physical path), in file
 * order, or in (name, file) order when many of them are out of order. */
static const struct regfile_record **key_values(struct presort *ps, const struct run *runs,
                                                size_t n, size_t *count, bool *reordered)
{
	const struct regfile_record **set = NULL, *last = NULL;
	size_t i, j, cap = 0;
	bool sorted = true;

	*count = 0;
	for (i = 0; i < n; i++) {
		for (j = runs[i].first; j < runs[i].end; j++) {
			const struct regfile_record *r = &ps->rf->records[j];

			if (r->kind != RF_SET)
				continue;
			sorted = sorted && (!last || cmp_name(last->name, r->name) <= 0);
			last = r;
			xgrow(&set, &cap, *count + 1, sizeof(*set));
			set[(*count)++] = r;
		}
	}
	*reordered = !sorted && *count >= PRESORT_MIN_VALUES;
	if (*reordered)
		sort_by_name(set, *count);
	return set;
}

/* Creates one key and writes its values early: all of them, marking its
 * records done, in a file without deletions; else only a reordered set. */
static int load_key(struct presort *ps, const struct run *runs, size_t n, bool create,
                    struct sc_err *err)
{
	const struct reg_backend *b = ps->b;
	struct reg_key *key = NULL;
	size_t count, i, j;
	bool reordered;
	const struct regfile_record **set = key_values(ps, runs, n, &count, &reordered);
	bool write = !ps->deletions || reordered;
	int rc = SC_OK;

	if (create || write)
		rc = b->ops->create_key(b, runs->rec->view, runs->rec->path, &key, NULL, err);
	for (i = 0; rc == SC_OK && write && i < count; i++)
		rc = b->ops->write_value(b, key, set[i]->name, &set[i]->value, err);
	for (i = 0; rc == SC_OK && !ps->deletions && i < n; i++) {
		for (j = runs[i].first; j < runs[i].end; j++)
			ps->done[j] = true;
	}
	if (key)
		b->ops->close_key(b, key);
	free(set);
	return rc;
}

/* Keys in name order (when the file's are not) with their values as
 * load_key says; *done marks the records this already applied. */
static int presort(const struct regfile *rf, const struct reg_backend *b, bool *done,
                   struct sc_err *err)
{
	struct presort ps = {.rf = rf, .b = b, .done = done};
	bool sorted = find_runs(&ps);
	size_t i, j;
	int rc = SC_OK;

	if (!sorted)
		sort_runs(ps.runs, ps.nruns);
	for (i = 0; rc == SC_OK && i < ps.nruns; i = j) {
		for (j = i + 1;
		     j < ps.nruns && !cmp_physical(ps.runs[i].physical, ps.runs[j].physical); j++)
			;
		rc = load_key(&ps, ps.runs + i, j - i, !sorted, err);
	}
	for (i = 0; i < ps.nruns; i++)
		free(ps.runs[i].physical);
	free(ps.runs);
	return rc;
}

int regfile_apply_records(const struct regfile *rf, const struct reg_backend *b, struct sc_err *err)
{
	struct key_cache cache = {NULL, NULL};
	bool *done = NULL;
	size_t i;
	int rc = SC_OK;

	if (mem_backend_is(b)) {
		done = xcalloc(rf->nrecords + 1, sizeof(*done));
		rc = presort(rf, b, done, err);
	}
	for (i = 0; rc == SC_OK && i < rf->nrecords; i++) {
		if (!done || !done[i])
			rc = apply_record(&rf->records[i], b, &cache, err);
	}
	cache_drop(&cache, b);
	free(done);
	return rc;
}

static void format_quoted(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

/* A value name, quoted: a CR or LF in it (a name may hold any character
 * but NUL) as the \r and \n escapes the reader takes in a v5 file, as
 * Wine's reg export writes them; written raw, the line would end there. */
static void format_name(struct strbuf *sb, const char *name)
{
	if (!*name) {
		sb_adds(sb, "@=");
		return;
	}
	sb_addc(sb, '"');
	for (; *name; name++) {
		if (*name == '\r' || *name == '\n') {
			sb_adds(sb, *name == '\r' ? "\\r" : "\\n");
			continue;
		}
		if (*name == '\\' || *name == '"')
			sb_addc(sb, '\\');
		sb_addc(sb, *name);
	}
	sb_adds(sb, "\"=");
}

static bool has_control_chars(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A REG_SZ may be written as "text" only if reading it back gives the same
 * bytes: a lone surrogate decodes to U+FFFD, and control characters cannot
 * be quoted. */
static bool reads_back_same(const struct reg_value *v, const char *text)
{
	struct reg_value back;
	bool same;

	if (has_control_chars(text) || !regvalue_set_string(&back, v->type, text))
		return false;
	same = regvalue_equal(&back, v);
	regvalue_free(&back);
	return same;
}

/* "00".."ff": a printf per byte made saving a big state file slow. */
static const char hex_digits[256][2] = {
#define HEX_ROW(h)                                                                                 \
	{h, '0'}, {h, '1'}, {h, '2'}, {h, '3'}, {h, '4'}, {h, '5'}, {h, '6'}, {h, '7'}, {h, '8'},  \
	    {h, '9'}, {h, 'a'}, {h, 'b'}, {h, 'c'}, {h, 'd'}, {h, 'e'},                            \
	{                                                                                          \
		h, 'f'                                                                             \
	}
    HEX_ROW('0'), HEX_ROW('1'), HEX_ROW('2'), HEX_ROW('3'), HEX_ROW('4'), HEX_ROW('5'),
    HEX_ROW('6'), HEX_ROW('7'), HEX_ROW('8'), HEX_ROW('9'), HEX_ROW('a'), HEX_ROW('b'),
    HEX_ROW('c'), HEX_ROW('d'), HEX_ROW('e'), HEX_ROW('f'),
#undef HEX_ROW
};

/* regedit wraps hex data so no line exceeds 80 columns, continuing with
 * ",\" and a two-space indent; profiles need it on one line (wrap false). */
static void format_hex(struct strbuf *sb, size_t line_start, const struct reg_value *v, bool wrap)
{
	size_t i;

	for (i = 0; i < v->size; i++) {
		if (i) {
			sb_addc(sb, ',');
			if (wrap && sb->len - line_start > 76) {
				sb_adds(sb, "\\\r\n  ");
				line_start = sb->len - 2;
			}
		}
		sb_add(sb, hex_digits[v->data[i]], 2);
	}
}

/* The data part of a value line: dword:, "text" or hex(N):. */
static void format_data(struct strbuf *sb, size_t line_start, const struct reg_value *v, bool wrap)
{
	uint32_t dword;

	if (regvalue_get_dword(v, &dword)) {
		sb_addf(sb, "dword:%08x", dword);
	} else if (v->type == RV_SZ && regvalue_is_clean_string(v)) {
		char *text = regvalue_get_string(v);
		struct strbuf quoted = STRBUF_INIT;

		format_quoted(&quoted, text);
		/* hex wraps; a quoted string longer than a line would not parse */
		if (reads_back_same(v, text) &&
		    (!wrap || sb->len - line_start + quoted.len <= REGFILE_MAX_LINE)) {
			sb_add(sb, quoted.buf, quoted.len);
		} else {
			sb_adds(sb, "hex(1):");
			format_hex(sb, line_start, v, wrap);
		}
		sb_free(&quoted);
		free(text);
	} else {
		if (v->type == RV_BINARY)
			sb_adds(sb, "hex:");
		else
			sb_addf(sb, "hex(%x):", v->type);
		format_hex(sb, line_start, v, wrap);
	}
}

void regfile_format_value(struct strbuf *sb, const char *name, const struct reg_value *v)
{
	size_t line_start = sb->len;

	format_name(sb, name);
	format_data(sb, line_start, v, true);
	sb_adds(sb, "\r\n");
}

void regfile_format_assignment(struct strbuf *sb, const char *name, const struct reg_value *v)
{
	if (!*name)
		sb_addc(sb, '@');
	else
		format_quoted(sb, name);
	sb_adds(sb, " = ");
	if (v)
		format_data(sb, sb->len, v, false);
	else
		sb_addc(sb, '-');
}

void regfile_format_key(struct strbuf *sb, enum reg_view view, const char *path, bool deletion)
{
	char *physical = mem_physical_path(view, path);

	sb_addf(sb, "[%sHKEY_LOCAL_MACHINE\\%s]\r\n", deletion ? "-" : "", physical);
	free(physical);
}

void regfile_format_delete_value(struct strbuf *sb, const char *name)
{
	format_name(sb, name);
	sb_adds(sb, "-\r\n");
}

static int format_mem_key(void *ctx, const struct mem_key_info *key)
{
	struct strbuf *sb = ctx;
	size_t i;

	if (!key->nvalues && key->nsubkeys)
		return 0;
	sb_addf(sb, "[HKEY_LOCAL_MACHINE\\%s]\r\n", key->path);
	for (i = 0; i < key->nvalues; i++)
		regfile_format_value(sb, key->value_names[i], key->values[i]);
	sb_adds(sb, "\r\n");
	return 0;
}

void regfile_format_mem(const struct reg_backend *mem, struct strbuf *sb)
{
	sb_addf(sb, "%s\r\n\r\n", header_v5);
	mem_walk(mem, format_mem_key, sb);
}

uint8_t *regfile_encode(const char *text, size_t len, enum regfile_encoding enc, size_t *size)
{
	uint16_t *w;
	uint8_t *out;
	size_t units, i;

	if (enc == REGFILE_UTF8) {
		*size = len;
		return (uint8_t *)xstrndup(text, len);
	}
	w = utf8_to_utf16(text, len, &units);
	if (!w) {
		fprintf(stderr, "schannelcfg: out of memory or invalid text while encoding\n");
		abort();
	}
	out = xmalloc(2 + units * 2);
	out[0] = 0xFF;
	out[1] = 0xFE;
	for (i = 0; i < units; i++) {
		out[2 + 2 * i] = (uint8_t)(w[i] & 0xFF);
		out[3 + 2 * i] = (uint8_t)(w[i] >> 8);
	}
	free(w);
	*size = 2 + units * 2;
	return out;
}
