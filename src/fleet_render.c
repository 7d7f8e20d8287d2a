/*
 * fleet_render.c - CSV, JSON and HTML of a fleet (fleet_render.h).
 */
#include "fleet_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sha256.h"
#include "version.h"

/* Charts show this many groups, the drift table this many settings; the
 * JSON has all. */
#define TOP_ROWS     25
#define TOP_SETTINGS 12

/* ---- CSV */

static void csv_field(struct strbuf *sb, const char *s, bool last)
{
	/* OWASP "CSV injection": a cell starting with = + - @ (or a tab or
	 * CR) is a formula to spreadsheets; a leading ' makes it text. */
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];

	sb_addc(sb, '"');
	if (formula)
		sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
	sb_adds(sb, last ? "\r\n" : ",");
}

void fleet_csv(const struct fleet *f, struct strbuf *sb)
{
	size_t i;

	sb_adds(sb, "machine,release,profile,compliant,values_drifting,reboot_pending,time\r\n");
	for (i = 0; i < f->n; i++) {
		const struct fleet_machine *m = &f->machines[i];
		char n[32];

		snprintf(n, sizeof(n), "%zu", m->drifting);
		csv_field(sb, m->machine, false);
		csv_field(sb, m->release, false);
		csv_field(sb, m->profile, false);
		csv_field(sb, m->compliant ? "yes" : "no", false);
		csv_field(sb, n, false);
		csv_field(sb, m->reboot_pending ? "yes" : "no", false);
		csv_field(sb, m->time, true);
	}
}

/* ---- JSON */

