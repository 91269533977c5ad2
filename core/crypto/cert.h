/* core/crypto/cert.h: X.509 certificates for IKE signature authentication,
 * the only module that touches X.509.  Four parts:
 *
 *   cert.c        parsed certificates: DER in, identity binding (RFC 7296
 *                 s. 3.5 ID types against subject and subjectAltName),
 *                 subject DN, CERTREQ key hashes (RFC 7296 s. 3.7)
 *   cert_store.c  trusted CAs and CRLs from PEM files; chain validation
 *   cert_own.c    our certificate chain and private key from PEM files
 *   cert_sig.c    the signatures of the AUTH payload (RFC 7296 s. 3.8,
 *                 RFC 4754, RFC 7427) and of IKEv1 (RFC 2409 s. 5.1)
 *
 * No BoringSSL type appears here.  Every function returns 0 or a negative
 * IKE_E*: IKE_EMALFORMED for bytes that are not what they claim to be,
 * IKE_EUNSUPP for a valid algorithm or ID type we do not do, IKE_EINVAL
 * for a certificate, identity or signature that is refused.  Refusals
 * also write an enum cert_reason (the one exception to "out-parameters
 * only on success": the reason is the explanation of the failure).
 *
 * Everything from the wire (DER, signatures, CERTREQ data) is untrusted:
 * lengths are checked before use and garbage fails with IKE_EMALFORMED. */
#ifndef IKE_CERT_H
#define IKE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define CERT_MSG_LEN		256		/* load messages, with NUL */
#define CERT_DER_MAX		(64u * 1024)	/* one certificate */
#define CERT_CHAIN_MAX		8		/* certificates from a peer */
#define CERT_FILE_MAX		(4u * 1024 * 1024)	/* one PEM file */
#define CERT_KEYHASH_LEN	20		/* SHA-1 of SPKI (CERTREQ) */

/* Why a certificate, identity or signature was refused.  The strings of
 * cert_reason_str() are what `ike cmd=list verbose` and the log show. */
enum cert_reason {
	CERT_R_OK = 0,
	CERT_R_MALFORMED,	/* "malformed certificate" */
	CERT_R_TOO_LARGE,	/* "certificate chain too large" */
	CERT_R_UNKNOWN_CA,	/* "unknown CA" */
	CERT_R_EXPIRED,		/* "certificate expired" */
	CERT_R_NOT_YET_VALID,	/* "certificate not yet valid" */
	CERT_R_REVOKED,		/* "certificate revoked" */
	CERT_R_NOT_CA,		/* "issuer is not a CA" */
	CERT_R_KEY_USAGE,	/* "key usage forbids signatures" */
	CERT_R_BAD_CERT_SIG,	/* "certificate signature invalid" */
	CERT_R_CRL_STALE,	/* "CRL expired or not yet valid" */
	CERT_R_CRL_BAD,		/* "CRL signature invalid" */
	CERT_R_CHAIN,		/* "certificate chain invalid" (other) */
	CERT_R_ID_MISMATCH,	/* "identity not in certificate" */
	CERT_R_SIG_ALG,		/* "signature algorithm not accepted" */
	CERT_R_BAD_SIG,		/* "signature does not verify" */
	CERT_R_KEY_TYPE,	/* "key type does not fit the method" */
};

/* Static string for a reason; never NULL. */
const char	*cert_reason_str(enum cert_reason);

/* IKEv2 Identification types (RFC 7296 s. 3.5) that a certificate can
 * vouch for; IKEv1 uses the same numbers (RFC 2407 s. 4.6.2.1, where 3
 * is ID_USER_FQDN). */
enum cert_id_type {
	CERT_ID_IPV4_ADDR = 1,
	CERT_ID_FQDN = 2,
	CERT_ID_RFC822_ADDR = 3,
	CERT_ID_IPV6_ADDR = 5,
	CERT_ID_DER_ASN1_DN = 9,
};

