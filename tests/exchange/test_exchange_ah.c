/* tests/exchange/test_exchange_ah.c: Child SAs with AH (RFC 7296 s. 2.17,
 * 3.3; RFC 4302).  An AH proposal carries INTEG and ESN transforms and no
 * ENCR:
 *
 *   HDR, SK {IDi, AUTH, SA(AH: INTEG, ESN), TSi, TSr}  -->
 *                    <--  HDR, SK {IDr, AUTH, SA(AH: INTEG, ESN), TSi, TSr}
 *
 * KEYMAT = prf+(SK_d, Ni | Nr) holds only the two integrity keys (the
 * initiator's, then the responder's).  The kernel gets IPPROTO_AH SAs
 * without cipher and policies for AH, in tunnel and transport mode; the
 * responder picks among mixed ESP and AH proposals in its own order; AH
 * Child SAs are created by CREATE_CHILD_SA, rekeyed and deleted. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "harness.h"

static void
use_ah(struct peer *p, uint16_t integ, enum plat_mode mode)
{
	p->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    integ };
	p->ccfg.nprops = 1;
	p->ccfg.mode = mode;
}

static const struct mem_sa *
kernel_sa(const struct peer *p, const struct ike_addr *dst, uint32_t spi,
    uint8_t proto)
{
	struct plat_sa_id id = { .dst = *dst, .spi = spi, .proto = proto };

	return mem_sa_find(p->plat, &id);
}

static void
assert_key_eq(const struct ike_key *x, const struct ike_key *y)
{
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(x->len, y->len);
	assert_memory_equal(x->data, y->data, x->len);
}

/* One AH Child SA of key_len-octet integrity keys on x, mirrored on y:
 * IPPROTO_AH kernel SAs without cipher, equal keys per direction,
 * different keys between the directions, AH policies. */
static const struct child_sa *
assert_ah_mirror(struct peer *x, struct peer *y, uint32_t spi_in,
    size_t key_len)
{
	const struct ike_sa *sx = peer_sa(x), *sy = peer_sa(y);
	const struct child_sa *cx = ike_sa_child_find(sx, spi_in, true);
	const struct child_sa *cy = ike_sa_child_find(sy, spi_in, false);
	const struct mem_sa *xin, *xout, *yin, *yout;
	struct plat_policy key;
	const struct plat_policy *pol;

	assert_non_null(cx);
	assert_non_null(cy);
	assert_int_equal(cx->proto, IKEV2_PROTO_AH);
	assert_int_equal(cy->proto, IKEV2_PROTO_AH);
	xin = kernel_sa(x, &sx->local, cx->spi_in, IPPROTO_AH);
	xout = kernel_sa(x, &sx->remote, cx->spi_out, IPPROTO_AH);
	yin = kernel_sa(y, &sy->local, cy->spi_in, IPPROTO_AH);
	yout = kernel_sa(y, &sy->remote, cy->spi_out, IPPROTO_AH);
	assert_true(xin && xout && yin && yout);
	assert_null(kernel_sa(x, &sx->local, cx->spi_in, IPPROTO_ESP));
	assert_int_equal(xin->sa.encr_alg, 0);
	assert_null(xin->sa.encr_key);
	assert_null(xout->sa.encr_key);
	assert_null(yout->sa.encr_key);
	assert_int_equal(xout->sa.integ_alg, cx->integ);
	assert_int_equal(xout->sa.integ_key->len, key_len);
	assert_key_eq(xout->sa.integ_key, yin->sa.integ_key);
	assert_key_eq(xin->sa.integ_key, yout->sa.integ_key);
	assert_memory_not_equal(xin->sa.integ_key->data,
	    xout->sa.integ_key->data, key_len);
	assert_int_equal(xout->sa.mode, cx->mode);
	memset(&key, 0, sizeof(key));
	key.src = cx->ts_local;
	key.dst = cx->ts_remote;
	key.dir = PLAT_OUT;
	pol = mem_policy_find(x->plat, &key);
	assert_non_null(pol);
	assert_int_equal(pol->proto, IPPROTO_AH);
	assert_int_equal(pol->reqid, cx->reqid);
	return cx;
}

