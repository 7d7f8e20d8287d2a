/*
 * suites.h - what schannelcfg knows about Windows releases and the TLS
 * cipher suites SChannel offers on each (names, properties, default order).
 *
 * Facts come from Microsoft's "TLS Cipher Suites in Windows ..." pages
 * (one per release; cited in suites.c next to each table).
 */
#ifndef SCHANNELCFG_SUITES_H
#define SCHANNELCFG_SUITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Windows releases with a distinct cipher-suite list, oldest first. */
enum win_release {
	WR_7,       /* Windows 7 SP1 / Server 2008 R2 (6.1) */
	WR_8,       /* Windows 8 / Server 2012 (6.2) */
	WR_81,      /* Windows 8.1 / Server 2012 R2 (6.3) */
	WR_10_1507, /* Windows 10 1507 (10.0, build < 10586) */
	WR_10_1511, /* Windows 10 1511 (build 10586) */
	WR_2016,    /* Windows 10 1607 / Server 2016 (build 14393) */
	WR_10_1703, /* Windows 10 1703 (build 15063) */
	WR_10_1709, /* Windows 10 1709-1803 (builds 16299, 17134) */
	WR_2019,    /* Windows 10 1809-21H2 / Server 2019 (build 17763-19044) */
	WR_10_22H2, /* Windows 10 22H2 (build 19045) */
	WR_2022,    /* Server 2022 (build 20348) */
	WR_11,      /* Windows 11 21H2 (build 22000) */
	WR_11_22H2, /* Windows 11 22H2 and later, Server 2025 (build >= 22621) */
	WR_COUNT
};

#define WR_BIT(r) (1u << (r))
#define WR_ALL    ((1u << WR_COUNT) - 1)
/* All releases from r onwards. */
#define WR_FROM(r) (WR_ALL & ~(WR_BIT(r) - 1))

/* Suite properties (bit flags). */
enum {
	SUITE_TLS13 = 1 << 0,    /* a TLS 1.3 suite (TLS_AES_*, TLS_CHACHA20_*) */
	SUITE_AEAD = 1 << 1,     /* GCM / CCM / ChaCha20-Poly1305 */
	SUITE_PFS = 1 << 2,      /* forward secret: ECDHE, DHE or TLS 1.3 */
	SUITE_SHA1_MAC = 1 << 3, /* uses SHA-1 as MAC (..._SHA) */
	SUITE_DHE = 1 << 4,      /* finite-field Diffie-Hellman key exchange */
	SUITE_WEAK = 1 << 5,     /* RC4, DES, 3DES, NULL, EXPORT or MD5 */
	SUITE_ECDSA = 1 << 6,    /* needs an ECDSA certificate */
	SUITE_PSK = 1 << 7,      /* pre-shared key suites */
};

struct suite_info {
	const char *name;  /* e.g. "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" */
	uint32_t releases; /* WR_BIT mask of releases that support the name */
	uint32_t flags;    /* SUITE_* */
};

extern const struct suite_info suite_table[];
extern const size_t suite_count;

/* Looks a suite name up (exact, case-sensitive: Windows' names are upper
 * case). NULL if Windows has no suite of that name on any release. */
const struct suite_info *suite_find(const char *name);

/* The default-enabled suites of a release, in Microsoft's documented
 * default priority order. */
const char *const *suite_default_order(enum win_release r, size_t *count);

/* Whether two suite names are one suite: the curve suffix Windows 8.1 and
 * older append to ECDHE names (_P256, _P384, _P521) aside, ASCII case
 * aside ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P256" is the IANA
 * TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on the wire). */
bool suite_same(const char *a, const char *b);
/* Whether list[0..n) holds name, as suite_same compares. */
bool suite_in(char *const *list, size_t n, const char *name);

/* Maps a Windows version to the release whose suite list applies. */
enum win_release win_release_of(uint32_t major, uint32_t minor, uint32_t build);
/* "Windows Server 2012 R2 / 8.1" etc. */
const char *win_release_name(enum win_release r);

/* Names accepted in EccCurves: the elliptic curves (curve25519, NistP256,
 * ...) and, on Windows 11 24H2 / Server 2025 builds that have them, the
 * post-quantum hybrid groups (x25519_mlkem768, ...). Compared without regard
 * to ASCII case; the list does not depend on the release. */
bool curve_known(const char *name);

#endif
