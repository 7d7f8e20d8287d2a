/*
 * suites.c - Windows releases and the SChannel cipher suites of each.
 *
 * Every fact here is transcribed from Microsoft's "TLS Cipher Suites in
 * Windows ..." pages (learn.microsoft.com/windows/win32/secauthn/...), read
 * from their source in the MicrosoftDocs/win32 repository
 * (desktop-src/SecAuthN/). Each table below names the page it comes from;
 * docs/cipher-suites.md lists them all, with what each page leaves open.
 *
 * Conventions of the pages that shape the data:
 * - Each page has an "enabled ... in this priority order by default" table
 *   and a "supported ..., but not enabled by default" table. Their union is
 *   what the release supports; the first table, in page order, is its
 *   default order. The first table includes the NULL suites marked "Only
 *   used when application explicitly requests"; they are kept, so the counts
 *   match the pages.
 * - From Windows 10 1607 the pages also list PSK suites under "enabled ...
 *   by default", then say "No PSK cipher suites are enabled by default": PSK
 *   suites are recorded as supported, never as default.
 * - Windows 8.1 / 2012 R2 and older name ECDHE suites with the curve
 *   (_P256, _P384, _P521); Windows 10 dropped the suffix for the EccCurves
 *   setting ("Prior to Windows 10, cipher suite strings were appended with
 *   the elliptic curve ..." on every Windows 10 page).
 */
#include "suites.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Sets of releases a suite name exists on (see the pages cited below). */
#define R_ALL          WR_ALL
#define R_ALL_BUT_8    (WR_ALL & ~WR_BIT(WR_8)) /* the Windows 8 page lacks DHE_RSA CBC */
#define R_CURVE_SUFFIX (WR_BIT(WR_7) | WR_BIT(WR_8) | WR_BIT(WR_81))
#define R_SSL2         (R_CURVE_SUFFIX | WR_BIT(WR_10_1507) | WR_BIT(WR_10_1511)) /* to 1511 */
#define R_WIN10        WR_FROM(WR_10_1507)
#define R_PSK          WR_FROM(WR_2016) /* "Beginning in Windows 10, version 1607 ..." */
#define R_TLS13        WR_FROM(WR_2022)

/*
 * What each part of a suite name implies. Table rows are written as the parts
 * of the name, and both the name and its flags are built from them, so a flag
 * cannot disagree with the name it belongs to.
 */
#define KX_RSA                0
#define KX_RSA_EXPORT         SUITE_WEAK
#define KX_RSA_EXPORT1024     SUITE_WEAK
#define KX_DHE_RSA            (SUITE_PFS | SUITE_DHE)
#define KX_DHE_DSS            (SUITE_PFS | SUITE_DHE)
#define KX_DHE_DSS_EXPORT1024 (SUITE_PFS | SUITE_DHE | SUITE_WEAK)
#define KX_ECDHE_RSA          SUITE_PFS
#define KX_ECDHE_ECDSA        (SUITE_PFS | SUITE_ECDSA)
#define KX_PSK                SUITE_PSK

#define BULK_AES_128_CBC       0
#define BULK_AES_256_CBC       0
#define BULK_AES_128_GCM       SUITE_AEAD
#define BULK_AES_256_GCM       SUITE_AEAD
#define BULK_CHACHA20_POLY1305 SUITE_AEAD
#define BULK_3DES_EDE_CBC      SUITE_WEAK
#define BULK_DES_CBC           SUITE_WEAK
#define BULK_DES_64_CBC        SUITE_WEAK
#define BULK_DES_192_EDE3_CBC  SUITE_WEAK
#define BULK_RC4_40            SUITE_WEAK
#define BULK_RC4_56            SUITE_WEAK
#define BULK_RC4_128           SUITE_WEAK
#define BULK_RC4_128_EXPORT40  SUITE_WEAK
#define BULK_NULL              SUITE_WEAK

#define MAC_SHA    SUITE_SHA1_MAC
#define MAC_SHA256 0
#define MAC_SHA384 0
#define MAC_MD5    SUITE_WEAK

/* The arguments are only stringified and pasted, never macro-expanded, so
 * NULL and 3DES_EDE_CBC are safe as name parts. */
#define S_TLS(kx, bulk, mac, rel)                                                                  \
	{                                                                                          \
		"TLS_" #kx "_WITH_" #bulk "_" #mac, (rel), KX_##kx | BULK_##bulk | MAC_##mac       \
	}
