/* tests/exchange1/test_v1_ph1_loss.c: IKEv1 phase 1 between two
 * in-process engines when things go wrong on the way or later: lost and
 * duplicated messages are recovered; garbage and mutated messages are
 * counted and harm nothing; half-open SAs are bounded; a phase-1 rekey
 * (by either side, or by lifetime) keeps the handle; NAT is detected and
 * floated to port 4500.  The happy paths and the refusals are in
 * test_v1_phase1.c. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/exchange1/v1.h"
#include "core/sa/ike_v1.h"
#include "harness.h"
#include "v1_ph1_util.h"
#include "v1_util.h"

/* ------------------------------------------------------- reliability */

/* Message k of phase 1 is lost once: the initiator's retransmission
 * (or the responder's, for Aggressive Mode message 2) brings the
 * exchange up all the same, with one SA on each side. */
static void
lost_one(bool aggressive, unsigned int k, void *arg)
{
	unsigned int n = aggressive ? 3 : 6;
	struct peer *a, *b, *from, *to;

	(void)arg;
	print_message("%s message %u lost\n", aggressive ? "aggressive" :
	    "main", k);
	ph1_pair_at(&a, &b, aggressive, k, NULL, &from, &to);
	drop(from);
	if (k == n && aggressive) {
		/* the last message: b resends message 2 after 500 ms and a
		 * answers that duplicate with message 3 again */
		advance(a, b, 500);
		assert_int_equal(engine_stats(b->eng)->retransmits, 1);
		deliver(b, a);
		assert_int_equal(engine_stats(a->eng)->rx_resent, 1);
	} else {
		advance(a, b, 500);
		assert_int_equal(engine_stats(a->eng)->retransmits, 1);
	}
	ph1_assert_up_once(a, b);
	if (k % 2 == 0 && !(aggressive && k == 2))	/* b answered again */
		assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	peers_free(a, b);
}

static void
test_lost_messages(void **state)
{
	(void)state;
	ph1_each_message(lost_one, NULL);
}

/* Message k comes twice: the second copy is answered with the message
 * that answered the first (rx_resent) or, with nothing to answer it
 * with, dropped; one SA on each side. */
static void
dup_one(bool aggressive, unsigned int k, void *arg)
{
	unsigned int n = aggressive ? 3 : 6;
	struct peer *a, *b, *from, *to;
	uint64_t resent, dropped;

	(void)arg;
	print_message("%s message %u twice\n", aggressive ? "aggressive" :
	    "main", k);
	ph1_pair_at(&a, &b, aggressive, k, NULL, &from, &to);
	duplicate(from);
	deliver(from, to);
	resent = engine_stats(to->eng)->rx_resent;
	dropped = engine_stats(to->eng)->rx_dropped;
	deliver(from, to);
	if (k == n) {	/* nothing sent after the last message */
		assert_int_equal(engine_stats(to->eng)->rx_dropped,
		    dropped + 1);
	} else {
		assert_int_equal(engine_stats(to->eng)->rx_resent,
		    resent + 1);
	}
	ph1_assert_up_once(a, b);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static void
test_duplicated_messages(void **state)
{
	(void)state;
	ph1_each_message(dup_one, NULL);
}

/* Garbage and truncated datagrams are counted as malformed; the
 * established SA is untouched and still answers a duplicate of the
 * peer's last message. */
static void
test_garbage(void **state)
{
	struct peer *a, *b;
	struct dgram *mm5;
	uint8_t junk[64], keys[3][64], *copy;
	const struct ike_sa *sb;
	uint64_t bad;
	size_t i, len;

	(void)state;
	ph1_pair(&a, &b, false);
	initiate(a);
	v1_deliver_upto(a, b, 4);
	mm5 = head(a);
	len = mm5->len;
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, mm5->buf, len);
	deliver(a, b);
	deliver(b, a);
	assert_ph1_mirror(a, b);
	while (a->q != NULL)
		drop(a);	/* Quick Mode: not looked at here */
	sb = ph1_sa(b);
	memcpy(keys[0], sb->v1->k.e->data, sb->v1->k.e->len);
	bad = engine_stats(b->eng)->rx_malformed;
	/* random octets that claim IKEv1 */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	junk[17] = 0x10;
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, junk,
	    sizeof(junk));
	/* message 5 cut short at every length from the header on */
	for (i = 18; i < len; i += 7)
		engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local,
		    copy, i);
	assert_int_equal(engine_stats(b->eng)->rx_malformed,
	    bad + 1 + (len - 18 + 6) / 7);
	/* a header alone, with cookie 0 */
	memset(junk, 0, IKEV1_HDR_LEN);
	junk[17] = 0x10;
	junk[18] = IKEV1_EXCH_MAIN;
	junk[27] = IKEV1_HDR_LEN;
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, junk,
	    IKEV1_HDR_LEN);
	assert_int_equal(engine_stats(b->eng)->rx_malformed,
	    bad + 2 + (len - 18 + 6) / 7);
	sb = ph1_sa(b);
	assert_int_equal(sb->state, IKE_SA_ESTABLISHED);
	assert_memory_equal(keys[0], sb->v1->k.e->data, sb->v1->k.e->len);
	/* still working: message 5 again gets message 6 again */
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, copy,
	    len);
	assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	assert_int_equal(queued(b), 1);
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, 1);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 1);
	assert_ph1_mirror(a, b);
	free(copy);
	peers_free(a, b);
}

