/* tests/exchange1/test_v1_phase1.c: IKEv1 phase 1 with preshared keys
 * between two in-process engines (core/exchange1: v1_xchg.c,
 * v1_time.c, v1_prop.c, v1_ph1.c, v1_main.c, v1_aggr.c): Main Mode and
 * Aggressive Mode come up for each cipher family with the same keys on
 * both sides; a wrong key and a missing common proposal fail as they
 * must; lost and duplicated messages are recovered; garbage is counted
 * and harms nothing; a silent peer ends the SA; and a phase-1 rekey
 * keeps the handle.  Quick Mode (started by the initiator once phase 1
 * is up) is left alone here: these tests look at phase 1 only. */
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

static const char auth_failed[] = "authentication failed";
static const char npc_hint[] =
    "no answer (peer said NO-PROPOSAL-CHOSEN, unauthenticated)";

static void
v1_pair(struct peer **a, struct peer **b, bool aggressive)
{
	*a = peer_new("a", 1, 2);
	*b = peer_new("b", 2, 1);
	peer_v1(*a, aggressive);
	peer_v1(*b, aggressive);
}

static bool
up(const struct peer *p)
{
	return event_find(p, ENGINE_EV_IKE_UP, 0) != NULL;
}

/* Delivers both ways until both have IKE_UP (what comes after, Quick
 * Mode, stays queued). */
static void
ph1_pump(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 40 && !(up(a) && up(b)); i++) {
		if (a->q != NULL)
			deliver(a, b);
		if (!(up(a) && up(b)) && b->q != NULL)
			deliver(b, a);
	}
	assert_true(up(a));
	assert_true(up(b));
}

/* The one IKEv1 SA of p, established. */
static const struct ike_sa *
v1_sa(const struct peer *p)
{
	const struct ike_sa *sa = peer_sa(p);

	assert_non_null(sa);
	assert_int_equal(sa->version, IKE_VERSION_1);
	assert_non_null(sa->v1);
	return sa;
}

static void
assert_key_eq(const struct ike_key *x, const struct ike_key *y)
{
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(x->len, y->len);
	assert_memory_equal(x->data, y->data, x->len);
}

static void
assert_ph1_mirror(const struct peer *a, const struct peer *b)
{
	const struct ike_sa *x = v1_sa(a), *y = v1_sa(b);

	assert_int_equal(x->state, IKE_SA_ESTABLISHED);
	assert_int_equal(y->state, IKE_SA_ESTABLISHED);
	assert_true(x->initiator);
	assert_false(y->initiator);
	assert_true(x->spi_i != 0 && x->spi_r != 0);
	assert_true(x->spi_i == y->spi_i && x->spi_r == y->spi_r);
	assert_int_equal(x->encr, y->encr);
	assert_int_equal(x->key_bits, y->key_bits);
	assert_int_equal(x->prf, y->prf);
	assert_int_equal(x->dh_group, y->dh_group);
	assert_key_eq(x->v1->skeyid, y->v1->skeyid);
	assert_key_eq(x->v1->k.d, y->v1->k.d);
	assert_key_eq(x->v1->k.a, y->v1->k.a);
	assert_key_eq(x->v1->k.e, y->v1->k.e);
	/* the last phase-1 CBC block, from which M-ID IVs are made */
	assert_int_equal(x->v1->block, y->v1->block);
	assert_memory_equal(x->v1->iv, y->v1->iv, x->v1->block);
	assert_true(x->v1->peer_dpd && y->v1->peer_dpd);
	assert_true(x->v1->peer_natt && y->v1->peer_natt);
	assert_false(x->nat_local || x->nat_remote);
	assert_false(y->nat_local || y->nat_remote);
}

/* ----------------------------------------------------------- modes */

