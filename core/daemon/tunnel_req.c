/* core/daemon/tunnel_req.c: ACTIVATE, LIST and REMOVE.  Definitions are
 * read in a fresh transaction on each request, so that what ikedb wrote
 * since is seen. */
#include "tunnel_req.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../db/db.h"
#include "../err.h"
#include "../log.h"
#include "isakmpd.h"
#include "../tunnel/tm_cfg.h"
#include "tunnels.h"

#define TREQ_MAX_DEFS	4096	/* definitions one request may start */

/* Outcomes of one request. */
struct outcome {
	unsigned	 n[TUN_UNSUPPORTED + 1];
	struct wr	*w;	/* messages; NULL: log them */
};

static void
note(struct outcome *o, enum tun_start r, const char *why)
{
	o->n[r]++;
	if (r == TUN_STARTED)
		return;
	if (o->w != NULL)
		ctl_put_str(o->w, CTL_A_MESSAGE, why);
	else
		log_info(LOG_IKE, "autostart: %s", why);
}

static void
start(struct isakmpd *d, struct outcome *o, int phase, uint32_t num)
{
	char why[TM_ERR_MAX + DB_NAME_MAX + 32];
	enum tun_start r;

	why[0] = '\0';
	r = phase == 1 ? tunnels_start_p1(d->tun, num, why, sizeof(why)) :
	    tunnels_start_p2(d->tun, num, why, sizeof(why));
	note(o, r, why);
}

/* Definition numbers of one phase, collected before any is started
 * (a start opens its own transaction). */
struct nums {
	uint32_t	 v[TREQ_MAX_DEFS];
	size_t		 n;
	bool		 autostart_only;
};

static int
nums_cb(const struct db_obj *o, void *arg)
{
	struct nums *ns = arg;
	bool as = o->type == DB_T_IKE_TUNNEL ? o->u.ike_tun.autostart :
	    o->u.ipsec_tun.autostart;
	uint32_t num = o->type == DB_T_IKE_TUNNEL ? o->u.ike_tun.num :
	    o->u.ipsec_tun.num;

	if ((!ns->autostart_only || as) && ns->n < TREQ_MAX_DEFS)
		ns->v[ns->n++] = num;
	return 0;
}

static int
collect(struct isakmpd *d, int phase, bool autostart_only, struct nums *ns)
{
	struct db_txn *txn;
	int rc;

	ns->n = 0;
	ns->autostart_only = autostart_only;
	if ((rc = db_read_begin(d->db, &txn)) != 0)
		return rc;
	rc = db_foreach(txn, phase == 1 ? DB_T_IKE_TUNNEL : DB_T_IPSEC_TUNNEL,
	    nums_cb, ns);
	db_abort(txn);
	return rc;
}

/* A numlist item naming one tunnel that is not in the database. */
static void
missing(struct outcome *o, int phase, const struct nums *ns,
    const struct ctl_msg *ranges, size_t r)
{
	char why[96];
	uint32_t lo, hi;
	size_t i;

	if (ctl_get_range_nth(ranges, r, &lo, &hi) != 0 || lo != hi)
		return;
	for (i = 0; i < ns->n; i++)
		if (ns->v[i] == lo)
			return;
	snprintf(why, sizeof(why), "phase-%d tunnel %" PRIu32 " is not in "
	    "the database", phase, lo);
	note(o, TUN_FAILED, why);
}

