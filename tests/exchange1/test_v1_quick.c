/* tests/exchange1/test_v1_quick.c: IKEv1 Quick Mode (RFC 2409 s. 5.5)
 * between two in-process engines:
 *
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]  -->
 *                  <--  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *                                            [, N(RESPONDER-LIFETIME)]
 *   HDR*, HASH(3)  -->
 *
 * after Main or Aggressive Mode: both IPsec SAs mirror each other in
 * the two kernels (SPIs, algorithms, KEYMAT per direction recomputed,
 * selectors, policies), with and without PFS, tunnel and transport,
 * ESP and AH, UDP-encapsulated behind a NAT, several at once; lost,
 * duplicated and forged messages; refusals (nothing installed
 * anywhere); the commit bit.  Lifetimes and rekeying are in
 * test_v1_qm_life.c, the proposal and ID encodings in test_v1_child.c. */
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
#include "core/codec/wr.h"
#include "core/crypto/cipher.h"
#include "core/crypto/crypto.h"
#include "core/crypto/dh.h"
#include "core/crypto/ikev1_kdf.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "v1_util.h"
#include "v1_test.h"

/* -------------------------------------------------------- helpers */

/* KEYMAT of c on p recomputed from SKEYID_d, the protocol, the SPI of
 * each direction's receiver and the nonces (RFC 2409 s. 5.5, no PFS):
 * equal to the kernel's keys (!pfs), or not (pfs: g(qm)^xy is in). */
static void
assert_keymat(struct peer *p, const struct child_sa *c, bool pfs)
{
	const struct ike_sa *sa = peer_sa(p);
	struct ikev1_qm_in in = { NULL, 0, c->proto, c->spi_in, c->ni, c->nr,
	    c->ni_len, c->nr_len };
	const struct mem_sa *s[2];
	struct ikev1_sa_keys k;
	int i;

	s[0] = v1_kernel_sa(p, &sa->local, c->spi_in, IPPROTO_ESP);
	s[1] = v1_kernel_sa(p, &sa->remote, c->spi_out, IPPROTO_ESP);
	assert_true(s[0] != NULL && s[1] != NULL);
	for (i = 0; i < 2; i++) {
		in.spi = i == 0 ? c->spi_in : c->spi_out;
		assert_int_equal(ikev1_sa_keys(sa->prf, CRYPTO_F_LEGACY,
		    sa->v1->k.d, &in, 32, 32, &k), 0);
		assert_int_equal(s[i]->sa.encr_key->len, 32);
		if (pfs)
			assert_memory_not_equal(k.enc->data,
			    s[i]->sa.encr_key->data, 32);
		else {
			assert_memory_equal(k.enc->data,
			    s[i]->sa.encr_key->data, 32);
			assert_memory_equal(k.auth->data,
			    s[i]->sa.integ_key->data, 32);
		}
		ikev1_sa_keys_free(&k);
	}
}

/* ------------------------------------------------------------ tests */

static void
qm_main(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	v1_up(a, b, false);
	assert_children_mirror(a, b);
	assert_keymat(a, peer_sa(a)->children, false);
	assert_keymat(b, peer_sa(b)->children, false);
	/* no lifetime configured or proposed: RFC 2407 s. 4.5's 8 hours,
	 * on both sides and in both kernels */
	assert_int_equal(peer_sa(a)->children->cfg.lifetime_s, 28800);
	assert_int_equal(peer_sa(b)->children->cfg.lifetime_s, 28800);
	assert_int_equal(v1_kernel_sa(a, &peer_sa(a)->local,
	    peer_sa(a)->children->spi_in, IPPROTO_ESP)->sa.hard.add_s, 28800);
	assert_int_equal(v1_kernel_sa(b, &peer_sa(b)->local,
	    peer_sa(b)->children->spi_in, IPPROTO_ESP)->sa.hard.add_s, 28800);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, 0);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static void
