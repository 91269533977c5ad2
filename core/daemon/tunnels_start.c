/* core/daemon/tunnels_start.c: starting definitions as initiator (toward
 * their own peer or another: remid=<group>, ipaddr=) and removing active
 * tunnels. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../db/db.h"
#include "../../db/model_names.h"
#include "../codec/ikev2.h"
#include "../ctl/ctl_msg.h"
#include "../err.h"
#include "../log.h"
#include "../sa/ike_sa.h"
#include "../secmem.h"
#include "../tunnel/tm_cfg.h"
#include "isakmpd.h"
#include "tunnels_child.h"
#include "tunnels_int.h"

/* Definitions read in one transaction, heap-held (they are large). */
struct defs {
	struct db_obj		 p1, p2;
	struct ike_cfg		 ike;		/* secret: wiped */
	struct child_cfg	 child;
	const struct tun_peer	*peer;		/* borrowed; NULL: the
						 * definition's own */
};

static void
defs_free(struct defs *x)
{
	if (x == NULL)
		return;
	ike_cfg_wipe(&x->ike);
	secmem_wipe(x, sizeof(*x));
	free(x);
}

/* Starts x as initiator and lists it. */
static enum tun_start
initiate(struct tunnels *t, struct defs *x, char *why, size_t n)
{
	struct tm_tunnel *e1, *e2;
	char cw[256];
	uint32_t h;
	int rc;

	memset(&t->stash, 0, sizeof(t->stash));
	if (dcerts_usable(&t->d->certs, x->ike.auth, cw, sizeof(cw)) != 0) {
		snprintf(why, n, "phase-1 tunnel %s: %s",
		    x->p1.u.ike_tun.name, cw);
		return TUN_FAILED;
	}
	if ((rc = engine_initiate(t->eng, &x->ike, &x->child, tun_now_ms(),
	    &h)) != 0) {
		snprintf(why, n, "phase-1 tunnel %s: the engine refused it: "
		    "%s", x->p1.u.ike_tun.name, ike_strerror(rc));
		return TUN_FAILED;
	}
	tun_timer_update(t);
	if ((e1 = tm_add(&t->tm, 1)) == NULL)
		goto nomem;
	e1->handle = h;
	if ((e2 = tm_add(&t->tm, 2)) == NULL)
		goto nomem;
	e2->handle = h;
	e1->role = e2->role = 'i';
	e1->version = e2->version = x->ike.version == IKE_VERSION_1 ?
	    IKE_VERSION_1 : IKE_VERSION_2;
	e1->aggressive = x->ike.version == IKE_VERSION_1 && x->ike.aggressive;
	e1->auth = x->ike.auth;
	e1->def_num = x->p1.u.ike_tun.num;
	memcpy(e1->def_name, x->p1.u.ike_tun.name, sizeof(e1->def_name));
	e2->def_num = x->p2.u.ipsec_tun.num;
	memcpy(e2->def_name, x->p2.u.ipsec_tun.name, sizeof(e2->def_name));
	e2->parent = e1->num;
	tm_set_ids(e1, &x->ike.local_id, &x->ike.remote_id);
	tm_set_ts(e2, &x->child.local_ts, &x->child.remote_ts);
	log_info(LOG_IKE, "starting phase-1 tunnel %u (%s, IKEv%u) with "
	    "phase-2 tunnel %u (%s)", e1->num, e1->def_name, e1->version,
	    e2->num, e2->def_name);
	if (e1->aggressive)
		tun_v1_warn_aggressive("phase-1 tunnel", e1->num,
		    e1->def_name);
	return TUN_STARTED;
nomem:
	snprintf(why, n, "out of memory");
	return TUN_FAILED;
}

/* A live phase-2 entry of definition def whose phase 1 runs toward
 * peer. */
static struct tm_tunnel *
find_p2(struct tunnels *t, uint32_t def, const struct tun_peer *peer)
{
	struct tm_tunnel *e, *p;

	for (e = t->tm.head; e != NULL; e = e->next)
		if (e->phase == 2 && e->def_num == def && def != 0 &&
		    e->state != TM_EXPIRED &&
		    (p = tm_find(&t->tm, 1, e->parent)) != NULL &&
		    tun_toward(t, p, peer))
			return e;
	return NULL;
}

