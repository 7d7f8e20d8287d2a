/*
 * probe_util.h - the portable half of `probe` (probe_util.c): what needs
 * no SChannel and is unit-tested natively (tests/unit/test_probe_util.c).
 */
#ifndef SCHANNELCFG_PROBE_UTIL_H
#define SCHANNELCFG_PROBE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clienthello.h"
#include "probe.h"

/* The protocol of a wire code (0x0300 .. 0x0304); false for others. */
bool probe_proto_of_code(uint16_t code, enum probe_proto *p);

/*
 * HOST[:PORT] (default port 443), [IPv6]:PORT for an IPv6 address. Writes
 * the host (NUL-terminated) into host[host_size]. SC_OK, or SC_ERROR with
 * err saying what was expected (an empty host, a character outside
 * letters, digits, '-', '.', '_', a port outside 1..65535).
 */
int probe_parse_target(const char *arg, char *host, size_t host_size, unsigned *port,
                       struct sc_err *err);

/*
 * A ServerHello record for `version` (0x0300 .. 0x0303) answering ch: one
 * of the suites ch offers that works at that version (RSA key exchange
 * first), no session id, null compression, an empty renegotiation_info
 * when ch signalled it (SCSV or extension). Returns its length, or 0 when ch offers no usable
 * suite or cap is too small.
 */
size_t probe_server_hello(const struct clienthello *ch, uint16_t version, uint8_t *out, size_t cap);

/* Whether Windows major.minor.build offers protocol p by default when the
 * registry says nothing (Microsoft's "Protocols in TLS/SSL" table). */
bool probe_default_on(enum probe_proto p, uint32_t major, uint32_t minor, uint32_t build);

/* A protocol's Client key values as read from the registry. */
struct proto_values {
	bool has_enabled, has_disabled_by_default;
	uint32_t enabled, disabled_by_default;
};

/* Whether SChannel should offer p to an application using the defaults:
 * the protocol exists on that build, Enabled is not 0, and DisabledByDefault
 * (or, absent, the release's default) does not keep it off. */
bool probe_configured_on(enum probe_proto p, const struct proto_values *v, uint32_t major,
                         uint32_t minor, uint32_t build);

#endif
