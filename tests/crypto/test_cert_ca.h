/* tests/crypto/test_cert_ca.h: a test CA made at test time with
 * BoringSSL's X509 API (no external tool): keys, certificates, CRLs and
 * PEM files for the cert module's tests.  Every function fails the
 * current cmocka test on error. */
#ifndef TESTS_CRYPTO_TEST_CERT_CA_H
#define TESTS_CRYPTO_TEST_CERT_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/base.h>

#define TCA_NOW		((time_t)1800000000)	/* 2027-01-15: tests' "now" */
#define TCA_DAY		((time_t)86400)

EVP_PKEY	*tca_rsa(unsigned int bits);
EVP_PKEY	*tca_ec(int nid);	/* NID_X9_62_prime256v1, ... */

/* What a certificate says. */
struct tca_opts {
	const char	*cn;		/* subject: C=US, O=Example Corp, CN=cn */
	X509_NAME	*subject;	/* or this one (borrowed), when set */
	bool		 ca;		/* basicConstraints critical, CA:TRUE */
	const char	*ku;		/* keyUsage value, e.g.
					   "digitalSignature"; NULL: none */
	const char	*san;		/* subjectAltName value, e.g.
					   "DNS:gw.example.com,IP:192.0.2.1" */
	time_t		 not_before, not_after;	/* 0: NOW - 1 day / + 1 year */
	uint64_t	 serial;
};

/* A certificate for key, signed by issuer_key (self-signed when issuer
 * is NULL).  Caller frees with X509_free(). */
X509	*tca_cert(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
	    const struct tca_opts *);
/* A CA certificate for key (basicConstraints CA:TRUE, keyUsage
 * keyCertSign and cRLSign, both critical), subject CN cn, valid from a
 * year before TCA_NOW for ten years, signed by issuer_key (self-signed
 * when issuer is NULL).  Caller frees with X509_free(). */
X509	*tca_ca(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
	    const char *cn, uint64_t serial);
/* A CRL of ca revoking the serials, valid from last to next. */
X509_CRL *tca_crl(X509 *ca, EVP_PKEY *ca_key, const uint64_t *serials,
	    size_t n, time_t last, time_t next);
/* The DER of x; caller frees with OPENSSL_free(). */
uint8_t	*tca_der(X509 *x, size_t *len);

/* Writes PEM files (mode 0600).  tca_write_certs writes n certs. */
void	 tca_write_certs(const char *path, X509 *const *x, size_t n);
void	 tca_write_key(const char *path, EVP_PKEY *key);
void	 tca_write_crl(const char *path, X509_CRL *crl);

#endif
