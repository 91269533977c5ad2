/* tests/exchange1/test_v1_info.c: IKEv1 Informational exchanges (RFC
 * 2409 s. 5.7) and dead peer detection (RFC 3706) between two
 * in-process engines:
 *
 *   HDR*, HASH(1), D(ESP, SPI...)        Delete of IPsec SAs
 *   HDR*, HASH(1), D(ISAKMP, CKY-I|CKY-R) Delete of the ISAKMP SA
 *   HDR*, HASH(1), N(INITIAL-CONTACT)     after phase 1: "I restarted"
 *   HDR*, HASH(1), N(R-U-THERE, seq)      <-- N(R-U-THERE-ACK, seq)
 *
 * Deletes from each side leave both kernels empty; a restarted peer's
 * INITIAL-CONTACT replaces its old SAs; DPD declares a silent peer
 * dead and keeps a live one; plain (unauthenticated) notifications and
 * a Delete with a wrong HASH change nothing. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/codec/wr.h"
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "v1_test.h"

static const struct engine_event *
child_down(const struct peer *p)
{
	return event_find(p, ENGINE_EV_CHILD_DOWN, 0);
}

/* ------------------------------------------------------- Delete */

/* The IPsec SA deleted by x: gone from x at once, from y on receipt;
 * both ISAKMP SAs stay. */
static void
delete_child_by(bool by_a)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct peer *x, *y;
	const struct engine_event *ev;

	v1_up(a, b, false);
	x = by_a ? a : b;
	y = by_a ? b : a;
	assert_int_equal(engine_delete_child(x->eng, peer_sa(x)->handle,
	    peer_sa(x)->children->spi_in, hn_now), 0);
	ev = child_down(x);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "deleted");
	v1_assert_nothing(x);
	assert_int_equal(queued(x), 1);	/* HDR*, HASH(1), D */
	deliver(x, y);
	ev = child_down(y);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "deleted by peer");
	v1_assert_nothing(y);
	assert_int_equal(queued(y), 0);	/* nothing to answer */
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(engine_stats(y->eng)->rx_malformed, 0);
	/* gone already */
	assert_int_equal(engine_delete_child(x->eng, peer_sa(x)->handle,
	    ev->child_spi_out, hn_now), IKE_ENOTFOUND);
	peers_free(a, b);
}

static void
info_delete_child_a(void **state)
{
	(void)state;
	delete_child_by(true);
}

static void
info_delete_child_b(void **state)
{
	(void)state;
	delete_child_by(false);
}

/* The ISAKMP SA deleted by x: Deletes of its IPsec SA, then of itself;
 * both sides end with nothing. */
static void
delete_ike_by(bool by_a)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct peer *x, *y;
	const struct engine_event *ev;

	v1_up(a, b, false);
	x = by_a ? a : b;
	y = by_a ? b : a;
	assert_int_equal(engine_delete_ike(x->eng, peer_sa(x)->handle,
	    hn_now), 0);
	ev = event_find(x, ENGINE_EV_IKE_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "removed");
	assert_int_equal(queued(x), 2);	/* D(ESP), D(ISAKMP) */
	pump(x, y);
	ev = event_find(y, ENGINE_EV_IKE_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "deleted by peer");
	assert_string_equal(child_down(y)->reason, "deleted by peer");
	advance(a, b, 1);
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(engine_sa_count(b->eng), 0);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

static void
info_delete_ike_a(void **state)
{
	(void)state;
	delete_ike_by(true);
}

static void
info_delete_ike_b(void **state)
{
	(void)state;
	delete_ike_by(false);
}

/* ----------------------------------------------- INITIAL-CONTACT */

/* a restarts (a new engine, no state, nothing said to b): its new
 * phase 1 carries INITIAL-CONTACT, and b drops what it had with the
 * old a, which would otherwise collide in the kernel. */