qm_aggressive(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	v1_up(a, b, true);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* PFS: KE (of the group's length) in messages 1 and 2, g(qm)^xy in
 * KEYMAT: the keys mirror, and are not those of the formula without
 * it. */
static void
pfs(uint16_t group)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	struct v1_msg *m;
	const struct v1_pl *ke;
	uint8_t iv[CIPHER_MAX_BLOCK], *pt;
	size_t len;
	const struct child_sa *c;

	a->ccfg.pfs_group = group;
	b->ccfg.pfs_group = group;
	v1_start_qm(a, b, &cc);
	m = v1_peek(a, peer_sa(a), true, iv, &pt, &len);
	ke = v1_msg_find(m, IKEV1_PL_KE, NULL);
	assert_non_null(ke);
	assert_int_equal(ke->u.data.len, dh_public_len(group));
	v1_unpeek(m, pt, len);
	deliver(a, b);
	m = v1_peek(b, peer_sa(a), false, iv, &pt, &len);
	ke = v1_msg_find(m, IKEV1_PL_KE, NULL);
	assert_non_null(ke);
	assert_int_equal(ke->u.data.len, dh_public_len(group));
	v1_unpeek(m, pt, len);
	pump(a, b);
	v1_assert_two_children(a, b);
	for (c = peer_sa(a)->children; c != NULL; c = c->next)
		assert_keymat(a, c, true);
	for (c = peer_sa(b)->children; c != NULL; c = c->next)
		assert_keymat(b, c, true);
	assert_int_equal(peer_sa(b)->children->cfg.pfs_group, group);
	peers_free(a, b);
}

static void
qm_pfs_modp2048(void **state)
{
	(void)state;
	pfs(DH_MODP_2048);
}

static void
qm_pfs_ecp256(void **state)
{
	(void)state;
	pfs(DH_ECP_256);
}

/* The initiator wants PFS, the responder takes only another group
 * (IPSec_ResponderDHGroup): refused. */
static void
qm_pfs_mismatch(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	a->ccfg.pfs_group = DH_ECP_256;
	b->ccfg.resp_dh = DH_MODP_2048;
	v1_up_ph1(a, b, false);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV1_N_NO_PROPOSAL_CHOSEN);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

static void
qm_transport(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	a->ccfg.mode = PLAT_TRANSPORT;
	b->ccfg.mode = PLAT_TRANSPORT;
	ts_v4(&a->ccfg.local_ts, 192, 0, 2, 1, 192, 0, 2, 1);
	ts_v4(&a->ccfg.remote_ts, 192, 0, 2, 2, 192, 0, 2, 2);
	b->ccfg.local_ts = a->ccfg.remote_ts;
	b->ccfg.remote_ts = a->ccfg.local_ts;
	v1_up(a, b, false);
	assert_children_mirror(a, b);
	assert_int_equal(peer_sa(a)->children->mode, PLAT_TRANSPORT);
	assert_int_equal(peer_sa(b)->children->mode, PLAT_TRANSPORT);
	peers_free(a, b);
}

/* The initiator asks for transport mode, the responder has only tunnel
 * mode: IKEv1 cannot change the proposal's mode, so it is refused. */
static void
qm_transport_refused(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	a->ccfg.mode = PLAT_TRANSPORT;
	v1_up_ph1(a, b, false);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_FAILED, 0));
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

static void
use_ah(struct peer *p)
{
	p->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_256_128 };
	p->ccfg.nprops = 1;
}

static void
assert_key_eq(const struct ike_key *x, const struct ike_key *y)
{
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(x->len, y->len);
	assert_memory_equal(x->data, y->data, x->len);
}

/* AH: KEYMAT holds only the integrity key of each direction. */
static void
qm_ah(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct ike_sa *x, *y;
	const struct child_sa *ca;
	const struct mem_sa *ain, *aout, *bin, *bout;

	(void)state;
	use_ah(a);
	use_ah(b);
	v1_up(a, b, false);
	x = peer_sa(a);
	y = peer_sa(b);
	ca = x->children;
	assert_int_equal(ca->proto, IKEV1_PROTO_AH);
	ain = v1_kernel_sa(a, &x->local, ca->spi_in, IPPROTO_AH);
	aout = v1_kernel_sa(a, &x->remote, ca->spi_out, IPPROTO_AH);
	bin = v1_kernel_sa(b, &y->local, ca->spi_out, IPPROTO_AH);
	bout = v1_kernel_sa(b, &y->remote, ca->spi_in, IPPROTO_AH);
	assert_true(ain && aout && bin && bout);
	assert_null(ain->sa.encr_key);
	assert_int_equal(ain->sa.integ_alg, AUTH_HMAC_SHA2_256_128);
	assert_key_eq(ain->sa.integ_key, bout->sa.integ_key);
	assert_key_eq(aout->sa.integ_key, bin->sa.integ_key);
	assert_int_equal(ain->sa.integ_key->len, 32);
	assert_memory_not_equal(ain->sa.integ_key->data,
	    aout->sa.integ_key->data, 32);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	peers_free(a, b);
}

