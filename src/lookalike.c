/*
 * lookalike.c - see lookalike.h. The characters folded are the ones seen in
 * copied scripts and the ones that render like ASCII in the fonts regedit
 * uses: Unicode's slashes, spaces, hyphens and invisible format
 * characters, and the Cyrillic and Greek capitals and small letters that
 * have Latin twins (Unicode's confusables.txt lists them all; this is the
 * part that can occur in SChannel's names).
 */
#include "lookalike.h"

#include <stdlib.h>
#include <string.h>

#include "backend_mem.h"
#include "roots.h"
#include "schema.h"

struct fold {
	uint32_t cp;
	char to; /* '\0': dropped */
	const char *name;
};

static const struct fold folds[] = {
    {0x00A0, ' ', "NO-BREAK SPACE"},
    {0x00AD, '\0', "SOFT HYPHEN"},
    {0x0391, 'A', "GREEK CAPITAL LETTER ALPHA"},
    {0x0392, 'B', "GREEK CAPITAL LETTER BETA"},
    {0x0395, 'E', "GREEK CAPITAL LETTER EPSILON"},
    {0x0397, 'H', "GREEK CAPITAL LETTER ETA"},
    {0x039F, 'O', "GREEK CAPITAL LETTER OMICRON"},
    {0x03A1, 'P', "GREEK CAPITAL LETTER RHO"},
    {0x03A4, 'T', "GREEK CAPITAL LETTER TAU"},
    {0x03BF, 'o', "GREEK SMALL LETTER OMICRON"},
    {0x0405, 'S', "CYRILLIC CAPITAL LETTER DZE"},
    {0x0410, 'A', "CYRILLIC CAPITAL LETTER A"},
    {0x0412, 'B', "CYRILLIC CAPITAL LETTER VE"},
    {0x0415, 'E', "CYRILLIC CAPITAL LETTER IE"},
    {0x041D, 'H', "CYRILLIC CAPITAL LETTER EN"},
    {0x041E, 'O', "CYRILLIC CAPITAL LETTER O"},
    {0x0420, 'P', "CYRILLIC CAPITAL LETTER ER"},
    {0x0421, 'C', "CYRILLIC CAPITAL LETTER ES"},
    {0x0422, 'T', "CYRILLIC CAPITAL LETTER TE"},
    {0x0425, 'X', "CYRILLIC CAPITAL LETTER HA"},
    {0x0430, 'a', "CYRILLIC SMALL LETTER A"},
    {0x0435, 'e', "CYRILLIC SMALL LETTER IE"},
    {0x043E, 'o', "CYRILLIC SMALL LETTER O"},
    {0x0440, 'p', "CYRILLIC SMALL LETTER ER"},
    {0x0441, 'c', "CYRILLIC SMALL LETTER ES"},
    {0x0445, 'x', "CYRILLIC SMALL LETTER HA"},
    {0x0455, 's', "CYRILLIC SMALL LETTER DZE"},
    {0x0456, 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"},
    {0x2000, ' ', "EN QUAD"},
    {0x2002, ' ', "EN SPACE"},
    {0x2003, ' ', "EM SPACE"},
    {0x2007, ' ', "FIGURE SPACE"},
    {0x2009, ' ', "THIN SPACE"},
    {0x200A, ' ', "HAIR SPACE"},
    {0x200B, '\0', "ZERO WIDTH SPACE"},
    {0x200C, '\0', "ZERO WIDTH NON-JOINER"},
    {0x200D, '\0', "ZERO WIDTH JOINER"},
    {0x2010, '-', "HYPHEN"},
    {0x2011, '-', "NON-BREAKING HYPHEN"},
    {0x2012, '-', "FIGURE DASH"},
    {0x2013, '-', "EN DASH"},
    {0x2014, '-', "EM DASH"},
    {0x2024, '.', "ONE DOT LEADER"},
    {0x202F, ' ', "NARROW NO-BREAK SPACE"},
    {0x2044, '/', "FRACTION SLASH"},
    {0x2060, '\0', "WORD JOINER"},
    {0x2212, '-', "MINUS SIGN"},
    {0x2215, '/', "DIVISION SLASH"},
    {0x29F8, '/', "BIG SOLIDUS"},
    {0x3000, ' ', "IDEOGRAPHIC SPACE"},
    {0xFEFF, '\0', "ZERO WIDTH NO-BREAK SPACE"},
    {0xFF0E, '.', "FULLWIDTH FULL STOP"},
    {0xFF0F, '/', "FULLWIDTH SOLIDUS"},
};

/* Decodes one UTF-8 sequence (the names are valid UTF-8: every reader
 * checks); returns its length. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	*cp = 0xFFFD; /* four bytes and broken input: no look-alike */
	return s[1] && s[2] && s[3] ? 4 : 1;
}

static const struct fold *fold_of(uint32_t cp)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(folds); i++)
		if (folds[i].cp == cp)
			return &folds[i];
	return NULL;
}

