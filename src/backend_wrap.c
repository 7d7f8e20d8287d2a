/* backend_wrap.c - counting, fault-injecting, lying, tracing backend wrapper. */
#include "backend_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wrap_fault {
	enum wrap_call counter;
	size_t k;
	enum wrap_effect effect;
};

struct wrap {
	struct reg_backend backend;
	const struct reg_backend *inner;
	struct wrap_counts counts;
	size_t calls[WRAP_NCOUNTERS];
	size_t injected;
	struct wrap_fault faults[WRAP_MAX_FAULTS];
	size_t nfaults;
	size_t fail_from;
	struct strbuf *trace;
	char last_fault[512];
};

/* The wrapper's handle: the inner handle and where it points, so that
 * traces and fault messages can name the key. */
struct reg_key {
	struct reg_key *inner;
	enum reg_view view;
	char *path;
};

/* Indexed by enum wrap_call: the verb of trace lines, and counter names. */
static const char *const verbs[WRAP_NKINDS] = {
    "open", "create", "read", "write", "delete", "rmkey", "enumkey", "enumvalue",
};
static const char *const call_names[WRAP_NCOUNTERS] = {
    "open_key",    "create_key",   "read_value",
    "write_value", "delete_value", "delete_key_if_empty",
    "enum_subkey", "enum_value",   "write-class",
    "backend",
};
static const char *const effect_names[WRAP_NEFFECTS] = {"fail", "flip", "type", "presence"};
static const char *const lie_results[WRAP_NEFFECTS] = {"FAULT", "LIE flip", "LIE type",
                                                       "LIE presence"};

/* What wrap_fail_writes_from arms on every write-class call from k on. */
static const struct wrap_fault fail_from_fault = {WRAP_WRITE_CLASS, 0, WRAP_FAIL};

static struct wrap *wrap_of(const struct reg_backend *b)
{
	return (struct wrap *)(void *)b; /* the backend is the wrap's first member */
}

static const char *rc_text(int rc)
{
	return rc == SC_OK ? "ok" : rc == SC_NOT_FOUND ? "not found" : "error";
}

static const char *view_text(enum reg_view view)
{
	return view == REG_VIEW_32 ? "32" : "64";
}

static void note(struct wrap *w, bool injected, const char *result, const char *fmt, ...)
    SC_PRINTF(4, 5);

/* One call's line: appended to the trace, and kept as the last fault when
 * the call was failed or falsified on purpose (so a test can say which). */
static void note(struct wrap *w, bool injected, const char *result, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (injected) {
		va_start(ap, fmt);
		n = vsnprintf(w->last_fault, sizeof(w->last_fault), fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof(w->last_fault))
			snprintf(w->last_fault + n, sizeof(w->last_fault) - (size_t)n, " -> %s",
			         result);
	}
	if (!w->trace)
		return;
	va_start(ap, fmt);
	sb_vaddf(w->trace, fmt, ap);
	va_end(ap);
	sb_addf(w->trace, " -> %s\n", result);
}

static bool counts_as(enum wrap_call counter, enum wrap_call kind)
{
	if (counter == kind || counter == WRAP_ANY)
		return true;
	return counter == WRAP_WRITE_CLASS && (kind == WRAP_CREATE || kind == WRAP_WRITE ||
	                                       kind == WRAP_DELETE || kind == WRAP_RMKEY);
}

/* Numbers a call of `kind` in every counter it belongs to; returns the
 * fault armed on it, or NULL. */
static const struct wrap_fault *number(struct wrap *w, enum wrap_call kind)
{
	size_t i;

	for (i = 0; i < WRAP_NCOUNTERS; i++)
		w->calls[i] += counts_as((enum wrap_call)i, kind);
	if (w->fail_from && counts_as(WRAP_WRITE_CLASS, kind) &&
	    w->calls[WRAP_WRITE_CLASS] >= w->fail_from)
		return &fail_from_fault;
	for (i = 0; i < w->nfaults; i++) {
		const struct wrap_fault *f = &w->faults[i];

		if (counts_as(f->counter, kind) && w->calls[f->counter] == f->k)
			return f;
	}
	return NULL;
}

/* Numbers a call; true when it is to fail (err is then set). Lies armed on
 * it are the caller's business (only read_value has an answer to falsify). */
