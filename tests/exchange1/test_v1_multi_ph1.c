/* tests/exchange1/test_v1_multi_ph1.c: several ISAKMP SAs from one peer
 * (RFC 2409 allows it), between two in-process engines.  Peer a runs a
 * second phase 1 (same identity) without deleting the first; on b the
 * second replaces the first (the handle and the IPsec SAs move to it)
 * but the first, still established, keeps serving a:
 *
 *   - a Quick Mode a starts on the FIRST ISAKMP SA completes; its IPsec
 *     SA is in both kernels and listed under b's handle (the successor);
 *     a rekey of an IPsec SA over it keeps the successor's policies;
 *   - with three phase 1s, the IPsec SA goes to the end of the chain;
 *   - R-U-THERE on the old SA is answered;
 *   - a Delete of an IPsec SA over the old SA removes it from the
 *     successor; a Delete of the old ISAKMP SA removes only it;
 *   - the old SA's expiry ends it alone, without an event for the
 *     handle;
 *   - once the successor is gone, a Quick Mode on the old SA is dropped
 *     and counted (rx_dropped), nothing reserved. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "platform/mem/mem.h"
#include "v1_test.h"

struct multi {
	struct peer	*a, *b;
	uint32_t	 h1, h2;	/* a's first and second SA */
	uint32_t	 hb;		/* b's handle (its newest SA) */
};

/* The SA of p other than the one with handle h (two are there). */
static struct ike_sa *
other_sa(struct peer *p, uint32_t h)
{
	uint32_t i;

	assert_int_equal(engine_sa_count(p->eng), 2);
	for (i = 1; i < 64; i++)
		if (i != h && engine_sa(p->eng, i) != NULL)
			return v1_sa_by(p, i);
	fail_msg("no other SA");
	return NULL;
}

/* a's Quick Mode configuration between 10.1.<n>.0/24, 10.2.<n>.0/24. */
static void
cc_net(const struct peer *a, int n, struct child_cfg *cc)
{
	*cc = a->ccfg;
	ts_v4(&cc->local_ts, 10, 1, n, 0, 10, 1, n, 255);
	ts_v4(&cc->remote_ts, 10, 2, n, 0, 10, 2, n, 255);
}

/* A further phase 1 of a (with a Quick Mode for 10.x.<n>.0/24); its
 * handle on a. */
static uint32_t
another_ph1(struct multi *t, int n)
{
	struct child_cfg cc;
	uint32_t h;

	cc_net(t->a, n, &cc);
	assert_int_equal(engine_initiate(t->a->eng, &t->a->cfg, &cc, hn_now,
	    &h), 0);
	pump(t->a, t->b);
	assert_int_equal(v1_sa_by(t->a, h)->state, IKE_SA_ESTABLISHED);
	return h;
}

/* Phase 1 + Quick Mode, then a second phase 1 of a: on b the first SA
 * is replaced but stays established, and its cookies are a's first. */
static void
setup(struct multi *t)
{
	struct ike_sa *old, *home;

	t->a = v1_peer("a", 1, 2);
	t->b = v1_peer("b", 2, 1);
	v1_up(t->a, t->b, false);
	t->h1 = t->a->handle;
	t->hb = peer_sa(t->b)->handle;
	t->h2 = another_ph1(t, 8);
	assert_int_equal(engine_sa_count(t->a->eng), 2);
	home = v1_sa_by(t->b, t->hb);
	old = other_sa(t->b, t->hb);
	assert_false(home->superseded);
	assert_true(old->superseded);
	assert_int_equal(old->state, IKE_SA_ESTABLISHED);
	assert_int_equal(old->spi_i, v1_sa_by(t->a, t->h1)->spi_i);
	assert_int_equal(home->spi_i, v1_sa_by(t->a, t->h2)->spi_i);
	assert_int_equal(ike_sa_child_count(home), 2);
	assert_int_equal(ike_sa_child_count(old), 0);
	assert_int_equal(mem_sa_count(t->b->plat), 4);
}

static void
teardown(struct multi *t)
{
	peers_free(t->a, t->b);
}

/* The IPsec SA with a's inbound SPI spi: on a's SA x, on b's SA y, and
 * both directions in both kernels. */
static void
assert_pair(struct multi *t, const struct ike_sa *x, const struct ike_sa *y,
    uint32_t spi)
{
	const struct child_sa *ca = ike_sa_child_find(x, spi, true);
	const struct child_sa *cb = ike_sa_child_find(y, spi, false);

	assert_non_null(ca);
	assert_non_null(cb);
	assert_int_equal(ca->state, CHILD_SA_INSTALLED);
	assert_int_equal(cb->state, CHILD_SA_INSTALLED);
	assert_int_equal(ca->spi_out, cb->spi_in);
	assert_non_null(kernel_esp(t->a, &x->local, ca->spi_in));
	assert_non_null(kernel_esp(t->a, &x->remote, ca->spi_out));
	assert_non_null(kernel_esp(t->b, &y->local, cb->spi_in));
	assert_non_null(kernel_esp(t->b, &y->remote, cb->spi_out));
}

