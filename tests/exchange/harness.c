/* tests/exchange/harness.c: see harness.h. */
#include "harness.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <event2/event.h>

#include "core/codec/ikev2.h"
#include "core/codec/wr.h"
#include "core/exchange/exchange.h"
#include "core/crypto/cipher.h"
#include "core/crypto/crypto_rand.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/crypto/dh.h"
#include "core/log.h"

uint64_t hn_now = 1000;

static void
addr_v4(struct ike_addr *a, int host)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->port = 500;
	a->addr[0] = 192;
	a->addr[2] = 2;
	a->addr[3] = (uint8_t)host;
}

void
ts_v4(struct ike_ts *ts, int a, int b, int c, int d, int e, int f, int g,
    int h)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	ts->eport = 65535;
	ts->start[0] = (uint8_t)a;
	ts->start[1] = (uint8_t)b;
	ts->start[2] = (uint8_t)c;
	ts->start[3] = (uint8_t)d;
	ts->end[0] = (uint8_t)e;
	ts->end[1] = (uint8_t)f;
	ts->end[2] = (uint8_t)g;
	ts->end[3] = (uint8_t)h;
}

static void
set_id(struct ike_id *id, const char *name)
{
	id->type = IKEV2_ID_FQDN;
	id->len = strlen(name);
	memcpy(id->data, name, id->len);
}

static void
default_cfg(struct peer *p, int host, int other)
{
	static const char psk[] = "correct horse";
	char me[64], them[64];

	snprintf(me, sizeof(me), "%s.example", p->name);
	snprintf(them, sizeof(them), "%s.example", host < other ? "b" : "a");
	addr_v4(&p->cfg.local, host);
	addr_v4(&p->cfg.remote, other);
	p->cfg.props[0] = (struct ike_prop_cfg){ ENCR_AES_GCM_16, 256, 0,
	    PRF_HMAC_SHA2_256 };
	p->cfg.nprops = 1;
	p->cfg.dh[0] = DH_ECP_256;
	p->cfg.ndh = 1;
	set_id(&p->cfg.local_id, me);
	set_id(&p->cfg.remote_id, them);
	memcpy(p->cfg.psk, psk, sizeof(psk) - 1);
	p->cfg.psk_len = sizeof(psk) - 1;
	p->cfg.retrans_ms = 500;
	p->cfg.retrans_max = 3;
	p->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP,
	    ENCR_AES_GCM_16, 256, 0 };
	p->ccfg.nprops = 1;
	p->ccfg.mode = PLAT_TUNNEL;
	ts_v4(&p->ccfg.local_ts, 10, host, 0, 0, 10, host, 255, 255);
	ts_v4(&p->ccfg.remote_ts, 10, other, 0, 0, 10, other, 255, 255);
}

/* ------------------------------------------------------- callbacks */

static int
cb_send(void *arg, const struct ike_addr *src, const struct ike_addr *dst,
    const uint8_t *buf, size_t len)
{
	struct peer *p = arg;
	struct dgram *d = calloc(1, sizeof(*d)), **pp;

	assert_non_null(d);
	d->buf = malloc(len);
	assert_non_null(d->buf);
	memcpy(d->buf, buf, len);
	d->len = len;
	d->src = *src;
	d->dst = *dst;
	for (pp = &p->q; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = d;
	return 0;
}

static bool
addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
}

static int
cb_ike_cfg(void *arg, const struct ike_addr *local,
    const struct ike_addr *remote, struct ike_cfg *out)
{
	struct peer *p = arg;

	if (p->refuse_cfg || !addr_eq(local, &p->cfg.local) ||
	    (!p->any_remote && !addr_eq(remote, &p->cfg.remote)))
		return -5;
	*out = p->cfg;
	out->remote = *remote;
	if (p->any_remote)
		out->remote_id.type = 0;
	return 0;
}

static int
cb_child_cfg(void *arg, const struct ike_cfg *cfg, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct child_cfg *out)
{
	struct peer *p = arg;

	(void)cfg;
	(void)tsi;
	(void)tsr;
	*out = p->ccfg;
	return 0;
}

/* A directory of one identity: its PSK replaces the configured one. */
static int
cb_peer_id(void *arg, const struct ike_id *idi, struct ike_cfg *cfg)
{
	struct peer *p = arg;

	p->peer_id_calls++;
	if (idi->type != p->known_id.type || idi->len != p->known_id.len ||
	    memcmp(idi->data, p->known_id.data, idi->len) != 0)
		return -5;
	memcpy(cfg->psk, p->known_psk, p->known_psk_len);
	cfg->psk_len = p->known_psk_len;
	return 0;
}

