/* tests/exchange/test_exchange_cookie.c: the COOKIE round trip (RFC 7296
 * s. 2.6) once the responder has more half-open SAs than it accepts,
 * the secret's rotation, and half-open SAs that time out. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "harness.h"

/* Offset of the cookie data in an IKE_SA_INIT request that starts with
 * N(COOKIE): the header, the payload header, Protocol ID, SPI Size and
 * Notify Message Type. */
#define COOKIE_OFF	(IKEV2_HDR_LEN + 4 + 4)

static const struct engine_limits lim = { .half_open_max = 1,
	.cookie_rotate_ms = 10000, .half_open_ms = 20000 };

/* c leaves one half-open SA at b, so that b asks the next one for a
 * cookie. */
static void
fill_half_open(struct peer *c, struct peer *b)
{
	initiate(c);
	deliver(c, b);
	drop(b);
	assert_int_equal(engine_sa_count(b->eng), 1);
}

/*   HDR(A,0), SAi1, KEi, Ni                 -->
 *                                           <--  HDR(A,0), N(COOKIE)
 *   HDR(A,0), N(COOKIE), SAi1, KEi, Ni      -->
 *                                           <--  HDR(A,B), SAr1, KEr, Nr
 */
static void
cookie_round_trip(void **state)
{
	struct peer *a = peer_new("a", 1, 2);
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	struct peer *c = peer_new("c", 3, 2);

	(void)state;
	b->any_remote = true;
	fill_half_open(c, b);
	initiate(a);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 1);	/* no state kept */
	assert_int_equal(engine_stats(b->eng)->cookies_sent, 1);
	deliver(b, a);				/* <-- N(COOKIE) */
	assert_int_equal(peer_sa(a)->cookie_len, 33);
	assert_int_equal(queued(a), 1);
	assert_memory_equal(head(a)->buf + COOKIE_OFF, peer_sa(a)->cookie, 33);
	deliver(a, b);				/* with the cookie */
	assert_int_equal(engine_sa_count(b->eng), 2);
	assert_int_equal(engine_stats(b->eng)->cookies_sent, 1);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	peer_free(c);
	peers_free(a, b);
}

/* A request whose cookie was altered gets a new cookie, not an SA. */
static void
wrong_cookie_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2);
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	struct peer *c = peer_new("c", 3, 2);

	(void)state;
	b->any_remote = true;
	fill_half_open(c, b);
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	head(a)->buf[COOKIE_OFF + 5] ^= 0x01;
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_int_equal(engine_stats(b->eng)->cookies_sent, 2);
	assert_int_equal(queued(b), 1);
	peer_free(c);
	peers_free(a, b);
}

/* A cookie made just before the secret changed still passes. */
static void
cookie_survives_one_rotation(void **state)
{
	struct peer *a = peer_new("a", 1, 2);
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	struct peer *c = peer_new("c", 3, 2), *d;

	(void)state;
	b->any_remote = true;
	fill_half_open(c, b);
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(peer_sa(a)->cookie[0], 0);	/* secret version */
	hn_now += 10000;		/* the secret is due for renewal */
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 2);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	/* cookies made now come from the new secret */
	d = peer_new("d", 4, 2);
	initiate(d);
	deliver(d, b);
	deliver(b, d);
	assert_int_equal(peer_sa(d)->cookie_len, 33);
	assert_int_equal(peer_sa(d)->cookie[0], 1);
	peer_free(d);
	peer_free(c);
	peers_free(a, b);
}

/* Below the threshold nobody is asked for a cookie, and a half-open SA
 * that never sees IKE_AUTH is dropped after half_open_ms. */
static void
half_open_expires(void **state)
{
	struct peer *b = peer_new_lim("b", 2, 1, &lim);
	struct peer *c = peer_new("c", 3, 2);

	(void)state;
	b->any_remote = true;
	fill_half_open(c, b);
	assert_int_equal(engine_stats(b->eng)->cookies_sent, 0);
	assert_int_equal(engine_next_deadline(b->eng), hn_now + 20000);
	advance(b, NULL, 19999);
	assert_int_equal(engine_sa_count(b->eng), 1);
	advance(b, NULL, 1);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(engine_stats(b->eng)->half_open_expired, 1);
	assert_string_equal(event_find(b, ENGINE_EV_IKE_FAILED, 0)->reason,
	    "no IKE_AUTH from peer");
	peer_free(c);
	peer_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cookie_round_trip),
		cmocka_unit_test(wrong_cookie_refused),
		cmocka_unit_test(cookie_survives_one_rotation),
		cmocka_unit_test(half_open_expires),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
