/* core/crypto/cert_sig.c: the signatures of the IKEv2 AUTH payload and of
 * IKEv1 signature authentication.
 *
 *   method 1     RSASSA-PKCS1-v1_5, SHA-1 (RFC 7296 s. 3.8)
 *   9, 10, 11    ECDSA P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, the
 *                signature r | s, each left-padded to the field length
 *                (RFC 4754 s. 3 and 7)
 *   14           RFC 7427 s. 3: one octet giving the length of the
 *                AlgorithmIdentifier, the AlgorithmIdentifier, then the
 *                signature (ECDSA as DER ECDSA-Sig-Value)
 *   IKEv1 RSA    RFC 2409 s. 5.1: HASH_I/HASH_R through the PKCS#1
 *                type 1 padding and the private-key operation, no
 *                DigestInfo
 *
 * The AlgorithmIdentifiers of method 14 are compared as octets (RFC 7427
 * s. 3 allows it).  The encodings are those of RFC 7427 appendix A: A.1
 * (sha*WithRSAEncryption, NULL parameters), A.3 (ecdsa-with-SHA*, no
 * parameters) and A.4.3 (RSASSA-PSS with SHA-256: hash and MGF1 hash
 * SHA-256 with NULL parameters, saltLength 32, trailerField default);
 * PSS with SHA-384 and SHA-512 follows A.4.3 with the hash OID and the
 * salt length (48, 64) changed, as RFC 4055 s. 3.1 defines them. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/digest.h>
#include <openssl/ec_key.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/rsa.h>

#include "cert_int.h"
#include "core/err.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

enum sig_kind { SK_RSA_PKCS1, SK_RSA_PSS, SK_ECDSA_DER, SK_ECDSA_RS };

struct sig_alg {
	uint8_t		 hash;		/* enum cert_hash */
	enum sig_kind	 kind;
	const uint8_t	*der;		/* AlgorithmIdentifier (14) */
	size_t		 len;
};

#define RSA_ALG(x)	{ 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, \
	0xf7, 0x0d, 0x01, 0x01, (x), 0x05, 0x00 }
#define ECDSA_ALG(x)	{ 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, \
	0x3d, 0x04, 0x03, (x) }
#define PSS_ALG(h, salt) { 0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, \
	0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, \
	0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (h), \
	0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, \
	0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, \
	0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (h), 0x05, 0x00, 0xa2, \
	0x03, 0x02, 0x01, (salt) }

static const uint8_t rsa_sha1[] = RSA_ALG(0x05);
static const uint8_t rsa_sha256[] = RSA_ALG(0x0b);
static const uint8_t rsa_sha384[] = RSA_ALG(0x0c);
static const uint8_t rsa_sha512[] = RSA_ALG(0x0d);
static const uint8_t ecdsa_sha1[] = { 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86,
	0x48, 0xce, 0x3d, 0x04, 0x01 };
static const uint8_t ecdsa_sha256[] = ECDSA_ALG(0x02);
static const uint8_t ecdsa_sha384[] = ECDSA_ALG(0x03);
static const uint8_t ecdsa_sha512[] = ECDSA_ALG(0x04);
static const uint8_t pss_sha256[] = PSS_ALG(0x01, 32);
static const uint8_t pss_sha384[] = PSS_ALG(0x02, 48);
static const uint8_t pss_sha512[] = PSS_ALG(0x03, 64);

#define A(h, k, d)	{ h, k, d, sizeof(d) }
static const struct sig_alg algids[] = {
	A(CERT_HASH_SHA1, SK_RSA_PKCS1, rsa_sha1),
	A(CERT_HASH_SHA256, SK_RSA_PKCS1, rsa_sha256),
	A(CERT_HASH_SHA384, SK_RSA_PKCS1, rsa_sha384),
	A(CERT_HASH_SHA512, SK_RSA_PKCS1, rsa_sha512),
	A(CERT_HASH_SHA256, SK_RSA_PSS, pss_sha256),
	A(CERT_HASH_SHA384, SK_RSA_PSS, pss_sha384),
	A(CERT_HASH_SHA512, SK_RSA_PSS, pss_sha512),
	A(CERT_HASH_SHA1, SK_ECDSA_DER, ecdsa_sha1),
	A(CERT_HASH_SHA256, SK_ECDSA_DER, ecdsa_sha256),
	A(CERT_HASH_SHA384, SK_ECDSA_DER, ecdsa_sha384),
	A(CERT_HASH_SHA512, SK_ECDSA_DER, ecdsa_sha512),
};
#undef A

