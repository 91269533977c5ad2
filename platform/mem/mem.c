/* platform/mem/mem.c: the in-memory backend.  It keeps what the core asks
 * the kernel to do in tables of its own, so that two daemons can negotiate
 * without a kernel.  Grows with platform.h. */
#include "mem.h"

#include <stdlib.h>

#include "../../core/err.h"

struct plat {
	const struct plat_ops	*ops;	/* must stay first */
	struct event_base	*base;	/* borrowed */
	struct plat_upcalls	 up;
};

static int
mem_open(struct plat **out, struct event_base *base,
    const struct plat_upcalls *up)
{
	struct plat *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return IKE_ENOMEM;
	p->ops = &plat_mem_ops;
	p->base = base;
	if (up != NULL)
		p->up = *up;
	*out = p;
	return 0;
}

static void
mem_close(struct plat *p)
{
	free(p);
}

const struct plat_ops plat_mem_ops = {
	.name = "mem",
	.open = mem_open,
	.close = mem_close,
};
