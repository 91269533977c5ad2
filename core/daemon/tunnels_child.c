/* core/daemon/tunnels_child.c: the queue of phase-2 tunnels waiting for
 * their phase-1 tunnel, started with CREATE_CHILD_SA one at a time. */
#include "tunnels_child.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "../../db/db.h"
#include "../err.h"
#include "../log.h"
#include "../codec/ikev1.h"
#include "../sa/ike_sa.h"
#include "../sa/ike_v1.h"
#include "../tunnel/tm_cfg.h"
#include "../tunnel/tm_remid.h"
#include "isakmpd.h"
#include "tunnels_int.h"

/* The reason of a queued entry while it waits (listed only once it
 * expires, when it holds the real reason instead). */
#define QUEUED		"queued behind its phase-1 tunnel"
#define RETRY_MS	250	/* the IKE SA had a request outstanding */

static bool
same_addr(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr,
	    a->family == AF_INET ? 4 : 16) == 0;
}

bool
tun_toward(struct tunnels *t, const struct tm_tunnel *p,
    const struct tun_peer *peer)
{
	const struct ike_sa *sa;

	if (peer == NULL || peer->remote.family == 0)
		return true;
	return (sa = engine_sa(t->eng, p->handle)) != NULL &&
	    same_addr(&sa->cfg.remote, &peer->remote);
}

struct tm_tunnel *
tun_find_p1(struct tunnels *t, uint32_t def, const struct tun_peer *peer)
{
	struct tm_tunnel *e;

	for (e = t->tm.head; e != NULL; e = e->next)
		if (e->phase == 1 && e->def_num == def && def != 0 &&
		    e->state != TM_EXPIRED && tun_toward(t, e, peer))
			return e;
	return NULL;
}

bool
tunnels_queued(const struct tm_tunnel *e)
{
	return e->phase == 2 && e->state == TM_NEGOTIATING &&
	    strcmp(e->reason, QUEUED) == 0;
}

/* The selectors of pt under the IKE SA of handle, for the listing. */
static void
list_selectors(struct tunnels *t, struct tm_tunnel *e,
    const struct db_ipsec_tunnel *pt)
{
	const struct ike_sa *sa = engine_sa(t->eng, e->handle);
	struct ike_ts l, r;

	if (sa == NULL ||
	    tm_ts_from_ident(&pt->local, &sa->cfg.local, &l, NULL, 0) != 0 ||
	    tm_ts_from_ident(&pt->remote, &sa->cfg.remote, &r, NULL, 0) != 0)
		return;
	tm_set_ts(e, &l, &r);
}

enum tun_start
tun_child_add(struct tunnels *t, struct tm_tunnel *p,
    const struct db_ipsec_tunnel *pt, char *why, size_t n)
{
	struct tm_tunnel *e;
	uint32_t h = p->handle, pnum = p->num;

	if ((e = tm_add(&t->tm, 2)) == NULL) {
		snprintf(why, n, "out of memory");
		return TUN_FAILED;
	}
	e->handle = h;		/* p may have moved: values taken first */
	e->parent = pnum;
	e->role = 'i';
	e->def_num = pt->num;
	memcpy(e->def_name, pt->name, sizeof(e->def_name));
	snprintf(e->reason, sizeof(e->reason), "%s", QUEUED);
	list_selectors(t, e, pt);
	log_info(LOG_CHD, "phase-2 tunnel %u (%s) queued over phase-1 tunnel "
	    "%u", e->num, e->def_name, pnum);
	return TUN_STARTED;
}

/* Whether a Child SA negotiation of ours is under way on handle. */
static bool
in_flight(struct tunnels *t, uint32_t handle)
{
	struct tm_tunnel *e;

	for (e = tm_next_handle(&t->tm, NULL, handle); e != NULL;
	    e = tm_next_handle(&t->tm, e, handle))
		if (e->phase == 2 && e->state == TM_NEGOTIATING &&
		    !tunnels_queued(e))
			return true;
	return false;
}

int
tun_p2_group(struct db_txn *txn, struct db_ipsec_tunnel *pt,
    const struct ike_addr *remote, char *err, size_t n)
{
	struct db_obj *g;	/* owned */
	struct db_ident a;
	struct tm_remid r;
	int rc = IKE_ENOTFOUND;

	if (pt->remote.id.type != DB_ID_GROUP)
		return 0;
	memset(&a, 0, sizeof(a));
	a.type = remote->family == AF_INET ? DB_ID_IPV4_ADDR :
	    DB_ID_IPV6_ADDR;
	if (inet_ntop(remote->family, remote->addr, a.value,
	    sizeof(a.value)) == NULL || (g = calloc(1, sizeof(*g))) == NULL)
		return IKE_ENOMEM;
	if (tm_remid_parse(a.value, &r, NULL, 0) == 0 &&
	    db_get(txn, DB_T_GROUP, pt->remote.id.value, g) == 0 &&
	    tm_remid_member(&r, &g->u.group) >= 0) {
		pt->remote.id = a;
		rc = 0;
	} else
		snprintf(err, n, "IPSecTunnel %s: the peer %s is not a member "
		    "of its remote group %s", pt->name, a.value,
		    pt->remote.id.value);
	free(g);
	return rc;
}

