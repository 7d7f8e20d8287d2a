/*
 * backend_win32.c - the live registry through advapi32 (HKLM only).
 *
 * MUST: every access names its view explicitly (KEY_WOW64_64KEY or
 * KEY_WOW64_32KEY), so a 64-bit process never depends on redirection.
 * MUST: request the least access that does the job.
 * MUST: treat every value read as hostile: bounded size, ERROR_MORE_DATA
 * handled by re-asking, type returned as stored, raw bytes kept (strings
 * are terminated only when decoded, in regvalue.c).
 * MUST: name the full key path in every error.
 * Allocation failures are reported as SC_ERROR (never abort: this code runs
 * inside apply transactions).
 */
#include "backend_win32.h"

#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct reg_key {
	HKEY h;
	enum reg_view view;
	char *path;
};

static REGSAM view_flag(enum reg_view view)
{
	return view == REG_VIEW_32 ? KEY_WOW64_32KEY : KEY_WOW64_64KEY;
}

static char *plain_strdup(const char *s)
{
	char *p = malloc(strlen(s) + 1);

	if (p)
		strcpy(p, s);
	return p;
}

/* "HKLM\path (32-bit view): what failed: system message (error N)". */
static int win_fail(struct sc_err *err, enum reg_view view, const char *path, const char *what,
                    LSTATUS status)
{
	wchar_t wmsg[512];
	char *msg = NULL;
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
	                         (DWORD)status, 0, wmsg, ARRAY_SIZE(wmsg), NULL);

	while (n && (wmsg[n - 1] == L'\r' || wmsg[n - 1] == L'\n' || wmsg[n - 1] == L'.'))
		n--;
	if (n)
		msg = utf16_to_utf8((const uint16_t *)wmsg, n, NULL);
	sc_err_set(err, "HKLM\\%s%s: %s failed: %s (error %ld)", path,
	           view == REG_VIEW_32 ? " (32-bit view)" : "", what, msg ? msg : "unknown error",
	           (long)status);
	free(msg);
	return SC_ERROR;
}

static wchar_t *wide(const char *s, struct sc_err *err, const char *what)
{
	wchar_t *w = (wchar_t *)utf8_to_utf16(s, strlen(s), NULL);

	if (!w)
		sc_err_set(err, "%s \"%s\": invalid UTF-8 or out of memory", what, s);
	return w;
}

/* A value name for a key: its UTF-16, or NULL with an error naming the key
 * (as every error here does). */
static wchar_t *value_name(const struct reg_key *key, const char *name, struct sc_err *err)
{
	wchar_t *w = wide(name, err, "value name");

	if (!w)
		sc_err_prefix(err, "HKLM\\%s%s", key->path,
		              key->view == REG_VIEW_32 ? " (32-bit view)" : "");
	return w;
}

static int make_handle(HKEY h, enum reg_view view, const char *path, struct reg_key **key,
                       struct sc_err *err)
{
	struct reg_key *k = malloc(sizeof(*k));

	if (k)
		k->path = plain_strdup(path);
	if (!k || !k->path) {
		free(k);
		RegCloseKey(h);
		return sc_err_set(err, "HKLM\\%s: out of memory", path);
	}
	k->h = h;
	k->view = view;
	*key = k;
	return SC_OK;
}

static REGSAM access_mask(enum reg_access access)
{
	/* Reads need query + enumerate; writes add set (which also covers
	 * deleting values). Never KEY_ALL_ACCESS. */
	REGSAM read = KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS;

	return access == REG_ACCESS_WRITE ? read | KEY_SET_VALUE : read;
}

static int w32_open_key(const struct reg_backend *b, enum reg_view view, const char *path,
                        enum reg_access access, struct reg_key **key, struct sc_err *err)
{
	wchar_t *wpath = wide(path, err, "key path");
	HKEY h = NULL;
	LSTATUS st;

	(void)b;
	if (!wpath)
		return SC_ERROR;
	st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wpath, 0, access_mask(access) | view_flag(view), &h);
	free(wpath);
	if (st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND)
		return SC_NOT_FOUND;
	if (st != ERROR_SUCCESS)
		return win_fail(err, view, path, "RegOpenKeyEx", st);
	return make_handle(h, view, path, key, err);
}

static int w32_create_key(const struct reg_backend *b, enum reg_view view, const char *path,
                          struct reg_key **key, bool *created, struct sc_err *err)
{
	wchar_t *wpath = wide(path, err, "key path");
	DWORD disposition = 0;
	HKEY h = NULL;
	LSTATUS st;

