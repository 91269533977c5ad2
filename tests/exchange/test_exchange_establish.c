/* tests/exchange/test_exchange_establish.c: IKE_SA_INIT + IKE_AUTH (PSK)
 * + the first Child SA between two engines, for every DH group and
 * cipher family we offer; both ends must hold the same IKE SA keys and
 * mirror-image ESP SAs and policies in their kernels. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "core/exchange/exchange.h"
#include "harness.h"

static const uint16_t groups[] = { DH_MODP_2048, DH_ECP_256, DH_ECP_384,
	DH_ECP_521, DH_CURVE25519 };

struct family {
	struct ike_prop_cfg	ike;
	struct child_prop_cfg	esp;
};

static void
run_suite(const struct family *f)
{
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

		print_message("group %u\n", groups[i]);
		a->cfg.props[0] = b->cfg.props[0] = f->ike;
		a->ccfg.props[0] = b->ccfg.props[0] = f->esp;
		a->cfg.dh[0] = b->cfg.dh[0] = groups[i];
		initiate(a);
		deliver(a, b);		/* IKE_SA_INIT {SA, KE, Ni} */
		assert_int_equal(peer_sa(b)->state, IKE_SA_HALF_OPEN);
		deliver(b, a);		/* <-- {SA, KE, Nr} */
		deliver(a, b);		/* IKE_AUTH {IDi, IDr, AUTH, SA, TS} */
		assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
		deliver(b, a);		/* <-- {IDr, AUTH, SA, TSi, TSr} */
		assert_int_equal(queued(a) + queued(b), 0);
		assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
		assert_int_equal(peer_sa(a)->dh_group, groups[i]);
		assert_ike_keys_equal(peer_sa(a), peer_sa(b));
		assert_children_mirror(a, b);
		assert_int_equal(peer_sa(a)->children->encr, f->esp.encr);
		assert_int_equal(engine_stats(a->eng)->rx_malformed +
		    engine_stats(b->eng)->rx_malformed, 0);
		peers_free(a, b);
	}
}

static void
aes_cbc_hmac_sha2(void **state)
{
	struct family f = {
		{ ENCR_AES_CBC, 128, AUTH_HMAC_SHA2_256_128,
		  PRF_HMAC_SHA2_256 },
		{ IKEV2_PROTO_ESP, ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_512_256 },
	};

	(void)state;
	run_suite(&f);
}

static void
aes_gcm_16(void **state)
{
	struct family f = {
		{ ENCR_AES_GCM_16, 256, AUTH_NONE, PRF_HMAC_SHA2_384 },
		{ IKEV2_PROTO_ESP, ENCR_AES_GCM_16, 128, AUTH_NONE },
	};

	(void)state;
	run_suite(&f);
}

static void
chacha20_poly1305(void **state)
{
	struct family f = {
		{ ENCR_CHACHA20_POLY1305, 0, AUTH_NONE, PRF_HMAC_SHA2_512 },
		{ IKEV2_PROTO_ESP, ENCR_CHACHA20_POLY1305, 0, AUTH_NONE },
	};

	(void)state;
	run_suite(&f);
}

/* The responder picks by its own preference among what is offered, and
 * the initiator's second DH group is chosen when it is the only one the
 * responder has... after one INVALID_KE_PAYLOAD round (see the failure
 * tests); here both list the same groups. */
static void
responder_preference(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->cfg.props[0] = (struct ike_prop_cfg){ ENCR_AES_CBC, 256,
	    AUTH_HMAC_SHA2_256_128, PRF_HMAC_SHA2_256 };
	a->cfg.props[1] = (struct ike_prop_cfg){ ENCR_AES_GCM_16, 256, 0,
	    PRF_HMAC_SHA2_256 };
	a->cfg.nprops = 2;
	b->cfg.props[0] = a->cfg.props[1];
	b->cfg.props[1] = a->cfg.props[0];
	b->cfg.nprops = 2;
	establish(a, b);
	assert_int_equal(peer_sa(a)->encr, ENCR_AES_GCM_16);
	assert_int_equal(peer_sa(a)->integ, AUTH_NONE);
	assert_ike_keys_equal(peer_sa(a), peer_sa(b));
	assert_null(peer_sa(a)->keys.sk_ai);
	peers_free(a, b);
}

