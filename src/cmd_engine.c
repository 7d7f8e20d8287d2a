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
#include "cmd_probe.h"
#include "image.h"
#include "impacts.h"
#include "commands.h"
#include "diff.h"
#include "docid.h"
#include "platform.h"
#include "regfile.h"
#include "regpol.h"
#include "render_engine.h"
#include "snapshot.h"

/* Where the registry is, in words and as recorded in snapshots. */
static char *target_of(const struct cli *cli)
{
	const char *file = cli->state_file ? cli->state_file : cli->image_dir;
	char *real;
	char *t;

	if (!file)
		return xstrdup("live");
	real = platform_realpath(file);
	t = xasprintf("%s:%s", cli->state_file ? "state" : "image", real ? real : file);
	free(real);
	return t;
}

/* What a snapshot records as its registry: an image's is the live one the
 * image will be once booted (its keys are named so too), so that the
 * booted machine can roll back its servicing, as `rollback --image` can
 * before. */
static char *snapshot_target_of(const struct cli *cli)
{
	return cli->image_dir ? xstrdup("live") : target_of(cli);
}

static char *target_words(const struct cli *cli)
{
	if (cli->image_dir)
		return xasprintf("offline image %s", cli->image_dir);
	return cli->state_file ? xasprintf("state file %s", cli->state_file)
	                       : xstrdup("live registry");
}

/* Where the snapshot key is: the image's own machine folder for --image
 * (platform.h), else NULL: the machine's. */
static char *key_folder_of(const struct cli *cli)
{
	return cli->image_dir ? image_machine_folder(cli->image_dir) : NULL;
}

/* --snapshot-dir; for a state file F.reg, F.snapshots beside it (a state
 * file's applies never touch the machine-wide folder, which only
 * administrators may control); for an image, the image's own
 * ProgramData\schannelcfg\snapshots (where the booted machine looks); else
 * %ProgramData%\schannelcfg\snapshots. */
