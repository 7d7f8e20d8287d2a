/*
 * backend_regfile.c - a .reg file as a store (backend_regfile.h): a mem
 * store loaded from the file, remembering how the file was, saved back on
 * commit. The text itself is regfile.c's.
 */
#include "backend_regfile.h"

#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"
#include "lookalike.h"

/* How the file looked on disk; a save writes it the same way. */
struct regfile_layout {
	enum regfile_encoding encoding;
	bool bom; /* UTF-8 only */
	bool lf;
};

static const struct regfile_layout default_layout = {REGFILE_UTF16LE, true, false};

/* What regfile_backend_open returns: a store based on mem (mem's
 * operations work on it, and so do mem_backend_is and mem_walk), plus what
 * the file was. regfile_store_open's kind adds the commit that saves it. */
struct regfile_backend {
	struct mem_based_store base; /* first: callers hold &base.backend */
	char *path;                  /* as opened */
	struct regfile_layout layout;
	struct file_origin origin;
	char **warnings; /* taken from the parsed file */
	size_t nwarnings;
	struct strbuf skipped; /* taken too: a save writes it back */
	bool v4;               /* the file was REGEDIT4 */
};

static void regfile_destroy(struct reg_backend *b)
{
	struct regfile_backend *rb = (struct regfile_backend *)(void *)b;

	size_t i;

	for (i = 0; i < rb->nwarnings; i++)
		free(rb->warnings[i]);
	free(rb->warnings);
	sb_free(&rb->skipped);
	reg_backend_free(rb->base.mem);
	file_origin_free(&rb->origin);
	free(rb->path);
	free(rb);
}

static int regfile_commit(const struct reg_backend *b, struct sc_err *err);

/* A .reg file in memory: writes go to memory only. */
static const struct reg_backend_ops regfile_ops = {
    .name = "regfile",
    .base = &mem_backend_ops,
    MEM_STORE_OPERATIONS,
    .destroy = regfile_destroy,
};

/* A --state file: the transaction's commit saves it. */
static const struct reg_backend_ops regfile_store_ops = {
    .name = "regfile",
    .base = &regfile_ops,
    MEM_STORE_OPERATIONS,
    .commit = regfile_commit,
    .destroy = regfile_destroy,
};

/* The checked downcast: NULL unless b is a .reg file's store. */
static const struct regfile_backend *regfile_backend_of(const struct reg_backend *b)
{
	return reg_backend_is(b, &regfile_ops) ? (const struct regfile_backend *)(const void *)b
	                                       : NULL;
}

/* reg_backend_ops.commit: the transaction's writes went to the in-memory
 * copy; the file changes only at the final rename, so a failure here (or
 * an allocation failure, which aborts) leaves the file as it was. */
static int regfile_commit(const struct reg_backend *b, struct sc_err *err)
{
	return regfile_backend_save(b, regfile_backend_of(b)->path, err);
}

static struct regfile_layout layout_of(const struct regfile *rf)
{
	struct regfile_layout l = {rf->encoding, rf->utf8_bom, rf->lf};

	if (rf->format == REGFILE_V4) /* written as v5: see regfile.h */
		l.encoding = REGFILE_UTF16LE;
	return l;
}

static struct reg_backend *wrap(struct reg_backend *mem, const char *path, struct regfile *rf,
                                struct file_origin *origin)
{
	struct regfile_backend *rb = xcalloc(1, sizeof(*rb));

	rb->base.backend.ops = &regfile_ops;
	rb->base.mem = mem;
	rb->path = xstrdup(path);
	rb->layout = layout_of(rf);
	rb->origin = *origin;
	memset(origin, 0, sizeof(*origin));
	rb->warnings = rf->warnings;
	rb->nwarnings = rf->nwarnings;
	rf->warnings = NULL;
	rf->nwarnings = 0;
	rb->skipped = rf->skipped;
	memset(&rf->skipped, 0, sizeof(rf->skipped));
	rb->v4 = rf->format == REGFILE_V4;
	return &rb->base.backend;
}

const char *const *regfile_backend_warnings(const struct reg_backend *b, size_t *n)
{
	const struct regfile_backend *rb = regfile_backend_of(b);

	*n = rb ? rb->nwarnings : 0;
	return rb && rb->nwarnings ? (const char *const *)rb->warnings : NULL;
}

struct reg_backend *regfile_store_open(const char *path, struct sc_err *err)
{
	struct reg_backend *b = regfile_backend_open(path, err);

	if (b)
		b->ops = &regfile_store_ops;
	return b;
}

/* Names under the TLS roots that only look like known ones (lookalike.h)
 * become warnings of the file, after the parser's. */
