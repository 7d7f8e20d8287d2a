/*
 * main.c - the command table and the one place command flags are checked.
 *
 * MUST: a command flagged NEEDS_ADMIN is refused (exit 5) before it opens
 * anything when it would write the live registry and the process is not
 * elevated. MUST: usage errors exit 2 before anything is opened.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_common.h"
#include "cmd_guard.h"
#include "commands.h"
#include "platform.h"
#include "schema.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli);
	unsigned flags;
	unsigned options; /* OPT_* accepted */
	int min_args, max_args;
	const char *args;    /* "PROFILE", "[SNAPSHOT]" */
	const char *summary; /* one line */
	const char *help;    /* more lines, or NULL */
};

static int cmd_help(struct cli *cli);
static int cmd_version(struct cli *cli);

static const struct command commands[] = {
    {"list", cmd_list, 0, OPT_FORMAT, 0, 0, "[--format text|json]", "List the built-in profiles.",
     NULL},
    {"show", cmd_show, 0, OPT_FORMAT | OPT_OS | OPT_FORCE | OPT_ALLOW_ANY_KEY, 1, 1,
     "PROFILE [--format text|json] [--os VERSION]",
     "Explain a profile: its settings in words and the registry operations they compile to.",
     "PROFILE is a built-in name or alias (see 'schannelcfg list') or a path to an .ini file.\n"
     "Nothing is read from or written to the registry.\n"},

    {"diff", cmd_diff, 0,
     OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_FORMAT_REG | OPT_FORMAT_POL | OPT_OUTPUT | OPT_OS |
         OPT_FORCE | OPT_ALLOW_ANY_KEY | OPT_NO_COLOR,
     1, 1,
     "PROFILE [--state FILE.reg | --image DIR] [--format text|reg|json|pol] [--output FILE.pol]",
     "Show what applying PROFILE would change. Reads only; never writes.",
     "Text: one line per changed value, before -> after with types; list edits element by\n"
     "element; [reboot] marks changes that need a reboot. --format reg prints a .reg file\n"
     "making exactly the change; --format json the documented JSON (docs/json.md);\n"
     "--format pol a Registry.pol (binary: to a file or pipe, or --output FILE, which\n"
     "PowerShell 5 needs: its > re-encodes output) for a GPO's Machine folder or\n"
     "LGPO.exe /m, making the same value changes (empty keys stay).\n"},
    {"check", cmd_check, 0,
     OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_OS | OPT_FORCE | OPT_ALLOW_ANY_KEY | OPT_NO_COLOR |
         OPT_LIVE | OPT_TIMEOUT,
     1, 1, "PROFILE [--state FILE.reg | --image DIR] [--format text|json] [--live [--timeout MS]]",
     "Exit 0 if the registry complies with PROFILE, 1 (with the diff) if it drifted.",
     "--live (Windows, live registry) adds what SChannel offers now (probe --offer): exit 1\n"
     "also when that differs from the registry (a change pending a reboot).\n"},
    {"apply", cmd_apply, CMD_NEEDS_ADMIN | CMD_MUTATES,
     OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_SNAPSHOT_DIR | OPT_OS | OPT_FORCE |
         OPT_ALLOW_ANY_KEY | OPT_NO_COLOR,
     1, 1, "PROFILE [--state FILE.reg | --image DIR] [--snapshot-dir DIR] [--format text|json]",
     "Make the registry match PROFILE, after writing a rollback snapshot.",
     "Nothing to change: nothing is written (no snapshot either). Otherwise the before-image\n"
     "of every value about to change is written to the snapshot folder first (default\n"
     "%ProgramData%\\schannelcfg\\snapshots), then each change is made and read back. If any\n"
     "step fails, the before-image is restored and verified automatically (exit 3).\n"
     "--force allows what the Windows-version checks refuse.\n"},
    {"rollback", cmd_rollback, CMD_NEEDS_ADMIN | CMD_MUTATES,
     OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_SNAPSHOT_DIR | OPT_FORCE | OPT_ALLOW_ANY_KEY |
         OPT_NO_COLOR,
     0, 1, "[SNAPSHOT] [--state FILE.reg | --image DIR] [--snapshot-dir DIR] [--force]",
     "Restore the registry exactly as a snapshot recorded it (default: the latest).",
     "SNAPSHOT is an id (see 'schannelcfg snapshots') or a file in the snapshot folder.\n"
     "The latest is chosen by the authenticated time inside the files, never by name.\n"
     "Refused (exit 5): a live snapshot whose HMAC does not verify under this machine's\n"
     "snapshot key (reg import by hand remains possible), one holding values that are not\n"
     "documented TLS values, a snapshot folder others may write to; and, unless --force,\n"
     "one outside the snapshot folder, taken of another registry or on another machine.\n"
     "The rollback writes its own snapshot first, so it can be undone. With --state the\n"
     "snapshots are in FILE.snapshots beside the state file (or --snapshot-dir); with\n"
     "--image in the image's own ProgramData\\schannelcfg\\snapshots.\n"},
    {"snapshots", cmd_snapshots, 0,
     OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_SNAPSHOT_DIR | OPT_ALLOW_ANY_KEY, 0, 0,
     "[--state FILE.reg | --image DIR] [--snapshot-dir DIR] [--format text|json]",
     "List rollback snapshots: id, kind, time, profile, number of values, or why invalid.", NULL},
    {"capture", cmd_capture, 0, OPT_STATE | OPT_IMAGE | OPT_FORMAT | OPT_OS, 0, 0,
     "[--state FILE.reg | --image DIR] [--os 10.0.20348] [--format text|json]",
     "Write the current TLS configuration as a profile (to clone a server, or as a baseline).",
     "Every managed key and value is captured: the whole SCHANNEL subtree, the cipher-suite\n"
     "keys, .NET, WinHTTP, EAP-TLS and FIPS values. What the vocabulary can say exactly is\n"
     "written in words; the rest as raw [key] sections; absent values and lists as their\n"
     "removal. Applying the result to any registry gives it exactly the captured values;\n"
     "applying it to its source changes nothing. --os names the source's Windows (the live\n"
     "one by default) in the header. Example: schannelcfg capture > site.ini\n"},
    {"report", cmd_report, 0, OPT_FORMAT | OPT_FORMAT_REPORT, 1, INT_MAX,
     "FILE.json...|DIR [--format html|csv|json]",
     "One report of many machines' 'check --format json' (or apply) documents.",
     "Reads the files named, or every *.json in DIR; never the registry. html (default): one\n"
     "self-contained page (summary, compliance per profile and per release, the settings\n"
     "that drift most, machines, reboots pending); csv: one row a machine; json: the\n"
     "aggregate (docs/json.md). A file that is not such a document is named on stderr\n"
     "and skipped; the same machine twice keeps the newest. Exit 2 when no document is\n"
     "usable. Example: schannelcfg report results/ > fleet.html\n"},
    {"probe", cmd_probe, 0, OPT_FORMAT | OPT_TIMEOUT | OPT_OFFER, 0, 1,
     "HOST[:PORT] [--format text|json] [--timeout MS] | --offer [--format text|json]",
     "Handshakes through this machine's SChannel: what a server accepts, or what this "
     "machine offers now.",
     "HOST[:PORT] (default port 443; [IPv6]:PORT): one handshake per protocol, SSL 3.0 to\n"
     "TLS 1.3, each alone; for each: accepted or refused (by this client or by the server,\n"
     "with the SSPI status), the negotiated suite, key exchange and strengths, the\n"
     "certificate's subject, expiry and signature. Where this SChannel lets a client turn\n"
     "ciphers off (CRYPTO_SETTINGS, palgSupportedAlgs) the suites the server accepts are\n"
     "enumerated, one per cipher; where it does not, the output says so. One host a run.\n"
     "--offer: SChannel's default ClientHello, read by a listener on 127.0.0.1: versions,\n"
     "suites, groups, signature algorithms, compared with the registry (Protocols\\<P>\\Client\n"
     "and the release's defaults; the suite list where one is set). A difference is\n"
     "'pending a reboot'. --timeout bounds each connection (default 5000 ms). The\n"
     "registry is never written. Exit 7: no connection could be made.\n"},
    {"help", cmd_help, 0, 0, 0, 1, "[COMMAND|profiles]",
     "Show usage, the help of one command, or the profile language ('help profiles').", NULL},
    {"version", cmd_version, 0, 0, 0, 0, "", "Print the version (same as --version).", NULL},
};