/* IKEv2 Authentication Methods (IANA "IKEv2 Authentication Method"). */
enum cert_auth_method {
	CERT_AUTH_RSA = 1,		/* RSA PKCS#1 v1.5 + SHA-1 */
	CERT_AUTH_ECDSA_256 = 9,	/* RFC 4754: P-256 + SHA-256 */
	CERT_AUTH_ECDSA_384 = 10,	/* RFC 4754: P-384 + SHA-384 */
	CERT_AUTH_ECDSA_521 = 11,	/* RFC 4754: P-521 + SHA-512 */
	CERT_AUTH_DIGITAL_SIG = 14,	/* RFC 7427 */
};

/* SIGNATURE_HASH_ALGORITHMS values (RFC 7427 s. 4, IANA "IKEv2 Hash
 * Algorithms"), and the bit of each in a hash mask. */
enum cert_hash {
	CERT_HASH_SHA1 = 1,
	CERT_HASH_SHA256 = 2,
	CERT_HASH_SHA384 = 3,
	CERT_HASH_SHA512 = 4,
};
#define CERT_HASH_BIT(h)	(1u << (h))
#define CERT_HASHES_SHA2	(CERT_HASH_BIT(CERT_HASH_SHA256) | \
	CERT_HASH_BIT(CERT_HASH_SHA384) | CERT_HASH_BIT(CERT_HASH_SHA512))

/* The public-key algorithm of a certificate or of our private key. */
enum cert_key_type {
	CERT_KEY_RSA = 1,
	CERT_KEY_EC_P256,
	CERT_KEY_EC_P384,
	CERT_KEY_EC_P521,
};

/* ---- cert.c: one parsed certificate ---------------------------------- */

struct cert;

/* Parses exactly len octets of DER (a CERT payload's data, encoding 4
 * "X.509 Certificate - Signature").  IKE_EMALFORMED for anything that is
 * not one whole certificate (trailing octets included), or over
 * CERT_DER_MAX; IKE_EUNSUPP for a key that is neither RSA nor EC P-256,
 * P-384 or P-521.  Caller frees with cert_free(). */
int	 cert_parse(const uint8_t *der, size_t len, struct cert **out);
void	 cert_free(struct cert *);	/* NULL is fine */

/* The DER, borrowed until cert_free(). */
const uint8_t	*cert_der(const struct cert *, size_t *len);
enum cert_key_type cert_key_type(const struct cert *);
/* RSA modulus or EC field size in bits. */
unsigned int	 cert_key_bits(const struct cert *);

/* The subject DN as DER (the data of an ID_DER_ASN1_DN payload); caller
 * frees *der with free(). */
int	 cert_subject_der(const struct cert *, uint8_t **der, size_t *len);
/* The subject DN as one line, RFC 2253 style ("CN=gw,O=Example,C=US"),
 * for logs and status; cut to fit len (which must be > 0). */
int	 cert_subject_str(const struct cert *, char *buf, size_t len);

/* Does the certificate vouch for this IKE identity?  DER_ASN1_DN is
 * compared with the subject by ASN.1 meaning (X509_NAME_cmp on the
 * canonical form: string types, case and inner spaces of values do not
 * matter; the order of the RDNs does); IPV4_ADDR and IPV6_ADDR against
 * subjectAltName iPAddress; FQDN against dNSName (case-insensitive, no
 * wildcards); RFC822_ADDR against rfc822Name (domain case-insensitive,
 * local part exact).  0 when bound; IKE_EINVAL with CERT_R_ID_MISMATCH
 * when not; IKE_EMALFORMED for a DN that is not DER or an address of the
 * wrong length; IKE_EUNSUPP for another ID type. */
int	 cert_match_id(const struct cert *, uint8_t id_type,
	    const uint8_t *data, size_t len, enum cert_reason *why);

/* Two DER DNs (ID_DER_ASN1_DN data) compared by meaning, as
 * cert_match_id() compares one with a subject: 0 equal, IKE_EINVAL
 * different, IKE_EMALFORMED when either is not a DER Name. */
int	 cert_dn_equal(const uint8_t *a, size_t alen, const uint8_t *b,
	    size_t blen);

/* SHA-1 of the DER SubjectPublicKeyInfo: how CERTREQ names a CA. */
int	 cert_keyhash(const struct cert *, uint8_t out[CERT_KEYHASH_LEN]);
/* Is hash one of the 20-octet hashes in a CERTREQ's Certification
 * Authority data?  0 yes, IKE_ENOTFOUND no, IKE_EMALFORMED when len is
 * not a multiple of 20. */
