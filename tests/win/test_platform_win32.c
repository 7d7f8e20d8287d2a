/*
 * platform_win32.c against Wine (a throwaway prefix) or Windows:
 *   - platform_mkdir(path, true) creates every missing folder with a
 *     protected DACL granting only SYSTEM and Administrators (full control,
 *     inherited by what is created inside), and platform_write_file(path,
 *     ..., true) creates the file with a protected DACL of the same two
 *     ACEs: read back with GetNamedSecurityInfoW and
 *     ConvertSecurityDescriptorToStringSecurityDescriptorW, and checked ACE
 *     by ACE (SIDs, masks, flags) and for the protected flag. An existing
 *     folder is accepted and left as it is (its DACL is not "fixed up").
 *   - Whether Wine keeps a file's security descriptor is checked first,
 *     with a descriptor of our own. Upstream Wine (8.0, Debian) does not:
 *     storing descriptors in an extended attribute is a wine-staging patch
 *     (server-Stored_ACLs). It turns the DACL given at creation into Unix
 *     mode bits and reads back a DACL made from them: SYSTEM, the owner and,
 *     for the "other" bits, Everyone; never the protected flag. There the
 *     exact DACL cannot be seen; what is checked instead is that every
 *     folder and file created protected grants Everyone, Users and
 *     Authenticated Users nothing, while one created without protection
 *     does grant Everyone read access (so the check tells them apart), and
 *     that the descriptors built from the SDDL are the expected ones. On
 *     Windows, or a Wine that keeps descriptors, the exact DACL is checked.
 *   - platform_os_version is 6.1.7601 (Wine 8's default prefix: Windows 7).
 *   - platform_lock_acquire: a Win32 mutex is re-entrant for the thread
 *     that owns it, so a second acquire on the same thread succeeds (and is
 *     checked to); from a second thread the held lock is busy (SC_NOT_FOUND);
 *     once released it can be taken again. Both the named lock and the
 *     state-file lock.
 */
#include "wintestutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <aclapi.h>
#include <sddl.h>

#include "platform.h"

/* What platform_win32.c grants (its protected_dir_sddl, protected_file_sddl). */
#define DIR_SDDL  L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
#define FILE_SDDL L"D:P(A;;FA;;;SY)(A;;FA;;;BA)"

static char root[MAX_PATH * 3];
static bool wine_keeps_file_sd;

/* ---- helpers ---- */

static char *utf8_of(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s = malloc((size_t)n);

	assert_non_null(s);
	WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, "%s\\%s", a, b);
	return s;
}

/* The DACL of a file or folder as SDDL ("D:P(...)..."), malloc'd; also its
 * control bits and the descriptor (LocalFree) when asked for. */
static char *dacl_sddl(const char *path, SECURITY_DESCRIPTOR_CONTROL *control, PACL *dacl,
                       PSECURITY_DESCRIPTOR *sd_out)
{
	wchar_t *w = wt_wide(path), *sddl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL acl = NULL;
	DWORD rc, revision;
	char *s;

	rc = GetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &acl,
	                           NULL, &sd);
	free(w);
	if (rc != ERROR_SUCCESS)
		fail_msg("%s: GetNamedSecurityInfoW failed (error %lu)", path, rc);
	if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(
	        sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &sddl, NULL))
		fail_msg(
		    "%s: ConvertSecurityDescriptorToStringSecurityDescriptorW failed (error %lu)",
		    path, GetLastError());
	if (control && !GetSecurityDescriptorControl(sd, control, &revision))
		fail_msg("%s: GetSecurityDescriptorControl failed", path);
	s = utf8_of(sddl);
	LocalFree(sddl);
	if (dacl)
		*dacl = acl;
	if (sd_out)
		*sd_out = sd;
	else
		LocalFree(sd);
	return s;
}

/* Checks a DACL ACE by ACE: exactly SYSTEM and Administrators, allowed,
 * FILE_ALL_ACCESS, with the given inheritance flags; and protected. */
