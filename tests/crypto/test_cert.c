/* The X.509 module (core/crypto/cert.h): chain validation against a test
 * CA made at run time (root -> intermediate -> end entities with RSA-2048,
 * RSA-3072, ECDSA P-256 and P-384 keys), each refusal with its reason,
 * identity binding per ID type, CERTREQ hashes, untrusted DER, and the
 * loading of PEM files with the private key mode rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "core/crypto/cert.h"
#include "core/err.h"
#include "tests/lib/testutil.h"
#include "test_cert_ca.h"

#define NEE		4
#define INTER_SERIAL	2

struct fx {
	char		 dir[256];
	EVP_PKEY	*root_key, *inter_key, *other_key;
	X509		*root, *inter, *other_root;
	EVP_PKEY	*ee_key[NEE];	/* RSA-2048, RSA-3072, P-256, P-384 */
	struct cert_store *store;	/* root only */
};

static struct fx F;

static const char *const ee_name[NEE] = { "RSA-2048", "RSA-3072",
	"ECDSA P-256", "ECDSA P-384" };
static const enum cert_key_type ee_type[NEE] = { CERT_KEY_RSA,
	CERT_KEY_RSA, CERT_KEY_EC_P256, CERT_KEY_EC_P384 };

/* A path in the scratch directory; the last 8 stay valid. */
static const char *
fpath(const char *name)
{
	static char p[8][300];
	static size_t n;
	char *b = p[n++ % 8];

	(void)snprintf(b, sizeof(p[0]), "%s/%s", F.dir, name);
	return b;
}