static void
info_initial_contact(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint32_t old_in, old_out;
	size_t i;
	bool seen = false;

	(void)state;
	v1_up(a, b, false);
	old_in = peer_sa(b)->children->spi_in;
	old_out = peer_sa(b)->children->spi_out;
	peer_free(a);	/* its kernel is emptied, b hears nothing */
	a = v1_peer("a", 1, 2);
	v1_up(a, b, false);
	for (i = 0; i < b->nev; i++)
		if (b->ev[i].type == ENGINE_EV_CHILD_DOWN &&
		    b->ev[i].child_spi_in == old_in &&
		    strcmp(b->ev[i].reason, "replaced: the peer restarted") ==
		    0)
			seen = true;
	assert_true(seen);
	advance(a, b, 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_children_mirror(a, b);
	assert_null(ike_sa_child_find(peer_sa(b), old_in, true));
	assert_null(ike_sa_child_find(peer_sa(b), old_out, false));
	peers_free(a, b);
}

/* No INITIAL-CONTACT while the engine has another SA with the peer:
 * it would make the peer drop that one. */
static void
info_no_contact_with_other_sa(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct ike_sa *first;

	(void)state;
	v1_up(a, b, false);
	first = v1_sa(a);
	initiate(a);		/* a second phase 1 with b, under way */
	assert_int_equal(queued(a), 1);
	assert_int_equal(v1_info_contact(a->eng, first), 0);
	assert_int_equal(queued(a), 1);		/* nothing more sent */
	drop(a);
	assert_int_equal(engine_delete_ike(a->eng, first->handle, hn_now), 0);
	assert_int_equal(queued(a), 2);		/* D(ESP), D(ISAKMP) */
	peers_free(a, b);
}

/* ------------------------------------------------------------ DPD */

static struct engine_limits dpd_lim = { .liveness_ms = 10 * 1000 };

/* A peer that stops answering: R-U-THERE, its retransmissions, then
 * the ISAKMP SA is dead and its IPsec SA gone. */
static void
dpd_dead(void **state)
{
	struct peer *a = v1_peer_lim("a", 1, 2, &dpd_lim);
	struct peer *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	int i;

	(void)state;
	v1_up(a, b, false);
	assert_true(peer_sa(a)->v1->peer_dpd);
	advance(a, b, 9 * 1000);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1000);
	assert_int_equal(queued(a), 1);		/* R-U-THERE */
	for (i = 0; i < 20 && event_find(a, ENGINE_EV_IKE_DOWN, 0) == NULL;
	    i++) {
		while (queued(a) > 0)
			drop(a);	/* b never hears */
		advance(a, NULL, 5000);
	}
	ev = event_find(a, ENGINE_EV_IKE_DOWN, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer not responding");
	assert_non_null(child_down(a));
	assert_true(engine_stats(a->eng)->retransmits >= 3);
	advance(a, NULL, 1);
	assert_int_equal(engine_sa_count(a->eng), 0);
	v1_assert_nothing(a);
	peers_free(a, b);
}

/* A live peer answers every R-U-THERE: the SA stays, and the next
 * check comes a full interval after the answer. */
static void
dpd_alive(void **state)
{
	struct peer *a = v1_peer_lim("a", 1, 2, &dpd_lim);
	struct peer *b = v1_peer("b", 2, 1);
	int i;

	(void)state;
	v1_up(a, b, false);
	for (i = 0; i < 5; i++) {
		advance(a, b, 10 * 1000);
		assert_int_equal(queued(a), 1);		/* R-U-THERE */
		deliver(a, b);
		assert_int_equal(queued(b), 1);		/* R-U-THERE-ACK */
		deliver(b, a);
		assert_int_equal(v1_sa(a)->v1->dpd_wait, 0);
	}
	advance(a, b, 60 * 1000);	/* answered each time */
	pump(a, b);
	assert_null(event_find(a, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_children_mirror(a, b);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, 0);
	peers_free(a, b);
}

/* Inbound IPsec traffic is a sign of life: no R-U-THERE then. */
static void
dpd_traffic(void **state)
{
	struct peer *a = v1_peer_lim("a", 1, 2, &dpd_lim);
	struct peer *b = v1_peer("b", 2, 1);
	struct plat_sa_id id;
	struct plat_sa_stats st = { 0 };

	(void)state;
	v1_up(a, b, false);
	id.dst = peer_sa(a)->local;
	id.dst.port = 0;
	id.spi = peer_sa(a)->children->spi_in;
	id.proto = IPPROTO_ESP;
	st.bytes = 1000;
	assert_int_equal(mem_sa_set_stats(a->plat, &id, &st), 0);
	advance(a, b, 10 * 1000);
	assert_int_equal(queued(a), 0);		/* traffic seen */
	advance(a, b, 10 * 1000);
	assert_int_equal(queued(a), 1);		/* silent since */
	peers_free(a, b);
}

/* engine_liveness(): an R-U-THERE now; one at a time; none to a peer
 * without DPD. */
static void
dpd_on_request(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint32_t h;

	(void)state;
	v1_up(a, b, false);
	h = peer_sa(a)->handle;
	assert_int_equal(engine_liveness(a->eng, h, hn_now), 0);
	assert_int_equal(engine_liveness(a->eng, h, hn_now), IKE_EBUSY);
	assert_int_equal(queued(a), 1);
	pump(a, b);
	assert_int_equal(v1_sa(a)->v1->dpd_wait, 0);
	v1_sa(a)->v1->peer_dpd = false;
	assert_int_equal(engine_liveness(a->eng, h, hn_now), IKE_EUNSUPP);
	assert_int_equal(queued(a), 0);
	peers_free(a, b);
}

/* ------------------------------------------- untrusted input */

/* A plain (unencrypted, unauthenticated) Informational from y's SA's
 * cookies to x: Notification type with a 4-octet SPI, or a Delete of
 * x's IPsec SA when del. */
static void
inject_plain(struct peer *x, const struct ike_sa *sx, uint16_t type,
    bool del, uint32_t spi)
{
	uint8_t s[4] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16),
	    (uint8_t)(spi >> 8), (uint8_t)spi };
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_hdr h;
	struct v1_pl *pl;
	struct wr w;

	assert_non_null(m);
	v1_hdr_for(sx, IKEV1_EXCH_INFO, 0, &h);
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, del ? IKEV1_PL_D : IKEV1_PL_N, &pl),
	    0);
	if (del) {
		pl->u.del = (struct v1_pl_delete){ IKEV1_DOI_IPSEC,
		    IKEV1_PROTO_ESP, 4, 1, { s, 4 } };
	} else {
		pl->u.notify.doi = IKEV1_DOI_IPSEC;
		pl->u.notify.proto = IKEV1_PROTO_ESP;
		pl->u.notify.type = type;
		pl->u.notify.spi = (struct ike_slice){ s, 4 };
	}
	wr_init(&w, 65535);
	assert_int_equal(v1_encode(m, &w), 0);
	engine_input(x->eng, hn_now, &sx->remote, &sx->local, w.buf, w.len);
	wr_free(&w);
	free(m);
}