static const char exit_code_help[] =
    "Exit codes:\n"
    "  0     success, nothing to do, or compliant\n"
    "  1     drift: the registry differs from the profile (check)\n"
    "  2     usage or input error; nothing was touched\n"
    "  3     apply failed and was rolled back automatically\n"
    "  4     rollback failed: registry state uncertain (see the snapshot path)\n"
    "  5     refused: not elevated, another apply running, a weak snapshot folder, or a\n"
    "        snapshot that does not verify (or is another registry's or machine's);\n"
    "        --image on Windows without the backup and restore privileges\n"
    "  6     the registry could not be read (access denied, I/O); nothing was touched\n"
    "  7     probe: no connection could be made (network failure before any handshake)\n"
    "  3010  applied; a reboot is required for the change to take effect\n";

static const char option_help[] =
    "Options (where a command accepts them):\n"
    "  --state FILE.reg       use a .reg file as the registry instead of the live one\n"
    "  --image DIR            use the hives of an offline Windows installation (DIR holds\n"
    "                         Windows\\System32\\config\\SYSTEM and SOFTWARE): a mounted\n"
    "                         WIM/VHDX; its Windows version is read from the image\n"
    "  --format text|json|reg output format (reg: a .reg file making the change)\n"
    "  --snapshot-dir DIR     where rollback snapshots are written and looked for\n"
    "  --os MAJOR.MINOR.BUILD Windows version to assume for --state files (and --image)\n"
    "  --force                allow what is refused by default (see the command's help)\n"
    "  --allow-any-key        allow raw keys outside the TLS-related roots\n"
    "  --no-color             never colour the output\n"
    "  --timeout MS           probe: bound on each connection (default 5000)\n"
    "  --offer                probe: what this machine offers, not a server\n"
    "  --live                 check: add what SChannel offers now (probe --offer)\n";