	(void)b;
	if (!wpath)
		return SC_ERROR;
	st = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wpath, 0, NULL, REG_OPTION_NON_VOLATILE,
	                     access_mask(REG_ACCESS_WRITE) | view_flag(view), NULL, &h,
	                     &disposition);
	free(wpath);
	if (st != ERROR_SUCCESS)
		return win_fail(err, view, path, "RegCreateKeyEx", st);
	if (created)
		*created = disposition == REG_CREATED_NEW_KEY;
	return make_handle(h, view, path, key, err);
}

/* Queries a value, growing the buffer while Windows says ERROR_MORE_DATA:
 * the value can change size between two calls. */
static LSTATUS query_loop(HKEY h, const wchar_t *wname, DWORD *type, BYTE **data, DWORD *size)
{
	DWORD cap = 256;
	BYTE *buf = NULL;
	LSTATUS st;

	for (;;) {
		BYTE *grown = realloc(buf, cap);
		DWORD got = cap;

		if (!grown) {
			free(buf);
			return ERROR_NOT_ENOUGH_MEMORY;
		}
		buf = grown;
		st = RegQueryValueExW(h, wname, NULL, type, buf, &got);
		if (st == ERROR_MORE_DATA) {
			if (got > RV_MAX_DATA || cap >= RV_MAX_DATA) {
				free(buf);
				return ERROR_FILE_TOO_LARGE;
			}
			cap = got > cap ? got : cap * 2;
			continue;
		}
		if (st != ERROR_SUCCESS || got > cap) {
			free(buf);
			return st != ERROR_SUCCESS ? st : ERROR_INVALID_DATA;
		}
		*data = buf;
		*size = got;
		return ERROR_SUCCESS;
	}
}

static int w32_read_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                          struct reg_value *out, struct sc_err *err)
{
	wchar_t *wname = value_name(key, name, err);
	DWORD type = 0, size = 0;
	BYTE *data = NULL;
	LSTATUS st;

	(void)b;
	if (!wname)
		return SC_ERROR;
	st = query_loop(key->h, wname, &type, &data, &size);
	free(wname);
	if (st == ERROR_FILE_NOT_FOUND)
		return SC_NOT_FOUND;
	if (st != ERROR_SUCCESS)
		return win_fail(err, key->view, key->path, "RegQueryValueEx", st);
	out->type = type;
	out->size = size;
	out->data = size ? data : NULL;
	if (!size)
		free(data);
	return SC_OK;
}

/* RegSetValueEx "helps" with strings: when the last character is not NUL
 * but the one just past the buffer is, it stores that NUL too (NT does
 * this, and Wine copies it). A copy followed by a non-NUL guard keeps the
 * bytes as given, so a malformed before-image is restored bit for bit. */
static BYTE *guarded_copy(const struct reg_value *value)
{
	BYTE *copy = malloc(value->size + 2);

	if (!copy)
		return NULL;
	memcpy(copy, value->data, value->size);
	copy[value->size] = 0xFF;
	copy[value->size + 1] = 0xFF;
	return copy;
}

static bool is_string_type(uint32_t type)
{
	return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ;
}

static int w32_write_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                           const struct reg_value *value, struct sc_err *err)
{
	wchar_t *wname = value_name(key, name, err);
	BYTE *copy = NULL;
	LSTATUS st;

	(void)b;
	if (!wname)
		return SC_ERROR;
	if (value->size > RV_MAX_DATA) {
		free(wname);
		return sc_err_set(err, "HKLM\\%s: value \"%s\" is larger than %u bytes", key->path,
		                  name, RV_MAX_DATA);
	}
	if (value->size && is_string_type(value->type)) {
		copy = guarded_copy(value);
		if (!copy) {
			free(wname);
			return sc_err_set(err, "HKLM\\%s: out of memory", key->path);
		}
	}
	st = RegSetValueExW(key->h, wname, 0, value->type, copy ? copy : value->data,
	                    (DWORD)value->size);
	free(copy);
	free(wname);
	if (st != ERROR_SUCCESS)
		return win_fail(err, key->view, key->path, "RegSetValueEx", st);
	return SC_OK;
}

static int w32_delete_value(const struct reg_backend *b, struct reg_key *key, const char *name,
                            struct sc_err *err)
{
	wchar_t *wname = value_name(key, name, err);
	LSTATUS st;

