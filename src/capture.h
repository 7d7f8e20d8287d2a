/*
 * capture.h - the registry's current TLS configuration, written as a
 * profile that compiles back to exactly that state.
 *
 * What is captured (the keys and values schannelcfg manages):
 *   - the whole SCHANNEL subtree (every key, every value);
 *   - the local and Group Policy cipher-suite keys (SSL\00010002);
 *   - .NET SchUseStrongCrypto / SystemDefaultTlsVersions (v2.0.50727,
 *     v4.0.30319, both views), WinHTTP DefaultSecureProtocols (both views),
 *     EAP-TLS TlsVersion, FIPS policy Enabled.
 * Values that fit the vocabulary are written in words ([protocol "TLS 1.2"]
 * client = enabled); everything else as raw [key] sections in .reg syntax,
 * byte for byte, when they are documented TLS values (roots.h); others
 * are left out and named in a "; not captured:" comment. Managed words that are absent are written
 * as "default", so applying the profile elsewhere removes them too. Absent cipher-suite lists are
 * not removed elsewhere (a missing list means "Windows' built-in order"; removing another machine's
 * list is left to the admin). Reads only.
 */
#ifndef SCHANNELCFG_CAPTURE_H
#define SCHANNELCFG_CAPTURE_H

#include <time.h>

#include "backend.h"
#include "util.h"

struct capture_stats {
	size_t keys;    /* keys read */
	size_t values;  /* values read */
	size_t words;   /* settings written in words */
	size_t raw;     /* raw values written (incl. deletions) */
	size_t skipped; /* values left out: not documented TLS values */
};

/* Where a capture comes from, for its header. */
struct capture_options {
	const char *source; /* "the live registry", "state file x.reg" */
	time_t now;
	bool have_os; /* the Windows version of the source (--os, or the live one) */
	uint32_t major, minor, build;
};

/*
 * Appends the profile text to out. Returns SC_OK, or SC_ERROR (a read
 * failed, or a value name that INI cannot carry) with err set.
 */
int capture_profile(const struct reg_backend *b, const struct capture_options *o,
                    struct strbuf *out, struct capture_stats *stats, struct sc_err *err);

#endif
