/* tests/exchange/test_exchange_rekey.c: Child SA rekeying with
 * CREATE_CHILD_SA (RFC 7296 s. 1.3.3, 2.8, 2.8.1, 2.17):
 *
 *   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  -->
 *                       <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *   HDR, SK {D(ESP, old SPI)}  -->
 *                       <--  HDR, SK {D(ESP, old SPI')}
 *
 * from either side, by request and at the soft lifetime, with lost
 * messages, and simultaneous rekeys of one Child SA resolved by the
 * nonce rule in both orders of the nonces.  And the IKE SA's (s. 1.3.2,
 * 2.18):
 *
 *   HDR, SK {SA(IKE, SPIi'), Ni, KEi}  -->
 *                      <--  HDR, SK {SA(IKE, SPIr'), Nr, KEr}
 *   HDR, SK {D(IKE)}  -->  (on the old IKE SA)
 *                      <--  HDR, SK {}
 *
 * the Child SAs moving to the new IKE SA, and simultaneous IKE rekeys. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "harness.h"

static uint32_t
handle_of(const struct peer *p)
{
	return peer_sa(p)->handle;
}

static const struct mem_sa *
kernel_sa(const struct peer *p, const struct ike_addr *dst, uint32_t spi)
{
	struct plat_sa_id id = { .dst = *dst, .spi = spi, .proto = 50 };

	return mem_sa_find(p->plat, &id);
}

/* x's kernel keys for c equal KEYMAT = prf+(SK_d, Ni | Nr) of the
 * rekey exchange (s. 2.17), x having initiated it or not; with PFS they
 * must not (g^ir is in them). */
static void
assert_keymat(const struct peer *x, const struct child_sa *c,
    bool initiated, bool pfs)
{
	const struct ike_sa *sa = peer_sa(x);
	const struct mem_sa *in = kernel_sa(x, &sa->local, c->spi_in);
	const struct mem_sa *out = kernel_sa(x, &sa->remote, c->spi_out);
	struct kdf_child_keys k;
	struct cipher_info ci;
	struct integ_info ii;
	const struct ike_key *ei, *er;

	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(cipher_info(c->encr, c->key_bits, &ci), 0);
	assert_int_equal(integ_info(c->integ, &ii), 0);
	assert_int_equal(kdf_child_keys(sa->prf, 0, sa->keys.sk_d, NULL, 0,
	    c->ni, c->ni_len, c->nr, c->nr_len, ci.key_len, ii.key_len, &k),
	    0);
	ei = initiated ? out->sa.encr_key : in->sa.encr_key;
	er = initiated ? in->sa.encr_key : out->sa.encr_key;
	assert_int_equal(ei->len, k.ei->len);
	if (pfs) {
		assert_memory_not_equal(ei->data, k.ei->data, ei->len);
		assert_memory_not_equal(er->data, k.er->data, er->len);
	} else {
		assert_memory_equal(ei->data, k.ei->data, ei->len);
		assert_memory_equal(er->data, k.er->data, er->len);
	}
	kdf_child_keys_free(&k);
}

/* What the test remembers of the Child SA before the rekey. */
struct before {
	uint32_t	spi_in, spi_out, reqid;
	uint8_t		key_out[64];
	size_t		key_len;
};

static void
remember(const struct peer *x, struct before *b)
{
	const struct child_sa *c = peer_sa(x)->children;
	const struct mem_sa *s = kernel_sa(x, &peer_sa(x)->remote, c->spi_out);

	assert_int_equal(ike_sa_child_count(peer_sa(x)), 1);
	b->spi_in = c->spi_in;
	b->spi_out = c->spi_out;
	b->reqid = c->reqid;
	b->key_len = s->sa.encr_key->len;
	assert_true(b->key_len <= sizeof(b->key_out));
	memcpy(b->key_out, s->sa.encr_key->data, b->key_len);
}

/* One Child SA left on both sides, mirrored, new SPIs and keys, the
 * old SA gone from both kernels, the policies kept. */
