#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sc_err_set(struct sc_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return SC_ERROR;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return SC_ERROR;
}

int sc_err_prefix(struct sc_err *err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!err)
		return SC_ERROR;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_addf(&sb, ": %s", err->msg);
	snprintf(err->msg, sizeof(err->msg), "%s", sb_str(&sb));
	sb_free(&sb);
	return SC_ERROR;
}

static void out_of_memory(size_t size)
{
	fprintf(stderr, "schannelcfg: out of memory (%zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void xgrow(void *array_ptr, size_t *cap, size_t need, size_t elem_size)
{
	void **array = array_ptr;
	size_t new_cap;

	if (need <= *cap)
		return;
	new_cap = *cap ? *cap : 8;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2 / elem_size)
			out_of_memory(SIZE_MAX);
		new_cap *= 2;
	}
	*array = xrealloc(*array, new_cap * elem_size);
	*cap = new_cap;
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	xgrow(&sb->buf, &sb->cap, sb->len + len + 1, 1);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	xgrow(&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int strncmp_ci(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ca = fold((unsigned char)a[i]);
		int cb = fold((unsigned char)b[i]);

		if (ca != cb)
			return ca - cb;
		if (!ca)
			break;
	}
	return 0;
}

int strcmp_ci(const char *a, const char *b)
{
	return strncmp_ci(a, b, SIZE_MAX);
}

bool streq_ci(const char *a, const char *b)
{
	return strcmp_ci(a, b) == 0;
}

bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool starts_with_ci(const char *s, const char *prefix)
{
	return strncmp_ci(s, prefix, strlen(prefix)) == 0;
}

char *trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	return s;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_hex_u64(const char *s, size_t max_digits, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!*s || max_digits > 16)
		return false;
	for (i = 0; s[i]; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || i >= max_digits)
			return false;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	return true;
}

bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t digits = strlen(s + 2);

		/* Leading zeros are fine; only the value is bounded. */
		while (digits > 16 && s[2] == '0') {
			s++;
			digits--;
		}
		if (!parse_hex_u64(s + 2, 16, &v) || v > max)
			return false;
		*out = v;
		return true;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Decodes one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

uint16_t *utf8_to_utf16(const char *s, size_t len, size_t *out_units)
{
	const unsigned char *p = (const unsigned char *)s;
	uint16_t *out;
	size_t i = 0, o = 0;

	if (len > SIZE_MAX / sizeof(uint16_t) - 1)
		return NULL;
	out = malloc((len + 1) * sizeof(uint16_t)); /* never more units than bytes */
	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (!n) {
			free(out);
			return NULL;
		}
		i += n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[o++] = (uint16_t)(0xD800 + (cp >> 10));
			out[o++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
		} else {
			out[o++] = (uint16_t)cp;
		}
	}
	out[o] = 0;
	if (out_units)
		*out_units = o;
	return out;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Reads code unit i from either a uint16_t array or little-endian bytes. */
static char *utf16_units_to_utf8(const void *src, bool le_bytes, size_t units, size_t *out_len)
{
	const uint16_t *w = src;
	const uint8_t *b = src;
	char *out;
	size_t i, o = 0;

	if (units > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(units * 3 + 1); /* a surrogate pair (2 units) needs 4 bytes */
	if (!out)
		return NULL;
	for (i = 0; i < units; i++) {
		uint32_t c = le_bytes ? (uint32_t)(b[2 * i] | (b[2 * i + 1] << 8)) : w[i];

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
			uint32_t d =
			    le_bytes ? (uint32_t)(b[2 * i + 2] | (b[2 * i + 3] << 8)) : w[i + 1];

			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i++;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		o += utf8_encode(c, out + o);
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

char *utf16_to_utf8(const uint16_t *s, size_t units, size_t *out_len)
{
	return utf16_units_to_utf8(s, false, units, out_len);
}

char *utf16le_bytes_to_utf8(const uint8_t *bytes, size_t size, size_t *out_len)
{
	return utf16_units_to_utf8(bytes, true, size / 2, out_len);
}

char *utc_iso_time(time_t t)
{
	struct tm tm;
	char buf[32];

#ifdef _WIN32
	gmtime_s(&tm, &t);
#else
	gmtime_r(&t, &tm);
#endif
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}
