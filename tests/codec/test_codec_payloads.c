/* The IKEv2 encoder, payload by payload.  Messages built with the
 * ike_msg_add*() helpers encode to the bytes written by hand in the
 * .hex files of vectors/ (so the encoder is checked against an
 * expectation it did not produce), and every payload type, in its
 * variants, survives encode -> decode with the same values.  Then the
 * encoder's refusals, the builder's limits, and the layout of a new SK
 * payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

static struct ike_pl *
add(struct ike_msg *m, uint8_t type, bool encrypted)
{
	struct ike_pl *pl;

	assert_int_equal(ike_msg_add(m, type, encrypted, &pl), 0);
	return pl;
}

static struct ike_slice
S(const char *hex)
{
	struct ike_slice s;

	s.p = cx_hex(hex, &s.len);
	return s;
}

static struct ike_slice
TXT(const char *text)
{
	struct ike_slice s = { (const uint8_t *)text, strlen(text) };

	return s;
}

static void
prop(struct ike_msg *m, struct ike_pl *sa, uint8_t proto, uint8_t spi_size,
    uint64_t spi)
{
	assert_int_equal(ike_msg_add_prop(m, sa, proto, spi_size, spi), 0);
}

static void
xf(struct ike_msg *m, uint8_t type, uint16_t id, uint16_t key_bits)
{
	assert_int_equal(ike_msg_add_xform(m, type, id, key_bits), 0);
}

/* A TLV attribute on the transform added last. */
static void
tlv_attr(struct ike_msg *m, uint16_t type, const char *hex)
{
	struct ike_attr *a = &m->attr[m->nattr++];

	memset(a, 0, sizeof(*a));
	a->type = type;
	a->data = S(hex);
	m->xf[m->nxf - 1].nattr++;
}

static struct ike_pl *
notify(struct ike_msg *m, bool enc, uint16_t type, const char *data)
{
	struct ike_pl *pl = add(m, IKEV2_PL_NOTIFY, enc);

	pl->u.notify.type = type;
	if (data != NULL)
		pl->u.notify.data = S(data);
	return pl;
}

static void
ts4(struct ike_msg *m, struct ike_pl *ts, uint8_t proto, uint16_t sp,
    uint16_t ep, const char *start, const char *end)
{
	struct ike_tsel t = { .type = IKEV2_TS_IPV4_ADDR_RANGE,
	    .proto = proto, .sport = sp, .eport = ep };

	memcpy(t.start, start, 4);
	memcpy(t.end, end, 4);
	assert_int_equal(ike_msg_add_ts(m, ts, &t), 0);
}

static void
ts6(struct ike_msg *m, struct ike_pl *ts, uint8_t proto, uint16_t sp,
    uint16_t ep, const char *start, const char *end)
{
	struct ike_tsel t = { .type = IKEV2_TS_IPV6_ADDR_RANGE,
	    .proto = proto, .sport = sp, .eport = ep };

	memcpy(t.start, start, 16);
	memcpy(t.end, end, 16);
	assert_int_equal(ike_msg_add_ts(m, ts, &t), 0);
}

static void
cpattr(struct ike_msg *m, struct ike_pl *cp, uint16_t type, const char *hex)
{
	struct ike_slice v = S(hex);

	assert_int_equal(ike_msg_add_cpattr(m, cp, type, v.p, v.len), 0);
}

static void
assert_encodes_to(const struct ike_msg *m, const char *vector)
{
	size_t len, want_len;
	uint8_t *b = cx_encode(m, &len);
	uint8_t *want = cx_vector(vector, &want_len);

	assert_int_equal(len, want_len);
	assert_memory_equal(b, want, len);
}

/* Encode, decode, compare the values, and encode again. */
static void
assert_round_trip(const struct ike_msg *m)
{
	size_t len;
	uint8_t *b = cx_encode(m, &len);

	cx_assert_msg_equal(m, cx_roundtrip(b, len));
}

