/* tests/exchange1/test_v1_ph2_edge.c: IKEv1 phase 2 at its edges,
 * between two in-process engines:
 *
 *   - replays: a Quick Mode message 1 or an Informational (R-U-THERE)
 *     that comes again after its exchange ended is dropped (counted
 *     rx_dropped): no SPI reserved, no answer; an R-U-THERE older than
 *     the Message IDs remembered (V1_SEEN_MAX) is still not answered;
 *   - the commit bit (RFC 2408 s. 3.1, RFC 2409 s. 5.5) set by the
 *     responder in message 2: the initiator installs only when
 *     CONNECTED comes, and fails without it;
 *   - Quick Modes under way on an ISAKMP SA that a phase-1 rekey
 *     replaces: ours fail with CHILD_FAILED and a reason (an IPsec SA
 *     rekey among them can be done again), the peer's that only waits
 *     for HASH(3) completes onto the new SA, and fails (the peer told
 *     with a Delete) when the old SA is deleted first. */
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
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "v1_test.h"

static const char replaced[] = "ISAKMP SA replaced by a rekey";

static uint64_t
dropped(const struct peer *p)
{
	return engine_stats(p->eng)->rx_dropped;
}

/* ---------------------------------------------------------- replays */

/* Quick Mode message 1 replayed after the exchange ended, while its
 * record is kept and after it was dropped (V1_PH2_KEEP_MS): the
 * responder neither answers nor reserves an SPI. */
static void
replay_qm1(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	struct dgram *d1, *d2;
	uint64_t n;

	(void)state;
	v1_start_qm(a, b, &cc);
	d1 = v1_keep(a);
	d2 = v1_keep(a);
	pump(a, b);
	v1_assert_two_children(a, b);
	n = dropped(b);
	v1_replay(d1, b);		/* record still there: not its turn */
	assert_int_equal(queued(b), 0);
	assert_int_equal(dropped(b), n + 1);
	advance(a, b, V1_PH2_KEEP_MS + 1000);
	assert_null(v1_sa(b)->v1->ph2);
	n = dropped(b);
	v1_replay(d2, b);
	assert_int_equal(queued(b), 0);
	assert_int_equal(dropped(b), n + 1);
	assert_null(v1_sa(b)->v1->ph2);
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_FAILED), 0);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* One R-U-THERE, answered; the peer gets its ACK. */
static void
dpd_round(struct peer *a, struct peer *b, uint32_t h)
{
	assert_int_equal(engine_liveness(a->eng, h, hn_now), 0);
	deliver(a, b);
	assert_int_equal(queued(b), 1);
	deliver(b, a);
	assert_int_equal(v1_sa(a)->v1->dpd_wait, 0);
}

/* An R-U-THERE replayed is not answered: at once (its Message ID is
 * remembered) and after V1_SEEN_MAX more (its sequence number is older
 * than the last answered). */