/* A Quick Mode of a on its SA h for 10.x.<n>.0/24; the inbound SPI on a
 * of the IPsec SA it made (asserted up on both sides). */
static uint32_t
qm_on(struct multi *t, uint32_t h, int n)
{
	size_t ua = event_count(t->a, ENGINE_EV_CHILD_UP);
	size_t ub = event_count(t->b, ENGINE_EV_CHILD_UP);
	const struct engine_event *ea, *eb;
	struct child_cfg cc;

	cc_net(t->a, n, &cc);
	assert_int_equal(engine_create_child(t->a->eng, h, &cc, hn_now), 0);
	pump(t->a, t->b);
	assert_int_equal(event_count(t->a, ENGINE_EV_CHILD_UP), ua + 1);
	assert_int_equal(event_count(t->b, ENGINE_EV_CHILD_UP), ub + 1);
	ea = event_find(t->a, ENGINE_EV_CHILD_UP, ua);
	eb = event_find(t->b, ENGINE_EV_CHILD_UP, ub);
	assert_int_equal(ea->handle, h);
	assert_int_equal(eb->handle, t->hb);	/* b's handle, the user's */
	assert_int_equal(eb->child_spi_in, ea->child_spi_out);
	assert_int_equal(event_count(t->b, ENGINE_EV_CHILD_FAILED), 0);
	return ea->child_spi_in;
}

/* ------------------------------------------------------------ tests */

static void
qm_on_old_sa(void **state)
{
	struct multi t;
	uint64_t dropped;
	uint32_t spi;

	(void)state;
	setup(&t);
	dropped = engine_stats(t.b->eng)->rx_dropped;
	spi = qm_on(&t, t.h1, 7);
	assert_pair(&t, v1_sa_by(t.a, t.h1), v1_sa_by(t.b, t.hb), spi);
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 3);
	assert_int_equal(ike_sa_child_count(other_sa(t.b, t.hb)), 0);
	assert_int_equal(mem_sa_count(t.a->plat), 6);
	assert_int_equal(mem_sa_count(t.b->plat), 6);
	assert_int_equal(mem_larval_count(t.b->plat), 0);
	assert_int_equal(engine_stats(t.b->eng)->rx_dropped, dropped);
	/* a second one on the old SA too: several, not only the first */
	spi = qm_on(&t, t.h1, 6);
	assert_pair(&t, v1_sa_by(t.a, t.h1), v1_sa_by(t.b, t.hb), spi);
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 4);
	/* our own new Quick Modes start on the newest SA only */
	assert_int_equal(v1_qm_start(t.b->eng, other_sa(t.b, t.hb),
	    &t.b->ccfg, 0), IKE_ESTATE);
	teardown(&t);
}

/* a rekeys the IPsec SA it made over its first SA, over that SA: on b
 * the new one replaces the old one in the successor (same reqid, the
 * policies stay, not added twice), and a's Delete of the old one over
 * the old ISAKMP SA removes it there. */
static void
rekey_child_on_old_sa(void **state)
{
	struct multi t;
	const struct child_sa *nb;
	size_t pol;
	uint32_t spi, nspi;

	(void)state;
	setup(&t);
	spi = qm_on(&t, t.h1, 7);
	pol = mem_policy_count(t.b->plat);
	assert_int_equal(engine_rekey_child(t.a->eng, t.h1, spi, hn_now), 0);
	pump(t.a, t.b);
	nspi = event_find(t.a, ENGINE_EV_CHILD_UP, 3)->child_spi_in;
	assert_int_not_equal(nspi, spi);
	assert_pair(&t, v1_sa_by(t.a, t.h1), v1_sa_by(t.b, t.hb), nspi);
	nb = ike_sa_child_find(v1_sa_by(t.b, t.hb), nspi, false);
	assert_non_null(event_find(t.b, ENGINE_EV_CHILD_DOWN, 0));
	assert_int_equal(event_find(t.b, ENGINE_EV_CHILD_DOWN, 0)->handle,
	    t.hb);
	assert_null(ike_sa_child_find(v1_sa_by(t.b, t.hb), spi, false));
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 3);
	assert_int_equal(mem_policy_count(t.b->plat), pol);
	assert_int_equal(mem_sa_count(t.b->plat), 6);
	assert_true(nb->policies);
	teardown(&t);
}

/* Three phase 1s: the IPsec SA made over the first goes to the third,
 * which holds the handle. */
static void
chain_of_three(void **state)
{
	struct multi t;
	struct ike_sa *home;
	uint32_t spi;

	(void)state;
	setup(&t);
	(void)another_ph1(&t, 5);	/* asserts it up */
	assert_int_equal(engine_sa_count(t.b->eng), 3);
	home = v1_sa_by(t.b, t.hb);
	assert_false(home->superseded);
	assert_int_equal(ike_sa_child_count(home), 3);
	spi = qm_on(&t, t.h1, 7);
	assert_pair(&t, v1_sa_by(t.a, t.h1), home, spi);
	assert_int_equal(ike_sa_child_count(home), 4);
	assert_int_equal(mem_sa_count(t.b->plat), 8);
	teardown(&t);
}

