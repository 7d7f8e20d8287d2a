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

bool tls_root_contains(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++) {
		size_t n = strlen(tls_roots[i]);

		if (starts_with_ci(path, tls_roots[i]) && (path[n] == '\0' || path[n] == '\\'))
			return true;
	}
	return false;
}

void tls_roots_describe(struct strbuf *sb, const char *indent)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		sb_addf(sb, "%sHKLM\\%s\n", indent, tls_roots[i]);
}
