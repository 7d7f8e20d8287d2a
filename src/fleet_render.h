/*
 * fleet_render.h - a finished fleet (fleet.h) as CSV, JSON or one HTML
 * page (docs/json.md "report" describes the JSON; README "Fleet report"
 * the others).
 *
 * MUST: every string from a document is escaped for its output: CSV
 * fields quoted (RFC 4180) and a leading = + - @ neutralised so that a
 * spreadsheet never runs a machine name as a formula; HTML text escaped,
 * and the page's Content-Security-Policy allows only its own inline
 * script (by hash) and styles, nothing from anywhere else.
 */
#ifndef SCHANNELCFG_FLEET_RENDER_H
#define SCHANNELCFG_FLEET_RENDER_H

#include "fleet.h"
#include "util.h"

/* One row a machine: machine, release, profile, compliant, values
 * drifting, reboot pending, time (a header row first). */
void fleet_csv(const struct fleet *f, struct strbuf *sb);
/* The aggregate, kind "report". */
void fleet_json(const struct fleet *f, const char *generated, struct strbuf *sb);
/* One self-contained page. generated: the report's time (ISO 8601). */
void fleet_html(const struct fleet *f, const char *generated, struct strbuf *sb);

#endif
