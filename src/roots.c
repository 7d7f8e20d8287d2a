/*
 * roots.c - the allowlist of documented TLS values, and the TLS-related
 * roots (see roots.h). docs/allowlist.md explains every row and what was
 * left out on purpose.
 */
#include "roots.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* One row: a key pattern and the value names Microsoft documents there. */
struct allow_row {
	const char *key;
	const char *const *names; /* NULL-terminated */
};

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})
/* A key that exists on stock Windows and is documented without values:
 * it may be created empty (capture records it so), never given a value. */
#define KEY_ONLY ((const char *const[]){NULL})
#define KEX      SCHANNEL_KEY "\\KeyExchangeAlgorithms"

/*
 * The allowlist is every value the profile language maps (schema.c: each
 * row there cites its Microsoft page) and these documented values that
 * have no word. What is on those pages and absent from both (client
 * certificate trust stores, SCHANNEL\Protocols values other than the two
 * above) is deliberately absent (docs/allowlist.md). The table is kept out
 * of clang-format, which indents braced lists with spaces.
 */
/* clang-format off */
static const struct allow_row extras[] = {
	/* "Transport Layer Security (TLS) registry settings", section
	 * "CipherSuites": suites are configured through the cipher-suite
	 * order, never by values here. */
	{SCHANNEL_KEY "\\CipherSuites", KEY_ONLY},
	/* "Transport Layer Security (TLS) registry settings", sections
	 * "KeyExchangeAlgorithm - Diffie-Hellman key sizes" and
	 * "KeyExchangeAlgorithm - Client RSA key sizes"
	 * (learn.microsoft.com/windows-server/security/tls/tls-registry-settings). */
	{KEX "\\Diffie-Hellman", NAMES("ClientMaxKeyBitLength")},
	{KEX "\\PKCS", NAMES("ClientMaxKeyBitLength")},
};
/* clang-format on */

/* A row as the functions below see it, from either table. */
struct row {
	const char *key;
	const char *names[4];
	size_t n;
};

#define MAX_ROWS 96

static void add_row(struct row *rows, size_t *n, const char *key, const char *const *names,
                    size_t count)
{
	size_t i;

	if (*n >= MAX_ROWS)
		abort(); /* the tables are static: a test catches this */
	rows[*n].key = key;
	for (i = 0; i < count && i < ARRAY_SIZE(rows[*n].names); i++)
		rows[*n].names[i] = names[i];
	rows[*n].n = i;
	(*n)++;
}

/* Every row, the schema's first: a flat copy on the caller's stack. */
static size_t collect_rows(struct row *rows)
{
	size_t n = 0, i, j;

	for (i = 0; i < schema_section_count; i++) {
		for (j = 0; j < schema_sections[i].nkeys; j++) {
			const struct reg_map *m = &schema_sections[i].keys[j].map;
			const char *names[2] = {m->value, m->value2};

			if (m->key)
				add_row(rows, &n, m->key, names, m->value2 ? 2 : 1);
		}
	}
	for (i = 0; i < ARRAY_SIZE(extras); i++) {
		for (j = 0; extras[i].names[j]; j++)
			;
		add_row(rows, &n, extras[i].key, extras[i].names, j);
	}
	return n;
}

enum relation { REL_NONE, REL_EQUAL, REL_ANCESTOR };

/* One pattern component against one key name: "*", <ARG> and <WORD>
 * match any name; "v*" and <VER> any name starting with "v" and longer
 * than it; anything else only itself (case-insensitive). */
static bool component_matches(const char *pat, size_t plen, const char *name, size_t nlen)
{
	if (plen == 5 && !strncmp(pat, "<VER>", 5))
		return component_matches("v*", 2, name, nlen);
	if (plen > 2 && pat[0] == '<' && pat[plen - 1] == '>')
		return nlen > 0;
	if (plen && pat[plen - 1] == '*')
		return nlen > plen - 1 && !strncmp_ci(pat, name, plen - 1);
	return nlen == plen && !strncmp_ci(pat, name, plen);
}

