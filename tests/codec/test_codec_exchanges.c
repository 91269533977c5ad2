/* Every message of every exchange (RFC 7296 s. 1.2-1.4, 2.6, 2.16), built
 * with the ike_msg_add*() helpers, goes out and comes back: encoded,
 * its SK payload sealed by the real SK ciphers at the places
 * codec_encode() lays out, then decoded, opened at the boundaries
 * codec_sk_view() gives, unpadded and decoded again.  What comes back
 * has the same values, passes the payload rules in the expected form,
 * and re-encodes to the same bytes.  Any change to the header or the SK
 * payload header breaks the ICV: the AAD is what the codec says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/codec/ikev2_rules.h"
#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

static const struct suite {
	const char	*name;
	uint16_t	 encr, key_bits, integ;
} suites[] = {
	{ "AES-GCM-16 256", ENCR_AES_GCM_16, 256, AUTH_NONE },
	{ "AES-CBC 128 + HMAC-SHA2-256-128", ENCR_AES_CBC, 128,
	  AUTH_HMAC_SHA2_256_128 },
	{ "ChaCha20-Poly1305", ENCR_CHACHA20_POLY1305, 0, AUTH_NONE },
};
#define NSUITES	(sizeof(suites) / sizeof(suites[0]))

static struct sk_cipher *
suite_cipher(const struct suite *s)
{
	struct cipher_info ci;
	struct integ_info ii;
	struct sk_cipher *sk = NULL;
	uint8_t ekey[64], ikey[64];
	size_t i;

	for (i = 0; i < sizeof(ekey); i++) {
		ekey[i] = (uint8_t)(0x40 + i);
		ikey[i] = (uint8_t)(0x90 + i);
	}
	assert_int_equal(cipher_info(s->encr, s->key_bits, &ci), 0);
	assert_int_equal(integ_info(s->integ, &ii), 0);
	assert_int_equal(sk_cipher_new(s->encr, s->key_bits, ekey, ci.key_len,
	    s->integ, s->integ != AUTH_NONE ? ikey : NULL, ii.key_len, 0,
	    &sk), 0);
	return sk;
}

/* Encodes m with a new SK payload and seals it in place. */
static uint8_t *
seal(const struct ike_msg *m, struct sk_cipher *sk, size_t *len)
{
	struct sk_params skp = { .iv_len = sk_cipher_iv_len(sk),
	    .block_len = sk_cipher_block_len(sk),
	    .icv_len = sk_cipher_icv_len(sk) };
	struct sk_layout lay;
	struct wr w;
	uint8_t *out;

	wr_init(&w, 0);
	assert_int_equal(codec_encode(m, &skp, &w, &lay), 0);
	assert_int_equal(lay.pt_len % (skp.block_len ? skp.block_len : 1), 0);
	assert_int_equal(sk_cipher_next_iv(sk, w.buf + lay.iv_off,
	    skp.iv_len), 0);
	assert_int_equal(sk_cipher_encrypt(sk, w.buf + lay.iv_off,
	    w.buf + lay.aad_off, lay.aad_len, w.buf + lay.pt_off, lay.pt_len,
	    w.buf + lay.pt_off, w.buf + lay.icv_off), 0);
	out = cx_dup(w.buf, w.len);
	*len = w.len;
	wr_free(&w);
	return out;
}

/* Decodes and opens a sealed message; IKE_EMALFORMED if the ICV fails. */
static int
open_msg(const uint8_t *b, size_t len, struct sk_cipher *sk,
    struct ike_msg **out)
{
	struct ike_msg *m = cx_roundtrip(b, len);
	struct codec_diag d;
	struct sk_view v;
	size_t data_len;
	uint8_t *pt;
	int rc;

	assert_int_equal(codec_sk_view(m, sk_cipher_iv_len(sk),
	    sk_cipher_icv_len(sk), &v), 0);
	assert_ptr_equal(v.icv.p + v.icv.len, b + len);
	pt = cx_dup(NULL, v.ct.len);
	if ((rc = sk_cipher_decrypt(sk, v.iv.p, v.aad.p, v.aad.len, v.ct.p,
	    v.ct.len, v.icv.p, pt)) != 0)
		return rc;
	assert_int_equal(codec_sk_unpad(pt, v.ct.len, &data_len), 0);
	if ((rc = codec_decode_inner(m, v.first, pt, data_len, &d)) != 0)
		fail_msg("inner: %s in %s at %zu", codec_why_str(d.why),
		    codec_pl_name(d.pl_type), d.offset);
	*out = m;
	return 0;
}

