/*
 * platform_win32.c - platform.h on Windows 7 SP1 and later.
 *
 * MUST: APIs newer than Windows 7 SP1 are resolved at run time with a
 * fallback (SetDefaultDllDirectories needs KB2533623 on Windows 7).
 * MUST: the snapshot folder and files are created with a DACL that grants
 * access to SYSTEM and Administrators only (never fixed up afterwards).
 * MUST: the apply mutex lives in a private namespace whose boundary is the
 * Administrators group, so an unprivileged process cannot pre-create it.
 */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>
#include <wincrypt.h>

#include "backend_win32.h"
#include "sha256.h"

/* Full control for SYSTEM and Administrators, protected from inheritance;
 * OICI: inherited by files and folders created inside. */
static const wchar_t protected_dir_sddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
static const wchar_t protected_file_sddl[] = L"D:P(A;;FA;;;SY)(A;;FA;;;BA)";

void platform_init(void)
{
	typedef BOOL(WINAPI * set_default_dll_dirs_fn)(DWORD);
	HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
	set_default_dll_dirs_fn set_dirs = NULL;

	/* Only System32 for any DLL loaded later (no planted DLL in the
	 * current or application folder). */
	if (kernel32)
		set_dirs = (set_default_dll_dirs_fn)(void (*)(void))GetProcAddress(
		    kernel32, "SetDefaultDllDirectories");
	if (!set_dirs || !set_dirs(LOAD_LIBRARY_SEARCH_SYSTEM32))
		SetDllDirectoryW(L""); /* fallback: at least drop the current folder */
}

static HANDLE std_handle(int fd)
{
	return GetStdHandle(fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
}

bool platform_isatty(int fd)
{
	DWORD mode;

	return GetConsoleMode(std_handle(fd), &mode) != 0;
}

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif

bool platform_color_ok(int fd)
{
	HANDLE h = std_handle(fd);
	DWORD mode;

	if (!GetConsoleMode(h, &mode))
		return false;
	return (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) ||
	       SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

void platform_write(int fd, const char *text, size_t len)
{
	HANDLE h = std_handle(fd);
	DWORD written;

	if (platform_isatty(fd)) {
		size_t units;
		uint16_t *w = utf8_to_utf16(text, len, &units);

		if (w) {
			WriteConsoleW(h, w, (DWORD)units, &written, NULL);
			free(w);
			return;
		}
	}
	fflush(fd == 2 ? stderr : stdout);
	while (len) {
		DWORD chunk = len > 65536 ? 65536 : (DWORD)len;

		if (!WriteFile(h, text, chunk, &written, NULL) || !written)
			return;
		text += written;
		len -= written;
	}
}

bool platform_is_elevated(void)
{
	TOKEN_ELEVATION elevation = {0};
	HANDLE token = NULL;
	DWORD size = 0;
	bool elevated = false;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return false;
	if (GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &size))
		elevated = elevation.TokenIsElevated != 0;
	CloseHandle(token);
	return elevated;
}

/* The static win32 store; reg_backend_free on it does nothing. */
struct reg_backend *platform_live_backend(struct sc_err *err)
{
	(void)err;
	return win32_backend_get();
}

static char *utf8_of(const wchar_t *w)
{
	char *s = utf16_to_utf8((const uint16_t *)w, wcslen(w), NULL);

	if (!s) {
		fprintf(stderr, "schannelcfg: out of memory\n");
		abort();
	}
	return s;
}

static wchar_t *wide_of(const char *s, struct sc_err *err)
{
	wchar_t *w = (wchar_t *)utf8_to_utf16(s, strlen(s), NULL);

	if (!w)
		sc_err_set(err, "%s: not valid UTF-8", s);
	return w;
}

char *platform_default_snapshot_dir(void)
{
	wchar_t *program_data = NULL;
	char *dir;

	/* The known-folder API, not %ProgramData%: the environment belongs to
	 * whoever started the process. */
	if (SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, NULL, &program_data) == S_OK) {
		char *base = utf8_of(program_data);

		dir = xasprintf("%s\\schannelcfg\\snapshots", base);
		free(base);
	} else {
		dir = xstrdup("C:\\ProgramData\\schannelcfg\\snapshots");
	}
	CoTaskMemFree(program_data);
	return dir;
}

