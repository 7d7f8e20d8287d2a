#include "render_engine.h"

#include <stdlib.h>
#include <string.h>

#include "docid.h"
#include "json.h"
#include "render.h"
#include "snapshot.h"
#include "version.h"

static const char *status_name(enum apply_status s)
{
	static const char *const names[] = {"applied",    "nothing_to_do", "input_error",
	                                    "refused",    "rolled_back",   "rollback_failed",
	                                    "read_failed"};

	return names[s];
}

void apply_result_json(const struct apply_result *r, const char *kind, const char *profile,
                       const char *target, int exit_code, const struct doc_identity *id,
                       struct strbuf *sb)
{
	struct json j;

	/* One object, one schema: the diff's fields, then the result's. */
	json_init(&j, sb);
	json_obj_begin(&j);
	diff_json_fields(&j, &r->diff, kind, profile, target, r->status == APPLY_DONE && r->reboot);
	json_key_str(&j, "status", status_name(r->status));
	json_key_u64(&j, "exit_code", (uint64_t)exit_code);
	json_key_str(&j, "snapshot_id", r->snapshot_id);
	json_key_str(&j, "snapshot_path", r->snapshot_path);
	json_key_u64(&j, "executed", r->executed);
	json_key_str(&j, "error", r->err.msg[0] ? r->err.msg : NULL);
	json_key_str(&j, "restore_error", r->restore_err.msg[0] ? r->restore_err.msg : NULL);
	if (id)
		docid_json_fields(&j, id);
	json_obj_end(&j);
	json_finish(&j);
}

char *snapshot_file_path(const char *dir, const char *name)
{
#ifdef _WIN32
	return xasprintf("%s\\%s", dir, name);
#else
	return xasprintf("%s/%s", dir, name);
#endif
}

static const char *kind_word(const struct snapshot *s)
{
	return s->kind == SNAP_ROLLBACK ? "rollback" : "apply";
}

static void one_json(struct json *j, const char *name, const char *path,
                     const struct snap_auth *auth, bool allow_any_key)
{
	struct sc_err err = {{0}};
	struct snapshot s;
	bool ok = snapshot_load_auth(path, auth, allow_any_key, &s, &err) == SC_OK;

	json_obj_begin(j);
	json_key_str(j, "file", name);
	json_key_str(j, "path", path);
	json_key_bool(j, "valid", ok);
	if (ok) {
		json_key_str(j, "id", s.id);
		json_key_str(j, "kind", kind_word(&s));
		json_key_str(j, "time", s.time);
		json_key_str(j, "profile", s.profile);
		json_key_str(j, "target", s.target);
		json_key_str(j, "machine", s.machine);
		json_key_bool(j, "verified", s.verified);
		json_key_bool(j, "allow_any_key", s.allow_any_key);
		json_key_u64(j, "values", s.nvalues);
		snapshot_free(&s);
	} else {
		json_key_str(j, "error", err.msg);
	}
	json_obj_end(j);
}

static void one_text(const char *name, const char *path, const struct snap_auth *auth,
                     bool allow_any_key, struct strbuf *sb)
{
	struct sc_err err = {{0}};
	struct snapshot s;

	if (snapshot_load_auth(path, auth, allow_any_key, &s, &err) != SC_OK) {
		sb_addf(sb, "%-44s INVALID (never chosen): %s\n", name, err.msg);
		return;
	}
	sb_addf(sb, "%-44s %-8s %-20s %-16s %4zu  %s%s\n", s.id, kind_word(&s), s.time, s.profile,
	        s.nvalues, s.target, s.verified ? "" : "  (unverified: run elevated to check it)");
	snapshot_free(&s);
}

void snapshots_render(bool json, const char *dir, char *const *names, size_t n,
                      const struct snap_auth *auth, bool allow_any_key, struct strbuf *sb)
{
	struct json j;
	size_t i;

	if (json) {
		json_init(&j, sb);
		json_obj_begin(&j);
		json_key_u64(&j, "schema", JSON_SCHEMA_VERSION);
		json_key_str(&j, "kind", "snapshots");
		json_key_str(&j, "tool_version", SCHANNELCFG_VERSION);
		json_key_str(&j, "directory", dir);
		json_key(&j, "snapshots");
		json_arr_begin(&j);
	} else {
		sb_addf(sb, "Snapshots in %s\n", dir);
		sb_addf(sb, "%-44s %-8s %-20s %-16s %4s  %s\n", "ID", "KIND", "TIME (UTC)",
		        "PROFILE", "VALS", "TARGET");
	}
	for (i = 0; i < n; i++) {
		char *path = snapshot_file_path(dir, names[i]);

		if (json)
			one_json(&j, names[i], path, auth, allow_any_key);
		else
			one_text(names[i], path, auth, allow_any_key, sb);
		free(path);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else if (!n) {
		sb_adds(sb, "(none)\n");
	}
}