static void
replay_dpd(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct dgram *d1, *d2;
	uint64_t n;
	uint32_t h;
	int i;

	(void)state;
	v1_up(a, b, false);
	h = peer_sa(a)->handle;
	assert_int_equal(engine_liveness(a->eng, h, hn_now), 0);
	d1 = v1_keep(a);
	d2 = v1_keep(a);
	deliver(a, b);
	deliver(b, a);
	n = dropped(b);
	v1_replay(d1, b);
	assert_int_equal(queued(b), 0);
	assert_int_equal(dropped(b), n + 1);
	for (i = 0; i < V1_SEEN_MAX; i++)
		dpd_round(a, b, h);
	n = dropped(b);
	v1_replay(d2, b);
	assert_int_equal(queued(b), 0);
	assert_int_equal(dropped(b), n + 1);
	dpd_round(a, b, h);		/* a fresh one still is */
	assert_int_equal(engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

/* INITIAL-CONTACT is acted upon once per ISAKMP SA (RFC 2407
 * s. 4.6.3.3: sent when the first one is made): another on the same
 * SA later, fresh or a replay the Message IDs no longer name, does not
 * take down the IPsec SA made right after phase 1. */
static void
contact_once(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct ike_sa *sa;
	uint8_t spi[16];
	uint64_t n;

	(void)state;
	v1_up(a, b, false);
	advance(a, b, 5000);
	sa = v1_sa(a);
	v1_cookie_put(sa->spi_i, spi);
	v1_cookie_put(sa->spi_r, spi + 8);
	n = dropped(b);
	assert_int_equal(v1_info_notify(a->eng, sa, IKEV1_N_INITIAL_CONTACT,
	    IKEV1_PROTO_ISAKMP, spi, sizeof(spi), NULL, 0), 0);
	deliver(a, b);
	assert_int_equal(dropped(b), n + 1);
	assert_null(event_find(b, ENGINE_EV_CHILD_DOWN, 0));
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* ------------------------------------------------------- commit bit */

/* The initiator asks (commit bit in message 1), the responder sets it
 * in message 2 too: the initiator installs only when CONNECTED comes;
 * a lost CONNECTED is sent again for the initiator's HASH(3) again. */
static void
commit_responder(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	v1_start_qm(a, b, &cc);
	head(a)->buf[19] |= IKEV1_F_COMMIT;	/* flags: not in HASH(1) */
	deliver(a, b);
	assert_true((head(b)->buf[19] & IKEV1_F_COMMIT) != 0);
	deliver(b, a);
	assert_int_equal(queued(a), 1);		/* HASH(3) */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	deliver(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	drop(b);				/* CONNECTED lost */
	advance(a, b, 2000);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(queued(a), 1);		/* HASH(3) again */
	deliver(a, b);
	assert_int_equal(queued(b), 1);		/* CONNECTED again */
	deliver(b, a);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* The commit bit in message 2 only (a responder that then never says
 * CONNECTED): the initiator never installs; its Quick Mode fails when
 * its HASH(3) retransmissions are exhausted, its SPI released. */
static void
commit_never_connected(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev = NULL;
	struct child_cfg cc;
	int i;

	(void)state;
	v1_start_qm(a, b, &cc);
	deliver(a, b);
	head(b)->buf[19] |= IKEV1_F_COMMIT;
	deliver(b, a);
	deliver(a, b);
	assert_int_equal(queued(b), 0);
	assert_int_equal(mem_larval_count(a->plat), 1);
	for (i = 0; i < 20 && ev == NULL; i++) {
		advance(a, b, 60 * 1000);
		while (queued(a) > 0)
			deliver(a, b);
		assert_int_equal(queued(b), 0);
		ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	}
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer not responding");
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_larval_count(a->plat), 0);
	peers_free(a, b);
}

/* The commit bit in message 2, CONNECTED in an Informational exchange
 * of its own (RFC 2408 s. 3.1 words it so): the initiator installs
 * then; a CONNECTED nothing waits for is counted. */
static void
commit_connected_informational(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *c;
	struct child_cfg cc;
	uint8_t spi[4];
	uint64_t n;

	(void)state;
	v1_start_qm(a, b, &cc);
	deliver(a, b);
	head(b)->buf[19] |= IKEV1_F_COMMIT;
	deliver(b, a);
	deliver(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	c = peer_sa(b)->children;	/* the newest is first */
	spi[0] = (uint8_t)(c->spi_in >> 24);
	spi[1] = (uint8_t)(c->spi_in >> 16);
	spi[2] = (uint8_t)(c->spi_in >> 8);
	spi[3] = (uint8_t)c->spi_in;
	assert_int_equal(v1_info_notify(b->eng, v1_sa(b), IKEV1_N_CONNECTED,
	    IKEV1_PROTO_ESP, spi, 4, NULL, 0), 0);
	deliver(b, a);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	v1_assert_two_children(a, b);
	n = dropped(a);
	assert_int_equal(v1_info_notify(b->eng, v1_sa(b), IKEV1_N_CONNECTED,
	    IKEV1_PROTO_ESP, spi, 4, NULL, 0), 0);
	deliver(b, a);
	assert_int_equal(dropped(a), n + 1);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* ----------------------------------------------- phase-1 rekey meets */

/* Main Mode of a's phase-1 rekey, message by message, up to message 5
 * delivered to b (b's new SA is up and took over); MM6 queued on b. */
static void
ph1_rekey_to_mm5(struct peer *a, struct peer *b, uint32_t h)
{
	int i;

	assert_int_equal(engine_rekey_ike(a->eng, h, hn_now), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(queued(i % 2 == 0 ? a : b), 1);
		if (i % 2 == 0)
			deliver(a, b);
		else
			deliver(b, a);
	}
	assert_int_equal(engine_sa_count(b->eng), 2);
}

/* Our Quick Mode under way (message 1 lost) when our phase-1 rekey
 * completes: CHILD_FAILED with the reason and the handle the user
 * knows, the SPI released; the IPsec SA from before moves on. */
static void
rekey_fails_ours(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	struct child_cfg cc;
	uint32_t h;

	(void)state;
	v1_start_qm(a, b, &cc);
	h = peer_sa(a)->handle;
	drop(a);
	assert_int_equal(mem_larval_count(a->plat), 1);
	assert_int_equal(engine_rekey_ike(a->eng, h, hn_now), 0);
	pump(a, b);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, replaced);
	assert_int_equal(ev->handle, h);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(peer_sa(a)->handle, h);
	assert_children_mirror(a, b);
	assert_int_equal(mem_sa_count(a->plat), 2);
	peers_free(a, b);
}

/* Our rekey of an IPsec SA under way when the peer's phase-1 rekey
 * completes: it fails (CHILD_FAILED) at once, not only when the old SA
 * is deleted, and the IPsec SA can be rekeyed again over the new
 * ISAKMP SA. */
static void
rekey_child_again(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	uint32_t ha, spi;

	(void)state;
	v1_up(a, b, false);
	ha = peer_sa(a)->handle;
	spi = peer_sa(a)->children->spi_in;
	assert_int_equal(engine_rekey_child(a->eng, ha, spi, hn_now), 0);
	drop(a);
	ph1_rekey_to_mm5(b, a, peer_sa(b)->handle);	/* a answers */
	advance(a, b, 0);	/* before b's Delete of the old SA */
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	pump(a, b);
	advance(a, b, 1);
	assert_string_equal(ev->reason, replaced);
	assert_int_equal(ev->handle, ha);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_false(peer_sa(a)->children->rekeyed);
	assert_int_equal(engine_rekey_child(a->eng, ha, spi, hn_now), 0);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_children_mirror(a, b);
	assert_int_not_equal(peer_sa(a)->children->spi_in, spi);
	assert_int_equal(mem_larval_count(a->plat), 0);
	peers_free(a, b);
}

/* The peer's Quick Mode waits for HASH(3) on b's ISAKMP SA when a
 * phase-1 rekey replaces it; HASH(3) comes on the old SA: the IPsec SA
 * is installed and belongs to the new SA (same on both sides). */
static void
rekey_peer_completes(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	struct dgram *h3;
	uint32_t hb;

	(void)state;
	v1_start_qm(a, b, &cc);
	hb = peer_sa(b)->handle;
	deliver(a, b);
	deliver(b, a);
	h3 = v1_keep(a);		/* HASH(3), held back */
	drop(a);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	ph1_rekey_to_mm5(a, b, peer_sa(a)->handle);
	v1_replay(h3, b);
	assert_int_equal(ike_sa_child_count(v1_sa_by(b, hb)), 2);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(event_find(b, ENGINE_EV_CHILD_UP, 1)->handle, hb);
	pump(a, b);
	advance(a, b, 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_FAILED), 0);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* Same, but HASH(3) is lost and the old SA is deleted (by a, which
 * made the rekey): b's Quick Mode fails with the reason, and its
 * Delete over the new SA removes the IPsec SA a installed. */
static void
rekey_peer_orphaned(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	struct child_cfg cc;
	uint32_t hb;

	(void)state;
	v1_start_qm(a, b, &cc);
	hb = peer_sa(b)->handle;
	deliver(a, b);
	deliver(b, a);
	drop(a);			/* HASH(3) lost */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	ph1_rekey_to_mm5(a, b, peer_sa(a)->handle);
	pump(a, b);
	advance(a, b, 1);
	ev = event_find(b, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, replaced);
	assert_int_equal(ev->handle, hb);
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_DOWN, 0));
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_children_mirror(a, b);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	peers_free(a, b);
}

/* ------------------------------------------- selectors and families */

/* p's gateways at 2001:db8::<me> and ::<them>; its selectors fd<me>::/16
 * and fd<them>::/16 (tunnel), or the two gateways (transport). */
static void
v6(struct peer *p, uint8_t me, uint8_t them, enum plat_mode mode)
{
	struct ike_cfg *c = &p->cfg;
	struct child_cfg *cc = &p->ccfg;

	memset(c->local.addr, 0, 16);
	memset(c->remote.addr, 0, 16);
	c->local.family = c->remote.family = AF_INET6;
	c->local.addr[0] = c->remote.addr[0] = 0x20;
	c->local.addr[1] = c->remote.addr[1] = 0x01;
	c->local.addr[15] = me;
	c->remote.addr[15] = them;
	memset(&cc->local_ts, 0, sizeof(cc->local_ts));
	cc->local_ts.family = AF_INET6;
	cc->local_ts.eport = 65535;
	cc->mode = mode;
	if (mode == PLAT_TRANSPORT) {
		memcpy(cc->local_ts.start, c->local.addr, 16);
		memcpy(cc->local_ts.end, c->local.addr, 16);
		cc->remote_ts = cc->local_ts;
		memcpy(cc->remote_ts.start, c->remote.addr, 16);
		memcpy(cc->remote_ts.end, c->remote.addr, 16);
		return;
	}
	cc->local_ts.start[0] = cc->local_ts.end[0] = 0xfd;
	cc->local_ts.start[1] = cc->local_ts.end[1] = me;
	memset(cc->local_ts.end + 2, 0xff, 14);
	cc->remote_ts = cc->local_ts;
	cc->remote_ts.start[1] = cc->remote_ts.end[1] = them;
}

static void
ipv6(enum plat_mode mode)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *c;

	v6(a, 1, 2, mode);
	v6(b, 2, 1, mode);
	v1_up(a, b, false);
	assert_children_mirror(a, b);
	c = peer_sa(a)->children;
	assert_int_equal(c->mode, mode);
	assert_int_equal(c->ts_local.family, AF_INET6);
	assert_memory_equal(c->ts_local.start, a->ccfg.local_ts.start, 16);
	assert_memory_equal(c->ts_local.end, a->ccfg.local_ts.end, 16);
	assert_memory_equal(c->ts_remote.end, a->ccfg.remote_ts.end, 16);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_policy_count(a->plat), policies_per_child(mode));
	peers_free(a, b);
}

static void
ipv6_tunnel(void **state)
{
	(void)state;
	ipv6(PLAT_TUNNEL);
}

static void
ipv6_transport(void **state)
{
	(void)state;
	ipv6(PLAT_TRANSPORT);
}

/* The initiator asks for TCP to port 443 of one host inside the
 * responder's subnet (any port there): taken as asked (IKEv1 does not
 * narrow), with the protocol and port in both kernels' policies; a
 * port range the ID payload cannot carry is refused before sending. */
static void
ports(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *ca, *cb;
	struct child_cfg cc;

	(void)state;
	ts_v4(&b->ccfg.local_ts, 10, 2, 0, 0, 10, 2, 255, 255);
	ts_v4(&b->ccfg.remote_ts, 10, 1, 0, 0, 10, 1, 255, 255);
	v1_up(a, b, false);
	cc = a->ccfg;
	ts_v4(&cc.local_ts, 10, 1, 0, 0, 10, 1, 255, 255);
	ts_v4(&cc.remote_ts, 10, 2, 0, 5, 10, 2, 0, 5);
	cc.remote_ts.proto = 6;
	cc.remote_ts.sport = cc.remote_ts.eport = 443;
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, &cc,
	    hn_now), 0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	ca = peer_sa(a)->children->next != NULL &&
	    peer_sa(a)->children->next->ts_remote.sport == 443 ?
	    peer_sa(a)->children->next : peer_sa(a)->children;
	assert_int_equal(ca->ts_remote.sport, 443);
	assert_int_equal(ca->ts_remote.eport, 443);
	assert_int_equal(ca->ts_remote.proto, 6);
	assert_int_equal(ca->ts_local.proto, 6);
	assert_int_equal(ca->ts_local.sport, 0);
	assert_int_equal(ca->ts_local.eport, 65535);
	assert_child_mirror(a, b, ca->spi_in);
	cb = ike_sa_child_find(peer_sa(b), ca->spi_out, true);
	assert_non_null(cb);
	assert_int_equal(cb->ts_local.sport, 443);
	assert_int_equal(cb->ts_local.proto, 6);
	cc.remote_ts.sport = 440;
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, &cc,
	    hn_now), IKE_EUNSUPP);
	assert_int_equal(queued(a), 0);
	assert_int_equal(mem_larval_count(a->plat), 0);
	peers_free(a, b);
}