static const struct child_sa *
assert_replaced(struct peer *x, struct peer *y, const struct before *b)
{
	const struct ike_sa *sx = peer_sa(x);
	const struct child_sa *c;
	const struct mem_sa *s;

	assert_children_mirror(x, y);
	c = sx->children;
	assert_int_not_equal(c->spi_in, b->spi_in);
	assert_int_not_equal(c->spi_out, b->spi_out);
	assert_int_equal(c->reqid, b->reqid);	/* the policies name it */
	assert_null(kernel_sa(x, &sx->local, b->spi_in));
	assert_null(kernel_sa(x, &sx->remote, b->spi_out));
	assert_null(kernel_sa(y, &peer_sa(y)->local, b->spi_out));
	s = kernel_sa(x, &sx->remote, c->spi_out);
	assert_memory_not_equal(s->sa.encr_key->data, b->key_out,
	    b->key_len);
	assert_int_equal(mem_larval_count(x->plat), 0);
	assert_int_equal(mem_larval_count(y->plat), 0);
	assert_null(sx->pending);
	assert_null(sx->create);
	return c;
}

/* x rekeys its only Child SA; y answers; x deletes the old one. */
static void
rekey_child(struct peer *x, struct peer *y, bool pfs)
{
	struct before b;
	const struct child_sa *c;
	size_t up = event_count(x, ENGINE_EV_CHILD_UP);
	size_t dx = event_count(x, ENGINE_EV_CHILD_DOWN);
	size_t dy = event_count(y, ENGINE_EV_CHILD_DOWN);

	remember(x, &b);
	assert_int_equal(engine_rekey_child(x->eng, handle_of(x), b.spi_in,
	    hn_now), 0);
	assert_int_equal(engine_rekey_child(x->eng, handle_of(x), b.spi_in,
	    hn_now), IKE_EBUSY);
	deliver(x, y);		/* N(REKEY_SA), SA, Ni, [KEi], TSi, TSr */
	assert_int_equal(ike_sa_child_count(peer_sa(y)), 2);
	assert_int_equal(mem_sa_count(y->plat), 4);
	assert_int_equal(mem_policy_count(y->plat),	/* shared */
	    policies_per_child(peer_sa(y)->children->mode));
	deliver(y, x);		/* SA, Nr, [KEr], TSi, TSr */
	assert_int_equal(mem_sa_count(x->plat), 4);	/* new before old */
	assert_int_equal(event_count(x, ENGINE_EV_CHILD_UP), up + 1);
	assert_int_equal(queued(x), 1);			/* D(ESP, old) */
	deliver(x, y);
	assert_int_equal(event_count(y, ENGINE_EV_CHILD_DOWN), dy + 1);
	assert_int_equal(event_find(y, ENGINE_EV_CHILD_DOWN,
	    dy)->child_spi_in, b.spi_out);
	deliver(y, x);
	assert_int_equal(event_count(x, ENGINE_EV_CHILD_DOWN), dx + 1);
	assert_int_equal(event_find(x, ENGINE_EV_CHILD_DOWN,
	    dx)->child_spi_in, b.spi_in);
	assert_int_equal(queued(x) + queued(y), 0);
	c = assert_replaced(x, y, &b);
	assert_keymat(x, c, true, pfs);
	assert_keymat(y, peer_sa(y)->children, false, pfs);
}

static void
rekey_by_initiator(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	rekey_child(a, b, false);
	rekey_child(a, b, false);	/* and the successor again */
	peers_free(a, b);
}

static void
rekey_by_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	rekey_child(b, a, false);
	rekey_child(a, b, false);
	peers_free(a, b);
}

static void
rekey_with_pfs(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.pfs_group = IKEV2_DH_ECP_256;
	b->ccfg.pfs_group = IKEV2_DH_ECP_256;
	establish(a, b);
	rekey_child(a, b, true);
	rekey_child(b, a, true);
	peers_free(a, b);
}

static void
rekey_api_errors(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a), 0x1234,
	    hn_now), IKE_ENOTFOUND);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a), 0,
	    hn_now), IKE_ENOTFOUND);
	assert_int_equal(engine_rekey_child(a->eng, 77,
	    peer_sa(a)->children->spi_in, hn_now), IKE_ENOTFOUND);
	/* the outbound SPI does not name it */
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a),
	    peer_sa(a)->children->spi_out, hn_now), IKE_ENOTFOUND);
	peers_free(a, b);
}