static bool make_sa(const wchar_t *sddl, SECURITY_ATTRIBUTES *sa)
{
	PSECURITY_DESCRIPTOR sd = NULL;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
		return false;
	sa->nLength = sizeof(*sa);
	sa->lpSecurityDescriptor = sd;
	sa->bInheritHandle = FALSE;
	return true;
}

static int create_one_dir(const char *path, bool protect, struct sc_err *err)
{
	SECURITY_ATTRIBUTES sa = {0};
	wchar_t *w = wide_of(path, err);
	int rc = SC_OK;

	if (!w)
		return SC_ERROR;
	if (protect && !make_sa(protected_dir_sddl, &sa)) {
		free(w);
		return sc_err_set(err, "%s: cannot build security descriptor (error %lu)", path,
		                  GetLastError());
	}
	if (!CreateDirectoryW(w, protect ? &sa : NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
		rc = sc_err_set(err, "%s: cannot create folder (error %lu)", path, GetLastError());
	LocalFree(sa.lpSecurityDescriptor);
	free(w);
	return rc;
}

int platform_mkdir(const char *path, bool protect, struct sc_err *err)
{
	char *copy = xstrdup(path);
	char *p;
	int rc = SC_OK;

	/* Creates each missing component; existing ones (C:\, ProgramData)
	 * are left as they are. */
	for (p = copy;; p++) {
		char saved = *p;

		if (saved != '\\' && saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (p > copy && p[-1] != ':')
			rc = create_one_dir(copy, protect, err);
		*p = saved;
		if (rc != SC_OK || !saved)
			break;
	}
	free(copy);
	return rc;
}

int platform_write_file(const char *path, const void *data, size_t size, bool protect,
                        struct sc_err *err)
{
	SECURITY_ATTRIBUTES sa = {0};
	int rc;

	if (protect && !make_sa(protected_file_sddl, &sa))
		return sc_err_set(err, "%s: cannot build security descriptor (error %lu)", path,
		                  GetLastError());
	rc = write_file_atomic_sa(path, data, size, protect ? &sa : NULL, err);
	LocalFree(sa.lpSecurityDescriptor);
	return rc;
}

int platform_create_file(const char *path, const void *data, size_t size, bool protect,
                         bool *exists, struct sc_err *err)
{
	SECURITY_ATTRIBUTES sa = {0};
	int rc;

	*exists = false;
	if (protect && !make_sa(protected_file_sddl, &sa))
		return sc_err_set(err, "%s: cannot build security descriptor (error %lu)", path,
		                  GetLastError());
	rc = write_file_new_sa(path, data, size, protect ? &sa : NULL, exists, err);
	LocalFree(sa.lpSecurityDescriptor);
	return rc;
}

/* ---- folders and files only administrators control ---- */

/* SYSTEM, BUILTIN\Administrators, NT SERVICE\TrustedInstaller. */
static const wchar_t *const trusted_sids[] = {
    L"S-1-5-18",
    L"S-1-5-32-544",
    L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
};

/* What no other SID may hold on a protected folder (or file): write or
 * add, delete it or its children, change its attributes, DACL or owner. */
#define FORBIDDEN_WRITE                                                                            \
	(FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_DELETE_CHILD |                  \
	 FILE_WRITE_ATTRIBUTES | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL |  \
	 MAXIMUM_ALLOWED)
/* The snapshot key must not be readable by anyone else either. */
#define FORBIDDEN_READ (FILE_READ_DATA | GENERIC_READ)

/* The process's own user, when elevated: an administrator, whose folders
 * are trusted where objects are owned by their creator (Wine, and Windows
 * with that policy). */
struct self_sid {
	BYTE buf[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
	PSID sid;
};

static void get_self(struct self_sid *self)
{
	HANDLE token = NULL;
	DWORD size = 0;

	self->sid = NULL;
	if (!platform_is_elevated() || !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return;
	if (GetTokenInformation(token, TokenUser, self->buf, sizeof(self->buf), &size))
		self->sid = ((TOKEN_USER *)self->buf)->User.Sid;
	CloseHandle(token);
}

static bool sid_trusted(PSID sid, const struct self_sid *self)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(trusted_sids); i++) {
		PSID t = NULL;
		bool same = false;

		if (ConvertStringSidToSidW(trusted_sids[i], &t))
			same = EqualSid(sid, t) != 0;
		LocalFree(t);
		if (same)
			return true;
	}
	return self->sid && EqualSid(sid, self->sid);
}

static char *sid_string(PSID sid)
{
	wchar_t *text = NULL;
	char *s;

	if (!ConvertSidToStringSidW(sid, &text))
		return xstrdup("(unreadable SID)");
	s = utf8_of(text);
	LocalFree(text);
	return s;
}

/* "S-1-1-0 (Everyone)", for messages. */
static void describe_sid(PSID sid, struct strbuf *sb)
{
	wchar_t name[256], domain[256];
	DWORD nlen = ARRAY_SIZE(name), dlen = ARRAY_SIZE(domain);
	SID_NAME_USE use;
	char *text = sid_string(sid);

	sb_adds(sb, text);
	free(text);
	if (LookupAccountSidW(NULL, sid, name, &nlen, domain, &dlen, &use)) {
		char *n = utf8_of(name);

		sb_addf(sb, " (%s)", n);
		free(n);
	}
}

/* The entries that give someone untrusted a forbidden right: described in
 * why, listed as icacls wants them ("*SID") in sids. */
static bool weak_aces(PACL dacl, DWORD forbidden, const struct self_sid *self, struct strbuf *why,
                      struct strbuf *sids)
{
	bool weak = false;
	DWORD i;

	for (i = 0; i < dacl->AceCount; i++) {
		ACE_HEADER *ace = NULL;
		ACCESS_ALLOWED_ACE *allow;
		char *text;

		if (!GetAce(dacl, i, (void **)&ace) || (ace->AceFlags & INHERIT_ONLY_ACE) ||
		    ace->AceType == ACCESS_DENIED_ACE_TYPE)
			continue;
		if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE) {
			sb_addf(why, "; it has an access entry of type %u that cannot be judged",
			        ace->AceType);
			weak = true;
			continue;
		}
		allow = (ACCESS_ALLOWED_ACE *)ace;
		if (!(allow->Mask & forbidden) || sid_trusted((PSID)&allow->SidStart, self))
			continue;
		sb_adds(why, "; ");
		describe_sid((PSID)&allow->SidStart, why);
		sb_addf(why, " holds rights 0x%08lx", allow->Mask);
		text = sid_string((PSID)&allow->SidStart);
		sb_addf(sids, " *%s", text);
		free(text);
		weak = true;
	}
	return weak;
}

static void fix_commands(const char *path, const struct strbuf *sids, struct strbuf *sb)
{
	sb_addf(sb, "  icacls \"%s\" /setowner *S-1-5-32-544 /T /C\n", path);
	sb_addf(sb,
	        "  icacls \"%s\" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F "
	        "*S-1-5-32-544:(OI)(CI)F /T /C",
	        path);
	if (sids->len)
		sb_addf(sb, "\n  icacls \"%s\" /remove:g%s /T /C", path, sids->buf);
}

static int judge_security(const char *path, PSID owner, PACL dacl, DWORD forbidden,
                          struct sc_err *err)
{
	struct strbuf why = STRBUF_INIT, sids = STRBUF_INIT, fix = STRBUF_INIT;
	struct self_sid self;
	bool weak = false;
	int rc = SC_OK;

	get_self(&self);
	if (!owner || !sid_trusted(owner, &self)) {
		sb_adds(&why, "; its owner is ");
		if (owner)
			describe_sid(owner, &why);
		else
			sb_adds(&why, "unknown");
		weak = true;
	}
	if (!dacl) {
		sb_adds(&why, "; it has no DACL (everyone has full access)");
		weak = true;
	} else if (weak_aces(dacl, forbidden, &self, &why, &sids)) {
		weak = true;
	}
	if (weak) {
		fix_commands(path, &sids, &fix);
		rc = sc_err_set(
		    err,
		    "%s is not protected%s. Whoever can change it could plant a snapshot "
		    "or read the snapshot key. Fix it (elevated), then check what is in "
		    "it:\n%s",
		    path, sb_str(&why), sb_str(&fix));
	}
	sb_free(&why);
	sb_free(&sids);
	sb_free(&fix);
	return rc;
}

/* Owner and DACL of a file or folder, judged; a link is refused (it would
 * lead elsewhere than what was checked). */
static int check_object(const char *path, DWORD forbidden, struct sc_err *err)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL;
	PACL dacl = NULL;
	wchar_t *w = wide_of(path, err);
	DWORD attrs, e;
	int rc;

	if (!w)
		return SC_ERROR;
	attrs = GetFileAttributesW(w);
	if (attrs == INVALID_FILE_ATTRIBUTES) {
		e = GetLastError();
		free(w);
		return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND
		           ? SC_NOT_FOUND
		           : sc_err_set(err, "%s: cannot read its attributes (error %lu)", path, e);
	}
	if (attrs & FILE_ATTRIBUTE_REPARSE_POINT) {
		free(w);
		return sc_err_set(err, "%s is a link or junction; refusing to trust where it leads",
		                  path);
	}
	e = GetNamedSecurityInfoW(w, SE_FILE_OBJECT,
	                          OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
	                          NULL, &dacl, NULL, &sd);
	free(w);
	if (e != ERROR_SUCCESS)
		return sc_err_set(err, "%s: cannot read its security descriptor (error %lu)", path,
		                  e);
	rc = judge_security(path, owner, dacl, forbidden, err);
	LocalFree(sd);
	return rc;
}

int platform_check_folder_trust(const char *dir, struct sc_err *err)
{
	return check_object(dir, FORBIDDEN_WRITE, err);
}

/* NTFS folds case itself: the path is the name, if it exists. */
char *platform_find_ci(const char *dir, const char *name, struct sc_err *err)
{
	char *path = xasprintf("%s\\%s", dir, name);
	wchar_t *w = wide_of(path, err);
	DWORD attributes = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

	free(w);
	if (attributes != INVALID_FILE_ATTRIBUTES)
		return path;
	sc_err_set(err,
	           "%s: no such file or folder (is %s the root of an offline Windows "
	           "installation?)",
	           path, dir);
	free(path);
	return NULL;
}

static char *machine_folder(void)
{
	char *snapshots = platform_default_snapshot_dir();
	char *cut = strrchr(snapshots, '\\');

	*cut = '\0'; /* ...\schannelcfg\snapshots -> ...\schannelcfg */
	return snapshots;
}

static int read_key_file(const char *path, uint8_t key[32], struct sc_err *err)
{
	int rc = check_object(path, FORBIDDEN_WRITE | FORBIDDEN_READ, err);
	size_t size = 0;
	char *data;

	if (rc != SC_OK)
		return rc;
	data = read_file(path, 64, &size, err);
	if (!data)
		return SC_ERROR;
	if (size == 32)
		memcpy(key, data, 32);
	else
		rc = sc_err_set(err, "%s: damaged (%zu bytes, expected 32)", path, size);
	SecureZeroMemory(data, size);
	free(data);
	return rc;
}

static int make_key_file(const char *path, uint8_t key[32], struct sc_err *err)
{
	bool exists = false;
	int rc;

	if (!platform_random(key, 32))
		return sc_err_set(err, "cannot get random bytes for the snapshot key");
	rc = platform_create_file(path, key, 32, true, &exists, err);
	if (rc == SC_OK && exists) /* another apply made it first */
		rc = read_key_file(path, key, err);
	return rc;
}

int platform_snapshot_key(const char *folder, bool create, uint8_t key[32], struct sc_err *err)
{
	char *dir = folder ? xstrdup(folder) : machine_folder();
	char *path = xasprintf("%s\\machine.key", dir);
	int rc = platform_check_folder_trust(dir, err);

	if (rc == SC_NOT_FOUND && create) {
		rc = platform_mkdir(dir, true, err);
		if (rc == SC_OK)
			rc = platform_check_folder_trust(dir, err);
	}
	if (rc == SC_OK)
		rc = read_key_file(path, key, err);
	if (rc == SC_NOT_FOUND && create)
		rc = make_key_file(path, key, err);
	if (rc == SC_NOT_FOUND)
		sc_err_set(err,
		           "%s does not exist: no apply has written a live snapshot on this "
		           "machine",
		           path);
	free(path);
	free(dir);
	return rc;
}

/* The fallback: CryptoAPI's default provider, whose first use loads
 * rsaenh.dll and reads its provider configuration from the registry (13 ms
 * warm, 46 ms under load, measured under Wine). */
static bool crypt_random(void *buf, DWORD n)
{
	HCRYPTPROV prov = 0;
	bool ok;

	if (!CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_FULL,
	                          CRYPT_VERIFYCONTEXT | CRYPT_SILENT))
		return false;
	ok = CryptGenRandom(prov, n, buf) != 0;
	CryptReleaseContext(prov, 0);
	return ok;
}

