/*
 * roots.h - where schannelcfg may write without --allow-any-key.
 *
 * Two layers, both relative to HKLM and view-independent (callers pass
 * logical paths: HKLM\SOFTWARE\Wow6432Node\X arrives as SOFTWARE\X with
 * the 32-bit view), case-insensitive, compared by whole key-name
 * components:
 *
 *   - the allowlist (tls_value_allowed, tls_key_allowed, tls_key_ancestor):
 *     every value the profile language maps (schema.c's rows, each citing
 *     its Microsoft page) and the documented values without a word
 *     (roots.c), all listed in docs/allowlist.md. Profiles may write or
 *     delete only these values.
 *   - the TLS-related roots (tls_root_*): the subtrees the allowlist's keys
 *     live in. snapshot.c uses them for key-creation bookkeeping and for
 *     the scope of a rollback file.
 *
 * MUST: every profile value (raw [key] sections included) passes
 * tls_value_allowed unless --allow-any-key. MUST NOT: widen a row beyond
 * what its Microsoft page documents: inside these subtrees live values
 * that load code or run commands (RasMan\PPP\EAP\13 "Path" names the EAP
 * method's DLL; .NETFramework "DbgManagedDebugger" is a debugger command
 * line).
 *
 * Every function here is pure: no allocation except into the caller's
 * strbuf (the rows are gathered on the stack), no state, no errors.
 */
#ifndef SCHANNELCFG_ROOTS_H
#define SCHANNELCFG_ROOTS_H

#include <stdbool.h>

#include "backend.h"

/* ---- the allowlist ---- */

/* True if `name` is a documented value of the key `path`. A pattern
 * component "*" matches any one key name; "v*" any one name that starts
 * with "v" and has more after it (a .NET version). Value names compare
 * case-insensitively and whole. */
bool tls_value_allowed(const char *path, const char *name);

/* True if path is a key some allowlist row names (the key itself, not a
 * key above or below it). */
bool tls_key_allowed(const char *path);

/* True if path is a strict ancestor of a key some row can name
 * (HKLM\SYSTEM, ...\SCHANNEL\Protocols, ...\Protocols\TLS 1.2). */
bool tls_key_ancestor(const char *path);

/* Appends the documented value names of the key `path` ("Enabled,
 * DisabledByDefault"); appends nothing if no row names that key. Returns
 * how many names it appended. */
size_t tls_values_describe(struct strbuf *sb, const char *path);

/* Appends the table, one row per line, each prefixed by indent:
 * "HKLM\...\Protocols\<name>\Client: Enabled, DisabledByDefault". */
void tls_allowlist_describe(struct strbuf *sb, const char *indent);

/* ---- the TLS-related roots (subtrees) ---- */

/* True if path (relative to HKLM, either view) is one of the TLS-related
 * roots or below one. Case-insensitive, whole components only. */
bool tls_root_contains(const char *path);

/* The TLS-related root containing path (a static string), or NULL. */
const char *tls_root_of(const char *path);
/* True if path is a strict ancestor of a TLS-related root (HKLM\SYSTEM). */
bool tls_root_below(const char *path);

/* Appends the roots, one "HKLM\..." per line, each prefixed by indent. */
void tls_roots_describe(struct strbuf *sb, const char *indent);

#endif
