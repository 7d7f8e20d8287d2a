/*
 * fleet.h - many machines' check/apply JSON documents, aggregated for
 * `schannelcfg report` (fleet_render.h writes CSV, JSON and HTML).
 *
 * MUST: every document is hostile input: read with jsonread.h, each field
 * checked for its type and range; a document that is not a schannelcfg
 * check or apply document is skipped with its file and reason, never
 * half-counted. Duplicates (the same machine, names compared without
 * case, as Windows compares computer names) keep the newest by `time`;
 * on equal times the one read last.
 */
#ifndef SCHANNELCFG_FLEET_H
#define SCHANNELCFG_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The largest document read (a check of every built-in setting is far
 * below it). */
#define FLEET_MAX_DOCUMENT (4u * 1024 * 1024)

struct fleet_machine {
	char *machine;
	char *release;      /* "10.0.20348", or "unknown" */
	char *release_name; /* "Windows Server 2022" (suites.h) */
	bool os_assumed;
	char *profile, *profile_version; /* profile_version may be NULL */
	char *kind;                      /* "check" or "apply" */
	char *time;                      /* ISO 8601 UTC */
	char *file;                      /* where it was read */
	bool compliant;
	size_t drifting; /* values that differ from the profile */
	bool reboot_pending;
	char **reasons;
	size_t nreasons;
	size_t *settings; /* indexes into fleet.settings of the drifting values */
	size_t nsettings;
};

/* A setting that drifts somewhere: by its baseline rule id when the
 * documents give one (entry "rule"), else by key, value and view. */
struct fleet_setting {
	char *rule; /* NULL without a rule */
	char *area, *key, *value, *view;
	size_t machines; /* how many kept machines drift on it */
};

/* A group of machines: one profile, or one release ("10.0.20348 (Windows
 * Server 2022)", ", assumed" added where the document's version was the
 * CLI's assumption for a state file). */
struct fleet_group {
	char *name;
	size_t machines, compliant, reboot_pending;
	char **versions; /* profiles: the distinct profile versions seen */
	size_t *version_machines;
	size_t nversions;
};

struct fleet_problem {
	char *file;
	char *error;
};

struct fleet {
	struct fleet_machine *machines; /* after fleet_finish: sorted by name */
	size_t n, cap;
	struct fleet_setting *settings; /* after fleet_finish: most drifting first */
	size_t nsettings, scap;
	struct fleet_problem *problems;
	size_t nproblems, pcap;
	size_t read, skipped, duplicates;
	/* after fleet_finish */
	struct fleet_group *profiles, *releases;
	size_t nprofiles, nreleases;
	size_t compliant, reboot_pending;
	/* private: machine name -> index, setting id -> index */
	struct fleet_index *by_machine, *by_setting;
};

void fleet_init(struct fleet *f);

/*
 * Adds one document read from `file` (text[0..len)). SC_OK when it was
 * counted (or replaced an older one of the same machine, or was older
 * than the one kept: both count as duplicates); SC_ERROR when it was
 * skipped: the reason is in err and recorded in f->problems.
 */
int fleet_add(struct fleet *f, const char *file, const char *text, size_t len, struct sc_err *err);

/* Records a file that could not be read at all (counted as skipped). */
void fleet_skip(struct fleet *f, const char *file, const char *error);

/* Sorts and counts (groups, settings' machine counts). Call once, after
 * the last fleet_add. */
void fleet_finish(struct fleet *f);

void fleet_free(struct fleet *f);

#endif
