/* tests/exchange/test_exchange_pfs.c: PFS in CREATE_CHILD_SA as the
 * responder's policy (child_cfg.resp_dh, IPSec_ResponderDHGroup) has it
 * (RFC 7296 s. 1.3.1, 1.3.3, 2.17, 3.10.1):
 *
 *   HDR, SK {[N(REKEY_SA),] SA(D-H g), Ni, KEi(g), TSi, TSr}  -->
 *                      <--  HDR, SK {SA(D-H g), Nr, KEr(g), TSi, TSr}
 *
 * ANY (the default) takes the initiator's group whatever our own
 * pfs_group, or none; one named group only that one (INVALID_KE_PAYLOAD
 * when the proposal offers it but the KE is of another, else
 * NO_PROPOSAL_CHOSEN); NO_PFS none.  And in IKE_AUTH a D-H transform is
 * ignored (s. 1.2). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "core/exchange/exchange.h"
#include "harness.h"

static uint32_t
handle_of(const struct peer *p)
{
	return peer_sa(p)->handle;
}

/* x's kernel keys of c against KEYMAT = prf+(SK_d, [gir |] Ni | Nr) of
 * its exchange (AES-GCM-256: 36 octets per direction, no integrity
 * key); x initiated it or not.  Equal when gir is given, different
 * from the key without g^ir otherwise. */
static void
assert_keys(const struct peer *x, const struct child_sa *c, bool initiated,
    const struct ike_key *gir)
{
	const struct ike_sa *sa = peer_sa(x);
	const struct mem_sa *in = kernel_esp(x, &sa->local, c->spi_in);
	const struct mem_sa *out = kernel_esp(x, &sa->remote, c->spi_out);
	const struct ike_key *ei, *er;
	struct kdf_child_keys k;

	assert_int_equal(kdf_child_keys(sa->prf, 0, sa->keys.sk_d,
	    gir ? gir->data : NULL, gir ? gir->len : 0, c->ni, c->ni_len,
	    c->nr, c->nr_len, 36, 0, &k), 0);
	ei = initiated ? out->sa.encr_key : in->sa.encr_key;
	er = initiated ? in->sa.encr_key : out->sa.encr_key;
	assert_int_equal(ei->len, k.ei->len);
	assert_int_equal(er->len, k.er->len);
	if (gir != NULL) {
		assert_memory_equal(ei->data, k.ei->data, ei->len);
		assert_memory_equal(er->data, k.er->data, er->len);
	} else {
		assert_memory_not_equal(ei->data, k.ei->data, ei->len);
		assert_memory_not_equal(er->data, k.er->data, er->len);
	}
	kdf_child_keys_free(&k);
}

/* x's Child SA with inbound SPI spi_in and y's twin made with group. */
static void
assert_pfs(struct peer *x, struct peer *y, uint32_t spi_in, uint16_t group)
{
	const struct child_sa *cx = assert_child_mirror(x, y, spi_in);
	const struct child_sa *cy = ike_sa_child_find(peer_sa(y), spi_in,
	    false);

	assert_int_equal(cx->pfs, group);
	assert_int_equal(cy->pfs, group);
	if (group != 0) {
		assert_keys(x, cx, true, NULL);
		assert_keys(y, cy, false, NULL);
	}
}

/* x rekeys its first Child SA with y; the new one's inbound SPI. */
static uint32_t
rekey(struct peer *x, struct peer *y)
{
	uint32_t old = peer_sa(x)->children->spi_in;
	size_t up = event_count(x, ENGINE_EV_CHILD_UP);

	assert_int_equal(engine_rekey_child(x->eng, handle_of(x), old,
	    hn_now), 0);
	pump(x, y);
	assert_int_equal(event_count(x, ENGINE_EV_CHILD_UP), up + 1);
	assert_int_equal(ike_sa_child_count(peer_sa(x)), 1);
	assert_int_equal(ike_sa_child_count(peer_sa(y)), 1);
	assert_int_not_equal(peer_sa(x)->children->spi_in, old);
	return event_find(x, ENGINE_EV_CHILD_UP, up)->child_spi_in;
}

/* The interop case: a asks for PFS (ECP-256) when it rekeys, b has no
 * PFS group of its own and the default policy ANY. */
