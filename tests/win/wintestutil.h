/*
 * wintestutil.h - helpers for the Windows-only cmocka tests (run under Wine).
 * Include this instead of <cmocka.h>: it brings cmocka's prerequisites.
 *
 * The helpers talk to advapi32 directly, never through a schannelcfg
 * backend, so a test can check what a backend really did. Every path is
 * UTF-8, relative to HKEY_LOCAL_MACHINE; `view` picks KEY_WOW64_32KEY or
 * KEY_WOW64_64KEY. Helpers fail the running test on unexpected errors.
 */
#ifndef SCHANNELCFG_WINTESTUTIL_H
#define SCHANNELCFG_WINTESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>

#include "backend.h"

/* Scratch keys the tests create and remove. */
#define WT_ROOT    "SOFTWARE\\schannelcfg-test"
#define WT_CIPHERS "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers"

/* UTF-8 -> UTF-16 (malloc'd; the caller frees). */
wchar_t *wt_wide(const char *utf8);
/* KEY_WOW64_32KEY or KEY_WOW64_64KEY. */
REGSAM wt_view_flag(enum reg_view view);

/* RegOpenKeyExW(HKLM, path, access | view). Returns its status; on success
 * *h is the open key (the caller closes it), unless h is NULL. */
LSTATUS wt_open(enum reg_view view, const char *path, REGSAM access, HKEY *h);
bool wt_key_exists(enum reg_view view, const char *path);
/* Number of subkeys and values of an existing key. */
void wt_key_counts(enum reg_view view, const char *path, DWORD *subkeys, DWORD *values);

/* Deletes path and everything under it in one view. A missing key is fine. */
void wt_delete_tree(enum reg_view view, const char *path);

/* Reads a value as stored: *data is malloc'd (the caller frees), NULL when
 * *size is 0. Returns the RegQueryValueExW status. */
LSTATUS wt_query(enum reg_view view, const char *path, const char *name, DWORD *type, BYTE **data,
                 DWORD *size);
/* Writes a value as given, creating the key. Returns the RegSetValueExW status. */
LSTATUS wt_set(enum reg_view view, const char *path, const char *name, DWORD type, const void *data,
               DWORD size);

#endif
