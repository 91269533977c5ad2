/* The IKEv1 codec (core/codec/ikev1_*.c) on messages assembled byte by
 * byte from the RFC diagrams (test_ikev1_msgs.c): every decoded field,
 * the encrypted body handed back and decoded in a second step, round
 * trips encode(decode(x)) == x, the builders producing the same octets
 * as the hand-assembled message, lookups, attribute values, and what
 * the encoder refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/codec/wr.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

extern const char v1t_mm1[], v1t_qm1_hdr[], v1t_qm1_body[], v1t_delete[],
    v1t_notify[], v1t_misc[];

static struct v1_msg *
new_msg(void)
{
	struct v1_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

static void
assert_slice(struct ike_slice s, const char *hex)
{
	size_t n;
	uint8_t *b = cx_hex(hex, &n);

	assert_int_equal(s.len, n);
	if (n > 0)
		assert_memory_equal(s.p, b, n);
}

/* encode(m) == buf */
static void
assert_encodes_to(const struct v1_msg *m, const uint8_t *buf, size_t len)
{
	struct wr w;

	wr_init(&w, 0);
	assert_int_equal(v1_encode(m, &w), 0);
	assert_int_equal(w.len, len);
	assert_memory_equal(w.buf, buf, len);
	wr_free(&w);
}

static void
assert_attr_tv(const struct v1_msg *m, size_t i, uint16_t t, uint16_t v)
{
	assert_true(m->attr[i].tv);
	assert_int_equal(m->attr[i].type, t);
	assert_int_equal(m->attr[i].value, v);
}

