/* ECP groups 19, 20 and 21 (RFC 5903).  The KE payload carries x | y,
 * each coordinate left-padded to the field length and without the SEC 1
 * 0x04 prefix (RFC 5903 s. 7); the shared secret is the x coordinate of
 * the product (RFC 5903 s. 7), padded to the field length. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ec_key.h>
#include <openssl/ecdh.h>
#include <openssl/mem.h>

#include "core/err.h"
#include "dh_int.h"

#define ECP_MAX_POINT	(1 + 2 * 66)	/* 0x04 | x | y for P-521 */

/* The peer's x | y as a point; on-curve checked by EC_POINT_oct2point.
 * The encoding cannot express the point at infinity. */
static int
ecp_point(const struct dh_desc *d, const EC_GROUP *grp, const uint8_t *peer,
    EC_POINT **out)
{
	uint8_t buf[ECP_MAX_POINT];
	EC_POINT *pt;

	buf[0] = 0x04;
	memcpy(buf + 1, peer, d->pub_len);
	if ((pt = EC_POINT_new(grp)) == NULL)
		return IKE_ENOMEM;
	if (!EC_POINT_oct2point(grp, pt, buf, 1 + d->pub_len, NULL)) {
		EC_POINT_free(pt);
		return IKE_EMALFORMED;
	}
	*out = pt;
	return 0;
}

static int
ecp_check(const struct dh_desc *d, const uint8_t *peer)
{
	EC_GROUP *grp;
	EC_POINT *pt = NULL;
	int rc;

	if ((grp = EC_GROUP_new_by_curve_name(d->nid)) == NULL)
		return IKE_ENOMEM;
	rc = ecp_point(d, grp, peer, &pt);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return rc;
}

/* The caller's private scalar: 0 < d < order, and d * G as public key. */
static int
ecp_set_private(EC_KEY *key, const uint8_t *priv, size_t len)
{
	const EC_GROUP *grp = EC_KEY_get0_group(key);
	BIGNUM *d;
	EC_POINT *pub = NULL;
	int rc = IKE_EINVAL;

	if ((d = BN_bin2bn(priv, len, NULL)) == NULL)
		return IKE_ENOMEM;
	if (!BN_is_zero(d) && EC_KEY_set_private_key(key, d)) {
		rc = IKE_ENOMEM;
		if ((pub = EC_POINT_new(grp)) != NULL &&
		    EC_POINT_mul(grp, pub, d, NULL, NULL, NULL) &&
		    EC_KEY_set_public_key(key, pub))
			rc = 0;
	}
	EC_POINT_free(pub);
	BN_clear_free(d);
	return rc;
}

static int
ecp_init(struct dh *dh, const uint8_t *priv, size_t len)
{
	uint8_t buf[ECP_MAX_POINT];
	size_t n;
	int rc;

	if ((dh->ec = EC_KEY_new_by_curve_name(dh->d->nid)) == NULL)
		return IKE_ENOMEM;
	if (priv == NULL)
		rc = EC_KEY_generate_key(dh->ec) ? 0 : IKE_ENOMEM;
	else
		rc = ecp_set_private(dh->ec, priv, len);
	if (rc != 0)
		return rc;
	n = EC_POINT_point2oct(EC_KEY_get0_group(dh->ec),
	    EC_KEY_get0_public_key(dh->ec), POINT_CONVERSION_UNCOMPRESSED,
	    buf, sizeof(buf), NULL);
	if (n != 1 + dh->d->pub_len || buf[0] != 0x04)
		return IKE_ENOMEM;
	memcpy(dh->pub, buf + 1, dh->d->pub_len);
	return 0;
}

static int
ecp_compute(const struct dh *dh, const uint8_t *peer, uint8_t *out)
{
	EC_POINT *pt;
	int n, rc;

	if ((rc = ecp_point(dh->d, EC_KEY_get0_group(dh->ec), peer, &pt)) != 0)
		return rc;
	n = ECDH_compute_key(out, dh->d->secret_len, pt, dh->ec, NULL);
	EC_POINT_free(pt);
	if (n < 0 || (size_t)n != dh->d->secret_len) {
		OPENSSL_cleanse(out, dh->d->secret_len);
		return IKE_EMALFORMED;
	}
	return 0;
}

static void
ecp_clear(struct dh *dh)
{
	EC_KEY_free(dh->ec);	/* clears the private scalar */
}

const struct dh_family dh_family_ecp = {
	.init = ecp_init,
	.check = ecp_check,
	.compute = ecp_compute,
	.clear = ecp_clear,
};
