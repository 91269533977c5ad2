/* tests/exchange1/test_v1_child.c: the Quick Mode proposal and client
 * ID encodings of core/exchange1/v1_child.c on their own: IPsec DOI
 * numbers of the IKEv2 algorithms (RFC 2407 s. 4.4-4.5, RFC 4106
 * s. 8.1, RFC 4868, RFC 3947 s. 5.1), selectors as ID payloads and
 * back (single address, subnet, range, protocol and port), the
 * attributes through the codec, refusals of what cannot be read, and
 * RESPONDER-LIFETIME data. */
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
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "harness.h"
#include "v1_test.h"

/* The IPsec DOI numbers of the IKEv2 algorithms (RFC 2407 s. 4.4-4.5,
 * RFC 4106 s. 8.1, RFC 4868, RFC 3947 s. 5.1). */
static void
child_mappings(void **state)
{
	enum plat_mode mode;

	(void)state;
	assert_int_equal(v1_child_esp_id(ENCR_3DES), IKEV1_ESP_3DES);
	assert_int_equal(v1_child_esp_id(ENCR_AES_CBC), IKEV1_ESP_AES);
	assert_int_equal(v1_child_esp_id(ENCR_AES_GCM_16), 20);
	assert_int_equal(v1_child_esp_id(ENCR_CHACHA20_POLY1305), 0);
	assert_int_equal(v1_child_ah_id(AUTH_HMAC_MD5_96), IKEV1_AH_MD5);
	assert_int_equal(v1_child_ah_id(AUTH_HMAC_SHA1_96), IKEV1_AH_SHA);
	assert_int_equal(v1_child_ah_id(AUTH_HMAC_SHA2_256_128), 5);
	assert_int_equal(v1_child_ah_id(AUTH_HMAC_SHA2_512_256), 7);
	assert_int_equal(v1_child_ah_id(AUTH_AES_XCBC_96), 0);
	assert_int_equal(v1_child_auth(AUTH_HMAC_MD5_96), 1);
	assert_int_equal(v1_child_auth(AUTH_HMAC_SHA1_96), 2);
	assert_int_equal(v1_child_auth(AUTH_HMAC_SHA2_256_128), 5);
	assert_int_equal(v1_child_auth(AUTH_HMAC_SHA2_384_192), 6);
	assert_int_equal(v1_child_auth(AUTH_HMAC_SHA2_512_256), 7);
	assert_int_equal(v1_child_auth(AUTH_NONE), 0);
	assert_int_equal(v1_child_encap(PLAT_TUNNEL, false), 1);
	assert_int_equal(v1_child_encap(PLAT_TRANSPORT, false), 2);
	assert_int_equal(v1_child_encap(PLAT_TUNNEL, true), 3);
	assert_int_equal(v1_child_encap(PLAT_TRANSPORT, true), 4);
	assert_int_equal(v1_child_mode(61444, &mode), 0);
	assert_int_equal(mode, PLAT_TRANSPORT);
	assert_int_equal(v1_child_mode(0, &mode), 0);
	assert_int_equal(mode, PLAT_TUNNEL);
	assert_int_equal(v1_child_mode(5, &mode), IKE_EMALFORMED);
}

static struct v1_msg *
msg_new(void)
{
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_hdr h;

	assert_non_null(m);
	memset(&h, 0, sizeof(h));
	h.icookie[0] = 1;
	h.rcookie[0] = 2;
	h.exchange = IKEV1_EXCH_QUICK;
	h.msgid = 7;
	v1_msg_init(m, &h);
	return m;
}

/* A Quick Mode message with an SA payload of one ESP proposal (SPI
 * "abcd") for the test to add transforms to. */
static struct v1_msg *
esp_msg_new(void)
{
	struct v1_msg *m = msg_new();
	struct v1_pl *sa;

	assert_int_equal(v1_msg_add(m, IKEV1_PL_SA, &sa), 0);
	assert_int_equal(v1_msg_add_prop(m, sa, 1, IKEV1_PROTO_ESP,
	    (const uint8_t *)"abcd", 4), 0);
	return m;
}

/* ts as IDci and back: the ID type chosen and the same selector. */
static void
id_round_trip(const struct ike_ts *ts, uint8_t type, size_t len)
{
	struct v1_msg *m = msg_new();
	struct v1_qm_store st;
	struct ike_ts back;

	assert_int_equal(v1_child_put_ids(m, ts, ts, &st), 0);
	assert_int_equal(m->npl, 2);
	assert_int_equal(m->pl[0].u.id.type, type);
	assert_int_equal(m->pl[0].u.id.data.len, len);
	assert_int_equal(v1_child_id_ts(&m->pl[0].u.id, &back), 0);
	assert_memory_equal(&back, ts, sizeof(back));
	free(m);
}