/* The request and then the answer are lost: retransmission and b's
 * response cache make one new Child SA, not two. */
static void
rekey_lost_messages(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct before bf;

	(void)state;
	establish(a, b);
	remember(a, &bf);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a), bf.spi_in,
	    hn_now), 0);
	drop(a);
	advance(a, b, 600);
	duplicate(a);
	deliver(a, b);
	deliver(a, b);			/* answered from the cache */
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	drop(b);
	deliver(b, a);
	pump(a, b);
	assert_replaced(a, b, &bf);
	assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	peers_free(a, b);
}

/* The peer no longer has the Child SA: CHILD_SA_NOT_FOUND, nothing new
 * is left, the old one stays and is not rekeyed automatically again. */
static void
rekey_of_unknown_child(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct before bf;

	(void)state;
	establish(a, b);
	remember(a, &bf);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a), bf.spi_in,
	    hn_now), 0);
	/* b forgets it meanwhile: its Delete is lost */
	assert_int_equal(engine_delete_child(b->eng, handle_of(b),
	    bf.spi_out, hn_now), 0);
	drop(b);
	deliver(a, b);			/* in flight: b's SA is DELETING */
	deliver(b, a);
	assert_int_equal(event_find(a, ENGINE_EV_CHILD_FAILED, 0)->notify,
	    IKEV2_N_CHILD_SA_NOT_FOUND);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_true(peer_sa(a)->children->rekey_failed);
	assert_false(peer_sa(a)->children->rekeyed);
	peers_free(a, b);
}

/* Lifetime 100 s: the side that proposed the Child SA rekeys at 90 s,
 * the other would at 95 s. */
static void
rekey_at_soft_lifetime(struct peer *x, struct peer *y, struct peer *a,
    struct peer *b)
{
	uint64_t up = peer_sa(x)->children->up_ms;
	struct before bf;

	remember(x, &bf);
	assert_int_equal(engine_next_deadline(x->eng), up + 90000);
	advance(a, b, up + 89999 - hn_now);
	assert_int_equal(queued(a) + queued(b), 0);
	advance(a, b, 1);
	assert_int_equal(queued(x), 1);
	assert_int_equal(queued(y), 0);
	pump(a, b);
	assert_replaced(x, y, &bf);
	assert_int_equal(peer_sa(x)->children->cfg.lifetime_s, 100);
}

static void
soft_lifetime_initiator(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.lifetime_s = 100;
	b->ccfg.lifetime_s = 100;
	establish(a, b);
	rekey_at_soft_lifetime(a, b, a, b);
	/* the successor was proposed by a again: 90 s after it came up */
	rekey_at_soft_lifetime(a, b, a, b);
	peers_free(a, b);
}

static void
soft_lifetime_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	uint64_t up;
	struct before bf;

	(void)state;
	b->ccfg.lifetime_s = 50;	/* b's is shorter: b goes first */
	establish(a, b);
	up = peer_sa(b)->children->up_ms;
	remember(b, &bf);
	assert_int_equal(engine_next_deadline(b->eng), up + 47500);
	advance(a, b, 47499);
	assert_int_equal(queued(a) + queued(b), 0);
	advance(a, b, 1);
	assert_int_equal(queued(b), 1);
	pump(a, b);
	assert_replaced(b, a, &bf);
	peers_free(a, b);
}

/* No answer to the rekey at all: the IKE SA dies, nothing leaks. */
static void
hard_lifetime_without_rekey(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.lifetime_s = 100;
	b->ccfg.lifetime_s = 100;
	establish(a, b);
	/* b refuses to rekey: its CHILD_SA_NOT_FOUND answer */
	assert_int_equal(engine_delete_child(b->eng, handle_of(b),
	    peer_sa(b)->children->spi_in, hn_now), 0);
	drop(b);
	advance(a, NULL, 90000);
	assert_int_equal(queued(a), 1);
	deliver(a, b);
	deliver(b, a);
	assert_true(peer_sa(a)->children->rekey_failed);
	/* at 100 s a deletes it */
	advance(a, NULL, 9999);
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 1);
	assert_int_equal(queued(a), 1);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	peers_free(a, b);
}