/* Checks one message both ways, with every suite when it has SK. */
static void
exchange(struct ike_msg *m, const char *form)
{
	struct ike_pl *skpl = (struct ike_pl *)ike_msg_find(m, IKEV2_PL_SK,
	    NULL);
	struct rules_result res;
	struct ike_msg *d;
	struct sk_cipher *sk;
	size_t i, len;
	uint8_t *b;

	print_message("%s\n", form);
	assert_int_equal(rules_check(m, m->hdr.exchange,
	    (m->hdr.flags & IKEV2_F_RESPONSE) != 0, &res), 0);
	assert_string_equal(res.form, form);
	if (skpl == NULL) {
		b = cx_encode(m, &len);
		cx_assert_msg_equal(m, cx_roundtrip(b, len));
		return;
	}
	for (i = 0; i < NSUITES; i++) {
		sk = suite_cipher(&suites[i]);
		b = seal(m, sk, &len);
		assert_int_equal(open_msg(b, len, sk, &d), 0);
		sk_cipher_free(sk);
		assert_int_equal(rules_check(d, d->hdr.exchange,
		    (d->hdr.flags & IKEV2_F_RESPONSE) != 0, &res), 0);
		assert_string_equal(res.form, form);
		/* what the sealed SK payload came to be */
		skpl->next = d->pl[skpl - m->pl].next;
		skpl->u.sk.data = d->pl[skpl - m->pl].u.sk.data;
		cx_assert_msg_equal(m, d);
	}
}

static struct ike_msg *
new_msg(uint8_t exchange, bool response, uint32_t msgid)
{
	struct ike_hdr h = { .spi_i = 0x5152535455565758ULL,
	    .spi_r = 0x6162636465666768ULL, .exchange = exchange,
	    .flags = response ? IKEV2_F_RESPONSE : IKEV2_F_INITIATOR,
	    .msgid = msgid };
	struct ike_msg *m = cx_msg();

	ike_msg_init(m, &h);
	return m;
}

static const uint8_t blob[300] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static struct ike_slice
B(size_t n)
{
	return (struct ike_slice){ blob, n };
}

static struct ike_pl *
add(struct ike_msg *m, uint8_t type, bool enc)
{
	struct ike_pl *pl;

	assert_int_equal(ike_msg_add(m, type, enc, &pl), 0);
	return pl;
}

static void
add_n(struct ike_msg *m, bool enc, uint16_t type, size_t data)
{
	struct ike_pl *pl = add(m, IKEV2_PL_NOTIFY, enc);

	pl->u.notify.type = type;
	pl->u.notify.data = B(data);
}

static void
add_ke(struct ike_msg *m, bool enc, uint16_t group, size_t n)
{
	struct ike_pl *pl = add(m, IKEV2_PL_KE, enc);

	pl->u.ke.group = group;
	pl->u.ke.data = B(n);
}

static void
add_id(struct ike_msg *m, uint8_t type, uint8_t id_type, size_t n)
{
	struct ike_pl *pl = add(m, type, true);

	pl->u.id.type = id_type;
	pl->u.id.data = B(n);
}

static void
add_ike_sa(struct ike_msg *m, bool enc, uint8_t spi_size, int nprop)
{
	struct ike_pl *sa = add(m, IKEV2_PL_SA, enc);
	int i;

	for (i = 0; i < nprop; i++) {
		assert_int_equal(ike_msg_add_prop(m, sa, IKEV2_PROTO_IKE,
		    spi_size, spi_size ? 0x0102030405060708ULL : 0), 0);
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR,
		    IKEV2_ENCR_AES_GCM_16, 256), 0);
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_PRF,
		    IKEV2_PRF_HMAC_SHA2_384, 0), 0);
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_DH,
		    IKEV2_DH_ECP_384, 0), 0);
	}
}

static void
add_esp_sa(struct ike_msg *m, int nprop)
{
	struct ike_pl *sa = add(m, IKEV2_PL_SA, true);
	int i;

	for (i = 0; i < nprop; i++) {
		assert_int_equal(ike_msg_add_prop(m, sa, i % 2 ?
		    IKEV2_PROTO_AH : IKEV2_PROTO_ESP, 4, 0xc0c1c2c3), 0);
		if (i % 2 == 0)
			assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR,
			    IKEV2_ENCR_AES_CBC, 256), 0);
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_INTEG,
		    IKEV2_INTEG_HMAC_SHA2_256_128, 0), 0);
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ESN,
		    IKEV2_ESN_NO, 0), 0);
	}
}