/* AH offered first, ESP second; the responder does ESP only: the
 * answer names the ESP proposal, whose SPI (reserved for the other
 * protocol) becomes the IPsec SA's, and the AH one is released. */
static void
qm_mixed_protocols(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);

	(void)state;
	a->ccfg.props[1] = a->ccfg.props[0];
	a->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_256_128 };
	a->ccfg.nprops = 2;
	v1_up(a, b, false);
	assert_int_equal(peer_sa(a)->children->proto, IKEV1_PROTO_ESP);
	assert_int_equal(peer_sa(a)->children->spi_alt, 0);
	assert_children_mirror(a, b);	/* and nothing else reserved */
	peers_free(a, b);
}

/* Legacy algorithms where IKEv1 peers still use them: phase 1 with
 * 3DES, MD5 and MODP-1024, Quick Mode with PFS in MODP-1536 (KEYMAT
 * with the MD5 PRF).  Legacy IPsec SA algorithms (3DES, HMAC-MD5-96)
 * stay refused, as child_cfg_check() does for IKEv2. */
static void
qm_legacy(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	peer_v1_suite(a, ENCR_3DES, 0, PRF_HMAC_MD5, DH_MODP_1024);
	peer_v1_suite(b, ENCR_3DES, 0, PRF_HMAC_MD5, DH_MODP_1024);
	a->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP,
	    ENCR_AES_CBC, 128, AUTH_HMAC_SHA1_96 };
	b->ccfg.props[0] = a->ccfg.props[0];
	a->ccfg.pfs_group = DH_MODP_1536;
	b->ccfg.pfs_group = DH_MODP_1536;
	v1_up(a, b, false);
	assert_int_equal(peer_sa(a)->prf, PRF_HMAC_MD5);
	assert_children_mirror(a, b);
	cc = a->ccfg;
	cc.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP, ENCR_3DES, 0,
	    AUTH_HMAC_MD5_96 };
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, &cc,
	    hn_now), IKE_EUNSUPP);
	assert_int_equal(queued(a), 0);
	peers_free(a, b);
}

/* Three Quick Modes at once under one ISAKMP SA, each with its
 * Message ID: messages interleave and all three come up. */
static void
qm_several(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg c2, c3;
	const struct child_sa *c;

	(void)state;
	v1_up(a, b, false);
	c2 = a->ccfg;
	ts_v4(&c2.local_ts, 10, 1, 1, 0, 10, 1, 1, 255);
	ts_v4(&c2.remote_ts, 10, 2, 1, 0, 10, 2, 1, 255);
	c3 = a->ccfg;
	c3.pfs_group = DH_ECP_256;
	ts_v4(&c3.local_ts, 10, 1, 2, 7, 10, 1, 2, 7);
	c3.local_ts.proto = IPPROTO_TCP;
	c3.local_ts.sport = c3.local_ts.eport = 22;
	ts_v4(&c3.remote_ts, 10, 2, 0, 0, 10, 2, 255, 255);
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, &c2,
	    hn_now), 0);
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, &c3,
	    hn_now), 0);
	assert_int_equal(queued(a), 2);
	reorder(a);	/* the second's message 1 arrives first */
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 3);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 3);
	for (c = peer_sa(a)->children; c != NULL; c = c->next)
		assert_child_mirror(a, b, c->spi_in);
	assert_int_equal(mem_sa_count(a->plat), 6);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 3);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 3);
	/* the port and protocol went through the IDs */
	for (c = peer_sa(b)->children; c != NULL; c = c->next)
		if (c->ts_remote.proto == IPPROTO_TCP)
			break;
	assert_non_null(c);
	assert_int_equal(c->ts_remote.sport, 22);
	assert_int_equal(c->ts_remote.eport, 22);
	assert_int_equal(c->ts_local.proto, IPPROTO_TCP);
	peers_free(a, b);
}

