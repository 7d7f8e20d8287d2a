/*
 * cmd_report.c - `schannelcfg report FILE.json... | DIR`: many machines'
 * check/apply documents as one CSV, JSON or HTML report (fleet.h).
 *
 * MUST: read files only: no registry, no elevation, nothing written but
 * standard output. MUST: every document skipped is named on standard
 * error with its reason, and counted in the report.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fleet.h"
#include "fleet_render.h"
#include "platform.h"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_file(struct fleet *f, const char *path)
{
	struct sc_err err = {{0}};
	size_t size;
	char *text = read_file(path, FLEET_MAX_DOCUMENT, &size, &err);

	int rc = SC_ERROR;

	if (!text)
		fleet_skip(f, path, err.msg);
	else
		rc = fleet_add(f, path, text, size, &err);
	if (rc != SC_OK)
		cli_errf("schannelcfg report: %s: skipped: %s\n", path, err.msg);
	free(text);
}

/* Every *.json file directly in dir, in name order (so that equal times
 * resolve the same way on every run). */
static int add_dir(struct fleet *f, const char *dir)
{
	struct sc_err err = {{0}};
	size_t n, i, len;
	char **names = platform_list_dir(dir, ".json", &n, &err);

	if (!names) {
		cli_errf("schannelcfg report: %s\n", err.msg);
		return EXIT_USAGE;
	}
	qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		char *path;

		len = strlen(names[i]);
		if (len <= 5 || !streq_ci(names[i] + len - 5, ".json"))
			continue;
#ifdef _WIN32
		path = xasprintf("%s\\%s", dir, names[i]);
#else
		path = xasprintf("%s/%s", dir, names[i]);
#endif
		add_file(f, path);
		free(path);
	}
	strlist_free(names, n);
	return EXIT_OK;
}

static void render(const struct cli *cli, const struct fleet *f)
{
	struct strbuf sb = STRBUF_INIT;
	char *now = utc_iso_time(platform_now());

	if (cli->format == FORMAT_CSV)
		fleet_csv(f, &sb);
	else if (cli->format == FORMAT_JSON)
		fleet_json(f, now, &sb);
	else
		fleet_html(f, now, &sb);
	/* The page is data, not a terminal message: written as it is. */
	platform_write(1, sb_str(&sb), sb.len);
	sb_free(&sb);
	free(now);
}

int cmd_report(struct cli *cli)
{
	struct fleet f;
	int i, rc = EXIT_OK;

	fleet_init(&f);
	for (i = 0; i < cli->nargs && rc == EXIT_OK; i++)
		rc = platform_is_dir(cli->args[i]) ? add_dir(&f, cli->args[i])
		                                   : (add_file(&f, cli->args[i]), EXIT_OK);
	if (rc == EXIT_OK && !f.n) {
		cli_errf("schannelcfg report: no check or apply document among the %zu file%s "
		         "read; nothing to report\n",
		         f.read, f.read == 1 ? "" : "s");
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK) {
		fleet_finish(&f);
		render(cli, &f);
		cli_errf("schannelcfg report: %zu document%s read, %zu skipped, %zu duplicate%s; "
		         "%zu machine%s, %zu compliant\n",
		         f.read, f.read == 1 ? "" : "s", f.skipped, f.duplicates,
		         f.duplicates == 1 ? "" : "s", f.n, f.n == 1 ? "" : "s", f.compliant);
	}
	fleet_free(&f);
	return rc;
}