static struct ike_msg *
new_msg(uint8_t exchange, uint8_t flags)
{
	struct ike_hdr h = { .spi_i = 0xa1a2a3a4a5a6a7a8ULL,
	    .spi_r = 0xb1b2b3b4b5b6b7b8ULL, .exchange = exchange,
	    .flags = flags, .msgid = 7 };
	struct ike_msg *m = cx_msg();

	ike_msg_init(m, &h);
	return m;
}

/* ------------------------------------------ against hand-written bytes */

static void
encoder_writes_sa_init_req(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_SA_INIT, IKEV2_F_INITIATOR);
	struct ike_pl *sa, *pl;

	(void)state;
	m->hdr.spi_r = 0;
	m->hdr.msgid = 0;
	sa = add(m, IKEV2_PL_SA, false);
	prop(m, sa, IKEV2_PROTO_IKE, 0, 0);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	xf(m, IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	xf(m, IKEV2_XF_DH, IKEV2_DH_ECP_256, 0);
	prop(m, sa, IKEV2_PROTO_IKE, 0, 0);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128);
	xf(m, IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	xf(m, IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	xf(m, IKEV2_XF_DH, IKEV2_DH_MODP_2048, 0);
	pl = add(m, IKEV2_PL_KE, false);
	pl->u.ke.group = IKEV2_DH_ECP_256;
	pl->u.ke.data = S(
	    "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data = S(
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	notify(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    "1b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e");
	notify(m, false, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
	    "e0d1c2b3a4958677685940312213f4e5d6c7b8a9");
	notify(m, false, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL);
	notify(m, false, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, "000200030004");
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data =
	    S("882fe56d6fd20dbc2251613b2ebe5beb");
	assert_encodes_to(m, "sa_init_req");
}

static void
all_payloads_sa_to_auth(struct ike_msg *m)
{
	struct ike_pl *sa, *pl;

	sa = add(m, IKEV2_PL_SA, false);
	prop(m, sa, IKEV2_PROTO_ESP, 4, 0xc0ffee01);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128);
	tlv_attr(m, 17, "f0f1");
	xf(m, IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	pl = add(m, IKEV2_PL_KE, false);
	pl->u.ke.group = IKEV2_DH_CURVE25519;
	pl->u.ke.data = S("8520f0098930a754748b7ddcb43ef75a"
	    "0dbf3a0d26381af4eba4a98eaa9b4e6a");
	pl = add(m, IKEV2_PL_IDI, false);
	pl->u.id.type = IKEV2_ID_IPV4_ADDR;
	pl->u.id.data = S("c0000201");
	pl = add(m, IKEV2_PL_IDR, false);
	pl->u.id.type = IKEV2_ID_FQDN;
	pl->u.id.data = TXT("vpn.example");
	pl = add(m, IKEV2_PL_CERT, false);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = S("3006020101020102");
	pl = add(m, IKEV2_PL_CERTREQ, false);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = S("a9993e364706816aba3e25717850c26c9cd0d89d");
	pl = add(m, IKEV2_PL_AUTH, false);
	pl->u.auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
	pl->u.auth.data = S("000102030405060708090a0b0c0d0e0f");
}

static void
all_payloads_nonce_to_sk(struct ike_msg *m)
{
	struct ike_pl *pl;

	add(m, IKEV2_PL_NONCE, false)->u.nonce.data =
	    S("f0e0d0c0b0a090807060504030201000");
	pl = notify(m, false, IKEV2_N_REKEY_SA, NULL);
	pl->u.notify.proto = IKEV2_PROTO_ESP;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = 0xc0ffee01;
	pl = add(m, IKEV2_PL_DELETE, false);
	pl->u.del.proto = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 2;
	pl->u.del.spis = S("c0ffee01c0ffee02");
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data = TXT("IKE1");
	pl = add(m, IKEV2_PL_TSI, false);
	ts4(m, pl, 6, 0, 65535, "\xc0\x00\x02\x00", "\xc0\x00\x02\xff");
	pl = add(m, IKEV2_PL_TSR, false);
	ts6(m, pl, 0, 500, 500,
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0",
	    "\x20\x01\x0d\xb8\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_REPLY;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_ADDRESS, "c0000264");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP6_ADDRESS,
	    "20010db8000000000000000000000064 40");
	pl = add(m, IKEV2_PL_EAP, false);
	pl->u.eap.code = IKEV2_EAP_REQUEST;
	pl->u.eap.ident = 7;
	pl->u.eap.type = 1;
	pl->u.eap.data = TXT("hi");
	pl = add(m, 200, false);
	pl->skipped = true;
	pl->body = S("010203");
	pl = add(m, IKEV2_PL_SK, false);
	pl->next = IKEV2_PL_NOTIFY;
	pl->u.sk.data = S("1011121314151617 a0a1a2a3"
	    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
}

static void
encoder_writes_all_payloads(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_INFORMATIONAL,
	    IKEV2_F_INITIATOR);

	(void)state;
	m->hdr.spi_i = 0x0011223344556677ULL;
	m->hdr.spi_r = 0x8899aabbccddeeffULL;
	m->hdr.msgid = 1;
	all_payloads_sa_to_auth(m);
	all_payloads_nonce_to_sk(m);
	assert_encodes_to(m, "all_payloads");
}

static void
auth_req_inner_payloads(struct ike_msg *m)
{
	struct ike_pl *pl;

	pl = add(m, IKEV2_PL_IDI, true);
	pl->u.id.type = IKEV2_ID_FQDN;
	pl->u.id.data = TXT("initiator.example");
	notify(m, true, IKEV2_N_INITIAL_CONTACT, NULL);
	pl = add(m, IKEV2_PL_IDR, true);
	pl->u.id.type = IKEV2_ID_FQDN;
	pl->u.id.data = TXT("responder.example");
	pl = add(m, IKEV2_PL_AUTH, true);
	pl->u.auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
	pl->u.auth.data = S("5f4dcc3b5aa765d61d8327deb882cf99"
	    "2b95990a9151374abd8ff8c5a7a0fe08");
	pl = add(m, IKEV2_PL_CP, true);
	pl->u.cp.type = IKEV2_CFG_REQUEST;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_ADDRESS, "");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_DNS, "");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP6_ADDRESS, "");
}

