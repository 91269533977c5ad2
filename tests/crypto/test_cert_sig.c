/* AUTH payload signatures (core/crypto/cert.h, cert_sig.c): sign and
 * verify round trips for every method and key, refusals for a flipped
 * bit, the wrong key, the wrong hash and algorithms we did not announce,
 * each signature checked again with BoringSSL's primitives directly, and
 * the RFC 7427 AlgorithmIdentifiers against RFC 7427 appendix A and
 * against encodings built here from the OIDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/digest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "core/crypto/cert.h"
#include "core/err.h"
#include "hexutil.h"
#include "tests/lib/testutil.h"
#include "test_cert_ca.h"

enum { K_RSA2048, K_RSA3072, K_P256, K_P384, K_P521, NKEY };

struct cred {
	EVP_PKEY	*pk;
	struct cert_own	*own;
	struct cert	*cert;		/* our certificate, as a peer sees it */
};

static struct {
	char		dir[256];
	struct cred	k[NKEY];
	struct cred	k2[NKEY];	/* a second key of each kind */
} F;

static const uint8_t octets[] = "InitiatorSignedOctets: RealMessage1 | "
    "NonceRData | MACedIDForI";
#define OCT_LEN	(sizeof(octets) - 1)

static EVP_PKEY *
new_key(int k)
{
	switch (k) {
	case K_RSA2048:
		return tca_rsa(2048);
	case K_RSA3072:
		return tca_rsa(3072);
	case K_P256:
		return tca_ec(NID_X9_62_prime256v1);
	case K_P384:
		return tca_ec(NID_secp384r1);
	}
	return tca_ec(NID_secp521r1);
}

static void
make_cred(struct cred *c, int k, const char *tag)
{
	struct tca_opts o = { .cn = tag, .serial = 1 };
	char crt[300], key[300], msg[CERT_MSG_LEN];
	uint8_t *der;
	size_t len;
	X509 *x;

	c->pk = new_key(k);
	x = tca_cert(c->pk, NULL, NULL, &o);
	(void)snprintf(crt, sizeof(crt), "%s/%s.crt", F.dir, tag);
	(void)snprintf(key, sizeof(key), "%s/%s.key", F.dir, tag);
	tca_write_certs(crt, &x, 1);
	tca_write_key(key, c->pk);
	assert_int_equal(cert_own_load(crt, key, getuid(), &c->own, msg), 0);
	der = tca_der(x, &len);
	assert_int_equal(cert_parse(der, len, &c->cert), 0);
	OPENSSL_free(der);
	X509_free(x);
}

static int
setup(void **state)
{
	char tag[16];
	int k;

	(void)state;
	if (tu_mkdtemp(F.dir, sizeof(F.dir), "certsig") != 0)
		return -1;
	for (k = 0; k < NKEY; k++) {
		(void)snprintf(tag, sizeof(tag), "a%d", k);
		make_cred(&F.k[k], k, tag);
		(void)snprintf(tag, sizeof(tag), "b%d", k);
		make_cred(&F.k2[k], k, tag);
	}
	return 0;
}

static void
free_cred(struct cred *c)
{
	EVP_PKEY_free(c->pk);
	cert_own_free(c->own);
	cert_free(c->cert);
}

static int
teardown(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < NKEY; k++) {
		free_cred(&F.k[k]);
		free_cred(&F.k2[k]);
	}
	return tu_rmrf(F.dir);
}

static bool
is_rsa(int k)
{
	return k == K_RSA2048 || k == K_RSA3072;
}

static int
vrf(const struct cert *c, uint8_t method, uint32_t mask, const uint8_t *o,
    size_t olen, const uint8_t *sig, size_t slen, enum cert_reason want)
{
	enum cert_reason why = (enum cert_reason)99;
	int rc = cert_verify_sig(c, method, mask, o, olen, sig, slen, &why);

	assert_int_equal(why, want);
	return rc;
}

/* The refusals every signature must show: a flipped bit anywhere in the
 * signature proper (first, middle, last octet), in the signed octets,
 * and the same signature under another key of the same kind. */