static void
main_mode_1(void **state)
{
	struct v1_msg *m = new_msg();
	struct v1_diag d;
	const struct v1_prop *p;
	uint64_t v;
	size_t len;
	uint8_t *b = cx_hex(v1t_mm1, &len);

	(void)state;
	assert_int_equal(len, 142);
	assert_int_equal(v1_decode(b, len, m, &d), 0);
	assert_int_equal(d.why, V1_OK);
	assert_memory_equal(m->hdr.icookie, "\1\2\3\4\5\6\7\10", 8);
	assert_int_equal(m->hdr.next, IKEV1_PL_SA);
	assert_int_equal(m->hdr.major, 1);
	assert_int_equal(m->hdr.minor, 0);
	assert_int_equal(m->hdr.exchange, IKEV1_EXCH_MAIN);
	assert_int_equal(m->hdr.length, 142);
	assert_int_equal(m->npl, 2);
	assert_int_equal(m->pl[0].type, IKEV1_PL_SA);
	assert_int_equal(m->pl[0].next, IKEV1_PL_VID);
	assert_int_equal(m->pl[0].u.sa.doi, IKEV1_DOI_IPSEC);
	assert_int_equal(m->pl[0].u.sa.situation, IKEV1_SIT_IDENTITY_ONLY);
	assert_int_equal(m->pl[0].u.sa.nprop, 1);
	assert_int_equal(m->nprop, 1);
	p = &m->prop[0];
	assert_int_equal(p->num, 1);
	assert_int_equal(p->proto, IKEV1_PROTO_ISAKMP);
	assert_int_equal(p->spi.len, 0);
	assert_int_equal(p->nxf, 2);
	assert_int_equal(m->nxf, 2);
	assert_int_equal(m->xf[0].num, 1);
	assert_int_equal(m->xf[0].id, IKEV1_KEY_IKE);
	assert_int_equal(m->xf[0].nattr, 7);
	assert_int_equal(m->xf[1].num, 2);
	assert_int_equal(m->xf[1].attr0, 7);
	assert_int_equal(m->xf[1].nattr, 6);
	assert_int_equal(m->nattr, 13);
	assert_attr_tv(m, 0, IKEV1_A_ENC, IKEV1_ENC_AES_CBC);
	assert_attr_tv(m, 1, IKEV1_A_KEY_LEN, 128);
	assert_attr_tv(m, 2, IKEV1_A_HASH, IKEV1_HASH_SHA);
	assert_attr_tv(m, 3, IKEV1_A_AUTH, IKEV1_AUTH_PSK);
	assert_attr_tv(m, 4, IKEV1_A_GROUP, 14);
	assert_attr_tv(m, 5, IKEV1_A_LIFE_TYPE, IKEV1_LIFE_SECONDS);
	assert_false(m->attr[6].tv);
	assert_int_equal(m->attr[6].type, IKEV1_A_LIFE_DURATION);
	assert_slice(m->attr[6].data, "00015180");
	assert_int_equal(v1_attr_value(&m->attr[6], &v), 0);
	assert_int_equal(v, 86400);
	assert_attr_tv(m, 7, IKEV1_A_ENC, IKEV1_ENC_3DES_CBC);
	assert_int_equal(v1_attr_value(&m->attr[12], &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(m->pl[1].type, IKEV1_PL_VID);
	assert_int_equal(m->pl[1].next, IKEV1_PL_NONE);
	assert_slice(m->pl[1].u.data, "4a131c81070358455c5728f20e95452f");
	assert_ptr_equal(m->dgram.p, b);
	assert_encodes_to(m, b, len);
	free(m);
}

static void
quick_mode_1(void **state)
{
	struct v1_msg *m = new_msg();
	struct v1_diag d;
	size_t len, blen;
	uint8_t *b = cx_hex(v1t_qm1_hdr, &len);
	uint8_t *body = cx_hex(v1t_qm1_body, &blen);
	uint8_t first;
	uint64_t v;
	struct wr w;

	(void)state;
	assert_int_equal(v1_decode(b, len, m, &d), 0);
	assert_int_equal(m->hdr.flags, IKEV1_F_ENC);
	assert_int_equal(m->hdr.msgid, 0xa1b2c3d4);
	assert_int_equal(m->npl, 0);
	assert_false(m->opened);
	assert_slice(m->ct, "0011223344556677");
	assert_encodes_to(m, b, len);	/* header + ciphertext as is */

	assert_int_equal(v1_decode_body(m, m->hdr.next, body, blen, &d), 0);
	assert_true(m->opened);
	assert_int_equal(m->npl, 5);
	assert_int_equal(m->pl[0].type, IKEV1_PL_HASH);
	assert_true(m->pl[0].encrypted);
	assert_int_equal(m->pl[0].u.data.len, 20);
	assert_int_equal(m->pl[1].type, IKEV1_PL_SA);
	assert_int_equal(m->prop[0].proto, IKEV1_PROTO_ESP);
	assert_slice(m->prop[0].spi, "cafebabe");
	assert_int_equal(m->xf[0].id, IKEV1_ESP_AES);
	assert_int_equal(m->xf[0].nattr, 5);
	assert_attr_tv(m, 0, IKEV1_IA_LIFE_TYPE, IKEV1_LIFE_SECONDS);
	assert_int_equal(m->attr[1].type, IKEV1_IA_LIFE_DURATION);
	assert_int_equal(v1_attr_value(&m->attr[1], &v), 0);
	assert_int_equal(v, 3600);
	assert_attr_tv(m, 2, IKEV1_IA_ENCAP, IKEV1_ENCAP_TUNNEL);
	assert_attr_tv(m, 3, IKEV1_IA_AUTH, IKEV1_IAUTH_HMAC_SHA);
	assert_attr_tv(m, 4, IKEV1_IA_KEY_LEN, 128);
	assert_int_equal(m->pl[2].type, IKEV1_PL_NONCE);
	assert_int_equal(m->pl[2].u.data.len, 16);
	assert_int_equal(m->pl[3].u.id.type, IKEV1_ID_IPV4_SUBNET);
	assert_int_equal(m->pl[3].u.id.proto, 0);
	assert_slice(m->pl[3].u.id.data, "0a000100ffffff00");
	assert_int_equal(m->pl[4].u.id.proto, 17);
	assert_int_equal(m->pl[4].u.id.port, 500);
	assert_slice(m->pad, "00000003");
	/* the body again, without the padding */
	wr_init(&w, 0);
	assert_int_equal(v1_encode_body(m, &w, &first), 0);
	assert_int_equal(first, IKEV1_PL_HASH);
	assert_int_equal(w.len, blen - 4);
	assert_memory_equal(w.buf, body, blen - 4);
	wr_free(&w);
	/* opened once only */
	assert_int_equal(v1_decode_body(m, first, body, blen, &d),
	    IKE_ESTATE);
	assert_int_equal(d.why, V1_STATE);
	assert_int_equal(m->npl, 5);
	free(m);
}

static void
delete_payloads(void **state)
{
	struct v1_msg *m = new_msg();
	const struct v1_pl_delete *dl;
	size_t len;
	uint8_t *b = cx_hex(v1t_delete, &len);

	(void)state;
	assert_int_equal(v1_decode(b, len, m, NULL), 0);
	assert_int_equal(m->hdr.exchange, IKEV1_EXCH_INFO);
	assert_int_equal(m->npl, 3);
	dl = &m->pl[1].u.del;
	assert_int_equal(m->pl[1].type, IKEV1_PL_D);
	assert_int_equal(dl->doi, IKEV1_DOI_IPSEC);
	assert_int_equal(dl->proto, IKEV1_PROTO_ESP);
	assert_int_equal(dl->spi_size, 4);
	assert_int_equal(dl->nspi, 2);
	assert_slice(dl->spis, "1111111122222222");
	dl = &m->pl[2].u.del;
	assert_int_equal(dl->proto, IKEV1_PROTO_ISAKMP);
	assert_int_equal(dl->spi_size, 16);
	assert_int_equal(dl->nspi, 1);
	assert_slice(dl->spis, "0102030405060708a1a2a3a4a5a6a7a8");
	assert_ptr_equal(v1_msg_find(m, IKEV1_PL_D, NULL), &m->pl[1]);
	assert_ptr_equal(v1_msg_find(m, IKEV1_PL_D, &m->pl[1]), &m->pl[2]);
	assert_null(v1_msg_find(m, IKEV1_PL_D, &m->pl[2]));
	assert_null(v1_msg_find(m, IKEV1_PL_N, NULL));
	assert_encodes_to(m, b, len);
	free(m);
}

static void
notify_payloads(void **state)
{
	struct v1_msg *m = new_msg();
	const struct v1_pl_notify *n;
	const struct v1_pl *pl;
	size_t len;
	uint8_t *b = cx_hex(v1t_notify, &len);

	(void)state;
	assert_int_equal(v1_decode(b, len, m, NULL), 0);
	assert_int_equal(m->npl, 3);
	pl = v1_msg_notify(m, IKEV1_N_RESPONDER_LIFETIME);
	assert_ptr_equal(pl, &m->pl[1]);
	n = &pl->u.notify;
	assert_int_equal(n->doi, IKEV1_DOI_IPSEC);
	assert_int_equal(n->proto, IKEV1_PROTO_ESP);
	assert_slice(n->spi, "11223344");
	assert_slice(n->data, "80010001000200040000 0e10");
	pl = v1_msg_notify(m, IKEV1_N_DPD_R_U_THERE);
	assert_ptr_equal(pl, &m->pl[2]);
	n = &pl->u.notify;
	assert_int_equal(n->proto, IKEV1_PROTO_ISAKMP);
	assert_slice(n->spi, "0102030405060708a1a2a3a4a5a6a7a8");
	assert_slice(n->data, "00000007");
	assert_null(v1_msg_notify(m, IKEV1_N_INITIAL_CONTACT));
	assert_encodes_to(m, b, len);
	free(m);
}

static void
other_payloads(void **state)
{
	struct v1_msg *m = new_msg();
	size_t len;
	uint8_t *b = cx_hex(v1t_misc, &len);

	(void)state;
	assert_int_equal(len, 140);
	assert_int_equal(v1_decode(b, len, m, NULL), 0);
	assert_int_equal(m->npl, 9);
	assert_int_equal(m->pl[0].type, IKEV1_PL_KE);
	assert_slice(m->pl[0].u.data, "0102030405060708");
	assert_int_equal(m->pl[2].type, IKEV1_PL_NATD);
	assert_int_equal(m->pl[2].u.data.len, 20);
	assert_int_equal(m->pl[3].type, IKEV1_PL_NATD_DRAFT);
	assert_slice(m->pl[3].u.data, "d4d5d6d7");
	assert_int_equal(m->pl[4].type, IKEV1_PL_NATOA);
	assert_int_equal(m->pl[4].u.natoa.id_type, IKEV1_ID_IPV4_ADDR);
	assert_slice(m->pl[4].u.natoa.addr, "c0000201");
	assert_int_equal(m->pl[5].type, IKEV1_PL_CR);
	assert_int_equal(m->pl[5].u.cert.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(m->pl[5].u.cert.data.len, 0);
	assert_int_equal(m->pl[6].type, IKEV1_PL_CERT);
	assert_slice(m->pl[6].u.cert.data, "300102");
	assert_int_equal(m->pl[7].type, IKEV1_PL_SIG);
	assert_slice(m->pl[7].u.data, "5151");
	assert_int_equal(m->pl[8].u.id.type, IKEV1_ID_FQDN);
	assert_memory_equal(m->pl[8].u.id.data.p, "a.example", 9);
	assert_string_equal(v1_pl_name(IKEV1_PL_NATOA), "NAT-OA");
	assert_string_equal(v1_pl_name(IKEV1_PL_P), "P");
	assert_string_equal(v1_pl_name(99), "unknown");
	assert_encodes_to(m, b, len);
	free(m);
}

/* The builders give the octets of the hand-assembled Main Mode 1. */
static void
build_main_mode_1(void **state)
{
	static const uint8_t vid[] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03,
	    0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
	static const uint8_t d1[] = { 0x00, 0x01, 0x51, 0x80 };
	static const uint8_t d2[] = { 0x0e, 0x10 };
	struct v1_hdr h = { .icookie = { 1, 2, 3, 4, 5, 6, 7, 8 },
	    .next = IKEV1_PL_SA, .exchange = IKEV1_EXCH_MAIN };
	struct v1_msg *m = new_msg();
	struct v1_pl *sa, *v;
	size_t len;
	uint8_t *b = cx_hex(v1t_mm1, &len);

	(void)state;
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &sa), 0);
	sa->u.sa.doi = IKEV1_DOI_IPSEC;
	sa->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	assert_int_equal(v1_msg_add_prop(m, sa, 1, IKEV1_PROTO_ISAKMP,
	    NULL, 0), 0);
	assert_int_equal(v1_msg_add_xform(m, 1, IKEV1_KEY_IKE), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_ENC, 7), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_KEY_LEN, 128), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_HASH, 2), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_AUTH, 1), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_GROUP, 14), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_LIFE_TYPE, 1), 0);
	assert_int_equal(v1_msg_add_attr_tlv(m, IKEV1_A_LIFE_DURATION, d1,
	    sizeof(d1)), 0);
	assert_int_equal(v1_msg_add_xform(m, 2, IKEV1_KEY_IKE), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_ENC, 5), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_HASH, 1), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_AUTH, 1), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_GROUP, 2), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_A_LIFE_TYPE, 1), 0);
	assert_int_equal(v1_msg_add_attr_tlv(m, IKEV1_A_LIFE_DURATION, d2,
	    sizeof(d2)), 0);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_VID, &v), 0);
	v->u.data.p = vid;
	v->u.data.len = sizeof(vid);
	assert_encodes_to(m, b, len);
	/* proposals go to the last payload only, when it is an SA */
	assert_int_equal(v1_msg_add_prop(m, sa, 2, IKEV1_PROTO_ESP,
	    d1, 4), IKE_EINVAL);
	assert_int_equal(v1_msg_add_prop(m, v, 2, IKEV1_PROTO_ESP,
	    d1, 4), IKE_EINVAL);
	free(m);
}

