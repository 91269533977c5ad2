/* core/daemon/tunnels_trap.c: on-demand tunnels and the kernel's other
 * upcalls.  Every phase-2 definition with IPSec_Flags_OnDemand="Yes" has
 * a trap policy in the kernel (outbound, its selectors, reqid
 * TM_TRAP_REQID(definition number), no SA yet): the first packet it
 * matches raises an ACQUIRE, which starts the definition as initiator.
 * Its Child SAs carry the trap's reqid, so the trap policy then sends
 * the traffic through them; when they go, the trap stays and the next
 * packet brings the tunnel up again.  The set of traps follows the
 * database: tunnels_traps_sync() runs at start and whenever the
 * database changed. */
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../db/db.h"
#include "../codec/ikev2.h"
#include "../err.h"
#include "../log.h"
#include "../tunnel/tm_cfg.h"
#include "isakmpd.h"
#include "tunnels_int.h"

/* What one on-demand definition wants in the kernel. */
struct trap_want {
	struct tun_trap	*v;		/* owned */
	size_t		 n, cap;
	struct tunnels	*t;		/* borrowed */
	struct db_txn	*txn;		/* borrowed */
};

/* The trap policy of phase-2 definition pt under ike (as initiator). */
static void
trap_policy(const struct db_ipsec_tunnel *pt, const struct ike_cfg *ike,
    const struct child_cfg *c, struct plat_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->src = c->local_ts;
	p->dst = c->remote_ts;
	p->dir = PLAT_OUT;
	p->action = PLAT_PROTECT;
	p->reqid = TM_TRAP_REQID(pt->num);
	p->proto = c->nprops > 0 && c->props[0].proto == IKEV2_PROTO_AH ?
	    IPPROTO_AH : IPPROTO_ESP;
	p->trap = true;
	if (c->mode == PLAT_TUNNEL) {
		p->tun_src = ike->local;
		p->tun_dst = ike->remote;
		p->tun_src.port = p->tun_dst.port = 0;
	}
}

/* Loads pt as initiator and computes its trap; 0 or an error. */
static int
trap_of(struct trap_want *w, const struct db_ipsec_tunnel *pt,
    struct plat_policy *p)
{
	struct db_obj *o;	/* owned */
	struct ike_cfg *ike;	/* owned; secret: wiped */
	struct child_cfg c;
	char err[TM_ERR_MAX];
	int rc;

	o = calloc(1, sizeof(*o));
	ike = calloc(1, sizeof(*ike));
	if (o == NULL || ike == NULL)
		rc = IKE_ENOMEM;
	else if ((rc = db_get(w->txn, DB_T_IKE_TUNNEL, pt->ike_tunnel,
	    o)) == 0 && (rc = tm_load_ike_as(w->txn, &o->u.ike_tun,
	    w->t->port, 'i', ike, err, sizeof(err))) == 0 &&
	    (rc = tm_load_child_as(w->txn, pt, 'i', ike, &c, err,
	    sizeof(err))) == 0)
		trap_policy(pt, ike, &c, p);
	if (rc != 0 && rc != IKE_ENOMEM)
		log_dbg(LOG_IKE, "on-demand phase-2 tunnel %s: no trap: %s",
		    pt->name, rc == IKE_ENOTFOUND ? "IKETunnel not found" :
		    err);
	ike_cfg_wipe(ike);
	free(ike);
	free(o);
	return rc;
}

static int
want_cb(const struct db_obj *o, void *arg)
{
	struct trap_want *w = arg;
	struct tun_trap *nv;
	struct plat_policy p;

	if (!o->u.ipsec_tun.ondemand || o->u.ipsec_tun.num > TM_TRAP_NUM_MAX ||
	    trap_of(w, &o->u.ipsec_tun, &p) != 0)
		return 0;
	if (w->n == w->cap) {
		nv = reallocarray(w->v, w->cap ? 2 * w->cap : 8, sizeof(*nv));
		if (nv == NULL)
			return 0;	/* that trap is missing: logged below */
		w->v = nv;
		w->cap = w->cap ? 2 * w->cap : 8;
	}
	w->v[w->n].def = o->u.ipsec_tun.num;
	w->v[w->n].pol = p;
	w->n++;
	return 0;
}