/* Above half_open_max half-open SAs, new message 1s are dropped. */
static void
test_half_open_limit(void **state)
{
	struct engine_limits lim = { .half_open_max = 2 };
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	struct peer *a[3];
	int i;

	(void)state;
	peer_v1(b, false);
	b->any_remote = true;
	for (i = 0; i < 3; i++) {
		a[i] = peer_new("a", 1, 2);
		peer_v1(a[i], false);
		a[i]->cfg.local.addr[3] = (uint8_t)(10 + i);
		initiate(a[i]);
		deliver(a[i], b);
	}
	assert_int_equal(engine_sa_count(b->eng), 2);
	assert_int_equal(queued(b), 2);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 1);
	for (i = 0; i < 3; i++)
		peer_free(a[i]);
	peer_free(b);
}


/* ------------------------------------------------------------- rekey */

/* engine_rekey_ike(): a new Main Mode with new cookies; once it is up
 * it has the old SA's handle and IPsec SAs, the old ISAKMP SA is
 * deleted (Delete sent, taken by the peer), and no IKE event tells of
 * any of it. */
static void
test_rekey(void **state)
{
	struct peer *a, *b;
	uint64_t ci, cr;
	uint32_t spi_a, spi_b;
	size_t nev_a, nev_b;

	(void)state;
	ph1_pair(&a, &b, false);
	initiate(a);
	pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	ci = ph1_sa(a)->spi_i;
	cr = ph1_sa(a)->spi_r;
	spi_a = ph1_sa(a)->children->spi_in;
	spi_b = ph1_sa(b)->children->spi_in;
	nev_a = a->nev;
	nev_b = b->nev;
	assert_int_equal(engine_rekey_ike(a->eng, a->handle, hn_now), 0);
	assert_int_equal(engine_rekey_ike(a->eng, a->handle, hn_now),
	    IKE_EBUSY);
	assert_int_equal(engine_sa_count(a->eng), 2);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_ph1_mirror(a, b);
	assert_true(ph1_sa(a)->spi_i != ci && ph1_sa(a)->spi_r != cr);
	assert_ptr_equal(engine_sa(a->eng, a->handle), ph1_sa(a));
	assert_int_equal(ph1_sa(b)->handle,
	    event_find(b, ENGINE_EV_IKE_UP, 0)->handle);
	/* the IPsec SAs moved over, untouched */
	assert_int_equal(ike_sa_child_count(ph1_sa(a)), 1);
	assert_int_equal(ike_sa_child_count(ph1_sa(b)), 1);
	assert_int_equal(ph1_sa(a)->children->spi_in, spi_a);
	assert_int_equal(ph1_sa(b)->children->spi_in, spi_b);
	assert_children_mirror(a, b);
	/* no event on either side */
	assert_int_equal(a->nev, nev_a);
	assert_int_equal(b->nev, nev_b);
	/* the new SA works: a Quick Mode on it */
	assert_int_equal(engine_create_child(a->eng, a->handle, &a->ccfg,
	    hn_now), 0);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(ike_sa_child_count(ph1_sa(a)), 2);
	/* now the responder rekeys: the roles of the new phase 1 turn */
	nev_a = a->nev;
	nev_b = b->nev;
	ci = ph1_sa(b)->spi_i;
	assert_int_equal(engine_rekey_ike(b->eng, ph1_sa(b)->handle, hn_now),
	    0);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_true(ph1_sa(b)->initiator);
	assert_false(ph1_sa(a)->initiator);
	assert_true(ph1_sa(b)->spi_i != ci);
	assert_ptr_equal(engine_sa(a->eng, a->handle), ph1_sa(a));
	assert_int_equal(ike_sa_child_count(ph1_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(ph1_sa(b)), 2);
	assert_child_mirror(a, b, ph1_sa(a)->children->spi_in);
	assert_child_mirror(a, b, ph1_sa(a)->children->next->spi_in);
	assert_int_equal(a->nev, nev_a);
	assert_int_equal(b->nev, nev_b);
	peers_free(a, b);
}

/* The rekey is due at the soft lifetime (90% on the initiator) and
 * the old SA ends; a rekey that fails leaves the old SA until its end. */
static void
test_rekey_by_lifetime(void **state)
{
	struct peer *a, *b;
	uint64_t ci;

	(void)state;
	ph1_pair(&a, &b, false);
	a->cfg.lifetime_s = b->cfg.lifetime_s = 100;
	initiate(a);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	ci = ph1_sa(a)->spi_i;
	advance(a, b, 89999);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);		/* Main Mode 1 */
	assert_int_equal(engine_sa_count(a->eng), 2);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_true(ph1_sa(a)->spi_i != ci);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 1);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(ike_sa_child_count(ph1_sa(a)), 1);
	/* the new one's rekey goes unanswered: it ends at its lifetime */
	advance(a, b, 90000);
	assert_int_equal(engine_sa_count(a->eng), 2);
	v1_run_out(a, b);
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_FAILED), 0);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 1);
	/* the Delete went out (v1_info_delete_ike()'s reason) */
	assert_non_null(event_find(a, ENGINE_EV_IKE_DOWN, 0)->reason);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_DOWN), 1);
	peers_free(a, b);
}


