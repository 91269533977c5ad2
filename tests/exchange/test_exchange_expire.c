/* tests/exchange/test_exchange_expire.c: Child SA lifetimes the kernel
 * enforces (engine_sa_expired()) and kilobyte lifetimes.
 *
 *   kernel: soft expiry of SA x  ->  HDR, SK {N(REKEY_SA), SA, Ni, TSi, TSr}
 *                                     ... as the time-based rekey
 *   kernel: hard expiry of SA x  ->  (Child SA removed, CHILD_DOWN)
 *                                     HDR, SK {D(ESP, SPI)}  -->
 *                                 <--  HDR, SK {D(ESP, SPI')}
 *
 * Expiries are given to the engine directly with SA ids read from the
 * in-memory kernel, and end to end: the mem backend raises them when
 * the byte counters the test sets pass the limits the engine installed
 * from lifetime_kb. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>
#include <event2/event.h>

#include "core/codec/ikev2.h"
#include "core/err.h"
#include "core/ike/engine_int.h"
#include "harness.h"

static uint32_t
handle_of(const struct peer *p)
{
	return peer_sa(p)->handle;
}

/* The kernel SA id of p's only Child SA, inbound or outbound. */
static struct plat_sa_id
sa_id(const struct peer *p, bool in)
{
	const struct ike_sa *sa = peer_sa(p);
	struct plat_sa_id id;

	assert_int_equal(ike_sa_child_count(sa), 1);
	memset(&id, 0, sizeof(id));
	id.dst = in ? sa->local : sa->remote;
	id.dst.port = 0;
	id.spi = in ? sa->children->spi_in : sa->children->spi_out;
	id.proto = IPPROTO_ESP;
	assert_non_null(mem_sa_find(p->plat, &id));
	return id;
}

/* The kernel removed the SA (as a hard expiry does), then told us. */
static void
hard_expire(struct peer *p, const struct plat_sa_id *id)
{
	assert_int_equal(plat_sa_delete(p->plat, id), 0);
	assert_int_equal(engine_sa_expired(p->eng, id, true, hn_now), 0);
}

static void
soft_expiry_rekeys(bool in)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;
	uint32_t old_in;

	establish(a, b);
	old_in = peer_sa(a)->children->spi_in;
	id = sa_id(a, in);
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(a), 1);	/* CREATE_CHILD_SA, N(REKEY_SA) */
	assert_true(peer_sa(a)->children->rekeyed);
	/* a second soft expiry (the other direction) changes nothing */
	id = sa_id(a, !in);
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_not_equal(peer_sa(a)->children->spi_in, old_in);
	assert_null(ike_sa_child_find(peer_sa(a), old_in, true));
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_DOWN), 1);
	assert_false(peer_sa(a)->children->rekey_due);
	peers_free(a, b);
}

static void
soft_expiry_inbound(void **state)
{
	(void)state;
	soft_expiry_rekeys(true);
}

static void
soft_expiry_outbound(void **state)
{
	(void)state;
	soft_expiry_rekeys(false);
}

/* A soft expiry while a request is outstanding: the rekey waits for
 * the window, and the engine asks to be ticked at once then. */
static void
soft_expiry_when_busy(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	id = sa_id(a, true);
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(a), 1);	/* only the liveness check */
	assert_true(peer_sa(a)->children->rekey_due);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(queued(a), 0);
	assert_true(engine_next_deadline(a->eng) <= hn_now);
	advance(a, b, 0);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	peers_free(a, b);
}

/* Hard expiry of the inbound SA: the Child SA goes at once (the
 * outbound SA and the policies too), CHILD_DOWN "lifetime expired", and
 * the peer is told with a Delete; its answer ends nothing more. */