/* A sealed message: the body encoded, "encrypted" by the caller (here
 * XOR), the header written around the ciphertext, and back. */
static void
build_encrypted(void **state)
{
	struct v1_hdr h = { .exchange = IKEV1_EXCH_QUICK,
	    .flags = IKEV1_F_ENC, .msgid = 0xa1b2c3d4 };
	struct v1_msg *ref = new_msg(), *m = new_msg(), *back = new_msg();
	size_t len, blen, i;
	uint8_t *hdr = cx_hex(v1t_qm1_hdr, &len);
	uint8_t *body = cx_hex(v1t_qm1_body, &blen), first, *pt;
	struct wr w, w2, w3;

	(void)state;
	assert_int_equal(v1_decode(hdr, len, ref, NULL), 0);
	assert_int_equal(v1_decode_body(ref, ref->hdr.next, body, blen,
	    NULL), 0);
	wr_init(&w, 0);
	assert_int_equal(v1_encode_body(ref, &w, &first), 0);
	for (i = 0; i < w.len; i++)
		w.buf[i] ^= 0x5a;
	v1_msg_init(m, &h);
	m->hdr.next = first;
	m->ct.p = w.buf;
	m->ct.len = w.len;
	wr_init(&w2, 0);
	assert_int_equal(v1_encode(m, &w2), 0);
	assert_int_equal(w2.len, IKEV1_HDR_LEN + w.len);
	assert_int_equal(v1_decode(w2.buf, w2.len, back, NULL), 0);
	assert_int_equal(back->hdr.next, IKEV1_PL_HASH);
	assert_int_equal(back->hdr.length, w2.len);
	pt = cx_dup(back->ct.p, back->ct.len);
	for (i = 0; i < back->ct.len; i++)
		pt[i] ^= 0x5a;
	assert_int_equal(v1_decode_body(back, back->hdr.next, pt,
	    back->ct.len, NULL), 0);
	assert_int_equal(back->npl, 5);
	assert_int_equal(back->pad.len, 0);
	wr_init(&w3, 0);
	assert_int_equal(v1_encode_body(back, &w3, &first), 0);
	assert_int_equal(w3.len, blen - 4);
	assert_memory_equal(w3.buf, body, blen - 4);
	wr_free(&w);
	wr_free(&w2);
	wr_free(&w3);
	free(ref);
	free(m);
	free(back);
}

