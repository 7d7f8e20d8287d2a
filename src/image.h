/*
 * image.h - an offline Windows installation (`--image DIR`, issue 15):
 * where its files are, and its registry as a store.
 *
 * DIR is the root of the installation (a DISM-mounted WIM/VHDX, or a
 * Linux pipeline's copy of the disk's files): it holds
 * Windows\System32\config\SYSTEM and SOFTWARE. Components are matched
 * case-insensitively (platform_find_ci), as Windows matches them on NTFS.
 * docs/offline-images.md has the facts the stores rely on.
 */
#ifndef SCHANNELCFG_IMAGE_H
#define SCHANNELCFG_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

/* What the image says about itself. Strings belong to the store. */
struct hive_image_info {
	unsigned control_set;     /* Select\Current: N of ControlSet00N */
	bool wow64;               /* a 64-bit image: SOFTWARE\Wow6432Node is the 32-bit view */
	const char *architecture; /* PROCESSOR_ARCHITECTURE ("AMD64", "x86", ...) or NULL */
	/* The image's Windows version, from SOFTWARE\Microsoft\Windows NT\
	 * CurrentVersion: CurrentMajorVersionNumber/CurrentMinorVersionNumber
	 * where present (10 and later), else CurrentVersion ("6.1"), and
	 * CurrentBuildNumber. have_os is false when they are missing or
	 * malformed. */
	bool have_os;
	uint32_t major, minor, build;
	const char *system_path; /* the hive files, as found */
	const char *software_path;
};

/* DIR\Windows\System32\config: NULL with err set when it is not there. */
char *image_config_dir(const char *image_dir, struct sc_err *err);

/* DIR\Windows\System32\config\HIVE ("SYSTEM", "SOFTWARE"): NULL with err
 * set when DIR is not a folder or the file is not there. */
char *image_hive_path(const char *image_dir, const char *hive, struct sc_err *err);

/* DIR\ProgramData\schannelcfg (the image's machine folder: machine.key)
 * and DIR\ProgramData\schannelcfg\snapshots, where the booted machine
 * will look for them (platform_default_snapshot_dir). Existing components
 * as found, missing ones as named. */
char *image_machine_folder(const char *image_dir);
char *image_snapshot_dir(const char *image_dir);

/* Reads the architecture (wow64, architecture malloc'd: the caller's) and
 * the Windows version into *info (the other fields zero) through a store
 * in live names. What the image does not say is left unknown (have_os
 * false; architecture NULL and wow64 from the Wow6432Node key). */
int image_read_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err);

/* The image's registry in live names (backend_hive.h natively; the hives
 * loaded with RegLoadKeyW on Windows): NULL with err set, and *refused
 * when it is a refusal (exit 5: privileges missing) rather than bad input. */
struct reg_backend *image_store_open(const char *image_dir, bool *refused, struct sc_err *err);
int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err);

#endif