static void
common_refusals(int k, uint8_t method, uint32_t mask, uint8_t *sig,
    size_t slen, size_t pre)
{
	uint8_t o[sizeof(octets)];
	const size_t at[3] = { pre, pre + (slen - pre) / 2, slen - 1 };
	size_t i;

	assert_int_equal(vrf(F.k[k].cert, method, mask, octets, OCT_LEN, sig,
	    slen, CERT_R_OK), 0);
	for (i = 0; i < 3; i++) {
		sig[at[i]] ^= 0x10;
		assert_int_equal(vrf(F.k[k].cert, method, mask, octets,
		    OCT_LEN, sig, slen, CERT_R_BAD_SIG), IKE_EINVAL);
		sig[at[i]] ^= 0x10;
	}
	memcpy(o, octets, sizeof(o));
	o[7] ^= 0x01;
	assert_int_equal(vrf(F.k[k].cert, method, mask, o, OCT_LEN, sig,
	    slen, CERT_R_BAD_SIG), IKE_EINVAL);
	assert_int_equal(vrf(F.k[k].cert, method, mask, octets, OCT_LEN - 1,
	    sig, slen, CERT_R_BAD_SIG), IKE_EINVAL);
	assert_int_equal(vrf(F.k2[k].cert, method, mask, octets, OCT_LEN,
	    sig, slen, CERT_R_BAD_SIG), IKE_EINVAL);
	/* Truncated signature. */
	assert_int_equal(vrf(F.k[k].cert, method, mask, octets, OCT_LEN, sig,
	    slen - 1, CERT_R_BAD_SIG), IKE_EINVAL);
}

static uint8_t *
sign(int k, uint8_t method, uint8_t hash, bool pss, size_t *len)
{
	struct cert_sign_alg how = { method, hash, pss };
	uint8_t *sig = NULL;

	assert_int_equal(cert_sign(F.k[k].own, &how, octets, OCT_LEN, &sig,
	    len), 0);
	assert_non_null(sig);
	return sig;
}

static void
digest(const EVP_MD *md, uint8_t *out, unsigned int *len)
{
	assert_true(EVP_Digest(octets, OCT_LEN, out, len, md, NULL));
}

/* ---- method 1 ---- */

static void
method1_rsa_sha1(void **state)
{
	uint8_t d[EVP_MAX_MD_SIZE], *sig;
	unsigned int dlen;
	size_t len;
	int k;

	(void)state;
	digest(EVP_sha1(), d, &dlen);
	for (k = K_RSA2048; k <= K_RSA3072; k++) {
		sig = sign(k, CERT_AUTH_RSA, 0, false, &len);
		assert_int_equal(len, k == K_RSA2048 ? 256 : 384);
		/* PKCS#1 v1.5 with the SHA-1 DigestInfo, checked directly. */
		assert_true(RSA_verify(NID_sha1, d, dlen, sig, len,
		    EVP_PKEY_get0_RSA(F.k[k].pk)));
		common_refusals(k, CERT_AUTH_RSA, 0, sig, len, 0);
		free(sig);
	}
	/* An EC key cannot make or check method 1. */
	assert_int_equal(cert_sign(F.k[K_P256].own, &(struct cert_sign_alg){
	    CERT_AUTH_RSA, 0, false }, octets, OCT_LEN, &sig, &len),
	    IKE_EINVAL);
	assert_int_equal(vrf(F.k[K_P256].cert, CERT_AUTH_RSA, 0, octets,
	    OCT_LEN, octets, 64, CERT_R_KEY_TYPE), IKE_EINVAL);
}

/* ---- methods 9, 10, 11 ---- */

static void
ecdsa_rs_check(int k, const EVP_MD *md, const uint8_t *sig, size_t len)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned int dlen;
	ECDSA_SIG *s = ECDSA_SIG_new();

	assert_non_null(s);
	digest(md, d, &dlen);
	assert_non_null(BN_bin2bn(sig, len / 2, s->r));
	assert_non_null(BN_bin2bn(sig + len / 2, len / 2, s->s));
	assert_true(ECDSA_do_verify(d, dlen, s,
	    EVP_PKEY_get0_EC_KEY(F.k[k].pk)));
	ECDSA_SIG_free(s);
}

