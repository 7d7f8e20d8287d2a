#include "regvalue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *regvalue_type_name(uint32_t type)
{
	static const char *const names[] = {
	    "REG_NONE",
	    "REG_SZ",
	    "REG_EXPAND_SZ",
	    "REG_BINARY",
	    "REG_DWORD",
	    "REG_DWORD_BIG_ENDIAN",
	    "REG_LINK",
	    "REG_MULTI_SZ",
	    "REG_RESOURCE_LIST",
	    "REG_FULL_RESOURCE_DESCRIPTOR",
	    "REG_RESOURCE_REQUIREMENTS_LIST",
	    "REG_QWORD",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "REG_UNKNOWN";
}

void regvalue_set_bytes(struct reg_value *v, uint32_t type, const void *data, size_t size)
{
	v->type = type;
	v->size = size;
	v->data = size ? xmalloc(size) : NULL;
	if (size)
		memcpy(v->data, data, size);
}

void regvalue_set_dword(struct reg_value *v, uint32_t dword)
{
	uint8_t b[4] = {(uint8_t)dword, (uint8_t)(dword >> 8), (uint8_t)(dword >> 16),
	                (uint8_t)(dword >> 24)};

	regvalue_set_bytes(v, RV_DWORD, b, sizeof(b));
}

void regvalue_set_qword(struct reg_value *v, uint64_t qword)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(qword >> (8 * i));
	regvalue_set_bytes(v, RV_QWORD, b, sizeof(b));
}

/* Appends the UTF-16LE encoding of utf8 plus one NUL terminator. */
static bool append_utf16(struct strbuf *sb, const char *utf8)
{
	size_t units, i;
	uint16_t *w = utf8_to_utf16(utf8, strlen(utf8), &units);

	if (!w)
		return false;
	for (i = 0; i <= units; i++) {
		char le[2] = {(char)(w[i] & 0xFF), (char)(w[i] >> 8)};

		sb_add(sb, le, 2);
	}
	free(w);
	return true;
}

static void take_strbuf(struct reg_value *v, uint32_t type, struct strbuf *sb)
{
	v->type = type;
	v->size = sb->len;
	v->data = (uint8_t *)sb_detach(sb);
}

bool regvalue_set_string(struct reg_value *v, uint32_t type, const char *utf8)
{
	struct strbuf sb = STRBUF_INIT;

	if (!append_utf16(&sb, utf8)) {
		sb_free(&sb);
		return false;
	}
	take_strbuf(v, type, &sb);
	return true;
}

bool regvalue_set_multi_sz(struct reg_value *v, char *const *items, size_t count)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < count; i++) {
		if (!items[i][0] || !append_utf16(&sb, items[i])) {
			sb_free(&sb);
			return false;
		}
	}
	sb_add(&sb, "\0\0", 2);
	take_strbuf(v, RV_MULTI_SZ, &sb);
	return true;
}

int regvalue_copy(struct reg_value *dst, const struct reg_value *src, struct sc_err *err)
{
	dst->type = src->type;
	dst->size = src->size;
	dst->data = NULL;
	if (!src->size)
		return SC_OK;
	dst->data = malloc(src->size);
	if (!dst->data)
		return sc_err_set(err, "out of memory copying a %zu-byte value", src->size);
	memcpy(dst->data, src->data, src->size);
	return SC_OK;
}

void regvalue_free(struct reg_value *v)
{
	free(v->data);
	v->data = NULL;
	v->size = 0;
}

bool regvalue_equal(const struct reg_value *a, const struct reg_value *b)
{
	return a->type == b->type && a->size == b->size &&
	       (!a->size || memcmp(a->data, b->data, a->size) == 0);
}

bool regvalue_get_dword(const struct reg_value *v, uint32_t *out)
{
	if (v->type != RV_DWORD || v->size != 4)
		return false;
	*out = (uint32_t)v->data[0] | (uint32_t)v->data[1] << 8 | (uint32_t)v->data[2] << 16 |
	       (uint32_t)v->data[3] << 24;
	return true;
}

