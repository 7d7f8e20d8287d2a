/* Whole-file reads and atomic writes, for both builds. Paths are UTF-8. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

void file_origin_free(struct file_origin *origin)
{
	if (!origin)
		return;
	free(origin->target);
	memset(origin, 0, sizeof(*origin));
}

/* Reads until EOF into a buffer sized for the `expect` bytes the file had
 * when measured; it may have grown since, so the limit is checked as we go
 * (one byte of room beyond max_size tells "larger" from "exactly max"). */
typedef long (*read_fn)(void *handle, char *buf, size_t want);

static char *read_all(read_fn rd, void *handle, const char *path, size_t expect, size_t max_size,
                      size_t *size, struct sc_err *err)
{
	size_t cap = (expect < max_size ? expect : max_size) + 1, len = 0;
	char *buf = malloc(cap + 1), *p;
	long n;

	if (!buf)
		goto oom;
	while ((n = rd(handle, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len < cap)
			continue;
		if (cap > max_size) {
			sc_err_set(err, "%s: file larger than %zu bytes", path, max_size);
			goto fail;
		}
		cap = cap > max_size / 2 ? max_size + 1 : cap * 2;
		p = realloc(buf, cap + 1);
		if (!p)
			goto oom;
		buf = p;
	}
	if (n < 0) {
		sc_err_set(err, "%s: read error: %s", path, strerror(errno));
		goto fail;
	}
	buf[len] = '\0';
	*size = len;
	return buf;
oom:
	sc_err_set(err, "%s: out of memory reading the file", path);
fail:
	free(buf);
	return NULL;
}

#ifdef _WIN32
static wchar_t *wide_path(const char *path, struct sc_err *err)
{
	wchar_t *w = (wchar_t *)utf8_to_utf16(path, strlen(path), NULL);

	if (!w)
		sc_err_set(err, "%s: path is not valid UTF-8", path);
	return w;
}

static int win_error(struct sc_err *err, const char *path, const char *what)
{
	return sc_err_set(err, "%s: %s failed (Windows error %lu)", path, what, GetLastError());
}

static long read_win(void *handle, char *buf, size_t want)
{
	DWORD got = 0;

	if (want > 0x40000000)
		want = 0x40000000;
	if (!ReadFile((HANDLE)handle, buf, (DWORD)want, &got, NULL)) {
		errno = EIO;
		return -1;
	}
	return (long)got;
}

/* The file the handle really is (symlinks and junctions followed), as
 * "\\?\C:\...": a rewrite then lands on the target, not on the link. */
static char *final_path(HANDLE h)
{
	DWORD n = GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED), got = 0;
	wchar_t *w = n ? malloc((n + 1) * sizeof(wchar_t)) : NULL;
	char *utf8 = NULL;

	if (w)
		got = GetFinalPathNameByHandleW(h, w, n + 1, FILE_NAME_NORMALIZED);
	if (got && got <= n)
		utf8 = utf16_to_utf8((const uint16_t *)w, got, NULL);
	free(w);
	return utf8;
}

/* Only disk files: a named pipe or a console would block or never end. */
static int check_regular_win(HANDLE h, const char *path, struct sc_err *err)
{
	BY_HANDLE_FILE_INFORMATION info;

	if (GetFileType(h) != FILE_TYPE_DISK)
		return sc_err_set(err, "%s: not a regular file", path);
	if (!GetFileInformationByHandle(h, &info))
		return win_error(err, path, "GetFileInformationByHandle");
	if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		return sc_err_set(err, "%s: not a regular file (a directory)", path);
	return SC_OK;
}

char *read_file_origin(const char *path, size_t max_size, size_t *size, struct file_origin *origin,
                       struct sc_err *err)
{
	wchar_t *w = wide_path(path, err);
	HANDLE h;
	LARGE_INTEGER len;
	char *data = NULL;

	if (origin)
		memset(origin, 0, sizeof(*origin));
	if (!w)
		return NULL;
	/* BACKUP_SEMANTICS opens a directory too, so it is refused by name. */
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
	                NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		win_error(err, path, "opening");
		return NULL;
	}
	if (check_regular_win(h, path, err) != SC_OK)
		goto out;
	if (!GetFileSizeEx(h, &len)) {
		win_error(err, path, "GetFileSizeEx");
		goto out;
	}
	if ((unsigned long long)len.QuadPart > max_size) {
		sc_err_set(err, "%s: file larger than %zu bytes", path, max_size);
		goto out;
	}
	data = read_all(read_win, h, path, (size_t)len.QuadPart, max_size, size, err);
	if (data && origin) {
		origin->target = final_path(h);
		if (!origin->target)
			origin->target = xstrdup(path);
		origin->known = true;
	}
out:
	CloseHandle(h);
	return data;
}

static int write_all_win(HANDLE h, const void *data, size_t size, const char *path,
                         struct sc_err *err)
{
	const char *p = data;

