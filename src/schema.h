/*
 * schema.h - the profile language, as data.
 *
 * One table (schema.c) lists every section, every key, the words each key
 * accepts and what it means. profile.c parses and validates with it,
 * compile.c turns its entries into registry operations, and `schannelcfg
 * help profiles` prints it: a word cannot be documented in one place and
 * parsed differently in another.
 *
 * Registry facts (paths, value names, the meaning of each number) are cited
 * in schema.c next to the table rows; docs/allowlist.md lists the values.
 */
#ifndef SCHANNELCFG_SCHEMA_H
#define SCHANNELCFG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h" /* enum area */

/* A word of the vocabulary: a protocol, cipher, hash, ... */
struct vocab_entry {
	const char *name;  /* canonical spelling = the registry key name */
	const char *alias; /* another accepted spelling (e.g. "TLS1.2"), or NULL */
	uint32_t winhttp;  /* WinHTTP DefaultSecureProtocols bit, 0 if none */
	uint32_t eap;      /* EAP TlsVersion bits, 0 if none */
	const char *note;  /* shown by show/help, or NULL */
	uint32_t bit;      /* its bit in a mask of named flags (BITS_OWN), 0 if none */
	const char *warn;  /* warning when a mask sets this bit, or NULL */
};

struct vocab {
	const char *what; /* "protocol", "cipher", ... for messages */
	const struct vocab_entry *entries;
	size_t count;
};

extern const struct vocab vocab_protocols;
extern const struct vocab vocab_ciphers;
extern const struct vocab vocab_hashes;
extern const struct vocab vocab_kex;
extern const struct vocab vocab_dotnet_versions;
extern const struct vocab vocab_cert_mapping;

/* Finds a word (case-insensitive, canonical name or alias); NULL if unknown.
 * *index (may be NULL) receives its position in the vocab. */
const struct vocab_entry *vocab_find(const struct vocab *v, const char *word, size_t *index);
/* "TLS 1.0, TLS 1.1, ..." for error messages; static buffer-free: appends. */
struct strbuf;
void vocab_list(const struct vocab *v, struct strbuf *sb);

/* What a key's value must look like. */
enum value_kind {
	VK_TEXT,           /* free text */
	VK_WORDS,          /* space/comma separated words */
	VK_STATE,          /* enabled | disabled | default */
	VK_NUMBER,         /* map.min..map.max | default */
	VK_MASK,           /* words of map.bits, or a number of their bits | default */
	VK_REMOVE,         /* remove (the value is deleted) */
	VK_SUITE_PATTERNS, /* suite names or patterns with * */
	VK_SUITE_LIST,     /* exact suite names, in order */
	VK_CURVES,         /* ECC curve names | default */
	VK_WHERE,          /* auto | local | policy */
	VK_VIEWS,          /* 64 | 32 | both */
	VK_VERSIONS,       /* v2.0.50727 | v4.0.30319 | both */
	VK_YESNO,          /* yes | no */
	VK_REG_PATH,       /* HKLM\... */
	VK_APPLIES_TO,     /* windows >= 6.1 ... */
	VK_RULE,           /* a baseline rule id: nist-800-52r2:3.1 */
};

/* What a setting changes: its order in a plan (kind, then word, then id). */
enum setting_kind {
	ST_NONE,
	ST_PROTOCOL,    /* [protocol "P"] client/server */
	ST_CIPHER,      /* [ciphers] */
	ST_HASH,        /* [hashes] */
	ST_KEX,         /* [key-exchange] algorithm = state */
	ST_KEX_BITS,    /* [key-exchange] dh-server-min-bits ... */
	ST_SCHANNEL,    /* [schannel] EventLogging, caches, limits, ... */
	ST_SUITES,      /* [cipher-suites] remove/prefer/order */
	ST_CURVES,      /* [cipher-suites] ecc-curves */
	ST_POLICY_LIST, /* [cipher-suites] policy-list = remove */
	ST_DOTNET,      /* [dotnet] SchUseStrongCrypto / SystemDefaultTlsVersions */
	ST_WINHTTP,     /* [winhttp] DefaultSecureProtocols */
	ST_EAP,         /* [eap-tls] TlsVersion */
	ST_FIPS,        /* [fips] policy */
	ST_RAW,         /* [key "label"] "name" = data */
};

/*
 * How a key's words become registry values (compile.c walks this forward)
 * and how values become words again (capture.c walks it backward).
 */
enum codec {
	CODEC_NONE,       /* metadata and options: writes nothing */
	CODEC_STATE_PAIR, /* enabled: value 1 + value2 0; disabled: value 0 + value2 1 */
	CODEC_ALL_BITS,   /* enabled: 0xffffffff; disabled: 0 (KB245030) */
	CODEC_STATE_01,   /* enabled: 1; disabled: 0 */
	CODEC_DWORD,      /* a number from min to max */
	CODEC_MASK,       /* a mask of the bits of `bits` */
	CODEC_SUITES,     /* an edit of the cipher-suite lists */
	CODEC_CURVES,     /* a REG_MULTI_SZ of curve names */
	CODEC_REMOVE,     /* only ever deletes the value */
};