static void
addr_text(const struct ike_addr *a, char *buf, size_t n)
{
	if (inet_ntop(a->family, a->addr, buf, (socklen_t)n) == NULL)
		buf[0] = '\0';
}

/* tun with peer's fields in place of its own. */
static void
tun_peer_set(struct db_ike_tunnel *tun, const struct tun_peer *peer)
{
	if (peer->remote.family != 0)
		addr_text(&peer->remote, tun->remote_addr,
		    sizeof(tun->remote_addr));
	if (peer->local.family != 0)
		addr_text(&peer->local, tun->local_addr,
		    sizeof(tun->local_addr));
	if (peer->id.type != 0)
		tun->remote = peer->id;
}

/* The key of the definition's own remote identity (a Group's, or a
 * subnet's or range's) for a peer identity without a key of its own. */
static int
load_with_def_key(struct db_txn *txn, const struct db_ike_tunnel *def,
    const struct db_ike_tunnel *tun, uint16_t port, struct ike_cfg *out,
    char *err, size_t errlen)
{
	struct db_obj *o;	/* owned: [0] protection, [1] key */
	char key[DB_KEY_MAX];
	int rc = IKE_ENOTFOUND;

	if ((o = calloc(2, sizeof(*o))) == NULL)
		return IKE_ENOMEM;
	if (db_ident_key(&def->remote, key, sizeof(key)) != 0 ||
	    db_get(txn, DB_T_PSK, key, &o[1]) != 0)
		snprintf(err, errlen, "IKETunnel %s: no IKEPresharedKey for "
		    "%.48s nor for its remote identity %.48s", def->name,
		    tun->remote.value, def->remote.value);
	else if (db_get(txn, DB_T_IKE_PROTECTION, def->protection, o) != 0)
		snprintf(err, errlen, "IKETunnel %s: IKEProtection %s not "
		    "found", def->name, def->protection);
	else if (o->u.ike_prot.role == DB_ROLE_RESPONDER) {
		snprintf(err, errlen, "IKETunnel %s: IKEProtection %s may "
		    "not initiate (IKE_Role)", def->name, def->protection);
		rc = IKE_EINVAL;
	} else
		rc = tm_ike_cfg(tun, &o->u.ike_prot, &o[1].u.psk, port, out,
		    err, errlen);
	secmem_wipe(o, 2 * sizeof(*o));
	free(o);
	return rc;
}

/* x->p1 as initiator toward x->peer: the peer identity's own key,
 * else the key of the definition's remote identity. */
static int
load_ike(struct tunnels *t, struct db_txn *txn, struct defs *x, char *err,
    size_t errlen)
{
	struct db_ike_tunnel tun = x->p1.u.ike_tun;
	int rc;

	if (x->peer != NULL)
		tun_peer_set(&tun, x->peer);
	rc = tm_load_ike_as(txn, &tun, t->port, 'i', &x->ike, err, errlen);
	if (rc == IKE_ENOTFOUND && x->peer != NULL && x->peer->id.type != 0 &&
	    x->p1.u.ike_tun.remote.type != x->peer->id.type)
		rc = load_with_def_key(txn, &x->p1.u.ike_tun, &tun, t->port,
		    &x->ike, err, errlen);
	if (rc == 0)	/* IKEv1 on the v1= port */
		tm_cfg_ports(&x->ike, t->v1_port, t->port);
	return rc;
}

/* Loads x->p2's phase 1 and both records, then starts them, or the
 * phase 2 alone over its running phase 1. */
