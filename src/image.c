/* image.h: an offline installation's paths, and which store opens it. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "regvalue.h"
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

char *image_config_dir(const char *image_dir, struct sc_err *err)
{
	static const char *const parts[] = {"Windows", "System32", "config"};

	return walk(image_dir, parts, 3, false, err);
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
struct reg_backend *image_store_open(const char *image_dir, bool *refused, struct sc_err *err)
{
	*refused = false;
	return hive_store_open(image_dir, err);
}

int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	return hive_store_info(b, info, err);
}
#elif !defined(_WIN32)
struct reg_backend *image_store_open(const char *image_dir, bool *refused, struct sc_err *err)
{
	*refused = false;
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

/* ---- what the image says about itself --------------------------------- */

/* A REG_SZ holding a decimal number (CurrentBuildNumber), or "M.N". */
static bool string_number(const struct reg_value *v, uint32_t *a, uint32_t *b)
{
	char *s, *dot;
	uint64_t x, y = 0;
	bool ok;

	if (v->type != RV_SZ)
		return false;
	s = regvalue_get_string(v);
	dot = b ? strchr(s, '.') : NULL;
	if (dot)
		*dot = '\0';
	ok = parse_u64(s, UINT32_MAX, &x) && (!b || (dot && parse_u64(dot + 1, UINT32_MAX, &y)));
	free(s);
	if (ok) {
		*a = (uint32_t)x;
		if (b)
			*b = (uint32_t)y;
	}
	return ok;
}

/* PROCESSOR_ARCHITECTURE where the image keeps it (the Session Manager
 * environment); without it, a Wow6432Node key says 64-bit
 * (docs/offline-images.md: UNCONFIRMED which one Windows itself reads). */
static void find_architecture(const struct reg_backend *b, struct hive_image_info *info)
{
	static const char env[] =
	    "SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment";
	struct reg_value v = {0};
	struct sc_err err = {{0}};

	if (reg_read_value_at(b, REG_VIEW_64, env, "PROCESSOR_ARCHITECTURE", &v, &err) == SC_OK &&
	    (v.type == RV_SZ || v.type == RV_EXPAND_SZ))
		info->architecture = regvalue_get_string(&v);
	regvalue_free(&v);
	if (info->architecture &&
	    (streq_ci(info->architecture, "AMD64") || streq_ci(info->architecture, "ARM64") ||
	     streq_ci(info->architecture, "IA64")))
		info->wow64 = true; /* the 64-bit architectures, which have WOW64 */
	else if (info->architecture &&
	         (streq_ci(info->architecture, "x86") || streq_ci(info->architecture, "ARM")))
		info->wow64 = false;
	else
		info->wow64 =
		    reg_key_exists(b, REG_VIEW_64, "SOFTWARE\\Wow6432Node", &err) == SC_OK;
}

/* CurrentMajor/MinorVersionNumber where present (10 and later), else
 * CurrentVersion ("6.1"), and CurrentBuildNumber. */
static void find_os(const struct reg_backend *b, struct hive_image_info *info)
{
	static const char cv[] = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
	struct reg_value major = {0}, minor = {0}, version = {0}, build = {0};
	struct sc_err err = {{0}};
	uint32_t m, n;

	if (reg_read_value_at(b, REG_VIEW_64, cv, "CurrentBuildNumber", &build, &err) != SC_OK ||
	    !string_number(&build, &info->build, NULL))
		goto out;
	if (reg_read_value_at(b, REG_VIEW_64, cv, "CurrentMajorVersionNumber", &major, &err) ==
	        SC_OK &&
	    reg_read_value_at(b, REG_VIEW_64, cv, "CurrentMinorVersionNumber", &minor, &err) ==
	        SC_OK &&
	    regvalue_get_dword(&major, &m) && regvalue_get_dword(&minor, &n)) {
		info->major = m;
		info->minor = n;
		info->have_os = true;
	} else if (reg_read_value_at(b, REG_VIEW_64, cv, "CurrentVersion", &version, &err) ==
	               SC_OK &&
	           string_number(&version, &m, &n)) {
		info->major = m;
		info->minor = n;
		info->have_os = true;
	}
out:
	regvalue_free(&major);
	regvalue_free(&minor);
	regvalue_free(&version);
	regvalue_free(&build);
}

int image_read_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	(void)err; /* what is missing is left unknown, never an error */
	memset(info, 0, sizeof(*info));
	find_architecture(b, info);
	find_os(b, info);
	return SC_OK;
}