static void
test_main_mode(void **state)
{
	struct peer *a, *b;

	(void)state;
	v1_pair(&a, &b, false);
	initiate(a);
	deliver(a, b);		/* HDR, SA, VID, VID */
	assert_int_equal(peer_sa(b)->state, IKE_SA_HALF_OPEN);
	assert_int_equal(peer_sa(b)->v1->step, V1_R_MM2);
	deliver(b, a);		/* <-- HDR, SA, VID, VID */
	deliver(a, b);		/* HDR, KE, Ni, NAT-D, NAT-D */
	deliver(b, a);		/* <-- HDR, KE, Nr, NAT-D, NAT-D */
	assert_int_equal(peer_sa(a)->v1->step, V1_I_MM5);
	assert_true(head(a)->buf[19] & IKEV1_F_ENC);
	deliver(a, b);		/* HDR*, IDii, HASH_I */
	assert_true(up(b));
	assert_false(up(a));
	deliver(b, a);		/* <-- HDR*, IDir, HASH_R */
	assert_true(up(a));
	assert_ph1_mirror(a, b);
	assert_int_equal(event_find(a, ENGINE_EV_IKE_UP, 0)->handle,
	    a->handle);
	assert_true(peer_sa(b)->cfg.remote_id.len == 9 &&
	    memcmp(peer_sa(b)->cfg.remote_id.data, "a.example", 9) == 0);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static void
test_aggressive_mode(void **state)
{
	struct peer *a, *b;

	(void)state;
	v1_pair(&a, &b, true);
	initiate(a);
	deliver(a, b);		/* HDR, SA, KE, Ni, IDii, VID, VID */
	assert_int_equal(peer_sa(b)->v1->step, V1_R_AM2);
	deliver(b, a);		/* <-- HDR, SA, KE, Nr, IDir, HASH_R */
	assert_true(up(a));
	assert_false(up(b));
	assert_true(head(a)->buf[19] & IKEV1_F_ENC);
	deliver(a, b);		/* HDR*, HASH_I, NAT-D, NAT-D */
	assert_true(up(b));
	assert_ph1_mirror(a, b);
	/* the responder stopped resending message 2 */
	assert_null(peer_sa(b)->out.buf);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

struct family {
	const char	*name;
	uint16_t	 encr, key_bits, prf, dh;
	size_t		 block;
};

static const struct family families[] = {
	{ "3DES/MD5/MODP-1024", ENCR_3DES, 0, PRF_HMAC_MD5, DH_MODP_1024, 8 },
	{ "AES-128/SHA1/MODP-2048", ENCR_AES_CBC, 128, PRF_HMAC_SHA1,
	    DH_MODP_2048, 16 },
	{ "AES-256/SHA2-512/ECP-384", ENCR_AES_CBC, 256, PRF_HMAC_SHA2_512,
	    DH_ECP_384, 16 },
	{ "AES-192/SHA2-384/ECP-256", ENCR_AES_CBC, 192, PRF_HMAC_SHA2_384,
	    DH_ECP_256, 16 },
};

/* Calls fn for each message k of phase 1: 1..6 of Main Mode, then 1..3
 * of Aggressive Mode. */
static void
each_message(void (*fn)(bool aggressive, unsigned int k, void *arg),
    void *arg)
{
	unsigned int k;

	for (k = 1; k <= 6; k++)
		fn(false, k, arg);
	for (k = 1; k <= 3; k++)
		fn(true, k, arg);
}

/* A new pair (with the suite of f unless NULL) whose phase 1 has come
 * as far as message k, queued on *from for *to. */
static void
pair_at(struct peer **a, struct peer **b, bool aggressive, unsigned int k,
    const struct family *f, struct peer **from, struct peer **to)
{
	v1_pair(a, b, aggressive);
	if (f != NULL) {
		peer_v1_suite(*a, f->encr, f->key_bits, f->prf, f->dh);
		peer_v1_suite(*b, f->encr, f->key_bits, f->prf, f->dh);
	}
	initiate(*a);
	v1_deliver_upto(*a, *b, k - 1);
	*from = k % 2 ? *a : *b;
	*to = k % 2 ? *b : *a;
}

/* Phase 1 comes up, once on each side, the two SAs mirror images. */
static void
assert_up_once(struct peer *a, struct peer *b)
{
	ph1_pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 1);
}

/* Phase 1 of a and b comes up with the suite encr, key_bits, prf, dh. */
static void
assert_up_with(struct peer *a, struct peer *b, uint16_t encr,
    uint16_t key_bits, uint16_t prf, uint16_t dh)
{
	ph1_pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(v1_sa(a)->encr, encr);
	assert_int_equal(v1_sa(a)->key_bits, key_bits);
	assert_int_equal(v1_sa(a)->prf, prf);
	assert_int_equal(v1_sa(a)->dh_group, dh);
}

static void
test_families(void **state)
{
	size_t i;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++)
		for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			const struct family *f = &families[i];
			struct peer *a, *b, *from, *to;

			print_message("%s %s\n", mode ? "aggressive" : "main",
			    f->name);
			pair_at(&a, &b, mode == 1, 1, f, &from, &to);
			assert_up_with(a, b, f->encr, f->key_bits, f->prf,
			    f->dh);
			assert_int_equal(v1_sa(a)->v1->block, f->block);
			peers_free(a, b);
		}
}