static void assert_protected(const char *path, BYTE ace_flags, const wchar_t *want)
{
	SECURITY_DESCRIPTOR_CONTROL control = 0;
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL acl = NULL;
	ACL_SIZE_INFORMATION info;
	WELL_KNOWN_SID_TYPE sids[2] = {WinLocalSystemSid, WinBuiltinAdministratorsSid};
	char *got = dacl_sddl(path, &control, &acl, &sd), *want8 = utf8_of(want);
	DWORD i;

	if (strcmp(got, want8))
		fail_msg("%s: DACL is %s, expected %s", path, got, want8);
	assert_true(control & SE_DACL_PRESENT);
	assert_true(control & SE_DACL_PROTECTED);
	assert_non_null(acl);
	assert_true(GetAclInformation(acl, &info, sizeof(info), AclSizeInformation));
	assert_int_equal(info.AceCount, 2);
	for (i = 0; i < 2; i++) {
		ACCESS_ALLOWED_ACE *ace = NULL;

		assert_true(GetAce(acl, i, (void **)&ace));
		assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
		assert_int_equal(ace->Header.AceFlags, ace_flags);
		assert_int_equal(ace->Mask, FILE_ALL_ACCESS);
		if (!IsWellKnownSid((PSID)&ace->SidStart, sids[i]))
			fail_msg("%s: ACE %lu is not for %s", path, i,
			         i ? "Administrators" : "SYSTEM");
	}
	LocalFree(sd);
	free(got);
	free(want8);
}

/*
 * Where Wine does not keep descriptors it turns the DACL given at creation
 * into Unix mode bits and reads them back as ACEs for SYSTEM, the owner and
 * (for the "other" bits) Everyone. What can be checked there: a protected
 * folder or file grants Everyone, Users and Authenticated Users nothing,
 * where one created without our descriptor grants Everyone read access.
 */
static void assert_private(const char *path)
{
	static const char *const others[] = {";;;WD)", ";;;BU)", ";;;AU)", ";;;BG)"};
	char *got = dacl_sddl(path, NULL, NULL, NULL);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(others); i++)
		if (strstr(got, others[i]))
			fail_msg("%s: DACL %s grants %.2s access", path, got, others[i] + 3);
	if (!strstr(got, ";;;SY)"))
		fail_msg("%s: DACL %s does not grant SYSTEM access", path, got);
	free(got);
}

static void assert_dir_protected(const char *path)
{
	if (wine_keeps_file_sd)
		assert_protected(path, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, DIR_SDDL);
	else
		assert_private(path);
}

/* Does this Wine keep a security descriptor given at CreateFile? (It
 * stores them in an extended attribute; without one it invents a DACL.) */
static bool keeps_file_sd(void)
{
	static const wchar_t probe_sddl[] = L"D:P(A;;FA;;;WD)";
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, FALSE};
	char *path = join(root, "sd-probe"), *got;
	wchar_t *w = wt_wide(path);
	HANDLE h;
	bool kept;

	assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorW(
	    probe_sddl, SDDL_REVISION_1, &sa.lpSecurityDescriptor, NULL));
	h = CreateFileW(w, GENERIC_WRITE, 0, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	CloseHandle(h);
	LocalFree(sa.lpSecurityDescriptor);
	got = dacl_sddl(path, NULL, NULL, NULL);
	kept = !strcmp(got, "D:P(A;;FA;;;WD)");
	if (!kept)
		printf("platform_win32: this Wine does not keep file security descriptors (a "
		       "file created with D:P(A;;FA;;;WD) reads back as %s): checking that "
		       "protected folders and files grant others nothing, not their exact "
		       "DACL\n",
		       got);
	DeleteFileW(w);
	free(w);
	free(got);
	free(path);
	return kept;
}

static int group_setup(void **state)
{
	wchar_t tmp[MAX_PATH], *w;
	char *base;
	BOOL ok;
	DWORD n = GetTempPathW(MAX_PATH, tmp);

	(void)state;
	if (!n || n >= MAX_PATH)
		return -1;
	base = utf8_of(tmp);
	snprintf(root, sizeof(root), "%ssc-platform-%lu", base, GetCurrentProcessId());
	free(base);
	w = wt_wide(root);
	ok = CreateDirectoryW(w, NULL);
	free(w);
	if (!ok)
		return -1;
	wine_keeps_file_sd = keeps_file_sd();
	return 0;
}

/* Removes root and everything the tests made in it (two levels). */
static void remove_tree(const char *dir)
{
	char *pattern = join(dir, "*");
	wchar_t *w = wt_wide(pattern);
	WIN32_FIND_DATAW fd;
	HANDLE h = FindFirstFileW(w, &fd);

	if (h != INVALID_HANDLE_VALUE) {
		do {
			char *name = utf8_of(fd.cFileName), *child;
			wchar_t *wc;

			if (!strcmp(name, ".") || !strcmp(name, "..")) {
				free(name);
				continue;
			}
			child = join(dir, name);
			wc = wt_wide(child);
			if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
				remove_tree(child);
			else
				DeleteFileW(wc);
			free(wc);
			free(child);
			free(name);
		} while (FindNextFileW(h, &fd));
		FindClose(h);
	}
	free(w);
	w = wt_wide(dir);
	RemoveDirectoryW(w);
	free(w);
	free(pattern);
}

