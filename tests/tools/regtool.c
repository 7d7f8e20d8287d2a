/*
 * regtool - a tiny native helper for the .reg interoperability test
 * (tests/e2e/test_regfile_interop.sh). Not shipped.
 *
 *   regtool fixture OUT.reg     writes a fixture .reg file (UTF-16LE, v5)
 *                               through regfile_format_* and regfile_encode
 *   regtool dump FILE.reg [KEY] loads FILE.reg into a mem registry and prints
 *                               mem_dump, optionally only KEY (a physical
 *                               path below HKLM) and the keys under it
 *
 * Exit status: 0 on success, 1 on error, 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"
#include "backend_regfile.h"
#include "regfile.h"

#define TEST_KEY "SOFTWARE\\schannelcfg-test"
#define RC4_KEY                                                                                    \
	"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers\\RC4 128/128"

static void value(struct strbuf *sb, const char *name, uint32_t type, const void *data, size_t size)
{
	struct reg_value v;

	regvalue_set_bytes(&v, type, data, size);
	regfile_format_value(sb, name, &v);
	regvalue_free(&v);
}

static void string(struct strbuf *sb, const char *name, uint32_t type, const char *text)
{
	struct reg_value v;

	if (!regvalue_set_string(&v, type, text)) {
		fprintf(stderr, "regtool: bad fixture text for %s\n", name);
		exit(1);
	}
	regfile_format_value(sb, name, &v);
	regvalue_free(&v);
}

static void dword(struct strbuf *sb, const char *name, uint32_t d)
{
	struct reg_value v;

	regvalue_set_dword(&v, d);
	regfile_format_value(sb, name, &v);
	regvalue_free(&v);
}

/* The 64-bit view key: one value of every type the test checks. */
static void fixture_64(struct strbuf *sb)
{
	static char *const multi[] = {"TLS 1.2", "TLS 1.3", "C:\\a \"b\""};
	struct reg_value v;
	uint8_t bin[300];
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (uint8_t)(i * 37 + 11);
	regfile_format_key(sb, REG_VIEW_64, TEST_KEY, false);
	string(sb, "", RV_SZ, "default value");
	string(sb, "sz", RV_SZ, "C:\\Program Files\\x \"quoted\"");
	string(sb, "sz unicode", RV_SZ, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
	string(sb, "sz empty", RV_SZ, "");
	string(sb, "expand", RV_EXPAND_SZ, "%SystemRoot%\\system32");
	if (!regvalue_set_multi_sz(&v, multi, ARRAY_SIZE(multi)))
		exit(1);
	regfile_format_value(sb, "multi", &v);
	regvalue_free(&v);
	value(sb, "binary", RV_BINARY, bin, sizeof(bin));
	value(sb, "binary short", RV_BINARY, "\x00\x01\xab\xff", 4);
	dword(sb, "dword", 0x12345678u);
	dword(sb, "dword max", 0xFFFFFFFFu);
	regvalue_set_qword(&v, 0x0102030405060708ull);
	regfile_format_value(sb, "qword", &v);
	regvalue_free(&v);
	value(sb, "none", RV_NONE, "\x01\x02", 2);
	value(sb, "none empty", RV_NONE, "", 0);
	/* a malformed REG_SZ: no terminator, so written as hex(1) */
	value(sb, "sz unterminated", RV_SZ, "a\0b\0", 4);
	dword(sb, "bits", 64);
	sb_adds(sb, "\r\n");
}

static void fixture_32(struct strbuf *sb)
{
	regfile_format_key(sb, REG_VIEW_32, TEST_KEY, false);
	dword(sb, "bits", 32);
	string(sb, "sz32", RV_SZ, "thirty-two");
	sb_adds(sb, "\r\n");
}

static void fixture_rc4(struct strbuf *sb)
{
	regfile_format_key(sb, REG_VIEW_64, RC4_KEY, false);
	dword(sb, "Enabled", 0);
	sb_adds(sb, "\r\n");
}

static int cmd_fixture(const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct sc_err err = {{0}};
	uint8_t *bytes;
	size_t size;
	int rc;

	sb_adds(&sb, "Windows Registry Editor Version 5.00\r\n\r\n");
	fixture_64(&sb);
	fixture_32(&sb);
	fixture_rc4(&sb);
	bytes = regfile_encode(sb.buf, sb.len, REGFILE_UTF16LE, &size);
	rc = write_file_atomic(out, bytes, size, &err);
	if (rc != SC_OK)
		fprintf(stderr, "regtool: %s\n", err.msg);
	free(bytes);
	sb_free(&sb);
	return rc == SC_OK ? 0 : 1;
}

/* True if a dump's "[path]" line is prefix or a key under it. */
static bool under(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);

	if (line[0] != '[' || strncmp_ci(line + 1, prefix, n) != 0)
		return false;
	return line[1 + n] == ']' || line[1 + n] == '\\';
}

/* Prints the dump's key blocks (a "[path]" line and its value lines) that
 * lie under prefix. */
static void print_filtered(const char *dump, const char *prefix)
{
	bool keep = false;
	const char *line = dump;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (line[0] == '[')
			keep = under(line, prefix);
		if (keep)
			fwrite(line, 1, len, stdout);
		line += len;
	}
}

static int cmd_dump(const char *path, const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;
	struct sc_err err = {{0}};
	struct reg_backend *b = regfile_backend_open(path, &err);

	if (!b) {
		fprintf(stderr, "regtool: %s\n", err.msg);
		return 1;
	}
	mem_dump(b, &sb);
	if (prefix)
		print_filtered(sb_str(&sb), prefix);
	else
		fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	reg_backend_free(b);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fixture"))
		return cmd_fixture(argv[2]);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "dump"))
		return cmd_dump(argv[2], argc == 4 ? argv[3] : NULL);
	fprintf(stderr, "usage: regtool fixture OUT.reg\n"
	                "       regtool dump FILE.reg [KEY]\n");
	return 2;
}