static void
start_all(struct isakmpd *d, struct outcome *o, int phase, bool autostart,
    const struct ctl_msg *ranges)
{
	struct nums *ns;	/* owned */
	uint32_t lo, hi;
	size_t i, r, nr = ranges != NULL ? ctl_count(ranges, CTL_A_RANGE) : 0;

	if ((ns = calloc(1, sizeof(*ns))) == NULL ||
	    collect(d, phase, autostart, ns) != 0) {
		note(o, TUN_FAILED, "cannot read the database");
		free(ns);
		return;
	}
	for (i = 0; i < ns->n; i++) {
		for (r = 0; r < nr; r++)
			if (ctl_get_range_nth(ranges, r, &lo, &hi) == 0 &&
			    ns->v[i] >= lo && ns->v[i] <= hi)
				break;
		if (nr == 0 || r < nr)
			start(d, o, phase, ns->v[i]);
	}
	for (r = 0; r < nr; r++)
		missing(o, phase, ns, ranges, r);
	free(ns);
}

static void
start_names(struct isakmpd *d, struct outcome *o, int phase,
    const struct ctl_msg *req)
{
	char name[DB_NAME_MAX + 1], why[DB_NAME_MAX + 64];
	struct db_obj *obj;	/* owned */
	struct db_txn *txn;
	uint32_t num;
	size_t i, n = ctl_count(req, CTL_A_NAME);
	int rc;

	if ((obj = calloc(1, sizeof(*obj))) == NULL) {
		note(o, TUN_FAILED, "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		if (ctl_get_str_nth(req, CTL_A_NAME, i, name,
		    sizeof(name)) != 0 || db_read_begin(d->db, &txn) != 0) {
			snprintf(why, sizeof(why), "no tunnel of that name");
			note(o, TUN_FAILED, why);
			continue;
		}
		rc = db_get(txn, phase == 1 ? DB_T_IKE_TUNNEL :
		    DB_T_IPSEC_TUNNEL, name, obj);
		db_abort(txn);
		if (rc != 0) {
			snprintf(why, sizeof(why), "phase-%d tunnel %s is not "
			    "in the database", phase, name);
			note(o, TUN_FAILED, why);
			continue;
		}
		num = phase == 1 ? obj->u.ike_tun.num : obj->u.ipsec_tun.num;
		start(d, o, phase, num);
	}
	free(obj);
}

static uint32_t
result_of(const struct outcome *o)
{
	if (o->n[TUN_FAILED] > 0)
		return CTL_R_FAILED;
	if (o->n[TUN_STARTED] > 0)
		return CTL_R_OK;
	if (o->n[TUN_UNSUPPORTED] > 0)
		return CTL_R_UNSUPPORTED;
	if (o->n[TUN_EXISTS] > 0)
		return CTL_R_EXISTS;
	return CTL_R_OK;
}

/* A sentence for a request this daemon does not carry out, or NULL;
 * *result what to answer.  (ike checks the same; other clients may
 * not.) */
static const char *
activate_refusal(const struct ctl_msg *req, uint32_t fl, uint8_t phase,
    uint32_t *result)
{
	bool remid = ctl_count(req, CTL_A_REMID) > 0,
	    ipaddr = ctl_count(req, CTL_A_IPSRC) > 0 ||
	    ctl_count(req, CTL_A_IPDST) > 0,
	    lists = ctl_count(req, CTL_A_RANGE) > 0 ||
	    ctl_count(req, CTL_A_NAME) > 0;

	*result = CTL_R_USAGE;
	if ((fl & CTL_F_AUTOSTART) && (phase != 0 || lists))
		return "autostart cannot be used with phase, numlist or "
		    "namelist";
	if ((fl & CTL_F_AUTOSTART) && (remid || ipaddr))
		return "autostart cannot be used with remid or ipaddr";
	if (remid && (ipaddr || lists))
		return "remid cannot be used with ipaddr, numlist or namelist";
	if (ipaddr && lists)
		return "ipaddr cannot be used with numlist or namelist: it "
		    "names the definitions itself";
	if (ctl_count(req, CTL_A_REMID) > 1)
		return "remid given more than once";
	if (ipaddr && (ctl_count(req, CTL_A_IPSRC) != 1 ||
	    ctl_count(req, CTL_A_IPDST) != 1))
		return "ipaddr needs one source and one destination address";
	if (ctl_count(req, CTL_A_NAME) > 0 && phase == 0)
		return "namelist requires phase";
	if (phase > 2)
		return "phase must be 1 or 2";
	return NULL;
}

