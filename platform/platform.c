/* platform/platform.c: chooses among the backends built in. */
#include "../core/platform.h"

#include <stdlib.h>
#include <string.h>

#include "../core/err.h"

/* Every backend's state starts with a pointer to its ops. */
struct plat_head {
	const struct plat_ops	*ops;
};

int
plat_open(const char *name, struct event_base *base,
    const struct plat_upcalls *up, struct plat **out)
{
	const struct plat_ops *const *b;

	for (b = plat_backends; *b != NULL; b++) {
		if (strcmp((*b)->name, name) == 0)
			return (*b)->open(out, base, up);
	}
	return IKE_ENOTFOUND;
}

void
plat_close(struct plat *p)
{
	if (p == NULL)
		return;
	((struct plat_head *)(void *)p)->ops->close(p);
}

const char *
plat_name(const struct plat *p)
{
	return ((const struct plat_head *)(const void *)p)->ops->name;
}
