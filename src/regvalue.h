/*
 * regvalue.h - a typed registry value, held exactly as Windows stores it.
 *
 * The data bytes are the raw bytes RegQueryValueEx returns: strings are
 * UTF-16LE including their terminator(s), DWORDs four little-endian bytes.
 * Keeping the raw bytes means a before-image restores a value bit for bit,
 * even one that is malformed (a REG_SZ without terminator, an odd length).
 *
 * Ownership: a struct reg_value owns `data` (malloc'd, may be NULL when
 * size is 0). regvalue_free releases it; regvalue_copy duplicates it.
 */
#ifndef SCHANNELCFG_REGVALUE_H
#define SCHANNELCFG_REGVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Registry value types (same numbers as winnt.h; our own names so the
 * portable core never needs <windows.h>). */
enum {
	RV_NONE = 0,
	RV_SZ = 1,
	RV_EXPAND_SZ = 2,
	RV_BINARY = 3,
	RV_DWORD = 4,
	RV_DWORD_BIG_ENDIAN = 5,
	RV_LINK = 6,
	RV_MULTI_SZ = 7,
	RV_RESOURCE_LIST = 8,
	RV_FULL_RESOURCE_DESCRIPTOR = 9,
	RV_RESOURCE_REQUIREMENTS_LIST = 10,
	RV_QWORD = 11,
	RV_TYPE_MAX = 11,
};

/* Largest value data schannelcfg reads or writes (Windows allows ~1 MB). */
#define RV_MAX_DATA (1024u * 1024u)

struct reg_value {
	uint32_t type;
	size_t size;
	uint8_t *data;
};

/* Returns "REG_SZ", "REG_DWORD", ... or "REG_UNKNOWN". */
const char *regvalue_type_name(uint32_t type);

/* Constructors (xmalloc: used before any registry write). */
void regvalue_set_dword(struct reg_value *v, uint32_t dword);
void regvalue_set_qword(struct reg_value *v, uint64_t qword);
/* REG_SZ / REG_EXPAND_SZ from UTF-8 text; returns false on invalid UTF-8. */
bool regvalue_set_string(struct reg_value *v, uint32_t type, const char *utf8);
/* REG_MULTI_SZ from a list of UTF-8 strings (empty strings are refused:
 * an empty string ends a REG_MULTI_SZ). Returns false on invalid input. */
bool regvalue_set_multi_sz(struct reg_value *v, char *const *items, size_t count);
void regvalue_set_bytes(struct reg_value *v, uint32_t type, const void *data, size_t size);

/* Deep copy with plain malloc; returns SC_ERROR (and sets err) on OOM. */
int regvalue_copy(struct reg_value *dst, const struct reg_value *src, struct sc_err *err);
void regvalue_free(struct reg_value *v);
bool regvalue_equal(const struct reg_value *a, const struct reg_value *b);

/* DWORD data: true if type is REG_DWORD and size is exactly 4. */
bool regvalue_get_dword(const struct reg_value *v, uint32_t *out);

/*
 * Decodes REG_SZ/REG_EXPAND_SZ data as hostile input: stops at the first
 * NUL, tolerates a missing terminator and an odd size. Returns a malloc'd
 * UTF-8 string (xmalloc).
 */
char *regvalue_get_string(const struct reg_value *v);

/*
 * Splits REG_MULTI_SZ data into UTF-8 strings (xmalloc'd array of xmalloc'd
 * strings; free with strlist_free). Tolerates missing terminators; stops at
 * the first empty string, as Windows does.
 */
char **regvalue_get_multi_sz(const struct reg_value *v, size_t *count);
void strlist_free(char **items, size_t count);
/* Deep copy of a string list (xmalloc); NULL for an empty list. */
char **strlist_dup(char *const *items, size_t count);

/* True if the data is a well-formed string of its type: even size, exactly
 * one terminating NUL (two for an empty REG_MULTI_SZ list ends), no other
 * embedded NULs (REG_SZ/EXPAND_SZ). Such values can be written as "text"
 * in a .reg file; others must be written as hex. */
bool regvalue_is_clean_string(const struct reg_value *v);

/* True for a REG_SZ / REG_EXPAND_SZ / REG_MULTI_SZ whose data is not a
 * well-formed string of its type (see regvalue_is_clean_string). */
bool regvalue_is_malformed_string(const struct reg_value *v);

/*
 * Human-readable rendering for diff/show output, e.g.
 *   REG_DWORD 0x00000001 (1)
 *   REG_SZ "TLS_ECDHE_..."
 *   REG_MULTI_SZ [3 strings]
 * Appends to sb.
 */
void regvalue_describe(const struct reg_value *v, struct strbuf *sb);

#endif