/* The responder takes the first of the initiator's transforms it has,
 * and the shorter lifetime. */
static void
test_proposal_choice(void **state)
{
	struct peer *a, *b;

	(void)state;
	v1_pair(&a, &b, false);
	a->cfg.props[1] = a->cfg.props[0];
	a->cfg.props[0] = (struct ike_prop_cfg){ ENCR_AES_CBC, 128, 0,
	    PRF_HMAC_SHA1 };
	a->cfg.nprops = 2;
	a->cfg.dh[1] = DH_ECP_256;
	a->cfg.ndh = 2;
	a->cfg.lifetime_s = 100000;	/* Life Duration as a TLV */
	b->cfg.dh[0] = DH_ECP_256;	/* b has AES-256/SHA2-256/ECP-256 */
	b->cfg.lifetime_s = 3600;
	initiate(a);
	assert_up_with(a, b, ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256, DH_ECP_256);
	assert_int_equal(v1_sa(b)->v1->life_s, 3600);
	assert_int_equal(v1_sa(a)->v1->life_s, 100000);
	peers_free(a, b);
}

/* ---------------------------------------------------------- failures */

/* b's key is not a's: the side that checks the first HASH (b, Main
 * Mode message 5; a, Aggressive Mode message 2) fails and says so in
 * the clear; the other does not trust that and fails when its
 * retransmissions run out. */
static void
wrong_psk(bool aggressive)
{
	struct peer *a, *b, *checker, *other;

	v1_pair(&a, &b, aggressive);
	memcpy(b->cfg.psk, "wrong horse", 11);
	b->cfg.psk_len = 11;
	checker = aggressive ? a : b;
	other = aggressive ? b : a;
	initiate(a);
	/* MM 5 does not open (or authenticate); AM 2 has the wrong HASH_R */
	v1_deliver_upto(a, b, aggressive ? 2 : 5);
	v1_assert_failed(checker, auth_failed);
	assert_int_equal(queued(checker), 1);	/* N(AUTHENTICATION-FAILED) */
	deliver(checker, other);
	assert_int_equal(v1_sa(other)->state, aggressive ? IKE_SA_HALF_OPEN :
	    IKE_SA_INIT_SENT);			/* not trusted */
	v1_run_out(a, b);
	v1_assert_failed(other, v1_auth_hint);
	if (!aggressive)
		assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	peers_free(a, b);	/* asserts nothing left in either kernel */
}

static void
test_wrong_psk_main(void **state)
{
	(void)state;
	wrong_psk(false);
}

static void
test_wrong_psk_aggressive(void **state)
{
	(void)state;
	wrong_psk(true);
}

/* The responder refuses with a plain NO-PROPOSAL-CHOSEN and keeps
 * nothing; the initiator does not believe it and fails only when its
 * retransmissions run out, naming the hint. */
