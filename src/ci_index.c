/* ci_index.h: open addressing with linear probing over FNV-1a hashes. */
#include "ci_index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t hash_ci_more(size_t h, const char *s)
{
	uint64_t x = h;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		x ^= (uint64_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		x *= 1099511628211u;
	}
	return (size_t)x;
}

size_t hash_ci(unsigned tag, const char *s)
{
	return hash_ci_more((size_t)(14695981039346656037u ^ tag), s);
}

static void insert(struct ci_slot *slots, size_t cap, size_t hash, size_t pos1)
{
	size_t i;

	for (i = hash & (cap - 1); slots[i].pos1; i = (i + 1) & (cap - 1))
		;
	slots[i].hash = hash;
	slots[i].pos1 = pos1;
}

bool ci_index_put(struct ci_index *ix, size_t hash, size_t pos)
{
	if (2 * (ix->n + 1) > ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64, i;
		struct ci_slot *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return false;
		for (i = 0; i < ix->cap; i++)
			if (ix->slots[i].pos1)
				insert(slots, cap, ix->slots[i].hash, ix->slots[i].pos1);
		free(ix->slots);
		ix->slots = slots;
		ix->cap = cap;
	}
	insert(ix->slots, ix->cap, hash, pos + 1);
	ix->n++;
	return true;
}

void ci_index_xput(struct ci_index *ix, size_t hash, size_t pos)
{
	if (!ci_index_put(ix, hash, pos)) {
		fprintf(stderr, "schannelcfg: out of memory\n");
		abort();
	}
}

size_t ci_index_next(const struct ci_index *ix, size_t hash, size_t *it)
{
	size_t mask = ix->cap - 1;

	if (!ix->cap)
		return SIZE_MAX;
	for (; *it <= mask; (*it)++) {
		const struct ci_slot *sl = &ix->slots[(hash + *it) & mask];

		if (!sl->pos1)
			break;
		if (sl->hash == hash) {
			(*it)++;
			return sl->pos1 - 1;
		}
	}
	*it = mask + 1;
	return SIZE_MAX;
}

void ci_index_free(struct ci_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}
