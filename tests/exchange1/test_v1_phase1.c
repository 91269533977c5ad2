/* tests/exchange1/test_v1_phase1.c: IKEv1 phase 1 with preshared keys
 * between two in-process engines (core/exchange1: v1_xchg.c,
 * v1_time.c, v1_prop.c, v1_ph1.c, v1_main.c, v1_aggr.c): Main Mode and
 * Aggressive Mode come up for each cipher family with the same keys on
 * both sides; a wrong key, a missing common proposal, a wrong identity
 * and configurations that cannot work fail as they must.  Lost,
 * duplicated and hostile messages, rekeying and NAT are in
 * test_v1_ph1_loss.c.  Quick Mode (started by the initiator once phase 1
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

/* ----------------------------------------------------------- modes */

static void
test_main_mode(void **state)
{
	struct peer *a, *b;

	(void)state;
	ph1_pair(&a, &b, false);
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
	assert_true(ph1_up(b));
	assert_false(ph1_up(a));
	deliver(b, a);		/* <-- HDR*, IDir, HASH_R */
	assert_true(ph1_up(a));
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
	ph1_pair(&a, &b, true);
	initiate(a);
	deliver(a, b);		/* HDR, SA, KE, Ni, IDii, VID, VID */
	assert_int_equal(peer_sa(b)->v1->step, V1_R_AM2);
	deliver(b, a);		/* <-- HDR, SA, KE, Nr, IDir, HASH_R */
	assert_true(ph1_up(a));
	assert_false(ph1_up(b));
	assert_true(head(a)->buf[19] & IKEV1_F_ENC);
	deliver(a, b);		/* HDR*, HASH_I, NAT-D, NAT-D */
	assert_true(ph1_up(b));
	assert_ph1_mirror(a, b);
	/* the responder stopped resending message 2 */
	assert_null(peer_sa(b)->out.buf);
	assert_int_equal(engine_stats(a->eng)->rx_malformed +
	    engine_stats(b->eng)->rx_malformed, 0);
	peers_free(a, b);
}

static const struct ph1_family families[] = {
	{ "3DES/MD5/MODP-1024", ENCR_3DES, 0, PRF_HMAC_MD5, DH_MODP_1024, 8 },
	{ "AES-128/SHA1/MODP-2048", ENCR_AES_CBC, 128, PRF_HMAC_SHA1,
	    DH_MODP_2048, 16 },
	{ "AES-256/SHA2-512/ECP-384", ENCR_AES_CBC, 256, PRF_HMAC_SHA2_512,
	    DH_ECP_384, 16 },
	{ "AES-192/SHA2-384/ECP-256", ENCR_AES_CBC, 192, PRF_HMAC_SHA2_384,
	    DH_ECP_256, 16 },
};


static void
test_families(void **state)
{
	size_t i;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++)
		for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			const struct ph1_family *f = &families[i];
			struct peer *a, *b, *from, *to;

			print_message("%s %s\n", mode ? "aggressive" : "main",
			    f->name);
			ph1_pair_at(&a, &b, mode == 1, 1, f, &from, &to);
			ph1_assert_up_with(a, b, f->encr, f->key_bits, f->prf,
			    f->dh);
			assert_int_equal(ph1_sa(a)->v1->block, f->block);
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
	ph1_pair(&a, &b, false);
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
	ph1_assert_up_with(a, b, ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256, DH_ECP_256);
	assert_int_equal(ph1_sa(b)->v1->life_s, 3600);
	assert_int_equal(ph1_sa(a)->v1->life_s, 100000);
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

	ph1_pair(&a, &b, aggressive);
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
	assert_int_equal(ph1_sa(other)->state, aggressive ? IKE_SA_HALF_OPEN :
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
	ph1_pair(&a, &b, false);
	peer_v1_suite(b, ENCR_3DES, 0, PRF_HMAC_SHA1, DH_MODP_2048);
	initiate(a);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_int_equal(queued(b), 1);
	assert_int_equal(head(b)->buf[18], IKEV1_EXCH_INFO);
	rx = engine_stats(a->eng)->rx_packets;
	deliver(b, a);
	assert_int_equal(engine_stats(a->eng)->rx_packets, rx + 1);
	assert_int_equal(ph1_sa(a)->state, IKE_SA_INIT_SENT);
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
	ph1_pair(&a, &b, false);
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
	ph1_pair(&a, &b, false);
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
	ph1_pair(&a, &b, false);
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
	ph1_pair(&a, &b, false);
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
		ph1_pair(&a, &b, mode == 1);
		memcpy(b->cfg.remote_id.data, "x", 1);
		initiate(a);
		v1_deliver_upto(a, b, mode == 0 ? 5 : 1);
		v1_assert_failed(b, auth_failed);
		peers_free(a, b);
		/* the initiator refuses the responder's identity */
		ph1_pair(&a, &b, mode == 1);
		memcpy(a->cfg.remote_id.data, "x", 1);
		initiate(a);
		v1_deliver_upto(a, b, mode == 0 ? 5 : 2);
		if (mode == 0) {
			assert_true(ph1_up(b));	/* it cannot know */
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
		ph1_pair(&a, &b, mode == 1);
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
		ph1_pair(&a, &b, mode == 1);
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
	ph1_pair(&a, &b, false);
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
	assert_int_equal(ph1_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_null(ph1_sa(a)->v1->ph2);
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
	ph1_pair(&a, &b, true);
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	assert_true(ph1_up(a));
	/* b's chain still holds the phase-1 IV a sealed message 3 with */
	sb = ph1_sa(b);
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
		assert_true(ph1_up(b));
		assert_int_equal(ph1_sa(b)->state, IKE_SA_ESTABLISHED);
		ph1_assert_key_eq(ph1_sa(a)->v1->k.e, ph1_sa(b)->v1->k.e);
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
		cmocka_unit_test(test_sig_refused),
		cmocka_unit_test(test_cfg_refused),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_wrong_identity),
		cmocka_unit_test(test_id_directory),
		cmocka_unit_test(test_ph2_exhaustion),
		cmocka_unit_test(test_aggressive_plain_msg3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