static void
auth_req_inner_sa_ts(struct ike_msg *m)
{
	struct ike_pl *pl;

	pl = add(m, IKEV2_PL_SA, true);
	prop(m, pl, IKEV2_PROTO_ESP, 4, 0x0a0b0c0d);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	xf(m, IKEV2_XF_ESN, IKEV2_ESN_NO, 0);
	prop(m, pl, IKEV2_PROTO_ESP, 4, 0x0a0b0c0d);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128);
	xf(m, IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	xf(m, IKEV2_XF_ESN, IKEV2_ESN_NO, 0);
	pl = add(m, IKEV2_PL_TSI, true);
	ts4(m, pl, 0, 0, 65535, "\0\0\0\0", "\xff\xff\xff\xff");
	pl = add(m, IKEV2_PL_TSR, true);
	ts4(m, pl, 0, 0, 65535, "\xc6\x33\x64\x00", "\xc6\x33\x64\xff");
	ts6(m, pl, 17, 53, 53, "\x20\x01\x0d\xb8\x00\x01\0\0\0\0\0\0\0\0\0\0",
	    "\x20\x01\x0d\xb8\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
	notify(m, true, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL);
}

static void
encoder_writes_auth_req_inner(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	size_t want_len;
	uint8_t *want = cx_vector("auth_req_inner", &want_len), first;
	struct wr w;

	(void)state;
	add(m, IKEV2_PL_SK, false);
	auth_req_inner_payloads(m);
	auth_req_inner_sa_ts(m);
	wr_init(&w, 0);
	assert_int_equal(codec_encode_inner(m, &w, &first), 0);
	assert_int_equal(first, IKEV2_PL_IDI);
	assert_int_equal(w.len, want_len);
	assert_memory_equal(w.buf, want, want_len);
	wr_free(&w);
}

/* ------------------------------------------------ every payload type */

static void
rt_sa(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_SA_INIT, IKEV2_F_INITIATOR);
	struct ike_pl *sa = add(m, IKEV2_PL_SA, false);
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {	/* proposals 1, 2, 3 */
		prop(m, sa, IKEV2_PROTO_IKE, 0, 0);
		xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC,
		    (uint16_t)(128 + 64 * i));
		xf(m, IKEV2_XF_PRF, IKEV2_PRF_AES128_XCBC, 0);
		xf(m, IKEV2_XF_INTEG, IKEV2_INTEG_AES_XCBC_96, 0);
		xf(m, IKEV2_XF_DH, IKEV2_DH_CURVE25519, 0);
	}
	assert_round_trip(m);
	/* IKE SA rekey: 8-octet SPIs */
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, IKEV2_F_INITIATOR);
	sa = add(m, IKEV2_PL_SA, false);
	prop(m, sa, IKEV2_PROTO_IKE, 8, 0xfedcba9876543210ULL);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_CHACHA20_POLY1305, 0);
	xf(m, IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_512, 0);
	xf(m, IKEV2_XF_DH, IKEV2_DH_ECP_384, 0);
	/* ESP and AH proposals; a TV and a TLV attribute of no known type */
	prop(m, sa, IKEV2_PROTO_ESP, 4, 0x01020304);
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_CTR, 192);
	tlv_attr(m, 99, "00112233445566");
	m->attr[m->nattr] = (struct ike_attr){ .type = 98, .tv = true,
	    .value = 0xbeef };
	m->nattr++;
	m->xf[m->nxf - 1].nattr++;
	xf(m, IKEV2_XF_ESN, IKEV2_ESN_YES, 0);
	prop(m, sa, IKEV2_PROTO_AH, 4, 0xffffffff);
	xf(m, IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_512_256, 0);
	xf(m, IKEV2_XF_ESN, IKEV2_ESN_NO, 0);
	assert_round_trip(m);
	/* a response carries the accepted proposal's number, whatever it is */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_RESPONSE);
	sa = add(m, IKEV2_PL_SA, false);
	prop(m, sa, IKEV2_PROTO_ESP, 4, 0x11223344);
	m->prop[0].num = 3;
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 128);
	assert_round_trip(m);
}

