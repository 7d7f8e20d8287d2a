/*
 * cmd_engine.c - diff, check, apply, rollback, snapshots.
 *
 * MUST: diff and check never write. MUST: apply and rollback go through
 * apply_plan (snapshot before the first write, automatic restore).
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cli_common.h"
#include "commands.h"
#include "diff.h"
#include "platform.h"
#include "regfile.h"
#include "render_engine.h"
#include "snapshot.h"

/* Where the registry is, in words and as recorded in snapshots. */
static char *target_of(const struct cli *cli)
{
	char *real;
	char *t;

	if (!cli->state_file)
		return xstrdup("live");
	real = platform_realpath(cli->state_file);
	t = xasprintf("state:%s", real ? real : cli->state_file);
	free(real);
	return t;
}

static char *target_words(const struct cli *cli)
{
	return cli->state_file ? xasprintf("state file %s", cli->state_file)
			       : xstrdup("live registry");
}

static char *snapshot_dir_of(const struct cli *cli)
{
	return cli->snapshot_dir ? xstrdup(cli->snapshot_dir) : platform_default_snapshot_dir();
}

/* Writes a --format reg document. To a console it is text; to a file or
 * pipe it is UTF-16LE with a byte-order mark, as reg export writes it:
 * reg import reads the hex(2)/hex(7) data of a file without one as ANSI
 * and widens it, which would garble REG_MULTI_SZ lists. */
static void out_reg(const struct strbuf *sb)
{
	size_t size;
	uint8_t *bytes;

	if (platform_isatty(1)) {
		cli_out(sb_str(sb));
		return;
	}
	bytes = regfile_encode(sb_str(sb), sb->len, REGFILE_UTF16LE, &size);
	platform_write(1, (const char *)bytes, size);
	free(bytes);
}

static void print_diff(const struct cli *cli, const struct diff *d, const char *verb,
		       const char *profile)
{
	struct strbuf sb = STRBUF_INIT;
	char *target = target_of(cli);

	if (cli->format == FORMAT_JSON) {
		diff_format_json(d, cli->command, profile, target, &sb);
	} else if (cli->format == FORMAT_REG) {
		diff_format_reg(d, &sb);
	} else {
		char *where = target_words(cli);
		char *heading = xasprintf("schannelcfg %s %s (%s)", verb, profile, where);

		diff_format_text(d, heading, cli->color, &sb);
		free(heading);
		free(where);
	}
	if (cli->format == FORMAT_REG)
		out_reg(&sb);
	else
		cli_out(sb_str(&sb));
	sb_free(&sb);
	free(target);
}