static void
child_ids(void **state)
{
	struct ike_ts ts;
	struct v1_msg *m = msg_new();
	struct v1_qm_store st;

	(void)state;
	ts_v4(&ts, 10, 1, 2, 3, 10, 1, 2, 3);
	id_round_trip(&ts, IKEV1_ID_IPV4_ADDR, 4);
	ts_v4(&ts, 10, 1, 0, 0, 10, 1, 255, 255);
	id_round_trip(&ts, IKEV1_ID_IPV4_SUBNET, 8);
	ts_v4(&ts, 0, 0, 0, 0, 255, 255, 255, 255);
	id_round_trip(&ts, IKEV1_ID_IPV4_SUBNET, 8);	/* 0.0.0.0/0 */
	ts_v4(&ts, 10, 0, 0, 5, 10, 0, 0, 9);
	id_round_trip(&ts, IKEV1_ID_IPV4_RANGE, 8);
	ts.proto = IPPROTO_TCP;
	ts.sport = ts.eport = 443;
	id_round_trip(&ts, IKEV1_ID_IPV4_RANGE, 8);
	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET6;
	ts.eport = 65535;
	ts.start[0] = ts.end[0] = 0x20;
	ts.start[1] = ts.end[1] = 0x01;
	memset(ts.end + 8, 0xff, 8);
	id_round_trip(&ts, IKEV1_ID_IPV6_SUBNET, 32);
	/* a port range IKEv1 cannot say */
	ts_v4(&ts, 10, 1, 2, 3, 10, 1, 2, 3);
	ts.sport = 1000;
	ts.eport = 2000;
	assert_int_equal(v1_child_put_ids(m, &ts, &ts, &st), IKE_EUNSUPP);
	free(m);
}

static void
child_ids_refused(void **state)
{
	static const uint8_t holes[8] = { 10, 0, 0, 0, 255, 0, 255, 0 };
	static const uint8_t back[8] = { 10, 0, 0, 9, 10, 0, 0, 5 };
	static const uint8_t five[5] = { 10, 0, 0, 1, 0 };
	struct v1_pl_id id = { IKEV1_ID_IPV4_SUBNET, 0, 0, { holes, 8 } };
	struct ike_ts ts;

	(void)state;
	assert_int_equal(v1_child_id_ts(&id, &ts), IKE_EMALFORMED);
	id = (struct v1_pl_id){ IKEV1_ID_IPV4_RANGE, 0, 0, { back, 8 } };
	assert_int_equal(v1_child_id_ts(&id, &ts), IKE_EMALFORMED);
	id = (struct v1_pl_id){ IKEV1_ID_IPV4_ADDR, 0, 0, { five, 5 } };
	assert_int_equal(v1_child_id_ts(&id, &ts), IKE_EMALFORMED);
	id = (struct v1_pl_id){ IKEV1_ID_FQDN, 0, 0, { five, 5 } };
	assert_int_equal(v1_child_id_ts(&id, &ts), IKE_EUNSUPP);
}

/* Proposals through the codec and back: lifetimes (TV and TLV), group,
 * mode, HMAC, key length as sent. */
static void
child_props_encoded(void **state)
{
	struct v1_msg *m = msg_new(), *d = calloc(1, sizeof(*d));
	struct child_cfg cc;
	struct child_sa c;
	struct v1_qm_store st;
	struct v1_xf_attrs a;
	struct wr w;

	(void)state;
	assert_non_null(d);
	memset(&cc, 0, sizeof(cc));
	cc.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP, ENCR_AES_CBC,
	    128, AUTH_HMAC_SHA1_96 };
	cc.props[1] = (struct child_prop_cfg){ IKEV2_PROTO_AH, 0, 0,
	    AUTH_HMAC_SHA2_512_256 };
	cc.nprops = 2;
	cc.mode = PLAT_TRANSPORT;
	cc.lifetime_s = 86400;
	cc.lifetime_kb = 1000;
	cc.pfs_group = DH_MODP_2048;
	memset(&c, 0, sizeof(c));
	c.proto = IKEV2_PROTO_ESP;
	c.spi_in = 0x11223344;
	c.spi_alt = 0x55667788;
	assert_int_equal(v1_child_put_props(m, &cc, &c, true, &st), 0);
	wr_init(&w, 65535);
	assert_int_equal(v1_encode(m, &w), 0);
	assert_int_equal(v1_decode(w.buf, w.len, d, NULL), 0);
	assert_int_equal(d->nprop, 2);
	assert_int_equal(d->prop[0].proto, IKEV1_PROTO_ESP);
	assert_int_equal(d->prop[1].proto, IKEV1_PROTO_AH);
	assert_memory_equal(d->prop[1].spi.p, "\x55\x66\x77\x88", 4);
	assert_int_equal(d->xf[0].id, IKEV1_ESP_AES);
	assert_int_equal(v1_child_attrs(d, &d->xf[0], &a), 0);
	assert_int_equal(a.life_s, 86400);
	assert_int_equal(a.life_kb, 1000);
	assert_int_equal(a.group, DH_MODP_2048);
	assert_int_equal(a.encap, IKEV1_ENCAP_UDP_TRANSPORT);
	assert_int_equal(a.auth, IKEV1_IAUTH_HMAC_SHA);
	assert_int_equal(a.key_bits, 128);
	assert_int_equal(d->xf[1].id, IKEV1_AH_SHA2_512);
	assert_int_equal(v1_child_attrs(d, &d->xf[1], &a), 0);
	assert_int_equal(a.auth, IKEV1_IAUTH_HMAC_SHA2_512);
	assert_int_equal(a.key_bits, 0);
	wr_free(&w);
	free(d);
	free(m);
}