static const EVP_MD *
hash_md(uint8_t hash)
{
	switch (hash) {
	case CERT_HASH_SHA1:
		return EVP_sha1();
	case CERT_HASH_SHA256:
		return EVP_sha256();
	case CERT_HASH_SHA384:
		return EVP_sha384();
	case CERT_HASH_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

static bool
is_rsa(enum cert_key_type kt)
{
	return kt == CERT_KEY_RSA;
}

static bool
kind_fits(enum sig_kind k, enum cert_key_type kt)
{
	return (k == SK_RSA_PKCS1 || k == SK_RSA_PSS) == is_rsa(kt);
}

/* The fixed algorithm of methods 1 and 9-11 (a static entry without
 * AlgorithmIdentifier), or NULL.  *curve: the key type it needs. */
static const struct sig_alg *
method_alg(uint8_t method, enum cert_key_type *need)
{
	static const struct sig_alg m1 = { CERT_HASH_SHA1, SK_RSA_PKCS1,
	    NULL, 0 };
	static const struct sig_alg m9 = { CERT_HASH_SHA256, SK_ECDSA_RS,
	    NULL, 0 };
	static const struct sig_alg m10 = { CERT_HASH_SHA384, SK_ECDSA_RS,
	    NULL, 0 };
	static const struct sig_alg m11 = { CERT_HASH_SHA512, SK_ECDSA_RS,
	    NULL, 0 };

	switch (method) {
	case CERT_AUTH_RSA:
		*need = CERT_KEY_RSA;
		return &m1;
	case CERT_AUTH_ECDSA_256:
		*need = CERT_KEY_EC_P256;
		return &m9;
	case CERT_AUTH_ECDSA_384:
		*need = CERT_KEY_EC_P384;
		return &m10;
	case CERT_AUTH_ECDSA_521:
		*need = CERT_KEY_EC_P521;
		return &m11;
	}
	return NULL;
}

static const struct sig_alg *
algid_for(uint8_t hash, enum sig_kind kind)
{
	size_t i;

	for (i = 0; i < nitems(algids); i++) {
		if (algids[i].hash == hash && algids[i].kind == kind)
			return &algids[i];
	}
	return NULL;
}

static const struct sig_alg *
algid_find(const uint8_t *der, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(algids); i++) {
		if (algids[i].len == len && memcmp(algids[i].der, der,
		    len) == 0)
			return &algids[i];
	}
	return NULL;
}

/* ---- the operations ---- */

static int
setup_pss(EVP_PKEY_CTX *pctx, const struct sig_alg *a, const EVP_MD *md)
{
	if (a->kind != SK_RSA_PSS)
		return 1;
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1) &&	/* = hash */
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md);
}

/* A signature of in; ECDSA comes out as DER.  out has EVP_PKEY_size(). */
static int
pk_sign(EVP_PKEY *key, const struct sig_alg *a, const uint8_t *in,
    size_t len, uint8_t *out, size_t *outlen)
{
	const EVP_MD *md = hash_md(a->hash);
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX ctx;
	int ok;

	EVP_MD_CTX_init(&ctx);
	ok = EVP_DigestSignInit(&ctx, &pctx, md, NULL, key) &&
	    setup_pss(pctx, a, md) &&
	    EVP_DigestSign(&ctx, out, outlen, in, len);
	EVP_MD_CTX_cleanup(&ctx);
	ERR_clear_error();
	return ok ? 0 : IKE_ENOMEM;
}

static int
pk_verify(EVP_PKEY *key, const struct sig_alg *a, const uint8_t *in,
    size_t len, const uint8_t *sig, size_t siglen)
{
	const EVP_MD *md = hash_md(a->hash);
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX ctx;
	int ok;

	EVP_MD_CTX_init(&ctx);
	ok = EVP_DigestVerifyInit(&ctx, &pctx, md, NULL, key) &&
	    setup_pss(pctx, a, md) &&
	    EVP_DigestVerify(&ctx, sig, siglen, in, len);
	EVP_MD_CTX_cleanup(&ctx);
	ERR_clear_error();
	return ok ? 0 : IKE_EINVAL;
}