static void
cb_event(void *arg, const struct engine_event *ev)
{
	struct peer *p = arg;

	assert_true(p->nev < PEER_MAX_EVENTS);
	p->ev[p->nev++] = *ev;
}

static int
cb_nonce(void *arg, uint8_t *buf, size_t len)
{
	struct peer *p = arg;
	size_t i;

	if (p->nonce_lead == 0)
		return crypto_rand_bytes(buf, len);
	p->nonce_count++;
	buf[0] = p->nonce_lead;
	for (i = 1; i < len; i++)
		buf[i] = (uint8_t)(p->nonce_count >> (8 * ((i - 1) % 4)));
	return 0;
}

/* ----------------------------------------------------------- peers */

struct peer *
peer_new_lim(const char *name, int host, int other,
    const struct engine_limits *lim)
{
	struct engine_callbacks cb = { .send = cb_send,
	    .ike_cfg = cb_ike_cfg, .child_cfg = cb_child_cfg,
	    .event = cb_event };
	struct peer *p = calloc(1, sizeof(*p));
	struct engine_limits l;

	assert_non_null(p);
	memset(&l, 0, sizeof(l));
	if (lim != NULL)
		l = *lim;
	l.nonce = cb_nonce;
	l.nonce_arg = p;
	if (getenv("IKE_TEST_LOG") != NULL) {	/* debugging aid */
		log_set_level(LOGLVL_INFORMATION);
		log_set_stderr(true);
	}
	p->name = name;
	default_cfg(p, host, other);
	p->base = event_base_new();
	assert_non_null(p->base);
	assert_int_equal(plat_open("mem", p->base, NULL, &p->plat), 0);
	cb.arg = p;
	assert_int_equal(engine_new(p->plat, &cb, &l, &p->eng), 0);
	return p;
}

void
peer_use_id_directory(struct peer *p)
{
	struct engine_callbacks cb = { .send = cb_send,
	    .ike_cfg = cb_ike_cfg, .peer_id = cb_peer_id,
	    .child_cfg = cb_child_cfg, .event = cb_event, .arg = p };

	engine_free(p->eng);
	assert_int_equal(engine_new(p->plat, &cb, NULL, &p->eng), 0);
}

struct peer *
peer_new(const char *name, int host, int other)
{
	return peer_new_lim(name, host, other, NULL);
}

static void
dgram_free(struct dgram *d)
{
	free(d->buf);
	free(d);
}

void
peer_free(struct peer *p)
{
	struct dgram *d;

	if (p == NULL)
		return;
	engine_free(p->eng);
	/* the engine removed everything it installed */
	assert_int_equal(mem_sa_count(p->plat), 0);
	assert_int_equal(mem_larval_count(p->plat), 0);
	assert_int_equal(mem_policy_count(p->plat), 0);
	plat_close(p->plat);
	event_base_free(p->base);
	while ((d = p->q) != NULL) {
		p->q = d->next;
		dgram_free(d);
	}
	ike_cfg_wipe(&p->cfg);
	free(p);
}

void
peers_free(struct peer *a, struct peer *b)
{
	peer_free(a);
	peer_free(b);
}

void
initiate(struct peer *a)
{
	assert_int_equal(engine_initiate(a->eng, &a->cfg, &a->ccfg, hn_now,
	    &a->handle), 0);
}

size_t
queued(const struct peer *from)
{
	const struct dgram *d;
	size_t n = 0;

	for (d = from->q; d != NULL; d = d->next)
		n++;
	return n;
}

struct dgram *
head(struct peer *from)
{
	assert_non_null(from->q);
	return from->q;
}

void
deliver(struct peer *from, struct peer *to)
{
	struct dgram *d = head(from);

	from->q = d->next;
	engine_input(to->eng, hn_now, &d->src, &d->dst, d->buf, d->len);
	dgram_free(d);
}

void
drop(struct peer *from)
{
	struct dgram *d = head(from);

	from->q = d->next;
	dgram_free(d);
}

void
duplicate(struct peer *from)
{
	struct dgram *d = head(from), *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	*c = *d;
	c->buf = malloc(d->len);
	assert_non_null(c->buf);
	memcpy(c->buf, d->buf, d->len);
	c->next = d;
	from->q = c;
}

