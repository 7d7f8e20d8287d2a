/*
 * regfile.h - .reg files, read and written the way regedit and reg.exe do.
 *
 * Reading accepts "Windows Registry Editor Version 5.00" (UTF-16LE with a
 * byte-order mark, as `reg export` writes it, or UTF-8 with or without one)
 * and "REGEDIT4" (single-byte text; hex(1)/(2)/(7) data is then single-byte
 * and is widened to UTF-16LE). Supported lines:
 *   [HKEY_LOCAL_MACHINE\path]     a key (created when loaded)
 *   [-HKEY_LOCAL_MACHINE\path]    delete the key and everything under it
 *   "name"="text"  @="text"       REG_SZ; \\ and \" are the only escapes
 *   "name"=dword:0000000c         REG_DWORD (1-8 hex digits)
 *   "name"=hex:01,02              REG_BINARY
 *   "name"=hex(N):..              type N (0-b): 2 expand-sz, 7 multi-sz, b qword
 *   "name"=-                      delete the value
 *   ; comment                     (also blank lines)
 * Hex lists continue onto the next line after a trailing backslash.
 * HKEY_LOCAL_MACHINE (or HKLM) is the only hive accepted;
 * HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X is X in the 32-bit view.
 *
 * Every error message starts with "FILE:LINE: ".
 */
#ifndef SCHANNELCFG_REGFILE_H
#define SCHANNELCFG_REGFILE_H

#include "backend.h"
#include "util.h"

/* Largest .reg file accepted (state files and snapshots are far smaller). */
#define REGFILE_MAX_SIZE (64u * 1024u * 1024u)
/* Longest physical line accepted, in characters. */
#define REGFILE_MAX_LINE 65536u

enum regfile_format { REGFILE_V5, REGFILE_V4 };
enum regfile_encoding { REGFILE_UTF16LE, REGFILE_UTF8 };

enum regfile_rec_kind {
	RF_KEY,          /* [KEY]: the key exists */
	RF_DELETE_KEY,   /* [-KEY] */
	RF_SET,          /* "name"=data */
	RF_DELETE_VALUE, /* "name"=- */
};

struct regfile_record {
	enum regfile_rec_kind kind;
	enum reg_view view;
	char *path;            /* logical path (view-mapped), relative to HKLM */
	char *name;            /* value name, "" for @; NULL for key records */
	struct reg_value value; /* RF_SET only */
	unsigned line;
};

/* A parsed file: its records in file order, plus the comment lines that
 * precede the first key (snapshot headers live there). Owns everything. */
struct regfile {
	enum regfile_format format;
	enum regfile_encoding encoding;
	struct regfile_record *records;
	size_t nrecords, cap;
	char **header_comments; /* text after ';', trimmed */
	size_t ncomments, comments_cap;
	char *text;             /* the decoded UTF-8 text (for integrity checks) */
	size_t text_len;
};

/*
 * Parses a .reg file's bytes. `source` names the file in messages.
 * Returns SC_OK, or SC_ERROR with "source:line: what was expected".
 * On error *rf is left empty (nothing to free beyond regfile_free).
 */
int regfile_parse(const char *source, const uint8_t *data, size_t size, struct regfile *rf,
		  struct sc_err *err);
void regfile_free(struct regfile *rf);

/*
 * Parses one value assignment in .reg syntax, as profiles' [key] sections
 * write them: name_part is "\"Name\"" or "@", data_part "dword:...",
 * "\"text\"", "hex(7):..." or "-". Returns SC_OK with *name (malloc'd) and
 * either *v (owned by the caller) or *deletion; SC_ERROR with
 * "source:line: message".
 */
int regfile_parse_assignment(const char *source, unsigned line, const char *name_part,
			     const char *data_part, char **name, struct reg_value *v, bool *deletion,
			     struct sc_err *err);

/* Applies the records to a backend in order (mem or any other). Returns
 * SC_OK or SC_ERROR. [-KEY] on a non-mem backend is refused. */
int regfile_apply_records(const struct regfile *rf, const struct reg_backend *b,
			  struct sc_err *err);

/* Appends one value line ("name"=data, wrapped like regedit) in v5 syntax. */
void regfile_format_value(struct strbuf *sb, const char *name, const struct reg_value *v);
/* Appends one profile-style assignment on a single line, no line end:
 * "name" = dword:0000000c | "text" | hex(N):.. ; a NULL v writes "name" = -
 * (deletion). The inverse of regfile_parse_assignment. */
void regfile_format_assignment(struct strbuf *sb, const char *name, const struct reg_value *v);
/* Appends "[HKEY_LOCAL_MACHINE\physical]" (or "[-...]") and CRLF. */
void regfile_format_key(struct strbuf *sb, enum reg_view view, const char *path, bool deletion);
/* Appends "\"name\"=-" and CRLF. */
void regfile_format_delete_value(struct strbuf *sb, const char *name);

/* Writes a whole mem registry as v5 text (UTF-8, CRLF). Keys that hold no
 * values and have subkeys are implied by their subkeys and not written. */
void regfile_format_mem(const struct reg_backend *mem, struct strbuf *sb);

/* UTF-8 text -> file bytes: UTF-16LE with BOM, or UTF-8 as is. xmalloc'd. */
uint8_t *regfile_encode(const char *text, size_t len, enum regfile_encoding enc, size_t *size);

/*
 * The .reg file backend: loads path into a mem registry. A missing or
 * malformed file is an error ("path:line: ..."). regfile_backend_save writes
 * the registry back to path (UTF-16LE v5, atomically).
 */
struct reg_backend *regfile_backend_open(const char *path, struct sc_err *err);
int regfile_backend_save(const struct reg_backend *b, const char *path, struct sc_err *err);

#endif
