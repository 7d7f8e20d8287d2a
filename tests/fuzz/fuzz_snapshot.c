/* libFuzzer harness: snapshot bytes -> integrity and scope checks ->
 * restore plan. The integrity check runs on every input; a snapshot that
 * passes must give a restore plan whose keys are all within the roots. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roots.h"
#include "sha256.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy of UTF-8 input whose sha256 line is corrected, so that mutated
 * bodies also reach the checks behind the integrity check. */
static char *with_fixed_hash(const uint8_t *data, size_t size)
{
	static const char prefix[] = "; sha256: ";
	char *text = malloc(size + 1), *line, *body;

	memcpy(text, data, size);
	text[size] = '\0';
	line = strstr(text, prefix);
	if (!line || strlen(line) < sizeof(prefix) - 1 + 64 || strlen(text) != size) {
		free(text);
		return NULL;
	}
	body = strchr(line, '\n');
	body = body ? body + 1 : text + size;
	{
		char hex[65];

		sha256_hex(body, size - (size_t)(body - text), hex);
		memcpy(line + sizeof(prefix) - 1, hex, 64);
	}
	return text;
}

static void check_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fixed = with_fixed_hash(data, size);

	check_one(data, size);
	if (fixed) {
		check_one((const uint8_t *)fixed, size);
		free(fixed);
	}
	return 0;
}

static void check_one(const uint8_t *data, size_t size)
{
	struct sc_err err = {{0}};
	struct snapshot s;
	struct plan plan;
	size_t i;

	if (snapshot_parse("fuzz.reg", data, size, false, &s, &err) != SC_OK)
		return;
	snapshot_restore_plan(&s, "fuzz.reg", &plan);
	for (i = 0; i < plan.nops; i++) {
		const struct plan_op *op = &plan.ops[i];
		bool allowed = tls_root_contains(op->path) ||
		               ((op->kind == OP_CREATE_KEY || op->kind == OP_DELETE_KEY_IF_EMPTY) &&
		                tls_root_below(op->path));

		if (!allowed)
			abort(); /* a snapshot escaped the TLS roots */
	}
	plan_free(&plan);
	snapshot_free(&s);
}
