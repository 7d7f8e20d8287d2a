/* backend_wrap.c - counting, fault-injecting, tracing backend wrapper. */
#include "backend_wrap.h"

#include <stdlib.h>
#include <string.h>

struct wrap {
	struct reg_backend backend;
	const struct reg_backend *inner;
	struct wrap_counts counts;
	size_t write_calls, injected;
	size_t faults[WRAP_MAX_FAULTS];
	size_t nfaults;
	size_t fail_from;
	struct strbuf *trace;
};

/* The wrapper's handle: the inner handle and where it points, so that
 * traces and fault messages can name the key. */
struct reg_key {
	struct reg_key *inner;
	enum reg_view view;
	char *path;
};

static struct wrap *wrap_of(const struct reg_backend *b)
{
	return b->self;
}

static const char *rc_text(int rc)
{
	return rc == SC_OK ? "ok" : rc == SC_NOT_FOUND ? "not found" : "error";
}

static void trace(struct wrap *w, int rc, const char *fmt, ...) SC_PRINTF(3, 4);

static void trace(struct wrap *w, int rc, const char *fmt, ...)
{
	va_list ap;

	if (!w->trace)
		return;
	va_start(ap, fmt);
	sb_vaddf(w->trace, fmt, ap);
	va_end(ap);
	sb_addf(w->trace, " -> %s\n", rc_text(rc));
}

/* As the line of the call itself would read: key calls name the view,
 * value calls the value. */
static void trace_fault(struct wrap *w, const char *what, enum reg_view view, const char *path,
			const char *name)
{
	if (!w->trace)
		return;
	if (name)
		sb_addf(w->trace, "%s %s \"%s\" -> FAULT\n", what, path, name);
	else
		sb_addf(w->trace, "%s %s %s -> FAULT\n", what, view == REG_VIEW_32 ? "32" : "64",
			path);
}

/* Numbers a write-class call; true when it is to fail (err is then set). */
static bool inject(struct wrap *w, const char *what, enum reg_view view, const char *path,
		   const char *name, struct sc_err *err)
{
	size_t i, k = ++w->write_calls;
	bool fail = w->fail_from && k >= w->fail_from;

	for (i = 0; !fail && i < w->nfaults; i++)
		fail = w->faults[i] == k;
	if (!fail)
		return false;
	w->injected++;
	trace_fault(w, what, view, path, name);
	sc_err_set(err, "HKLM\\%s%s%s%s: injected fault at write-class call %zu (%s)", path,
		   name ? " \"" : "", name ? name : "", name ? "\"" : "", k, what);
	return true;
}

/* Wraps an inner handle; on allocation failure closes it and fails. */
static int make_handle(struct wrap *w, enum reg_view view, const char *path,
		       struct reg_key *inner, struct reg_key **key, struct sc_err *err)
{
	struct reg_key *h = malloc(sizeof(*h));
	char *copy = malloc(strlen(path) + 1);

	if (!h || !copy) {
		free(h);
		free(copy);
		w->inner->close_key(w->inner, inner);
		return sc_err_set(err, "HKLM\\%s: out of memory opening the key", path);
	}
	strcpy(copy, path);
	h->inner = inner;
	h->view = view;
	h->path = copy;
	*key = h;
	return SC_OK;
}

static int wrap_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
			 enum reg_access access, struct reg_key **key, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	struct reg_key *inner = NULL;
	int rc;

	w->counts.opens++;
	rc = w->inner->open_key(w->inner, view, path, access, &inner, err);
	trace(w, rc, "open %s %s %s", view == REG_VIEW_32 ? "32" : "64", path,
	      access == REG_ACCESS_WRITE ? "write" : "read");
	if (rc != SC_OK)
		return rc;
	return make_handle(w, view, path, inner, key, err);
}

static int wrap_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
			   struct reg_key **key, bool *created, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	struct reg_key *inner = NULL;
	int rc;

	w->counts.creates++;
	if (inject(w, "create", view, path, NULL, err))
		return SC_ERROR;
	rc = w->inner->create_key(w->inner, view, path, &inner, created, err);
	trace(w, rc, "create %s %s", view == REG_VIEW_32 ? "32" : "64", path);
	if (rc != SC_OK)
		return rc;
	return make_handle(w, view, path, inner, key, err);
}

static int wrap_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
			   struct reg_value *out, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	int rc;

	w->counts.reads++;
	rc = w->inner->read_value(w->inner, key->inner, name, out, err);
	trace(w, rc, "read %s \"%s\"", key->path, name);
	return rc;
}

