/* tests/exchange/test_exchange_natt.c: NAT traversal (RFC 7296 s. 2.23,
 * RFC 3948) between two engines, with a NAT in front of the initiator
 * simulated on delivery: a (192.0.2.1) reaches b (192.0.2.2) as
 * 198.51.100.7, its port 500 mapped to 40500 and 4500 to 44500.
 *
 *   HDR(500->500), SAi1, KEi, Ni, N(NAT_D_SRC), N(NAT_D_DST)  -->
 *                      <--  HDR, SAr1, KEr, Nr, N(NAT_D_SRC), N(NAT_D_DST)
 *   HDR(4500->4500), SK {IDi, AUTH, SAi2, TSi, TSr}  -->
 *                      <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
 *   0xFF (4500->4500) every keepalive interval  -->
 *
 * Both detect the NAT, IKE_AUTH moves to the NAT-T port, the Child SAs
 * (also rekeyed ones, also under a rekeyed IKE SA) are UDP-encapsulated
 * between the IKE SA's ports on both sides, only a sends keepalives,
 * b follows a changed mapping only on an authentic, fresh message, and
 * with NAT-T off nothing of this happens.  With the NAT in front of the
 * responder instead, a still moves to 4500 and b sends the keepalives. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/err.h"
#include "harness.h"

static struct nat nat;	/* in front of a */
static size_t keepalives_dropped;

static void
nat_reset(void)
{
	nat = nat_default;
	keepalives_dropped = 0;
}

static bool
is_keepalive(const struct dgram *d)
{
	return d->len == 1 && d->buf[0] == 0xff;
}

/* Both ways until nothing is queued; a's keepalives are dropped (the
 * daemon drops them before engine_input()) and counted. */
static void
nat_pump(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 100 && (a->q != NULL || b->q != NULL); i++) {
		if (a->q != NULL && is_keepalive(head(a))) {
			keepalives_dropped++;
			drop(a);
		} else if (a->q != NULL)
			nat_out(&nat, a, b);
		if (b->q != NULL)
			nat_in(&nat, b, a);
	}
	assert_true(a->q == NULL && b->q == NULL);
}

static void
nat_peers(struct peer **a, struct peer **b, const struct engine_limits *la,
    const struct engine_limits *lb)
{
	nat_reset();
	*a = peer_new_lim("a", 1, 2, la);
	*b = peer_new_lim("b", 2, 1, lb);
	(*b)->any_remote = true;	/* a arrives as the NAT's address */
}

static void
nat_establish(struct peer *a, struct peer *b)
{
	initiate(a);
	nat_pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
}

/* c's two kernel SAs on p: encapsulated with ports (ours, theirs) as
 * the packets of each direction carry them; (0, 0): not at all. */
static void
assert_encap(const struct peer *p, const struct child_sa *c, uint16_t ours,
    uint16_t theirs)
{
	const struct ike_sa *sa = peer_sa(p);
	const struct mem_sa *in = kernel_esp(p, &sa->local, c->spi_in);
	const struct mem_sa *out = kernel_esp(p, &sa->remote, c->spi_out);

	assert_int_equal(out->sa.natt_sport, ours);
	assert_int_equal(out->sa.natt_dport, theirs);
	assert_int_equal(in->sa.natt_sport, theirs);
	assert_int_equal(in->sa.natt_dport, ours);
	assert_memory_equal(out->sa.id.dst.addr, sa->remote.addr, 4);
	assert_memory_equal(in->sa.src.addr, sa->remote.addr, 4);
}

static void
assert_all_encap(const struct peer *p, uint16_t ours, uint16_t theirs)
{
	const struct child_sa *c;
	size_t n = 0;

	for (c = peer_sa(p)->children; c != NULL; c = c->next, n++)
		assert_encap(p, c, ours, theirs);
	assert_true(n >= 1);
}

/* Whether the datagram carries NAT_DETECTION_SOURCE_IP and _DESTINATION_IP
 * (both or neither, else the test fails). */