static size_t
field_len(unsigned int bits)
{
	return (bits + 7) / 8;
}

/* DER ECDSA-Sig-Value -> r | s, each flen octets; in place in buf. */
static int
der_to_rs(uint8_t *buf, size_t *len, size_t flen, size_t cap)
{
	ECDSA_SIG *s = ECDSA_SIG_from_bytes(buf, *len);
	int ok;

	if (s == NULL)
		return IKE_ENOMEM;
	ok = 2 * flen <= cap && BN_bn2bin_padded(buf, flen, s->r) &&
	    BN_bn2bin_padded(buf + flen, flen, s->s);
	ECDSA_SIG_free(s);
	if (!ok)
		return IKE_ENOMEM;
	*len = 2 * flen;
	return 0;
}

/* r | s -> DER; *der is OPENSSL_malloc'd. */
static int
rs_to_der(const uint8_t *rs, size_t len, size_t flen, uint8_t **der,
    size_t *derlen)
{
	ECDSA_SIG *s;
	int ok;

	if (len != 2 * flen)
		return IKE_EINVAL;
	if ((s = ECDSA_SIG_new()) == NULL)
		return IKE_ENOMEM;
	ok = BN_bin2bn(rs, flen, s->r) != NULL &&
	    BN_bin2bn(rs + flen, flen, s->s) != NULL &&
	    ECDSA_SIG_to_bytes(der, derlen, s);
	ECDSA_SIG_free(s);
	return ok ? 0 : IKE_ENOMEM;
}

/* ---- AUTH payload ---- */

/* The algorithm for signing with our key, or IKE_EINVAL/IKE_EUNSUPP. */
static int
sign_alg(const struct cert_own *o, const struct cert_sign_alg *how,
    const struct sig_alg **out)
{
	const struct sig_alg *a;
	enum cert_key_type need;
	enum sig_kind kind;

	if (how->method != CERT_AUTH_DIGITAL_SIG) {
		if ((a = method_alg(how->method, &need)) == NULL)
			return IKE_EUNSUPP;
		if (o->kt != need)
			return IKE_EINVAL;
		*out = a;
		return 0;
	}
	if (is_rsa(o->kt))
		kind = how->rsa_pss ? SK_RSA_PSS : SK_RSA_PKCS1;
	else if (how->rsa_pss)
		return IKE_EINVAL;
	else
		kind = SK_ECDSA_DER;
	if ((a = algid_for(how->hash, kind)) == NULL)
		return IKE_EUNSUPP;
	*out = a;
	return 0;
}

int
cert_sign(const struct cert_own *o, const struct cert_sign_alg *how,
    const uint8_t *octets, size_t len, uint8_t **sig, size_t *siglen)
{
	const struct sig_alg *a;
	size_t pre, n, cap;
	uint8_t *b;
	int rc;

	if (octets == NULL && len != 0)
		return IKE_EINVAL;
	if ((rc = sign_alg(o, how, &a)) != 0)
		return rc;
	pre = a->der != NULL ? 1 + a->len : 0;
	cap = EVP_PKEY_size(o->key);
	if ((b = malloc(pre + cap)) == NULL)
		return IKE_ENOMEM;
	if (pre != 0) {
		b[0] = (uint8_t)a->len;
		memcpy(b + 1, a->der, a->len);
	}
	n = cap;
	rc = pk_sign(o->key, a, octets, len, b + pre, &n);
	if (rc == 0 && a->kind == SK_ECDSA_RS)
		rc = der_to_rs(b + pre, &n, field_len(o->chain[0]->bits), cap);
	if (rc != 0) {
		free(b);
		return rc;
	}
	*sig = b;
	*siglen = pre + n;
	return 0;
}

/* Splits method 14 data into its algorithm and the signature proper. */
static int
split_algid(const uint8_t *auth, size_t authlen, uint32_t mask,
    const struct sig_alg **a, size_t *pre, enum cert_reason *why)
{
	*why = CERT_R_BAD_SIG;
	if (authlen < 1 || authlen - 1 < auth[0])
		return IKE_EMALFORMED;
	*why = CERT_R_SIG_ALG;
	if ((*a = algid_find(auth + 1, auth[0])) == NULL)
		return IKE_EINVAL;
	if ((mask & CERT_HASH_BIT((*a)->hash)) == 0)
		return IKE_EINVAL;
	*pre = 1 + (size_t)auth[0];
	return 0;
}

static int
verify_alg(const struct cert *c, uint8_t method, uint32_t mask,
    const uint8_t *auth, size_t authlen, const struct sig_alg **a,
    size_t *pre, enum cert_reason *why)
{
	enum cert_key_type need;
	int rc;

	if (method == CERT_AUTH_DIGITAL_SIG) {
		if ((rc = split_algid(auth, authlen, mask, a, pre, why)) != 0)
			return rc;
		*why = CERT_R_KEY_TYPE;
		return kind_fits((*a)->kind, c->kt) ? 0 : IKE_EINVAL;
	}
	*why = CERT_R_SIG_ALG;
	if ((*a = method_alg(method, &need)) == NULL)
		return IKE_EUNSUPP;
	*why = CERT_R_KEY_TYPE;
	*pre = 0;
	return c->kt == need ? 0 : IKE_EINVAL;
}

static int
verify_with(const struct cert *c, const struct sig_alg *a,
    const uint8_t *octets, size_t len, const uint8_t *sig, size_t siglen)
{
	uint8_t *der = NULL;
	size_t derlen;
	EVP_PKEY *pk;
	int rc;

	if (siglen == 0)
		return IKE_EINVAL;
	if ((pk = X509_get_pubkey(c->x)) == NULL)
		return IKE_ENOMEM;
	if (a->kind == SK_ECDSA_RS) {
		rc = rs_to_der(sig, siglen, field_len(c->bits), &der, &derlen);
		if (rc == 0)
			rc = pk_verify(pk, a, octets, len, der, derlen);
		OPENSSL_free(der);
	} else
		rc = pk_verify(pk, a, octets, len, sig, siglen);
	EVP_PKEY_free(pk);
	return rc;
}

int
cert_verify_sig(const struct cert *c, uint8_t method, uint32_t hash_mask,
    const uint8_t *octets, size_t len, const uint8_t *auth, size_t authlen,
    enum cert_reason *why)
{
	const struct sig_alg *a;
	size_t pre;
	int rc;

	if ((octets == NULL && len != 0) || (auth == NULL && authlen != 0)) {
		*why = CERT_R_BAD_SIG;
		return IKE_EINVAL;
	}
	rc = verify_alg(c, method, hash_mask, auth, authlen, &a, &pre, why);
	if (rc != 0)
		return rc;
	rc = verify_with(c, a, octets, len, auth + pre, authlen - pre);
	*why = rc == 0 ? CERT_R_OK : CERT_R_BAD_SIG;
	return rc == IKE_ENOMEM ? rc : rc != 0 ? IKE_EINVAL : 0;
}

/* ---- IKEv1 ---- */

int
cert_v1_rsa_sign(const struct cert_own *o, const uint8_t *hash, size_t hlen,
    uint8_t **sig, size_t *siglen)
{
	RSA *rsa = EVP_PKEY_get0_RSA(o->key);
	size_t n, cap;
	uint8_t *b;

	if (rsa == NULL || o->kt != CERT_KEY_RSA)
		return IKE_EINVAL;
	if (hash == NULL || hlen == 0)
		return IKE_EINVAL;
	cap = RSA_size(rsa);
	if ((b = malloc(cap)) == NULL)
		return IKE_ENOMEM;
	if (!RSA_sign_raw(rsa, &n, b, cap, hash, hlen, RSA_PKCS1_PADDING)) {
		ERR_clear_error();
		free(b);
		return IKE_EINVAL;	/* hash too long for the modulus */
	}
	*sig = b;
	*siglen = n;
	return 0;
}

static int
v1_recover(RSA *rsa, const uint8_t *hash, size_t hlen, const uint8_t *sig,
    size_t siglen)
{
	size_t n, cap = RSA_size(rsa);
	uint8_t *b;
	int ok;

	if (siglen != cap)
		return IKE_EINVAL;
	if ((b = malloc(cap)) == NULL)
		return IKE_ENOMEM;
	ok = RSA_verify_raw(rsa, &n, b, cap, sig, siglen,
	    RSA_PKCS1_PADDING) && n == hlen && CRYPTO_memcmp(b, hash,
	    hlen) == 0;
	ERR_clear_error();
	free(b);
	return ok ? 0 : IKE_EINVAL;
}

