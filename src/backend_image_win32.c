/*
 * backend_image_win32.c - image.h on Windows: an offline image's SYSTEM and
 * SOFTWARE hives loaded with RegLoadKeyW under unique names below HKLM, seen
 * through the live registry's store (backend_win32.c) in live names.
 *
 * MUST: check that each hive file exists and is a hive before loading it
 *       (RegLoadKeyW creates a missing file: "If this file does not exist, a
 *       file is created with the specified name",
 *       https://learn.microsoft.com/en-us/windows/win32/api/winreg/nf-winreg-regloadkeyw);
 * MUST: enable SeBackupPrivilege and SeRestorePrivilege, and refuse (exit 5)
 *       when the process does not hold them (RegLoadKeyW and RegUnLoadKeyW
 *       need them, same pages);
 * MUST: unload every hive it loaded, whatever happened, retrying while a
 *       handle is still open, and check it is gone: a hive left loaded keeps
 *       the image's files open, and DISM cannot unmount it;
 * MUST NOT: name a key CurrentControlSet: the current control set is the
 *       hive's ControlSet00N (Select\Current).
 *
 * Names: SYSTEM\CurrentControlSet\X is MOUNT-SYSTEM\ControlSet00N\X,
 * SYSTEM\X is MOUNT-SYSTEM\X, SOFTWARE\X is MOUNT-SOFTWARE\X, and its 32-bit
 * view MOUNT-SOFTWARE\Wow6432Node\X on a 64-bit image (no redirection
 * applies below a loaded hive; a 32-bit image has one view). Other keys are
 * not in the image. Key handles are the live store's.
 *
 * Writes go to the loaded hives at once; commit flushes them (RegFlushKey)
 * and the files are final when the hives are unloaded, at destroy.
 * Under Wine, RegLoadKeyW loads only Wine's own text format, and writes are
 * discarded at unload (docs/offline-images.md section 6): hive files in that
 * format are accepted only when running under Wine, for the tests.
 */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "backend_win32.h"
#include "regvalue.h"
#include "util.h"

enum { HIVE_SYSTEM, HIVE_SOFTWARE, NHIVES };
static const char *const hive_names[NHIVES] = {"SYSTEM", "SOFTWARE"};

struct image_store {
	struct reg_backend backend; /* first: callers hold &backend */
	const struct reg_backend *live;
	char *mount[NHIVES]; /* below HKLM: "schannelcfg-image-PID-TICK-SYSTEM" */
	bool loaded[NHIVES];
	char *path[NHIVES]; /* the hive files */
	unsigned control_set;
	char cs_name[24];
	struct hive_image_info info;
};

static const struct reg_backend_ops image_ops;

static struct image_store *store_of(const struct reg_backend *b)
{
	return (struct image_store *)(void *)b;
}

/* ---- names ------------------------------------------------------------ */

/* The loaded key a live (view, path) names, or NULL with err set. */
static char *mounted_path(const struct image_store *s, enum reg_view view, const char *path,
                          struct sc_err *err)
{
	const char *rest;

	if (reg_path_within(path, "SYSTEM")) {
		rest = path + 6;
		if (reg_path_within(rest + (*rest == '\\'), "CurrentControlSet") && *rest)
			return xasprintf("%s\\%s%s", s->mount[HIVE_SYSTEM], s->cs_name, rest + 18);
		return xasprintf("%s%s", s->mount[HIVE_SYSTEM], rest);
	}
	if (reg_path_within(path, "SOFTWARE")) {
		rest = path + 8;
		if (view == REG_VIEW_32 && s->info.wow64 &&
		    !(*rest && reg_path_within(rest + 1, "Wow6432Node")))
			return xasprintf("%s\\Wow6432Node%s", s->mount[HIVE_SOFTWARE], rest);
		return xasprintf("%s%s", s->mount[HIVE_SOFTWARE], rest);
	}
	sc_err_set(err,
	           "HKLM\\%s: not in the image's hives (an image's registry here is HKLM\\SYSTEM "
	           "and HKLM\\SOFTWARE)",
	           path);
	return NULL;
}

/* ---- the store's operations: names mapped, then the live store's ------ */

static int img_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
                        enum reg_access access, struct reg_key **key, struct sc_err *err)
{
	struct image_store *s = store_of(b);
	char *m = mounted_path(s, view, path, err);
	int rc = m ? s->live->ops->open_key(s->live, REG_VIEW_64, m, access, key, err) : SC_ERROR;

	free(m);
	return rc;
}

