/* libFuzzer harness: profile text -> settings -> plan (no includes, no
 * registry). Any crash, leak or sanitizer report is a bug. */
#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_options opts = {.allow_any_key = size % 2 == 0};
	struct compile_options os = {
	    .have_os = size % 3 == 0, .major = 6, .minor = 1, .build = 7601};
	struct diag diags = {0};
	struct profile *p = NULL;
	struct plan plan;
	struct strbuf sb = STRBUF_INIT;

	if (profile_parse_text("fuzz.ini", (const char *)data, size, &opts, &p, &diags) == SC_OK) {
		if (compile_profile(p, &os, &plan, &diags) == SC_OK) {
			plan_format(&plan, &sb);
			plan_free(&plan);
		}
		profile_free(p);
	}
	diag_format(&diags, &sb);
	sb_free(&sb);
	diag_free(&diags);
	return 0;
}