/* Both rekey the one Child SA at once (s. 2.8.1):
 *   a: N(REKEY_SA), Ni_a  -->      <--  N(REKEY_SA), Ni_b :b
 * each answers the other and ends with two new Child SAs; the one made
 * with the lowest of the four nonces is deleted by its creator, the old
 * one by both. */
static void
collision(struct peer *a, struct peer *b, struct peer *lower)
{
	struct before ba, bb;
	const struct engine_event *ev;
	uint32_t loser_in;
	size_t i;

	remember(a, &ba);
	remember(b, &bb);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a), ba.spi_in,
	    hn_now), 0);
	assert_int_equal(engine_rekey_child(b->eng, handle_of(b), bb.spi_in,
	    hn_now), 0);
	deliver(a, b);		/* b answers a's request */
	deliver(b, a);		/* a answers b's request */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	deliver(b, a);		/* a's rekey done: a collision */
	deliver(a, b);		/* b's rekey done: a collision */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 3);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 3);
	/* the redundant one is the one its creator ("lower") proposed */
	ev = event_find(lower, ENGINE_EV_CHILD_UP, 1);
	for (i = 1; ev != NULL &&
	    !ike_sa_child_find(peer_sa(lower), ev->child_spi_in, true)->ours;
	    i++)
		ev = event_find(lower, ENGINE_EV_CHILD_UP, i + 1);
	assert_non_null(ev);
	loser_in = ev->child_spi_in;
	assert_true(ike_sa_child_find(peer_sa(lower), loser_in,
	    true)->doomed);
	pump(a, b);
	assert_replaced(a, b, &ba);
	assert_null(ike_sa_child_find(peer_sa(lower), loser_in, true));
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_int_equal(mem_policy_count(a->plat),
	    policies_per_child(peer_sa(a)->children->mode));
	assert_int_equal(mem_policy_count(b->plat),
	    policies_per_child(peer_sa(b)->children->mode));
	/* the survivor was made by the other side's request */
	assert_false(peer_sa(lower)->children->ours);
	assert_keymat(lower, peer_sa(lower)->children, false, false);
	/* and the IKE SA carries on */
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	pump(a, b);
	assert_null(peer_sa(a)->out.buf);
}

static void
collision_a_nonce_lowest(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	a->nonce_lead = 0x10;
	b->nonce_lead = 0x20;
	collision(a, b, a);
	peers_free(a, b);
}

static void
collision_b_nonce_lowest(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	a->nonce_lead = 0x90;
	b->nonce_lead = 0x05;
	collision(a, b, b);
	peers_free(a, b);
}

/* ------------------------------------------------------- IKE SA */

struct ike_before {
	uint32_t	handle;
	uint64_t	spi_i, spi_r;
	uint8_t		sk_d[64];
	size_t		sk_d_len;
	uint32_t	child_in, child_out;
	size_t		nev;
};

static void
remember_ike(const struct peer *x, struct ike_before *b)
{
	const struct ike_sa *sa = peer_sa(x);

	b->handle = sa->handle;
	b->spi_i = sa->spi_i;
	b->spi_r = sa->spi_r;
	b->sk_d_len = sa->keys.sk_d->len;
	assert_true(b->sk_d_len <= sizeof(b->sk_d));
	memcpy(b->sk_d, sa->keys.sk_d->data, b->sk_d_len);
	b->child_in = sa->children->spi_in;
	b->child_out = sa->children->spi_out;
	b->nev = x->nev;
}

/* One IKE SA per side, new SPIs and keys under the old handle, the
 * Child SA unchanged under it, no event reported. */