static bool
has_natd(const struct dgram *d)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct codec_diag diag;
	bool src, dst;

	assert_non_null(m);
	assert_int_equal(codec_decode(d->buf, d->len, m, &diag), 0);
	src = ike_msg_notify(m, IKEV2_N_NAT_DETECTION_SOURCE_IP) != NULL;
	dst = ike_msg_notify(m, IKEV2_N_NAT_DETECTION_DESTINATION_IP) != NULL;
	free(m);
	assert_int_equal(src, dst);
	return src;
}

/* ------------------------------------------------------------ tests */

/* IKE_SA_INIT on 500 with NAT-D both ways; IKE_AUTH from a's 4500 to
 * b's 4500, arriving at b from the NAT's 4500 mapping; b answers there. */
static void
detected_and_floated(void **state)
{
	struct peer *a, *b;
	const struct ike_sa *sa;

	(void)state;
	nat_peers(&a, &b, NULL, NULL);
	initiate(a);
	assert_int_equal(head(a)->src.port, 500);
	assert_int_equal(head(a)->dst.port, 500);
	assert_true(has_natd(head(a)));
	nat_out(&nat, a, b);
	assert_true(has_natd(head(b)));
	assert_int_equal(head(b)->src.port, 500);
	assert_int_equal(head(b)->dst.port, nat.map500);
	nat_in(&nat, b, a);
	/* IKE_AUTH request: from a's NAT-T port to b's */
	assert_int_equal(head(a)->src.port, 4500);
	assert_int_equal(head(a)->dst.port, 4500);
	assert_memory_equal(head(a)->dst.addr, b->cfg.local.addr, 4);
	nat_out(&nat, a, b);
	/* the answer goes to the 4500 mapping, from b's NAT-T port */
	assert_int_equal(head(b)->src.port, 4500);
	assert_int_equal(head(b)->dst.port, nat.map4500);
	nat_in(&nat, b, a);
	assert_int_equal(queued(a) + queued(b), 0);

	sa = peer_sa(a);
	assert_true(sa->nat_local);
	assert_false(sa->nat_remote);
	assert_int_equal(sa->local.port, 4500);
	assert_int_equal(sa->remote.port, 4500);
	sa = peer_sa(b);
	assert_true(sa->nat_remote);
	assert_false(sa->nat_local);
	assert_int_equal(sa->local.port, 4500);
	assert_int_equal(sa->remote.port, nat.map4500);
	assert_memory_equal(sa->remote.addr, nat.pub, 4);
	assert_int_equal(engine_stats(b->eng)->natt_floats, 1);

	/* Child SAs: ESP in UDP, a 4500 <-> 4500, b 4500 <-> 44500 */
	assert_all_encap(a, 4500, 4500);
	assert_all_encap(b, 4500, nat.map4500);
	peers_free(a, b);
}

/* Without a NAT nothing moves and nothing is encapsulated. */
static void
no_nat_no_encap(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_true(peer_sa(a)->natd_seen && peer_sa(b)->natd_seen);
	assert_int_equal(peer_sa(a)->local.port, 500);
	assert_int_equal(peer_sa(a)->remote.port, 500);
	assert_int_equal(peer_sa(b)->remote.port, 500);
	assert_all_encap(a, 0, 0);
	assert_all_encap(b, 0, 0);
	advance(a, b, 120 * 1000);
	assert_int_equal(queued(a) + queued(b), 0);	/* no keepalives */
	assert_int_equal(engine_stats(a->eng)->natt_keepalives, 0);
	peers_free(a, b);
}

/* Only a, behind the NAT, sends 0xFF from 4500 to b's 4500, every 20 s
 * by default; b sends nothing. */