#define S_TLS_EC(kx, bulk, mac, curve, rel)                                                        \
	{                                                                                          \
		"TLS_" #kx "_WITH_" #bulk "_" #mac "_" #curve, (rel),                              \
		    KX_##kx | BULK_##bulk | MAC_##mac                                              \
	}
#define S_TLS13(bulk, hash, rel)                                                                   \
	{                                                                                          \
		"TLS_" #bulk "_" #hash, (rel), SUITE_TLS13 | SUITE_PFS | BULK_##bulk               \
	}
#define S_SSL2(bulk, rel)                                                                          \
	{                                                                                          \
		"SSL_CK_" #bulk "_WITH_MD5", (rel), BULK_##bulk | MAC_MD5                          \
	}

/*
 * One row per distinct name, sorted by the full name as strcmp() orders it
 * (suite_find() bisects it; the unit test checks the order). '_' sorts after
 * letters and digits: "..._SHA256" comes before "..._SHA_P256", and
 * "TLS_DHE_DSS_EXPORT1024..." before "TLS_DHE_DSS_WITH...".
 */
const struct suite_info suite_table[] = {
    S_SSL2(DES_192_EDE3_CBC, R_SSL2),
    S_SSL2(DES_64_CBC, R_SSL2),
    S_SSL2(RC4_128_EXPORT40, R_SSL2),
    S_SSL2(RC4_128, R_SSL2),
    S_TLS13(AES_128_GCM, SHA256, R_TLS13),
    S_TLS13(AES_256_GCM, SHA384, R_TLS13),
    S_TLS13(CHACHA20_POLY1305, SHA256, R_TLS13),
    S_TLS(DHE_DSS_EXPORT1024, DES_CBC, SHA, R_ALL),
    S_TLS(DHE_DSS, 3DES_EDE_CBC, SHA, R_ALL),
    S_TLS(DHE_DSS, AES_128_CBC, SHA, R_ALL),
    S_TLS(DHE_DSS, AES_128_CBC, SHA256, R_ALL),
    S_TLS(DHE_DSS, AES_256_CBC, SHA, R_ALL),
    S_TLS(DHE_DSS, AES_256_CBC, SHA256, R_ALL),
    S_TLS(DHE_DSS, DES_CBC, SHA, R_ALL),
    S_TLS(DHE_RSA, AES_128_CBC, SHA, R_ALL_BUT_8),
    S_TLS(DHE_RSA, AES_128_GCM, SHA256, R_ALL),
    S_TLS(DHE_RSA, AES_256_CBC, SHA, R_ALL_BUT_8),
    S_TLS(DHE_RSA, AES_256_GCM, SHA384, R_ALL),
    S_TLS(ECDHE_ECDSA, AES_128_CBC, SHA, R_WIN10),
    S_TLS(ECDHE_ECDSA, AES_128_CBC, SHA256, R_WIN10),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA256, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA256, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA256, P521, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_CBC, SHA, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_ECDSA, AES_128_GCM, SHA256, R_WIN10),
    S_TLS_EC(ECDHE_ECDSA, AES_128_GCM, SHA256, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_GCM, SHA256, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_128_GCM, SHA256, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_ECDSA, AES_256_CBC, SHA, R_WIN10),
    S_TLS(ECDHE_ECDSA, AES_256_CBC, SHA384, R_WIN10),
    S_TLS_EC(ECDHE_ECDSA, AES_256_CBC, SHA384, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_256_CBC, SHA384, P521, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_256_CBC, SHA, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_256_CBC, SHA, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_256_CBC, SHA, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_ECDSA, AES_256_GCM, SHA384, R_WIN10),
    S_TLS_EC(ECDHE_ECDSA, AES_256_GCM, SHA384, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_ECDSA, AES_256_GCM, SHA384, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_RSA, AES_128_CBC, SHA, R_WIN10),
    S_TLS(ECDHE_RSA, AES_128_CBC, SHA256, R_WIN10),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA256, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA256, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA256, P521, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_128_CBC, SHA, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_RSA, AES_128_GCM, SHA256, R_WIN10),
    S_TLS(ECDHE_RSA, AES_256_CBC, SHA, R_WIN10),
    S_TLS(ECDHE_RSA, AES_256_CBC, SHA384, R_WIN10),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA384, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA384, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA384, P521, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA, P256, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA, P384, R_CURVE_SUFFIX),
    S_TLS_EC(ECDHE_RSA, AES_256_CBC, SHA, P521, R_CURVE_SUFFIX),
    S_TLS(ECDHE_RSA, AES_256_GCM, SHA384, R_WIN10),
    S_TLS(PSK, AES_128_CBC, SHA256, R_PSK),
    S_TLS(PSK, AES_128_GCM, SHA256, R_PSK),
    S_TLS(PSK, AES_256_CBC, SHA384, R_PSK),
    S_TLS(PSK, AES_256_GCM, SHA384, R_PSK),
    S_TLS(PSK, NULL, SHA256, R_PSK),
    S_TLS(PSK, NULL, SHA384, R_PSK),
    S_TLS(RSA_EXPORT1024, DES_CBC, SHA, R_ALL),
    S_TLS(RSA_EXPORT1024, RC4_56, SHA, R_ALL),
    S_TLS(RSA_EXPORT, RC4_40, MD5, R_ALL),
    S_TLS(RSA, 3DES_EDE_CBC, SHA, R_ALL),
    S_TLS(RSA, AES_128_CBC, SHA, R_ALL),
    S_TLS(RSA, AES_128_CBC, SHA256, R_ALL),
    S_TLS(RSA, AES_128_GCM, SHA256, R_ALL),
    S_TLS(RSA, AES_256_CBC, SHA, R_ALL),
    S_TLS(RSA, AES_256_CBC, SHA256, R_ALL),
    S_TLS(RSA, AES_256_GCM, SHA384, R_ALL),
    S_TLS(RSA, DES_CBC, SHA, R_ALL),
    S_TLS(RSA, NULL, MD5, R_ALL),
    S_TLS(RSA, NULL, SHA, R_ALL),
    S_TLS(RSA, NULL, SHA256, R_ALL),
    S_TLS(RSA, RC4_128, MD5, R_ALL),
    S_TLS(RSA, RC4_128, SHA, R_ALL),
};

