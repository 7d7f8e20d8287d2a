/*
 * cmd_probe.c - `probe HOST[:PORT]`, `probe --offer` and what `check
 * --live` adds (cmd_probe.h): the handshakes (probe.h) rendered as text or
 * JSON (docs/json.md "probe").
 *
 * MUST: probe never writes the registry; it only reads it (--offer's
 * "configured"). MUST: a bad HOST[:PORT] or --timeout exits 2 before any
 * socket is opened; not one connection made exits EXIT_NETWORK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cmd_probe.h"
#include "commands.h"
#include "json.h"
#include "probe.h"
#include "probe_config.h"
#include "probe_util.h"
#include "render.h"
#include "tls_names.h"
#include "version.h"

#define DEFAULT_TIMEOUT_MS 5000
#define MAX_TIMEOUT_MS     600000

static int timeout_of(const struct cli *cli, unsigned *ms)
{
	uint64_t v = DEFAULT_TIMEOUT_MS;

	if (cli->timeout && (!parse_u64(cli->timeout, MAX_TIMEOUT_MS, &v) || v < 100)) {
		cli_errf(
		    "schannelcfg %s: --timeout expects milliseconds from 100 to %u, not '%s'\n",
		    cli->command, MAX_TIMEOUT_MS, cli->timeout);
		return EXIT_USAGE;
	}
	*ms = (unsigned)v;
	return EXIT_OK;
}

static int exit_of(int rc, const struct cli *cli, const struct sc_err *err)
{
	if (rc == SC_OK)
		return EXIT_OK;
	cli_errf("schannelcfg %s: %s\n", cli->command, err->msg);
	return rc == PROBE_NETWORK ? EXIT_NETWORK : EXIT_USAGE;
}

/* ---- probe HOST ---- */

static const char *refused_by(const struct probe_proto_result *p)
{
	return p->accepted ? NULL : p->client_refused ? "client" : "server";
}

static void status_text(const struct probe_proto_result *p, struct strbuf *sb)
{
	if (p->status)
		sb_addf(sb, "%s%s0x%08X", p->status_name, p->status_name[0] ? " " : "",
		        (unsigned)p->status);
	if (p->error[0])
		sb_addf(sb, "%s%s", p->status ? ": " : "", p->error);
}

static void proto_text(const struct probe_proto_result *p, const char *name, struct strbuf *sb)
{
	size_t i;

	if (!p->accepted) {
		sb_addf(sb, "  %-8s refused by the %s: ", name, refused_by(p));
		status_text(p, sb);
		sb_addc(sb, '\n');
		return;
	}
	sb_addf(sb, "  %-8s accepted  %s\n", name, p->cipher_suite[0] ? p->cipher_suite : "?");
	sb_addf(sb, "           key exchange %s", p->key_exchange[0] ? p->key_exchange : "?");
	if (p->key_exchange_bits) /* Wine reports 0: say nothing rather than "0 bits" */
		sb_addf(sb, " (%u bits)", p->key_exchange_bits);
	sb_addf(sb, ", cipher %s %u bits, hash %s; %s\n", p->cipher[0] ? p->cipher : "?",
	        p->cipher_bits, p->hash[0] ? p->hash : "?", p->api);
	if (p->cert_subject[0] || p->cert_expiry[0])
		sb_addf(sb, "           certificate %s, expires %s, signed %s\n", p->cert_subject,
		        p->cert_expiry, p->cert_signature);
	if (p->enumerated) {
		sb_addf(sb, "           suites the server accepts (%s):\n", p->enum_method);
		for (i = 0; i < p->nsuites; i++)
			sb_addf(sb, "             %s\n", p->suites[i]);
	}
	if (p->enum_note[0])
		sb_addf(sb, "           suite enumeration: %s\n", p->enum_note);
}

