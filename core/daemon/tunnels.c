/* core/daemon/tunnels.c: the engine on the event loop: UDP sockets, the
 * timer, the responder callbacks and the engine's events into the
 * active tunnel table. */
#include "tunnels.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "../../db/db.h"
#include "../codec/ikev2.h"
#include "../err.h"
#include "../log.h"
#include "../sa/ike_sa.h"
#include "../sa/ike_v1.h"
#include "../tunnel/tm_cfg.h"
#include "isakmpd.h"
#include "tunnels_int.h"

uint64_t
tun_now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct tunnels *t = arg;

	(void)fd;
	(void)what;
	memset(&t->stash, 0, sizeof(t->stash));	/* no peer matched here */
	engine_tick(t->eng, tun_now_ms());
	tun_timer_update(t);
}

void
tun_timer_update(struct tunnels *t)
{
	uint64_t dl = engine_next_deadline(t->eng), now = tun_now_ms();
	struct timeval tv;

	if (dl == UINT64_MAX) {
		(void)event_del(t->timer);
		return;
	}
	dl = dl > now ? dl - now : 0;
	tv.tv_sec = (time_t)(dl / 1000);
	tv.tv_usec = (suseconds_t)(dl % 1000) * 1000;
	if (evtimer_add(t->timer, &tv) != 0)
		log_err(LOG_IKE, "cannot arm the engine timer");
}

static bool
addr_same(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct ike_addr *a)
{
	const struct sockaddr_in *s4 = (const void *)ss;
	const struct sockaddr_in6 *s6 = (const void *)ss;

	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		a->port = ntohs(s4->sin_port);
		memcpy(a->addr, &s4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		a->port = ntohs(s6->sin6_port);
		memcpy(a->addr, &s6->sin6_addr, 16);
	}
}

static socklen_t
to_sockaddr(const struct ike_addr *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (void *)ss;
	struct sockaddr_in6 *s6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(a->port);
	memcpy(&s6->sin6_addr, a->addr, 16);
	return sizeof(*s6);
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct tun_sock *s = arg;
	struct sockaddr_storage ss;
	struct ike_addr remote;
	uint8_t buf[65536];
	socklen_t sl;
	ssize_t n;
	size_t off;
	int i;

	(void)what;
	for (i = 0; i < 64; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
		    &sl);
		if (n < 0)
			break;
		from_sockaddr(&ss, &remote);
		off = 0;
		if (remote.family != s->local.family || (s->natt &&
		    !tun_natt_input(s, buf, (size_t)n, &off)))
			continue;
		memset(&s->owner->stash, 0, sizeof(s->owner->stash));
		engine_input(s->owner->eng, tun_now_ms(), &remote, &s->local,
		    buf + off, (size_t)n - off);
	}
	tun_timer_update(s->owner);
}

static struct tun_sock *
sock_find(struct tunnels *t, const struct ike_addr *local)
{
	size_t i;

	for (i = 0; i < t->nsocks; i++)
		if (addr_same(&t->socks[i].local, local))
			return &t->socks[i];
	return NULL;
}

/* A new socket bound to local: the IKE socket, or (natt) the NAT-T
 * socket with ESP-in-UDP decapsulation. */
static struct tun_sock *
sock_open(struct tunnels *t, const struct ike_addr *local, bool natt)
{
	const char *what = natt ? "NAT-T" : "IKE";
	struct tun_sock *s;
	int fd, rc;

	if (t->nsocks == TUN_MAX_SOCKS) {
		log_err(LOG_NET, "too many local addresses in use");
		return NULL;
	}
	rc = natt ? plat_natt_socket(t->d->plat, local, &fd) :
	    plat_ike_socket(t->d->plat, local, &fd);
	if (rc != 0) {
		log_err(LOG_NET, "cannot open the %s socket: %s", what,
		    ike_strerror(rc));
		return NULL;
	}
	s = &t->socks[t->nsocks];
	memset(s, 0, sizeof(*s));
	s->owner = t;
	s->fd = fd;
	s->local = *local;
	s->natt = natt;
	s->ev = event_new(t->d->base, fd, EV_READ | EV_PERSIST, on_read, s);
	if (s->ev == NULL || event_add(s->ev, NULL) != 0) {
		if (s->ev != NULL)
			event_free(s->ev);
		close(fd);
		log_err(LOG_NET, "cannot watch the %s socket", what);
		return NULL;
	}
	t->nsocks++;
	return s;
}