const size_t suite_count = ARRAY_SIZE(suite_table);

/*
 * Default orders, verbatim from the first table of each page.
 *
 * Windows 7 / Server 2008 R2: "TLS Cipher Suites in Windows 7"
 * (learn.microsoft.com/windows/win32/secauthn/tls-cipher-suites-in-windows-7;
 * the order after update 3042058). Windows 8.1 / Server 2012 R2: "TLS Cipher
 * Suites in Windows 8.1" (.../tls-cipher-suites-in-windows-8-1; the order
 * after update 2919355) lists the same 40 suites in the same order, so both
 * releases share this array.
 */
static const char *const order_7[] = {
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA_P256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA_P384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P384",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA_P384",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
    "SSL_CK_RC4_128_WITH_MD5",
    "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
};

/* Windows 8 / Server 2012: "TLS Cipher Suites in Windows 8"
 * (.../tls-cipher-suites-in-windows-8). The Windows 7 list without
 * TLS_DHE_RSA_WITH_AES_{256,128}_CBC_SHA, which this page does not list at
 * all, enabled or not. */
static const char *const order_8[] = {
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA_P256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA_P384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P384",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA_P384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA_P256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA_P384",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
    "SSL_CK_RC4_128_WITH_MD5",
    "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
};

/* Windows 10 1507: "TLS Cipher Suites in Windows 10 v1507"
 * (.../tls-cipher-suites-in-windows-10--version-1507). */
static const char *const order_10_1507[] = {
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
    "SSL_CK_RC4_128_WITH_MD5",
    "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
};

/* Windows 10 1511: "TLS Cipher Suites in Windows 10 v1511"
 * (.../tls-cipher-suites-in-windows-10-v1511). The same 34 + 9 suites as 1507
 * in another order: the 32 of 1607 in 1607's order (ECDHE_ECDSA GCM first),
 * then the two SSL_CK_ suites, DES_192_EDE3 first (1507 lists RC4 first). */
static const char *const order_10_1511[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
    "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
    "SSL_CK_RC4_128_WITH_MD5",
};

/* Windows 10 1607 / Server 2016: "TLS Cipher Suites in Windows 10 v1607"
 * (.../tls-cipher-suites-in-windows-10-v1607). */