static void host_text(const char *target, const struct probe_report *r, struct strbuf *sb)
{
	int i, n = 0;

	sb_addf(sb, "schannelcfg probe %s (%s; this machine's SChannel%s%s)\n\n", target,
	        r->address, r->runtime[0] ? ", " : "", r->runtime);
	for (i = 0; i < PP_COUNT; i++) {
		proto_text(&r->protos[i], probe_proto_name((enum probe_proto)i), sb);
		n += r->protos[i].accepted;
	}
	sb_addf(sb, "\n%d of %d protocols accepted.\n", n, PP_COUNT);
}

/* What every document starts with (docs/json.md). */
static void json_head(struct json *j, const char *kind)
{
	json_key_u64(j, "schema", JSON_SCHEMA_VERSION);
	json_key_str(j, "kind", kind);
	json_key_str(j, "tool_version", SCHANNELCFG_VERSION);
}

static void key_str_or_null(struct json *j, const char *key, const char *s)
{
	json_key_str(j, key, s && s[0] ? s : NULL);
}

static void proto_json(struct json *j, const struct probe_proto_result *p, const char *name)
{
	char hex[16];
	size_t i;

	json_obj_begin(j);
	json_key_str(j, "protocol", name);
	json_key_bool(j, "accepted", p->accepted);
	json_key_str(j, "refused_by", refused_by(p));
	snprintf(hex, sizeof(hex), "0x%08X", (unsigned)p->status);
	json_key_str(j, "status", p->status ? hex : NULL);
	key_str_or_null(j, "status_name", p->status_name);
	key_str_or_null(j, "error", p->error);
	key_str_or_null(j, "api", p->api);
	key_str_or_null(j, "negotiated", p->negotiated);
	key_str_or_null(j, "cipher_suite", p->cipher_suite);
	key_str_or_null(j, "cipher", p->cipher);
	json_key_u64(j, "cipher_bits", p->cipher_bits);
	key_str_or_null(j, "hash", p->hash);
	key_str_or_null(j, "key_exchange", p->key_exchange);
	json_key_u64(j, "key_exchange_bits", p->key_exchange_bits);
	json_key(j, "certificate");
	if (p->accepted && (p->cert_subject[0] || p->cert_expiry[0])) {
		json_obj_begin(j);
		json_key_str(j, "subject", p->cert_subject);
		json_key_str(j, "expires", p->cert_expiry);
		json_key_str(j, "signature", p->cert_signature);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "suites");
	json_obj_begin(j);
	json_key_bool(j, "enumerated", p->enumerated);
	key_str_or_null(j, "method", p->enum_method);
	json_key(j, "accepted");
	json_arr_begin(j);
	for (i = 0; i < p->nsuites; i++)
		json_str(j, p->suites[i]);
	json_arr_end(j);
	key_str_or_null(j, "note", p->enum_note);
	json_obj_end(j);
	json_obj_end(j);
}

