/* cmd_profile.c - `list` and `show`: profiles, in words. */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cli_common.h"
#include "commands.h"
#include "compile.h"
#include "render.h"

/* Seeds (the reports the project started from), baselines (published
 * documents), then the others, each in the built-in order. */
static void print_list_text(struct profile **list, size_t n)
{
	static const struct {
		const char *group, *title;
	} groups[] = {{"seed", "Seeds"}, {"baseline", "Baselines"}, {"other", "Others"}};
	struct strbuf sb = STRBUF_INIT;
	size_t g, i, j;

	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		bool header = false;

		for (i = 0; i < n; i++) {
			if (strcmp(baseline_group(list[i]), groups[g].group))
				continue;
			if (!header)
				sb_addf(&sb, "%s%s\n", sb.len ? "\n" : "", groups[g].title);
			header = true;
			sb_addf(&sb, "  %-18s", list[i]->name);
			for (j = 0; j < list[i]->naliases; j++)
				sb_addf(&sb, "%s%s", j ? ", " : " (alias ", list[i]->aliases[j]);
			if (list[i]->naliases)
				sb_adds(&sb, ")");
			sb_addf(&sb, "\n      %s\n", list[i]->summary);
		}
	}
	cli_out(sb_str(&sb));
	sb_free(&sb);
}

int cmd_list(struct cli *cli)
{
	struct diag diags = {0};
	size_t n, i;
	struct profile **list = profile_list_builtins(&n, &diags);
	struct strbuf sb = STRBUF_INIT;

	if (!list) {
		diag_format(&diags, &sb);
		cli_errf("schannelcfg list: a built-in profile is broken:\n%s", sb_str(&sb));
		sb_free(&sb);
		diag_free(&diags);
		return EXIT_USAGE;
	}
	if (cli->format == FORMAT_JSON) {
		render_profile_list_json(list, n, &sb);
		cli_out(sb_str(&sb));
	} else {
		print_list_text(list, n);
	}
	for (i = 0; i < n; i++)
		profile_free(list[i]);
	free(list);
	sb_free(&sb);
	return EXIT_OK;
}

int cmd_show(struct cli *cli)
{
	struct loaded loaded;
	struct strbuf sb = STRBUF_INIT;
	int rc = cli_load_and_compile(cli, cli->args[0], &loaded);

	if (rc != EXIT_OK)
		return rc;
	if (cli->format == FORMAT_JSON)
		render_show_json(loaded.profile, &loaded.plan, &sb);
	else
		render_show_text(loaded.profile, &loaded.plan, &sb);
	cli_out(sb_str(&sb));
	sb_free(&sb);
	cli_loaded_free(&loaded);
	return EXIT_OK;
}