/* With NAT-T on, the IKE socket of an address (v2 or v1 port) comes
 * with the NAT-T socket of that address, so that a responder hears
 * IKE_AUTH (or Main Mode message 5) there. */
struct tun_sock *
tun_sock_get(struct tunnels *t, const struct ike_addr *local)
{
	bool natt = tun_natt_on(t) && local->port == tun_natt_port(t);
	struct tun_sock *s;
	struct ike_addr n;

	if ((s = sock_find(t, local)) != NULL)
		return s;
	if ((s = sock_open(t, local, natt)) == NULL || natt ||
	    !tun_natt_on(t) || (local->port != t->port &&
	    local->port != t->v1_port))
		return s;
	n = *local;
	n.port = tun_natt_port(t);
	if (sock_find(t, &n) == NULL)
		(void)sock_open(t, &n, true);	/* logged */
	return s;
}

static int
cb_send(void *arg, const struct ike_addr *src, const struct ike_addr *dst,
    const uint8_t *buf, size_t len)
{
	struct tunnels *t = arg;
	struct sockaddr_storage ss;
	struct tun_sock *s;
	socklen_t sl;

	if ((s = tun_sock_get(t, src)) == NULL)
		return IKE_ESYS;
	sl = to_sockaddr(dst, &ss);
	if (s->natt)	/* non-ESP marker, or a keepalive */
		return tun_natt_send(s, &ss, sl, buf, len);
	if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&ss, sl) < 0) {
		log_dbg(LOG_NET, "sendto: %s", strerror(errno));
		return IKE_ESYS;
	}
	return 0;
}

#define CERT_LOG_EVERY_MS	60000

/* Responder: a signature definition needs our certificate, of its
 * key type; refused otherwise, and logged (peers can cause this over
 * and over: at events level at most once a minute, else debug). */
static int
certs_ok(struct tunnels *t, const struct db_ike_tunnel *tun,
    const struct ike_cfg *c)
{
	uint64_t now = tun_now_ms();
	char why[256];

	if (dcerts_usable(&t->d->certs, c->auth, why, sizeof(why)) == 0)
		return 0;
	if (t->cert_log_ms == 0 || now - t->cert_log_ms >= CERT_LOG_EVERY_MS) {
		t->cert_log_ms = now;
		log_warn(LOG_IKE, "IKETunnel %s does not answer: %s",
		    tun->name, why);
	} else
		log_dbg(LOG_IKE, "IKETunnel %s does not answer: %s",
		    tun->name, why);
	return IKE_ENOTFOUND;
}

static int
cb_ike_cfg(void *arg, const struct ike_addr *local,
    const struct ike_addr *remote, struct ike_cfg *out)
{
	struct tunnels *t = arg;
	struct db_ike_tunnel *tun;	/* owned */
	struct db_txn *txn;
	uint8_t v = out->version == IKE_VERSION_1 ? IKE_VERSION_1 :
	    IKE_VERSION_2;
	int rc;

	if ((tun = calloc(1, sizeof(*tun))) == NULL)
		return IKE_ENOMEM;
	if ((rc = db_read_begin(t->d->db, &txn)) == 0) {
		rc = tm_match_addr(txn, v, local, remote, tun_port(t, v), tun,
		    out);
		if (rc == 0 && ((rc = certs_ok(t, tun, out)) != 0 ||
		    (rc = tun_v1_mm_key(t, txn, tun, remote, out)) != 0))
			ike_cfg_wipe(out);	/* refused, and logged */
		db_abort(txn);
	}
	if (rc == 0) {	/* a refusal in this call is listed under it */
		t->stash.p1 = true;
		t->stash.p1_def = tun->num;
		memcpy(t->stash.p1_name, tun->name, sizeof(tun->name));
	}
	if (rc != 0 && tun->name[0] == '\0')	/* else refused, logged */
		log_dbg(LOG_IKE, "no IKEv%u IKETunnel for this peer's "
		    "address", v);
	else if (rc == 0 && out->auth == CFG_AUTH_PSK && out->psk_len == 0) {
		/* A Group: a placeholder key until IDi names the member;
		 * peer_id() replaces it or refuses the peer. */
		out->psk_len = 1;
	}
	free(tun);
	return rc;
}

