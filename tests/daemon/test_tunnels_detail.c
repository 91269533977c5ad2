/* tests/daemon/test_tunnels_detail.c: the verbose lines of one entry of
 * the tunnel table (core/daemon/tunnels_detail.c) as `ike cmd=list
 * verbose` receives them, for IKEv2 and IKEv1 entries: the version, the
 * exchange mode and authentication method of an IKEv1 phase 1, its Hash
 * listed under IKEv2's integrity and PRF names, the phase-2 fields, the
 * reason of an expired entry, the signature methods.  Without a daemon (no live part). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/ctl/ctl_msg.h"
#include "core/daemon/tunnels_int.h"

/* The entry's detail lines as "Key: value\n"... into out. */
static void
detail(const struct tm_tunnel *e, char *out, size_t n)
{
	struct ctl_msg m, kv;
	struct ctl_attr a;
	struct wr w;
	size_t pos = 0, len = 0;
	char k[128], v[256];

	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LIST | CTL_T_REPLY);
	tunnels_detail(NULL, e, &w);
	assert_int_equal(ctl_end(&w), 0);
	assert_int_equal(ctl_decode(CTL_T_LIST | CTL_T_REPLY,
	    w.buf + CTL_HDR_LEN, w.len - CTL_HDR_LEN, &m), 0);
	out[0] = '\0';
	while (ctl_next(&m, &pos, &a) == 0) {
		assert_int_equal(a.tag, CTL_A_KV);
		assert_int_equal(ctl_nested(&m, &a, &kv), 0);
		assert_int_equal(ctl_get_str_nth(&kv, CTL_A_KEY, 0, k,
		    sizeof(k)), 0);
		assert_int_equal(ctl_get_str_nth(&kv, CTL_A_VALUE, 0, v,
		    sizeof(v)), 0);
		len += (size_t)snprintf(out + len, n - len, "%s: %s\n", k, v);
		assert_true(len < n);
	}
	wr_free(&w);
}

static void
p1(struct tm_tunnel *e, uint8_t version)
{
	memset(e, 0, sizeof(*e));
	e->phase = 1;
	e->num = 3;
	e->def_num = 7;
	strcpy(e->def_name, "hq");
	e->state = TM_ACTIVE;
	e->role = 'i';
	e->version = version;
	e->spi_i = 0x0102030405060708ULL;
	e->spi_r = 0x1112131415161718ULL;
	e->encr = IKEV2_ENCR_AES_CBC;
	e->key_bits = 256;
	e->dh = 14;
	e->lifetime_s = 480 * 60;
}

static void
test_v1_main(void **st)
{
	struct tm_tunnel e;
	char out[2048];

	(void)st;
	p1(&e, IKE_VERSION_1);
	e.prf = IKEV2_PRF_HMAC_SHA2_256;	/* integ 0: the Hash */
	detail(&e, out, sizeof(out));
	assert_string_equal(out,
	    "Role: Initiator\n"
	    "IKE Version: 1\n"
	    "Exchange Mode: Main\n"
	    "Authentication Method: Preshared_Key\n"
	    "Definition: hq (Tun Id 7)\n"
	    "Encryption: AES-CBC-256\n"
	    "Authentication: HMAC-SHA2-256\n"
	    "PRF: PRF-SHA2-256\n"
	    "DH Group: 14\n"
	    "SPI Initiator: 0102030405060708\n"
	    "SPI Responder: 1112131415161718\n"
	    "Key Lifetime: 480 minutes\n");
}

/* Every IKEv1 Hash under IKEv2's names; Aggressive Mode; a responder. */
static void
test_v1_hashes(void **st)
{
	static const struct { uint16_t prf; const char *integ, *name; } h[] = {
		{ IKEV2_PRF_HMAC_MD5, "HMAC-MD5", "PRF-MD5" },
		{ IKEV2_PRF_HMAC_SHA1, "HMAC-SHA", "PRF-SHA" },
		{ IKEV2_PRF_HMAC_SHA2_384, "HMAC-SHA2-384", "PRF-SHA2-384" },
		{ IKEV2_PRF_HMAC_SHA2_512, "HMAC-SHA2-512", "PRF-SHA2-512" },
	};
	struct tm_tunnel e;
	char out[2048], want[64];
	size_t i;

	(void)st;
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		p1(&e, IKE_VERSION_1);
		e.aggressive = true;
		e.role = 'r';
		e.encr = IKEV2_ENCR_3DES;
		e.key_bits = 0;
		e.prf = h[i].prf;
		detail(&e, out, sizeof(out));
		assert_non_null(strstr(out, "Role: Responder\n"));
		assert_non_null(strstr(out, "Exchange Mode: Aggressive\n"));
		assert_non_null(strstr(out, "Encryption: 3DES-CBC\n"));
		snprintf(want, sizeof(want), "\nAuthentication: %s\n",
		    h[i].integ);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "\nPRF: %s\n", h[i].name);
		assert_non_null(strstr(out, want));
	}
}

