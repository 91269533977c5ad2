/* core/crypto/ikev1_kdf.h: IKEv1 keys, IVs and HASH payloads (RFC 2409).
 *
 *   SKEYID   = prf(pre-shared-key, Ni_b | Nr_b)               s. 5 PSK
 *   SKEYID   = prf(Ni_b | Nr_b, g^xy)                         s. 5 signatures
 *   SKEYID   = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)          s. 5 public key
 *   SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)          s. 5
 *   SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 *   Ka       = K1 | K2 | ...,  K1 = prf(SKEYID_e, 0),         App. B
 *              Kn = prf(SKEYID_e, Kn-1)
 *   IV       = hash(g^xi | g^xr)                              App. B
 *   IV(M-ID) = hash(last phase-1 CBC block | M-ID)            App. B
 *   HASH_I   = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R   = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 *   HASH(1)  = prf(SKEYID_a, M-ID | rest)                     s. 5.5, 5.7
 *   HASH(2)  = prf(SKEYID_a, M-ID | Ni_b | rest)              s. 5.5
 *   HASH(3)  = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)          s. 5.5
 *   KEYMAT   = K1 | K2 | ...,  S = [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b,
 *              K1 = prf(SKEYID_d, S), Kn = prf(SKEYID_d, Kn-1 | S)  s. 5.5
 *
 * 0, 1 and 2 are single octets.  M-ID is the Message ID of the ISAKMP
 * header and SPI the 4-octet SPI, both hashed in network order; "_b" is
 * a payload body without its generic header; "rest" is the message
 * after the HASH payload, generic headers included (for an
 * Informational exchange the N or D payload).  Ka and the IVs are
 * truncated to the length asked for.
 *
 * The IKEv1 PRF is HMAC with the negotiated hash (s. 4), and the IV hash
 * is that hash.  Every call therefore names the hash by its HMAC's IKEv2
 * PRF transform ID (prf.h: PRF_HMAC_MD5, PRF_HMAC_SHA1,
 * PRF_HMAC_SHA2_256/384/512); ikev1_prf_of_hash() maps the phase-1 Hash
 * Algorithm attribute to it.  PRF_AES128_XCBC has no IKEv1 use and gives
 * IKE_EUNSUPP, as does an unknown ID.  flags: CRYPTO_F_LEGACY accepts
 * MD5 (IKE_EUNSUPP without it), as for prf_new().
 *
 * All inputs are borrowed for the call.  Keys come back as new struct
 * ike_key the caller frees with ike_key_free(); intermediate secrets are
 * wiped.  IKE_EINVAL for a NULL pointer with a non-zero length, a
 * missing mandatory input, a nonce outside 8..256 octets (s. 5), or a
 * length the function cannot give.  Out-parameters are written only on
 * success, except the records of ikev1_skeyid_dae() and ikev1_sa_keys(),
 * which are emptied (all NULL) on failure. */
#ifndef IKE_IKEV1_KDF_H
#define IKE_IKEV1_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev1.h"
#include "core/crypto/ike_key.h"

#define IKEV1_KDF_MAX_KEY	1024	/* longest Ka or KEYMAT given out */

/* The Hash Algorithm values (IKEV1_HASH_*, RFC 2409 App. A and RFC
 * 4878; Tiger is refused), the IPsec DOI protocol IDs that take KEYMAT
 * (IKEV1_PROTO_AH, _ESP, RFC 2407 s. 4.4.1) and the cookie and nonce
 * sizes are the codec's constants. */
/* The values of one phase-1 exchange, all borrowed.  Each SKEYID
 * function says which it needs; the others may be left zero. */
struct ikev1_ph1_in {
	const uint8_t	*ni, *nr;	/* Ni_b, Nr_b */
	size_t		 ni_len, nr_len;
	const uint8_t	*gxy;		/* the DH shared secret */
	size_t		 gxy_len;
	const uint8_t	*cky_i, *cky_r;	/* IKEV1_COOKIE_LEN octets each */
};

/* The three phase-1 keys; each owned. */
struct ikev1_skeyids {
	struct ike_key	*d, *a, *e;
};

/* The inputs of HASH_I / HASH_R, all borrowed.  id_b is IDii_b for
 * HASH_I and IDir_b for HASH_R; sai_b is the initiator's SA payload
 * body in both. */
struct ikev1_auth_in {
	const uint8_t	*gxi, *gxr;	/* the initiator's, responder's KE */
	size_t		 gxi_len, gxr_len;
	const uint8_t	*cky_i, *cky_r;	/* IKEV1_COOKIE_LEN octets each */
	const uint8_t	*sai_b, *id_b;
	size_t		 sai_len, id_len;
};

/* The inputs of one Quick Mode KEYMAT, all borrowed. */
struct ikev1_qm_in {
	const uint8_t	*gqm;		/* g(qm)^xy with PFS, else NULL */
	size_t		 gqm_len;	/* 0 without PFS */
	uint8_t		 protocol;	/* IKEV1_PROTO_AH or _ESP */
	uint32_t	 spi;		/* host order; the receiver's SPI */
	const uint8_t	*ni, *nr;	/* Ni_b, Nr_b of this Quick Mode */
	size_t		 ni_len, nr_len;
};

