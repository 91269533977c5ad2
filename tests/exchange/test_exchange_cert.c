/* tests/exchange/test_exchange_cert.c: IKEv2 certificate authentication
 * between two engines (RFC 7296 s. 2.15, 3.6-3.8; RFC 7427; RFC 4754),
 * with the test CA of cert_duo.h.
 *
 * Established: RSA-2048, RSA-3072, ECDSA P-256 and P-384, each with RFC
 * 7427 (method 14) and with the classic methods (1, 9, 10); mixed key
 * types; the subject DN as identity; an IKE SA rekey.  IKE_SA_INIT
 * carries SIGNATURE_HASH_ALGORITHMS both ways and the responder's
 * CERTREQ, IKE_AUTH the CERTs and the initiator's CERTREQ.  Refused: a
 * preshared key against a certificate either way, configurations
 * without a fitting certificate.  The failures of certificates and
 * signatures are in test_exchange_cert_fail.c. */
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

/* ------------------------------------------------------ establishing */

static uint8_t
classic_of(int k)
{
	return k == K_P256 ? IKEV2_AUTH_ECDSA_256 : k == K_P384 ?
	    IKEV2_AUTH_ECDSA_384 : IKEV2_AUTH_RSA_SIG;
}

/* a with key ka and b with kb (announcing no hashes when classic_a,
 * classic_b) come up, authenticated by methods ma and mb. */
static void
establish_duo(int ka, bool classic_a, int kb, bool classic_b, uint8_t ma,
    uint8_t mb)
{
	struct duo d;

	duo_std(&d, ka, kb);
	d.a->cfg.sig_classic = classic_a;
	d.b->cfg.sig_classic = classic_b;
	initiate(d.a);
	pump(d.a, d.b);
	assert_up(&d, ma, mb);
	duo_free(&d);
}

/* Both with key k: RFC 7427 method 14, then with a peer that does not
 * announce SIGNATURE_HASH_ALGORITHMS, the key's classic method. */
static void
establish_kind(int k)
{
	establish_duo(k, false, k, false, IKEV2_AUTH_DIGITAL_SIG,
	    IKEV2_AUTH_DIGITAL_SIG);
	/* b announces nothing */
	establish_duo(k, false, k, true, classic_of(k), classic_of(k));
}

static void
establish_rsa2048(void **state)
{
	(void)state;
	establish_kind(K_RSA2048);
}

static void
establish_rsa3072(void **state)
{
	(void)state;
	establish_kind(K_RSA3072);
}

static void
establish_p256(void **state)
{
	(void)state;
	establish_kind(K_P256);
}

static void
establish_p384(void **state)
{
	(void)state;
	establish_kind(K_P384);
}

/* An RSA initiator and an ECDSA P-384 responder with method 14; then a
 * P-256 initiator that announces no hashes with an RSA-3072 responder:
 * both sides use their key's classic method. */
static void
establish_mixed_keys(void **state)
{
	(void)state;
	establish_duo(K_RSA2048, false, K_P384, false, IKEV2_AUTH_DIGITAL_SIG,
	    IKEV2_AUTH_DIGITAL_SIG);
	establish_duo(K_P256, true, K_RSA3072, false, IKEV2_AUTH_ECDSA_256,
	    IKEV2_AUTH_RSA_SIG);
}

/* a has no configured identity: it uses its subject DN, which b (that
 * takes any identity its CA vouches for) keeps as the peer's. */
static void
establish_dn_identity(void **state)
{
	struct duo d;
	const struct ike_sa *sa_b;
	const struct cert *me;
	uint8_t *dn;
	size_t len;

	(void)state;
	duo_std(&d, K_P256, K_P256);
	memset(&d.a->cfg.local_id, 0, sizeof(d.a->cfg.local_id));
	d.b->cfg.remote_id.type = 0;
	initiate(d.a);
	pump(d.a, d.b);
	assert_up(&d, IKEV2_AUTH_DIGITAL_SIG, IKEV2_AUTH_DIGITAL_SIG);
	sa_b = peer_sa(d.b);
	me = cert_own_cert(d.oa, 0);
	assert_int_equal(cert_subject_der(me, &dn, &len), 0);
	assert_int_equal(sa_b->cfg.remote_id.type, IKEV2_ID_DER_ASN1_DN);
	assert_int_equal(sa_b->cfg.remote_id.len, len);
	assert_memory_equal(sa_b->cfg.remote_id.data, dn, len);
	free(dn);
	duo_free(&d);
}

/* Rekeying the IKE SA (no new authentication) works as with a
 * preshared key: new SPIs and keys, the Child SA kept. */
