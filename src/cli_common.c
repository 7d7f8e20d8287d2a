#include "cli_common.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "backend_regfile.h"
#include "image.h"
#include "regfile.h"

static bool parse_os(const char *s, uint32_t *major, uint32_t *minor, uint32_t *build)
{
	char *copy = xstrdup(s);
	char *a = copy, *b = strchr(a, '.'), *c;
	uint64_t x, y, z = 0;
	bool ok = false;

	if (b) {
		*b++ = '\0';
		c = strchr(b, '.');
		if (c)
			*c++ = '\0';
		ok = parse_u64(a, 100, &x) && parse_u64(b, 100, &y) &&
		     (!c || parse_u64(c, 1000000, &z));
	}
	free(copy);
	if (ok) {
		*major = (uint32_t)x;
		*minor = (uint32_t)y;
		*build = (uint32_t)z;
	}
	return ok;
}

/* The --image store, opened once a process: its Windows version is needed
 * to compile the profile, before the command opens the registry
 * (cli_open_registry hands it over; cli_close_image frees what is left). */
static struct reg_backend *opened_image;
static bool image_refused; /* the open was refused (exit 5), not bad input */

static struct reg_backend *open_image(const struct cli *cli, struct sc_err *err)
{
	if (!opened_image)
		opened_image = image_store_open(cli->image_dir, &image_refused, err);
	return opened_image;
}

void cli_close_image(void)
{
	reg_backend_free(opened_image);
	opened_image = NULL;
}

/* The oldest Windows schannelcfg supports, on which the version checks are
 * strictest (README: "--os"): what a registry that does not say is taken
 * to be. */
static int assume_oldest(struct compile_options *os)
{
	os->have_os = true;
	os->os_assumed = true;
	os->major = DEFAULT_OS_MAJOR;
	os->minor = DEFAULT_OS_MINOR;
	os->build = DEFAULT_OS_BUILD;
	return EXIT_OK;
}

/* An image's own version: SC_OK (have_os false when the image does not
 * say, and the oldest supported version is then assumed, as for a state
 * file), or EXIT_USAGE when the image cannot be opened. */
static int image_os_version(const struct cli *cli, struct compile_options *os)
{
	struct sc_err err = {{0}};
	struct hive_image_info info = {0};
	struct reg_backend *b = open_image(cli, &err);

	if (!b || image_store_info(b, &info, &err) != SC_OK) {
		cli_errf("schannelcfg %s: %s%s\n", cli->command, image_refused ? "refused: " : "",
		         err.msg);
		return image_refused ? EXIT_REFUSED : EXIT_USAGE;
	}
	if (info.have_os) {
		os->have_os = true;
		os->major = info.major;
		os->minor = info.minor;
		os->build = info.build;
		return EXIT_OK;
	}
	cli_errf("schannelcfg %s: warning: %s does not say which Windows it is (no "
	         "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion version values); assuming "
	         "%u.%u.%u: pass --os to say\n",
	         cli->command, cli->image_dir, DEFAULT_OS_MAJOR, DEFAULT_OS_MINOR,
	         DEFAULT_OS_BUILD);
	return assume_oldest(os);
}

int cli_os_version(const struct cli *cli, struct compile_options *os)
{
	memset(os, 0, sizeof(*os));
	os->force = cli->force;
	if (cli->os_version) {
		if (!parse_os(cli->os_version, &os->major, &os->minor, &os->build)) {
			cli_errf(
			    "schannelcfg %s: --os expects MAJOR.MINOR.BUILD such as 6.1.7601 or "
			    "10.0.20348, not '%s'\n",
			    cli->command, cli->os_version);
			return EXIT_USAGE;
		}
		os->have_os = true;
		return EXIT_OK;
	}
	if (cli->image_dir)
		return image_os_version(cli, os);
	if (!cli->state_file) {
		os->have_os = platform_os_version(&os->major, &os->minor, &os->build);
		return EXIT_OK;
	}
	/* A .reg state says nothing about its Windows. */
	return assume_oldest(os);
}

static void print_diags(const struct cli *cli, const struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;

	diag_format(d, &sb);
	cli_errf("%s", sb_str(&sb));
	cli_errf("schannelcfg %s: %zu error%s; nothing was changed.\n", cli->command, d->errors,
	         d->errors == 1 ? "" : "s");
	sb_free(&sb);
}

int cli_load_and_compile(const struct cli *cli, const char *what, struct loaded *out)
{
	struct profile_options popts = {.allow_any_key = cli->allow_any_key};
	struct diag diags = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cli_os_version(cli, &out->os);
	if (rc != EXIT_OK)
		return rc;
	if (profile_load(what, &popts, &out->profile, &diags) != SC_OK ||
	    compile_profile(out->profile, &out->os, &out->plan, &diags) != SC_OK) {
		print_diags(cli, &diags);
		diag_free(&diags);
		profile_free(out->profile);
		out->profile = NULL;
		return EXIT_USAGE;
	}
	diag_free(&diags);
	return EXIT_OK;
}

void cli_loaded_free(struct loaded *l)
{
	profile_free(l->profile);
	if (l->plan.profile)
		plan_free(&l->plan);
	memset(l, 0, sizeof(*l));
}

int cli_open_registry(const struct cli *cli, struct reg_backend **b)
{
	struct sc_err err = {{0}};

	if (cli->image_dir) {
		*b = open_image(cli, &err);
		opened_image = NULL; /* the caller's now */
	} else {
		*b = cli->state_file ? regfile_store_open(cli->state_file, &err)
		                     : platform_live_backend(&err);
	}
	if (!*b) {
		bool refused = cli->image_dir && image_refused;

		cli_errf("schannelcfg %s: %s%s\n", cli->command, refused ? "refused: " : "",
		         err.msg);
		return refused ? EXIT_REFUSED : EXIT_USAGE;
	}
	if (cli->state_file) {
		size_t i, n;
		const char *const *warnings = regfile_backend_warnings(*b, &n);

		for (i = 0; i < n; i++)
			cli_errf("schannelcfg %s: warning: %s\n", cli->command, warnings[i]);
	}
	return EXIT_OK;
}
