/*
 * docid.c - the machine identity of a JSON document (docid.h).
 */
#include "docid.h"

#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sha256.h"

/* The last path component of s[0..n), without trailing separators. */
static char *last_component(const char *s, size_t n)
{
	size_t start;

	while (n > 0 && (s[n - 1] == '/' || s[n - 1] == '\\'))
		n--;
	start = n;
	while (start > 0 && s[start - 1] != '/' && s[start - 1] != '\\')
		start--;
	return n > start ? xstrndup(s + start, n - start) : NULL;
}

char *docid_machine_of_target(const char *target, const char *computer_name)
{
	size_t n;

	if (!strcmp(target, "live"))
		return computer_name && *computer_name ? xstrdup(computer_name) : NULL;
	if (starts_with(target, "state:")) {
		target += strlen("state:");
		n = strlen(target);
		if (n > 4 && streq_ci(target + n - 4, ".reg"))
			n -= 4;
		return last_component(target, n);
	}
	if (starts_with(target, "image:")) {
		target += strlen("image:");
		return last_component(target, strlen(target));
	}
	return NULL;
}

/* Each field ends with a byte no field holds, so "ab"+"c" and "a"+"bc"
 * hash differently. */
static void hash_field(struct sha256 *h, const char *s)
{
	static const char sep = '\x1f';

	if (s)
		sha256_update(h, s, strlen(s));
	sha256_update(h, &sep, 1);
}

char *docid_profile_version(const struct profile *p)
{
	static const char digits[] = "0123456789abcdef";
	struct sha256 h;
	uint8_t d[32];
	char hex[65];
	size_t i;

	sha256_init(&h);
	hash_field(&h, p->name);
	hash_field(&h, p->applies_text);
	for (i = 0; i < p->nsettings; i++) {
		hash_field(&h, p->settings[i].id);
		hash_field(&h, p->settings[i].when.text);
		hash_field(&h, p->settings[i].canonical);
	}
	sha256_final(&h, d);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
	return xasprintf("sha256:%s", hex);
}

void docid_init(struct doc_identity *id, const char *target, const char *computer_name,
                const struct compile_options *os, const struct profile *profile, time_t now)
{
	memset(id, 0, sizeof(*id));
	id->machine = docid_machine_of_target(target, computer_name);
	if (os && os->have_os) {
		id->have_os = true;
		id->os_assumed = os->os_assumed;
		id->major = os->major;
		id->minor = os->minor;
		id->build = os->build;
	}
	id->time = utc_iso_time(now);
	id->profile_version = profile ? docid_profile_version(profile) : NULL;
}

void docid_add_reason(struct doc_identity *id, const char *reason)
{
	id->reasons = xrealloc(id->reasons, (id->nreasons + 1) * sizeof(*id->reasons));
	id->reasons[id->nreasons++] = xstrdup(reason);
	id->reboot_pending = true;
}

/* Where Windows records that it waits for a reboot. The servicing stack
 * and Windows Update create these keys; Session Manager performs the
 * renames MoveFileEx(MOVEFILE_DELAY_UNTIL_REBOOT) queued in the value at
 * the next boot (docs/json.md cites the pages). */
static const struct {
	const char *path, *value, *reason;
} markers[] = {
    {"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending", NULL,
     "cbs-reboot-pending"},
    {"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
     NULL, "windows-update-reboot-required"},
    {"SYSTEM\\CurrentControlSet\\Control\\Session Manager", "PendingFileRenameOperations",
     "pending-file-rename"},
};

static bool marker_present(const struct reg_backend *b, const char *path, const char *value)
{
	struct sc_err err = {{0}};
	struct reg_value v = {0};
	int rc;

	if (!value)
		return reg_key_exists(b, REG_VIEW_64, path, &err) == SC_OK;
	rc = reg_read_value_at(b, REG_VIEW_64, path, value, &v, &err);
	regvalue_free(&v);
	return rc == SC_OK;
}

void docid_reboot_markers(struct doc_identity *id, const struct reg_backend *b)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(markers); i++)
		if (marker_present(b, markers[i].path, markers[i].value))
			docid_add_reason(id, markers[i].reason);
}

void docid_json_fields(struct json *j, const struct doc_identity *id)
{
	json_key_str(j, "machine", id->machine);
	json_key(j, "os");
	if (id->have_os) {
		json_obj_begin(j);
		json_key_u64(j, "major", id->major);
		json_key_u64(j, "minor", id->minor);
		json_key_u64(j, "build", id->build);
		json_key_bool(j, "assumed", id->os_assumed);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key_str(j, "time", id->time);
	json_key_str(j, "profile_version", id->profile_version);
	json_key_bool(j, "reboot_pending", id->reboot_pending);
	json_key_strings(j, "reboot_pending_reasons", id->reasons, id->nreasons);
}

void docid_diff_json(const struct diff *d, const char *kind, const char *profile,
                     const char *target, const struct doc_identity *id, struct strbuf *sb)
{
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	diff_json_fields(&j, d, kind, profile, target, d->reboot && d->nchanged);
	docid_json_fields(&j, id);
	json_obj_end(&j);
	json_finish(&j);
}

void docid_free(struct doc_identity *id)
{
	free(id->machine);
	free(id->time);
	free(id->profile_version);
	strlist_free(id->reasons, id->nreasons);
	memset(id, 0, sizeof(*id));
}
