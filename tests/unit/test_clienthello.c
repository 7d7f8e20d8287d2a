/* Unit tests for clienthello.c and tls_names.c: ClientHellos captured on
 * the wire (tests/fixtures/clienthello/: Wine 8's SChannel through
 * tests/tls/tlsclient.exe, OpenSSL 3's s_client with and without
 * -tls1_2), the same hellos cut into records of every size from 1 byte
 * (record fragmentation), every truncated prefix, an SSL 2.0-compatible
 * CLIENT-HELLO built from RFC 5246 appendix E.2, and forged lengths. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "tls_names.h"

struct bytes {
	uint8_t *p;
	size_t n;
};

static struct bytes fixture(const char *name)
{
	char path[512];
	struct bytes b = {xmalloc(CLIENTHELLO_MAX), 0};
	FILE *f;

	snprintf(path, sizeof(path), "tests/fixtures/clienthello/%s", name);
	f = fopen(t_src(path), "rb");
	assert_non_null(f);
	b.n = fread(b.p, 1, CLIENTHELLO_MAX, f);
	fclose(f);
	assert_true(b.n > 5);
	return b;
}

static void parse_ok(const struct bytes *b, struct clienthello *ch)
{
	struct sc_err err = {{0}};
	enum ch_status rc = clienthello_parse(b->p, b->n, ch, &err);

	if (rc != CH_OK)
		fail_msg("parse: %d %s", rc, err.msg);
	assert_int_equal(ch->consumed, b->n);
}

static enum ch_status parse_rc(const uint8_t *p, size_t n)
{
	struct sc_err err = {{0}};
	struct clienthello ch;
	enum ch_status rc = clienthello_parse(p, n, &ch, &err);

	if (rc == CH_MALFORMED)
		assert_true(err.msg[0] != '\0'); /* a malformed hello always says why */
	clienthello_free(&ch);
	return rc;
}

static bool has(const struct ch_list *l, uint16_t code)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == code)
			return true;
	return false;
}

/* The handshake message of a one-record capture, cut into records of at
 * most `size` bytes (each with the first record's header). */
static struct bytes refragment(const struct bytes *one, size_t size)
{
	size_t body = one->n - 5, pos, k;
	struct bytes out = {xmalloc(body + 5 * (body / size + 1)), 0};

	for (pos = 0; pos < body; pos += k) {
		k = body - pos < size ? body - pos : size;
		memcpy(out.p + out.n, one->p, 3);
		out.p[out.n + 3] = (uint8_t)(k >> 8);
		out.p[out.n + 4] = (uint8_t)k;
		memcpy(out.p + out.n + 5, one->p + 5 + pos, k);
		out.n += 5 + k;
	}
	return out;
}

static void assert_lists_equal(const struct ch_list *a, const struct ch_list *b)
{
	assert_int_equal(a->n, b->n);
	if (a->n)
		assert_memory_equal(a->v, b->v, a->n * sizeof(*a->v));
}