static void
methods_9_10_11_ecdsa(void **state)
{
	static const struct { int k; uint8_t m; size_t len; } t[] = {
		{ K_P256, CERT_AUTH_ECDSA_256, 64 },
		{ K_P384, CERT_AUTH_ECDSA_384, 96 },
		{ K_P521, CERT_AUTH_ECDSA_521, 132 },
	};
	const EVP_MD *md[] = { EVP_sha256(), EVP_sha384(), EVP_sha512() };
	uint8_t *sig;
	size_t i, len;

	(void)state;
	for (i = 0; i < 3; i++) {
		sig = sign(t[i].k, t[i].m, 0, false, &len);
		assert_int_equal(len, t[i].len);	/* r | s, RFC 4754 */
		ecdsa_rs_check(t[i].k, md[i], sig, len);
		common_refusals(t[i].k, t[i].m, 0, sig, len, 0);
		/* The curve must be the method's. */
		assert_int_equal(vrf(F.k[t[(i + 1) % 3].k].cert, t[i].m, 0,
		    octets, OCT_LEN, sig, len, CERT_R_KEY_TYPE), IKE_EINVAL);
		assert_int_equal(vrf(F.k[K_RSA2048].cert, t[i].m, 0, octets,
		    OCT_LEN, sig, len, CERT_R_KEY_TYPE), IKE_EINVAL);
		assert_int_equal(cert_sign(F.k[t[(i + 1) % 3].k].own,
		    &(struct cert_sign_alg){ t[i].m, 0, false }, octets,
		    OCT_LEN, &sig, &len) == IKE_EINVAL, true);
		free(sig);
	}
}

/* ---- method 14 (RFC 7427) ---- */

static const char *const hash_oid[] = {
	[CERT_HASH_SHA1] = "1.3.14.3.2.26",
	[CERT_HASH_SHA256] = "2.16.840.1.101.3.4.2.1",
	[CERT_HASH_SHA384] = "2.16.840.1.101.3.4.2.2",
	[CERT_HASH_SHA512] = "2.16.840.1.101.3.4.2.3",
};
static const char *const rsa_oid[] = {
	[CERT_HASH_SHA1] = "1.2.840.113549.1.1.5",
	[CERT_HASH_SHA256] = "1.2.840.113549.1.1.11",
	[CERT_HASH_SHA384] = "1.2.840.113549.1.1.12",
	[CERT_HASH_SHA512] = "1.2.840.113549.1.1.13",
};
static const char *const ecdsa_oid[] = {
	[CERT_HASH_SHA1] = "1.2.840.10045.4.1",
	[CERT_HASH_SHA256] = "1.2.840.10045.4.3.2",
	[CERT_HASH_SHA384] = "1.2.840.10045.4.3.3",
	[CERT_HASH_SHA512] = "1.2.840.10045.4.3.4",
};

/* OBJECT IDENTIFIER from its dotted text. */
static void
add_oid(CBB *cbb, const char *oid)
{
	CBB o;

	assert_true(CBB_add_asn1(cbb, &o, CBS_ASN1_OBJECT));
	assert_true(CBB_add_asn1_oid_from_text(&o, oid, strlen(oid)));
	assert_true(CBB_flush(cbb));
}

/* SEQUENCE { OID, NULL } */
static void
add_alg_null(CBB *cbb, const char *oid)
{
	static const uint8_t null[] = { CBS_ASN1_NULL, 0 };
	CBB seq;

	assert_true(CBB_add_asn1(cbb, &seq, CBS_ASN1_SEQUENCE));
	add_oid(&seq, oid);
	assert_true(CBB_add_bytes(&seq, null, sizeof(null)));
	assert_true(CBB_flush(cbb));
}

/* RSASSA-PSS-params (RFC 4055 s. 3.1): hash, MGF1(hash), salt. */
static void
add_pss_params(CBB *cbb, uint8_t h, uint64_t salt)
{
	CBB p, t0, t1, t2, mgf;

	assert_true(CBB_add_asn1(cbb, &p, CBS_ASN1_SEQUENCE));
	assert_true(CBB_add_asn1(&p, &t0, CBS_ASN1_CONTEXT_SPECIFIC |
	    CBS_ASN1_CONSTRUCTED | 0));
	add_alg_null(&t0, hash_oid[h]);
	assert_true(CBB_add_asn1(&p, &t1, CBS_ASN1_CONTEXT_SPECIFIC |
	    CBS_ASN1_CONSTRUCTED | 1));
	assert_true(CBB_add_asn1(&t1, &mgf, CBS_ASN1_SEQUENCE));
	add_oid(&mgf, "1.2.840.113549.1.1.8");		/* id-mgf1 */
	add_alg_null(&mgf, hash_oid[h]);
	assert_true(CBB_add_asn1(&p, &t2, CBS_ASN1_CONTEXT_SPECIFIC |
	    CBS_ASN1_CONSTRUCTED | 2));
	assert_true(CBB_add_asn1_uint64(&t2, salt));
	assert_true(CBB_flush(cbb));
}