	while (size) {
		DWORD chunk = size > 0x40000000 ? 0x40000000 : (DWORD)size, written = 0;

		if (!WriteFile(h, p, chunk, &written, NULL) || !written)
			return win_error(err, path, "WriteFile");
		p += written;
		size -= written;
	}
	if (!FlushFileBuffers(h))
		return win_error(err, path, "FlushFileBuffers");
	return SC_OK;
}

/* Writes tmp (created new, with `security`), flushed; SC_OK or SC_ERROR. */
static int write_tmp_win(const wchar_t *wtmp, const char *tmp, const void *data, size_t size,
                         void *security, struct sc_err *err)
{
	HANDLE h = CreateFileW(wtmp, GENERIC_WRITE, 0, (SECURITY_ATTRIBUTES *)security, CREATE_NEW,
	                       FILE_ATTRIBUTE_NORMAL, NULL);
	int rc;

	if (h == INVALID_HANDLE_VALUE)
		return win_error(err, tmp, "CreateFile");
	rc = write_all_win(h, data, size, tmp, err);
	CloseHandle(h);
	return rc;
}

/* Writes a temporary file beside path (created new, with `security`),
 * flushed, then moves it to path: replacing a file there (replace), or only
 * if the name is free (*exists otherwise: the name is never taken over). */
static int write_and_move_win(const char *path, const void *data, size_t size, void *security,
                              bool replace, bool *exists, struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%lu", path, GetCurrentProcessId());
	wchar_t *wtmp = wide_path(tmp, err), *wpath = wide_path(path, err);
	DWORD flags = MOVEFILE_WRITE_THROUGH | (replace ? MOVEFILE_REPLACE_EXISTING : 0);
	int rc = SC_ERROR;

	*exists = false;
	if (!wtmp || !wpath)
		goto out;
	rc = write_tmp_win(wtmp, tmp, data, size, security, err);
	if (rc == SC_OK && !MoveFileExW(wtmp, wpath, flags)) {
		DWORD e = GetLastError();

		if (!replace && (e == ERROR_ALREADY_EXISTS || e == ERROR_FILE_EXISTS))
			*exists = true;
		else
			rc = win_error(err, path, "MoveFileEx");
	}
	if (rc != SC_OK || *exists)
		DeleteFileW(wtmp);
out:
	free(wtmp);
	free(wpath);
	free(tmp);
	return rc;
}

int write_file_atomic_sa(const char *path, const void *data, size_t size, void *security,
                         struct sc_err *err)
{
	bool exists;

	return write_and_move_win(path, data, size, security, true, &exists, err);
}

int write_file_atomic(const char *path, const void *data, size_t size, struct sc_err *err)
{
	return write_file_atomic_sa(path, data, size, NULL, err);
}

int write_file_new_sa(const char *path, const void *data, size_t size, void *security, bool *exists,
                      struct sc_err *err)
{
	return write_and_move_win(path, data, size, security, false, exists, err);
}

/* ReplaceFileW keeps the replaced file's security descriptor, attributes
 * and streams. Where it cannot work (some network and FAT volumes, a
 * target that vanished) a plain replacing rename still commits the data;
 * the file then has the folder's inherited ACL. */
static int replace_win(const wchar_t *wtarget, const wchar_t *wtmp, const char *target,
                       struct sc_err *err)
{
	DWORD replace_error;