static void test_wine_schannel(void **state)
{
	struct bytes b = fixture("wine8-schannel-default.bin");
	struct clienthello ch;
	uint16_t v[4];

	parse_ok(&b, &ch);
	assert_false(ch.sslv2);
	assert_int_equal(ch.record_version, 0x0303);
	assert_int_equal(ch.legacy_version, 0x0303);
	assert_false(ch.has_versions); /* a TLS 1.2 hello: versions are not listed */
	assert_int_equal(clienthello_versions(&ch, v, 4), 1);
	assert_int_equal(v[0], 0x0303);
	/* The cipher-suite vector's own length on the wire, 0x0032 bytes. */
	assert_int_equal(ch.suites.n,
	                 (size_t)((b.p[5 + 4 + 2 + 32 + 1] << 8 | b.p[5 + 4 + 2 + 32 + 2]) / 2));
	assert_string_equal(tls_suite_name(ch.suites.v[0]),
	                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_true(has(&ch.suites, 0xC02F));
	assert_true(ch.has_groups && has(&ch.groups, 0x001D) && has(&ch.groups, 0x0100));
	assert_true(ch.has_sigalgs && has(&ch.sigalgs, 0x0804));
	assert_int_equal(ch.records, 1);
	clienthello_free(&ch);
	free(b.p);
}

static void test_openssl_tls13(void **state)
{
	struct bytes b = fixture("openssl3-s_client.bin");
	struct clienthello ch;
	uint16_t v[8];
	size_t n;

	parse_ok(&b, &ch);
	assert_true(ch.has_versions);
	n = clienthello_versions(&ch, v, 8);
	assert_true(n >= 2);
	assert_int_equal(v[0], 0x0304);
	assert_string_equal(tls_version_name(v[0]), "TLS 1.3");
	assert_true(has(&ch.suites, 0x1301));
	assert_string_equal(tls_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
	assert_true(has(&ch.groups, 0x001D));
	assert_string_equal(tls_group_name(0x001D), "x25519");
	clienthello_free(&ch);
	free(b.p);
}

static void test_openssl_tls12_only(void **state)
{
	struct bytes b = fixture("openssl3-s_client-tls1_2.bin");
	struct clienthello ch;

	parse_ok(&b, &ch);
	assert_false(has(&ch.suites, 0x1301)); /* -tls1_2: no TLS 1.3 suite */
	assert_false(ch.has_versions && has(&ch.versions, 0x0304));
	clienthello_free(&ch);
	free(b.p);
}

/* Every fixture, cut into records of 1, 2, 3, 7, 64 and 1000 bytes, reads
 * the same as in one record; every prefix of every cut is incomplete. */
static void test_fragmentation_and_truncation(void **state)
{
	static const char *const names[] = {"wine8-schannel-default.bin", "openssl3-s_client.bin",
	                                    "openssl3-s_client-tls1_2.bin"};
	static const size_t sizes[] = {1, 2, 3, 7, 64, 1000};
	size_t f, s, cut;

	for (f = 0; f < ARRAY_SIZE(names); f++) {
		struct bytes one = fixture(names[f]);
		struct clienthello ref;

		parse_ok(&one, &ref);
		for (cut = 0; cut < one.n; cut++)
			assert_int_equal(parse_rc(one.p, cut), CH_INCOMPLETE);
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			struct bytes frag = refragment(&one, sizes[s]);
			struct clienthello ch;

			parse_ok(&frag, &ch);
			assert_int_equal(ch.records, (one.n - 5 + sizes[s] - 1) / sizes[s]);
			assert_int_equal(ch.legacy_version, ref.legacy_version);
			assert_lists_equal(&ch.suites, &ref.suites);
			assert_lists_equal(&ch.groups, &ref.groups);
			assert_lists_equal(&ch.sigalgs, &ref.sigalgs);
			assert_lists_equal(&ch.versions, &ref.versions);
			if (sizes[s] >= 7) /* 1-byte records: a quadratic number of prefixes */
				for (cut = 0; cut < frag.n; cut++)
					assert_int_equal(parse_rc(frag.p, cut), CH_INCOMPLETE);
			clienthello_free(&ch);
			free(frag.p);
		}
		clienthello_free(&ref);
		free(one.p);
	}
}

/* RFC 5246 E.2: 0x80|len, msg_type 1, version, cipher_spec_length,
 * session_id_length, challenge_length, specs (3 bytes), challenge. */
static size_t sslv2_hello(uint8_t *p, size_t challenge)
{
	static const uint8_t specs[] = {0x00, 0x00, 0x2f, 0x07, 0x00, 0xc0, 0x00, 0x00, 0x35,
	                                0x00, 0xc0, 0x14, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff};
	size_t len = 9 + sizeof(specs) + challenge;

	p[0] = (uint8_t)(0x80 | len >> 8);
	p[1] = (uint8_t)len;
	p[2] = 1;
	p[3] = 0x03, p[4] = 0x01;
	p[5] = 0, p[6] = sizeof(specs);
	p[7] = 0, p[8] = 0;
	p[9] = 0, p[10] = (uint8_t)challenge;
	memcpy(p + 11, specs, sizeof(specs));
	memset(p + 11 + sizeof(specs), 0x5a, challenge);
	return 2 + len;
}

static void test_sslv2_compatible(void **state)
{
	uint8_t p[128];
	struct bytes b = {p, sslv2_hello(p, 16)};
	struct clienthello ch;
	size_t cut;

	parse_ok(&b, &ch);
	assert_true(ch.sslv2);
	assert_int_equal(ch.legacy_version, 0x0301);
	assert_int_equal(ch.suites.n, 4); /* 002f 0035 c014 00ff */
	assert_int_equal(ch.sslv2_specs, 2);
	assert_int_equal(ch.suites.v[2], 0xC014);
	clienthello_free(&ch);
	for (cut = 0; cut < b.n; cut++)
		assert_int_equal(parse_rc(p, cut), CH_INCOMPLETE);
	/* A challenge of 15 bytes (RFC: 16..32) is malformed. */
	assert_int_equal(parse_rc(p, sslv2_hello(p, 15)), CH_MALFORMED);
	assert_int_equal(parse_rc(p, sslv2_hello(p, 33)), CH_MALFORMED);
	/* A CLIENT-HELLO whose lengths do not fill the record. */
	b.n = sslv2_hello(p, 16);
	p[1]++;
	assert_int_equal(parse_rc(p, b.n + 1), CH_MALFORMED);
}

/* A one-record ClientHello whose extensions are ext[0..n) (a synthetic
 * hello, for the forged cases). */
static size_t build(uint8_t *p, const uint8_t *ext, size_t n)
{
	static const uint8_t head[] = {0x03, 0x03};
	size_t body = 2 + 32 + 1 + 2 + 4 + 2 + 2 + n, o = 0;

	p[o++] = 22, p[o++] = 3, p[o++] = 1;
	p[o++] = (uint8_t)((body + 4) >> 8), p[o++] = (uint8_t)(body + 4);
	p[o++] = 1, p[o++] = 0, p[o++] = (uint8_t)(body >> 8), p[o++] = (uint8_t)body;
	memcpy(p + o, head, 2), o += 2;
	memset(p + o, 0x11, 32), o += 32;
	p[o++] = 0;             /* session id */
	p[o++] = 0, p[o++] = 4; /* suites: 2 */
	p[o++] = 0xc0, p[o++] = 0x2f, p[o++] = 0x13, p[o++] = 0x01;
	p[o++] = 1, p[o++] = 0;                          /* compression: null */
	p[o++] = (uint8_t)(n >> 8), p[o++] = (uint8_t)n; /* extensions */
	if (n)
		memcpy(p + o, ext, n);
	return o + n;
}

static void test_extensions_forged(void **state)
{
	uint8_t p[512];
	struct bytes b;
	struct clienthello ch;
	uint16_t v[4];
	/* supported_versions: GREASE, 1.3, 1.2 */
	static const uint8_t good[] = {0x00, 0x2b, 0x00, 0x07, 0x06, 0x3a,
	                               0x3a, 0x03, 0x04, 0x03, 0x03};
	static const uint8_t twice[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,
	                                0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17};
	static const uint8_t overrun[] = {0x00, 0x0d, 0x00, 0x09, 0x00, 0x02, 0x04, 0x01};
	static const uint8_t odd[] = {0x00, 0x0a, 0x00, 0x03, 0x00, 0x01, 0x1d};
	static const uint8_t inner_long[] = {0x00, 0x2b, 0x00, 0x03, 0x04, 0x03, 0x04};

	b = (struct bytes){p, build(p, good, sizeof(good))};
	parse_ok(&b, &ch);
	assert_int_equal(ch.versions.n, 3);
	assert_int_equal(clienthello_versions(&ch, v, 4), 2); /* GREASE left out */
	assert_int_equal(v[0], 0x0304);
	assert_int_equal(v[1], 0x0303);
	clienthello_free(&ch);
	assert_true(tls_is_grease(0x3a3a) && tls_is_grease(0xfafa));
	assert_false(tls_is_grease(0x3a4a) || tls_is_grease(0x0303));

	assert_int_equal(parse_rc(p, build(p, twice, sizeof(twice))), CH_MALFORMED);
	/* The block's length says 8, the record ends there, the extension
	 * claims 9. */
	assert_int_equal(parse_rc(p, build(p, overrun, sizeof(overrun))), CH_MALFORMED);
	assert_int_equal(parse_rc(p, build(p, odd, sizeof(odd))), CH_MALFORMED);
	assert_int_equal(parse_rc(p, build(p, inner_long, sizeof(inner_long))), CH_MALFORMED);
}

static void test_oversized_and_foreign(void **state)
{
	/* A handshake header claiming 16 MiB: refused from 9 bytes on, never
	 * waited for. */
	static const uint8_t huge[] = {22, 3, 1, 0x40, 0x00, 1, 0xff, 0xff, 0xff};
	/* A record of 16385 bytes (RFC 8446 5.1: at most 2^14). */
	static const uint8_t big_record[] = {22, 3, 1, 0x40, 0x01, 1, 0, 0, 1};
	/* A record of length 0. */
	static const uint8_t empty_record[] = {22, 3, 1, 0, 0};
	/* Application data, an alert, HTTP, a ServerHello. */
	static const uint8_t appdata[] = {23, 3, 3, 0, 1, 0};
	static const uint8_t http[] = "GET / HTTP/1.1\r\n";
	static const uint8_t server_hello[] = {22, 3, 3, 0, 4, 2, 0, 0, 0};
	uint8_t p[512];
	size_t n;

	assert_int_equal(parse_rc(huge, sizeof(huge)), CH_MALFORMED);
	assert_int_equal(parse_rc(huge, 8), CH_INCOMPLETE);
	assert_int_equal(parse_rc(big_record, sizeof(big_record)), CH_MALFORMED);
	assert_int_equal(parse_rc(empty_record, sizeof(empty_record)), CH_MALFORMED);
	assert_int_equal(parse_rc(appdata, sizeof(appdata)), CH_MALFORMED);
	assert_int_equal(parse_rc(http, sizeof(http) - 1), CH_MALFORMED);
	assert_int_equal(parse_rc(server_hello, sizeof(server_hello)), CH_MALFORMED);

	/* A cipher-suite list of odd length; a session id of 33 bytes. */
	n = build(p, NULL, 0);
	p[5 + 4 + 34 + 2] = 3;
	assert_int_equal(parse_rc(p, n), CH_MALFORMED);
	n = build(p, NULL, 0);
	p[5 + 4 + 34] = 33;
	assert_int_equal(parse_rc(p, n), CH_MALFORMED);
	/* A second record that is not a handshake record, mid-message. */
	n = build(p, NULL, 0);
	{
		struct bytes one = {p, n};
		struct bytes frag = refragment(&one, 10);

		frag.p[15] = 21; /* the second record's type: an alert */
		assert_int_equal(parse_rc(frag.p, frag.n), CH_MALFORMED);
		free(frag.p);
	}
}

static void test_names(void **state)
{
	uint16_t code = 0;
	char hex[TLS_HEX_SIZE];

	assert_true(tls_names_sorted());
	assert_string_equal(tls_suite_name(0xC030), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
	assert_true(tls_suite_code("TLS_RSA_WITH_AES_128_CBC_SHA", &code));
	assert_int_equal(code, 0x002F);
	assert_false(tls_suite_code("TLS_NO_SUCH_SUITE", &code));
	assert_null(tls_suite_name(0xEEEE));
	assert_string_equal(tls_name_or_hex(tls_suite_name(0xEEEE), 0xEEEE, hex), "0xEEEE");
	assert_string_equal(tls_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
	assert_string_equal(tls_group_name(0x11EC), "X25519MLKEM768");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wine_schannel),
	    cmocka_unit_test(test_openssl_tls13),
	    cmocka_unit_test(test_openssl_tls12_only),
	    cmocka_unit_test(test_fragmentation_and_truncation),
	    cmocka_unit_test(test_sslv2_compatible),
	    cmocka_unit_test(test_extensions_forged),
	    cmocka_unit_test(test_oversized_and_foreign),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