/* Message n (1..3) lost once: retransmission brings the IPsec SA up. */
static void
lose(int n)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct peer *answering;
	struct child_cfg cc;
	uint64_t resent;

	v1_start_qm(a, b, &cc);
	answering = n == 2 ? b : a;	/* sees its peer's message again */
	resent = engine_stats(answering->eng)->rx_resent;
	if (n >= 2)
		deliver(a, b);	/* message 1 */
	if (n == 3)
		deliver(b, a);	/* message 2 */
	drop(n == 2 ? b : a);
	assert_int_equal(queued(a) + queued(b), 0);
	advance(a, b, 600);	/* the side waiting for an answer resends */
	pump(a, b);
	v1_assert_two_children(a, b);
	if (n >= 2)	/* the peer's repeated message got our answer again */
		assert_int_equal(engine_stats(answering->eng)->rx_resent,
		    resent + 1);
	peers_free(a, b);
}

static void
qm_lost_1(void **state)
{
	(void)state;
	lose(1);
}

static void
qm_lost_2(void **state)
{
	(void)state;
	lose(2);
}

static void
qm_lost_3(void **state)
{
	(void)state;
	lose(3);
}

/* The responder never answers: after the retransmissions the Quick
 * Mode fails, its reserved SPI is released, the ISAKMP SA stays. */
static void
qm_no_answer(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	struct child_cfg cc;
	int i;

	(void)state;
	v1_start_qm(a, b, &cc);
	assert_int_equal(mem_larval_count(a->plat), 1);
	for (i = 0; i < 20 && event_find(a, ENGINE_EV_CHILD_FAILED, 0) ==
	    NULL; i++) {
		while (queued(a) > 0)
			drop(a);
		advance(a, b, 5000);
	}
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer not responding");
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	advance(a, b, 120 * 1000);	/* finished records go too */
	assert_null(peer_sa(a)->v1->ph2);
	peers_free(a, b);
}

/* Every Quick Mode message twice: answered once more, installed once. */
static void
qm_duplicated(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	uint64_t ra, rb, ma, mb;

	(void)state;
	v1_start_qm(a, b, &cc);
	ra = engine_stats(a->eng)->rx_resent;
	rb = engine_stats(b->eng)->rx_resent;
	ma = engine_stats(a->eng)->rx_malformed;
	mb = engine_stats(b->eng)->rx_malformed;
	duplicate(a);
	deliver(a, b);
	deliver(a, b);	/* message 1 again: message 2 again */
	assert_int_equal(queued(b), 2);
	assert_int_equal(engine_stats(b->eng)->rx_resent, rb + 1);
	deliver(b, a);	/* message 2 */
	deliver(b, a);	/* again: HASH(3) again */
	assert_int_equal(engine_stats(a->eng)->rx_resent, ra + 1);
	assert_int_equal(queued(a), 2);
	deliver(a, b);
	deliver(a, b);	/* HASH(3) again: nothing more to say */
	assert_int_equal(queued(b), 0);
	v1_assert_two_children(a, b);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, ma);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, mb);
	peers_free(a, b);
}

/* Message 1 with one bit changed in its ciphertext: it does not open
 * or its HASH(1) fails; counted and dropped; nothing reserved; the
 * retransmission still works. */
static void
qm_bad_hash1(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	struct dgram *d;
	uint64_t before;

	(void)state;
	v1_start_qm(a, b, &cc);
	d = head(a);
	d->buf[d->len - 20] ^= 0x01;
	before = engine_stats(b->eng)->rx_malformed;
	deliver(a, b);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, before + 1);
	assert_int_equal(queued(b), 0);
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 1);
	advance(a, b, 600);
	pump(a, b);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* A HASH(3) that fails: the responder installs nothing. */
static void
qm_bad_hash3(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	struct dgram *d;
	uint64_t mal;

	(void)state;
	v1_start_qm(a, b, &cc);
	mal = engine_stats(b->eng)->rx_malformed;
	deliver(a, b);
	deliver(b, a);
	d = head(a);
	d->buf[d->len - 1] ^= 0x80;
	deliver(a, b);
	assert_int_equal(engine_stats(b->eng)->rx_malformed, mal + 1);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 1);
	peers_free(a, b);
}

/* No common proposal: the responder says NO-PROPOSAL-CHOSEN in an
 * Informational; the initiator reports CHILD_FAILED at once; no kernel
 * state anywhere (reserved SPIs released). */
