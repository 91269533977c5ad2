/* core/crypto/cert.c: one parsed certificate: its key, its subject, the
 * identities it vouches for (RFC 7296 s. 3.5) and its CERTREQ key hash
 * (RFC 7296 s. 3.7). */
#include "core/crypto/cert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert_int.h"
#include "core/err.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define RSA_MIN_BITS	1024
#define RSA_MAX_BITS	8192	/* bounds the cost of a peer's key */

static const char *const reason_str[] = {
	[CERT_R_OK] = "ok",
	[CERT_R_MALFORMED] = "malformed certificate",
	[CERT_R_TOO_LARGE] = "certificate chain too large",
	[CERT_R_UNKNOWN_CA] = "unknown CA",
	[CERT_R_EXPIRED] = "certificate expired",
	[CERT_R_NOT_YET_VALID] = "certificate not yet valid",
	[CERT_R_REVOKED] = "certificate revoked",
	[CERT_R_NOT_CA] = "issuer is not a CA",
	[CERT_R_KEY_USAGE] = "key usage forbids signatures",
	[CERT_R_BAD_CERT_SIG] = "certificate signature invalid",
	[CERT_R_CRL_STALE] = "CRL expired or not yet valid",
	[CERT_R_CRL_BAD] = "CRL signature invalid",
	[CERT_R_CHAIN] = "certificate chain invalid",
	[CERT_R_ID_MISMATCH] = "identity not in certificate",
	[CERT_R_SIG_ALG] = "signature algorithm not accepted",
	[CERT_R_BAD_SIG] = "signature does not verify",
	[CERT_R_KEY_TYPE] = "key type does not fit the method",
};

const char *
cert_reason_str(enum cert_reason r)
{
	if ((size_t)r >= nitems(reason_str) || reason_str[r] == NULL)
		return "unknown reason";
	return reason_str[r];
}

void
cert_msg(char msg[CERT_MSG_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, CERT_MSG_LEN, fmt, ap);	/* may cut */
	va_end(ap);
}

static int
ec_type(const EVP_PKEY *pk, enum cert_key_type *kt, unsigned int *bits)
{
	const EC_KEY *ec = EVP_PKEY_get0_EC_KEY(pk);
	const EC_GROUP *g = ec != NULL ? EC_KEY_get0_group(ec) : NULL;

	if (g == NULL)
		return IKE_EMALFORMED;
	switch (EC_GROUP_get_curve_name(g)) {
	case NID_X9_62_prime256v1:
		*kt = CERT_KEY_EC_P256;
		*bits = 256;
		return 0;
	case NID_secp384r1:
		*kt = CERT_KEY_EC_P384;
		*bits = 384;
		return 0;
	case NID_secp521r1:
		*kt = CERT_KEY_EC_P521;
		*bits = 521;
		return 0;
	}
	return IKE_EUNSUPP;
}

int
cert_pkey_type(const EVP_PKEY *pk, enum cert_key_type *kt,
    unsigned int *bits)
{
	int b;

	switch (EVP_PKEY_id(pk)) {
	case EVP_PKEY_RSA:
		b = EVP_PKEY_bits(pk);
		if (b < RSA_MIN_BITS || b > RSA_MAX_BITS)
			return IKE_EUNSUPP;
		*kt = CERT_KEY_RSA;
		*bits = (unsigned int)b;
		return 0;
	case EVP_PKEY_EC:
		return ec_type(pk, kt, bits);
	}
	return IKE_EUNSUPP;
}

