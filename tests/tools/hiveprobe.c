/* hiveprobe: what a Windows registry does with RegLoadKeyW / RegUnLoadKeyW.
 *
 * A research tool (docs/offline-images.md), built with MinGW and run under Wine:
 *   hiveprobe load NAME FILE     enable SeBackup/SeRestore, RegLoadKeyW(HKLM, NAME, FILE),
 *                                enumerate the loaded key two levels deep, print every value,
 *                                set NAME\ProbeKey ProbeValue=0x1234 (a new key and value),
 *                                close every handle, RegUnLoadKeyW, check the key is gone
 *   hiveprobe load-noprivs NAME FILE   the same RegLoadKeyW without enabling any privilege
 *   hiveprobe save KEY FILE      RegSaveKeyW(HKLM\KEY) into FILE (a hive Wine writes)
 *   hiveprobe load-keep NAME FILE  only enable the privileges and RegLoadKeyW (nothing unloaded)
 *   hiveprobe exists NAME        does HKLM\NAME exist (exit 0) or not (exit 1)
 *   hiveprobe unload-open NAME FILE    load, keep a handle open, RegUnLoadKeyW (expect failure),
 *                                close it, unload again
 * Every Win32 call's result is printed as "call: error N (text)". Exit 0 when the calls ran
 * (whatever they returned), 2 on usage errors. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static void report(const char *what, LONG rc)
{
	wchar_t text[256] = L"";
	FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)rc,
	               0, text, 256, NULL);
	for (wchar_t *p = text; *p; p++)
		if (*p == L'\r' || *p == L'\n')
			*p = 0;
	printf("%s: error %ld (%ls)\n", what, (long)rc, text);
}

static int enable_privilege(const wchar_t *name)
{
	HANDLE token;
	TOKEN_PRIVILEGES tp = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
		report("OpenProcessToken", (LONG)GetLastError());
		return 0;
	}
	if (!LookupPrivilegeValueW(NULL, name, &tp.Privileges[0].Luid)) {
		report("LookupPrivilegeValueW", (LONG)GetLastError());
		CloseHandle(token);
		return 0;
	}
	BOOL ok = AdjustTokenPrivileges(token, FALSE, &tp, sizeof tp, NULL, NULL);
	DWORD e = GetLastError(); /* ERROR_NOT_ALL_ASSIGNED when the token lacks it */
	printf("AdjustTokenPrivileges(%ls): ok=%d error %lu\n", name, ok, (unsigned long)e);
	CloseHandle(token);
	return ok && e == ERROR_SUCCESS;
}

static void dump(HKEY key, const wchar_t *path, int depth)
{
	wchar_t name[256], vname[16384];
	BYTE data[4096];
	for (DWORD i = 0;; i++) {
		DWORD nlen = 16384, dlen = sizeof data, type = 0;
		LONG rc = RegEnumValueW(key, i, vname, &nlen, NULL, &type, data, &dlen);
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS) {
			report("RegEnumValueW", rc);
			break;
		}
		if (type == REG_DWORD && dlen == 4)
			printf("  %ls : \"%ls\" = dword 0x%08lx\n", path, vname, *(DWORD *)data);
		else if (type == REG_SZ)
			printf("  %ls : \"%ls\" = sz \"%.*ls\"\n", path, vname, (int)(dlen / 2),
			       (wchar_t *)data);
		else
			printf("  %ls : \"%ls\" = type %lu, %lu bytes\n", path, vname, type, dlen);
	}
	if (depth == 0)
		return;
	for (DWORD i = 0;; i++) {
		DWORD nlen = 256;
		LONG rc = RegEnumKeyExW(key, i, name, &nlen, NULL, NULL, NULL, NULL);
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS) {
			report("RegEnumKeyExW", rc);
			break;
		}
		wchar_t sub[1024];
		swprintf(sub, 1024, L"%ls\\%ls", path, name);
		printf("  key %ls\n", sub);
		HKEY child;
		rc = RegOpenKeyExW(key, name, 0, KEY_READ, &child);
		if (rc != ERROR_SUCCESS) {
			report("RegOpenKeyExW(child)", rc);
			continue;
		}
		dump(child, sub, depth - 1);
		RegCloseKey(child);
	}
}