static void
test_no_proposal(void **state)
{
	struct peer *a, *b;
	uint64_t rx;

	(void)state;
	v1_pair(&a, &b, false);
	peer_v1_suite(b, ENCR_3DES, 0, PRF_HMAC_SHA1, DH_MODP_2048);
	initiate(a);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(queued(b), 1);
	assert_int_equal(head(b)->buf[18], IKEV1_EXCH_INFO);
	rx = engine_stats(a->eng)->rx_packets;
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_packets, rx + 1);
	assert_int_equal(v1_sa(a)->state, IKE_SA_INIT_SENT);
	assert_int_equal(a->nev, 0);
	v1_run_out(a, b);
	v1_assert_failed(a, npc_hint);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(b->nev, 0);
	peers_free(a, b);
}

/* A peer that never answers: the initiator gives up after retrans_max
 * retransmissions with back-off; a responder left after message 1
 * expires after half_open_ms. */
static void
test_exhaustion(void **state)
{
	struct peer *a, *b;
	uint64_t t0 = hn_now;

	(void)state;
	v1_pair(&a, &b, false);
	initiate(a);
	deliver(a, b);
	drop(b);
	/* 500, 1000, 2000 ms after each send, then 4000 ms to give up */
	advance(a, b, 499);
	assert_int_equal(engine_stats(a->eng)->retransmits, 0);
	advance(a, b, 1);
	assert_int_equal(engine_stats(a->eng)->retransmits, 1);
	drop(a);
	advance(a, b, 1000);
	assert_int_equal(engine_stats(a->eng)->retransmits, 2);
	drop(a);
	advance(a, b, 2000);
	assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	drop(a);
	advance(a, b, 3999);
	assert_false(event_find(a, ENGINE_EV_IKE_FAILED, 0));
	advance(a, b, 1);
	v1_assert_failed(a, "peer not responding");
	assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	/* b still waits for message 3, until half_open_ms (30 s) */
	assert_int_equal(engine_sa_count(b->eng), 1);
	advance(a, b, t0 + 30000 - hn_now - 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	advance(a, b, 1);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(engine_stats(b->eng)->half_open_expired, 1);
	assert_non_null(event_find(b, ENGINE_EV_IKE_FAILED, 0));
	assert_int_equal(queued(a) + queued(b), 0);
	peers_free(a, b);
}


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
	pair_at(&a, &b, aggressive, k, NULL, &from, &to);
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
	assert_up_once(a, b);
	if (k % 2 == 0 && !(aggressive && k == 2))	/* b answered again */
		assert_int_equal(engine_stats(b->eng)->rx_resent, 1);
	peers_free(a, b);
}

