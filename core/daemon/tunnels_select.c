/* core/daemon/tunnels_select.c: the definitions `ike cmd=activate
 * remid=` and `ipaddr=` name, with the peer each is started toward
 * (docs/ike.md "activate").  Phase-1 definitions that match are
 * collected first (hits); the targets follow from them and the phase
 * asked for. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../db/db.h"
#include "../err.h"
#include "../tunnel/tm_cfg.h"
#include "../tunnel/tm_remid.h"
#include "isakmpd.h"
#include "tunnels_int.h"

/* A phase-1 definition that matched, and the peer to use. */
struct hit {
	uint32_t	 num;
	char		 name[DB_NAME_MAX];
	bool		 has_peer;
	struct tun_peer	 peer;
	bool		 used;		/* a phase-2 target came from it */
};

struct sel {
	struct tunnels		*t;
	struct db_txn		*txn;
	uint8_t			 phase;
	struct tun_targets	*ts;
	struct hit		*hits;		/* owned */
	size_t			 nhits;
	const struct tm_remid	*r;		/* remid=; or NULL */
	struct ike_addr		 src, dst;	/* ipaddr= */
	const char		*group;		/* remid= names this group */
	struct db_obj		*g;		/* owned scratch: a group */
};

static bool
same_peer(const struct tun_target *x, const struct tun_peer *p)
{
	if (!x->has_peer || p == NULL)
		return x->has_peer == (p != NULL);
	return memcmp(&x->peer.remote, &p->remote, sizeof(p->remote)) == 0 &&
	    memcmp(&x->peer.local, &p->local, sizeof(p->local)) == 0 &&
	    x->peer.id.type == p->id.type &&
	    strcmp(x->peer.id.value, p->id.value) == 0;
}

static void
target(struct sel *s, uint8_t phase, uint32_t num, const struct tun_peer *p)
{
	struct tun_target *x;
	size_t i;

	for (i = 0; i < s->ts->n; i++)
		if (s->ts->v[i].phase == phase && s->ts->v[i].num == num &&
		    same_peer(&s->ts->v[i], p))
			return;
	if (s->ts->n == TUN_MAX_TARGETS)
		return;
	x = &s->ts->v[s->ts->n++];
	memset(x, 0, sizeof(*x));
	x->phase = phase;
	x->num = num;
	if (p != NULL) {
		x->has_peer = true;
		x->peer = *p;
	}
}

static void
hit(struct sel *s, const struct db_ike_tunnel *tun, const struct tun_peer *p)
{
	struct hit *h;

	if (s->nhits == TUN_MAX_TARGETS)
		return;
	h = &s->hits[s->nhits++];
	memset(h, 0, sizeof(*h));
	h->num = tun->num;
	memcpy(h->name, tun->name, sizeof(h->name));
	if (p != NULL) {
		h->has_peer = true;
		h->peer = *p;
	}
}

/* A group member as the peer: its identity, and its address when it is
 * one (else the definition's IKE_RemoteAddress serves). */
static void
member_peer(struct sel *s, const struct db_ident *m, struct tun_peer *p)
{
	memset(p, 0, sizeof(*p));
	p->id = *m;
	(void)tm_addr_from_ident(m, s->t->port, &p->remote);	/* not one:
								 * none */
}

/* Phase-1 definitions whose remote identity is Group s->group: one hit
 * per member. */
static int
group_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;
	const struct db_ike_tunnel *tun = &o->u.ike_tun;
	struct tun_peer p;
	size_t i;

	if (tun->remote.type != DB_ID_GROUP ||
	    strcmp(tun->remote.value, s->group) != 0)
		return 0;
	for (i = 0; i < s->g->u.group.nmembers && i < DB_MAX_MEMBERS; i++) {
		member_peer(s, &s->g->u.group.members[i], &p);
		hit(s, tun, &p);
	}
	return 0;
}

/* Phase-1 definitions whose remote identity is the remid. */
static int
exact_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;

	if (o->u.ike_tun.remote.type != DB_ID_GROUP &&
	    tm_remid_is(s->r, &o->u.ike_tun.remote))
		hit(s, &o->u.ike_tun, NULL);
	return 0;
}

/* Phase-1 definitions with a Group remote identity having the remid
 * as a member: a tunnel to that member. */
static int
member_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;
	const struct db_ike_tunnel *tun = &o->u.ike_tun;
	struct tun_peer p;
	int m;

	if (tun->remote.type != DB_ID_GROUP ||
	    db_get(s->txn, DB_T_GROUP, tun->remote.value, s->g) != 0 ||
	    (m = tm_remid_member(s->r, &s->g->u.group)) < 0)
		return 0;
	member_peer(s, &s->g->u.group.members[m], &p);
	hit(s, tun, &p);
	return 0;
}