static int img_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
                          struct reg_key **key, bool *created, struct sc_err *err)
{
	struct image_store *s = store_of(b);
	char *m = mounted_path(s, view, path, err);
	int rc =
	    m ? s->live->ops->create_key(s->live, REG_VIEW_64, m, key, created, err) : SC_ERROR;

	free(m);
	return rc;
}

static int img_delete_key_if_empty(const struct reg_backend *b, enum reg_view view,
                                   const char *path, bool *deleted, struct sc_err *err)
{
	struct image_store *s = store_of(b);
	char *m;
	int rc;

	*deleted = false;
	if (streq_ci(path, "SYSTEM") || streq_ci(path, "SOFTWARE") ||
	    streq_ci(path, "SYSTEM\\CurrentControlSet"))
		return SC_OK; /* a hive's root is never deleted */
	if (!(m = mounted_path(s, view, path, err)))
		return SC_ERROR;
	rc = s->live->ops->delete_key_if_empty(s->live, REG_VIEW_64, m, deleted, err);
	free(m);
	return rc;
}

static int img_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                          struct reg_value *out, struct sc_err *err)
{
	const struct reg_backend *live = store_of(b)->live;

	return live->ops->read_value(live, key, name, out, err);
}

static int img_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                           const struct reg_value *value, struct sc_err *err)
{
	const struct reg_backend *live = store_of(b)->live;

	return live->ops->write_value(live, key, name, value, err);
}

static int img_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                            struct sc_err *err)
{
	const struct reg_backend *live = store_of(b)->live;

	return live->ops->delete_value(live, key, name, err);
}

static int img_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index,
                           char **name, struct sc_err *err)
{
	const struct reg_backend *live = store_of(b)->live;

	return live->ops->enum_subkey(live, key, index, name, err);
}

static int img_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index,
                          char **name, struct sc_err *err)
{
	const struct reg_backend *live = store_of(b)->live;

	return live->ops->enum_value(live, key, index, name, err);
}

static void img_close_key(const struct reg_backend *b, struct reg_key *key)
{
	const struct reg_backend *live = store_of(b)->live;

	live->ops->close_key(live, key);
}

/* ---- loading and unloading -------------------------------------------- */

static wchar_t *wide(const char *s)
{
	return (wchar_t *)utf8_to_utf16(s, strlen(s), NULL);
}

/* Flushes a loaded hive's writes to its file (RegFlushKey). */
static int flush_hive(const char *mount, struct sc_err *err)
{
	wchar_t *w = wide(mount);
	HKEY h = NULL;
	LSTATUS st = w ? RegOpenKeyExW(HKEY_LOCAL_MACHINE, w, 0, KEY_READ, &h) : ERROR_OUTOFMEMORY;

	if (st == ERROR_SUCCESS) {
		st = RegFlushKey(h);
		RegCloseKey(h);
	}
	free(w);
	if (st != ERROR_SUCCESS)
		return sc_err_set(err, "HKLM\\%s: flushing the image's hive failed (error %ld)",
		                  mount, (long)st);
	return SC_OK;
}

static int img_commit(const struct reg_backend *b, struct sc_err *err)
{
	struct image_store *s = store_of(b);
	size_t i;

	for (i = 0; i < NHIVES; i++)
		if (s->loaded[i] && flush_hive(s->mount[i], err) != SC_OK)
			return SC_ERROR;
	return SC_OK;
}

static bool mount_exists(const char *mount)
{
	wchar_t *w = wide(mount);
	HKEY h;
	bool exists = w && RegOpenKeyExW(HKEY_LOCAL_MACHINE, w, 0, KEY_READ, &h) == ERROR_SUCCESS;

	if (exists)
		RegCloseKey(h);
	free(w);
	return exists;
}

/* RegUnLoadKeyW, retried while a handle is still open somewhere (ERROR_
 * ACCESS_DENIED: an antivirus or indexer may hold one for a moment), then
 * checked: the key must be gone. */
static bool unload_hive(const char *mount)
{
	wchar_t *w = wide(mount);
	LSTATUS st = ERROR_OUTOFMEMORY;
	int attempt;

	for (attempt = 0; w && attempt < 20; attempt++) {
		st = RegUnLoadKeyW(HKEY_LOCAL_MACHINE, w);
		if (st != ERROR_ACCESS_DENIED)
			break;
		Sleep(250);
	}
	free(w);
	if (st == ERROR_SUCCESS && mount_exists(mount))
		st = ERROR_CANTWRITE; /* "unloaded", and still there */
	if (st == ERROR_SUCCESS)
		return true;
	fprintf(stderr,
	        "schannelcfg: WARNING: the image's hive HKLM\\%s could not be unloaded (error "
	        "%ld); unload it with: reg unload HKLM\\%s (an image cannot be unmounted while "
	        "one of its hives is loaded)\n",
	        mount, (long)st, mount);
	return false;
}

