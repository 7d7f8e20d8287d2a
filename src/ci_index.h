/*
 * ci_index.h - an index of positions in a caller's array by a hash of a
 * name that compares ASCII case-insensitively (as registry names do), so
 * that "is it there yet?" costs one probe instead of a scan of the array:
 * the snapshot key lists, the executor's open keys, include merging and
 * the duplicate checks stay linear on profiles with thousands of sections.
 *
 * Positions, not pointers: the array may move. The index keeps only
 * hashes; the caller compares the candidates ci_index_next returns with
 * its own names:
 *
 *   for (it = 0; (pos = ci_index_next(&ix, h, &it)) != SIZE_MAX;)
 *           if (same(array[pos], name)) ...
 *
 * Zero-initialise; ci_index_free releases it. ci_index_put allocates with
 * plain malloc and returns false when memory runs out, so it may be used
 * inside a transaction (util.h "Memory"); ci_index_xput aborts as xmalloc.
 */
#ifndef SCHANNELCFG_CI_INDEX_H
#define SCHANNELCFG_CI_INDEX_H

#include <stdbool.h>
#include <stddef.h>

struct ci_slot {
	size_t hash;
	size_t pos1; /* position + 1; 0 = empty */
};

struct ci_index {
	struct ci_slot *slots;
	size_t cap; /* a power of two, at least twice n */
	size_t n;
};

/* FNV-1a over tag and s with A-Z folded to a-z; hash_ci_more continues h
 * over another string (for names of two parts: key path and value name). */
size_t hash_ci(unsigned tag, const char *s);
size_t hash_ci_more(size_t h, const char *s);

bool ci_index_put(struct ci_index *ix, size_t hash, size_t pos);
/* ci_index_put for code before the first registry write: aborts as xmalloc. */
void ci_index_xput(struct ci_index *ix, size_t hash, size_t pos);
/* The next position whose hash is `hash`, or SIZE_MAX; *it starts at 0. */
size_t ci_index_next(const struct ci_index *ix, size_t hash, size_t *it);
void ci_index_free(struct ci_index *ix);

#endif