/*
 * RtlGenRandom is the system generator behind CryptGenRandom, without the
 * provider: advapi32 (already loaded) exports it as SystemFunction036 since
 * Windows XP, with no import library, hence GetProcAddress. Microsoft says
 * it "may be altered or unavailable in subsequent versions", hence the
 * CryptGenRandom fallback when the export is missing:
 * https://learn.microsoft.com/en-us/windows/win32/api/ntsecapi/nf-ntsecapi-rtlgenrandom
 * Either way a failure returns false; the caller then makes no key.
 */
bool platform_random(void *buf, size_t n)
{
	typedef BOOLEAN(WINAPI * rtl_gen_random_fn)(PVOID, ULONG);
	HMODULE advapi32 = GetModuleHandleW(L"advapi32.dll");
	rtl_gen_random_fn gen = NULL;

	if (n > MAXDWORD) /* both take a 32-bit length: never fill only part */
		return false;
	if (advapi32)
		gen = (rtl_gen_random_fn)(void (*)(void))GetProcAddress(advapi32,
		                                                        "SystemFunction036");
	if (gen)
		return gen(buf, (ULONG)n) != FALSE;
	return crypt_random(buf, (DWORD)n);
}

/* ---- interruptions ---- */

static volatile LONG console_event; /* the event + 1, or 0 */
static HANDLE guard_done;

