/* platform/linux/xfrm_events.c: the kernel's EXPIRE and ACQUIRE
 * messages, read from a socket subscribed to XFRMNLGRP_EXPIRE and
 * XFRMNLGRP_ACQUIRE by an event on the event loop and handed to the
 * upcalls.  Messages about SAs and policies that are not ours (reqid
 * outside our range, linux.h) are dropped. */
#include "linux.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <event2/event.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../../core/secmem.h"

#define XFRM_GROUP(g)	(1u << ((g) - 1))

static void
on_expire(struct plat *p, const struct xnl_msg *m)
{
	struct xfrm_user_expire e;
	struct plat_sa_id id;
	struct rd body = m->body;
	uint32_t core;

	if (xnl_fixed(&body, &e, sizeof(e)) != 0) {
		log_warn(LOG_KNL, "malformed EXPIRE from the kernel");
		return;
	}
	if (!xfrm_reqid_is_own(e.state.reqid, &core))
		return;			/* someone else's SA */
	memset(&id, 0, sizeof(id));
	xfrm_addr_get(&id.dst, e.state.family, &e.state.id.daddr);
	id.spi = ntohl(e.state.id.spi);
	id.proto = e.state.id.proto;
	log_dbg(LOG_KNL, "%s expiry of SA spi 0x%08x", e.hard ? "hard" :
	    "soft", id.spi);
	if (p->up.sa_expired != NULL)
		p->up.sa_expired(p->up.arg, &id, e.hard != 0);
}

/* The first template of ours among the policy's (XFRMA_TMPL). */
static bool
acquire_reqid(struct rd attrs, uint32_t *core)
{
	struct xfrm_user_tmpl t;
	struct rd val;
	uint16_t type;

	while (xnl_attr_next(&attrs, &type, &val) == 0) {
		if (type != XFRMA_TMPL)
			continue;
		while (rd_bytes(&val, &t, sizeof(t)) == 0)
			if (xfrm_reqid_is_own(t.reqid, core) && *core != 0)
				return true;
	}
	return false;
}

static void
on_acquire(struct plat *p, const struct xnl_msg *m)
{
	struct xfrm_user_acquire a;
	struct ike_ts src, dst;
	struct rd body = m->body;
	uint32_t reqid;

	if (xnl_fixed(&body, &a, sizeof(a)) != 0) {
		log_warn(LOG_KNL, "malformed ACQUIRE from the kernel");
		return;
	}
	if (!acquire_reqid(body, &reqid))
		return;			/* someone else's policy */
	xfrm_sel_to_ts(&a.sel, &src, &dst);
	log_dbg(LOG_KNL, "acquire for reqid %u", reqid);
	if (p->up.acquire != NULL)
		p->up.acquire(p->up.arg, reqid, &src, &dst);
}

void
xfrm_events_dispatch(struct plat *p, const uint8_t *buf, size_t len)
{
	struct xnl_msg m;
	struct rd r;
	int rc;

	rd_init(&r, buf, len);
	while ((rc = xnl_next(&r, &m)) == 0) {
		if (m.type == XFRM_MSG_EXPIRE)
			on_expire(p, &m);
		else if (m.type == XFRM_MSG_ACQUIRE)
			on_acquire(p, &m);
	}
	if (rc == IKE_EMALFORMED)
		log_warn(LOG_KNL, "malformed netlink event datagram");
}

/* Reads what is there; ENOBUFS means the kernel dropped events because
 * we were slow, which is worth a warning but not fatal. */
static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct plat *p = arg;
	ssize_t n;

	(void)what;
	for (;;) {
		n = recv(fd, p->ev_buf, p->rbuf_len, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			log_warn(LOG_KNL, "kernel events lost (socket buffer "
			    "full)");
			continue;
		}
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_err(LOG_KNL, "netlink events: %s",
				    strerror(errno));
			return;
		}
		if ((size_t)n > p->rbuf_len)
			log_warn(LOG_KNL, "truncated kernel event dropped");
		else
			xfrm_events_dispatch(p, p->ev_buf, (size_t)n);
		secmem_wipe(p->ev_buf, (size_t)n < p->rbuf_len ? (size_t)n :
		    p->rbuf_len);
	}
}

int
xfrm_events_open(struct plat *p)
{
	int rc;

	if ((rc = xnl_socket(XFRM_GROUP(XFRMNLGRP_EXPIRE) |
	    XFRM_GROUP(XFRMNLGRP_ACQUIRE), true, &p->ev_fd)) != 0)
		return rc;
	if ((p->ev = event_new(p->base, p->ev_fd, EV_READ | EV_PERSIST,
	    on_readable, p)) == NULL || event_add(p->ev, NULL) != 0) {
		log_err(LOG_KNL, "cannot watch the netlink event socket");
		xfrm_events_close(p);
		return IKE_ENOMEM;
	}
	return 0;
}

void
xfrm_events_close(struct plat *p)
{
	if (p->ev != NULL) {
		event_del(p->ev);
		event_free(p->ev);
		p->ev = NULL;
	}
	if (p->ev_fd != -1) {
		close(p->ev_fd);
		p->ev_fd = -1;
	}
}
