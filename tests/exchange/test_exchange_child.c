/* tests/exchange/test_exchange_child.c: additional Child SAs through
 * CREATE_CHILD_SA (RFC 7296 s. 1.3.1) under an established IKE SA:
 *
 *   HDR, SK {SA, Ni, [KEi], TSi, TSr}  -->
 *                      <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *
 * with and without PFS, the keys checked against KEYMAT recomputed from
 * the exchange's nonces (s. 2.17), refusals (TS_UNACCEPTABLE,
 * NO_PROPOSAL_CHOSEN for a D-H mismatch) that keep the IKE SA, and lost
 * and duplicated messages. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "core/exchange/exchange.h"
#include "harness.h"

static uint32_t
handle_of(const struct peer *p)
{
	return peer_sa(p)->handle;
}

/* A further tunnel inside a's and b's configured ones. */
static void
narrow_cfg(const struct peer *a, struct child_cfg *cc, int net)
{
	*cc = a->ccfg;
	ts_v4(&cc->local_ts, 10, 1, net, 0, 10, 1, net, 255);
	ts_v4(&cc->remote_ts, 10, 2, net, 0, 10, 2, net, 255);
}

/* KEYMAT = prf+(SK_d, Ni | Nr) of the exchange (s. 2.17) in the kernel
 * of x, which initiated it (or not: initiated false).  With pfs the
 * kernel keys must differ from that (g^ir is in them). */
static void
assert_keymat(const struct peer *x, const struct child_sa *c,
    bool initiated, bool pfs)
{
	const struct ike_sa *sa = peer_sa(x);
	const struct mem_sa *in = kernel_esp(x, &sa->local, c->spi_in);
	const struct mem_sa *out = kernel_esp(x, &sa->remote, c->spi_out);
	struct kdf_child_keys k;
	struct cipher_info ci;
	struct integ_info ii;
	const struct ike_key *ei, *er;

	assert_int_equal(cipher_info(c->encr, c->key_bits, &ci), 0);
	assert_int_equal(integ_info(c->integ, &ii), 0);
	assert_int_equal(kdf_child_keys(sa->prf, 0, sa->keys.sk_d, NULL, 0,
	    c->ni, c->ni_len, c->nr, c->nr_len, ci.key_len, ii.key_len, &k),
	    0);
	ei = initiated ? out->sa.encr_key : in->sa.encr_key;
	er = initiated ? in->sa.encr_key : out->sa.encr_key;
	assert_int_equal(ei->len, k.ei->len);
	if (pfs) {
		assert_memory_not_equal(ei->data, k.ei->data, ei->len);
		assert_memory_not_equal(er->data, k.er->data, er->len);
	} else {
		assert_memory_equal(ei->data, k.ei->data, ei->len);
		assert_memory_equal(er->data, k.er->data, er->len);
	}
	kdf_child_keys_free(&k);
}

/* x asks y for a further Child SA for cc; returns x's new one. */
static const struct child_sa *
create(struct peer *x, struct peer *y, const struct child_cfg *cc)
{
	size_t nx = event_count(x, ENGINE_EV_CHILD_UP);
	size_t ny = event_count(y, ENGINE_EV_CHILD_UP);
	const struct engine_event *ev;

	assert_int_equal(engine_create_child(x->eng, handle_of(x), cc,
	    hn_now), 0);
	deliver(x, y);				/* SA, Ni, [KEi], TSi, TSr */
	assert_int_equal(event_count(y, ENGINE_EV_CHILD_UP), ny + 1);
	deliver(y, x);				/* SA, Nr, [KEr], TSi, TSr */
	assert_int_equal(event_count(x, ENGINE_EV_CHILD_UP), nx + 1);
	assert_int_equal(queued(x) + queued(y), 0);
	ev = event_find(x, ENGINE_EV_CHILD_UP, nx);
	return assert_child_mirror(x, y, ev->child_spi_in);
}

static void
additional_child(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;
	struct child_cfg cc;

	(void)state;
	establish(a, b);
	narrow_cfg(a, &cc, 7);
	c = create(a, b, &cc);
	assert_memory_equal(&c->ts_local, &cc.local_ts, sizeof(cc.local_ts));
	assert_memory_equal(&c->ts_remote, &cc.remote_ts,
	    sizeof(cc.remote_ts));
	assert_keymat(a, c, true, false);
	assert_keymat(b, ike_sa_child_find(peer_sa(b), c->spi_out, true),
	    false, false);
	/* the first Child SA is untouched: two tunnels, four SAs */
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	assert_int_equal(mem_sa_count(a->plat), 4);
	assert_int_equal(mem_sa_count(b->plat), 4);
	assert_int_equal(mem_policy_count(a->plat),
	    2 * policies_per_child(c->mode));
	assert_int_equal(mem_policy_count(b->plat),
	    2 * policies_per_child(c->mode));
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_not_equal(c->reqid, peer_sa(a)->children->next == c ?
	    peer_sa(a)->children->reqid : peer_sa(a)->children->next->reqid);
	peers_free(a, b);
}

