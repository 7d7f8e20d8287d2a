/* cmd_capture.c - `capture`: the registry's TLS configuration as a profile. */
#include <stdlib.h>

#include "capture.h"
#include "cli_common.h"
#include "commands.h"
#include "json.h"
#include "platform.h"
#include "render.h"
#include "version.h"

static void print_json(const char *source, const char *text, const struct capture_stats *st)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	json_init(&j, &sb);
	json_obj_begin(&j);
	json_key_u64(&j, "schema", JSON_SCHEMA_VERSION);
	json_key_str(&j, "kind", "capture");
	json_key_str(&j, "tool_version", SCHANNELCFG_VERSION);
	json_key_str(&j, "source", source);
	json_key_u64(&j, "keys", st->keys);
	json_key_u64(&j, "values", st->values);
	json_key_u64(&j, "settings_in_words", st->words);
	json_key_u64(&j, "raw_values", st->raw);
	json_key_u64(&j, "skipped_values", st->skipped);
	json_key_str(&j, "profile", text);
	json_obj_end(&j);
	json_finish(&j);
	cli_out(sb_str(&sb));
	sb_free(&sb);
}

int cmd_capture(struct cli *cli)
{
	struct reg_backend *b = NULL;
	struct strbuf text = STRBUF_INIT;
	struct capture_stats st;
	struct sc_err err = {{0}};
	struct compile_options os;
	struct capture_options o;
	char *source;
	int rc = cli_os_version(cli, &os);

	if (rc != EXIT_OK || (rc = cli_open_registry(cli, &b)) != EXIT_OK)
		return rc;
	if (cli->image_dir)
		source = xasprintf("offline image %s", cli->image_dir);
	else
		source = cli->state_file ? xasprintf("state file %s", cli->state_file)
		                         : xstrdup("the live registry");
	o = (struct capture_options){.source = source,
	                             .now = platform_now(),
	                             .have_os = os.have_os,
	                             .major = os.major,
	                             .minor = os.minor,
	                             .build = os.build};
	if (capture_profile(b, &o, &text, &st, &err) != SC_OK) {
		cli_errf("schannelcfg capture: %s\n", err.msg);
		rc = EXIT_USAGE;
	} else if (cli->format == FORMAT_JSON) {
		print_json(source, sb_str(&text), &st);
	} else {
		cli_out(sb_str(&text));
		cli_errf(
		    "schannelcfg capture: %zu keys and %zu values read; %zu settings in words, "
		    "%zu raw values%s\n",
		    st.keys, st.values, st.words, st.raw,
		    st.skipped ? "; some values are not documented TLS values and were left out "
		                 "(see the \"; not captured\" lines)"
		               : "");
	}
	sb_free(&text);
	free(source);
	reg_backend_free(b);
	return rc;
}