static void
rt_ke_id_cert_auth(void **state)
{
	static const struct { uint8_t type; const char *data; } ids[] = {
		{ IKEV2_ID_IPV4_ADDR, "c0000201" },
		{ IKEV2_ID_FQDN, "686f7374" },
		{ IKEV2_ID_RFC822_ADDR, "6140622e6578616d706c65" },
		{ IKEV2_ID_IPV6_ADDR, "20010db8000000000000000000000001" },
		{ IKEV2_ID_DER_ASN1_DN, "3000" },
		{ IKEV2_ID_KEY_ID, "0102030405" },
		{ 250, "ff" },
	};
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *pl;
	size_t i;

	(void)state;
	pl = add(m, IKEV2_PL_KE, false);
	pl->u.ke.group = IKEV2_DH_MODP_2048;
	pl->u.ke.data = S("01");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		pl = add(m, i % 2 ? IKEV2_PL_IDR : IKEV2_PL_IDI, false);
		pl->u.id.type = ids[i].type;
		pl->u.id.data = S(ids[i].data);
	}
	pl = add(m, IKEV2_PL_CERT, false);
	pl->u.cert.encoding = IKEV2_CERT_HASH_URL_X509;
	pl->u.cert.data = TXT("0123456789abcdef0123http://example/c");
	add(m, IKEV2_PL_CERTREQ, false)->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl = add(m, IKEV2_PL_CERTREQ, false);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = S("00112233445566778899aabbccddeeff00112233"
	    "ffeeddccbbaa99887766554433221100ffeeddcc");
	pl = add(m, IKEV2_PL_CERTREQ, false);
	pl->u.cert.encoding = IKEV2_CERT_PGP;
	pl->u.cert.data = S("010203");
	pl = add(m, IKEV2_PL_AUTH, false);
	pl->u.auth.method = IKEV2_AUTH_DIGITAL_SIG;
	pl->u.auth.data = S("0d3003060a2b0601");
	assert_round_trip(m);
}

