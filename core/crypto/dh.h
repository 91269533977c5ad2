/* core/crypto/dh.h: Diffie-Hellman for the KE payload, by IANA IKEv2
 * Transform Type 4 number.
 *
 *   group  kind        public value (KE data)      shared secret g^ir
 *   1      MODP  768   96 octets  (legacy)         96 octets
 *   2      MODP 1024   128 octets (legacy)         128 octets
 *   5      MODP 1536   192 octets (legacy)         192 octets
 *   14-18  MODP 2048..8192: modulus length         modulus length
 *   19-21  ECP P-256/384/521: x | y, no 0x04       x only (RFC 5903 s. 7)
 *   31     Curve25519: 32 octets (RFC 8031)        32 octets
 *
 * MODP values, our own and the shared secret, are left-padded with zeros
 * to the modulus length (RFC 7296 s. 3.4, RFC 2409 s. 5).  ECP
 * coordinates are padded to the field length (66 octets for P-521).
 *
 * MODP private exponents are sized to the group's strength, not to the
 * modulus (RFC 3526 s. 1 and 8: twice the strength in bits; the upper
 * "Strength Estimate 2" column is used; RFC 3526 s. 1 puts groups 1 and 2
 * at 70-80 bits):
 *
 *   group   1    2    5    14   15   16   17   18
 *   bits    160  160  240  320  420  480  540  620
 *
 * Every received public value is checked before use (RFC 6989):
 *   MODP   exact length, 1 < y < p - 1 (rejects 0, 1, p - 1 and >= p);
 *   ECP    exact length, the point lies on the curve (RFC 6989 s. 2.3);
 *   X25519 exact length; an all-zero shared secret is refused (RFC 7748
 *          s. 6.1).
 * A refused value gives IKE_EMALFORMED and leaves the dh object usable. */
#ifndef IKE_DH_H
#define IKE_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/ike_key.h"

enum dh_group {
	DH_NONE = 0,
	DH_MODP_768 = 1,	/* RFC 7296 appendix B.1 (RFC 2409 6.1), legacy */
	DH_MODP_1024 = 2,	/* RFC 7296 appendix B.2 (RFC 2409 6.2), legacy */
	DH_MODP_1536 = 5,	/* RFC 3526 s. 2, legacy */
	DH_MODP_2048 = 14,	/* RFC 3526 s. 3 */
	DH_MODP_3072 = 15,	/* RFC 3526 s. 4 */
	DH_MODP_4096 = 16,	/* RFC 3526 s. 5 */
	DH_MODP_6144 = 17,	/* RFC 3526 s. 6 */
	DH_MODP_8192 = 18,	/* RFC 3526 s. 7 */
	DH_ECP_256 = 19,	/* RFC 5903 */
	DH_ECP_384 = 20,	/* RFC 5903 */
	DH_ECP_521 = 21,	/* RFC 5903 */
	DH_CURVE25519 = 31,	/* RFC 8031 */
};

/* One party's side of an exchange: its private value and public value. */
struct dh;

/* Facts about a group; all are false/0/"unknown" for a number we do not
 * implement. */
bool		 dh_supported(uint16_t group);
bool		 dh_is_legacy(uint16_t group);	/* needs CRYPTO_F_LEGACY */
size_t		 dh_public_len(uint16_t group);	/* KE payload data octets */
size_t		 dh_secret_len(uint16_t group);	/* g^ir octets */
const char	*dh_name(uint16_t group);	/* "MODP_2048", "ECP_256", ... */

/* New key pair with a fresh random private value.  flags: CRYPTO_F_LEGACY
 * to allow groups 1, 2 and 5.  Returns IKE_EUNSUPP for an unknown or
 * (without the flag) legacy group.  Caller frees with dh_free(). */
int	 dh_new(uint16_t group, unsigned int flags, struct dh **out);
/* The same with a given private value, big-endian (for known-answer tests
 * and for importing a key): MODP 1 < x < p - 1, ECP 0 < d < order,
 * X25519 32 octets.  A value out of range gives IKE_EINVAL. */
int	 dh_new_private(uint16_t group, unsigned int flags,
	    const uint8_t *priv, size_t len, struct dh **out);
/* Wipes the private value and frees; NULL is fine. */
void	 dh_free(struct dh *);

uint16_t dh_group_of(const struct dh *);
/* Our public value, borrowed until dh_free(); *len is dh_public_len(). */
const uint8_t *dh_public(const struct dh *, size_t *len);

/* Checks a peer's public value for the group without using any private
 * value: 0 or IKE_EMALFORMED (IKE_EUNSUPP for an unknown group). */
int	 dh_check_public(uint16_t group, const uint8_t *peer, size_t len);
/* Checks the peer's public value and computes the shared secret g^ir.
 * Returns 0 and a new key of dh_secret_len() octets (caller frees with
 * ike_key_free()), IKE_EMALFORMED for a refused peer value, IKE_ENOMEM. */
int	 dh_compute(const struct dh *, const uint8_t *peer, size_t len,
	    struct ike_key **secret);

#endif
