/* core/crypto/prf.h: the IKE pseudorandom functions, by IANA IKEv2
 * Transform Type 2 number, and prf+ (RFC 7296 s. 2.13).
 *
 *   id  name               output  preferred key  notes
 *   1   PRF_HMAC_MD5       16      16             legacy, IKEv1 (RFC 2409)
 *   2   PRF_HMAC_SHA1      20      20             RFC 2104
 *   4   PRF_AES128_XCBC    16      16             RFC 4434
 *   5   PRF_HMAC_SHA2_256  32      32             RFC 4868
 *   6   PRF_HMAC_SHA2_384  48      48             RFC 4868
 *   7   PRF_HMAC_SHA2_512  64      64             RFC 4868
 *
 * Every PRF takes a key of any length: HMAC as RFC 2104 defines it,
 * AES-XCBC-PRF-128 as RFC 4434 s. 2 does (shorter keys zero-padded,
 * longer ones first reduced with AES-XCBC-MAC under the zero key).  The
 * "preferred key" length is the length of SK_d, SK_pi and SK_pr (RFC 7296
 * s. 2.13). */
#ifndef IKE_PRF_H
#define IKE_PRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/crypto.h"

enum prf_id {
	PRF_HMAC_MD5 = 1,
	PRF_HMAC_SHA1 = 2,
	PRF_AES128_XCBC = 4,
	PRF_HMAC_SHA2_256 = 5,
	PRF_HMAC_SHA2_384 = 6,
	PRF_HMAC_SHA2_512 = 7,
};

#define PRF_MAX_OUT		64	/* the longest output, SHA2-512 */
#define PRF_PLUS_MAX_ROUNDS	255	/* RFC 7296 s. 2.13 */

/* A PRF keyed once and used for any number of computations. */
struct prf;

bool		 prf_supported(uint16_t id);
bool		 prf_is_legacy(uint16_t id);	/* needs CRYPTO_F_LEGACY */
size_t		 prf_out_len(uint16_t id);	/* 0 when unknown */
size_t		 prf_key_len(uint16_t id);	/* preferred key length */
const char	*prf_name(uint16_t id);

/* Keys the PRF; key is copied (it may be NULL with keylen 0).  flags:
 * CRYPTO_F_LEGACY for HMAC-MD5.  IKE_EUNSUPP for an unknown or refused
 * algorithm.  Caller frees with prf_free(). */
int	prf_new(uint16_t id, unsigned int flags, const uint8_t *key,
	    size_t keylen, struct prf **out);
/* Wipes the key schedule and frees; NULL is fine. */
void	prf_free(struct prf *);
uint16_t prf_id_of(const struct prf *);

/* out = prf(K, v[0] | v[1] | ... ); outlen must be prf_out_len(). */
int	prf_compute(const struct prf *, const struct crypto_iov *v, size_t n,
	    uint8_t *out, size_t outlen);
/* out = the first outlen octets of prf+(K, S) where S = v[0] | ... and
 *   prf+ (K,S) = T1 | T2 | ...,  T1 = prf (K, S | 0x01),
 *   Tn = prf (K, Tn-1 | S | n).
 * More than 255 rounds (outlen > 255 * prf_out_len()) gives IKE_EINVAL. */
int	prf_plus(const struct prf *, const struct crypto_iov *v, size_t n,
	    uint8_t *out, size_t outlen);

#endif