/* ESP AES-GCM-16 (RFC 4106 s. 8.1: transform ID 20, Key Length, no
 * Authentication Algorithm): KEYMAT of key and salt, installed and
 * mirrored. */
static void
gcm(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *c;
	const struct mem_sa *k;

	(void)state;
	a->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP,
	    ENCR_AES_GCM_16, 256, 0 };
	b->ccfg.props[0] = a->ccfg.props[0];
	v1_up(a, b, false);
	assert_children_mirror(a, b);
	c = peer_sa(a)->children;
	assert_int_equal(c->encr, ENCR_AES_GCM_16);
	assert_int_equal(c->integ, 0);
	k = v1_kernel_sa(a, &peer_sa(a)->local, c->spi_in, IPPROTO_ESP);
	assert_non_null(k);
	assert_int_equal(k->sa.encr_key->len, 36);
	assert_null(k->sa.integ_key);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_qm1),
		cmocka_unit_test(replay_dpd),
		cmocka_unit_test(contact_once),
		cmocka_unit_test(commit_responder),
		cmocka_unit_test(commit_never_connected),
		cmocka_unit_test(commit_connected_informational),
		cmocka_unit_test(rekey_fails_ours),
		cmocka_unit_test(rekey_child_again),
		cmocka_unit_test(rekey_peer_completes),
		cmocka_unit_test(rekey_peer_orphaned),
		cmocka_unit_test(ipv6_tunnel),
		cmocka_unit_test(ipv6_transport),
		cmocka_unit_test(ports),
		cmocka_unit_test(gcm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