/* Ctrl-C and Ctrl-Break are only recorded. Closing the console, logoff and
 * shutdown end the process when this returns: wait for the transaction to
 * finish its restore first (Windows allows a few seconds). */
static BOOL WINAPI on_console_event(DWORD type)
{
	InterlockedExchange(&console_event, (LONG)type + 1);
	if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT)
		return TRUE;
	if (guard_done)
		WaitForSingleObject(guard_done, INFINITE);
	return FALSE;
}

void platform_guard_begin(void)
{
	InterlockedExchange(&console_event, 0);
	guard_done = CreateEventW(NULL, TRUE, FALSE, NULL);
	SetConsoleCtrlHandler(on_console_event, TRUE);
}

void platform_guard_end(void)
{
	if (guard_done)
		SetEvent(guard_done);
	SetConsoleCtrlHandler(on_console_event, FALSE);
}

const char *platform_interrupted(void)
{
	switch (console_event) {
	case 0: return NULL;
	case CTRL_C_EVENT + 1: return "Ctrl-C";
	case CTRL_BREAK_EVENT + 1: return "Ctrl-Break";
	case CTRL_CLOSE_EVENT + 1: return "the console being closed";
	case CTRL_LOGOFF_EVENT + 1: return "logoff";
	default: return "shutdown";
	}
}

