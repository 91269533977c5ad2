/* core/daemon/tunnels_start.c: starting definitions as initiator and
 * removing active tunnels. */
#include <inttypes.h>
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
#include "../tunnel/tm_cfg.h"
#include "isakmpd.h"
#include "tunnels_int.h"

/* Definitions read in one transaction, heap-held (they are large). */
struct defs {
	struct db_obj	 p1, p2;
	struct ike_cfg	 ike;		/* secret: wiped */
	struct child_cfg child;
};

static void
defs_free(struct defs *x)
{
	if (x == NULL)
		return;
	ike_cfg_wipe(&x->ike);
	free(x);
}

/* Starts x as initiator and lists it. */
static enum tun_start
initiate(struct tunnels *t, struct defs *x, char *why, size_t n)
{
	struct tm_tunnel *e1, *e2;
	uint32_t h;
	int rc;

	memset(&t->stash, 0, sizeof(t->stash));
	if ((rc = engine_initiate(t->eng, &x->ike, &x->child, tun_now_ms(),
	    &h)) != 0) {
		snprintf(why, n, "phase-1 tunnel %s: the engine refused it: "
		    "%s", x->p1.u.ike_tun.name, ike_strerror(rc));
		return TUN_FAILED;
	}
	tun_timer_update(t);
	if ((e1 = tm_add(&t->tm, 1)) == NULL ||
	    (e2 = tm_add(&t->tm, 2)) == NULL) {
		snprintf(why, n, "out of memory");
		return TUN_FAILED;
	}
	e1->role = e2->role = 'i';
	e1->handle = e2->handle = h;
	e1->def_num = x->p1.u.ike_tun.num;
	memcpy(e1->def_name, x->p1.u.ike_tun.name, sizeof(e1->def_name));
	e2->def_num = x->p2.u.ipsec_tun.num;
	memcpy(e2->def_name, x->p2.u.ipsec_tun.name, sizeof(e2->def_name));
	e2->parent = e1->num;
	tm_id_str(&x->ike.local_id, e1->local, sizeof(e1->local));
	tm_id_str(&x->ike.remote_id, e1->remote, sizeof(e1->remote));
	tm_ts_str(&x->child.local_ts, e2->local, sizeof(e2->local));
	tm_ts_str(&x->child.remote_ts, e2->remote, sizeof(e2->remote));
	log_info(LOG_IKE, "starting phase-1 tunnel %u (%s) with phase-2 "
	    "tunnel %u (%s)", e1->num, e1->def_name, e2->num, e2->def_name);
	return TUN_STARTED;
}

/* Loads x->p2's phase 1 and both records, then starts them. */
static enum tun_start
start_loaded(struct tunnels *t, struct db_txn *txn, struct defs *x,
    char *why, size_t n)
{
	const struct db_ipsec_tunnel *pt = &x->p2.u.ipsec_tun;
	char err[TM_ERR_MAX];

	if (tm_find_def(&t->tm, 2, pt->num) != NULL) {
		snprintf(why, n, "phase-2 tunnel %" PRIu32 " (%s) already "
		    "exists", pt->num, pt->name);
		return TUN_EXISTS;
	}
	if (db_get(txn, DB_T_IKE_TUNNEL, pt->ike_tunnel, &x->p1) != 0) {
		snprintf(why, n, "phase-2 tunnel %s: IKETunnel %s not found",
		    pt->name, pt->ike_tunnel);
		return TUN_FAILED;
	}
	if (tm_find_def(&t->tm, 1, x->p1.u.ike_tun.num) != NULL) {
		snprintf(why, n, "phase-2 tunnel %s: another phase-2 tunnel "
		    "over the running phase-1 tunnel %s needs CREATE_CHILD_SA, "
		    "not yet supported", pt->name, pt->ike_tunnel);
		return TUN_UNSUPPORTED;
	}
	if (tm_load_ike_as(txn, &x->p1.u.ike_tun, t->port, 'i', &x->ike, err,
	    sizeof(err)) != 0 || tm_load_child_as(txn, pt, 'i', &x->ike,
	    &x->child, err, sizeof(err)) != 0) {
		snprintf(why, n, "phase-2 tunnel %s: %s", pt->name, err);
		return TUN_FAILED;
	}
	return initiate(t, x, why, n);
}

enum tun_start
tunnels_start_p2(struct tunnels *t, uint32_t num, char *why, size_t n)
{
	struct defs *x;
	struct db_txn *txn;
	enum tun_start r = TUN_FAILED;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		snprintf(why, n, "out of memory");
		return TUN_FAILED;
	}
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
	return r;
}

struct first_p2 {
	const char	*p1;
	uint32_t	 num;
};

static int
first_p2_cb(const struct db_obj *o, void *arg)
{
	struct first_p2 *f = arg;

	if (strcmp(o->u.ipsec_tun.ike_tunnel, f->p1) != 0)
		return 0;
	f->num = o->u.ipsec_tun.num;
	return 1;
}

enum tun_start
tunnels_start_p1(struct tunnels *t, uint32_t num, char *why, size_t n)
{
	struct db_obj *o;	/* owned */
	struct db_txn *txn;
	struct first_p2 f = { NULL, 0 };
	enum tun_start r;

	if ((o = calloc(1, sizeof(*o))) == NULL ||
	    db_read_begin(t->d->db, &txn) != 0) {
		free(o);
		snprintf(why, n, "cannot read the database");
		return TUN_FAILED;
	}
	if (db_get_num(txn, 1, num, o) == 0) {
		f.p1 = o->u.ike_tun.name;
		(void)db_foreach(txn, DB_T_IPSEC_TUNNEL, first_p2_cb, &f);
	}
	db_abort(txn);
	r = TUN_FAILED;
	if (f.p1 == NULL)
		snprintf(why, n, "phase-1 tunnel %" PRIu32 " is not in the "
		    "database", num);
	else if (tm_find_def(&t->tm, 1, num) != NULL) {
		snprintf(why, n, "phase-1 tunnel %" PRIu32 " (%s) already "
		    "exists", num, o->u.ike_tun.name);
		r = TUN_EXISTS;
	} else if (f.num == 0)
		snprintf(why, n, "phase-1 tunnel %s has no phase-2 tunnel: "
		    "IKEv2 negotiates the first one with it",
		    o->u.ike_tun.name);
	else
		r = TUN_STARTED;
	free(o);
	if (r != TUN_STARTED)
		return r;
	return tunnels_start_p2(t, f.num, why, n);
}

const struct tm_table *
tunnels_table(const struct tunnels *t)
{
	return &t->tm;
}

int
tunnels_remove(struct tunnels *t, uint8_t phase, uint32_t num)
{
	struct tm_tunnel *e = tm_find(&t->tm, phase, num);
	int rc;

	if (e == NULL)
		return IKE_ENOTFOUND;
	if (e->state == TM_EXPIRED) {
		if (phase == 1)
			tm_del_children(&t->tm, e->handle);
		tm_del(&t->tm, e);
		return 0;
	}
	if (e->state != TM_ACTIVE)
		return IKE_ESTATE;
	memset(&t->stash, 0, sizeof(t->stash));
	if (phase == 1)
		rc = engine_delete_ike(t->eng, e->handle, tun_now_ms());
	else
		rc = engine_delete_child(t->eng, e->handle, e->spi_in,
		    tun_now_ms());
	tun_timer_update(t);
	return rc;
}
