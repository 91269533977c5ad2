/* tests/exchange/test_exchange_reliability.c: the exchange layer under
 * loss, duplication, reordering, replay and corruption (RFC 7296 s. 2.1,
 * 2.2, 3.14): lost requests are sent again with back-off until the limit
 * ends the SA ("peer not responding"); a repeated request is answered
 * from the cache without being handled twice; old, future and corrupt
 * messages are counted and dropped and the SA goes on working. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/exchange/exchange.h"
#include "harness.h"

static struct dgram *
copy_head(struct peer *p)
{
	struct dgram *d = head(p), *c = malloc(sizeof(*c));

	assert_non_null(c);
	*c = *d;
	c->next = NULL;
	c->buf = malloc(d->len);
	assert_non_null(c->buf);
	memcpy(c->buf, d->buf, d->len);
	return c;
}

static void
inject(struct peer *to, struct dgram *d)
{
	engine_input(to->eng, hn_now, &d->src, &d->dst, d->buf, d->len);
}

static void
dgram_drop(struct dgram *d)
{
	free(d->buf);
	free(d);
}

/* The first IKE_SA_INIT request and the first IKE_AUTH request are lost;
 * each is sent again 500 ms later and the SA comes up. */
static void
lost_requests(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	initiate(a);
	assert_int_equal(engine_next_deadline(a->eng), hn_now + 500);
	drop(a);			/* IKE_SA_INIT lost */
	advance(a, b, 499);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);	/* sent again */
	assert_int_equal(engine_stats(a->eng)->retransmits, 1);
	deliver(a, b);
	deliver(b, a);
	drop(a);			/* IKE_AUTH lost */
	advance(a, b, 500);
	pump(a, b);
	assert_int_equal(engine_stats(a->eng)->retransmits, 2);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 1);
	assert_children_mirror(a, b);
	assert_int_equal(engine_next_deadline(a->eng), UINT64_MAX);
	peers_free(a, b);
}

/* The IKE_AUTH response is lost: a sends the request again, b answers
 * from its cache, and b's state changed once. */
static void
lost_response_answered_from_cache(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	deliver(a, b);			/* IKE_AUTH */
	drop(b);			/* its response lost */
	advance(a, b, 500);
	deliver(a, b);			/* the same request again */
	assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	deliver(b, a);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	assert_int_equal(mem_calls(b->plat, MEM_OP_SA_ADD), 1);
	assert_int_equal(mem_calls(b->plat, MEM_OP_SPI_ALLOC), 1);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* The network duplicates both requests: one SA, one Child SA; the
 * second answers are dropped by a. */
static void
duplicated_requests(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	initiate(a);
	duplicate(a);
	deliver(a, b);
	deliver(a, b);			/* IKE_SA_INIT twice */
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	assert_int_equal(queued(b), 2);
	deliver(b, a);
	deliver(b, a);			/* the copy: a has moved on */
	assert_int_equal(engine_stats(a->eng)->rx_dropped, 1);
	duplicate(a);
	deliver(a, b);
	deliver(a, b);			/* IKE_AUTH twice */
	assert_int_equal(engine_stats(b->eng)->rx_resent, 2);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	deliver(b, a);
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, 2);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* An old request (two IDs back) is dropped, not answered; an old
 * response is dropped; the last request gets the cached response. */
static void
replayed_messages(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct dgram *req2, *resp2, *req3;
	uint64_t dropped;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	req2 = copy_head(a);		/* INFORMATIONAL, ID 2 */
	deliver(a, b);
	resp2 = copy_head(b);
	deliver(b, a);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	req3 = copy_head(a);		/* ID 3 */
	pump(a, b);
	dropped = engine_stats(b->eng)->rx_dropped;
	inject(b, req2);		/* replay: out of the window */
	assert_int_equal(engine_stats(b->eng)->rx_dropped, dropped + 1);
	assert_int_equal(queued(b), 0);
	inject(b, req3);		/* the last one: cached answer */
	assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	assert_int_equal(queued(b), 1);
	dropped = engine_stats(a->eng)->rx_dropped;
	deliver(b, a);			/* a expects nothing */
	inject(a, resp2);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, dropped + 2);
	assert_int_equal(peer_sa(b)->peer_next_id, 4);
	dgram_drop(req2);
	dgram_drop(resp2);
	dgram_drop(req3);
	peers_free(a, b);
}