/* R-U-THERE on a's first SA: b answers over the old SA. */
static void
dpd_on_old_sa(void **state)
{
	struct multi t;
	struct ike_sa *old;

	(void)state;
	setup(&t);
	old = other_sa(t.b, t.hb);
	assert_false(old->v1->dpd_peer_any);
	assert_int_equal(engine_liveness(t.a->eng, t.h1, hn_now), 0);
	assert_int_not_equal(v1_sa_by(t.a, t.h1)->v1->dpd_wait, 0);
	deliver(t.a, t.b);
	assert_int_equal(queued(t.b), 1);	/* R-U-THERE-ACK */
	assert_true(old->v1->dpd_peer_any);
	deliver(t.b, t.a);
	assert_int_equal(v1_sa_by(t.a, t.h1)->v1->dpd_wait, 0);
	teardown(&t);
}

/* a deletes the IPsec SA it made over its first SA (a Delete over that
 * SA): b removes it from the successor; then a deletes the first
 * ISAKMP SA alone: b's old SA goes, silently, and every IPsec SA on the
 * successor stays. */
static void
delete_on_old_sa(void **state)
{
	struct multi t;
	const struct engine_event *ev;
	uint32_t spi;

	(void)state;
	setup(&t);
	spi = qm_on(&t, t.h1, 7);
	(void)qm_on(&t, t.h1, 6);
	assert_int_equal(engine_delete_child(t.a->eng, t.h1, spi, hn_now), 0);
	pump(t.a, t.b);
	ev = event_find(t.b, ENGINE_EV_CHILD_DOWN, 0);
	assert_non_null(ev);
	assert_int_equal(ev->handle, t.hb);
	assert_int_equal(ev->child_spi_out, spi);
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 3);
	assert_int_equal(mem_sa_count(t.b->plat), 6);
	assert_int_equal(v1_info_delete_ike(t.a->eng, v1_sa_by(t.a, t.h1),
	    false), 0);
	pump(t.a, t.b);
	assert_int_equal(engine_sa_count(t.b->eng), 1);
	assert_non_null(v1_sa_by(t.b, t.hb));
	assert_int_equal(v1_sa_by(t.b, t.hb)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 3);
	assert_int_equal(mem_sa_count(t.b->plat), 6);
	assert_int_equal(event_count(t.b, ENGINE_EV_CHILD_DOWN), 1);
	assert_null(event_find(t.b, ENGINE_EV_IKE_DOWN, 0));
	teardown(&t);
}

/* The old SA's phase-1 lifetime ends: it is deleted (the peer told),
 * alone and without an event; the successor keeps the IPsec SAs. */
static void
old_sa_expires(void **state)
{
	struct multi t;
	struct ike_sa *old;

	(void)state;
	setup(&t);
	(void)qm_on(&t, t.h1, 7);
	old = other_sa(t.b, t.hb);
	old->v1->life_s = 60;
	old->up_ms = hn_now;
	advance(t.a, t.b, 59 * 1000);
	assert_int_equal(engine_sa_count(t.b->eng), 2);
	assert_int_equal(queued(t.b), 0);
	advance(t.a, t.b, 1000);
	assert_int_equal(engine_sa_count(t.b->eng), 1);
	assert_int_equal(queued(t.b), 1);	/* its Delete */
	pump(t.a, t.b);
	assert_null(engine_sa(t.a->eng, t.h1));	/* a heard of it */
	assert_null(event_find(t.b, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(event_count(t.b, ENGINE_EV_CHILD_DOWN), 0);
	assert_int_equal(ike_sa_child_count(v1_sa_by(t.b, t.hb)), 3);
	assert_int_equal(mem_sa_count(t.b->plat), 6);
	teardown(&t);
}

/* The successor deleted by the peer: a new Quick Mode on the old SA has
 * no SA to join; b drops it, counted, and reserves nothing. */
static void
successor_gone(void **state)
{
	struct multi t;
	struct child_cfg cc;
	uint64_t dropped;

	(void)state;
	setup(&t);
	assert_int_equal(engine_delete_ike(t.a->eng, t.h2, hn_now), 0);
	pump(t.a, t.b);
	assert_non_null(event_find(t.b, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(engine_sa_count(t.b->eng), 1);
	dropped = engine_stats(t.b->eng)->rx_dropped;
	cc_net(t.a, 7, &cc);
	assert_int_equal(engine_create_child(t.a->eng, t.h1, &cc, hn_now), 0);
	deliver(t.a, t.b);
	assert_int_equal(queued(t.b), 0);
	assert_int_equal(engine_stats(t.b->eng)->rx_dropped, dropped + 1);
	assert_int_equal(mem_larval_count(t.b->plat), 0);
	assert_int_equal(event_count(t.b, ENGINE_EV_CHILD_UP), 2);
	teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qm_on_old_sa),
		cmocka_unit_test(rekey_child_on_old_sa),
		cmocka_unit_test(chain_of_three),
		cmocka_unit_test(dpd_on_old_sa),
		cmocka_unit_test(delete_on_old_sa),
		cmocka_unit_test(old_sa_expires),
		cmocka_unit_test(successor_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
