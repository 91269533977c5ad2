/* A test CA with BoringSSL's X509 API; see test_cert_ca.h. */
#include "test_cert_ca.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

EVP_PKEY *
tca_rsa(unsigned int bits)
{
	EVP_PKEY *pk = EVP_PKEY_new();
	RSA *rsa = RSA_new();
	BIGNUM *e = BN_new();

	assert_non_null(pk);
	assert_non_null(rsa);
	assert_non_null(e);
	assert_true(BN_set_word(e, RSA_F4));
	assert_true(RSA_generate_key_ex(rsa, (int)bits, e, NULL));
	assert_true(EVP_PKEY_assign_RSA(pk, rsa));
	BN_free(e);
	return pk;
}

EVP_PKEY *
tca_ec(int nid)
{
	EVP_PKEY *pk = EVP_PKEY_new();
	EC_KEY *ec = EC_KEY_new_by_curve_name(nid);

	assert_non_null(pk);
	assert_non_null(ec);
	assert_true(EC_KEY_generate_key(ec));
	assert_true(EVP_PKEY_assign_EC_KEY(pk, ec));
	return pk;
}

static X509_NAME *
std_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_true(X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const uint8_t *)"US", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const uint8_t *)"Example Corp", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const uint8_t *)cn, -1, -1, 0));
	return n;
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_true(X509_add_ext(x, ext, -1));
	X509_EXTENSION_free(ext);
}

static void
set_times(X509 *x, const struct tca_opts *o)
{
	time_t nb = o->not_before ? o->not_before : TCA_NOW - TCA_DAY;
	time_t na = o->not_after ? o->not_after : TCA_NOW + 365 * TCA_DAY;
	ASN1_TIME *t = ASN1_TIME_set(NULL, nb);

	assert_non_null(t);
	assert_true(X509_set1_notBefore(x, t));
	assert_non_null(ASN1_TIME_set(t, na));
	assert_true(X509_set1_notAfter(x, t));
	ASN1_TIME_free(t);
}

static void
set_serial(X509 *x, uint64_t serial)
{
	ASN1_INTEGER *i = ASN1_INTEGER_new();

	assert_non_null(i);
	assert_true(ASN1_INTEGER_set_uint64(i, serial));
	assert_true(X509_set_serialNumber(x, i));
	ASN1_INTEGER_free(i);
}

X509 *
tca_cert(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    const struct tca_opts *o)
{
	X509 *x = X509_new();
	X509_NAME *n = o->subject != NULL ? o->subject : std_name(o->cn);

	assert_non_null(x);
	assert_true(X509_set_version(x, X509_VERSION_3));
	set_serial(x, o->serial != 0 ? o->serial : 1);
	assert_true(X509_set_subject_name(x, n));
	assert_true(X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n));
	if (o->subject == NULL)
		X509_NAME_free(n);
	set_times(x, o);
	assert_true(X509_set_pubkey(x, key));
	if (o->ca)
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
	if (o->ku != NULL)
		add_ext(x, issuer, NID_key_usage, o->ku);
	if (o->san != NULL)
		add_ext(x, issuer, NID_subject_alt_name, o->san);
	assert_true(X509_sign(x, issuer_key != NULL ? issuer_key : key,
	    EVP_sha256()));
	return x;
}

X509 *
tca_ca(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, const char *cn,
    uint64_t serial)
{
	struct tca_opts o = { .cn = cn, .ca = true, .serial = serial,
	    .ku = "critical,keyCertSign,cRLSign",
	    .not_before = TCA_NOW - 365 * TCA_DAY,
	    .not_after = TCA_NOW + 3650 * TCA_DAY };

	return tca_cert(key, issuer, issuer_key, &o);
}

X509_CRL *
tca_crl(X509 *ca, EVP_PKEY *ca_key, const uint64_t *serials, size_t n,
    time_t last, time_t next)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, last);
	ASN1_INTEGER *sn;
	X509_REVOKED *r;
	size_t i;

	assert_non_null(crl);
	assert_non_null(t);
	assert_true(X509_CRL_set_version(crl, X509_CRL_VERSION_2));
	assert_true(X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)));
	assert_true(X509_CRL_set1_lastUpdate(crl, t));
	for (i = 0; i < n; i++) {
		r = X509_REVOKED_new();
		sn = ASN1_INTEGER_new();
		assert_non_null(r);
		assert_non_null(sn);
		assert_true(ASN1_INTEGER_set_uint64(sn, serials[i]));
		assert_true(X509_REVOKED_set_serialNumber(r, sn));
		assert_true(X509_REVOKED_set_revocationDate(r, t));
		assert_true(X509_CRL_add0_revoked(crl, r));
		ASN1_INTEGER_free(sn);
	}
	assert_non_null(ASN1_TIME_set(t, next));
	assert_true(X509_CRL_set1_nextUpdate(crl, t));
	ASN1_TIME_free(t);
	assert_true(X509_CRL_sort(crl));
	assert_true(X509_CRL_sign(crl, ca_key, EVP_sha256()));
	return crl;
}

uint8_t *
tca_der(X509 *x, size_t *len)
{
	uint8_t *der = NULL;
	int n = i2d_X509(x, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

static FILE *
open_0600(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(chmod(path, 0600), 0);
	return f;
}

void
tca_write_certs(const char *path, X509 *const *x, size_t n)
{
	FILE *f = open_0600(path);
	size_t i;

	for (i = 0; i < n; i++)
		assert_true(PEM_write_X509(f, x[i]));
	assert_int_equal(fclose(f), 0);
}

void
tca_write_key(const char *path, EVP_PKEY *key)
{
	FILE *f = open_0600(path);

	assert_true(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	assert_int_equal(fclose(f), 0);
}

void
tca_write_crl(const char *path, X509_CRL *crl)
{
	FILE *f = open_0600(path);

	assert_true(PEM_write_X509_CRL(f, crl));
	assert_int_equal(fclose(f), 0);
}