static int group_teardown(void **state)
{
	(void)state;
	remove_tree(root);
	return 0;
}

/* ---- the protected folder and file ---- */

/* The descriptors platform_win32.c builds from its SDDL are what we expect,
 * whether or not Wine then stores them. */
static void test_sddl_descriptors(void **state)
{
	static const wchar_t *const sddls[] = {DIR_SDDL, FILE_SDDL};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		PSECURITY_DESCRIPTOR sd = NULL;
		SECURITY_DESCRIPTOR_CONTROL control;
		DWORD revision;
		wchar_t *back = NULL;

		assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorW(
		    sddls[i], SDDL_REVISION_1, &sd, NULL));
		assert_true(GetSecurityDescriptorControl(sd, &control, &revision));
		assert_true(control & SE_DACL_PROTECTED);
		assert_true(ConvertSecurityDescriptorToStringSecurityDescriptorW(
		    sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &back, NULL));
		assert_int_equal(wcscmp(back, sddls[i]), 0);
		LocalFree(back);
		LocalFree(sd);
	}
}

static void test_mkdir_protected(void **state)
{
	struct sc_err err = {{0}};
	char *a = join(root, "a"), *b = join(a, "b"), *snaps = join(b, "snapshots");
	wchar_t *w = wt_wide(snaps);
	DWORD attributes;

	(void)state;
	assert_int_equal(platform_mkdir(snaps, true, &err), SC_OK);
	attributes = GetFileAttributesW(w);
	free(w);
	assert_true(attributes != INVALID_FILE_ATTRIBUTES &&
	            (attributes & FILE_ATTRIBUTE_DIRECTORY));
	/* every folder it created, not only the last one */
	assert_dir_protected(a);
	assert_dir_protected(b);
	assert_dir_protected(snaps);
	/* again: it exists, that is fine, and it stays as it is */
	assert_int_equal(platform_mkdir(snaps, true, &err), SC_OK);
	assert_dir_protected(snaps);
	free(snaps);
	free(b);
	free(a);
}

/* An existing, unprotected folder is accepted and not changed: protection
 * is given at creation, never "fixed up" later. */
static void test_mkdir_existing_left_alone(void **state)
{
	struct sc_err err = {{0}};
	char *dir = join(root, "existing"), *before, *after;
	wchar_t *w = wt_wide(dir);

	(void)state;
	assert_true(CreateDirectoryW(w, NULL));
	before = dacl_sddl(dir, NULL, NULL, NULL);
	/* under Wine: the control for assert_private on folders */
	if (!wine_keeps_file_sd && !strstr(before, ";;;WD)"))
		fail_msg("%s: a folder made without a descriptor reads back as %s; the Wine check "
		         "would not tell protected from unprotected folders",
		         dir, before);
	assert_int_equal(platform_mkdir(dir, true, &err), SC_OK);
	after = dacl_sddl(dir, NULL, NULL, NULL);
	assert_string_equal(after, before);
	free(before);
	free(after);
	free(w);
	free(dir);
}

static void test_write_file_protected(void **state)
{
	static const char data[] = "Windows Registry Editor Version 5.00\r\n";
	struct sc_err err = {{0}};
	char *dir = join(root, "files"), *path, *plain, *plain_sddl;
	wchar_t *w;
	HANDLE h;
	char buf[128];
	DWORD got = 0;

	(void)state;
	assert_int_equal(platform_mkdir(dir, true, &err), SC_OK);
	path = join(dir, "snapshot.reg");
	plain = join(root, "plain.reg");
	assert_int_equal(platform_write_file(path, data, sizeof(data) - 1, true, &err), SC_OK);
	w = wt_wide(path);
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_true(ReadFile(h, buf, sizeof(buf), &got, NULL));
	CloseHandle(h);
	assert_int_equal(got, sizeof(data) - 1);
	assert_memory_equal(buf, data, got);
	/* replacing it goes through a new temporary file: protected again */
	assert_int_equal(platform_write_file(path, data, sizeof(data) - 1, true, &err), SC_OK);
	assert_int_equal(platform_write_file(plain, data, sizeof(data) - 1, false, &err), SC_OK);
	if (wine_keeps_file_sd)
		assert_protected(path, 0, FILE_SDDL);
	else
		assert_private(path);
	/* protect = false: not ours (and, under Wine, readable by Everyone:
	 * the check above tells the two apart) */
	plain_sddl = dacl_sddl(plain, NULL, NULL, NULL);
	assert_string_not_equal(plain_sddl, "D:P(A;;FA;;;SY)(A;;FA;;;BA)");
	if (!wine_keeps_file_sd && !strstr(plain_sddl, ";;;WD)"))
		fail_msg("%s: an unprotected file reads back as %s; the Wine check would not tell "
		         "protected from unprotected files",
		         plain, plain_sddl);
	free(plain_sddl);
	free(w);
	free(plain);
	free(path);
	free(dir);
}