void
reorder(struct peer *from)
{
	struct dgram *d = head(from), *e = d->next;

	assert_non_null(e);
	d->next = e->next;
	e->next = d;
	from->q = e;
}

void
pump(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 100 && (a->q != NULL || b->q != NULL); i++) {
		if (a->q != NULL)
			deliver(a, b);
		if (b->q != NULL)
			deliver(b, a);
	}
	assert_true(a->q == NULL && b->q == NULL);
}

void
advance(struct peer *a, struct peer *b, uint64_t ms)
{
	hn_now += ms;
	if (a != NULL)
		engine_tick(a->eng, hn_now);
	if (b != NULL)
		engine_tick(b->eng, hn_now);
}

const struct engine_event *
event_find(const struct peer *p, enum engine_ev type, size_t n)
{
	size_t i;

	for (i = 0; i < p->nev; i++)
		if (p->ev[i].type == type && n-- == 0)
			return &p->ev[i];
	return NULL;
}

size_t
event_count(const struct peer *p, enum engine_ev type)
{
	size_t i, n = 0;

	for (i = 0; i < p->nev; i++)
		n += p->ev[i].type == type;
	return n;
}

const struct ike_sa *
peer_sa(const struct peer *p)
{
	size_t n = engine_sa_count(p->eng);
	uint32_t h;

	assert_true(n <= 1);
	if (n == 0)
		return NULL;
	for (h = 1; h < 64; h++)
		if (engine_sa(p->eng, h) != NULL)
			return engine_sa(p->eng, h);
	fail_msg("SA not found by handle");
	return NULL;
}

void
establish(struct peer *a, struct peer *b)
{
	initiate(a);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
}

static void
assert_key_equal(const struct ike_key *x, const struct ike_key *y)
{
	if (x == NULL || y == NULL) {
		assert_ptr_equal(x, y);
		return;
	}
	assert_int_equal(x->len, y->len);
	assert_memory_equal(x->data, y->data, x->len);
}

void
assert_ike_keys_equal(const struct ike_sa *x, const struct ike_sa *y)
{
	assert_non_null(x->keys.sk_d);
	assert_non_null(x->keys.sk_ei);
	assert_key_equal(x->keys.sk_d, y->keys.sk_d);
	assert_key_equal(x->keys.sk_ai, y->keys.sk_ai);
	assert_key_equal(x->keys.sk_ar, y->keys.sk_ar);
	assert_key_equal(x->keys.sk_ei, y->keys.sk_ei);
	assert_key_equal(x->keys.sk_er, y->keys.sk_er);
	assert_key_equal(x->keys.sk_pi, y->keys.sk_pi);
	assert_key_equal(x->keys.sk_pr, y->keys.sk_pr);
	assert_true(x->spi_i == y->spi_i && x->spi_r == y->spi_r);
	assert_int_equal(x->encr, y->encr);
	assert_int_equal(x->prf, y->prf);
	assert_int_equal(x->integ, y->integ);
	assert_int_equal(x->dh_group, y->dh_group);
}

const struct mem_sa *
kernel_esp(const struct peer *p, const struct ike_addr *dst, uint32_t spi)
{
	struct plat_sa_id id = { .dst = *dst, .spi = spi, .proto = 50 };
	const struct mem_sa *s = mem_sa_find(p->plat, &id);

	assert_non_null(s);
	assert_false(s->larval);
	return s;
}

/* x's SA for one direction equals y's for the same direction. */
static void
assert_sa_pair(const struct mem_sa *x, const struct mem_sa *y)
{
	assert_int_equal(x->sa.id.spi, y->sa.id.spi);
	assert_true(addr_eq(&x->sa.id.dst, &y->sa.id.dst));
	assert_true(addr_eq(&x->sa.src, &y->sa.src));
	assert_int_equal(x->sa.encr_alg, y->sa.encr_alg);
	assert_int_equal(x->sa.integ_alg, y->sa.integ_alg);
	assert_int_equal(x->sa.mode, y->sa.mode);
	assert_int_equal(x->sa.esn, y->sa.esn);
	assert_int_not_equal(x->sa.dir, y->sa.dir);
	assert_key_equal(x->sa.encr_key, y->sa.encr_key);
	assert_key_equal(x->sa.integ_key, y->sa.integ_key);
}