/* e's definition under its IKE SA's addresses into c. */
static int
child_load(struct tunnels *t, const struct tm_tunnel *e,
    const struct ike_sa *sa, struct child_cfg *c, char *why, size_t n)
{
	struct db_obj *o;	/* owned */
	struct db_txn *txn;
	char err[TM_ERR_MAX];
	int rc;

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		snprintf(why, n, "out of memory");
		return IKE_ENOMEM;
	}
	if ((rc = db_read_begin(t->d->db, &txn)) != 0) {
		snprintf(why, n, "cannot read the database");
		free(o);
		return rc;
	}
	if ((rc = db_get_num(txn, 2, e->def_num, o)) != 0)
		snprintf(why, n, "phase-2 tunnel %s is no longer in the "
		    "database", e->def_name);
	else if ((rc = tun_p2_group(txn, &o->u.ipsec_tun, &sa->cfg.remote,
	    err, sizeof(err))) != 0 || (rc = tm_load_child_as(txn,
	    &o->u.ipsec_tun, 'i', &sa->cfg, c, err, sizeof(err))) != 0)
		snprintf(why, n, "%s", err);
	db_abort(txn);
	free(o);
	return rc;
}

/* The inbound SPI of the Child SA (IKEv1: IPsec SA) just asked for on
 * sa: CREATE_CHILD_SA's pending one, or the Quick Mode record that
 * v1_qm_start() put first in the list; 0 when not known. */
static uint32_t
pending_spi(const struct ike_sa *sa)
{
	const struct v1_ph2 *p;

	if (sa == NULL)
		return 0;
	if (sa->version != IKE_VERSION_1)
		return sa->pending != NULL ? sa->pending->spi_in : 0;
	p = sa->v1 != NULL ? sa->v1->ph2 : NULL;
	return p != NULL && p->exchange == IKEV1_EXCH_QUICK && p->initiator &&
	    p->child != NULL ? p->child->spi_in : 0;
}

/* CREATE_CHILD_SA for queued entry e: 0, IKE_EBUSY (try later), or
 * another error with a sentence in why. */
static int
child_start(struct tunnels *t, struct tm_tunnel *e, char *why, size_t n)
{
	const struct ike_sa *sa = engine_sa(t->eng, e->handle);
	struct child_cfg c;
	int rc;

	if (sa == NULL) {
		snprintf(why, n, "its phase-1 tunnel is gone");
		return IKE_ENOTFOUND;
	}
	if ((rc = child_load(t, e, sa, &c, why, n)) != 0)
		return rc;
	memset(&t->stash, 0, sizeof(t->stash));
	if ((rc = engine_create_child(t->eng, e->handle, &c,
	    tun_now_ms())) != 0) {
		snprintf(why, n, "the engine refused it: %s", rc == IKE_ESTATE ?
		    "its phase-1 tunnel is being removed" : ike_strerror(rc));
		return rc;
	}
	e->spi_in = pending_spi(engine_sa(t->eng, e->handle));
	e->reason[0] = '\0';
	tm_set_ts(e, &c.local_ts, &c.remote_ts);
	log_info(LOG_CHD, "starting phase-2 tunnel %u (%s) over phase-1 "
	    "tunnel %u", e->num, e->def_name, e->parent);
	return 0;
}

static void	later(struct tunnels *, unsigned ms);

#define KICK_BUSY_MAX	16	/* IKE SAs found busy in one kick */

static bool
in_list(const uint32_t *v, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Whether queued entry e can start now. */
static bool
startable(struct tunnels *t, const struct tm_tunnel *e)
{
	const struct tm_tunnel *p;

	return tunnels_queued(e) &&
	    (p = tm_find_handle(&t->tm, e->handle)) != NULL &&
	    p->state == TM_ACTIVE && !in_flight(t, e->handle);
}

/* An engine call may report events that change the table, so the walk
 * starts over after each start or failure (each leaves one entry fewer
 * waiting); IKE SAs that answered IKE_EBUSY are skipped. */
void
tun_child_kick(struct tunnels *t)
{
	char why[TM_ERR_MAX + 64];
	uint32_t busy[KICK_BUSY_MAX];
	struct tm_tunnel *e;
	size_t nbusy = 0;
	bool started = false;
	int rc;

	for (e = t->tm.head; e != NULL;) {
		if (!startable(t, e) || in_list(busy, nbusy, e->handle)) {
			e = e->next;
			continue;
		}
		why[0] = '\0';
		if ((rc = child_start(t, e, why, sizeof(why))) == IKE_EBUSY) {
			if (nbusy == KICK_BUSY_MAX)
				break;
			busy[nbusy++] = e->handle;
			e = e->next;
			continue;
		}
		if (rc == 0)
			started = true;
		else {
			log_info(LOG_CHD, "phase-2 tunnel %u (%s): %s", e->num,
			    e->def_name, why);
			tm_expire(&t->tm, e, why);
		}
		e = t->tm.head;
	}
	if (started)
		tun_timer_update(t);
	if (nbusy > 0)
		later(t, RETRY_MS);
}

static void
on_kick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tun_child_kick(arg);
}

/* A kick from the event loop in ms milliseconds (libevent frees a
 * pending one-shot event with the base). */
static void
later(struct tunnels *t, unsigned ms)
{
	struct timeval tv = { (time_t)(ms / 1000),
	    (suseconds_t)(ms % 1000) * 1000 };

	if (event_base_once(t->d->base, -1, EV_TIMEOUT, on_kick, t,
	    &tv) != 0)
		log_err(LOG_CHD, "cannot schedule the queued phase-2 tunnels");
}

void
tunnels_child_event(struct tunnels *t, uint32_t handle)
{
	struct tm_tunnel *e;

	for (e = tm_next_handle(&t->tm, NULL, handle); e != NULL;
	    e = tm_next_handle(&t->tm, e, handle))
		if (tunnels_queued(e)) {
			later(t, 0);
			return;
		}
}
