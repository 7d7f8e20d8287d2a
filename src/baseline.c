/* baseline.c - presenting baselines: list groups, the JSON object, rules. */
#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

const char *baseline_group(const struct profile *p)
{
	size_t i;

	if (p->baseline)
		return "baseline";
	for (i = 0; i < p->nreferences; i++)
		if (starts_with_ci(p->references[i], "seed "))
			return "seed";
	return "other";
}

void baseline_json(struct json *j, const char *name, const char *version)
{
	json_key(j, "baseline");
	if (!version) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_key_str(j, "name", name);
	json_key_str(j, "version", version);
	json_obj_end(j);
}

bool baseline_diff_has_rules(const struct diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->entries[i].changed && d->entries[i].op->rule)
			return true;
	return false;
}

static bool same_rule(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* True if an earlier changed entry than i has the same rule. */
static bool seen_before(const struct diff *d, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (d->entries[k].changed &&
		    same_rule(d->entries[k].op->rule, d->entries[i].op->rule))
			return true;
	return false;
}

/* Collects the changed entries of one rule; returns how many. */
static size_t entries_of(const struct diff *d, const char *rule, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (d->entries[i].changed && same_rule(d->entries[i].op->rule, rule))
			idx[n++] = i;
	return n;
}

void baseline_each_rule(const struct diff *d,
                        void (*fn)(const char *rule, const size_t *idx, size_t n, void *ctx),
                        void *ctx)
{
	size_t *idx = xcalloc(d->n + 1, sizeof(*idx));
	bool unruled = false;
	size_t i;

	/* Quadratic in the number of entries; a baseline's plan has about a
	 * hundred, and a diff of 10,000 raw values has no rules at all. */
	for (i = 0; i < d->n; i++) {
		const char *rule = d->entries[i].op->rule;

		if (!d->entries[i].changed || seen_before(d, i))
			continue;
		if (!rule) {
			unruled = true;
			continue;
		}
		fn(rule, idx, entries_of(d, rule, idx), ctx);
	}
	if (unruled)
		fn(NULL, idx, entries_of(d, NULL, idx), ctx);
	free(idx);
}
