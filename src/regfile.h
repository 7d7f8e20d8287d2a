/*
 * regfile.h - .reg files, read and written the way regedit and reg.exe do.
 *
 * Reading accepts "Windows Registry Editor Version 5.00" (UTF-16LE with a
 * byte-order mark, as `reg export` writes it, or UTF-8 with or without one)
 * and "REGEDIT4" (single-byte text; hex(1)/(2)/(7) data is then single-byte
 * and is widened to UTF-16LE). Lines are read as Wine's regedit reads them
 * (tests/regedit-variants/ has a file per form, checked against regedit):
 *   [HKEY_LOCAL_MACHINE\path]     a key (created when loaded); the hive in
 *                                 any case, one trailing backslash dropped
 *   [-HKEY_LOCAL_MACHINE\path]    delete the key and everything under it
 *   "name"="text"  @="text"       REG_SZ; \\ \" \n \r are the escapes
 *   "name"=dword:0000000c         REG_DWORD (1-8 hex digits)
 *   "name"=hex:01,02              REG_BINARY (two digits a byte)
 *   "name"=hex(N):..              type N (0-b): 2 expand-sz, 7 multi-sz, b qword
 *   "name"=-                      delete the value
 *   ; comment  # comment          lines (also blank lines), and "; ..." after
 *                                 a value's data or a key's ']'
 * Type tags are lower case (regedit ignores "DWORD:"). Blanks may precede
 * [ @ " and the header. Hex lists continue onto the next line after a
 * trailing backslash (after a comma); blank and ';' lines in between are
 * skipped. A line ends at LF, CRLF or CR CR LF; a CR elsewhere is refused.
 * What regedit ignores (an unknown line, "#" after data, a blank before a
 * comma, "[ KEY]", HKLM and other abbreviations) or reads in a way other
 * readers do not (one-digit bytes, "\W", a lone CR, text after ']') is
 * refused. HKEY_LOCAL_MACHINE is the only hive read; regfile_parse refuses
 * other hives' sections, regfile_parse_flags may skip them (warnings).
 * HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X is X in the 32-bit view.
 * Known differences from Wine's regedit, kept on purpose: UTF-8 files with
 * a byte-order mark are read (regedit imports nothing from them); v5 files
 * in UTF-8 are UTF-8 and their hex(1)/(2)/(7) data UTF-16LE (regedit reads
 * 8-bit files in the ANSI code page and widens that data); string-type hex
 * data without a NUL is kept as written (as reg import keeps it; regedit
 * adds one); hex(c) and higher types are refused.
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
	char *path;             /* logical path (view-mapped), relative to HKLM;
	                         * owned by the regfile, shared by one header's records */
	char *name;             /* value name, "" for @; NULL for key records */
	struct reg_value value; /* RF_SET only */
	unsigned line;
};

/* A parsed file: its records in file order, plus the comment lines that
 * precede the first key (snapshot headers live there). Owns everything. */
struct regfile {
	enum regfile_format format;
	enum regfile_encoding encoding;
	bool utf8_bom; /* UTF-8 and started with EF BB BF */
	bool lf;       /* the first line ends in a bare LF (else CRLF) */
	struct regfile_record *records;
	size_t nrecords, cap;
	char **header_comments; /* text after ';', trimmed */
	size_t ncomments, comments_cap;
	char *text; /* the decoded UTF-8 text (for integrity checks) */
	size_t text_len;
	char **paths; /* the records' paths, one per key header */
	size_t npaths, paths_cap;
	char **warnings; /* "source:line: ..." for each skipped section */
	size_t nwarnings, warnings_cap;
	/* The skipped sections' lines as they are in text, each section from
	 * its header to the next header (or the end), ending in a line end. */
	struct strbuf skipped;
};

/*
 * Parses a .reg file's bytes. `source` names the file in messages.
 * Returns SC_OK, or SC_ERROR with "source:line: what was expected".
 * On error *rf is left empty (nothing to free beyond regfile_free).
 */
int regfile_parse(const char *source, const uint8_t *data, size_t size, struct regfile *rf,
                  struct sc_err *err);

/* regfile_parse_flags: flags for regfile_parse_flags. */
enum {
	/* Sections of other hives ([HKEY_CURRENT_USER\...], HKEY_USERS,
	 * HKEY_CLASSES_ROOT, HKEY_CURRENT_CONFIG, HKEY_DYN_DATA, and their
	 * [-...] deletions) are skipped with their values, each adding
	 * "source:line: skipped [...]..." to rf->warnings and its lines to
	 * rf->skipped, instead of being an error. State files are read so (a
	 * backup of a whole machine; saving one keeps those sections);
	 * snapshots never (regfile_parse). */
	REGFILE_SKIP_OTHER_HIVES = 1u,
};
/* regfile_parse with flags (0: exactly regfile_parse). */
int regfile_parse_flags(const char *source, const uint8_t *data, size_t size, unsigned flags,
                        struct regfile *rf, struct sc_err *err);
void regfile_free(struct regfile *rf);

/*
 * Parses one value assignment in .reg syntax, as profiles' [key] sections
 * write them: name_part is "\"Name\"" or "@", data_part "dword:...",
 * "\"text\"", "hex(7):..." or "-". Returns SC_OK with *name (malloc'd) and
 * either *v (owned by the caller) or *deletion; SC_ERROR with
 * "source:line: message".
 */
int regfile_parse_assignment(const char *source, unsigned line, const char *name_part,
                             const char *data_part, char **name, struct reg_value *v,
                             bool *deletion, struct sc_err *err);

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

#endif
