/*
 * regpol.h - a diff as a Registry.pol file (Microsoft's "Registry Policy
 * File Format", and [MS-GPREG] 2.2.1 "Registry Policy Message Syntax"),
 * for a GPO's Machine\Registry.pol or `LGPO.exe /m`.
 *
 * The document is the header "PReg" + DWORD version 1, then one
 * instruction per change: '[' key ';' value ';' type ';' size ';' data ']',
 * the brackets, semicolons, key and value name in UTF-16LE (key and name
 * NUL-terminated), type and size little-endian DWORDs, data the raw bytes
 * the registry stores. Keys are relative to HKLM (the file's location
 * names the hive); the 32-bit view is spelled SOFTWARE\Wow6432Node\...,
 * the key that view is on 64-bit Windows.
 *
 * What is written: every value a diff changes, set to its value after the
 * change (a cipher-suite list edit: the list it produces); every value it
 * removes as a "**del.NAME" instruction (REG_SZ, data one space, as the
 * Group Policy editors write it); a key it creates as a key-only
 * instruction (empty value name, size 0). NOT written: removing a key
 * once empty. Registry.pol can only say "**DeleteKeys", which deletes the
 * key and everything below it whatever it holds on the machine the GPO
 * reaches: not the same change, so it is left out (an empty key changes
 * nothing in how Windows behaves).
 */
#ifndef SCHANNELCFG_REGPOL_H
#define SCHANNELCFG_REGPOL_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "util.h"

#define REGPOL_SIGNATURE 0x67655250u /* "PReg" read as a little-endian DWORD */
#define REGPOL_VERSION   1u
/* [MS-GPREG] 2.2.1: a value name of at most 259 characters, data of at
 * most 65535 bytes, and only these types (REG_SZ, EXPAND_SZ, BINARY,
 * DWORD, DWORD_BIG_ENDIAN, MULTI_SZ, QWORD). */
#define REGPOL_MAX_NAME 259
#define REGPOL_MAX_DATA 65535u

/*
 * Encodes the changes of a diff. Returns SC_OK with *out (malloc'd, the
 * caller frees; *size its length), or SC_ERROR with err naming the value
 * Registry.pol cannot hold (a type it does not allow, data or a name too
 * long, the unnamed default value); *out is then NULL.
 */
int regpol_from_diff(const struct diff *d, uint8_t **out, size_t *size, struct sc_err *err);

#endif
