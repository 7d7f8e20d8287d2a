/* image.h on Windows: an offline image's hives through RegLoadKeyW. */
#include "image.h"

struct reg_backend *image_store_open(const char *image_dir, struct sc_err *err)
{
	sc_err_set(err, "%s: --image is not available in schannelcfg.exe yet", image_dir);
	return NULL;
}

int image_store_info(const struct reg_backend *b, struct hive_image_info *info, struct sc_err *err)
{
	(void)b;
	(void)info;
	return sc_err_set(err, "not an image's store");
}