static void
rekey_pfs_to_any(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	uint32_t spi;

	(void)state;
	a->ccfg.pfs_group = IKEV2_DH_ECP_256;
	assert_int_equal(b->ccfg.pfs_group, 0);
	assert_int_equal(b->ccfg.resp_dh, CFG_PFS_ANY);
	establish(a, b);
	assert_int_equal(peer_sa(a)->children->pfs, 0);	/* IKE_AUTH */
	spi = rekey(a, b);
	assert_pfs(a, b, spi, IKEV2_DH_ECP_256);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_FAILED), 0);
	/* and again, from the new one */
	spi = rekey(a, b);
	assert_pfs(a, b, spi, IKEV2_DH_ECP_256);
	/* b rekeys without PFS (its own pfs_group 0); a accepts none */
	spi = rekey(b, a);
	assert_pfs(b, a, spi, 0);
	peers_free(a, b);
}

/* ANY takes the peer's group even when ours is another: no second round
 * trip. */
static void
any_takes_peer_group(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc;
	uint32_t spi;

	(void)state;
	establish(a, b);
	b->ccfg.pfs_group = IKEV2_DH_MODP_2048;
	cc = a->ccfg;
	cc.pfs_group = IKEV2_DH_CURVE25519;
	ts_v4(&cc.local_ts, 10, 1, 7, 0, 10, 1, 7, 255);
	ts_v4(&cc.remote_ts, 10, 2, 7, 0, 10, 2, 7, 255);
	assert_int_equal(engine_create_child(a->eng, handle_of(a), &cc,
	    hn_now), 0);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(queued(a) + queued(b), 0);
	spi = event_find(a, ENGINE_EV_CHILD_UP, 1)->child_spi_in;
	assert_pfs(a, b, spi, IKEV2_DH_CURVE25519);
	peers_free(a, b);
}

/* The IKE SA and the Child SAs stay after a refusal; both sides report
 * it with notify. */
static void
assert_refused(struct peer *a, struct peer *b, uint16_t notify)
{
	size_t na = event_count(a, ENGINE_EV_CHILD_FAILED);
	size_t nb = event_count(b, ENGINE_EV_CHILD_FAILED);
	size_t ca = ike_sa_child_count(peer_sa(a));

	deliver(a, b);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_FAILED), nb + 1);
	assert_int_equal(event_find(b, ENGINE_EV_CHILD_FAILED, nb)->notify,
	    notify);
	deliver(b, a);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_FAILED), na + 1);
	assert_int_equal(event_find(a, ENGINE_EV_CHILD_FAILED, na)->notify,
	    notify);
	assert_int_equal(queued(a) + queued(b), 0);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), ca);
	assert_children_mirror(a, b);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_null(peer_sa(a)->pending);
	assert_null(peer_sa(a)->create);
}

/* b requires ECP-256 (IPSec_ResponderDHGroup 19), a rekeys without
 * PFS: NO_PROPOSAL_CHOSEN, the old Child SA stays, is not retried. */
static void
required_group_refuses_none(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *old;

	(void)state;
	b->ccfg.resp_dh = IKEV2_DH_ECP_256;
	establish(a, b);	/* IKE_AUTH: no PFS there (s. 1.2) */
	old = peer_sa(a)->children;
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a),
	    old->spi_in, hn_now), 0);
	assert_refused(a, b, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_ptr_equal(peer_sa(a)->children, old);
	assert_true(old->rekey_failed);
	assert_false(old->rekeyed);
	peers_free(a, b);
}

/* b requires MODP-2048, a offers only ECP-256: no proposal b can pick
 * (s. 1.3: INVALID_KE_PAYLOAD only for a group the proposal offers). */
static void
required_group_refuses_other(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.pfs_group = IKEV2_DH_ECP_256;
	b->ccfg.resp_dh = IKEV2_DH_MODP_2048;
	establish(a, b);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a),
	    peer_sa(a)->children->spi_in, hn_now), 0);
	assert_refused(a, b, IKEV2_N_NO_PROPOSAL_CHOSEN);
	peers_free(a, b);
}

/* b requires the group a uses: accepted. */
static void
required_group_accepts_it(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.pfs_group = IKEV2_DH_MODP_2048;
	b->ccfg.resp_dh = IKEV2_DH_MODP_2048;
	establish(a, b);
	assert_pfs(a, b, rekey(a, b), IKEV2_DH_MODP_2048);
	peers_free(a, b);
}