static const char *const order_2016[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

/* Windows 10 1703: "TLS Cipher Suites in Windows 10 v1703"
 * (.../tls-cipher-suites-in-windows-10-v1703). The 1607 order without the
 * DHE_RSA CBC and DHE_DSS suites, which move to the "not enabled by default"
 * table ("TLS (Schannel SSP) changes in Windows 10 and Windows Server 2016":
 * DisabledByDefault for DHE_DSS in 1703; it does not name DHE_RSA CBC). */
static const char *const order_10_1703[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_RC4_128_MD5",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

/* Windows 10 1809 / Server 2019: "TLS Cipher Suites in Windows 10 v1809"
 * (.../tls-cipher-suites-in-windows-10-v1809). The pages for 1903-2004
 * (.../tls-cipher-suites-in-windows-10-v1903) and 20H2-21H2
 * (.../tls-cipher-suites-in-windows-10-v20h2) list the same suites in the
 * same order. So do the pages for 1709 ("TLS Cipher Suites in Windows 10
 * v1709", .../tls-cipher-suites-in-windows-10-v1709) and 1803 (".../v1803"):
 * 23 + 16 + 6 PSK, RC4 now in the "not enabled by default" table, so
 * WR_10_1709 shares this array too. */
static const char *const order_2019[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

/* Windows 10 22H2: "TLS Cipher Suites in Windows 10 v22H2"
 * (.../tls-cipher-suites-in-windows-10-v22h2). DHE_RSA GCM and 3DES are in
 * its "not enabled by default" table. */
static const char *const order_10_22h2[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

/* Server 2022: "TLS Cipher Suites in Windows Server 2022"
 * (.../tls-cipher-suites-in-windows-server-2022; newer revisions are titled
 * "... Windows Server 2022 and later"). Windows 11 21H2: "TLS Cipher Suites in
 * Windows 11" (.../tls-cipher-suites-in-windows-11) lists the same 25 + 17
 * suites in the same order, so both releases share this array. */
static const char *const order_2022[] = {
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

/* Windows 11 22H2 and later: "TLS Cipher Suites in Windows 11 v22H2 and
 * later" (.../tls-cipher-suites-in-windows-11-v22h2). DHE_RSA GCM and 3DES
 * are in its "not enabled by default" table. */
static const char *const order_11_22h2[] = {
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_NULL_SHA256",
    "TLS_RSA_WITH_NULL_SHA",
};

#define ORDER(array)                                                                               \
	{                                                                                          \
		array, ARRAY_SIZE(array)                                                           \
	}

static const struct {
	const char *const *names;
	size_t count;
} default_orders[WR_COUNT] = {
    [WR_7] = ORDER(order_7),
    [WR_8] = ORDER(order_8),
    [WR_81] = ORDER(order_7),
    [WR_10_1507] = ORDER(order_10_1507),
    [WR_10_1511] = ORDER(order_10_1511),
    [WR_2016] = ORDER(order_2016),
    [WR_10_1703] = ORDER(order_10_1703),
    [WR_10_1709] = ORDER(order_2019),
    [WR_2019] = ORDER(order_2019),
    [WR_10_22H2] = ORDER(order_10_22h2),
    [WR_2022] = ORDER(order_2022),
    [WR_11] = ORDER(order_2022),
    [WR_11_22H2] = ORDER(order_11_22h2),
};

static int compare_name(const void *key, const void *member)
{
	return strcmp(key, ((const struct suite_info *)member)->name);
}

const struct suite_info *suite_find(const char *name)
{
	if (!name)
		return NULL;
	return bsearch(name, suite_table, suite_count, sizeof(suite_table[0]), compare_name);
}

const char *const *suite_default_order(enum win_release r, size_t *count)
{
	if ((unsigned)r >= WR_COUNT) {
		if (count)
			*count = 0;
		return NULL;
	}
	if (count)
		*count = default_orders[r].count;
	return default_orders[r].names;
}

/*
 * 10586 (1511), 14393 (1607 / 2016), 15063 (1703), 16299 (1709; 1803 is
 * 17134 and has the same list), 17763 (1809 / 2019), 19045 (10 22H2), 20348
 * (Server 2022), 22000 (11 21H2) and 22621 (11 22H2) are the first builds of
 * each release. Releases older than Windows 7 (Vista has a page of its own, not
 * modelled) get the oldest list we know. Versions between 6.3 and 10.0 were
 * reported only by pre-release Windows 10 builds, so they are placed by build
 * number like 10.0; anything after 10.0 gets the newest list.
 */
enum win_release win_release_of(uint32_t major, uint32_t minor, uint32_t build)
{
	if (major < 6 || (major == 6 && minor <= 1))
		return WR_7;
	if (major == 6 && minor == 2)
		return WR_8;
	if (major == 6 && minor == 3)
		return WR_81;
	if (major > 10 || (major == 10 && minor > 0))
		return WR_11_22H2;
	if (build < 10586)
		return WR_10_1507;
	if (build < 14393)
		return WR_10_1511;
	if (build < 15063)
		return WR_2016;
	if (build < 16299)
		return WR_10_1703;
	if (build < 17763)
		return WR_10_1709;
	if (build < 19045)
		return WR_2019;
	if (build < 20348)
		return WR_10_22H2;
	if (build < 22000)
		return WR_2022;
	if (build < 22621)
		return WR_11;
	return WR_11_22H2;
}

const char *win_release_name(enum win_release r)
{
	static const char *const names[WR_COUNT] = {
	    [WR_7] = "Windows Server 2008 R2 / 7",
	    [WR_8] = "Windows Server 2012 / 8",
	    [WR_81] = "Windows Server 2012 R2 / 8.1",
	    [WR_10_1507] = "Windows 10 1507",
	    [WR_10_1511] = "Windows 10 1511",
	    [WR_2016] = "Windows Server 2016 / 10 1607",
	    [WR_10_1703] = "Windows 10 1703",
	    [WR_10_1709] = "Windows 10 1709-1803",
	    [WR_2019] = "Windows Server 2019 / 10 1809-21H2",
	    [WR_10_22H2] = "Windows 10 22H2",
	    [WR_2022] = "Windows Server 2022",
	    [WR_11] = "Windows 11 21H2",
	    [WR_11_22H2] = "Windows Server 2025 / 11 22H2 and later",
	};

	return (unsigned)r < WR_COUNT ? names[r] : "unknown Windows release";
}

/*
 * "TLS Elliptic Curves in Windows 10 version 1607 and later"
 * (learn.microsoft.com/windows/win32/secauthn/
 * tls-elliptic-curves-in-windows-10-1607-and-later): curve25519, NistP256 and
 * NistP384 are enabled by default, the others (brainpool included) supported
 * but not enabled; secP192r1 is in the page's current revision only. The page
 * spells one family two ways (NistP256, nistP521), so names are compared
 * without regard to ASCII case.
 *
 * "TLS Supported Groups in Windows 11 version 24H2, Windows Server 2025, and
 * later" (.../tls-supported-groups-in-windows-11-24h2-and-later) adds the
 * post-quantum hybrid groups, supported but not enabled by default, for the
 * ECC Curve Order list, from builds 26100.8514 (11 24H2/25H2), 28000.2173
 * (11 26H2) and 29550 (Server 2025). An earlier revision of the page spells
 * the second one "secp256r1_mlekm768"; the current one is recorded.
 */
static const char *const ecc_curves[] = {
    "curve25519",
    "NistP256",
    "NistP384",
    "brainpoolP256r1",
    "brainpoolP384r1",
    "brainpoolP512r1",
    "nistP192",
    "nistP224",
    "nistP521",
    "secP160k1",
    "secP160r1",
    "secP160r2",
    "secP192k1",
    "secP192r1",
    "secP224k1",
    "secP224r1",
    "secP256k1",
    "secP256r1",
    "secP384r1",
    "secP521r1",
    "x25519_mlkem768",
    "secp256r1_mlkem768",
    "secp384r1_mlkem1024",
};

/* The length of a suite name without the curve suffix that Windows 8.1
 * and older append (_P256, _P384, _P521: the same suite). */
static size_t stem_len(const char *name)
{
	size_t n = strlen(name);

	if (n > 5 && name[n - 5] == '_' && name[n - 4] == 'P' &&
	    (!strcmp(name + n - 3, "256") || !strcmp(name + n - 3, "384") ||
	     !strcmp(name + n - 3, "521")))
		return n - 5;
	return n;
}

bool suite_same(const char *a, const char *b)
{
	size_t n = stem_len(a);

	return n == stem_len(b) && !strncmp_ci(a, b, n);
}

bool suite_in(char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (suite_same(list[i], name))
			return true;
	return false;
}

bool curve_known(const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < ARRAY_SIZE(ecc_curves); i++) {
		if (streq_ci(name, ecc_curves[i]))
			return true;
	}
	return false;
}
