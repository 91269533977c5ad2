/* The IKEv2 codec against messages written byte by byte from the RFC
 * diagrams (the .hex files in tests/codec/vectors, each field
 * commented) and the message of RFC 7634 appendix B.  Each decodes to
 * the values its comments name and encodes back to the same bytes; the RFC 7634
 * Encrypted payload opens with the RFC's key at the boundaries
 * codec_sk_view() gives, and the layout codec_encode() gives a new SK
 * payload seals to the RFC's bytes again. */
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
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

static void
assert_slice(struct ike_slice s, const char *hex)
{
	size_t n;
	uint8_t *want = cx_hex(hex, &n);

	assert_int_equal(s.len, n);
	if (n > 0)
		assert_memory_equal(s.p, want, n);
}

static void
assert_types(const struct ike_msg *m, const uint8_t *types, size_t n)
{
	size_t i;

	assert_int_equal(m->npl, n);
	for (i = 0; i < n; i++)
		assert_int_equal(m->pl[i].type, types[i]);
}

static void
every_vector_round_trips(void **state)
{
	static const char *const names[] = { "all_payloads", "sa_init_req",
	    "sa_init_resp", "sa_init_cookie", "sa_init_invalid_ke",
	    "sa_init_no_proposal", "rfc7634_b", "skf_frag1", "skf_frag2" };
	size_t i, len;
	uint8_t *b;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		print_message("%s\n", names[i]);
		b = cx_vector(names[i], &len);
		cx_roundtrip(b, len);
	}
}