/* Where a mask's bits come from in its vocabulary's entries. */
enum bit_field { BITS_WINHTTP, BITS_EAP, BITS_OWN };

/*
 * The registry mapping of one key. `key` is relative to HKLM and may hold
 * one placeholder: <ARG> (the section's argument, [protocol "TLS 1.2"]),
 * <WORD> (the vocabulary word that is the key, "RC4 128/128") or <VER>
 * (a .NET version, for sections with SEC_PER_DOTNET).
 */
struct reg_map {
	enum codec codec;
	const char *key;
	const char *value;  /* the value it writes */
	const char *value2; /* CODEC_STATE_PAIR: the second value */
	uint64_t min, max;  /* CODEC_DWORD */
	const struct vocab *bits;
	enum bit_field field;  /* CODEC_MASK */
	const char *bits_what; /* CODEC_MASK, for messages: "WinHTTP protocol" */
	enum area area;        /* how a plan groups it */
	unsigned rmkeys;       /* "default" also removes this many keys once empty */
	bool no_reboot;        /* read when a process starts, not at boot */
	const char *effect;    /* why the value is set, for plans */
	const char *ref;       /* the Microsoft page that documents it */
};

enum {
	KEY_REPEATABLE = 1 << 0, /* may appear more than once (reference, note) */
	KEY_REQUIRED = 1 << 1,   /* must appear in its section */
	KEY_OPTION = 1 << 2,     /* modifies the section's settings, sets nothing */
};

struct key_def {
	const char *name;          /* key as written; NULL: any word of `words` */
	const struct vocab *words; /* when name is NULL */
	enum value_kind kind;
	enum setting_kind setting; /* ST_NONE for metadata and options */
	unsigned flags;
	const char *doc; /* one line: what it means */
	struct reg_map map;
};

enum section_arg {
	ARG_NONE,  /* [dotnet] */
	ARG_VOCAB, /* [protocol "TLS 1.2"]: a word of arg_words */
	ARG_LABEL, /* [key "eap13"]: a free label */
};

enum {
	SEC_METADATA = 1 << 0,   /* its keys describe the profile and set nothing */
	SEC_GATHERED = 1 << 1,   /* remove/prefer/order are gathered into one setting */
	SEC_PER_VIEW = 1 << 2,   /* one copy of each setting per registry view */
	SEC_PER_DOTNET = 1 << 3, /* ... and per .NET version */
	SEC_RAW_VALUES = 1 << 4, /* accepts "Name" = .reg-style data lines */
};

struct section_def {
	const char *name;
	const char *title; /* how settings of this section are named in words */
	enum section_arg arg;
	const struct vocab *arg_words;
	const struct key_def *keys;
	size_t nkeys;
	unsigned flags;
	const char *registry; /* the key(s) it manages, for help */
	const char *doc;
};

extern const struct section_def schema_sections[];
extern const size_t schema_section_count;

const struct section_def *schema_section(const char *name);
/* Finds the key definition for `key` in a section (matching vocabulary
 * words for name == NULL entries); NULL if the section has no such key.
 * *word_index receives the vocabulary index for word keys. */
const struct key_def *schema_key(const struct section_def *s, const char *key, size_t *word_index);

/* The registry key of a mapped key definition for one word (<ARG> or
 * <WORD> index) and .NET version (NULL when none). xmalloc'd. */
char *schema_key_path(const struct section_def *s, const struct key_def *k, size_t word,
                      const char *version);

/* The key pattern of a mapped key definition, every placeholder a
 * wildcard (roots.c's syntax: "*" any name, "v*" a .NET version).
 * xmalloc'd. */
char *schema_key_pattern(const struct key_def *k);

/* Calls fn for every key definition with a registry mapping. */
void schema_each_mapped(void (*fn)(const struct section_def *, const struct key_def *, void *),
                        void *ctx);

/* A mask's bit for one vocabulary entry (0: the entry is no bit of it),
 * and every bit its vocabulary knows. */
uint32_t schema_mask_bit(const struct reg_map *m, const struct vocab_entry *e);
uint32_t schema_mask_known(const struct reg_map *m);

/* The section a key definition belongs to. */
const struct section_def *schema_section_of(const struct key_def *k);

/* Registry locations (relative to HKLM). */
#define SCHANNEL_KEY "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
#define SUITES_LOCAL_KEY                                                                           \
	"SYSTEM\\CurrentControlSet\\Control\\Cryptography\\Configuration\\Local\\SSL\\00010002"
#define SUITES_POLICY_KEY                                                                          \
	"SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002"
#define DOTNET_KEY  "SOFTWARE\\Microsoft\\.NETFramework"
#define WINHTTP_KEY "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp"
#define EAP_TLS_KEY "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13"
#define FIPS_KEY    "SYSTEM\\CurrentControlSet\\Control\\Lsa\\FipsAlgorithmPolicy"

/* The policy cipher list is one REG_SZ of at most this many characters. */
#define POLICY_FUNCTIONS_MAX 1023

/* Prints the language reference (sections, keys, words) from the table. */
void schema_describe(struct strbuf *sb);

#endif