/* The keys of one IPsec SA (one direction): KEYMAT cut into the
 * encryption key followed by the integrity key, the order IKEv1 peers
 * use.  Each owned; a key of length 0 (AH has no encryption key, ESP
 * with a combined-mode cipher no integrity key) is NULL. */
struct ikev1_sa_keys {
	struct ike_key	*enc, *auth;
};

/* *prf = the PRF of Hash Algorithm hash; IKE_EUNSUPP when unknown. */
int	ikev1_prf_of_hash(uint16_t hash, uint16_t *prf);

/* SKEYID; psk_len must be > 0.  Needs ni, nr. */
int	ikev1_skeyid_psk(uint16_t prf, unsigned int flags, const uint8_t *psk,
	    size_t psk_len, const struct ikev1_ph1_in *, struct ike_key **out);
/* SKEYID for signatures (DSS, RSA).  Needs ni, nr, gxy. */
int	ikev1_skeyid_sig(uint16_t prf, unsigned int flags,
	    const struct ikev1_ph1_in *, struct ike_key **out);
/* SKEYID for public key encryption.  Needs ni, nr, cky_i, cky_r. */
int	ikev1_skeyid_pke(uint16_t prf, unsigned int flags,
	    const struct ikev1_ph1_in *, struct ike_key **out);
/* SKEYID_d, _a, _e from SKEYID.  Needs gxy, cky_i, cky_r.  On failure
 * *out is empty (all NULL). */
int	ikev1_skeyid_dae(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid, const struct ikev1_ph1_in *,
	    struct ikev1_skeyids *out);
/* Frees (wipes) the keys and sets the pointers to NULL; NULL is fine. */
void	ikev1_skeyids_free(struct ikev1_skeyids *);

/* The ISAKMP SA encryption key of key_len octets (1..IKEV1_KDF_MAX_KEY):
 * the first key_len octets of SKEYID_e when it is long enough, else of
 * Ka (App. B). */
int	ikev1_enc_key(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_e, size_t key_len,
	    struct ike_key **out);

/* iv = hash(g^xi | g^xr) truncated to iv_len, the cipher's block length
 * (1..hash length): the IV of the first encrypted phase-1 message. */
int	ikev1_iv_phase1(uint16_t prf, unsigned int flags, const uint8_t *gxi,
	    size_t gxi_len, const uint8_t *gxr, size_t gxr_len, uint8_t *iv,
	    size_t iv_len);
/* iv = hash(ph1_last | M-ID) truncated to iv_len, where ph1_last is the
 * last CBC block (iv_len octets) of phase 1: the first IV of the Quick
 * Mode or Informational exchange with Message ID msgid (host order). */
int	ikev1_iv_msgid(uint16_t prf, unsigned int flags,
	    const uint8_t *ph1_last, uint32_t msgid, uint8_t *iv, size_t iv_len);
/* CBC chaining across messages: iv = the last iv_len octets of ct, the
 * whole ciphertext of a message just sent, or just received and
 * accepted (never after a failed decryption or HASH check).  ct_len
 * must be a non-zero multiple of iv_len. */
int	ikev1_iv_next(uint8_t *iv, size_t iv_len, const uint8_t *ct,
	    size_t ct_len);

/* HASH_I, HASH_R: out_len must be the PRF's output length.  Every field
 * of the record is needed. */
int	ikev1_hash_i(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid, const struct ikev1_auth_in *,
	    uint8_t *out, size_t out_len);
int	ikev1_hash_r(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid, const struct ikev1_auth_in *,
	    uint8_t *out, size_t out_len);

/* Quick Mode HASH(1); rest_len must be > 0. */
int	ikev1_hash1(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_a, uint32_t msgid, const uint8_t *rest,
	    size_t rest_len, uint8_t *out, size_t out_len);
/* Quick Mode HASH(2); rest_len must be > 0. */
int	ikev1_hash2(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_a, uint32_t msgid, const uint8_t *ni,
	    size_t ni_len, const uint8_t *rest, size_t rest_len, uint8_t *out,
	    size_t out_len);
/* Quick Mode HASH(3). */
int	ikev1_hash3(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_a, uint32_t msgid, const uint8_t *ni,
	    size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
	    size_t out_len);
/* Informational HASH(1) over the N or D payload (s. 5.7); the same
 * formula as Quick Mode HASH(1). */
int	ikev1_hash_info(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_a, uint32_t msgid, const uint8_t *nd,
	    size_t nd_len, uint8_t *out, size_t out_len);
/* Compares a received HASH with the computed one (len octets each: check
 * the payload length first) in constant time: 0 when equal,
 * IKE_EMALFORMED when not, or when len is 0 or a pointer NULL. */
int	ikev1_hash_equal(const uint8_t *got, const uint8_t *want, size_t len);

/* The first len (1..IKEV1_KDF_MAX_KEY) octets of KEYMAT. */
int	ikev1_keymat(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_d, const struct ikev1_qm_in *,
	    size_t len, struct ike_key **out);
/* KEYMAT cut into an e_len-octet encryption key and an a_len-octet
 * integrity key; one of the two may be 0.  On failure *out is empty. */
int	ikev1_sa_keys(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyid_d, const struct ikev1_qm_in *,
	    size_t e_len, size_t a_len, struct ikev1_sa_keys *out);
/* Frees (wipes) both keys and sets the pointers to NULL; NULL is fine. */
void	ikev1_sa_keys_free(struct ikev1_sa_keys *);

#endif
