/* libFuzzer harness: .reg bytes -> records -> mem registry -> .reg text ->
 * parsed again. A file we accept must load, and what we write from it must
 * read back to the same registry. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"
#include "regfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct reg_backend *load(const uint8_t *data, size_t size)
{
	struct sc_err err = {{0}};
	struct regfile rf;
	struct reg_backend *b;

	if (regfile_parse("fuzz.reg", data, size, &rf, &err) != SC_OK)
		return NULL;
	b = mem_backend_new();
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		abort(); /* a parsed file must always load */
	regfile_free(&rf);
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text = STRBUF_INIT, dump1 = STRBUF_INIT, dump2 = STRBUF_INIT;
	struct reg_backend *b = load(data, size), *again;
	uint8_t *bytes;
	size_t n;

	if (!b)
		return 0;
	regfile_format_mem(b, &text);
	bytes = regfile_encode(text.buf, text.len, size % 2 ? REGFILE_UTF8 : REGFILE_UTF16LE, &n);
	again = load(bytes, n);
	if (!again)
		abort(); /* we wrote something we cannot read */
	mem_dump(b, &dump1);
	mem_dump(again, &dump2);
	if (strcmp(sb_str(&dump1), sb_str(&dump2)))
		abort(); /* the round trip changed the registry */
	reg_backend_free(again);
	reg_backend_free(b);
	free(bytes);
	sb_free(&text);
	sb_free(&dump1);
	sb_free(&dump2);
	return 0;
}