static void host_json(const char *target, const char *host, unsigned port,
                      const struct probe_report *r, struct strbuf *sb)
{
	struct json j;
	int i;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_head(&j, "probe");
	json_key_str(&j, "target", target);
	json_key_str(&j, "host", host);
	json_key_u64(&j, "port", port);
	json_key_str(&j, "address", r->address);
	key_str_or_null(&j, "runtime", r->runtime);
	json_key(&j, "protocols");
	json_arr_begin(&j);
	for (i = 0; i < PP_COUNT; i++)
		proto_json(&j, &r->protos[i], probe_proto_name((enum probe_proto)i));
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int run_host(struct cli *cli, unsigned ms)
{
	struct sc_err err = {{0}};
	struct probe_report r;
	struct strbuf sb = STRBUF_INIT;
	char host[256], *target;
	unsigned port = 0;
	int rc;

	if (probe_parse_target(cli->args[0], host, sizeof(host), &port, &err) != SC_OK) {
		cli_errf("schannelcfg probe: %s\n", err.msg);
		return EXIT_USAGE;
	}
	rc = probe_host(host, port, ms, &r, &err);
	if (rc != SC_OK)
		return exit_of(rc, cli, &err);
	target =
	    strchr(host, ':') ? xasprintf("[%s]:%u", host, port) : xasprintf("%s:%u", host, port);
	if (cli->format == FORMAT_JSON)
		host_json(target, host, port, &r, &sb);
	else
		host_text(target, &r, &sb);
	cli_out(sb_str(&sb));
	sb_free(&sb);
	free(target);
	probe_report_free(&r);
	return EXIT_OK;
}

/* ---- probe --offer ---- */

struct live {
	struct offer_report offer;
	struct probe_configured conf;
	bool offered[PP_COUNT];
	char **suites; /* offered suite names (IANA, or 0xXXXX) */
	size_t nsuites;
	char **groups; /* offered group names */
	size_t ngroups;
	struct probe_difference *diffs;
	size_t ndiffs;
	struct compile_options os;
};

static void live_free(struct live *l)
{
	offer_report_free(&l->offer);
	probe_configured_free(&l->conf);
	strlist_free(l->suites, l->nsuites);
	strlist_free(l->groups, l->ngroups);
	free(l->diffs);
}

static char **names_of(const struct ch_list *list, const char *(*name)(uint16_t), size_t *n)
{
	char **out = xcalloc(list->n ? list->n : 1, sizeof(*out));
	char hex[TLS_HEX_SIZE];
	size_t i;

	*n = 0;
	for (i = 0; i < list->n; i++)
		if (!tls_is_grease(list->v[i]))
			out[(*n)++] = xstrdup(tls_name_or_hex(name(list->v[i]), list->v[i], hex));
	return out;
}

/* Runs the offer probe and reads the registry. EXIT_OK fills *l. */
static int live_collect(struct cli *cli, unsigned ms, struct live *l)
{
	struct sc_err err = {{0}};
	struct reg_backend *b = NULL;
	int rc, i;

	memset(l, 0, sizeof(*l));
	rc = probe_offer(ms, &l->offer, &err);
	if (rc != SC_OK)
		return exit_of(rc, cli, &err);
	rc = cli_os_version(cli, &l->os);
	if (rc == EXIT_OK)
		rc = cli_open_registry(cli, &b);
	if (rc != EXIT_OK) {
		live_free(l);
		return rc;
	}
	if (probe_configured_read(b, l->os.major, l->os.minor, l->os.build, &l->conf, &err) !=
	    SC_OK) {
		cli_errf("schannelcfg %s: cannot read the registry: %s\n", cli->command, err.msg);
		reg_backend_free(b);
		live_free(l);
		return EXIT_READ_FAILED;
	}
	reg_backend_free(b);
	for (i = 0; i < PP_COUNT; i++)
		l->offered[i] = l->offer.versions[i].offered;
	l->suites = names_of(&l->offer.ch.suites, tls_suite_name, &l->nsuites);
	l->groups = names_of(&l->offer.ch.groups, tls_group_name, &l->ngroups);
	l->ndiffs = probe_compare(l->offered, l->suites, l->nsuites, &l->conf, &l->diffs);
	l->ndiffs = probe_compare_groups(l->groups, l->ngroups, &l->conf, &l->diffs, l->ndiffs);
	return EXIT_OK;
}

static void list_text(struct strbuf *sb, const char *label, char *const *items, size_t n)
{
	size_t i;

	sb_addf(sb, "  %s (%zu):", label, n);
	for (i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i % 3 ? ", " : "\n    ", items[i]);
	sb_addc(sb, '\n');
}

static void versions_text(struct strbuf *sb, const bool on[PP_COUNT])
{
	int i, n = 0;

	for (i = 0; i < PP_COUNT; i++)
		if (on[i])
			sb_addf(sb, "%s%s", n++ ? ", " : "", probe_proto_name((enum probe_proto)i));
	if (!n)
		sb_adds(sb, "none");
}

static void live_text(const struct live *l, struct strbuf *sb)
{
	char **sigalgs;
	size_t ns, i;
	int k;

	sigalgs = names_of(&l->offer.ch.sigalgs, tls_sigalg_name, &ns);
	sb_addf(sb,
	        "What this machine's SChannel offers now (a ClientHello read on 127.0.0.1; "
	        "%s%s%s):\n  versions: ",
	        l->offer.api, l->offer.runtime[0] ? ", " : "", l->offer.runtime);
	versions_text(sb, l->offered);
	sb_adds(sb, "\n");
	for (k = 0; k < PP_COUNT; k++)
		if (l->offer.versions[k].note[0])
			sb_addf(sb, "    %s: %s\n", probe_proto_name((enum probe_proto)k),
			        l->offer.versions[k].note);
	list_text(sb, "cipher suites", l->suites, l->nsuites);
	list_text(sb, "groups", l->groups, l->ngroups);
	list_text(sb, "signature algorithms", sigalgs, ns);
	sb_adds(sb, "What the registry says (Protocols\\<P>\\Client, else the release's "
	            "defaults):\n  versions: ");
	versions_text(sb, l->conf.on);
	sb_addf(sb, "\n  cipher suites: %s%s\n", l->conf.suites_source,
	        l->conf.suites ? " list" : " (not compared)");
	sb_addf(sb, "  groups: %s\n",
	        l->conf.groups ? "the policy's EccCurves list" : "release default (not compared)");
	if (l->offer.runtime[0])
		sb_addf(sb,
		        "  (%s: its SChannel's defaults are its own, not those of the Windows "
		        "release it reports, %u.%u.%u)\n",
		        l->offer.runtime, l->os.major, l->os.minor, l->os.build);
	if (!l->ndiffs)
		sb_adds(sb, "Live: what is offered is what the registry says.\n");
	else
		sb_addf(sb,
		        "Pending a reboot: %zu difference(s) (SChannel reads its settings when "
		        "the process or LSASS starts; or this SChannel does not honour them):\n",
		        l->ndiffs);
	for (i = 0; i < l->ndiffs; i++)
		sb_addf(sb, "  %s %s: offered %s, the registry says %s\n", l->diffs[i].what,
		        l->diffs[i].name, l->diffs[i].offered ? "yes" : "no",
		        l->diffs[i].configured ? "yes" : "no");
	strlist_free(sigalgs, ns);
}

static void versions_json(struct json *j, const char *key, const bool on[PP_COUNT])
{
	int i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < PP_COUNT; i++)
		if (on[i])
			json_str(j, probe_proto_name((enum probe_proto)i));
	json_arr_end(j);
}