/* Transport mode with ESN: both asked for it, both installed it. */
static void
transport_mode_esn(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->ccfg.mode = b->ccfg.mode = PLAT_TRANSPORT;
	a->ccfg.esn = b->ccfg.esn = true;
	establish(a, b);
	assert_children_mirror(a, b);
	assert_int_equal(peer_sa(a)->children->mode, PLAT_TRANSPORT);
	assert_int_equal(peer_sa(b)->children->mode, PLAT_TRANSPORT);
	assert_true(peer_sa(b)->children->esn);
	peers_free(a, b);
}

/* The initiator proposes more than the responder allows: the responder
 * narrows TSi/TSr to its configuration and the initiator installs the
 * narrowed selectors. */
static void
ts_narrowing(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	ts_v4(&a->ccfg.local_ts, 10, 0, 0, 0, 10, 255, 255, 255);
	ts_v4(&a->ccfg.remote_ts, 10, 0, 0, 0, 10, 255, 255, 255);
	b->ccfg.remote_ts.proto = 6;	/* TCP only: narrows both sides */
	establish(a, b);
	assert_children_mirror(a, b);
	assert_memory_equal(&peer_sa(a)->children->ts_local,
	    &b->ccfg.remote_ts, sizeof(struct ike_ts));
	assert_memory_equal(peer_sa(a)->children->ts_remote.start,
	    b->ccfg.local_ts.start, 4);
	assert_memory_equal(peer_sa(a)->children->ts_remote.end,
	    b->ccfg.local_ts.end, 4);
	assert_int_equal(peer_sa(a)->children->ts_local.proto, 6);
	assert_int_equal(peer_sa(a)->children->ts_remote.proto, 6);
	peers_free(a, b);
}

/* Every ID type we support, as IDi and IDr, checked by both sides. */
static void
id_types(void **state)
{
	static const struct {
		uint8_t		 type;
		size_t		 len;
		const char	*data;
	} ids[] = {
		{ IKEV2_ID_IPV4_ADDR, 4, "\xc0\x00\x02\x01" },
		{ IKEV2_ID_IPV6_ADDR, 16, "\x20\x01\x0d\xb8\0\0\0\0"
		  "\0\0\0\0\0\0\0\x01" },
		{ IKEV2_ID_FQDN, 9, "a.example" },
		{ IKEV2_ID_RFC822_ADDR, 17, "admin@a.example.n" },
		{ IKEV2_ID_KEY_ID, 3, "\x00\x01\xff" },
		{ IKEV2_ID_DER_ASN1_DN, 14, "\x30\x0c\x31\x0a\x30\x08"
		  "\x06\x03\x55\x04\x03\x0c\x01\x61" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

		a->cfg.local_id.type = b->cfg.remote_id.type = ids[i].type;
		a->cfg.local_id.len = b->cfg.remote_id.len = ids[i].len;
		memcpy(a->cfg.local_id.data, ids[i].data, ids[i].len);
		memcpy(b->cfg.remote_id.data, ids[i].data, ids[i].len);
		b->cfg.local_id = a->cfg.local_id;	/* as IDr too */
		a->cfg.remote_id = a->cfg.local_id;
		establish(a, b);
		assert_children_mirror(a, b);
		peers_free(a, b);
	}
}

/* IPv6 outside and inside. */
static void
ipv6(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct peer *p[2] = { a, b };
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct ike_cfg *c = &p[i]->cfg;
		struct child_cfg *cc = &p[i]->ccfg;
		uint8_t me = (uint8_t)(i + 1), them = (uint8_t)(2 - i);

		memset(c->local.addr, 0, 16);
		memset(c->remote.addr, 0, 16);
		c->local.family = c->remote.family = AF_INET6;
		c->local.addr[0] = c->remote.addr[0] = 0x20;
		c->local.addr[15] = me;
		c->remote.addr[15] = them;
		memset(&cc->local_ts, 0, sizeof(cc->local_ts));
		cc->local_ts.family = AF_INET6;
		cc->local_ts.eport = 65535;
		cc->local_ts.start[0] = cc->local_ts.end[0] = 0xfd;
		cc->local_ts.start[1] = cc->local_ts.end[1] = me;
		memset(cc->local_ts.end + 2, 0xff, 14);
		cc->remote_ts = cc->local_ts;
		cc->remote_ts.start[1] = cc->remote_ts.end[1] = them;
	}
	establish(a, b);
	assert_children_mirror(a, b);
	assert_int_equal(peer_sa(a)->children->ts_local.family, AF_INET6);
	assert_false(peer_sa(b)->nat_remote);
	peers_free(a, b);
}