static void
assert_ike_replaced(struct peer *x, struct peer *y,
    const struct ike_before *bx, const struct ike_before *by)
{
	const struct ike_sa *sx, *sy;

	assert_int_equal(engine_sa_count(x->eng), 1);
	assert_int_equal(engine_sa_count(y->eng), 1);
	sx = engine_sa(x->eng, bx->handle);
	sy = engine_sa(y->eng, by->handle);
	assert_non_null(sx);
	assert_non_null(sy);
	assert_int_equal(sx->state, IKE_SA_ESTABLISHED);
	assert_false(sx->superseded);
	assert_true(sx->spi_i != bx->spi_i && sx->spi_r != bx->spi_r);
	assert_ike_keys_equal(sx, sy);
	assert_memory_not_equal(sx->keys.sk_d->data, bx->sk_d, bx->sk_d_len);
	assert_children_mirror(x, y);
	assert_int_equal(sx->children->spi_in, bx->child_in);
	assert_int_equal(sx->children->spi_out, bx->child_out);
	assert_int_equal(x->nev, bx->nev);
	assert_int_equal(y->nev, by->nev);
	assert_int_equal(queued(x) + queued(y), 0);
}

/* The new IKE SA carries exchanges: a Child SA rekey and a liveness
 * check, both ways. */
static void
assert_ike_works(struct peer *a, struct peer *b)
{
	rekey_child(a, b, false);
	rekey_child(b, a, false);
	assert_int_equal(engine_liveness(b->eng, handle_of(b), hn_now), 0);
	pump(a, b);
	assert_null(peer_sa(b)->out.buf);
}

static void
rekey_ike(struct peer *x, struct peer *y)
{
	struct ike_before bx, by;

	remember_ike(x, &bx);
	remember_ike(y, &by);
	assert_int_equal(engine_rekey_ike(x->eng, bx.handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(x->eng, bx.handle, hn_now),
	    IKE_EBUSY);
	deliver(x, y);			/* SA(IKE, SPIi'), Ni, KEi */
	assert_int_equal(engine_sa_count(y->eng), 2);
	assert_int_equal(ike_sa_child_count(engine_sa(y->eng, by.handle)),
	    1);				/* moved to the new one */
	deliver(y, x);			/* SA(IKE, SPIr'), Nr, KEr */
	assert_int_equal(engine_sa_count(x->eng), 2);
	assert_int_equal(queued(x), 1);	/* D(IKE) on the old one */
	assert_false(engine_sa(x->eng, bx.handle)->initiator ==
	    engine_sa(y->eng, by.handle)->initiator);
	assert_true(engine_sa(x->eng, bx.handle)->initiator);
	deliver(x, y);
	deliver(y, x);
	assert_ike_replaced(x, y, &bx, &by);
}

static void
ike_rekey_by_initiator(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	rekey_ike(a, b);
	assert_ike_works(a, b);
	rekey_ike(a, b);		/* the new one again */
	peers_free(a, b);
}

static void
ike_rekey_by_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	rekey_ike(b, a);
	assert_ike_works(a, b);
	rekey_ike(a, b);
	assert_int_equal(engine_delete_ike(a->eng, handle_of(a), hn_now), 0);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng) + engine_sa_count(b->eng), 0);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_DOWN), 1);
	peers_free(a, b);
}

/* Lifetime 100 s: a rekeys at 90 s; the new SA's own clock starts
 * then. */
static void
ike_rekey_at_soft_lifetime(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_before ba, bb;
	uint64_t up;

	(void)state;
	a->cfg.lifetime_s = 100;
	b->cfg.lifetime_s = 100;
	establish(a, b);
	up = peer_sa(a)->up_ms;
	remember_ike(a, &ba);
	remember_ike(b, &bb);
	assert_int_equal(engine_next_deadline(a->eng), up + 90000);
	assert_int_equal(engine_next_deadline(b->eng),
	    peer_sa(b)->up_ms + 95000);
	advance(a, b, up + 89999 - hn_now);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_ike_replaced(a, b, &ba, &bb);
	assert_int_equal(engine_next_deadline(a->eng),
	    peer_sa(a)->up_ms + 90000);
	peers_free(a, b);
}

static void
ike_rekey_lost_messages(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_before ba, bb;

	(void)state;
	establish(a, b);
	remember_ike(a, &ba);
	remember_ike(b, &bb);
	assert_int_equal(engine_rekey_ike(a->eng, ba.handle, hn_now), 0);
	drop(a);			/* the request */
	advance(a, b, 600);
	deliver(a, b);
	drop(b);			/* the answer */
	advance(a, b, 1000);
	duplicate(a);
	deliver(a, b);			/* answered from the cache */
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 2);	/* one new only */
	pump(a, b);
	assert_ike_replaced(a, b, &ba, &bb);
	assert_ike_works(a, b);
	peers_free(a, b);
}