/* The AlgorithmIdentifier for (kind of key, hash, pss), built here. */
static uint8_t *
build_algid(bool rsa, bool pss, uint8_t h, size_t *len)
{
	static const uint64_t salt[] = { 0, 20, 32, 48, 64 };
	uint8_t *out;
	CBB cbb, seq;

	assert_true(CBB_init(&cbb, 128));
	if (rsa && !pss) {
		add_alg_null(&cbb, rsa_oid[h]);
	} else if (rsa) {
		assert_true(CBB_add_asn1(&cbb, &seq, CBS_ASN1_SEQUENCE));
		/* id-RSASSA-PSS */
		add_oid(&seq, "1.2.840.113549.1.1.10");
		add_pss_params(&seq, h, salt[h]);
	} else {
		assert_true(CBB_add_asn1(&cbb, &seq, CBS_ASN1_SEQUENCE));
		add_oid(&seq, ecdsa_oid[h]);		/* no parameters */
	}
	assert_true(CBB_finish(&cbb, &out, len));
	return out;
}

static const EVP_MD *
md_of(uint8_t h)
{
	return h == CERT_HASH_SHA1 ? EVP_sha1() : h == CERT_HASH_SHA256 ?
	    EVP_sha256() : h == CERT_HASH_SHA384 ? EVP_sha384() :
	    EVP_sha512();
}

static int
nid_of(uint8_t h)
{
	return h == CERT_HASH_SHA1 ? NID_sha1 : h == CERT_HASH_SHA256 ?
	    NID_sha256 : h == CERT_HASH_SHA384 ? NID_sha384 : NID_sha512;
}

/* The signature proper, checked with BoringSSL's primitives. */
static void
check_directly(int k, bool pss, uint8_t h, const uint8_t *s, size_t n)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned int dlen;

	digest(md_of(h), d, &dlen);
	if (!is_rsa(k))
		assert_true(ECDSA_verify(0, d, dlen, s, n,
		    EVP_PKEY_get0_EC_KEY(F.k[k].pk)));
	else if (pss)
		assert_true(RSA_verify_pss_mgf1(EVP_PKEY_get0_RSA(F.k[k].pk),
		    d, dlen, md_of(h), md_of(h), (int)dlen, s, n));
	else
		assert_true(RSA_verify(nid_of(h), d, dlen, s, n,
		    EVP_PKEY_get0_RSA(F.k[k].pk)));
}

static void
one_digital_sig(int k, bool pss, uint8_t h, uint32_t mask)
{
	uint8_t *sig, *want;
	size_t len, wlen;

	print_message("key %d pss %d hash %u\n", k, pss, h);
	sig = sign(k, CERT_AUTH_DIGITAL_SIG, h, pss, &len);
	want = build_algid(is_rsa(k), pss, h, &wlen);
	assert_int_equal(sig[0], wlen);
	assert_memory_equal(sig + 1, want, wlen);
	check_directly(k, pss, h, sig + 1 + wlen, len - 1 - wlen);
	common_refusals(k, CERT_AUTH_DIGITAL_SIG, mask, sig, len, 1 + wlen);
	/* Not among the hashes we announced: refused before any math. */
	assert_int_equal(vrf(F.k[k].cert, CERT_AUTH_DIGITAL_SIG,
	    mask & ~CERT_HASH_BIT(h), octets, OCT_LEN, sig, len,
	    CERT_R_SIG_ALG), IKE_EINVAL);
	OPENSSL_free(want);
	free(sig);
}