/* Ctrl+C and Ctrl+Break while the hives are loaded: ignored, so that the
 * process never ends with one of them left loaded (an apply's own guard,
 * platform_guard_begin, handles them first while it changes anything: it
 * stops the change and restores). Closing the console still ends the
 * process (docs/offline-images.md). */
static BOOL WINAPI defer_interrupt(DWORD event)
{
	return event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT;
}

static void img_destroy(struct reg_backend *b)
{
	struct image_store *s = store_of(b);
	size_t i;

	for (i = 0; i < NHIVES; i++) {
		if (s->loaded[i])
			unload_hive(s->mount[i]);
		free(s->mount[i]);
		free(s->path[i]);
	}
	SetConsoleCtrlHandler(defer_interrupt, FALSE);
	free((char *)s->info.architecture);
	free(s);
}

static bool running_under_wine(void)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

	return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* The file is there and is a primary regf hive (or, under Wine only, a
 * file in Wine's registry format, the only one its RegLoadKeyW reads). */
static int check_hive_file(const char *path, struct sc_err *err)
{
	static const char wine_magic[] = "WINE REGISTRY Version 2";
	unsigned char head[32] = {0};
	wchar_t *w = wide(path);
	HANDLE f = w ? CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
	                           FILE_ATTRIBUTE_NORMAL, NULL)
	             : INVALID_HANDLE_VALUE;
	DWORD got = 0, error = GetLastError();
	bool ok;

	free(w);
	if (f == INVALID_HANDLE_VALUE) {
		if (error == ERROR_SHARING_VIOLATION)
			return sc_err_set(
			    err,
			    "%s: in use (the image is being serviced by another "
			    "program, or the hive is loaded: see reg unload); nothing "
			    "was written",
			    path);
		return sc_err_set(err, "%s: cannot open (error %lu)", path, (unsigned long)error);
	}
	ok = ReadFile(f, head, sizeof(head), &got, NULL) != 0;
	CloseHandle(f);
	if (ok && got >= 32 && !memcmp(head, "regf", 4) && head[20] == 1 && head[28] == 0)
		return SC_OK;
	if (ok && running_under_wine() && got >= sizeof(wine_magic) - 1 &&
	    !memcmp(head, wine_magic, sizeof(wine_magic) - 1))
		return SC_OK;
	return sc_err_set(err, "%s: not a registry hive (no regf signature)", path);
}

/* SeBackupPrivilege and SeRestorePrivilege, enabled; false when the token
 * does not hold them. */
static bool enable_privileges(struct sc_err *err)
{
	static const wchar_t *const names[] = {L"SeBackupPrivilege", L"SeRestorePrivilege"};
	HANDLE token = NULL;
	bool ok = OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY,
	                           &token) != 0;
	size_t i;

	for (i = 0; ok && i < ARRAY_SIZE(names); i++) {
		TOKEN_PRIVILEGES tp = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};

		ok = LookupPrivilegeValueW(NULL, names[i], &tp.Privileges[0].Luid) &&
		     AdjustTokenPrivileges(token, FALSE, &tp, sizeof(tp), NULL, NULL) &&
		     GetLastError() != ERROR_NOT_ALL_ASSIGNED;
		if (!ok)
			sc_err_set(err, "loading an image's hives needs the backup and restore "
			                "privileges (SeBackupPrivilege, SeRestorePrivilege), which "
			                "this process does not hold: run it elevated, as "
			                "Administrator. Nothing was changed.");
	}
	if (token)
		CloseHandle(token);
	return ok;
}