static int
setup(void **state)
{
	char msg[CERT_MSG_LEN];

	(void)state;
	if (tu_mkdtemp(F.dir, sizeof(F.dir), "cert") != 0)
		return -1;
	F.root_key = tca_rsa(2048);
	F.inter_key = tca_ec(NID_X9_62_prime256v1);
	F.other_key = tca_ec(NID_X9_62_prime256v1);
	F.root = tca_ca(F.root_key, NULL, NULL, "Test Root", 1);
	F.inter = tca_ca(F.inter_key, F.root, F.root_key, "Test Sub",
	    INTER_SERIAL);
	F.other_root = tca_ca(F.other_key, NULL, NULL, "Other Root", 1);
	F.ee_key[0] = tca_rsa(2048);
	F.ee_key[1] = tca_rsa(3072);
	F.ee_key[2] = tca_ec(NID_X9_62_prime256v1);
	F.ee_key[3] = tca_ec(NID_secp384r1);
	tca_write_certs(fpath("root.pem"), &F.root, 1);
	if (cert_store_new(&F.store) != 0 ||
	    cert_store_add_ca(F.store, fpath("root.pem"), msg) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	cert_store_free(F.store);
	X509_free(F.root);
	X509_free(F.inter);
	X509_free(F.other_root);
	EVP_PKEY_free(F.root_key);
	EVP_PKEY_free(F.inter_key);
	EVP_PKEY_free(F.other_key);
	for (i = 0; i < NEE; i++)
		EVP_PKEY_free(F.ee_key[i]);
	return tu_rmrf(F.dir);
}

/* An end entity of key i issued by the intermediate. */
static X509 *
ee_cert(size_t i, const struct tca_opts *o)
{
	struct tca_opts d = { .cn = "gw.example.com",
	    .ku = "critical,digitalSignature", .serial = 100 + i };

	return tca_cert(F.ee_key[i], F.inter, F.inter_key, o != NULL ? o :
	    &d);
}

/* Verifies [ee, inter] (or [ee] alone) at time t against store. */
static int
verify(const struct cert_store *s, X509 *ee, bool with_inter, time_t t,
    enum cert_reason *why, struct cert **out)
{
	struct cert_blob b[2];
	uint8_t *d0, *d1;
	struct cert *c = NULL;
	int rc;

	d0 = tca_der(ee, &b[0].len);
	d1 = tca_der(F.inter, &b[1].len);
	b[0].der = d0;
	b[1].der = d1;
	rc = cert_store_verify(s, b, with_inter ? 2 : 1, t, &c, why);
	OPENSSL_free(d0);
	OPENSSL_free(d1);
	if (rc == 0)
		assert_non_null(c);
	if (out != NULL)
		*out = c;
	else
		cert_free(c);
	return rc;
}

static void
expect_refused(const struct cert_store *s, X509 *ee, bool with_inter,
    time_t t, enum cert_reason want)
{
	enum cert_reason why = CERT_R_OK;

	assert_int_equal(verify(s, ee, with_inter, t, &why, NULL),
	    IKE_EINVAL);
	assert_int_equal(why, want);
}

/* ---- chain validation ---- */

static void
chain_ok_for_each_key(void **state)
{
	enum cert_reason why;
	struct cert *c;
	size_t i;
	X509 *ee;

	(void)state;
	for (i = 0; i < NEE; i++) {
		print_message("%s\n", ee_name[i]);
		ee = ee_cert(i, NULL);
		why = CERT_R_MALFORMED;
		assert_int_equal(verify(F.store, ee, true, TCA_NOW, &why,
		    &c), 0);
		assert_int_equal(why, CERT_R_OK);
		assert_int_equal(cert_key_type(c), ee_type[i]);
		cert_free(c);
		/* Without the intermediate the root alone cannot vouch. */
		expect_refused(F.store, ee, false, TCA_NOW,
		    CERT_R_UNKNOWN_CA);
		X509_free(ee);
	}
}

static void
key_sizes_are_reported(void **state)
{
	static const unsigned int bits[NEE] = { 2048, 3072, 256, 384 };
	struct cert *c;
	uint8_t *der;
	size_t i, len;
	X509 *ee;

	(void)state;
	for (i = 0; i < NEE; i++) {
		ee = ee_cert(i, NULL);
		der = tca_der(ee, &len);
		assert_int_equal(cert_parse(der, len, &c), 0);
		assert_int_equal(cert_key_bits(c), bits[i]);
		assert_int_equal(cert_key_type(c), ee_type[i]);
		OPENSSL_free(der);
		cert_free(c);
		X509_free(ee);
	}
}

/* Ed25519 and RSA-768 keys: valid certificates, but not ours to use. */
static void
unsupported_keys(void **state)
{
	struct tca_opts o = { .cn = "odd", .serial = 50 };
	EVP_PKEY *keys[2] = { NULL, tca_rsa(768) };
	EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	struct cert_blob b[2];
	enum cert_reason why;
	struct cert *c = NULL;
	uint8_t *d0, *d1;
	size_t i;
	X509 *x;

	(void)state;
	assert_non_null(kctx);
	assert_true(EVP_PKEY_keygen_init(kctx));
	assert_true(EVP_PKEY_keygen(kctx, &keys[0]));
	EVP_PKEY_CTX_free(kctx);
	for (i = 0; i < 2; i++) {
		x = tca_cert(keys[i], F.inter, F.inter_key, &o);
		d0 = tca_der(x, &b[0].len);
		d1 = tca_der(F.inter, &b[1].len);
		b[0].der = d0;
		b[1].der = d1;
		assert_int_equal(cert_parse(d0, b[0].len, &c), IKE_EUNSUPP);
		assert_int_equal(cert_store_verify(F.store, b, 2, TCA_NOW, &c,
		    &why), IKE_EUNSUPP);
		assert_int_equal(why, CERT_R_KEY_TYPE);
		assert_null(c);
		OPENSSL_free(d0);
		OPENSSL_free(d1);
		X509_free(x);
		EVP_PKEY_free(keys[i]);
	}
}

static void
wrong_ca_is_unknown(void **state)
{
	struct cert_store *s;
	char msg[CERT_MSG_LEN];
	X509 *ee = ee_cert(2, NULL);

	(void)state;
	tca_write_certs(fpath("other.pem"), &F.other_root, 1);
	assert_int_equal(cert_store_new(&s), 0);
	assert_int_equal(cert_store_add_ca(s, fpath("other.pem"), msg), 0);
	expect_refused(s, ee, true, TCA_NOW, CERT_R_UNKNOWN_CA);
	/* An empty store trusts nothing. */
	cert_store_free(s);
	assert_int_equal(cert_store_new(&s), 0);
	expect_refused(s, ee, true, TCA_NOW, CERT_R_UNKNOWN_CA);
	cert_store_free(s);
	X509_free(ee);
}

static void
expired_and_not_yet_valid(void **state)
{
	size_t i;
	X509 *ee;

	(void)state;
	for (i = 0; i < NEE; i++) {
		ee = ee_cert(i, NULL);
		/* valid NOW - 1 day .. NOW + 365 days */
		expect_refused(F.store, ee, true, TCA_NOW + 366 * TCA_DAY,
		    CERT_R_EXPIRED);
		expect_refused(F.store, ee, true, TCA_NOW - 2 * TCA_DAY,
		    CERT_R_NOT_YET_VALID);
		assert_int_equal(verify(F.store, ee, true, TCA_NOW +
		    364 * TCA_DAY, &(enum cert_reason){ 0 }, NULL), 0);
		X509_free(ee);
	}
}

static void
revoked_by_crl(void **state)
{
	const uint64_t revoked[] = { 100, 102, 77 };
	char msg[CERT_MSG_LEN];
	struct cert_store *s;
	X509_CRL *crl;
	X509 *ee;
	size_t i;

	(void)state;
	crl = tca_crl(F.inter, F.inter_key, revoked, 3, TCA_NOW - TCA_DAY,
	    TCA_NOW + 30 * TCA_DAY);
	tca_write_crl(fpath("sub.crl"), crl);
	X509_CRL_free(crl);
	assert_int_equal(cert_store_new(&s), 0);
	assert_int_equal(cert_store_add_ca(s, fpath("root.pem"), msg), 0);
	assert_int_equal(cert_store_add_crl(s, fpath("sub.crl"), msg), 0);
	/* The same CRL twice is harmless. */
	assert_int_equal(cert_store_add_crl(s, fpath("sub.crl"), msg), 0);
	for (i = 0; i < NEE; i++) {
		ee = ee_cert(i, NULL);	/* serial 100 + i */
		if (i == 0 || i == 2)
			expect_refused(s, ee, true, TCA_NOW, CERT_R_REVOKED);
		else
			assert_int_equal(verify(s, ee, true, TCA_NOW,
			    &(enum cert_reason){ 0 }, NULL), 0);
		/* Without the CRL the same certificate passes. */
		assert_int_equal(verify(F.store, ee, true, TCA_NOW,
		    &(enum cert_reason){ 0 }, NULL), 0);
		X509_free(ee);
	}
	/* Past the CRL's nextUpdate it is stale: refused, not ignored. */
	ee = ee_cert(1, NULL);
	expect_refused(s, ee, true, TCA_NOW + 31 * TCA_DAY,
	    CERT_R_CRL_STALE);
	X509_free(ee);
	cert_store_free(s);
}

/* A CRL in the intermediate's name signed by another key. */
static void
crl_with_bad_signature(void **state)
{
	char msg[CERT_MSG_LEN];
	struct cert_store *s;
	X509_CRL *crl;
	X509 *ee = ee_cert(3, NULL);

	(void)state;
	crl = tca_crl(F.inter, F.other_key, NULL, 0, TCA_NOW - TCA_DAY,
	    TCA_NOW + 30 * TCA_DAY);
	tca_write_crl(fpath("forged.crl"), crl);
	X509_CRL_free(crl);
	assert_int_equal(cert_store_new(&s), 0);
	assert_int_equal(cert_store_add_ca(s, fpath("root.pem"), msg), 0);
	assert_int_equal(cert_store_add_crl(s, fpath("forged.crl"), msg), 0);
	expect_refused(s, ee, true, TCA_NOW, CERT_R_CRL_BAD);
	cert_store_free(s);
	X509_free(ee);
}

static void
key_usage_without_digital_signature(void **state)
{
	struct tca_opts bad = { .cn = "gw", .serial = 5,
	    .ku = "critical,keyEncipherment" };
	struct tca_opts none = { .cn = "gw", .serial = 6 };
	size_t i;
	X509 *ee;

	(void)state;
	for (i = 0; i < NEE; i++) {
		ee = ee_cert(i, &bad);
		expect_refused(F.store, ee, true, TCA_NOW, CERT_R_KEY_USAGE);
		X509_free(ee);
		/* No keyUsage extension at all: allowed. */
		ee = ee_cert(i, &none);
		assert_int_equal(verify(F.store, ee, true, TCA_NOW,
		    &(enum cert_reason){ 0 }, NULL), 0);
		X509_free(ee);
	}
}

/* An intermediate without basicConstraints cA cannot issue. */
static void
issuer_not_a_ca(void **state)
{
	struct tca_opts io = { .cn = "Not A CA", .serial = 9,
	    .ku = "digitalSignature,keyCertSign" };
	struct tca_opts eo = { .cn = "gw", .serial = 10 };
	struct cert_blob b[2];
	enum cert_reason why = CERT_R_OK;
	uint8_t *d0, *d1;
	struct cert *c = NULL;
	X509 *mid, *ee;

	(void)state;
	mid = tca_cert(F.other_key, F.root, F.root_key, &io);
	ee = tca_cert(F.ee_key[2], mid, F.other_key, &eo);
	d0 = tca_der(ee, &b[0].len);
	d1 = tca_der(mid, &b[1].len);
	b[0].der = d0;
	b[1].der = d1;
	assert_int_equal(cert_store_verify(F.store, b, 2, TCA_NOW, &c, &why),
	    IKE_EINVAL);
	assert_int_equal(why, CERT_R_NOT_CA);
	assert_null(c);
	OPENSSL_free(d0);
	OPENSSL_free(d1);
	X509_free(mid);
	X509_free(ee);
}

/* ---- untrusted DER ---- */

static void
garbage_and_truncated_der(void **state)
{
	uint8_t junk[300], *der, *big;
	enum cert_reason why;
	struct cert_blob b[CERT_CHAIN_MAX + 1];
	struct cert *c = NULL;
	size_t i, len;
	X509 *ee = ee_cert(0, NULL);

	(void)state;
	der = tca_der(ee, &len);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	assert_int_equal(cert_parse(der, len - 1, &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(der, len / 2, &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(der, 4, &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(der, 0, &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(junk, sizeof(junk), &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(NULL, 10, &c), IKE_EMALFORMED);
	/* One whole certificate and a trailing octet. */
	big = calloc(1, CERT_DER_MAX + 2);
	assert_non_null(big);
	memcpy(big, der, len);
	assert_int_equal(cert_parse(big, len + 1, &c), IKE_EMALFORMED);
	assert_int_equal(cert_parse(big, CERT_DER_MAX + 1, &c),
	    IKE_EMALFORMED);
	assert_null(c);
	/* In a chain: the end entity or an intermediate. */
	b[0] = (struct cert_blob){ der, len - 1 };
	assert_int_equal(cert_store_verify(F.store, b, 1, TCA_NOW, &c, &why),
	    IKE_EMALFORMED);
	assert_int_equal(why, CERT_R_MALFORMED);
	b[0] = (struct cert_blob){ der, len };
	b[1] = (struct cert_blob){ junk, sizeof(junk) };
	assert_int_equal(cert_store_verify(F.store, b, 2, TCA_NOW, &c, &why),
	    IKE_EMALFORMED);
	assert_int_equal(why, CERT_R_MALFORMED);
	for (i = 0; i <= CERT_CHAIN_MAX; i++)
		b[i] = (struct cert_blob){ der, len };
	assert_int_equal(cert_store_verify(F.store, b, CERT_CHAIN_MAX + 1,
	    TCA_NOW, &c, &why), IKE_EINVAL);
	assert_int_equal(why, CERT_R_TOO_LARGE);
	assert_int_equal(cert_store_verify(F.store, b, 0, TCA_NOW, &c, &why),
	    IKE_EINVAL);
	assert_null(c);
	free(big);
	OPENSSL_free(der);
	X509_free(ee);
}

/* Every truncation and every single-bit flip of a good chain is refused,
 * and none upsets the parser (ASan watches). */
static void
every_truncation_and_bit_flip(void **state)
{
	enum cert_reason why;
	struct cert_blob b[2];
	struct cert *c = NULL;
	uint8_t *der, *d1;
	size_t len, i;
	X509 *ee = ee_cert(2, NULL);
	int rc;

	(void)state;
	der = tca_der(ee, &len);
	d1 = tca_der(F.inter, &b[1].len);
	b[1].der = d1;
	for (i = 1; i < len; i++) {
		b[0] = (struct cert_blob){ der, i };
		assert_int_not_equal(cert_store_verify(F.store, b, 2, TCA_NOW,
		    &c, &why), 0);
	}
	for (i = 0; i < len * 8; i++) {
		der[i / 8] ^= (uint8_t)(1u << (i % 8));
		b[0] = (struct cert_blob){ der, len };
		rc = cert_store_verify(F.store, b, 2, TCA_NOW, &c, &why);
		if (rc == 0)
			fail_msg("bit %zu flipped: still accepted", i);
		der[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	b[0] = (struct cert_blob){ der, len };
	assert_int_equal(cert_store_verify(F.store, b, 2, TCA_NOW, &c, &why),
	    0);
	cert_free(c);
	OPENSSL_free(der);
	OPENSSL_free(d1);
	X509_free(ee);
}

/* A flipped octet inside the signed part breaks the issuer's signature. */
static void
tampered_certificate(void **state)
{
	struct cert_blob b[2];
	enum cert_reason why = CERT_R_OK;
	struct cert *c = NULL;
	uint8_t *der, *d1;
	size_t len, i, off;
	X509 *ee = ee_cert(2, NULL);
	int rc;

	(void)state;
	der = tca_der(ee, &len);
	d1 = tca_der(F.inter, &b[1].len);
	b[1].der = d1;
	/* the CN "gw.example.com" lies in the signed part */
	for (off = 0, i = 0; i + 14 <= len; i++) {
		if (memcmp(der + i, "gw.example.com", 14) == 0)
			off = i;
	}
	assert_true(off != 0);
	der[off] ^= 0x01;
	b[0] = (struct cert_blob){ der, len };
	rc = cert_store_verify(F.store, b, 2, TCA_NOW, &c, &why);
	assert_int_equal(rc, IKE_EINVAL);
	assert_int_equal(why, CERT_R_BAD_CERT_SIG);
	OPENSSL_free(der);
	OPENSSL_free(d1);
	X509_free(ee);
}

/* ---- identities ---- */

static struct cert *
id_cert(size_t i)
{
	struct tca_opts o = { .cn = "gw", .serial = 300 + i,
	    .san = "DNS:gw.example.com,IP:192.0.2.1,IP:2001:db8::1,"
	    "email:Admin@Example.com" };
	struct cert *c;
	uint8_t *der;
	size_t len;
	X509 *x = ee_cert(i, &o);

	der = tca_der(x, &len);
	assert_int_equal(cert_parse(der, len, &c), 0);
	OPENSSL_free(der);
	X509_free(x);
	return c;
}

static int
match(const struct cert *c, uint8_t type, const void *data, size_t len)
{
	enum cert_reason why = CERT_R_MALFORMED;
	int rc = cert_match_id(c, type, data, len, &why);

	assert_int_equal(why, rc == 0 ? CERT_R_OK : CERT_R_ID_MISMATCH);
	return rc;
}

#define S(s)	s, sizeof(s) - 1

static void
id_by_subject_alt_name(void **state)
{
	static const uint8_t v4[] = { 192, 0, 2, 1 }, v4b[] = { 192, 0, 2, 2 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct cert *c;
	size_t i;

	(void)state;
	for (i = 0; i < NEE; i++) {
		c = id_cert(i);
		assert_int_equal(match(c, CERT_ID_FQDN, S("gw.example.com")),
		    0);
		assert_int_equal(match(c, CERT_ID_FQDN, S("GW.Example.COM")),
		    0);
		assert_int_equal(match(c, CERT_ID_FQDN, S("gw.example.org")),
		    IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_FQDN, S("gw.example.co")),
		    IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_FQDN, S("gw")), IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_IPV4_ADDR, v4, 4), 0);
		assert_int_equal(match(c, CERT_ID_IPV4_ADDR, v4b, 4),
		    IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_IPV6_ADDR, v6, 16), 0);
		assert_int_equal(match(c, CERT_ID_IPV6_ADDR, v6b, 16),
		    IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_RFC822_ADDR,
		    S("Admin@example.COM")), 0);
		assert_int_equal(match(c, CERT_ID_RFC822_ADDR,
		    S("admin@Example.com")), IKE_EINVAL);
		/* The FQDN is not an rfc822Name and the reverse. */
		assert_int_equal(match(c, CERT_ID_RFC822_ADDR,
		    S("gw.example.com")), IKE_EINVAL);
		assert_int_equal(match(c, CERT_ID_FQDN,
		    S("Admin@Example.com")), IKE_EINVAL);
		/* Wrong lengths, other types. */
		assert_int_equal(cert_match_id(c, CERT_ID_IPV4_ADDR, v6, 16,
		    &(enum cert_reason){ 0 }), IKE_EMALFORMED);
		assert_int_equal(cert_match_id(c, CERT_ID_IPV6_ADDR, v4, 4,
		    &(enum cert_reason){ 0 }), IKE_EMALFORMED);
		assert_int_equal(cert_match_id(c, 11, v4, 4,
		    &(enum cert_reason){ 0 }), IKE_EUNSUPP);
		cert_free(c);
	}
}

/* A certificate without subjectAltName binds no address or name. */
static void
id_without_san(void **state)
{
	static const uint8_t v4[] = { 192, 0, 2, 1 };
	struct cert *c;
	uint8_t *der;
	size_t len;
	X509 *x = ee_cert(2, NULL);

	(void)state;
	der = tca_der(x, &len);
	assert_int_equal(cert_parse(der, len, &c), 0);
	/* the CN is gw.example.com, but only the SAN counts */
	assert_int_equal(match(c, CERT_ID_FQDN, S("gw.example.com")),
	    IKE_EINVAL);
	assert_int_equal(match(c, CERT_ID_IPV4_ADDR, v4, 4), IKE_EINVAL);
	cert_free(c);
	OPENSSL_free(der);
	X509_free(x);
}

static X509_NAME *
name3(const char *a, int ta, const char *b, int tb, const char *c, int tc)
{
	const char *f[3] = { a, b, c };
	const int t[3] = { ta, tb, tc };
	X509_NAME *n = X509_NAME_new();
	size_t i;

	assert_non_null(n);
	for (i = 0; i < 3; i++) {
		const char *eq = strchr(f[i], '=');
		char field[8];

		assert_non_null(eq);
		assert_true((size_t)(eq - f[i]) < sizeof(field));
		memcpy(field, f[i], (size_t)(eq - f[i]));
		field[eq - f[i]] = '\0';
		assert_true(X509_NAME_add_entry_by_txt(n, field, t[i],
		    (const uint8_t *)eq + 1, -1, -1, 0));
	}
	return n;
}

static int
match_name(const struct cert *c, X509_NAME *n)
{
	uint8_t *der = NULL;
	int len = i2d_X509_NAME(n, &der), rc;

	assert_true(len > 0);
	rc = match(c, CERT_ID_DER_ASN1_DN, der, (size_t)len);
	OPENSSL_free(der);
	X509_NAME_free(n);
	return rc;
}

/* The subject C=US (PrintableString), O=Example Corp, CN=Gate Way (both
 * UTF8String) against IDs spelled differently. */
static void
id_dn_by_meaning(void **state)
{
	struct tca_opts o = { .serial = 400 };
	struct cert *c;
	uint8_t *der, *sd;
	size_t len, slen;
	char str[128];
	X509 *x;

	(void)state;
	o.subject = name3("C=US", V_ASN1_PRINTABLESTRING, "O=Example Corp",
	    V_ASN1_UTF8STRING, "CN=Gate Way", V_ASN1_UTF8STRING);
	x = tca_cert(F.ee_key[2], F.inter, F.inter_key, &o);
	X509_NAME_free(o.subject);
	der = tca_der(x, &len);
	assert_int_equal(cert_parse(der, len, &c), 0);
	/* The same DN with other string types, case and blanks. */
	assert_int_equal(match_name(c, name3("C=us", V_ASN1_UTF8STRING,
	    "O=example   CORP", V_ASN1_PRINTABLESTRING, "CN= Gate Way ",
	    V_ASN1_T61STRING)), 0);
	assert_int_equal(match_name(c, name3("C=US", V_ASN1_PRINTABLESTRING,
	    "O=Example Corp", V_ASN1_UTF8STRING, "CN=Gate Way",
	    V_ASN1_UTF8STRING)), 0);
	/* Another order, another value, another attribute: not the same. */
	assert_int_equal(match_name(c, name3("CN=Gate Way", V_ASN1_UTF8STRING,
	    "O=Example Corp", V_ASN1_UTF8STRING, "C=US",
	    V_ASN1_PRINTABLESTRING)), IKE_EINVAL);
	assert_int_equal(match_name(c, name3("C=US", V_ASN1_PRINTABLESTRING,
	    "O=Example Corp", V_ASN1_UTF8STRING, "CN=Gate Way2",
	    V_ASN1_UTF8STRING)), IKE_EINVAL);
	assert_int_equal(match_name(c, name3("C=US", V_ASN1_PRINTABLESTRING,
	    "OU=Example Corp", V_ASN1_UTF8STRING, "CN=Gate Way",
	    V_ASN1_UTF8STRING)), IKE_EINVAL);
	/* Our own subject DER (our default ID) matches itself. */
	assert_int_equal(cert_subject_der(c, &sd, &slen), 0);
	assert_int_equal(match(c, CERT_ID_DER_ASN1_DN, sd, slen), 0);
	/* Not DER: refused as malformed, truncated or with a tail. */
	assert_int_equal(cert_match_id(c, CERT_ID_DER_ASN1_DN, sd, slen - 1,
	    &(enum cert_reason){ 0 }), IKE_EMALFORMED);
	assert_int_equal(cert_match_id(c, CERT_ID_DER_ASN1_DN,
	    (const uint8_t *)"CN=Gate Way", 11, &(enum cert_reason){ 0 }),
	    IKE_EMALFORMED);
	assert_int_equal(cert_match_id(c, CERT_ID_DER_ASN1_DN, sd, 0,
	    &(enum cert_reason){ 0 }), IKE_EMALFORMED);
	assert_int_equal(cert_subject_str(c, str, sizeof(str)), 0);
	assert_string_equal(str, "CN=Gate Way,O=Example Corp,C=US");
	assert_int_equal(cert_subject_str(c, str, 6), 0);
	assert_string_equal(str, "CN=Ga");
	free(sd);
	cert_free(c);
	OPENSSL_free(der);
	X509_free(x);
}

/* ---- CERTREQ ---- */

static void
keyhash_of(EVP_PKEY *pk, uint8_t out[CERT_KEYHASH_LEN])
{
	uint8_t *spki = NULL;
	int n = i2d_PUBKEY(pk, &spki);

	assert_true(n > 0);
	SHA1(spki, (size_t)n, out);
	OPENSSL_free(spki);
}

static void
certreq_hashes(void **state)
{
	uint8_t root_h[20], inter_h[20], other_h[20], list[60], *req;
	char msg[CERT_MSG_LEN];
	struct cert_store *s;
	size_t len;

	(void)state;
	keyhash_of(F.root_key, root_h);
	keyhash_of(F.inter_key, inter_h);
	keyhash_of(F.other_key, other_h);
	tca_write_certs(fpath("two.pem"), (X509 *[]){ F.root, F.other_root },
	    2);
	assert_int_equal(cert_store_new(&s), 0);
	assert_int_equal(cert_store_certreq(s, &req, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(cert_store_add_ca(s, fpath("two.pem"), msg), 0);
	assert_int_equal(cert_store_nca(s), 2);
	assert_int_equal(cert_store_certreq(s, &req, &len), 0);
	assert_int_equal(len, 40);
	assert_memory_equal(req, root_h, 20);
	assert_memory_equal(req + 20, other_h, 20);
	assert_int_equal(cert_certreq_has(req, len, other_h), 0);
	assert_int_equal(cert_certreq_has(req, len, inter_h), IKE_ENOTFOUND);
	assert_int_equal(cert_certreq_has(req, len - 1, root_h),
	    IKE_EMALFORMED);
	assert_int_equal(cert_certreq_has(NULL, 0, root_h), IKE_ENOTFOUND);
	/* Adding the same file again adds nothing. */
	assert_int_equal(cert_store_add_ca(s, fpath("two.pem"), msg), 0);
	assert_int_equal(cert_store_nca(s), 2);
	free(req);
	cert_store_free(s);
	memcpy(list, other_h, 20);
	memcpy(list + 20, root_h, 20);
	memcpy(list + 40, inter_h, 20);
	assert_int_equal(cert_certreq_has(list, 60, inter_h), 0);
}

/* ---- files ---- */

static void
own_credentials_and_key_mode(void **state)
{
	char msg[CERT_MSG_LEN], want[400];
	uint8_t root_h[20], inter_h[20], other_h[20];
	struct cert_own *o = NULL;
	const char *key = fpath("key.pem");
	const char *crt = fpath("own.pem");
	X509 *ee = ee_cert(0, NULL);

	(void)state;
	tca_write_certs(crt, (X509 *[]){ ee, F.inter }, 2);
	tca_write_key(key, F.ee_key[0]);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg), 0);
	assert_int_equal(cert_own_ncert(o), 2);
	assert_int_equal(cert_key_type(cert_own_cert(o, 0)), CERT_KEY_RSA);
	assert_null(cert_own_cert(o, 2));
	/* CERTREQ: our intermediate, or the root that issued it. */
	keyhash_of(F.root_key, root_h);
	keyhash_of(F.inter_key, inter_h);
	keyhash_of(F.other_key, other_h);
	assert_int_equal(cert_own_certreq_match(o, NULL, inter_h, 20), 0);
	assert_int_equal(cert_own_certreq_match(o, NULL, root_h, 20),
	    IKE_ENOTFOUND);
	assert_int_equal(cert_own_certreq_match(o, F.store, root_h, 20), 0);
	assert_int_equal(cert_own_certreq_match(o, F.store, other_h, 20),
	    IKE_ENOTFOUND);
	assert_int_equal(cert_own_certreq_match(o, F.store, other_h, 19),
	    IKE_EMALFORMED);
	cert_own_free(o);
	o = NULL;
	/* 0400 is stricter than 0600: fine. */
	assert_int_equal(chmod(key, 0400), 0);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg), 0);
	cert_own_free(o);
	o = NULL;
	/* Readable by others, or by the group: refused by name and mode. */
	assert_int_equal(chmod(key, 0644), 0);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg),
	    IKE_EINVAL);
	(void)snprintf(want, sizeof(want), "private key %s has mode 0644: "
	    "must be 0600", key);
	assert_string_equal(msg, want);
	assert_int_equal(chmod(key, 0640), 0);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "has mode 0640: must be 0600"));
	assert_int_equal(chmod(key, 0600), 0);
	/* Owned by someone else. */
	assert_int_equal(cert_own_load(crt, key, getuid() + 1, &o, msg),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "is owned by uid"));
	assert_null(o);
	X509_free(ee);
}