/* After phase 1, a plain Delete or notification is not believed. */
static void
info_plain_after_ph1(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint64_t dropped;
	const struct ike_sa *sb;

	(void)state;
	v1_up(a, b, false);
	sb = peer_sa(b);
	dropped = engine_stats(b->eng)->rx_dropped;
	inject_plain(b, sb, 0, true, sb->children->spi_out);
	inject_plain(b, sb, IKEV1_N_INVALID_SPI, false,
	    sb->children->spi_out);
	inject_plain(b, sb, IKEV1_N_INITIAL_CONTACT, false, 0);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, dropped + 3);
	assert_null(child_down(b));
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* Before phase 1 is complete (a waits for Main Mode message 2): a
 * plain notification is counted and logged only. */
static void
info_plain_before_ph1(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct ike_sa fake;
	const struct ike_sa *sa;

	(void)state;
	initiate(a);
	sa = peer_sa(a);
	assert_int_equal(sa->state, IKE_SA_INIT_SENT);
	/* as b would send it: the cookies a knows, from b's address */
	fake = *sa;
	fake.local = sa->remote;
	fake.remote = sa->local;
	inject_plain(a, &fake, IKEV1_N_INVALID_SPI, false, 1234);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, 1);
	assert_int_equal(peer_sa(a)->state, IKE_SA_INIT_SENT);
	assert_int_equal(a->nev, 0);
	pump(a, b);	/* and phase 1 goes on */
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	peers_free(a, b);
}