static void
keepalive_default_interval(void **state)
{
	struct peer *a, *b;
	struct dgram *d;
	int i;

	(void)state;
	nat_peers(&a, &b, NULL, NULL);
	nat_establish(a, b);
	for (i = 0; i < 3; i++) {
		advance(a, b, 20 * 1000 - 1);
		assert_int_equal(queued(a) + queued(b), 0);
		advance(a, b, 1);
		assert_int_equal(queued(a), 1);
		assert_int_equal(queued(b), 0);
		d = head(a);
		assert_true(is_keepalive(d));
		assert_int_equal(d->src.port, 4500);
		assert_int_equal(d->dst.port, 4500);
		assert_memory_equal(d->dst.addr, b->cfg.local.addr, 4);
		drop(a);
	}
	assert_int_equal(engine_stats(a->eng)->natt_keepalives, 3);
	assert_int_equal(engine_stats(b->eng)->natt_keepalives, 0);
	assert_true(engine_next_deadline(b->eng) == UINT64_MAX);
	peers_free(a, b);
}

/* A configured interval is obeyed; ENGINE_KEEPALIVE_NEVER sends none. */
static void
keepalive_configured(void **state)
{
	struct engine_limits la = { .keepalive_ms = 3000 };
	struct engine_limits never = { .keepalive_ms = ENGINE_KEEPALIVE_NEVER };
	struct peer *a, *b;

	(void)state;
	nat_peers(&a, &b, &la, NULL);
	nat_establish(a, b);
	advance(a, b, 2999);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);
	assert_true(is_keepalive(head(a)));
	drop(a);
	advance(a, b, 3000);
	assert_int_equal(queued(a), 1);
	drop(a);
	peers_free(a, b);

	nat_peers(&a, &b, &never, NULL);
	nat_establish(a, b);
	assert_true(peer_sa(a)->nat_local);
	advance(a, b, 3600 * 1000);
	assert_int_equal(queued(a) + queued(b), 0);
	assert_int_equal(engine_stats(a->eng)->natt_keepalives, 0);
	peers_free(a, b);
}

/* The NAT-T port is engine_limits.natt_port when set. */
static void
custom_natt_port(void **state)
{
	struct engine_limits l = { .natt_port = 14500 };
	struct peer *a, *b;

	(void)state;
	nat_peers(&a, &b, &l, &l);
	nat.inside = 14500;
	initiate(a);
	nat_out(&nat, a, b);
	nat_in(&nat, b, a);
	assert_int_equal(head(a)->src.port, 14500);
	assert_int_equal(head(a)->dst.port, 14500);
	nat_pump(a, b);
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_int_equal(peer_sa(b)->local.port, 14500);
	assert_all_encap(a, 14500, 14500);
	assert_all_encap(b, 14500, nat.map4500);
	advance(a, b, 20 * 1000);
	assert_int_equal(queued(a), 1);
	assert_int_equal(head(a)->dst.port, 14500);
	drop(a);
	peers_free(a, b);
}

/* A copy of a's next request, as sent. */
struct copy {
	uint8_t		*buf;
	size_t		 len;
	struct ike_addr	 dst;
};

static void
copy_head(struct peer *a, struct copy *c)
{
	struct dgram *d = head(a);

	c->buf = malloc(d->len);
	assert_non_null(c->buf);
	memcpy(c->buf, d->buf, d->len);
	c->len = d->len;
	c->dst = d->dst;
}

static void
give(struct peer *b, const struct copy *c, const uint8_t ip[4],
    uint16_t port)
{
	struct ike_addr src;

	memset(&src, 0, sizeof(src));
	src.family = AF_INET;
	src.port = port;
	memcpy(src.addr, ip, 4);
	engine_input(b->eng, hn_now, &src, &c->dst, c->buf, c->len);
}

/* b moves to a new mapping only on an authentic, fresh request: a
 * forged datagram (bad ICV) and a replayed authentic one from another
 * address change nothing. */