static void
method14_every_key_hash_and_padding(void **state)
{
	const uint32_t all = CERT_HASHES_SHA2 | CERT_HASH_BIT(CERT_HASH_SHA1);
	uint8_t h;
	int k;

	(void)state;
	for (k = 0; k < NKEY; k++) {
		for (h = CERT_HASH_SHA256; h <= CERT_HASH_SHA512; h++) {
			one_digital_sig(k, false, h, CERT_HASHES_SHA2);
			if (is_rsa(k))
				one_digital_sig(k, true, h, CERT_HASHES_SHA2);
		}
		one_digital_sig(k, false, CERT_HASH_SHA1, all);
	}
}

/* Relabelled hashes, unknown and cut AlgorithmIdentifiers, key types. */
static void
method14_refusals(void **state)
{
	uint8_t *sig, *w;
	size_t len, wlen;
	struct cert_sign_alg how;

	(void)state;
	/* A SHA-256 PSS signature labelled SHA-512: the hash is wrong. */
	sig = sign(K_RSA2048, CERT_AUTH_DIGITAL_SIG, CERT_HASH_SHA256, true,
	    &len);
	w = build_algid(true, true, CERT_HASH_SHA512, &wlen);
	assert_int_equal(wlen, sig[0]);
	memcpy(sig + 1, w, wlen);
	assert_int_equal(vrf(F.k[K_RSA2048].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, len, CERT_R_BAD_SIG),
	    IKE_EINVAL);
	OPENSSL_free(w);
	/* An OID we do not know (sha224WithRSAEncryption). */
	free(sig);
	sig = sign(K_RSA2048, CERT_AUTH_DIGITAL_SIG, CERT_HASH_SHA256, false,
	    &len);
	sig[1 + 12] = 0x0e;
	assert_int_equal(vrf(F.k[K_RSA2048].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, len, CERT_R_SIG_ALG),
	    IKE_EINVAL);
	sig[1 + 12] = 0x0b;
	/* An ECDSA certificate for an RSA algorithm. */
	assert_int_equal(vrf(F.k[K_P256].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, len, CERT_R_KEY_TYPE),
	    IKE_EINVAL);
	/* Cut: no room for the AlgorithmIdentifier, or nothing at all. */
	assert_int_equal(vrf(F.k[K_RSA2048].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, 10, CERT_R_BAD_SIG),
	    IKE_EMALFORMED);
	assert_int_equal(vrf(F.k[K_RSA2048].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, 0, CERT_R_BAD_SIG),
	    IKE_EMALFORMED);
	/* The AlgorithmIdentifier and no signature. */
	assert_int_equal(vrf(F.k[K_RSA2048].cert, CERT_AUTH_DIGITAL_SIG,
	    CERT_HASHES_SHA2, octets, OCT_LEN, sig, 1 + sig[0],
	    CERT_R_BAD_SIG), IKE_EINVAL);
	free(sig);
	/* What cannot be signed. */
	how = (struct cert_sign_alg){ CERT_AUTH_DIGITAL_SIG,
	    CERT_HASH_SHA256, true };
	assert_int_equal(cert_sign(F.k[K_P256].own, &how, octets, OCT_LEN,
	    &sig, &len), IKE_EINVAL);
	how = (struct cert_sign_alg){ CERT_AUTH_DIGITAL_SIG, 5, false };
	assert_int_equal(cert_sign(F.k[K_P256].own, &how, octets, OCT_LEN,
	    &sig, &len), IKE_EUNSUPP);
	how = (struct cert_sign_alg){ 2, 0, false };	/* shared key */
	assert_int_equal(cert_sign(F.k[K_P256].own, &how, octets, OCT_LEN,
	    &sig, &len), IKE_EUNSUPP);
	assert_int_equal(cert_verify_sig(F.k[K_P256].cert, 2, 0, octets,
	    OCT_LEN, octets, 10, &(enum cert_reason){ 0 }), IKE_EUNSUPP);
}

/* The octets printed in RFC 7427 appendix A: A.1.2 sha256WithRSAEncryption,
 * A.3.2 ecdsa-with-sha256, A.4.3 RSASSA-PSS with SHA-256. */
