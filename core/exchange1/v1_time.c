/* core/exchange1/v1_time.c: what time brings to an ISAKMP SA (the
 * engine's v1_tick()/v1_deadline()): retransmission of our phase-1 and
 * phase-2 messages with back-off as core/exchange/xchg.c does it, their
 * exhaustion, the expiry of a responder that never completed phase 1,
 * the phase-1 lifetime with its rekey; and the rekey itself: a new
 * phase 1 with the same peer that, once complete, takes over the
 * handle and the IPsec SAs of the old one, which is then deleted (ours)
 * or, when the peer made it, kept answering the peer until the peer
 * deletes it or it expires (v1_qm.c: IKEv1 allows several).  No
 * event tells the user of a successful rekey (as for IKEv2, rekey.c):
 * the handle stays, only the cookies change. */
#include "core/exchange1/v1.h"

#include <string.h>
#include <sys/socket.h>

#include "core/err.h"
#include "core/log.h"

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The end of an established SA's agreed lifetime; UINT64_MAX: none. */
static uint64_t
expiry(const struct ike_sa *sa)
{
	if (sa->v1->life_s == 0)
		return UINT64_MAX;
	return sa->up_ms + sa->v1->life_s * 1000;
}

/* When the rekey is due; UINT64_MAX when none will be started. */
static uint64_t
rekey_at(const struct ike_sa *sa)
{
	if (sa->v1->life_s == 0 || sa->superseded || sa->retiring ||
	    sa->rekey_failed || sa->rekey_spi != 0)
		return UINT64_MAX;
	return sa->up_ms + cfg_rekey_ms(sa->v1->life_s,
	    sa->cfg.rekey_margin_s, sa->initiator);
}

/* When p needs v1_tick(): its retransmission, or its drop. */
static uint64_t
ph2_due(const struct v1_ph2 *p)
{
	if (p->out != NULL && p->deadline_ms != UINT64_MAX)
		return p->deadline_ms;
	return p->created_ms + V1_PH2_KEEP_MS;
}

static bool
established(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED && sa->v1->step == V1_DONE;
}

uint64_t
v1_deadline(const struct ike_engine *eng, const struct ike_sa *sa)
{
	const struct v1_ph2 *p;
	uint64_t t = UINT64_MAX;

	if (sa->state == IKE_SA_DEAD || sa->v1 == NULL)
		return UINT64_MAX;
	if (sa->state == IKE_SA_HALF_OPEN)
		t = sa->created_ms + eng->lim.half_open_ms;
	if (sa->out.buf != NULL)
		t = min64(t, sa->out.deadline_ms);
	if (established(sa))
		t = min64(t, min64(expiry(sa), rekey_at(sa)));
	for (p = sa->v1->ph2; p != NULL; p = p->next)
		t = min64(t, ph2_due(p));
	t = min64(t, v1_qm_deadline(sa));
	t = min64(t, v1_dpd_deadline(eng, sa));
	return min64(t, natt_keepalive_at(eng, sa));
}

/* ------------------------------------------------------------ kill */

struct pred {
	uint64_t	 spi;
	struct ike_sa	*found;
};

static void
pred_one(struct ike_sa *sa, void *arg)
{
	struct pred *p = arg;

	if (sa->version == IKE_VERSION_1 && sa->rekey_spi == p->spi &&
	    sa->state != IKE_SA_DEAD)
		p->found = sa;
}

/* The SA whose rekey made n (n's cookie in its rekey_spi), or NULL. */
static struct ike_sa *
predecessor(struct ike_engine *eng, const struct ike_sa *n)
{
	struct pred p = { n->spi_i, NULL };

	if (!n->initiator || n->spi_i == 0)
		return NULL;
	sa_table_foreach(eng->sas, pred_one, &p);
	if (p.found != NULL)
		sa_table_touch(eng->sas, p.found);
	return p.found;
}

void
v1_kill(struct ike_engine *eng, struct ike_sa *sa, uint16_t notify,
    const char *reason)
{
	struct v1_ph2 *p;
	struct ike_sa *old;

	if (sa->state == IKE_SA_DEAD)
		return;
	while (sa->v1 != NULL && (p = sa->v1->ph2) != NULL) {
		v1_ph2_drop(eng, sa, p);
		if (sa->v1->ph2 == p)	/* not unlinked: free it here */
			v1_ph2_free(sa->v1, p);
	}
	/* a rekey that failed: the old SA stays until its end */
	if (sa->superseded && sa->state == IKE_SA_INIT_SENT &&
	    (old = predecessor(eng, sa)) != NULL) {
		log_info(LOG_IKE, "SA %u: phase-1 rekey failed: %s",
		    old->handle, reason ? reason : "");
		old->rekey_spi = 0;
		old->rekey_failed = true;
	}
	xchg_kill(eng, sa, notify, reason);
}