/* ---------------------------------------------------- NAT traversal */

static void
nat_ph1(bool aggressive, bool natt_off)
{
	struct engine_limits lim = { .natt_off = natt_off };
	struct peer *a = peer_new_lim("a", 1, 2, &lim);
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	const struct ike_sa *x, *y;
	unsigned int i, n = aggressive ? 3 : 6;

	print_message("%s, NAT-T %s\n", aggressive ? "aggressive" : "main",
	    natt_off ? "off" : "on");
	peer_v1(a, aggressive);
	peer_v1(b, aggressive);
	b->any_remote = true;
	initiate(a);
	for (i = 1; i <= n; i++) {
		if (i % 2)
			nat_out(&nat_default, a, b);
		else
			nat_in(&nat_default, b, a);
	}
	assert_true(ph1_up(a) && ph1_up(b));
	x = ph1_sa(a);
	y = ph1_sa(b);
	assert_int_equal(x->v1->peer_natt, !natt_off);
	assert_int_equal(y->v1->peer_natt, !natt_off);
	assert_true(x->v1->peer_dpd && y->v1->peer_dpd);
	assert_int_equal(x->nat_local, !natt_off);
	assert_false(x->nat_remote);
	assert_false(y->nat_local);
	assert_int_equal(y->nat_remote, !natt_off);
	/* a moved to the NAT-T port from message 5 (3), b followed */
	assert_int_equal(x->local.port, natt_off ? 500 : 4500);
	assert_int_equal(x->remote.port, natt_off ? 500 : 4500);
	assert_int_equal(y->remote.port, natt_off ? 40500 : 44500);
	assert_int_equal(y->local.port, natt_off ? 500 : 4500);
	assert_memory_equal(y->remote.addr, nat_default.pub, 4);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static void
test_natt(void **state)
{
	(void)state;
	nat_ph1(false, false);
	nat_ph1(true, false);
	nat_ph1(false, true);
	nat_ph1(true, true);
}


/* --------------------------------------------------- hostile input */

static uint32_t
prng(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Before message k is delivered, mutated copies of it (a few octets
 * changed, or cut short) reach the receiver: each is counted, nothing
 * crashes or leaks, and the engines still free cleanly. */
static void
mutate_one(bool aggressive, unsigned int k, void *arg)
{
	static const struct ph1_family f = { "AES-128/SHA1/ECP-256", ENCR_AES_CBC,
		128, PRF_HMAC_SHA1, DH_ECP_256, 16 };
	uint32_t *seed = arg;
	struct peer *a, *b, *from, *to;
	struct dgram *d;
	uint8_t *buf;
	uint64_t rx;
	unsigned int i, j;
	size_t len;

	ph1_pair_at(&a, &b, aggressive, k, &f, &from, &to);
	d = head(from);
	buf = malloc(d->len);
	assert_non_null(buf);
	for (i = 0; i < 40; i++) {
		memcpy(buf, d->buf, d->len);
		len = d->len;
		if (i % 8 == 7)
			len = prng(seed) % d->len;
		else
			for (j = 0; j < 1 + i % 3; j++)
				buf[prng(seed) % len] ^= (uint8_t)(1 +
				    prng(seed) % 255);
		rx = engine_stats(to->eng)->rx_packets;
		engine_input(to->eng, hn_now, &d->src, &d->dst, buf, len);
		assert_int_equal(engine_stats(to->eng)->rx_packets, rx + 1);
	}
	free(buf);
	deliver(from, to);
	pump(a, b);
	peers_free(a, b);
}

static void
test_mutations(void **state)
{
	uint32_t seed = 0x1234567;

	(void)state;
	ph1_each_message(mutate_one, &seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lost_messages),
		cmocka_unit_test(test_duplicated_messages),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_half_open_limit),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_rekey_by_lifetime),
		cmocka_unit_test(test_natt),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
