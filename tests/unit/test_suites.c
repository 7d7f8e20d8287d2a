/* Unit tests for suites.c: the suite table, each release's default order as
 * Microsoft's pages give it (docs/cipher-suites.md), Windows version mapping
 * and EccCurves names. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "suites.h"

#define LEGACY_RELEASES (WR_BIT(WR_7) | WR_BIT(WR_8) | WR_BIT(WR_81))

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool has_curve_suffix(const char *name)
{
	return ends_with(name, "_P256") || ends_with(name, "_P384") || ends_with(name, "_P521");
}

/* The flag rules, applied to the name as a string: an independent check of
 * the way suites.c builds each row's flags from the parts of its name. */
static uint32_t flags_from_name(const char *name)
{
	char base[128];
	uint32_t f = 0;

	if (starts_with(name, "TLS_AES_") || starts_with(name, "TLS_CHACHA20_"))
		f |= SUITE_TLS13 | SUITE_PFS;
	if (strstr(name, "ECDHE") || strstr(name, "DHE_"))
		f |= SUITE_PFS;
	if (strstr(name, "_DHE_"))
		f |= SUITE_DHE;
	if (strstr(name, "ECDSA"))
		f |= SUITE_ECDSA;
	if (strstr(name, "_PSK_"))
		f |= SUITE_PSK;
	if (strstr(name, "_GCM") || strstr(name, "_CCM") || strstr(name, "CHACHA20_POLY1305"))
		f |= SUITE_AEAD;
	if (strstr(name, "RC4") || strstr(name, "DES") || strstr(name, "NULL") ||
	    strstr(name, "EXPORT") || strstr(name, "MD5"))
		f |= SUITE_WEAK;
	snprintf(base, sizeof(base), "%s", name);
	if (has_curve_suffix(base))
		base[strlen(base) - 5] = '\0';
	if (ends_with(base, "_SHA"))
		f |= SUITE_SHA1_MAC;
	return f;
}

static const char *const *order_of(enum win_release r, size_t *n)
{
	const char *const *list = suite_default_order(r, n);

	assert_non_null(list);
	return list;
}

/* 1-based position of name in r's default order, 0 if absent. */
static size_t position(enum win_release r, const char *name)
{
	size_t n, i;
	const char *const *list = order_of(r, &n);

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], name) == 0)
			return i + 1;
	}
	return 0;
}

static void test_table_sorted_unique(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(suite_count, 80);
	for (i = 1; i < suite_count; i++) {
		if (strcmp(suite_table[i - 1].name, suite_table[i].name) >= 0)
			fail_msg("suite_table not sorted/unique at %zu: %s >= %s", i,
			         suite_table[i - 1].name, suite_table[i].name);
	}
}

static void test_table_entries_sane(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < suite_count; i++) {
		const struct suite_info *s = &suite_table[i];

		assert_true(starts_with(s->name, "TLS_") || starts_with(s->name, "SSL_CK_"));
		assert_true(s->releases != 0);
		assert_true((s->releases & ~WR_ALL) == 0);
	}
}

static void test_flags_follow_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < suite_count; i++) {
		if (suite_table[i].flags != flags_from_name(suite_table[i].name))
			fail_msg("%s: flags 0x%x, name says 0x%x", suite_table[i].name,
			         (unsigned)suite_table[i].flags,
			         (unsigned)flags_from_name(suite_table[i].name));
	}
}