static void
add_ts(struct ike_msg *m)
{
	struct ike_tsel v4 = { .type = IKEV2_TS_IPV4_ADDR_RANGE,
	    .eport = 65535, .start = { 10, 1, 0, 0 },
	    .end = { 10, 1, 255, 255 } };
	struct ike_tsel v6 = { .type = IKEV2_TS_IPV6_ADDR_RANGE, .proto = 6,
	    .sport = 443, .eport = 443, .start = { 0x20, 0x01, 0x0d, 0xb8 },
	    .end = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff } };
	struct ike_pl *ts;

	ts = add(m, IKEV2_PL_TSI, true);
	assert_int_equal(ike_msg_add_ts(m, ts, &v4), 0);
	ts = add(m, IKEV2_PL_TSR, true);
	assert_int_equal(ike_msg_add_ts(m, ts, &v4), 0);
	assert_int_equal(ike_msg_add_ts(m, ts, &v6), 0);
}

/* -------------------------------------------------------- IKE_SA_INIT */

static void
ike_sa_init(void **state)
{
	struct ike_msg *m;

	(void)state;
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, false, 0);
	m->hdr.spi_r = 0;
	add_ike_sa(m, false, 0, 3);
	add_ke(m, false, IKEV2_DH_ECP_384, 96);
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data = B(32);
	add_n(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP, 20);
	add_n(m, false, IKEV2_N_NAT_DETECTION_DESTINATION_IP, 20);
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data = B(16);
	exchange(m, "IKE_SA_INIT request");
	/* <-- HDR(A,0), N(COOKIE) */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true, 0);
	m->hdr.spi_r = 0;
	add_n(m, false, IKEV2_N_COOKIE, 32);
	exchange(m, "IKE_SA_INIT error response");
	/* HDR(A,0), N(COOKIE), SAi1, KEi, Ni  --> */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, false, 0);
	m->hdr.spi_r = 0;
	add_n(m, false, IKEV2_N_COOKIE, 32);
	add_ike_sa(m, false, 0, 1);
	add_ke(m, false, IKEV2_DH_CURVE25519, 32);
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data = B(64);
	exchange(m, "IKE_SA_INIT request");
	/* <-- HDR, SAr1, KEr, Nr, [CERTREQ] */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true, 0);
	add_ike_sa(m, false, 0, 1);
	add_ke(m, false, IKEV2_DH_CURVE25519, 32);
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data = B(32);
	add(m, IKEV2_PL_CERTREQ, false)->u.cert.encoding = IKEV2_CERT_X509_SIG;
	m->pl[m->npl - 1].u.cert.data = B(40);
	add_n(m, false, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, 0);
	exchange(m, "IKE_SA_INIT response");
	/* <-- HDR(A,0), N(INVALID_KE_PAYLOAD) */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true, 0);
	add_n(m, false, IKEV2_N_INVALID_KE_PAYLOAD, 2);
	exchange(m, "IKE_SA_INIT error response");
}

/* ----------------------------------------------------------- IKE_AUTH */

static void
ike_auth(void **state)
{
	struct ike_msg *m;
	struct ike_pl *pl;

	(void)state;
	m = new_msg(IKEV2_EXCH_IKE_AUTH, false, 1);
	add(m, IKEV2_PL_SK, false);
	add_id(m, IKEV2_PL_IDI, IKEV2_ID_DER_ASN1_DN, 80);
	pl = add(m, IKEV2_PL_CERT, true);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = B(290);
	pl = add(m, IKEV2_PL_CERTREQ, true);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	add_n(m, true, IKEV2_N_INITIAL_CONTACT, 0);
	add_id(m, IKEV2_PL_IDR, IKEV2_ID_FQDN, 11);
	pl = add(m, IKEV2_PL_AUTH, true);
	pl->u.auth.method = IKEV2_AUTH_DIGITAL_SIG;
	pl->u.auth.data = B(270);
	pl = add(m, IKEV2_PL_CP, true);
	pl->u.cp.type = IKEV2_CFG_REQUEST;
	assert_int_equal(ike_msg_add_cpattr(m, pl,
	    IKEV2_CP_INTERNAL_IP4_ADDRESS, NULL, 0), 0);
	add_esp_sa(m, 3);
	add_ts(m);
	add_n(m, true, IKEV2_N_USE_TRANSPORT_MODE, 0);
	exchange(m, "IKE_AUTH request");
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true, 1);
	add(m, IKEV2_PL_SK, false);
	add_id(m, IKEV2_PL_IDR, IKEV2_ID_IPV4_ADDR, 4);
	pl = add(m, IKEV2_PL_AUTH, true);
	pl->u.auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
	pl->u.auth.data = B(48);
	pl = add(m, IKEV2_PL_CP, true);
	pl->u.cp.type = IKEV2_CFG_REPLY;
	assert_int_equal(ike_msg_add_cpattr(m, pl,
	    IKEV2_CP_INTERNAL_IP4_ADDRESS, blob, 4), 0);
	add_esp_sa(m, 1);
	add_ts(m);
	exchange(m, "IKE_AUTH response");
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true, 1);
	add(m, IKEV2_PL_SK, false);
	add_id(m, IKEV2_PL_IDR, IKEV2_ID_IPV6_ADDR, 16);
	pl = add(m, IKEV2_PL_AUTH, true);
	pl->u.auth.method = IKEV2_AUTH_ECDSA_256;
	pl->u.auth.data = B(64);
	add_n(m, true, IKEV2_N_TS_UNACCEPTABLE, 0);
	exchange(m, "IKE_AUTH response without Child SA");
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true, 1);
	add(m, IKEV2_PL_SK, false);
	pl = add(m, IKEV2_PL_EAP, true);
	pl->u.eap.code = IKEV2_EAP_REQUEST;
	pl->u.eap.type = 1;
	exchange(m, "IKE_AUTH response with EAP");
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true, 1);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_AUTHENTICATION_FAILED, 0);
	exchange(m, "IKE_AUTH error response");
}