static void add_lookalike_warnings(struct regfile_backend *rb)
{
	size_t i, first = rb->nwarnings;

	lookalike_scan(&rb->base.backend, &rb->warnings, &rb->nwarnings);
	for (i = first; i < rb->nwarnings; i++) {
		char *with_file = xasprintf("%s: %s", rb->path, rb->warnings[i]);

		free(rb->warnings[i]);
		rb->warnings[i] = with_file;
	}
}

struct reg_backend *regfile_backend_open(const char *path, struct sc_err *err)
{
	struct reg_backend *b = NULL, *mem;
	struct file_origin origin;
	struct regfile rf;
	size_t size;
	char *data = read_file_origin(path, REGFILE_MAX_SIZE, &size, &origin, err);

	if (!data)
		return NULL;
	if (regfile_parse_flags(path, (const uint8_t *)data, size, REGFILE_SKIP_OTHER_HIVES, &rf,
	                        err) == SC_OK) {
		mem = mem_backend_new();
		if (regfile_apply_records(&rf, mem, err) == SC_OK) {
			b = wrap(mem, path, &rf, &origin);
			add_lookalike_warnings((struct regfile_backend *)(void *)b);
		} else {
			sc_err_prefix(err, "%s", path);
			reg_backend_free(mem);
		}
		regfile_free(&rf);
	}
	file_origin_free(&origin);
	free(data);
	return b;
}

/* Line ends the formatter wrote as CRLF that an LF file drops. */
static size_t count_crlf(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (++p < end && *p == '\n')
			n++;
	}
	return n;
}

static int too_big(const char *path, size_t size, struct sc_err *err)
{
	return sc_err_set(err,
	                  "%s: not saved: the new state would be %zu bytes, over the %u-byte "
	                  "limit for .reg files (the file is unchanged)",
	                  path, size, REGFILE_MAX_SIZE);
}

/* text (UTF-8, CRLF) -> the bytes of a file with layout l, or NULL with
 * err set when it would exceed REGFILE_MAX_SIZE or memory runs out. Plain
 * malloc: this runs inside an apply transaction. */
static uint8_t *encode_as(const char *path, const char *text, size_t len,
                          const struct regfile_layout *l, size_t *size, struct sc_err *err)
{
	size_t drop = l->lf ? count_crlf(text, len) : 0, units = len, i, o = 0;
	uint16_t *w = NULL;
	uint8_t *out = NULL;
	bool utf16 = l->encoding == REGFILE_UTF16LE;

	if (utf16 && !(w = utf8_to_utf16(text, len, &units))) {
		sc_err_set(err, "%s: out of memory or invalid text while encoding", path);
		return NULL;
	}
	*size = utf16 ? 2 + 2 * (units - drop) : (l->bom ? 3 : 0) + len - drop;
	if (*size > REGFILE_MAX_SIZE)
		too_big(path, *size, err);
	else if (!(out = malloc(*size ? *size : 1)))
		sc_err_set(err, "%s: out of memory while encoding", path);
	if (out && utf16) {
		out[o++] = 0xFF;
		out[o++] = 0xFE;
		for (i = 0; i < units; i++) {
			if (l->lf && w[i] == '\r' && i + 1 < units && w[i + 1] == '\n')
				continue;
			out[o++] = (uint8_t)(w[i] & 0xFF);
			out[o++] = (uint8_t)(w[i] >> 8);
		}
	} else if (out) {
		if (l->bom) {
			memcpy(out, "\xEF\xBB\xBF", 3);
			o = 3;
		}
		for (i = 0; i < len; i++) {
			if (!(l->lf && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
				out[o++] = (uint8_t)text[i];
		}
	}
	free(w);
	return out;
}

int regfile_backend_save(const struct reg_backend *b, const char *path, struct sc_err *err)
{
	const struct regfile_backend *rb = regfile_backend_of(b);
	bool same_file = rb && rb->origin.known && !strcmp(rb->path, path);
	const struct regfile_layout *layout = rb ? &rb->layout : &default_layout;
	struct strbuf text = STRBUF_INIT;
	uint8_t *bytes;
	size_t size;
	int rc = SC_ERROR;

	if (rb && rb->skipped.len && rb->v4) {
		return sc_err_set(err,
		                  "%s: not saved: %s is a REGEDIT4 file with sections of other "
		                  "hives, which a save (as version 5) would change; convert it "
		                  "(regedit, reg export) first (the file is unchanged)",
		                  path, rb->path);
	}
	regfile_format_mem(b, &text);
	if (rb) /* the sections skipped when reading, as they were */
		sb_add(&text, rb->skipped.buf, rb->skipped.len);
	bytes = encode_as(path, text.buf, text.len, layout, &size, err);
	sb_free(&text);
	if (bytes && same_file)
		rc = write_file_replace(&rb->origin, bytes, size, err);
	else if (bytes)
		rc = write_file_atomic(path, bytes, size, err);
	free(bytes);
	return rc;
}
