/* tests/exchange/test_exchange_retire.c: retiring an IKE SA
 * (engine_retire_ike(), `ike cmd=remove phase=1`).  The IKE SA stays but
 * nothing on it is rekeyed; each Child SA ends with its lifetime:
 *
 *   (Child SA lifetime over)  HDR, SK {D(ESP, SPI)}  -->
 *                                        <--  HDR, SK {D(ESP, SPI')}
 *   (no Child SA left)        HDR, SK {D(IKE)}  -->
 *                                        <--  HDR, SK {}
 *
 * and the peer's CREATE_CHILD_SA requests get NO_ADDITIONAL_SAS
 * (RFC 7296 s. 1.3.1, 3.10.1) while its Deletes still work. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/err.h"
#include "harness.h"

static void
assert_event(const struct peer *p, enum engine_ev type, size_t n,
    const char *reason)
{
	const struct engine_event *ev = event_find(p, type, n);

	assert_non_null(ev);
	assert_non_null(ev->reason);
	assert_string_equal(ev->reason, reason);
}

/* a's IKE SA was deleted as retired, b saw it go. */
static void
assert_retired(struct peer *a, struct peer *b)
{
	assert_event(a, ENGINE_EV_IKE_DOWN, 0, "removed");
	assert_event(b, ENGINE_EV_IKE_DOWN, 0, "deleted by peer");
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_sa_count(b->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
}

/* No Child SA has a lifetime: the IKE SA goes at once, with them. */
static void
retire_without_lifetimes(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_true(peer_sa(a)->retiring);
	assert_int_equal(peer_sa(a)->state, IKE_SA_DELETING);
	assert_int_equal(queued(a), 1);		/* D(IKE) */
	pump(a, b);
	assert_event(a, ENGINE_EV_CHILD_DOWN, 0, "removed");
	assert_retired(a, b);
	peers_free(a, b);
}

/* Retiring while a request is outstanding: the Delete waits for the
 * window (the engine asks to be ticked when it is free). */
static void
retire_when_busy(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(queued(a), 1);		/* the liveness check */
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(queued(a), 1);		/* then D(IKE) */
	pump(a, b);
	assert_retired(a, b);
	peers_free(a, b);
}

/* Child SA lifetime 100 s: no rekey at 90 s; b's own rekey at 95 s is
 * refused with NO_ADDITIONAL_SAS; at 100 s a deletes the Child SA
 * ("lifetime expired"), then the IKE SA ("removed"). */
static void
retire_waits_for_child_lifetime(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct engine_event *ev;
	uint32_t spi;

	(void)state;
	a->ccfg.lifetime_s = b->ccfg.lifetime_s = 100;
	establish(a, b);
	spi = peer_sa(a)->children->spi_in;
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(queued(a), 0);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	/* retiring twice changes nothing */
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(queued(a), 0);
	advance(a, b, 90000);			/* a's soft lifetime */
	assert_int_equal(queued(a), 0);
	advance(a, b, 5000);			/* b's */
	assert_int_equal(queued(b), 1);		/* N(REKEY_SA) ... */
	deliver(b, a);
	assert_int_equal(mem_sa_count(a->plat), 2);	/* nothing new */
	deliver(a, b);				/* N(NO_ADDITIONAL_SAS) */
	ev = event_find(b, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV2_N_NO_ADDITIONAL_SAS);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	advance(a, NULL, 4999);
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 1);			/* 100 s */
	assert_int_equal(queued(a), 1);		/* D(ESP) */
	deliver(a, b);
	deliver(b, a);
	ev = event_find(a, ENGINE_EV_CHILD_DOWN, 0);
	assert_non_null(ev);
	assert_int_equal(ev->child_spi_in, spi);
	assert_string_equal(ev->reason, "lifetime expired");
	assert_int_equal(queued(a), 1);		/* D(IKE) right after */
	pump(a, b);
	assert_retired(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	peers_free(a, b);
}

/* Neither the IKE SA nor its Child SAs are rekeyed any more: not on
 * request, not by time, not by a kernel soft expiry; no new Child SA. */
static void
retire_stops_rekeys(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	a->cfg.lifetime_s = 1000;		/* the IKE SA's */
	b->cfg.lifetime_s = 5000;
	a->ccfg.lifetime_s = b->ccfg.lifetime_s = 2000;
	establish(a, b);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_rekey_child(a->eng, a->handle,
	    peer_sa(a)->children->spi_in, hn_now), IKE_ESTATE);
	assert_int_equal(engine_rekey_ike(a->eng, a->handle, hn_now),
	    IKE_ESTATE);
	assert_int_equal(engine_create_child(a->eng, a->handle, &a->ccfg,
	    hn_now), IKE_ESTATE);
	memset(&id, 0, sizeof(id));
	id.dst = peer_sa(a)->local;
	id.dst.port = 0;
	id.spi = peer_sa(a)->children->spi_in;
	id.proto = IPPROTO_ESP;
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 900000);		/* IKE soft lifetime */
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_sa_count(a->eng), 1);
	/* at the IKE SA's end everything goes (s. 1.4.1) */
	advance(a, NULL, 100000);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_retired(a, b);
	peers_free(a, b);
}