/* NO_PFS: a request with a KE is refused. */
static void
no_pfs_refuses_ke(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.pfs_group = IKEV2_DH_ECP_256;
	b->ccfg.resp_dh = CFG_PFS_NONE;
	establish(a, b);
	assert_int_equal(engine_rekey_child(a->eng, handle_of(a),
	    peer_sa(a)->children->spi_in, hn_now), 0);
	assert_refused(a, b, IKEV2_N_NO_PROPOSAL_CHOSEN);
	/* without PFS it rekeys */
	((struct child_sa *)(uintptr_t)peer_sa(a)->children)->cfg.pfs_group =
	    0;
	((struct child_sa *)(uintptr_t)peer_sa(a)->children)->rekey_failed =
	    false;
	assert_pfs(a, b, rekey(a, b), 0);
	peers_free(a, b);
}

/* ------------------------------------------------ crafted requests */

static const uint8_t craft_ni[32] = { 0x4e, 0x69, 1, 2, 3 };

/* a's request for a new Child SA 10.1.3.0/24 - 10.2.3.0/24 with one ESP
 * proposal (SPI spi) carrying the D-H transforms groups, and a KE of
 * ke_group with ke_len octets of ke (none: ke_group 0), sealed with a's
 * IKE SA and handed to b. */
static void
build(struct ike_sa *sa, struct ike_msg *m, uint32_t msgid, uint32_t spi,
    const uint16_t *groups, size_t ngroups, uint16_t ke_group,
    const uint8_t *ke, size_t ke_len)
{
	struct ike_tsel ts;
	struct ike_pl *pl;
	struct ike_hdr h;
	size_t i;

	xchg_hdr(sa, IKEV2_EXCH_CREATE_CHILD_SA, false, &h);
	h.msgid = msgid;
	ike_msg_init(m, &h);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SK, false, &pl), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SA, true, &pl), 0);
	assert_int_equal(ike_msg_add_prop(m, pl, IKEV2_PROTO_ESP, 4, spi), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR,
	    IKEV2_ENCR_AES_GCM_16, 256), 0);
	for (i = 0; i < ngroups; i++)
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_DH, groups[i],
		    0), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ESN, 0, 0), 0);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_NONCE, true, &pl), 0);
	pl->u.nonce.data = (struct ike_slice){ craft_ni, sizeof(craft_ni) };
	if (ke_group != 0) {
		assert_int_equal(ike_msg_add(m, IKEV2_PL_KE, true, &pl), 0);
		pl->u.ke.group = ke_group;
		pl->u.ke.data = (struct ike_slice){ ke, ke_len };
	}
	memset(&ts, 0, sizeof(ts));
	ts.type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.eport = 65535;
	memcpy(ts.start, (uint8_t[]){ 10, 1, 3, 0 }, 4);
	memcpy(ts.end, (uint8_t[]){ 10, 1, 3, 255 }, 4);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_TSI, true, &pl), 0);
	assert_int_equal(ike_msg_add_ts(m, pl, &ts), 0);
	ts.start[1] = ts.end[1] = 2;
	assert_int_equal(ike_msg_add(m, IKEV2_PL_TSR, true, &pl), 0);
	assert_int_equal(ike_msg_add_ts(m, pl, &ts), 0);
}

static void
craft(struct peer *a, struct peer *b, uint32_t msgid, uint32_t spi,
    const uint16_t *groups, size_t ngroups, uint16_t ke_group,
    const uint8_t *ke, size_t ke_len)
{
	struct ike_sa *sa = (struct ike_sa *)(uintptr_t)peer_sa(a);
	struct ike_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	build(sa, m, msgid, spi, groups, ngroups, ke_group, ke, ke_len);
	inject_sealed(b, sa, m);
	free(m);
}

/* b's answer, opened with a's keys into m (*pt: free with
 * sk_pt_free()). */
static void
open_answer(struct peer *a, struct peer *b, struct ike_msg *m, uint8_t **pt,
    size_t *pt_len)
{
	struct ike_sa *sa = (struct ike_sa *)(uintptr_t)peer_sa(a);

	assert_int_equal(queued(b), 1);
	assert_int_equal(codec_decode(head(b)->buf, head(b)->len, m, NULL), 0);
	assert_int_equal(sk_open(sa, m, pt, pt_len), 0);
}

static uint16_t
invalid_ke_group(const struct ike_msg *m)
{
	const struct ike_pl *n = ike_msg_notify(m,
	    IKEV2_N_INVALID_KE_PAYLOAD);

	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 2);
	return (uint16_t)(n->u.notify.data.p[0] << 8 | n->u.notify.data.p[1]);
}

