/* tests/exchange/test_exchange_cert_fail.c: IKEv2 certificate
 * authentication refused, each time with its reason, AUTHENTICATION_FAILED
 * and nothing left in either kernel (test CA of cert_duo.h): wrong CA,
 * expired, not yet valid, revoked, FQDN not in the certificate, another
 * DN, key usage, no CA at all, truncated, garbage or missing CERT, a
 * forged AUTH, an AUTH method that does not fit the key or that we do
 * not know, a bad responder certificate or signature. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/mem.h>
#include <openssl/x509.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cert.h"
#include "core/err.h"
#include "core/exchange/exchange.h"
#include "cert_duo.h"

/* -------------------------------------------- refusing the initiator */

/* a with credentials own (key k), b standard with store; run it. */
static void
run_bad_initiator(struct duo *d, int k, struct cert_own *own,
    const struct cert_store *store)
{
	duo_of(d, k, own, K_P256, own_std("b", K_P256, 11), store);
	initiate(d->a);
	pump(d->a, d->b);
}

static void
fail_wrong_ca(void **state)
{
	char cn[64];
	struct tca_opts o = ee_opts("a", cn, sizeof(cn), 20);
	struct duo d;

	(void)state;
	o.san = "DNS:a.example";
	run_bad_initiator(&d, K_P256, own_make("a", F.key[K_P256], &o,
	    F.other_root, F.other_key), F.store);
	assert_initiator_refused(&d, "unknown CA");
	duo_free(&d);
}

static void
fail_expired(void **state)
{
	char cn[64];
	struct tca_opts o = ee_opts("a", cn, sizeof(cn), 21);
	struct duo d;

	(void)state;
	o.san = "DNS:a.example";
	o.not_before = TCA_NOW - 30 * TCA_DAY;
	o.not_after = TCA_NOW - TCA_DAY;
	run_bad_initiator(&d, K_RSA2048, own_make("a", F.key[K_RSA2048], &o,
	    NULL, NULL), F.store);
	assert_initiator_refused(&d, "certificate expired");
	duo_free(&d);
}

static void
fail_not_yet_valid(void **state)
{
	char cn[64];
	struct tca_opts o = ee_opts("a", cn, sizeof(cn), 22);
	struct duo d;

	(void)state;
	o.san = "DNS:a.example";
	o.not_before = TCA_NOW + TCA_DAY;
	o.not_after = TCA_NOW + 30 * TCA_DAY;
	run_bad_initiator(&d, K_P256, own_make("a", F.key[K_P256], &o, NULL,
	    NULL), F.store);
	assert_initiator_refused(&d, "certificate not yet valid");
	duo_free(&d);
}

/* b checks the intermediate's CRL, which lists a's serial. */
static void
fail_revoked(void **state)
{
	struct duo d;

	(void)state;
	run_bad_initiator(&d, K_P384, own_std("a", K_P384, SERIAL_REVOKED),
	    F.store_crl);
	assert_initiator_refused(&d, "certificate revoked");
	duo_free(&d);
}

/* The same CRL does not touch another serial. */
static void
crl_other_serial_passes(void **state)
{
	struct duo d;

	(void)state;
	run_bad_initiator(&d, K_P384, own_std("a", K_P384, 67),
	    F.store_crl);
	assert_up(&d, IKEV2_AUTH_DIGITAL_SIG, IKEV2_AUTH_DIGITAL_SIG);
	duo_free(&d);
}

/* a's engine does not claim an identity its certificate lacks. */
static void
own_identity_checked(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	memcpy(d.a->cfg.local_id.data, "z", 1);	/* z.example */
	assert_int_equal(engine_initiate(d.a->eng, &d.a->cfg, &d.a->ccfg,
	    hn_now, &d.a->handle), IKE_EINVAL);
	assert_int_equal(engine_sa_count(d.a->eng), 0);
	assert_int_equal(queued(d.a), 0);
	duo_free(&d);
}

static void
fail_key_usage(void **state)
{
	char cn[64];
	struct tca_opts o = ee_opts("a", cn, sizeof(cn), 25);
	struct duo d;

	(void)state;
	o.san = "DNS:a.example";
	o.ku = "critical,keyEncipherment";
	run_bad_initiator(&d, K_RSA2048, own_make("a", F.key[K_RSA2048], &o,
	    NULL, NULL), F.store);
	assert_initiator_refused(&d, "key usage forbids signatures");
	duo_free(&d);
}

