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

/* A word of the vocabulary: a protocol, cipher, hash, ... */
struct vocab_entry {
	const char *name;  /* canonical spelling = the registry key name */
	const char *alias; /* another accepted spelling (e.g. "TLS1.2"), or NULL */
	uint32_t winhttp;  /* WinHTTP DefaultSecureProtocols bit, 0 if none */
	uint32_t eap;      /* EAP TlsVersion bits, 0 if none */
	const char *note;  /* shown by show/help, or NULL */
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
	VK_FLAG01,         /* 0 | 1 | default */
	VK_KEY_BITS,       /* 512..16384 | default */
	VK_EVENT_LOGGING,  /* 0..7 | default */
	VK_WINHTTP_MASK,   /* protocol words or a number | default */
	VK_EAP_MASK,       /* protocol words or a number | default */
	VK_SUITE_PATTERNS, /* suite names or patterns with * */
	VK_SUITE_LIST,     /* exact suite names, in order */
	VK_CURVES,         /* ECC curve names | default */
	VK_WHERE,          /* auto | local | policy */
	VK_VIEWS,          /* 64 | 32 | both */
	VK_VERSIONS,       /* v2.0.50727 | v4.0.30319 | both */
	VK_YESNO,          /* yes | no */
	VK_REG_PATH,       /* HKLM\... */
	VK_APPLIES_TO,     /* windows >= 6.1 ... */
};

/* What a setting changes (one per key of a section, or per raw value). */
enum setting_kind {
	ST_NONE,
	ST_PROTOCOL,      /* [protocol "P"] client/server */
	ST_CIPHER,        /* [ciphers] */
	ST_HASH,          /* [hashes] */
	ST_KEX,           /* [key-exchange] algorithm = state */
	ST_KEX_BITS,      /* [key-exchange] dh-server-min-bits ... */
	ST_EVENT_LOGGING, /* [schannel] EventLogging */
	ST_SUITES,        /* [cipher-suites] remove/prefer/order */
	ST_CURVES,        /* [cipher-suites] ecc-curves */
	ST_DOTNET,        /* [dotnet] SchUseStrongCrypto / SystemDefaultTlsVersions */
	ST_WINHTTP,       /* [winhttp] DefaultSecureProtocols */
	ST_EAP,           /* [eap-tls] TlsVersion */
	ST_FIPS,          /* [fips] policy */
	ST_RAW,           /* [key "label"] "name" = data */
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
	const char *registry; /* the value it writes, e.g. "Enabled", or NULL */
	const char *doc;      /* one line: what it means */
};

enum section_arg {
	ARG_NONE,  /* [dotnet] */
	ARG_VOCAB, /* [protocol "TLS 1.2"]: a word of arg_words */
	ARG_LABEL, /* [key "eap13"]: a free label */
};

struct section_def {
	const char *name;
	const char *title; /* how settings of this section are named in words */
	enum section_arg arg;
	const struct vocab *arg_words;
	const struct key_def *keys;
	size_t nkeys;
	bool raw_values;      /* accepts "Name" = .reg-style data lines */
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
