/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for snapshot
 * integrity and authenticity checks.
 * Written from the standard; no external code.
 */
#ifndef SCHANNELCFG_SHA256_H
#define SCHANNELCFG_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t length; /* bytes hashed so far */
	uint8_t block[64];
	size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[32]);
/* One call: hex digest (65 bytes with the NUL) of data. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* HMAC-SHA256 (RFC 2104, test vectors of RFC 4231) of data under key. */
void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t mac[32]);
/* Lower-case hex of n bytes into hex (2n + 1 bytes with the NUL). */
void hex_encode(const uint8_t *bytes, size_t n, char *hex);
/* Compares two digests in time independent of where they differ. */
bool digest_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif
