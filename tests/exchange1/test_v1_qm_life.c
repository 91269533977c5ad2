/* tests/exchange1/test_v1_qm_life.c: the life of IKEv1 IPsec SAs
 * between two in-process engines: the lifetime agreed in Quick Mode
 * (the responder's shorter one announced in RESPONDER-LIFETIME, RFC
 * 2407 s. 4.6.3.1, and adopted; the initiator's shorter one taken
 * silently), rekeying from each side by request and by time (new SA up,
 * then the old one deleted), deletion at the hard lifetime, the
 * kernel's soft and hard expiries, retiring the ISAKMP SA. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev2.h"
#include "core/codec/wr.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "v1_test.h"

/* a and b up (Main Mode, one IPsec SA) with an IPsec SA lifetime of
 * life_s on both sides. */
static void
up_life(struct peer *a, struct peer *b, uint32_t life_s)
{
	a->ccfg.lifetime_s = life_s;
	b->ccfg.lifetime_s = life_s;
	v1_up(a, b, false);
}

/* Message 2 of the Quick Mode queued on a (message 1 delivered): its
 * RESPONDER-LIFETIME, read into *s and *kb; false without one. */
static bool
responder_lifetime(struct peer *a, struct peer *b, uint64_t *s,
    uint64_t *kb)
{
	uint8_t iv[CIPHER_MAX_BLOCK], *pt;
	const struct v1_pl *n;
	struct v1_msg *m;
	size_t len;
	bool found;

	m = v1_peek(a, peer_sa(a), true, iv, &pt, &len);
	v1_unpeek(m, pt, len);
	deliver(a, b);
	m = v1_peek(b, peer_sa(a), false, iv, &pt, &len);
	n = v1_msg_notify(m, IKEV1_N_RESPONDER_LIFETIME);
	found = n != NULL;
	if (found)
		assert_int_equal(v1_child_rl_get(n->u.notify.data.p,
		    n->u.notify.data.len, s, kb), 0);
	v1_unpeek(m, pt, len);
	return found;
}

/* The responder's lifetime is shorter: it says so and both use it,
 * in the engine and in the kernel. */
static void
qm_responder_lifetime(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *ca, *cb;
	const struct mem_sa *k;
	struct child_cfg cc;
	uint64_t s = 0, kb = 0;

	(void)state;
	a->ccfg.lifetime_s = 3600;
	b->ccfg.lifetime_s = 1200;
	a->ccfg.lifetime_kb = 100000;	/* over 16 bits: a TLV */
	b->ccfg.lifetime_kb = 70000;
	v1_start_qm(a, b, &cc);
	assert_true(responder_lifetime(a, b, &s, &kb));
	assert_int_equal(s, 1200);
	assert_int_equal(kb, 70000);
	pump(a, b);
	v1_assert_two_children(a, b);
	for (ca = peer_sa(a)->children; ca != NULL; ca = ca->next) {
		cb = ike_sa_child_find(peer_sa(b), ca->spi_out, true);
		assert_non_null(cb);
		assert_int_equal(ca->cfg.lifetime_s, 1200);
		assert_int_equal(cb->cfg.lifetime_s, 1200);
		assert_int_equal(ca->cfg.lifetime_kb, 70000);
		assert_int_equal(cb->cfg.lifetime_kb, 70000);
		k = v1_kernel_sa(a, &peer_sa(a)->local, ca->spi_in,
		    IPPROTO_ESP);
		assert_non_null(k);
		assert_int_equal(k->sa.hard.add_s, 1200);
		assert_int_equal(k->sa.hard.bytes, 70000ULL * 1024);
		k = v1_kernel_sa(b, &peer_sa(b)->local, cb->spi_in,
		    IPPROTO_ESP);
		assert_non_null(k);
		assert_int_equal(k->sa.hard.add_s, 1200);
	}
	peers_free(a, b);
}

/* The initiator's lifetime is the shorter one: the responder takes it
 * without a word. */
static void
qm_initiator_lifetime(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	uint64_t s, kb;

	(void)state;
	a->ccfg.lifetime_s = 600;
	b->ccfg.lifetime_s = 3600;
	v1_start_qm(a, b, &cc);
	assert_false(responder_lifetime(a, b, &s, &kb));
	pump(a, b);
	assert_int_equal(peer_sa(a)->children->cfg.lifetime_s, 600);
	assert_int_equal(peer_sa(b)->children->cfg.lifetime_s, 600);
	assert_int_equal(peer_sa(a)->children->next->cfg.lifetime_s, 600);
	assert_int_equal(peer_sa(b)->children->next->cfg.lifetime_s, 600);
	peers_free(a, b);
}

/* A rekey by request from x (a or b): the new IPsec SA comes up, then
 * the old one is deleted on both sides. */
static void
rekey_by(bool by_a)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct peer *x, *y;
	uint32_t old_a, old_b, reqid;

	v1_up(a, b, false);
	x = by_a ? a : b;
	y = by_a ? b : a;
	old_a = peer_sa(a)->children->spi_in;
	old_b = peer_sa(b)->children->spi_in;
	reqid = peer_sa(a)->children->reqid;
	assert_int_equal(engine_rekey_child(x->eng, peer_sa(x)->handle,
	    peer_sa(x)->children->spi_in, hn_now), 0);
	/* rekeying twice at once is refused */
	assert_int_equal(engine_rekey_child(x->eng, peer_sa(x)->handle,
	    peer_sa(x)->children->spi_in, hn_now), IKE_ENOTFOUND);
	pump(x, y);
	assert_children_mirror(a, b);
	assert_int_not_equal(peer_sa(a)->children->spi_in, old_a);
	assert_int_not_equal(peer_sa(b)->children->spi_in, old_b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_find(a, ENGINE_EV_CHILD_DOWN, 0)->child_spi_in,
	    old_a);
	assert_int_equal(event_find(b, ENGINE_EV_CHILD_DOWN, 0)->child_spi_in,
	    old_b);
	/* the new one up before the old one goes (make before break) */
	assert_true(event_find(x, ENGINE_EV_CHILD_UP, 1) <
	    event_find(x, ENGINE_EV_CHILD_DOWN, 0));
	assert_true(event_find(y, ENGINE_EV_CHILD_UP, 1) <
	    event_find(y, ENGINE_EV_CHILD_DOWN, 0));
	/* same reqid: the kernel policies stayed in place throughout */
	assert_int_equal(peer_sa(a)->children->reqid, reqid);
	peers_free(a, b);
}

static void
qm_rekey_initiator(void **state)
{
	(void)state;
	rekey_by(true);
}

static void
qm_rekey_responder(void **state)
{
	(void)state;
	rekey_by(false);
}

/* Both sides rekey the same IPsec SA at once: IKEv1 has no rule for
 * the redundant pair (RFC 7296 s. 2.8.1 is IKEv2's), so both new ones
 * come up, mirrored, and the old one is gone from both kernels. */
static void
qm_rekey_collision(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *c;
	uint32_t old;

	(void)state;
	v1_up(a, b, false);
	old = peer_sa(a)->children->spi_in;
	assert_int_equal(engine_rekey_child(a->eng, peer_sa(a)->handle, old,
	    hn_now), 0);
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    peer_sa(b)->children->spi_in, hn_now), 0);
	pump(a, b);
	assert_null(ike_sa_child_find(peer_sa(a), old, true));
	v1_assert_two_children(a, b);
	for (c = peer_sa(a)->children; c != NULL; c = c->next)
		assert_int_equal(c->state, CHILD_SA_INSTALLED);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, 0);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

/* After a phase-1 rekey the IPsec SAs live under the new ISAKMP SA:
 * rekeyed by Quick Mode and deleted by Informational under its keys,
 * from each side. */
static void
qm_after_phase1_rekey(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint64_t cookie;

	(void)state;
	v1_up(a, b, false);
	cookie = peer_sa(a)->spi_i;
	assert_int_equal(engine_rekey_ike(a->eng, peer_sa(a)->handle,
	    hn_now), 0);
	pump(a, b);
	advance(a, b, 1);
	assert_int_not_equal(peer_sa(a)->spi_i, cookie);
	assert_int_equal(peer_sa(b)->spi_i, peer_sa(a)->spi_i);
	assert_children_mirror(a, b);
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    peer_sa(b)->children->spi_in, hn_now), 0);
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_equal(engine_delete_child(a->eng, peer_sa(a)->handle,
	    peer_sa(a)->children->spi_in, hn_now), 0);
	pump(a, b);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, 0);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

/* Lifetime 100 s: rekeyed by time (90 s on the proposer), deleted at
 * 100 s when nothing replaced it. */
static void
qm_rekey_by_time(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint32_t old;

	(void)state;
	up_life(a, b, 100);
	old = peer_sa(a)->children->spi_in;
	advance(a, b, 89 * 1000);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1000);
	assert_int_equal(queued(a), 1);	/* message 1 of the rekey */
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_not_equal(peer_sa(a)->children->spi_in, old);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_DOWN), 1);
	peers_free(a, b);
}

/* An IPsec SA b proposed (b the phase-1 responder) with a lifetime
 * a did not configure: a takes b's, b rekeys it by time. */