static void groups_json(struct json *j, const char *key, const struct fleet_group *g, size_t n,
                        bool versions)
{
	size_t i, v;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_key_str(j, "name", g[i].name);
		json_key_u64(j, "machines", g[i].machines);
		json_key_u64(j, "compliant", g[i].compliant);
		json_key_u64(j, "reboot_pending", g[i].reboot_pending);
		if (versions) {
			json_key(j, "versions");
			json_arr_begin(j);
			for (v = 0; v < g[i].nversions; v++) {
				json_obj_begin(j);
				json_key_str(j, "version", g[i].versions[v]);
				json_key_u64(j, "machines", g[i].version_machines[v]);
				json_obj_end(j);
			}
			json_arr_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void settings_json(struct json *j, const struct fleet *f)
{
	size_t i;

	json_key(j, "drifting_settings");
	json_arr_begin(j);
	for (i = 0; i < f->nsettings; i++) {
		const struct fleet_setting *s = &f->settings[i];

		json_obj_begin(j);
		json_key_str(j, "rule", s->rule);
		json_key_str(j, "area", s->area);
		json_key_str(j, "key", s->key);
		json_key_str(j, "view", s->view);
		json_key_str(j, "value", s->value);
		json_key_u64(j, "machines", s->machines);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void machine_json(struct json *j, const struct fleet *f, const struct fleet_machine *m)
{
	size_t i;

	json_obj_begin(j);
	json_key_str(j, "machine", m->machine);
	json_key_str(j, "release", m->release);
	json_key_str(j, "release_name", m->release_name);
	json_key_bool(j, "os_assumed", m->os_assumed);
	json_key_str(j, "profile", m->profile);
	json_key_str(j, "profile_version", m->profile_version);
	json_key_str(j, "kind", m->kind);
	json_key_bool(j, "compliant", m->compliant);
	json_key_u64(j, "values_drifting", m->drifting);
	json_key(j, "drifting_settings"); /* indexes into drifting_settings */
	json_arr_begin(j);
	for (i = 0; i < m->nsettings; i++)
		json_u64(j, m->settings[i]);
	json_arr_end(j);
	json_key_bool(j, "reboot_pending", m->reboot_pending);
	json_key_strings(j, "reboot_pending_reasons", m->reasons, m->nreasons);
	json_key_str(j, "time", m->time);
	json_key_str(j, "file", m->file);
	json_obj_end(j);
	(void)f;
}

void fleet_json(const struct fleet *f, const char *generated, struct strbuf *sb)
{
	struct json j;
	size_t i;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_key_u64(&j, "schema", 1);
	json_key_str(&j, "kind", "report");
	json_key_str(&j, "tool_version", SCHANNELCFG_VERSION);
	json_key_str(&j, "generated", generated);
	json_key_u64(&j, "documents_read", f->read);
	json_key_u64(&j, "documents_skipped", f->skipped);
	json_key_u64(&j, "duplicates", f->duplicates);
	json_key_u64(&j, "machines", f->n);
	json_key_u64(&j, "compliant", f->compliant);
	json_key_u64(&j, "drifting", f->n - f->compliant);
	json_key_u64(&j, "reboot_pending", f->reboot_pending);
	groups_json(&j, "profiles", f->profiles, f->nprofiles, true);
	groups_json(&j, "releases", f->releases, f->nreleases, false);
	settings_json(&j, f);
	json_key(&j, "machine_list");
	json_arr_begin(&j);
	for (i = 0; i < f->n; i++)
		machine_json(&j, f, &f->machines[i]);
	json_arr_end(&j);
	json_key(&j, "skipped");
	json_arr_begin(&j);
	for (i = 0; i < f->nproblems; i++) {
		json_obj_begin(&j);
		json_key_str(&j, "file", f->problems[i].file);
		json_key_str(&j, "error", f->problems[i].error);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/* ---- HTML */

static void esc(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': sb_adds(sb, "&amp;"); break;
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '"': sb_adds(sb, "&quot;"); break;
		case '\'': sb_adds(sb, "&#39;"); break;
		default: sb_addc(sb, *s);
		}
	}
}

static void base64(struct strbuf *sb, const uint8_t *d, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		sb_addc(sb, a[d[i] >> 2]);
		sb_addc(sb, a[((d[i] & 3) << 4) | (d[i + 1] >> 4)]);
		sb_addc(sb, a[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)]);
		sb_addc(sb, a[d[i + 2] & 63]);
	}
	if (n - i == 1) {
		sb_addc(sb, a[d[i] >> 2]);
		sb_addc(sb, a[(d[i] & 3) << 4]);
		sb_adds(sb, "==");
	} else if (n - i == 2) {
		sb_addc(sb, a[d[i] >> 2]);
		sb_addc(sb, a[((d[i] & 3) << 4) | (d[i + 1] >> 4)]);
		sb_addc(sb, a[(d[i + 1] & 15) << 2]);
		sb_addc(sb, '=');
	}
}

/* Sorting the machines table: a click on a header sorts by that column
 * (again: the other way); "#sort=COLUMN" or "#sort=COLUMN-desc" in the
 * address sorts on opening, so a link can point at a view. No library:
 * the page must work offline and as a mail attachment. */
static const char sort_script[] =
    "(function () {\n"
    "  var t = document.getElementById('machines');\n"
    "  if (!t) return;\n"
    "  var heads = t.tHead.rows[0].cells;\n"
    "  function key(cell, num) {\n"
    "    var v = cell.getAttribute('data-v');\n"
    "    if (v === null) v = cell.textContent;\n"
    "    return num ? parseFloat(v) : v.toLowerCase();\n"
    "  }\n"
    "  function sortBy(col, desc) {\n"
    "    var num = heads[col].getAttribute('data-type') === 'num';\n"
    "    var body = t.tBodies[0];\n"
    "    var rows = Array.prototype.slice.call(body.rows);\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = key(a.cells[col], num), y = key(b.cells[col], num);\n"
    "      var c = x < y ? -1 : x > y ? 1 : 0;\n"
    "      return desc ? -c : c;\n"
    "    });\n"
    "    var frag = document.createDocumentFragment();\n"
    "    rows.forEach(function (r) { frag.appendChild(r); });\n"
    "    body.appendChild(frag);\n"
    "    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');\n"
    "    heads[col].setAttribute('aria-sort', desc ? 'descending' : 'ascending');\n"
    "  }\n"
    "  Array.prototype.forEach.call(heads, function (th, i) {\n"
    "    var b = document.createElement('button');\n"
    "    b.type = 'button';\n"
    "    b.textContent = th.textContent;\n"
    "    th.textContent = '';\n"
    "    th.appendChild(b);\n"
    "    b.addEventListener('click', function () {\n"
    "      sortBy(i, th.getAttribute('aria-sort') === 'ascending');\n"
    "    });\n"
    "  });\n"
    "  var m = /^#sort=([a-z]+)(-desc)?$/.exec(location.hash);\n"
    "  for (var i = 0; m && i < heads.length; i++)\n"
    "    if (heads[i].getAttribute('data-col') === m[1]) sortBy(i, !!m[2]);\n"
    "  document.body.setAttribute('data-sortable', 'ready');\n"
    "})();\n";

static const char style[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
    "color:#1b1f24;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
    ".meta{color:#57606a;margin:0 0 16px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}\n"
    ".card{border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:120px}\n"
    ".card b{display:block;font-size:26px}.card.bad b{color:#cf222e}.card.good b{color:#1a7f37}\n"
    ".card.warn b{color:#9a6700}\n"
    "svg.chart text{font:12px system-ui,sans-serif;fill:#1b1f24}\n"
    "svg.chart .ok{fill:#2da44e}svg.chart .drift{fill:#cf222e}\n"
    "table{border-collapse:collapse;margin-top:4px}\n"
    "th,td{border-bottom:1px solid #d0d7de;padding:4px 10px;text-align:left;"
    "vertical-align:top}\n"
    "td.n,th.n{text-align:right}tr.drift td:first-child{border-left:3px solid #cf222e}\n"
    "th button{font:inherit;font-weight:600;border:0;background:none;padding:0;"
    "cursor:pointer}\n"
    "th[aria-sort=ascending] button::after{content:' \\25B2'}\n"
    "th[aria-sort=descending] button::after{content:' \\25BC'}\n"
    "code{font-size:12px}.muted{color:#57606a}\n";

static void card(struct strbuf *sb, const char *id, const char *cls, size_t n, const char *what)
{
	sb_addf(sb, "<div class=\"card %s\" id=\"%s\"><b>%zu</b>%s</div>\n", cls, id, n, what);
}

static void summary(struct strbuf *sb, const struct fleet *f)
{
	sb_adds(sb, "<section class=\"cards\" id=\"summary\">\n");
	card(sb, "count-machines", "", f->n, "machines");
	card(sb, "count-compliant", "good", f->compliant, "compliant");
	card(sb, "count-drifting", f->n - f->compliant ? "bad" : "", f->n - f->compliant,
	     "drifting");
	card(sb, "count-reboot", f->reboot_pending ? "warn" : "", f->reboot_pending,
	     "waiting for a reboot");
	card(sb, "count-read", "", f->read, "documents read");
	card(sb, "count-skipped", f->skipped ? "bad" : "", f->skipped, "skipped");
	card(sb, "count-duplicates", "", f->duplicates, "duplicates (newest kept)");
	sb_adds(sb, "</section>\n");
}

/* A group's name as it fits left of the bars (the whole in its title):
 * cut at a character boundary, never inside a UTF-8 sequence. */
static void label(struct strbuf *sb, const char *name)
{
	size_t n = strlen(name), cut = 46;
	char *part;

	if (n <= 50) {
		esc(sb, name);
		return;
	}
	while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
		cut--;
	part = xstrndup(name, cut);
	esc(sb, part);
	sb_adds(sb, "&hellip;");
	free(part);
}

/* Stacked bars: compliant (green) then drifting (red), one row a group. */
static void chart(struct strbuf *sb, const char *id, const char *title, const struct fleet_group *g,
                  size_t n)
{
	size_t i, shown = n < TOP_ROWS ? n : TOP_ROWS, max = 1;
	const unsigned label_w = 330, bar_w = 420, row_h = 26;
	unsigned height = (unsigned)(shown ? shown : 1) * row_h + 8;

	for (i = 0; i < shown; i++)
		max = g[i].machines > max ? g[i].machines : max;
	sb_addf(sb,
	        "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
	        "height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"%s\">\n",
	        id, label_w + bar_w + 120, height, label_w + bar_w + 120, height, title);
	if (!n)
		sb_adds(sb, "<text x=\"0\" y=\"18\">no machines</text>\n");
	for (i = 0; i < shown; i++) {
		unsigned y = (unsigned)i * row_h + 4;
		unsigned ok = (unsigned)(g[i].compliant * bar_w / max);
		unsigned bad = (unsigned)((g[i].machines - g[i].compliant) * bar_w / max);

		sb_addf(sb, "<g class=\"row\"><text x=\"0\" y=\"%u\"><title>", y + 15);
		esc(sb, g[i].name);
		sb_adds(sb, "</title>");
		label(sb, g[i].name);
		sb_addf(sb,
		        "</text><rect class=\"ok\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"18\">"
		        "<title>%zu compliant</title></rect>",
		        label_w, y, ok, g[i].compliant);
		sb_addf(sb,
		        "<rect class=\"drift\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"18\">"
		        "<title>%zu drifting</title></rect>",
		        label_w + ok, y, bad, g[i].machines - g[i].compliant);
		sb_addf(sb, "<text x=\"%u\" y=\"%u\">%zu/%zu</text></g>\n", label_w + ok + bad + 6,
		        y + 15, g[i].compliant, g[i].machines);
	}
	sb_adds(sb, "</svg>\n");
	if (n > shown)
		sb_addf(sb, "<p class=\"muted\">and %zu more (see --format json)</p>\n", n - shown);
}

/* Machines checked against different copies of one profile: which copy
 * (profile_version) how many use. Shown only when some profile has two. */
static void versions_table(struct strbuf *sb, const struct fleet *f)
{
	size_t i, v;
	bool any = false;

	for (i = 0; i < f->nprofiles; i++)
		any |= f->profiles[i].nversions > 1;
	if (!any)
		return;
	sb_adds(sb, "<p class=\"muted\">Machines checked against different copies of a profile "
	            "(profile_version):</p>\n");
	sb_adds(sb, "<table id=\"versions\"><thead><tr><th>Profile</th><th>Version</th>"
	            "<th class=\"n\">Machines</th></tr></thead><tbody>\n");
	for (i = 0; i < f->nprofiles && i < TOP_ROWS; i++) {
		const struct fleet_group *g = &f->profiles[i];

		for (v = 0; g->nversions > 1 && v < g->nversions && v < TOP_ROWS; v++) {
			sb_adds(sb, "<tr><td>");
			esc(sb, g->name);
			sb_adds(sb, "</td><td><code>");
			esc(sb, g->versions[v]);
			sb_addf(sb, "</code></td><td class=\"n\">%zu</td></tr>\n",
			        g->version_machines[v]);
		}
	}
	sb_adds(sb, "</tbody></table>\n");
}

static void drift_table(struct strbuf *sb, const struct fleet *f)
{
	size_t i, shown = f->nsettings < TOP_SETTINGS ? f->nsettings : TOP_SETTINGS;

	sb_adds(sb, "<h2>Settings that drift most</h2>\n");
	if (!f->nsettings) {
		sb_adds(sb, "<p id=\"drift-none\">No machine drifts.</p>\n");
		return;
	}
	sb_adds(sb, "<table id=\"drift\"><thead><tr><th>Rule</th><th>Area</th><th>Value</th>"
	            "<th class=\"n\">Machines</th></tr></thead><tbody>\n");
	for (i = 0; i < shown; i++) {
		const struct fleet_setting *s = &f->settings[i];

		sb_adds(sb, "<tr><td>");
		if (s->rule) {
			sb_adds(sb, "<code>");
			esc(sb, s->rule);
			sb_adds(sb, "</code>");
		} else {
			sb_adds(sb, "<span class=\"muted\">no rule</span>");
		}
		sb_adds(sb, "</td><td>");
		esc(sb, s->area);
		sb_adds(sb, "</td><td><code>HKLM\\");
		esc(sb, s->key);
		if (s->value) {
			sb_adds(sb, "</code> <code>");
			esc(sb, s->value);
		}
		sb_addf(sb, "</code>%s</td><td class=\"n\">%zu</td></tr>\n",
		        strcmp(s->view, "32") ? "" : " (32-bit)", s->machines);
	}
	sb_adds(sb, "</tbody></table>\n");
	if (f->nsettings > shown)
		sb_addf(sb, "<p class=\"muted\">and %zu more (see --format json)</p>\n",
		        f->nsettings - shown);
}

static void reboot_list(struct strbuf *sb, const struct fleet *f)
{
	size_t i, r;

	sb_adds(sb, "<h2>Waiting for a reboot</h2>\n<ul id=\"reboot-list\">\n");
	for (i = 0; i < f->n; i++) {
		const struct fleet_machine *m = &f->machines[i];

		if (!m->reboot_pending)
			continue;
		sb_adds(sb, "<li><b>");
		esc(sb, m->machine);
		sb_adds(sb, "</b>");
		for (r = 0; r < m->nreasons; r++) {
			sb_adds(sb, r ? ", " : " &mdash; ");
			esc(sb, m->reasons[r]);
		}
		sb_adds(sb, "</li>\n");
	}
	if (!f->reboot_pending)
		sb_adds(sb, "<li class=\"muted\">none</li>\n");
	sb_adds(sb, "</ul>\n");
}

static void cell(struct strbuf *sb, const char *cls, const char *sort_value, const char *text)
{
	sb_addf(sb, "<td%s%s", cls ? " class=" : "", cls ? cls : "");
	if (sort_value) {
		sb_adds(sb, " data-v=\"");
		esc(sb, sort_value);
		sb_addc(sb, '"');
	}
	sb_addc(sb, '>');
	esc(sb, text);
	sb_adds(sb, "</td>");
}

static void machine_row(struct strbuf *sb, const struct fleet_machine *m)
{
	char n[32], version[24];
	const char *v = m->profile_version ? m->profile_version : "";

	snprintf(n, sizeof(n), "%zu", m->drifting);
	/* "sha256:" and 12 hex digits tell versions apart at a glance */
	snprintf(version, sizeof(version), "%.19s", v);
	sb_addf(sb, "<tr%s>", m->compliant ? "" : " class=\"drift\"");
	cell(sb, NULL, NULL, m->machine);
	cell(sb, NULL, NULL, m->release);
	cell(sb, NULL, NULL, m->profile);
	cell(sb, NULL, v, version);
	cell(sb, NULL, NULL, m->compliant ? "yes" : "no");
	cell(sb, "n", NULL, n);
	cell(sb, NULL, NULL, m->reboot_pending ? "yes" : "no");
	cell(sb, NULL, NULL, m->time);
	sb_adds(sb, "</tr>\n");
}

static void machines_table(struct strbuf *sb, const struct fleet *f)
{
	size_t i;

	sb_adds(sb, "<h2>Machines</h2>\n<table id=\"machines\"><thead><tr>"
	            "<th data-col=\"machine\">Machine</th><th data-col=\"release\">Release</th>"
	            "<th data-col=\"profile\">Profile</th><th data-col=\"version\">Version</th>"
	            "<th data-col=\"compliant\">Compliant</th>"
	            "<th data-col=\"drifting\" data-type=\"num\" class=\"n\">Drifting</th>"
	            "<th data-col=\"reboot\">Reboot pending</th><th data-col=\"time\">Time "
	            "(UTC)</th></tr></thead><tbody>\n");
	for (i = 0; i < f->n; i++)
		machine_row(sb, &f->machines[i]);
	sb_adds(sb, "</tbody></table>\n");
}

static void problems_list(struct strbuf *sb, const struct fleet *f)
{
	size_t i;

	if (!f->nproblems)
		return;
	sb_adds(sb, "<h2>Skipped files</h2>\n<ul id=\"skipped\">\n");
	for (i = 0; i < f->nproblems; i++) {
		sb_adds(sb, "<li><code>");
		esc(sb, f->problems[i].file);
		sb_adds(sb, "</code>: ");
		esc(sb, f->problems[i].error);
		sb_adds(sb, "</li>\n");
	}
	sb_adds(sb, "</ul>\n");
}

static void head(struct strbuf *sb)
{
	uint8_t digest[32];
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, sort_script, strlen(sort_script));
	sha256_final(&h, digest);
	sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	            "style-src 'unsafe-inline'; script-src 'sha256-");
	base64(sb, digest, sizeof(digest));
	sb_adds(sb, "'\">\n<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\">\n<title>schannelcfg fleet report</title>\n<style>\n");
	sb_adds(sb, style);
	sb_adds(sb, "</style>\n</head>\n");
}

void fleet_html(const struct fleet *f, const char *generated, struct strbuf *sb)
{
	head(sb);
	sb_addf(sb, "<body>\n<h1>TLS configuration of %zu machine%s</h1>\n", f->n,
	        f->n == 1 ? "" : "s");
	sb_adds(sb, "<p class=\"meta\">schannelcfg " SCHANNELCFG_VERSION " report, generated ");
	esc(sb, generated);
	sb_addf(sb,
	        " UTC from %zu document%s (%zu skipped, %zu duplicate%s: the newest of each "
	        "machine is kept).</p>\n",
	        f->read, f->read == 1 ? "" : "s", f->skipped, f->duplicates,
	        f->duplicates == 1 ? "" : "s");
	summary(sb, f);
	sb_adds(sb, "<h2>Compliance per profile</h2>\n");
	chart(sb, "chart-profiles", "compliant and drifting machines per profile", f->profiles,
	      f->nprofiles);
	versions_table(sb, f);
	sb_adds(sb, "<h2>Compliance per release</h2>\n");
	chart(sb, "chart-releases", "compliant and drifting machines per Windows release",
	      f->releases, f->nreleases);
	drift_table(sb, f);
	reboot_list(sb, f);
	machines_table(sb, f);
	problems_list(sb, f);
	sb_adds(sb, "<script>");
	sb_adds(sb, sort_script);
	sb_adds(sb, "</script>\n</body>\n</html>\n");
}