static void
qm_no_proposal(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	b->ccfg.props[0].key_bits = 128;
	v1_up_ph1(a, b, false);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV1_N_NO_PROPOSAL_CHOSEN);
	assert_non_null(event_find(b, ENGINE_EV_CHILD_FAILED, 0));
	assert_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_null(peer_sa(a)->v1->ph2);
	peers_free(a, b);
}

/* The initiator's selectors are not inside the responder's: IKEv1 has
 * no narrowing, INVALID-ID-INFORMATION. */
static void
qm_wrong_selectors(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	ts_v4(&b->ccfg.remote_ts, 10, 1, 0, 0, 10, 1, 0, 255);
	v1_up_ph1(a, b, false);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV1_N_INVALID_ID_INFORMATION);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

/* The commit bit on message 1: the responder answers HASH(3) with
 * CONNECTED (message 4), which the initiator takes quietly. */
static void
qm_commit_bit(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct child_cfg cc;
	uint64_t mal, dropped;

	(void)state;
	v1_start_qm(a, b, &cc);
	mal = engine_stats(a->eng)->rx_malformed;
	dropped = engine_stats(a->eng)->rx_dropped;
	head(a)->buf[19] |= IKEV1_F_COMMIT;	/* flags: not in HASH(1) */
	deliver(a, b);
	deliver(b, a);
	deliver(a, b);	/* HASH(3) */
	assert_int_equal(queued(b), 1);	/* CONNECTED */
	deliver(b, a);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_stats(a->eng)->rx_malformed, mal);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, dropped);
	v1_assert_two_children(a, b);
	peers_free(a, b);
}

/* No Quick Mode on an SA that is not established. */
static void
qm_not_established(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct ike_sa *sa;

	(void)state;
	v1_up(a, b, false);
	sa = v1_sa(a);
	sa->state = IKE_SA_DELETING;
	assert_int_equal(engine_create_child(a->eng, sa->handle, &a->ccfg,
	    hn_now), IKE_ESTATE);
	sa->state = IKE_SA_ESTABLISHED;
	peers_free(a, b);
}

/* ------------------------------------------------ NAT traversal */

static void
nat_pump(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 100 && (a->q != NULL || b->q != NULL); i++) {
		if (a->q != NULL && head(a)->len == 1)
			drop(a);	/* a NAT keepalive */
		else if (a->q != NULL)
			nat_out(&nat_default, a, b);
		if (b->q != NULL)
			nat_in(&nat_default, b, a);
	}
	assert_true(a->q == NULL && b->q == NULL);
}

/* c's kernel SAs on p, UDP-encapsulated with ports (ours, theirs). */
static void
assert_encap(struct peer *p, const struct child_sa *c, uint16_t ours,
    uint16_t theirs)
{
	const struct ike_sa *sa = peer_sa(p);
	const struct mem_sa *in = v1_kernel_sa(p, &sa->local, c->spi_in,
	    IPPROTO_ESP);
	const struct mem_sa *out = v1_kernel_sa(p, &sa->remote, c->spi_out,
	    IPPROTO_ESP);

	assert_true(in != NULL && out != NULL);
	assert_int_equal(out->sa.natt_sport, ours);
	assert_int_equal(out->sa.natt_dport, theirs);
	assert_int_equal(in->sa.natt_sport, theirs);
	assert_int_equal(in->sa.natt_dport, ours);
}

/* Behind a NAT (RFC 3947 s. 5.1): the Quick Mode proposes
 * UDP-Encapsulated-Tunnel, and both kernels get ESP in UDP between
 * the ISAKMP SA's NAT-T ports. */
static void
qm_natt(void **state)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	struct v1_xf_attrs at;
	struct v1_msg *m;
	uint8_t iv[CIPHER_MAX_BLOCK], *pt;
	size_t len;

	(void)state;
	b->any_remote = true;	/* a comes from the NAT's address */
	initiate(a);
	nat_pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_true(peer_sa(a)->nat_local);
	assert_true(peer_sa(b)->nat_remote);
	assert_encap(a, peer_sa(a)->children, 4500, 4500);
	assert_encap(b, peer_sa(b)->children, 4500, 44500);
	/* a second Quick Mode, looked at on the way */
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle,
	    &a->ccfg, hn_now), 0);
	m = v1_peek(a, peer_sa(a), true, iv, &pt, &len);
	assert_int_equal(v1_child_attrs(m, &m->xf[0], &at), 0);
	assert_int_equal(at.encap, IKEV1_ENCAP_UDP_TUNNEL);
	v1_unpeek(m, pt, len);
	nat_pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	assert_encap(a, peer_sa(a)->children->next, 4500, 4500);
	assert_encap(b, peer_sa(b)->children->next, 4500, 44500);
	peers_free(a, b);
}

