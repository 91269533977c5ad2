/* tests/exchange/test_exchange_info.c: INFORMATIONAL exchanges (RFC 7296
 * s. 1.4): Delete of the Child SA and of the IKE SA from either side,
 * both sides deleting the same Child SA at once, and the empty request
 * as a liveness check. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/err.h"
#include "harness.h"

static void
assert_kernel_empty(struct peer *p)
{
	assert_int_equal(mem_sa_count(p->plat), 0);
	assert_int_equal(mem_larval_count(p->plat), 0);
	assert_int_equal(mem_policy_count(p->plat), 0);
}

static void
assert_event(const struct peer *p, enum engine_ev type, const char *reason)
{
	const struct engine_event *ev = event_find(p, type, 0);

	assert_non_null(ev);
	assert_int_equal(event_count(p, type), 1);
	assert_string_equal(ev->reason, reason);
}

static uint32_t
handle_of(const struct peer *p)
{
	return peer_sa(p)->handle;
}

/* x deletes the Child SA:
 *   HDR, SK {D(ESP, SPI_x_in)}  -->
 *                               <--  HDR, SK {D(ESP, SPI_y_in)} */
static void
delete_child(struct peer *x, struct peer *y)
{
	uint32_t spi_in = peer_sa(x)->children->spi_in;

	assert_int_equal(engine_delete_child(x->eng, handle_of(x), spi_in,
	    hn_now), 0);
	deliver(x, y);
	assert_event(y, ENGINE_EV_CHILD_DOWN, "deleted by peer");
	assert_int_equal(event_find(y, ENGINE_EV_CHILD_DOWN, 0)->child_spi_out,
	    spi_in);
	assert_kernel_empty(y);
	assert_int_equal(mem_sa_count(x->plat), 2);	/* until answered */
	deliver(y, x);
	assert_event(x, ENGINE_EV_CHILD_DOWN, "deleted");
	assert_kernel_empty(x);
	assert_int_equal(peer_sa(x)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(y)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_child_count(peer_sa(x)), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(y)), 0);
}

static void
delete_child_by_initiator(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	delete_child(a, b);
	peers_free(a, b);
}

static void
delete_child_by_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	delete_child(b, a);
	/* the IKE SA goes on: a liveness check from b is answered */
	assert_int_equal(engine_liveness(b->eng, handle_of(b), hn_now), 0);
	pump(a, b);
	assert_null(peer_sa(b)->out.buf);
	peers_free(a, b);
}

/* A Child SA's Delete asked for while a request is outstanding waits
 * for the window (`ike cmd=remove` of several tunnels at once):
 *   HDR, SK {}                    -->   <--  HDR, SK {}     (liveness)
 *   HDR, SK {D(ESP, SPI_a_in)}    -->   <--  HDR, SK {D(ESP, SPI_b_in)} */
static void
delete_child_waits_for_window(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	uint32_t spi_in;

	(void)state;
	establish(a, b);
	spi_in = peer_sa(a)->children->spi_in;
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	assert_int_equal(engine_delete_child(a->eng, handle_of(a), spi_in,
	    hn_now), 0);
	/* asked twice: already under way */
	assert_int_equal(engine_delete_child(a->eng, handle_of(a), spi_in,
	    hn_now), IKE_ENOTFOUND);
	assert_int_equal(mem_sa_count(a->plat), 2);	/* not yet */
	pump(a, b);
	assert_event(b, ENGINE_EV_CHILD_DOWN, "deleted by peer");
	assert_event(a, ENGINE_EV_CHILD_DOWN, "deleted");
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	peers_free(a, b);
}

/* x deletes the IKE SA:  HDR, SK {D(IKE)} -->  <-- HDR, SK {} */
static void
delete_ike(struct peer *x, struct peer *y)
{
	assert_int_equal(engine_delete_ike(x->eng, handle_of(x), hn_now), 0);
	assert_int_equal(peer_sa(x)->state, IKE_SA_DELETING);
	deliver(x, y);
	assert_event(y, ENGINE_EV_IKE_DOWN, "deleted by peer");
	assert_event(y, ENGINE_EV_CHILD_DOWN, "deleted by peer");
	assert_int_equal(engine_sa_count(y->eng), 0);
	assert_kernel_empty(y);
	deliver(y, x);
	assert_event(x, ENGINE_EV_IKE_DOWN, "deleted");
	assert_event(x, ENGINE_EV_CHILD_DOWN, "deleted");
	assert_int_equal(engine_sa_count(x->eng), 0);
	assert_kernel_empty(x);
	assert_int_equal(queued(x) + queued(y), 0);
}

static void
delete_ike_by_initiator(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	delete_ike(a, b);
	peers_free(a, b);
}

static void
delete_ike_by_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	delete_ike(b, a);
	peers_free(a, b);
}

/* Both send a Delete for the same Child SA before seeing the other's:
 * each removes it once, and neither answer repeats it (s. 1.4.1). */
static void
simultaneous_child_delete(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_delete_child(a->eng, handle_of(a),
	    peer_sa(a)->children->spi_in, hn_now), 0);
	assert_int_equal(engine_delete_child(b->eng, handle_of(b),
	    peer_sa(b)->children->spi_in, hn_now), 0);
	deliver(a, b);
	deliver(b, a);			/* the requests cross */
	deliver(a, b);
	deliver(b, a);			/* and their answers */
	assert_event(a, ENGINE_EV_CHILD_DOWN, "deleted by peer");
	assert_event(b, ENGINE_EV_CHILD_DOWN, "deleted by peer");
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	assert_null(peer_sa(a)->out.buf);
	assert_null(peer_sa(b)->out.buf);
	assert_int_equal(engine_stats(a->eng)->rx_dropped +
	    engine_stats(b->eng)->rx_dropped, 0);
	peers_free(a, b);
}

