/* Upcalls of the in-memory backend: expiries and acquires arrive from the
 * event loop, never from inside a call; hard expiries remove the SA
 * first; lifetimes (add_s timers, byte and packet limits) raise them as
 * a kernel would. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <event2/event.h>

#include "core/crypto/ike_key.h"
#include "core/err.h"
#include "platform/mem/mem.h"
#include "pmt.h"

static void
expire_arrives_from_the_loop(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);

	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(mem_inject_expire(t->p, &sa.id, false), 0);
	assert_int_equal(t->nup, 0);		/* not from the call */
	assert_int_equal(mem_pending_upcalls(t->p), 1);
	assert_int_equal(event_base_loop(t->base, EVLOOP_ONCE), 0);
	assert_int_equal(t->nup, 1);
	assert_int_equal(mem_pending_upcalls(t->p), 0);
	assert_false(t->up[0].acquire);
	assert_false(t->up[0].hard);
	assert_int_equal(t->up[0].id.spi, 0x1000);
	assert_int_equal(t->up[0].id.proto, IPPROTO_ESP);
	assert_memory_equal(t->up[0].id.dst.addr, sa.id.dst.addr, 4);
	assert_true(t->up[0].sa_present);		/* soft: SA stays */
	assert_non_null(mem_sa_find(t->p, &sa.id));
	/* Nothing more queued: the loop delivers nothing again. */
	pmt_loop_once(t);
	assert_int_equal(t->nup, 1);
}

static void
hard_expire_removes_first(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);

	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(mem_inject_expire(t->p, &sa.id, true), 0);
	assert_non_null(mem_sa_find(t->p, &sa.id));	/* until delivery */
	assert_int_equal(event_base_loop(t->base, EVLOOP_ONCE), 0);
	assert_int_equal(t->nup, 1);
	assert_true(t->up[0].hard);
	assert_false(t->up[0].sa_present);
	assert_int_equal(mem_sa_count(t->p), 0);
	assert_int_equal(plat_sa_delete(t->p, &sa.id), IKE_ENOTFOUND);
}

static void
inject_needs_an_object(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_policy pol = pmt_policy();

	assert_int_equal(mem_inject_expire(t->p, &sa.id, false), IKE_ENOTFOUND);
	assert_int_equal(mem_inject_acquire(t->p, 7, &pol.src, &pol.dst),
	    IKE_ENOTFOUND);
	pol.dir = PLAT_IN;			/* inbound: no acquire */
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_inject_acquire(t->p, 7, &pol.src, &pol.dst),
	    IKE_ENOTFOUND);
	assert_int_equal(mem_inject_acquire(t->p, 7, NULL, &pol.dst),
	    IKE_EINVAL);
	assert_int_equal(mem_inject_expire(t->p, NULL, false), IKE_EINVAL);
	assert_int_equal(mem_pending_upcalls(t->p), 0);
	pmt_loop_once(t);
	assert_int_equal(t->nup, 0);
}

static void
acquire_arrives_from_the_loop(void **state)
{
	struct pmt *t = *state;
	struct plat_policy pol = pmt_policy();
	struct ike_ts src = pmt_ts("10.1.2.3", "10.1.2.3", IPPROTO_TCP);
	struct ike_ts dst = pmt_ts("10.2.3.4", "10.2.3.4", IPPROTO_TCP);

	pol.trap = true;
	dst.sport = dst.eport = 22;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_inject_acquire(t->p, 7, &src, &dst), 0);
	assert_int_equal(mem_inject_acquire(t->p, 8, &src, &dst),
	    IKE_ENOTFOUND);			/* no policy with reqid 8 */
	assert_int_equal(t->nup, 0);
	assert_int_equal(event_base_loop(t->base, EVLOOP_ONCE), 0);
	assert_int_equal(t->nup, 1);
	assert_true(t->up[0].acquire);
	assert_int_equal(t->up[0].reqid, 7);
	assert_memory_equal(&t->up[0].src, &src, sizeof(src));
	assert_memory_equal(&t->up[0].dst, &dst, sizeof(dst));
}

static void
upcalls_in_order_and_dropped_when_gone(void **state)
{
	struct pmt *t = *state;
	struct plat_sa a = pmt_sa(t, 0x1000), b = pmt_sa(t, 0x2000);
	struct plat_policy pol = pmt_policy();

	assert_int_equal(plat_sa_add(t->p, &a), 0);
	assert_int_equal(plat_sa_add(t->p, &b), 0);
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_inject_expire(t->p, &b.id, false), 0);
	assert_int_equal(mem_inject_acquire(t->p, 7, &pol.src, &pol.dst), 0);
	assert_int_equal(mem_inject_expire(t->p, &a.id, true), 0);
	assert_int_equal(mem_inject_expire(t->p, &b.id, true), 0);
	/* Gone before the loop runs: those events are dropped. */
	assert_int_equal(plat_sa_delete(t->p, &b.id), 0);
	assert_int_equal(mem_pending_upcalls(t->p), 4);
	assert_int_equal(event_base_loop(t->base, EVLOOP_ONCE), 0);
	assert_int_equal(t->nup, 2);
	assert_true(t->up[0].acquire);
	assert_int_equal(t->up[1].id.spi, 0x1000);
	assert_true(t->up[1].hard);
	assert_int_equal(mem_inject_acquire(t->p, 7, &pol.src, &pol.dst), 0);
	assert_int_equal(plat_policy_delete(t->p, &pol), 0);
	pmt_loop_once(t);
	assert_int_equal(t->nup, 2);
}