static void
additional_children_from_responder(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;
	int i;

	(void)state;
	establish(a, b);
	for (i = 0; i < 3; i++) {
		cc = b->ccfg;	/* b's view: local 10.2.x, remote 10.1.x */
		ts_v4(&cc.local_ts, 10, 2, 20 + i, 0, 10, 2, 20 + i, 255);
		ts_v4(&cc.remote_ts, 10, 1, 20 + i, 0, 10, 1, 20 + i, 255);
		assert_keymat(b, create(b, a, &cc), true, false);
	}
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 4);
	assert_int_equal(mem_sa_count(a->plat), 8);
	assert_int_equal(mem_sa_count(b->plat), 8);
	peers_free(a, b);
}

static void
additional_child_pfs(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;
	struct child_cfg cc;

	(void)state;
	establish(a, b);
	b->ccfg.pfs_group = IKEV2_DH_ECP_256;
	narrow_cfg(a, &cc, 8);
	cc.pfs_group = IKEV2_DH_ECP_256;
	c = create(a, b, &cc);
	assert_keymat(a, c, true, true);
	assert_keymat(b, ike_sa_child_find(peer_sa(b), c->spi_out, true),
	    false, true);
	peers_free(a, b);
}

/* The IKE SA and the first Child SA stay after a refusal. */
static void
assert_refused(struct peer *a, struct peer *b, uint16_t notify)
{
	const struct engine_event *ev;

	deliver(a, b);
	ev = event_find(b, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, notify);
	deliver(b, a);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, notify);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	assert_children_mirror(a, b);
	assert_null(peer_sa(a)->pending);
	assert_null(peer_sa(a)->create);
	/* the IKE SA still carries exchanges */
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	pump(a, b);
	assert_null(peer_sa(a)->out.buf);
}

static void
ts_unacceptable_keeps_ike_sa(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc = { 0 };

	(void)state;
	establish(a, b);
	cc = a->ccfg;
	ts_v4(&cc.remote_ts, 10, 9, 0, 0, 10, 9, 255, 255);	/* not b's */
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	assert_refused(a, b, IKEV2_N_TS_UNACCEPTABLE);
	peers_free(a, b);
}

static void
pfs_mismatch_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	establish(a, b);
	b->ccfg.resp_dh = CFG_PFS_NONE;		/* b takes none */
	narrow_cfg(a, &cc, 9);
	cc.pfs_group = IKEV2_DH_ECP_256;
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	assert_refused(a, b, IKEV2_N_NO_PROPOSAL_CHOSEN);
	peers_free(a, b);
}

static void
pfs_required_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	establish(a, b);
	b->ccfg.resp_dh = IKEV2_DH_MODP_2048;	/* a offers none */
	narrow_cfg(a, &cc, 9);
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	assert_refused(a, b, IKEV2_N_NO_PROPOSAL_CHOSEN);
	peers_free(a, b);
}

/* A KEi of another group than the proposal's D-H transform, which b
 * accepts: INVALID_KE_PAYLOAD naming b's group (s. 1.3, 3.10.1).
 *   HDR, SK {SA(D-H 19), Ni, KE(14), TSi, TSr}  -->
 *                          <--  HDR, SK {N(INVALID_KE_PAYLOAD, 19)} */
