/*
 * clienthello.h - a bounded parser of a TLS ClientHello as it arrives on
 * the wire (RFC 8446 section 4.1.2, RFC 5246 section 7.4.1.2, and the
 * SSL 2.0-compatible CLIENT-HELLO of RFC 5246 appendix E.2).
 *
 * MUST: the input is network input. Every length is checked against what
 * is left before it is used; no length is trusted to allocate more than the
 * bytes it describes; a message longer than CLIENTHELLO_MAX is refused as
 * soon as its header says so (not after reading it).
 *
 * The parser is portable (no sockets): `probe --offer` (cmd_probe.c,
 * probe_win32.c) feeds it what its loopback listener has read so far and
 * reads more while it answers CH_INCOMPLETE.
 */
#ifndef SCHANNELCFG_CLIENTHELLO_H
#define SCHANNELCFG_CLIENTHELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The largest ClientHello body accepted (handshake message, reassembled
 * from its records). Real ones are well under 4 KiB, post-quantum key
 * shares included; 64 KiB leaves room without inviting a 16 MiB one. */
#define CLIENTHELLO_MAX 65536u
/* RFC 8446 5.1: a record's plaintext never exceeds 2^14 bytes. */
#define TLS_RECORD_MAX 16384u

enum ch_status {
	CH_OK = 0,         /* a whole ClientHello was parsed */
	CH_INCOMPLETE = 1, /* well-formed so far: more bytes are needed */
	CH_MALFORMED = -1, /* not a ClientHello, or a broken one: message in err */
};

/* A list of 16-bit codes, in wire order. */
struct ch_list {
	uint16_t *v;
	size_t n;
};

struct clienthello {
	bool sslv2;              /* an SSL 2.0-compatible CLIENT-HELLO */
	uint16_t record_version; /* of the first record (0 for sslv2) */
	uint16_t legacy_version; /* client_version */
	size_t records;          /* how many records carried it (fragmentation) */
	struct ch_list suites;   /* cipher_suites (sslv2: the specs whose first byte is 0) */
	size_t sslv2_specs;      /* sslv2: the SSL 2.0-only cipher specs, not listed */
	/* Extensions: has_* says whether the extension was present at all
	 * (absent is not the same as empty). */
	bool has_versions, has_groups, has_sigalgs;
	bool has_renegotiation_info; /* extension 0xff01 (RFC 5746) */
	struct ch_list versions;     /* supported_versions (43) */
	struct ch_list groups;       /* supported_groups (10) */
	struct ch_list sigalgs;      /* signature_algorithms (13) */
	size_t extensions;           /* how many extensions */
	size_t consumed;             /* bytes of input the message (and its records) took */
};

/*
 * Parses data[0..len) as one ClientHello in TLS records (or one SSL 2.0
 * record). CH_OK fills *out (free with clienthello_free); CH_INCOMPLETE
 * when every byte so far is consistent and more are needed (*out is left
 * empty); CH_MALFORMED with err naming the offset and what was expected
 * (*out is left empty). Duplicate extensions, lengths that overrun their
 * container, odd list lengths, records that are not handshake records,
 * records over TLS_RECORD_MAX and messages over CLIENTHELLO_MAX are
 * malformed. Bytes after the message are not read.
 */
enum ch_status clienthello_parse(const uint8_t *data, size_t len, struct clienthello *out,
                                 struct sc_err *err);
void clienthello_free(struct clienthello *ch);

/*
 * What the ClientHello offers as versions: supported_versions when present
 * (GREASE values left out), else legacy_version alone (a TLS 1.2-style
 * hello names only its highest version). Writes at most max codes, highest
 * first as on the wire; returns how many.
 */
size_t clienthello_versions(const struct clienthello *ch, uint16_t *out, size_t max);

/* RFC 8701: 0x?A?A with both bytes equal. */
bool tls_is_grease(uint16_t code);

#endif