/* No SA Life Duration in seconds: RFC 2407 s. 4.5's 28800 s, also next
 * to a lifetime in kilobytes; one in seconds is taken as sent. */
static void
child_attrs_default_life(void **state)
{
	struct v1_msg *m = esp_msg_new();
	struct v1_xf_attrs a;

	(void)state;
	assert_int_equal(v1_msg_add_xform(m, 1, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_ENCAP,
	    IKEV1_ENCAP_TUNNEL), 0);
	assert_int_equal(v1_child_attrs(m, &m->xf[0], &a), 0);
	assert_int_equal(a.life_s, 28800);
	assert_int_equal(a.life_kb, 0);
	assert_int_equal(v1_msg_add_xform(m, 2, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_TYPE,
	    IKEV1_LIFE_KILOBYTES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_DURATION, 5000),
	    0);
	assert_int_equal(v1_child_attrs(m, &m->xf[1], &a), 0);
	assert_int_equal(a.life_s, 28800);
	assert_int_equal(a.life_kb, 5000);
	assert_int_equal(v1_msg_add_xform(m, 3, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_TYPE,
	    IKEV1_LIFE_SECONDS), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_DURATION, 600),
	    0);
	assert_int_equal(v1_child_attrs(m, &m->xf[2], &a), 0);
	assert_int_equal(a.life_s, 600);
	free(m);
}

/* Attributes we do not know, or a duration without its type. */
static void
child_attrs_refused(void **state)
{
	struct v1_msg *m = esp_msg_new();
	struct v1_xf_attrs a;

	(void)state;
	assert_int_equal(v1_msg_add_xform(m, 1, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_KEY_ROUNDS, 3), 0);
	assert_int_equal(v1_child_attrs(m, &m->xf[0], &a), IKE_EUNSUPP);
	assert_int_equal(v1_msg_add_xform(m, 2, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_DURATION, 30),
	    0);
	assert_int_equal(v1_child_attrs(m, &m->xf[1], &a), IKE_EMALFORMED);
	assert_int_equal(v1_msg_add_xform(m, 3, IKEV1_ESP_AES), 0);
	assert_int_equal(v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_TYPE, 9), 0);
	assert_int_equal(v1_child_attrs(m, &m->xf[2], &a), IKE_EMALFORMED);
	free(m);
}

/* RESPONDER-LIFETIME data: written, read back; bad data refused. */
static void
child_responder_lifetime_data(void **state)
{
	static const uint8_t bad_len[] = { 0x80, 0x01, 0x00, 0x01, 0x00,
	    0x02, 0x00, 0x03, 1, 2, 3 };
	static const uint8_t no_type[] = { 0x80, 0x02, 0x00, 0x10 };
	static const uint8_t cut[] = { 0x80, 0x01, 0x00 };
	struct v1_qm_store st;
	uint64_t s, kb;
	size_t n;

	(void)state;
	n = v1_child_rl_put(&st, 100000, 30);
	assert_true(n > 0);
	assert_int_equal(v1_child_rl_get(st.rl, n, &s, &kb), 0);
	assert_int_equal(s, 100000);
	assert_int_equal(kb, 30);
	assert_int_equal(v1_child_rl_put(&st, 0, 0), 0);
	assert_int_equal(v1_child_rl_get(bad_len, sizeof(bad_len), &s, &kb),
	    IKE_EMALFORMED);
	assert_int_equal(v1_child_rl_get(no_type, sizeof(no_type), &s, &kb),
	    IKE_EMALFORMED);
	assert_int_equal(v1_child_rl_get(cut, sizeof(cut), &s, &kb),
	    IKE_EMALFORMED);
	assert_string_equal(v1_notify_name(IKEV1_N_INVALID_ID_INFORMATION),
	    "INVALID-ID-INFORMATION");
	assert_string_equal(v1_notify_name(IKEV1_N_DPD_R_U_THERE),
	    "R-U-THERE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(child_mappings),
		cmocka_unit_test(child_ids),
		cmocka_unit_test(child_ids_refused),
		cmocka_unit_test(child_props_encoded),
		cmocka_unit_test(child_attrs_refused),
		cmocka_unit_test(child_responder_lifetime_data),
		cmocka_unit_test(child_attrs_default_life),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
