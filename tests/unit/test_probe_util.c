/* Unit tests for the portable half of `probe` (probe_util.c,
 * probe_config.c): HOST[:PORT] parsing, the ServerHello the offer
 * listener answers with (read back through the record layer by hand), the
 * release defaults of Microsoft's "Protocols in TLS/SSL" table, what the
 * registry configures (mem registries), and the offered/configured
 * comparison. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "probe.h"
#include "probe_config.h"
#include "probe_util.h"

#define PROTOS                                                                                     \
	"HKEY_LOCAL_"                                                                              \
	"MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"

static int target(const char *arg, char *host, unsigned *port)
{
	struct sc_err err = {{0}};
	int rc = probe_parse_target(arg, host, 256, port, &err);

	if (rc != SC_OK)
		assert_true(strstr(err.msg, "expected") || strstr(err.msg, "must") ||
		            strstr(err.msg, "only") || strstr(err.msg, "needs"));
	return rc;
}

static void test_targets(void **state)
{
	static const char *const bad[] = {"",    ":443", "h:",   "h:0",    "h:65536", "h:01", "h:x",
	                                  "a b", "::1",  "[::1", "[::1]x", "h/x",     "h;rm"};
	char host[256];
	unsigned port = 0;
	size_t i;

	assert_int_equal(target("example.org", host, &port), SC_OK);
	assert_string_equal(host, "example.org");
	assert_int_equal(port, 443);
	assert_int_equal(target("127.0.0.1:8443", host, &port), SC_OK);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8443);
	assert_int_equal(target("[::1]:65535", host, &port), SC_OK);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 65535);
	assert_int_equal(target("[::1]", host, &port), SC_OK);
	assert_int_equal(port, 443);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (target(bad[i], host, &port) != SC_ERROR)
			fail_msg("'%s' should be refused", bad[i]);
}

static struct clienthello wine_hello(void)
{
	static uint8_t buf[4096];
	struct sc_err err = {{0}};
	struct clienthello ch;
	FILE *f = fopen(t_src("tests/fixtures/clienthello/wine8-schannel-default.bin"), "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(clienthello_parse(buf, n, &ch, &err), CH_OK);
	return ch;
}

/* The ServerHello, read back field by field (RFC 5246 7.4.1.3). */
static void test_server_hello(void **state)
{
	struct clienthello ch = wine_hello();
	uint8_t sh[128];
	size_t n = probe_server_hello(&ch, 0x0301, sh, sizeof(sh));
	uint16_t only13[] = {0x1301, 0x1302};

	assert_true(n > 9);
	assert_int_equal(sh[0], 22);                           /* handshake record */
	assert_int_equal(sh[1] << 8 | sh[2], 0x0301);          /* record version */
	assert_int_equal((size_t)(sh[3] << 8 | sh[4]), n - 5); /* record length */
	assert_int_equal(sh[5], 2);                            /* ServerHello */
	assert_int_equal((size_t)(sh[7] << 8 | sh[8]), n - 9); /* message length */
	assert_int_equal(sh[9] << 8 | sh[10], 0x0301);         /* server_version */
	assert_int_equal(sh[43], 0);                           /* no session id */
	/* The suite: RSA key exchange first among those the hello offers. */
	assert_int_equal(sh[44] << 8 | sh[45], 0x002F);
	assert_int_equal(sh[46], 0); /* null compression */
	/* Wine's hello carries renegotiation_info: the answer does too. */
	assert_true(ch.has_renegotiation_info);
	assert_int_equal(sh[47] << 8 | sh[48], 5);
	assert_int_equal(sh[49] << 8 | sh[50], 0xff01);
	/* SSL 3.0 has no extensions. */
	n = probe_server_hello(&ch, 0x0300, sh, sizeof(sh));
	assert_int_equal(n, 5 + 4 + 2 + 32 + 1 + 2 + 1);
	/* Too small a buffer, and a hello with TLS 1.3 suites only. */
	assert_int_equal(probe_server_hello(&ch, 0x0303, sh, 20), 0);
	free(ch.suites.v);
	ch.suites.v = only13;
	ch.suites.n = 2;
	assert_int_equal(probe_server_hello(&ch, 0x0302, sh, sizeof(sh)), 0);
	assert_int_equal(probe_server_hello(&ch, 0x0303, sh, sizeof(sh)), 0);
	ch.suites.v = NULL;
	clienthello_free(&ch);
}

