/*
 * platform.h - everything that differs between Windows and a POSIX host.
 *
 * platform_win32.c implements it with Win32; platform_posix.c for the Linux
 * build, where only .reg state files (--state) can be managed.
 * Strings are UTF-8 throughout.
 */
#ifndef SCHANNELCFG_PLATFORM_H
#define SCHANNELCFG_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "backend.h"
#include "util.h"

/* Called once at startup: restricts the DLL search path, sets up the
 * console for UTF-8. */
void platform_init(void);

/* Writes UTF-8 text to stdout (fd 1) or stderr (fd 2). On a Windows console
 * the text is converted to UTF-16 and written with WriteConsoleW. */
void platform_write(int fd, const char *text, size_t len);
/* True if fd 1/2 is an interactive terminal (console). */
bool platform_isatty(int fd);
/* True if fd 1/2 is a terminal that understands ANSI colour sequences. On
 * Windows this switches the console to virtual-terminal processing, which
 * Windows 10 has and Windows 7/8.1 consoles lack (no colour there). */
bool platform_color_ok(int fd);

/* True if the process runs with administrative rights (an elevated token
 * on Windows, uid 0 on POSIX). */
bool platform_is_elevated(void);

/* The live registry (win32 backend) or NULL with an explanation in err on
 * hosts without one. Release with reg_backend_free. */
struct reg_backend *platform_live_backend(struct sc_err *err);

/* Default snapshot folder: %ProgramData%\schannelcfg\snapshots on Windows,
 * $XDG_STATE_HOME/schannelcfg/snapshots (or ~/.local/state/...) elsewhere.
 * xmalloc'd. */
char *platform_default_snapshot_dir(void);

/* Creates a folder (and missing parents). protect: on Windows the folder is
 * created with a DACL granting access only to SYSTEM and Administrators;
 * on POSIX it is created with mode 0700. An existing folder is accepted. */
int platform_mkdir(const char *path, bool protect, struct sc_err *err);

/* write_file_atomic with the same protection as platform_mkdir. */
int platform_write_file(const char *path, const void *data, size_t size, bool protect,
                        struct sc_err *err);

/* Creates a new file with data, never replacing one: a temporary file
 * beside path is written and flushed, then given the name only if no file
 * has it. *exists (not an error) when path was taken; SC_ERROR otherwise on
 * failure. protect as for platform_write_file. */
int platform_create_file(const char *path, const void *data, size_t size, bool protect,
                         bool *exists, struct sc_err *err);

/*
 * Checks that a folder only administrators control, before a live apply
 * or rollback trusts what is in it: its owner is SYSTEM, Administrators,
 * TrustedInstaller (or, elevated, this process's own user), and no other
 * SID may write to it, delete it or change its DACL or owner. SC_OK when
 * trusted; SC_NOT_FOUND when it does not exist; SC_ERROR with the reason
 * and the icacls commands that fix it. (POSIX: owned by root or the
 * effective user, not a symbolic link, no group/other write.)
 */
int platform_check_folder_trust(const char *dir, struct sc_err *err);

/*
 * The machine's snapshot key (32 bytes) that authenticates live-registry
 * snapshots: FOLDER/machine.key, readable by SYSTEM and Administrators only
 * (POSIX: mode 0600, owned by root or the caller). FOLDER is the machine's
 * %ProgramData%\schannelcfg when folder is NULL, or an offline image's
 * ProgramData\schannelcfg (--image: the booted machine then finds the key
 * its image was serviced with). create: made on first use (an elevated
 * apply), with that DACL, in a folder checked with
 * platform_check_folder_trust. SC_OK with key filled; SC_NOT_FOUND when it
 * does not exist and !create; SC_ERROR with a message otherwise. On POSIX
 * hosts, folder NULL (no live registry) is SC_ERROR.
 */
int platform_snapshot_key(const char *folder, bool create, uint8_t key[32], struct sc_err *err);

