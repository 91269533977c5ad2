/* The group table and the calls common to every family. */
#include "dh.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/nid.h>

#include "core/err.h"
#include "crypto.h"
#include "dh_int.h"

#define MODP(num, nm, leg, octets, hex, bits)				\
	{ .id = (num), .name = (nm), .legacy = (leg), .pub_len = (octets), \
	  .secret_len = (octets), .prime_hex = (hex), .exp_bits = (bits), \
	  .family = &dh_family_modp }
#define ECP(num, nm, coord, curve)					\
	{ .id = (num), .name = (nm), .pub_len = 2 * (coord),		\
	  .secret_len = (coord), .nid = (curve), .family = &dh_family_ecp }

/* Exponent sizes: see the table in dh.h (RFC 3526 s. 8). */
static const struct dh_desc dh_groups[] = {
	MODP(DH_MODP_768, "MODP_768", true, 96, dh_modp_768, 160),
	MODP(DH_MODP_1024, "MODP_1024", true, 128, dh_modp_1024, 160),
	MODP(DH_MODP_1536, "MODP_1536", true, 192, dh_modp_1536, 240),
	MODP(DH_MODP_2048, "MODP_2048", false, 256, dh_modp_2048, 320),
	MODP(DH_MODP_3072, "MODP_3072", false, 384, dh_modp_3072, 420),
	MODP(DH_MODP_4096, "MODP_4096", false, 512, dh_modp_4096, 480),
	MODP(DH_MODP_6144, "MODP_6144", false, 768, dh_modp_6144, 540),
	MODP(DH_MODP_8192, "MODP_8192", false, 1024, dh_modp_8192, 620),
	ECP(DH_ECP_256, "ECP_256", 32, NID_X9_62_prime256v1),
	ECP(DH_ECP_384, "ECP_384", 48, NID_secp384r1),
	ECP(DH_ECP_521, "ECP_521", 66, NID_secp521r1),
	{ .id = DH_CURVE25519, .name = "CURVE_25519", .pub_len = 32,
	  .secret_len = 32, .family = &dh_family_x25519 },
};

static const struct dh_desc *
dh_desc_find(uint16_t group)
{
	size_t i;

	for (i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].id == group)
			return &dh_groups[i];
	return NULL;
}

bool
dh_supported(uint16_t group)
{
	return dh_desc_find(group) != NULL;
}

bool
dh_is_legacy(uint16_t group)
{
	const struct dh_desc *d = dh_desc_find(group);

	return d != NULL && d->legacy;
}

size_t
dh_public_len(uint16_t group)
{
	const struct dh_desc *d = dh_desc_find(group);

	return d == NULL ? 0 : d->pub_len;
}

size_t
dh_secret_len(uint16_t group)
{
	const struct dh_desc *d = dh_desc_find(group);

	return d == NULL ? 0 : d->secret_len;
}

const char *
dh_name(uint16_t group)
{
	const struct dh_desc *d = dh_desc_find(group);

	return d == NULL ? "unknown" : d->name;
}

/* The group's descriptor if the caller may use it. */
static int
dh_desc_allowed(uint16_t group, unsigned int flags,
    const struct dh_desc **out)
{
	const struct dh_desc *d;

	if ((d = dh_desc_find(group)) == NULL)
		return IKE_EUNSUPP;
	if (d->legacy && (flags & CRYPTO_F_LEGACY) == 0)
		return IKE_EUNSUPP;
	*out = d;
	return 0;
}

static int
dh_create(uint16_t group, unsigned int flags, const uint8_t *priv,
    size_t len, struct dh **out)
{
	const struct dh_desc *d;
	struct dh *dh;
	int rc;

	if ((rc = dh_desc_allowed(group, flags, &d)) != 0)
		return rc;
	if ((dh = calloc(1, sizeof(*dh))) == NULL)
		return IKE_ENOMEM;
	dh->d = d;
	if ((dh->pub = calloc(1, d->pub_len)) == NULL) {
		free(dh);
		return IKE_ENOMEM;
	}
	if ((rc = d->family->init(dh, priv, len)) != 0) {
		dh_free(dh);
		return rc;
	}
	*out = dh;
	return 0;
}

int
dh_new(uint16_t group, unsigned int flags, struct dh **out)
{
	return dh_create(group, flags, NULL, 0, out);
}

int
dh_new_private(uint16_t group, unsigned int flags, const uint8_t *priv,
    size_t len, struct dh **out)
{
	if (priv == NULL || len == 0)
		return IKE_EINVAL;
	return dh_create(group, flags, priv, len, out);
}

void
dh_free(struct dh *dh)
{
	if (dh == NULL)
		return;
	dh->d->family->clear(dh);
	free(dh->pub);
	free(dh);
}

uint16_t
dh_group_of(const struct dh *dh)
{
	return dh->d->id;
}

const uint8_t *
dh_public(const struct dh *dh, size_t *len)
{
	*len = dh->d->pub_len;
	return dh->pub;
}

int
dh_check_public(uint16_t group, const uint8_t *peer, size_t len)
{
	const struct dh_desc *d;

	if ((d = dh_desc_find(group)) == NULL)
		return IKE_EUNSUPP;
	if (peer == NULL || len != d->pub_len)
		return IKE_EMALFORMED;
	return d->family->check(d, peer);
}

int
dh_compute(const struct dh *dh, const uint8_t *peer, size_t len,
    struct ike_key **secret)
{
	struct ike_key *k;
	int rc;

	if (peer == NULL || len != dh->d->pub_len)
		return IKE_EMALFORMED;
	if ((rc = ike_key_new(dh->d->secret_len, &k)) != 0)
		return rc;
	if ((rc = dh->d->family->compute(dh, peer, k->data)) != 0) {
		ike_key_free(k);
		return rc;
	}
	*secret = k;
	return 0;
}