static void
follows_only_authentic(void **state)
{
	static const uint8_t evil[4] = { 203, 0, 113, 9 };
	struct peer *a, *b;
	struct copy req;
	const struct ike_sa *sb;
	uint64_t bad;

	(void)state;
	nat_peers(&a, &b, NULL, NULL);
	nat_establish(a, b);
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	copy_head(a, &req);

	/* forged: the same datagram with its ICV broken, elsewhere from */
	req.buf[req.len - 1] ^= 0x01;
	bad = engine_stats(b->eng)->rx_malformed;
	give(b, &req, evil, 6666);
	req.buf[req.len - 1] ^= 0x01;
	assert_int_equal(engine_stats(b->eng)->rx_malformed, bad + 1);
	sb = peer_sa(b);
	assert_memory_equal(sb->remote.addr, nat.pub, 4);
	assert_int_equal(sb->remote.port, nat.map4500);
	assert_int_equal(queued(b), 0);

	/* the real one through the NAT, answered */
	nat_pump(a, b);
	/* replayed from elsewhere: authentic but old: the cached answer
	 * goes to the mapping b knows, which stays */
	give(b, &req, evil, 6666);
	assert_int_equal(queued(b), 1);
	assert_memory_equal(head(b)->dst.addr, nat.pub, 4);
	assert_int_equal(head(b)->dst.port, nat.map4500);
	drop(b);
	sb = peer_sa(b);
	assert_int_equal(sb->remote.port, nat.map4500);
	assert_int_equal(engine_stats(b->eng)->natt_floats, 1);

	/* the NAT forgets and maps a's 4500 anew: b follows the next
	 * authentic request and answers there */
	nat.map4500 = 45555;
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	nat_out(&nat, a, b);
	sb = peer_sa(b);
	assert_int_equal(sb->remote.port, 45555);
	assert_int_equal(engine_stats(b->eng)->natt_floats, 2);
	assert_int_equal(head(b)->dst.port, 45555);
	nat_in(&nat, b, a);
	assert_int_equal(queued(a) + queued(b), 0);
	free(req.buf);
	peers_free(a, b);
}

/* NAT-T off on both: no NAT-D sent, none detected, nothing moves, no
 * encapsulation, no keepalives (b still answers the NAT's address on
 * port 500 because it takes any address). */
static void
disabled_both(void **state)
{
	struct engine_limits off = { .natt_off = true };
	struct peer *a, *b;

	(void)state;
	nat_peers(&a, &b, &off, &off);
	initiate(a);
	assert_false(has_natd(head(a)));
	nat_out(&nat, a, b);
	assert_false(has_natd(head(b)));
	nat_pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	assert_false(peer_sa(a)->natd_seen || peer_sa(a)->nat_local);
	assert_false(peer_sa(b)->natd_seen || peer_sa(b)->nat_remote);
	assert_int_equal(peer_sa(a)->local.port, 500);
	assert_int_equal(peer_sa(b)->remote.port, nat.map500);
	assert_all_encap(a, 0, 0);
	assert_all_encap(b, 0, 0);
	advance(a, b, 120 * 1000);
	assert_int_equal(queued(a) + queued(b), 0);
	peers_free(a, b);
}

/* NAT-T off on one side only: the other's NAT-D are ignored, so
 * neither side detects anything and nothing floats. */
static void
disabled_one_side(void **state)
{
	struct engine_limits off = { .natt_off = true };
	struct peer *a, *b;
	int side;

	(void)state;
	for (side = 0; side < 2; side++) {
		nat_peers(&a, &b, side == 0 ? &off : NULL,
		    side == 1 ? &off : NULL);
		initiate(a);
		assert_int_equal(has_natd(head(a)), side == 1);
		nat_out(&nat, a, b);
		assert_int_equal(has_natd(head(b)), side == 0);
		nat_pump(a, b);
		assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
		assert_false(peer_sa(a)->natd_seen || peer_sa(a)->nat_local);
		assert_false(peer_sa(b)->natd_seen || peer_sa(b)->nat_remote);
		assert_int_equal(peer_sa(a)->remote.port, 500);
		assert_int_equal(peer_sa(b)->remote.port, nat.map500);
		assert_all_encap(a, 0, 0);
		assert_all_encap(b, 0, 0);
		peers_free(a, b);
	}
}

/* A rekeyed Child SA and the Child SAs under a rekeyed IKE SA keep the
 * encapsulation; keepalives go on from the new IKE SA. */