static bool fail_call(struct wrap *w, enum wrap_call kind, const struct wrap_fault **armed,
                      const char *path, const char *name, struct sc_err *err)
{
	const struct wrap_fault *f = number(w, kind);

	if (armed)
		*armed = f;
	if (!f || f->effect != WRAP_FAIL)
		return false;
	w->injected++;
	sc_err_set(err, "HKLM\\%s%s%s%s: injected fault at %s call %zu (%s)", path,
	           name ? " \"" : "", name ? name : "", name ? "\"" : "", call_names[f->counter],
	           w->calls[f->counter], verbs[kind]);
	return true;
}

/* Wraps an inner handle; on allocation failure closes it and fails. */
static int make_handle(struct wrap *w, enum reg_view view, const char *path, struct reg_key *inner,
                       struct reg_key **key, struct sc_err *err)
{
	struct reg_key *h = malloc(sizeof(*h));
	char *copy = malloc(strlen(path) + 1);

	if (!h || !copy) {
		free(h);
		free(copy);
		w->inner->ops->close_key(w->inner, inner);
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
	bool fault = fail_call(w, WRAP_OPEN, NULL, path, NULL, err);
	int rc =
	    fault ? SC_ERROR : w->inner->ops->open_key(w->inner, view, path, access, &inner, err);

	w->counts.opens++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "open %s %s %s", view_text(view), path,
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
	bool fault = fail_call(w, WRAP_CREATE, NULL, path, NULL, err);
	int rc = fault ? SC_ERROR
	               : w->inner->ops->create_key(w->inner, view, path, &inner, created, err);

	w->counts.creates++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "create %s %s", view_text(view), path);
	if (rc != SC_OK)
		return rc;
	return make_handle(w, view, path, inner, key, err);
}

/* Falsifies a read's answer; false when there is nothing to falsify. */
static bool lie(enum wrap_effect how, int *rc, struct reg_value *out)
{
	if (*rc == SC_NOT_FOUND && how == WRAP_LIE_PRESENCE) {
		uint8_t *zero = calloc(1, 4);

		if (!zero)
			return false;
		*out = (struct reg_value){.type = RV_DWORD, .size = 4, .data = zero};
		*rc = SC_OK;
		return true;
	}
	if (*rc != SC_OK)
		return false;
	if (how == WRAP_LIE_PRESENCE) {
		regvalue_free(out);
		*rc = SC_NOT_FOUND;
	} else if (how == WRAP_LIE_FLIP && out->size) {
		out->data[0] ^= 0x01;
	} else {
		out->type = out->type == RV_BINARY ? RV_DWORD : RV_BINARY;
	}
	return true;
}

static int wrap_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                           struct reg_value *out, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	const struct wrap_fault *armed;
	bool fault = fail_call(w, WRAP_READ, &armed, key->path, name, err), lied = false;
	int rc = fault ? SC_ERROR : w->inner->ops->read_value(w->inner, key->inner, name, out, err);

	w->counts.reads++;
	if (!fault && armed)
		lied = lie(armed->effect, &rc, out);
	w->injected += lied;
	note(w, fault || lied, fault || lied ? lie_results[armed->effect] : rc_text(rc),
	     "read %s \"%s\"", key->path, name);
	return rc;
}

static int wrap_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                            const struct reg_value *value, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool fault = fail_call(w, WRAP_WRITE, NULL, key->path, name, err);
	int rc =
	    fault ? SC_ERROR : w->inner->ops->write_value(w->inner, key->inner, name, value, err);

	w->counts.writes++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "write %s \"%s\" %s", key->path, name,
	     regvalue_type_name(value->type));
	return rc;
}

static int wrap_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                             struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool fault = fail_call(w, WRAP_DELETE, NULL, key->path, name, err);
	int rc = fault ? SC_ERROR : w->inner->ops->delete_value(w->inner, key->inner, name, err);

	w->counts.deletes++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "delete %s \"%s\"", key->path, name);
	return rc;
}

static int wrap_delete_key_if_empty(const struct reg_backend *b, enum reg_view view,
                                    const char *path, bool *deleted, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool gone = false, fault = fail_call(w, WRAP_RMKEY, NULL, path, NULL, err);
	int rc =
	    fault ? SC_ERROR : w->inner->ops->delete_key_if_empty(w->inner, view, path, &gone, err);

	*deleted = gone;
	w->counts.key_deletes++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "rmkey %s %s%s", view_text(view), path,
	     rc == SC_OK && !gone ? " (not empty)" : "");
	return rc;
}