int	 cert_certreq_has(const uint8_t *list, size_t len,
	    const uint8_t hash[CERT_KEYHASH_LEN]);

/* ---- cert_store.c: trusted CAs and CRLs ------------------------------ */

struct cert_store;

int	 cert_store_new(struct cert_store **out);
void	 cert_store_free(struct cert_store *);	/* NULL is fine */

/* Adds the CA certificates of a PEM file, or of every *.pem file in a
 * directory (not recursive, in name order).  Each must be a CA (basic
 * constraints cA TRUE); a certificate already in the store is skipped.
 * On failure msg names the file and why, and nothing of that file is
 * added (a directory keeps the files before it): IKE_ESYS (cannot read,
 * not a regular file), IKE_EMALFORMED (not PEM certificates, or none),
 * IKE_EINVAL (not a CA), IKE_ENOSPC (a file over CERT_FILE_MAX),
 * IKE_ENOTFOUND (a directory without *.pem). */
int	 cert_store_add_ca(struct cert_store *, const char *path,
	    char msg[CERT_MSG_LEN]);
/* Adds the CRLs of a PEM file; errors as above.  A CA that has a CRL gets
 * its certificates checked against it; a CA without one does not. */
int	 cert_store_add_crl(struct cert_store *, const char *path,
	    char msg[CERT_MSG_LEN]);
size_t	 cert_store_nca(const struct cert_store *);
/* The i-th CA, borrowed until cert_store_free(). */
const struct cert *cert_store_ca(const struct cert_store *, size_t i);

/* The CERTREQ Certification Authority data: the key hash of every CA,
 * concatenated.  Caller frees *out with free(); len 0 (out NULL) when
 * there is no CA. */
int	 cert_store_certreq(const struct cert_store *, uint8_t **out,
	    size_t *len);

/* Validates a peer's chain: chain[0] is the end entity, the rest the
 * intermediates it sent, in any order, each the DER of a CERT payload.
 * Checks signatures up to a configured CA, validity at time now (all
 * certificates and the CRLs), cA in the basic constraints of every
 * issuer, keyUsage digitalSignature on the end entity when the extension
 * is present, and revocation by the CRL of any issuer that has one.
 * Returns 0 and the parsed end entity in *ee (caller frees with
 * cert_free()); IKE_EINVAL with the reason when refused; IKE_EMALFORMED
 * (CERT_R_MALFORMED) for an unparsable blob; IKE_EUNSUPP
 * (CERT_R_KEY_TYPE) for a key that is not RSA or EC P-256/384/521;
 * IKE_EINVAL (CERT_R_TOO_LARGE) for more than CERT_CHAIN_MAX blobs. */
struct cert_blob {
	const uint8_t	*der;	/* borrowed */
	size_t		 len;
};
int	 cert_store_verify(const struct cert_store *,
	    const struct cert_blob *chain, size_t n, time_t now,
	    struct cert **ee, enum cert_reason *why);

/* ---- cert_own.c: our credentials ------------------------------------- */

struct cert_own;

/* Loads our certificate (the first in cert_path; any further ones are
 * intermediates sent along with it) and our private key (RSA or EC
 * P-256/384/521, PEM, unencrypted).  The key file must be a regular file
 * owned by uid with mode 0600 or stricter, else IKE_EINVAL and msg says
 * e.g. "private key /etc/ike/key.pem has mode 0644: must be 0600".  The
 * key must belong to the certificate.  Other errors as for
 * cert_store_add_ca().  Caller frees with cert_own_free(), which wipes
 * the key. */
int	 cert_own_load(const char *cert_path, const char *key_path,
	    uid_t uid, struct cert_own **out, char msg[CERT_MSG_LEN]);
void	 cert_own_free(struct cert_own *);	/* NULL is fine */

/* Our chain: 0 is our certificate, then the intermediates; borrowed
 * until cert_own_free().  NULL past the end. */
const struct cert *cert_own_cert(const struct cert_own *, size_t i);
size_t	 cert_own_ncert(const struct cert_own *);
/* Does a received CERTREQ name a CA of our chain: one of our
 * intermediates, or a CA of store (may be NULL) that issued the last
 * certificate of our chain?  0 yes, IKE_ENOTFOUND, IKE_EMALFORMED. */
