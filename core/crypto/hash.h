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

#endif
