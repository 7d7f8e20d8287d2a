/*
 * lookalike.h - names that only look like the ones SChannel reads.
 *
 * Scripts copied from web pages carry typographic characters: "RC4
 * 128∕128" with U+2215 DIVISION SLASH, "TLS 1.2" with a no-break space, a
 * zero-width space inside "Enabled", a Cyrillic "Т". The registry takes
 * them as different names, so Windows never reads them, and a diff shows
 * the real name as absent. These functions find such names so that the
 * user is told which known name was meant.
 */
#ifndef SCHANNELCFG_LOOKALIKE_H
#define SCHANNELCFG_LOOKALIKE_H

#include <stdbool.h>

#include "backend.h"
#include "util.h"

/* The known name (a vocabulary word, a key or value name of the schema's
 * rows) that `name` spells with look-alike characters, or NULL when name
 * holds none or folds to no known name. Case is not a look-alike: the
 * registry ignores it. */
const char *lookalike_known(const char *name);

/* Appends "; <U+2215 DIVISION SLASH>"-style names of the look-alike
 * characters in name (for messages): "U+2215 DIVISION SLASH". */
void lookalike_describe(const char *name, struct strbuf *sb);

/* Walks a mem-based store (a .reg state) below the TLS-related roots and
 * appends one message per key component or value name that spells a
 * known name with look-alikes: "HKLM\...\RC4 128∕128: \"RC4 128∕128\" is
 * not \"RC4 128/128\" (U+2215 DIVISION SLASH): Windows does not read it".
 * Returns how many it appended. */
size_t lookalike_scan(const struct reg_backend *b, char ***messages, size_t *n);

#endif