int	 cert_own_certreq_match(const struct cert_own *,
	    const struct cert_store *, const uint8_t *list, size_t len);

/* ---- cert_sig.c: AUTH payload signatures ----------------------------- */

/* How to sign.  method CERT_AUTH_RSA and CERT_AUTH_ECDSA_* imply the
 * hash; for CERT_AUTH_DIGITAL_SIG hash is a SHA-2 (or, when the peer
 * announced only that, SHA-1) and rsa_pss picks RSASSA-PSS (MGF1 with the
 * same hash, salt as long as the hash) over PKCS#1 v1.5 for RSA keys. */
struct cert_sign_alg {
	uint8_t	method;		/* enum cert_auth_method */
	uint8_t	hash;		/* enum cert_hash; method 14 only */
	bool	rsa_pss;	/* method 14 with an RSA key only */
};

/* The Authentication Data of an AUTH payload over octets (the
 * InitiatorSignedOctets or ResponderSignedOctets of RFC 7296 s. 2.15):
 *   method 1       RSASSA-PKCS1-v1_5 with SHA-1 (RFC 7296 s. 3.8)
 *   methods 9-11   ECDSA, r | s each padded to the field (RFC 4754)
 *   method 14      length octet | AlgorithmIdentifier | signature, ECDSA
 *                  in DER (RFC 7427 s. 3)
 * IKE_EINVAL when the method (or rsa_pss) does not fit our key,
 * IKE_EUNSUPP for another method or hash.  *sig is malloc'd, caller
 * frees with free(). */
int	 cert_sign(const struct cert_own *, const struct cert_sign_alg *,
	    const uint8_t *octets, size_t len, uint8_t **sig,
	    size_t *siglen);

/* Verifies a peer's Authentication Data with its (validated) end-entity
 * certificate.  For method 14 the hash must be in hash_mask (bits
 * CERT_HASH_BIT(), the hashes we announced) and the AlgorithmIdentifier
 * one we know, compared as octets (RFC 7427 s. 3 allows this).  0 when
 * it verifies; IKE_EINVAL with CERT_R_BAD_SIG, CERT_R_SIG_ALG or
 * CERT_R_KEY_TYPE; IKE_EMALFORMED (CERT_R_BAD_SIG) for data too short
 * to hold the algorithm. */
int	 cert_verify_sig(const struct cert *, uint8_t method,
	    uint32_t hash_mask, const uint8_t *octets, size_t len,
	    const uint8_t *auth, size_t authlen, enum cert_reason *why);

/* IKEv1 RSA signature (RFC 2409 s. 5.1): the PKCS#1 type 1 padded
 * private-key operation on HASH_I or HASH_R as is, no DigestInfo.  The
 * signature has the length of the modulus.  IKE_EINVAL (CERT_R_KEY_TYPE)
 * for a non-RSA key. */
int	 cert_v1_rsa_sign(const struct cert_own *, const uint8_t *hash,
	    size_t hlen, uint8_t **sig, size_t *siglen);
int	 cert_v1_rsa_verify(const struct cert *, const uint8_t *hash,
	    size_t hlen, const uint8_t *sig, size_t siglen,
	    enum cert_reason *why);

/* IKEv1 ECDSA signature (RFC 4754 methods 9, 10, 11 with the key's
 * curve, P-256, P-384, P-521): HASH_I or HASH_R is the digest ECDSA
 * signs, as RFC 2409 s. 5.1 has DSS sign it -- not hashed again; the
 * signature is r | s, each the length of the field (RFC 4754 s. 7).
 * IKE_EINVAL (CERT_R_KEY_TYPE) for a key that is not of the method's
 * curve. */
int	 cert_v1_ecdsa_sign(const struct cert_own *, uint8_t method,
	    const uint8_t *hash, size_t hlen, uint8_t **sig, size_t *siglen);
int	 cert_v1_ecdsa_verify(const struct cert *, uint8_t method,
	    const uint8_t *hash, size_t hlen, const uint8_t *sig,
	    size_t siglen, enum cert_reason *why);

#endif
