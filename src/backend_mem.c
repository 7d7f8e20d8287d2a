#include "backend_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mem_value {
	char *name;
	struct reg_value v;
	uint64_t seq; /* insertion order, for walks */
};

struct mem_key {
	char *name;
	struct mem_key **subkeys; /* sorted by name, case-insensitively */
	size_t nsub, capsub;
	struct mem_value *values; /* sorted by name, case-insensitively */
	size_t nval, capval;
};

struct mem_reg {
	struct reg_backend backend;
	struct mem_key root;
	uint64_t next_seq;
};

/* An open key is its view and logical path, resolved on every call: a key
 * deleted while open then fails cleanly instead of dangling. */
struct reg_key {
	enum reg_view view;
	char *physical;
	char *display; /* "HKLM\\path" or "HKLM\\path (32-bit view)", for messages */
	bool writable; /* opened with REG_ACCESS_WRITE, or created */
};

/* The registry of a mem store, or of a store based on mem (which keeps
 * its mem store in mem_based_store.mem). */
static struct mem_reg *reg_of(const struct reg_backend *b)
{
	if (b->ops == &mem_backend_ops)
		return (struct mem_reg *)(void *)b;
	if (!reg_backend_is(b, &mem_backend_ops))
		abort(); /* a mem operation in another kind's table */
	return reg_of(((const struct mem_based_store *)(const void *)b)->mem);
}

char *mem_physical_path(enum reg_view view, const char *path)
{
	static const char node[] = "Wow6432Node";

	if (view != REG_VIEW_32 || !reg_path_within(path, "SOFTWARE"))
		return xstrdup(path);
	if (!path[8])
		return xasprintf("%s\\%s", path, node);
	/* path[8] is a backslash here, so path + 9 is inside the string. */
	if (reg_path_within(path + 9, node))
		return xstrdup(path);
	return xasprintf("%.8s\\%s\\%s", path, node, path + 9);
}

char *mem_logical_path(const char *physical, enum reg_view *view)
{
	static const char prefix[] = "SOFTWARE\\Wow6432Node";
	size_t n = sizeof(prefix) - 1;

	if (starts_with_ci(physical, prefix) && (physical[n] == '\\' || physical[n] == '\0')) {
		*view = REG_VIEW_32;
		return physical[n] ? xasprintf("%.8s\\%s", physical, physical + n + 1)
		                   : xstrndup(physical, 8);
	}
	*view = REG_VIEW_64;
	return xstrdup(physical);
}

/* `name` (its first len bytes) against a stored name, case-insensitively. */
static int cmp_name(const char *stored, const char *name, size_t len)
{
	int c = strncmp_ci(stored, name, len);

	return c == 0 && stored[len] != '\0' ? 1 : c;
}

/* Binary search over n names sorted case-insensitively (name_at(i) is the
 * i-th): the index where name is or would be. */
static size_t search_names(const void *array, size_t n,
                           const char *(*name_at)(const void *, size_t), const char *name,
                           size_t len, bool *found)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(name_at(array, mid), name, len);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static const char *subkey_name_at(const void *array, size_t i)
{
	return ((struct mem_key *const *)array)[i]->name;
}

static const char *value_name_at(const void *array, size_t i)
{
	return ((const struct mem_value *)array)[i].name;
}

static size_t find_subkey(const struct mem_key *k, const char *name, size_t len, bool *found)
{
	return search_names(k->subkeys, k->nsub, subkey_name_at, name, len, found);
}

static size_t find_value(const struct mem_key *k, const char *name, bool *found)
{
	return search_names(k->values, k->nval, value_name_at, name, strlen(name), found);
}

/* Grows a plain-malloc array; false on OOM (used inside backend calls). */
static bool grow(void *array_ptr, size_t *cap, size_t need, size_t elem)
{
	void **array = array_ptr;
	size_t new_cap = *cap ? *cap : 4;
	void *p;

	if (need <= *cap)
		return true;
	while (new_cap < need)
		new_cap *= 2;
	p = realloc(*array, new_cap * elem);
	if (!p)
		return false;
	*array = p;
	*cap = new_cap;
	return true;
}

static struct mem_key *add_subkey(struct mem_key *parent, size_t at, const char *name, size_t len)
{
	struct mem_key *k;

