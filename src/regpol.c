/*
 * regpol.c - a diff as a Registry.pol document (regpol.h).
 *
 * MUST: the document makes exactly the diff's value changes, no others;
 * MUST NOT: a **DeleteKeys instruction (it deletes whole subtrees).
 */
#include "regpol.h"

#include <stdlib.h>
#include <string.h>

#include "regvalue.h"

static void put_u32(struct strbuf *sb, uint32_t v)
{
	const char b[4] = {(char)(v & 0xFF), (char)((v >> 8) & 0xFF), (char)((v >> 16) & 0xFF),
	                   (char)((v >> 24) & 0xFF)};

	sb_add(sb, b, sizeof(b));
}

/* One UTF-16LE code unit: the instruction's '[', ';' and ']'. */
static void put_char16(struct strbuf *sb, char c)
{
	const char b[2] = {c, 0};

	sb_add(sb, b, sizeof(b));
}

/* A NUL-terminated UTF-16LE string. The text comes from a plan, whose
 * paths and names were checked as UTF-8 when they were read. */
static int put_string16(struct strbuf *sb, const char *utf8, struct sc_err *err)
{
	size_t units, i;
	uint16_t *w = utf8_to_utf16(utf8, strlen(utf8), &units);

	if (!w)
		return sc_err_set(err, "\"%s\": not valid UTF-8", utf8);
	for (i = 0; i <= units; i++) {
		const char b[2] = {(char)(w[i] & 0xFF), (char)(w[i] >> 8)};

		sb_add(sb, b, sizeof(b));
	}
	free(w);
	return SC_OK;
}

static int put_instruction(struct strbuf *sb, const char *key, const char *name, uint32_t type,
                           const uint8_t *data, size_t size, struct sc_err *err)
{
	put_char16(sb, '[');
	if (put_string16(sb, key, err) != SC_OK)
		return SC_ERROR;
	put_char16(sb, ';');
	if (put_string16(sb, name, err) != SC_OK)
		return SC_ERROR;
	put_char16(sb, ';');
	put_u32(sb, type);
	put_char16(sb, ';');
	put_u32(sb, (uint32_t)size);
	put_char16(sb, ';');
	if (size)
		sb_add(sb, (const char *)data, size);
	put_char16(sb, ']');
	return SC_OK;
}

static bool type_allowed(uint32_t type)
{
	return type == RV_SZ || type == RV_EXPAND_SZ || type == RV_BINARY || type == RV_DWORD ||
	       type == RV_DWORD_BIG_ENDIAN || type == RV_MULTI_SZ || type == RV_QWORD;
}

/* The key as a Registry.pol names it: the 32-bit view's SOFTWARE is the
 * physical SOFTWARE\Wow6432Node, which the Group Policy client (a 64-bit
 * service) reaches by that name; SYSTEM is one key for both views. */
static char *pol_key(const struct plan_op *op)
{
	if (op->view == REG_VIEW_32 && starts_with_ci(op->path, "SOFTWARE\\"))
		return xasprintf("SOFTWARE\\Wow6432Node\\%s", op->path + strlen("SOFTWARE\\"));
	return xstrdup(op->path);
}

static int check_name(const struct plan_op *op, const char *key, const char *name,
                      struct sc_err *err)
{
	size_t units;
	uint16_t *w = utf8_to_utf16(name, strlen(name), &units);

	free(w);
	if (!*op->name)
		return sc_err_set(err,
		                  "HKLM\\%s: the unnamed (default) value cannot be set in a "
		                  "Registry.pol (an empty value name there means \"the key only\")",
		                  key);
	if (!w || units > REGPOL_MAX_NAME)
		return sc_err_set(err,
		                  "HKLM\\%s \"%s\": a Registry.pol value name has at most %d "
		                  "characters",
		                  key, op->name, REGPOL_MAX_NAME);
	return SC_OK;
}

static int put_set(struct strbuf *sb, const struct plan_op *op, const char *key,
                   const struct reg_value *v, struct sc_err *err)
{
	if (check_name(op, key, op->name, err) != SC_OK)
		return SC_ERROR;
	if (!type_allowed(v->type))
		return sc_err_set(err, "HKLM\\%s \"%s\": %s cannot be written by a Registry.pol",
		                  key, op->name, regvalue_type_name(v->type));
	if (v->size > REGPOL_MAX_DATA)
		return sc_err_set(err,
		                  "HKLM\\%s \"%s\": %zu bytes of data; a Registry.pol instruction "
		                  "holds at most %u",
		                  key, op->name, v->size, REGPOL_MAX_DATA);
	return put_instruction(sb, key, op->name, v->type, v->data, v->size, err);
}

/* "**del.NAME", REG_SZ " ": how the Group Policy editors write "delete
 * this value" (Registry Policy File Format: "**Del.valuename"). */
static int put_delete(struct strbuf *sb, const struct plan_op *op, const char *key,
                      struct sc_err *err)
{
	static const uint8_t space[] = {' ', 0, 0, 0};
	char *del = xasprintf("**del.%s", op->name);
	int rc = check_name(op, key, del, err);

	if (rc == SC_OK)
		rc = put_instruction(sb, key, del, RV_SZ, space, sizeof(space), err);
	free(del);
	return rc;
}

static int put_entry(struct strbuf *sb, const struct diff_entry *e, struct sc_err *err)
{
	const struct plan_op *op = e->op;
	char *key = pol_key(op);
	int rc = SC_OK;

	switch (op->kind) {
	case OP_SET:
	case OP_DELETE_VALUE:
	case OP_LIST_EDIT:
		if (e->after_present)
			rc = put_set(sb, op, key, &e->after, err);
		else
			rc = put_delete(sb, op, key, err);
		break;
	case OP_CREATE_KEY:
		/* "If value, type, size, or data are missing or zero, only the
		 * registry key will be created" (Registry Policy File Format). */
		rc = put_instruction(sb, key, "", RV_SZ, NULL, 0, err);
		break;
	case OP_DELETE_KEY_IF_EMPTY: break; /* regpol.h: left out */
	}
	free(key);
	return rc;
}

int regpol_from_diff(const struct diff *d, uint8_t **out, size_t *size, struct sc_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*out = NULL;
	*size = 0;
	put_u32(&sb, REGPOL_SIGNATURE);
	put_u32(&sb, REGPOL_VERSION);
	for (i = 0; i < d->n; i++) {
		if (!d->entries[i].changed)
			continue;
		if (put_entry(&sb, &d->entries[i], err) != SC_OK) {
			sb_free(&sb);
			return SC_ERROR;
		}
	}
	*size = sb.len;
	*out = (uint8_t *)sb_detach(&sb);
	return SC_OK;
}