static void
rekeys_keep_encap(void **state)
{
	struct peer *a, *b;
	uint32_t old_in;

	(void)state;
	nat_peers(&a, &b, NULL, NULL);
	nat_establish(a, b);
	old_in = peer_sa(a)->children->spi_in;
	assert_int_equal(engine_rekey_child(a->eng, a->handle, old_in,
	    hn_now), 0);
	nat_pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_not_equal(peer_sa(a)->children->spi_in, old_in);
	assert_all_encap(a, 4500, 4500);
	assert_all_encap(b, 4500, nat.map4500);

	assert_int_equal(engine_rekey_ike(b->eng, peer_sa(b)->handle,
	    hn_now), 0);
	nat_pump(a, b);
	assert_true(peer_sa(a)->nat_local && peer_sa(b)->nat_remote);
	assert_int_equal(peer_sa(a)->local.port, 4500);
	assert_int_equal(peer_sa(b)->remote.port, nat.map4500);
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    peer_sa(b)->children->spi_in, hn_now), 0);
	nat_pump(a, b);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 3);
	assert_all_encap(a, 4500, 4500);
	assert_all_encap(b, 4500, nat.map4500);

	advance(a, b, 20 * 1000);
	assert_int_equal(queued(a), 1);
	assert_true(is_keepalive(head(a)));
	assert_int_equal(queued(b), 0);
	drop(a);
	peers_free(a, b);
}

/* A NAT in front of the responder instead (port forwarding of 500 and
 * 4500 from 198.51.100.7 to b): a finds the peer behind a NAT and moves
 * to 4500 all the same; b, behind it, is the one to send keepalives. */
static void
fwd_in(struct peer *a, struct peer *b)
{
	struct dgram *d = head(a);

	assert_memory_equal(d->dst.addr, nat.pub, 4);
	memcpy(d->dst.addr, b->cfg.local.addr, 4);
	deliver(a, b);
}

static void
fwd_out(struct peer *b, struct peer *a)
{
	struct dgram *d = head(b);

	memcpy(d->src.addr, nat.pub, 4);
	deliver(b, a);
}

static void
responder_behind_nat(void **state)
{
	struct peer *a, *b;
	int i;

	(void)state;
	nat_reset();
	a = peer_new("a", 1, 2);
	b = peer_new("b", 2, 1);
	memcpy(a->cfg.remote.addr, nat.pub, 4);	/* b as a knows it */
	initiate(a);
	for (i = 0; i < 20 && (a->q != NULL || b->q != NULL); i++) {
		if (a->q != NULL)
			fwd_in(a, b);
		if (b->q != NULL)
			fwd_out(b, a);
	}
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_true(peer_sa(a)->nat_remote && !peer_sa(a)->nat_local);
	assert_true(peer_sa(b)->nat_local && !peer_sa(b)->nat_remote);
	assert_int_equal(peer_sa(a)->remote.port, 4500);
	assert_int_equal(peer_sa(b)->local.port, 4500);
	assert_int_equal(peer_sa(b)->remote.port, 4500);
	assert_all_encap(a, 4500, 4500);
	assert_all_encap(b, 4500, 4500);
	advance(a, b, 20 * 1000);
	assert_int_equal(queued(a), 0);
	assert_int_equal(queued(b), 1);
	assert_true(is_keepalive(head(b)));
	assert_int_equal(head(b)->src.port, 4500);
	assert_int_equal(head(b)->dst.port, 4500);
	assert_memory_equal(head(b)->dst.addr, a->cfg.local.addr, 4);
	drop(b);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detected_and_floated),
		cmocka_unit_test(no_nat_no_encap),
		cmocka_unit_test(keepalive_default_interval),
		cmocka_unit_test(keepalive_configured),
		cmocka_unit_test(custom_natt_port),
		cmocka_unit_test(follows_only_authentic),
		cmocka_unit_test(disabled_both),
		cmocka_unit_test(disabled_one_side),
		cmocka_unit_test(rekeys_keep_encap),
		cmocka_unit_test(responder_behind_nat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