static int
cb_peer_id(void *arg, const struct ike_id *idi, struct ike_cfg *cfg)
{
	struct tunnels *t = arg;
	struct db_ike_tunnel *tun;	/* owned */
	struct db_txn *txn;
	int rc;

	t->stash.p1 = false;
	if ((tun = calloc(1, sizeof(*tun))) == NULL)
		return IKE_ENOMEM;
	if ((rc = db_read_begin(t->d->db, &txn)) == 0) {
		rc = tm_match_peer(txn, idi, cfg, tun);
		db_abort(txn);
	}
	if (rc == 0) {
		t->stash.p1 = true;
		t->stash.p1_def = tun->num;
		memcpy(t->stash.p1_name, tun->name, sizeof(tun->name));
	} else
		log_dbg(LOG_IKE, "no IKETunnel for this peer's identity");
	free(tun);
	return rc;
}

/* A Child SA asked for outside IKE_AUTH (CREATE_CHILD_SA): the
 * definition of the listed IKE SA whose configuration cfg is. */
static bool
stash_from_sa(struct tunnels *t, const struct ike_cfg *cfg)
{
	const struct ike_sa *sa;
	struct tm_tunnel *e;

	for (e = t->tm.head; e != NULL; e = e->next) {
		if (e->phase != 1 || e->def_num == 0 ||
		    (sa = engine_sa(t->eng, e->handle)) == NULL ||
		    &sa->cfg != cfg)
			continue;
		t->stash.p1 = true;
		t->stash.p1_def = e->def_num;
		memcpy(t->stash.p1_name, e->def_name, sizeof(e->def_name));
		return true;
	}
	return false;
}

static void
stash_p2_name(struct tunnels *t, struct db_txn *txn, uint32_t num)
{
	struct db_obj *o;	/* owned */

	t->stash.p2_name[0] = '\0';
	if (num == 0 || (o = calloc(1, sizeof(*o))) == NULL)
		return;
	if (db_get_num(txn, 2, num, o) == 0)
		memcpy(t->stash.p2_name, o->u.ipsec_tun.name,
		    sizeof(t->stash.p2_name));
	free(o);
}

static int
cb_child_cfg(void *arg, const struct ike_cfg *cfg, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct child_cfg *out)
{
	struct tunnels *t = arg;
	struct db_txn *txn;
	uint32_t num = 0;
	int rc;

	t->stash.p2 = false;
	if (!t->stash.p1 && !stash_from_sa(t, cfg))
		return IKE_ENOTFOUND;
	if ((rc = db_read_begin(t->d->db, &txn)) != 0)
		return rc;
	rc = tm_match_child(txn, t->stash.p1_name, cfg, tsi, tsr, out, &num);
	if (rc == 0) {
		t->stash.p2 = true;
		t->stash.p2_def = num;
		stash_p2_name(t, txn, num);
	}
	db_abort(txn);
	return rc;
}

