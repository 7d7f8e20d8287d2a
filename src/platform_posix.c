/* platform.h for POSIX hosts: only .reg state files can be managed here. */
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
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

	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;

			*p = '\0';
			if (mkdir(copy, protect ? 0700 : 0755) != 0 && errno != EEXIST) {
				rc = sc_err_set(err, "%s: cannot create folder: %s", copy,
				                strerror(errno));
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

int platform_create_file(const char *path, const void *data, size_t size, bool protect,
                         bool *exists, struct sc_err *err)
{
	return write_file_new_mode(path, data, size, protect ? 0600 : 0644, exists, err);
}

int platform_check_folder_trust(const char *dir, struct sc_err *err)
{
	struct stat st;

	if (lstat(dir, &st) != 0)
		return errno == ENOENT ? SC_NOT_FOUND
		                       : sc_err_set(err, "%s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return sc_err_set(err, "%s: is a symbolic link; refusing to trust what it leads to",
		                  dir);
	if (!S_ISDIR(st.st_mode))
		return sc_err_set(err, "%s: not a folder", dir);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return sc_err_set(err,
		                  "%s: owned by uid %ld, not by root or you; fix: chown root "
		                  "'%s'",
		                  dir, (long)st.st_uid, dir);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return sc_err_set(err,
		                  "%s: others may write to it (mode %03o); fix: chmod go-w '%s'",
		                  dir, (unsigned)(st.st_mode & 0777), dir);
	return SC_OK;
}

/* The key file as platform_check_folder_trust would trust a folder, but
 * stricter: nobody else may read it either. */
static int read_key_file(const char *path, uint8_t key[32], struct sc_err *err)
{
	struct stat st;
	size_t size = 0;
	char *data;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? SC_NOT_FOUND
		                       : sc_err_set(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sc_err_set(err, "%s: not a regular file; not used as the snapshot key",
		                  path);
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 077))
		return sc_err_set(err,
		                  "%s: others may read or write it (mode %03o, uid %ld); not "
		                  "used as the snapshot key",
		                  path, (unsigned)(st.st_mode & 0777), (long)st.st_uid);
	if (!(data = read_file(path, 64, &size, err)))
		return SC_ERROR;
	if (size == 32)
		memcpy(key, data, 32);
	memset(data, 0, size);
	free(data);
	return size == 32 ? SC_OK
	                  : sc_err_set(err, "%s: not a snapshot key (%zu bytes)", path, size);
}

int platform_snapshot_key(const char *folder, bool create, uint8_t key[32], struct sc_err *err)
{
	char *path;
	bool exists = false;
	int rc;

	if (!folder)
		return sc_err_set(err,
		                  "no live registry here: live snapshots exist only on Windows");
	rc = platform_check_folder_trust(folder, err);
	if (rc == SC_NOT_FOUND && create && (rc = platform_mkdir(folder, true, err)) == SC_OK)
		rc = platform_check_folder_trust(folder, err);
	if (rc == SC_NOT_FOUND)
		return sc_err_set(err, "no folder %s: no apply has written a snapshot here",
		                  folder);
	if (rc != SC_OK)
		return rc;
	path = xasprintf("%s/machine.key", folder);
	rc = read_key_file(path, key, err);
	if (rc == SC_NOT_FOUND && create) {
		if (!platform_random(key, 32))
			rc = sc_err_set(err, "cannot get random bytes for the snapshot key");
		else if ((rc = platform_create_file(path, key, 32, true, &exists, err)) == SC_OK &&
		         exists) /* another apply made it first */
			rc = read_key_file(path, key, err);
	}
	if (rc == SC_NOT_FOUND)
		sc_err_set(err, "%s does not exist: no apply has written a snapshot here", path);
	free(path);
	return rc;
}

