/* image.h: an offline installation's paths, and which store opens it. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#ifdef SC_HAVE_HIVEX
#include "backend_hive.h"
#endif

#ifdef _WIN32
#define SEP "\\"
#else
#define SEP "/"
#endif

/* image_dir/parts..., each matched case-insensitively. Stops at the first
 * missing part: NULL with err set, or (missing_ok) the rest as named. */
static char *walk(const char *image_dir, const char *const *parts, size_t nparts, bool missing_ok,
                  struct sc_err *err)
{
	char *dir = xstrdup(image_dir), *next;
	size_t i;

	for (i = 0; i < nparts; i++) {
		struct sc_err ignored = {{0}};

		next = platform_find_ci(dir, parts[i], missing_ok ? &ignored : err);
		if (!next && !missing_ok) {
			free(dir);
			return NULL;
		}
		if (!next)
			next = xasprintf("%s" SEP "%s", dir, parts[i]);
		free(dir);
		dir = next;
	}
	return dir;
}

char *image_hive_path(const char *image_dir, const char *hive, struct sc_err *err)
{
	const char *parts[] = {"Windows", "System32", "config", hive};

	return walk(image_dir, parts, 4, false, err);
}

char *image_machine_folder(const char *image_dir)
{
	static const char *const parts[] = {"ProgramData", "schannelcfg"};

	return walk(image_dir, parts, 2, true, NULL);
}

char *image_snapshot_dir(const char *image_dir)
{
	static const char *const parts[] = {"ProgramData", "schannelcfg", "snapshots"};

	return walk(image_dir, parts, 3, true, NULL);
}

#if defined(SC_HAVE_HIVEX)
struct reg_backend *image_store_open(const char *image_dir, struct sc_err *err)
{
	return hive_store_open(image_dir, err);
}

int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	return hive_store_info(b, info, err);
}
#elif !defined(_WIN32)
struct reg_backend *image_store_open(const char *image_dir, struct sc_err *err)
{
	sc_err_set(err,
	           "%s: this schannelcfg was built without libhivex (make HIVEX=0): --image "
	           "needs it",
	           image_dir);
	return NULL;
}

int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	(void)b;
	(void)info;
	return sc_err_set(err, "built without libhivex");
}
#endif