static void
hard_expiry_removes(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct engine_event *ev;
	struct plat_sa_id id;
	uint32_t spi_in;

	(void)state;
	establish(a, b);
	spi_in = peer_sa(a)->children->spi_in;
	id = sa_id(a, true);
	hard_expire(a, &id);
	ev = event_find(a, ENGINE_EV_CHILD_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "lifetime expired");
	assert_int_equal(ev->child_spi_in, spi_in);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	assert_int_equal(queued(a), 1);		/* INFORMATIONAL {D(ESP)} */
	deliver(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	assert_int_equal(mem_sa_count(b->plat), 0);
	assert_string_equal(event_find(b, ENGINE_EV_CHILD_DOWN, 0)->reason,
	    "deleted by peer");
	deliver(b, a);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(peer_sa(a)->ngone, 0);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	/* the id is nobody's now */
	assert_int_equal(engine_sa_expired(a->eng, &id, true, hn_now),
	    IKE_ENOTFOUND);
	peers_free(a, b);
}

/* Hard expiry of the outbound SA while a request is outstanding: the
 * removal is immediate, the Delete goes out once the answer came. */
static void
hard_expiry_when_busy(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	id = sa_id(a, false);
	hard_expire(a, &id);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(peer_sa(a)->ngone, 1);
	assert_int_equal(queued(a), 1);		/* still the liveness check */
	deliver(a, b);
	deliver(b, a);			/* the answer frees the window */
	assert_int_equal(queued(a), 1);		/* the Delete */
	assert_int_equal(peer_sa(a)->ngone, 0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	assert_int_equal(mem_sa_count(b->plat), 0);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	peers_free(a, b);
}

/* Expiries of SAs that are not ours change nothing. */
static void
unknown_expiry(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id, wrong;
	uint64_t tx;

	(void)state;
	establish(a, b);
	tx = engine_stats(a->eng)->tx_packets;
	id = sa_id(a, true);
	wrong = id;
	wrong.proto = IPPROTO_AH;
	assert_int_equal(engine_sa_expired(a->eng, &wrong, true, hn_now),
	    IKE_ENOTFOUND);
	wrong = id;
	wrong.spi ^= 1;
	assert_int_equal(engine_sa_expired(a->eng, &wrong, false, hn_now),
	    IKE_ENOTFOUND);
	wrong = id;
	wrong.dst = peer_sa(a)->remote;		/* inbound SPI, wrong end */
	assert_int_equal(engine_sa_expired(a->eng, &wrong, true, hn_now),
	    IKE_ENOTFOUND);
	assert_int_equal(engine_sa_expired(a->eng, NULL, true, hn_now),
	    IKE_EINVAL);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_stats(a->eng)->tx_packets, tx);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 0);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_false(peer_sa(a)->children->rekey_due);
	peers_free(a, b);
}

/* lifetime_kb gives the kernel byte limits, each side its own (the
 * responder's from its definition): hard at the KB, soft at the share
 * where that side's time-based rekey starts, as the time limits. */
static void
kb_lifetime_limits(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct mem_sa *s;
	struct plat_sa_id id;

	(void)state;
	a->ccfg.lifetime_kb = 1000;
	a->ccfg.lifetime_s = 100;
	b->ccfg.lifetime_kb = 2000;
	b->ccfg.lifetime_s = 200;
	establish(a, b);
	assert_int_equal(peer_sa(b)->children->cfg.lifetime_kb, 2000);
	id = sa_id(a, true);
	s = mem_sa_find(a->plat, &id);
	assert_int_equal(s->sa.hard.bytes, 1000 * 1024);
	assert_int_equal(s->sa.soft.bytes, 1000 * 1024 / 10 * 9);
	assert_int_equal(s->sa.hard.add_s, 100);
	assert_int_equal(s->sa.soft.add_s, 90);
	id = sa_id(a, false);
	assert_int_equal(mem_sa_find(a->plat, &id)->sa.hard.bytes,
	    1000 * 1024);
	id = sa_id(b, true);
	s = mem_sa_find(b->plat, &id);
	assert_int_equal(s->sa.hard.bytes, 2000 * 1024);
	assert_int_equal(s->sa.soft.bytes, 2000 * 1024 / 20 * 19);
	assert_int_equal(s->sa.hard.add_s, 200);
	assert_int_equal(s->sa.soft.add_s, 190);
	peers_free(a, b);
}