static const char *
notify_name(uint16_t n)
{
	switch (n) {
	case IKEV2_N_INVALID_SYNTAX:		return "INVALID_SYNTAX";
	case IKEV2_N_NO_PROPOSAL_CHOSEN:	return "NO_PROPOSAL_CHOSEN";
	case IKEV2_N_INVALID_KE_PAYLOAD:	return "INVALID_KE_PAYLOAD";
	case IKEV2_N_AUTHENTICATION_FAILED:	return "AUTHENTICATION_FAILED";
	case IKEV2_N_SINGLE_PAIR_REQUIRED:	return "SINGLE_PAIR_REQUIRED";
	case IKEV2_N_INTERNAL_ADDRESS_FAILURE:
		return "INTERNAL_ADDRESS_FAILURE";
	case IKEV2_N_FAILED_CP_REQUIRED:	return "FAILED_CP_REQUIRED";
	case IKEV2_N_TS_UNACCEPTABLE:		return "TS_UNACCEPTABLE";
	}
	return NULL;
}

/* The IKE version of the SA behind an event (the table's entry when
 * the engine dropped the SA already). */
static uint8_t
ev_version(struct tunnels *t, const struct engine_event *ev)
{
	const struct ike_sa *sa = engine_sa(t->eng, ev->handle);
	const struct tm_tunnel *e;

	if (sa != NULL)
		return sa->version == IKE_VERSION_1 ? IKE_VERSION_1 :
		    IKE_VERSION_2;
	e = tm_find_handle(&t->tm, ev->handle);
	return e != NULL && e->version == IKE_VERSION_1 ? IKE_VERSION_1 :
	    IKE_VERSION_2;
}

static void
reason_str(struct tunnels *t, const struct engine_event *ev, char *buf,
    size_t n)
{
	const char *nn = ev_version(t, ev) == IKE_VERSION_1 ?
	    tun_v1_notify_name(ev->notify) : notify_name(ev->notify);

	if (nn != NULL && ev->reason != NULL)
		snprintf(buf, n, "%s (%s)", nn, ev->reason);
	else if (nn != NULL)
		snprintf(buf, n, "%s", nn);
	else if (ev->notify != 0)
		snprintf(buf, n, "notify %u%s%s", ev->notify,
		    ev->reason ? ": " : "", ev->reason ? ev->reason : "");
	else
		snprintf(buf, n, "%s", ev->reason ? ev->reason : "failed");
}

/* Drops the oldest expired entries above TUN_MAX_EXPIRED, so that peers
 * failing again and again cannot grow the table. */
static void
trim_expired(struct tm_table *tm)
{
	tm_trim_expired(tm, TUN_MAX_EXPIRED);
}

/* A responder SA whose definition no peer_id() call named in this
 * engine call (an IKEv1 phase 1 ends in another call than the one that
 * matched it): the definition its addresses and identity give now. */
static void
stash_by_addr(struct tunnels *t, const struct ike_sa *sa)
{
	struct db_ike_tunnel *tun;	/* owned */
	struct ike_cfg *c;		/* owned; secret: wiped */
	struct db_txn *txn;
	int rc = IKE_ENOMEM;

	tun = calloc(1, sizeof(*tun));
	c = calloc(1, sizeof(*c));
	if (tun != NULL && c != NULL && db_read_begin(t->d->db, &txn) == 0) {
		rc = tm_match_addr(txn, sa->version, &sa->local, &sa->remote,
		    sa->local.port, tun, c);
		if (rc == 0 && sa->cfg.remote_id.type != 0) {
			*c = sa->cfg;
			rc = tm_match_peer(txn, &sa->cfg.remote_id, c, tun);
		}
		db_abort(txn);
	}
	if (rc == 0) {
		t->stash.p1 = true;
		t->stash.p1_def = tun->num;
		memcpy(t->stash.p1_name, tun->name, sizeof(tun->name));
	}
	if (c != NULL)
		ike_cfg_wipe(c);
	free(c);
	free(tun);
}

