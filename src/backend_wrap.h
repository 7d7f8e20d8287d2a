/*
 * backend_wrap.h - a backend in front of another one: counts its calls,
 * fails or falsifies chosen ones, and traces every call.
 *
 * Tests and the benchmark use it to check what the core asks of a registry
 * (diff never writes; each key is opened once) and to check that a failure
 * or a misread at any call leaves the registry as it was, or as a fault-free
 * run leaves it (apply's automatic restore).
 *
 * Numbering: every call but close_key is numbered from 1 in the order it is
 * made, failed ones included, in several counters at once: one per kind
 * (open_key, create_key, read_value, ...), one for the "write-class" calls
 * (create_key, write_value, delete_value, delete_key_if_empty) and one for
 * all of them (WRAP_ANY). wrap_inject(w, counter, k, effect) arms call number
 * k of that counter:
 *   WRAP_FAIL       the call returns SC_ERROR with an "injected fault"
 *                   message, without reaching the inner backend;
 *   WRAP_LIE_*      (read_value only) the inner backend is read, then the
 *                   answer is falsified as a misreporting disk or driver
 *                   would: SC_OK with other data, or the wrong presence.
 * A lie armed on a call that is not a read_value, or that has nothing to
 * falsify (a flip or a type change of an absent value, a failed read),
 * passes the call through and is not counted as injected.
 * wrap_fail_write(w, k) is wrap_inject(w, WRAP_WRITE_CLASS, k, WRAP_FAIL).
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

/* What the wrapper numbers: one counter per kind of call, then two that
 * count several kinds. */
enum wrap_call {
	WRAP_OPEN,                      /* open_key */
	WRAP_CREATE,                    /* create_key */
	WRAP_READ,                      /* read_value */
	WRAP_WRITE,                     /* write_value */
	WRAP_DELETE,                    /* delete_value */
	WRAP_RMKEY,                     /* delete_key_if_empty */
	WRAP_ENUM_KEY,                  /* enum_subkey */
	WRAP_ENUM_VALUE,                /* enum_value */
	WRAP_NKINDS,                    /* the number of kinds above */
	WRAP_WRITE_CLASS = WRAP_NKINDS, /* create, write, delete, rmkey */
	WRAP_ANY,                       /* every kind */
	WRAP_NCOUNTERS
};

enum wrap_effect {
	WRAP_FAIL,         /* SC_ERROR, the inner backend is not called */
	WRAP_LIE_FLIP,     /* SC_OK, the lowest bit of the first data byte
	                    * flipped (empty data: the type changes instead) */
	WRAP_LIE_TYPE,     /* SC_OK, same bytes, REG_BINARY (REG_DWORD if it
	                    * was REG_BINARY) */
	WRAP_LIE_PRESENCE, /* a present value is said to be absent
	                    * (SC_NOT_FOUND); an absent one present, as
	                    * REG_DWORD 0 */
	WRAP_NEFFECTS
};

/* The most faults that can be armed at once (wrap_inject, wrap_fail_write). */
#define WRAP_MAX_FAULTS 16

/* Returns a wrapper over inner (xmalloc: made before any transaction).
 * Release with reg_backend_free. */
struct reg_backend *wrap_backend_new(const struct reg_backend *inner);

/* True if b was made by wrap_backend_new. */
bool wrap_backend_is(const struct reg_backend *b);

/* Arms call number k (1-based, counted since the wrapper was made or last
 * reset) of `counter` with `effect`. When several armed faults match one
 * call, the first armed wins. k == 0 is ignored (returns true). Returns
 * false when WRAP_MAX_FAULTS are armed already. */
bool wrap_inject(struct reg_backend *w, enum wrap_call counter, size_t k, enum wrap_effect effect);
/* Makes write-class call number k fail: wrap_inject(w, WRAP_WRITE_CLASS, k,
 * WRAP_FAIL). */
bool wrap_fail_write(struct reg_backend *w, size_t k);
/* Makes every write-class call from number k on fail (0: none). */
void wrap_fail_writes_from(struct reg_backend *w, size_t k);
/* Forgets every fault armed. */
void wrap_clear_faults(struct reg_backend *w);

/* Names for messages: "open_key", "read_value", ..., "write-class",
 * "backend" (WRAP_ANY); "fail", "flip", "type", "presence". Static. */
const char *wrap_call_name(enum wrap_call counter);
const char *wrap_effect_name(enum wrap_effect effect);

/* Starts (sb != NULL) or stops (NULL) tracing: one line per call, e.g.
 *   open 64 SYSTEM\...\SCHANNEL read -> ok
 *   read SYSTEM\...\TLS 1.2\Client "Enabled" -> not found
 *   write SYSTEM\...\TLS 1.2\Client "Enabled" -> FAULT
 *   read SYSTEM\...\TLS 1.2\Client "Enabled" -> LIE flip
 * The buffer stays the caller's. */
void wrap_trace(struct reg_backend *w, struct strbuf *sb);

/* The counts so far (a pointer into the wrapper, valid until it is freed). */
const struct wrap_counts *wrap_get_counts(const struct reg_backend *w);
/* Calls so far in one counter (failed and falsified ones included). */
size_t wrap_calls(const struct reg_backend *w, enum wrap_call counter);
/* Write-class calls so far: wrap_calls(w, WRAP_WRITE_CLASS). */
size_t wrap_write_calls(const struct reg_backend *w);
/* Calls that were failed or falsified on purpose. */
size_t wrap_faults_injected(const struct reg_backend *w);
/* The last call failed or falsified on purpose, as its trace line reads
 * ("read SYSTEM\...\Client \"Enabled\" -> LIE flip"), possibly truncated;
 * "" when none. Points into the wrapper: valid until the next fault or
 * until the wrapper is freed. */
const char *wrap_last_fault(const struct reg_backend *w);
/* Zeroes the counts and every numbering (armed faults stay). */
void wrap_reset_counts(struct reg_backend *w);

#endif