static void offered_json(struct json *j, const struct live *l)
{
	char **sigalgs, hex[16];
	size_t ns;
	int i;

	sigalgs = names_of(&l->offer.ch.sigalgs, tls_sigalg_name, &ns);
	json_key(j, "offered");
	json_obj_begin(j);
	versions_json(j, "versions", l->offered);
	json_key_strings(j, "cipher_suites", l->suites, l->nsuites);
	json_key_strings(j, "groups", l->groups, l->ngroups);
	json_key_strings(j, "signature_algorithms", sigalgs, ns);
	json_key_str(j, "legacy_version",
	             tls_name_or_hex(tls_version_name(l->offer.ch.legacy_version),
	                             l->offer.ch.legacy_version, hex));
	json_key_bool(j, "supported_versions_extension", l->offer.ch.has_versions);
	json_key_str(j, "api", l->offer.api);
	json_key(j, "version_tests");
	json_arr_begin(j);
	for (i = 0; i < PP_COUNT; i++) {
		const struct offer_version *v = &l->offer.versions[i];

		json_obj_begin(j);
		json_key_str(j, "version", probe_proto_name((enum probe_proto)i));
		json_key_bool(j, "offered", v->offered);
		json_key_bool(j, "server_hello_sent", v->tested);
		snprintf(hex, sizeof(hex), "0x%08X", (unsigned)v->status);
		json_key_str(j, "status", v->status ? hex : NULL);
		json_key_str(j, "how", v->note);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	strlist_free(sigalgs, ns);
}

/* A list the registry may not have: null then, not []. */
static void strings_or_null(struct json *j, const char *key, char *const *items, size_t n)
{
	if (items) {
		json_key_strings(j, key, items, n);
		return;
	}
	json_key(j, key);
	json_null(j);
}

static void live_json(struct json *j, const struct live *l)
{
	size_t i;

	offered_json(j, l);
	json_key(j, "configured");
	json_obj_begin(j);
	versions_json(j, "versions", l->conf.on);
	strings_or_null(j, "cipher_suites", l->conf.suites, l->conf.nsuites);
	json_key_str(j, "cipher_suites_source", l->conf.suites_source);
	strings_or_null(j, "groups", l->conf.groups, l->conf.ngroups);
	json_obj_end(j);
	json_key(j, "differences");
	json_arr_begin(j);
	for (i = 0; i < l->ndiffs; i++) {
		json_obj_begin(j);
		json_key_str(j, "what", l->diffs[i].what);
		json_key_str(j, "name", l->diffs[i].name);
		json_key_bool(j, "offered", l->diffs[i].offered);
		json_key_bool(j, "configured", l->diffs[i].configured);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key_bool(j, "pending_reboot", l->ndiffs > 0);
	key_str_or_null(j, "runtime", l->offer.runtime);
}

static int run_offer(struct cli *cli, unsigned ms)
{
	struct strbuf sb = STRBUF_INIT;
	struct live l;
	int rc = live_collect(cli, ms, &l);

	if (rc != EXIT_OK)
		return rc;
	if (cli->format == FORMAT_JSON) {
		struct json j;

		json_init(&j, &sb);
		json_obj_begin(&j);
		json_head(&j, "probe-offer");
		live_json(&j, &l);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		live_text(&l, &sb);
	}
	cli_out(sb_str(&sb));
	sb_free(&sb);
	live_free(&l);
	return EXIT_OK;
}

int cmd_probe(struct cli *cli)
{
	unsigned ms;

	if (timeout_of(cli, &ms) != EXIT_OK)
		return EXIT_USAGE;
	if (cli->offer && cli->nargs) {
		cli_errf("schannelcfg probe: --offer probes this machine, not '%s': give one or "
		         "the other\n",
		         cli->args[0]);
		return EXIT_USAGE;
	}
	if (cli->offer)
		return run_offer(cli, ms);
	if (cli->nargs != 1) {
		cli_errf("schannelcfg probe: expected HOST[:PORT] (one host a run) or --offer\n");
		return EXIT_USAGE;
	}
	return run_host(cli, ms);
}

int probe_check_live(struct cli *cli, struct strbuf *sb, int rc)
{
	unsigned ms;
	struct live l;
	int lrc;

	if (timeout_of(cli, &ms) != EXIT_OK)
		return EXIT_USAGE;
	lrc = live_collect(cli, ms, &l);
	if (lrc != EXIT_OK)
		return lrc;
	if (cli->format == FORMAT_JSON) {
		/* {"check": <the check document>, "live": {...}} */
		struct strbuf doc = STRBUF_INIT;
		struct json j;

		struct strbuf head = STRBUF_INIT;

		while (sb->len && (sb->buf[sb->len - 1] == '\n'))
			sb->buf[--sb->len] = '\0';
		json_init(&j, &head);
		json_obj_begin(&j);
		json_head(&j, "check-live");
		/* head is "{\n  ...fields": the check document and the live one
		 * follow as two more keys. */
		sb_addf(&doc, "%s,\n  \"check\": %s,\n  \"live\": ", sb_str(&head), sb_str(sb));
		sb_free(&head);
		json_init(&j, &doc);
		json_obj_begin(&j);
		json_head(&j, "probe-offer");
		live_json(&j, &l);
		json_obj_end(&j);
		sb_adds(&doc, "\n}\n");
		sb_reset(sb);
		sb_add(sb, doc.buf, doc.len);
		sb_free(&doc);
	} else {
		sb_adds(sb, "\n");
		live_text(&l, sb);
	}
	if (l.ndiffs && rc == EXIT_OK)
		rc = EXIT_DRIFT;
	live_free(&l);
	return rc;
}