	(void)b;
	if (!wname)
		return SC_ERROR;
	st = RegDeleteValueW(key->h, wname);
	free(wname);
	if (st == ERROR_FILE_NOT_FOUND)
		return SC_NOT_FOUND;
	if (st != ERROR_SUCCESS)
		return win_fail(err, key->view, key->path, "RegDeleteValue", st);
	return SC_OK;
}

static int w32_delete_key_if_empty(const struct reg_backend *b, enum reg_view view,
                                   const char *path, bool *deleted, struct sc_err *err)
{
	struct reg_key *key = NULL;
	DWORD subkeys = 0, values = 0;
	wchar_t *wpath;
	LSTATUS st;
	int rc;

	*deleted = false;
	rc = w32_open_key(b, view, path, REG_ACCESS_READ, &key, err);
	if (rc != SC_OK)
		return rc;
	st = RegQueryInfoKeyW(key->h, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL,
	                      NULL, NULL);
	RegCloseKey(key->h);
	free(key->path);
	free(key);
	if (st != ERROR_SUCCESS)
		return win_fail(err, view, path, "RegQueryInfoKey", st);
	if (subkeys || values)
		return SC_OK;
	wpath = wide(path, err, "key path");
	if (!wpath)
		return SC_ERROR;
	/* RegDeleteKeyEx (Vista+) deletes only a key without subkeys. */
	st = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wpath, view_flag(view), 0);
	free(wpath);
	if (st == ERROR_FILE_NOT_FOUND)
		return SC_NOT_FOUND;
	if (st != ERROR_SUCCESS)
		return win_fail(err, view, path, "RegDeleteKeyEx", st);
	*deleted = true;
	return SC_OK;
}

static int enum_result(LSTATUS st, const wchar_t *wname, DWORD len, char **name,
                       struct reg_key *key, const char *what, struct sc_err *err)
{
	if (st == ERROR_NO_MORE_ITEMS)
		return SC_NOT_FOUND;
	if (st != ERROR_SUCCESS)
		return win_fail(err, key->view, key->path, what, st);
	*name = utf16_to_utf8((const uint16_t *)wname, len, NULL);
	if (!*name)
		return sc_err_set(err, "HKLM\\%s: out of memory", key->path);
	return SC_OK;
}

static int w32_enum_subkey(const struct reg_backend *b, struct reg_key *key, size_t index,
                           char **name, struct sc_err *err)
{
	wchar_t wname[256]; /* key names are at most 255 characters */
	DWORD len = ARRAY_SIZE(wname);
	LSTATUS st;

	(void)b;
	st = RegEnumKeyExW(key->h, (DWORD)index, wname, &len, NULL, NULL, NULL, NULL);
	return enum_result(st, wname, len, name, key, "RegEnumKeyEx", err);
}

static int w32_enum_value(const struct reg_backend *b, struct reg_key *key, size_t index,
                          char **name, struct sc_err *err)
{
	DWORD cap = 16384; /* value names are at most 16383 characters */
	wchar_t *wname = malloc(cap * sizeof(*wname));
	DWORD len = cap;
	LSTATUS st;
	int rc;

	(void)b;
	if (!wname)
		return sc_err_set(err, "HKLM\\%s: out of memory", key->path);
	st = RegEnumValueW(key->h, (DWORD)index, wname, &len, NULL, NULL, NULL, NULL);
	rc = enum_result(st, wname, len, name, key, "RegEnumValue", err);
	free(wname);
	return rc;
}

static void w32_close_key(const struct reg_backend *b, struct reg_key *key)
{
	(void)b;
	if (!key)
		return;
	RegCloseKey(key->h);
	free(key->path);
	free(key);
}

static const struct reg_backend_ops win32_ops = {
    .name = "win32",
    .open_key = w32_open_key,
    .create_key = w32_create_key,
    .read_value = w32_read_value,
    .write_value = w32_write_value,
    .delete_value = w32_delete_value,
    .delete_key_if_empty = w32_delete_key_if_empty,
    .enum_subkey = w32_enum_subkey,
    .enum_value = w32_enum_value,
    .close_key = w32_close_key,
    /* no commit: every write is durable at once; no destroy: one static
     * store for the process */
};

/* The live registry holds no state of ours: one store serves everyone. */
static struct reg_backend win32_store = {&win32_ops};

struct reg_backend *win32_backend_get(void)
{
	return &win32_store;
}
