/*
 * backend_regfile.h - a .reg file as a registry store (regfile.h is the
 * text: parsing, formatting, encodings; this is the file behind a store).
 */
#ifndef SCHANNELCFG_BACKEND_REGFILE_H
#define SCHANNELCFG_BACKEND_REGFILE_H

#include "backend.h"
#include "regfile.h"

/*
 * The .reg file backend: loads path into a mem registry (mem_backend_is is
 * true for it; release it with reg_backend_free). A missing or malformed
 * file is an error ("path:line: ..."), as is anything but a regular file
 * ("path: not a regular file"). The backend remembers what the file was:
 * its encoding, byte-order mark, line ends, the file it really is (symlinks
 * resolved), and its mode and owner.
 *
 * regfile_backend_save writes the registry back to path atomically, as the
 * file was:
 *   - UTF-16LE stays UTF-16LE (with BOM); UTF-8 stays UTF-8, with a BOM
 *     exactly when it had one; CRLF or LF line ends as the original's first
 *     line. A REGEDIT4 file becomes a "Windows Registry Editor Version 5.00"
 *     file in UTF-16LE: REGEDIT4 is single-byte and cannot hold every value
 *     schannelcfg may write, and UTF-16LE v5 is what regedit and reg export
 *     themselves write.
 *   - a symlink stays a symlink: the temporary file is written beside the
 *     link's target and renamed onto the target, which gets the new content.
 *   - POSIX: the permission bits (and, as root, owner and group) are kept;
 *     Windows: ReplaceFileW keeps the security descriptor and attributes.
 *   - keys with many values that the file did not list in name order may be
 *     written in name order (loading them in file order would take time
 *     quadratic in their number).
 * A save that would produce more than REGFILE_MAX_SIZE bytes (a file the
 * tool would then refuse to read) is refused: "path: not saved: ...", and
 * the file on disk stays untouched, as on any other error.
 * Saving a backend not opened by regfile_backend_open, or to another path
 * than it was opened from, writes UTF-16LE v5 CRLF to path itself (mode
 * 0644). Returns SC_OK or SC_ERROR.
 */
struct reg_backend *regfile_backend_open(const char *path, struct sc_err *err);
int regfile_backend_save(const struct reg_backend *b, const char *path, struct sc_err *err);

/* The .reg file as the registry of a transaction (--state): as
 * regfile_backend_open, and its commit (backend.h) saves it to path, as
 * regfile_backend_save does. A backend from regfile_backend_open has no
 * commit: what is written to it stays in memory (tests, tools, capture). */
struct reg_backend *regfile_store_open(const char *path, struct sc_err *err);

/* A state file's backend keeps the sections it skipped: each save writes
 * them back, as they were, after the HKEY_LOCAL_MACHINE keys. A REGEDIT4
 * file with such sections is not saved (a save writes version 5, in which
 * their single-byte hex(1)/(2)/(7) data would read differently).
 *
 * The warnings of the file b was opened from (regfile_backend_open or
 * regfile_store_open): "path:line: skipped [HKEY_CURRENT_USER\...] and its
 * values: ...", one per skipped section, in file order. *n is their number;
 * NULL (and *n 0) when there are none or b is no .reg file's backend. The
 * strings belong to b and live as long as it. */
const char *const *regfile_backend_warnings(const struct reg_backend *b, size_t *n);

#endif
