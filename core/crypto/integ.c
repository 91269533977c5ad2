/* Truncated HMACs and AES-XCBC-MAC-96 for SK payloads. */
#include "integ.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/digest.h>
#include <openssl/hmac.h>
#include <openssl/mem.h>

#include "core/err.h"
#include "xcbc_int.h"

struct integ_desc {
	uint16_t	  id;
	const char	 *name;
	bool		  legacy;
	size_t		  key_len;
	size_t		  icv_len;
	const EVP_MD	*(*md)(void);	/* NULL: AES-XCBC */
};

static const struct integ_desc integ_descs[] = {
	{ AUTH_NONE, "NONE", false, 0, 0, NULL },
	{ AUTH_HMAC_MD5_96, "AUTH_HMAC_MD5_96", true, 16, 12, EVP_md5 },
	{ AUTH_HMAC_SHA1_96, "AUTH_HMAC_SHA1_96", false, 20, 12, EVP_sha1 },
	{ AUTH_AES_XCBC_96, "AUTH_AES_XCBC_96", false, 16, 12, NULL },
	{ AUTH_HMAC_SHA2_256_128, "AUTH_HMAC_SHA2_256_128", false, 32, 16,
	  EVP_sha256 },
	{ AUTH_HMAC_SHA2_384_192, "AUTH_HMAC_SHA2_384_192", false, 48, 24,
	  EVP_sha384 },
	{ AUTH_HMAC_SHA2_512_256, "AUTH_HMAC_SHA2_512_256", false, 64, 32,
	  EVP_sha512 },
};

struct integ {
	const struct integ_desc	*d;
	HMAC_CTX		 hmac;	/* keyed; copied for each use */
	struct xcbc		 xcbc;
};

static const struct integ_desc *
integ_desc_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(integ_descs) / sizeof(integ_descs[0]); i++)
		if (integ_descs[i].id == id)
			return &integ_descs[i];
	return NULL;
}

int
integ_info(uint16_t id, struct integ_info *out)
{
	const struct integ_desc *d;

	if ((d = integ_desc_find(id)) == NULL)
		return IKE_EUNSUPP;
	out->key_len = d->key_len;
	out->icv_len = d->icv_len;
	out->legacy = d->legacy;
	return 0;
}

const char *
integ_name(uint16_t id)
{
	const struct integ_desc *d = integ_desc_find(id);

	return d == NULL ? "unknown" : d->name;
}

int
integ_new(uint16_t id, unsigned int flags, const uint8_t *key, size_t keylen,
    struct integ **out)
{
	const struct integ_desc *d;
	struct integ *g;
	int rc = 0;

	if ((d = integ_desc_find(id)) == NULL ||
	    (d->legacy && (flags & CRYPTO_F_LEGACY) == 0))
		return IKE_EUNSUPP;
	if (d->id == AUTH_NONE || key == NULL || keylen != d->key_len)
		return IKE_EINVAL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return IKE_ENOMEM;
	g->d = d;
	HMAC_CTX_init(&g->hmac);
	if (d->md == NULL)
		rc = xcbc_init(&g->xcbc, key, keylen);
	else if (!HMAC_Init_ex(&g->hmac, key, keylen, d->md(), NULL))
		rc = IKE_ENOMEM;
	if (rc != 0) {
		integ_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void
integ_free(struct integ *g)
{
	if (g == NULL)
		return;
	HMAC_CTX_cleanup(&g->hmac);
	xcbc_clear(&g->xcbc);
	free(g);
}

uint16_t
integ_id_of(const struct integ *g)
{
	return g->d->id;
}

size_t
integ_icv_len(const struct integ *g)
{
	return g->d->icv_len;
}

/* The untruncated MAC into mac[EVP_MAX_MD_SIZE]. */
static int
integ_mac(const struct integ *g, const struct crypto_iov *v, size_t n,
    uint8_t *mac)
{
	HMAC_CTX c;
	unsigned int len;
	size_t i;
	int ok;

	for (i = 0; i < n; i++)
		if (v[i].base == NULL && v[i].len > 0)
			return IKE_EINVAL;
	if (g->d->md == NULL) {
		xcbc_mac(&g->xcbc, v, n, mac);
		return 0;
	}
	HMAC_CTX_init(&c);
	ok = HMAC_CTX_copy_ex(&c, &g->hmac);
	for (i = 0; ok && i < n; i++)
		if (v[i].len > 0)
			ok = HMAC_Update(&c, v[i].base, v[i].len);
	ok = ok && HMAC_Final(&c, mac, &len);
	HMAC_CTX_cleanup(&c);
	return ok ? 0 : IKE_ENOMEM;
}

int
integ_sign(const struct integ *g, const struct crypto_iov *v, size_t n,
    uint8_t *icv, size_t icv_len)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	int rc;

	if (icv == NULL || icv_len != g->d->icv_len || (v == NULL && n > 0))
		return IKE_EINVAL;
	if ((rc = integ_mac(g, v, n, mac)) == 0)
		memcpy(icv, mac, icv_len);
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

int
integ_verify(const struct integ *g, const struct crypto_iov *v, size_t n,
    const uint8_t *icv, size_t icv_len)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	int rc;

	if (icv == NULL || icv_len != g->d->icv_len)
		return IKE_EMALFORMED;
	if (v == NULL && n > 0)
		return IKE_EINVAL;
	if ((rc = integ_mac(g, v, n, mac)) == 0 &&
	    CRYPTO_memcmp(mac, icv, icv_len) != 0)
		rc = IKE_EMALFORMED;
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}