/* KEYMAT = prf+(SK_d, Ni | Nr) cut into SK_ai | SK_ar, nothing else:
 * the initiator's outbound key is the first key_len octets. */
static void
assert_ah_keymat(const struct peer *i, const struct child_sa *c,
    size_t key_len)
{
	const struct ike_sa *sa = peer_sa(i);
	const struct mem_sa *out = kernel_sa(i, &sa->remote, c->spi_out,
	    IPPROTO_AH);
	const struct mem_sa *in = kernel_sa(i, &sa->local, c->spi_in,
	    IPPROTO_AH);
	struct ike_key *km;

	assert_int_equal(kdf_child_keymat(sa->prf, 0, sa->keys.sk_d, NULL, 0,
	    c->ni, c->ni_len, c->nr, c->nr_len, 2 * key_len, &km), 0);
	assert_memory_equal(out->sa.integ_key->data, km->data, key_len);
	assert_memory_equal(in->sa.integ_key->data, km->data + key_len,
	    key_len);
	ike_key_free(km);
}

static void
ah_tunnel(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;

	(void)state;
	use_ah(a, AUTH_HMAC_SHA2_256_128, PLAT_TUNNEL);
	use_ah(b, AUTH_HMAC_SHA2_256_128, PLAT_TUNNEL);
	establish(a, b);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 32);
	assert_int_equal(c->mode, PLAT_TUNNEL);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), policies_per_child(
	    PLAT_TUNNEL));
	assert_int_equal(mem_policy_count(b->plat), policies_per_child(
	    PLAT_TUNNEL));
	/* IKE_AUTH keys from the IKE SA's nonces */
	assert_int_equal(c->ni_len, peer_sa(a)->ni_len);
	assert_ah_keymat(a, c, 32);
	peers_free(a, b);
}

static void
ah_transport_sha512(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;
	const struct mem_sa *s;

	(void)state;
	use_ah(a, AUTH_HMAC_SHA2_512_256, PLAT_TRANSPORT);
	use_ah(b, AUTH_HMAC_SHA2_512_256, PLAT_TRANSPORT);
	a->ccfg.esn = b->ccfg.esn = true;
	establish(a, b);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 64);
	assert_int_equal(c->mode, PLAT_TRANSPORT);
	assert_true(c->esn);
	s = kernel_sa(a, &peer_sa(a)->remote, c->spi_out, IPPROTO_AH);
	assert_int_equal(s->sa.mode, PLAT_TRANSPORT);
	assert_true(s->sa.esn);
	assert_int_equal(mem_policy_count(a->plat), 2);
	assert_int_equal(mem_policy_count(b->plat), 2);
	assert_ah_keymat(a, c, 64);
	peers_free(a, b);
}

/* a offers ESP first and AH second (one SPI reserved for each); b only
 * takes AH: a's AH SPI is used, its ESP reservation released. */
static void
responder_picks_ah(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;

	(void)state;
	a->ccfg.props[1] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA1_96 };
	a->ccfg.nprops = 2;
	use_ah(b, AUTH_HMAC_SHA1_96, PLAT_TUNNEL);
	initiate(a);
	deliver(a, b);		/* IKE_SA_INIT */
	deliver(b, a);
	/* IKE_AUTH request out: two inbound SPIs reserved, ESP and AH */
	assert_int_equal(mem_larval_count(a->plat), 2);
	assert_int_not_equal(peer_sa(a)->pending->spi_alt, 0);
	pump(a, b);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 20);
	assert_int_equal(c->spi_alt, 0);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_sa_count(a->plat), 2);
	peers_free(a, b);
}

/* a offers AH first, ESP second; b prefers ESP, then AH: b's order wins
 * and a switches to its ESP SPI. */
