/* Unit tests for sha256.c: the FIPS 180-4 / NIST example vectors, padding
 * boundaries, incremental hashing in odd pieces, and HMAC-SHA256 against
 * the test cases of RFC 4231 (section 4). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void hex_of(const uint8_t d[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

static void assert_sha(const void *data, size_t len, const char *want)
{
	char hex[65];

	sha256_hex(data, len, hex);
	assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
	assert_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	assert_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	assert_int_equal(strlen(m) * 8, 448);
	assert_sha(m, strlen(m),
	           "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	static const char m[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	                        "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	assert_int_equal(strlen(m) * 8, 896);
	assert_sha(m, strlen(m),
	           "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	static const char want[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *m = malloc(1000000);
	struct sha256 s;
	uint8_t d[32];
	char hex[65];
	size_t i;

	assert_non_null(m);
	memset(m, 'a', 1000000);
	assert_sha(m, 1000000, want);
	/* The same in 1000 pieces of 1000. */
	sha256_init(&s);
	for (i = 0; i < 1000; i++)
		sha256_update(&s, m + i * 1000, 1000);
	sha256_final(&s, d);
	hex_of(d, hex);
	assert_string_equal(hex, want);
	free(m);
}

/* Messages whose padding falls on either side of a block boundary. */
static void test_padding_boundaries(void **state)
{
	static const struct {
		size_t n;
		const char *hex;
	} v[] = {
	    {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
	    {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
	    {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
	    {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
	    {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
	    {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
	    {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
	};
	char m[128];
	size_t i;

	memset(m, 'a', sizeof(m));
	for (i = 0; i < ARRAY_SIZE(v); i++)
		assert_sha(m, v[i].n, v[i].hex);
}

/* Every byte value, fed one byte, then 7 bytes, then 13 at a time. */
static void test_incremental_binary(void **state)
{
	static const char want[] =
	    "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880";
	static const size_t steps[] = {1, 7, 13, 64, 256};
	uint8_t m[256];
	size_t i, j;

	for (i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)i;
	assert_sha(m, sizeof(m), want);
	for (j = 0; j < ARRAY_SIZE(steps); j++) {
		struct sha256 s;
		uint8_t d[32];
		char hex[65];

		sha256_init(&s);
		for (i = 0; i < sizeof(m); i += steps[j])
			sha256_update(&s, m + i,
			              sizeof(m) - i < steps[j] ? sizeof(m) - i : steps[j]);
		sha256_final(&s, d);
		hex_of(d, hex);
		assert_string_equal(hex, want);
	}
}

static void assert_hmac(const void *key, size_t key_len, const void *data, size_t len,
                        const char *want)
{
	uint8_t mac[32];
	char hex[65];

	hmac_sha256(key, key_len, data, len, mac);
	hex_encode(mac, sizeof(mac), hex);
	assert_string_equal(hex, want);
}

/* RFC 4231 4.2: a 20-byte key of 0x0b. */
static void test_hmac_case1(void **state)
{
	uint8_t key[20];

	memset(key, 0x0b, sizeof(key));
	assert_hmac(key, sizeof(key), "Hi There", 8,
	            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

/* RFC 4231 4.3: a key shorter than the output. */
static void test_hmac_case2(void **state)
{
	assert_hmac("Jefe", 4, "what do ya want for nothing?", 28,
	            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* RFC 4231 4.7: a 131-byte key (longer than a block: hashed first). */
static void test_hmac_case6(void **state)
{
	static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	uint8_t key[131];

	memset(key, 0xaa, sizeof(key));
	assert_hmac(key, sizeof(key), msg, strlen(msg),
	            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_digest_equal(void **state)
{
	uint8_t a[32] = {0}, b[32] = {0};

	assert_true(digest_equal(a, b, 32));
	b[31] = 1;
	assert_false(digest_equal(a, b, 32));
	b[31] = 0;
	b[0] = 0x80;
	assert_false(digest_equal(a, b, 32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_abc),
	    cmocka_unit_test(test_448_bits),
	    cmocka_unit_test(test_896_bits),
	    cmocka_unit_test(test_million_a),
	    cmocka_unit_test(test_padding_boundaries),
	    cmocka_unit_test(test_incremental_binary),
	    cmocka_unit_test(test_hmac_case1),
	    cmocka_unit_test(test_hmac_case2),
	    cmocka_unit_test(test_hmac_case6),
	    cmocka_unit_test(test_digest_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
