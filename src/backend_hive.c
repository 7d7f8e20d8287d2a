/*
 * backend_hive.c - an offline image's SYSTEM and SOFTWARE hives as a store
 * (backend_hive.h): a mem store loaded through libhivex in live names,
 * written back on commit, hive by hive, only where it changed.
 */
#include "backend_hive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend_mem.h"
#include "platform.h"

#define BASE_BLOCK 4096

int (*hive_store_write_hook)(const char *step, const char *tmp_path);

enum { HIVE_SYSTEM, HIVE_SOFTWARE, NHIVES };

struct hive_file {
	const char *live; /* the key it is below HKLM: "SYSTEM", "SOFTWARE" */
	char *path;
	hive_h *h;      /* read-only (mapped); a commit opens the file to write */
	struct stat st; /* the file as opened: a commit refuses a file changed since */
};

struct hive_store {
	struct mem_based_store base; /* first: callers hold &base.backend */
	struct hive_file hives[NHIVES];
	unsigned control_set;
	char cs_name[24]; /* "ControlSet001" */
	bool wow64;
	char *architecture;
	bool have_os;
	uint32_t major, minor, build;
	/* Physical (mem) paths of keys opened for writing, created or
	 * deleted since the last commit: the commit compares only there. */
	char **touched;
	size_t ntouched, captouched;
	/* The hives are loaded on demand (the TLS keys are a few hundred of a
	 * SOFTWARE hive's hundreds of thousands): opening, creating or
	 * deleting a key brings it and the keys on its path into mem, each
	 * with its values, and lists it (its subkeys, with their values).
	 * Every key mem has from a hive has its values; these are the
	 * physical paths of the keys whose subkeys are all in mem too. A
	 * commit deletes from a hive only keys deleted in mem (touched), so
	 * what was never loaded is never changed. */
	char **listed;
	size_t nlisted, caplisted;
	bool partial; /* the last commit failed after replacing a hive file */
};

/* Appends p (taken) to a path list; SC_ERROR (p freed) when out of memory. */
static int path_list_add(char ***list, size_t *n, size_t *cap, char *p, struct sc_err *err)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		char **l = realloc(*list, c * sizeof(*l));

		if (!l) {
			free(p);
			return sc_err_set(err, "out of memory");
		}
		*list = l;
		*cap = c;
	}
	(*list)[(*n)++] = p;
	return SC_OK;
}

static void path_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static bool is_listed(const struct hive_store *s, const char *physical)
{
	size_t i;

	for (i = 0; i < s->nlisted; i++)
		if (streq_ci(physical, s->listed[i]))
			return true;
	return false;
}

static struct hive_store *store_of(const struct reg_backend *b)
{
	return (struct hive_store *)(void *)b;
}

/* ---- opening: the files ------------------------------------------------ */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The base block as docs/offline-images.md section 2 describes it; a hive
 * that fails here is never handed to hivex (which writes dirty hives as
 * if clean). */
