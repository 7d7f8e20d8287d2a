#include "backend.h"

#include <string.h>

const char *reg_view_name(enum reg_view view)
{
	return view == REG_VIEW_32 ? "32-bit" : "64-bit";
}

void reg_display_path_sb(struct strbuf *sb, enum reg_view view, const char *path)
{
	sb_addf(sb, "HKLM\\%s%s", path, view == REG_VIEW_32 ? " (32-bit view)" : "");
}

char *reg_display_path(enum reg_view view, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	reg_display_path_sb(&sb, view, path);
	return sb_detach(&sb);
}

int reg_read_value_at(const struct reg_backend *b, enum reg_view view, const char *path,
                      const char *name, struct reg_value *out, struct sc_err *err)
{
	struct reg_key *key = NULL;
	int rc = b->ops->open_key(b, view, path, REG_ACCESS_READ, &key, err);

	if (rc != SC_OK)
		return rc;
	rc = b->ops->read_value(b, key, name, out, err);
	b->ops->close_key(b, key);
	return rc;
}

int reg_key_exists(const struct reg_backend *b, enum reg_view view, const char *path,
                   struct sc_err *err)
{
	struct reg_key *key = NULL;
	int rc = b->ops->open_key(b, view, path, REG_ACCESS_READ, &key, err);

	if (rc == SC_OK)
		b->ops->close_key(b, key);
	return rc;
}

/* Windows limits a key name to 255 characters and a path to 32767. */
#define REG_MAX_KEY_NAME 255
#define REG_MAX_PATH     32767

bool reg_path_valid(const char *path, struct sc_err *err)
{
	size_t component = 0, total = strlen(path);
	const char *p;

	if (!*path) {
		sc_err_set(err, "empty key path");
		return false;
	}
	if (total > REG_MAX_PATH) {
		sc_err_set(err, "key path longer than %d characters", REG_MAX_PATH);
		return false;
	}
	if (path[0] == '\\' || path[total - 1] == '\\') {
		sc_err_set(err, "key path \"%s\" starts or ends with a backslash", path);
		return false;
	}
	for (p = path; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			sc_err_set(err, "key path \"%s\" contains a control character", path);
			return false;
		}
		if (*p != '\\') {
			unsigned char c = (unsigned char)*p;

			/* Windows counts UTF-16 units: one per character
			 * below U+10000, two above; UTF-8 continuation
			 * bytes add nothing. */
			if ((c & 0xC0) != 0x80)
				component += c >= 0xF0 ? 2 : 1;
			if (component > REG_MAX_KEY_NAME) {
				sc_err_set(err, "a key name in \"%s\" is longer than %d characters",
				           path, REG_MAX_KEY_NAME);
				return false;
			}
			continue;
		}
		if (p[1] == '\\') {
			sc_err_set(err, "key path \"%s\" has an empty component", path);
			return false;
		}
		component = 0;
	}
	if (!utf8_valid(path, total)) {
		sc_err_set(err, "key path is not valid UTF-8");
		return false;
	}
	return true;
}

void reg_backend_free(struct reg_backend *b)
{
	if (b && b->ops->destroy)
		b->ops->destroy(b);
}

const char *reg_backend_name(const struct reg_backend *b)
{
	return b->ops->name;
}

int reg_backend_commit(const struct reg_backend *b, struct sc_err *err)
{
	return b->ops->commit ? b->ops->commit(b, err) : SC_OK;
}

bool reg_backend_commit_left_partial(const struct reg_backend *b)
{
	return b->ops->commit_left_partial && b->ops->commit_left_partial(b);
}

bool reg_path_within(const char *path, const char *key)
{
	size_t n = strlen(key);

	return starts_with_ci(path, key) && (path[n] == '\0' || path[n] == '\\');
}

bool reg_path_has_dot_component(const char *path)
{
	const char *p = path;

	for (;;) {
		size_t len = strcspn(p, "\\");

		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		if (!p[len])
			return false;
		p += len + 1;
	}
}

bool reg_backend_is(const struct reg_backend *b, const struct reg_backend_ops *ops)
{
	const struct reg_backend_ops *k;

	for (k = b ? b->ops : NULL; k; k = k->base)
		if (k == ops)
			return true;
	return false;
}

/* path is SOFTWARE or below it, whole components. */
static bool under_software(const char *path)
{
	return starts_with_ci(path, "SOFTWARE") && (path[8] == '\0' || path[8] == '\\');
}

void reg_view_subkey(enum reg_view view, const char *parent, const char *name,
                     enum reg_view *child_view, char **path)
{
	if (view == REG_VIEW_64 && streq_ci(parent, "SOFTWARE") && streq_ci(name, "Wow6432Node")) {
		*child_view = REG_VIEW_32;
		*path = xstrdup("SOFTWARE");
		return;
	}
	*child_view = view;
	*path = xasprintf("%s\\%s", parent, name);
}

size_t reg_view_depth(enum reg_view view, const char *path)
{
	size_t d = 0;
	const char *p;

	for (p = path; *p; p++)
		d += *p == '\\';
	return d + (view == REG_VIEW_32 && under_software(path));
}

const char *reg_view_container(enum reg_view view, const char *path, enum reg_view *container_view)
{
	if (view != REG_VIEW_32 || !streq_ci(path, "SOFTWARE"))
		return NULL;
	*container_view = REG_VIEW_64;
	return "SOFTWARE";
}