/* dir's entry called name, matched case-insensitively as on the NTFS volume
 * an offline image comes from (an exact match first): a new path, or NULL
 * with err set when there is none, or when two entries match (POSIX). */
char *platform_find_ci(const char *dir, const char *name, struct sc_err *err);

/* Fills buf with n bytes from the operating system's random generator.
 * Returns false when it cannot (buf is then not random: use none of it). */
bool platform_random(void *buf, size_t n);

/* Where a snapshot's machine identity is read (MachineGuid, REG_SZ, through
 * the live backend): a snapshot from another machine is refused. */
#define MACHINE_GUID_KEY "SOFTWARE\\Microsoft\\Cryptography"

/*
 * Interruptions during a transaction. Between platform_guard_begin and
 * platform_guard_end, Ctrl-C, Ctrl-Break, closing the console, logoff and
 * shutdown (Windows) or SIGINT, SIGTERM, SIGHUP (POSIX) do not end the
 * process: they are recorded, platform_interrupted() says so, and the
 * transaction stops and restores before the process ends (a console close
 * waits for platform_guard_end, within the time Windows allows). After
 * platform_guard_end the default handling is back.
 */
void platform_guard_begin(void);
void platform_guard_end(void);
/* What interrupted the guarded transaction ("SIGTERM", "Ctrl-C", ...), or
 * NULL. */
const char *platform_interrupted(void);

/* Lists the names (not paths) of the files in a folder ending in suffix.
 * Returns an xmalloc'd array (strlist_free), or NULL with err set. A missing
 * folder is an empty list. */
char **platform_list_dir(const char *dir, const char *suffix, size_t *count, struct sc_err *err);

/* Resolves a path to an absolute, canonical one (xmalloc'd), or NULL: every
 * link, 8.3 name and \\?\ spelling resolved (realpath; Windows:
 * GetFinalPathNameByHandleW), so that confinement tests compare the file
 * actually opened. */
char *platform_realpath(const char *path);
/* True if the resolved path `inner` lies below the resolved folder `dir`,
 * comparing names as the file system does (case-insensitively on Windows,
 * exactly elsewhere). */
bool platform_path_within(const char *inner, const char *dir);

/* An exclusive, non-blocking lock that writes nothing. name: a mutex name
 * (on Windows created in a namespace only administrators can create in);
 * or, when path_based, the path of a .reg state file, resolved (links,
 * 8.3 names): POSIX flock()s the file itself (and checks that the name
 * still leads to the locked file, which a finished apply's rename
 * replaces), Windows takes a mutex named after the resolved path in the
 * administrators' namespace (a non-elevated process, which cannot open
 * it, a Local\ one). Taken before the state file is read, so that the
 * read-modify-write is one. SC_OK and *lock set; SC_NOT_FOUND if someone
 * else holds it ("busy"); SC_ERROR otherwise (a missing file). */
struct platform_lock;
int platform_lock_acquire(const char *name, bool path_based, struct platform_lock **lock,
                          struct sc_err *err);
void platform_lock_release(struct platform_lock *lock);

/* Windows version: RtlGetVersion on Windows (GetVersionEx lies to
 * unmanifested programs); false on other hosts. */
bool platform_os_version(uint32_t *major, uint32_t *minor, uint32_t *build);

/* Current UTC time. */
time_t platform_now(void);

/* "DOMAIN\user" (Windows) or the login name; xmalloc'd, never NULL. */
char *platform_user_name(void);

/* The computer's name, for reports (docs/json.md "machine"): the physical
 * DNS host name (GetComputerNameExW, ComputerNamePhysicalDnsHostname, not
 * a cluster's virtual name), else the NetBIOS name; gethostname() on
 * POSIX. xmalloc'd, or NULL when it cannot be read. */
char *platform_computer_name(void);

/* True if path names an existing folder (a link to one counts). */
bool platform_is_dir(const char *path);

/* Writes one Application-log event (source "schannelcfg"). Failures are
 * ignored by design: logging must never fail an apply. */
void platform_event_log(bool error, const char *message);

#endif