static void
own_credentials_errors(void **state)
{
	char msg[CERT_MSG_LEN];
	struct cert_own *o = NULL;
	const char *key = fpath("key2.pem");
	const char *crt = fpath("own2.pem");
	X509 *ee = ee_cert(2, NULL);

	(void)state;
	tca_write_certs(crt, &ee, 1);
	/* The key of another certificate. */
	tca_write_key(key, F.ee_key[3]);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "does not belong to the certificate"));
	/* Not a key, no file, a directory. */
	assert_int_equal(tu_write_file(key, "-----BEGIN PRIVATE KEY-----\n"
	    "AAAA\n-----END PRIVATE KEY-----\n"), 0);
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, key));
	assert_int_equal(cert_own_load(crt, fpath("nokey.pem"), getuid(), &o,
	    msg), IKE_ESYS);
	assert_non_null(strstr(msg, "nokey.pem"));
	assert_int_equal(cert_own_load(crt, F.dir, getuid(), &o, msg),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "not a regular file"));
	/* A certificate file without a certificate. */
	tca_write_key(key, F.ee_key[2]);
	assert_int_equal(cert_own_load(key, key, getuid(), &o, msg),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, "no PEM certificate"));
	assert_int_equal(cert_own_load(crt, key, getuid(), &o, msg), 0);
	assert_int_equal(cert_key_type(cert_own_cert(o, 0)),
	    CERT_KEY_EC_P256);
	cert_own_free(o);
	X509_free(ee);
}

