#include "roots.h"

#include <string.h>

#include "schema.h"

/* The documented TLS-related keys (../shared/REGISTRY.md), by subtree. */
static const char *const tls_roots[] = {
	SCHANNEL_KEY,
	"SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration",
	"SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration",
	DOTNET_KEY,
	WINHTTP_KEY,
	"SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP",
	FIPS_KEY,
};

/* True if `inner` is `outer` or below it (whole components). */
static bool within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	return starts_with_ci(inner, outer) && (inner[n] == '\0' || inner[n] == '\\');
}

const char *tls_root_of(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		if (within(path, tls_roots[i]))
			return tls_roots[i];
	return NULL;
}

bool tls_root_contains(const char *path)
{
	return tls_root_of(path) != NULL;
}

bool tls_root_below(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		if (strlen(path) < strlen(tls_roots[i]) && within(tls_roots[i], path))
			return true;
	return false;
}

void tls_roots_describe(struct strbuf *sb, const char *indent)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		sb_addf(sb, "%sHKLM\\%s\n", indent, tls_roots[i]);
}
