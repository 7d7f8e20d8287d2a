/*
 * probe_config.h - what the registry says this machine should offer as a
 * TLS client (the "configured" half of `probe --offer`), and how it
 * compares with what SChannel offered on the wire.
 *
 * Portable: reads through the store interface (backend.h), so it is unit
 * tested natively against mem registries (tests/unit/test_probe_util.c).
 */
#ifndef SCHANNELCFG_PROBE_CONFIG_H
#define SCHANNELCFG_PROBE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "probe.h"

struct probe_configured {
	bool on[PP_COUNT];
	bool from_registry[PP_COUNT]; /* a value decided it (else the release default) */
	/* The cipher-suite list the registry names (the Group Policy one
	 * wins over the local one), or NULL when neither exists (the
	 * release's default order). */
	char **suites;
	size_t nsuites;
	const char *suites_source; /* "policy", "local" or "release default" */
	/* The Group Policy EccCurves list (REG_MULTI_SZ, Windows' names:
	 * curve25519, NistP256, ...), or NULL. */
	char **groups;
	size_t ngroups;
};

/*
 * Reads Protocols\<P>\Client Enabled / DisabledByDefault for SSL 3.0 ..
 * TLS 1.3 and the cipher-suite lists, for Windows major.minor.build.
 * SC_OK fills *c (free with probe_configured_free); SC_ERROR when the
 * registry cannot be read (err).
 */
int probe_configured_read(const struct reg_backend *b, uint32_t major, uint32_t minor,
                          uint32_t build, struct probe_configured *c, struct sc_err *err);
void probe_configured_free(struct probe_configured *c);

/* One difference between the wire and the registry. */
struct probe_difference {
	char what[16]; /* "version", "cipher_suite" or "group" */
	char name[64];
	bool offered, configured;
};

/*
 * The differences between offered (versions[i] offered, suite names) and
 * configured: each version, and, where the registry names a suite list,
 * each suite in one set and not the other (signalling values such as
 * TLS_EMPTY_RENEGOTIATION_INFO_SCSV are left out; the curve suffix Windows
 * 7 to 8.1 give ECDHE names, _P256/_P384/_P521, is not part of a suite). Returns the count; *out
 * is xmalloc'd (free it), NULL when there are none.
 */
size_t probe_compare(const bool offered[PP_COUNT], char *const *suites, size_t nsuites,
                     const struct probe_configured *c, struct probe_difference **out);

/*
 * Appends to *out (n entries, xrealloc'd) the groups offered (IANA names)
 * and not in the registry's EccCurves list, and the reverse, when the
 * registry has the list (Windows' names: curve25519 is x25519, NistP256
 * secp256r1, NistP384 secp384r1, NistP521 secp521r1; other names compare
 * without case and underscores, x25519_mlkem768 = X25519MLKEM768).
 * Returns the new count.
 */
size_t probe_compare_groups(char *const *groups, size_t ngroups, const struct probe_configured *c,
                            struct probe_difference **out, size_t n);

/* Whether a Windows EccCurves name and an IANA group name are one group. */
bool probe_group_same(const char *windows, const char *iana);

#endif