/* The phase-1 entry of a responder SA, made at its first event. */
static struct tm_tunnel *
p1_entry(struct tunnels *t, uint32_t handle)
{
	struct tm_tunnel *e = tm_find_handle(&t->tm, handle);
	const struct ike_sa *sa;

	if (e != NULL)
		return e;
	if ((e = tm_add(&t->tm, 1)) == NULL)
		return NULL;
	e->role = 'r';
	e->handle = handle;
	sa = engine_sa(t->eng, handle);
	if (!t->stash.p1 && sa != NULL)
		stash_by_addr(t, sa);
	if (t->stash.p1) {
		e->def_num = t->stash.p1_def;
		memcpy(e->def_name, t->stash.p1_name, sizeof(e->def_name));
	}
	if (sa != NULL) {
		e->version = sa->version == IKE_VERSION_1 ? IKE_VERSION_1 :
		    IKE_VERSION_2;
		e->aggressive = sa->version == IKE_VERSION_1 &&
		    sa->cfg.aggressive;
		e->auth = sa->cfg.auth;
		tm_set_ids(e, &sa->cfg.local_id, &sa->cfg.remote_id);
	}
	return e;
}

static void
ike_up(struct tunnels *t, const struct engine_event *ev)
{
	struct tm_tunnel *e = p1_entry(t, ev->handle);
	const struct ike_sa *sa = engine_sa(t->eng, ev->handle);

	if (e == NULL)
		return;
	e->state = TM_ACTIVE;
	e->spi_i = ev->spi_i;
	e->spi_r = ev->spi_r;
	if (sa == NULL)
		return;
	e->encr = sa->encr;
	e->key_bits = sa->key_bits;
	e->integ = sa->integ;
	e->prf = sa->prf;
	e->dh = sa->dh_group;
	e->lifetime_s = sa->cfg.lifetime_s;
	e->version = sa->version == IKE_VERSION_1 ? IKE_VERSION_1 :
	    IKE_VERSION_2;
	e->aggressive = e->version == IKE_VERSION_1 && sa->cfg.aggressive;
	if (e->version == IKE_VERSION_1 && sa->v1 != NULL) {
		e->aggressive = sa->v1->aggressive;
		if (sa->v1->life_s != 0)	/* what was agreed */
			e->lifetime_s = sa->v1->life_s;
	}
	/* Without a local identity of its own the definition's is our
	 * certificate's DN, known now. */
	tm_set_ids(e, e->local[0] == '\0' ? &sa->cfg.local_id : NULL,
	    &sa->cfg.remote_id);
	log_info(LOG_IKE, "phase-1 tunnel %u (%s) is active (IKEv%u%s)",
	    e->num, e->def_name, e->version, e->version != IKE_VERSION_1 ?
	    "" : e->aggressive ? ", Aggressive Mode" : ", Main Mode");
	if (e->aggressive && e->role == 'r')
		tun_v1_warn_aggressive("phase-1 tunnel", e->num, e->def_name);
}

static const struct child_sa *
child_of(const struct ike_sa *sa, uint32_t spi_in)
{
	const struct child_sa *c;

	for (c = sa != NULL ? sa->children : NULL; c != NULL; c = c->next)
		if (c->spi_in == spi_in)
			return c;
	return NULL;
}

/* The active phase-2 entry under handle whose Child SA is being
 * replaced by a rekey (or is gone already), or NULL. */
static struct tm_tunnel *
rekeyed_entry(struct tunnels *t, uint32_t handle)
{
	const struct ike_sa *sa = engine_sa(t->eng, handle);
	const struct child_sa *c;
	struct tm_tunnel *e;

	for (e = tm_next_handle(&t->tm, NULL, handle); e != NULL;
	    e = tm_next_handle(&t->tm, e, handle)) {
		if (e->phase != 2 || e->state != TM_ACTIVE)
			continue;
		c = child_of(sa, e->spi_in);
		if (c == NULL || c->rekeyed)
			return e;
	}
	return NULL;
}

/* A responder's Child SA whose definition no child_cfg() call named in
 * this engine call (an IKEv1 Quick Mode responder installs at message
 * 3, in another call than the one that chose it): the definition its
 * selectors give under phase-1 entry p's. */
