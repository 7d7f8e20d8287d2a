/* libFuzzer harness for `schannelcfg report`'s input: bytes -> jr_parse ->
 * compact JSON text -> parsed again: what the reader accepts must write
 * out to a text it accepts again, and that must write out the same (no
 * value changes on the way). Then the same bytes as a fleet document
 * (twice, as a duplicate), aggregated and rendered in every format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "fleet_render.h"
#include "jsonread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_string(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_addf(sb, "\\%c", c);
		else if (c < 0x20)
			sb_addf(sb, "\\u%04x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '"');
}

static void write_value(struct strbuf *sb, const struct jr_value *v)
{
	size_t i;

	switch (v->type) {
	case JR_NULL: sb_adds(sb, "null"); return;
	case JR_BOOL: sb_adds(sb, v->boolean ? "true" : "false"); return;
	case JR_NUMBER: sb_adds(sb, v->str); return;
	case JR_STRING: write_string(sb, v->str); return;
	case JR_ARRAY:
	case JR_OBJECT: break;
	}
	sb_addc(sb, v->type == JR_OBJECT ? '{' : '[');
	for (i = 0; i < v->n; i++) {
		if (i)
			sb_addc(sb, ',');
		if (v->type == JR_OBJECT) {
			write_string(sb, v->keys[i]);
			sb_addc(sb, ':');
		}
		write_value(sb, &v->items[i]);
	}
	sb_addc(sb, v->type == JR_OBJECT ? '}' : ']');
}

static void as_fleet(const uint8_t *data, size_t size)
{
	struct sc_err err = {{0}};
	struct strbuf sb = STRBUF_INIT;
	struct fleet f;

	fleet_init(&f);
	fleet_add(&f, "a.json", (const char *)data, size, &err);
	fleet_add(&f, "b.json", (const char *)data, size, &err);
	fleet_finish(&f);
	if (f.read != 2 || f.n + f.skipped + f.duplicates != 2)
		abort(); /* every document is counted once */
	fleet_csv(&f, &sb);
	fleet_json(&f, "2026-12-03T00:00:00Z", &sb);
	fleet_html(&f, "2026-12-03T00:00:00Z", &sb);
	sb_free(&sb);
	fleet_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_err err = {{0}};
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
	struct jr_value v, again;

	as_fleet(data, size);
	if (jr_parse((const char *)data, size, &v, &err) != SC_OK)
		return 0;
	write_value(&one, &v);
	if (jr_parse(one.buf, one.len, &again, &err) != SC_OK)
		abort(); /* we wrote something we cannot read */
	write_value(&two, &again);
	if (one.len != two.len || memcmp(one.buf, two.buf, one.len))
		abort(); /* the round trip changed a value */
	jr_free(&v);
	jr_free(&again);
	sb_free(&one);
	sb_free(&two);
	return 0;
}