static void test_release_defaults(void **state)
{
	/* Windows 7 SP1: SSL 3.0 and TLS 1.0 only. */
	assert_true(probe_default_on(PP_SSL3, 6, 1, 7601));
	assert_true(probe_default_on(PP_TLS10, 6, 1, 7601));
	assert_false(probe_default_on(PP_TLS11, 6, 1, 7601));
	assert_false(probe_default_on(PP_TLS12, 6, 1, 7601));
	/* Server 2012: TLS 1.1 and 1.2 on. */
	assert_true(probe_default_on(PP_TLS12, 6, 2, 9200));
	/* Server 2016: SSL 3.0 off. 2019: no TLS 1.3; 2022: TLS 1.3. */
	assert_false(probe_default_on(PP_SSL3, 10, 0, 14393));
	assert_true(probe_default_on(PP_SSL3, 10, 0, 10586));
	assert_false(probe_default_on(PP_TLS13, 10, 0, 17763));
	assert_true(probe_default_on(PP_TLS13, 10, 0, 20348));
}

static void test_configured_on(void **state)
{
	struct proto_values none = {0};
	struct proto_values on = {true, true, 1, 0};
	struct proto_values enabled_only = {true, false, 1, 0};
	struct proto_values off = {true, true, 0, 1};
	struct proto_values dbd_only = {false, true, 0, 1};

	assert_true(probe_configured_on(PP_TLS12, &on, 6, 1, 7601));
	/* Windows 7 needs DisabledByDefault=0 for TLS 1.2, not Enabled alone. */
	assert_false(probe_configured_on(PP_TLS12, &enabled_only, 6, 1, 7601));
	assert_true(probe_configured_on(PP_TLS12, &enabled_only, 6, 3, 9600));
	assert_false(probe_configured_on(PP_TLS10, &off, 10, 0, 20348));
	assert_false(probe_configured_on(PP_TLS10, &dbd_only, 10, 0, 20348));
	assert_true(probe_configured_on(PP_TLS10, &none, 10, 0, 20348));
	/* TLS 1.3 does not exist before build 20348, whatever the registry. */
	assert_false(probe_configured_on(PP_TLS13, &on, 10, 0, 17763));
	assert_true(probe_configured_on(PP_TLS13, &on, 10, 0, 20348));
}

/* .reg text: a protocol's Client key with both DWORDs, and the keys of
 * the two suite lists. */
#define CLIENT(p, en, dbd)                                                                         \
	"[" PROTOS "\\" p "\\Client]\n\"Enabled\"=dword:0000000" en                                \
	"\n\"DisabledByDefault\"=dword:0000000" dbd "\n"
#define LOCAL_LIST                                                                                 \
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration\\"   \
	"Local\\SSL\\00010002]\n\"Functions\"=hex(7):"
#define POLICY_LIST                                                                                \
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\"   \
	"00010002]\n\"Functions\"="

/* TLS 1.0 and 1.1 off, 1.2 on, SSL 3.0 with a string for Enabled, the
 * local list "TLS_A", "TLS_B". */
static const char strict_state[] = CLIENT("TLS 1.0", "0", "1") CLIENT("TLS 1.1", "0", "1")
    CLIENT("TLS 1.2", "1",
           "0") "[" PROTOS "\\SSL 3.0\\Client]\n\"Enabled\"=\"not a dword\"\n" LOCAL_LIST
                "54,00,4c,00,53,00,5f,00,41,00,00,00,54,00,4c,00,53,00,5f,00,42,00,00,00,00,00\n";