static void
stash_p2_by_ts(struct tunnels *t, const struct tm_tunnel *p,
    const struct engine_event *ev)
{
	const struct ike_sa *sa = engine_sa(t->eng, ev->handle);
	const struct child_sa *c = child_of(sa, ev->child_spi_in);
	struct child_cfg cc;
	struct db_txn *txn;
	uint32_t num = 0;

	if (c == NULL || p->def_num == 0 || p->def_name[0] == '\0' ||
	    db_read_begin(t->d->db, &txn) != 0)
		return;
	if (tm_match_child(txn, p->def_name, &sa->cfg, &c->ts_remote,
	    &c->ts_local, &cc, &num) == 0) {
		t->stash.p2 = true;
		t->stash.p2_def = num;
		stash_p2_name(t, txn, num);
	}
	db_abort(txn);
}

/* The phase-2 entry for a Child SA event: the negotiating one of ours
 * it ends (a CREATE_CHILD_SA of ours by its inbound SPI, else IKE_AUTH's
 * whose SPI was not known yet; never one still queued), the one a rekey
 * replaces, or a new responder entry.  The queue of phase-2 tunnels
 * under the IKE SA may move after the event (tunnels_child.c). */
static struct tm_tunnel *
p2_entry(struct tunnels *t, const struct engine_event *ev)
{
	struct tm_tunnel *p, *e, *auth = NULL;

	tunnels_child_event(t, ev->handle);
	for (e = tm_next_handle(&t->tm, NULL, ev->handle); e != NULL;
	    e = tm_next_handle(&t->tm, e, ev->handle)) {
		if (e->phase != 2 || e->state != TM_NEGOTIATING ||
		    tunnels_queued(e))
			continue;
		if (e->spi_in != 0 && e->spi_in == ev->child_spi_in)
			return e;
		if (e->spi_in == 0 && auth == NULL)
			auth = e;
	}
	if (auth != NULL)
		return auth;
	if ((e = rekeyed_entry(t, ev->handle)) != NULL)
		return e;	/* a rekey: the successor takes its place */
	if ((p = p1_entry(t, ev->handle)) == NULL ||
	    (e = tm_add(&t->tm, 2)) == NULL)
		return NULL;
	e->role = 'r';
	e->handle = ev->handle;
	e->parent = p->num;
	if (!t->stash.p2 && ev->type == ENGINE_EV_CHILD_UP)
		stash_p2_by_ts(t, p, ev);
	if (t->stash.p2) {
		e->def_num = t->stash.p2_def;
		memcpy(e->def_name, t->stash.p2_name, sizeof(e->def_name));
	}
	return e;
}

static void
child_up(struct tunnels *t, const struct engine_event *ev)
{
	struct tm_tunnel *e = p2_entry(t, ev);
	const struct ike_sa *sa;
	const struct child_sa *c;
	bool rekey;

	if (e == NULL)
		return;
	rekey = e->state == TM_ACTIVE;	/* the successor takes its place */
	e->state = TM_ACTIVE;
	e->spi_in = ev->child_spi_in;
	e->spi_out = ev->child_spi_out;
	sa = engine_sa(t->eng, ev->handle);
	if ((c = child_of(sa, ev->child_spi_in)) == NULL)
		return;
	e->encr = c->encr;
	e->key_bits = c->key_bits;
	e->integ = c->integ;
	e->mode = c->mode;
	e->lifetime_s = c->cfg.lifetime_s;
	e->pfs = c->pfs;	/* negotiated: 0 without PFS */
	e->version = sa->version == IKE_VERSION_1 ? IKE_VERSION_1 :
	    IKE_VERSION_2;
	tm_set_ts(e, &c->ts_local, &c->ts_remote);
	if (rekey)
		log_info(LOG_CHD, "phase-2 tunnel %u rekeyed: SPIs now in "
		    "0x%08x out 0x%08x", e->num, e->spi_in, e->spi_out);
	else
		log_info(LOG_CHD, "phase-2 tunnel %u is active", e->num);
}