/* Starts what remid= or ipaddr= names. */
static void
start_selected(struct isakmpd *d, struct outcome *o, const struct ctl_msg *req,
    uint8_t phase)
{
	char a[DB_IDVAL_MAX], b[DB_IDVAL_MAX], why[TM_ERR_MAX + 3 *
	    DB_IDVAL_MAX];
	struct tun_targets ts = { NULL, 0 };
	const struct tun_target *x;
	size_t i;
	int rc;

	why[0] = '\0';
	if (ctl_get_str_nth(req, CTL_A_REMID, 0, a, sizeof(a)) == 0)
		rc = tunnels_select_remid(d->tun, a, phase, &ts, why,
		    sizeof(why));
	else if (ctl_get_str_nth(req, CTL_A_IPSRC, 0, a, sizeof(a)) == 0 &&
	    ctl_get_str_nth(req, CTL_A_IPDST, 0, b, sizeof(b)) == 0)
		rc = tunnels_select_ipaddr(d->tun, a, b, phase, &ts, why,
		    sizeof(why));
	else {
		rc = IKE_EINVAL;
		snprintf(why, sizeof(why), "remid or ipaddr too long");
	}
	if (rc != 0) {
		note(o, TUN_FAILED, why);
		return;
	}
	for (i = 0; i < ts.n; i++) {
		x = &ts.v[i];
		why[0] = '\0';
		note(o, x->phase == 1 ? tunnels_start_p1_to(d->tun, x->num,
		    x->has_peer ? &x->peer : NULL, why, sizeof(why)) :
		    tunnels_start_p2_to(d->tun, x->num, x->has_peer ?
		    &x->peer : NULL, why, sizeof(why)), why);
	}
	free(ts.v);
}

static void
activate_run(struct isakmpd *d, const struct ctl_msg *req, uint32_t fl,
    uint8_t phase, struct outcome *o)
{
	if (fl & CTL_F_AUTOSTART) {
		start_all(d, o, 2, true, NULL);
		start_all(d, o, 1, true, NULL);
	} else if (ctl_count(req, CTL_A_REMID) > 0 ||
	    ctl_count(req, CTL_A_IPSRC) > 0)
		start_selected(d, o, req, phase);
	else if (ctl_count(req, CTL_A_NAME) > 0)
		start_names(d, o, phase, req);
	else
		start_all(d, o, phase == 1 ? 1 : 2, false,
		    ctl_count(req, CTL_A_RANGE) > 0 ? req : NULL);
	if (o->n[TUN_STARTED] + o->n[TUN_EXISTS] + o->n[TUN_FAILED] +
	    o->n[TUN_UNSUPPORTED] == 0)
		note(o, TUN_FAILED, (fl & CTL_F_AUTOSTART) ? "no tunnel "
		    "definition is flagged autostart" : phase == 1 ? "no "
		    "phase-1 tunnel definition to activate" : "no phase-2 "
		    "tunnel definition to activate");
}

void
treq_activate(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	struct outcome o;
	struct wr msgs;
	const char *why;
	uint32_t fl = 0, result;
	uint8_t phase = 0;

	(void)ctl_get_u32(req, CTL_A_FLAGS, &fl);
	(void)ctl_get_u8(req, CTL_A_PHASE, &phase);
	if ((why = activate_refusal(req, fl, phase, &result)) != NULL) {
		if (result == CTL_R_USAGE)
			d->usage_replies++;
		ctl_put_u32(w, CTL_A_RESULT, result);
		ctl_put_str(w, CTL_A_MESSAGE, why);
		return;
	}
	tunnels_listen(d->tun);
	memset(&o, 0, sizeof(o));
	wr_init(&msgs, CTL_REPLY_MAX);
	o.w = &msgs;
	activate_run(d, req, fl, phase, &o);
	ctl_put_u32(w, CTL_A_RESULT, result_of(&o));
	if (wr_error(&msgs) == 0)
		wr_bytes(w, msgs.buf, msgs.len);
	wr_free(&msgs);
}