/* ---- version ---- */

static void test_os_version(void **state)
{
	uint32_t major = 0, minor = 0, build = 0;

	(void)state;
	assert_true(platform_os_version(&major, &minor, &build));
	if (major != 6 || minor != 1 || build != 7601)
		fail_msg("platform_os_version: %u.%u.%u, expected 6.1.7601 (Wine 8's default "
		         "prefix is Windows 7 SP1)",
		         major, minor, build);
}

/* ---- locks ---- */

struct lock_try {
	const char *name;
	bool path_based;
	int rc;
	bool release;
};

static DWORD WINAPI try_lock(void *arg)
{
	struct lock_try *t = arg;
	struct platform_lock *lock = NULL;
	struct sc_err err = {{0}};

	t->rc = platform_lock_acquire(t->name, t->path_based, &lock, &err);
	if (t->rc == SC_OK && t->release)
		platform_lock_release(lock);
	return 0;
}

/* Runs try_lock on a new thread and returns its result. */
static int acquire_elsewhere(const char *name, bool path_based)
{
	struct lock_try t = {name, path_based, 99, true};
	HANDLE th = CreateThread(NULL, 0, try_lock, &t, 0, NULL);

	assert_non_null(th);
	assert_int_equal(WaitForSingleObject(th, 10000), WAIT_OBJECT_0);
	CloseHandle(th);
	return t.rc;
}

static void check_lock(const char *name, bool path_based)
{
	struct platform_lock *held = NULL, *again = NULL;
	struct sc_err err = {{0}};

	assert_int_equal(platform_lock_acquire(name, path_based, &held, &err), SC_OK);
	/* A mutex is re-entrant for its owner thread: the same thread gets it
	 * again (the CLI takes the lock once per process, so this is only
	 * documented here). */
	assert_int_equal(platform_lock_acquire(name, path_based, &again, &err), SC_OK);
	platform_lock_release(again);
	/* another thread: busy, while held */
	assert_int_equal(acquire_elsewhere(name, path_based), SC_NOT_FOUND);
	platform_lock_release(held);
	/* released: another thread can take it, and then this one again */
	assert_int_equal(acquire_elsewhere(name, path_based), SC_OK);
	assert_int_equal(platform_lock_acquire(name, path_based, &held, &err), SC_OK);
	platform_lock_release(held);
}

static void test_lock_named(void **state)
{
	(void)state;
	check_lock("platform-test", false);
}

/* Writes a small file (fails the test on error). */
static void put_file(const char *path, const char *text)
{
	wchar_t *w = wt_wide(path);
	FILE *f = _wfopen(w, L"wb");

	free(w);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_lock_state_file(void **state)
{
	char *path = join(root, "state.reg");

	(void)state;
	put_file(path,
	         "Windows Registry Editor Version 5.00\r\n"); /* the lock is taken on the file */
	check_lock(path, true);
	free(path);
}

/* A folder made with a descriptor of our own. */
static char *dir_with(const char *name, const wchar_t *sddl)
{
	char *path = join(root, name);
	wchar_t *w = wt_wide(path);
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, FALSE};

	assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorW(
	    sddl, SDDL_REVISION_1, &sa.lpSecurityDescriptor, NULL));
	assert_true(CreateDirectoryW(w, &sa));
	{
		/* Set again after creation: Wine turns a DACL into mode bits and
		 * applies the umask at creation, not here. */
		PACL dacl = NULL;
		BOOL present = FALSE, defaulted = FALSE;

		assert_true(GetSecurityDescriptorDacl(sa.lpSecurityDescriptor, &present, &dacl,
		                                      &defaulted));
		assert_int_equal(SetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
		                                       NULL, NULL, dacl, NULL),
		                 ERROR_SUCCESS);
	}
	LocalFree(sa.lpSecurityDescriptor);
	free(w);
	return path;
}

