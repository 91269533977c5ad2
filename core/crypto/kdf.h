/* core/crypto/kdf.h: IKEv2 key derivation (RFC 7296 s. 2.13, 2.14, 2.17,
 * 2.18).  Every result is a new struct ike_key the caller frees with
 * ike_key_free() (or kdf_ike_keys_free() / kdf_child_keys_free()).
 *
 *   SKEYSEED = prf(Ni | Nr, g^ir)                           (2.14)
 *   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *            = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)        (2.14)
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)        (2.18 rekey)
 *   KEYMAT   = prf+(SK_d, Ni | Nr)                          (2.17)
 *   KEYMAT   = prf+(SK_d, g^ir (new) | Ni | Nr)             (2.17, PFS)
 *
 * For PRF_AES128_XCBC (a PRF with a fixed-size key) SKEYSEED is keyed
 * with the first 64 bits of Ni and the first 64 bits of Nr (RFC 7296
 * s. 2.14); prf+ still uses the whole nonces.
 *
 * prf and flags are as for prf_new() (CRYPTO_F_LEGACY for HMAC-MD5).
 * A key size above 1024 octets is refused with IKE_EINVAL.
 * The nonces, SPIs and g^ir are borrowed for the call. */
#ifndef IKE_KDF_H
#define IKE_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto/ike_key.h"

#define KDF_SPI_LEN	8

/* Lengths of the seven IKE SA keys, from the negotiated transforms. */
struct kdf_ike_sizes {
	size_t	d;	/* SK_d: the PRF's preferred key length */
	size_t	a;	/* SK_ai, SK_ar: integrity key (0 for an AEAD) */
	size_t	e;	/* SK_ei, SK_er: encryption key, salt included */
	size_t	p;	/* SK_pi, SK_pr: the PRF's preferred key length */
};

/* The seven keys; each owned.  sk_ai and sk_ar are NULL for an AEAD. */
struct kdf_ike_keys {
	struct ike_key	*sk_d, *sk_ai, *sk_ar, *sk_ei, *sk_er, *sk_pi, *sk_pr;
};

/* Child SA keys in KEYMAT order (RFC 7296 s. 2.17): initiator-to-
 * responder encryption, then integrity, then the same for responder-to-
 * initiator.  Integrity keys are NULL for an AEAD. */
struct kdf_child_keys {
	struct ike_key	*ei, *ai, *er, *ar;
};

/* Sizes for prf with encr (Key Length key_bits) and integ; integ must be
 * AUTH_NONE for an AEAD and must not be for a CBC cipher (IKE_EINVAL).
 * Used for the Child SA too: with ESP the d and p fields are unused. */
int	kdf_ike_sizes(uint16_t prf, uint16_t encr, uint16_t key_bits,
	    uint16_t integ, struct kdf_ike_sizes *out);

int	kdf_skeyseed(uint16_t prf, unsigned int flags, const uint8_t *ni,
	    size_t ni_len, const uint8_t *nr, size_t nr_len,
	    const uint8_t *gir, size_t gir_len, struct ike_key **out);
int	kdf_skeyseed_rekey(uint16_t prf, unsigned int flags,
	    const struct ike_key *old_sk_d, const uint8_t *gir, size_t gir_len,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    struct ike_key **out);

/* The raw prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr) stream of len octets
 * (the "DKM" of NIST SP 800-135).  IKE_EINVAL past 255 PRF rounds. */
int	kdf_ike_dkm(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyseed, const uint8_t *ni, size_t ni_len,
	    const uint8_t *nr, size_t nr_len, const uint8_t spi_i[KDF_SPI_LEN],
	    const uint8_t spi_r[KDF_SPI_LEN], size_t len, struct ike_key **out);
/* The same stream cut into the seven keys.  On failure *out is empty. */
int	kdf_ike_keys(uint16_t prf, unsigned int flags,
	    const struct ike_key *skeyseed, const uint8_t *ni, size_t ni_len,
	    const uint8_t *nr, size_t nr_len, const uint8_t spi_i[KDF_SPI_LEN],
	    const uint8_t spi_r[KDF_SPI_LEN], const struct kdf_ike_sizes *,
	    struct kdf_ike_keys *out);
/* Frees (wipes) every key and sets the pointers to NULL; NULL is fine. */
void	kdf_ike_keys_free(struct kdf_ike_keys *);

/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), len octets; gir may be
 * NULL (with gir_len 0) when the CREATE_CHILD_SA had no KE payloads. */
int	kdf_child_keymat(uint16_t prf, unsigned int flags,
	    const struct ike_key *sk_d, const uint8_t *gir, size_t gir_len,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    size_t len, struct ike_key **out);
/* KEYMAT cut into the four Child SA keys: e_len encryption and a_len
 * integrity octets per direction.  On failure *out is empty. */
int	kdf_child_keys(uint16_t prf, unsigned int flags,
	    const struct ike_key *sk_d, const uint8_t *gir, size_t gir_len,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    size_t e_len, size_t a_len, struct kdf_child_keys *out);
void	kdf_child_keys_free(struct kdf_child_keys *);

#endif