/* An upcall may call the backend: here it deletes the other direction. */
static void
delete_pair(struct pmt *t, const struct plat_sa_id *id)
{
	struct plat_sa_id pair = *id;

	pair.spi = id->spi + 1;
	assert_int_equal(plat_sa_delete(t->p, &pair), 0);
}

static void
upcall_may_call_the_backend(void **state)
{
	struct pmt *t = *state;
	struct plat_sa a = pmt_sa(t, 0x1000), b = pmt_sa(t, 0x1001);

	assert_int_equal(plat_sa_add(t->p, &a), 0);
	assert_int_equal(plat_sa_add(t->p, &b), 0);
	t->on_expire = delete_pair;
	assert_int_equal(mem_inject_expire(t->p, &a.id, true), 0);
	assert_int_equal(event_base_loop(t->base, EVLOOP_ONCE), 0);
	assert_int_equal(t->nup, 1);
	assert_int_equal(mem_sa_count(t->p), 0);
}

/* Without upcall functions the events are dropped, but a hard expiry
 * still removes its SA. */
static void
no_upcalls_set(void **state)
{
	struct event_base *base = event_base_new();
	struct pmt t;
	struct plat_sa sa;
	struct plat_policy pol = pmt_policy();

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_non_null(base);
	assert_int_equal(ike_key_from("0123456789abcdefSALT", 20, &t.ekey), 0);
	assert_int_equal(plat_open("mem", base, NULL, &t.p), 0);
	sa = pmt_sa(&t, 0x1000);
	assert_int_equal(plat_sa_add(t.p, &sa), 0);
	assert_int_equal(plat_policy_add(t.p, &pol), 0);
	assert_int_equal(mem_inject_expire(t.p, &sa.id, true), 0);
	assert_int_equal(mem_inject_acquire(t.p, 7, &pol.src, &pol.dst), 0);
	assert_int_equal(event_base_loop(base, EVLOOP_ONCE), 0);
	assert_int_equal(mem_pending_upcalls(t.p), 0);
	assert_int_equal(mem_sa_count(t.p), 0);
	plat_close(t.p);
	ike_key_free(t.ekey);
	event_base_free(base);
}

/* Counters past the limits raise the expiries: soft once, then hard. */
static void
byte_and_packet_limits(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_sa_stats st = { 0, 0, 0 };

	sa.soft.bytes = 1000;
	sa.hard.bytes = 2000;
	sa.soft.packets = 10;
	sa.hard.packets = 20;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	st.bytes = 999;
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &st), 0);
	st.packets = 10;			/* soft packet limit */
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &st), 0);
	assert_int_equal(t->nup, 0);		/* queued, not called */
	st.bytes = 1500;			/* soft again: once only */
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &st), 0);
	assert_int_equal(mem_pending_upcalls(t->p), 1);
	pmt_loop_once(t);
	assert_int_equal(t->nup, 1);
	assert_false(t->up[0].hard);
	assert_true(t->up[0].sa_present);
	st.bytes = 2000;			/* hard byte limit */
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &st), 0);
	assert_non_null(mem_sa_find(t->p, &sa.id));
	pmt_loop_once(t);
	assert_int_equal(t->nup, 2);
	assert_true(t->up[1].hard);
	assert_false(t->up[1].sa_present);
	assert_null(mem_sa_find(t->p, &sa.id));
}

/* add_s lifetimes run on the loop's clock: soft after 1 s, hard after
 * 2 s.  A guard stops the loop after 10 s if they never come. */
static void
add_time_limits(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000), never = pmt_sa(t, 0x2000);
	struct timeval guard = { 10, 0 };
	time_t start = time(NULL), took;

	sa.soft.add_s = 1;
	sa.hard.add_s = 2;
	never.soft.add_s = 3600;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(plat_sa_add(t->p, &never), 0);
	t->stop_on_hard = true;
	assert_int_equal(event_base_loopexit(t->base, &guard), 0);
	assert_int_equal(event_base_dispatch(t->base), 0);
	took = time(NULL) - start;
	assert_int_equal(t->nup, 2);
	assert_false(t->up[0].hard);
	assert_int_equal(t->up[0].id.spi, 0x1000);
	assert_true(t->up[1].hard);
	assert_int_equal(t->up[1].id.spi, 0x1000);
	assert_false(t->up[1].sa_present);
	assert_true(took >= 1 && took <= 4);
	assert_int_equal(mem_sa_count(t->p), 1);	/* "never" stays */
}

/* A soft expiry already reported (injected) is not reported again by
 * the timer; the hard one still comes. */
static void
soft_reported_once(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct timeval guard = { 10, 0 };

	sa.soft.add_s = 1;
	sa.hard.add_s = 1;			/* both at once */
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(mem_inject_expire(t->p, &sa.id, false), 0);
	pmt_loop_once(t);
	assert_int_equal(t->nup, 1);
	t->stop_on_hard = true;
	assert_int_equal(event_base_loopexit(t->base, &guard), 0);
	assert_int_equal(event_base_dispatch(t->base), 0);
	assert_int_equal(t->nup, 2);
	assert_false(t->up[0].hard);
	assert_true(t->up[1].hard);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, pmt_setup, pmt_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(expire_arrives_from_the_loop),
		T(hard_expire_removes_first),
		T(inject_needs_an_object),
		T(acquire_arrives_from_the_loop),
		T(upcalls_in_order_and_dropped_when_gone),
		T(upcall_may_call_the_backend),
		cmocka_unit_test(no_upcalls_set),
		T(byte_and_packet_limits),
		T(add_time_limits),
		T(soft_reported_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