/* ---------------------------------------------- hostile message 1 */

/* A Quick Mode message 1 as a's SA would send it (authentic HASH(1)),
 * with content a never would. */
struct qm1 {
	uint8_t		 proto, xf;	/* the one proposal */
	bool		 bundle;	/* a second proposal, same number */
	bool		 fqdn;		/* client IDs of type FQDN */
	bool		 ke;		/* KE without a Group Description */
	bool		 rounds;	/* an attribute we do not know */
};

static void
add_xf(struct v1_msg *m, uint8_t id, bool rounds)
{
	assert_int_equal(v1_msg_add_xform(m, 1, id), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_ENCAP,
	    IKEV1_ENCAP_TUNNEL), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_AUTH,
	    IKEV1_IAUTH_HMAC_SHA2_256), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_KEY_LEN, 256), 0);
	if (rounds)
		assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_KEY_ROUNDS, 8),
		    0);
}

static void
add_ids(struct v1_msg *m, const struct peer *a, bool fqdn,
    struct v1_qm_store *st)
{
	static const uint8_t name[] = "evil.example";
	struct v1_pl *pl;
	int i;

	if (!fqdn) {
		assert_int_equal(v1_child_put_ids(m, &a->ccfg.local_ts,
		    &a->ccfg.remote_ts, st), 0);
		return;
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(v1_msg_add(m, IKEV1_PL_ID, &pl), 0);
		pl->u.id.type = IKEV1_ID_FQDN;
		pl->u.id.data = (struct ike_slice){ name, sizeof(name) - 1 };
	}
}

static void
inject_qm1(struct peer *a, struct peer *b, const struct qm1 *q)
{
	static const uint8_t spi[4] = { 0, 0, 0x42, 0x42 };
	static const uint8_t spi2[4] = { 0, 0, 0x43, 0x43 };
	static uint8_t nonce[32], ke[256];
	struct ike_sa *sa = v1_sa(a);
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_qm_store st;
	uint8_t iv[CIPHER_MAX_BLOCK];
	struct v1_hdr h;
	struct v1_pl *pl;
	struct wr w;

	assert_non_null(m);
	memset(nonce, 0x5a, sizeof(nonce));
	memset(ke, 0x17, sizeof(ke));
	v1_hdr_for(sa, IKEV1_EXCH_QUICK, 0x0a0b0c0d, &h);
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_HASH, &pl), 0);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &pl), 0);
	pl->u.sa.doi = IKEV1_DOI_IPSEC;
	pl->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	assert_int_equal(v1_msg_add_prop(m, pl, 1, q->proto, spi, 4), 0);
	add_xf(m, q->xf, q->rounds);
	if (q->bundle) {
		assert_int_equal(v1_msg_add_prop(m, pl, 1, IKEV1_PROTO_AH,
		    spi2, 4), 0);
		assert_int_equal(v1_msg_add_xform(m, 1, IKEV1_AH_SHA2_256),
		    0);
	}
	assert_int_equal(v1_msg_add(m, IKEV1_PL_NONCE, &pl), 0);
	pl->u.data = (struct ike_slice){ nonce, sizeof(nonce) };
	if (q->ke) {
		assert_int_equal(v1_msg_add(m, IKEV1_PL_KE, &pl), 0);
		pl->u.data = (struct ike_slice){ ke, sizeof(ke) };
	}
	add_ids(m, a, q->fqdn, &st);
	assert_int_equal(v1_crypt_msgid_iv(sa, h.msgid, iv), 0);
	wr_init(&w, 65535);
	assert_int_equal(v1_seal_hashed(sa, m, V1_HASH_1, NULL, 0, NULL, 0,
	    iv, &w), 0);
	engine_input(b->eng, hn_now, &sa->local, &sa->remote, w.buf, w.len);
	wr_free(&w);
	free(m);
}