/* Loads, compiles and diffs; prints nothing on success. */
static int compute(struct cli *cli, struct loaded *l, struct reg_backend **b, struct diff *d)
{
	struct sc_err err = {{0}};
	int rc = cli_load_and_compile(cli, cli->args[0], l);

	if (rc != EXIT_OK)
		return rc;
	rc = cli_open_registry(cli, b);
	if (rc != EXIT_OK) {
		cli_loaded_free(l);
		return rc;
	}
	if (diff_compute(&l->plan, *b, d, &err) != SC_OK) {
		cli_errf("schannelcfg %s: %s\n", cli->command, err.msg);
		reg_backend_free(*b);
		cli_loaded_free(l);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int diff_or_check(struct cli *cli, bool check)
{
	struct loaded l;
	struct reg_backend *b = NULL;
	struct diff d;
	int rc = compute(cli, &l, &b, &d);

	if (rc != EXIT_OK)
		return rc;
	print_diff(cli, &d, cli->command, l.profile->name);
	rc = check && d.nchanged ? EXIT_DRIFT : EXIT_OK;
	diff_free(&d);
	reg_backend_free(b);
	cli_loaded_free(&l);
	return rc;
}

int cmd_diff(struct cli *cli)
{
	return diff_or_check(cli, false);
}

int cmd_check(struct cli *cli)
{
	return diff_or_check(cli, true);
}

/* ---- apply / rollback ---- */

struct state_commit {
	const struct reg_backend *b;
	const char *path;
};

/* The commit step of a --state transaction. The writes before it went to
 * the in-memory copy; the file changes only at the final rename, so even
 * an allocation failure here (xmalloc aborts) leaves the file as it was. */
static int save_state(void *ctx, struct sc_err *err)
{
	struct state_commit *c = ctx;

	return regfile_backend_save(c->b, c->path, err);
}

static int exit_code_of(const struct apply_result *r)
{
	switch (r->status) {
	case APPLY_DONE: return r->reboot ? EXIT_REBOOT : EXIT_OK;
	case APPLY_NOTHING: return EXIT_OK;
	case APPLY_INPUT_ERROR: return EXIT_USAGE;
	case APPLY_REFUSED: return EXIT_REFUSED;
	case APPLY_ROLLED_BACK: return EXIT_ROLLED_BACK;
	case APPLY_ROLLBACK_FAILED: return EXIT_ROLLBACK_FAILED;
	}
	return EXIT_ROLLBACK_FAILED;
}

static void log_event(const struct cli *cli, const char *what, const struct apply_result *r)
{
	char *user = platform_user_name();
	char *msg = xasprintf("schannelcfg %s by %s: %s; %zu value(s) changed; snapshot %s; "
			      "reboot required: %s; exit %d",
			      cli->command, user, what, r->diff.nchanged,
			      r->snapshot_id ? r->snapshot_id : "none", r->reboot ? "yes" : "no",
			      exit_code_of(r));

	if (!cli->state_file && r->status != APPLY_NOTHING && r->status != APPLY_INPUT_ERROR)
		platform_event_log(r->status != APPLY_DONE, msg);
	free(msg);
	free(user);
}

static void report_failure(const struct cli *cli, const struct apply_result *r)
{
	switch (r->status) {
	case APPLY_INPUT_ERROR:
	case APPLY_REFUSED:
		cli_errf("schannelcfg %s: refused: %s\n", cli->command, r->err.msg);
		break;
	case APPLY_ROLLED_BACK:
		cli_errf("schannelcfg %s: FAILED after %zu of %zu changes: %s\n"
			 "The registry was restored from the snapshot %s and verified: it is as "
			 "it was before.\n",
			 cli->command, r->executed, r->diff.nchanged, r->err.msg, r->snapshot_path);
		break;
	case APPLY_ROLLBACK_FAILED:
		cli_errf("\n!!! schannelcfg %s: FAILED, AND RESTORING THE PRIOR STATE FAILED TOO.\n"
			 "!!! The registry state is UNCERTAIN.\n"
			 "!!! Change failed: %s\n!!! Restore failed: %s\n"
			 "!!! The before-image is in %s\n"
			 "!!! Restore it with: schannelcfg rollback \"%s\"  (or: reg import that file)\n",
			 cli->command, r->err.msg, r->restore_err.msg, r->snapshot_path,
			 r->snapshot_path);
		break;
	default:
		break;
	}
}

static void report(const struct cli *cli, const struct apply_result *r, const char *profile)
{
	struct strbuf sb = STRBUF_INIT;

	if (r->status == APPLY_INPUT_ERROR || r->status == APPLY_REFUSED) {
		report_failure(cli, r);
		return;
	}
	if (cli->format == FORMAT_JSON) {
		char *target = target_of(cli);

		apply_result_json(r, cli->command, profile, target, exit_code_of(r), &sb);
		free(target);
		cli_out(sb_str(&sb));
	} else {
		print_diff(cli, &r->diff, cli->command, profile);
		if (r->status == APPLY_DONE)
			cli_outf("Snapshot %s written before the change:\n  %s\n"
				 "Applied %zu change%s%s.\n",
				 r->snapshot_id, r->snapshot_path, r->diff.nchanged,
				 r->diff.nchanged == 1 ? "" : "s",
				 r->reboot ? "; reboot required for them to take effect (exit 3010)"
					   : "");
		else if (r->status == APPLY_NOTHING)
			cli_out("Nothing to do: the registry already matches. Nothing was written.\n");
	}
	report_failure(cli, r);
	sb_free(&sb);
}

/* Runs a plan as a transaction against the registry the CLI names. */
static int run_transaction(struct cli *cli, const struct plan *plan, const char *profile,
			   const char *snapshot_label)
{
	struct reg_backend *b = NULL;
	struct apply_result r;
	char *dir = snapshot_dir_of(cli), *target = target_of(cli);
	struct state_commit commit;
	struct apply_options o;
	int rc = cli_open_registry(cli, &b);

	if (rc != EXIT_OK)
		goto out;
	commit = (struct state_commit){b, cli->state_file};
	o = (struct apply_options){
		.backend = b,
		.require_elevation = !cli->state_file,
		.is_elevated = platform_is_elevated,
		.lock_name = cli->state_file ? cli->state_file : "apply",
		.lock_is_file = cli->state_file != NULL,
		.snapshot_dir = dir,
		.profile_name = snapshot_label,
		.target = target,
		.now = platform_now(),
		.commit = cli->state_file ? save_state : NULL,
		.commit_ctx = &commit,
	};
	apply_plan(plan, &o, &r);
	report(cli, &r, profile);
	log_event(cli, profile, &r);
	rc = exit_code_of(&r);
	apply_result_free(&r);
out:
	reg_backend_free(b);
	free(dir);
	free(target);
	return rc;
}

int cmd_apply(struct cli *cli)
{
	struct loaded l;
	int rc = cli_load_and_compile(cli, cli->args[0], &l);

	if (rc != EXIT_OK)
		return rc;
	rc = run_transaction(cli, &l.plan, l.profile->name, l.profile->name);
	cli_loaded_free(&l);
	return rc;
}

static bool looks_like_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || strchr(s, '\\') || (n > 4 && streq_ci(s + n - 4, ".reg"));
}

/* The newest snapshot an apply (not a rollback) wrote in dir for this
 * target; NULL if none. Skipping rollbacks' own snapshots keeps a repeated
 * `rollback` idempotent: it restores the same state again. */
static char *latest_snapshot(const struct cli *cli, const char *dir, const char *target)
{
	struct sc_err err = {{0}};
	size_t n, i;
	char **names = snapshot_list(dir, &n, &err);
	char *found = NULL;

	for (i = 0; names && i < n && !found; i++) {
		char *path = snapshot_file_path(dir, names[i]);
		struct snapshot s;

		if (snapshot_load(path, cli->allow_any_key, &s, &err) == SC_OK) {
			if (!strcmp(s.target, target) && strcmp(s.profile, "rollback"))
				found = xstrdup(path);
			snapshot_free(&s);
		}
		free(path);
	}
	strlist_free(names, names ? n : 0);
	return found;
}

/* Is path inside dir (after resolving both)? */
static bool inside_dir(const char *path, const char *dir)
{
	char *rp = platform_realpath(path), *rd = platform_realpath(dir);
	bool inside = rp && rd && platform_path_within(rp, rd);

	free(rp);
	free(rd);
	return inside;
}

static char *choose_snapshot(const struct cli *cli, const char *dir, const char *target)
{
	char *path;

	if (!cli->nargs) {
		path = latest_snapshot(cli, dir, target);
		if (!path)
			cli_errf("schannelcfg rollback: no valid snapshot for the %s in %s\n",
				 cli->state_file ? "state file" : "live registry", dir);
		return path;
	}
	if (!looks_like_file(cli->args[0])) {
		char *name = xasprintf("%s" SNAPSHOT_SUFFIX, cli->args[0]);

		path = snapshot_file_path(dir, name);
		free(name);
		return path;
	}
	path = xstrdup(cli->args[0]);
	if (!cli->force && !inside_dir(path, dir)) {
		cli_errf("schannelcfg rollback: refused: %s is not inside the snapshot folder %s; "
			 "a snapshot from elsewhere may have been written by anyone (pass --force "
			 "if you trust it)\n",
			 path, dir);
		free(path);
		return NULL;
	}
	return path;
}

int cmd_rollback(struct cli *cli)
{
	struct sc_err err = {{0}};
	char *dir = snapshot_dir_of(cli), *target = target_of(cli), *label = NULL;
	char *path = choose_snapshot(cli, dir, target);
	struct snapshot s = {0};
	struct plan restore = {0};
	int rc = EXIT_REFUSED;

	if (!path)
		goto out;
	if (snapshot_load(path, cli->allow_any_key, &s, &err) != SC_OK) {
		cli_errf("schannelcfg rollback: refused: %s\n", err.msg);
		goto out;
	}
	if (strcmp(s.target, target) && !cli->force) {
		cli_errf("schannelcfg rollback: refused: snapshot %s was taken of %s, not of %s "
			 "(pass --force to restore it here anyway)\n",
			 s.id, s.target, target);
		goto out;
	}
	snapshot_restore_plan(&s, path, &restore);
	label = xasprintf("rollback of %s", s.id);
	rc = run_transaction(cli, &restore, label, "rollback");
out:
	if (restore.profile)
		plan_free(&restore);
	snapshot_free(&s);
	free(label);
	free(path);
	free(target);
	free(dir);
	return rc;
}

int cmd_snapshots(struct cli *cli)
{
	struct sc_err err = {{0}};
	char *dir = snapshot_dir_of(cli);
	size_t n;
	char **names = snapshot_list(dir, &n, &err);
	struct strbuf sb = STRBUF_INIT;

	if (!names) {
		cli_errf("schannelcfg snapshots: %s\n", err.msg);
		free(dir);
		return EXIT_USAGE;
	}
	snapshots_render(cli->format == FORMAT_JSON, dir, names, n, cli->allow_any_key, &sb);
	cli_out(sb_str(&sb));
	sb_free(&sb);
	strlist_free(names, n);
	free(dir);
	return EXIT_OK;
}