/* A tunnel deleted in good order (by us or by the peer) leaves the
 * table; one that died or ran out of time without a successor stays
 * listed as Expired with the reason. */
static bool
orderly(const char *reason)
{
	return reason == NULL || strcmp(reason, "deleted") == 0 ||
	    strcmp(reason, "deleted by peer") == 0 ||
	    strcmp(reason, "removed") == 0 ||
	    strcmp(reason, "engine stopped") == 0;
}

static void
ike_down(struct tunnels *t, const struct engine_event *ev, const char *why)
{
	struct tm_tunnel *e, *p = tm_find_handle(&t->tm, ev->handle);

	if (orderly(ev->reason)) {
		tm_del_children(&t->tm, ev->handle);
		if (p != NULL)
			tm_del(&t->tm, p);
		return;
	}
	for (e = tm_next_handle(&t->tm, NULL, ev->handle); e != NULL;
	    e = tm_next_handle(&t->tm, e, ev->handle))
		if (e->phase == 2 && e->state != TM_EXPIRED)
			tm_expire(&t->tm, e, why);
	if (p != NULL) {
		tm_expire(&t->tm, p, why);
		log_info(LOG_IKE, "phase-1 tunnel %u is down: %s", p->num,
		    why);
	}
	trim_expired(&t->tm);
}

static void
on_event(void *arg, const struct engine_event *ev)
{
	struct tunnels *t = arg;
	struct tm_tunnel *e;
	char why[TM_REASON_MAX];

	reason_str(t, ev, why, sizeof(why));
	switch (ev->type) {
	case ENGINE_EV_IKE_UP:
		ike_up(t, ev);
		break;
	case ENGINE_EV_IKE_FAILED:
		/* A responder SA never matched to a definition is not
		 * listed (a stranger's half-open SA). */
		if ((tm_find_handle(&t->tm, ev->handle) != NULL ||
		    t->stash.p1) && (e = p1_entry(t, ev->handle)) != NULL)
			tm_expire(&t->tm, e, why);
		log_info(LOG_IKE, "phase-1 negotiation failed: %s", why);
		break;
	case ENGINE_EV_IKE_DOWN:
		ike_down(t, ev, why);
		break;
	case ENGINE_EV_CHILD_UP:
		child_up(t, ev);
		break;
	case ENGINE_EV_CHILD_FAILED:
		if ((tm_find_handle(&t->tm, ev->handle) != NULL ||
		    t->stash.p1) && (e = p2_entry(t, ev)) != NULL)
			tm_expire(&t->tm, e, why);
		log_info(LOG_CHD, "phase-2 negotiation failed: %s", why);
		break;
	case ENGINE_EV_CHILD_DOWN:
		if ((e = tm_find_spi(&t->tm, ev->handle,
		    ev->child_spi_in)) == NULL)
			break;
		log_info(LOG_CHD, "phase-2 tunnel %u is down: %s", e->num, why);
		if (orderly(ev->reason))
			tm_del(&t->tm, e);
		else
			tm_expire(&t->tm, e, why);
		break;
	}
	trim_expired(&t->tm);
}

static int
listen_cb(const struct db_obj *o, void *arg)
{
	struct tunnels *t = arg;
	const struct db_ike_tunnel *tun = &o->u.ike_tun;
	struct ike_addr a;

	if (tun->local_addr[0] != '\0' ?
	    tm_addr_parse(tun->local_addr, t->port, &a) != 0 :
	    tm_addr_from_ident(&tun->local, t->port, &a) != 0)
		return 0;
	(void)tun_sock_get(t, &a);	/* failures are logged */
	if (t->v1_port != t->port) {	/* IKEv1 on a port of its own */
		a.port = t->v1_port;
		(void)tun_sock_get(t, &a);
	}
	return 0;
}

