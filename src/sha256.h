/*
 * sha256.h - SHA-256 (FIPS 180-4), for snapshot integrity checks.
 * Written from the standard; no external code.
 */
#ifndef SCHANNELCFG_SHA256_H
#define SCHANNELCFG_SHA256_H

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

#endif