/* b has no CA at all. */
static void
fail_no_ca(void **state)
{
	struct duo d;

	(void)state;
	run_bad_initiator(&d, K_P256, own_std("a", K_P256, 26), NULL);
	assert_initiator_refused(&d, "unknown CA");
	duo_free(&d);
}

/* ------------------------------------------ tampered IKE_AUTH requests */

typedef void (*edit_fn)(struct ike_msg *m);

/* The IKE_AUTH message from has queued, opened with to's keys, edited,
 * sealed again with from's keys and given to `to` in place of the
 * original. */
static void
tamper(struct peer *from, struct peer *to, edit_fn edit)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct dgram *g = head(from);
	uint8_t *pt;
	size_t pt_len;

	assert_non_null(m);
	assert_int_equal(codec_decode(g->buf, g->len, m, NULL), 0);
	assert_int_equal(m->hdr.exchange, IKEV2_EXCH_IKE_AUTH);
	assert_int_equal(sk_open((struct ike_sa *)(uintptr_t)peer_sa(to), m,
	    &pt, &pt_len), 0);
	edit(m);
	inject_sealed(to, (struct ike_sa *)(uintptr_t)peer_sa(from), m);
	drop(from);
	sk_pt_free(pt, pt_len);
	free(m);
}

/* a's IKE_AUTH request edited on its way to b (d made by the caller). */
static void
run_tampered(struct duo *d, edit_fn edit)
{
	initiate(d->a);
	deliver(d->a, d->b);
	deliver(d->b, d->a);
	tamper(d->a, d->b, edit);
	pump(d->a, d->b);
}

static struct ike_pl *
first_pl(struct ike_msg *m, uint8_t type)
{
	struct ike_pl *pl = (struct ike_pl *)(uintptr_t)ike_msg_find(m, type,
	    NULL);

	assert_non_null(pl);
	return pl;
}

static void
edit_truncate(struct ike_msg *m)
{
	first_pl(m, IKEV2_PL_CERT)->u.cert.data.len -= 17;
}

static const uint8_t garbage[300] = { 0x30, 0x82, 0x01, 0x28, 0xde, 0xad };

static void
edit_garbage(struct ike_msg *m)
{
	struct ike_pl *pl = first_pl(m, IKEV2_PL_CERT);

	pl->u.cert.data = (struct ike_slice){ garbage, sizeof(garbage) };
}

static void
edit_no_cert(struct ike_msg *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type != IKEV2_PL_CERT)
			m->pl[n++] = m->pl[i];
	assert_int_equal(m->npl - n, 2);
	m->npl = n;
}

static void
edit_flip_auth(struct ike_msg *m)
{
	struct ike_pl *pl = first_pl(m, IKEV2_PL_AUTH);
	uint8_t *p = (uint8_t *)(uintptr_t)pl->u.auth.data.p;

	p[pl->u.auth.data.len - 5] ^= 0x01;
}

/* A P-256 signature presented as method 1 (RSA), or as method 3 (DSS,
 * which we do not do). */
static void
edit_method_rsa(struct ike_msg *m)
{
	first_pl(m, IKEV2_PL_AUTH)->u.auth.method = IKEV2_AUTH_RSA_SIG;
}

static void
edit_method_dss(struct ike_msg *m)
{
	first_pl(m, IKEV2_PL_AUTH)->u.auth.method = IKEV2_AUTH_DSS_SIG;
}

/* IDi claims another name; b takes any identity its CA vouches for. */
static void
edit_other_fqdn(struct ike_msg *m)
{
	struct ike_pl *pl = first_pl(m, IKEV2_PL_IDI);

	pl->u.id.data = (struct ike_slice){ (const uint8_t *)"c.example", 9 };
}

/* IDi is a DN, that of b's certificate. */
static uint8_t other_dn[CFG_ID_MAX];
static size_t other_dn_len;

static void
edit_other_dn(struct ike_msg *m)
{
	struct ike_pl *pl = first_pl(m, IKEV2_PL_IDI);

	pl->u.id.type = IKEV2_ID_DER_ASN1_DN;
	pl->u.id.data = (struct ike_slice){ other_dn, other_dn_len };
}