static int exists(const wchar_t *name)
{
	HKEY k;
	LONG rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, name, 0, KEY_READ, &k);
	if (rc == ERROR_SUCCESS)
		RegCloseKey(k);
	printf("HKLM\\%ls %s\n", name, rc == ERROR_SUCCESS ? "exists" : "does not exist");
	return rc == ERROR_SUCCESS;
}

static int do_load(const wchar_t *name, const wchar_t *file, int privs, int keep_open)
{
	if (privs) {
		enable_privilege(L"SeBackupPrivilege");
		enable_privilege(L"SeRestorePrivilege");
	}
	exists(name);
	LONG rc = RegLoadKeyW(HKEY_LOCAL_MACHINE, name, file);
	report("RegLoadKeyW", rc);
	exists(name);
	if (rc != ERROR_SUCCESS) {
		if (exists(name)) { /* a failed load left a key behind: say what is in it, try to
			               unload */
			HKEY k;
			if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, name, 0, KEY_READ, &k) ==
			    ERROR_SUCCESS) {
				dump(k, name, 1);
				RegCloseKey(k);
			}
			report("RegUnLoadKeyW(after failed load)",
			       RegUnLoadKeyW(HKEY_LOCAL_MACHINE, name));
			exists(name);
		}
		return 0;
	}
	HKEY root;
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, name, 0, KEY_READ | KEY_WRITE, &root);
	report("RegOpenKeyExW(root)", rc);
	if (rc == ERROR_SUCCESS) {
		dump(root, name, 3);
		HKEY probe;
		rc = RegCreateKeyExW(root, L"ProbeKey", 0, NULL, 0, KEY_WRITE, NULL, &probe, NULL);
		report("RegCreateKeyExW(ProbeKey)", rc);
		if (rc == ERROR_SUCCESS) {
			DWORD v = 0x1234;
			report("RegSetValueExW(ProbeValue)",
			       RegSetValueExW(probe, L"ProbeValue", 0, REG_DWORD, (BYTE *)&v,
			                      sizeof v));
			report("RegFlushKey(ProbeKey)", RegFlushKey(probe));
			RegCloseKey(probe);
		}
		if (keep_open) {
			report("RegUnLoadKeyW(with a handle open)",
			       RegUnLoadKeyW(HKEY_LOCAL_MACHINE, name));
			exists(name);
		}
		RegCloseKey(root);
	}
	report("RegUnLoadKeyW", RegUnLoadKeyW(HKEY_LOCAL_MACHINE, name));
	exists(name);
	return 0;
}

int wmain(int argc, wchar_t **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4 && !wcscmp(argv[1], L"load"))
		return do_load(argv[2], argv[3], 1, 0);
	if (argc == 4 && !wcscmp(argv[1], L"load-noprivs"))
		return do_load(argv[2], argv[3], 0, 0);
	if (argc == 4 && !wcscmp(argv[1], L"unload-open"))
		return do_load(argv[2], argv[3], 1, 1);
	if (argc == 4 && !wcscmp(argv[1], L"load-keep")) {
		enable_privilege(L"SeBackupPrivilege");
		enable_privilege(L"SeRestorePrivilege");
		report("RegLoadKeyW", RegLoadKeyW(HKEY_LOCAL_MACHINE, argv[2], argv[3]));
		exists(argv[2]);
		return 0;
	}
	if (argc == 3 && !wcscmp(argv[1], L"exists"))
		return exists(argv[2]) ? 0 : 1;
	if (argc == 4 && !wcscmp(argv[1], L"save")) {
		enable_privilege(L"SeBackupPrivilege");
		HKEY k;
		LONG rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, argv[2], 0, KEY_READ, &k);
		report("RegOpenKeyExW", rc);
		if (rc != ERROR_SUCCESS)
			return 0;
		report("RegSaveKeyW", RegSaveKeyW(k, argv[3], NULL));
		RegCloseKey(k);
		return 0;
	}
	fprintf(stderr, "usage: hiveprobe load|load-noprivs|load-keep|unload-open NAME FILE | save "
	                "KEY FILE | exists NAME\n");
	return 2;
}
