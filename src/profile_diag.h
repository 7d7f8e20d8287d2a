/*
 * profile_diag.h - diagnostics: every problem found in a profile, kept in
 * order, each one line "file:line: message".
 *
 * The profile reader reports every error of a file before failing, so
 * errors are collected here instead of being printed; only the CLI edge
 * (cli_common.c, cmd_*.c) writes them out. compile.c adds its own errors
 * to the same list. profile.h includes this header, so its callers need
 * nothing else.
 */
#ifndef SCHANNELCFG_PROFILE_DIAG_H
#define SCHANNELCFG_PROFILE_DIAG_H

#include <stddef.h>

#include "util.h"

/*
 * A list of diagnostics. Start from {0}; free with diag_free. `lines`
 * holds `count` xmalloc'd strings owned by the list. `errors` counts the
 * lines added (every line is an error): callers remember it before a step
 * and compare after, to see whether that step failed.
 */
struct diag {
	char **lines;
	size_t count, cap;
	size_t errors;
};

/* Adds "file:line: message" (with `line` 0: "file: message"), the message
 * formatted from fmt; counts one error. `file` and the arguments are
 * copied. Never fails (allocation failure aborts, as xmalloc does). */
void diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
    SC_PRINTF(4, 5);
/* Adds a message that already carries its "file:line: " prefix (a copy of
 * `line`); counts one error. */
void diag_add(struct diag *d, const char *line);
/* diag_add of a formatted message (which carries its own prefix). */
void diag_addf(struct diag *d, const char *fmt, ...) SC_PRINTF(2, 3);
/* Frees every line and resets *d to {0}, ready for reuse. */
void diag_free(struct diag *d);
/* Appends every line, each followed by '\n', to sb (owned by the caller). */
void diag_format(const struct diag *d, struct strbuf *sb);

#endif