/* The peer's Delete of the last Child SA still works; then the retired
 * IKE SA goes. */
static void
retire_peer_deletes_child(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.lifetime_s = b->ccfg.lifetime_s = 100;
	establish(a, b);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_delete_child(b->eng, peer_sa(b)->handle,
	    peer_sa(b)->children->spi_in, hn_now), 0);
	deliver(b, a);
	assert_event(a, ENGINE_EV_CHILD_DOWN, 0, "deleted by peer");
	deliver(a, b);
	assert_int_equal(queued(a), 1);		/* D(IKE) */
	pump(a, b);
	assert_retired(a, b);
	peers_free(a, b);
}

/* A Child SA with a KB lifetime only ends at its kernel hard expiry;
 * a Child SA without a lifetime does not hold the IKE SA up. */
static void
retire_kb_lifetime(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;
	struct plat_sa_id id;
	const struct child_sa *c;

	(void)state;
	a->ccfg.lifetime_kb = b->ccfg.lifetime_kb = 500;
	establish(a, b);
	/* a second Child SA without any lifetime */
	cc = a->ccfg;
	cc.lifetime_kb = 0;
	ts_v4(&cc.local_ts, 10, 1, 9, 0, 10, 1, 9, 255);
	ts_v4(&cc.remote_ts, 10, 2, 9, 0, 10, 2, 9, 255);
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	advance(a, b, 24 * 3600 * 1000ULL);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_sa_count(a->eng), 1);
	for (c = peer_sa(a)->children; c->cfg.lifetime_kb == 0; c = c->next)
		;
	memset(&id, 0, sizeof(id));
	id.dst = peer_sa(a)->remote;
	id.dst.port = 0;
	id.spi = c->spi_out;
	id.proto = IPPROTO_ESP;
	assert_int_equal(plat_sa_delete(a->plat, &id), 0);	/* kernel */
	assert_int_equal(engine_sa_expired(a->eng, &id, true, hn_now), 0);
	assert_event(a, ENGINE_EV_CHILD_DOWN, 0, "lifetime expired");
	assert_int_equal(queued(a), 1);		/* D(ESP) */
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(queued(a), 1);		/* D(IKE) */
	pump(a, b);
	assert_event(a, ENGINE_EV_CHILD_DOWN, 1, "removed");
	assert_retired(a, b);
	peers_free(a, b);
}

/* The peer rekeys the IKE SA of a retiring one: the new IKE SA is
 * retiring too. */
static void
retire_survives_peer_ike_rekey(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.lifetime_s = b->ccfg.lifetime_s = 100;
	establish(a, b);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(b->eng, peer_sa(b)->handle,
	    hn_now), 0);
	pump(b, a);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_true(peer_sa(a)->retiring);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	advance(a, NULL, 100000);
	assert_int_equal(queued(a), 1);		/* D(ESP) */
	pump(a, b);
	assert_retired(a, b);
	peers_free(a, b);
}

static void
retire_errors(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	assert_int_equal(engine_retire_ike(a->eng, 77, hn_now),
	    IKE_ENOTFOUND);
	initiate(a);			/* IKE_SA_INIT outstanding */
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now),
	    IKE_ESTATE);
	assert_false(peer_sa(a)->retiring);
	pump(a, b);
	assert_int_equal(engine_delete_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_retire_ike(a->eng, a->handle, hn_now),
	    IKE_ESTATE);		/* being deleted */
	pump(a, b);
	assert_event(a, ENGINE_EV_IKE_DOWN, 0, "deleted");
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retire_without_lifetimes),
		cmocka_unit_test(retire_when_busy),
		cmocka_unit_test(retire_waits_for_child_lifetime),
		cmocka_unit_test(retire_stops_rekeys),
		cmocka_unit_test(retire_peer_deletes_child),
		cmocka_unit_test(retire_kb_lifetime),
		cmocka_unit_test(retire_survives_peer_ike_rekey),
		cmocka_unit_test(retire_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
