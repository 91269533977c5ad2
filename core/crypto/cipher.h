/* core/crypto/cipher.h: encryption algorithms, by IANA IKEv2 Transform
 * Type 1 number, and the protection of an Encrypted (SK) payload
 * (RFC 7296 s. 3.14, RFC 5282, RFC 7634).
 *
 *   id  name                    key bits     SK_e octets   IV  block ICV
 *   3   ENCR_3DES               (none)       24            8   8     -   legacy
 *   12  ENCR_AES_CBC            128/192/256  16/24/32      16  16    -
 *   20  ENCR_AES_GCM_16         128/192/256  16/24/32 + 4  8   1     16
 *   28  ENCR_CHACHA20_POLY1305  (none)       32 + 4        8   1     16
 *
 * "key bits" is the Key Length transform attribute; 0 stands for "no
 * attribute" (3DES and ChaCha20-Poly1305 take none; 192 is also accepted
 * for 3DES and 256 for ChaCha20-Poly1305).  For the AEADs SK_e is the key
 * followed by a 4-octet salt, and the 12-octet nonce is salt | IV (RFC
 * 5282 s. 4 and 7.1, RFC 7634 s. 2 and 3).  "block" is the multiple the
 * plaintext (data, padding and Pad Length) must have; 1 means any
 * length.  The CBC modes use a separate integrity algorithm (integ.h). */
#ifndef IKE_CIPHER_H
#define IKE_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/crypto.h"

enum encr_id {
	ENCR_3DES = 3,
	ENCR_AES_CBC = 12,
	ENCR_AES_GCM_16 = 20,
	ENCR_CHACHA20_POLY1305 = 28,
};

#define CIPHER_MAX_IV		16
#define CIPHER_MAX_BLOCK	16
#define CIPHER_SALT_LEN		4
#define SK_MAX_ICV		32	/* the longest ICV, HMAC-SHA2-512-256 */

struct cipher_info {
	size_t	key_len;	/* SK_e / KEYMAT octets, salt included */
	size_t	salt_len;	/* 4 for the AEADs, else 0 */
	size_t	iv_len;		/* IV octets carried in the payload */
	size_t	block_len;	/* plaintext length multiple (1: any) */
	size_t	icv_len;	/* AEAD tag octets, 0 for CBC */
	bool	aead;
	bool	legacy;		/* needs CRYPTO_F_LEGACY */
};

/* Facts about encr with Key Length key_bits: 0, IKE_EUNSUPP for an
 * unknown algorithm, IKE_EINVAL for a key length it does not take. */
int		 cipher_info(uint16_t encr, uint16_t key_bits,
		    struct cipher_info *out);
const char	*cipher_name(uint16_t encr);

/* Flag for sk_cipher_new(): a CBC cipher without integrity algorithm,
 * for IKEv1, whose messages are authenticated by the HASH payload.
 * IKEv2 never uses it: RFC 7296 requires an integrity algorithm with a
 * non-AEAD cipher, and sk_cipher_new() refuses AUTH_NONE without it. */
#define SK_F_NO_INTEG	0x0100u

/* One direction of SK payload protection: a cipher keyed with SK_ei or
 * SK_er and, for a CBC cipher, an integrity algorithm keyed with SK_ai
 * or SK_ar. */
struct sk_cipher;

/* ekey must be cipher_info().key_len octets, ikey integ key_len octets.
 * For an AEAD integ must be AUTH_NONE (0) and ikey NULL.  flags:
 * CRYPTO_F_LEGACY (3DES, HMAC-MD5-96), SK_F_NO_INTEG.  Both keys are
 * copied.  Caller frees with sk_cipher_free(). */
int	sk_cipher_new(uint16_t encr, uint16_t key_bits, const uint8_t *ekey,
	    size_t ekey_len, uint16_t integ, const uint8_t *ikey,
	    size_t ikey_len, unsigned int flags, struct sk_cipher **out);
/* Wipes the keys and frees; NULL is fine. */
void	sk_cipher_free(struct sk_cipher *);

size_t	sk_cipher_iv_len(const struct sk_cipher *);
size_t	sk_cipher_block_len(const struct sk_cipher *);
size_t	sk_cipher_icv_len(const struct sk_cipher *);	/* tag or MAC */

/* A fresh IV for the next message: random for CBC (RFC 7296 s. 3.14
 * wants it unpredictable), a 64-bit counter for the AEADs, which need a
 * value never repeated under one key (RFC 5282 s. 3.1, RFC 7634 s. 2).
 * Returns IKE_ENOSPC once the counter is exhausted: rekey. */
int	sk_cipher_next_iv(struct sk_cipher *, uint8_t *iv, size_t iv_len);

/* Encrypts the SK payload content.
 *   aad    the octets the ICV covers before the IV: the IKE header and
 *          the SK payload header (RFC 7296 s. 3.14, RFC 5282 s. 5.1);
 *   pt     len octets: data, padding, Pad Length; len must be a multiple
 *          of the block length;
 *   ct     receives len octets (it may be pt: in place);
 *   icv    receives sk_cipher_icv_len() octets: the AEAD tag, or the
 *          truncated MAC of aad | iv | ct.
 * With SK_F_NO_INTEG there is no ICV and icv may be NULL. */
int	sk_cipher_encrypt(const struct sk_cipher *, const uint8_t *iv,
	    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
	    uint8_t *ct, uint8_t *icv);
/* Checks the ICV in constant time and decrypts into pt (which may be
 * ct).  IKE_EMALFORMED when the ICV does not match (a CBC cipher then
 * writes nothing to pt, an AEAD zeroes it) or when len is 0 or not a
 * multiple of the block length.  IKEv2 has no separate "bad ICV" code:
 * RFC 7296 s. 3.14 treats both as a message to drop. */
int	sk_cipher_decrypt(const struct sk_cipher *, const uint8_t *iv,
	    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
	    const uint8_t *icv, uint8_t *pt);

#endif