static void
encode_refusals(void **state)
{
	static const uint8_t seven[7], spi[4];
	struct v1_hdr h = { .exchange = IKEV1_EXCH_MAIN };
	struct v1_msg *m = new_msg();
	struct v1_pl *pl;
	struct wr w;

	(void)state;
	wr_init(&w, 0);
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &pl), 0);
	pl->u.sa.doi = IKEV1_DOI_IPSEC;
	pl->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);	/* no proposal */
	assert_int_equal(v1_msg_add_prop(m, pl, 1, IKEV1_PROTO_ESP, spi, 4),
	    0);
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);	/* no transform */
	assert_int_equal(v1_msg_add_xform(m, 1, IKEV1_ESP_AES), 0);
	w.len = 0;
	assert_int_equal(v1_encode(m, &w), 0);
	m->prop[0].spi.len = 3;				/* ESP SPI size */
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	m->prop[0].spi.len = 4;
	pl->u.sa.doi = 2;
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	pl->u.sa.doi = IKEV1_DOI_IPSEC;
	/* a 7-octet nonce */
	assert_int_equal(v1_msg_add(m, IKEV1_PL_NONCE, &pl), 0);
	pl->u.data.p = seven;
	pl->u.data.len = sizeof(seven);
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	pl->u.data.len = 0;
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	pl->type = IKEV1_PL_HASH;			/* empty HASH */
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	pl->type = 14;					/* unknown type */
	pl->u.data.len = sizeof(seven);
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	pl->type = IKEV1_PL_HASH;
	wr_free(&w);
	wr_init(&w, 0);
	assert_int_equal(v1_encode(m, &w), 0);
	/* E flag without ciphertext */
	m->hdr.flags = IKEV1_F_ENC;
	assert_int_equal(v1_encode(m, &w), IKE_EINVAL);
	/* attributes without a transform, an AF bit in the type */
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add_attr_tv(m, 1, 1), IKE_EINVAL);
	assert_int_equal(v1_msg_add_xform(m, 1, 1), IKE_EINVAL);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &pl), 0);
	assert_int_equal(v1_msg_add_prop(m, pl, 1, 1, NULL, 0), 0);
	assert_int_equal(v1_msg_add_xform(m, 1, 1), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, 0x8001, 1), IKE_EINVAL);
	assert_int_equal(v1_msg_add_attr_tlv(m, 1, NULL, 2), IKE_EINVAL);
	wr_free(&w);
	free(m);
}