static void
fail_fqdn_not_in_san(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	d.b->cfg.remote_id.type = 0;
	run_tampered(&d, edit_other_fqdn);
	assert_initiator_refused(&d, "identity not in certificate");
	duo_free(&d);
}

static void
fail_dn_different(void **state)
{
	struct duo d;
	uint8_t *dn;

	(void)state;
	duo_std(&d, K_RSA2048, K_P256);
	d.b->cfg.remote_id.type = 0;
	assert_int_equal(cert_subject_der(cert_own_cert(d.ob, 0), &dn,
	    &other_dn_len), 0);
	assert_true(other_dn_len <= sizeof(other_dn));
	memcpy(other_dn, dn, other_dn_len);
	free(dn);
	run_tampered(&d, edit_other_dn);
	assert_initiator_refused(&d, "identity not in certificate");
	duo_free(&d);
}

static void
fail_truncated_cert(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_truncate);
	assert_initiator_refused(&d, "malformed certificate");
	duo_free(&d);
}

static void
fail_garbage_cert(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_garbage);
	assert_initiator_refused(&d, "malformed certificate");
	duo_free(&d);
}

static void
fail_cert_missing(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_no_cert);
	assert_initiator_refused(&d, "certificate missing");
	duo_free(&d);
}

static void
fail_forged_auth(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_flip_auth);
	assert_initiator_refused(&d, "signature does not verify");
	duo_free(&d);
}

static void
fail_method_key_mismatch(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_method_rsa);
	assert_initiator_refused(&d, "key type does not fit the method");
	duo_free(&d);
}

static void
fail_method_unknown(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	run_tampered(&d, edit_method_dss);
	assert_initiator_refused(&d, "signature algorithm not accepted");
	duo_free(&d);
}

/* ------------------------------------------ refusing the responder */

static void
fail_responder_expired(void **state)
{
	char cn[64];
	struct tca_opts o = ee_opts("b", cn, sizeof(cn), 30);
	struct duo d;

	(void)state;
	o.san = "DNS:b.example";
	o.not_after = TCA_NOW - 1;
	o.not_before = TCA_NOW - 10 * TCA_DAY;
	duo_of(&d, K_P256, own_std("a", K_P256, 31), K_RSA2048,
	    own_make("b", F.key[K_RSA2048], &o, NULL, NULL), F.store);
	initiate(d.a);
	pump(d.a, d.b);
	assert_responder_refused(&d, "certificate expired");
	duo_free(&d);
}

/* b's AUTH forged on its way to a: a refuses b, which had come up. */
static void
fail_responder_forged(void **state)
{
	struct duo d;

	(void)state;
	duo_std(&d, K_RSA3072, K_P384);
	initiate(d.a);
	deliver(d.a, d.b);	/* IKE_SA_INIT */
	deliver(d.b, d.a);
	deliver(d.a, d.b);	/* IKE_AUTH */
	assert_non_null(event_find(d.b, ENGINE_EV_IKE_UP, 0));
	tamper(d.b, d.a, edit_flip_auth);
	pump(d.a, d.b);
	assert_responder_refused(&d, "signature does not verify");
	duo_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_wrong_ca),
		cmocka_unit_test(fail_expired),
		cmocka_unit_test(fail_not_yet_valid),
		cmocka_unit_test(fail_revoked),
		cmocka_unit_test(crl_other_serial_passes),
		cmocka_unit_test(own_identity_checked),
		cmocka_unit_test(fail_fqdn_not_in_san),
		cmocka_unit_test(fail_dn_different),
		cmocka_unit_test(fail_key_usage),
		cmocka_unit_test(fail_no_ca),
		cmocka_unit_test(fail_truncated_cert),
		cmocka_unit_test(fail_garbage_cert),
		cmocka_unit_test(fail_cert_missing),
		cmocka_unit_test(fail_forged_auth),
		cmocka_unit_test(fail_method_key_mismatch),
		cmocka_unit_test(fail_method_unknown),
		cmocka_unit_test(fail_responder_expired),
		cmocka_unit_test(fail_responder_forged),
	};

	return cmocka_run_group_tests(tests, cert_fx_setup, cert_fx_teardown);
}
