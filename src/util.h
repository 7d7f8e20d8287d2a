/*
 * util.h - small portable helpers shared by every stage of schannelcfg.
 *
 * Errors: functions that can fail take a `struct sc_err *` and fill its
 * message; only the CLI edge prints it. Status codes are `enum sc_status`.
 *
 * Memory: xmalloc/xcalloc/xrealloc/xstrdup abort the process when memory is
 * exhausted. They are used only before the first registry write (parsing,
 * compiling, diffing, rendering). Code that runs between the first write and
 * the end of an automatic rollback (apply.c, the backends) uses plain malloc
 * and reports SC_ERROR instead, so that no exit path exists inside a
 * transaction.
 */
#ifndef SCHANNELCFG_UTIL_H
#define SCHANNELCFG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum sc_status {
	SC_OK = 0,
	SC_NOT_FOUND = 1, /* the key or value does not exist: not an error */
	SC_ERROR = -1,    /* message in the sc_err */
};

#define SC_ERR_MAX 1024

/* An error message buffer. A zeroed struct means "no error yet". */
struct sc_err {
	char msg[SC_ERR_MAX];
};

#if defined(__MINGW32__)
/* __USE_MINGW_ANSI_STDIO gives C99 printf; tell the checker so. */
#define SC_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
#define SC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SC_PRINTF(a, b)
#endif

/* Sets err->msg (if err is not NULL) and returns SC_ERROR. */
int sc_err_set(struct sc_err *err, const char *fmt, ...) SC_PRINTF(2, 3);
/* Prefixes the existing message with "prefix: ". Returns SC_ERROR. */
int sc_err_prefix(struct sc_err *err, const char *fmt, ...) SC_PRINTF(2, 3);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) SC_PRINTF(1, 2);

/* Grows *array (of *cap elements of elem_size) so it holds at least `need`. */
void xgrow(void *array_ptr, size_t *cap, size_t need, size_t elem_size);

/*
 * A growable NUL-terminated byte string. Zero-initialise (STRBUF_INIT) before
 * use; sb_free releases it; sb_detach hands the buffer to the caller (who then
 * owns it and must free() it) and resets the strbuf.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) SC_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) SC_PRINTF(2, 0);
const char *sb_str(const struct strbuf *sb); /* "" when empty */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* ASCII case-insensitive comparison, as the registry compares our names. */
int strcmp_ci(const char *a, const char *b);
int strncmp_ci(const char *a, const char *b, size_t n);
bool streq_ci(const char *a, const char *b);
bool starts_with(const char *s, const char *prefix);
bool starts_with_ci(const char *s, const char *prefix);

/* "2026-11-23T05:09:04Z": t in UTC, ISO 8601. xmalloc'd. */
char *utc_iso_time(time_t t);

/* Strips ASCII spaces and tabs from both ends, in place. Returns s. */
char *trim(char *s);

/*
 * Bounded unsigned parse: decimal, or hexadecimal with a 0x prefix. The whole
 * string must be consumed; leading/trailing spaces are not accepted.
 * Returns true and sets *out when the number is valid and <= max.
 */
bool parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Parses exactly `digits`-limited hex (1..max_digits chars) without prefix. */
bool parse_hex_u64(const char *s, size_t max_digits, uint64_t *out);

/*
 * UTF-8 <-> UTF-16LE. utf8_to_utf16 returns a malloc'd array of uint16_t
 * (NUL-terminated, *out_units excludes the NUL) or NULL on invalid UTF-8 or
 * out-of-memory. utf16_to_utf8 converts `units` code units (unpaired
 * surrogates become U+FFFD) and returns a malloc'd NUL-terminated string;
 * embedded NULs are kept (use *out_len). Both use plain malloc (no abort).
 */
uint16_t *utf8_to_utf16(const char *s, size_t len, size_t *out_units);
char *utf16_to_utf8(const uint16_t *s, size_t units, size_t *out_len);
/* Reads little-endian code units from bytes (size may be odd: last byte dropped). */
char *utf16le_bytes_to_utf8(const uint8_t *bytes, size_t size, size_t *out_len);
bool utf8_valid(const char *s, size_t len);

/*
 * Reads a whole file into memory (NUL-appended; *size excludes the NUL).
 * Returns a malloc'd buffer the caller frees, or NULL with err set.
 * Refused, without blocking and before reading a byte: anything that is not
 * a regular file ("PATH: not a regular file", also for a FIFO, a device or,
 * with " (a directory)", a directory; on Windows anything GetFileType does
 * not call a disk file) and files larger than max_size ("PATH: file larger
 * than N bytes"). The path is UTF-8 (converted to UTF-16 on Windows).
 */
char *read_file(const char *path, size_t max_size, size_t *size, struct sc_err *err);

/*
 * What a file was when read_file_origin read it, so write_file_replace can
 * rewrite it as it was. Zero-initialised means "nothing known".
 * file_origin_free releases target (the struct itself is the caller's).
 */
struct file_origin {
	bool known;        /* set by a successful read_file_origin */
	char *target;      /* the file itself, symlinks resolved (malloc'd):
	                    * on Windows a "\\?\" path from GetFinalPathNameByHandle */
	unsigned mode;     /* POSIX permission bits (st_mode & 07777) */
	unsigned long uid; /* POSIX owner and group */
	unsigned long gid;
};

/* As read_file, and fills *origin (if not NULL; zeroed on failure). */
char *read_file_origin(const char *path, size_t max_size, size_t *size, struct file_origin *origin,
                       struct sc_err *err);
void file_origin_free(struct file_origin *origin);

/*
 * Replaces origin->target atomically with data, keeping what the file was:
 * the temporary file is written beside the resolved target (so a symlink
 * stays a symlink and its target gets the content), flushed, and renamed
 * onto it. POSIX: the new file gets origin->mode, and when running as root
 * origin->uid/gid (fchown). Windows: ReplaceFileW, which keeps the replaced
 * file's security descriptor and attributes; where it fails a replacing
 * MoveFileEx is tried (the file then inherits its folder's ACL). On error
 * the target is untouched and the temporary file removed. SC_OK or SC_ERROR.
 */
int write_file_replace(const struct file_origin *origin, const void *data, size_t size,
                       struct sc_err *err);

/*
 * Writes data to path atomically: a temporary file beside it is written,
 * flushed to disk and renamed over path (a symlink at path is replaced by
 * the file, not followed). Returns SC_OK or SC_ERROR.
 */
int write_file_atomic(const char *path, const void *data, size_t size, struct sc_err *err);
#ifdef _WIN32
/* As write_file_atomic; `security` is a SECURITY_ATTRIBUTES * (or NULL)
 * the file is created with. */
int write_file_atomic_sa(const char *path, const void *data, size_t size, void *security,
                         struct sc_err *err);
/* Creates path with data, never replacing a file: a temporary file is
 * written (with `security`) and flushed, then moved to path only if no
 * file has that name. *exists (with SC_OK) when the name was taken. */
int write_file_new_sa(const char *path, const void *data, size_t size, void *security, bool *exists,
                      struct sc_err *err);
#else
/* As write_file_atomic; the file is created with permission bits `mode`. */
int write_file_atomic_mode(const char *path, const void *data, size_t size, int mode,
                           struct sc_err *err);
/* As write_file_new_sa, with permission bits `mode` (link(2) gives the
 * name, so it is never replaced). */
int write_file_new_mode(const char *path, const void *data, size_t size, int mode, bool *exists,
                        struct sc_err *err);
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