/* Walks path and pattern component by component. */
static enum relation relate(const char *path, const char *pattern)
{
	for (;;) {
		size_t plen = strcspn(pattern, "\\"), nlen = strcspn(path, "\\");

		if (!component_matches(pattern, plen, path, nlen))
			return REL_NONE;
		pattern += plen;
		path += nlen;
		if (!*path)
			return *pattern ? REL_ANCESTOR : REL_EQUAL;
		if (!*pattern)
			return REL_NONE; /* path is below the key */
		pattern++;
		path++;
	}
}

static bool row_has(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (streq_ci(r->names[i], name))
			return true;
	return false;
}

bool tls_value_allowed(const char *path, const char *name)
{
	struct row rows[MAX_ROWS];
	size_t i, n = collect_rows(rows);

	for (i = 0; i < n; i++)
		if (relate(path, rows[i].key) == REL_EQUAL && row_has(&rows[i], name))
			return true;
	return false;
}

static bool any_row(const char *path, enum relation want)
{
	struct row rows[MAX_ROWS];
	size_t i, n = collect_rows(rows);

	for (i = 0; i < n; i++)
		if (relate(path, rows[i].key) == want)
			return true;
	return false;
}

bool tls_key_allowed(const char *path)
{
	return any_row(path, REL_EQUAL);
}

bool tls_key_ancestor(const char *path)
{
	return any_row(path, REL_ANCESTOR);
}

size_t tls_values_describe(struct strbuf *sb, const char *path)
{
	struct row rows[MAX_ROWS];
	size_t i, j, n = 0, count = collect_rows(rows);

	for (i = 0; i < count; i++) {
		if (relate(path, rows[i].key) != REL_EQUAL)
			continue;
		for (j = 0; j < rows[i].n; j++)
			sb_addf(sb, "%s%s", n++ ? ", " : "", rows[i].names[j]);
	}
	return n;
}

/* A pattern in words: "*", <ARG>, <WORD> -> "<name>"; "v*", <VER> ->
 * "v<name>". */
static void describe_key(struct strbuf *sb, const char *pattern)
{
	while (*pattern) {
		size_t len = strcspn(pattern, "\\");

		if (len == 5 && !strncmp(pattern, "<VER>", 5))
			sb_adds(sb, "v<name>");
		else if ((len > 2 && pattern[0] == '<' && pattern[len - 1] == '>') ||
		         (len == 1 && pattern[0] == '*'))
			sb_adds(sb, "<name>");
		else if (len && pattern[len - 1] == '*')
			sb_addf(sb, "%.*s<name>", (int)(len - 1), pattern);
		else
			sb_addf(sb, "%.*s", (int)len, pattern);
		pattern += len;
		if (*pattern)
			sb_addc(sb, *pattern++);
	}
}

/* One line per key pattern, with the names of every row naming it. */
void tls_allowlist_describe(struct strbuf *sb, const char *indent)
{
	struct row rows[MAX_ROWS];
	size_t i, j, k, n = collect_rows(rows), names;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(rows[j].key, rows[i].key); j++)
			;
		if (j < i)
			continue; /* described with an earlier row */
		sb_addf(sb, "%sHKLM\\", indent);
		describe_key(sb, rows[i].key);
		for (names = 0, j = i; j < n; j++) {
			if (strcmp(rows[j].key, rows[i].key))
				continue;
			for (k = 0; k < rows[j].n; k++)
				sb_addf(sb, "%s%s", names++ ? ", " : ": ", rows[j].names[k]);
		}
		if (!names)
			sb_adds(sb, ": the key only, no values");
		sb_addc(sb, '\n');
	}
}

/* ---- the TLS-related roots ---- */

/* The subtrees the allowlist's keys live in. */
static const char *const tls_roots[] = {
    SCHANNEL_KEY,
    "SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration",
    "SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration",
    DOTNET_KEY,
    WINHTTP_KEY,
    "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP",
    FIPS_KEY,
};

const char *tls_root_of(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		if (reg_path_within(path, tls_roots[i]))
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
		if (strlen(path) < strlen(tls_roots[i]) && reg_path_within(tls_roots[i], path))
			return true;
	return false;
}

void tls_roots_describe(struct strbuf *sb, const char *indent)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tls_roots); i++)
		sb_addf(sb, "%sHKLM\\%s\n", indent, tls_roots[i]);
}