char *platform_find_ci(const char *dir, const char *name, struct sc_err *err)
{
	char *exact = xasprintf("%s/%s", dir, name), *found = NULL;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (lstat(exact, &st) == 0)
		return exact;
	free(exact);
	if (!(d = opendir(dir))) {
		sc_err_set(err, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (!streq_ci(e->d_name, name))
			continue;
		if (found) {
			sc_err_set(err,
			           "%s: both %s and %s name %s; which one Windows uses is unknown",
			           dir, strrchr(found, '/') + 1, e->d_name, name);
			free(found);
			found = NULL;
			break;
		}
		found = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (!found && !err->msg[0])
		sc_err_set(err,
		           "%s/%s: no such file or folder (is %s the root of an offline Windows "
		           "installation?)",
		           dir, name, dir);
	return found;
}

bool platform_random(void *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	uint8_t *p = buf;
	bool ok = fd >= 0;

	while (ok && n) {
		ssize_t got = read(fd, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		ok = got > 0;
		if (ok) {
			p += got;
			n -= (size_t)got;
		}
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static volatile sig_atomic_t interrupted_by;
static const int guarded_signals[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction saved_actions[ARRAY_SIZE(guarded_signals)];

static void note_signal(int sig)
{
	interrupted_by = sig;
}

void platform_guard_begin(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal;
	sigemptyset(&sa.sa_mask);
	interrupted_by = 0;
	for (i = 0; i < ARRAY_SIZE(guarded_signals); i++)
		sigaction(guarded_signals[i], &sa, &saved_actions[i]);
}

void platform_guard_end(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(guarded_signals); i++)
		sigaction(guarded_signals[i], &saved_actions[i], NULL);
}

const char *platform_interrupted(void)
{
	switch (interrupted_by) {
	case 0: return NULL;
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	default: return "SIGHUP";
	}
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

/* Locks the state file itself: taking the lock creates nothing, and only
 * who may open the file can hold it (a folder such as /tmp anyone can
 * lock). A finished apply renames a new file over the name, so a lock
 * taken on the old file is retaken on the name's current file. */
static int lock_state_file(const char *path, int *out, struct sc_err *err)
{
	char *real = platform_realpath(path);
	int attempt, rc = SC_ERROR;

	if (!real)
		return sc_err_set(err, "%s: cannot open for locking: %s", path, strerror(errno));
	for (attempt = 0; attempt < 5 && rc == SC_ERROR; attempt++) {
		struct stat held, named;
		int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

		if (fd < 0 || fstat(fd, &held) != 0 ||
		    !(S_ISREG(held.st_mode) || S_ISDIR(held.st_mode))) {
			rc =
			    sc_err_set(err, "%s: cannot lock: %s", path,
			               fd < 0 ? strerror(errno) : "not a regular file or a folder");
			if (fd >= 0)
				close(fd);
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			rc = errno == EWOULDBLOCK
			         ? SC_NOT_FOUND
			         : sc_err_set(err, "%s: cannot lock: %s", path, strerror(errno));
			close(fd);
			break;
		}
		if (stat(real, &named) == 0 && named.st_ino == held.st_ino &&
		    named.st_dev == held.st_dev) {
			*out = fd;
			rc = SC_OK;
		} else {
			close(fd);
			sc_err_set(err, "%s: the file kept changing while it was being locked",
			           path);
		}
	}
	free(real);
	return rc;
}

int platform_lock_acquire(const char *name, bool path_based, struct platform_lock **lock,
                          struct sc_err *err)
{
	char *target;
	int fd = -1, rc = SC_OK;

	if (path_based) {
		rc = lock_state_file(name, &fd, err);
	} else {
		target = xasprintf("/tmp/schannelcfg-%s.lock", name);
		fd = open(target, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			rc = sc_err_set(err, "%s: cannot open for locking: %s", target,
			                strerror(errno));
		else if (flock(fd, LOCK_EX | LOCK_NB) != 0)
			rc = errno == EWOULDBLOCK
			         ? SC_NOT_FOUND
			         : sc_err_set(err, "%s: cannot lock: %s", target, strerror(errno));
		if (rc != SC_OK && fd >= 0)
			close(fd);
		free(target);
	}
	if (rc != SC_OK)
		return rc;
	*lock = xmalloc(sizeof(**lock));
	(*lock)->fd = fd;
	return SC_OK;
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

bool platform_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *platform_computer_name(void)
{
	char name[256];

	/* gethostname may leave a truncated name unterminated. */
	if (gethostname(name, sizeof(name) - 1))
		return NULL;
	name[sizeof(name) - 1] = '\0';
	return name[0] ? xstrdup(name) : NULL;
}

void platform_event_log(bool error, const char *message)
{
	(void)error;
	(void)message;
}
