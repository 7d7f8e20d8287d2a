/*
 * probe_util.c - the portable half of the probe (probe.h, probe_util.h):
 * protocol names, HOST[:PORT] parsing, the ServerHello the offer listener
 * answers with, and what Windows releases offer by default.
 */
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probe_util.h"

static const struct {
	const char *name;
	uint16_t code;
} protos[PP_COUNT] = {
    {"SSL 3.0", 0x0300}, {"TLS 1.0", 0x0301}, {"TLS 1.1", 0x0302},
    {"TLS 1.2", 0x0303}, {"TLS 1.3", 0x0304},
};

const char *probe_proto_name(enum probe_proto p)
{
	return p < PP_COUNT ? protos[p].name : "?";
}

uint16_t probe_proto_code(enum probe_proto p)
{
	return p < PP_COUNT ? protos[p].code : 0;
}

bool probe_proto_of_code(uint16_t code, enum probe_proto *p)
{
	int i;

	for (i = 0; i < PP_COUNT; i++)
		if (protos[i].code == code) {
			*p = (enum probe_proto)i;
			return true;
		}
	return false;
}

void probe_report_free(struct probe_report *r)
{
	int i;

	for (i = 0; i < PP_COUNT; i++)
		free(r->protos[i].suites);
	memset(r, 0, sizeof(*r));
}

void offer_report_free(struct offer_report *r)
{
	clienthello_free(&r->ch);
	memset(r, 0, sizeof(*r));
}

static bool host_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == ':';
}

int probe_parse_target(const char *arg, char *host, size_t host_size, unsigned *port,
                       struct sc_err *err)
{
	const char *colon, *end;
	size_t n, i;
	uint64_t v = 443;

	if (arg[0] == '[') { /* [IPv6]:port */
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':'))
			return sc_err_set(
			    err, "'%s': expected [IPv6-ADDRESS] or [IPv6-ADDRESS]:PORT", arg);
		colon = end[1] ? end + 1 : NULL;
		arg++;
	} else {
		colon = strrchr(arg, ':');
		if (colon && strchr(arg, ':') != colon)
			return sc_err_set(
			    err, "'%s': an IPv6 address needs brackets: [ADDRESS]:PORT", arg);
		end = colon ? colon : arg + strlen(arg);
	}
	n = (size_t)(end - arg);
	if (!n || n >= host_size)
		return sc_err_set(err,
		                  "'%s': expected HOST[:PORT] with a host name of 1..%zu "
		                  "characters",
		                  arg, host_size - 1);
	for (i = 0; i < n; i++)
		if (!host_char_ok(arg[i]))
			return sc_err_set(err,
			                  "'%.*s': a host name has letters, digits, '-', '.' "
			                  "and '_' only",
			                  (int)n, arg);
	if (colon && (!parse_u64(colon + 1, 65535, &v) || v == 0 || colon[1] == '0'))
		return sc_err_set(err, "'%s': the port must be a number from 1 to 65535",
		                  colon + 1);
	memcpy(host, arg, n);
	host[n] = '\0';
	*port = (unsigned)v;
	return SC_OK;
}

/* Suites the ServerHello may pick for a version below TLS 1.2 (none is
 * TLS 1.2-only), RSA key exchange first: it needs no extension, so the
 * client's only reason to stop is the version. */
static const uint16_t legacy_suites[] = {0x002F, 0x0035, 0x000A, 0x0005, 0x0004, 0xC013,
                                         0xC014, 0xC009, 0xC00A, 0x0033, 0x0039, 0x0016};

static bool offers(const struct clienthello *ch, uint16_t suite)
{
	size_t i;

	for (i = 0; i < ch->suites.n; i++)
		if (ch->suites.v[i] == suite)
			return true;
	return false;
}

static bool pick_suite(const struct clienthello *ch, uint16_t version, uint16_t *suite)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(legacy_suites); i++)
		if (offers(ch, legacy_suites[i])) {
			*suite = legacy_suites[i];
			return true;
		}
	if (version < 0x0303)
		return false;
	for (i = 0; i < ch->suites.n; i++) /* TLS 1.2: any suite that is not 1.3's or a SCSV */
		if ((ch->suites.v[i] >> 8) != 0x13 && ch->suites.v[i] != 0x00FF &&
		    ch->suites.v[i] != 0x5600 && !tls_is_grease(ch->suites.v[i])) {
			*suite = ch->suites.v[i];
			return true;
		}
	return false;
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t probe_server_hello(const struct clienthello *ch, uint16_t version, uint8_t *out, size_t cap)
{
	/* renegotiation_info, empty (RFC 5746 3.6), when the client signalled it */
	static const uint8_t reneg[] = {0xff, 0x01, 0x00, 0x01, 0x00};
	bool ext = version > 0x0300 && (offers(ch, 0x00FF) || ch->has_renegotiation_info);
	size_t body = 2 + 32 + 1 + 2 + 1 + (ext ? 2 + sizeof(reneg) : 0), o = 0, i;
	uint16_t suite;

	if (cap < 9 + body || !pick_suite(ch, version, &suite))
		return 0;
	out[o++] = 22;
	put16(out + o, version), o += 2;
	put16(out + o, 4 + body), o += 2;
	out[o++] = 2, out[o++] = 0;
	put16(out + o, body), o += 2;
	put16(out + o, version), o += 2;
	/* A fixed random that is not RFC 8446's downgrade sentinel. */
	for (i = 0; i < 32; i++)
		out[o++] = (uint8_t)(0x53 + i);
	out[o++] = 0; /* no session id */
	put16(out + o, suite), o += 2;
	out[o++] = 0; /* null compression */
	if (ext) {
		put16(out + o, sizeof(reneg)), o += 2;
		memcpy(out + o, reneg, sizeof(reneg)), o += sizeof(reneg);
	}
	return o;
}

/*
 * Which client protocols a release offers when an application asks for
 * the system's defaults, from Microsoft's "Protocols in TLS/SSL (Schannel
 * SSP)" page (learn.microsoft.com, Win32 secauthn): Windows 7 / 2008 R2:
 * SSL 3.0 and TLS 1.0 on, TLS 1.1 and 1.2 off; Windows 8 / 2012 on: SSL 3.0
 * to TLS 1.2 on; Windows 10 1607 / Server 2016 on: SSL 3.0 off; TLS 1.3 on
 * from build 20348 (Server 2022; Windows 11 is 22000).
 */
bool probe_default_on(enum probe_proto p, uint32_t major, uint32_t minor, uint32_t build)
{
	bool win8 = major > 6 || (major == 6 && minor >= 2);

	switch (p) {
	case PP_SSL3: return major < 10 || build < 14393;
	case PP_TLS10: return true;
	case PP_TLS11:
	case PP_TLS12: return win8;
	case PP_TLS13: return major >= 10 && build >= 20348;
	default: return false;
	}
}

bool probe_configured_on(enum probe_proto p, const struct proto_values *v, uint32_t major,
                         uint32_t minor, uint32_t build)
{
	bool exists = p != PP_TLS13 || (major >= 10 && build >= 20348);
	bool enabled = !v->has_enabled || v->enabled != 0;
	bool off_by_default = v->has_disabled_by_default
	                          ? v->disabled_by_default != 0
	                          : !probe_default_on(p, major, minor, build);

	return exists && enabled && !off_by_default;
}