/* ---------------------------------------------------- CREATE_CHILD_SA */

static void
create_child_sa(void **state)
{
	struct ike_msg *m;
	struct ike_pl *pl;

	(void)state;
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, false, 2);
	add(m, IKEV2_PL_SK, false);
	pl = add(m, IKEV2_PL_NOTIFY, true);
	pl->u.notify.type = IKEV2_N_REKEY_SA;
	pl->u.notify.proto = IKEV2_PROTO_ESP;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = 0xc0c1c2c3;
	add_esp_sa(m, 2);
	add(m, IKEV2_PL_NONCE, true)->u.nonce.data = B(32);
	add_ke(m, true, IKEV2_DH_MODP_2048, 256);
	add_ts(m);
	exchange(m, "CREATE_CHILD_SA request (Child SA)");
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true, 2);
	add(m, IKEV2_PL_SK, false);
	add_esp_sa(m, 1);
	add(m, IKEV2_PL_NONCE, true)->u.nonce.data = B(32);
	add_ke(m, true, IKEV2_DH_MODP_2048, 256);
	add_ts(m);
	exchange(m, "CREATE_CHILD_SA response (Child SA)");
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, false, 3);
	add(m, IKEV2_PL_SK, false);
	add_ike_sa(m, true, 8, 2);
	add(m, IKEV2_PL_NONCE, true)->u.nonce.data = B(48);
	add_ke(m, true, IKEV2_DH_ECP_384, 96);
	exchange(m, "CREATE_CHILD_SA request (IKE SA rekey)");
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true, 3);
	add(m, IKEV2_PL_SK, false);
	add_ike_sa(m, true, 8, 1);
	add(m, IKEV2_PL_NONCE, true)->u.nonce.data = B(48);
	add_ke(m, true, IKEV2_DH_ECP_384, 96);
	exchange(m, "CREATE_CHILD_SA response (IKE SA rekey)");
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true, 3);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_INVALID_KE_PAYLOAD, 2);
	exchange(m, "CREATE_CHILD_SA error response");
}

/* ------------------------------------------------------ INFORMATIONAL */

static void
informational(void **state)
{
	struct ike_msg *m;
	struct ike_pl *pl;

	(void)state;
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false, 4);
	add(m, IKEV2_PL_SK, false);
	pl = add(m, IKEV2_PL_DELETE, true);
	pl->u.del.proto = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 2;
	pl->u.del.spis = B(8);
	exchange(m, "INFORMATIONAL request");
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, true, 4);
	add(m, IKEV2_PL_SK, false);
	pl = add(m, IKEV2_PL_DELETE, true);
	pl->u.del.proto = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 2;
	pl->u.del.spis = B(8);
	exchange(m, "INFORMATIONAL response");
	/* liveness check, both ways: HDR, SK {} */
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false, 5);
	add(m, IKEV2_PL_SK, false);
	m->inner = true;
	exchange(m, "INFORMATIONAL request");
	m->hdr.flags = IKEV2_F_RESPONSE;
	exchange(m, "INFORMATIONAL response");
	/* deleting the IKE SA; a MOBIKE address update */
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false, 6);
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_DELETE, true)->u.del.proto = IKEV2_PROTO_IKE;
	exchange(m, "INFORMATIONAL request");
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false, 7);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_UPDATE_SA_ADDRESSES, 0);
	add_n(m, true, IKEV2_N_NAT_DETECTION_SOURCE_IP, 20);
	add_n(m, true, IKEV2_N_COOKIE2, 16);
	exchange(m, "INFORMATIONAL request");
}