/* The arrays bound the builders as they bound the decoder. */
static void
builder_limits(void **state)
{
	struct v1_hdr h = { .exchange = IKEV1_EXCH_MAIN };
	struct v1_msg *m = new_msg();
	struct v1_pl *pl;
	size_t i;

	(void)state;
	v1_msg_init(m, &h);
	for (i = 0; i < V1_MSG_MAX_PAYLOADS; i++)
		assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &pl), 0);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_VID, &pl), IKE_ENOSPC);
	for (i = 0; i < V1_MSG_MAX_PROPOSALS; i++)
		assert_int_equal(v1_msg_add_prop(m, pl, 1, 1, NULL, 0), 0);
	assert_int_equal(v1_msg_add_prop(m, pl, 1, 1, NULL, 0), IKE_ENOSPC);
	for (i = 0; i < V1_MSG_MAX_TRANSFORMS; i++)
		assert_int_equal(v1_msg_add_xform(m, 1, 1), 0);
	assert_int_equal(v1_msg_add_xform(m, 1, 1), IKE_ENOSPC);
	for (i = 0; i < V1_MSG_MAX_ATTRS; i++)
		assert_int_equal(v1_msg_add_attr_tv(m, 1, 1), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, 1, 1), IKE_ENOSPC);
	free(m);
}

