/* core/crypto/dh_int.h: internal to the dh module (dh.c and the three
 * families dh_modp.c, dh_ecp.c, dh_x25519.c).  Not an API. */
#ifndef IKE_DH_INT_H
#define IKE_DH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/base.h>

struct dh;
struct dh_desc;

/* What one family of groups does.  Each returns 0 or a negative IKE_E*. */
struct dh_family {
	/* Sets the private value (random when priv is NULL) and fills
	 * dh->pub with the public value. */
	int	(*init)(struct dh *, const uint8_t *priv, size_t len);
	/* Validates a peer public value of exactly d->pub_len octets. */
	int	(*check)(const struct dh_desc *, const uint8_t *peer);
	/* Validates, then writes d->secret_len octets of g^ir to out. */
	int	(*compute)(const struct dh *, const uint8_t *peer,
		    uint8_t *out);
	/* Wipes and frees the family's private state. */
	void	(*clear)(struct dh *);
};

struct dh_desc {
	uint16_t		 id;
	const char		*name;
	bool			 legacy;
	size_t			 pub_len;
	size_t			 secret_len;
	const char		*prime_hex;	/* MODP: the modulus */
	unsigned int		 exp_bits;	/* MODP: private exponent bits */
	int			 nid;		/* ECP: BoringSSL curve NID */
	const struct dh_family	*family;
};

struct dh {
	const struct dh_desc	*d;
	uint8_t			*pub;		/* owned, d->pub_len octets */
	BIGNUM			*p;		/* MODP modulus, owned */
	BIGNUM			*x;		/* MODP private exponent, owned */
	BN_MONT_CTX		*mont;		/* MODP, owned */
	EC_KEY			*ec;		/* ECP key pair, owned */
	uint8_t			 xpriv[32];	/* X25519 private key */
};

extern const struct dh_family dh_family_modp;
extern const struct dh_family dh_family_ecp;
extern const struct dh_family dh_family_x25519;

/* The MODP moduli, hex, from RFC 7296 appendix B and RFC 3526. */
extern const char dh_modp_768[], dh_modp_1024[], dh_modp_1536[],
    dh_modp_2048[], dh_modp_3072[], dh_modp_4096[], dh_modp_6144[],
    dh_modp_8192[];

#endif
