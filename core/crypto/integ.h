/* core/crypto/integ.h: integrity algorithms, by IANA IKEv2 Transform
 * Type 3 number.  Each is a MAC truncated to its ICV length:
 *
 *   id  name                     key  ICV  reference
 *   0   AUTH_NONE                  0    0  (AEAD ciphers)
 *   1   AUTH_HMAC_MD5_96          16   12  RFC 2403, legacy
 *   2   AUTH_HMAC_SHA1_96         20   12  RFC 2404
 *   5   AUTH_AES_XCBC_96          16   12  RFC 3566
 *   12  AUTH_HMAC_SHA2_256_128    32   16  RFC 4868
 *   13  AUTH_HMAC_SHA2_384_192    48   24  RFC 4868
 *   14  AUTH_HMAC_SHA2_512_256    64   32  RFC 4868
 *
 * The key length is fixed: it is the length of SK_ai/SK_ar and of the
 * Child SA integrity keys. */
#ifndef IKE_INTEG_H
#define IKE_INTEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/crypto.h"

enum integ_id {
	AUTH_NONE = 0,
	AUTH_HMAC_MD5_96 = 1,
	AUTH_HMAC_SHA1_96 = 2,
	AUTH_AES_XCBC_96 = 5,
	AUTH_HMAC_SHA2_256_128 = 12,
	AUTH_HMAC_SHA2_384_192 = 13,
	AUTH_HMAC_SHA2_512_256 = 14,
};

#define INTEG_MAX_ICV	32

struct integ_info {
	size_t	key_len;
	size_t	icv_len;
	bool	legacy;		/* needs CRYPTO_F_LEGACY */
};

/* A keyed integrity algorithm. */
struct integ;

/* Facts about id (AUTH_NONE included): 0 or IKE_EUNSUPP. */
int		 integ_info(uint16_t id, struct integ_info *out);
const char	*integ_name(uint16_t id);

/* Keys the algorithm; the key is copied and must be exactly key_len
 * octets (IKE_EINVAL otherwise).  AUTH_NONE gives IKE_EINVAL: there is
 * nothing to key.  Caller frees with integ_free(). */
int	integ_new(uint16_t id, unsigned int flags, const uint8_t *key,
	    size_t keylen, struct integ **out);
/* Wipes and frees; NULL is fine. */
void	integ_free(struct integ *);
uint16_t integ_id_of(const struct integ *);
size_t	integ_icv_len(const struct integ *);

/* icv = the truncated MAC of v[0] | v[1] | ...; icv_len octets. */
int	integ_sign(const struct integ *, const struct crypto_iov *v, size_t n,
	    uint8_t *icv, size_t icv_len);
/* Compares the MAC of v[...] with icv in constant time (CRYPTO_memcmp):
 * 0 when it matches, IKE_EMALFORMED when not (or icv_len is wrong). */
int	integ_verify(const struct integ *, const struct crypto_iov *v,
	    size_t n, const uint8_t *icv, size_t icv_len);

#endif