static int check_base_block(const char *path, struct sc_err *err)
{
	unsigned char bb[BASE_BLOCK];
	uint32_t sum = 0, seq1, seq2;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, i;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		return sc_err_set(err, "%s: not a regular file (a symbolic link)", path);
	if (fd < 0)
		return sc_err_set(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sc_err_set(err, "%s: not a regular file", path);
	}
	while (got < sizeof(bb) && (n = read(fd, bb + got, sizeof(bb) - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got < sizeof(bb) || st.st_size < 2 * BASE_BLOCK)
		return sc_err_set(err, "%s: too small to be a registry hive", path);
	if (memcmp(bb, "regf", 4) != 0)
		return sc_err_set(err, "%s: not a registry hive (no regf signature)", path);
	if (le32(bb + 20) != 1)
		return sc_err_set(err, "%s: hive format major version %u, not 1", path,
		                  (unsigned)le32(bb + 20));
	if (le32(bb + 28) != 0)
		return sc_err_set(err, "%s: not a primary hive file (file type %u: a log?)", path,
		                  (unsigned)le32(bb + 28));
	for (i = 0; i < 508; i += 4)
		sum ^= le32(bb + i);
	seq1 = le32(bb + 4);
	seq2 = le32(bb + 8);
	if (sum != le32(bb + 508) || seq1 != seq2) {
		return sc_err_set(err,
		                  "%s: the hive is dirty (%s): it has changes pending in its "
		                  ".LOG1/.LOG2 files that only Windows replays. Boot the image "
		                  "once, or on Windows `reg load` and `reg unload` the hive, then "
		                  "try again; nothing was written",
		                  path,
		                  sum != le32(bb + 508) ? "its base block checksum is wrong"
		                                        : "its base block sequence numbers differ");
	}
	return SC_OK;
}

/* Opens one hive (to read: mapped; to write: read whole into memory),
 * after its base block passed. */
static hive_h *open_hive_file(struct hive_file *hf, bool writable, struct stat *st,
                              struct sc_err *err)
{
	hive_h *h;

	if (check_base_block(hf->path, err) != SC_OK)
		return NULL;
	if (lstat(hf->path, st) != 0) {
		sc_err_set(err, "%s: %s", hf->path, strerror(errno));
		return NULL;
	}
	if (!(h = hivex_open(hf->path, writable ? HIVEX_OPEN_WRITE : 0)))
		sc_err_set(err, "%s: libhivex cannot open it: %s", hf->path, strerror(errno));
	return h;
}

static int open_hive(struct hive_file *hf, struct sc_err *err)
{
	hf->h = open_hive_file(hf, false, &hf->st, err);
	return hf->h ? SC_OK : SC_ERROR;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* ---- opening: the keys ------------------------------------------------- */

struct loader {
	struct hive_store *s;
	struct hive_file *hf;
	struct strbuf path; /* the mem path of the node being loaded */
	struct sc_err *err;
};

/* A hive key name as a store path component, or NULL with err set. */
static char *node_name(struct loader *l, hive_node_h node)
{
	char *name = hivex_node_name(l->hf->h, node);
	size_t len = hivex_node_name_len(l->hf->h, node);

	if (!name) {
		sc_err_set(l->err, "%s: HKLM\\%s: a subkey's name cannot be read: %s", l->hf->path,
		           sb_str(&l->path), strerror(errno));
		return NULL;
	}
	if (strlen(name) != len || !name[0] || strchr(name, '\\') || len > 255) {
		sc_err_set(l->err,
		           "%s: HKLM\\%s has a subkey whose name a registry path cannot hold "
		           "exactly (empty, over 255 characters, or with a NUL or a backslash); "
		           "not opened",
		           l->hf->path, sb_str(&l->path));
		free(name);
		return NULL;
	}
	return name;
}

static int load_values(struct loader *l, hive_node_h node, struct reg_key *key)
{
	hive_value_h *vals = hivex_node_values(l->hf->h, node);
	int rc = SC_OK;
	size_t i;

	if (!vals)
		return sc_err_set(l->err, "%s: HKLM\\%s: values cannot be read: %s", l->hf->path,
		                  sb_str(&l->path), strerror(errno));
	for (i = 0; rc == SC_OK && vals[i]; i++) {
		char *name = hivex_value_key(l->hf->h, vals[i]);
		hive_type t;
		size_t len;
		char *data = name ? hivex_value_value(l->hf->h, vals[i], &t, &len) : NULL;
		struct reg_value v;

		if (!name || !data) {
			rc = sc_err_set(l->err, "%s: HKLM\\%s: a value cannot be read: %s",
			                l->hf->path, sb_str(&l->path), strerror(errno));
		} else if (strlen(name) != hivex_value_key_len(l->hf->h, vals[i])) {
			rc = sc_err_set(
			    l->err, "%s: HKLM\\%s has a value whose name holds a NUL; not opened",
			    l->hf->path, sb_str(&l->path));
		} else {
			v.type = (uint32_t)t;
			v.size = len;
			v.data = (uint8_t *)data;
			rc = mem_op_write_value(l->s->base.mem, key, name, &v, l->err);
		}
		free(name);
		free(data);
	}
	free(vals);
	return rc;
}

/* The key at l->path in mem: created with the node's values, or left as it
 * is when mem has it already (a stub's values are the hive's; a loaded
 * key's may have been changed since). */
static int load_key(struct loader *l, hive_node_h node)
{
	struct reg_key *key = NULL;
	bool created = false;
	int rc;

	rc = mem_op_create_key(l->s->base.mem, REG_VIEW_64, sb_str(&l->path), &key, &created,
	                       l->err);
	if (rc != SC_OK)
		return rc;
	if (created)
		rc = load_values(l, node, key);
	mem_op_close_key(l->s->base.mem, key);
	return rc;
}

static bool key_in_mem(struct hive_store *s, const char *path)
{
	struct sc_err ignored = {{0}};

	return reg_key_exists(s->base.mem, REG_VIEW_64, path, &ignored) == SC_OK;
}

/* Is a touched path at path (exact) or strictly below it? */
static bool touched_at(const struct hive_store *s, const char *path, bool *below)
{
	bool exact = false;
	size_t i, n = strlen(path);

	*below = false;
	for (i = 0; i < s->ntouched; i++) {
		if (!reg_path_within(s->touched[i], path))
			continue;
		if (s->touched[i][n] == '\0')
			exact = true;
		else
			*below = true;
	}
	return exact;
}

/* Was the key at mem path deleted from mem (touched, and not there)? The
 * hive's copy must then not come back. */
static bool deleted_in_mem(struct hive_store *s, const char *path)
{
	bool below;

	return touched_at(s, path, &below) && !key_in_mem(s, path);
}

/* A subkey's names in mem and in the hive, below the key at mem path
 * parent of hf: they differ only for the current control set, which is
 * CurrentControlSet in mem and ControlSet00N in the SYSTEM hive. */
static bool at_system_root(const struct hive_store *s, const struct hive_file *hf,
                           const char *parent)
{
	return hf == &s->hives[HIVE_SYSTEM] && streq_ci(parent, "SYSTEM");
}

static const char *mem_name(const struct hive_store *s, const struct hive_file *hf,
                            const char *parent, const char *hive_name)
{
	return at_system_root(s, hf, parent) && streq_ci(hive_name, s->cs_name)
	           ? "CurrentControlSet"
	           : hive_name;
}

static const char *hive_name(const struct hive_store *s, const struct hive_file *hf,
                             const char *parent, const char *mem_name)
{
	return at_system_root(s, hf, parent) && streq_ci(mem_name, "CurrentControlSet") ? s->cs_name
	                                                                                : mem_name;
}

/* Every subkey of node (the key at l->path) into mem with its values, but
 * for those mem has (or had, and deleted): then l->path is listed, and
 * enumerating it or deleting it if empty sees what the hive has. */
static int list_children(struct loader *l, hive_node_h node)
{
	hive_node_h *children;
	size_t base = l->path.len, i;
	char *parent;
	int rc = SC_OK;

	if (is_listed(l->s, sb_str(&l->path)))
		return SC_OK;
	if (!(children = hivex_node_children(l->hf->h, node)))
		return sc_err_set(l->err, "%s: HKLM\\%s: subkeys cannot be read: %s", l->hf->path,
		                  sb_str(&l->path), strerror(errno));
	parent = xstrdup(sb_str(&l->path));
	for (i = 0; rc == SC_OK && children[i]; i++) {
		char *name = node_name(l, children[i]);

		if (!name) {
			rc = SC_ERROR;
			break;
		}
		sb_addc(&l->path, '\\');
		sb_adds(&l->path, mem_name(l->s, l->hf, parent, name));
		if (!deleted_in_mem(l->s, sb_str(&l->path)))
			rc = load_key(l, children[i]);
		l->path.len = base;
		l->path.buf[base] = '\0';
		free(name);
	}
	if (rc == SC_OK)
		rc = path_list_add(&l->s->listed, &l->s->nlisted, &l->s->caplisted, parent, l->err);
	else
		free(parent);
	free(children);
	return rc;
}

/* Select\Current, and that its ControlSet00N exists. */
static int find_control_set(struct hive_store *s, struct sc_err *err)
{
	struct hive_file *hf = &s->hives[HIVE_SYSTEM];
	hive_node_h root = hivex_root(hf->h), sel, cs;
	hive_value_h cur;
	hive_type t;
	size_t len;
	char *data;

	if (!root || !(sel = hivex_node_get_child(hf->h, root, "Select")))
		return sc_err_set(err, "%s: no Select key: not a SYSTEM hive", hf->path);
	if (!(cur = hivex_node_get_value(hf->h, sel, "Current")))
		return sc_err_set(err, "%s: Select has no Current value", hf->path);
	data = hivex_value_value(hf->h, cur, &t, &len);
	if (!data || t != hive_t_REG_DWORD || len != 4) {
		free(data);
		return sc_err_set(err, "%s: Select\\Current is not a REG_DWORD", hf->path);
	}
	s->control_set = le32((const unsigned char *)data);
	free(data);
	if (hivex_node_get_child(hf->h, root, "CurrentControlSet"))
		return sc_err_set(err,
		                  "%s: the hive has a CurrentControlSet key, which an offline "
		                  "SYSTEM hive never has (it exists only in a running Windows); "
		                  "not opened",
		                  hf->path);
	if (s->control_set < 1 || s->control_set > 999)
		return sc_err_set(err, "%s: Select\\Current is %u, no control set number", hf->path,
		                  s->control_set);
	snprintf(s->cs_name, sizeof(s->cs_name), "ControlSet%03u", s->control_set);
	if (!(cs = hivex_node_get_child(hf->h, root, s->cs_name)))
		return sc_err_set(err, "%s: Select\\Current is %u, but there is no %s key",
		                  hf->path, s->control_set, s->cs_name);
	return SC_OK;
}

static struct hive_file *hive_of(struct hive_store *s, const char *physical)
{
	size_t i;

	for (i = 0; i < NHIVES; i++)
		if (reg_path_within(physical, s->hives[i].live))
			return &s->hives[i];
	return NULL;
}

/* The hive's child of node called as mem component comp (n bytes) names
 * it: the current control set is CurrentControlSet in mem. */
static hive_node_h hive_child(struct loader *l, hive_node_h node, const char *comp, size_t n)
{
	char *name = xstrndup(comp, n);
	hive_node_h child =
	    hivex_node_get_child(l->hf->h, node, hive_name(l->s, l->hf, sb_str(&l->path), name));

	free(name);
	return child;
}

/*
 * Brings what the hive holds at mem path physical into mem: the keys on
 * the way and the key itself, with their values, as far as the hive has
 * them (a key deleted in mem stays deleted); with list, the key's subkeys
 * too (list_children). Names are the hive's, as stored.
 */
static int load_path(struct hive_store *s, const char *physical, bool list, struct sc_err *err)
{
	struct loader l = {s, hive_of(s, physical), STRBUF_INIT, err};
	const char *p;
	hive_node_h node;
	int rc = SC_OK;

	if (!l.hf || (list ? is_listed(s, physical) : key_in_mem(s, physical)))
		return SC_OK; /* loaded before */
	if (!l.hf->h)
		return sc_err_set(
		    err,
		    "%s: the hive could not be opened again after an earlier failure; "
		    "nothing more is read from it",
		    l.hf->path);
	if (!(node = hivex_root(l.hf->h)))
		return sc_err_set(err, "%s: the hive has no root key", l.hf->path);
	sb_adds(&l.path, l.hf->live);
	for (p = physical + strlen(l.hf->live);; p += strcspn(p, "\\")) {
		size_t n;
		char *name, *parent;

		if (deleted_in_mem(s, sb_str(&l.path)))
			break;
		if ((rc = load_key(&l, node)) != SC_OK || !*p)
			break;
		n = strcspn(++p, "\\");
		if (!(node = hive_child(&l, node, p, n)))
			break; /* not in the hive: nothing below either */
		if (!(name = node_name(&l, node))) {
			rc = SC_ERROR;
			break;
		}
		parent = xstrdup(sb_str(&l.path));
		sb_addc(&l.path, '\\');
		sb_adds(&l.path, mem_name(s, l.hf, parent, name));
		free(parent);
		free(name);
	}
	if (rc == SC_OK && node && list && !*p && !deleted_in_mem(s, sb_str(&l.path)))
		rc = list_children(&l, node);
	sb_free(&l.path);
	return rc;
}

/* The mem path a (view, path) names: one view on a 32-bit image, and the
 * current control set by number is CurrentControlSet. *canon is path or a
 * malloc'd string (free it when it is not path); NULL when out of memory. */
static const char *canonical(const struct hive_store *s, enum reg_view *view, const char *path)
{
	size_t n = strlen(s->cs_name);
	char *c;

	if (!s->wow64)
		*view = REG_VIEW_64;
	if (!starts_with_ci(path, "SYSTEM\\") || strncmp_ci(path + 7, s->cs_name, n) != 0 ||
	    (path[7 + n] != '\0' && path[7 + n] != '\\'))
		return path;
	if (!(c = malloc(strlen(path) + sizeof("CurrentControlSet"))))
		return NULL;
	snprintf(c, strlen(path) + sizeof("CurrentControlSet"), "SYSTEM\\CurrentControlSet%s",
	         path + 7 + n);
	return c;
}

/* mem_physical_path with plain malloc (this runs inside a transaction). */
static char *physical_path(enum reg_view view, const char *path)
{
	size_t n = strlen(path);
	char *p = malloc(n + sizeof("\\Wow6432Node"));

	if (!p)
		return NULL;
	if (view != REG_VIEW_32 || !reg_path_within(path, "SOFTWARE") ||
	    (path[8] && reg_path_within(path + 9, "Wow6432Node")))
		memcpy(p, path, n + 1);
	else
		sprintf(p, "%.8s\\Wow6432Node%s", path, path + 8);
	return p;
}

static int touch(struct hive_store *s, enum reg_view view, const char *path, struct sc_err *err)
{
	char *physical = physical_path(view, path);
	size_t i;

	if (!physical)
		return sc_err_set(err, "HKLM\\%s: out of memory", path);

	for (i = 0; i < s->ntouched; i++) {
		if (streq_ci(s->touched[i], physical)) {
			free(physical);
			return SC_OK;
		}
	}
	return path_list_add(&s->touched, &s->ntouched, &s->captouched, physical, err);
}

/* Before a key is opened, created or deleted: it, its path and its
 * subkeys into mem. */
static int ensure_loaded(struct hive_store *s, enum reg_view view, const char *path,
                         struct sc_err *err)
{
	char *physical = physical_path(view, path);
	int rc;

	if (!physical)
		return sc_err_set(err, "HKLM\\%s: out of memory", path);
	rc = load_path(s, physical, true, err);
	free(physical);
	return rc;
}

static bool in_hives(const char *path)
{
	return reg_path_within(path, "SYSTEM") || reg_path_within(path, "SOFTWARE");
}

static int hive_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
                         enum reg_access access, struct reg_key **key, struct sc_err *err)
{
	struct hive_store *s = store_of(b);
	const char *c = canonical(s, &view, path);
	int rc;

	if (!c)
		return sc_err_set(err, "HKLM\\%s: out of memory opening the key", path);
	rc = ensure_loaded(s, view, c, err);
	if (rc == SC_OK)
		rc = mem_op_open_key(b, view, c, access, key, err);
	if (rc == SC_OK && access == REG_ACCESS_WRITE && touch(s, view, c, err) != SC_OK) {
		mem_op_close_key(b, *key);
		rc = SC_ERROR;
	}
	if (c != path)
		free((char *)c);
	return rc;
}

static int hive_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
                           struct reg_key **key, bool *created, struct sc_err *err)
{
	struct hive_store *s = store_of(b);
	const char *c;
	int rc;

	if (!in_hives(path))
		return sc_err_set(err,
		                  "HKLM\\%s: not in the image's hives (an image's registry here is "
		                  "HKLM\\SYSTEM and HKLM\\SOFTWARE)",
		                  path);
	if (!(c = canonical(s, &view, path)))
		return sc_err_set(err, "HKLM\\%s: out of memory creating the key", path);
	rc = ensure_loaded(s, view, c, err);
	if (rc == SC_OK)
		rc = mem_op_create_key(b, view, c, key, created, err);
	if (rc == SC_OK && touch(s, view, c, err) != SC_OK) {
		mem_op_close_key(b, *key);
		rc = SC_ERROR;
	}
	if (c != path)
		free((char *)c);
	return rc;
}

static int hive_delete_key_if_empty(const struct reg_backend *b, enum reg_view view,
                                    const char *path, bool *deleted, struct sc_err *err)
{
	struct hive_store *s = store_of(b);
	const char *c = canonical(s, &view, path);
	int rc;

	*deleted = false;
	if (!c)
		return sc_err_set(err, "HKLM\\%s: out of memory deleting the key", path);
	if (streq_ci(c, "SYSTEM") || streq_ci(c, "SOFTWARE") ||
	    streq_ci(c, "SYSTEM\\CurrentControlSet"))
		rc = SC_OK; /* a hive's root is never deleted */
	else if ((rc = ensure_loaded(s, view, c, err)) == SC_OK)
		rc = mem_op_delete_key_if_empty(b, view, c, deleted, err);
	if (rc == SC_OK && *deleted)
		rc = touch(s, view, c, err);
	if (c != path)
		free((char *)c);
	return rc;
}

/* ---- commit: the hives that changed, through libhivex ------------------- */

struct syncer {
	struct hive_store *s;
	struct hive_file *hf;
	bool dry;       /* count the changes only */
	size_t changes; /* keys whose values, or whose list of subkeys, differ */
	struct sc_err *err;
};

struct named_values {
	char **names;
	struct reg_value *values;
	size_t n;
};

static void named_values_free(struct named_values *nv)
{
	size_t i;

	for (i = 0; i < nv->n; i++) {
		free(nv->names[i]);
		regvalue_free(&nv->values[i]);
	}
	free(nv->names);
	free(nv->values);
	memset(nv, 0, sizeof(*nv));
}

static int mem_values(const struct syncer *y, struct reg_key *key, struct named_values *nv)
{
	const struct reg_backend *mem = y->s->base.mem;
	size_t i;
	int rc;

	memset(nv, 0, sizeof(*nv));
	for (i = 0;; i++) {
		char *name = NULL;
		void *p;

		rc = mem_op_enum_value(mem, key, i, &name, y->err);
		if (rc == SC_NOT_FOUND)
			return SC_OK;
		if (rc != SC_OK)
			return rc;
		if (!(p = realloc(nv->names, (i + 1) * sizeof(*nv->names)))) {
			free(name);
			return sc_err_set(y->err, "out of memory comparing values");
		}
		nv->names = p;
		if (!(p = realloc(nv->values, (i + 1) * sizeof(*nv->values)))) {
			free(name);
			return sc_err_set(y->err, "out of memory comparing values");
		}
		nv->values = p;
		nv->names[i] = name;
		memset(&nv->values[i], 0, sizeof(nv->values[i]));
		nv->n = i + 1;
		if (mem_op_read_value(mem, key, name, &nv->values[i], y->err) != SC_OK)
			return SC_ERROR;
	}
}

/* Do the hive node's values equal nv (as sets: names case-insensitively,
 * type and bytes exactly)? */
static int values_equal(const struct syncer *y, hive_node_h node, const struct named_values *nv,
                        bool *equal)
{
	hive_value_h *vals = hivex_node_values(y->hf->h, node);
	size_t n = 0, i, j;
	int rc = SC_OK;

	*equal = false;
	if (!vals)
		return sc_err_set(y->err, "%s: values cannot be read: %s", y->hf->path,
		                  strerror(errno));
	while (vals[n])
		n++;
	*equal = n == nv->n;
	for (i = 0; *equal && i < n; i++) {
		char *name = hivex_value_key(y->hf->h, vals[i]);
		hive_type t;
		size_t len;
		char *data = name ? hivex_value_value(y->hf->h, vals[i], &t, &len) : NULL;

		if (!data) {
			rc = sc_err_set(y->err, "%s: a value cannot be read: %s", y->hf->path,
			                strerror(errno));
			*equal = false;
		}
		for (j = 0; data && j < nv->n && !streq_ci(nv->names[j], name); j++)
			;
		if (data &&
		    (j == nv->n || nv->values[j].type != (uint32_t)t || nv->values[j].size != len ||
		     (len && memcmp(nv->values[j].data, data, len) != 0)))
			*equal = false;
		free(name);
		free(data);
	}
	free(vals);
	return rc;
}

static int set_values(const struct syncer *y, hive_node_h node, const struct named_values *nv,
                      const char *path)
{
	hive_set_value *set = calloc(nv->n ? nv->n : 1, sizeof(*set));
	size_t i;
	int rc = SC_OK;

	if (!set)
		return sc_err_set(y->err, "HKLM\\%s: out of memory", path);
	for (i = 0; i < nv->n; i++) {
		set[i].key = nv->names[i];
		set[i].t = (hive_type)nv->values[i].type;
		set[i].len = nv->values[i].size;
		set[i].value = (char *)nv->values[i].data;
	}
	if (hivex_node_set_values(y->hf->h, node, nv->n, set, 0) != 0)
		rc = sc_err_set(y->err, "%s: HKLM\\%s: libhivex cannot set the values: %s",
		                y->hf->path, path, strerror(errno));
	free(set);
	return rc;
}

static int sync_node(struct syncer *y, hive_node_h node, const char *path, bool full);

/* A subkey the hive has and mem does not: deleted, if it was deleted in
 * mem (touched); else a key never loaded, left as it is. */
static int sync_missing(struct syncer *y, hive_node_h child, const char *path, const char *live)
{
	char *child_path = xasprintf("%s\\%s", path, live);
	bool below, deleted = touched_at(y->s, child_path, &below);
	int rc = SC_OK;

	free(child_path);
	if (!deleted)
		return SC_OK;
	y->changes++;
	if (!y->dry && hivex_node_delete_child(y->hf->h, child) != 0)
		rc = sc_err_set(y->err, "%s: HKLM\\%s\\%s: libhivex cannot delete it: %s",
		                y->hf->path, path, live, strerror(errno));
	return rc;
}

/* The subkeys of node against the mem key's: deleted ones go, new ones
 * are added (and filled in wholly), common ones are compared where
 * something below them was touched (or everywhere when full). */
static int sync_children(struct syncer *y, hive_node_h node, struct reg_key *key, const char *path,
                         bool full)
{
	const struct reg_backend *mem = y->s->base.mem;
	hive_node_h *children = hivex_node_children(y->hf->h, node);
	char **names = NULL;
	bool *matched = NULL;
	size_t nnames = 0, i, j;
	int rc = SC_OK;

	if (!children)
		return sc_err_set(y->err, "%s: HKLM\\%s: subkeys cannot be read: %s", y->hf->path,
		                  path, strerror(errno));
	for (;;) {
		char *name = NULL;
		void *p;

		rc = mem_op_enum_subkey(mem, key, nnames, &name, y->err);
		if (rc == SC_NOT_FOUND) {
			rc = SC_OK;
			break;
		}
		if (rc != SC_OK)
			goto out;
		if (!(p = realloc(names, (nnames + 1) * sizeof(*names)))) {
			free(name);
			rc = sc_err_set(y->err, "HKLM\\%s: out of memory", path);
			goto out;
		}
		names = p;
		names[nnames++] = name;
	}
	if (!(matched = calloc(nnames ? nnames : 1, sizeof(*matched)))) {
		rc = sc_err_set(y->err, "HKLM\\%s: out of memory", path);
		goto out;
	}
	for (i = 0; rc == SC_OK && children[i]; i++) {
		char *hname = hivex_node_name(y->hf->h, children[i]);
		const char *live;
		char *child_path;
		bool below;

		if (!hname) {
			rc = sc_err_set(y->err, "%s: HKLM\\%s: a subkey's name cannot be read",
			                y->hf->path, path);
			break;
		}
		live = mem_name(y->s, y->hf, path, hname);
		for (j = 0; j < nnames && !streq_ci(names[j], live); j++)
			;
		if (j == nnames) { /* deleted from the store, or never loaded */
			rc = sync_missing(y, children[i], path, live);
			free(hname);
			continue;
		}
		matched[j] = true;
		child_path = malloc(strlen(path) + strlen(names[j]) + 2);
		if (!child_path) {
			free(hname);
			rc = sc_err_set(y->err, "HKLM\\%s: out of memory", path);
			break;
		}
		sprintf(child_path, "%s\\%s", path, names[j]);
		if (full || touched_at(y->s, child_path, &below) || below)
			rc = sync_node(y, children[i], child_path, full);
		free(child_path);
		free(hname);
	}
	for (j = 0; rc == SC_OK && j < nnames; j++) {
		hive_node_h added;
		char *child_path;

		if (matched[j])
			continue;
		y->changes++; /* new in the store */
		if (y->dry)
			continue;
		added =
		    hivex_node_add_child(y->hf->h, node, hive_name(y->s, y->hf, path, names[j]));
		if (!added) {
			rc = sc_err_set(y->err, "%s: HKLM\\%s\\%s: libhivex cannot add it: %s",
			                y->hf->path, path, names[j], strerror(errno));
			break;
		}
		if (!(child_path = malloc(strlen(path) + strlen(names[j]) + 2))) {
			rc = sc_err_set(y->err, "HKLM\\%s: out of memory", path);
			break;
		}
		sprintf(child_path, "%s\\%s", path, names[j]);
		rc = sync_node(y, added, child_path, true);
		free(child_path);
	}
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(matched);
	free(children);
	return rc;
}

static int sync_node(struct syncer *y, hive_node_h node, const char *path, bool full)
{
	const struct reg_backend *mem = y->s->base.mem;
	struct named_values nv = {0};
	struct reg_key *key = NULL;
	bool below = false, exact = full || touched_at(y->s, path, &below), equal;
	int rc;

	rc = mem_op_open_key(mem, REG_VIEW_64, path, REG_ACCESS_READ, &key, y->err);
	if (rc != SC_OK)
		return rc == SC_NOT_FOUND ? sc_err_set(y->err, "HKLM\\%s: vanished", path) : rc;
	if (exact) {
		rc = mem_values(y, key, &nv);
		if (rc == SC_OK)
			rc = values_equal(y, node, &nv, &equal);
		if (rc == SC_OK && !equal) {
			y->changes++;
			if (!y->dry)
				rc = set_values(y, node, &nv, path);
		}
		named_values_free(&nv);
	}
	if (rc == SC_OK && (full || below || exact))
		rc = sync_children(y, node, key, path, full);
	mem_op_close_key(mem, key);
	return rc;
}

static int step(const char *name, const char *tmp, struct sc_err *err)
{
	if (hive_store_write_hook && hive_store_write_hook(name, tmp) != 0)
		return sc_err_set(err, "%s: write failed after step \"%s\" (injected)", tmp, name);
	return SC_OK;
}

/* A hive written beside its file and not yet in place: the file, in a
 * private folder (mkdtemp, mode 0700) beside the hive, so that nobody who
 * may write the config folder can swap the name hivex_commit opens. */
struct staged {
	char *dir;
	char *tmp;
};

static void unstage(struct staged *sg)
{
	if (sg->tmp)
		unlink(sg->tmp);
	if (sg->dir)
		rmdir(sg->dir);
	free(sg->tmp);
	free(sg->dir);
	sg->tmp = sg->dir = NULL;
}

/* The folder of path (plain malloc: this runs inside a transaction). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *dir = malloc(n + 1);

	if (dir) {
		memcpy(dir, slash ? path : ".", n);
		dir[n] = '\0';
	}
	return dir;
}

/* The private folder and the new file in it, with the hive's mode and,
 * as root, its owner. */
static int make_staging(const struct hive_file *hf, const struct stat *st, struct staged *sg,
                        struct stat *made, struct sc_err *err)
{
	const char *base = strrchr(hf->path, '/');
	char *parent = folder_of(hf->path);
	int fd = -1;

	base = base ? base + 1 : hf->path;
	sg->dir = parent ? malloc(strlen(parent) + sizeof("/.schannelcfg-XXXXXX")) : NULL;
	if (sg->dir)
		sprintf(sg->dir, "%s/.schannelcfg-XXXXXX", parent);
	free(parent);
	if (!sg->dir || !mkdtemp(sg->dir)) {
		free(sg->dir);
		sg->dir = NULL;
		return sc_err_set(err, "%s: cannot create a temporary folder beside it: %s",
		                  hf->path, strerror(errno));
	}
	if (!(sg->tmp = malloc(strlen(sg->dir) + strlen(base) + 2)))
		return sc_err_set(err, "%s: out of memory", hf->path);
	sprintf(sg->tmp, "%s/%s", sg->dir, base);
	fd = open(sg->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, made) != 0 || fchmod(fd, st->st_mode & 07777) != 0 ||
	    (geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) != 0)) {
		sc_err_set(err, "%s: cannot create it with the hive's mode and owner: %s", sg->tmp,
		           strerror(errno));
		if (fd >= 0)
			close(fd);
		return SC_ERROR;
	}
	close(fd);
	return SC_OK;
}