/* Phase-2 definitions whose remote identity is the remid. */
static int
p2_direct_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;

	if (tm_remid_is(s->r, &o->u.ipsec_tun.remote.id))
		target(s, 2, o->u.ipsec_tun.num, NULL);
	return 0;
}

/* The phase-2 definitions under each hit. */
static int
p2_under_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;
	size_t i;

	for (i = 0; i < s->nhits; i++)
		if (strcmp(o->u.ipsec_tun.ike_tunnel, s->hits[i].name) == 0) {
			target(s, 2, o->u.ipsec_tun.num, s->hits[i].has_peer ?
			    &s->hits[i].peer : NULL);
			s->hits[i].used = true;
		}
	return 0;
}

/* Targets from the hits: phase 1 the hits themselves; otherwise their
 * phase-2 definitions (a hit without any stays a phase-1 target, whose
 * start says so). */
static int
targets_from_hits(struct sel *s)
{
	size_t i;
	int rc = 0;

	if (s->phase != 1 && s->nhits > 0)
		rc = db_foreach(s->txn, DB_T_IPSEC_TUNNEL, p2_under_cb, s);
	for (i = 0; i < s->nhits; i++)
		if (s->phase == 1 || !s->hits[i].used)
			target(s, 1, s->hits[i].num, s->hits[i].has_peer ?
			    &s->hits[i].peer : NULL);
	return rc < 0 ? rc : 0;
}

static int
remid_run(struct sel *s)
{
	int rc;

	if (s->r->word && db_get(s->txn, DB_T_GROUP, s->r->text, s->g) == 0) {
		s->group = s->r->text;
		if ((rc = db_foreach(s->txn, DB_T_IKE_TUNNEL, group_cb,
		    s)) < 0)
			return rc;
		return targets_from_hits(s);
	}
	if (s->phase != 1 && (rc = db_foreach(s->txn, DB_T_IPSEC_TUNNEL,
	    p2_direct_cb, s)) < 0)
		return rc;
	if (s->phase == 2 && s->ts->n > 0)
		return 0;
	if ((rc = db_foreach(s->txn, DB_T_IKE_TUNNEL, exact_cb, s)) < 0 ||
	    (s->nhits == 0 && (rc = db_foreach(s->txn, DB_T_IKE_TUNNEL,
	    member_cb, s)) < 0))
		return rc;
	return targets_from_hits(s);
}

static int
sel_begin(struct tunnels *t, struct sel *s, uint8_t phase,
    struct tun_targets *ts)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->phase = phase;
	s->ts = ts;
	ts->n = 0;
	ts->v = calloc(TUN_MAX_TARGETS, sizeof(*ts->v));
	s->hits = calloc(TUN_MAX_TARGETS, sizeof(*s->hits));
	s->g = calloc(1, sizeof(*s->g));
	if (ts->v == NULL || s->hits == NULL || s->g == NULL)
		return IKE_ENOMEM;
	return db_read_begin(t->d->db, &s->txn);
}

/* Ends a selection: the transaction and scratch go; ts is kept on
 * success, freed otherwise. */
static int
sel_end(struct sel *s, int rc, char *why, size_t n)
{
	if (s->txn != NULL)
		db_abort(s->txn);
	free(s->hits);
	free(s->g);
	if (rc == IKE_ENOMEM)
		snprintf(why, n, "out of memory");
	else if (rc != 0 && rc != IKE_EINVAL && rc != IKE_ENOTFOUND)
		snprintf(why, n, "cannot read the database");
	if (rc != 0) {
		free(s->ts->v);
		s->ts->v = NULL;
		s->ts->n = 0;
	}
	return rc;
}

static const char *
phase_words(uint8_t phase)
{
	return phase == 1 ? "phase-1 tunnel definition" : phase == 2 ?
	    "phase-2 tunnel definition" : "tunnel definition";
}

int
tunnels_select_remid(struct tunnels *t, const char *remid, uint8_t phase,
    struct tun_targets *ts, char *why, size_t n)
{
	struct tm_remid r;
	struct sel s;
	int rc;