static enum tun_start
start_loaded(struct tunnels *t, struct db_txn *txn, struct defs *x,
    char *why, size_t n)
{
	const struct db_ipsec_tunnel *pt = &x->p2.u.ipsec_tun;
	struct db_ipsec_tunnel ptg;	/* pt toward x->ike's peer */
	struct tm_tunnel *p;
	char err[TM_ERR_MAX];

	if (find_p2(t, pt->num, x->peer) != NULL) {
		snprintf(why, n, "phase-2 tunnel %" PRIu32 " (%s) already "
		    "exists", pt->num, pt->name);
		return TUN_EXISTS;
	}
	if (db_get(txn, DB_T_IKE_TUNNEL, pt->ike_tunnel, &x->p1) != 0) {
		snprintf(why, n, "phase-2 tunnel %s: IKETunnel %s not found",
		    pt->name, pt->ike_tunnel);
		return TUN_FAILED;
	}
	if ((p = tun_find_p1(t, x->p1.u.ike_tun.num, x->peer)) != NULL)
		return tun_child_add(t, p, pt, why, n);
	ptg = *pt;
	if (load_ike(t, txn, x, err, sizeof(err)) != 0 ||
	    tun_p2_group(txn, &ptg, &x->ike.remote, err, sizeof(err)) != 0 ||
	    tm_load_child_as(txn, &ptg, 'i', &x->ike, &x->child, err,
	    sizeof(err)) != 0) {
		snprintf(why, n, "phase-2 tunnel %s: %s", pt->name, err);
		return TUN_FAILED;
	}
	return initiate(t, x, why, n);
}

enum tun_start
tunnels_start_p2(struct tunnels *t, uint32_t num, char *why, size_t n)
{
	return tunnels_start_p2_to(t, num, NULL, why, n);
}

enum tun_start
tunnels_start_p2_to(struct tunnels *t, uint32_t num,
    const struct tun_peer *peer, char *why, size_t n)
{
	struct defs *x;
	struct db_txn *txn;
	enum tun_start r = TUN_FAILED;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		snprintf(why, n, "out of memory");
		return TUN_FAILED;
	}
	x->peer = peer;
	if (db_read_begin(t->d->db, &txn) != 0) {
		snprintf(why, n, "cannot read the database");
		defs_free(x);
		return TUN_FAILED;
	}
	if (db_get_num(txn, 2, num, &x->p2) != 0)
		snprintf(why, n, "phase-2 tunnel %" PRIu32 " is not in the "
		    "database", num);
	else
		r = start_loaded(t, txn, x, why, n);
	db_abort(txn);
	defs_free(x);
	if (r == TUN_STARTED)
		tun_child_kick(t);	/* a phase 2 over a running phase 1 */
	return r;
}

/* The phase-2 definitions under phase-1 definition p1, in number
 * order. */
struct p2_list {
	const char	*p1;
	uint32_t	 v[TUN_MAX_TARGETS];
	size_t		 n;
};

static int
p2_list_cb(const struct db_obj *o, void *arg)
{
	struct p2_list *f = arg;

	if (strcmp(o->u.ipsec_tun.ike_tunnel, f->p1) == 0 &&
	    f->n < TUN_MAX_TARGETS)
		f->v[f->n++] = o->u.ipsec_tun.num;
	return 0;
}

/* Reads phase-1 definition num into o and its phase-2 definitions into
 * f.  false when num is not in the database. */
static bool
read_p1(struct tunnels *t, uint32_t num, struct db_obj *o,
    struct p2_list *f)
{
	struct db_txn *txn;
	bool found = false;

	if (db_read_begin(t->d->db, &txn) != 0)
		return false;
	if (db_get_num(txn, 1, num, o) == 0) {
		found = true;
		f->p1 = o->u.ike_tun.name;
		(void)db_foreach(txn, DB_T_IPSEC_TUNNEL, p2_list_cb, f);
	}
	db_abort(txn);
	return found;
}

/* The phase-2 definitions after the first wait for IKE_AUTH, then
 * follow one CREATE_CHILD_SA at a time. */
static void
queue_rest(struct tunnels *t, const struct tun_peer *peer,
    const struct p2_list *f)
{
	char why[TM_ERR_MAX + DB_NAME_MAX + 32];
	size_t i;

	for (i = 1; i < f->n; i++) {
		why[0] = '\0';
		if (tunnels_start_p2_to(t, f->v[i], peer, why, sizeof(why)) !=
		    TUN_STARTED)
			log_info(LOG_IKE, "%s", why);
	}
}

enum tun_start
tunnels_start_p1(struct tunnels *t, uint32_t num, char *why, size_t n)
{
	return tunnels_start_p1_to(t, num, NULL, why, n);
}