int
cert_v1_rsa_verify(const struct cert *c, const uint8_t *hash, size_t hlen,
    const uint8_t *sig, size_t siglen, enum cert_reason *why)
{
	EVP_PKEY *pk;
	int rc;

	*why = CERT_R_KEY_TYPE;
	if (c->kt != CERT_KEY_RSA)
		return IKE_EINVAL;
	*why = CERT_R_BAD_SIG;
	if (hash == NULL || hlen == 0 || sig == NULL)
		return IKE_EINVAL;
	if ((pk = X509_get_pubkey(c->x)) == NULL)
		return IKE_ENOMEM;
	rc = v1_recover(EVP_PKEY_get0_RSA(pk), hash, hlen, sig, siglen);
	EVP_PKEY_free(pk);
	*why = rc == 0 ? CERT_R_OK : CERT_R_BAD_SIG;
	return rc;
}

/* The EC key's method (9-11) for key type kt, or 0. */
static uint8_t
v1_ec_method(enum cert_key_type kt)
{
	switch (kt) {
	case CERT_KEY_EC_P256:	return CERT_AUTH_ECDSA_256;
	case CERT_KEY_EC_P384:	return CERT_AUTH_ECDSA_384;
	case CERT_KEY_EC_P521:	return CERT_AUTH_ECDSA_521;
	default:		return 0;
	}
}

int
cert_v1_ecdsa_sign(const struct cert_own *o, uint8_t method,
    const uint8_t *hash, size_t hlen, uint8_t **sig, size_t *siglen)
{
	const EC_KEY *ec = EVP_PKEY_get0_EC_KEY(o->key);
	ECDSA_SIG *s;
	size_t flen;
	uint8_t *b;
	int ok;

	if (ec == NULL || method == 0 || v1_ec_method(o->kt) != method ||
	    hash == NULL || hlen == 0)
		return IKE_EINVAL;
	flen = field_len(EC_GROUP_get_degree(EC_KEY_get0_group(ec)));
	if ((b = malloc(2 * flen)) == NULL)
		return IKE_ENOMEM;
	/* HASH_I or HASH_R is the digest ECDSA signs, as it is for DSS */
	s = ECDSA_do_sign(hash, hlen, ec);
	ok = s != NULL && BN_bn2bin_padded(b, flen, s->r) &&
	    BN_bn2bin_padded(b + flen, flen, s->s);
	ECDSA_SIG_free(s);
	ERR_clear_error();
	if (!ok) {
		free(b);
		return IKE_ENOMEM;
	}
	*sig = b;
	*siglen = 2 * flen;
	return 0;
}

int
cert_v1_ecdsa_verify(const struct cert *c, uint8_t method,
    const uint8_t *hash, size_t hlen, const uint8_t *sig, size_t siglen,
    enum cert_reason *why)
{
	size_t flen = field_len(c->bits);
	ECDSA_SIG *s;
	EVP_PKEY *pk;
	int ok;

	*why = CERT_R_KEY_TYPE;
	if (method == 0 || v1_ec_method(c->kt) != method)
		return IKE_EINVAL;
	*why = CERT_R_BAD_SIG;
	if (hash == NULL || hlen == 0 || sig == NULL || siglen != 2 * flen)
		return IKE_EINVAL;
	if ((s = ECDSA_SIG_new()) == NULL)
		return IKE_ENOMEM;
	if ((pk = X509_get_pubkey(c->x)) == NULL) {
		ECDSA_SIG_free(s);
		return IKE_ENOMEM;
	}
	ok = BN_bin2bn(sig, flen, s->r) != NULL &&
	    BN_bin2bn(sig + flen, flen, s->s) != NULL &&
	    ECDSA_do_verify(hash, hlen, s, EVP_PKEY_get0_EC_KEY(pk));
	ECDSA_SIG_free(s);
	EVP_PKEY_free(pk);
	ERR_clear_error();
	*why = ok ? CERT_R_OK : CERT_R_BAD_SIG;
	return ok ? 0 : IKE_EINVAL;
}