void
treq_autostart(struct isakmpd *d)
{
	struct outcome o;

	memset(&o, 0, sizeof(o));
	start_all(d, &o, 2, true, NULL);
	start_all(d, &o, 1, true, NULL);
	if (o.n[TUN_STARTED] > 0)
		log_info(LOG_IKE, "autostart: %u negotiation(s) started",
		    o.n[TUN_STARTED]);
}

static bool
in_ranges(const struct ctl_msg *req, uint32_t num)
{
	size_t r, nr = ctl_count(req, CTL_A_RANGE);
	uint32_t lo, hi;

	for (r = 0; r < nr; r++)
		if (ctl_get_range_nth(req, r, &lo, &hi) == 0 && num >= lo &&
		    num <= hi)
			return true;
	return nr == 0;
}

static void
put_tunnel(const struct tm_tunnel *e, struct tunnels *verbose, struct wr *w)
{
	size_t m = ctl_nest_begin(w, CTL_A_TUNNEL), dm;

	ctl_put_u8(w, CTL_A_T_PHASE, e->phase);
	ctl_put_u32(w, CTL_A_T_NUM, e->num);
	ctl_put_str(w, CTL_A_T_STATUS, tm_state_name(e->state));
	if (e->local[0] != '\0')
		ctl_put_str(w, CTL_A_T_LOCAL, e->local);
	if (e->remote[0] != '\0')
		ctl_put_str(w, CTL_A_T_REMOTE, e->remote);
	if (e->phase == 2)
		ctl_put_u32(w, CTL_A_T_PARENT, e->parent);
	if (verbose) {
		dm = ctl_nest_begin(w, CTL_A_T_DETAIL);
		tunnels_detail(verbose, e, w);
		ctl_nest_end(w, dm);
	}
	ctl_nest_end(w, m);
}

static bool
role_ok(const struct ctl_msg *req, const struct tm_tunnel *e)
{
	uint8_t role;

	return ctl_get_u8(req, CTL_A_ROLE, &role) != 0 || role == e->role;
}

/* phase=2: each phase-2 tunnel in the numlist, preceded by its phase-1
 * tunnel unless that was the line before (as `ike cmd=list db`). */
static void
list_p2(const struct tm_table *tm, const struct ctl_msg *req,
    struct tunnels *v, struct wr *w)
{
	const struct tm_tunnel *e, *p, *last = NULL;

	for (e = tm->head; e != NULL; e = e->next) {
		if (e->phase != 2 || !in_ranges(req, e->num) ||
		    !role_ok(req, e))
			continue;
		p = tm_find(tm, 1, e->parent);
		if (p != NULL && p != last)
			put_tunnel(p, v, w);
		put_tunnel(e, v, w);
		last = p;
	}
}

void
treq_list(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	const struct tm_table *tm = tunnels_table(d->tun);
	const struct tm_tunnel *e, *c;
	uint32_t fl = 0;
	uint8_t phase = 3;
	struct tunnels *v;	/* borrowed; NULL: concise listing */

	tunnels_refresh(d->tun);
	(void)ctl_get_u32(req, CTL_A_FLAGS, &fl);
	(void)ctl_get_u8(req, CTL_A_PHASE, &phase);
	v = (fl & CTL_F_VERBOSE) != 0 ? d->tun : NULL;
	ctl_put_u32(w, CTL_A_RESULT, CTL_R_OK);
	if (phase == 2) {
		list_p2(tm, req, v, w);
		return;
	}
	for (e = tm->head; e != NULL; e = e->next) {
		if (e->phase != 1 || !in_ranges(req, e->num))
			continue;
		if (role_ok(req, e))
			put_tunnel(e, v, w);
		if (phase != 3)
			continue;
		for (c = tm->head; c != NULL; c = c->next)
			if (c->phase == 2 && c->parent == e->num &&
			    role_ok(req, c))
				put_tunnel(c, v, w);
	}
}