/* all_payloads.hex: every decoded value, in the order of its comments. */
static void
all_payloads_header_sa_ke(const struct ike_msg *m)
{
	const struct ike_prop *p;
	const struct ike_xform *x;

	assert_true(m->hdr.spi_i == 0x0011223344556677ULL);
	assert_true(m->hdr.spi_r == 0x8899aabbccddeeffULL);
	assert_int_equal(m->hdr.next, IKEV2_PL_SA);
	assert_int_equal(m->hdr.major, 2);
	assert_int_equal(m->hdr.minor, 0);
	assert_int_equal(m->hdr.exchange, IKEV2_EXCH_INFORMATIONAL);
	assert_int_equal(m->hdr.flags, IKEV2_F_INITIATOR);
	assert_int_equal(m->hdr.msgid, 1);
	assert_int_equal(m->hdr.length, 418);
	assert_int_equal(m->pl[0].u.sa.nprop, 1);
	p = &m->prop[m->pl[0].u.sa.prop0];
	assert_int_equal(p->num, 1);
	assert_int_equal(p->proto, IKEV2_PROTO_ESP);
	assert_int_equal(p->spi_size, 4);
	assert_true(p->spi == 0xc0ffee01);
	assert_int_equal(p->nxf, 2);
	x = &m->xf[p->xf0];
	assert_int_equal(x->type, IKEV2_XF_ENCR);
	assert_int_equal(x->id, IKEV2_ENCR_AES_CBC);
	assert_int_equal(x->nattr, 2);
	assert_int_equal(ike_xform_key_bits(m, x), 128);
	assert_int_equal(m->attr[x->attr0 + 1].type, 17);
	assert_false(m->attr[x->attr0 + 1].tv);
	assert_slice(m->attr[x->attr0 + 1].data, "f0f1");
	x++;
	assert_int_equal(x->type, IKEV2_XF_INTEG);
	assert_int_equal(x->id, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(x->nattr, 0);
	assert_int_equal(ike_xform_key_bits(m, x), 0);
	assert_int_equal(m->pl[1].u.ke.group, IKEV2_DH_CURVE25519);
	assert_slice(m->pl[1].u.ke.data, "8520f0098930a754748b7ddcb43ef75a"
	    "0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

static void
all_payloads_ids_to_delete(const struct ike_msg *m)
{
	const struct pl_notify *n = &m->pl[8].u.notify;
	uint32_t spi;

	assert_int_equal(m->pl[2].u.id.type, IKEV2_ID_IPV4_ADDR);
	assert_slice(m->pl[2].u.id.data, "c0000201");
	assert_int_equal(m->pl[3].u.id.type, IKEV2_ID_FQDN);
	assert_slice(m->pl[3].u.id.data, "76706e2e6578616d706c65");
	assert_int_equal(m->pl[4].u.cert.encoding, IKEV2_CERT_X509_SIG);
	assert_slice(m->pl[4].u.cert.data, "3006020101020102");
	assert_int_equal(m->pl[5].u.cert.encoding, IKEV2_CERT_X509_SIG);
	assert_int_equal(m->pl[5].u.cert.data.len, 20);
	assert_int_equal(m->pl[6].u.auth.method, IKEV2_AUTH_SHARED_KEY_MIC);
	assert_int_equal(m->pl[6].u.auth.data.len, 16);
	assert_slice(m->pl[7].u.nonce.data, "f0e0d0c0b0a090807060504030201000");
	assert_int_equal(n->proto, IKEV2_PROTO_ESP);
	assert_int_equal(n->spi_size, 4);
	assert_int_equal(n->type, IKEV2_N_REKEY_SA);
	assert_true(n->spi == 0xc0ffee01);
	assert_int_equal(n->data.len, 0);
	assert_int_equal(m->pl[9].u.del.proto, IKEV2_PROTO_ESP);
	assert_int_equal(m->pl[9].u.del.nspi, 2);
	assert_int_equal(ike_msg_delete_spi(&m->pl[9].u.del, 0, &spi), 0);
	assert_true(spi == 0xc0ffee01);
	assert_int_equal(ike_msg_delete_spi(&m->pl[9].u.del, 1, &spi), 0);
	assert_true(spi == 0xc0ffee02);
	assert_int_equal(ike_msg_delete_spi(&m->pl[9].u.del, 2, &spi),
	    IKE_EINVAL);
	assert_slice(m->pl[10].u.vendor.data, "494b4531");
}

static void
all_payloads_ts_to_sk(const struct ike_msg *m)
{
	static const uint8_t v6lo[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	const struct ike_tsel *t;
	const struct ike_cpattr *a;

	assert_int_equal(m->pl[11].u.ts.nts, 1);
	t = &m->ts[m->pl[11].u.ts.ts0];
	assert_int_equal(t->type, IKEV2_TS_IPV4_ADDR_RANGE);
	assert_int_equal(t->proto, 6);
	assert_int_equal(t->sport, 0);
	assert_int_equal(t->eport, 65535);
	assert_memory_equal(t->start, "\xc0\x00\x02\x00", 4);
	assert_memory_equal(t->end, "\xc0\x00\x02\xff", 4);
	t = &m->ts[m->pl[12].u.ts.ts0];
	assert_int_equal(t->type, IKEV2_TS_IPV6_ADDR_RANGE);
	assert_int_equal(t->sport, 500);
	assert_int_equal(t->eport, 500);
	assert_memory_equal(t->start, v6lo, 16);
	assert_int_equal(t->end[15], 0xff);
	assert_int_equal(m->pl[13].u.cp.type, IKEV2_CFG_REPLY);
	assert_int_equal(m->pl[13].u.cp.nattr, 2);
	a = &m->cp[m->pl[13].u.cp.attr0];
	assert_int_equal(a[0].type, IKEV2_CP_INTERNAL_IP4_ADDRESS);
	assert_slice(a[0].value, "c0000264");
	assert_int_equal(a[1].type, IKEV2_CP_INTERNAL_IP6_ADDRESS);
	assert_slice(a[1].value, "20010db800000000000000000000006440");
	assert_int_equal(m->pl[14].u.eap.code, IKEV2_EAP_REQUEST);
	assert_int_equal(m->pl[14].u.eap.ident, 7);
	assert_int_equal(m->pl[14].u.eap.type, 1);
	assert_slice(m->pl[14].u.eap.data, "6869");
	assert_true(m->pl[15].skipped);
	assert_false(m->pl[15].critical);
	assert_slice(m->pl[15].body, "010203");
	assert_int_equal(m->pl[16].next, IKEV2_PL_NOTIFY);
	assert_slice(m->pl[16].u.sk.data, "1011121314151617 a0a1a2a3"
	    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
}

static void
all_payloads_fields(void **state)
{
	static const uint8_t types[] = { IKEV2_PL_SA, IKEV2_PL_KE,
	    IKEV2_PL_IDI, IKEV2_PL_IDR, IKEV2_PL_CERT, IKEV2_PL_CERTREQ,
	    IKEV2_PL_AUTH, IKEV2_PL_NONCE, IKEV2_PL_NOTIFY, IKEV2_PL_DELETE,
	    IKEV2_PL_VENDOR, IKEV2_PL_TSI, IKEV2_PL_TSR, IKEV2_PL_CP,
	    IKEV2_PL_EAP, 200, IKEV2_PL_SK };
	size_t len;
	uint8_t *b = cx_vector("all_payloads", &len);
	struct ike_msg *m = cx_roundtrip(b, len);

	(void)state;
	assert_types(m, types, sizeof(types));
	all_payloads_header_sa_ke(m);
	all_payloads_ids_to_delete(m);
	all_payloads_ts_to_sk(m);
	assert_ptr_equal(ike_msg_find(m, IKEV2_PL_TSR, NULL), &m->pl[12]);
	assert_null(ike_msg_find(m, IKEV2_PL_TSR, &m->pl[12]));
	assert_null(ike_msg_find(m, 200, NULL));	/* skipped */
	assert_ptr_equal(ike_msg_notify(m, IKEV2_N_REKEY_SA), &m->pl[8]);
	assert_null(ike_msg_notify(m, IKEV2_N_COOKIE));
}

#define RFC5903_GI \
	"dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180" \
	"5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3"
#define RFC5903_GR \
	"d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63" \
	"56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab"

static void
assert_xf(const struct ike_msg *m, const struct ike_prop *p, size_t i,
    uint8_t type, uint16_t id, uint16_t key_bits)
{
	const struct ike_xform *x = &m->xf[p->xf0 + i];

	assert_int_equal(x->type, type);
	assert_int_equal(x->id, id);
	assert_int_equal(ike_xform_key_bits(m, x), key_bits);
}

static void
sa_init_request(void **state)
{
	static const uint8_t types[] = { IKEV2_PL_SA, IKEV2_PL_KE,
	    IKEV2_PL_NONCE, IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY,
	    IKEV2_PL_NOTIFY, IKEV2_PL_VENDOR };
	size_t len;
	uint8_t *b = cx_vector("sa_init_req", &len);
	struct ike_msg *m = cx_roundtrip(b, len);
	const struct ike_prop *p = &m->prop[0];
	struct rules_result res;

	(void)state;
	assert_types(m, types, sizeof(types));
	assert_true(m->hdr.spi_r == 0);
	assert_int_equal(m->nprop, 2);
	assert_int_equal(p[0].num, 1);
	assert_int_equal(p[0].spi_size, 0);
	assert_int_equal(p[0].nxf, 3);
	assert_xf(m, &p[0], 0, IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	assert_xf(m, &p[0], 1, IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	assert_xf(m, &p[0], 2, IKEV2_XF_DH, IKEV2_DH_ECP_256, 0);
	assert_int_equal(p[1].num, 2);
	assert_int_equal(p[1].nxf, 4);
	assert_xf(m, &p[1], 0, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128);
	assert_xf(m, &p[1], 2, IKEV2_XF_INTEG,
	    IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	assert_xf(m, &p[1], 3, IKEV2_XF_DH, IKEV2_DH_MODP_2048, 0);
	assert_int_equal(m->pl[1].u.ke.group, 19);
	assert_slice(m->pl[1].u.ke.data, RFC5903_GI);
	assert_int_equal(m->pl[2].u.nonce.data.len, 32);
	assert_int_equal(m->pl[3].u.notify.type,
	    IKEV2_N_NAT_DETECTION_SOURCE_IP);
	assert_int_equal(m->pl[5].u.notify.type,
	    IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED);
	assert_slice(m->pl[6].u.notify.data, "000200030004");
	assert_int_equal(rules_check(m, IKEV2_EXCH_IKE_SA_INIT, false, &res),
	    0);
	assert_string_equal(res.form, "IKE_SA_INIT request");
}

static void
sa_init_response(void **state)
{
	size_t len;
	uint8_t *b = cx_vector("sa_init_resp", &len);
	struct ike_msg *m = cx_roundtrip(b, len);
	struct rules_result res;

	(void)state;
	assert_int_equal(m->hdr.flags, IKEV2_F_RESPONSE);
	assert_int_equal(m->nprop, 1);
	assert_int_equal(m->prop[0].num, 1);
	assert_slice(m->pl[1].u.ke.data, RFC5903_GR);
	assert_int_equal(m->pl[3].type, IKEV2_PL_CERTREQ);
	assert_int_equal(rules_check(m, IKEV2_EXCH_IKE_SA_INIT, true, &res),
	    0);
	assert_string_equal(res.form, "IKE_SA_INIT response");
}

/* <-- HDR, N(COOKIE) / N(INVALID_KE_PAYLOAD) / N(NO_PROPOSAL_CHOSEN) */
static void
sa_init_notify_only(void **state)
{
	static const struct {
		const char	*name;
		uint16_t	 type;
		const char	*data;
	} c[] = {
		{ "sa_init_cookie", IKEV2_N_COOKIE,
		  "0000000100112233445566778899aabbccddeeff" },
		{ "sa_init_invalid_ke", IKEV2_N_INVALID_KE_PAYLOAD, "000e" },
		{ "sa_init_no_proposal", IKEV2_N_NO_PROPOSAL_CHOSEN, "" },
	};
	struct rules_result res;
	struct ike_msg *m;
	size_t i, len;
	uint8_t *b;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		b = cx_vector(c[i].name, &len);
		m = cx_roundtrip(b, len);
		assert_int_equal(m->npl, 1);
		assert_int_equal(m->pl[0].u.notify.type, c[i].type);
		assert_slice(m->pl[0].u.notify.data, c[i].data);
		assert_int_equal(rules_check(m, IKEV2_EXCH_IKE_SA_INIT, true,
		    &res), 0);
		assert_string_equal(res.form, "IKE_SA_INIT error response");
	}
}

#define CHACHA_KEY "808182838485868788898a8b8c8d8e8f" \
	"909192939495969798999a9b9c9d9e9f" "a0a1a2a3"

static struct sk_cipher *
rfc7634_cipher(void)
{
	struct sk_cipher *sk = NULL;
	size_t klen;
	uint8_t *key = cx_hex(CHACHA_KEY, &klen);

	assert_int_equal(sk_cipher_new(ENCR_CHACHA20_POLY1305, 0, key, klen,
	    0, NULL, 0, 0, &sk), 0);
	return sk;
}

/* Decodes the RFC 7634 message, opens its SK payload and decodes the
 * content; returns the message and the datagram. */
static struct ike_msg *
rfc7634_open(uint8_t **dgram, size_t *dlen)
{
	struct sk_cipher *sk = rfc7634_cipher();
	size_t len, ptlen, data_len;
	uint8_t *b = cx_vector("rfc7634_b", &len);
	uint8_t *want = cx_vector("rfc7634_b_pt", &ptlen);
	uint8_t *pt = cx_dup(NULL, 64);
	struct ike_msg *m = cx_roundtrip(b, len);
	struct codec_diag d;
	struct sk_view v;

	assert_int_equal(codec_sk_view(m, 8, 16, &v), 0);
	assert_ptr_equal(v.aad.p, b);
	assert_int_equal(v.aad.len, 32);
	assert_ptr_equal(v.iv.p, b + 32);
	assert_int_equal(v.iv.len, 8);
	assert_ptr_equal(v.ct.p, b + 40);
	assert_int_equal(v.ct.len, 13);
	assert_ptr_equal(v.icv.p, b + 53);
	assert_int_equal(v.icv.len, 16);
	assert_int_equal(v.first, IKEV2_PL_NOTIFY);
	assert_int_equal(sk_cipher_decrypt(sk, v.iv.p, v.aad.p, v.aad.len,
	    v.ct.p, v.ct.len, v.icv.p, pt), 0);
	sk_cipher_free(sk);
	assert_int_equal(ptlen, v.ct.len);
	assert_memory_equal(pt, want, ptlen);
	assert_int_equal(codec_sk_unpad(pt, ptlen, &data_len), 0);
	assert_int_equal(data_len, 12);
	assert_int_equal(codec_decode_inner(m, v.first, pt, data_len, &d), 0);
	*dgram = b;
	*dlen = len;
	return m;
}

static void
rfc7634_opens(void **state)
{
	uint8_t *b, first;
	size_t len;
	struct ike_msg *m = rfc7634_open(&b, &len);
	struct rules_result res;
	struct wr w;

	(void)state;
	assert_int_equal(m->npl, 2);
	assert_true(m->pl[1].encrypted);
	assert_int_equal(m->pl[1].u.notify.type, IKEV2_N_SET_WINDOW_SIZE);
	assert_slice(m->pl[1].u.notify.data, "0000000a");
	assert_int_equal(rules_check(m, IKEV2_EXCH_INFORMATIONAL, false,
	    &res), 0);
	wr_init(&w, 0);
	assert_int_equal(codec_encode_inner(m, &w, &first), 0);
	assert_int_equal(first, IKEV2_PL_NOTIFY);
	assert_int_equal(w.len, 12);
	assert_memory_equal(w.buf, m->pl[1].body.p - 4, 12);
	wr_free(&w);
}

/* A new SK payload laid out by the encoder, sealed with the RFC's key
 * and IV, is the RFC's message. */
static void
rfc7634_seals(void **state)
{
	uint8_t *b;
	size_t len;
	struct ike_msg *m = rfc7634_open(&b, &len);
	struct sk_params skp = { .iv_len = 8, .block_len = 1, .icv_len = 16 };
	struct sk_cipher *sk = rfc7634_cipher();
	struct sk_layout lay;
	struct wr w;

	(void)state;
	wr_init(&w, 0);
	assert_int_equal(codec_encode(m, &skp, &w, &lay), 0);
	assert_int_equal(w.len, len);
	assert_int_equal(lay.aad_off, 0);
	assert_int_equal(lay.aad_len, 32);
	assert_int_equal(lay.iv_off, 32);
	assert_int_equal(lay.pt_off, 40);
	assert_int_equal(lay.pt_len, 13);
	assert_int_equal(lay.icv_off, 53);
	memcpy(w.buf + lay.iv_off, "\x10\x11\x12\x13\x14\x15\x16\x17", 8);
	assert_int_equal(sk_cipher_encrypt(sk, w.buf + lay.iv_off,
	    w.buf + lay.aad_off, lay.aad_len, w.buf + lay.pt_off, lay.pt_len,
	    w.buf + lay.pt_off, w.buf + lay.icv_off), 0);
	assert_memory_equal(w.buf, b, len);
	sk_cipher_free(sk);
	wr_free(&w);
}

static void
sk_view_refusals(void **state)
{
	size_t len;
	uint8_t *b = cx_vector("rfc7634_b", &len);
	struct ike_msg *m = cx_roundtrip(b, len);
	struct sk_view v;

	(void)state;
	/* 37 octets of IV, ciphertext and ICV */
	assert_int_equal(codec_sk_view(m, 8, 28, &v), 0);
	assert_int_equal(v.ct.len, 1);
	assert_int_equal(codec_sk_view(m, 8, 29, &v), IKE_EMALFORMED);
	assert_int_equal(codec_sk_view(m, 38, 0, &v), IKE_EMALFORMED);
	assert_int_equal(codec_sk_view(m, 37, 0, &v), IKE_EMALFORMED);
	b = cx_vector("sa_init_req", &len);
	m = cx_roundtrip(b, len);
	assert_int_equal(codec_sk_view(m, 8, 16, &v), IKE_ENOTFOUND);
}

/* RFC 7383 s. 2.5: the AAD runs to the end of Total Fragments. */
static void
skf_fragments(void **state)
{
	size_t len;
	uint8_t *b = cx_vector("skf_frag1", &len);
	struct ike_msg *m = cx_roundtrip(b, len);
	struct sk_view v;

	(void)state;
	assert_int_equal(m->npl, 1);
	assert_int_equal(m->pl[0].type, IKEV2_PL_SKF);
	assert_int_equal(m->pl[0].next, IKEV2_PL_IDI);
	assert_int_equal(m->pl[0].u.skf.frag_num, 1);
	assert_int_equal(m->pl[0].u.skf.frag_total, 2);
	assert_int_equal(codec_sk_view(m, 8, 16, &v), 0);
	assert_int_equal(v.aad.len, 36);
	assert_ptr_equal(v.iv.p, b + 36);
	assert_int_equal(v.ct.len, 20);
	assert_int_equal(v.first, IKEV2_PL_IDI);
	b = cx_vector("skf_frag2", &len);
	m = cx_roundtrip(b, len);
	assert_int_equal(m->pl[0].next, 0);
	assert_int_equal(m->pl[0].u.skf.frag_num, 2);
	assert_int_equal(codec_sk_view(m, 8, 16, &v), 0);
	assert_int_equal(v.aad.len, 36);
	assert_int_equal(v.ct.len, 9);
}

/* An outer message of the exchange with an SK payload whose content
 * starts with `first`; the ciphertext is never opened here. */
static struct ike_msg *
sk_outer(uint8_t exchange, bool response, uint8_t first)
{
	static const uint8_t data[40] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ike_hdr h = { .spi_i = 0x0102030405060708ULL,
	    .spi_r = 0x1112131415161718ULL, .exchange = exchange,
	    .flags = response ? IKEV2_F_RESPONSE : IKEV2_F_INITIATOR,
	    .msgid = 2 };
	struct ike_msg *m = cx_msg();
	struct ike_pl *pl;
	uint8_t *b;
	size_t len;

	ike_msg_init(m, &h);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_SK, false, &pl), 0);
	pl->next = first;
	pl->u.sk.data.p = data;
	pl->u.sk.data.len = sizeof(data);
	b = cx_encode(m, &len);
	assert_int_equal(len, 28 + 4 + sizeof(data));
	return cx_roundtrip(b, len);
}

static const struct {
	const char	*name;
	uint8_t		 exchange;
	bool		 response;
	uint8_t		 first;
	const char	*form;
} inner_cases[] = {
	{ "auth_req_inner", IKEV2_EXCH_IKE_AUTH, false, IKEV2_PL_IDI,
	  "IKE_AUTH request" },
	{ "auth_resp_inner", IKEV2_EXCH_IKE_AUTH, true, IKEV2_PL_IDR,
	  "IKE_AUTH response" },
	{ "auth_resp_eap_inner", IKEV2_EXCH_IKE_AUTH, true, IKEV2_PL_IDR,
	  "IKE_AUTH response with EAP" },
	{ "ccsa_child_req_inner", IKEV2_EXCH_CREATE_CHILD_SA, false,
	  IKEV2_PL_NOTIFY, "CREATE_CHILD_SA request (Child SA)" },
	{ "ccsa_child_resp_inner", IKEV2_EXCH_CREATE_CHILD_SA, true,
	  IKEV2_PL_SA, "CREATE_CHILD_SA response (Child SA)" },
	{ "ccsa_ike_req_inner", IKEV2_EXCH_CREATE_CHILD_SA, false,
	  IKEV2_PL_SA, "CREATE_CHILD_SA request (IKE SA rekey)" },
	{ "ccsa_ike_resp_inner", IKEV2_EXCH_CREATE_CHILD_SA, true,
	  IKEV2_PL_SA, "CREATE_CHILD_SA response (IKE SA rekey)" },
	{ "ccsa_error_inner", IKEV2_EXCH_CREATE_CHILD_SA, true,
	  IKEV2_PL_NOTIFY, "CREATE_CHILD_SA error response" },
	{ "info_delete_inner", IKEV2_EXCH_INFORMATIONAL, false,
	  IKEV2_PL_DELETE, "INFORMATIONAL request" },
	{ "info_delete_ike_inner", IKEV2_EXCH_INFORMATIONAL, true,
	  IKEV2_PL_DELETE, "INFORMATIONAL response" },
};

static struct ike_msg *
open_inner(size_t i, uint8_t **data, size_t *len)
{
	struct ike_msg *m = sk_outer(inner_cases[i].exchange,
	    inner_cases[i].response, inner_cases[i].first);
	struct codec_diag d;
	int rc;

	*data = cx_vector(inner_cases[i].name, len);
	if ((rc = codec_decode_inner(m, inner_cases[i].first, *data, *len,
	    &d)) != 0)
		fail_msg("%s: %d, %s in %s at %zu", inner_cases[i].name, rc,
		    codec_why_str(d.why), codec_pl_name(d.pl_type), d.offset);
	return m;
}

/* Every encrypted exchange: the content decodes, passes its rules
 * with the expected form, and encodes back to the same bytes. */
static void
inner_vectors(void **state)
{
	struct rules_result res;
	struct ike_msg *m;
	struct wr w;
	uint8_t *data, first;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(inner_cases) / sizeof(inner_cases[0]); i++) {
		print_message("%s\n", inner_cases[i].name);
		m = open_inner(i, &data, &len);
		assert_true(m->inner);
		assert_true(m->pl[1].encrypted);
		assert_int_equal(rules_check(m, inner_cases[i].exchange,
		    inner_cases[i].response, &res), 0);
		assert_string_equal(res.form, inner_cases[i].form);
		wr_init(&w, 0);
		assert_int_equal(codec_encode_inner(m, &w, &first), 0);
		assert_int_equal(first, inner_cases[i].first);
		assert_int_equal(w.len, len);
		assert_memory_equal(w.buf, data, len);
		wr_free(&w);
	}
}

static void
auth_request_fields(void **state)
{
	static const uint8_t types[] = { IKEV2_PL_SK, IKEV2_PL_IDI,
	    IKEV2_PL_NOTIFY, IKEV2_PL_IDR, IKEV2_PL_AUTH, IKEV2_PL_CP,
	    IKEV2_PL_SA, IKEV2_PL_TSI, IKEV2_PL_TSR, IKEV2_PL_NOTIFY };
	uint8_t *data;
	size_t len;
	struct ike_msg *m = open_inner(0, &data, &len);
	const struct ike_pl *cp, *tsr;
	const struct ike_tsel *t;

	(void)state;
	assert_types(m, types, sizeof(types));
	assert_slice(m->pl[1].u.id.data, "696e69746961746f722e6578616d706c65");
	assert_int_equal(m->pl[2].u.notify.type, IKEV2_N_INITIAL_CONTACT);
	cp = &m->pl[5];
	assert_int_equal(cp->u.cp.type, IKEV2_CFG_REQUEST);
	assert_int_equal(cp->u.cp.nattr, 3);
	assert_int_equal(m->cp[cp->u.cp.attr0 + 2].type,
	    IKEV2_CP_INTERNAL_IP6_ADDRESS);
	assert_int_equal(m->cp[cp->u.cp.attr0 + 2].value.len, 0);
	assert_int_equal(m->pl[6].u.sa.nprop, 2);
	assert_int_equal(m->prop[1].num, 2);
	assert_true(m->prop[1].spi == 0x0a0b0c0d);
	assert_xf(m, &m->prop[1], 2, IKEV2_XF_ESN, IKEV2_ESN_NO, 0);
	tsr = &m->pl[8];
	assert_int_equal(tsr->u.ts.nts, 2);
	t = &m->ts[tsr->u.ts.ts0 + 1];
	assert_int_equal(t->type, IKEV2_TS_IPV6_ADDR_RANGE);
	assert_int_equal(t->proto, 17);
	assert_int_equal(t->sport, 53);
	assert_int_equal(t->start[5], 0x01);
	assert_int_equal(t->end[6], 0xff);
}

static void
ike_rekey_fields(void **state)
{
	uint8_t *data;
	size_t len;
	struct ike_msg *m = open_inner(5, &data, &len);

	(void)state;
	assert_int_equal(m->nprop, 1);
	assert_int_equal(m->prop[0].proto, IKEV2_PROTO_IKE);
	assert_int_equal(m->prop[0].spi_size, 8);
	assert_true(m->prop[0].spi == 0xc1c2c3c4c5c6c7c8ULL);
	assert_int_equal(m->pl[3].u.ke.group, IKEV2_DH_CURVE25519);
	m = open_inner(9, &data, &len);
	assert_int_equal(m->pl[1].u.del.proto, IKEV2_PROTO_IKE);
	assert_int_equal(m->pl[1].u.del.nspi, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(every_vector_round_trips),
		TEST(all_payloads_fields),
		TEST(sa_init_request),
		TEST(sa_init_response),
		TEST(sa_init_notify_only),
		TEST(rfc7634_opens),
		TEST(rfc7634_seals),
		TEST(sk_view_refusals),
		TEST(skf_fragments),
		TEST(inner_vectors),
		TEST(auth_request_fields),
		TEST(ike_rekey_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