static void
assert_policy(struct peer *p, const struct ike_ts *src,
    const struct ike_ts *dst, enum plat_dir dir, const struct ike_addr *ts,
    const struct ike_addr *td, enum plat_mode mode)
{
	struct plat_policy key = { .src = *src, .dst = *dst, .dir = dir };
	const struct plat_policy *pol = mem_policy_find(p->plat, &key);

	assert_non_null(pol);
	assert_int_equal(pol->action, PLAT_PROTECT);
	assert_int_equal(pol->proto, 50);
	if (mode == PLAT_TUNNEL) {
		assert_true(addr_eq(&pol->tun_src, ts));
		assert_true(addr_eq(&pol->tun_dst, td));
	} else
		assert_int_equal(pol->tun_src.family, 0);
}

const struct child_sa *
assert_child_mirror(struct peer *a, struct peer *b, uint32_t spi_in)
{
	const struct ike_sa *x = peer_sa(a), *y = peer_sa(b);
	const struct child_sa *ca, *cb;

	assert_non_null(x);
	assert_non_null(y);
	ca = ike_sa_child_find(x, spi_in, true);
	cb = ike_sa_child_find(y, spi_in, false);
	assert_non_null(ca);
	assert_non_null(cb);
	assert_int_equal(ca->spi_out, cb->spi_in);
	assert_sa_pair(kernel_esp(a, &x->remote, ca->spi_out),
	    kernel_esp(b, &y->local, cb->spi_in));
	assert_sa_pair(kernel_esp(a, &x->local, ca->spi_in),
	    kernel_esp(b, &y->remote, cb->spi_out));
	assert_memory_equal(&ca->ts_local, &cb->ts_remote,
	    sizeof(ca->ts_local));
	assert_memory_equal(&ca->ts_remote, &cb->ts_local,
	    sizeof(ca->ts_local));
	assert_policy(a, &ca->ts_local, &ca->ts_remote, PLAT_OUT, &x->local,
	    &x->remote, ca->mode);
	assert_policy(a, &ca->ts_remote, &ca->ts_local, PLAT_IN, &x->remote,
	    &x->local, ca->mode);
	assert_policy(b, &cb->ts_local, &cb->ts_remote, PLAT_OUT, &y->local,
	    &y->remote, cb->mode);
	assert_policy(b, &cb->ts_remote, &cb->ts_local, PLAT_IN, &y->remote,
	    &y->local, cb->mode);
	if (ca->mode == PLAT_TUNNEL) {
		assert_policy(a, &ca->ts_remote, &ca->ts_local, PLAT_FWD,
		    &x->remote, &x->local, ca->mode);
		assert_policy(b, &cb->ts_remote, &cb->ts_local, PLAT_FWD,
		    &y->remote, &y->local, cb->mode);
	}
	return ca;
}

void
assert_children_mirror(struct peer *a, struct peer *b)
{
	const struct ike_sa *x = peer_sa(a), *y = peer_sa(b);

	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(ike_sa_child_count(x), 1);
	assert_int_equal(ike_sa_child_count(y), 1);
	assert_child_mirror(a, b, x->children->spi_in);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat),
	    policies_per_child(x->children->mode));
	assert_int_equal(mem_policy_count(b->plat),
	    policies_per_child(y->children->mode));
}

size_t
policies_per_child(enum plat_mode mode)
{
	return mode == PLAT_TUNNEL ? 3 : 2;
}

void
inject_sealed(struct peer *p, struct ike_sa *sa, struct ike_msg *m)
{
	struct wr w;

	wr_init(&w, 0);
	assert_int_equal(sk_seal(sa, m, &w), 0);
	engine_input(p->eng, hn_now, &sa->local, &sa->remote, w.buf, w.len);
	wr_free(&w);
}

const struct nat nat_default = { { 198, 51, 100, 7 }, 40500, 44500, 4500 };

void
nat_out(const struct nat *n, struct peer *a, struct peer *b)
{
	struct dgram *d = head(a);

	assert_true(d->src.port == 500 || d->src.port == n->inside);
	d->src.port = d->src.port == 500 ? n->map500 : n->map4500;
	memcpy(d->src.addr, n->pub, 4);
	deliver(a, b);
}

void
nat_in(const struct nat *n, struct peer *b, struct peer *a)
{
	struct dgram *d = head(b);

	assert_memory_equal(d->dst.addr, n->pub, 4);
	assert_true(d->dst.port == n->map500 || d->dst.port == n->map4500);
	d->dst.port = d->dst.port == n->map500 ? 500 : n->inside;
	memcpy(d->dst.addr, a->cfg.local.addr, 4);
	deliver(b, a);
}