/* Both rekey the IKE SA at once and answer each other first: the new
 * IKE SA made with the lowest nonce goes, deleted by its initiator;
 * the survivor's initiator deletes the old one (s. 2.8.1). */
static void
ike_collision(struct peer *a, struct peer *b, struct peer *lower)
{
	struct ike_before ba, bb;

	remember_ike(a, &ba);
	remember_ike(b, &bb);
	assert_int_equal(engine_rekey_ike(a->eng, ba.handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(b->eng, bb.handle, hn_now), 0);
	deliver(a, b);			/* b answers a's request */
	deliver(b, a);			/* a answers b's request */
	deliver(b, a);			/* a's rekey done */
	deliver(a, b);			/* b's rekey done */
	assert_int_equal(engine_sa_count(a->eng), 3);
	assert_int_equal(engine_sa_count(b->eng), 3);
	pump(a, b);
	assert_ike_replaced(a, b, &ba, &bb);
	/* the survivor is the one the other side initiated */
	assert_false(engine_sa(lower->eng, lower == a ? ba.handle :
	    bb.handle)->initiator);
	assert_ike_works(a, b);
}

static void
ike_collision_a_nonce_lowest(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	a->nonce_lead = 0x01;
	b->nonce_lead = 0x80;
	ike_collision(a, b, a);
	peers_free(a, b);
}

static void
ike_collision_b_nonce_lowest(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	a->nonce_lead = 0xf0;
	b->nonce_lead = 0x02;
	ike_collision(a, b, b);
	peers_free(a, b);
}

/* a's answer comes before b's request reaches it: a has replaced and
 * is deleting the old IKE SA, so b's request gets TEMPORARY_FAILURE
 * (s. 2.25) and only a's new IKE SA is left. */
static void
ike_collision_temporary_failure(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_before ba, bb;

	(void)state;
	establish(a, b);
	remember_ike(a, &ba);
	remember_ike(b, &bb);
	assert_int_equal(engine_rekey_ike(a->eng, ba.handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(b->eng, bb.handle, hn_now), 0);
	deliver(a, b);			/* b answers a's request */
	reorder(b);			/* b's answer overtakes its request */
	deliver(b, a);			/* a done, deletes the old SA */
	deliver(b, a);			/* b's request: TEMPORARY_FAILURE */
	pump(a, b);
	assert_ike_replaced(a, b, &ba, &bb);
	assert_true(engine_sa(a->eng, ba.handle)->initiator);
	assert_ike_works(a, b);
	peers_free(a, b);
}

/* b's SA now takes only MODP-2048, which a also offers: b answers a's
 * KEi of ECP-256 with INVALID_KE_PAYLOAD(14), a tries once more with
 * group 14 (s. 1.3.2), and the new IKE SA uses it.
 *   HDR, SK {SA, Ni, KEi(19)}  -->  <--  HDR, SK {N(INVALID_KE_PAYLOAD)}
 *   HDR, SK {SA, Ni, KEi(14)}  -->  <--  HDR, SK {SA, Nr, KEr(14)} */
static void
ike_rekey_invalid_ke(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_before ba, bb;
	struct ike_sa *sb;

	(void)state;
	a->cfg.dh[1] = IKEV2_DH_MODP_2048;
	a->cfg.ndh = 2;
	establish(a, b);
	assert_int_equal(peer_sa(a)->dh_group, IKEV2_DH_ECP_256);
	sb = (struct ike_sa *)(uintptr_t)peer_sa(b);
	sb->cfg.dh[0] = IKEV2_DH_MODP_2048;
	remember_ike(a, &ba);
	remember_ike(b, &bb);
	assert_int_equal(engine_rekey_ike(a->eng, ba.handle, hn_now), 0);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 1);	/* refused */
	deliver(b, a);
	assert_int_equal(queued(a), 1);			/* the retry */
	pump(a, b);
	assert_ike_replaced(a, b, &ba, &bb);
	assert_int_equal(peer_sa(a)->dh_group, IKEV2_DH_MODP_2048);
	assert_int_equal(peer_sa(b)->dh_group, IKEV2_DH_MODP_2048);
	assert_ike_works(a, b);
	peers_free(a, b);
}

/* No answer to the IKE rekey: the old IKE SA dies ("peer not
 * responding") and the new one it was making goes with it. */
static void
ike_rekey_no_answer(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	int i;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_rekey_ike(a->eng, handle_of(a), hn_now), 0);
	assert_int_equal(engine_sa_count(a->eng), 2);
	for (i = 0; i < 10; i++) {
		while (queued(a) > 0)
			drop(a);
		advance(a, NULL, 60000);
	}
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_string_equal(event_find(a, ENGINE_EV_IKE_DOWN, 0)->reason,
	    "peer not responding");
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 1);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	peers_free(a, b);
}

