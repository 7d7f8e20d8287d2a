/*
 * docid.h - what a diff, check, apply or rollback JSON document is about
 * (docs/json.md "Machine identity"): the machine, the Windows release the
 * plan was compiled for, when, which version of the profile, and whether
 * the machine waits for a reboot. `schannelcfg report` (fleet.h) reads
 * these fields back from many machines' documents.
 */
#ifndef SCHANNELCFG_DOCID_H
#define SCHANNELCFG_DOCID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "backend.h"
#include "compile.h"
#include "profile.h"
#include "util.h"

struct doc_identity {
	char *machine; /* NULL when unknown */
	bool have_os, os_assumed;
	uint32_t major, minor, build;
	char *time;            /* "2026-12-03T14:00:00Z" */
	char *profile_version; /* "sha256:<64 hex>", NULL without a profile */
	bool reboot_pending;
	char **reasons; /* reason ids (docs/json.md), owned */
	size_t nreasons;
};

/*
 * The machine a target string names: "live" -> computer_name (may be
 * NULL: then NULL); "state:<path>" -> the file name without ".reg";
 * "image:<dir>" -> the folder's name. Either separator is accepted, so a
 * Windows path read on Linux works too. xmalloc'd, or NULL.
 */
char *docid_machine_of_target(const char *target, const char *computer_name);

/*
 * A profile's version: "sha256:" and the SHA-256 (hex) of its merged
 * content: name, applies-to, and each setting (includes merged, in
 * order) as its id, condition and canonical value. Comments, spacing and
 * line numbers do not change it; any change to what the profile sets
 * does. xmalloc'd.
 */
char *docid_profile_version(const struct profile *p);

/*
 * Fills id: machine from target (docid_machine_of_target), the release
 * from os (may be NULL: unknown), the time now, the profile version
 * (profile may be NULL). Free with docid_free.
 */
void docid_init(struct doc_identity *id, const char *target, const char *computer_name,
                const struct compile_options *os, const struct profile *profile, time_t now);

/*
 * Adds the pending-reboot markers Windows leaves in the registry that b
 * shows (Component Based Servicing RebootPending, Windows Update
 * RebootRequired, Session Manager PendingFileRenameOperations). A marker
 * that cannot be read counts as absent: it is a report, not a decision.
 */
void docid_reboot_markers(struct doc_identity *id, const struct reg_backend *b);

/* Marks a reboot as pending for `reason` (a reason id, copied). */
void docid_add_reason(struct doc_identity *id, const char *reason);

/* The identity's keys, inside an object the caller opened. */
struct json;
void docid_json_fields(struct json *j, const struct doc_identity *id);

/* The diff_format_json document (diff.h) with the identity's keys after
 * the diff's: what diff and check write. */
struct diff;
void docid_diff_json(const struct diff *d, const char *kind, const char *profile,
                     const char *target, const struct doc_identity *id, struct strbuf *sb);

void docid_free(struct doc_identity *id);

#endif
