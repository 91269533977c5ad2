/* core/exchange1/v1_qm_life.c: the life of IPsec SAs under an IKEv1
 * ISAKMP SA, as child_create.c does it for IKEv2: rekeying at the soft
 * lifetime (cfg_rekey_ms(): the side that proposed the IPsec SA first),
 * deletion at the hard one ("lifetime expired", with a Delete), the
 * kernel's expiries and retiring the ISAKMP SA (finished phase-2
 * records are dropped by v1_tick(), V1_PH2_KEEP_MS); and, at once, the
 * failure of our Quick Modes under way on an ISAKMP SA that a phase-1
 * rekey replaced (v1_qm_orphans()); the removal of an IPsec SA and the
 * release of what a phase-2 record holds.
 * IKEv1 Informational exchanges are not acknowledged, so a Delete goes
 * out at once, whatever else is under way. */
#include "core/exchange1/v1.h"

#include "core/err.h"
#include "core/log.h"

#define V1_HOME_HOPS	1024

/* ---------------------------------------------- IPsec SAs and records */

void
v1_qm_remove(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    const char *reason)
{
	info_child_gone(eng, sa, c, reason);
}

/* A rekey that failed: the old IPsec SA is not retried by time. */
static void
rekey_undone(struct ike_sa *sa, uint32_t rekey_spi)
{
	struct child_sa *old;

	if (rekey_spi != 0 &&
	    (old = ike_sa_child_find(sa, rekey_spi, true)) != NULL) {
		old->rekeyed = false;
		old->rekey_failed = true;
	}
}

void
v1_ph2_drop(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	if (p->exchange == IKEV1_EXCH_QUICK && p->initiator &&
	    p->child != NULL)	/* not installed */
		rekey_undone(sa, p->rekey_spi);
	p->rekey_spi = 0;
	if (p->child != NULL) {
		child_uninstall(eng, sa, p->child);	/* reserved SPIs */
		child_sa_free(p->child);
		p->child = NULL;
	}
}

/* ------------------------------------------------ replaced ISAKMP SA */

static const char reason_replaced[] = "ISAKMP SA replaced by a rekey";

/* The SA that replaced sa, when it is up; else NULL. */
static struct ike_sa *
successor(struct ike_engine *eng, const struct ike_sa *sa)
{
	struct ike_sa *n;

	if (!sa->superseded || sa->successor_spi == 0 ||
	    (n = sa_table_find(eng->sas, sa->successor_spi)) == NULL ||
	    n->version != IKE_VERSION_1 || n->state != IKE_SA_ESTABLISHED)
		return NULL;
	return n;
}

/* A peer that runs several phase 1s at once replaces each by the next:
 * the chain is followed to its end (V1_HOME_HOPS at most, against a
 * loop), the SA that holds the handle. */
struct ike_sa *
v1_qm_home(struct ike_engine *eng, struct ike_sa *sa)
{
	struct ike_sa *n, *home = sa;
	unsigned int hops;

	for (hops = 0; hops < V1_HOME_HOPS &&
	    (n = successor(eng, home)) != NULL; hops++)
		home = n;
	return home;
}

/* A Quick Mode under way on sa, which a phase-1 rekey replaced, fails;
 * the event names the handle (now the successor's); an IPsec SA it was
 * to replace can be rekeyed again there; the peer's, which it may have
 * installed, is deleted over the successor. */
static void
orphan(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	struct ike_sa *home = v1_qm_home(eng, sa);
	struct child_sa *old;

	if (p->initiator && p->rekey_spi != 0 &&
	    (old = ike_sa_child_find(home, p->rekey_spi, true)) != NULL)
		old->rekeyed = false;
	p->rekey_spi = 0;
	/* the peer installs after sending HASH(3): if it did, our Delete
	 * of the SPI we reserved removes it (a failure is logged) */
	if (!p->initiator && p->step == 2 && home != sa)
		(void)v1_info_send_delete(eng, home, p->child->proto,
		    &p->child->spi_in, 1);
	log_info(LOG_CHD, "SA %u: Quick Mode %08x failed: %s", home->handle,
	    p->msgid, reason_replaced);
	xchg_event(eng, home, ENGINE_EV_CHILD_FAILED, p->child, 0,
	    reason_replaced);
	v1_ph2_drop(eng, sa, p);
	v1_ph2_free(sa->v1, p);
}

void
v1_qm_orphans(struct ike_engine *eng, struct ike_sa *sa, bool all)
{
	struct v1_ph2 *p, *next;

	if (sa->v1 == NULL || !sa->superseded)
		return;
	for (p = sa->v1->ph2; p != NULL; p = next) {
		next = p->next;
		if (p->exchange == IKEV1_EXCH_QUICK && p->child != NULL &&
		    (all || p->initiator))
			orphan(eng, sa, p);
	}
}

