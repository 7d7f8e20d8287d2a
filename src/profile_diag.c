/*
 * profile_diag.c - the list of "file:line: message" diagnostics.
 */
#include "profile_diag.h"

#include <stdarg.h>
#include <string.h>

#include "regvalue.h" /* strlist_free */

void diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (line)
		sb_addf(&sb, "%s:%u: ", file, line);
	else
		sb_addf(&sb, "%s: ", file);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	xgrow(&d->lines, &d->cap, d->count + 1, sizeof(*d->lines));
	d->lines[d->count++] = sb_detach(&sb);
	d->errors++;
}

void diag_add(struct diag *d, const char *line)
{
	xgrow(&d->lines, &d->cap, d->count + 1, sizeof(*d->lines));
	d->lines[d->count++] = xstrdup(line);
	d->errors++;
}

void diag_addf(struct diag *d, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_add(d, sb_str(&sb));
	sb_free(&sb);
}

void diag_free(struct diag *d)
{
	strlist_free(d->lines, d->count);
	memset(d, 0, sizeof(*d));
}

void diag_format(const struct diag *d, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		sb_addf(sb, "%s\n", d->lines[i]);
}