/* ------------------------------------------------------------ tick */

/* Our phase-1 message again, or the end of the exchange; false when sa
 * was killed. */
static bool
ph1_retransmit(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->out.buf == NULL || eng->now_ms < sa->out.deadline_ms)
		return true;
	if (sa->out.sends > xchg_retrans_max(sa)) {
		log_dbg(LOG_IKE, "SA %u: no answer to phase-1 message after "
		    "%u sends", sa->handle, sa->out.sends);
		v1_kill(eng, sa, 0, v1_exhausted_reason(sa,
		    "peer not responding"));
		return false;
	}
	sa->out.sends++;
	sa->out.deadline_ms = eng->now_ms + xchg_retrans_after(sa,
	    sa->out.sends);
	eng->st.retransmits++;
	xchg_send(eng, &sa->local, &sa->remote, sa->out.buf, sa->out.len);
	return true;
}

/* A phase-2 exchange whose message went unanswered retrans_max times
 * more: a Quick Mode fails (CHILD_FAILED), any ends. */
static void
ph2_fail(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	log_dbg(LOG_IKE, "SA %u: no answer in exchange %08x after %u sends",
	    sa->handle, p->msgid, p->sends);
	if (p->exchange == IKEV1_EXCH_QUICK && p->child != NULL)
		xchg_event(eng, v1_qm_home(eng, sa), ENGINE_EV_CHILD_FAILED,
		    p->child, 0, "peer not responding");
	v1_ph2_drop(eng, sa, p);
	if (v1_ph2_find(sa->v1, p->msgid) == p)	/* not unlinked */
		v1_ph2_free(sa->v1, p);
}

static void
ph2_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	struct v1_ph2 *p, *next;

	for (p = sa->v1->ph2; p != NULL; p = next) {
		next = p->next;
		if (ph2_due(p) > eng->now_ms)
			continue;
		if (p->out == NULL || p->deadline_ms == UINT64_MAX) {
			v1_ph2_drop(eng, sa, p);	/* stale */
			if (v1_ph2_find(sa->v1, p->msgid) == p)
				v1_ph2_free(sa->v1, p);
		} else if (p->sends > xchg_retrans_max(sa)) {
			ph2_fail(eng, sa, p);
		} else {
			p->sends++;
			p->deadline_ms = eng->now_ms +
			    xchg_retrans_after(sa, p->sends);
			eng->st.retransmits++;
			xchg_send(eng, &sa->local, &sa->remote, p->out,
			    p->out_len);
		}
	}
}

/* The phase-1 lifetime: rekey before its end, delete at its end;
 * false when sa ended. */
static bool
lifetime(struct ike_engine *eng, struct ike_sa *sa)
{
	if (!established(sa))
		return true;
	if (expiry(sa) <= eng->now_ms) {
		log_dbg(LOG_IKE, "SA %u: phase-1 lifetime over", sa->handle);
		if (v1_info_delete_ike(eng, sa, true) != 0 ||
		    sa->state != IKE_SA_DEAD)
			v1_kill(eng, sa, 0, "lifetime over");
		return false;
	}
	if (rekey_at(sa) <= eng->now_ms) {
		log_dbg(LOG_IKE, "SA %u: phase-1 soft lifetime", sa->handle);
		if (v1_rekey_ike(eng, sa) != 0)
			sa->rekey_failed = true;	/* hard limit stays */
	}
	return true;
}

void
v1_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->state == IKE_SA_DEAD || sa->v1 == NULL)
		return;
	if (sa->state == IKE_SA_HALF_OPEN &&
	    eng->now_ms >= sa->created_ms + eng->lim.half_open_ms) {
		eng->st.half_open_expired++;
		v1_kill(eng, sa, 0, v1_exhausted_reason(sa,
		    "phase 1 not completed by peer"));
		return;
	}
	if (!ph1_retransmit(eng, sa) || !lifetime(eng, sa))
		return;
	ph2_tick(eng, sa);
	if (sa->state != IKE_SA_DEAD)
		v1_qm_tick(eng, sa);
	if (sa->state != IKE_SA_DEAD)
		v1_dpd_tick(eng, sa);
	if (sa->state != IKE_SA_DEAD)
		natt_tick(eng, sa);
}