/* b refuses with notify and its Informational says so; nothing of b's
 * changes; a, who started no such Quick Mode, counts it. */
static void
hostile(const struct qm1 *q, uint16_t notify)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;
	const struct v1_pl *n;
	struct v1_msg *m;
	uint8_t iv[CIPHER_MAX_BLOCK], *pt;
	size_t len;
	uint64_t dropped;

	v1_up(a, b, false);
	inject_qm1(a, b, q);
	ev = event_find(b, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, notify);
	assert_int_equal(queued(b), 1);
	m = v1_peek(b, peer_sa(b), true, iv, &pt, &len);
	assert_int_equal(m->hdr.exchange, IKEV1_EXCH_INFO);
	n = v1_msg_find(m, IKEV1_PL_N, NULL);
	assert_non_null(n);
	assert_int_equal(n->u.notify.type, notify);
	assert_int_equal(n->u.notify.spi.len, 4);
	assert_memory_equal(n->u.notify.spi.p, "\x00\x00\x42\x42", 4);
	v1_unpeek(m, pt, len);
	dropped = engine_stats(a->eng)->rx_dropped;
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_dropped, dropped + 1);
	assert_null(event_find(a, ENGINE_EV_CHILD_FAILED, 0));
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_null(v1_ph2_find(peer_sa(b)->v1, 0x0a0b0c0d));
	assert_children_mirror(a, b);
	peers_free(a, b);
}

static void
qm_hostile_transform(void **state)
{
	struct qm1 q = { IKEV1_PROTO_ESP, 99, false, false, false, false };

	(void)state;
	hostile(&q, IKEV1_N_NO_PROPOSAL_CHOSEN);
}

static void
qm_hostile_attribute(void **state)
{
	struct qm1 q = { IKEV1_PROTO_ESP, IKEV1_ESP_AES, false, false, false,
	    true };

	(void)state;
	hostile(&q, IKEV1_N_NO_PROPOSAL_CHOSEN);
}

static void
qm_hostile_bundle(void **state)
{
	struct qm1 q = { IKEV1_PROTO_ESP, IKEV1_ESP_AES, true, false, false,
	    false };

	(void)state;
	hostile(&q, IKEV1_N_NO_PROPOSAL_CHOSEN);
}

static void
qm_hostile_ids(void **state)
{
	struct qm1 q = { IKEV1_PROTO_ESP, IKEV1_ESP_AES, false, true, false,
	    false };

	(void)state;
	hostile(&q, IKEV1_N_INVALID_ID_INFORMATION);
}

static void
qm_hostile_ke(void **state)
{
	struct qm1 q = { IKEV1_PROTO_ESP, IKEV1_ESP_AES, false, false, true,
	    false };

	(void)state;
	hostile(&q, IKEV1_N_INVALID_KEY_INFORMATION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qm_main),
		cmocka_unit_test(qm_aggressive),
		cmocka_unit_test(qm_pfs_modp2048),
		cmocka_unit_test(qm_pfs_ecp256),
		cmocka_unit_test(qm_pfs_mismatch),
		cmocka_unit_test(qm_transport),
		cmocka_unit_test(qm_transport_refused),
		cmocka_unit_test(qm_ah),
		cmocka_unit_test(qm_mixed_protocols),
		cmocka_unit_test(qm_legacy),
		cmocka_unit_test(qm_several),
		cmocka_unit_test(qm_lost_1),
		cmocka_unit_test(qm_lost_2),
		cmocka_unit_test(qm_lost_3),
		cmocka_unit_test(qm_duplicated),
		cmocka_unit_test(qm_no_answer),
		cmocka_unit_test(qm_bad_hash1),
		cmocka_unit_test(qm_bad_hash3),
		cmocka_unit_test(qm_no_proposal),
		cmocka_unit_test(qm_wrong_selectors),
		cmocka_unit_test(qm_commit_bit),
		cmocka_unit_test(qm_not_established),
		cmocka_unit_test(qm_natt),
		cmocka_unit_test(qm_hostile_transform),
		cmocka_unit_test(qm_hostile_attribute),
		cmocka_unit_test(qm_hostile_bundle),
		cmocka_unit_test(qm_hostile_ids),
		cmocka_unit_test(qm_hostile_ke),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