	if ((rc = sel_begin(t, &s, phase, ts)) == 0 &&
	    (rc = tm_remid_parse(remid, &r, why, n)) == 0) {
		s.r = &r;
		rc = remid_run(&s);
	}
	if (rc == 0 && ts->n == 0) {
		rc = IKE_ENOTFOUND;
		if (s.group != NULL)
			snprintf(why, n, "remid %s: no IKETunnel has the group "
			    "%s as its remote identity", remid, remid);
		else
			snprintf(why, n, "remid %s matches no %s%s", remid,
			    phase_words(phase), phase == 1 &&
			    r.kind == TM_REMID_ADDRS && !r.single ? " (a "
			    "subnet or an address range is a phase-2 "
			    "identity)" : "");
	}
	return sel_end(&s, rc, why, n);
}

/* Whether a definition with local address (or identity) tun applies to
 * src; *p gets src as the local address when the definition has none. */
static bool
local_applies(struct sel *s, const struct db_ike_tunnel *tun,
    struct tun_peer *p)
{
	struct ike_addr a;

	if (tun->local_addr[0] != '\0' ?
	    tm_addr_parse(tun->local_addr, s->t->port, &a) == 0 :
	    tm_addr_from_ident(&tun->local, s->t->port, &a) == 0)
		return a.family == s->src.family &&
		    memcmp(a.addr, s->src.addr, 16) == 0;
	p->local = s->src;
	return true;
}

/* Whether it applies to dst as its remote end; *p gets what differs
 * from the definition. */
static bool
remote_applies(struct sel *s, const struct db_ike_tunnel *tun,
    struct tun_peer *p)
{
	struct ike_addr a;
	struct db_ident d;
	int m;

	memset(&d, 0, sizeof(d));
	d.type = s->dst.family == AF_INET ? DB_ID_IPV4_ADDR : DB_ID_IPV6_ADDR;
	if (inet_ntop(s->dst.family, s->dst.addr, d.value,
	    sizeof(d.value)) == NULL)
		return false;
	if (tun->remote.type == DB_ID_GROUP) {
		struct tm_remid r;

		if (tm_remid_parse(d.value, &r, NULL, 0) != 0 ||
		    db_get(s->txn, DB_T_GROUP, tun->remote.value, s->g) != 0 ||
		    (m = tm_remid_member(&r, &s->g->u.group)) < 0)
			return false;
		p->id = s->g->u.group.members[m];
		p->remote = s->dst;
		return true;
	}
	if (tun->remote_addr[0] != '\0' ?
	    tm_addr_parse(tun->remote_addr, s->t->port, &a) == 0 :
	    tm_addr_from_ident(&tun->remote, s->t->port, &a) == 0)
		return a.family == s->dst.family &&
		    memcmp(a.addr, s->dst.addr, 16) == 0;
	if (tm_ident_covers(&tun->remote, &s->dst))
		p->id = d;	/* a subnet or range: the address itself */
	else if (tun->remote.type < DB_ID_FQDN ||
	    tun->remote.type > DB_ID_KEY_ID)
		return false;
	p->remote = s->dst;
	return true;
}

static int
ipaddr_cb(const struct db_obj *o, void *arg)
{
	struct sel *s = arg;
	struct tun_peer p;

	memset(&p, 0, sizeof(p));
	if (!local_applies(s, &o->u.ike_tun, &p) ||
	    !remote_applies(s, &o->u.ike_tun, &p))
		return 0;
	hit(s, &o->u.ike_tun, p.id.type != 0 || p.remote.family != 0 ||
	    p.local.family != 0 ? &p : NULL);
	return 0;
}

int
tunnels_select_ipaddr(struct tunnels *t, const char *src, const char *dst,
    uint8_t phase, struct tun_targets *ts, char *why, size_t n)
{
	struct sel s;
	int rc;

	if ((rc = sel_begin(t, &s, phase, ts)) == 0) {
		if (tm_addr_parse(src, t->port, &s.src) != 0 ||
		    tm_addr_parse(dst, t->port, &s.dst) != 0 ||
		    s.src.family != s.dst.family) {
			snprintf(why, n, "ipaddr=%s,%s: expected two IPv4 or "
			    "two IPv6 addresses", src, dst);
			rc = IKE_EINVAL;
		} else if ((rc = db_foreach(s.txn, DB_T_IKE_TUNNEL, ipaddr_cb,
		    &s)) >= 0)
			rc = targets_from_hits(&s);
	}
	if (rc == 0 && ts->n == 0) {
		snprintf(why, n, "ipaddr=%s,%s: no %s applies between these "
		    "addresses", src, dst, phase_words(phase));
		rc = IKE_ENOTFOUND;
	}
	return sel_end(&s, rc, why, n);
}