static void
responder_prefers_esp(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct ike_sa *sa;
	uint32_t ah_spi;

	(void)state;
	a->ccfg.props[1] = a->ccfg.props[0];		/* ESP GCM */
	a->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_256_128 };
	a->ccfg.nprops = 2;
	b->ccfg.props[1] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_256_128 };
	b->ccfg.nprops = 2;
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	ah_spi = peer_sa(a)->pending->spi_in;	/* the first proposal's */
	pump(a, b);
	assert_children_mirror(a, b);		/* ESP, as before */
	sa = peer_sa(a);
	assert_int_equal(sa->children->proto, IKEV2_PROTO_ESP);
	assert_int_not_equal(sa->children->spi_in, ah_spi);
	assert_null(kernel_sa(a, &sa->local, ah_spi, IPPROTO_AH));
	assert_int_equal(mem_larval_count(a->plat), 0);
	peers_free(a, b);
}

/* No common protocol: NO_PROPOSAL_CHOSEN, nothing left in the kernel. */
static void
ah_against_esp_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct engine_event *ev;

	(void)state;
	use_ah(a, AUTH_HMAC_SHA2_256_128, PLAT_TUNNEL);
	initiate(a);
	pump(a, b);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(mem_sa_count(a->plat), 0);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_sa_count(b->plat), 0);
	peers_free(a, b);
}

/* CREATE_CHILD_SA: a second Child SA with AH and PFS, then its rekey
 * (REKEY_SA names protocol AH) from the responder's side, then its
 * Delete (a Delete payload of protocol AH). */
static void
ah_create_rekey_delete(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct child_cfg cc = a->ccfg;
	const struct child_sa *c, *n;
	uint32_t spi, old_out;

	(void)state;
	establish(a, b);
	use_ah(a, AUTH_HMAC_SHA2_384_192, PLAT_TUNNEL);
	cc = a->ccfg;
	cc.pfs_group = DH_ECP_256;
	ts_v4(&cc.local_ts, 10, 1, 7, 0, 10, 1, 7, 255);
	ts_v4(&cc.remote_ts, 10, 2, 7, 0, 10, 2, 7, 255);
	use_ah(b, AUTH_HMAC_SHA2_384_192, PLAT_TUNNEL);
	b->ccfg.pfs_group = DH_ECP_256;
	b->ccfg.local_ts = cc.remote_ts;
	b->ccfg.remote_ts = cc.local_ts;
	assert_int_equal(engine_create_child(a->eng, a->handle, &cc, hn_now),
	    0);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_CHILD_UP), 2);
	c = peer_sa(a)->children;	/* the newest first */
	assert_int_equal(c->proto, IKEV2_PROTO_AH);
	spi = c->spi_in;
	assert_ah_mirror(a, b, spi, 48);
	assert_int_equal(mem_sa_count(a->plat), 4);
	/* b rekeys it (its inbound SPI is a's outbound) */
	old_out = c->spi_out;
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    old_out, hn_now), 0);
	pump(b, a);
	assert_null(ike_sa_child_find(peer_sa(a), spi, true));
	n = peer_sa(a)->children;
	assert_int_equal(n->proto, IKEV2_PROTO_AH);
	assert_int_not_equal(n->spi_out, old_out);
	assert_ah_mirror(a, b, n->spi_in, 48);
	assert_int_equal(mem_sa_count(a->plat), 4);
	assert_int_equal(mem_sa_count(b->plat), 4);
	/* a deletes it */
	assert_int_equal(engine_delete_child(a->eng, a->handle, n->spi_in,
	    hn_now), 0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 1);
	assert_int_equal(peer_sa(a)->children->proto, IKEV2_PROTO_ESP);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_string_equal(event_find(b, ENGINE_EV_CHILD_DOWN, 1)->reason,
	    "deleted by peer");
	peers_free(a, b);
}

/* The first AH Child SA rekeyed by its initiator: new AH SAs, new keys,
 * the old ones gone, the AH policies kept. */