static void
invalid_ke_payload(void **state)
{
	static const uint8_t nonce[32] = { 1, 2, 3 };
	static uint8_t ke[256] = { 7 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_tsel ts;
	const struct ike_pl *n;
	struct ike_sa *sa;
	struct ike_hdr h;
	struct ike_pl *pl;
	uint8_t *pt;
	size_t pt_len;

	(void)state;
	assert_non_null(m);
	establish(a, b);
	b->ccfg.pfs_group = IKEV2_DH_ECP_256;
	sa = (struct ike_sa *)(uintptr_t)peer_sa(a);
	xchg_hdr(sa, IKEV2_EXCH_CREATE_CHILD_SA, false, &h);
	h.msgid = 2;
	ike_msg_init(m, &h);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SK, false, &pl), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SA, true, &pl), 0);
	assert_int_equal(ike_msg_add_prop(m, pl, IKEV2_PROTO_ESP, 4, 0x1234),
	    0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR,
	    IKEV2_ENCR_AES_GCM_16, 256), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_DH, IKEV2_DH_ECP_256,
	    0), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ESN, 0, 0), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_NONCE, true, &pl), 0);
	pl->u.nonce.data = (struct ike_slice){ nonce, sizeof(nonce) };
	assert_int_equal(ike_msg_add(m, IKEV2_PL_KE, true, &pl), 0);
	pl->u.ke.group = IKEV2_DH_MODP_2048;
	pl->u.ke.data = (struct ike_slice){ ke, sizeof(ke) };
	memset(&ts, 0, sizeof(ts));
	ts.type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.eport = 65535;
	memcpy(ts.start, (uint8_t[]){ 10, 1, 0, 0 }, 4);
	memcpy(ts.end, (uint8_t[]){ 10, 1, 255, 255 }, 4);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_TSI, true, &pl), 0);
	assert_int_equal(ike_msg_add_ts(m, pl, &ts), 0);
	ts.start[1] = ts.end[1] = 2;
	assert_int_equal(ike_msg_add(m, IKEV2_PL_TSR, true, &pl), 0);
	assert_int_equal(ike_msg_add_ts(m, pl, &ts), 0);
	inject_sealed(b, sa, m);
	assert_int_equal(queued(b), 1);
	assert_int_equal(codec_decode(head(b)->buf, head(b)->len, m, NULL), 0);
	assert_int_equal(sk_open(sa, m, &pt, &pt_len), 0);
	n = ike_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 2);
	assert_int_equal(n->u.notify.data.p[0] << 8 | n->u.notify.data.p[1],
	    IKEV2_DH_ECP_256);
	sk_pt_free(pt, pt_len);
	assert_int_equal(event_find(b, ENGINE_EV_CHILD_FAILED, 0)->notify,
	    IKEV2_N_INVALID_KE_PAYLOAD);
	assert_int_equal(mem_sa_count(b->plat), 2);	/* nothing new */
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	drop(b);
	free(m);
	peers_free(a, b);
}

static void
api_errors(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	narrow_cfg(a, &cc, 5);
	assert_int_equal(engine_create_child(a->eng, 99, &cc, hn_now),
	    IKE_ENOTFOUND);
	initiate(a);
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    IKE_ESTATE);			/* not established yet */
	pump(a, b);
	assert_int_equal(engine_create_child(a->eng, a->handle, NULL, hn_now),
	    IKE_EINVAL);
	cc.nprops = 0;
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    IKE_EINVAL);
	narrow_cfg(a, &cc, 5);
	cc.pfs_group = 9999;
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    IKE_EUNSUPP);
	cc.pfs_group = 0;
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    0);
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    IKE_EBUSY);			/* window size 1 */
	assert_int_equal(mem_larval_count(a->plat), 1);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	peers_free(a, b);
}

/* A lost request is sent again; a lost answer is resent from b's cache
 * without a second Child SA. */
static void
lost_and_duplicated(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;

	(void)state;
	establish(a, b);
	narrow_cfg(a, &cc, 3);
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	drop(a);				/* request lost */
	advance(a, b, 600);
	assert_int_equal(queued(a), 1);		/* retransmitted */
	duplicate(a);
	deliver(a, b);
	deliver(a, b);				/* the same request again */
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(queued(b), 2);		/* answer + cached answer */
	drop(b);
	deliver(b, a);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	assert_int_equal(mem_sa_count(b->plat), 4);
	assert_int_equal(mem_larval_count(b->plat), 0);
	/* a stale duplicate of the answer is dropped */
	assert_int_equal(engine_liveness(a->eng, handle_of(a), hn_now), 0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	peers_free(a, b);
}

/* The answer never comes: the IKE SA dies and nothing is left. */
static void
no_answer(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;
	int i;

	(void)state;
	establish(a, b);
	narrow_cfg(a, &cc, 4);
	cc.pfs_group = IKEV2_DH_ECP_256;
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	for (i = 0; i < 10; i++) {
		while (queued(a) > 0)
			drop(a);
		advance(a, NULL, 60000);
	}
	assert_int_equal(engine_stats(a->eng)->retransmits, 3);
	assert_non_null(event_find(a, ENGINE_EV_IKE_DOWN, 0));
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 0);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(additional_child),
		cmocka_unit_test(additional_children_from_responder),
		cmocka_unit_test(additional_child_pfs),
		cmocka_unit_test(ts_unacceptable_keeps_ike_sa),
		cmocka_unit_test(pfs_mismatch_refused),
		cmocka_unit_test(pfs_required_refused),
		cmocka_unit_test(invalid_ke_payload),
		cmocka_unit_test(api_errors),
		cmocka_unit_test(lost_and_duplicated),
		cmocka_unit_test(no_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