static char *snapshot_dir_of(const struct cli *cli)
{
	const char *f = cli->state_file;
	size_t n;

	if (cli->snapshot_dir)
		return xstrdup(cli->snapshot_dir);
	if (cli->image_dir)
		return image_snapshot_dir(cli->image_dir);
	if (!f)
		return platform_default_snapshot_dir();
	n = strlen(f);
	if (n > 4 && streq_ci(f + n - 4, ".reg"))
		n -= 4;
	return xasprintf("%.*s.snapshots", (int)n, f);
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

/* Writes a --format pol document (regpol.h): binary, so never to a
 * console, where it would be garbage; platform_write writes bytes as they
 * are (no text-mode translation). */
static int out_pol(const struct cli *cli, const struct diff *d)
{
	struct sc_err err = {{0}};
	uint8_t *bytes;
	size_t size;
	int rc = EXIT_OK;

	if (!cli->output && platform_isatty(1)) {
		cli_errf("schannelcfg %s: --format pol writes a binary Registry.pol; redirect it "
		         "to a file (> Registry.pol) or give --output FILE\n",
		         cli->command);
		return EXIT_USAGE;
	}
	if (regpol_from_diff(d, &bytes, &size, &err) != SC_OK) {
		cli_errf("schannelcfg %s: cannot write a Registry.pol: %s\n", cli->command,
		         err.msg);
		return EXIT_USAGE;
	}
	if (!cli->output)
		platform_write(1, (const char *)bytes, size);
	else if (platform_write_file(cli->output, bytes, size, false, &err) != SC_OK) {
		cli_errf("schannelcfg %s: %s\n", cli->command, err.msg);
		rc = EXIT_USAGE;
	}
	free(bytes);
	return rc;
}

/* Who the JSON document is about (docid.h): the registry b shows after
 * the command, so an apply's own reboot need is added by the caller. */
static void identity_of(const struct cli *cli, const struct reg_backend *b, const struct profile *p,
                        const struct compile_options *os, struct doc_identity *id)
{
	char *target = target_of(cli);
	char *name = cli->state_file ? NULL : platform_computer_name();

	docid_init(id, target, name, os, p, platform_now());
	docid_reboot_markers(id, b);
	free(name);
	free(target);
}

/* print_diff, into out: check --live appends to it before it is printed.
 * id: the machine identity for JSON (NULL: none). */
static void format_diff(const struct cli *cli, const struct diff *d, const char *verb,
                        const char *profile, const struct doc_identity *id, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	char *target = target_of(cli);

	if (cli->format == FORMAT_JSON && id) {
		docid_diff_json(d, cli->command, profile, target, id, &sb);
	} else if (cli->format == FORMAT_JSON) {
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
	sb_add(out, sb.buf ? sb.buf : "", sb.len);
	sb_free(&sb);
	free(target);
}

static void print_diff(const struct cli *cli, const struct diff *d, const char *verb,
                       const char *profile, const struct doc_identity *id)
{
	struct strbuf sb = STRBUF_INIT;

	format_diff(cli, d, verb, profile, id, &sb);
	if (cli->format == FORMAT_REG)
		out_reg(&sb);
	else
		cli_out(sb_str(&sb));
	sb_free(&sb);
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
		bool read_failed = d->read_failed;

		cli_errf("schannelcfg %s: %s%s\n", cli->command,
		         read_failed ? "cannot read the registry: " : "", err.msg);
		reg_backend_free(*b);
		cli_loaded_free(l);
		return read_failed ? EXIT_READ_FAILED : EXIT_USAGE;
	}
	return EXIT_OK;
}

static int diff_or_check(struct cli *cli, bool check)
{
	struct loaded l;
	struct reg_backend *b = NULL;
	struct diff d;
	struct doc_identity id = {0};
	int rc;

	if (cli->output && cli->format != FORMAT_POL) {
		cli_errf("schannelcfg %s: --output is for --format pol (the other formats go to "
		         "stdout)\n",
		         cli->command);
		return EXIT_USAGE;
	}
	rc = compute(cli, &l, &b, &d);
	if (rc != EXIT_OK)
		return rc;
	if (cli->format == FORMAT_JSON)
		identity_of(cli, b, l.profile, &l.os, &id);
	rc = check && d.nchanged ? EXIT_DRIFT : EXIT_OK;
	if (cli->format == FORMAT_POL) {
		int written = out_pol(cli, &d);

		rc = written != EXIT_OK ? written : rc;
	} else if (check && cli->live) { /* check --live: the offer on the wire too */
		struct strbuf sb = STRBUF_INIT;

		format_diff(cli, &d, cli->command, l.profile->name, &id, &sb);
		rc = probe_check_live(cli, &sb, rc);
		cli_out(sb_str(&sb));
		sb_free(&sb);
	} else {
		print_diff(cli, &d, cli->command, l.profile->name, &id);
	}
	docid_free(&id);
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

/* What one apply or rollback holds: the registry (opened under the lock
 * the dispatcher holds, cmd_guard.h) and how its snapshots are
 * authenticated. */
struct txn {
	struct cli *cli;
	struct reg_backend *b;
	char *dir, *target, *machine;
	struct snap_auth auth; /* keyed for the live registry */
	enum snap_kind kind;   /* of the transaction running */
	/* For the JSON document's identity (docid.h); NULL for a rollback. */
	const struct profile *profile;
	const struct compile_options *os;
};

/* MachineGuid of the live registry or the image ("-" for a state file or
 * when it cannot be read): a snapshot is restored only on the machine it was taken on. */
static char *machine_of(const struct cli *cli, const struct reg_backend *b)
{
	struct sc_err err;
	struct reg_value v = {0};
	char *guid = NULL;

	if (cli->state_file)
		return xstrdup("-");
	if (reg_read_value_at(b, REG_VIEW_64, MACHINE_GUID_KEY, "MachineGuid", &v, &err) == SC_OK)
		guid = regvalue_get_string(&v);
	regvalue_free(&v);
	if (!guid || !*guid || strpbrk(guid, "\r\n")) {
		free(guid);
		return xstrdup("-");
	}
	return guid;
}

static int snapshot_key(const struct cli *cli, bool create, uint8_t key[32], struct sc_err *err)
{
	char *folder = key_folder_of(cli);
	int rc = platform_snapshot_key(folder, create, key, err);

	free(folder);
	return rc;
}

/* A live (or image's) snapshot folder must be one only administrators
 * control. */
static int check_folder(const struct txn *t, bool missing_ok, struct sc_err *err)
{
	int rc;

	if (t->cli->state_file)
		return SC_OK;
	rc = platform_check_folder_trust(t->dir, err);
	if (rc == SC_NOT_FOUND && missing_ok)
		return SC_OK;
	if (rc == SC_NOT_FOUND)
		return sc_err_set(err, "no snapshot folder %s", t->dir);
	return rc;
}

/* apply_options.before_snapshot: the folder and the key, first needed
 * when something is about to change. */
/* The update that removes an impact, when the registry shows it
 * installed: then the impact does not hold here, and the report says
 * what was found. */
static bool update_present(const struct txn *t, const struct plan_impact *im)
{
	struct sc_err err = {{0}};
	char *found = NULL;

	if (!im->kb || impacts_update_installed(t->b, im->kb, &found, &err) != SC_OK)
		return false;
	if (t->cli->format != FORMAT_JSON) /* JSON readers get one document */
		cli_errf("schannelcfg %s: %s is installed (Component Based Servicing package %s): "
		         "Remote Desktop keeps working\n",
		         t->cli->command, im->kb, found);
	free(found);
	return true;
}

/* What would cut remote administration (impacts.h) needs --force; with
 * it, the apply goes on and the report still says it. Each such impact is
 * checked: an update that removes one says nothing of the others. */
static int check_impacts(const struct txn *t, const struct diff *d, struct sc_err *err)
{
	size_t i;

	if (t->kind != SNAP_APPLY || t->cli->force)
		return SC_OK;
	for (i = 0; i < d->nimpacts; i++) {
		const struct plan_impact *im = &d->impacts[i];

		if (im->cls == IMPACT_CUTS_ADMIN && !update_present(t, im))
			return sc_err_set(
			    err,
			    "%s (see %s). Pass --force to apply it anyway. Nothing was "
			    "changed.",
			    im->text, im->ref);
	}
	return SC_OK;
}

static int prepare_live_snapshot(void *ctx, const struct diff *d, struct sc_err *err)
{
	struct txn *t = ctx;
	int rc = check_impacts(t, d, err);

	if (rc != SC_OK)
		return rc;
	rc = check_folder(t, true, err);
	if (rc == SC_OK && !t->cli->state_file && !t->auth.keyed) {
		rc = snapshot_key(t->cli, true, t->auth.key, err);
		t->auth.keyed = rc == SC_OK;
	}
	if (rc != SC_OK)
		sc_err_prefix(err, "cannot write the rollback snapshot; nothing was changed");
	return rc;
}

static void txn_end(struct txn *t)
{
	reg_backend_free(t->b);
	free(t->dir);
	free(t->target);
	free(t->machine);
	memset(&t->auth, 0, sizeof(t->auth));
}

/* Opens the registry. The dispatcher holds the lock already (cmd_guard.h):
 * a state file is read only under it, so no update is lost. */
static int txn_begin(struct cli *cli, struct txn *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->cli = cli;
	t->dir = snapshot_dir_of(cli);
	t->target = snapshot_target_of(cli);
	rc = cli_open_registry(cli, &t->b);
	if (rc == EXIT_OK)
		t->machine = machine_of(cli, t->b);
	if (rc != EXIT_OK)
		txn_end(t);
	return rc;
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
	case APPLY_READ_FAILED: return EXIT_READ_FAILED;
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

	/* The event log is the running Windows's: an offline image's servicing
	 * is not an event of the machine doing it. */
	if (!cli->state_file && !cli->image_dir && r->status != APPLY_NOTHING &&
	    r->status != APPLY_INPUT_ERROR && r->status != APPLY_READ_FAILED)
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
	case APPLY_READ_FAILED:
		cli_errf("schannelcfg %s: cannot read the registry: %s\nNothing was changed.\n",
		         cli->command, r->err.msg);
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
		         "!!! Restore it with: schannelcfg rollback \"%s\"  (or: reg import that "
		         "file)\n",
		         cli->command, r->err.msg, r->restore_err.msg, r->snapshot_path,
		         r->snapshot_path);
		break;
	default: break;
	}
}