/* ------------------------------------------------ wire-level checks */

static struct dgram *
keep(struct peer *p)
{
	struct dgram *d = head(p), *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	*c = *d;
	c->next = NULL;
	c->buf = malloc(d->len);
	assert_non_null(c->buf);
	memcpy(c->buf, d->buf, d->len);
	return c;
}

static void
kept_free(struct dgram *d)
{
	free(d->buf);
	free(d);
}

static struct ike_slice
nonce_of(const struct dgram *d, struct ike_msg *m)
{
	assert_int_equal(codec_decode(d->buf, d->len, m, NULL), 0);
	return ike_msg_find(m, IKEV2_PL_NONCE, NULL)->u.nonce.data;
}

static void
prf_iov(uint16_t id, const uint8_t *key, size_t klen,
    const struct crypto_iov *v, size_t n, uint8_t *out)
{
	struct prf *p;

	assert_int_equal(prf_new(id, 0, key, klen, &p), 0);
	assert_int_equal(prf_compute(p, v, n, out, prf_out_len(id)), 0);
	prf_free(p);
}

/* The AUTH payload a sent, recomputed from the octets on the wire per
 * RFC 7296 s. 2.15; and the ESP keys both kernels got, recomputed per
 * s. 2.17 from SK_d and the nonces on the wire. */
static void
wire_auth_and_keymat(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct ike_msg *m1 = calloc(1, sizeof(*m1)), *m2 = calloc(1,
	    sizeof(*m2)), *m3 = calloc(1, sizeof(*m3));
	struct dgram *req, *resp, *auth;
	struct ike_slice ni, nr;
	const struct ike_pl *au, *id;
	uint8_t pad[64], maced[64], want[64], idhead[4], *pt;
	struct crypto_iov v[3];
	struct ike_key *km;
	const struct ike_key *sk_pi, *sk_d;
	const struct mem_sa *in;
	struct plat_sa_id sid = { .proto = 50 };
	size_t pt_len, n = 32;

	(void)state;
	assert_true(m1 != NULL && m2 != NULL && m3 != NULL);
	initiate(a);
	req = keep(a);
	deliver(a, b);
	resp = keep(b);
	deliver(b, a);
	auth = keep(a);
	pump(a, b);
	ni = nonce_of(req, m1);
	nr = nonce_of(resp, m2);
	/* open a's IKE_AUTH request with b's keys */
	assert_int_equal(codec_decode(auth->buf, auth->len, m3, NULL), 0);
	assert_int_equal(sk_open((struct ike_sa *)(uintptr_t)peer_sa(b), m3,
	    &pt, &pt_len), 0);
	au = ike_msg_find(m3, IKEV2_PL_AUTH, NULL);
	id = ike_msg_find(m3, IKEV2_PL_IDI, NULL);
	assert_int_equal(au->u.auth.method, IKEV2_AUTH_SHARED_KEY_MIC);
	sk_pi = peer_sa(b)->keys.sk_pi;
	idhead[0] = id->u.id.type;
	idhead[1] = idhead[2] = idhead[3] = 0;
	v[0] = (struct crypto_iov){ idhead, 4 };
	v[1] = (struct crypto_iov){ id->u.id.data.p, id->u.id.data.len };
	prf_iov(PRF_HMAC_SHA2_256, sk_pi->data, sk_pi->len, v, 2, maced);
	v[0] = (struct crypto_iov){ "Key Pad for IKEv2", 17 };
	prf_iov(PRF_HMAC_SHA2_256, a->cfg.psk, a->cfg.psk_len, v, 1, pad);
	v[0] = (struct crypto_iov){ req->buf, req->len };
	v[1] = (struct crypto_iov){ nr.p, nr.len };
	v[2] = (struct crypto_iov){ maced, n };
	prf_iov(PRF_HMAC_SHA2_256, pad, n, v, 3, want);
	assert_int_equal(au->u.auth.data.len, n);
	assert_memory_equal(au->u.auth.data.p, want, n);
	sk_pt_free(pt, pt_len);
	/* KEYMAT = prf+(SK_d, Ni | Nr): a's outbound (i->r) key first */
	sk_d = peer_sa(a)->keys.sk_d;
	assert_int_equal(kdf_child_keymat(PRF_HMAC_SHA2_256, 0, sk_d, NULL,
	    0, ni.p, ni.len, nr.p, nr.len, 72, &km), 0);
	sid.dst = b->cfg.local;
	sid.spi = peer_sa(b)->children->spi_in;
	assert_non_null(in = mem_sa_find(b->plat, &sid));
	assert_int_equal(in->sa.encr_key->len, 36);	/* 32 + salt */
	assert_memory_equal(in->sa.encr_key->data, km->data, 36);
	sid.dst = a->cfg.local;
	sid.spi = peer_sa(a)->children->spi_in;
	assert_non_null(in = mem_sa_find(a->plat, &sid));
	assert_memory_equal(in->sa.encr_key->data, km->data + 36, 36);
	ike_key_free(km);
	kept_free(req);
	kept_free(resp);
	kept_free(auth);
	free(m1);
	free(m2);
	free(m3);
	peers_free(a, b);
}