int
cert_from_x509(X509 *x, struct cert **out)
{
	struct cert *c;
	EVP_PKEY *pk;
	uint8_t *der = NULL;
	int n, rc;

	if ((pk = X509_get_pubkey(x)) == NULL)
		return IKE_EMALFORMED;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		EVP_PKEY_free(pk);
		return IKE_ENOMEM;
	}
	rc = cert_pkey_type(pk, &c->kt, &c->bits);
	EVP_PKEY_free(pk);
	if (rc == 0 && (n = i2d_X509(x, &der)) <= 0)
		rc = IKE_EMALFORMED;
	if (rc != 0) {
		free(c);
		return rc;
	}
	c->der_len = (size_t)n;
	if ((c->der = malloc(c->der_len)) == NULL) {
		OPENSSL_free(der);
		free(c);
		return IKE_ENOMEM;
	}
	memcpy(c->der, der, c->der_len);
	OPENSSL_free(der);
	X509_up_ref(x);
	c->x = x;
	*out = c;
	return 0;
}

int
cert_parse(const uint8_t *der, size_t len, struct cert **out)
{
	const uint8_t *p = der;
	X509 *x;
	int rc;

	if (der == NULL || len == 0 || len > CERT_DER_MAX)
		return IKE_EMALFORMED;
	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len) {
		X509_free(x);
		ERR_clear_error();
		return IKE_EMALFORMED;
	}
	rc = cert_from_x509(x, out);
	X509_free(x);
	return rc;
}

void
cert_free(struct cert *c)
{
	if (c == NULL)
		return;
	X509_free(c->x);
	free(c->der);
	free(c);
}

const uint8_t *
cert_der(const struct cert *c, size_t *len)
{
	*len = c->der_len;
	return c->der;
}

enum cert_key_type
cert_key_type(const struct cert *c)
{
	return c->kt;
}

unsigned int
cert_key_bits(const struct cert *c)
{
	return c->bits;
}

int
cert_subject_der(const struct cert *c, uint8_t **der, size_t *len)
{
	const uint8_t *p;
	uint8_t *copy;
	size_t n;

	if (!X509_NAME_get0_der(X509_get_subject_name(c->x), &p, &n))
		return IKE_ENOMEM;
	if ((copy = malloc(n)) == NULL)
		return IKE_ENOMEM;
	memcpy(copy, p, n);
	*der = copy;
	*len = n;
	return 0;
}

int
cert_subject_str(const struct cert *c, char *buf, size_t len)
{
	BIO *b;
	const uint8_t *p;
	size_t n;

	if (len == 0)
		return IKE_EINVAL;
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return IKE_ENOMEM;
	if (X509_NAME_print_ex(b, X509_get_subject_name(c->x), 0,
	    XN_FLAG_RFC2253) < 0 || !BIO_mem_contents(b, &p, &n)) {
		BIO_free(b);
		return IKE_ENOMEM;
	}
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	BIO_free(b);
	return 0;
}

/* ---- identities ---- */

/* The DER Name in data[0..len), all of it; NULL if it is not one. */
static X509_NAME *
dn_parse(const uint8_t *data, size_t len)
{
	const uint8_t *p = data;
	X509_NAME *n;

	if (len == 0 || len > CERT_DER_MAX)
		return NULL;
	n = d2i_X509_NAME(NULL, &p, (long)len);
	if (n == NULL || p != data + len) {
		X509_NAME_free(n);
		ERR_clear_error();
		return NULL;
	}
	return n;
}

static int
match_dn(const struct cert *c, const uint8_t *data, size_t len)
{
	X509_NAME *n;
	int cmp;

	if ((n = dn_parse(data, len)) == NULL)
		return IKE_EMALFORMED;
	cmp = X509_NAME_cmp(X509_get_subject_name(c->x), n);
	X509_NAME_free(n);
	return cmp == 0 ? 0 : IKE_EINVAL;
}

int
cert_dn_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	X509_NAME *x, *y = NULL;
	int rc = IKE_EMALFORMED;

	if ((x = dn_parse(a, alen)) != NULL &&
	    (y = dn_parse(b, blen)) != NULL)
		rc = X509_NAME_cmp(x, y) == 0 ? 0 : IKE_EINVAL;
	X509_NAME_free(x);
	X509_NAME_free(y);
	return rc;
}