/* Without a KB lifetime the kernel gets no byte limit. */
static void
no_kb_lifetime(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	establish(a, b);
	id = sa_id(a, true);
	assert_int_equal(mem_sa_find(a->plat, &id)->sa.hard.bytes, 0);
	assert_int_equal(mem_sa_find(a->plat, &id)->sa.soft.bytes, 0);
	assert_int_equal(mem_sa_find(a->plat, &id)->sa.hard.add_s, 0);
	peers_free(a, b);
}

/* ------------------------------------------------------- end to end */

static void
on_expired(void *arg, const struct plat_sa_id *id, bool hard)
{
	struct peer *p = arg;

	assert_int_equal(engine_sa_expired(p->eng, id, hard, hn_now), 0);
}

/* Reopens p's kernel with the expiry upcall wired to its engine, as the
 * daemon does (before anything is installed). */
static void
wire_upcalls(struct peer *p)
{
	struct engine_callbacks cb = p->eng->cb;
	struct engine_limits lim = p->eng->lim;
	struct plat_upcalls up = { .sa_expired = on_expired, .arg = p };

	engine_free(p->eng);
	plat_close(p->plat);
	assert_int_equal(plat_open("mem", p->base, &up, &p->plat), 0);
	assert_int_equal(engine_new(p->plat, &cb, &lim, &p->eng), 0);
}

static void
traffic(struct peer *p, const struct plat_sa_id *id, uint64_t bytes)
{
	struct plat_sa_stats st = { .bytes = bytes, .packets = bytes / 1000 };

	assert_int_equal(mem_sa_set_stats(p->plat, id, &st), 0);
	/* runs the queued upcalls; 1: there were none */
	assert_true(event_base_loop(p->base, EVLOOP_NONBLOCK) >= 0);
}

/* Traffic past the soft byte limit rekeys the Child SA; on the new one,
 * traffic past the hard limit ends it. */
static void
kb_lifetime_end_to_end(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	wire_upcalls(a);
	a->ccfg.lifetime_kb = b->ccfg.lifetime_kb = 100;
	establish(a, b);
	id = sa_id(a, false);
	traffic(a, &id, 90 * 1024 - 1);		/* below the soft limit */
	assert_int_equal(queued(a), 0);
	traffic(a, &id, 90 * 1024);
	assert_int_equal(queued(a), 1);		/* the rekey */
	pump(a, b);
	assert_children_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	id = sa_id(a, true);			/* the new SA's */
	traffic(a, &id, 100 * 1024);		/* hard: gone */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_string_equal(event_find(a, ENGINE_EV_CHILD_DOWN, 1)->reason,
	    "lifetime expired");
	pump(a, b);
	assert_int_equal(mem_sa_count(b->plat), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	peers_free(a, b);
}

/* A soft expiry after a failed rekey does not retry for ever: the
 * Child SA is left to its hard limit. */
static void
soft_expiry_after_failed_rekey(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct plat_sa_id id;

	(void)state;
	establish(a, b);
	/* b is deleting it (its Delete lost): it refuses the rekey */
	assert_int_equal(engine_delete_child(b->eng, handle_of(b),
	    peer_sa(b)->children->spi_in, hn_now), 0);
	drop(b);
	id = sa_id(a, true);
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	assert_int_equal(queued(a), 1);
	deliver(a, b);		/* <-- N(CHILD_SA_NOT_FOUND) */
	deliver(b, a);
	assert_true(peer_sa(a)->children->rekey_failed);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_FAILED), 1);
	assert_int_equal(engine_sa_expired(a->eng, &id, false, hn_now), 0);
	advance(a, NULL, 0);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_next_deadline(a->eng), UINT64_MAX);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(soft_expiry_inbound),
		cmocka_unit_test(soft_expiry_outbound),
		cmocka_unit_test(soft_expiry_when_busy),
		cmocka_unit_test(hard_expiry_removes),
		cmocka_unit_test(hard_expiry_when_busy),
		cmocka_unit_test(unknown_expiry),
		cmocka_unit_test(kb_lifetime_limits),
		cmocka_unit_test(no_kb_lifetime),
		cmocka_unit_test(kb_lifetime_end_to_end),
		cmocka_unit_test(soft_expiry_after_failed_rekey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