static void
ca_files_and_directories(void **state)
{
	char msg[CERT_MSG_LEN], d[512];
	struct cert_store *s;
	X509 *ee = ee_cert(1, NULL);

	(void)state;
	assert_int_equal(cert_store_new(&s), 0);
	/* An end entity is no CA; nothing of the file is added. */
	tca_write_certs(fpath("mixed.pem"), (X509 *[]){ F.root, ee }, 2);
	assert_int_equal(cert_store_add_ca(s, fpath("mixed.pem"), msg),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "certificate 2 is not a CA"));
	assert_int_equal(cert_store_nca(s), 0);
	assert_int_equal(tu_write_file(fpath("junk.pem"), "-----BEGIN "
	    "CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n"),
	    0);
	assert_int_equal(cert_store_add_ca(s, fpath("junk.pem"), msg),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, "junk.pem: malformed PEM certificate"));
	assert_int_equal(tu_write_file(fpath("empty.pem"), "nothing\n"), 0);
	assert_int_equal(cert_store_add_ca(s, fpath("empty.pem"), msg),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, "no PEM certificate"));
	assert_int_equal(cert_store_add_ca(s, fpath("absent.pem"), msg),
	    IKE_ESYS);
	/* A directory: its *.pem files, nothing else. */
	(void)snprintf(d, sizeof(d), "%s/cadir", F.dir);
	assert_int_equal(mkdir(d, 0700), 0);
	assert_int_equal(cert_store_add_ca(s, d, msg), IKE_ENOTFOUND);
	(void)snprintf(d, sizeof(d), "%s/cadir/a.pem", F.dir);
	tca_write_certs(d, &F.root, 1);
	(void)snprintf(d, sizeof(d), "%s/cadir/b.pem", F.dir);
	tca_write_certs(d, &F.other_root, 1);
	(void)snprintf(d, sizeof(d), "%s/cadir/c.txt", F.dir);
	assert_int_equal(tu_write_file(d, "ignored"), 0);
	(void)snprintf(d, sizeof(d), "%s/cadir", F.dir);
	assert_int_equal(cert_store_add_ca(s, d, msg), 0);
	assert_int_equal(cert_store_nca(s), 2);
	/* A bad file in a directory is named. */
	(void)snprintf(d, sizeof(d), "%s/cadir/z.pem", F.dir);
	assert_int_equal(tu_write_file(d, "junk\n"), 0);
	(void)snprintf(d, sizeof(d), "%s/cadir", F.dir);
	assert_int_equal(cert_store_add_ca(s, d, msg), IKE_EMALFORMED);
	assert_non_null(strstr(msg, "cadir/z.pem: no PEM certificate"));
	/* Over CERT_FILE_MAX: refused before reading (a sparse file). */
	assert_int_equal(tu_write_file(fpath("huge.pem"), ""), 0);
	assert_int_equal(truncate(fpath("huge.pem"), CERT_FILE_MAX + 1), 0);
	assert_int_equal(cert_store_add_ca(s, fpath("huge.pem"), msg),
	    IKE_ENOSPC);
	assert_non_null(strstr(msg, "huge.pem: larger than"));
	/* CRL files. */
	assert_int_equal(cert_store_add_crl(s, fpath("empty.pem"), msg),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, "no PEM CRL"));
	assert_int_equal(cert_store_add_crl(s, fpath("absent.crl"), msg),
	    IKE_ESYS);
	cert_store_free(s);
	X509_free(ee);
}

