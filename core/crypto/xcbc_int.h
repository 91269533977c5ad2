/* core/crypto/xcbc_int.h: AES-XCBC-MAC (RFC 3566), shared by the PRF
 * AES-XCBC-PRF-128 (RFC 4434) and the integrity algorithm AUTH_AES_XCBC_96.
 * Internal to core/crypto; not an API. */
#ifndef IKE_XCBC_INT_H
#define IKE_XCBC_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/aes.h>

#include "crypto.h"

#define XCBC_BLOCK	16

struct xcbc {
	AES_KEY	k1;			/* keyed with K1 */
	uint8_t	k2[XCBC_BLOCK];
	uint8_t	k3[XCBC_BLOCK];
};

/* RFC 3566 s. 4: K1, K2, K3 from a 128-bit key.  Returns 0 or IKE_EINVAL. */
int	xcbc_init(struct xcbc *, const uint8_t *key, size_t len);
/* RFC 4434 s. 2: a key of any length (shorter zero-padded, longer first
 * reduced with AES-XCBC-MAC-128 under the all-zero key). */
int	xcbc_init_prf(struct xcbc *, const uint8_t *key, size_t len);
/* The 128-bit MAC of v[0] | v[1] | ...  */
void	xcbc_mac(const struct xcbc *, const struct crypto_iov *v, size_t n,
	    uint8_t out[XCBC_BLOCK]);
void	xcbc_clear(struct xcbc *);

#endif