static int wrap_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index,
                            char **name, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool fault = fail_call(w, WRAP_ENUM_KEY, NULL, key->path, NULL, err);
	int rc =
	    fault ? SC_ERROR : w->inner->ops->enum_subkey(w->inner, key->inner, index, name, err);

	w->counts.enums++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "enumkey %s #%zu", key->path, index);
	return rc;
}

static int wrap_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index,
                           char **name, struct sc_err *err)
{
	struct wrap *w = wrap_of(b);
	bool fault = fail_call(w, WRAP_ENUM_VALUE, NULL, key->path, NULL, err);
	int rc =
	    fault ? SC_ERROR : w->inner->ops->enum_value(w->inner, key->inner, index, name, err);

	w->counts.enums++;
	note(w, fault, fault ? "FAULT" : rc_text(rc), "enumvalue %s #%zu", key->path, index);
	return rc;
}

static void wrap_close_key(const struct reg_backend *b, struct reg_key *key)
{
	struct wrap *w = wrap_of(b);

	if (!key)
		return;
	w->counts.closes++;
	w->inner->ops->close_key(w->inner, key->inner);
	free(key->path);
	free(key);
}

static void wrap_destroy(struct reg_backend *b)
{
	free(wrap_of(b));
}

/* The inner store's commit (a .reg file is saved through the wrapper as
 * it would be without it; a store without commit commits nothing). */
static int wrap_commit(const struct reg_backend *b, struct sc_err *err)
{
	return reg_backend_commit(wrap_of(b)->inner, err);
}

static const struct reg_backend_ops wrap_ops = {
    .name = "wrap",
    .open_key = wrap_open_key,
    .create_key = wrap_create_key,
    .read_value = wrap_read_value,
    .write_value = wrap_write_value,
    .delete_value = wrap_delete_value,
    .delete_key_if_empty = wrap_delete_key_if_empty,
    .enum_subkey = wrap_enum_subkey,
    .enum_value = wrap_enum_value,
    .close_key = wrap_close_key,
    .commit = wrap_commit,
    .destroy = wrap_destroy,
};

struct reg_backend *wrap_backend_new(const struct reg_backend *inner)
{
	struct wrap *w = xcalloc(1, sizeof(*w));

	w->inner = inner;
	w->backend.ops = &wrap_ops;
	return &w->backend;
}

bool wrap_backend_is(const struct reg_backend *b)
{
	return reg_backend_is(b, &wrap_ops);
}

bool wrap_inject(struct reg_backend *b, enum wrap_call counter, size_t k, enum wrap_effect effect)
{
	struct wrap *w = wrap_of(b);

	if (!k)
		return true;
	if (w->nfaults == WRAP_MAX_FAULTS)
		return false;
	w->faults[w->nfaults++] = (struct wrap_fault){counter, k, effect};
	return true;
}

bool wrap_fail_write(struct reg_backend *b, size_t k)
{
	return wrap_inject(b, WRAP_WRITE_CLASS, k, WRAP_FAIL);
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

const char *wrap_call_name(enum wrap_call counter)
{
	return counter < WRAP_NCOUNTERS ? call_names[counter] : "?";
}

const char *wrap_effect_name(enum wrap_effect effect)
{
	return effect < WRAP_NEFFECTS ? effect_names[effect] : "?";
}

void wrap_trace(struct reg_backend *b, struct strbuf *sb)
{
	wrap_of(b)->trace = sb;
}

const struct wrap_counts *wrap_get_counts(const struct reg_backend *b)
{
	return &wrap_of(b)->counts;
}

size_t wrap_calls(const struct reg_backend *b, enum wrap_call counter)
{
	return counter < WRAP_NCOUNTERS ? wrap_of(b)->calls[counter] : 0;
}

size_t wrap_write_calls(const struct reg_backend *b)
{
	return wrap_of(b)->calls[WRAP_WRITE_CLASS];
}

size_t wrap_faults_injected(const struct reg_backend *b)
{
	return wrap_of(b)->injected;
}

const char *wrap_last_fault(const struct reg_backend *b)
{
	return wrap_of(b)->last_fault;
}

void wrap_reset_counts(struct reg_backend *b)
{
	struct wrap *w = wrap_of(b);

	memset(&w->counts, 0, sizeof(w->counts));
	memset(w->calls, 0, sizeof(w->calls));
	w->injected = 0;
	w->last_fault[0] = '\0';
}
