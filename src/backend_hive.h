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
 * Reads and writes work on memory. The commit (backend.h) writes each hive
 * whose content differs from its file, and only those: the changes are
 * applied to the hive through libhivex (new keys, deleted keys, the value
 * lists of changed keys), written by hivex_commit to a new file created
 * exclusively beside the hive (with the hive's mode, and as root its
 * owner), flushed, reopened and checked (a clean, valid base block), and
 * renamed over the hive; the folder is flushed. A failure at any step
 * removes the temporary file, leaves the hive file as it was, and reloads
 * the hive's libhivex image from it, so a retried commit starts from the
 * file. A commit that changes SYSTEM and SOFTWARE renames them one after
 * the other: a failure between the two leaves SYSTEM new and SOFTWARE old
 * (the transaction then restores through the same store).
 *
 * Refused at open ("PATH: ..." naming the hive file): a missing hive, a
 * hive that is not a regular file (a symlink too), not regf, major version
 * other than 1, not a primary file, dirty, a SYSTEM hive without a usable
 * Select\Current or its ControlSet00N, a SYSTEM hive with a literal
 * CurrentControlSet key, and key or value names that a store path cannot
 * hold exactly (an embedded NUL, a backslash in a key name, an empty or
 * over-long key name). Nothing is written by a refused open.
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
 * ("created", "committed", "flushed", "verified"; with the temporary
 * file's path); a non-zero return fails the write there, as an I/O error
 * at that point would. */
extern int (*hive_store_write_hook)(const char *step, const char *tmp_path);

#endif