char **platform_list_dir(const char *dir, const char *suffix, size_t *count, struct sc_err *err)
{
	char *pattern = xasprintf("%s\\*%s", dir, suffix);
	wchar_t *w = wide_of(pattern, err);
	WIN32_FIND_DATAW fd;
	HANDLE h;
	char **names = NULL;
	size_t n = 0, cap = 0;

	free(pattern);
	*count = 0;
	if (!w)
		return NULL;
	h = FindFirstFileW(w, &fd);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();

		if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
			return xcalloc(1, sizeof(char *));
		sc_err_set(err, "%s: cannot list folder (error %lu)", dir, e);
		return NULL;
	}
	do {
		if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = utf8_of(fd.cFileName);
	} while (FindNextFileW(h, &fd));
	FindClose(h);
	*count = n;
	return names ? names : xcalloc(1, sizeof(char *));
}

/* "\\?\C:\x" -> "C:\x", "\\?\UNC\server\share" -> "\\server\share". */
static char *without_long_prefix(const wchar_t *full)
{
	if (!wcsncmp(full, L"\\\\?\\UNC\\", 8)) {
		char *rest = utf8_of(full + 8), *s = xasprintf("\\\\%s", rest);

		free(rest);
		return s;
	}
	return utf8_of(!wcsncmp(full, L"\\\\?\\", 4) ? full + 4 : full);
}