static void
rfc7427_appendix_a(void **state)
{
	static const struct { int k; bool pss; const char *hex; } t[] = {
		{ K_RSA2048, false,
		    "300d 0609 2a86 4886 f70d 0101 0b05 00" },
		{ K_P256, false, "300a 0608 2a86 48ce 3d04 0302" },
		{ K_RSA3072, true,
		    "3041 0609 2a86 4886 f70d 0101 0a30 34a0"
		    "0f30 0d06 0960 8648 0165 0304 0201 0500"
		    "a11c 301a 0609 2a86 4886 f70d 0101 0830"
		    "0d06 0960 8648 0165 0304 0201 0500 a203"
		    "0201 20" },
	};
	uint8_t *sig, *want;
	size_t i, len, wlen;

	(void)state;
	for (i = 0; i < 3; i++) {
		want = hx(t[i].hex, &wlen);
		sig = sign(t[i].k, CERT_AUTH_DIGITAL_SIG, CERT_HASH_SHA256,
		    t[i].pss, &len);
		assert_int_equal(sig[0], wlen);
		assert_memory_equal(sig + 1, want, wlen);
		free(sig);
	}
}

/* ---- IKEv1 (RFC 2409 s. 5.1) ---- */

static void
ikev1_rsa_signature(void **state)
{
	uint8_t hash[32], *sig, *blk;
	enum cert_reason why;
	size_t len, n, i, hl;
	RSA *rsa;
	int k;

	(void)state;
	for (i = 0; i < sizeof(hash); i++)
		hash[i] = (uint8_t)(0xa0 + i);
	for (k = K_RSA2048; k <= K_RSA3072; k++) {
		hl = k == K_RSA2048 ? 20 : 32;	/* SHA-1 or SHA-256 prf */
		rsa = EVP_PKEY_get0_RSA(F.k[k].pk);
		assert_int_equal(cert_v1_rsa_sign(F.k[k].own, hash, hl, &sig,
		    &len), 0);
		assert_int_equal(len, RSA_size(rsa));
		/* Raw public operation: 00 01 FF..FF 00 | hash, no
		 * DigestInfo. */
		blk = malloc(len);
		assert_non_null(blk);
		assert_true(RSA_verify_raw(rsa, &n, blk, len, sig, len,
		    RSA_NO_PADDING));
		assert_int_equal(n, len);
		assert_int_equal(blk[0], 0x00);
		assert_int_equal(blk[1], 0x01);
		for (i = 2; i < len - hl - 1; i++)
			assert_int_equal(blk[i], 0xff);
		assert_int_equal(blk[len - hl - 1], 0x00);
		assert_memory_equal(blk + len - hl, hash, hl);
		free(blk);
		assert_int_equal(cert_v1_rsa_verify(F.k[k].cert, hash, hl, sig,
		    len, &why), 0);
		assert_int_equal(why, CERT_R_OK);
		sig[len / 2] ^= 0x04;
		assert_int_equal(cert_v1_rsa_verify(F.k[k].cert, hash, hl, sig,
		    len, &why), IKE_EINVAL);
		assert_int_equal(why, CERT_R_BAD_SIG);
		sig[len / 2] ^= 0x04;
		assert_int_equal(cert_v1_rsa_verify(F.k2[k].cert, hash, hl,
		    sig, len, &why), IKE_EINVAL);
		assert_int_equal(cert_v1_rsa_verify(F.k[k].cert, hash, hl - 1,
		    sig, len, &why), IKE_EINVAL);
		hash[0] ^= 1;
		assert_int_equal(cert_v1_rsa_verify(F.k[k].cert, hash, hl, sig,
		    len, &why), IKE_EINVAL);
		hash[0] ^= 1;
		assert_int_equal(cert_v1_rsa_verify(F.k[k].cert, hash, hl, sig,
		    len - 1, &why), IKE_EINVAL);
		assert_int_equal(why, CERT_R_BAD_SIG);
		free(sig);
	}
	assert_int_equal(cert_v1_rsa_sign(F.k[K_P256].own, hash, 20, &sig,
	    &len), IKE_EINVAL);
	assert_int_equal(cert_v1_rsa_verify(F.k[K_P256].cert, hash, 20, hash,
	    32, &why), IKE_EINVAL);
	assert_int_equal(why, CERT_R_KEY_TYPE);
}

/* r | s (each flen octets) against the public key of k, over md as the
 * digest: the raw ECDSA verification, no hashing. */