static bool
trap_in(const struct tun_trap *v, size_t n, const struct tun_trap *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].def == x->def &&
		    memcmp(&v[i].pol, &x->pol, sizeof(x->pol)) == 0)
			return true;
	return false;
}

/* Removes the installed traps that w no longer has. */
static void
traps_drop_stale(struct tunnels *t, const struct trap_want *w)
{
	size_t i = 0;
	int rc;

	while (i < t->ntraps) {
		if (w != NULL && trap_in(w->v, w->n, &t->traps[i])) {
			i++;
			continue;
		}
		rc = plat_policy_delete(t->d->plat, &t->traps[i].pol);
		if (rc != 0 && rc != IKE_ENOTFOUND)
			log_err(LOG_KNL, "removing the trap of phase-2 tunnel "
			    "%" PRIu32 ": %s", t->traps[i].def,
			    ike_strerror(rc));
		else
			log_info(LOG_KNL, "trap of on-demand phase-2 tunnel "
			    "%" PRIu32 " removed", t->traps[i].def);
		t->traps[i] = t->traps[--t->ntraps];
	}
}

/* Installs what w has and the kernel does not (t->traps has room). */
static void
traps_add_new(struct tunnels *t, const struct trap_want *w)
{
	size_t i;
	int rc;

	for (i = 0; i < w->n; i++) {
		if (trap_in(t->traps, t->ntraps, &w->v[i]))
			continue;
		if ((rc = plat_policy_add(t->d->plat, &w->v[i].pol)) != 0) {
			log_err(LOG_KNL, "on-demand phase-2 tunnel %" PRIu32
			    ": cannot install its trap policy: %s",
			    w->v[i].def, ike_strerror(rc));
			continue;
		}
		log_info(LOG_KNL, "on-demand phase-2 tunnel %" PRIu32
		    ": trap policy installed", w->v[i].def);
		t->traps[t->ntraps++] = w->v[i];
	}
}

void
tunnels_traps_sync(struct tunnels *t)
{
	struct trap_want w = { .t = t };
	struct tun_trap *nv;

	if (db_read_begin(t->d->db, &w.txn) != 0)
		return;
	(void)db_foreach(w.txn, DB_T_IPSEC_TUNNEL, want_cb, &w);
	db_abort(w.txn);
	traps_drop_stale(t, &w);
	if (t->ntraps + w.n > t->traps_cap) {
		nv = reallocarray(t->traps, t->ntraps + w.n, sizeof(*nv));
		if (nv == NULL) {
			log_err(LOG_KNL, "out of memory: traps not installed");
			free(w.v);
			return;
		}
		t->traps = nv;
		t->traps_cap = t->ntraps + w.n;
	}
	traps_add_new(t, &w);
	free(w.v);
}

void
tunnels_traps_free(struct tunnels *t)
{
	traps_drop_stale(t, NULL);
	free(t->traps);
	t->traps = NULL;
	t->ntraps = t->traps_cap = 0;
}

void
tunnels_acquire(struct tunnels *t, uint32_t reqid)
{
	char why[256];
	uint32_t num;
	enum tun_start r;

	if (reqid <= TM_TRAP_REQID_BASE ||
	    reqid - TM_TRAP_REQID_BASE > TM_TRAP_NUM_MAX) {
		log_dbg(LOG_KNL, "acquire for reqid %" PRIu32 ": not a "
		    "trap of ours", reqid);
		return;
	}
	num = reqid - TM_TRAP_REQID_BASE;
	r = tunnels_start_p2(t, num, why, sizeof(why));
	if (r == TUN_STARTED)
		log_info(LOG_IKE, "traffic for on-demand phase-2 tunnel %"
		    PRIu32 ": negotiating", num);
	else if (r != TUN_EXISTS)
		log_err(LOG_IKE, "traffic for on-demand phase-2 tunnel %"
		    PRIu32 ": %s", num, why);
}

void
tunnels_sa_expired(struct tunnels *t, const struct plat_sa_id *id,
    bool hard)
{
	int rc;

	memset(&t->stash, 0, sizeof(t->stash));
	rc = engine_sa_expired(t->eng, id, hard, tun_now_ms());
	if (rc != 0 && rc != IKE_ENOTFOUND)
		log_err(LOG_KNL, "%s expiry of SA 0x%08" PRIx32 ": %s",
		    hard ? "hard" : "soft", id->spi, ike_strerror(rc));
	tun_timer_update(t);
}