char *platform_realpath(const char *path)
{
	wchar_t *w = wide_of(path, NULL), full[32768];
	HANDLE h;
	DWORD n;

	if (!w)
		return NULL;
	/* The name of what was opened, not of what was typed: links,
	 * junctions, 8.3 names and \\?\ spellings all resolve to it. */
	h = CreateFileW(w, FILE_READ_ATTRIBUTES,
	                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
	                FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return NULL;
	n = GetFinalPathNameByHandleW(h, full, ARRAY_SIZE(full),
	                              FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	CloseHandle(h);
	if (!n || n >= ARRAY_SIZE(full))
		return NULL;
	return without_long_prefix(full);
}

bool platform_path_within(const char *inner, const char *dir)
{
	size_t n = strlen(dir);

	return starts_with_ci(inner, dir) &&
	       (inner[n] == '\\' || inner[n] == '/' || (n && dir[n - 1] == '\\'));
}

struct platform_lock {
	HANDLE handle;
	HANDLE name_space;
	bool is_mutex;
	bool boundary_supported;
};

/* A private namespace bounded by the Administrators SID: only an
 * administrator can create it, so nobody else can squat on our mutex. */
static HANDLE open_admin_namespace(struct platform_lock *lock, struct sc_err *err)
{
	static const wchar_t alias[] = L"schannelcfg";
	BYTE admins_sid[SECURITY_MAX_SID_SIZE];
	DWORD sid_size = sizeof(admins_sid);
	SECURITY_ATTRIBUTES sa = {0};
	HANDLE boundary, ns = NULL;

	if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, admins_sid, &sid_size)) {
		sc_err_set(err, "CreateWellKnownSid failed (error %lu)", GetLastError());
		return NULL;
	}
	boundary = CreateBoundaryDescriptorW(alias, 0);
	lock->boundary_supported = boundary != NULL;
	if (!boundary)
		return NULL;
	if (!AddSIDToBoundaryDescriptor(&boundary, admins_sid)) {
		sc_err_set(err, "cannot build the lock namespace boundary (error %lu)",
		           GetLastError());
		goto out;
	}
	if (!make_sa(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)", &sa)) {
		sc_err_set(err, "cannot build security descriptor (error %lu)", GetLastError());
		goto out;
	}
	ns = CreatePrivateNamespaceW(&sa, boundary, alias);
	if (!ns && GetLastError() == ERROR_ALREADY_EXISTS)
		ns = OpenPrivateNamespaceW(boundary, alias);
	if (!ns)
		sc_err_set(err, "cannot create or open the lock namespace (error %lu)",
		           GetLastError());
out:
	LocalFree(sa.lpSecurityDescriptor);
	if (boundary)
		DeleteBoundaryDescriptor(boundary);
	return ns;
}