/* A correctly protected request with an ID past the window (as a
 * confused or malicious peer might send) is dropped and counted. */
static void
future_request_dropped(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_sa *sa;
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_hdr h;
	struct ike_pl *pl;
	struct wr w;

	(void)state;
	assert_non_null(m);
	establish(a, b);
	sa = (struct ike_sa *)(uintptr_t)peer_sa(a);
	xchg_hdr(sa, IKEV2_EXCH_INFORMATIONAL, false, &h);
	h.msgid = 7;
	ike_msg_init(m, &h);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SK, false, &pl), 0);
	wr_init(&w, 0);
	assert_int_equal(sk_seal(sa, m, &w), 0);
	engine_input(b->eng, hn_now, &sa->local, &sa->remote, w.buf, w.len);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 1);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, 0);
	assert_int_equal(queued(b), 0);
	assert_int_equal(peer_sa(b)->peer_next_id, 2);
	wr_free(&w);
	free(m);
	peers_free(a, b);
}

/* An IKE SA rekey request whose KEi is no point of its curve is
 * refused, and both keep the IKE SA:
 *   HDR, SK {SA(IKE), Ni, KEi}  -->
 *                               <--  HDR, SK {N(NO_PROPOSAL_CHOSEN)} */
static void
create_child_refused(void **state)
{
	static const uint8_t nonce[32] = { 1, 2, 3 };
	static const uint8_t ke[64] = { 4, 5, 6 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_sa *sa;
	struct ike_hdr h;
	struct ike_pl *pl;
	uint8_t *pt;
	size_t pt_len;

	(void)state;
	assert_non_null(m);
	establish(a, b);
	sa = (struct ike_sa *)(uintptr_t)peer_sa(a);
	xchg_hdr(sa, IKEV2_EXCH_CREATE_CHILD_SA, false, &h);
	h.msgid = 2;
	ike_msg_init(m, &h);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SK, false, &pl), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SA, true, &pl), 0);
	assert_int_equal(ike_msg_add_prop(m, pl, IKEV2_PROTO_IKE, 8,
	    0x1122334455667788ULL), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR,
	    IKEV2_ENCR_AES_GCM_16, 256), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_PRF,
	    IKEV2_PRF_HMAC_SHA2_256, 0), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_DH, 19, 0), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_NONCE, true, &pl), 0);
	pl->u.nonce.data = (struct ike_slice){ nonce, sizeof(nonce) };
	assert_int_equal(ike_msg_add(m, IKEV2_PL_KE, true, &pl), 0);
	pl->u.ke.group = 19;
	pl->u.ke.data = (struct ike_slice){ ke, sizeof(ke) };
	inject_sealed(b, sa, m);
	assert_int_equal(queued(b), 1);
	/* a opens the answer: one N(NO_PROPOSAL_CHOSEN) */
	assert_int_equal(codec_decode(head(b)->buf, head(b)->len, m, NULL), 0);
	assert_int_equal(m->hdr.flags & IKEV2_F_RESPONSE, IKEV2_F_RESPONSE);
	assert_int_equal(sk_open(sa, m, &pt, &pt_len), 0);
	assert_non_null(ike_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN));
	assert_null(ike_msg_find(m, IKEV2_PL_SA, NULL));
	sk_pt_free(pt, pt_len);
	assert_int_equal(engine_stats(b->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_dropped, 0);
	assert_int_equal(peer_sa(b)->peer_next_id, 3);
	assert_int_equal(mem_sa_count(b->plat), 2);	/* nothing new */
	assert_int_equal(engine_sa_count(b->eng), 1);	/* after reaping */
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	free(m);
	peers_free(a, b);
}