static void
qm_rekey_by_time_b(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	const struct child_sa *c;
	uint32_t first;

	(void)state;
	v1_up(a, b, false);
	first = peer_sa(a)->children->spi_in;
	cc = b->ccfg;
	cc.lifetime_s = 100;
	ts_v4(&cc.local_ts, 10, 2, 9, 0, 10, 2, 9, 255);
	ts_v4(&cc.remote_ts, 10, 1, 9, 0, 10, 1, 9, 255);
	assert_int_equal(engine_create_child(b->eng, peer_sa(b)->handle, &cc,
	    hn_now), 0);
	pump(a, b);
	v1_assert_two_children(a, b);
	advance(a, b, 89 * 1000);
	assert_int_equal(queued(a) + queued(b), 0);
	advance(a, b, 1000);
	assert_int_equal(queued(b), 1);	/* b's rekey */
	assert_int_equal(queued(a), 0);
	pump(a, b);
	v1_assert_two_children(a, b);
	assert_non_null(ike_sa_child_find(peer_sa(a), first, true));
	for (c = peer_sa(a)->children; c != NULL; c = c->next)
		if (c->spi_in != first)
			assert_int_equal(c->cfg.lifetime_s, 100);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	peers_free(a, b);
}

/* Nobody can rekey (the responder refuses): deleted at the hard end. */
static void
qm_hard_lifetime(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	up_life(a, b, 100);
	b->ccfg.props[0].key_bits = 128;	/* a rekey is refused */
	a->ccfg.props[0].key_bits = 128;
	advance(a, b, 90 * 1000);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_FAILED, 0));
	advance(a, b, 10 * 1000);
	pump(a, b);
	ev = event_find(a, ENGINE_EV_CHILD_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "lifetime expired");
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

static struct plat_sa_id
in_sa_id(struct peer *p)
{
	const struct ike_sa *sa = peer_sa(p);
	struct plat_sa_id id = { .dst = sa->local,
	    .spi = sa->children->spi_in, .proto = IPPROTO_ESP };

	id.dst.port = 0;
	return id;
}

/* The kernel's soft expiry rekeys at once. */
static void
qm_kernel_soft(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct plat_sa_id id;
	uint32_t old;

	(void)state;
	v1_up(a, b, false);
	id = in_sa_id(b);
	old = id.spi;
	assert_int_equal(engine_sa_expired(b->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(b), 1);
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_not_equal(peer_sa(b)->children->spi_in, old);
	peers_free(a, b);
}

/* The kernel's hard expiry: removed at once, the peer told. */
static void
qm_kernel_hard(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct plat_sa_id id;
	const struct engine_event *ev;

	(void)state;
	v1_up(a, b, false);
	id = in_sa_id(a);
	assert_int_equal(engine_sa_expired(a->eng, &id, true, hn_now), 0);
	ev = event_find(a, ENGINE_EV_CHILD_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "lifetime expired");
	assert_int_equal(queued(a), 1);	/* the Delete */
	pump(a, b);
	assert_non_null(event_find(b, ENGINE_EV_CHILD_DOWN, 0));
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	peers_free(a, b);
}

/* Retiring: no rekey; the IPsec SA ends with its lifetime, then the
 * ISAKMP SA is deleted. */
static void
qm_retire(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	up_life(a, b, 100);
	assert_int_equal(engine_retire_ike(a->eng, peer_sa(a)->handle,
	    hn_now), 0);
	assert_int_equal(engine_rekey_child(a->eng, peer_sa(a)->handle,
	    peer_sa(a)->children->spi_in, hn_now), IKE_ESTATE);
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle,
	    &a->ccfg, hn_now), IKE_ESTATE);
	advance(a, b, 95 * 1000);
	assert_int_equal(queued(a), 0);		/* no rekey */
	advance(a, b, 5 * 1000);
	pump(a, b);
	ev = event_find(a, ENGINE_EV_IKE_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "removed");
	assert_non_null(event_find(b, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(engine_sa_count(b->eng), 0);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

/* Without a lifetime configured an IPsec SA still has RFC 2407's 8
 * hours: retiring waits for them (no rekey), then deletes. */
static void
qm_retire_default_life(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	v1_up(a, b, false);
	assert_int_equal(engine_retire_ike(a->eng, peer_sa(a)->handle,
	    hn_now), 0);
	pump(a, b);
	assert_null(event_find(a, ENGINE_EV_IKE_DOWN, 0));
	advance(a, b, 28799 * 1000ULL);
	pump(a, b);
	assert_null(event_find(a, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);  /* no rekey */
	advance(a, b, 1000);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_DOWN, 0));
	assert_non_null(event_find(b, ENGINE_EV_IKE_DOWN, 0));
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qm_responder_lifetime),
		cmocka_unit_test(qm_initiator_lifetime),
		cmocka_unit_test(qm_rekey_initiator),
		cmocka_unit_test(qm_rekey_responder),
		cmocka_unit_test(qm_rekey_collision),
		cmocka_unit_test(qm_after_phase1_rekey),
		cmocka_unit_test(qm_rekey_by_time),
		cmocka_unit_test(qm_rekey_by_time_b),
		cmocka_unit_test(qm_hard_lifetime),
		cmocka_unit_test(qm_kernel_soft),
		cmocka_unit_test(qm_kernel_hard),
		cmocka_unit_test(qm_retire),
		cmocka_unit_test(qm_retire_default_life),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
