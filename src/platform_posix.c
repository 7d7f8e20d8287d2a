/* platform.h for POSIX hosts: only .reg state files can be managed here. */
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


void platform_init(void)
{
}

void platform_write(int fd, const char *text, size_t len)
{
	FILE *f = fd == 2 ? stderr : stdout;

	fwrite(text, 1, len, f);
	if (fd == 2)
		fflush(f);
}

bool platform_isatty(int fd)
{
	return isatty(fd) != 0;
}

bool platform_color_ok(int fd)
{
	return platform_isatty(fd);
}

bool platform_is_elevated(void)
{
	return geteuid() == 0;
}

struct reg_backend *platform_live_backend(struct sc_err *err)
{
	sc_err_set(err, "the live Windows registry is only available in schannelcfg.exe on "
			"Windows; use --state FILE.reg here");
	return NULL;
}

char *platform_default_snapshot_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (state && *state)
		return xasprintf("%s/schannelcfg/snapshots", state);
	return xasprintf("%s/.local/state/schannelcfg/snapshots", home && *home ? home : ".");
}

int platform_mkdir(const char *path, bool protect, struct sc_err *err)
{
	char *copy = xstrdup(path);
	char *p;
	int rc = SC_OK;

	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;

			*p = '\0';
			if (mkdir(copy, protect ? 0700 : 0755) != 0 && errno != EEXIST) {
				rc = sc_err_set(err, "%s: cannot create folder: %s", copy, strerror(errno));
				break;
			}
			*p = saved;
		}
		if (!*p)
			break;
	}
	free(copy);
	return rc;
}

int platform_write_file(const char *path, const void *data, size_t size, bool protect,
			struct sc_err *err)
{
	return write_file_atomic_mode(path, data, size, protect ? 0600 : 0644, err);
}

char **platform_list_dir(const char *dir, const char *suffix, size_t *count, struct sc_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, slen = strlen(suffix);

	*count = 0;
	if (!d) {
		if (errno == ENOENT)
			return xcalloc(1, sizeof(char *));
		sc_err_set(err, "%s: cannot list folder: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= slen || strcmp(e->d_name + len - slen, suffix))
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	*count = n;
	return names ? names : xcalloc(1, sizeof(char *));
}

char *platform_realpath(const char *path)
{
	char *r = realpath(path, NULL);
	char *copy;

	if (!r)
		return NULL;
	copy = xstrdup(r);
	free(r);
	return copy;
}

bool platform_path_within(const char *inner, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(inner, dir, n) && (inner[n] == '/' || (n && dir[n - 1] == '/'));
}

struct platform_lock {
	int fd;
};

/* The folder of a path ("." for a bare file name). xmalloc'd. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

int platform_lock_acquire(const char *name, bool path_based, struct platform_lock **lock,
			  struct sc_err *err)
{
	/* A state file's lock is its folder: locking creates no file, so a
	 * compliant apply writes nothing at all. */
	char *target = path_based ? folder_of(name) : xasprintf("/tmp/schannelcfg-%s.lock", name);
	int fd = path_based ? open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			    : open(target, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = SC_OK;

	if (fd < 0) {
		rc = sc_err_set(err, "%s: cannot open for locking: %s", target, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? SC_NOT_FOUND
					  : sc_err_set(err, "%s: cannot lock: %s", target, strerror(errno));
		close(fd);
	} else {
		*lock = xmalloc(sizeof(**lock));
		(*lock)->fd = fd;
	}
	free(target);
	return rc;
}

void platform_lock_release(struct platform_lock *lock)
{
	if (!lock)
		return;
	close(lock->fd);
	free(lock);
}

bool platform_os_version(uint32_t *major, uint32_t *minor, uint32_t *build)
{
	(void)major;
	(void)minor;
	(void)build;
	return false;
}

time_t platform_now(void)
{
	const char *fixed = getenv("SCHANNELCFG_FAKE_TIME");
	uint64_t t;

	/* Tests pin the clock so snapshot ids and golden output are stable. */
	if (fixed && parse_u64(fixed, (uint64_t)INT32_MAX * 4, &t))
		return (time_t)t;
	return time(NULL);
}

char *platform_user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return xstrdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

void platform_event_log(bool error, const char *message)
{
	(void)error;
	(void)message;
}
