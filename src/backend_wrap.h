/*
 * backend_wrap.h - a backend in front of another one: counts its calls,
 * fails chosen writes, and traces every call.
 *
 * Tests and the benchmark use it to check what the core asks of a registry
 * (diff never writes; each key is opened once) and to check that a failure
 * at any write leaves the registry as it was (apply's automatic restore).
 *
 * "Write-class" calls are create_key, write_value, delete_value and
 * delete_key_if_empty. They are numbered from 1 in the order they are made,
 * failed ones included; wrap_fail_write(w, k) makes call number k fail with
 * SC_ERROR and an "injected fault" message, without reaching the inner
 * backend. Reads, opens, enumerations and close_key always pass through.
 *
 * Ownership: the wrapper borrows `inner`, which must outlive it;
 * reg_backend_free(wrapper) releases only the wrapper (never inner). Keys
 * opened through the wrapper are the wrapper's own handles: close them
 * through the wrapper. The trace buffer is the caller's; the wrapper only
 * appends to it.
 *
 * Allocation: handles use plain malloc, and an allocation failure is
 * reported as SC_ERROR, as the other backends do. Tracing appends with the
 * aborting sb_* functions: it is for tests and the benchmark, not for a
 * transaction on the live registry. No function prints.
 */
#ifndef SCHANNELCFG_BACKEND_WRAP_H
#define SCHANNELCFG_BACKEND_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "util.h"

/* Calls made through the wrapper, by kind (failed calls included). */
struct wrap_counts {
	size_t opens;       /* open_key */
	size_t creates;     /* create_key */
	size_t reads;       /* read_value */
	size_t writes;      /* write_value */
	size_t deletes;     /* delete_value */
	size_t key_deletes; /* delete_key_if_empty */
	size_t enums;       /* enum_subkey + enum_value */
	size_t closes;      /* close_key */
};

/* The most distinct call numbers wrap_fail_write can hold. */
#define WRAP_MAX_FAULTS 16

/* Returns a wrapper over inner (xmalloc: made before any transaction).
 * Release with reg_backend_free. */
struct reg_backend *wrap_backend_new(const struct reg_backend *inner);

/* True if b was made by wrap_backend_new. */
bool wrap_backend_is(const struct reg_backend *b);

/* Makes write-class call number k (1-based, counted since the wrapper was
 * made or last reset) fail. May be called up to WRAP_MAX_FAULTS times to
 * fail several calls; k == 0 is ignored. Returns false when full. */
bool wrap_fail_write(struct reg_backend *w, size_t k);
/* Makes every write-class call from number k on fail (0: none). */
void wrap_fail_writes_from(struct reg_backend *w, size_t k);
/* Forgets every fault set. */
void wrap_clear_faults(struct reg_backend *w);

/* Starts (sb != NULL) or stops (NULL) tracing: one line per call, e.g.
 *   open 64 SYSTEM\...\SCHANNEL read -> ok
 *   read SYSTEM\...\TLS 1.2\Client "Enabled" -> not found
 *   write SYSTEM\...\TLS 1.2\Client "Enabled" -> FAULT
 * The buffer stays the caller's. */
void wrap_trace(struct reg_backend *w, struct strbuf *sb);

/* The counts so far (a pointer into the wrapper, valid until it is freed). */
const struct wrap_counts *wrap_get_counts(const struct reg_backend *w);
/* Write-class calls so far: creates + writes + deletes + key_deletes. */
size_t wrap_write_calls(const struct reg_backend *w);
/* Write-class calls that were failed on purpose. */
size_t wrap_faults_injected(const struct reg_backend *w);
/* Zeroes the counts and the write-class numbering (faults stay set). */
void wrap_reset_counts(struct reg_backend *w);

#endif