static void report(const struct txn *t, const struct apply_result *r, const char *profile)
{
	const struct cli *cli = t->cli;
	struct strbuf sb = STRBUF_INIT;

	if (r->status == APPLY_INPUT_ERROR || r->status == APPLY_REFUSED ||
	    r->status == APPLY_READ_FAILED) {
		report_failure(cli, r);
		return;
	}
	if (cli->format == FORMAT_JSON) {
		char *target = target_of(cli);
		struct doc_identity id;

		identity_of(cli, t->b, t->profile, t->os, &id);
		if (r->status == APPLY_DONE && r->reboot)
			docid_add_reason(&id, "schannelcfg-change");
		apply_result_json(r, cli->command, profile, target, exit_code_of(r), &id, &sb);
		docid_free(&id);
		free(target);
		cli_out(sb_str(&sb));
	} else {
		print_diff(cli, &r->diff, cli->command, profile, NULL);
		if (r->status == APPLY_DONE)
			cli_outf("Snapshot %s written before the change:\n  %s\n"
			         "Applied %zu change%s%s.\n",
			         r->snapshot_id, r->snapshot_path, r->diff.nchanged,
			         r->diff.nchanged == 1 ? "" : "s",
			         r->reboot ? "; reboot required for them to take effect (exit 3010)"
			                   : "");
		else if (r->status == APPLY_NOTHING)
			cli_out(
			    "Nothing to do: the registry already matches. Nothing was written.\n");
	}
	report_failure(cli, r);
	sb_free(&sb);
}

