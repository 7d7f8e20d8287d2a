/*
 * clienthello.c - the ClientHello parser (clienthello.h).
 *
 * Two stages: the record layer is undone first (records of one handshake
 * message are joined into a bounded buffer, RFC 8446 5.1 allows a
 * handshake message to span records), then the message is read through a
 * cursor whose every read is checked against what is left.
 */
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"

#define TLS_HANDSHAKE     22
#define HS_CLIENT_HELLO   1
#define EXT_GROUPS        10
#define EXT_SIGALGS       13
#define EXT_VERSIONS      43
#define EXT_RENEGOTIATION 0xff01
#define SSL2_CLIENT_HELLO 1

struct cursor {
	const uint8_t *p;
	size_t left;
	size_t off; /* offset in the message, for errors */
};

bool tls_is_grease(uint16_t code)
{
	return (code & 0x0f0f) == 0x0a0a && (code >> 8) == (code & 0xff);
}

static int bad(struct sc_err *err, const struct cursor *c, const char *what)
{
	sc_err_set(err, "ClientHello offset %zu: %s", c->off, what);
	return CH_MALFORMED;
}

static bool take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (c->left < n)
		return false;
	*out = c->p;
	c->p += n;
	c->left -= n;
	c->off += n;
	return true;
}

static bool rd_u16(struct cursor *c, uint16_t *v)
{
	const uint8_t *b;

	if (!take(c, 2, &b))
		return false;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

/* A vector with a 1- or 2-byte length prefix, as a cursor of its own. */
static bool rd_vec(struct cursor *c, unsigned lenbytes, struct cursor *sub)
{
	const uint8_t *b;
	size_t n;

	if (!take(c, lenbytes, &b))
		return false;
	n = lenbytes == 1 ? b[0] : (size_t)(b[0] << 8 | b[1]);
	sub->off = c->off;
	return take(c, n, &sub->p) && ((sub->left = n), true);
}

/* A list of 16-bit codes filling the whole cursor: even, at least min. */
static bool rd_codes(struct cursor *c, size_t min_bytes, struct ch_list *out)
{
	size_t i;

	if (c->left % 2 || c->left < min_bytes)
		return false;
	out->n = c->left / 2;
	out->v = xcalloc(out->n ? out->n : 1, sizeof(*out->v));
	for (i = 0; i < out->n; i++)
		rd_u16(c, &out->v[i]);
	return true;
}

/* The extension's data is exactly one vector of codes. */
static int ext_codes(struct cursor *data, unsigned lenbytes, size_t min_bytes, struct ch_list *out,
                     const char *name, struct sc_err *err)
{
	struct cursor v;

	if (!rd_vec(data, lenbytes, &v) || data->left || !rd_codes(&v, min_bytes, out))
		return bad(err, data, name);
	return CH_OK;
}

static int one_extension(struct clienthello *ch, uint16_t type, struct cursor *data,
                         struct sc_err *err)
{
	switch (type) {
	case EXT_VERSIONS:
		ch->has_versions = true;
		return ext_codes(data, 1, 2, &ch->versions,
		                 "supported_versions: expected an even list of 2..254 bytes", err);
	case EXT_GROUPS:
		ch->has_groups = true;
		return ext_codes(data, 2, 2, &ch->groups,
		                 "supported_groups: expected an even, non-empty list", err);
	case EXT_SIGALGS:
		ch->has_sigalgs = true;
		return ext_codes(data, 2, 2, &ch->sigalgs,
		                 "signature_algorithms: expected an even, non-empty list", err);
	case EXT_RENEGOTIATION: ch->has_renegotiation_info = true; return CH_OK;
	default: return CH_OK;
	}
}

static int extensions(struct clienthello *ch, struct cursor *c, struct sc_err *err)
{
	uint8_t seen[8192] = {0}; /* one bit per extension type */
	struct cursor all;

	if (!rd_vec(c, 2, &all) || c->left)
		return bad(err, c,
		           "the extensions' length is not what follows the compression "
		           "methods");
	while (all.left) {
		struct cursor data;
		uint16_t type;
		int rc;

		if (!rd_u16(&all, &type) || !rd_vec(&all, 2, &data))
			return bad(err, &all, "an extension overruns the extensions block");
		if (seen[type >> 3] & (1u << (type & 7))) {
			sc_err_set(err, "ClientHello offset %zu: extension %u appears twice",
			           all.off, type);
			return CH_MALFORMED;
		}
		seen[type >> 3] |= (uint8_t)(1u << (type & 7));
		ch->extensions++;
		rc = one_extension(ch, type, &data, err);
		if (rc != CH_OK)
			return rc;
	}
	return CH_OK;
}

/* The ClientHello body (after the 4-byte handshake header). */
static int body(struct clienthello *ch, struct cursor *c, struct sc_err *err)
{
	struct cursor sid, suites, comp;
	const uint8_t *random;

	if (!rd_u16(c, &ch->legacy_version) || !take(c, 32, &random))
		return bad(err, c, "shorter than a version and a random");
	if (!rd_vec(c, 1, &sid) || sid.left > 32)
		return bad(err, c, "session id: expected at most 32 bytes, within the message");
	if (!rd_vec(c, 2, &suites) || !rd_codes(&suites, 2, &ch->suites))
		return bad(err, c,
		           "cipher suites: expected an even, non-empty list within the "
		           "message");
	if (!rd_vec(c, 1, &comp) || !comp.left)
		return bad(err, c,
		           "compression methods: expected a non-empty list within the "
		           "message");
	if (!c->left)
		return CH_OK; /* no extensions at all (RFC 5246 7.4.1.2) */
	return extensions(ch, c, err);
}

/* RFC 5246 appendix E.2: msg_type, version, three lengths, then data. */
static int sslv2(const uint8_t *d, size_t len, struct clienthello *ch, struct sc_err *err)
{
	size_t rlen, specs, sid, chal, i;
	const uint8_t *m;

	if (len < 2)
		return CH_INCOMPLETE;
	rlen = (size_t)((d[0] & 0x7f) << 8 | d[1]);
	if (rlen < 9)
		return sc_err_set(err,
		                  "SSL 2.0 record: %zu bytes is too short for a "
		                  "CLIENT-HELLO",
		                  rlen),
		       CH_MALFORMED;
	if (len < 2 + rlen)
		return CH_INCOMPLETE;
	m = d + 2;
	specs = (size_t)(m[3] << 8 | m[4]);
	sid = (size_t)(m[5] << 8 | m[6]);
	chal = (size_t)(m[7] << 8 | m[8]);
	if (m[0] != SSL2_CLIENT_HELLO || !specs || specs % 3 || (sid != 0 && sid != 16) ||
	    chal < 16 || chal > 32 || 9 + specs + sid + chal != rlen)
		return sc_err_set(err, "SSL 2.0 CLIENT-HELLO: expected message type 1, cipher "
		                       "specs in threes, a session id of 0 or 16 bytes and a "
		                       "challenge of 16..32 bytes filling the record"),
		       CH_MALFORMED;
	ch->sslv2 = true;
	ch->legacy_version = (uint16_t)(m[1] << 8 | m[2]);
	ch->suites.v = xcalloc(specs / 3, sizeof(*ch->suites.v));
	for (i = 0; i < specs; i += 3) {
		if (m[9 + i])
			ch->sslv2_specs++;
		else
			ch->suites.v[ch->suites.n++] = (uint16_t)(m[10 + i] << 8 | m[11 + i]);
	}
	ch->records = 1;
	ch->consumed = 2 + rlen;
	return CH_OK;
}

/* The handshake header in msg[0..4): a ClientHello of at most
 * CLIENTHELLO_MAX bytes, checked as soon as its 4 bytes are in (a forged
 * length is refused before anything more is waited for). */
static int header(const uint8_t *msg, size_t *want, struct sc_err *err)
{
	size_t mlen = (size_t)msg[1] << 16 | (size_t)msg[2] << 8 | msg[3];

	if (msg[0] != HS_CLIENT_HELLO || mlen > CLIENTHELLO_MAX)
		return sc_err_set(err,
		                  "handshake message: expected a ClientHello (type 1) of at "
		                  "most %u bytes, got type %u of %zu bytes",
		                  CLIENTHELLO_MAX, msg[0], mlen),
		       CH_MALFORMED;
	*want = 4 + mlen;
	return CH_OK;
}

/* Joins the handshake records' payloads into msg until the message is
 * whole (*have bytes). A record's header is checked before its payload
 * is waited for, and the payload is read as far as it has arrived. */
static int join_records(const uint8_t *d, size_t len, uint8_t *msg, size_t *have,
                        struct clienthello *ch, struct sc_err *err)
{
	size_t pos = 0, want = 4;

	while (*have < want) {
		size_t rlen, n, avail;

		if (len - pos < 5)
			return CH_INCOMPLETE;
		rlen = (size_t)(d[pos + 3] << 8 | d[pos + 4]);
		if (d[pos] != TLS_HANDSHAKE || d[pos + 1] != 3 || !rlen || rlen > TLS_RECORD_MAX)
			return sc_err_set(err,
			                  "record %zu (offset %zu): expected a handshake record "
			                  "(type 22, version 3.x, 1..16384 bytes), got type %u, "
			                  "version %u.%u, %zu bytes",
			                  ch->records + 1, pos, d[pos], d[pos + 1], d[pos + 2],
			                  rlen),
			       CH_MALFORMED;
		if (!ch->records)
			ch->record_version = (uint16_t)(d[pos + 1] << 8 | d[pos + 2]);
		ch->records++;
		avail = len - pos - 5 < rlen ? len - pos - 5 : rlen;
		for (n = 0; n < avail && *have < want; n++) {
			msg[(*have)++] = d[pos + 5 + n];
			if (*have == 4 && header(msg, &want, err) != CH_OK)
				return CH_MALFORMED;
		}
		if (avail < rlen)
			return CH_INCOMPLETE;
		pos += 5 + rlen;
	}
	ch->consumed = pos;
	return CH_OK;
}

enum ch_status clienthello_parse(const uint8_t *data, size_t len, struct clienthello *out,
                                 struct sc_err *err)
{
	struct clienthello ch = {0};
	struct cursor c;
	uint8_t *msg;
	size_t have = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!len)
		return CH_INCOMPLETE;
	if (data[0] & 0x80)
		rc = sslv2(data, len, &ch, err);
	else {
		msg = xmalloc(4 + CLIENTHELLO_MAX);
		rc = join_records(data, len, msg, &have, &ch, err);
		if (rc == CH_OK) {
			c = (struct cursor){msg + 4, have - 4, 0};
			rc = body(&ch, &c, err);
		}
		free(msg);
	}
	if (rc == CH_OK)
		*out = ch;
	else
		clienthello_free(&ch);
	return (enum ch_status)rc;
}

void clienthello_free(struct clienthello *ch)
{
	free(ch->suites.v);
	free(ch->versions.v);
	free(ch->groups.v);
	free(ch->sigalgs.v);
	memset(ch, 0, sizeof(*ch));
}

size_t clienthello_versions(const struct clienthello *ch, uint16_t *out, size_t max)
{
	size_t i, n = 0;

	if (!ch->has_versions) {
		if (max)
			out[n++] = ch->legacy_version;
		return n;
	}
	for (i = 0; i < ch->versions.n && n < max; i++)
		if (!tls_is_grease(ch->versions.v[i]))
			out[n++] = ch->versions.v[i];
	return n;
}
