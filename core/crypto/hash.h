/* core/crypto/hash.h: plain message digests, for the few places IKEv2
 * uses one without a key: NAT_DETECTION_*_IP (RFC 7296 s. 2.23). */
#ifndef IKE_HASH_H
#define IKE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto/crypto.h"

#define HASH_SHA1_LEN	20

/* out = SHA-1(v[0] | v[1] | ...).  Returns 0, or IKE_EINVAL for a NULL
 * out or a NULL base with a non-zero length. */
int	crypto_sha1(const struct crypto_iov *v, size_t n,
	    uint8_t out[HASH_SHA1_LEN]);

/* out = H(v[0] | v[1] | ...) with the hash under the HMAC of PRF
 * transform prf (prf.h: PRF_HMAC_MD5, _SHA1, _SHA2_256/384/512), as
 * IKEv1 uses it (RFC 2409 App. B, RFC 3947 s. 3.2); *out_len gets its
 * length (at most HASH_MAX_LEN).  0, IKE_EUNSUPP for another prf,
 * IKE_EINVAL as crypto_sha1(). */
#define HASH_MAX_LEN	64
/* The length of crypto_hash()'s output for prf; 0 for another prf. */
size_t	crypto_hash_len(uint16_t prf);
int	crypto_hash(uint16_t prf, const struct crypto_iov *v, size_t n,
	    uint8_t out[HASH_MAX_LEN], size_t *out_len);

#endif
