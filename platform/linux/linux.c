/* platform/linux/linux.c: the Linux backend's opening, closing and ops
 * table; the work is in xfrm_sa.c, xfrm_policy.c, xfrm_events.c and
 * socket.c. */
#include "linux.h"

#include <stdlib.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../../core/secmem.h"

static void
linux_close(struct plat *p)
{
	xfrm_events_close(p);
	if (p->fd != -1)
		close(p->fd);
	if (p->rbuf != NULL)
		secmem_wipe(p->rbuf, p->rbuf_len);
	if (p->ev_buf != NULL)
		secmem_wipe(p->ev_buf, p->rbuf_len);
	free(p->rbuf);
	free(p->ev_buf);
	free(p);
}

static int
linux_open(struct plat **out, struct event_base *base,
    const struct plat_upcalls *up)
{
	struct plat *p;
	int rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return IKE_ENOMEM;
	p->ops = &plat_linux_ops;
	p->base = base;
	p->fd = p->ev_fd = -1;
	if (up != NULL)
		p->up = *up;
	p->rbuf_len = XFRM_RBUF_LEN;
	if ((p->rbuf = malloc(p->rbuf_len)) == NULL ||
	    (p->ev_buf = malloc(p->rbuf_len)) == NULL) {
		linux_close(p);
		return IKE_ENOMEM;
	}
	if ((rc = xnl_socket(0, false, &p->fd)) != 0 ||
	    (rc = xfrm_events_open(p)) != 0) {
		linux_close(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* Policies first: with the SAs gone first, traffic still matching our
 * policies would raise ACQUIREs for SAs about to go anyway. */
static int
linux_flush_own(struct plat *p)
{
	size_t nsa = 0, npol = 0;
	int rc, rc2;

	rc = xfrm_policy_flush_own(p, &npol);
	rc2 = xfrm_sa_flush_own(p, &nsa);
	log_info(LOG_KNL, "removed %zu SAs and %zu policies of ours", nsa,
	    npol);
	return rc != 0 ? rc : rc2;
}

const struct plat_ops plat_linux_ops = {
	.name = "linux",
	.open = linux_open,
	.close = linux_close,
	.spi_alloc = xfrm_sa_spi_alloc,
	.sa_add = xfrm_sa_add,
	.sa_update = xfrm_sa_update,
	.sa_delete = xfrm_sa_delete,
	.sa_stats = xfrm_sa_stats,
	.policy_add = xfrm_policy_add,
	.policy_delete = xfrm_policy_delete,
	.ike_socket = linux_ike_socket,
	.natt_socket = linux_natt_socket,
	.flush_own = linux_flush_own,
	.kernel_check = linux_kernel_check,
};
