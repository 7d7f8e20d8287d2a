/*
 * backend_mem.h - an in-memory registry (HKLM only).
 *
 * Used by unit tests and as the store the .reg file backend loads into.
 * The tree holds "physical" paths: a REG_VIEW_32 access to SOFTWARE\X lands
 * in SOFTWARE\Wow6432Node\X, as on 64-bit Windows; SYSTEM is shared.
 * Subkeys are kept sorted by name (case-insensitively), values in insertion
 * order, so walks and dumps are deterministic.
 *
 * Allocation failures inside backend calls are reported as SC_ERROR.
 */
#ifndef SCHANNELCFG_BACKEND_MEM_H
#define SCHANNELCFG_BACKEND_MEM_H

#include "backend.h"

/* Returns a new empty registry; release with reg_backend_free. */
struct reg_backend *mem_backend_new(void);

/* Maps a (view, logical path) to the physical path used in the tree and in
 * .reg files ("SOFTWARE\Wow6432Node\..." for the 32-bit view). xmalloc'd. */
char *mem_physical_path(enum reg_view view, const char *path);
/* The inverse: splits a physical path into view and logical path. */
char *mem_logical_path(const char *physical, enum reg_view *view);

/* Visits every key except the root, parents before children, subkeys in
 * name order. `values`/`names` list the key's values in insertion order.
 * Return non-zero from the visitor to stop. */
struct mem_key_info {
	const char *path; /* physical path */
	size_t nvalues;
	size_t nsubkeys;
	const char *const *value_names;
	const struct reg_value *const *values;
};
typedef int (*mem_visit_fn)(void *ctx, const struct mem_key_info *key);
int mem_walk(const struct reg_backend *b, mem_visit_fn visit, void *ctx);

/* Appends a canonical, complete text dump (every key, every value with its
 * type and hex data). Two registries are identical iff their dumps are. */
void mem_dump(const struct reg_backend *b, struct strbuf *out);

/* Deletes a key and everything below it (the .reg "[-KEY]" semantics).
 * Returns SC_OK or SC_NOT_FOUND. Used only by the .reg loader. */
int mem_delete_tree(const struct reg_backend *b, const char *physical_path);

/* The mem kind (backend.h: reg_backend_is); a .reg file's store is based
 * on it. */
extern const struct reg_backend_ops mem_backend_ops;

/* A store based on mem (its ops' base is &mem_backend_ops) begins with
 * this, and its ops table lists MEM_STORE_OPERATIONS: mem's operations
 * then work on it through `mem`, which it owns. */
struct mem_based_store {
	struct reg_backend backend;
	struct reg_backend *mem;
};

int mem_op_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
                    enum reg_access access, struct reg_key **key, struct sc_err *err);
int mem_op_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
                      struct reg_key **key, bool *created, struct sc_err *err);
int mem_op_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                      struct reg_value *out, struct sc_err *err);
int mem_op_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                       const struct reg_value *value, struct sc_err *err);
int mem_op_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                        struct sc_err *err);
int mem_op_delete_key_if_empty(const struct reg_backend *b, enum reg_view view, const char *path,
                               bool *deleted, struct sc_err *err);
int mem_op_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index, char **name,
                       struct sc_err *err);
int mem_op_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index, char **name,
                      struct sc_err *err);
void mem_op_close_key(const struct reg_backend *b, struct reg_key *key);

#define MEM_STORE_OPERATIONS                                                                       \
	.open_key = mem_op_open_key, .create_key = mem_op_create_key,                              \
	.read_value = mem_op_read_value, .write_value = mem_op_write_value,                        \
	.delete_value = mem_op_delete_value, .delete_key_if_empty = mem_op_delete_key_if_empty,    \
	.enum_subkey = mem_op_enum_subkey, .enum_value = mem_op_enum_value,                        \
	.close_key = mem_op_close_key

/* True if b was made by mem_backend_new (or loaded from a .reg file). */
bool mem_backend_is(const struct reg_backend *b);

#endif
