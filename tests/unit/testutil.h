/*
 * testutil.h - shared helpers for the cmocka unit tests.
 * Include this instead of <cmocka.h> (it brings cmocka's prerequisites).
 */
#ifndef SCHANNELCFG_TESTUTIL_H
#define SCHANNELCFG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend.h"
#include "backend_mem.h"
#include "util.h"

/* A mem registry loaded from .reg text (UTF-8, v5 header added when the
 * text does not start with one). Fails the test on a parse error. */
struct reg_backend *t_state(const char *reg_text);

/* A store in front of a mem-based one (t_state's) with mem's operations
 * in an ops table of its own, for a test to replace some of them. It owns
 * nothing: free `inner` as usual. */
struct t_front {
	struct mem_based_store base;
	struct reg_backend_ops ops;
};

/* Sets f up in front of inner; returns &f->base.backend. */
struct reg_backend *t_front_init(struct t_front *f, struct reg_backend *inner);
/* mem_dump of a backend, as a malloc'd string. */
char *t_dump(const struct reg_backend *b);
/* Reads a DWORD; fails the test if absent or not a DWORD. */
uint32_t t_dword(const struct reg_backend *b, enum reg_view view, const char *path,
                 const char *name);
/* True if the value exists. */
bool t_has_value(const struct reg_backend *b, enum reg_view view, const char *path,
                 const char *name);
/* A new empty folder under $TMPDIR (or /tmp) named schannelcfg-test-TAG-*;
 * malloc'd path, NULL on failure. t_remove_tree deletes a folder and
 * everything in it (or a file). */
char *t_tmpdir(const char *tag);
void t_remove_tree(const char *path);

/* The regular files directly in dir whose names end in suffix, as sorted
 * xmalloc'd paths ("dir/name"); fails the test if dir cannot be opened.
 * Free with strlist_free. */
char **t_list_files(const char *dir, const char *suffix, size_t *count);

/* Whether the profile NAME loads and is a baseline ([profile] baseline =):
 * the fault matrices sample the baselines, many more operations each. */
bool t_is_baseline(const char *name);

/* Golden files: SCHANNELCFG_UPDATE_GOLDEN set (and not "0") rewrites them.
 * t_golden_file compares got with the file at path (or, updating, writes
 * it) and on a mismatch prints a diff-like hint naming the test program
 * that rewrites it; false on a mismatch or a missing file.
 * t_golden_diff prints that hint alone. */
bool t_updating_golden(void);
bool t_golden_file(const char *path, const char *got, bool update, const char *test);
void t_golden_diff(const char *path, const char *want, const char *got, const char *test);

/* Path of a source-tree file (tests run from the repository root). */
const char *t_src(const char *relative);
/* Writes size bytes to path (created or truncated); fails the test on error. */
void t_write_file(const char *path, const void *data, size_t size);

#endif
