/*
 * tls_names.h - names for the codes a TLS ClientHello carries, from IANA's
 * TLS Parameters registry (tls_names.c cites it): cipher suites, supported
 * groups, signature schemes, protocol versions.
 *
 * Each lookup returns a static string, or NULL for a code it does not know
 * (the caller shows it as hex: tls_name_or_hex).
 */
#ifndef SCHANNELCFG_TLS_NAMES_H
#define SCHANNELCFG_TLS_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#define TLS_HEX_SIZE 8 /* "0xABCD" and its NUL */

const char *tls_suite_name(uint16_t code);   /* "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
const char *tls_group_name(uint16_t code);   /* "x25519", "secp256r1" */
const char *tls_sigalg_name(uint16_t code);  /* "rsa_pss_rsae_sha256" */
const char *tls_version_name(uint16_t code); /* "TLS 1.2" (0x0303) */

/* The code of an IANA suite name; false if the table has no such name. */
bool tls_suite_code(const char *name, uint16_t *code);

/* name, or code as "0xABCD" written into buf (which is returned). */
const char *tls_name_or_hex(const char *name, uint16_t code, char buf[TLS_HEX_SIZE]);

/* Whether every table is sorted by code (the lookups rely on it; tested). */
bool tls_names_sorted(void);

#endif
