/*
 * probe.h - handshakes through this machine's SChannel (issue 18).
 *
 * Two questions, answered on the wire rather than from the registry:
 *   probe_host   what does a server accept? One client handshake per
 *                protocol (SSL 3.0 .. TLS 1.3), each protocol alone.
 *   probe_offer  what does this machine offer right now? A ClientHello
 *                from SChannel's default credentials, read by a listener
 *                on 127.0.0.1, and for a hello without supported_versions
 *                one ServerHello per older version to see which ones the
 *                client goes on with (a TLS 1.2-style hello names only its
 *                highest version).
 *
 * The implementation is probe_win32.c (SSPI, Winsock). The native build
 * has no SChannel: probe_posix.c answers PROBE_UNAVAILABLE. The results
 * are plain data so that cmd_probe.c renders them on any platform.
 */
#ifndef SCHANNELCFG_PROBE_H
#define SCHANNELCFG_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clienthello.h"
#include "util.h"

enum probe_proto { PP_SSL3, PP_TLS10, PP_TLS11, PP_TLS12, PP_TLS13, PP_COUNT };

/* "SSL 3.0" .. "TLS 1.3", and the wire code (0x0300 .. 0x0304). */
const char *probe_proto_name(enum probe_proto p);
uint16_t probe_proto_code(enum probe_proto p);

/* Results besides SC_OK / SC_ERROR. */
enum {
	PROBE_NETWORK = -2,     /* no connection could be made: no handshake tried */
	PROBE_UNAVAILABLE = -3, /* this build has no SChannel */
};

#define PROBE_TEXT 256

/* What one protocol's handshake found. Strings are "" when unknown. */
struct probe_proto_result {
	bool tried;
	bool accepted;
	bool client_refused;    /* SChannel would not start it: nothing reached the server */
	uint32_t status;        /* the SSPI status of the failure (0 when accepted) */
	char status_name[48];   /* "SEC_E_ALGORITHM_MISMATCH", or "" */
	char error[PROBE_TEXT]; /* a failure in words (network errors included) */
	char api[24];           /* "SCH_CREDENTIALS" or "SCHANNEL_CRED" */
	char cipher_suite[64];  /* IANA name, or 0xXXXX, or "" */
	char negotiated[16];    /* the protocol SChannel reports ("TLS 1.2") */
	char cipher[24];        /* "AES", "3DES", ... */
	unsigned cipher_bits;
	char hash[24];         /* "SHA256", or "AEAD" */
	char key_exchange[24]; /* "ECDHE", "DHE", "RSA" */
	unsigned key_exchange_bits;
	char cert_subject[PROBE_TEXT];
	char cert_expiry[32];    /* ISO 8601 UTC */
	char cert_signature[32]; /* "sha256RSA" */
	/* Suites the server accepts for this protocol, where the client can
	 * restrict its own (enumerated); else enum_note says why not. */
	bool enumerated;
	char enum_method[48];
	char enum_note[PROBE_TEXT];
	char (*suites)[64];
	size_t nsuites;
};

struct probe_report {
	char address[64]; /* the address connected to */
	struct probe_proto_result protos[PP_COUNT];
	char runtime[64]; /* "Wine 8.0" when under Wine, else "" */
};

/* One older version tried with a ServerHello (probe_offer). */
struct offer_version {
	bool tested;
	bool offered;
	uint32_t status; /* the client's status when it refused */
	char note[96];   /* how it was decided */
};

struct offer_report {
	struct clienthello ch; /* the default ClientHello */
	char api[24];
	struct offer_version versions[PP_COUNT];
	char runtime[64];
};

/*
 * Probes host:port with one handshake per protocol, bounded by timeout_ms
 * per connection. SC_OK (whatever the server accepted) fills *r (free
 * with probe_report_free); PROBE_NETWORK when not one connection could be
 * made (err says why); SC_ERROR for a bad host name (err); PROBE_UNAVAILABLE.
 */
int probe_host(const char *host, unsigned port, unsigned timeout_ms, struct probe_report *r,
               struct sc_err *err);
void probe_report_free(struct probe_report *r);

/* What this machine's SChannel offers with its default credentials. SC_OK
 * fills *r (free with offer_report_free); PROBE_NETWORK when the loopback
 * listener fails; SC_ERROR when the hello cannot be read (err); or
 * PROBE_UNAVAILABLE. */
int probe_offer(unsigned timeout_ms, struct offer_report *r, struct sc_err *err);
void offer_report_free(struct offer_report *r);

#endif
