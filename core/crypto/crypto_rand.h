/* core/crypto/crypto_rand.h: random bytes from BoringSSL's CSPRNG, for
 * SPIs, nonces, cookies, IVs and message-ID-independent padding. */
#ifndef IKE_CRYPTO_RAND_H
#define IKE_CRYPTO_RAND_H

#include <stddef.h>

/* Fills buf[0..len).  Returns 0, or IKE_EINVAL for buf NULL with len > 0.
 * BoringSSL aborts the process rather than return weak output. */
int	crypto_rand_bytes(void *buf, size_t len);

#endif