static void
remove_one(struct isakmpd *d, uint8_t phase, uint32_t num, struct wr *msgs,
    unsigned *failed)
{
	char m[128];
	int rc;

	if ((rc = tunnels_remove(d->tun, phase, num)) == 0)
		return;
	(*failed)++;
	if (rc == IKE_ENOTFOUND)
		snprintf(m, sizeof(m), "phase-%u tunnel %" PRIu32 " is not "
		    "active", phase, num);
	else if (rc == IKE_ESTATE)
		snprintf(m, sizeof(m), "phase-%u tunnel %" PRIu32 " is busy "
		    "(negotiating, or a request is outstanding): try again",
		    phase, num);
	else
		snprintf(m, sizeof(m), "phase-%u tunnel %" PRIu32 ": %s",
		    phase, num, ike_strerror(rc));
	ctl_put_str(msgs, CTL_A_MESSAGE, m);
}

static bool
was_listed(const uint32_t *nums, size_t n, uint32_t num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nums[i] == num)
			return true;
	return false;
}

/* Removes the tunnels of one phase in req's numlist (all without one);
 * *n_found: how many were active. */
static void
remove_phase(struct isakmpd *d, const struct ctl_msg *req, uint8_t phase,
    struct wr *msgs, unsigned *failed, size_t *n_found)
{
	const struct tm_table *tm = tunnels_table(d->tun);
	uint32_t nums[TREQ_MAX_DEFS], lo, hi;
	const struct tm_tunnel *e;
	size_t i, n = 0, r;

	for (e = tm->head; e != NULL && n < TREQ_MAX_DEFS; e = e->next)
		if (e->phase == phase && in_ranges(req, e->num))
			nums[n++] = e->num;
	/* Entries change as Deletes go out: numbers were taken first. */
	for (i = 0; i < n; i++)
		remove_one(d, phase, nums[i], msgs, failed);
	for (r = 0; r < ctl_count(req, CTL_A_RANGE); r++)
		if (ctl_get_range_nth(req, r, &lo, &hi) == 0 && lo == hi &&
		    tm_find(tm, phase, lo) == NULL && !was_listed(nums, n, lo))
			remove_one(d, phase, lo, msgs, failed);
	*n_found += n;
}

/* Without a phase: phase 2 first, then phase 1, so that `ike cmd=remove
 * all` leaves nothing (a removed phase 1 alone keeps its phase 2 until
 * it expires, docs/isakmpd.md). */
void
treq_remove(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	unsigned failed = 0;
	uint8_t phase = 0;
	size_t n = 0;
	struct wr msgs;

	(void)ctl_get_u8(req, CTL_A_PHASE, &phase);
	wr_init(&msgs, CTL_REPLY_MAX);
	if (phase != 1)
		remove_phase(d, req, 2, &msgs, &failed, &n);
	if (phase != 2)
		remove_phase(d, req, 1, &msgs, &failed, &n);
	if (n == 0 && failed == 0 && ctl_count(req, CTL_A_RANGE) > 0) {
		failed++;
		ctl_put_str(&msgs, CTL_A_MESSAGE, phase == 1 ? "no active "
		    "phase-1 tunnel in the numlist" : phase == 2 ? "no active "
		    "phase-2 tunnel in the numlist" : "no active tunnel in "
		    "the numlist");
	}
	ctl_put_u32(w, CTL_A_RESULT, failed ? CTL_R_FAILED : CTL_R_OK);
	if (wr_error(&msgs) == 0)
		wr_bytes(w, msgs.buf, msgs.len);
	wr_free(&msgs);
}