static void
rekey_ike_after_certs(void **state)
{
	struct duo d;
	uint64_t spi_i;

	(void)state;
	duo_std(&d, K_RSA2048, K_P256);
	initiate(d.a);
	pump(d.a, d.b);
	assert_up(&d, IKEV2_AUTH_DIGITAL_SIG, IKEV2_AUTH_DIGITAL_SIG);
	spi_i = peer_sa(d.a)->spi_i;
	assert_int_equal(engine_rekey_ike(d.a->eng, d.a->handle, hn_now), 0);
	pump(d.a, d.b);
	assert_int_not_equal(peer_sa(d.a)->spi_i, spi_i);
	assert_int_equal(peer_sa(d.a)->state, IKE_SA_ESTABLISHED);
	assert_ike_keys_equal(peer_sa(d.a), peer_sa(d.b));
	assert_children_mirror(d.a, d.b);
	assert_int_equal(event_count(d.a, ENGINE_EV_IKE_DOWN), 0);
	/* the new SA still knows who the peer proved to be */
	assert_int_equal(peer_sa(d.a)->peer_auth, IKEV2_AUTH_DIGITAL_SIG);
	assert_int_equal(peer_sa(d.b)->peer_auth, IKEV2_AUTH_DIGITAL_SIG);
	assert_string_not_equal(peer_sa(d.a)->peer_subject, "");
	assert_string_not_equal(peer_sa(d.b)->peer_subject, "");
	duo_free(&d);
}

/* ---------------------------------------------------- what is sent */

static const uint8_t hashes_wire[] = { 0, 2, 0, 3, 0, 4 };

static void
assert_hash_notify(const struct ike_msg *m, bool present)
{
	const struct ike_pl *n = ike_msg_notify(m,
	    IKEV2_N_SIGNATURE_HASH_ALGORITHMS);

	if (!present) {
		assert_null(n);
		return;
	}
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, sizeof(hashes_wire));
	assert_memory_equal(n->u.notify.data.p, hashes_wire,
	    sizeof(hashes_wire));
}

static void
assert_certreq_root(const struct ike_pl *cr)
{
	uint8_t want[CERT_KEYHASH_LEN];
	uint8_t *der;
	size_t len;
	struct cert *root;

	assert_non_null(cr);
	assert_int_equal(cr->u.cert.encoding, IKEV2_CERT_X509_SIG);
	der = tca_der(F.root, &len);
	assert_int_equal(cert_parse(der, len, &root), 0);
	OPENSSL_free(der);
	assert_int_equal(cert_keyhash(root, want), 0);
	cert_free(root);
	assert_int_equal(cr->u.cert.data.len, CERT_KEYHASH_LEN);
	assert_memory_equal(cr->u.cert.data.p, want, CERT_KEYHASH_LEN);
}

/* IKE_SA_INIT: the notification both ways, CERTREQ from the responder;
 * IKE_AUTH: IDi, CERT (end entity, then the intermediate), CERTREQ,
 * AUTH method 14 with the RSASSA-PSS AlgorithmIdentifier. */
static void
wire_payloads(void **state)
{
	static const uint8_t pss_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48,
		0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a };
	struct ike_msg *m = calloc(1, sizeof(*m));
	const struct ike_pl *cert;
	struct opened *o;
	struct dgram *g;
	struct duo d;
	size_t len;
	uint8_t *der;

	(void)state;
	assert_non_null(m);
	duo_std(&d, K_RSA2048, K_P256);
	initiate(d.a);
	g = head(d.a);
	assert_int_equal(codec_decode(g->buf, g->len, m, NULL), 0);
	assert_hash_notify(m, true);
	assert_null(ike_msg_find(m, IKEV2_PL_CERTREQ, NULL));
	deliver(d.a, d.b);
	g = head(d.b);
	assert_int_equal(codec_decode(g->buf, g->len, m, NULL), 0);
	assert_hash_notify(m, true);
	assert_certreq_root(ike_msg_find(m, IKEV2_PL_CERTREQ, NULL));
	deliver(d.b, d.a);
	o = open_auth(&d);
	assert_int_equal(count_pl(&o->m, IKEV2_PL_CERT), 2);
	cert = ike_msg_find(&o->m, IKEV2_PL_CERT, NULL);
	assert_int_equal(cert->u.cert.encoding, IKEV2_CERT_X509_SIG);
	der = (uint8_t *)(uintptr_t)cert_der(cert_own_cert(d.oa, 0), &len);
	assert_int_equal(cert->u.cert.data.len, len);
	assert_memory_equal(cert->u.cert.data.p, der, len);
	cert = ike_msg_find(&o->m, IKEV2_PL_CERT, cert);
	der = tca_der(F.inter, &len);
	assert_int_equal(cert->u.cert.data.len, len);
	assert_memory_equal(cert->u.cert.data.p, der, len);
	OPENSSL_free(der);
	assert_certreq_root(ike_msg_find(&o->m, IKEV2_PL_CERTREQ, NULL));
	cert = ike_msg_find(&o->m, IKEV2_PL_AUTH, NULL);
	assert_int_equal(cert->u.auth.method, IKEV2_AUTH_DIGITAL_SIG);
	assert_true(cert->u.auth.data.len > 2 + sizeof(pss_oid) + 256);
	assert_memory_equal(cert->u.auth.data.p + 3, pss_oid,
	    sizeof(pss_oid));
	opened_free(o);
	pump(d.a, d.b);
	assert_up(&d, IKEV2_AUTH_DIGITAL_SIG, IKEV2_AUTH_DIGITAL_SIG);
	duo_free(&d);
	free(m);
}