/* An SGR colour sequence (ESC [ digits ; m), the only escape we print. */
static size_t sgr_length(const char *s)
{
	size_t i = 2;

	if (s[0] != '\x1b' || s[1] != '[')
		return 0;
	while ((s[i] >= '0' && s[i] <= '9') || s[i] == ';')
		i++;
	return s[i] == 'm' ? i + 1 : 0;
}

/* The code point of the invisible or direction-changing character at s
 * (UTF-8), or 0: zero-width spaces and joiners, bidi marks, embeddings,
 * overrides and isolates, line/paragraph separators, the BOM, the Arabic
 * letter mark and the Mongolian vowel separator. Shown escaped, a key that
 * reads "RC4 128/128" cannot be another one, and "evil\u202e" cannot turn
 * the rest of a line around. *len receives the sequence's length. */
static unsigned invisible_at(const unsigned char *s, size_t left, size_t *len)
{
	unsigned cp;

	if (left >= 2 && s[0] == 0xD8 && s[1] == 0x9C) {
		*len = 2;
		return 0x061C;
	}
	if (left < 3 || (s[0] != 0xE1 && s[0] != 0xE2 && s[0] != 0xEF) || (s[1] & 0xC0) != 0x80 ||
	    (s[2] & 0xC0) != 0x80)
		return 0;
	cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	*len = 3;
	if (cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	    (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF ||
	    (cp >= 0xFFF9 && cp <= 0xFFFB))
		return cp;
	return 0;
}

/*
 * Text reaching a terminal may carry bytes from input files (a key name in
 * an error, a value in a diff). Control characters are shown as \xNN (and
 * C1 controls, invisible and bidi characters as \uNNNN) so that a crafted
 * file cannot drive the admin's terminal (OSC titles, cursor moves) or make
 * one key look like another; only newlines, tabs, CR before LF and colour
 * sequences pass.
 */
static void write_text(int fd, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, sgr, seq;
	unsigned cp;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((sgr = sgr_length(text + i)) != 0) {
			sb_add(&sb, text + i, sgr);
			i += sgr - 1;
		} else if ((cp = invisible_at((const unsigned char *)text + i, len - i, &seq)) !=
		           0) {
			sb_addf(&sb, "\\u%04x", cp);
			i += seq - 1;
		} else if (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 &&
		           (unsigned char)text[i + 1] <= 0x9F) {
			sb_addf(&sb, "\\u%04x", (unsigned char)text[++i]);
		} else if ((c < 0x20 && c != '\n' && c != '\t' &&
		            !(c == '\r' && text[i + 1] == '\n')) ||
		           c == 0x7F) {
			sb_addf(&sb, "\\x%02x", c);
		} else {
			sb_addc(&sb, (char)c);
		}
	}
	platform_write(fd, sb_str(&sb), sb.len);
	sb_free(&sb);
}

void cli_out(const char *text)
{
	write_text(1, text, strlen(text));
}

static void write_vf(int fd, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	sb_vaddf(&sb, fmt, ap);
	write_text(fd, sb_str(&sb), sb.len);
	sb_free(&sb);
}

void cli_outf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_vf(1, fmt, ap);
	va_end(ap);
}