static void
rt_nonce_bounds(void **state)
{
	static uint8_t big[256];
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_SA_INIT, IKEV2_F_INITIATOR);

	(void)state;
	memset(big, 0xa5, sizeof(big));
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data =
	    (struct ike_slice){ big, IKEV2_NONCE_MIN };
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data =
	    (struct ike_slice){ big, IKEV2_NONCE_MAX };
	assert_round_trip(m);
}

static void
rt_notify_delete_vendor(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_INFORMATIONAL, 0);
	struct ike_pl *pl;

	(void)state;
	notify(m, false, IKEV2_N_COOKIE, "0102030405060708");
	pl = notify(m, false, IKEV2_N_CHILD_SA_NOT_FOUND, NULL);
	pl->u.notify.proto = IKEV2_PROTO_AH;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = 0x87654321;
	pl = notify(m, false, IKEV2_N_INVALID_SELECTORS, "4500001c");
	pl->u.notify.proto = IKEV2_PROTO_ESP;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = 1;
	pl = notify(m, false, 40000, "ff");	/* unknown status type */
	pl->u.notify.proto = IKEV2_PROTO_IKE;	/* ignored without an SPI */
	pl = add(m, IKEV2_PL_DELETE, false);
	pl->u.del.proto = IKEV2_PROTO_IKE;
	pl = add(m, IKEV2_PL_DELETE, false);
	pl->u.del.proto = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 3;
	pl->u.del.spis = S("000000010000000200000003");
	pl = add(m, IKEV2_PL_DELETE, false);
	pl->u.del.proto = IKEV2_PROTO_AH;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 1;
	pl->u.del.spis = S("ffffffff");
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data = TXT("x");
	assert_round_trip(m);
}

static void
rt_traffic_selectors(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, 0);
	struct ike_pl *pl;
	struct ike_tsel other = { .type = 10, .proto = 0 };

	(void)state;
	pl = add(m, IKEV2_PL_TSI, false);
	ts4(m, pl, 1, 0x0800, 0x08ff, "\x0a\0\0\x01", "\x0a\0\0\x01");
	ts4(m, pl, 6, 65535, 0, "\0\0\0\0", "\xff\xff\xff\xff"); /* OPAQUE */
	pl = add(m, IKEV2_PL_TSR, false);
	ts6(m, pl, 58, 0, 65535, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    "\xfe\x80\0\0\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff");
	other.raw = S("0001000400000001");	/* a type the codec keeps raw */
	assert_int_equal(ike_msg_add_ts(m, pl, &other), 0);
	assert_round_trip(m);
}

static void
rt_configuration(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *pl;

	(void)state;
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_REQUEST;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_NETMASK, "");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_NBNS, "");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP6_DNS, "");
	cpattr(m, pl, IKEV2_CP_SUPPORTED_ATTRIBUTES, "");
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_REPLY;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_NETMASK, "ffffff00");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_DHCP, "0a000001");
	cpattr(m, pl, IKEV2_CP_APPLICATION_VERSION, "696b652030");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP6_DHCP,
	    "20010db8000000000000000000000001");
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP6_SUBNET,
	    "20010db8000000000000000000000000 30");
	cpattr(m, pl, IKEV2_CP_SUPPORTED_ATTRIBUTES, "00010003");
	cpattr(m, pl, 16000, "aabbcc");		/* unknown: any length */
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_SET;
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_ACK;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_SUBNET, "");
	assert_round_trip(m);
}