/* Number of UTF-16 units before the first NUL unit (or the end). */
static size_t units_to_nul(const uint8_t *p, size_t units)
{
	size_t i;

	for (i = 0; i < units; i++)
		if (!p[2 * i] && !p[2 * i + 1])
			break;
	return i;
}

char *regvalue_get_string(const struct reg_value *v)
{
	size_t units = units_to_nul(v->data, v->size / 2);
	char *s = utf16le_bytes_to_utf8(v->data, units * 2, NULL);

	if (!s) {
		fprintf(stderr, "schannelcfg: out of memory\n");
		abort();
	}
	return s;
}

char **regvalue_get_multi_sz(const struct reg_value *v, size_t *count)
{
	size_t total = v->size / 2, pos = 0, n = 0, cap = 0;
	char **items = NULL;

	while (pos < total) {
		size_t len = units_to_nul(v->data + 2 * pos, total - pos);
		char *s;

		if (!len)
			break;
		s = utf16le_bytes_to_utf8(v->data + 2 * pos, len * 2, NULL);
		if (!s)
			abort();
		xgrow(&items, &cap, n + 1, sizeof(*items));
		items[n++] = s;
		pos += len + 1;
	}
	*count = n;
	return items;
}

void strlist_free(char **items, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

char **strlist_dup(char *const *items, size_t count)
{
	char **copy;
	size_t i;

	if (!count)
		return NULL;
	copy = xcalloc(count, sizeof(*copy));
	for (i = 0; i < count; i++)
		copy[i] = xstrdup(items[i]);
	return copy;
}

bool regvalue_is_clean_string(const struct reg_value *v)
{
	size_t units = v->size / 2, i;

	if (v->size % 2 || units == 0)
		return false;
	if (v->type == RV_SZ || v->type == RV_EXPAND_SZ)
		return units_to_nul(v->data, units) == units - 1;
	if (v->type != RV_MULTI_SZ)
		return false;
	/* Strings separated by single NULs and ending in an empty string. */
	if (units == 1)
		return false;
	if (units == 2)
		return v->data[0] == 0 && v->data[1] == 0 && v->data[2] == 0 && v->data[3] == 0;
	for (i = 0; i < units; i++) {
		bool nul = !v->data[2 * i] && !v->data[2 * i + 1];
		bool prev_nul = i > 0 && !v->data[2 * i - 2] && !v->data[2 * i - 1];

		if (i == 0 && nul)
			return false;
		if (nul && prev_nul && i != units - 1)
			return false;
	}
	return !v->data[2 * units - 2] && !v->data[2 * units - 1] && !v->data[2 * units - 4] &&
	       !v->data[2 * units - 3];
}

bool regvalue_is_malformed_string(const struct reg_value *v)
{
	return (v->type == RV_SZ || v->type == RV_EXPAND_SZ || v->type == RV_MULTI_SZ) &&
	       !regvalue_is_clean_string(v);
}

static void describe_hex(const struct reg_value *v, struct strbuf *sb)
{
	size_t i, shown = v->size < 32 ? v->size : 32;

	for (i = 0; i < shown; i++)
		sb_addf(sb, "%s%02x", i ? "," : "", v->data[i]);
	if (shown < v->size)
		sb_addf(sb, ",... (%zu bytes)", v->size);
}

void regvalue_describe(const struct reg_value *v, struct strbuf *sb)
{
	uint32_t dword;

	sb_addf(sb, "%s ", regvalue_type_name(v->type));
	if (regvalue_get_dword(v, &dword)) {
		sb_addf(sb, "0x%08x (%u)", dword, dword);
	} else if ((v->type == RV_SZ || v->type == RV_EXPAND_SZ) && v->size % 2 == 0) {
		char *s = regvalue_get_string(v);

		sb_addf(sb, "\"%s\"", s);
		free(s);
	} else if (v->type == RV_MULTI_SZ && v->size % 2 == 0) {
		size_t n;
		char **items = regvalue_get_multi_sz(v, &n);

		sb_addf(sb, "[%zu string%s]", n, n == 1 ? "" : "s");
		strlist_free(items, n);
	} else {
		describe_hex(v, sb);
	}
}
