/* platform/backends_mem.c: the backend list of a build with only the
 * in-memory backend (tests, and systems without a kernel backend yet). */
#include "../core/platform.h"
#include "mem/mem.h"

const struct plat_ops *const plat_backends[] = {
	&plat_mem_ops,
	NULL,
};

const char *
plat_default_backend(void)
{
	return "mem";
}