static void
rt_eap(void **state)
{
	static const uint8_t codes[] = { IKEV2_EAP_REQUEST,
	    IKEV2_EAP_RESPONSE, IKEV2_EAP_SUCCESS, IKEV2_EAP_FAILURE };
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_RESPONSE);
	struct ike_pl *pl;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes); i++) {
		pl = add(m, IKEV2_PL_EAP, false);
		pl->u.eap.code = codes[i];
		pl->u.eap.ident = (uint8_t)(i + 1);
		if (codes[i] <= IKEV2_EAP_RESPONSE) {
			pl->u.eap.type = (uint8_t)(4 + i);	/* MD5, ... */
			pl->u.eap.data = S(i ? "" : "1000112233");
		}
	}
	assert_round_trip(m);
}

/* The critical bit of a known payload is kept but ignored (s. 3.2). */
static void
rt_sk_skf_unknown(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *pl;

	(void)state;
	pl = add(m, IKEV2_PL_NONCE, false);
	pl->critical = true;
	pl->u.nonce.data = S("00112233445566778899aabbccddeeff");
	pl = add(m, 128, false);
	pl->skipped = true;
	pl->body = S("");
	pl = add(m, IKEV2_PL_SK, false);
	pl->next = IKEV2_PL_IDI;
	pl->u.sk.data = S("00010203");
	assert_round_trip(m);
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	pl = add(m, IKEV2_PL_SKF, false);
	pl->u.skf.frag_num = 3;
	pl->u.skf.frag_total = 3;
	pl->u.skf.data = S("a0a1a2a3a4a5a6a7a8a9");
	assert_round_trip(m);
}

/* ------------------------------------------------- encoder refusals */

static int
encode_rc(const struct ike_msg *m, const struct sk_params *skp)
{
	struct sk_layout lay;
	struct wr w;
	int rc;

	wr_init(&w, 0);
	rc = codec_encode(m, skp, &w, &lay);
	wr_free(&w);
	return rc;
}

static void
encoder_refuses_misplaced_sk(void **state)
{
	struct sk_params skp = { 8, 16, 16 };
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *pl;

	(void)state;
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data = TXT("after SK");
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	add(m, IKEV2_PL_VENDOR, true)->u.vendor.data = TXT("no SK");
	assert_int_equal(encode_rc(m, &skp), IKE_EINVAL);
	assert_int_equal(encode_rc(m, NULL), 0);	/* inner not written */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_SK, true);
	assert_int_equal(encode_rc(m, &skp), IKE_EINVAL);
	/* more padding than Pad Length can say */
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, 0);
	add(m, IKEV2_PL_SK, false);
	skp.block_len = 300;
	assert_int_equal(encode_rc(m, &skp), IKE_EINVAL);
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	pl = add(m, IKEV2_PL_SKF, false);
	pl->u.skf.frag_total = 1;		/* Fragment Number 0 */
	skp.block_len = 16;
	assert_int_equal(encode_rc(m, &skp), IKE_EINVAL);
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
}