static void
test_lost_messages(void **state)
{
	(void)state;
	each_message(lost_one, NULL);
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
	pair_at(&a, &b, aggressive, k, NULL, &from, &to);
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
	assert_up_once(a, b);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static void
test_duplicated_messages(void **state)
{
	(void)state;
	each_message(dup_one, NULL);
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
	v1_pair(&a, &b, false);
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
	sb = v1_sa(b);
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
	sb = v1_sa(b);
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
	v1_pair(&a, &b, false);
	initiate(a);
	pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	ci = v1_sa(a)->spi_i;
	cr = v1_sa(a)->spi_r;
	spi_a = v1_sa(a)->children->spi_in;
	spi_b = v1_sa(b)->children->spi_in;
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
	assert_true(v1_sa(a)->spi_i != ci && v1_sa(a)->spi_r != cr);
	assert_ptr_equal(engine_sa(a->eng, a->handle), v1_sa(a));
	assert_int_equal(v1_sa(b)->handle,
	    event_find(b, ENGINE_EV_IKE_UP, 0)->handle);
	/* the IPsec SAs moved over, untouched */
	assert_int_equal(ike_sa_child_count(v1_sa(a)), 1);
	assert_int_equal(ike_sa_child_count(v1_sa(b)), 1);
	assert_int_equal(v1_sa(a)->children->spi_in, spi_a);
	assert_int_equal(v1_sa(b)->children->spi_in, spi_b);
	assert_children_mirror(a, b);
	/* no event on either side */
	assert_int_equal(a->nev, nev_a);
	assert_int_equal(b->nev, nev_b);
	/* the new SA works: a Quick Mode on it */
	assert_int_equal(engine_create_child(a->eng, a->handle, &a->ccfg,
	    hn_now), 0);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(ike_sa_child_count(v1_sa(a)), 2);
	/* now the responder rekeys: the roles of the new phase 1 turn */
	nev_a = a->nev;
	nev_b = b->nev;
	ci = v1_sa(b)->spi_i;
	assert_int_equal(engine_rekey_ike(b->eng, v1_sa(b)->handle, hn_now),
	    0);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_true(v1_sa(b)->initiator);
	assert_false(v1_sa(a)->initiator);
	assert_true(v1_sa(b)->spi_i != ci);
	assert_ptr_equal(engine_sa(a->eng, a->handle), v1_sa(a));
	assert_int_equal(ike_sa_child_count(v1_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(v1_sa(b)), 2);
	assert_child_mirror(a, b, v1_sa(a)->children->spi_in);
	assert_child_mirror(a, b, v1_sa(a)->children->next->spi_in);
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
	v1_pair(&a, &b, false);
	a->cfg.lifetime_s = b->cfg.lifetime_s = 100;
	initiate(a);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 1);
	ci = v1_sa(a)->spi_i;
	advance(a, b, 89999);
	assert_int_equal(queued(a), 0);
	advance(a, b, 1);
	assert_int_equal(queued(a), 1);		/* Main Mode 1 */
	assert_int_equal(engine_sa_count(a->eng), 2);
	pump(a, b);
	assert_int_equal(engine_sa_count(a->eng), 1);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_true(v1_sa(a)->spi_i != ci);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 1);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(ike_sa_child_count(v1_sa(a)), 1);
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

/* A NAT in front of a (192.0.2.1), seen from b as 198.51.100.7 with
 * port 500 mapped to 40500 and 4500 to 44500. */
static const uint8_t pub_ip[4] = { 198, 51, 100, 7 };

static void
nat_out(struct peer *a, struct peer *b)
{
	struct dgram *d = head(a);

	assert_true(d->src.port == 500 || d->src.port == 4500);
	d->src.port = d->src.port == 500 ? 40500 : 44500;
	memcpy(d->src.addr, pub_ip, 4);
	deliver(a, b);
}

static void
nat_in(struct peer *b, struct peer *a)
{
	struct dgram *d = head(b);

	assert_memory_equal(d->dst.addr, pub_ip, 4);
	assert_true(d->dst.port == 40500 || d->dst.port == 44500);
	d->dst.port = d->dst.port == 40500 ? 500 : 4500;
	memcpy(d->dst.addr, a->cfg.local.addr, 4);
	deliver(b, a);
}

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
			nat_out(a, b);
		else
			nat_in(b, a);
	}
	assert_true(up(a) && up(b));
	x = v1_sa(a);
	y = v1_sa(b);
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
	assert_memory_equal(y->remote.addr, pub_ip, 4);
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


/* ------------------------------------------------------ refusals */

/* Main Mode message 1 offering only signatures (RSA, DSS): refused
 * with a plain NO-PROPOSAL-CHOSEN, no state kept. */