	if (!grow(&parent->subkeys, &parent->capsub, parent->nsub + 1, sizeof(*parent->subkeys)))
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->name = malloc(len + 1);
	if (!k->name) {
		free(k);
		return NULL;
	}
	memcpy(k->name, name, len);
	k->name[len] = '\0';
	memmove(parent->subkeys + at + 1, parent->subkeys + at,
	        (parent->nsub - at) * sizeof(*parent->subkeys));
	parent->subkeys[at] = k;
	parent->nsub++;
	return k;
}

enum walk_mode { LOOKUP, CREATE };

/* Resolves a physical path. In CREATE mode creates missing keys; *created
 * tells whether the last component was new. NULL: not found, or OOM in
 * CREATE mode (*oom set). */
static struct mem_key *resolve(struct mem_reg *r, const char *path, enum walk_mode mode,
                               bool *created, bool *oom)
{
	struct mem_key *k = &r->root;
	const char *p = path;

	if (created)
		*created = false;
	*oom = false;
	while (*p) {
		const char *end = strchr(p, '\\');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool found;
		size_t at = find_subkey(k, p, len, &found);

		if (found) {
			k = k->subkeys[at];
		} else if (mode == LOOKUP) {
			return NULL;
		} else {
			k = add_subkey(k, at, p, len);
			if (!k) {
				*oom = true;
				return NULL;
			}
			if (created)
				*created = !end;
		}
		p = end ? end + 1 : p + len;
	}
	return k;
}

static int not_found_or_oom(bool oom, enum reg_view view, const char *path, struct sc_err *err)
{
	if (!oom)
		return SC_NOT_FOUND;
	return sc_err_set(err, "HKLM\\%s%s: out of memory", path,
	                  view == REG_VIEW_32 ? " (32-bit view)" : "");
}

/* Plain malloc: handles are made inside transactions, which must not
 * abort (util.h "Memory"). */
static int make_handle(enum reg_view view, const char *path, char *physical, bool writable,
                       struct reg_key **key, struct sc_err *err)
{
	struct reg_key *h = malloc(sizeof(*h));
	const char *suffix = view == REG_VIEW_32 ? " (32-bit view)" : "";
	size_t n = strlen("HKLM\\") + strlen(path) + strlen(suffix) + 1;
	char *display = malloc(n);

	if (!h || !display) {
		free(h);
		free(display);
		free(physical);
		return sc_err_set(err, "HKLM\\%s%s: out of memory opening the key", path, suffix);
	}
	snprintf(display, n, "HKLM\\%s%s", path, suffix);
	h->view = view;
	h->physical = physical;
	h->display = display;
	h->writable = writable;
	*key = h;
	return SC_OK;
}

int mem_op_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
                    enum reg_access access, struct reg_key **key, struct sc_err *err)
{
	char *physical = mem_physical_path(view, path);
	bool oom;

	if (!resolve(reg_of(b), physical, LOOKUP, NULL, &oom)) {
		free(physical);
		return not_found_or_oom(oom, view, path, err);
	}
	return make_handle(view, path, physical, access == REG_ACCESS_WRITE, key, err);
}

int mem_op_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
                      struct reg_key **key, bool *created, struct sc_err *err)
{
	char *physical = mem_physical_path(view, path);
	bool oom, is_new;

	if (!resolve(reg_of(b), physical, CREATE, &is_new, &oom)) {
		free(physical);
		return sc_err_set(err, "HKLM\\%s%s: out of memory creating the key", path,
		                  view == REG_VIEW_32 ? " (32-bit view)" : "");
	}
	if (created)
		*created = is_new;
	return make_handle(view, path, physical, true, key, err);
}

static struct mem_key *handle_key(const struct reg_backend *b, struct reg_key *key,
                                  struct sc_err *err)
{
	bool oom;
	struct mem_key *k = resolve(reg_of(b), key->physical, LOOKUP, NULL, &oom);

	if (!k)
		sc_err_set(err, "%s: the key was deleted while open", key->display);
	return k;
}

int mem_op_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                      struct reg_value *out, struct sc_err *err)
{
	struct mem_key *k = handle_key(b, key, err);
	bool found;
	size_t at;

	if (!k)
		return SC_ERROR;
	at = find_value(k, name, &found);
	if (!found)
		return SC_NOT_FOUND;
	if (regvalue_copy(out, &k->values[at].v, err) != SC_OK)
		return sc_err_prefix(err, "%s", key->display);
	return SC_OK;
}

/* As the registry refuses a write through a key opened KEY_READ. */
static int read_only(const struct reg_key *key, const char *name, struct sc_err *err)
{
	return sc_err_set(err, "%s: \"%s\" cannot be changed through a key opened for reading",
	                  key->display, name);
}

