/* Curve25519 (group 31, RFC 8031): X25519 of RFC 7748.  Public values
 * and the shared secret are 32 octets in the RFC 7748 little-endian
 * encoding. */
#include <string.h>

#include <openssl/curve25519.h>
#include <openssl/mem.h>

#include "core/err.h"
#include "dh_int.h"

static int
x25519_init(struct dh *dh, const uint8_t *priv, size_t len)
{
	if (priv == NULL) {
		X25519_keypair(dh->pub, dh->xpriv);
		return 0;
	}
	if (len != sizeof(dh->xpriv))
		return IKE_EINVAL;
	memcpy(dh->xpriv, priv, len);
	X25519_public_from_private(dh->pub, dh->xpriv);
	return 0;
}

/* Any 32 octets are a u-coordinate (RFC 7748 s. 5); the low-order
 * points are caught by the all-zero result in x25519_compute. */
static int
x25519_check(const struct dh_desc *d, const uint8_t *peer)
{
	(void)d;
	(void)peer;
	return 0;
}

static int
x25519_compute(const struct dh *dh, const uint8_t *peer, uint8_t *out)
{
	/* X25519() returns 0 when the result is all zero (RFC 7748 s. 6.1,
	 * RFC 8031 s. 2.3): a peer value of small order. */
	if (!X25519(out, dh->xpriv, peer)) {
		OPENSSL_cleanse(out, X25519_SHARED_KEY_LEN);
		return IKE_EMALFORMED;
	}
	return 0;
}

static void
x25519_clear(struct dh *dh)
{
	OPENSSL_cleanse(dh->xpriv, sizeof(dh->xpriv));
}

const struct dh_family dh_family_x25519 = {
	.init = x25519_init,
	.check = x25519_check,
	.compute = x25519_compute,
	.clear = x25519_clear,
};
