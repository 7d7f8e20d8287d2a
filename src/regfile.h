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

/*
 * The .reg file backend: loads path into a mem registry (mem_backend_is is
 * true for it; release it with reg_backend_free). A missing or malformed
 * file is an error ("path:line: ..."), as is anything but a regular file
 * ("path: not a regular file"). The backend remembers what the file was:
 * its encoding, byte-order mark, line ends, the file it really is (symlinks
 * resolved), and its mode and owner.
 *
 * regfile_backend_save writes the registry back to path atomically, as the
 * file was:
 *   - UTF-16LE stays UTF-16LE (with BOM); UTF-8 stays UTF-8, with a BOM
 *     exactly when it had one; CRLF or LF line ends as the original's first
 *     line. A REGEDIT4 file becomes a "Windows Registry Editor Version 5.00"
 *     file in UTF-16LE: REGEDIT4 is single-byte and cannot hold every value
 *     schannelcfg may write, and UTF-16LE v5 is what regedit and reg export
 *     themselves write.
 *   - a symlink stays a symlink: the temporary file is written beside the
 *     link's target and renamed onto the target, which gets the new content.
 *   - POSIX: the permission bits (and, as root, owner and group) are kept;
 *     Windows: ReplaceFileW keeps the security descriptor and attributes.
 *   - keys with many values that the file did not list in name order may be
 *     written in name order (loading them in file order would take time
 *     quadratic in their number).
 * A save that would produce more than REGFILE_MAX_SIZE bytes (a file the
 * tool would then refuse to read) is refused: "path: not saved: ...", and
 * the file on disk stays untouched, as on any other error.
 * Saving a backend not opened by regfile_backend_open, or to another path
 * than it was opened from, writes UTF-16LE v5 CRLF to path itself (mode
 * 0644). Returns SC_OK or SC_ERROR.
 */
struct reg_backend *regfile_backend_open(const char *path, struct sc_err *err);
int regfile_backend_save(const struct reg_backend *b, const char *path, struct sc_err *err);

/* The .reg file as the registry of a transaction (--state): as
 * regfile_backend_open, and its commit (backend.h) saves it to path, as
 * regfile_backend_save does. A backend from regfile_backend_open has no
 * commit: what is written to it stays in memory (tests, tools, capture). */
struct reg_backend *regfile_store_open(const char *path, struct sc_err *err);

/* A state file's backend keeps the sections it skipped: each save writes
 * them back, as they were, after the HKEY_LOCAL_MACHINE keys. A REGEDIT4
 * file with such sections is not saved (a save writes version 5, in which
 * their single-byte hex(1)/(2)/(7) data would read differently).
 *
 * The warnings of the file b was opened from (regfile_backend_open or
 * regfile_store_open): "path:line: skipped [HKEY_CURRENT_USER\...] and its
 * values: ...", one per skipped section, in file order. *n is their number;
 * NULL (and *n 0) when there are none or b is no .reg file's backend. The
 * strings belong to b and live as long as it. */
const char *const *regfile_backend_warnings(const struct reg_backend *b, size_t *n);

#endif