static void
encoder_refuses_bad_values(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *pl;

	(void)state;
	pl = add(m, IKEV2_PL_SA, false);
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL); /* no proposal */
	prop(m, pl, IKEV2_PROTO_ESP, 4, 0x100000000ULL);
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL); /* no transform */
	xf(m, IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 128);
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL); /* SPI > 4 octets */
	m->prop[0].spi = 0xffffffff;
	assert_int_equal(encode_rc(m, NULL), 0);
	m->attr[0].type |= IKEV2_ATTR_AF;
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
	m->attr[0].type = IKEV2_ATTR_KEY_LENGTH;
	m->prop[0].spi_size = 9;
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	add(m, IKEV2_PL_NONCE, false)->u.nonce.data = S("00112233445566778899"
	    "aabbccddee");
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);	/* 15 octets */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	add(m, IKEV2_PL_TSI, false);
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL); /* no selector */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	pl = add(m, IKEV2_PL_CP, false);
	pl->u.cp.type = IKEV2_CFG_REPLY;
	cpattr(m, pl, IKEV2_CP_INTERNAL_IP4_ADDRESS, "0a0000");
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);	/* 3 octets */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data =
	    (struct ike_slice){ NULL, 4 };
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	m->hdr.major = 16;
	assert_int_equal(encode_rc(m, NULL), IKE_EINVAL);
}

static void
encoder_refuses_oversize(void **state)
{
	static uint8_t big[70000];
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct wr w;

	(void)state;
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data =
	    (struct ike_slice){ big, sizeof(big) };
	assert_int_equal(encode_rc(m, NULL), IKE_ENOSPC);	/* > 65535 */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	wr_init(&w, 20);				/* header is 28 */
	assert_int_equal(codec_encode(m, NULL, &w, NULL), IKE_ENOSPC);
	wr_free(&w);
}

static void
builder_limits(void **state)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, IKEV2_F_INITIATOR);
	struct ike_pl *sa, *sa2, *ts, *cp, *pl;
	struct ike_tsel t = { .type = IKEV2_TS_IPV4_ADDR_RANGE };
	size_t i;

	(void)state;
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR, 1, 0), IKE_EINVAL);
	sa = add(m, IKEV2_PL_SA, false);
	prop(m, sa, IKEV2_PROTO_ESP, 4, 1);
	sa2 = add(m, IKEV2_PL_SA, false);
	prop(m, sa2, IKEV2_PROTO_ESP, 4, 2);
	/* sa's range would no longer be contiguous */
	assert_int_equal(ike_msg_add_prop(m, sa, IKEV2_PROTO_ESP, 4, 3),
	    IKE_EINVAL);
	prop(m, sa2, IKEV2_PROTO_ESP, 4, 3);
	for (i = 0; i < IKE_MSG_MAX_TRANSFORMS; i++)
		assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR, 12,
		    (uint16_t)(i < IKE_MSG_MAX_ATTRS ? 128 : 0)), 0);
	assert_int_equal(ike_msg_add_xform(m, IKEV2_XF_ENCR, 12, 0),
	    IKE_ENOSPC);
	for (i = m->nprop; i < IKE_MSG_MAX_PROPOSALS; i++)
		prop(m, sa2, IKEV2_PROTO_ESP, 4, 4);
	assert_int_equal(ike_msg_add_prop(m, sa2, IKEV2_PROTO_ESP, 4, 5),
	    IKE_ENOSPC);
	assert_int_equal(ike_msg_add_prop(m, add(m, IKEV2_PL_NONCE, false),
	    IKEV2_PROTO_ESP, 4, 5), IKE_EINVAL);
	ts = add(m, IKEV2_PL_TSI, false);
	assert_int_equal(ike_msg_add_ts(m, sa, &t), IKE_EINVAL);
	for (i = 0; i < IKE_MSG_MAX_TS; i++)
		assert_int_equal(ike_msg_add_ts(m, ts, &t), 0);
	assert_int_equal(ike_msg_add_ts(m, ts, &t), IKE_ENOSPC);
	cp = add(m, IKEV2_PL_CP, false);
	assert_int_equal(ike_msg_add_cpattr(m, ts, 1, NULL, 0), IKE_EINVAL);
	for (i = 0; i < IKE_MSG_MAX_CP_ATTRS; i++)
		assert_int_equal(ike_msg_add_cpattr(m, cp, 1, NULL, 0), 0);
	assert_int_equal(ike_msg_add_cpattr(m, cp, 1, NULL, 0), IKE_ENOSPC);
	while (m->npl < IKE_MSG_MAX_PAYLOADS)
		add(m, IKEV2_PL_VENDOR, false);
	assert_int_equal(ike_msg_add(m, IKEV2_PL_VENDOR, false, &pl),
	    IKE_ENOSPC);
}