/* IKEv2: no exchange mode; its own integrity transform listed. */
static void
test_v2(void **st)
{
	struct tm_tunnel e;
	char out[2048];

	(void)st;
	p1(&e, IKE_VERSION_2);
	e.integ = IKEV2_INTEG_HMAC_SHA1_96;
	e.prf = IKEV2_PRF_HMAC_SHA2_256;
	detail(&e, out, sizeof(out));
	assert_non_null(strstr(out, "IKE Version: 2\n"));
	assert_null(strstr(out, "Exchange Mode"));
	assert_non_null(strstr(out, "Authentication Method: Preshared_Key\n"));
	assert_non_null(strstr(out, "\nAuthentication: HMAC-SHA\n"));
	assert_non_null(strstr(out, "PRF: PRF-SHA2-256\n"));
	p1(&e, 0);	/* not known yet: listed as 2 */
	detail(&e, out, sizeof(out));
	assert_non_null(strstr(out, "IKE Version: 2\n"));
}

/* A certificate phase 1: its method; an expired one: the certificate's
 * reason. */
static void
test_cert(void **st)
{
	struct tm_tunnel e;
	char out[2048];

	(void)st;
	p1(&e, IKE_VERSION_2);
	e.auth = CFG_AUTH_ECDSA_SIG;
	detail(&e, out, sizeof(out));
	assert_non_null(strstr(out, "Authentication Method: ECDSA_Signature\n"));
	p1(&e, IKE_VERSION_1);
	e.auth = CFG_AUTH_RSA_SIG;
	e.state = TM_EXPIRED;
	strcpy(e.reason, "AUTHENTICATION_FAILED (certificate expired)");
	detail(&e, out, sizeof(out));
	assert_string_equal(out,
	    "Role: Initiator\n"
	    "IKE Version: 1\n"
	    "Exchange Mode: Main\n"
	    "Authentication Method: RSA_Signature\n"
	    "Definition: hq (Tun Id 7)\n"
	    "Reason: AUTHENTICATION_FAILED (certificate expired)\n");
}

/* An IKEv1 phase 2: its own integrity (no mapping), no exchange mode;
 * an expired one: the reason and nothing negotiated. */
static void
test_v1_phase2(void **st)
{
	struct tm_tunnel e;
	char out[2048];

	(void)st;
	memset(&e, 0, sizeof(e));
	e.phase = 2;
	e.num = 4;
	e.parent = 3;
	e.def_num = 9;
	strcpy(e.def_name, "lan");
	e.state = TM_ACTIVE;
	e.role = 'i';
	e.version = IKE_VERSION_1;
	e.encr = IKEV2_ENCR_AES_CBC;
	e.key_bits = 128;
	e.integ = IKEV2_INTEG_HMAC_SHA2_256_128;
	e.mode = PLAT_TRANSPORT;
	e.spi_in = 0xc0ffee01;
	e.spi_out = 0xc0ffee02;
	e.pfs = 14;
	e.lifetime_s = 3600;
	detail(&e, out, sizeof(out));
	assert_string_equal(out,
	    "Role: Initiator\n"
	    "IKE Version: 1\n"
	    "Phase 1 Tunnel: 3\n"
	    "Definition: lan (Tun Id 9)\n"
	    "Encryption: AES-CBC-128\n"
	    "Authentication: HMAC-SHA2-256\n"
	    "Mode: Transport\n"
	    "SPI In: c0ffee01\n"
	    "SPI Out: c0ffee02\n"
	    "PFS DH Group: 14\n"
	    "Key Lifetime: 60 minutes\n");
	e.state = TM_EXPIRED;
	strcpy(e.reason, "INVALID_ID_INFORMATION");
	detail(&e, out, sizeof(out));
	assert_string_equal(out,
	    "Role: Initiator\n"
	    "IKE Version: 1\n"
	    "Phase 1 Tunnel: 3\n"
	    "Definition: lan (Tun Id 9)\n"
	    "Reason: INVALID_ID_INFORMATION\n");
}

/* The IKEv1 notifications behind a failure, by name. */
static void
test_v1_notify_names(void **st)
{
	(void)st;
	assert_string_equal(tun_v1_notify_name(14), "NO_PROPOSAL_CHOSEN");
	assert_string_equal(tun_v1_notify_name(18), "INVALID_ID_INFORMATION");
	assert_string_equal(tun_v1_notify_name(23),
	    "INVALID_HASH_INFORMATION");
	assert_string_equal(tun_v1_notify_name(24), "AUTHENTICATION_FAILED");
	assert_string_equal(tun_v1_notify_name(16), "PAYLOAD_MALFORMED");
	assert_string_equal(tun_v1_notify_name(17), "INVALID_KEY_INFORMATION");
	assert_null(tun_v1_notify_name(0));
	assert_null(tun_v1_notify_name(24578));	/* INITIAL-CONTACT */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_main),
		cmocka_unit_test(test_v1_hashes),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_cert),
		cmocka_unit_test(test_v1_phase2),
		cmocka_unit_test(test_v1_notify_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