/* sig_classic: no notification in IKE_SA_INIT, CERTREQ still. */
static void
wire_classic(void **state)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct duo d;
	struct dgram *g;

	(void)state;
	assert_non_null(m);
	duo_std(&d, K_P256, K_P256);
	d.a->cfg.sig_classic = true;
	d.b->cfg.sig_classic = true;
	initiate(d.a);
	g = head(d.a);
	assert_int_equal(codec_decode(g->buf, g->len, m, NULL), 0);
	assert_hash_notify(m, false);
	deliver(d.a, d.b);
	g = head(d.b);
	assert_int_equal(codec_decode(g->buf, g->len, m, NULL), 0);
	assert_hash_notify(m, false);
	assert_certreq_root(ike_msg_find(m, IKEV2_PL_CERTREQ, NULL));
	pump(d.a, d.b);
	assert_up(&d, IKEV2_AUTH_ECDSA_256, IKEV2_AUTH_ECDSA_256);
	duo_free(&d);
	free(m);
}

/* ----------------------------------------- preshared key vs. certificate */

/* One side with a preshared key (a when psk_a), the other with a
 * certificate: the responder refuses the initiator. */
static void
psk_vs_cert(bool psk_a)
{
	struct duo d;

	if (psk_a)
		duo_of(&d, 0, NULL, K_P256, own_std("b", K_P256, 40), F.store);
	else
		duo_of(&d, K_RSA2048, own_std("a", K_RSA2048, 41), 0, NULL,
		    NULL);
	initiate(d.a);
	pump(d.a, d.b);
	assert_initiator_refused(&d, "authentication method mismatch");
	duo_free(&d);
}

static void
psk_initiator_cert_responder(void **state)
{
	(void)state;
	psk_vs_cert(true);
}

static void
cert_initiator_psk_responder(void **state)
{
	(void)state;
	psk_vs_cert(false);
}

/* ------------------------------------------------------ configuration */

static void
cfg_without_certs(void **state)
{
	struct duo d;
	uint32_t h;

	(void)state;
	d.oa = own_std("a", K_P256, 50);
	d.ob = NULL;
	d.a = sig_peer("a", 1, 2, K_P256, NULL, F.store);
	d.b = sig_peer("b", 2, 1, K_P256, NULL, F.store);
	/* no certificate of ours */
	assert_int_equal(engine_initiate(d.a->eng, &d.a->cfg, &d.a->ccfg,
	    hn_now, &h), IKE_EINVAL);
	/* a certificate of the other key type */
	assert_int_equal(engine_set_certs(d.a->eng, d.oa, F.store), 0);
	d.a->cfg.auth = CFG_AUTH_RSA_SIG;
	assert_int_equal(engine_initiate(d.a->eng, &d.a->cfg, &d.a->ccfg,
	    hn_now, &h), IKE_EINVAL);
	/* no PSK and no signature method */
	d.a->cfg.auth = CFG_AUTH_PSK;
	assert_int_equal(engine_initiate(d.a->eng, &d.a->cfg, &d.a->ccfg,
	    hn_now, &h), IKE_EINVAL);
	d.a->cfg.auth = 9;
	assert_int_equal(ike_cfg_check(&d.a->cfg), IKE_EINVAL);
	assert_int_equal(engine_sa_count(d.a->eng), 0);
	/* a responder without certificate drops the request */
	d.a->cfg.auth = CFG_AUTH_ECDSA_SIG;
	initiate(d.a);
	deliver(d.a, d.b);
	assert_int_equal(engine_sa_count(d.b->eng), 0);
	assert_int_equal(queued(d.b), 0);
	assert_int_equal(engine_stats(d.b->eng)->rx_dropped, 1);
	duo_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(establish_rsa2048),
		cmocka_unit_test(establish_rsa3072),
		cmocka_unit_test(establish_p256),
		cmocka_unit_test(establish_p384),
		cmocka_unit_test(establish_mixed_keys),
		cmocka_unit_test(establish_dn_identity),
		cmocka_unit_test(rekey_ike_after_certs),
		cmocka_unit_test(wire_payloads),
		cmocka_unit_test(wire_classic),
		cmocka_unit_test(psk_initiator_cert_responder),
		cmocka_unit_test(cert_initiator_psk_responder),
		cmocka_unit_test(cfg_without_certs),
	};

	return cmocka_run_group_tests(tests, cert_fx_setup, cert_fx_teardown);
}