/* Takes a mutex without waiting: SC_OK, or SC_NOT_FOUND when another
 * process holds it. An abandoned mutex (its holder died) is ours now: the
 * snapshot on disk is how that apply's state is recovered. */
static int take_mutex(HANDLE h)
{
	DWORD wait = WaitForSingleObject(h, 0);

	return wait == WAIT_OBJECT_0 || wait == WAIT_ABANDONED ? SC_OK : SC_NOT_FOUND;
}

/* Fallback where private namespaces are not implemented (Wine stubs
 * CreateBoundaryDescriptorW): a Global\ mutex whose DACL admits only SYSTEM
 * and Administrators. Someone else could squat on the name there, which
 * blocks applies (exit 5) but grants nothing; see README "Threat model". */
static HANDLE create_global_mutex(const char *name, struct sc_err *err)
{
	SECURITY_ATTRIBUTES sa = {0};
	char *full = xasprintf("Global\\schannelcfg-%s", name);
	wchar_t *w = wide_of(full, err);
	HANDLE h = NULL;

	free(full);
	if (w && make_sa(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)", &sa))
		h = CreateMutexW(&sa, FALSE, w);
	if (w && !h)
		sc_err_set(err, "CreateMutex failed (error %lu)", GetLastError());
	LocalFree(sa.lpSecurityDescriptor);
	free(w);
	return h;
}

/* Opens or creates the mutex `name` (in the namespace the name says) and
 * takes it. */
static int create_and_take(const char *name, struct platform_lock *lock, struct sc_err *err)
{
	wchar_t *w = wide_of(name, err);

	if (!w)
		return SC_ERROR;
	lock->handle = CreateMutexW(NULL, FALSE, w);
	free(w);
	if (!lock->handle)
		return sc_err_set(err, "CreateMutex failed (error %lu)", GetLastError());
	return take_mutex(lock->handle);
}

static int acquire_mutex(const char *name, struct platform_lock *lock, struct sc_err *err)
{
	lock->name_space = open_admin_namespace(lock, err);
	if (lock->name_space) {
		char *full = xasprintf("schannelcfg\\%s", name);
		int rc = create_and_take(full, lock, err);

		free(full);
		return rc;
	} else if (!lock->boundary_supported) {
		lock->handle = create_global_mutex(name, err);
		if (!lock->handle)
			return GetLastError() == ERROR_ACCESS_DENIED ? SC_NOT_FOUND : SC_ERROR;
	} else {
		return SC_ERROR;
	}
	return take_mutex(lock->handle);
}

/* A state file's lock: a mutex named after the file's resolved path
 * (lower-cased, hashed), so taking it writes nothing, in the
 * administrators' namespace. A process that is not elevated cannot open
 * that namespace; it takes a Local\ (session) mutex: its state file is
 * its own, protected by the file's ACL, and only its own session's
 * applies are serialised. */
static int acquire_state_mutex(const char *path, struct platform_lock *lock, struct sc_err *err)
{
	char *full = platform_realpath(path), hex[65], *name;
	size_t i;
	int rc;

	if (!full)
		return sc_err_set(err, "%s: cannot open for locking (error %lu)", path,
		                  GetLastError());
	for (i = 0; full[i]; i++)
		full[i] = (char)(full[i] >= 'A' && full[i] <= 'Z' ? full[i] + 32 : full[i]);
	sha256_hex(full, strlen(full), hex);
	free(full);
	if (platform_is_elevated()) {
		name = xasprintf("state-%.32s", hex);
		rc = acquire_mutex(name, lock, err);
		free(name);
		return rc;
	}
	name = xasprintf("Local\\schannelcfg-state-%.32s", hex);
	rc = create_and_take(name, lock, err);
	free(name);
	return rc;
}

int platform_lock_acquire(const char *name, bool path_based, struct platform_lock **lock,
                          struct sc_err *err)
{
	struct platform_lock *l = xcalloc(1, sizeof(*l));
	int rc;

	l->is_mutex = true;
	rc = path_based ? acquire_state_mutex(name, l, err) : acquire_mutex(name, l, err);
	if (rc != SC_OK) {
		platform_lock_release(l);
		return rc;
	}
	*lock = l;
	return SC_OK;
}

void platform_lock_release(struct platform_lock *lock)
{
	if (!lock)
		return;
	if (lock->handle && lock->is_mutex)
		ReleaseMutex(lock->handle);
	if (lock->handle)
		CloseHandle(lock->handle);
	if (lock->name_space)
		ClosePrivateNamespace(lock->name_space, 0);
	free(lock);
}

bool platform_os_version(uint32_t *major, uint32_t *minor, uint32_t *build)
{
	typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	rtl_get_version_fn get_version = NULL;
	OSVERSIONINFOW info;

	memset(&info, 0, sizeof(info));
	info.dwOSVersionInfoSize = sizeof(info);

	if (ntdll)
		get_version =
		    (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion");
	if (!get_version || get_version(&info) != 0)
		return false;
	*major = info.dwMajorVersion;
	*minor = info.dwMinorVersion;
	*build = info.dwBuildNumber;
	return true;
}

time_t platform_now(void)
{
	wchar_t buf[32];
	DWORD n = GetEnvironmentVariableW(L"SCHANNELCFG_FAKE_TIME", buf, ARRAY_SIZE(buf));
	uint64_t t;

	/* Tests pin the clock so snapshot ids and golden output are stable. */
	if (n && n < ARRAY_SIZE(buf)) {
		char *s = utf8_of(buf);
		bool ok = parse_u64(s, (uint64_t)INT32_MAX * 4, &t);

		free(s);
		if (ok)
			return (time_t)t;
	}
	return time(NULL);
}

char *platform_user_name(void)
{
	wchar_t name[256], domain[256];
	DWORD name_len = ARRAY_SIZE(name), domain_len = ARRAY_SIZE(domain);
	BYTE buf[512];
	TOKEN_USER *user = (TOKEN_USER *)buf;
	SID_NAME_USE use;
	HANDLE token = NULL;
	DWORD size = 0;
	char *result = NULL;

	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token) &&
	    GetTokenInformation(token, TokenUser, buf, sizeof(buf), &size) &&
	    LookupAccountSidW(NULL, user->User.Sid, name, &name_len, domain, &domain_len, &use)) {
		char *n = utf8_of(name), *d = utf8_of(domain);

		result = xasprintf("%s\\%s", d, n);
		free(n);
		free(d);
	}
	if (token)
		CloseHandle(token);
	return result ? result : xstrdup("unknown");
}