static void
reason_strings(void **state)
{
	(void)state;
	assert_string_equal(cert_reason_str(CERT_R_EXPIRED),
	    "certificate expired");
	assert_string_equal(cert_reason_str(CERT_R_REVOKED),
	    "certificate revoked");
	assert_string_equal(cert_reason_str(CERT_R_UNKNOWN_CA), "unknown CA");
	assert_string_equal(cert_reason_str(CERT_R_KEY_USAGE),
	    "key usage forbids signatures");
	assert_string_equal(cert_reason_str(CERT_R_MALFORMED),
	    "malformed certificate");
	assert_string_equal(cert_reason_str((enum cert_reason)999),
	    "unknown reason");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_ok_for_each_key),
		cmocka_unit_test(key_sizes_are_reported),
		cmocka_unit_test(unsupported_keys),
		cmocka_unit_test(wrong_ca_is_unknown),
		cmocka_unit_test(expired_and_not_yet_valid),
		cmocka_unit_test(revoked_by_crl),
		cmocka_unit_test(crl_with_bad_signature),
		cmocka_unit_test(key_usage_without_digital_signature),
		cmocka_unit_test(issuer_not_a_ca),
		cmocka_unit_test(garbage_and_truncated_der),
		cmocka_unit_test(tampered_certificate),
		cmocka_unit_test(every_truncation_and_bit_flip),
		cmocka_unit_test(id_by_subject_alt_name),
		cmocka_unit_test(id_without_san),
		cmocka_unit_test(id_dn_by_meaning),
		cmocka_unit_test(certreq_hashes),
		cmocka_unit_test(own_credentials_and_key_mode),
		cmocka_unit_test(own_credentials_errors),
		cmocka_unit_test(ca_files_and_directories),
		cmocka_unit_test(reason_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