	if (ReplaceFileW(wtarget, wtmp, NULL, REPLACEFILE_IGNORE_MERGE_ERRORS, NULL, NULL))
		return SC_OK;
	replace_error = GetLastError();
	if (MoveFileExW(wtmp, wtarget, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		return SC_OK;
	return sc_err_set(err,
	                  "%s: ReplaceFile failed (Windows error %lu), then MoveFileEx "
	                  "(Windows error %lu)",
	                  target, replace_error, GetLastError());
}

int write_file_replace(const struct file_origin *origin, const void *data, size_t size,
                       struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%lu", origin->target, GetCurrentProcessId());
	wchar_t *wtmp = wide_path(tmp, err), *wtarget = wide_path(origin->target, err);
	int rc = SC_ERROR;

	if (!wtmp || !wtarget)
		goto out;
	rc = write_tmp_win(wtmp, tmp, data, size, NULL, err);
	if (rc == SC_OK)
		rc = replace_win(wtarget, wtmp, origin->target, err);
	if (rc != SC_OK)
		DeleteFileW(wtmp);
out:
	free(wtmp);
	free(wtarget);
	free(tmp);
	return rc;
}
#else
static long read_fd(void *handle, char *buf, size_t want)
{
	ssize_t n;

	do
		n = read(*(int *)handle, buf, want);
	while (n < 0 && errno == EINTR);
	return (long)n;
}

/* Opening never blocks (O_NONBLOCK: a FIFO without a writer would wait
 * forever; O_NOCTTY: a terminal must not become ours), and anything but a
 * regular file is refused before the first read. */
static int open_regular(const char *path, struct stat *st, struct sc_err *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		sc_err_set(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		sc_err_set(err, "%s: cannot stat: %s", path, strerror(errno));
	} else if (S_ISDIR(st->st_mode)) {
		sc_err_set(err, "%s: not a regular file (a directory)", path);
	} else if (!S_ISREG(st->st_mode)) {
		sc_err_set(err, "%s: not a regular file", path);
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

char *read_file_origin(const char *path, size_t max_size, size_t *size, struct file_origin *origin,
                       struct sc_err *err)
{
	struct stat st;
	int fd;
	char *data = NULL;

	if (origin)
		memset(origin, 0, sizeof(*origin));
	fd = open_regular(path, &st, err);
	if (fd < 0)
		return NULL;
	if ((unsigned long long)st.st_size > max_size)
		sc_err_set(err, "%s: file larger than %zu bytes", path, max_size);
	else
		data = read_all(read_fd, &fd, path, (size_t)st.st_size, max_size, size, err);
	if (data && origin) {
		/* realpath of the name just opened: the link could be swapped
		 * in between, but then the new link's target is what a rename
		 * through the link would also have replaced. */
		origin->target = realpath(path, NULL);
		if (!origin->target)
			origin->target = xstrdup(path);
		origin->mode = (unsigned)(st.st_mode & 07777);
		origin->uid = (unsigned long)st.st_uid;
		origin->gid = (unsigned long)st.st_gid;
		origin->known = true;
	}
	close(fd);
	return data;
}

static int write_all_fd(int fd, const void *data, size_t size, const char *path, struct sc_err *err)
{
	const char *p = data;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sc_err_set(err, "%s: write failed: %s", path, strerror(errno));
		p += n;
		size -= (size_t)n;
	}
	if (fsync(fd) != 0)
		return sc_err_set(err, "%s: fsync failed: %s", path, strerror(errno));
	return SC_OK;
}

/* Owner first: chown may clear set-id bits, which fchmod then restores.
 * Only root can give a file away; anyone else keeps their own uid. */
static int keep_owner_and_mode(int fd, const struct file_origin *o, const char *tmp,
                               struct sc_err *err)
{
	if (!o)
		return SC_OK;
	if (geteuid() == 0 && fchown(fd, (uid_t)o->uid, (gid_t)o->gid) != 0)
		return sc_err_set(err, "%s: cannot keep the owner: %s", tmp, strerror(errno));
	if (fchmod(fd, (mode_t)o->mode) != 0)
		return sc_err_set(err, "%s: cannot keep the mode: %s", tmp, strerror(errno));
	return SC_OK;
}

/* Writes data to tmp, then renames it onto path. `origin` (or NULL) gives
 * the owner and mode; otherwise the file gets `mode`. */
static int replace_posix(const char *path, const void *data, size_t size, int mode,
                         const struct file_origin *origin, struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, origin ? 0600 : mode);
	int rc;

	if (fd < 0) {
		rc = sc_err_set(err, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = keep_owner_and_mode(fd, origin, tmp, err);
	if (rc == SC_OK)
		rc = write_all_fd(fd, data, size, tmp, err);
	if (close(fd) != 0 && rc == SC_OK)
		rc = sc_err_set(err, "%s: close failed: %s", tmp, strerror(errno));
	if (rc == SC_OK && rename(tmp, path) != 0)
		rc = sc_err_set(err, "%s: rename failed: %s", path, strerror(errno));
	if (rc != SC_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

int write_file_atomic_mode(const char *path, const void *data, size_t size, int mode,
                           struct sc_err *err)
{
	return replace_posix(path, data, size, mode, NULL, err);
}

int write_file_new_mode(const char *path, const void *data, size_t size, int mode, bool *exists,
                        struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	int rc;

	*exists = false;
	if (fd < 0) {
		rc = sc_err_set(err, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = write_all_fd(fd, data, size, tmp, err);
	if (close(fd) != 0 && rc == SC_OK)
		rc = sc_err_set(err, "%s: close failed: %s", tmp, strerror(errno));
	/* link() fails with EEXIST instead of replacing: the name is given
	 * once, atomically, to a complete file. */
	if (rc == SC_OK && link(tmp, path) != 0) {
		if (errno == EEXIST)
			*exists = true;
		else
			rc = sc_err_set(err, "%s: cannot create: %s", path, strerror(errno));
	}
	unlink(tmp);
	free(tmp);
	return rc;
}

int write_file_atomic(const char *path, const void *data, size_t size, struct sc_err *err)
{
	return write_file_atomic_mode(path, data, size, 0644, err);
}

int write_file_replace(const struct file_origin *origin, const void *data, size_t size,
                       struct sc_err *err)
{
	return replace_posix(origin->target, data, size, 0644, origin, err);
}
#endif

char *read_file(const char *path, size_t max_size, size_t *size, struct sc_err *err)
{
	return read_file_origin(path, max_size, size, NULL, err);
}