static void
attr_values(void **state)
{
	static const uint8_t nine[9] = { 1 }, eight[8] = { 0, 0, 0, 1, 0,
	    0, 0, 2 };
	struct v1_attr a = { .type = 2, .tv = true, .value = 28800 };
	uint64_t v = 42;

	(void)state;
	assert_int_equal(v1_attr_value(&a, &v), 0);
	assert_int_equal(v, 28800);
	a.tv = false;
	a.data.p = eight;
	a.data.len = sizeof(eight);
	assert_int_equal(v1_attr_value(&a, &v), 0);
	assert_true(v == 0x0000000100000002ULL);
	a.data.p = nine;
	a.data.len = sizeof(nine);
	v = 42;
	assert_int_equal(v1_attr_value(&a, &v), IKE_EMALFORMED);
	a.data.len = 0;
	assert_int_equal(v1_attr_value(&a, &v), IKE_EMALFORMED);
	assert_int_equal(v, 42);	/* untouched on failure */
}

/* Each refusal names the notification that answers it. */
static void
why_notifications(void **state)
{
	int w;

	(void)state;
	assert_int_equal(v1_why_notify(V1_PL_TYPE),
	    IKEV1_N_INVALID_PAYLOAD_TYPE);
	assert_int_equal(v1_why_notify(V1_VERSION_MAJOR),
	    IKEV1_N_INVALID_MAJOR_VERSION);
	assert_int_equal(v1_why_notify(V1_VERSION_MINOR),
	    IKEV1_N_INVALID_MINOR_VERSION);
	assert_int_equal(v1_why_notify(V1_FLAGS), IKEV1_N_INVALID_FLAGS);
	assert_int_equal(v1_why_notify(V1_DOI), IKEV1_N_DOI_NOT_SUPPORTED);
	assert_int_equal(v1_why_notify(V1_SITUATION),
	    IKEV1_N_SITUATION_NOT_SUPPORTED);
	assert_int_equal(v1_why_notify(V1_SUB_NEXT),
	    IKEV1_N_BAD_PROPOSAL_SYNTAX);
	assert_int_equal(v1_why_notify(V1_HDR_LENGTH),
	    IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS);
	assert_int_equal(v1_why_notify(V1_TRUNCATED),
	    IKEV1_N_PAYLOAD_MALFORMED);
	for (w = V1_OK; w < V1_NWHY; w++)
		assert_string_not_equal(v1_why_str((enum v1_why)w), "unknown");
	assert_string_equal(v1_why_str(V1_NWHY), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(main_mode_1),
		TEST(quick_mode_1),
		TEST(delete_payloads),
		TEST(notify_payloads),
		TEST(other_payloads),
		TEST(build_main_mode_1),
		TEST(build_encrypted),
		TEST(encode_refusals),
		TEST(builder_limits),
		TEST(attr_values),
		TEST(why_notifications),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