static void
ah_rekey_first(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;
	uint32_t old_in, old_out;
	uint8_t old_key[32];

	(void)state;
	use_ah(a, AUTH_HMAC_SHA2_256_128, PLAT_TRANSPORT);
	use_ah(b, AUTH_HMAC_SHA2_256_128, PLAT_TRANSPORT);
	establish(a, b);
	c = peer_sa(a)->children;
	old_in = c->spi_in;
	old_out = c->spi_out;
	memcpy(old_key, kernel_sa(a, &peer_sa(a)->remote, old_out,
	    IPPROTO_AH)->sa.integ_key->data, sizeof(old_key));
	assert_int_equal(engine_rekey_child(a->eng, a->handle, old_in,
	    hn_now), 0);
	pump(a, b);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 32);
	assert_int_not_equal(c->spi_in, old_in);
	assert_null(kernel_sa(a, &peer_sa(a)->local, old_in, IPPROTO_AH));
	assert_null(kernel_sa(b, &peer_sa(b)->local, old_out, IPPROTO_AH));
	assert_memory_not_equal(kernel_sa(a, &peer_sa(a)->remote, c->spi_out,
	    IPPROTO_AH)->sa.integ_key->data, old_key, sizeof(old_key));
	assert_int_equal(mem_policy_count(a->plat), 2);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	peers_free(a, b);
}

/* Both sides accept ESP and AH, in opposite orders: b (responder)
 * picks AH; when b rekeys, the new Child SA is AH again although a
 * prefers ESP, as the kernel policies the two share are AH's. */
static void
rekey_keeps_protocol(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	const struct child_sa *c;
	uint32_t old_in;

	(void)state;
	a->ccfg.props[1] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_256_128 };
	a->ccfg.nprops = 2;
	b->ccfg.props[1] = b->ccfg.props[0];
	b->ccfg.props[0] = a->ccfg.props[1];
	b->ccfg.nprops = 2;
	establish(a, b);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 32);
	old_in = c->spi_in;
	assert_int_equal(engine_rekey_child(b->eng, peer_sa(b)->handle,
	    c->spi_out, hn_now), 0);
	pump(b, a);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 1);
	c = assert_ah_mirror(a, b, peer_sa(a)->children->spi_in, 32);
	assert_int_not_equal(c->spi_in, old_in);
	assert_int_equal(mem_sa_count(a->plat), 2);
	assert_int_equal(mem_sa_count(b->plat), 2);
	assert_int_equal(mem_larval_count(b->plat), 0);
	assert_int_equal(mem_policy_count(a->plat), 3);
	peers_free(a, b);
}

/* What child_cfg_check() takes for AH and what it refuses. */
static void
ah_cfg_check(void **state)
{
	struct peer *a = peer_new("a", 1, 2);
	struct child_cfg c;
	uint32_t h;

	(void)state;
	use_ah(a, AUTH_HMAC_SHA2_256_128, PLAT_TUNNEL);
	c = a->ccfg;
	assert_int_equal(child_cfg_check(&c), 0);
	c.props[0].encr = ENCR_AES_CBC;		/* AH has no cipher */
	c.props[0].key_bits = 128;
	assert_int_equal(child_cfg_check(&c), IKE_EINVAL);
	c = a->ccfg;
	c.props[0].integ = AUTH_NONE;		/* nor protection */
	assert_int_equal(child_cfg_check(&c), IKE_EINVAL);
	c.props[0].integ = AUTH_HMAC_MD5_96;	/* legacy */
	assert_int_equal(child_cfg_check(&c), IKE_EUNSUPP);
	c.props[0].integ = 999;
	assert_int_equal(child_cfg_check(&c), IKE_EUNSUPP);
	c = a->ccfg;
	c.props[0].proto = IKEV2_PROTO_IKE;
	assert_int_equal(child_cfg_check(&c), IKE_EINVAL);
	assert_int_equal(engine_initiate(a->eng, &a->cfg, &c, hn_now, &h),
	    IKE_EINVAL);
	assert_int_equal(engine_sa_count(a->eng), 0);
	peer_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ah_tunnel),
		cmocka_unit_test(ah_transport_sha512),
		cmocka_unit_test(responder_picks_ah),
		cmocka_unit_test(responder_prefers_esp),
		cmocka_unit_test(ah_against_esp_refused),
		cmocka_unit_test(ah_create_rekey_delete),
		cmocka_unit_test(ah_rekey_first),
		cmocka_unit_test(rekey_keeps_protocol),
		cmocka_unit_test(ah_cfg_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