/* b restricted to MODP-2048; a's proposal offers ECP-256 and MODP-2048
 * with a KE of ECP-256: INVALID_KE_PAYLOAD(14), nothing installed; the
 * retry with KE(14) gets SA(D-H 14) and KEr(14), and b's keys are
 * KEYMAT with the g^ir a computes from KEr (s. 1.3, 2.17, 3.10.1). */
static void
invalid_ke_then_success(void **state)
{
	static const uint16_t groups[] = { IKEV2_DH_ECP_256,
	    IKEV2_DH_MODP_2048 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m = calloc(1, sizeof(*m));
	const struct ike_pl *sa_pl, *ke, *nr;
	struct ike_key *gir = NULL;
	struct dh *d19, *d14;
	const struct child_sa *c;
	const uint8_t *pub;
	uint8_t *pt;
	size_t len, pt_len;

	(void)state;
	assert_non_null(m);
	b->ccfg.resp_dh = IKEV2_DH_MODP_2048;
	establish(a, b);
	assert_int_equal(dh_new(IKEV2_DH_ECP_256, 0, &d19), 0);
	assert_int_equal(dh_new(IKEV2_DH_MODP_2048, 0, &d14), 0);
	pub = dh_public(d19, &len);
	craft(a, b, 2, 0x1234, groups, 2, IKEV2_DH_ECP_256, pub, len);
	open_answer(a, b, m, &pt, &pt_len);
	assert_int_equal(invalid_ke_group(m), IKEV2_DH_MODP_2048);
	assert_null(ike_msg_find(m, IKEV2_PL_SA, NULL));
	sk_pt_free(pt, pt_len);
	drop(b);
	assert_int_equal(event_find(b, ENGINE_EV_CHILD_FAILED, 0)->notify,
	    IKEV2_N_INVALID_KE_PAYLOAD);
	assert_int_equal(mem_sa_count(b->plat), 2);	/* nothing new */
	assert_int_equal(mem_larval_count(b->plat), 0);
	/* the retry, with the group b named */
	pub = dh_public(d14, &len);
	craft(a, b, 3, 0x5678, groups, 2, IKEV2_DH_MODP_2048, pub, len);
	open_answer(a, b, m, &pt, &pt_len);
	sa_pl = ike_msg_find(m, IKEV2_PL_SA, NULL);
	assert_non_null(sa_pl);
	assert_int_equal(sa_pl->u.sa.nprop, 1);
	assert_true(xchg_prop_has(m, &m->prop[sa_pl->u.sa.prop0],
	    IKEV2_XF_DH, IKEV2_DH_MODP_2048, 0));
	assert_false(xchg_prop_has(m, &m->prop[sa_pl->u.sa.prop0],
	    IKEV2_XF_DH, IKEV2_DH_ECP_256, 0));
	ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	assert_non_null(ke);
	assert_non_null(nr);
	assert_int_equal(ke->u.ke.group, IKEV2_DH_MODP_2048);
	assert_int_equal(dh_compute(d14, ke->u.ke.data.p, ke->u.ke.data.len,
	    &gir), 0);
	c = ike_sa_child_find(peer_sa(b), 0x5678, false);
	assert_non_null(c);
	assert_int_equal(c->pfs, IKEV2_DH_MODP_2048);
	assert_int_equal(nr->u.nonce.data.len, c->nr_len);
	assert_memory_equal(nr->u.nonce.data.p, c->nr, c->nr_len);
	assert_memory_equal(craft_ni, c->ni, c->ni_len);
	assert_keys(b, c, false, gir);
	assert_keys(b, c, false, NULL);	/* not the keys without g^ir */
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 2);
	sk_pt_free(pt, pt_len);
	drop(b);
	ike_key_free(gir);
	dh_free(d19);
	dh_free(d14);
	free(m);
	peers_free(a, b);
}

/* A proposal with a D-H group but no KE: INVALID_KE_PAYLOAD naming the
 * group b chose (ANY: the first it implements), not a crash. */
static void
missing_ke(void **state)
{
	static const uint16_t groups[] = { 0x7777, IKEV2_DH_ECP_256 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint8_t *pt;
	size_t pt_len;

	(void)state;
	assert_non_null(m);
	establish(a, b);
	craft(a, b, 2, 0x1234, groups, 2, 0, NULL, 0);
	open_answer(a, b, m, &pt, &pt_len);
	assert_int_equal(invalid_ke_group(m), IKEV2_DH_ECP_256);
	sk_pt_free(pt, pt_len);
	drop(b);
	assert_int_equal(mem_sa_count(b->plat), 2);
	/* only a group b does not implement: no proposal */
	craft(a, b, 3, 0x1234, groups, 1, 0x7777, craft_ni, 32);
	open_answer(a, b, m, &pt, &pt_len);
	assert_non_null(ike_msg_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN));
	sk_pt_free(pt, pt_len);
	drop(b);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	free(m);
	peers_free(a, b);
}

