/* platform/mem/mem_upcall.c: the queue of expiries and acquires.  Like a
 * kernel's messages they are delivered from the event loop: queuing one
 * activates an event, whose callback hands out what was queued. */
#include "mem_int.h"

#include <event2/event.h>

#include <stdlib.h>

#include "../../core/err.h"
#include "../../core/log.h"

struct mem_upcall {
	struct mem_upcall	*next;
	bool			 acquire;
	struct plat_sa_id	 id;		/* expiry */
	bool			 hard;		/* expiry */
	uint32_t		 reqid;		/* acquire */
	struct ike_ts		 src, dst;	/* acquire */
};

static void
deliver_one(struct plat *p, const struct mem_upcall *u)
{
	if (!u->acquire) {
		mem_sa_expire(p, &u->id, u->hard);
		return;
	}
	if (!mem_policy_acquires(p, u->reqid)) {
		log_dbg(LOG_KNL, "mem: acquire for reqid %u: no outbound "
		    "protect policy any more", u->reqid);
		return;
	}
	if (p->up.acquire != NULL)
		p->up.acquire(p->up.arg, u->reqid, &u->src, &u->dst);
}

/* Hands out what was queued when the callback started; what the
 * upcalls queue goes out on the next round. */
static void
deliver(evutil_socket_t fd, short what, void *arg)
{
	struct plat *p = arg;
	struct mem_upcall *q = p->q_head, *u;

	(void)fd;
	(void)what;
	p->q_head = NULL;
	p->q_tail = &p->q_head;
	p->nq = 0;
	while ((u = q) != NULL) {
		q = u->next;
		deliver_one(p, u);
		free(u);
	}
}

int
mem_upcall_init(struct plat *p)
{
	if ((p->q_ev = event_new(p->base, -1, 0, deliver, p)) == NULL)
		return IKE_ENOMEM;
	return 0;
}

void
mem_upcall_free(struct plat *p)
{
	struct mem_upcall *u;

	if (p->q_ev != NULL) {
		event_del(p->q_ev);
		event_free(p->q_ev);
		p->q_ev = NULL;
	}
	while ((u = p->q_head) != NULL) {
		p->q_head = u->next;
		free(u);
	}
	p->q_tail = &p->q_head;
	p->nq = 0;
}

static void
enqueue(struct plat *p, struct mem_upcall *u)
{
	*p->q_tail = u;
	p->q_tail = &u->next;
	p->nq++;
	event_active(p->q_ev, EV_TIMEOUT, 0);
}

int
mem_upcall_expire(struct plat *p, const struct plat_sa_id *id, bool hard)
{
	struct mem_upcall *u;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		return IKE_ENOMEM;
	u->id = *id;
	u->hard = hard;
	enqueue(p, u);
	return 0;
}

/* ------------------------------------------------------------ tests */

int
mem_inject_expire(struct plat *p, const struct plat_sa_id *id, bool hard)
{
	if ((p = mem_of(p)) == NULL || id == NULL)
		return IKE_EINVAL;
	if (mem_sa_find(p, id) == NULL)
		return IKE_ENOTFOUND;
	return mem_upcall_expire(p, id, hard);
}

int
mem_inject_acquire(struct plat *p, uint32_t reqid, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	struct mem_upcall *u;

	if ((p = mem_of(p)) == NULL || src == NULL || dst == NULL)
		return IKE_EINVAL;
	if (!mem_policy_acquires(p, reqid))
		return IKE_ENOTFOUND;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return IKE_ENOMEM;
	u->acquire = true;
	u->reqid = reqid;
	u->src = *src;
	u->dst = *dst;
	enqueue(p, u);
	return 0;
}

size_t
mem_pending_upcalls(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);

	return p == NULL ? 0 : p->nq;
}