static void
test_sig_refused(void **state)
{
	static const uint16_t methods[] = { IKEV1_AUTH_RSA_SIG,
	    IKEV1_AUTH_DSS, IKEV1_AUTH_RSA_ENC };
	struct peer *a, *b;
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_msg *r = calloc(1, sizeof(*r));
	struct v1_hdr h;
	struct v1_pl *pl;
	struct wr w;
	size_t i;

	(void)state;
	assert_non_null(m);
	assert_non_null(r);
	v1_pair(&a, &b, false);
	memset(&h, 0, sizeof(h));
	h.icookie[0] = 0x5a;
	h.icookie[7] = 1;
	h.exchange = IKEV1_EXCH_MAIN;
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &pl), 0);
	pl->u.sa.doi = IKEV1_DOI_IPSEC;
	pl->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	assert_int_equal(v1_msg_add_prop(m, pl, 1, IKEV1_PROTO_ISAKMP, NULL,
	    0), 0);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		/* b's suite otherwise */
		assert_int_equal(v1_msg_add_xform(m, (uint8_t)(i + 1),
		    IKEV1_KEY_IKE), 0);
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_ENC,
		    IKEV1_ENC_AES_CBC), 0);
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_KEY_LEN, 256),
		    0);
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_HASH,
		    IKEV1_HASH_SHA2_256), 0);
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_AUTH,
		    methods[i]), 0);
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_GROUP,
		    DH_MODP_2048), 0);
	}
	wr_init(&w, 65535);
	assert_int_equal(v1_encode(m, &w), 0);
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, w.buf,
	    w.len);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(queued(b), 1);
	assert_int_equal(v1_decode(head(b)->buf, head(b)->len, r, NULL), 0);
	assert_int_equal(r->hdr.exchange, IKEV1_EXCH_INFO);
	assert_false(r->hdr.flags & IKEV1_F_ENC);
	assert_memory_equal(r->hdr.icookie, h.icookie, 8);
	assert_non_null(v1_msg_notify(r, IKEV1_N_NO_PROPOSAL_CHOSEN));
	/* the same with PSK as the second method is accepted */
	wr_free(&w);
	drop(b);
	m->attr[m->xf[1].attr0 + 3].value = IKEV1_AUTH_PSK;
	wr_init(&w, 65535);
	assert_int_equal(v1_encode(m, &w), 0);
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, w.buf,
	    w.len);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_int_equal(v1_decode(head(b)->buf, head(b)->len, r, NULL), 0);
	assert_int_equal(r->hdr.exchange, IKEV1_EXCH_MAIN);
	assert_int_equal(r->nxf, 1);
	assert_int_equal(r->xf[0].num, 2);
	wr_free(&w);
	free(m);
	free(r);
	peers_free(a, b);
}

/* Configurations IKEv1 phase 1 cannot run, each a change to a good
 * one; want: the error, or 0 for any. */
enum cfg_bad { BAD_NO_PSK, BAD_NO_CERT, BAD_METHOD, BAD_GCM, BAD_XCBC,
	BAD_MODP768, BAD_KEY_BITS, BAD_ID_TYPE, NBAD };
static const int cfg_bad_want[NBAD] = { IKE_EINVAL, IKE_EINVAL,
	IKE_EINVAL, 0, 0, 0, 0, 0 };

static void
cfg_break(struct ike_cfg *c, enum cfg_bad i)
{
	switch (i) {
	case BAD_NO_PSK:	/* a preshared key without the key */
		c->psk_len = 0;
		break;
	case BAD_NO_CERT:	/* the engine has no certificate */
		c->auth = CFG_AUTH_RSA_SIG;
		break;
	case BAD_METHOD:	/* no such method */
		c->auth = CFG_AUTH_ECDSA_SIG + 1;
		break;
	case BAD_GCM:
		c->props[0].encr = ENCR_AES_GCM_16;
		break;
	case BAD_XCBC:
		c->props[0].prf = PRF_AES128_XCBC;
		break;
	case BAD_MODP768:
		c->dh[0] = DH_MODP_768;
		break;
	case BAD_KEY_BITS:
		c->props[0].key_bits = 100;
		break;
	default:	/* IPV4_ADDR_SUBNET: not an identity */
		c->local_id.type = 4;
		break;
	}
}