/* ------------------------------------------------------ the policy */

static void
policy_table(void **state)
{
	struct child_cfg cc;

	(void)state;
	memset(&cc, 0, sizeof(cc));
	assert_true(child_pfs_ok(&cc, 0));		/* ANY */
	assert_true(child_pfs_ok(&cc, IKEV2_DH_ECP_256));
	assert_true(child_pfs_ok(&cc, IKEV2_DH_MODP_2048));
	assert_false(child_pfs_ok(&cc, 0x7777));	/* not ours */
	cc.pfs_group = IKEV2_DH_ECP_256;		/* initiator only */
	assert_true(child_pfs_ok(&cc, IKEV2_DH_MODP_2048));
	assert_true(child_pfs_ok(&cc, 0));
	cc.resp_dh = CFG_PFS_NONE;
	assert_true(child_pfs_ok(&cc, 0));
	assert_false(child_pfs_ok(&cc, IKEV2_DH_ECP_256));
	cc.resp_dh = IKEV2_DH_MODP_2048;
	assert_true(child_pfs_ok(&cc, IKEV2_DH_MODP_2048));
	assert_false(child_pfs_ok(&cc, IKEV2_DH_ECP_256));
	assert_false(child_pfs_ok(&cc, 0));
}

/* IKE_AUTH (pfs false): a D-H transform in the proposal is ignored and
 * the answer carries none (s. 1.2: no KE in IKE_AUTH, so no D-H group
 * but NONE); the same proposal in CREATE_CHILD_SA (pfs) picks it. */
static void
ike_auth_ignores_dh(void **state)
{
	static const uint16_t groups[] = { IKEV2_DH_ECP_256 };
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_msg *r = calloc(1, sizeof(*r));
	const struct ike_pl *pl;
	struct child_choice ch;
	struct child_sa c;
	struct ike_sa *sb;

	(void)state;
	assert_non_null(m);
	assert_non_null(r);
	establish(a, b);
	sb = (struct ike_sa *)(uintptr_t)peer_sa(b);
	build(sb, m, 1, 0x1234, groups, 1, 0, NULL, 0);
	memset(&ch, 0xa5, sizeof(ch));
	assert_int_equal(child_choose(b->eng, sb, m, &b->ccfg, false, &ch),
	    0);
	assert_int_equal(ch.dh, 0);
	assert_int_equal(ch.prop->spi, 0x1234);
	memset(&c, 0, sizeof(c));
	c.spi_in = 0xc0ffee;
	ike_msg_init(r, &m->hdr);
	assert_int_equal(child_put_choice(r, &ch, &c, ch.dh), 0);
	pl = ike_msg_find(r, IKEV2_PL_SA, NULL);
	assert_non_null(pl);
	assert_false(xchg_prop_has_type(r, &r->prop[pl->u.sa.prop0],
	    IKEV2_XF_DH));
	/* CREATE_CHILD_SA: the group is chosen (its KE is checked later) */
	assert_int_equal(child_choose(b->eng, sb, m, &b->ccfg, true, &ch), 0);
	assert_int_equal(ch.dh, IKEV2_DH_ECP_256);
	/* and with NO_PFS there is nothing to choose */
	b->ccfg.resp_dh = CFG_PFS_NONE;
	assert_int_equal(child_choose(b->eng, sb, m, &b->ccfg, true, &ch),
	    IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(child_choose(b->eng, sb, m, &b->ccfg, false, &ch),
	    0);
	free(m);
	free(r);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rekey_pfs_to_any),
		cmocka_unit_test(any_takes_peer_group),
		cmocka_unit_test(required_group_refuses_none),
		cmocka_unit_test(required_group_refuses_other),
		cmocka_unit_test(required_group_accepts_it),
		cmocka_unit_test(no_pfs_refuses_ke),
		cmocka_unit_test(invalid_ke_then_success),
		cmocka_unit_test(missing_ke),
		cmocka_unit_test(policy_table),
		cmocka_unit_test(ike_auth_ignores_dh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