/* b's SA now wants another PRF: the rekey is refused, a keeps its IKE
 * SA and does not retry by itself. */
static void
ike_rekey_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_before ba;

	(void)state;
	establish(a, b);
	remember_ike(a, &ba);
	((struct ike_sa *)(uintptr_t)peer_sa(b))->cfg.props[0].prf =
	    IKEV2_PRF_HMAC_SHA2_512;
	assert_int_equal(engine_rekey_ike(a->eng, ba.handle, hn_now), 0);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_int_equal(peer_sa(a)->spi_i, ba.spi_i);
	assert_true(peer_sa(a)->rekey_failed);
	assert_int_equal(a->nev, ba.nev);
	assert_int_equal(engine_next_deadline(a->eng), UINT64_MAX);
	assert_ike_works(a, b);
	peers_free(a, b);
}

/* The engine stops during an IKE rekey: the IKE SA is reported down
 * once, the half-made new one not at all. */
static void
ike_rekey_engine_stops(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_rekey_ike(a->eng, handle_of(a), hn_now), 0);
	deliver(a, b);			/* b has two IKE SAs now */
	assert_int_equal(engine_sa_count(b->eng), 2);
	engine_free(a->eng);
	a->eng = NULL;
	engine_free(b->eng);
	b->eng = NULL;
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 1);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_FAILED), 0);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_FAILED), 0);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_find(b, ENGINE_EV_IKE_DOWN, 0)->handle,
	    b->ev[0].handle);		/* under the handle it always had */
	peers_free(a, b);
}

static void
ike_rekey_api_errors(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	assert_int_equal(engine_rekey_ike(a->eng, 5, hn_now), IKE_ENOTFOUND);
	initiate(a);
	assert_int_equal(engine_rekey_ike(a->eng, a->handle, hn_now),
	    IKE_ESTATE);
	pump(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(a->eng, a->handle, hn_now),
	    IKE_EBUSY);
	pump(a, b);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rekey_by_initiator),
		cmocka_unit_test(rekey_by_responder),
		cmocka_unit_test(rekey_with_pfs),
		cmocka_unit_test(rekey_api_errors),
		cmocka_unit_test(rekey_lost_messages),
		cmocka_unit_test(rekey_of_unknown_child),
		cmocka_unit_test(soft_lifetime_initiator),
		cmocka_unit_test(soft_lifetime_responder),
		cmocka_unit_test(hard_lifetime_without_rekey),
		cmocka_unit_test(collision_a_nonce_lowest),
		cmocka_unit_test(collision_b_nonce_lowest),
		cmocka_unit_test(ike_rekey_by_initiator),
		cmocka_unit_test(ike_rekey_by_responder),
		cmocka_unit_test(ike_rekey_at_soft_lifetime),
		cmocka_unit_test(ike_rekey_lost_messages),
		cmocka_unit_test(ike_collision_a_nonce_lowest),
		cmocka_unit_test(ike_collision_b_nonce_lowest),
		cmocka_unit_test(ike_collision_temporary_failure),
		cmocka_unit_test(ike_rekey_invalid_ke),
		cmocka_unit_test(ike_rekey_no_answer),
		cmocka_unit_test(ike_rekey_refused),
		cmocka_unit_test(ike_rekey_engine_stops),
		cmocka_unit_test(ike_rekey_api_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