/* A snapshot folder must be one only administrators control: one made
 * protected is trusted, one where Everyone may write is refused with the
 * icacls fix, a missing one is SC_NOT_FOUND. */
static void test_folder_trust(void **state)
{
	char *good = join(root, "trusted"), *weak, *readable, *missing = join(root, "missing");
	struct sc_err err = {{0}};

	(void)state;
	assert_int_equal(platform_mkdir(good, true, &err), SC_OK);
	assert_int_equal(platform_check_folder_trust(good, &err), SC_OK);
	assert_int_equal(platform_check_folder_trust(missing, &err), SC_NOT_FOUND);
	weak = dir_with("weak", L"D:(A;OICI;FA;;;WD)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
	assert_int_equal(platform_check_folder_trust(weak, &err), SC_ERROR);
	assert_non_null(strstr(err.msg, "is not protected"));
	assert_non_null(strstr(err.msg, "S-1-1-0"));
	assert_non_null(strstr(err.msg, "icacls \""));
	assert_non_null(strstr(err.msg, "/remove:g *S-1-1-0"));
	/* Read and list access for everyone is no weakness. */
	readable =
	    dir_with("readable", L"D:(A;OICI;0x1200a9;;;WD)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
	if (platform_check_folder_trust(readable, &err) != SC_OK)
		fail_msg("%s", err.msg);
	free(good);
	free(weak);
	free(readable);
	free(missing);
}

/* platform_create_file never replaces a file: a second create of the same
 * name says so and leaves the first one's bytes. */
static void test_create_file_exclusive(void **state)
{
	char *path = join(root, "once.reg"), *data;
	struct sc_err err = {{0}};
	bool exists = true;
	size_t size;

	(void)state;
	assert_int_equal(platform_create_file(path, "first", 5, true, &exists, &err), SC_OK);
	assert_false(exists);
	assert_int_equal(platform_create_file(path, "second", 6, true, &exists, &err), SC_OK);
	assert_true(exists);
	data = read_file(path, 100, &size, &err);
	assert_non_null(data);
	assert_string_equal(data, "first");
	free(data);
	free(path);
}

/* platform_realpath names the file opened (GetFinalPathNameByHandleW):
 * "..", another case and the \\?\ spelling resolve to one name. */
static void test_realpath_final(void **state)
{
	char *file = join(root, "Final.reg"), *a, *b, *c, *d, *spelled;
	size_t n;

	(void)state;
	put_file(file, "x");
	a = platform_realpath(file);
	assert_non_null(a);
	n = strlen(root) + 32;
	spelled = malloc(n);
	snprintf(spelled, n, "%s\\trusted\\..\\FINAL.REG", root);
	b = platform_realpath(spelled);
	snprintf(spelled, n, "\\\\?\\%s\\Final.reg", root);
	c = platform_realpath(spelled);
	assert_non_null(b);
	assert_non_null(c);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	assert_null(strstr(a, "\\\\?\\"));
	d = platform_realpath("C:\\no\\such\\file.reg");
	assert_null(d);
	free(a);
	free(b);
	free(c);
	free(spelled);
	free(file);
}

/* The machine's snapshot key: made once (in this throwaway prefix's
 * ProgramData), then the same 32 bytes every time. */
static void test_snapshot_key(void **state)
{
	uint8_t k1[32], k2[32], zero[32] = {0};
	struct sc_err err = {{0}};

	(void)state;
	assert_int_equal(platform_snapshot_key(NULL, true, k1, &err), SC_OK);
	assert_int_equal(platform_snapshot_key(NULL, false, k2, &err), SC_OK);
	assert_memory_equal(k1, k2, 32);
	assert_memory_not_equal(k1, zero, 32);
	assert_true(platform_random(k2, sizeof(k2)));
	assert_memory_not_equal(k1, k2, 32);
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sddl_descriptors),
	    cmocka_unit_test(test_mkdir_protected),
	    cmocka_unit_test(test_mkdir_existing_left_alone),
	    cmocka_unit_test(test_write_file_protected),
	    cmocka_unit_test(test_os_version),
	    cmocka_unit_test(test_lock_named),
	    cmocka_unit_test(test_lock_state_file),
	    cmocka_unit_test(test_folder_trust),
	    cmocka_unit_test(test_create_file_exclusive),
	    cmocka_unit_test(test_realpath_final),
	    cmocka_unit_test(test_snapshot_key),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