/* Configurations IKEv1 phase 1 cannot run are refused at the start. */
static void
test_cfg_refused(void **state)
{
	struct peer *a, *b;
	struct ike_cfg c;
	uint32_t h;
	int i, rc;

	(void)state;
	v1_pair(&a, &b, false);
	for (i = 0; i < NBAD; i++) {
		c = a->cfg;
		cfg_break(&c, (enum cfg_bad)i);
		rc = engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h);
		if (cfg_bad_want[i] != 0)
			assert_int_equal(rc, cfg_bad_want[i]);
		else
			assert_int_not_equal(rc, 0);
	}
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(queued(a), 0);
	ike_cfg_wipe(&c);
	peers_free(a, b);
}

/* An IKEv2 responder configuration does not answer IKEv1. */
static void
test_version_mismatch(void **state)
{
	struct peer *a, *b;

	(void)state;
	v1_pair(&a, &b, false);
	b->cfg.version = IKE_VERSION_2;
	initiate(a);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(queued(b), 0);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 1);
	peers_free(a, b);
}

/* The responder checks IDii against the configured remote identity;
 * the initiator IDir. */
static void
test_wrong_identity(void **state)
{
	struct peer *a, *b;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		v1_pair(&a, &b, mode == 1);
		memcpy(b->cfg.remote_id.data, "x", 1);
		initiate(a);
		v1_deliver_upto(a, b, mode == 0 ? 5 : 1);
		v1_assert_failed(b, auth_failed);
		peers_free(a, b);
		/* the initiator refuses the responder's identity */
		v1_pair(&a, &b, mode == 1);
		memcpy(a->cfg.remote_id.data, "x", 1);
		initiate(a);
		v1_deliver_upto(a, b, mode == 0 ? 5 : 2);
		if (mode == 0) {
			assert_true(up(b));	/* it cannot know */
			deliver(b, a);
		}
		v1_assert_failed(a, auth_failed);
		peers_free(a, b);
	}
}

/* A responder with a directory of identities (the peer_id callback):
 * in Aggressive Mode it picks the key by IDii; in Main Mode the key is
 * in use before IDii is seen, so it must be the one configured. */
static void
test_id_directory(void **state)
{
	struct peer *a, *b;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		v1_pair(&a, &b, mode == 1);
		peer_use_id_directory(b);
		b->known_id = a->cfg.local_id;
		memcpy(b->known_psk, a->cfg.psk, a->cfg.psk_len);
		b->known_psk_len = a->cfg.psk_len;
		if (mode == 1) {	/* the configured key is not a's */
			memcpy(b->cfg.psk, "other key", 9);
			b->cfg.psk_len = 9;
		}
		initiate(a);
		ph1_pump(a, b);
		assert_int_equal(b->peer_id_calls, 1);
		assert_ph1_mirror(a, b);
		peers_free(a, b);
		/* Main Mode with a directory key other than the configured
		 * one: refused */
		v1_pair(&a, &b, mode == 1);
		peer_use_id_directory(b);
		b->known_id = a->cfg.local_id;
		memcpy(b->known_psk, "other key", 9);
		b->known_psk_len = 9;
		initiate(a);
		/* Main Mode: b refuses message 5; Aggressive Mode: a
		 * refuses HASH_R, made with the other key */
		v1_deliver_upto(a, b, mode == 0 ? 5 : 2);
		v1_assert_failed(mode == 0 ? b : a, auth_failed);
		peers_free(a, b);
	}
}

/* A Quick Mode message the peer never answers is resent with back-off
 * and, after retrans_max, the IPsec SA fails; the ISAKMP SA stays. */
static void
test_ph2_exhaustion(void **state)
{
	struct peer *a, *b;
	uint64_t re;
	int i;

	(void)state;
	v1_pair(&a, &b, false);
	initiate(a);
	ph1_pump(a, b);
	assert_true(queued(a) >= 1);	/* Quick Mode 1 (and notices) */
	while (a->q != NULL)
		drop(a);
	re = engine_stats(a->eng)->retransmits;
	advance(a, b, 500);
	assert_int_equal(engine_stats(a->eng)->retransmits, re + 1);
	assert_int_equal(queued(a), 1);
	assert_int_equal(head(a)->buf[18], IKEV1_EXCH_QUICK);
	drop(a);
	for (i = 0; i < 20; i++) {
		advance(a, b, 1000);
		while (a->q != NULL)
			drop(a);
	}
	assert_int_equal(engine_stats(a->eng)->retransmits, re + 3);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_FAILED, 0));
	assert_string_equal(event_find(a, ENGINE_EV_CHILD_FAILED, 0)->reason,
	    "peer not responding");
	assert_int_equal(v1_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_null(v1_sa(a)->v1->ph2);
	peers_free(a, b);
}