static void test_configured_read(void **state)
{
	struct reg_backend *b = t_state(strict_state);
	struct sc_err err = {{0}};
	struct probe_configured c;

	assert_int_equal(probe_configured_read(b, 6, 1, 7601, &c, &err), SC_OK);
	/* A string where a DWORD belongs counts as absent: Windows 7's SSL 3.0
	 * default (on). */
	assert_true(c.on[PP_SSL3]);
	assert_false(c.from_registry[PP_SSL3]);
	assert_false(c.on[PP_TLS10]);
	assert_false(c.on[PP_TLS11]);
	assert_true(c.on[PP_TLS12]);
	assert_true(c.from_registry[PP_TLS12]);
	assert_false(c.on[PP_TLS13]);
	assert_string_equal(c.suites_source, "local");
	assert_int_equal(c.nsuites, 2);
	assert_string_equal(c.suites[1], "TLS_B");
	probe_configured_free(&c);
	reg_backend_free(b);
}

static void test_policy_list_wins(void **state)
{
	struct reg_backend *b =
	    t_state(POLICY_LIST "\"TLS_X,,TLS_Y\"\n" LOCAL_LIST "54,00,00,00,00,00\n");
	struct reg_backend *empty = t_state("");
	struct sc_err err = {{0}};
	struct probe_configured c;

	assert_int_equal(probe_configured_read(b, 10, 0, 20348, &c, &err), SC_OK);
	assert_string_equal(c.suites_source, "policy");
	assert_int_equal(c.nsuites, 2); /* the empty item is dropped */
	assert_string_equal(c.suites[0], "TLS_X");
	assert_true(c.on[PP_TLS13]); /* 2022's default */
	assert_false(c.on[PP_SSL3]);
	probe_configured_free(&c);
	assert_int_equal(probe_configured_read(empty, 10, 0, 20348, &c, &err), SC_OK);
	assert_null(c.suites);
	assert_string_equal(c.suites_source, "release default");
	probe_configured_free(&c);
	reg_backend_free(b);
	reg_backend_free(empty);
}

static void test_compare(void **state)
{
	struct reg_backend *b = t_state(strict_state);
	struct sc_err err = {{0}};
	struct probe_configured c;
	struct probe_difference *d;
	bool offered[PP_COUNT] = {false, true, true, true, false};
	bool same[PP_COUNT] = {true, false, false, true, false};
	char *suites[] = {"TLS_A", "TLS_C", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "0x1A1A"};
	char *configured_suites[] = {"TLS_A", "TLS_B"};
	size_t n;

	assert_int_equal(probe_configured_read(b, 6, 1, 7601, &c, &err), SC_OK);
	n = probe_compare(offered, suites, ARRAY_SIZE(suites), &c, &d);
	/* SSL 3.0 (configured, not offered), TLS 1.0 and 1.1 (offered, not
	 * configured), TLS_C (offered only), TLS_B (configured only); the SCSV
	 * and an unnamed code are no suites. */
	assert_int_equal(n, 5);
	assert_string_equal(d[0].name, "SSL 3.0");
	assert_false(d[0].offered);
	assert_string_equal(d[1].name, "TLS 1.0");
	assert_true(d[1].offered);
	assert_string_equal(d[3].what, "cipher_suite");
	assert_string_equal(d[3].name, "TLS_C");
	assert_string_equal(d[4].name, "TLS_B");
	assert_true(d[4].configured);
	free(d);
	n = probe_compare(same, configured_suites, 2, &c, &d);
	assert_int_equal(n, 0);
	assert_null(d);
	probe_configured_free(&c);
	reg_backend_free(b);
	/* Windows 7's names carry the curve: both spellings are one suite. */
	b = t_state(LOCAL_LIST "54,00,5f,00,50,00,32,00,35,00,36,00,00,00,"          /* T_P256 */
	                       "54,00,5f,00,50,00,33,00,38,00,34,00,00,00,"          /* T_P384 */
	                       "55,00,5f,00,50,00,33,00,38,00,34,00,00,00,00,00\n"); /* U_P384 */
	assert_int_equal(probe_configured_read(b, 6, 1, 7601, &c, &err), SC_OK);
	{
		char *wire[] = {"T"};
		bool win7[PP_COUNT] = {true, true, false, false, false};

		n = probe_compare(win7, wire, 1, &c, &d);
	}
	assert_int_equal(n, 1); /* U, once; T matches T_P256 and T_P384 */
	assert_string_equal(d[0].name, "U_P384");
	free(d);
	probe_configured_free(&c);
	reg_backend_free(b);
}