void cli_errf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_vf(2, fmt, ap);
	va_end(ap);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_usage(void)
{
	size_t i;

	cli_outf("schannelcfg %s - declarative, reversible SCHANNEL/TLS registry configuration\n\n",
	         SCHANNELCFG_VERSION);
	cli_out("Usage: schannelcfg COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		cli_outf("  %-10s %s\n", commands[i].name, commands[i].summary);
	cli_outf("\n%s\n%s\nRun 'schannelcfg help COMMAND' for details.\n", option_help,
	         exit_code_help);
}

static void print_command_help(const struct command *c)
{
	cli_outf("Usage: schannelcfg %s%s%s\n\n%s\n", c->name, *c->args ? " " : "", c->args,
	         c->summary);
	if (c->help)
		cli_outf("\n%s", c->help);
	if (c->flags & CMD_NEEDS_ADMIN)
		cli_out(
		    "\nOn the live registry this command must run elevated (as Administrator).\n");
	cli_outf("\n%s", exit_code_help);
}

static int cmd_help(struct cli *cli)
{
	const struct command *c;

	if (!cli->nargs) {
		print_usage();
		return EXIT_OK;
	}
	if (!strcmp(cli->args[0], "profiles")) {
		struct strbuf sb = STRBUF_INIT;

		schema_describe(&sb);
		cli_out(sb_str(&sb));
		sb_free(&sb);
		return EXIT_OK;
	}
	c = find_command(cli->args[0]);
	if (!c) {
		cli_errf("schannelcfg: unknown command '%s' (try 'schannelcfg help')\n",
		         cli->args[0]);
		return EXIT_USAGE;
	}
	print_command_help(c);
	return EXIT_OK;
}

static int cmd_version(struct cli *cli)
{
	(void)cli;
	cli_outf("schannelcfg %s\n", SCHANNELCFG_VERSION);
	return EXIT_OK;
}

static const struct {
	const char *name;
	unsigned bit;
	bool takes_value;
} option_table[] = {
    {"--state", OPT_STATE, true},
    {"--image", OPT_IMAGE, true},
    {"--format", OPT_FORMAT, true},
    {"--snapshot-dir", OPT_SNAPSHOT_DIR, true},
    {"--os", OPT_OS, true},
    {"--output", OPT_OUTPUT, true},
    {"--force", OPT_FORCE, false},
    {"--allow-any-key", OPT_ALLOW_ANY_KEY, false},
    {"--no-color", OPT_NO_COLOR, false},
    {"--timeout", OPT_TIMEOUT, true},
    {"--offer", OPT_OFFER, false},
    {"--live", OPT_LIVE, false},
};

static int set_report_format(struct cli *cli, const char *value)
{
	if (!strcmp(value, "html"))
		cli->format = FORMAT_HTML;
	else if (!strcmp(value, "csv"))
		cli->format = FORMAT_CSV;
	else if (!strcmp(value, "json"))
		cli->format = FORMAT_JSON;
	else
		return -1;
	return 0;
}

static int set_format(struct cli *cli, const struct command *c, const char *value)
{
	if (c->options & OPT_FORMAT_REPORT)
		return set_report_format(cli, value);
	if (!strcmp(value, "text"))
		cli->format = FORMAT_TEXT;
	else if (!strcmp(value, "json"))
		cli->format = FORMAT_JSON;
	else if (!strcmp(value, "reg") && (c->options & OPT_FORMAT_REG))
		cli->format = FORMAT_REG;
	else if (!strcmp(value, "pol") && (c->options & OPT_FORMAT_POL))
		cli->format = FORMAT_POL;
	else
		return -1;
	return 0;
}

static int set_option(struct cli *cli, const struct command *c, unsigned bit, const char *value)
{
	switch (bit) {
	case OPT_STATE: cli->state_file = value; break;
	case OPT_IMAGE: cli->image_dir = value; break;
	case OPT_SNAPSHOT_DIR: cli->snapshot_dir = value; break;
	case OPT_OS: cli->os_version = value; break;
	case OPT_OUTPUT: cli->output = value; break;
	case OPT_FORCE: cli->force = true; break;
	case OPT_ALLOW_ANY_KEY: cli->allow_any_key = true; break;
	case OPT_NO_COLOR: cli->color = false; break;
	case OPT_TIMEOUT: cli->timeout = value; break;
	case OPT_OFFER: cli->offer = true; break;
	case OPT_LIVE: cli->live = true; break;
	case OPT_FORMAT:
		if (set_format(cli, c, value)) {
			cli_errf("schannelcfg %s: --format must be %s%s%s, not '%s'\n", c->name,
			         (c->options & OPT_FORMAT_REPORT) ? "html, csv or json"
			                                          : "text or json",
			         (c->options & OPT_FORMAT_REG) ? " or reg" : "",
			         (c->options & OPT_FORMAT_POL) ? " or pol" : "", value);
			return EXIT_USAGE;
		}
		break;
	}
	return EXIT_OK;
}

/* Returns the option's table index, or -1. Accepts --opt=value too. */
static int match_option(const char *arg, const char **inline_value)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(option_table); i++) {
		size_t n = strlen(option_table[i].name);

		if (strncmp(arg, option_table[i].name, n))
			continue;
		if (arg[n] == '\0') {
			*inline_value = NULL;
			return (int)i;
		}
		if (arg[n] == '=' && option_table[i].takes_value) {
			*inline_value = arg + n + 1;
			return (int)i;
		}
	}
	return -1;
}