static void
assert_dead(const struct peer *p, enum engine_ev type)
{
	const struct engine_event *ev = event_find(p, type, 0);

	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer not responding");
	assert_int_equal(engine_sa_count(p->eng), 0);
}

/* b has no configuration for a and stays silent: a sends at 0, 500,
 * 1500 and 3500 ms (retrans_max 3) and gives up at 7500. */
static void
retransmission_exhausted(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	uint64_t t0 = hn_now;

	(void)state;
	b->refuse_cfg = true;
	initiate(a);
	pump(a, b);
	assert_int_equal(engine_next_deadline(a->eng), t0 + 500);
	advance(a, b, 500);
	pump(a, b);
	assert_int_equal(engine_next_deadline(a->eng), t0 + 1500);
	advance(a, b, 1000);
	pump(a, b);
	assert_int_equal(engine_next_deadline(a->eng), t0 + 3500);
	advance(a, b, 2000);
	pump(a, b);
	assert_int_equal(engine_next_deadline(a->eng), t0 + 7500);
	assert_null(event_find(a, ENGINE_EV_IKE_FAILED, 0));
	advance(a, b, 3999);
	assert_null(event_find(a, ENGINE_EV_IKE_FAILED, 0));
	advance(a, b, 1);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 4);
	assert_dead(a, ENGINE_EV_IKE_FAILED);
	assert_int_equal(mem_larval_count(a->plat), 0);
	peers_free(a, b);
}

/* An established SA whose peer went away: the liveness check goes
 * unanswered and the SA and its Child SA are removed. */
static void
dead_peer_detected(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	int i;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	for (i = 0; i < 5; i++) {
		drop(a);
		advance(a, NULL, engine_next_deadline(a->eng) - hn_now);
		if (queued(a) == 0)
			break;
	}
	assert_int_equal(i, 3);
	assert_dead(a, ENGINE_EV_IKE_DOWN);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_DOWN, 0));
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	peers_free(a, b);
}

/* Truncated, corrupted and foreign datagrams: counted, dropped, and
 * the SA answers the genuine request afterwards. */
static void
malformed_dropped(void **state)
{
	static const uint8_t junk[] = { 1, 2, 3 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct engine_stats *st = engine_stats(b->eng);
	struct dgram *d;

	(void)state;
	establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	d = copy_head(a);
	engine_input(b->eng, hn_now, &d->src, &d->dst, d->buf, d->len - 1);
	assert_int_equal(st->rx_malformed, 1);	/* truncated */
	d->buf[d->len - 1] ^= 0x01;
	inject(b, d);
	assert_int_equal(st->rx_malformed, 2);	/* bad ICV */
	d->buf[d->len - 1] ^= 0x01;
	d->buf[d->len - 20] ^= 0x80;
	inject(b, d);
	assert_int_equal(st->rx_malformed, 3);	/* ciphertext changed */
	engine_input(b->eng, hn_now, &d->src, &d->dst, junk, sizeof(junk));
	assert_int_equal(st->rx_malformed, 4);
	d->buf[d->len - 20] ^= 0x80;
	d->buf[0] ^= 0xff;			/* unknown SPI */
	inject(b, d);
	assert_int_equal(st->rx_dropped, 1);
	assert_int_equal(queued(b), 0);
	assert_int_equal(peer_sa(b)->peer_next_id, 2);
	deliver(a, b);				/* the genuine one */
	assert_int_equal(queued(b), 1);
	deliver(b, a);
	assert_null(peer_sa(a)->out.buf);
	assert_int_equal(st->rx_malformed, 4);
	assert_children_mirror(a, b);
	dgram_drop(d);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lost_requests),
		cmocka_unit_test(lost_response_answered_from_cache),
		cmocka_unit_test(duplicated_requests),
		cmocka_unit_test(replayed_messages),
		cmocka_unit_test(future_request_dropped),
		cmocka_unit_test(create_child_refused),
		cmocka_unit_test(retransmission_exhausted),
		cmocka_unit_test(dead_peer_detected),
		cmocka_unit_test(malformed_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