bool
v1_qm_has_orphans(const struct ike_sa *sa)
{
	const struct v1_ph2 *p;

	if (sa->v1 == NULL || !sa->superseded)
		return false;
	for (p = sa->v1->ph2; p != NULL; p = p->next)
		if (p->exchange == IKEV1_EXCH_QUICK && p->child != NULL &&
		    p->initiator)
			return true;
	return false;
}

/* ------------------------------------------------------- lifetimes */

static bool
done(const struct v1_ph2 *p)
{
	return p->exchange != IKEV1_EXCH_QUICK || p->step >= 3;
}

/* A retiring SA waits for IPsec SAs with a lifetime and for Quick
 * Modes under way. */
static bool
retire_waits(const struct ike_sa *sa)
{
	const struct child_sa *c;
	const struct v1_ph2 *p;

	for (c = sa->children; c != NULL; c = c->next)
		if (c->state == CHILD_SA_INSTALLED &&
		    (c->cfg.lifetime_s != 0 || c->cfg.lifetime_kb != 0))
			return true;
	for (p = sa->v1->ph2; p != NULL; p = p->next)
		if (!done(p))
			return true;
	return false;
}

static void
retire_done(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	if (!sa->retiring || sa->state != IKE_SA_ESTABLISHED ||
	    retire_waits(sa))
		return;
	log_dbg(LOG_IKE, "SA %u: retired: deleting it", sa->handle);
	if ((rc = v1_info_delete_ike(eng, sa, true)) != 0) {
		log_dbg(LOG_IKE, "SA %u: Delete: %s", sa->handle,
		    ike_strerror(rc));
		v1_kill(eng, sa, 0, "removed");
	}
}

/* c is over: the peer hears of it, and it goes. */
static void
expire(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c)
{
	uint32_t spi = c->spi_in;
	int rc;

	if ((rc = v1_info_send_delete(eng, sa, c->proto, &spi, 1)) != 0)
		log_dbg(LOG_CHD, "SA %u: Delete of 0x%08x: %s", sa->handle,
		    spi, ike_strerror(rc));
	v1_qm_remove(eng, sa, c, "lifetime expired");
}

static void
rekey_due(struct ike_engine *eng, struct ike_sa *sa)
{
	struct child_sa *c;
	int rc;

	for (c = sa->children; c != NULL; c = c->next) {
		if (ccsa_soft_at(sa, c) > eng->now_ms)
			continue;
		log_dbg(LOG_CHD, "SA %u: IPsec SA 0x%08x: soft lifetime",
		    sa->handle, c->spi_in);
		if ((rc = v1_qm_start(eng, sa, NULL, c->spi_in)) != 0) {
			c->rekey_failed = true;
			log_dbg(LOG_CHD, "SA %u: rekey: %s", sa->handle,
			    ike_strerror(rc));
		}
	}
}

void
v1_qm_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	struct child_sa *c, *next;

	if (sa->v1 == NULL || sa->state != IKE_SA_ESTABLISHED)
		return;
	v1_qm_orphans(eng, sa, false);	/* replaced by a phase-1 rekey */
	for (c = sa->children; c != NULL; c = next) {
		next = c->next;
		if (ccsa_hard_at(c) <= eng->now_ms)
			expire(eng, sa, c);
	}
	rekey_due(eng, sa);
	retire_done(eng, sa);
}

uint64_t
v1_qm_deadline(const struct ike_sa *sa)
{
	const struct child_sa *c;
	uint64_t t = UINT64_MAX, x;

	if (sa->v1 == NULL || sa->state != IKE_SA_ESTABLISHED)
		return UINT64_MAX;
	if (v1_qm_has_orphans(sa))
		return 0;
	for (c = sa->children; c != NULL; c = c->next) {
		x = ccsa_next_at(sa, c);
		if (x < t)
			t = x;
	}
	if (sa->retiring && !retire_waits(sa))
		return 0;
	return t;
}

void
v1_qm_expired(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    bool hard)
{
	log_dbg(LOG_CHD, "SA %u: IPsec SA 0x%08x: kernel %s expiry",
	    sa->handle, c->spi_in, hard ? "hard" : "soft");
	if (hard) {
		expire(eng, sa, c);	/* the kernel removed one half */
		retire_done(eng, sa);
		return;
	}
	if (sa->retiring)
		return;
	c->rekey_due = true;
	if (sa->state == IKE_SA_ESTABLISHED)
		rekey_due(eng, sa);
}

int
v1_retire(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED || sa->superseded)
		return IKE_ESTATE;
	if (!sa->retiring)
		log_info(LOG_IKE, "SA %u: retiring: no more rekeys, deleted "
		    "when its IPsec SAs' lifetimes end", sa->handle);
	sa->retiring = true;
	retire_done(eng, sa);
	return 0;
}