enum tun_start
tunnels_start_p1_to(struct tunnels *t, uint32_t num,
    const struct tun_peer *peer, char *why, size_t n)
{
	struct db_obj *o;	/* owned */
	struct p2_list *f;	/* owned */
	enum tun_start r = TUN_FAILED;

	o = calloc(1, sizeof(*o));
	f = calloc(1, sizeof(*f));
	if (o == NULL || f == NULL)
		snprintf(why, n, "out of memory");
	else if (!read_p1(t, num, o, f))
		snprintf(why, n, "phase-1 tunnel %" PRIu32 " is not in the "
		    "database", num);
	else if (tun_find_p1(t, num, peer) != NULL) {
		snprintf(why, n, "phase-1 tunnel %" PRIu32 " (%s) already "
		    "exists", num, o->u.ike_tun.name);
		r = TUN_EXISTS;
	} else if (f->n == 0)
		snprintf(why, n, "phase-1 tunnel %s has no phase-2 tunnel: "
		    "it is started with its first one (IKEv2 negotiates it "
		    "inside IKE_AUTH, IKEv1 in a Quick Mode right after)",
		    o->u.ike_tun.name);
	else if ((r = tunnels_start_p2_to(t, f->v[0], peer, why, n)) ==
	    TUN_STARTED)
		queue_rest(t, peer, f);
	free(o);
	free(f);
	return r;
}

const struct tm_table *
tunnels_table(const struct tunnels *t)
{
	return &t->tm;
}

/* Deletes (or queues the Deletes of) every Child SA of handle. */
static int
delete_children(struct tunnels *t, uint32_t handle)
{
	struct tm_tunnel *c;
	int rc;

	for (c = tm_next_handle(&t->tm, NULL, handle); c != NULL;
	    c = tm_next_handle(&t->tm, c, handle)) {
		if (c->phase != 2 || c->state != TM_ACTIVE)
			continue;
		rc = engine_delete_child(t->eng, handle, c->spi_in,
		    tun_now_ms());
		if (rc != 0 && rc != IKE_ENOTFOUND)
			return rc;
	}
	return 0;
}

int
tunnels_remove(struct tunnels *t, uint8_t phase, uint32_t num)
{
	struct tm_tunnel *e = tm_find(&t->tm, phase, num);
	const struct ike_sa *sa;
	uint32_t h;
	int rc;

	if (e == NULL)
		return IKE_ENOTFOUND;
	memset(&t->stash, 0, sizeof(t->stash));
	if (e->state == TM_EXPIRED) {
		sa = phase == 1 ? engine_sa(t->eng, e->handle) : NULL;
		if (sa != NULL && sa->retiring) {	/* removed again: now */
			rc = engine_delete_ike(t->eng, e->handle,
			    tun_now_ms());
			if (rc == IKE_EBUSY)	/* its last Child SA takes it */
				rc = delete_children(t, e->handle);
			tun_timer_update(t);
			return rc;
		}
		if (phase == 1)
			tm_del_children(&t->tm, e->handle);
		tm_del(&t->tm, e);
		return 0;
	}
	if (e->state != TM_ACTIVE)
		return IKE_ESTATE;
	h = e->handle;	/* the engine's events may delete e */
	if (phase == 1) {
		/* The page: its phase-2 tunnels are not refreshed, they
		 * run out (docs/isakmpd.md, "Removing a phase 1").  An
		 * IKE SA deleted at once (nothing under it had a lifetime)
		 * took its entry with it. */
		if ((rc = engine_retire_ike(t->eng, h, tun_now_ms())) == 0 &&
		    engine_sa(t->eng, h) != NULL &&
		    (e = tm_find(&t->tm, 1, num)) != NULL)
			tm_expire(&t->tm, e, "removed: its phase-2 tunnels "
			    "run until their lifetime ends");
	} else if ((rc = engine_delete_child(t->eng, h, e->spi_in,
	    tun_now_ms())) == IKE_ENOTFOUND && engine_sa(t->eng, h) != NULL)
		rc = 0;		/* its Delete is under way already */
	tun_timer_update(t);
	return rc;
}