static int load_hive(struct image_store *s, size_t i, struct sc_err *err)
{
	wchar_t *wmount = wide(s->mount[i]), *wpath = wide(s->path[i]);
	LSTATUS st =
	    wmount && wpath ? RegLoadKeyW(HKEY_LOCAL_MACHINE, wmount, wpath) : ERROR_OUTOFMEMORY;

	free(wmount);
	free(wpath);
	/* Wine creates the key before it reads the file, and leaves it after
	 * a failure (docs/offline-images.md): then it is unloaded too. */
	s->loaded[i] = st == ERROR_SUCCESS || mount_exists(s->mount[i]);
	if (st == ERROR_SUCCESS)
		return SC_OK;
	if (st == ERROR_SHARING_VIOLATION)
		return sc_err_set(err,
		                  "%s: in use (loaded, or open in another program); nothing "
		                  "was written",
		                  s->path[i]);
	return sc_err_set(err, "%s: RegLoadKeyW failed (error %ld%s)", s->path[i], (long)st,
	                  st == ERROR_BADDB || st == ERROR_NOT_REGISTRY_FILE
	                      ? ": not a hive this Windows can load"
	                      : "");
}

/* Select\Current, read from the loaded SYSTEM hive. */
static int find_control_set(struct image_store *s, struct sc_err *err)
{
	char *select = xasprintf("%s\\Select", s->mount[HIVE_SYSTEM]);
	char *cs = NULL;
	struct reg_value v = {0};
	uint32_t n = 0;
	int rc = reg_read_value_at(s->live, REG_VIEW_64, select, "Current", &v, err);

	if (rc != SC_OK || !regvalue_get_dword(&v, &n) || n < 1 || n > 999) {
		rc = sc_err_set(err, "%s: no usable Select\\Current: not a SYSTEM hive",
		                s->path[HIVE_SYSTEM]);
	} else {
		s->control_set = n;
		snprintf(s->cs_name, sizeof(s->cs_name), "ControlSet%03u", (unsigned)n);
		cs = xasprintf("%s\\%s", s->mount[HIVE_SYSTEM], s->cs_name);
		if (reg_key_exists(s->live, REG_VIEW_64, cs, err) != SC_OK)
			rc = sc_err_set(err, "%s: Select\\Current is %u, but there is no %s key",
			                s->path[HIVE_SYSTEM], (unsigned)n, s->cs_name);
	}
	regvalue_free(&v);
	free(select);
	free(cs);
	return rc;
}

static int open_hives(struct image_store *s, const char *image_dir, bool *refused,
                      struct sc_err *err)
{
	size_t i;

	for (i = 0; i < NHIVES; i++) {
		s->path[i] = image_hive_path(image_dir, hive_names[i], err);
		if (!s->path[i] || check_hive_file(s->path[i], err) != SC_OK)
			return SC_ERROR;
	}
	if (!enable_privileges(err)) {
		*refused = true;
		return SC_ERROR;
	}
	for (i = 0; i < NHIVES; i++)
		if (load_hive(s, i, err) != SC_OK)
			return SC_ERROR;
	if (find_control_set(s, err) != SC_OK)
		return SC_ERROR;
	/* The 32-bit view is read as 64-bit until the architecture is known:
	 * image_read_info reads the 64-bit view only. */
	return image_read_info(&s->backend, &s->info, err);
}

struct reg_backend *image_store_open(const char *image_dir, bool *refused, struct sc_err *err)
{
	struct image_store *s = xcalloc(1, sizeof(*s));
	unsigned long tick = (unsigned long)GetTickCount();
	size_t i;

	*refused = false;
	s->backend.ops = &image_ops;
	s->live = win32_backend_get();
	SetConsoleCtrlHandler(defer_interrupt, TRUE);
	for (i = 0; i < NHIVES; i++)
		s->mount[i] = xasprintf("schannelcfg-image-%lu-%lu-%s",
		                        (unsigned long)GetCurrentProcessId(), tick, hive_names[i]);
	if (open_hives(s, image_dir, refused, err) != SC_OK) {
		img_destroy(&s->backend);
		return NULL;
	}
	s->info.control_set = s->control_set;
	s->info.system_path = s->path[HIVE_SYSTEM];
	s->info.software_path = s->path[HIVE_SOFTWARE];
	return &s->backend;
}

int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	if (!reg_backend_is(b, &image_ops))
		return sc_err_set(err, "%s: not an image's store", reg_backend_name(b));
	*info = store_of(b)->info;
	return SC_OK;
}

static const struct reg_backend_ops image_ops = {
    .name = "image",
    .open_key = img_open_key,
    .create_key = img_create_key,
    .read_value = img_read_value,
    .write_value = img_write_value,
    .delete_value = img_delete_value,
    .delete_key_if_empty = img_delete_key_if_empty,
    .enum_subkey = img_enum_subkey,
    .enum_value = img_enum_value,
    .close_key = img_close_key,
    .commit = img_commit,
    .destroy = img_destroy,
};