/* EccCurves (Windows' names) against the hello's groups (IANA's). */
static void test_groups(void **state)
{
	/* curve25519, NistP384, x25519_mlkem768 */
	struct reg_backend *b =
	    t_state(POLICY_LIST
	            "\"TLS_X\"\n\"EccCurves\"=hex(7):63,00,75,00,72,00,76,00,65,00,32,00,35,00,"
	            "35,00,31,00,39,00,00,00,4e,00,69,00,73,00,74,00,50,00,33,00,38,00,34,00,00,00,"
	            "78,00,32,00,35,00,35,00,31,00,39,00,5f,00,6d,00,6c,00,6b,00,65,00,6d,00,37,"
	            "00,36,00,38,00,00,00,00,00\n");
	struct sc_err err = {{0}};
	struct probe_configured c;
	struct probe_difference *d = NULL;
	char *wire[] = {"x25519", "secp256r1", "X25519MLKEM768", "0x1234"};
	size_t n;

	assert_true(probe_group_same("NistP256", "secp256r1"));
	assert_true(probe_group_same("CURVE25519", "x25519"));
	assert_false(probe_group_same("NistP256", "secp384r1"));
	assert_true(probe_group_same("x25519_mlkem768", "X25519MLKEM768"));
	assert_false(probe_group_same("x25519", "x448"));
	assert_int_equal(probe_configured_read(b, 10, 0, 26100, &c, &err), SC_OK);
	assert_int_equal(c.ngroups, 3);
	n = probe_compare_groups(wire, ARRAY_SIZE(wire), &c, &d, 0);
	/* secp256r1 offered, not listed; NistP384 listed, not offered; the
	 * unnamed code is not compared. */
	assert_int_equal(n, 2);
	assert_string_equal(d[0].what, "group");
	assert_string_equal(d[0].name, "secp256r1");
	assert_true(d[0].offered);
	assert_string_equal(d[1].name, "NistP384");
	assert_true(d[1].configured);
	free(d);
	probe_configured_free(&c);
	reg_backend_free(b);
	/* No list: nothing compared. */
	b = t_state("");
	assert_int_equal(probe_configured_read(b, 10, 0, 26100, &c, &err), SC_OK);
	d = NULL;
	assert_int_equal(probe_compare_groups(wire, ARRAY_SIZE(wire), &c, &d, 0), 0);
	assert_null(d);
	probe_configured_free(&c);
	reg_backend_free(b);
}

static void test_names(void **state)
{
	enum probe_proto p;

	assert_string_equal(probe_proto_name(PP_TLS12), "TLS 1.2");
	assert_int_equal(probe_proto_code(PP_SSL3), 0x0300);
	assert_true(probe_proto_of_code(0x0304, &p));
	assert_int_equal(p, PP_TLS13);
	assert_false(probe_proto_of_code(0x0002, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_targets),
	    cmocka_unit_test(test_server_hello),
	    cmocka_unit_test(test_release_defaults),
	    cmocka_unit_test(test_configured_on),
	    cmocka_unit_test(test_configured_read),
	    cmocka_unit_test(test_policy_list_wins),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