static bool
ecdsa_raw_ok(int k, const uint8_t *md, size_t mdlen, const uint8_t *rs,
    size_t flen)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	bool ok;

	assert_non_null(s);
	assert_non_null(BN_bin2bn(rs, flen, s->r));
	assert_non_null(BN_bin2bn(rs + flen, flen, s->s));
	ok = ECDSA_do_verify(md, mdlen, s, EVP_PKEY_get0_EC_KEY(F.k[k].pk));
	ECDSA_SIG_free(s);
	return ok;
}

/* IKEv1 ECDSA (RFC 4754 methods with RFC 2409 s. 5.1): HASH_I itself is
 * the digest signed, r | s of the field's length; a signature over
 * SHA-256(HASH_I) (what the IKEv2 method 9 would make) is not one. */
static void
ikev1_ecdsa_signature(void **state)
{
	static const struct { int k; uint8_t method; size_t flen; } c[] = {
		{ K_P256, 9, 32 }, { K_P384, 10, 48 }, { K_P521, 11, 66 },
	};
	uint8_t hash[32], twice[SHA256_DIGEST_LENGTH], *sig;
	enum cert_reason why;
	size_t i, j, len;

	(void)state;
	for (i = 0; i < sizeof(hash); i++)
		hash[i] = (uint8_t)(0x30 + i);
	SHA256(hash, sizeof(hash), twice);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(cert_v1_ecdsa_sign(F.k[c[i].k].own,
		    c[i].method, hash, sizeof(hash), &sig, &len), 0);
		assert_int_equal(len, 2 * c[i].flen);
		assert_true(ecdsa_raw_ok(c[i].k, hash, sizeof(hash), sig,
		    c[i].flen));
		assert_false(ecdsa_raw_ok(c[i].k, twice, sizeof(twice), sig,
		    c[i].flen));
		assert_int_equal(cert_v1_ecdsa_verify(F.k[c[i].k].cert,
		    c[i].method, hash, sizeof(hash), sig, len, &why), 0);
		assert_int_equal(why, CERT_R_OK);
		sig[len - 1] ^= 0x01;
		assert_int_equal(cert_v1_ecdsa_verify(F.k[c[i].k].cert,
		    c[i].method, hash, sizeof(hash), sig, len, &why),
		    IKE_EINVAL);
		assert_int_equal(why, CERT_R_BAD_SIG);
		sig[len - 1] ^= 0x01;
		assert_int_equal(cert_v1_ecdsa_verify(F.k[c[i].k].cert,
		    c[i].method, hash, 20, sig, len, &why), IKE_EINVAL);
		assert_int_equal(cert_v1_ecdsa_verify(F.k[c[i].k].cert,
		    c[i].method, hash, sizeof(hash), sig, len - 1, &why),
		    IKE_EINVAL);
		assert_int_equal(why, CERT_R_BAD_SIG);
		assert_int_equal(cert_v1_ecdsa_verify(F.k2[c[i].k].cert,
		    c[i].method, hash, sizeof(hash), sig, len, &why),
		    IKE_EINVAL);
		/* the method must be the key's curve's */
		j = (i + 1) % (sizeof(c) / sizeof(c[0]));
		assert_int_equal(cert_v1_ecdsa_verify(F.k[c[i].k].cert,
		    c[j].method, hash, sizeof(hash), sig, len, &why),
		    IKE_EINVAL);
		assert_int_equal(why, CERT_R_KEY_TYPE);
		free(sig);
		assert_int_equal(cert_v1_ecdsa_sign(F.k[c[i].k].own,
		    c[j].method, hash, sizeof(hash), &sig, &len), IKE_EINVAL);
	}
	assert_int_equal(cert_v1_ecdsa_sign(F.k[K_RSA2048].own, 9, hash,
	    sizeof(hash), &sig, &len), IKE_EINVAL);
	assert_int_equal(cert_v1_ecdsa_verify(F.k[K_RSA2048].cert, 9, hash,
	    sizeof(hash), hash, 64, &why), IKE_EINVAL);
	assert_int_equal(why, CERT_R_KEY_TYPE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(method1_rsa_sha1),
		cmocka_unit_test(methods_9_10_11_ecdsa),
		cmocka_unit_test(method14_every_key_hash_and_padding),
		cmocka_unit_test(method14_refusals),
		cmocka_unit_test_teardown(rfc7427_appendix_a, hx_teardown),
		cmocka_unit_test(ikev1_rsa_signature),
		cmocka_unit_test(ikev1_ecdsa_signature),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