/* Runs a plan as a transaction against the registry the CLI names. */
static int run_transaction(struct txn *t, const struct plan *plan, const char *profile,
                           const char *snapshot_label, enum snap_kind kind)
{
	struct cli *cli = t->cli;
	struct apply_result r;
	struct apply_options o = {
	    .backend = t->b,
	    .snapshot_dir = t->dir,
	    .snapshot_auth = &t->auth,
	    .label = {.kind = kind,
	              .profile = snapshot_label,
	              .target = t->target,
	              .machine = t->machine,
	              .allow_any_key = cli->allow_any_key,
	              .now = platform_now()},
	    .before_snapshot = prepare_live_snapshot,
	    .before_snapshot_ctx = t,
	    .guard_signals = true,
	};
	int rc;

	t->kind = kind;
	apply_plan(plan, &o, &r);
	report(t, &r, profile);
	log_event(cli, profile, &r);
	rc = exit_code_of(&r);
	apply_result_free(&r);
	return rc;
}

int cmd_apply(struct cli *cli)
{
	struct loaded l;
	struct txn t;
	int rc = cli_load_and_compile(cli, cli->args[0], &l);

	if (rc != EXIT_OK)
		return rc;
	rc = txn_begin(cli, &t);
	if (rc == EXIT_OK) {
		t.profile = l.profile;
		t.os = &l.os;
		rc = run_transaction(&t, &l.plan, l.profile->name, l.profile->name, SNAP_APPLY);
		txn_end(&t);
	}
	cli_loaded_free(&l);
	return rc;
}

static bool looks_like_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || strchr(s, '\\') || (n > 4 && streq_ci(s + n - 4, ".reg"));
}

/* The newest snapshot an apply (not a rollback) wrote in dir for this
 * target, by its authenticated time: NULL if none. Files that do not
 * verify are never chosen, whatever their names. Skipping rollbacks' own
 * snapshots keeps a repeated `rollback` idempotent. */