/* Configurations the engine refuses before sending anything. */
static void
bad_configurations(void **state)
{
	struct peer *a = peer_new("a", 1, 2);
	struct engine_callbacks cb = { 0 };
	struct ike_engine *e;
	struct ike_cfg c;
	struct child_cfg cc;
	uint32_t h;

	(void)state;
	assert_int_equal(engine_new(a->plat, &cb, NULL, &e), IKE_EINVAL);
	c = a->cfg;
	c.nprops = 0;
	assert_int_equal(engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h),
	    IKE_EINVAL);
	c = a->cfg;
	c.dh[0] = DH_MODP_1024;		/* legacy: never by default */
	assert_int_equal(engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h),
	    IKE_EUNSUPP);
	c = a->cfg;
	c.props[0].integ = AUTH_HMAC_SHA2_256_128;	/* AEAD + integ */
	assert_int_equal(engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h),
	    IKE_EINVAL);
	c = a->cfg;
	c.local_id.type = IKEV2_ID_IPV4_ADDR;	/* 9 octets: not IPv4 */
	assert_int_equal(engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h),
	    IKE_EINVAL);
	c = a->cfg;
	c.psk_len = 0;
	assert_int_equal(engine_initiate(a->eng, &c, &a->ccfg, hn_now, &h),
	    IKE_EINVAL);
	cc = a->ccfg;
	cc.remote_ts.family = AF_INET6;
	assert_int_equal(engine_initiate(a->eng, &a->cfg, &cc, hn_now, &h),
	    IKE_EINVAL);
	cc = a->ccfg;
	cc.props[0].integ = 0;
	cc.props[0].encr = ENCR_AES_CBC;
	assert_int_equal(engine_initiate(a->eng, &a->cfg, &cc, hn_now, &h),
	    IKE_EINVAL);
	assert_int_equal(queued(a), 0);
	assert_int_equal(engine_sa_count(a->eng), 0);
	ike_cfg_wipe(&c);
	peer_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aes_cbc_hmac_sha2),
		cmocka_unit_test(aes_gcm_16),
		cmocka_unit_test(chacha20_poly1305),
		cmocka_unit_test(responder_preference),
		cmocka_unit_test(transport_mode_esn),
		cmocka_unit_test(ts_narrowing),
		cmocka_unit_test(bad_configurations),
		cmocka_unit_test(id_types),
		cmocka_unit_test(ipv6),
		cmocka_unit_test(wire_auth_and_keymat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
