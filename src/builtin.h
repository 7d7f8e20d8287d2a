/*
 * builtin.h - the profiles compiled into the binary (profiles/NAME.ini,
 * embedded by scripts/embed-profiles.sh at build time).
 */
#ifndef SCHANNELCFG_BUILTIN_H
#define SCHANNELCFG_BUILTIN_H

#include <stddef.h>

struct builtin_profile {
	const char *file_name; /* "azure-mma-tls12.ini" */
	const char *text;      /* NUL-terminated file contents */
	size_t size;
};

extern const struct builtin_profile builtin_profiles[];
extern const size_t builtin_profile_count;

#endif