static int parse_options(struct cli *cli, const struct command *c, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *value = NULL;
		int o;

		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				cli->args[cli->nargs++] = argv[i];
			break;
		}
		if (argv[i][0] != '-' || !argv[i][1]) {
			cli->args[cli->nargs++] = argv[i];
			continue;
		}
		o = match_option(argv[i], &value);
		if (o < 0 ||
		    !(c->options & option_table[o].bit & ~(OPT_FORMAT_REG | OPT_FORMAT_POL))) {
			cli_errf(
			    "schannelcfg %s: unknown option '%s' (see 'schannelcfg help %s')\n",
			    c->name, argv[i], c->name);
			return EXIT_USAGE;
		}
		if (option_table[o].takes_value && !value) {
			if (i + 1 >= argc) {
				cli_errf("schannelcfg %s: %s needs a value\n", c->name, argv[i]);
				return EXIT_USAGE;
			}
			value = argv[++i];
		}
		if (set_option(cli, c, option_table[o].bit, value) != EXIT_OK)
			return EXIT_USAGE;
	}
	if (cli->nargs < c->min_args || cli->nargs > c->max_args) {
		cli_errf("schannelcfg %s: wrong number of arguments\nUsage: schannelcfg %s %s\n",
		         c->name, c->name, c->args);
		return EXIT_USAGE;
	}
	if (cli->state_file && cli->image_dir) {
		cli_errf("schannelcfg %s: --state and --image name two registries; give one\n",
		         c->name);
		return EXIT_USAGE;
	}
	if (cli->live && cli->image_dir) {
		cli_errf("schannelcfg %s: --live asks this machine's SChannel; an offline image "
		         "has none running: leave out --live or --image\n",
		         c->name);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The single place command flags are enforced (cmd_guard.h): elevation,
 * then the registry lock for the whole command. */
static int run_guarded(const struct command *c, struct cli *cli)
{
	struct sc_err err = {{0}};
	struct cmd_guard guard;
	struct cmd_target target = {cli->state_file, cli->image_dir};
	int rc = cmd_guard_enter(c->flags, c->name, &target, platform_is_elevated, &guard, &err);

	if (rc != EXIT_OK)
		cli_errf("%s\n", err.msg);
	else
		rc = c->run(cli);
	cmd_guard_leave(&guard);
	cli_close_image();
	return rc;
}

int sc_main(int argc, char **argv);

int sc_main(int argc, char **argv)
{
	struct cli cli = {0};
	const struct command *c;
	int rc;

	platform_init();
	if (argc < 2) {
		print_usage();
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(&cli);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage();
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		cli_errf("schannelcfg: unknown command '%s' (try 'schannelcfg help')\n", argv[1]);
		return EXIT_USAGE;
	}
	cli.command = c->name;
	/* Colour only on a terminal, and never when NO_COLOR is set
	 * (no-color.org): pipelines and logs get plain text. */
	cli.color = platform_color_ok(1) && !getenv("NO_COLOR");
	cli.args = xcalloc((size_t)argc, sizeof(*cli.args));
	rc = parse_options(&cli, c, argc - 2, argv + 2);
	if (rc == EXIT_OK)
		rc = run_guarded(c, &cli);
	free(cli.args);
	return rc;
}

#ifdef _WIN32
#include <windows.h>

/* -municode: the arguments arrive as UTF-16 and are converted once here. */
int wmain(int argc, wchar_t **wargv);

int wmain(int argc, wchar_t **wargv)
{
	char **argv = xcalloc((size_t)argc + 1, sizeof(*argv));
	int i, rc;

	for (i = 0; i < argc; i++) {
		argv[i] = utf16_to_utf8((const uint16_t *)wargv[i], wcslen(wargv[i]), NULL);
		if (!argv[i]) {
			fprintf(stderr, "schannelcfg: out of memory\n");
			return EXIT_USAGE;
		}
	}
	rc = sc_main(argc, argv);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}
#else
int main(int argc, char **argv)
{
	return sc_main(argc, argv);
}
#endif