/* name with every look-alike folded; false if it holds none. */
static bool fold_name(const char *name, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *)name;
	bool any = false;

	while (*s) {
		uint32_t cp;
		size_t len = decode(s, &cp);
		const struct fold *f = cp >= 0x80 ? fold_of(cp) : NULL;

		if (f && f->to)
			sb_addc(out, f->to);
		else if (!f)
			sb_add(out, (const char *)s, len);
		any |= f != NULL;
		s += len;
	}
	return any;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* A component of a row's key template equal to `folded`, or NULL. */
static const char *template_component(const char *template, const char *folded)
{
	size_t n = strlen(folded);

	while (*template) {
		size_t len = strcspn(template, "\\");

		if (len == n && !strncmp_ci(template, folded, n))
			return template;
		template += len + (template[len] == '\\');
	}
	return NULL;
}

static const char *known_in_vocab(const struct vocab *v, const char *folded)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		if (streq_ci(v->entries[i].name, folded))
			return v->entries[i].name;
	return NULL;
}

/* The known names: the vocabularies, the sides, and every value name and
 * key component of the schema's rows. A component is returned as a
 * pointer into its template: callers print it up to the next '\'. */
static const char *known_name(const char *folded)
{
	static const struct vocab *const vocabs[] = {
	    &vocab_protocols, &vocab_ciphers, &vocab_hashes, &vocab_kex, &vocab_dotnet_versions};
	static const char *const sides[] = {"Client", "Server"};
	const char *hit = NULL;
	size_t i, j;

	for (i = 0; !hit && i < ARRAY_SIZE(vocabs); i++)
		hit = known_in_vocab(vocabs[i], folded);
	for (i = 0; !hit && i < ARRAY_SIZE(sides); i++)
		hit = streq_ci(sides[i], folded) ? sides[i] : NULL;
	for (i = 0; !hit && i < schema_section_count; i++) {
		for (j = 0; !hit && j < schema_sections[i].nkeys; j++) {
			const struct reg_map *m = &schema_sections[i].keys[j].map;

			if (!m->key)
				continue;
			if (streq_ci(m->value, folded))
				hit = m->value;
			else if (m->value2 && streq_ci(m->value2, folded))
				hit = m->value2;
			else
				hit = template_component(m->key, folded);
		}
	}
	return hit;
}

const char *lookalike_known(const char *name)
{
	struct strbuf folded = STRBUF_INIT;
	const char *hit = NULL;

	if (has_non_ascii(name) && fold_name(name, &folded))
		hit = known_name(sb_str(&folded));
	sb_free(&folded);
	return hit;
}

void lookalike_describe(const char *name, struct strbuf *sb)
{
	const unsigned char *s = (const unsigned char *)name;
	bool first = true;

	while (*s) {
		uint32_t cp;
		size_t len = decode(s, &cp);
		const struct fold *f = cp >= 0x80 ? fold_of(cp) : NULL;

		if (f) {
			sb_addf(sb, "%sU+%04X %s", first ? "" : ", ", (unsigned)f->cp, f->name);
			first = false;
		}
		s += len;
	}
}

struct scan {
	char **messages;
	size_t n, cap;
};

static void report(struct scan *sc, const char *path, const char *name, const char *known,
                   const char *what)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "HKLM\\%s: %s \"%s\" is not \"%.*s\" (", path, what, name,
	        (int)strcspn(known, "\\"), known);
	lookalike_describe(name, &sb);
	sb_adds(&sb, "): Windows does not read it");
	xgrow(&sc->messages, &sc->cap, sc->n + 1, sizeof(*sc->messages));
	sc->messages[sc->n++] = sb_detach(&sb);
}

/* The last component of a key (the one a key record adds). */
static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '\\');

	return slash ? slash + 1 : path;
}

/* Only keys with a non-ASCII name or value name can hold a look-alike:
 * checked first, so big state files cost one byte scan a name. */
static bool worth_a_look(const struct mem_key_info *key)
{
	size_t i;

	if (has_non_ascii(last_component(key->path)))
		return true;
	for (i = 0; i < key->nvalues; i++)
		if (has_non_ascii(key->value_names[i]))
			return true;
	return false;
}

static int visit(void *ctx, const struct mem_key_info *key)
{
	struct scan *sc = ctx;
	enum reg_view view;
	char *logical;
	const char *known;
	size_t i;

	if (!worth_a_look(key))
		return SC_OK;
	logical = mem_logical_path(key->path, &view);
	if (!tls_root_contains(logical)) {
		free(logical);
		return SC_OK;
	}
	known = lookalike_known(last_component(logical));
	if (known)
		report(sc, logical, last_component(logical), known, "key");
	for (i = 0; i < key->nvalues; i++) {
		known = lookalike_known(key->value_names[i]);
		if (known)
			report(sc, logical, key->value_names[i], known, "value");
	}
	free(logical);
	return SC_OK;
}

size_t lookalike_scan(const struct reg_backend *b, char ***messages, size_t *n)
{
	struct scan sc = {*messages, *n, *n};
	size_t appended;

	mem_walk(b, visit, &sc);
	*messages = sc.messages;
	appended = sc.n - *n;
	*n = sc.n;
	return appended;
}