static char *latest_snapshot(const struct txn *t)
{
	struct sc_err err = {{0}};
	size_t n, i;
	char **names = snapshot_list(t->dir, &n, &err);
	struct snapshot best = {0};
	char *found = NULL;

	for (i = 0; names && i < n; i++) {
		char *path = snapshot_file_path(t->dir, names[i]);
		struct snapshot s;

		if (snapshot_load_auth(path, &t->auth, t->cli->allow_any_key, &s, &err) != SC_OK) {
			free(path);
			continue;
		}
		if (s.kind == SNAP_APPLY && !strcmp(s.target, t->target) &&
		    (!found || snapshot_newer(&s, &best))) {
			snapshot_free(&best);
			best = s;
			free(found);
			found = path;
		} else {
			snapshot_free(&s);
			free(path);
		}
	}
	snapshot_free(&best);
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

static char *choose_snapshot(const struct txn *t)
{
	const struct cli *cli = t->cli;
	char *path;

	if (!cli->nargs) {
		path = latest_snapshot(t);
		if (!path) {
			char *words = target_words(cli);

			cli_errf("schannelcfg rollback: no valid snapshot for the %s in %s\n",
			         words, t->dir);
			free(words);
		}
		return path;
	}
	if (!looks_like_file(cli->args[0])) {
		char *name = xasprintf("%s" SNAPSHOT_SUFFIX, cli->args[0]);

		path = snapshot_file_path(t->dir, name);
		free(name);
		return path;
	}
	path = xstrdup(cli->args[0]);
	if (!cli->force && !inside_dir(path, t->dir)) {
		cli_errf("schannelcfg rollback: refused: %s is not inside the snapshot folder %s; "
		         "a snapshot from elsewhere may have been written by anyone (pass --force "
		         "if you trust it)\n",
		         path, t->dir);
		free(path);
		return NULL;
	}
	return path;
}

/* The live registry's snapshots are checked with the machine's key: the
 * folder must be trusted and the key must exist (an apply made it). */
static int rollback_auth(struct txn *t)
{
	struct sc_err err = {{0}};
	int rc = check_folder(t, false, &err);

	if (rc == SC_OK && !t->cli->state_file) {
		rc = snapshot_key(t->cli, false, t->auth.key, &err);
		t->auth.keyed = rc == SC_OK;
	}
	if (rc == SC_OK)
		return EXIT_OK;
	cli_errf("schannelcfg rollback: refused: %s\n", err.msg);
	return EXIT_REFUSED;
}

/* A verified snapshot still belongs to one registry and one machine. */
static int check_belongs(const struct txn *t, const struct snapshot *s)
{
	if (t->cli->force)
		return EXIT_OK;
	if (strcmp(s->target, t->target)) {
		cli_errf("schannelcfg rollback: refused: snapshot %s was taken of %s, not of %s "
		         "(pass --force to restore it here anyway)\n",
		         s->id, s->target, t->target);
		return EXIT_REFUSED;
	}
	if (strcmp(s->machine, t->machine)) {
		cli_errf("schannelcfg rollback: refused: snapshot %s was taken on machine %s, this "
		         "is %s (pass --force to restore it here anyway)\n",
		         s->id, s->machine, t->machine);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static int load_chosen(const struct txn *t, const char *path, struct snapshot *s)
{
	struct sc_err err = {{0}};

	if (snapshot_load_auth(path, &t->auth, t->cli->allow_any_key, s, &err) == SC_OK)
		return check_belongs(t, s);
	cli_errf("schannelcfg rollback: refused: %s\n%s", err.msg,
	         t->cli->state_file
	             ? ""
	             : "Nothing was changed. If you have checked the file yourself, "
	               "an administrator can still restore it by hand: reg import FILE\n");
	return EXIT_REFUSED;
}

int cmd_rollback(struct cli *cli)
{
	struct snapshot s = {0};
	struct plan restore = {0};
	char *path = NULL, *label = NULL;
	struct txn t;
	int rc = txn_begin(cli, &t);

	if (rc != EXIT_OK)
		return rc;
	rc = rollback_auth(&t);
	if (rc == EXIT_OK) {
		path = choose_snapshot(&t);
		rc = path ? load_chosen(&t, path, &s) : EXIT_REFUSED;
	}
	if (rc == EXIT_OK) {
		snapshot_restore_plan(&s, path, &restore);
		label = xasprintf("rollback of %s", s.id);
		rc = run_transaction(&t, &restore, label, "rollback", SNAP_ROLLBACK);
	}
	if (restore.profile)
		plan_free(&restore);
	snapshot_free(&s);
	free(label);
	free(path);
	txn_end(&t);
	return rc;
}

/* Live snapshots are verified when the key can be read (elevated);
 * otherwise they are listed unverified. */
static void listing_auth(const struct cli *cli, struct snap_auth *auth)
{
	struct sc_err err;

	memset(auth, 0, sizeof(*auth));
	if (cli->state_file)
		return;
	auth->keyed = snapshot_key(cli, false, auth->key, &err) == SC_OK;
	auth->unverified = !auth->keyed;
}

int cmd_snapshots(struct cli *cli)
{
	struct sc_err err = {{0}};
	char *dir = snapshot_dir_of(cli);
	size_t n;
	char **names = snapshot_list(dir, &n, &err);
	struct strbuf sb = STRBUF_INIT;
	struct snap_auth auth;

	if (!names) {
		cli_errf("schannelcfg snapshots: %s\n", err.msg);
		free(dir);
		return EXIT_USAGE;
	}
	listing_auth(cli, &auth);
	snapshots_render(cli->format == FORMAT_JSON, dir, names, n, &auth, cli->allow_any_key, &sb);
	memset(&auth, 0, sizeof(auth));
	cli_out(sb_str(&sb));
	sb_free(&sb);
	strlist_free(names, n);
	free(dir);
	return EXIT_OK;
}