int mem_op_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                       const struct reg_value *value, struct sc_err *err)
{
	struct mem_key *k = handle_key(b, key, err);
	struct reg_value copy;
	bool found;
	size_t at;

	if (!k)
		return SC_ERROR;
	if (!key->writable)
		return read_only(key, name, err);
	if (regvalue_copy(&copy, value, err) != SC_OK)
		return sc_err_prefix(err, "%s", key->display);
	at = find_value(k, name, &found);
	if (found) {
		regvalue_free(&k->values[at].v);
		k->values[at].v = copy;
		return SC_OK;
	}
	if (!grow(&k->values, &k->capval, k->nval + 1, sizeof(*k->values)))
		goto oom;
	memmove(k->values + at + 1, k->values + at, (k->nval - at) * sizeof(*k->values));
	k->values[at].name = malloc(strlen(name) + 1);
	if (!k->values[at].name) {
		memmove(k->values + at, k->values + at + 1, (k->nval - at) * sizeof(*k->values));
		goto oom;
	}
	strcpy(k->values[at].name, name);
	k->values[at].v = copy;
	k->values[at].seq = reg_of(b)->next_seq++;
	k->nval++;
	return SC_OK;
oom:
	regvalue_free(&copy);
	return sc_err_set(err, "%s: out of memory writing \"%s\"", key->display, name);
}

int mem_op_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                        struct sc_err *err)
{
	struct mem_key *k = handle_key(b, key, err);
	bool found;
	size_t at;

	if (!k)
		return SC_ERROR;
	if (!key->writable)
		return read_only(key, name, err);
	at = find_value(k, name, &found);
	if (!found)
		return SC_NOT_FOUND;
	free(k->values[at].name);
	regvalue_free(&k->values[at].v);
	memmove(k->values + at, k->values + at + 1, (k->nval - at - 1) * sizeof(*k->values));
	k->nval--;
	return SC_OK;
}

static void free_key(struct mem_key *k)
{
	size_t i;

	for (i = 0; i < k->nsub; i++) {
		free_key(k->subkeys[i]);
		free(k->subkeys[i]);
	}
	for (i = 0; i < k->nval; i++) {
		free(k->values[i].name);
		regvalue_free(&k->values[i].v);
	}
	free(k->subkeys);
	free(k->values);
	free(k->name);
}

/* Finds the parent of a physical path and the child's index in it. */
static struct mem_key *find_parent(struct mem_reg *r, const char *physical, size_t *index)
{
	const char *slash = strrchr(physical, '\\');
	const char *leaf = slash ? slash + 1 : physical;
	struct mem_key *parent = &r->root;
	bool found, oom;

	if (slash) {
		char *parent_path = xstrndup(physical, (size_t)(slash - physical));

		parent = resolve(r, parent_path, LOOKUP, NULL, &oom);
		free(parent_path);
		if (!parent)
			return NULL;
	}
	*index = find_subkey(parent, leaf, strlen(leaf), &found);
	return found ? parent : NULL;
}

static void remove_child(struct mem_key *parent, size_t at)
{
	free_key(parent->subkeys[at]);
	free(parent->subkeys[at]);
	memmove(parent->subkeys + at, parent->subkeys + at + 1,
	        (parent->nsub - at - 1) * sizeof(*parent->subkeys));
	parent->nsub--;
}

int mem_op_delete_key_if_empty(const struct reg_backend *b, enum reg_view view, const char *path,
                               bool *deleted, struct sc_err *err)
{
	char *physical = mem_physical_path(view, path);
	struct mem_key *parent, *k;
	size_t at;

	(void)err;
	*deleted = false;
	parent = find_parent(reg_of(b), physical, &at);
	free(physical);
	if (!parent)
		return SC_NOT_FOUND;
	k = parent->subkeys[at];
	if (k->nsub || k->nval)
		return SC_OK;
	remove_child(parent, at);
	*deleted = true;
	return SC_OK;
}

int mem_delete_tree(const struct reg_backend *b, const char *physical_path)
{
	size_t at;
	struct mem_key *parent = find_parent(reg_of(b), physical_path, &at);

	if (!parent)
		return SC_NOT_FOUND;
	remove_child(parent, at);
	return SC_OK;
}

static int dup_name(const char *name, char **out, struct sc_err *err)
{
	*out = malloc(strlen(name) + 1);
	if (!*out)
		return sc_err_set(err, "out of memory enumerating a key");
	strcpy(*out, name);
	return SC_OK;
}