/* ----------------------------------------------------------- rekey */

int
v1_rekey_ike(struct ike_engine *eng, struct ike_sa *old)
{
	struct ike_sa *n;
	int rc;

	if (!established(old) || old->superseded || old->retiring)
		return IKE_ESTATE;
	if (old->rekey_spi != 0) {
		n = sa_table_find(eng->sas, old->rekey_spi);
		if (n != NULL && n->state != IKE_SA_DEAD)
			return IKE_EBUSY;
		old->rekey_spi = 0;
	}
	if ((rc = ike_sa_new(true, IKE_SA_INIT_SENT, &n)) != 0)
		return rc;
	if ((rc = v1_state_new(&n->v1)) != 0) {
		ike_sa_free(n);
		return rc;
	}
	n->version = IKE_VERSION_1;
	n->cfg = old->cfg;
	n->local = old->cfg.local;
	n->remote = old->cfg.remote;
	n->v1->aggressive = old->v1->aggressive;
	n->handle = ++eng->next_handle;
	n->created_ms = eng->now_ms;
	n->superseded = true;	/* silent until it takes over */
	if ((rc = sa_table_add(eng->sas, n)) != 0) {
		ike_sa_free(n);
		return rc;
	}
	if ((rc = v1_ph1_start(eng, n)) != 0) {
		sa_table_remove(eng->sas, n);
		ike_sa_free(n);
		return rc;
	}
	old->rekey_spi = n->spi_i;
	log_dbg(LOG_IKE, "SA %u: phase-1 rekey started (SA %u)", old->handle,
	    n->handle);
	return 0;
}

static bool
same_id(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	    memcmp(a->data, b->data, a->len) == 0;
}

struct same_peer {
	const struct ike_sa	*n;
	struct ike_sa		*found;
};

static void
peer_one(struct ike_sa *sa, void *arg)
{
	struct same_peer *sp = arg;
	const struct ike_sa *n = sp->n;

	if (sa == n || sa->version != IKE_VERSION_1 || sa->v1 == NULL ||
	    !established(sa) || sa->superseded ||
	    sa->remote.family != n->remote.family ||
	    memcmp(sa->remote.addr, n->remote.addr,
	    sizeof(sa->remote.addr)) != 0 ||
	    !same_id(&sa->cfg.remote_id, &n->cfg.remote_id))
		return;
	if (sp->found == NULL || sa->up_ms > sp->found->up_ms)
		sp->found = sa;
}

/* Responder: the established SA with n's peer (address and
 * authenticated identity) that n replaces, or NULL. */
static struct ike_sa *
replaced_by(struct ike_engine *eng, const struct ike_sa *n)
{
	struct same_peer sp = { n, NULL };

	sa_table_foreach(eng->sas, peer_one, &sp);
	if (sp.found != NULL)
		sa_table_touch(eng->sas, sp.found);
	return sp.found;
}

/* The IPsec SAs and the handle go from `from` to `to` as in IKEv2,
 * and whatever a late message for `from` needs to find `to`. */
static void
hand_over(struct ike_sa *from, struct ike_sa *to)
{
	ike_rekey_hand_over(from, to);
	from->rekey_spi = 0;
	from->successor_spi = ike_sa_local_spi(to);
	to->retiring = from->retiring;
}

bool
v1_succeed(struct ike_engine *eng, struct ike_sa *n)
{
	struct ike_sa *old;

	old = n->initiator ? predecessor(eng, n) : replaced_by(eng, n);
	if (old == NULL) {
		n->superseded = false;
		return false;
	}
	hand_over(old, n);
	log_info(LOG_IKE, "SA %u: ISAKMP SA rekeyed (%s): cookies now "
	    "%016llx %016llx", n->handle, n->initiator ? "by us" :
	    "by the peer", (unsigned long long)n->spi_i,
	    (unsigned long long)n->spi_r);
	if (n->initiator && (v1_info_delete_ike(eng, old, false) != 0 ||
	    old->state != IKE_SA_DEAD))
		v1_kill(eng, old, 0, "replaced");	/* silent */
	return true;
}