/* The staged file, flushed and checked: the same file that was created,
 * a clean base block, and libhivex opens it. */
static int check_staged(const struct staged *sg, const struct stat *made, struct sc_err *err)
{
	struct stat now;
	hive_h *check;
	int fd = open(sg->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = SC_OK;

	if (fd < 0 || fstat(fd, &now) != 0 || now.st_dev != made->st_dev ||
	    now.st_ino != made->st_ino)
		rc = sc_err_set(err, "%s: replaced while it was written; not used", sg->tmp);
	else if (fsync(fd) != 0)
		rc = sc_err_set(err, "%s: fsync failed: %s", sg->tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == SC_OK)
		rc = step("flushed", sg->tmp, err);
	if (rc == SC_OK)
		rc = check_base_block(sg->tmp, err);
	if (rc == SC_OK && !(check = hivex_open(sg->tmp, 0)))
		rc = sc_err_set(err, "%s: the written hive does not open again: %s", sg->tmp,
		                strerror(errno));
	else if (rc == SC_OK)
		hivex_close(check);
	return rc == SC_OK ? step("verified", sg->tmp, err) : rc;
}

/* hf->h, written by hivex_commit into a staged file, flushed and checked
 * (backend_hive.h). Closes hf->h once it is written: the in-memory copy is
 * not needed again (the caller opens the hive as the file then is), and
 * freeing it halves the peak while the copy is checked. On failure nothing
 * is staged. */
static int stage_hive(struct hive_file *hf, struct staged *sg, struct sc_err *err)
{
	struct stat st, made;
	int rc;

	memset(sg, 0, sizeof(*sg));
	if (lstat(hf->path, &st) != 0 || !S_ISREG(st.st_mode))
		return sc_err_set(err, "%s: no longer a regular file; not written", hf->path);
	rc = make_staging(hf, &st, sg, &made, err);
	if (rc == SC_OK)
		rc = step("created", sg->tmp, err);
	if (rc == SC_OK && hivex_commit(hf->h, sg->tmp, 0) != 0)
		rc = sc_err_set(err, "%s: libhivex cannot write the hive: %s", sg->tmp,
		                strerror(errno));
	if (rc == SC_OK) {
		hivex_close(hf->h);
		hf->h = NULL;
		rc = step("committed", sg->tmp, err);
	}
	if (rc == SC_OK)
		rc = check_staged(sg, &made, err);
	if (rc != SC_OK)
		unstage(sg);
	return rc;
}

/* Puts a staged hive in place: renamed over the hive, if the file is still
 * the one read (else another tool wrote it meanwhile, and its change would
 * be lost), then the folder flushed. *installed: the rename was done. */
static int install_hive(struct hive_file *hf, struct staged *sg, bool *installed,
                        struct sc_err *err)
{
	struct stat now;
	char *dir;
	int fd, rc = SC_OK;

	*installed = false;
	if (lstat(hf->path, &now) != 0 || !same_file(&now, &hf->st))
		return sc_err_set(err,
		                  "%s: the hive file changed while it was being written (another "
		                  "tool wrote it?); not replaced",
		                  hf->path);
	if (rename(sg->tmp, hf->path) != 0)
		return sc_err_set(err, "%s: rename failed: %s", hf->path, strerror(errno));
	*installed = true;
	free(sg->tmp);
	sg->tmp = NULL;
	if (step("installed", hf->path, err) != SC_OK)
		return SC_ERROR;
	dir = folder_of(hf->path);
	fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd < 0 || fsync(fd) != 0)
		rc =
		    sc_err_set(err, "%s: the hive was replaced, but flushing its folder failed: %s",
		               hf->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* After a failed write the libhivex image may hold changes the file does
 * not: start again from the file. */
static void reload_hive(struct hive_file *hf)
{
	struct sc_err ignored = {{0}};

	if (hf->h)
		hivex_close(hf->h);
	hf->h = NULL;
	open_hive(hf, &ignored);
}

/* The changes y counted, made to a staged copy of the file: opened again
 * to write (the same file as read, or refused), changed through libhivex
 * and staged (stage_hive). On failure the hive is opened again as the file
 * is. */
static int prepare_hive(struct syncer *y, struct staged *sg, struct sc_err *err)
{
	struct hive_file *hf = y->hf;
	struct stat now;
	int rc;

	if (lstat(hf->path, &now) != 0 || !same_file(&now, &hf->st))
		return sc_err_set(err,
		                  "%s: the hive file changed since it was read (another tool "
		                  "wrote it?); nothing was written to it",
		                  hf->path);
	/* The mapping goes first: the writable copy is the whole file in
	 * memory, and both at once would double the peak. */
	hivex_close(hf->h);
	if (!(hf->h = open_hive_file(hf, true, &now, err))) {
		reload_hive(hf);
		return SC_ERROR;
	}
	y->dry = false;
	y->changes = 0;
	rc = sync_node(y, hivex_root(hf->h), hf->live, false);
	if (rc == SC_OK)
		rc = stage_hive(hf, sg, err);
	if (rc != SC_OK)
		reload_hive(hf);
	return rc;
}

/* Stages every hive that differs from its file; NHIVES when none does. */
static int stage_changed(struct hive_store *s, struct staged *sg, bool *staged, struct sc_err *err)
{
	size_t k;

	for (k = 0; k < NHIVES; k++) {
		struct hive_file *hf = &s->hives[k];
		struct syncer y = {s, hf, true, 0, err};
		bool below;

		if (!hf->h)
			return sc_err_set(err,
			                  "%s: the hive could not be reloaded after an earlier "
			                  "failure; nothing more is written to it",
			                  hf->path);
		if (!touched_at(s, hf->live, &below) && !below)
			continue;
		if (sync_node(&y, hivex_root(hf->h), hf->live, false) != SC_OK)
			return SC_ERROR;
		if (!y.changes)
			continue; /* written back as it was: the file stays byte for byte */
		if (prepare_hive(&y, &sg[k], err) != SC_OK)
			return SC_ERROR;
		staged[k] = true;
	}
	return SC_OK;
}

/*
 * Two phases, so that a failure while writing leaves every hive file as it
 * was: first each changed hive is written and checked beside its file,
 * then the files are renamed into place. Only a failure between two
 * renames (or flushing the folder after one) leaves the image part new:
 * then s->partial says so, and the transaction commits its restore too
 * (reg_backend_commit_left_partial).
 */
static int hive_commit(const struct reg_backend *b, struct sc_err *err)
{
	struct hive_store *s = store_of(b);
	struct staged sg[NHIVES] = {{0}};
	bool staged[NHIVES] = {false}, installed = false;
	size_t i, k;
	int rc;

	if (!s->ntouched)
		return SC_OK;
	rc = stage_changed(s, sg, staged, err);
	for (k = 0; rc == SC_OK && k < NHIVES; k++) {
		bool done;

		if (!staged[k])
			continue;
		rc = install_hive(&s->hives[k], &sg[k], &done, err);
		installed = installed || done;
	}
	s->partial = rc != SC_OK && installed;
	for (k = 0; k < NHIVES; k++) {
		if (!staged[k])
			continue;
		unstage(&sg[k]);
		reload_hive(&s->hives[k]);
		if (rc == SC_OK && !s->hives[k].h)
			rc = sc_err_set(err, "%s: written, but it does not open again",
			                s->hives[k].path);
	}
	if (rc != SC_OK)
		return rc;
	for (i = 0; i < s->ntouched; i++)
		free(s->touched[i]);
	s->ntouched = 0;
	return SC_OK;
}

static bool hive_commit_left_partial(const struct reg_backend *b)
{
	return store_of(b)->partial;
}

static void hive_destroy(struct reg_backend *b)
{
	struct hive_store *s = store_of(b);
	size_t i;

	for (i = 0; i < NHIVES; i++) {
		if (s->hives[i].h)
			hivex_close(s->hives[i].h);
		free(s->hives[i].path);
	}
	path_list_free(s->touched, s->ntouched);
	path_list_free(s->listed, s->nlisted);
	free(s->architecture);
	reg_backend_free(s->base.mem);
	free(s);
}

static const struct reg_backend_ops hive_ops;

/* The image's architecture and version, read through the store itself (so
 * in live names, loading what it reads). */
static int read_info(struct hive_store *s, struct sc_err *err)
{
	struct hive_image_info info;

	if (image_read_info(&s->base.backend, &info, err) != SC_OK)
		return SC_ERROR;
	s->architecture = (char *)info.architecture;
	s->wow64 = info.wow64;
	s->have_os = info.have_os;
	s->major = info.major;
	s->minor = info.minor;
	s->build = info.build;
	return SC_OK;
}

static const struct reg_backend_ops hive_ops = {
    .name = "hive",
    .base = &mem_backend_ops,
    /* mem's operations (MEM_STORE_OPERATIONS), but for the three that take
     * a path: those map it first (canonical) and note what was touched */
    .open_key = hive_open_key,
    .create_key = hive_create_key,
    .read_value = mem_op_read_value,
    .write_value = mem_op_write_value,
    .delete_value = mem_op_delete_value,
    .delete_key_if_empty = hive_delete_key_if_empty,
    .enum_subkey = mem_op_enum_subkey,
    .enum_value = mem_op_enum_value,
    .close_key = mem_op_close_key,
    .commit = hive_commit,
    .commit_left_partial = hive_commit_left_partial,
    .destroy = hive_destroy,
};

/* ---- opening ----------------------------------------------------------- */

static char *config_dir(const char *image_dir, struct sc_err *err)
{
	static const char *const parts[] = {"Windows", "System32", "config"};
	char *dir, *next;
	struct stat st;
	size_t i;

	if (stat(image_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		bool missing = errno == ENOENT && stat(image_dir, &st) != 0;

		sc_err_set(err,
		           "%s: %s (--image names the root folder of an offline Windows "
		           "installation)",
		           image_dir, missing ? "no such folder" : "not a folder");
		return NULL;
	}
	dir = xstrdup(image_dir);

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		next = platform_find_ci(dir, parts[i], err);
		free(dir);
		if (!next)
			return NULL;
		dir = next;
	}
	return dir;
}

struct reg_backend *hive_store_open(const char *image_dir, struct sc_err *err)
{
	struct hive_store *s = xcalloc(1, sizeof(*s));
	char *config = config_dir(image_dir, err);
	size_t i;

	s->base.backend.ops = &hive_ops;
	s->base.mem = mem_backend_new();
	s->hives[HIVE_SYSTEM].live = "SYSTEM";
	s->hives[HIVE_SOFTWARE].live = "SOFTWARE";
	if (!config)
		goto fail;
	for (i = 0; i < NHIVES; i++) {
		s->hives[i].path = platform_find_ci(config, s->hives[i].live, err);
		if (!s->hives[i].path || open_hive(&s->hives[i], err) != SC_OK)
			goto fail;
	}
	if (find_control_set(s, err) != SC_OK || read_info(s, err) != SC_OK)
		goto fail;
	free(config);
	return &s->base.backend;
fail:
	free(config);
	hive_destroy(&s->base.backend);
	return NULL;
}

int hive_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	const struct hive_store *s;

	if (!reg_backend_is(b, &hive_ops))
		return sc_err_set(err, "%s: not an image's store", reg_backend_name(b));
	s = store_of(b);
	info->control_set = s->control_set;
	info->wow64 = s->wow64;
	info->architecture = s->architecture;
	info->have_os = s->have_os;
	info->major = s->major;
	info->minor = s->minor;
	info->build = s->build;
	info->system_path = s->hives[HIVE_SYSTEM].path;
	info->software_path = s->hives[HIVE_SOFTWARE].path;
	return SC_OK;
}
