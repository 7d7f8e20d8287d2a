/*
 * render_engine.h - output of apply/rollback and of the snapshot list
 * (text and JSON; shapes in docs/json.md).
 */
#ifndef SCHANNELCFG_RENDER_ENGINE_H
#define SCHANNELCFG_RENDER_ENGINE_H

#include <stdbool.h>

#include "apply.h"
#include "snapshot.h"
#include "util.h"

/* The diff document of diff_format_json plus status, exit code and
 * snapshot, and the machine identity (docid.h) when id is not NULL. */
struct doc_identity;
void apply_result_json(const struct apply_result *r, const char *kind, const char *profile,
                       const char *target, int exit_code, const struct doc_identity *id,
                       struct strbuf *sb);

/* The path of the file `name` in the snapshot folder dir, joined with the
 * platform's separator (as snapshot_write names the files it writes), so
 * every path shown to the user reads the same. xmalloc'd. */
char *snapshot_file_path(const char *dir, const char *name);

/* One line (or JSON object) per snapshot file: id, kind, time, profile,
 * number of values and whether it was verified under auth, or why it is
 * invalid (it is then never chosen by rollback). names are file names
 * inside dir. */
void snapshots_render(bool json, const char *dir, char *const *names, size_t n,
                      const struct snap_auth *auth, bool allow_any_key, struct strbuf *sb);

#endif