static void test_flags_examples(void **state)
{
	static const struct {
		const char *name;
		uint32_t flags;
	} cases[] = {
	    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", SUITE_PFS | SUITE_AEAD | SUITE_ECDSA},
	    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P256", SUITE_PFS | SUITE_SHA1_MAC},
	    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384", SUITE_PFS},
	    {"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", SUITE_PFS | SUITE_DHE | SUITE_AEAD},
	    {"TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
	     SUITE_PFS | SUITE_DHE | SUITE_WEAK | SUITE_SHA1_MAC},
	    {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", SUITE_WEAK | SUITE_SHA1_MAC},
	    {"TLS_RSA_WITH_AES_256_CBC_SHA256", 0},
	    {"TLS_RSA_WITH_NULL_SHA256", SUITE_WEAK},
	    {"TLS_RSA_EXPORT_WITH_RC4_40_MD5", SUITE_WEAK},
	    {"TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", SUITE_WEAK | SUITE_SHA1_MAC},
	    {"TLS_AES_256_GCM_SHA384", SUITE_TLS13 | SUITE_PFS | SUITE_AEAD},
	    {"TLS_CHACHA20_POLY1305_SHA256", SUITE_TLS13 | SUITE_PFS | SUITE_AEAD},
	    {"TLS_PSK_WITH_AES_128_GCM_SHA256", SUITE_PSK | SUITE_AEAD},
	    {"TLS_PSK_WITH_NULL_SHA384", SUITE_PSK | SUITE_WEAK},
	    {"SSL_CK_RC4_128_WITH_MD5", SUITE_WEAK},
	    {"SSL_CK_DES_192_EDE3_CBC_WITH_MD5", SUITE_WEAK},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct suite_info *s = suite_find(cases[i].name);

		if (!s)
			fail_msg("%s not found", cases[i].name);
		if (s->flags != cases[i].flags)
			fail_msg("%s: flags 0x%x, want 0x%x", cases[i].name, (unsigned)s->flags,
			         (unsigned)cases[i].flags);
	}
}

static void test_find(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < suite_count; i++)
		assert_ptr_equal(suite_find(suite_table[i].name), &suite_table[i]);
	assert_null(suite_find(NULL));
	assert_null(suite_find(""));
	assert_null(suite_find("tls_rsa_with_aes_128_cbc_sha"));
	assert_null(suite_find("TLS_RSA_WITH_AES_128_CBC"));
	assert_null(suite_find("TLS_RSA_WITH_AES_128_CBC_SHA "));
	assert_null(suite_find("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256_P256"));
	assert_null(suite_find("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P256"));
	assert_null(suite_find("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
	assert_null(suite_find("AAA"));
	assert_null(suite_find("ZZZ"));
}

static void test_default_orders_are_supported(void **state)
{
	int r;

	(void)state;
	for (r = 0; r < WR_COUNT; r++) {
		size_t n, i, j;
		const char *const *list = order_of((enum win_release)r, &n);

		assert_true(n > 0);
		for (i = 0; i < n; i++) {
			const struct suite_info *s = suite_find(list[i]);

			if (!s)
				fail_msg("%s: default %s is not in suite_table",
				         win_release_name((enum win_release)r), list[i]);
			if (!(s->releases & WR_BIT(r)))
				fail_msg("%s: default %s is not marked supported",
				         win_release_name((enum win_release)r), list[i]);
			for (j = 0; j < i; j++)
				assert_string_not_equal(list[i], list[j]);
		}
	}
}

/* Microsoft's per-release cipher-suite pages: 2012 R2 40, 1511 34, 2016 32, 1703 25,
 * 1709 and 1803 23, 2019 23, 2022 25. */
static void test_default_counts(void **state)
{
	static const size_t want[WR_COUNT] = {
	    [WR_7] = 40,       [WR_8] = 38,       [WR_81] = 40,      [WR_10_1507] = 34,
	    [WR_10_1511] = 34, [WR_2016] = 32,    [WR_10_1703] = 25, [WR_10_1709] = 23,
	    [WR_2019] = 23,    [WR_10_22H2] = 20, [WR_2022] = 25,    [WR_11] = 25,
	    [WR_11_22H2] = 22,
	};
	int r;

	(void)state;
	for (r = 0; r < WR_COUNT; r++) {
		size_t n;

		order_of((enum win_release)r, &n);
		if (n != want[r])
			fail_msg("%s: %zu default suites, want %zu",
			         win_release_name((enum win_release)r), n, want[r]);
	}
}

/* Both tables of each page together. */
static void test_supported_counts(void **state)
{
	static const size_t want[WR_COUNT] = {
	    [WR_7] = 59,       [WR_8] = 57,       [WR_81] = 59,      [WR_10_1507] = 43,
	    [WR_10_1511] = 43, [WR_2016] = 45,    [WR_10_1703] = 45, [WR_10_1709] = 45,
	    [WR_2019] = 45,    [WR_10_22H2] = 45, [WR_2022] = 48,    [WR_11] = 48,
	    [WR_11_22H2] = 48,
	};
	int r;

	(void)state;
	for (r = 0; r < WR_COUNT; r++) {
		size_t i, n = 0;

		for (i = 0; i < suite_count; i++)
			n += (suite_table[i].releases & WR_BIT(r)) != 0;
		if (n != want[r])
			fail_msg("%s: %zu supported suites, want %zu",
			         win_release_name((enum win_release)r), n, want[r]);
	}
}

/* Positions (1-based) of the finite-field DHE suites in r's default order. */
static void assert_dhe_positions(enum win_release r, const size_t *want, size_t nwant)
{
	size_t n, i, k = 0;
	const char *const *list = order_of(r, &n);

	for (i = 0; i < n; i++) {
		if (!(suite_find(list[i])->flags & SUITE_DHE))
			continue;
		if (k >= nwant || want[k] != i + 1)
			fail_msg("%s: unexpected DHE suite %s at %zu", win_release_name(r), list[i],
			         i + 1);
		k++;
	}
	assert_int_equal(k, nwant);
}

static void test_dhe_positions(void **state)
{
	static const size_t r81[] = {9, 10, 11, 12, 29, 30, 31, 32, 34};
	static const size_t r2016[] = {5, 6, 15, 16, 24, 25, 26, 27, 28};
	static const size_t r1511[] = {5, 6, 15, 16, 24, 25, 26, 27, 28};
	static const size_t r2019[] = {5, 6};
	static const size_t r2022[] = {7, 8};

	(void)state;
	assert_dhe_positions(WR_81, r81, ARRAY_SIZE(r81));
	assert_int_equal(position(WR_81, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"), 9);
	assert_int_equal(position(WR_81, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"), 12);
	assert_int_equal(position(WR_81, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"), 29);
	assert_int_equal(position(WR_81, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"), 34);

	assert_dhe_positions(WR_2016, r2016, ARRAY_SIZE(r2016));
	assert_int_equal(position(WR_2016, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"), 5);
	assert_int_equal(position(WR_2016, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"), 15);
	assert_int_equal(position(WR_2016, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"), 28);

	/* 1511 has 1607's positions; 1703 keeps only DHE_RSA GCM, like 1709-1803 and 2019. */
	assert_dhe_positions(WR_10_1511, r1511, ARRAY_SIZE(r1511));
	assert_dhe_positions(WR_10_1703, r2019, ARRAY_SIZE(r2019));
	assert_dhe_positions(WR_10_1709, r2019, ARRAY_SIZE(r2019));
	assert_true(suite_find("TLS_DHE_DSS_WITH_AES_256_CBC_SHA256")->releases &
	            WR_BIT(WR_10_1703));
	assert_true(suite_find("TLS_DHE_RSA_WITH_AES_128_CBC_SHA")->releases & WR_BIT(WR_10_1703));

	assert_dhe_positions(WR_2019, r2019, ARRAY_SIZE(r2019));
	assert_int_equal(position(WR_2019, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), 6);

	assert_dhe_positions(WR_2022, r2022, ARRAY_SIZE(r2022));
	assert_dhe_positions(WR_11, r2022, ARRAY_SIZE(r2022));
	assert_int_equal(position(WR_2022, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"), 7);

	/* 10 22H2 and 11 22H2 support DHE_RSA GCM but do not enable it. */
	assert_dhe_positions(WR_10_22H2, NULL, 0);
	assert_dhe_positions(WR_11_22H2, NULL, 0);
	assert_true(suite_find("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")->releases &
	            WR_BIT(WR_11_22H2));
}

static void test_3des_default(void **state)
{
	const char *des3 = "TLS_RSA_WITH_3DES_EDE_CBC_SHA";

	(void)state;
	assert_int_equal(position(WR_81, des3), 33);
	assert_int_equal(position(WR_10_1511, des3), 23);
	assert_int_equal(position(WR_2016, des3), 23);
	assert_int_equal(position(WR_10_1703, des3), 21);
	assert_int_equal(position(WR_10_1709, des3), 21);
	assert_int_equal(position(WR_2019, des3), 21);
	assert_int_equal(position(WR_2022, des3), 23);
	assert_int_equal(position(WR_10_22H2, des3), 0);
	assert_int_equal(position(WR_11_22H2, des3), 0);
	assert_int_equal(suite_find(des3)->releases, WR_ALL);
}

static void test_first_and_last(void **state)
{
	size_t n;
	const char *const *list;

	(void)state;
	list = order_of(WR_81, &n);
	assert_string_equal(list[0], "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P256");
	assert_string_equal(list[n - 1], "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
	list = order_of(WR_10_1507, &n);
	assert_string_equal(list[0], "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(list[n - 1], "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
	list = order_of(WR_10_1511, &n);
	assert_string_equal(list[0], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(list[n - 1], "SSL_CK_RC4_128_WITH_MD5");
	list = order_of(WR_2016, &n);
	assert_string_equal(list[0], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(list[n - 1], "TLS_RSA_WITH_NULL_SHA");
	list = order_of(WR_10_1703, &n);
	assert_string_equal(list[0], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(list[n - 1], "TLS_RSA_WITH_NULL_SHA");
	list = order_of(WR_10_1709, &n);
	assert_string_equal(list[0], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(list[n - 1], "TLS_RSA_WITH_NULL_SHA");
	list = order_of(WR_11_22H2, &n);
	assert_string_equal(list[0], "TLS_AES_256_GCM_SHA384");
	assert_string_equal(list[1], "TLS_AES_128_GCM_SHA256");
	assert_string_equal(list[2], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	/* Windows 8 lacks DHE_RSA CBC altogether. */
	assert_int_equal(position(WR_8, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"), 9);
	assert_int_equal(position(WR_8, "TLS_RSA_WITH_AES_256_GCM_SHA384"), 11);
	assert_false(suite_find("TLS_DHE_RSA_WITH_AES_256_CBC_SHA")->releases & WR_BIT(WR_8));
}

/* Copies a's names that pass keep(), in order, and checks they are exactly b. */
static void assert_filtered_equal(enum win_release a, bool (*keep)(const char *),
                                  enum win_release b)
{
	size_t na, nb, i, k = 0;
	const char *const *la = order_of(a, &na);
	const char *const *lb = order_of(b, &nb);

	for (i = 0; i < na; i++) {
		if (!keep(la[i]))
			continue;
		if (k >= nb || strcmp(la[i], lb[k]) != 0)
			fail_msg("%s filtered, at %zu: %s, %s has %s", win_release_name(a), k + 1,
			         la[i], win_release_name(b), k < nb ? lb[k] : "(end)");
		k++;
	}
	assert_int_equal(k, nb);
}

static bool not_ssl2(const char *name)
{
	return !starts_with(name, "SSL_CK_");
}

static bool not_dss_nor_dhe_cbc(const char *name)
{
	return !starts_with(name, "TLS_DHE_DSS_") &&
	       !(starts_with(name, "TLS_DHE_RSA_") && strstr(name, "_CBC_"));
}

static bool not_rc4(const char *name)
{
	return !strstr(name, "_RC4_");
}

/* How the pages of 1511, 1703 and 1709/1803 relate to 1607's, seen through
 * the transcribed arrays: 1511 is 1607 plus the two SSL_CK_ suites; 1703
 * drops DHE_DSS and DHE_RSA CBC from the defaults; 1709 and 1803 also RC4,
 * which leaves 1809's list. */
static void test_1511_to_1803(void **state)
{
	size_t n;
	const char *const *list;

	(void)state;
	assert_filtered_equal(WR_10_1511, not_ssl2, WR_2016);
	list = order_of(WR_10_1511, &n);
	assert_string_equal(list[n - 2], "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
	/* 1507 lists the two SSL_CK_ suites the other way round. */
	assert_int_equal(position(WR_10_1507, "SSL_CK_RC4_128_WITH_MD5"), 33);
	assert_int_equal(position(WR_10_1511, "SSL_CK_RC4_128_WITH_MD5"), 34);

	assert_filtered_equal(WR_2016, not_dss_nor_dhe_cbc, WR_10_1703);
	assert_int_equal(position(WR_10_1703, "TLS_RSA_WITH_RC4_128_SHA"), 22);
	assert_int_equal(position(WR_10_1703, "TLS_RSA_WITH_RC4_128_MD5"), 23);

	assert_filtered_equal(WR_10_1703, not_rc4, WR_10_1709);
	assert_int_equal(position(WR_10_1709, "TLS_RSA_WITH_RC4_128_SHA"), 0);
	assert_true(suite_find("TLS_RSA_WITH_RC4_128_SHA")->releases & WR_BIT(WR_10_1709));
	assert_ptr_equal(order_of(WR_10_1709, &n), order_of(WR_2019, &n));
}

static void test_tls13_only_2022_and_later(void **state)
{
	size_t i, tls13 = 0;
	int r;

	(void)state;
	for (i = 0; i < suite_count; i++) {
		if (!(suite_table[i].flags & SUITE_TLS13))
			continue;
		tls13++;
		assert_int_equal(suite_table[i].releases, WR_FROM(WR_2022));
	}
	assert_int_equal(tls13, 3);
	assert_int_equal(WR_FROM(WR_2022), WR_BIT(WR_2022) | WR_BIT(WR_11) | WR_BIT(WR_11_22H2));
	for (r = 0; r < WR_COUNT; r++) {
		size_t n;
		const char *const *list = order_of((enum win_release)r, &n);
		bool want = r >= WR_2022;

		assert_int_equal((suite_find(list[0])->flags & SUITE_TLS13) != 0, want);
		assert_int_equal((suite_find(list[1])->flags & SUITE_TLS13) != 0, want);
		for (i = 2; i < n; i++)
			assert_false(suite_find(list[i])->flags & SUITE_TLS13);
	}
	/* Supported but not enabled by default. */
	assert_int_equal(position(WR_2022, "TLS_CHACHA20_POLY1305_SHA256"), 0);
}

static void test_curve_suffix_only_81_and_older(void **state)
{
	size_t i, suffixed = 0;

	(void)state;
	for (i = 0; i < suite_count; i++) {
		const struct suite_info *s = &suite_table[i];

		if (has_curve_suffix(s->name)) {
			suffixed++;
			assert_int_equal(s->releases, LEGACY_RELEASES);
		} else if (strstr(s->name, "ECDHE")) {
			/* Windows 10 dropped the suffix; older Windows had only suffixed ECDHE. */
			assert_int_equal(s->releases, WR_FROM(WR_10_1507));
		}
	}
	assert_int_equal(suffixed, 28);
}

static void test_psk_never_default(void **state)
{
	size_t i, psk = 0;
	int r;

	(void)state;
	for (i = 0; i < suite_count; i++) {
		if (!(suite_table[i].flags & SUITE_PSK))
			continue;
		psk++;
		assert_int_equal(suite_table[i].releases, WR_FROM(WR_2016));
		for (r = 0; r < WR_COUNT; r++)
			assert_int_equal(position((enum win_release)r, suite_table[i].name), 0);
	}
	assert_int_equal(psk, 6);
}

static void test_ssl2_until_1511(void **state)
{
	const struct suite_info *s = suite_find("SSL_CK_RC4_128_WITH_MD5");

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->releases, LEGACY_RELEASES | WR_BIT(WR_10_1507) | WR_BIT(WR_10_1511));
	assert_int_equal(suite_find("SSL_CK_DES_64_CBC_WITH_MD5")->releases, s->releases);
	assert_int_equal(position(WR_10_1507, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"), 34);
	assert_int_equal(position(WR_10_1511, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"), 33);
	assert_int_equal(position(WR_10_1511, "SSL_CK_DES_64_CBC_WITH_MD5"), 0);
}

static void test_default_order_out_of_range(void **state)
{
	size_t n = 99;

	(void)state;
	assert_null(suite_default_order(WR_COUNT, &n));
	assert_int_equal(n, 0);
	assert_non_null(suite_default_order(WR_7, NULL));
}

static void test_win_release_of(void **state)
{
	static const struct {
		uint32_t major, minor, build;
		enum win_release want;
	} cases[] = {
	    {0, 0, 0, WR_7},
	    {5, 1, 2600, WR_7}, /* XP: older than anything modelled */
	    {6, 0, 6002, WR_7},
	    {6, 1, 7601, WR_7},
	    {6, 2, 9200, WR_8},
	    {6, 3, 9600, WR_81},
	    {6, 4, 9841, WR_10_1507}, /* pre-release Windows 10 */
	    {10, 0, 0, WR_10_1507},
	    {10, 0, 10240, WR_10_1507},
	    {10, 0, 10585, WR_10_1507},
	    {10, 0, 10586, WR_10_1511},
	    {10, 0, 14392, WR_10_1511},
	    {10, 0, 14393, WR_2016},
	    {10, 0, 15062, WR_2016},
	    {10, 0, 15063, WR_10_1703},
	    {10, 0, 16298, WR_10_1703},
	    {10, 0, 16299, WR_10_1709},
	    {10, 0, 17134, WR_10_1709}, /* 1803 */
	    {10, 0, 17762, WR_10_1709},
	    {10, 0, 17763, WR_2019},
	    {10, 0, 19041, WR_2019},
	    {10, 0, 19044, WR_2019},
	    {10, 0, 19045, WR_10_22H2},
	    {10, 0, 20347, WR_10_22H2},
	    {10, 0, 20348, WR_2022},
	    {10, 0, 21999, WR_2022},
	    {10, 0, 22000, WR_11},
	    {10, 0, 22620, WR_11},
	    {10, 0, 22621, WR_11_22H2},
	    {10, 0, 26100, WR_11_22H2},
	    {10, 0, UINT32_MAX, WR_11_22H2},
	    {10, 1, 0, WR_11_22H2},
	    {11, 0, 0, WR_11_22H2},
	    {UINT32_MAX, 0, 0, WR_11_22H2},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum win_release got =
		    win_release_of(cases[i].major, cases[i].minor, cases[i].build);

		if (got != cases[i].want)
			fail_msg("%u.%u.%u -> %s, want %s", (unsigned)cases[i].major,
			         (unsigned)cases[i].minor, (unsigned)cases[i].build,
			         win_release_name(got), win_release_name(cases[i].want));
	}
}

static void test_release_names(void **state)
{
	int r, q;

	(void)state;
	for (r = 0; r < WR_COUNT; r++) {
		const char *name = win_release_name((enum win_release)r);

		assert_non_null(name);
		assert_true(starts_with(name, "Windows "));
		for (q = 0; q < r; q++)
			assert_string_not_equal(name, win_release_name((enum win_release)q));
	}
	assert_non_null(strstr(win_release_name(WR_81), "2012 R2"));
	assert_non_null(strstr(win_release_name(WR_81), "8.1"));
	assert_non_null(strstr(win_release_name(WR_2019), "2019"));
	assert_string_equal(win_release_name(WR_10_1507), "Windows 10 1507");
	assert_string_equal(win_release_name(WR_10_1511), "Windows 10 1511");
	assert_string_equal(win_release_name(WR_2016), "Windows Server 2016 / 10 1607");
	assert_string_equal(win_release_name(WR_10_1703), "Windows 10 1703");
	assert_string_equal(win_release_name(WR_10_1709), "Windows 10 1709-1803");
	assert_string_equal(win_release_name(WR_COUNT), "unknown Windows release");
}

static void test_curves(void **state)
{
	static const char *const known[] = {
	    "curve25519",      "NistP256",           "NistP384",
	    "NistP521",        "nistP521",           "nistP192",
	    "nistP224",        "brainpoolP256r1",    "brainpoolP384r1",
	    "brainpoolP512r1", "secP256k1",          "secP521r1",
	    "NISTP256",        "Curve25519",         "secP192r1",
	    "x25519_mlkem768", "secp256r1_mlkem768", "secp384r1_mlkem1024",
	    "X25519_MLKEM768",
	};
	/* The IANA spellings (X25519MLKEM768, SecP256r1MLKEM768) are not Windows's,
	 * nor is the misspelling in an earlier revision of the 24H2 page. */
	static const char *const unknown[] = {
	    "",
	    "P256",
	    "x25519",
	    "curve448",
	    "NistP256 ",
	    " NistP256",
	    "NistP255",
	    "brainpoolP320r1",
	    "secp256r1x",
	    "X25519",
	    "X25519MLKEM768",
	    "SecP256r1MLKEM768",
	    "secp256r1_mlekm768",
	    "x25519_mlkem",
	    "mlkem768",
	    "x25519_mlkem768 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (!curve_known(known[i]))
			fail_msg("curve %s should be known", known[i]);
	}
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		if (curve_known(unknown[i]))
			fail_msg("curve '%s' should be unknown", unknown[i]);
	}
	assert_false(curve_known(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_sorted_unique),
	    cmocka_unit_test(test_table_entries_sane),
	    cmocka_unit_test(test_flags_follow_names),
	    cmocka_unit_test(test_flags_examples),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_default_orders_are_supported),
	    cmocka_unit_test(test_default_counts),
	    cmocka_unit_test(test_supported_counts),
	    cmocka_unit_test(test_dhe_positions),
	    cmocka_unit_test(test_3des_default),
	    cmocka_unit_test(test_first_and_last),
	    cmocka_unit_test(test_1511_to_1803),
	    cmocka_unit_test(test_tls13_only_2022_and_later),
	    cmocka_unit_test(test_curve_suffix_only_81_and_older),
	    cmocka_unit_test(test_psk_never_default),
	    cmocka_unit_test(test_ssl2_until_1511),
	    cmocka_unit_test(test_default_order_out_of_range),
	    cmocka_unit_test(test_win_release_of),
	    cmocka_unit_test(test_release_names),
	    cmocka_unit_test(test_curves),
	};

	return cmocka_run_group_tests_name("suites", tests, NULL, NULL);
}