/* ------------------------------------------------- a new SK payload */

static void
sk_layout_pads_to_blocks(void **state)
{
	struct sk_params skp = { .iv_len = 16, .block_len = 16, .icv_len = 12 };
	struct ike_msg *m = new_msg(IKEV2_EXCH_INFORMATIONAL, IKEV2_F_RESPONSE);
	struct ike_msg *d = cx_msg();
	struct ike_pl *pl;
	struct sk_layout lay;
	struct sk_view v;
	struct wr w;
	size_t i, inner = 8 + 12, pad, data_len;

	(void)state;
	add(m, IKEV2_PL_VENDOR, false)->u.vendor.data = TXT("outside");
	add(m, IKEV2_PL_SK, false);
	notify(m, true, IKEV2_N_NO_ADDITIONAL_ADDRESSES, NULL);
	pl = add(m, IKEV2_PL_DELETE, true);
	pl->u.del.proto = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.nspi = 1;
	pl->u.del.spis = S("01020304");
	wr_init(&w, 0);
	assert_int_equal(codec_encode(m, &skp, &w, &lay), 0);
	pad = 16 - (inner + 1) % 16;
	assert_int_equal(lay.aad_off, 0);
	assert_int_equal(lay.aad_len, 28 + 11 + 4);
	assert_int_equal(lay.iv_off, lay.aad_len);
	assert_int_equal(lay.pt_off, lay.iv_off + 16);
	assert_int_equal(lay.pt_len, inner + pad + 1);
	assert_int_equal(lay.pt_len % 16, 0);
	assert_int_equal(lay.icv_off, lay.pt_off + lay.pt_len);
	assert_int_equal(w.len, lay.icv_off + 12);
	for (i = 0; i < pad; i++)
		assert_int_equal(w.buf[lay.pt_off + inner + i], 0);
	assert_int_equal(w.buf[lay.pt_off + lay.pt_len - 1], pad);
	/* unencrypted, the payloads decode from where the layout says */
	assert_int_equal(codec_decode(w.buf, w.len, d, NULL), 0);
	assert_int_equal(codec_sk_view(d, 16, 12, &v), 0);
	assert_ptr_equal(v.ct.p, w.buf + lay.pt_off);
	assert_int_equal(v.ct.len, lay.pt_len);
	assert_ptr_equal(v.icv.p, w.buf + lay.icv_off);
	assert_int_equal(v.first, IKEV2_PL_NOTIFY);
	assert_int_equal(codec_sk_unpad(v.ct.p, v.ct.len, &data_len), 0);
	assert_int_equal(data_len, inner);
	assert_int_equal(codec_decode_inner(d, v.first, v.ct.p, data_len,
	    NULL), 0);
	m->pl[1].next = IKEV2_PL_NOTIFY;	/* what the encoder wrote */
	m->pl[1].u.sk.data = d->pl[1].u.sk.data;
	cx_assert_msg_equal(m, d);
	wr_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(encoder_writes_sa_init_req),
		TEST(encoder_writes_all_payloads),
		TEST(encoder_writes_auth_req_inner),
		TEST(rt_sa),
		TEST(rt_ke_id_cert_auth),
		TEST(rt_nonce_bounds),
		TEST(rt_notify_delete_vendor),
		TEST(rt_traffic_selectors),
		TEST(rt_configuration),
		TEST(rt_eap),
		TEST(rt_sk_skf_unknown),
		TEST(encoder_refuses_misplaced_sk),
		TEST(encoder_refuses_bad_values),
		TEST(encoder_refuses_oversize),
		TEST(builder_limits),
		TEST(sk_layout_pads_to_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
