/*
 * roots.h - the registry subtrees schannelcfg may write without
 * --allow-any-key.
 *
 * MUST: every write path (profile compile, snapshot restore) checks its
 * keys here. A profile or a snapshot file is input; without this check a
 * writable rollback file would let its author change any HKLM value with
 * an administrator's hands.
 */
#ifndef SCHANNELCFG_ROOTS_H
#define SCHANNELCFG_ROOTS_H

#include <stdbool.h>

#include "backend.h"

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
