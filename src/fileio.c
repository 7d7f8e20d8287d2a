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
#endif

static char *read_stream(FILE *f, const char *path, size_t max_size, size_t *size,
			 struct sc_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb.len + n > max_size) {
			sb_free(&sb);
			sc_err_set(err, "%s: file larger than %zu bytes", path, max_size);
			return NULL;
		}
		sb_add(&sb, chunk, n);
	}
	if (ferror(f)) {
		sb_free(&sb);
		sc_err_set(err, "%s: read error: %s", path, strerror(errno));
		return NULL;
	}
	*size = sb.len;
	return sb_detach(&sb);
}

char *read_file(const char *path, size_t max_size, size_t *size, struct sc_err *err)
{
	FILE *f;
	char *data;

#ifdef _WIN32
	wchar_t *w = wide_path(path, err);

	if (!w)
		return NULL;
	f = _wfopen(w, L"rb");
	free(w);
#else
	f = fopen(path, "rb");
#endif
	if (!f) {
		sc_err_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	data = read_stream(f, path, max_size, size, err);
	fclose(f);
	return data;
}

#ifdef _WIN32
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

int write_file_atomic_sa(const char *path, const void *data, size_t size, void *security,
			 struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%lu", path, GetCurrentProcessId());
	wchar_t *wtmp = wide_path(tmp, err), *wpath = wide_path(path, err);
	HANDLE h = INVALID_HANDLE_VALUE;
	int rc = SC_ERROR;

	if (!wtmp || !wpath)
		goto out;
	h = CreateFileW(wtmp, GENERIC_WRITE, 0, (SECURITY_ATTRIBUTES *)security, CREATE_NEW,
			FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		win_error(err, tmp, "CreateFile");
		goto out;
	}
	rc = write_all_win(h, data, size, tmp, err);
	CloseHandle(h);
	if (rc == SC_OK && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = win_error(err, path, "MoveFileEx");
	if (rc != SC_OK)
		DeleteFileW(wtmp);
out:
	free(wtmp);
	free(wpath);
	free(tmp);
	return rc;
}

int write_file_atomic(const char *path, const void *data, size_t size, struct sc_err *err)
{
	return write_file_atomic_sa(path, data, size, NULL, err);
}
#else
static int write_all_fd(int fd, const void *data, size_t size, const char *path,
			struct sc_err *err)
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

int write_file_atomic_mode(const char *path, const void *data, size_t size, int mode,
			   struct sc_err *err)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	int rc;

	if (fd < 0) {
		rc = sc_err_set(err, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
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

int write_file_atomic(const char *path, const void *data, size_t size, struct sc_err *err)
{
	return write_file_atomic_mode(path, data, size, 0644, err);
}
#endif
