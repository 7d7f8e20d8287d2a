/*
 * profile_lex.c - the pre-scan, then inih, into struct lex_file.
 *
 * MUST: read the text ourselves before inih sees it and refuse what inih
 * would silently mangle (NUL bytes, over-long lines, section headers longer
 * than inih's 49 bytes, text after a header's ']'). MUST: copy every string
 * out of the inih handler (its buffers are reused for the next line).
 */
#include "profile_lex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "profile.h"

/* What the inih handler needs besides the result. */
struct reader {
	const char *file;
	struct diag *diags;
	struct lex_file *out;
	bool orphan_reported;
};

static int on_ini_line(void *user, const char *section, const char *key, const char *value,
                       int lineno)
{
	struct reader *r = user;
	struct lex_file *lf = r->out;
	struct lex_section *s;
	struct lex_entry *e;

	if (!key) {
		xgrow(&lf->sections, &lf->cap, lf->n + 1, sizeof(*lf->sections));
		s = &lf->sections[lf->n++];
		memset(s, 0, sizeof(*s));
		s->header = xstrdup(section);
		s->line = (unsigned)lineno;
		return 1;
	}
	if (!lf->n) {
		if (!r->orphan_reported)
			diag_error(r->diags, r->file, (unsigned)lineno,
			           "\"%s\" is outside any [section] (expected [profile] first)",
			           key);
		r->orphan_reported = true;
		return 1;
	}
	s = &lf->sections[lf->n - 1];
	xgrow(&s->entries, &s->cap, s->n + 1, sizeof(*s->entries));
	e = &s->entries[s->n++];
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->line = (unsigned)lineno;
	return 1;
}

void profile_lex_free(struct lex_file *lf)
{
	size_t i, j;

	for (i = 0; i < lf->n; i++) {
		for (j = 0; j < lf->sections[i].n; j++) {
			free(lf->sections[i].entries[j].key);
			free(lf->sections[i].entries[j].value);
		}
		free(lf->sections[i].entries);
		free(lf->sections[i].header);
	}
	free(lf->sections);
	memset(lf, 0, sizeof(*lf));
}

static bool blank_after(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s == end;
}

/* Checks one line for what inih would mangle or reject without telling
 * which line. */
static void prescan_line(const char *file, unsigned lineno, const char *line, size_t len,
                         struct diag *d)
{
	const char *t = line, *close;

	if (len > PROFILE_MAX_LINE) {
		diag_error(d, file, lineno, "line longer than %d characters", PROFILE_MAX_LINE);
		return;
	}
	if (!utf8_valid(line, len)) {
		diag_error(d, file, lineno, "not valid UTF-8 text");
		return;
	}
	/* The line is not NUL-terminated: never look past len. */
	while ((size_t)(t - line) < len && (*t == ' ' || *t == '\t'))
		t++;
	if ((size_t)(t - line) == len || *t == ';' || *t == '#')
		return;
	if (*t == '[') {
		close = memchr(t, ']', len - (size_t)(t - line));
		if (!close)
			diag_error(d, file, lineno, "section header without closing ']'");
		else if (close - t - 1 > PROFILE_MAX_SECTION)
			diag_error(d, file, lineno, "section header longer than %d characters",
			           PROFILE_MAX_SECTION);
		else if (!blank_after(close + 1, line + len))
			/* inih drops whatever follows ']' without a word. */
			diag_error(d, file, lineno,
			           "text after the section header's ']' (keys and "
			           "comments go on their own lines)");
		return;
	}
	if (!memchr(line, '=', len) && !memchr(line, ':', len))
		diag_error(d, file, lineno, "expected \"key = value\", [section] or a ; comment");
}

static void prescan(const char *file, const char *text, size_t size, struct diag *d)
{
	size_t pos = 0;
	unsigned lineno = 0;

	if (size >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < size) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - start) : size - pos;
		const char *nul = memchr(start, '\0', len);

		lineno++;
		if (nul) {
			diag_error(d, file, lineno, "NUL byte in the file (expected text)");
		} else {
			size_t trimmed = len && start[len - 1] == '\r' ? len - 1 : len;

			prescan_line(file, lineno, start, trimmed, d);
		}
		pos += len + 1;
	}
}

int profile_lex(const char *file, const char *text, size_t size, struct lex_file *out,
                struct diag *diags)
{
	struct reader r = {.file = file, .diags = diags, .out = out};
	size_t errors = diags->errors;
	char *copy;

	if (size > PROFILE_MAX_SIZE) {
		diag_error(diags, file, 0, "file larger than %d bytes", PROFILE_MAX_SIZE);
		return SC_ERROR;
	}
	prescan(file, text, size, diags);
	if (diags->errors > errors)
		return SC_ERROR;
	/* inih wants a NUL-terminated string; the pre-scan proved the text has
	 * no NUL of its own, so the copy holds all of it. */
	copy = xstrndup(text, size);
	if (ini_parse_string(copy, on_ini_line, &r) != 0 && diags->errors == errors)
		diag_error(diags, file, 0, "INI syntax error");
	free(copy);
	return SC_OK;
}
