#include "wintestutil.h"

#include <stdlib.h>
#include <string.h>

wchar_t *wt_wide(const char *utf8)
{
	wchar_t *w = (wchar_t *)utf8_to_utf16(utf8, strlen(utf8), NULL);

	if (!w)
		fail_msg("wt_wide: cannot convert \"%s\"", utf8);
	return w;
}

REGSAM wt_view_flag(enum reg_view view)
{
	return view == REG_VIEW_32 ? KEY_WOW64_32KEY : KEY_WOW64_64KEY;
}

LSTATUS wt_open(enum reg_view view, const char *path, REGSAM access, HKEY *h)
{
	wchar_t *wpath = wt_wide(path);
	HKEY key = NULL;
	LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wpath, 0, access | wt_view_flag(view), &key);

	free(wpath);
	if (st == ERROR_SUCCESS) {
		if (h)
			*h = key;
		else
			RegCloseKey(key);
	}
	return st;
}

bool wt_key_exists(enum reg_view view, const char *path)
{
	LSTATUS st = wt_open(view, path, KEY_QUERY_VALUE, NULL);

	if (st != ERROR_SUCCESS && st != ERROR_FILE_NOT_FOUND)
		fail_msg("wt_key_exists %s: error %ld", path, (long)st);
	return st == ERROR_SUCCESS;
}

void wt_key_counts(enum reg_view view, const char *path, DWORD *subkeys, DWORD *values)
{
	HKEY h = NULL;
	LSTATUS st = wt_open(view, path, KEY_QUERY_VALUE, &h);

	if (st != ERROR_SUCCESS)
		fail_msg("wt_key_counts: open %s: error %ld", path, (long)st);
	st = RegQueryInfoKeyW(h, NULL, NULL, NULL, subkeys, NULL, NULL, values, NULL, NULL, NULL,
	                      NULL);
	RegCloseKey(h);
	if (st != ERROR_SUCCESS)
		fail_msg("wt_key_counts: %s: error %ld", path, (long)st);
}

void wt_delete_tree(enum reg_view view, const char *path)
{
	wchar_t *wpath;
	HKEY h = NULL;
	LSTATUS st = wt_open(view, path, KEY_ALL_ACCESS, &h);

	if (st == ERROR_FILE_NOT_FOUND)
		return;
	if (st != ERROR_SUCCESS)
		fail_msg("wt_delete_tree: open %s: error %ld", path, (long)st);
	/* RegDeleteTree with no subkey name empties the key; the key itself
	 * goes with RegDeleteKeyEx, in the same view. */
	st = RegDeleteTreeW(h, NULL);
	RegCloseKey(h);
	if (st != ERROR_SUCCESS)
		fail_msg("wt_delete_tree: %s: error %ld", path, (long)st);
	wpath = wt_wide(path);
	st = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wpath, wt_view_flag(view), 0);
	free(wpath);
	if (st != ERROR_SUCCESS && st != ERROR_FILE_NOT_FOUND)
		fail_msg("wt_delete_tree: delete %s: error %ld", path, (long)st);
}

LSTATUS wt_query(enum reg_view view, const char *path, const char *name, DWORD *type, BYTE **data,
                 DWORD *size)
{
	wchar_t *wname;
	HKEY h = NULL;
	LSTATUS st = wt_open(view, path, KEY_QUERY_VALUE, &h);

	*data = NULL;
	*size = 0;
	if (st != ERROR_SUCCESS)
		return st;
	wname = wt_wide(name);
	st = RegQueryValueExW(h, wname, NULL, type, NULL, size);
	if (st == ERROR_SUCCESS && *size) {
		*data = malloc(*size);
		assert_non_null(*data);
		st = RegQueryValueExW(h, wname, NULL, type, *data, size);
	}
	free(wname);
	RegCloseKey(h);
	if (st != ERROR_SUCCESS) {
		free(*data);
		*data = NULL;
		*size = 0;
	}
	return st;
}

LSTATUS wt_set(enum reg_view view, const char *path, const char *name, DWORD type, const void *data,
               DWORD size)
{
	wchar_t *wpath = wt_wide(path), *wname = wt_wide(name);
	HKEY h = NULL;
	LSTATUS st = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wpath, 0, NULL, REG_OPTION_NON_VOLATILE,
	                             KEY_SET_VALUE | wt_view_flag(view), NULL, &h, NULL);

	if (st == ERROR_SUCCESS) {
		st = RegSetValueExW(h, wname, 0, type, data, size);
		RegCloseKey(h);
	}
	free(wpath);
	free(wname);
	return st;
}