void
tunnels_refresh(struct tunnels *t)
{
	const struct ike_sa *sa;
	struct tm_tunnel *e;

	for (e = t->tm.head; e != NULL; e = e->next)
		if (e->phase == 1 && e->state == TM_ACTIVE &&
		    (sa = engine_sa(t->eng, e->handle)) != NULL) {
			e->spi_i = sa->spi_i;	/* an IKE SA rekey moves */
			e->spi_r = sa->spi_r;	/* them without an event */
		}
}

void
tunnels_listen(struct tunnels *t)
{
	struct db_txn *txn;

	if (db_read_begin(t->d->db, &txn) != 0)
		return;
	(void)db_foreach(txn, DB_T_IKE_TUNNEL, listen_cb, t);
	db_abort(txn);
}

/* Every DB_POLL_MS the daemon looks whether the database changed (one
 * read of LMDB's shared transaction counter): listening sockets and
 * on-demand traps follow the definitions without a signal. */
#define DB_POLL_MS	1000

static void
on_db_poll(evutil_socket_t fd, short what, void *arg)
{
	struct tunnels *t = arg;
	uint64_t g = db_generation(t->d->db);

	(void)fd;
	(void)what;
	if (g == t->db_gen)
		return;
	t->db_gen = g;
	log_dbg(LOG_IKE, "the database changed: definitions re-read");
	tunnels_listen(t);
	tunnels_traps_sync(t);
}

static int
db_poll_start(struct tunnels *t)
{
	struct timeval tv = { DB_POLL_MS / 1000, (DB_POLL_MS % 1000) * 1000 };

	t->db_gen = db_generation(t->d->db);
	t->db_poll = event_new(t->d->base, -1, EV_PERSIST, on_db_poll, t);
	if (t->db_poll == NULL || event_add(t->db_poll, &tv) != 0)
		return IKE_ESYS;
	return 0;
}

int
tunnels_set_certs(struct tunnels *t, const struct dcerts *c)
{
	return engine_set_certs(t->eng, c->own, c->store);
}

int
tunnels_new(struct isakmpd *d, struct tunnels **out)
{
	struct engine_callbacks cb = {
		.send = cb_send, .ike_cfg = cb_ike_cfg, .peer_id = cb_peer_id,
		.child_cfg = cb_child_cfg, .event = on_event,
	};
	struct engine_limits lim;
	struct tunnels *t;
	int rc;

	memset(&lim, 0, sizeof(lim));
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return IKE_ENOMEM;
	t->d = d;
	t->port = d->conf.v2_port;
	t->v1_port = d->conf.v1_port;
	tm_init(&t->tm);
	cb.arg = t;
	t->cb = cb;
	if ((t->timer = evtimer_new(d->base, on_timer, t)) == NULL) {
		free(t);
		return IKE_ESYS;
	}
	lim.liveness_ms = (uint64_t)d->conf.liveness_interval * 1000;
	tun_natt_limits(&d->conf, &lim);
	if ((rc = engine_new(d->plat, &t->cb, &lim, &t->eng)) != 0 ||
	    (rc = tunnels_set_certs(t, &d->certs)) != 0 ||
	    (rc = db_poll_start(t)) != 0) {
		tunnels_free(t);
		return rc;
	}
	tunnels_listen(t);
	tunnels_traps_sync(t);
	*out = t;
	return 0;
}

void
tunnels_free(struct tunnels *t)
{
	size_t i;

	if (t == NULL)
		return;
	engine_free(t->eng);	/* reports every SA down: table first */
	tm_clear(&t->tm);
	if (t->d->plat != NULL)
		tunnels_traps_free(t);
	if (t->db_poll != NULL)
		event_free(t->db_poll);
	for (i = 0; i < t->nsocks; i++) {
		event_free(t->socks[i].ev);
		close(t->socks[i].fd);
	}
	if (t->timer != NULL)
		event_free(t->timer);
	free(t);
}