static int
tolower_ascii(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* rfc822Name: the local part exact, the domain in any case. */
static bool
same_mailbox(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	const uint8_t *at = memchr(a, '@', alen);
	size_t local;

	if (alen != blen)
		return false;
	local = at != NULL ? (size_t)(at - a) : alen;
	if (memcmp(a, b, local) != 0)
		return false;
	for (; local < alen; local++) {
		if (tolower_ascii(a[local]) != tolower_ascii(b[local]))
			return false;
	}
	return true;
}

static bool
same_dns(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		if (tolower_ascii(a[i]) != tolower_ascii(b[i]))
			return false;
	}
	return true;
}

static bool
san_matches(const GENERAL_NAME *gn, int gen, const uint8_t *data,
    size_t len)
{
	const ASN1_STRING *s;
	const uint8_t *v;
	size_t n;

	if (gn->type != gen)
		return false;
	s = gen == GEN_IPADD ? gn->d.iPAddress : gen == GEN_DNS ?
	    gn->d.dNSName : gn->d.rfc822Name;
	v = ASN1_STRING_get0_data(s);
	n = (size_t)ASN1_STRING_length(s);
	switch (gen) {
	case GEN_IPADD:
		return n == len && memcmp(v, data, len) == 0;
	case GEN_DNS:
		return same_dns(v, n, data, len);
	default:
		return same_mailbox(v, n, data, len);
	}
}

static int
match_san(const struct cert *c, int gen, const uint8_t *data, size_t len)
{
	GENERAL_NAMES *names;
	size_t i;
	int rc = IKE_EINVAL;

	names = X509_get_ext_d2i(c->x, NID_subject_alt_name, NULL, NULL);
	if (names == NULL) {
		ERR_clear_error();
		return IKE_EINVAL;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		if (san_matches(sk_GENERAL_NAME_value(names, i), gen, data,
		    len)) {
			rc = 0;
			break;
		}
	}
	GENERAL_NAMES_free(names);
	return rc;
}

static int
match_id(const struct cert *c, uint8_t type, const uint8_t *data,
    size_t len)
{
	switch (type) {
	case CERT_ID_DER_ASN1_DN:
		return match_dn(c, data, len);
	case CERT_ID_IPV4_ADDR:
		return len == 4 ? match_san(c, GEN_IPADD, data, len) :
		    IKE_EMALFORMED;
	case CERT_ID_IPV6_ADDR:
		return len == 16 ? match_san(c, GEN_IPADD, data, len) :
		    IKE_EMALFORMED;
	case CERT_ID_FQDN:
		return len > 0 ? match_san(c, GEN_DNS, data, len) :
		    IKE_EMALFORMED;
	case CERT_ID_RFC822_ADDR:
		return len > 0 ? match_san(c, GEN_EMAIL, data, len) :
		    IKE_EMALFORMED;
	}
	return IKE_EUNSUPP;
}

int
cert_match_id(const struct cert *c, uint8_t type, const uint8_t *data,
    size_t len, enum cert_reason *why)
{
	int rc;

	if (data == NULL && len != 0)
		return IKE_EINVAL;
	rc = match_id(c, type, data, len);
	*why = rc == 0 ? CERT_R_OK : CERT_R_ID_MISMATCH;
	return rc;
}

/* ---- CERTREQ ---- */

int
cert_keyhash(const struct cert *c, uint8_t out[CERT_KEYHASH_LEN])
{
	uint8_t *spki = NULL;
	int n;

	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(c->x), &spki)) <= 0)
		return IKE_ENOMEM;
	SHA1(spki, (size_t)n, out);
	OPENSSL_free(spki);
	return 0;
}

int
cert_certreq_has(const uint8_t *list, size_t len,
    const uint8_t hash[CERT_KEYHASH_LEN])
{
	size_t i;

	if (len % CERT_KEYHASH_LEN != 0 || (list == NULL && len != 0))
		return IKE_EMALFORMED;
	for (i = 0; i < len; i += CERT_KEYHASH_LEN) {
		if (memcmp(list + i, hash, CERT_KEYHASH_LEN) == 0)
			return 0;
	}
	return IKE_ENOTFOUND;
}
