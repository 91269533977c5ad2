/* tests/exchange/test_exchange_liveness.c: periodic liveness checks
 * (RFC 7296 s. 2.4; engine_limits.liveness_ms):
 *
 *   (nothing from the peer for liveness_ms)
 *   HDR, SK {}  -->                      <--  HDR, SK {}
 *
 * A peer that never answers is dead after the retransmission schedule
 * (IKE_DOWN "peer not responding", Child SAs out of the kernel); a peer
 * that talks (IKE messages, or inbound ESP the kernel counts) is never
 * probed; an answered probe keeps the SA and schedules the next one. */
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

#define LIVENESS_MS	10000

static struct peer *
peer_live(const char *name, int host, int other, uint64_t ms)
{
	struct engine_limits lim;

	memset(&lim, 0, sizeof(lim));
	lim.liveness_ms = ms;
	return peer_new_lim(name, host, other, &lim);
}

/* b goes silent: a probes after the interval, retransmits 3 times
 * (500, 1000, 2000 ms apart), and 4000 ms after the last send declares
 * b dead. */
static void
silent_peer_dead(void **state)
{
	struct peer *a = peer_live("a", 1, 2, LIVENESS_MS);
	struct peer *b = peer_new("b", 2, 1);
	const struct engine_event *ev;
	uint64_t t0;
	int sent = 0, n;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_next_deadline(a->eng), hn_now + LIVENESS_MS);
	advance(a, NULL, LIVENESS_MS - 1);
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 1);
	assert_int_equal(queued(a), 1);		/* HDR, SK {} */
	t0 = hn_now;
	for (n = 0; n < 10 && event_find(a, ENGINE_EV_IKE_DOWN, 0) == NULL;
	    n++) {
		if (queued(a) != 0) {
			drop(a);
			sent++;
		}
		assert_int_not_equal(engine_next_deadline(a->eng),
		    UINT64_MAX);
		advance(a, NULL, engine_next_deadline(a->eng) - hn_now);
	}
	assert_int_equal(sent, 4);
	assert_int_equal(hn_now, t0 + 500 + 1000 + 2000 + 4000);
	ev = event_find(a, ENGINE_EV_IKE_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer not responding");
	assert_string_equal(event_find(a, ENGINE_EV_CHILD_DOWN, 0)->reason,
	    "peer not responding");
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	peers_free(a, b);
}

/* b probes every 6 s (its own liveness), which a hears: a, whose
 * interval is 10 s, never sends a probe of its own. */
static void
talking_peer_not_probed(void **state)
{
	struct peer *a = peer_live("a", 1, 2, LIVENESS_MS);
	struct peer *b = peer_live("b", 2, 1, 6000);
	int i;

	(void)state;
	establish(a, b);
	for (i = 0; i < 10; i++) {
		advance(a, b, 6000);
		assert_int_equal(queued(a), 0);
		assert_int_equal(queued(b), 1);	/* b's probe */
		assert_null(peer_sa(a)->out.buf);
		pump(b, a);
		assert_int_equal(peer_sa(a)->last_rx_ms, hn_now);
	}
	assert_int_equal(engine_stats(a->eng)->tx_packets - 2, 10);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_DOWN), 0);
	peers_free(a, b);
}

static void
inbound_bytes(struct peer *p, uint64_t bytes)
{
	const struct ike_sa *sa = peer_sa(p);
	struct plat_sa_id id = { .dst = sa->local, .spi =
	    sa->children->spi_in, .proto = IPPROTO_ESP };
	struct plat_sa_stats st = { .bytes = bytes, .packets = bytes / 100 };

	id.dst.port = 0;
	assert_int_equal(mem_sa_set_stats(p->plat, &id, &st), 0);
}

/* Traffic on the inbound Child SA counts as hearing from the peer: no
 * probe while it flows; once it stops, a probe within two intervals. */
static void
esp_traffic_not_probed(void **state)
{
	struct peer *a = peer_live("a", 1, 2, LIVENESS_MS);
	struct peer *b = peer_new("b", 2, 1);
	uint64_t stop;
	int i;

	(void)state;
	establish(a, b);
	for (i = 1; i <= 12; i++) {
		inbound_bytes(a, 1000 * (uint64_t)i);
		advance(a, NULL, 5000);
		assert_int_equal(queued(a), 0);
	}
	stop = hn_now;
	for (i = 0; i < 40 && queued(a) == 0; i++)
		advance(a, NULL, 1000);
	assert_int_equal(queued(a), 1);
	assert_true(hn_now - stop <= 2 * LIVENESS_MS);
	assert_true(hn_now - stop >= LIVENESS_MS - 5000);
	pump(a, b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	peers_free(a, b);
}

/* An answered probe keeps the SA; the next one comes an interval after
 * the answer; a probe answered only after a retransmission counts. */
static void
answered_probe_keeps_sa(void **state)
{
	struct peer *a = peer_live("a", 1, 2, LIVENESS_MS);
	struct peer *b = peer_new("b", 2, 1);
	uint64_t rx;

	(void)state;
	establish(a, b);
	advance(a, NULL, LIVENESS_MS);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(engine_next_deadline(a->eng), hn_now + LIVENESS_MS);
	advance(a, NULL, LIVENESS_MS - 1);
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 1);
	assert_int_equal(queued(a), 1);
	drop(a);			/* lost once */
	advance(a, NULL, 500);
	assert_int_equal(queued(a), 1);	/* retransmitted */
	pump(a, b);
	rx = peer_sa(a)->last_rx_ms;
	assert_int_equal(rx, hn_now);
	assert_int_equal(engine_next_deadline(a->eng), rx + LIVENESS_MS);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(mem_sa_count(a->plat), 2);
	peers_free(a, b);
}

/* liveness_ms 0: no probes, no deadline. */
static void
no_liveness_by_default(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_int_equal(engine_next_deadline(a->eng), UINT64_MAX);
	advance(a, b, 3600 * 1000);
	assert_int_equal(queued(a), 0);
	assert_int_equal(queued(b), 0);
	peers_free(a, b);
}

/* A request of ours outstanding is a check already: no second one, and
 * the SA dies by that request's schedule. */
static void
no_probe_while_busy(void **state)
{
	struct peer *a = peer_live("a", 1, 2, LIVENESS_MS);
	struct peer *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	advance(a, NULL, LIVENESS_MS - 100);
	assert_int_equal(engine_delete_child(a->eng, a->handle,
	    peer_sa(a)->children->spi_in, hn_now), 0);
	drop(a);
	advance(a, NULL, 100);		/* liveness due, window busy */
	assert_int_equal(queued(a), 0);
	advance(a, NULL, 400);		/* the Delete's retransmission */
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(engine_next_deadline(a->eng), hn_now + LIVENESS_MS);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(silent_peer_dead),
		cmocka_unit_test(talking_peer_not_probed),
		cmocka_unit_test(esp_traffic_not_probed),
		cmocka_unit_test(answered_probe_keeps_sa),
		cmocka_unit_test(no_liveness_by_default),
		cmocka_unit_test(no_probe_while_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