/* Aggressive Mode message 3 in the clear (as some peers send it) is
 * accepted as well; with a wrong HASH_I it is not. */
static void
plain_am3(bool tamper)
{
	struct peer *a, *b;
	struct v1_msg *m = calloc(1, sizeof(*m)), *p = calloc(1, sizeof(*p));
	uint8_t next[16], *pt = NULL, hash[64];
	const struct ike_sa *sb;
	struct v1_pl *pl;
	size_t pt_len = 0, i;
	struct wr w;

	assert_non_null(m);
	assert_non_null(p);
	v1_pair(&a, &b, true);
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	assert_true(up(a));
	/* b's chain still holds the phase-1 IV a sealed message 3 with */
	sb = v1_sa(b);
	assert_int_equal(v1_decode(head(a)->buf, head(a)->len, m, NULL), 0);
	assert_int_equal(v1_open(sb, m, sb->v1->iv, next, &pt, &pt_len), 0);
	v1_msg_init(p, &m->hdr);
	p->hdr.flags = 0;
	for (i = 0; i < m->npl; i++) {
		assert_int_equal(v1_msg_add(p, m->pl[i].type, &pl), 0);
		pl->u.data = m->pl[i].u.data;
		if (m->pl[i].type == IKEV1_PL_HASH) {
			memcpy(hash, pl->u.data.p, pl->u.data.len);
			hash[0] ^= tamper ? 1 : 0;
			pl->u.data.p = hash;
		}
	}
	wr_init(&w, 65535);
	assert_int_equal(v1_encode(p, &w), 0);
	drop(a);
	engine_input(b->eng, hn_now, &a->cfg.local, &b->cfg.local, w.buf,
	    w.len);
	if (tamper) {
		v1_assert_failed(b, auth_failed);
	} else {
		assert_true(up(b));
		assert_int_equal(v1_sa(b)->state, IKE_SA_ESTABLISHED);
		assert_key_eq(v1_sa(a)->v1->k.e, v1_sa(b)->v1->k.e);
	}
	wr_free(&w);
	v1_pt_free(pt, pt_len);
	free(m);
	free(p);
	peers_free(a, b);
}

static void
test_aggressive_plain_msg3(void **state)
{
	(void)state;
	plain_am3(false);
	plain_am3(true);
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
	static const struct family f = { "AES-128/SHA1/ECP-256", ENCR_AES_CBC,
		128, PRF_HMAC_SHA1, DH_ECP_256, 16 };
	uint32_t *seed = arg;
	struct peer *a, *b, *from, *to;
	struct dgram *d;
	uint8_t *buf;
	uint64_t rx;
	unsigned int i, j;
	size_t len;

	pair_at(&a, &b, aggressive, k, &f, &from, &to);
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
	each_message(mutate_one, &seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_mode),
		cmocka_unit_test(test_aggressive_mode),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_proposal_choice),
		cmocka_unit_test(test_wrong_psk_main),
		cmocka_unit_test(test_wrong_psk_aggressive),
		cmocka_unit_test(test_no_proposal),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_lost_messages),
		cmocka_unit_test(test_duplicated_messages),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_half_open_limit),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_rekey_by_lifetime),
		cmocka_unit_test(test_natt),
		cmocka_unit_test(test_sig_refused),
		cmocka_unit_test(test_cfg_refused),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_wrong_identity),
		cmocka_unit_test(test_id_directory),
		cmocka_unit_test(test_ph2_exhaustion),
		cmocka_unit_test(test_aggressive_plain_msg3),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
