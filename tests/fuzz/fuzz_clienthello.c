/* libFuzzer harness: network bytes -> clienthello_parse. Whatever the
 * input: no crash, no leak, no read outside it; a parsed hello is
 * consistent (its lists lie within the message, consumed within the
 * input), every shorter prefix of a parsed hello is incomplete or the
 * same hello, and a malformed input always says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "tls_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct clienthello *ch, size_t size)
{
	char hex[TLS_HEX_SIZE];
	uint16_t v[8];
	size_t i;

	if (ch->consumed > size || ch->suites.n > CLIENTHELLO_MAX / 2 ||
	    ch->groups.n > CLIENTHELLO_MAX / 2 || ch->sigalgs.n > CLIENTHELLO_MAX / 2)
		abort();
	for (i = 0; i < ch->suites.n; i++)
		tls_name_or_hex(tls_suite_name(ch->suites.v[i]), ch->suites.v[i], hex);
	if (clienthello_versions(ch, v, 8) > 8)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_err err = {{0}};
	struct clienthello ch, prefix;
	enum ch_status rc = clienthello_parse(data, size, &ch, &err);

	if (rc == CH_MALFORMED && !err.msg[0])
		abort();
	if (rc != CH_OK)
		return 0;
	check(&ch, size);
	/* One byte short of what it consumed: incomplete, never another hello. */
	if (ch.consumed && clienthello_parse(data, ch.consumed - 1, &prefix, &err) == CH_OK)
		abort();
	clienthello_free(&ch);
	return 0;
}
