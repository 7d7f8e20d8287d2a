/*
 * profile_lex.h - profile text -> sections and entries, as written.
 *
 * The text is checked here before inih sees it, and whatever inih would
 * mangle without saying so is refused, one diagnostic per line: NUL bytes
 * (inih stops the line there), lines longer than PROFILE_MAX_LINE, invalid
 * UTF-8, section headers without ']' or longer than PROFILE_MAX_SECTION
 * (inih truncates them), text after a header's ']' (inih drops it), and
 * lines that are neither "key = value", a [section] nor a comment. Only
 * then is the text parsed by inih (configured in common.mk), and every
 * section header and entry is copied out of its handler.
 *
 * The limits are profile.h's (PROFILE_MAX_*), where callers see them.
 * Nothing here knows the profile language: which sections and keys exist,
 * duplicates and values are profile.c's (the interpreter's) business.
 */
#ifndef SCHANNELCFG_PROFILE_LEX_H
#define SCHANNELCFG_PROFILE_LEX_H

#include <stddef.h>

#include "profile_diag.h"

/* One "key = value" line: key and value as inih trimmed them. */
struct lex_entry {
	char *key;
	char *value;
	unsigned line;
};

/* One [section] and the entries under it, in file order. */
struct lex_section {
	char *header; /* as written between [ ] */
	unsigned line;
	struct lex_entry *entries;
	size_t n, cap;
};

/* A whole file: its sections in file order. Every string is xmalloc'd
 * and owned by the structure; free with profile_lex_free. */
struct lex_file {
	struct lex_section *sections;
	size_t n, cap;
};

/*
 * Lexes `size` bytes of `text` (need not be NUL-terminated; a UTF-8 BOM
 * is skipped). `file` is the display name used in diagnostics.
 *
 * Returns SC_ERROR when the text is refused before parsing (larger than
 * PROFILE_MAX_SIZE, or the pre-scan found a problem): every problem is in
 * diags, *out is left empty. Otherwise returns SC_OK with *out filled
 * (start it from {0}; the caller frees it with profile_lex_free), even if
 * inih itself found an error: an entry before the first section (reported
 * once) or an INI syntax error goes to diags, and the sections are still
 * returned so that the interpreter reports every further error of the
 * file. Callers compare diags->errors before and after to tell.
 */
int profile_lex(const char *file, const char *text, size_t size, struct lex_file *out,
                struct diag *diags);

/* Frees everything *lf owns and resets it to {0}. */
void profile_lex_free(struct lex_file *lf);

#endif