/* An encrypted Delete from a's SA, with its HASH(1) right (good) or
 * 32 zero octets (forged). */
static void
inject_delete(struct peer *b, struct ike_sa *sa, bool good)
{
	static const uint8_t zero[32];
	uint8_t s[4], iv[16];
	uint32_t spi = sa->children->spi_in;
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_hdr h;
	struct v1_pl *pl;
	struct wr w;

	assert_non_null(m);
	s[0] = (uint8_t)(spi >> 24);
	s[1] = (uint8_t)(spi >> 16);
	s[2] = (uint8_t)(spi >> 8);
	s[3] = (uint8_t)spi;
	v1_hdr_for(sa, IKEV1_EXCH_INFO, 0x01020304, &h);
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_HASH, &pl), 0);
	pl->u.data = (struct ike_slice){ zero, sizeof(zero) };
	assert_int_equal(v1_msg_add(m, IKEV1_PL_D, &pl), 0);
	pl->u.del = (struct v1_pl_delete){ IKEV1_DOI_IPSEC, IKEV1_PROTO_ESP,
	    4, 1, { s, 4 } };
	assert_int_equal(v1_crypt_msgid_iv(sa, h.msgid, iv), 0);
	wr_init(&w, 65535);
	if (good)
		assert_int_equal(v1_seal_hashed(sa, m, V1_HASH_1, NULL, 0,
		    NULL, 0, iv, &w), 0);
	else
		assert_int_equal(v1_seal(sa, m, iv, &w), 0);
	engine_input(b->eng, hn_now, &sa->local, &sa->remote, w.buf, w.len);
	wr_free(&w);
	free(m);
}

/* A Delete that decrypts but whose HASH(1) is wrong is dropped and
 * counted; the tunnel keeps working; the same Delete with the right
 * HASH is obeyed. */
static void
info_forged_delete(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint64_t mal;

	(void)state;
	v1_up(a, b, false);
	mal = engine_stats(b->eng)->rx_malformed;
	inject_delete(b, v1_sa(a), false);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, mal + 1);
	assert_null(child_down(b));
	assert_children_mirror(a, b);
	/* a rekey still works over the same ISAKMP SA */
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    peer_sa(b)->children->spi_in, hn_now), 0);
	pump(a, b);
	assert_children_mirror(a, b);
	inject_delete(b, v1_sa(a), true);
	assert_non_null(child_down(b));
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, mal + 1);
	/* a still has its half: tidy up for peer_free() */
	assert_int_equal(engine_delete_child(a->eng, peer_sa(a)->handle,
	    peer_sa(a)->children->spi_in, hn_now), 0);
	peers_free(a, b);
}

/* An error notification about our Quick Mode's SPI, authenticated:
 * CHILD_FAILED; one about nothing of ours: counted. */
static void
info_error_notify(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	uint64_t dropped;
	uint8_t spi[4] = { 0, 0, 0x12, 0x34 };

	(void)state;
	v1_up(a, b, false);
	dropped = engine_stats(a->eng)->rx_dropped;
	assert_int_equal(v1_info_notify(b->eng, v1_sa(b),
	    IKEV1_N_INVALID_SPI, IKEV1_PROTO_ESP, spi, 4, NULL, 0), 0);
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, dropped + 1);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, 0);
	assert_null(event_find(a, ENGINE_EV_CHILD_FAILED, 0));
	assert_children_mirror(a, b);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_delete_child_a),
		cmocka_unit_test(info_delete_child_b),
		cmocka_unit_test(info_delete_ike_a),
		cmocka_unit_test(info_delete_ike_b),
		cmocka_unit_test(info_initial_contact),
		cmocka_unit_test(info_no_contact_with_other_sa),
		cmocka_unit_test(dpd_dead),
		cmocka_unit_test(dpd_alive),
		cmocka_unit_test(dpd_traffic),
		cmocka_unit_test(dpd_on_request),
		cmocka_unit_test(info_plain_after_ph1),
		cmocka_unit_test(info_plain_before_ph1),
		cmocka_unit_test(info_forged_delete),
		cmocka_unit_test(info_error_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