bool platform_is_dir(const char *path)
{
	wchar_t *w = wide_of(path, NULL);
	DWORD attr = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

	free(w);
	return attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY);
}

/* One GetComputerNameExW format, sized by the first call's answer
 * (ERROR_MORE_DATA). */
static char *computer_name_as(COMPUTER_NAME_FORMAT format)
{
	DWORD size = 0;
	wchar_t *buf;
	char *name = NULL;

	if (GetComputerNameExW(format, NULL, &size) || GetLastError() != ERROR_MORE_DATA ||
	    size == 0 || size > 4096)
		return NULL;
	buf = xcalloc((size_t)size + 1, sizeof(*buf));
	if (GetComputerNameExW(format, buf, &size) && size > 0)
		name = utf8_of(buf);
	free(buf);
	return name;
}

char *platform_computer_name(void)
{
	char *name = computer_name_as(ComputerNamePhysicalDnsHostname);

	return name ? name : computer_name_as(ComputerNamePhysicalNetBIOS);
}

void platform_event_log(bool error, const char *message)
{
	HANDLE source = RegisterEventSourceW(NULL, L"schannelcfg");
	wchar_t *w;
	const wchar_t *strings[1];

	if (!source)
		return;
	w = (wchar_t *)utf8_to_utf16(message, strlen(message), NULL);
	if (w) {
		strings[0] = w;
		ReportEventW(source, error ? EVENTLOG_ERROR_TYPE : EVENTLOG_INFORMATION_TYPE, 0,
		             error ? 1001 : 1000, NULL, 1, 0, strings, NULL);
		free(w);
	}
	DeregisterEventSource(source);
}
