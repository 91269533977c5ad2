/* core/crypto/crypto.h: definitions shared by the crypto modules (dh, prf,
 * integ, cipher, kdf).  No BoringSSL type appears in any header of
 * core/crypto: only the .c files include BoringSSL.
 *
 * Algorithm identifiers are the IANA "IKEv2 Parameters" transform IDs
 * (RFC 7296 section 3.3.2 and the registry's later additions), so a value
 * read from a Transform substructure is used as is. */
#ifndef IKE_CRYPTO_H
#define IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Flag for dh_new(), prf_new(), sk_cipher_new() and the kdf_*() calls: the
 * caller accepts a legacy algorithm (MODP groups 1, 2 and 5, HMAC-MD5,
 * 3DES).  Without it those return IKE_EUNSUPP, so a weak algorithm is
 * only ever used because a configuration asked for it. */
#define CRYPTO_F_LEGACY		0x0001u

/* One piece of a message that is processed as if concatenated: PRF and
 * MAC inputs such as Ni | Nr or IKE header | IV | ciphertext.  base is
 * borrowed for the call; len may be 0 (base may then be NULL). */
struct crypto_iov {
	const void	*base;
	size_t		 len;
};

#endif
