/*
 * backend_hive.h - an offline Windows installation's registry hives as a
 * store (issue 15, `--image DIR`; a prototype, native Linux only, on
 * libhivex). docs/offline-images.md has the facts it relies on.
 *
 * MUST: read Select\Current and keep SYSTEM\CurrentControlSet a live name
 *       only (its keys are the hive's ControlSet00N);
 * MUST: refuse a dirty hive (base-block sequence numbers differ, or a bad
 *       checksum): its pending .LOG1/.LOG2 transactions only Windows
 *       replays, and hivex would write over them and mark the hive clean;
 * MUST: replace a hive file only by rename of a complete, flushed, verified
 *       temporary file beside it, and write nothing when nothing changed;
 * MUST NOT: create a key called CurrentControlSet in a hive, or any key
 *       outside HKLM\SYSTEM and HKLM\SOFTWARE.
 *
 * The store is based on mem (backend_mem.h): opening it loads the SYSTEM
 * and SOFTWARE hives of DIR (DIR/Windows/System32/config/{SYSTEM,SOFTWARE},
 * each component matched case-insensitively, as on the NTFS volume the
 * files come from) into a mem registry, in the names the booted machine
 * will see:
 *   hive SYSTEM  ControlSet00N\X   <->  SYSTEM\CurrentControlSet\X
 *                (N = Select\Current; other keys, including the other
 *                control sets, under their own names below SYSTEM)
 *   hive SOFTWARE X                <->  SOFTWARE\X (64-bit view)
 *                 Wow6432Node\X    <->  SOFTWARE\X (32-bit view): a 64-bit
 *                                       image only. On a 32-bit image the
 *                                       32-bit view is the 64-bit view.
 * Paths that name the current control set by number
 * (SYSTEM\ControlSet00N\...) are the same keys as SYSTEM\CurrentControlSet
 * (open, create, delete); enumerating SYSTEM lists CurrentControlSet, not
 * ControlSet00N. Creating a key under HKLM other than below SYSTEM or
 * SOFTWARE fails ("not in the image's hives"). The hive roots themselves
 * are never deleted.
 *
 * The hives are mapped read-only and loaded on demand: opening, creating
 * or deleting a key brings it, the keys on its path and its subkeys (each
 * with its values) into memory; nothing else of the hive is read.
 *
 * Reads and writes work on memory. The commit (backend.h) writes each hive
 * whose content differs from its file, and only those, in two phases:
 * first each is opened again to write (refused if the file changed since
 * it was read), changed through libhivex (new keys, keys deleted in
 * memory, the value lists of changed keys), written by hivex_commit into a
 * new file in a private folder made beside the hive (mkdtemp; the file
 * with the hive's mode, and as root its owner), flushed, reopened and
 * checked (a clean, valid base block); then each is renamed over its hive
 * (if the hive is still the file read) and the folder flushed. A failure
 * while writing removes what was staged and leaves every hive file as it
 * was; the hives are opened again from their files, so a retried commit
 * starts from them. Only a failure after a rename (the second rename, or
 * flushing the folder) leaves the image partly new: the commit then says
 * so (reg_backend_commit_left_partial), and the transaction commits its
 * restore too.
 *
 * Refused at open ("PATH: ..." naming the hive file): a missing hive, a
 * hive that is not a regular file (a symlink too), not regf, major version
 * other than 1, not a primary file, dirty, a SYSTEM hive without a usable
 * Select\Current or its ControlSet00N, a SYSTEM hive with a literal
 * CurrentControlSet key. Refused when loaded (the open, create or delete
 * that needs them fails, naming the key): key or value names that a store
 * path cannot hold exactly (an embedded NUL, a backslash in a key name, an
 * empty or over-long key name). Nothing is written by a refusal.
 * Returns NULL with err set.
 */
#ifndef SCHANNELCFG_BACKEND_HIVE_H
#define SCHANNELCFG_BACKEND_HIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "image.h"

struct reg_backend *hive_store_open(const char *image_dir, struct sc_err *err);

/* Fills *info for a store made by hive_store_open. SC_OK, or SC_ERROR when
 * b is another kind of store. */
int hive_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err);

/* Test hook: when set, called at each step of writing a hive file
 * ("created", "committed", "flushed", "verified", with the staged file's
 * path; "installed", after its rename, with the hive's path); a non-zero
 * return fails the write there, as an I/O error at that point would. */
extern int (*hive_store_write_hook)(const char *step, const char *tmp_path);

#endif