/* RFC 7383: an IKE_AUTH request sent as two Encrypted Fragment
 * payloads, each sealed on its own; the receiver opens both, joins the
 * plaintexts and decodes them from fragment 1's Next Payload. */
static void
fragmented_ike_auth(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, false, 1), *f, *d;
	struct sk_cipher *sk = suite_cipher(&suites[1]);	/* CBC */
	struct rules_result res;
	struct ike_pl *pl;
	struct wr inner;
	uint8_t first, *b[2], *joined;
	size_t len[2], half, n = 0, k;
	struct ike_slice part[2];

	(void)state;
	add(m, IKEV2_PL_SK, false);
	add_id(m, IKEV2_PL_IDI, IKEV2_ID_FQDN, 20);
	pl = add(m, IKEV2_PL_AUTH, true);
	pl->u.auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
	pl->u.auth.data = B(32);
	add_esp_sa(m, 1);
	add_ts(m);
	wr_init(&inner, 0);
	assert_int_equal(codec_encode_inner(m, &inner, &first), 0);
	half = inner.len / 2;
	part[0] = (struct ike_slice){ inner.buf, half };
	part[1] = (struct ike_slice){ inner.buf + half, inner.len - half };
	for (k = 0; k < 2; k++) {
		f = new_msg(IKEV2_EXCH_IKE_AUTH, false, 1);
		pl = add(f, IKEV2_PL_SKF, false);
		pl->next = k == 0 ? first : 0;
		pl->u.skf.frag_num = (uint16_t)(k + 1);
		pl->u.skf.frag_total = 2;
		pl->u.skf.data = part[k];
		b[k] = seal(f, sk, &len[k]);
	}
	joined = cx_dup(NULL, inner.len + 64);
	for (k = 0; k < 2; k++) {
		struct ike_msg *fm = cx_roundtrip(b[k], len[k]);
		struct sk_view v;
		size_t dl;
		uint8_t *pt = cx_dup(NULL, 2048);

		assert_int_equal(codec_sk_view(fm, sk_cipher_iv_len(sk),
		    sk_cipher_icv_len(sk), &v), 0);
		assert_int_equal(v.aad.len, 28 + 8);
		assert_int_equal(v.first, k == 0 ? first : 0);
		assert_int_equal(sk_cipher_decrypt(sk, v.iv.p, v.aad.p,
		    v.aad.len, v.ct.p, v.ct.len, v.icv.p, pt), 0);
		assert_int_equal(codec_sk_unpad(pt, v.ct.len, &dl), 0);
		assert_int_equal(dl, part[k].len);
		memcpy(joined + n, pt, dl);
		n += dl;
		if (k == 0)
			d = fm;
	}
	assert_int_equal(codec_decode_inner(d, first, joined, n, NULL), 0);
	assert_int_equal(rules_check(d, IKEV2_EXCH_IKE_AUTH, false, &res), 0);
	assert_string_equal(res.form, "IKE_AUTH request");
	m->pl[0] = d->pl[0];		/* the SK stand-in became SKF */
	cx_assert_msg_equal(m, d);
	sk_cipher_free(sk);
	wr_free(&inner);
}

/* The ICV covers the header and the SK payload header: any change
 * there, even to bits the decoder ignores, makes opening fail. */
static void
aad_is_covered(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_INFORMATIONAL, false, 8);
	struct ike_msg *d;
	struct sk_cipher *sk;
	size_t i, k, len, at[] = { 0, 19, 23, 28 + 1 };
	uint8_t *b, *t;

	(void)state;
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_SET_WINDOW_SIZE, 4);
	for (i = 0; i < NSUITES; i++) {
		sk = suite_cipher(&suites[i]);
		b = seal(m, sk, &len);
		assert_int_equal(open_msg(b, len, sk, &d), 0);
		for (k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
			t = cx_dup(b, len);
			t[at[k]] ^= 0x80;	/* SPI, flags, Message ID, C */
			assert_int_equal(open_msg(t, len, sk, &d),
			    IKE_EMALFORMED);
		}
		t = cx_dup(b, len);
		t[len - 1] ^= 1;		/* the ICV itself */
		assert_int_equal(open_msg(t, len, sk, &d), IKE_EMALFORMED);
		sk_cipher_free(sk);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(ike_sa_init),
		TEST(ike_auth),
		TEST(create_child_sa),
		TEST(informational),
		TEST(fragmented_ike_auth),
		TEST(aad_is_covered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