/* Both delete the IKE SA at once: each answers the other's Delete and
 * ends; the answers then find no SA and are dropped. */
static void
simultaneous_ike_delete(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_delete_ike(a->eng, handle_of(a), hn_now), 0);
	assert_int_equal(engine_delete_ike(b->eng, handle_of(b), hn_now), 0);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(engine_sa_count(a->eng) + engine_sa_count(b->eng), 0);
	pump(a, b);
	assert_event(a, ENGINE_EV_IKE_DOWN, "deleted by peer");
	assert_event(b, ENGINE_EV_IKE_DOWN, "deleted by peer");
	assert_int_equal(engine_stats(a->eng)->rx_dropped, 1);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 1);
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

/* a's answer to b's request and a's own request leave together and
 * arrive in the other order: b handles both. */
static void
crossing_messages_reordered(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(b->eng, handle_of(b), hn_now), 0);
	deliver(b, a);			/* a queues its answer */
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	assert_int_equal(queued(a), 2);
	reorder(a);			/* a's request overtakes */
	deliver(a, b);
	deliver(a, b);
	assert_null(peer_sa(b)->out.buf);	/* b got its answer */
	assert_int_equal(queued(b), 1);		/* and answers a */
	deliver(b, a);
	assert_null(peer_sa(a)->out.buf);
	assert_int_equal(engine_stats(a->eng)->rx_dropped +
	    engine_stats(b->eng)->rx_dropped, 0);
	peers_free(a, b);
}

/* HDR, SK {} --> <-- HDR, SK {}, both ways; nothing else changes. */
static void
liveness_answered(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	size_t na, nb;

	(void)state;
	establish(a, b);
	na = a->nev;
	nb = b->nev;
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	assert_non_null(peer_sa(a)->out.buf);
	deliver(a, b);
	assert_int_equal(queued(b), 1);
	deliver(b, a);
	assert_null(peer_sa(a)->out.buf);
	assert_int_equal(peer_sa(a)->next_req_id, 3);
	assert_int_equal(engine_liveness(b->eng, handle_of(b), hn_now), 0);
	pump(a, b);
	assert_null(peer_sa(b)->out.buf);
	assert_int_equal(peer_sa(a)->peer_next_id, 1);
	assert_int_equal(na, a->nev);
	assert_int_equal(nb, b->nev);
	assert_int_equal(engine_next_deadline(a->eng), UINT64_MAX);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* At the end of its lifetime the IKE SA is deleted by whichever side
 * has the shorter one when rekeying it before (s. 2.8) failed. */
static void
lifetime_ends_sa(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	uint64_t t0;

	(void)state;
	a->cfg.lifetime_s = 60;
	b->cfg.lifetime_s = 3600;
	t0 = hn_now;
	establish(a, b);
	/* the rekey at 54 s is refused: b's SA wants another PRF now */
	((struct ike_sa *)(uintptr_t)peer_sa(b))->cfg.props[0].prf =
	    IKEV2_PRF_HMAC_SHA2_512;
	assert_int_equal(engine_next_deadline(a->eng), t0 + 54000);
	advance(a, b, 54000);
	assert_int_equal(queued(a), 1);		/* SA(IKE), Ni, KEi */
	pump(a, b);
	assert_true(peer_sa(a)->rekey_failed);
	assert_int_equal(engine_next_deadline(a->eng), t0 + 60000);
	advance(a, b, 5999);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);		/* D(IKE) */
	pump(a, b);
	assert_string_equal(event_find(a, ENGINE_EV_IKE_DOWN, 0)->reason,
	    "deleted");
	assert_string_equal(event_find(b, ENGINE_EV_IKE_DOWN, 0)->reason,
	    "deleted by peer");
	assert_int_equal(engine_sa_count(a->eng) + engine_sa_count(b->eng), 0);
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

static void
refused_calls(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	initiate(a);
	/* not established yet */
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now),
	    IKE_ESTATE);
	pump(a, b);
	assert_int_equal(engine_delete_child(a->eng, a->handle, 12345,
	    hn_now), IKE_ENOTFOUND);
	assert_int_equal(engine_delete_ike(a->eng, 999, hn_now),
	    IKE_ENOTFOUND);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	/* window size 1: one request at a time */
	assert_int_equal(engine_delete_ike(a->eng, a->handle, hn_now),
	    IKE_EBUSY);
	pump(a, b);
	assert_int_equal(engine_delete_ike(a->eng, a->handle, hn_now), 0);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 0);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delete_child_by_initiator),
		cmocka_unit_test(delete_child_by_responder),
		cmocka_unit_test(delete_child_waits_for_window),
		cmocka_unit_test(delete_ike_by_initiator),
		cmocka_unit_test(delete_ike_by_responder),
		cmocka_unit_test(simultaneous_child_delete),
		cmocka_unit_test(simultaneous_ike_delete),
		cmocka_unit_test(crossing_messages_reordered),
		cmocka_unit_test(liveness_answered),
		cmocka_unit_test(lifetime_ends_sa),
		cmocka_unit_test(refused_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
