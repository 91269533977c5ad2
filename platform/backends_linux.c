/* platform/backends_linux.c: the backend list of a Linux build: the
 * kernel's XFRM first and default, the in-memory one for tests and for
 * running without kernel IPsec (-K mem). */
#include "../core/platform.h"
#include "linux/linux.h"
#include "mem/mem.h"

const struct plat_ops *const plat_backends[] = {
	&plat_linux_ops,
	&plat_mem_ops,
	NULL,
};

const char *
plat_default_backend(void)
{
	return "linux";
}