static int wrap_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
			    const struct reg_value *value, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	int rc;

	w->counts.writes++;
	if (inject(w, "write", key->view, key->path, name, err))
		return SC_ERROR;
	rc = w->inner->write_value(w->inner, key->inner, name, value, err);
	trace(w, rc, "write %s \"%s\" %s", key->path, name, regvalue_type_name(value->type));
	return rc;
}

static int wrap_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
			     struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	int rc;

	w->counts.deletes++;
	if (inject(w, "delete", key->view, key->path, name, err))
		return SC_ERROR;
	rc = w->inner->delete_value(w->inner, key->inner, name, err);
	trace(w, rc, "delete %s \"%s\"", key->path, name);
	return rc;
}

static int wrap_delete_key_if_empty(const struct reg_backend *b, enum reg_view view,
				    const char *path, bool *deleted, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool gone = false;
	int rc;

	*deleted = false;
	w->counts.key_deletes++;
	if (inject(w, "rmkey", view, path, NULL, err))
		return SC_ERROR;
	rc = w->inner->delete_key_if_empty(w->inner, view, path, &gone, err);
	*deleted = gone;
	trace(w, rc, "rmkey %s %s%s", view == REG_VIEW_32 ? "32" : "64", path,
	      rc == SC_OK && !gone ? " (not empty)" : "");
	return rc;
}

static int wrap_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index,
			    char **name, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	int rc;

	w->counts.enums++;
	rc = w->inner->enum_subkey(w->inner, key->inner, index, name, err);
	trace(w, rc, "enumkey %s #%zu", key->path, index);
	return rc;
}

static int wrap_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index,
			   char **name, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	int rc;

	w->counts.enums++;
	rc = w->inner->enum_value(w->inner, key->inner, index, name, err);
	trace(w, rc, "enumvalue %s #%zu", key->path, index);
	return rc;
}

static void wrap_close_key(const struct reg_backend *b, struct reg_key *key)
{
	struct wrap *w = wrap_of(b);

	if (!key)
		return;
	w->counts.closes++;
	w->inner->close_key(w->inner, key->inner);
	free(key->path);
	free(key);
}

static void wrap_destroy(struct reg_backend *b)
{
	free(wrap_of(b));
}

struct reg_backend *wrap_backend_new(const struct reg_backend *inner)
{
	struct wrap *w = xcalloc(1, sizeof(*w));

	w->inner = inner;
	w->backend = (struct reg_backend){
		.name = "wrap",
		.self = w,
		.open_key = wrap_open_key,
		.create_key = wrap_create_key,
		.read_value = wrap_read_value,
		.write_value = wrap_write_value,
		.delete_value = wrap_delete_value,
		.delete_key_if_empty = wrap_delete_key_if_empty,
		.enum_subkey = wrap_enum_subkey,
		.enum_value = wrap_enum_value,
		.close_key = wrap_close_key,
		.destroy = wrap_destroy,
	};
	return &w->backend;
}

bool wrap_backend_is(const struct reg_backend *b)
{
	return b && b->open_key == wrap_open_key;
}

bool wrap_fail_write(struct reg_backend *b, size_t k)
{
	struct wrap *w = wrap_of(b);

	if (!k)
		return true;
	if (w->nfaults == WRAP_MAX_FAULTS)
		return false;
	w->faults[w->nfaults++] = k;
	return true;
}

void wrap_fail_writes_from(struct reg_backend *b, size_t k)
{
	wrap_of(b)->fail_from = k;
}

void wrap_clear_faults(struct reg_backend *b)
{
	struct wrap *w = wrap_of(b);

	w->nfaults = 0;
	w->fail_from = 0;
}

void wrap_trace(struct reg_backend *b, struct strbuf *sb)
{
	wrap_of(b)->trace = sb;
}

const struct wrap_counts *wrap_get_counts(const struct reg_backend *b)
{
	return &wrap_of(b)->counts;
}

size_t wrap_write_calls(const struct reg_backend *b)
{
	return wrap_of(b)->write_calls;
}

size_t wrap_faults_injected(const struct reg_backend *b)
{
	return wrap_of(b)->injected;
}

void wrap_reset_counts(struct reg_backend *b)
{
	struct wrap *w = wrap_of(b);

	memset(&w->counts, 0, sizeof(w->counts));
	w->write_calls = 0;
	w->injected = 0;
}