int mem_op_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index, char **name,
                       struct sc_err *err)
{
	struct mem_key *k = handle_key(b, key, err);

	if (!k)
		return SC_ERROR;
	if (index >= k->nsub)
		return SC_NOT_FOUND;
	return dup_name(k->subkeys[index]->name, name, err);
}

int mem_op_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index, char **name,
                      struct sc_err *err)
{
	struct mem_key *k = handle_key(b, key, err);

	if (!k)
		return SC_ERROR;
	if (index >= k->nval)
		return SC_NOT_FOUND;
	return dup_name(k->values[index].name, name, err);
}

void mem_op_close_key(const struct reg_backend *b, struct reg_key *key)
{
	(void)b;
	if (!key)
		return;
	free(key->physical);
	free(key->display);
	free(key);
}

static void mem_destroy(struct reg_backend *b)
{
	struct mem_reg *r = reg_of(b);

	free_key(&r->root);
	free(r);
}

const struct reg_backend_ops mem_backend_ops = {
    .name = "mem",
    MEM_STORE_OPERATIONS,
    .destroy = mem_destroy,
};

struct reg_backend *mem_backend_new(void)
{
	struct mem_reg *r = xcalloc(1, sizeof(*r));

	r->backend.ops = &mem_backend_ops;
	r->root.name = NULL;
	return &r->backend;
}

bool mem_backend_is(const struct reg_backend *b)
{
	return reg_backend_is(b, &mem_backend_ops);
}

static int cmp_seq(const void *a, const void *b)
{
	const struct mem_value *const *x = a, *const *y = b;

	return ((*x)->seq > (*y)->seq) - ((*x)->seq < (*y)->seq);
}

static int walk_key(const struct mem_key *k, struct strbuf *path, mem_visit_fn visit, void *ctx)
{
	const struct mem_value **ordered = xcalloc(k->nval, sizeof(*ordered));
	const char **names = xcalloc(k->nval, sizeof(*names));
	const struct reg_value **values = xcalloc(k->nval, sizeof(*values));
	struct mem_key_info info;
	size_t i, base = path->len;
	int rc;

	for (i = 0; i < k->nval; i++)
		ordered[i] = &k->values[i];
	qsort(ordered, k->nval, sizeof(*ordered), cmp_seq);
	for (i = 0; i < k->nval; i++) {
		names[i] = ordered[i]->name;
		values[i] = &ordered[i]->v;
	}
	info = (struct mem_key_info){sb_str(path), k->nval, k->nsub, names, values};
	rc = base ? visit(ctx, &info) : 0;
	for (i = 0; !rc && i < k->nsub; i++) {
		if (base)
			sb_addc(path, '\\');
		sb_adds(path, k->subkeys[i]->name);
		rc = walk_key(k->subkeys[i], path, visit, ctx);
		path->len = base;
		path->buf[base] = '\0';
	}
	free(ordered);
	free(names);
	free(values);
	return rc;
}

int mem_walk(const struct reg_backend *b, mem_visit_fn visit, void *ctx)
{
	struct strbuf path = STRBUF_INIT;
	int rc;

	sb_adds(&path, "");
	rc = walk_key(&reg_of(b)->root, &path, visit, ctx);
	sb_free(&path);
	return rc;
}

static const struct mem_key_info *sort_info;

static int cmp_value_name(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return strcmp_ci(sort_info->value_names[*x], sort_info->value_names[*y]);
}

/* Values are dumped by name, not insertion order: a value rewritten by a
 * rollback is the same state even though it was inserted again. */
static int dump_key(void *ctx, const struct mem_key_info *key)
{
	struct strbuf *out = ctx;
	size_t *order = xcalloc(key->nvalues, sizeof(*order));
	size_t i, j;

	for (i = 0; i < key->nvalues; i++)
		order[i] = i;
	sort_info = key;
	qsort(order, key->nvalues, sizeof(*order), cmp_value_name);
	sb_addf(out, "[%s]\n", key->path);
	for (i = 0; i < key->nvalues; i++) {
		const struct reg_value *v = key->values[order[i]];

		sb_addf(out, "  \"%s\" %s:", key->value_names[order[i]],
		        regvalue_type_name(v->type));
		for (j = 0; j < v->size; j++)
			sb_addf(out, "%02x", v->data[j]);
		sb_addc(out, '\n');
	}
	free(order);
	return 0;
}

void mem_dump(const struct reg_backend *b, struct strbuf *out)
{
	mem_walk(b, dump_key, out);
}
