/* The IKE PRFs (HMAC with MD5, SHA-1, SHA-2; AES-XCBC-PRF-128) and prf+. */
#include "prf.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/digest.h>
#include <openssl/hmac.h>
#include <openssl/mem.h>

#include "core/err.h"
#include "xcbc_int.h"

struct prf_desc {
	uint16_t	  id;
	const char	 *name;
	bool		  legacy;
	size_t		  out_len;
	const EVP_MD	*(*md)(void);	/* NULL: AES-XCBC */
};

static const struct prf_desc prf_descs[] = {
	{ PRF_HMAC_MD5, "PRF_HMAC_MD5", true, 16, EVP_md5 },
	{ PRF_HMAC_SHA1, "PRF_HMAC_SHA1", false, 20, EVP_sha1 },
	{ PRF_AES128_XCBC, "PRF_AES128_XCBC", false, 16, NULL },
	{ PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256", false, 32, EVP_sha256 },
	{ PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384", false, 48, EVP_sha384 },
	{ PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512", false, 64, EVP_sha512 },
};

struct prf {
	const struct prf_desc	*d;
	HMAC_CTX		 hmac;	/* keyed; copied for each use */
	struct xcbc		 xcbc;
};

static const struct prf_desc *
prf_desc_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(prf_descs) / sizeof(prf_descs[0]); i++)
		if (prf_descs[i].id == id)
			return &prf_descs[i];
	return NULL;
}

bool
prf_supported(uint16_t id)
{
	return prf_desc_find(id) != NULL;
}

bool
prf_is_legacy(uint16_t id)
{
	const struct prf_desc *d = prf_desc_find(id);

	return d != NULL && d->legacy;
}

size_t
prf_out_len(uint16_t id)
{
	const struct prf_desc *d = prf_desc_find(id);

	return d == NULL ? 0 : d->out_len;
}

size_t
prf_key_len(uint16_t id)
{
	/* HMAC (RFC 2104 s. 3, RFC 4868 s. 2.1.2) and AES-XCBC (RFC 4434)
	 * both prefer a key as long as their output. */
	return prf_out_len(id);
}

const char *
prf_name(uint16_t id)
{
	const struct prf_desc *d = prf_desc_find(id);

	return d == NULL ? "unknown" : d->name;
}

int
prf_new(uint16_t id, unsigned int flags, const uint8_t *key, size_t keylen,
    struct prf **out)
{
	static const uint8_t nokey;
	const struct prf_desc *d;
	struct prf *p;
	int rc = 0;

	if ((d = prf_desc_find(id)) == NULL ||
	    (d->legacy && (flags & CRYPTO_F_LEGACY) == 0))
		return IKE_EUNSUPP;
	if (key == NULL && keylen > 0)
		return IKE_EINVAL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return IKE_ENOMEM;
	p->d = d;
	HMAC_CTX_init(&p->hmac);
	if (d->md == NULL)
		rc = xcbc_init_prf(&p->xcbc, key, keylen);
	else if (!HMAC_Init_ex(&p->hmac, key != NULL ? key : &nokey, keylen,
	    d->md(), NULL))
		rc = IKE_ENOMEM;
	if (rc != 0) {
		prf_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void
prf_free(struct prf *p)
{
	if (p == NULL)
		return;
	HMAC_CTX_cleanup(&p->hmac);	/* cleanses the key pads */
	xcbc_clear(&p->xcbc);
	free(p);
}

uint16_t
prf_id_of(const struct prf *p)
{
	return p->d->id;
}

static int
prf_hmac(const struct prf *p, const struct crypto_iov *v, size_t n,
    uint8_t *out)
{
	HMAC_CTX c;
	unsigned int len;
	size_t i;
	int ok;

	HMAC_CTX_init(&c);
	ok = HMAC_CTX_copy_ex(&c, &p->hmac);
	for (i = 0; ok && i < n; i++)
		if (v[i].len > 0)
			ok = HMAC_Update(&c, v[i].base, v[i].len);
	ok = ok && HMAC_Final(&c, out, &len) && len == p->d->out_len;
	HMAC_CTX_cleanup(&c);
	return ok ? 0 : IKE_ENOMEM;
}

int
prf_compute(const struct prf *p, const struct crypto_iov *v, size_t n,
    uint8_t *out, size_t outlen)
{
	size_t i;

	if (out == NULL || outlen != p->d->out_len || (v == NULL && n > 0))
		return IKE_EINVAL;
	for (i = 0; i < n; i++)
		if (v[i].base == NULL && v[i].len > 0)
			return IKE_EINVAL;
	if (p->d->md != NULL)
		return prf_hmac(p, v, n, out);
	xcbc_mac(&p->xcbc, v, n, out);
	return 0;
}

/* T(i) = prf(K, T(i-1) | S | i); the iov array is [T(i-1), S..., i]. */
static int
prf_plus_rounds(const struct prf *p, struct crypto_iov *iov, size_t n,
    uint8_t *out, size_t outlen)
{
	uint8_t t[PRF_MAX_OUT], ctr;
	size_t hl = p->d->out_len, done, take;
	int rc = 0;

	for (done = 0, ctr = 1; done < outlen; done += take, ctr++) {
		iov[0].base = t;
		iov[0].len = ctr == 1 ? 0 : hl;	/* T0 is empty */
		iov[n + 1].base = &ctr;
		iov[n + 1].len = 1;
		if ((rc = prf_compute(p, iov, n + 2, t, hl)) != 0)
			break;
		take = outlen - done < hl ? outlen - done : hl;
		memcpy(out + done, t, take);
	}
	OPENSSL_cleanse(t, sizeof(t));
	return rc;
}

int
prf_plus(const struct prf *p, const struct crypto_iov *v, size_t n,
    uint8_t *out, size_t outlen)
{
	struct crypto_iov *iov;
	int rc;

	if (out == NULL || (v == NULL && n > 0) || n > SIZE_MAX / 2 ||
	    outlen > PRF_PLUS_MAX_ROUNDS * p->d->out_len)
		return IKE_EINVAL;
	if ((iov = calloc(n + 2, sizeof(*iov))) == NULL)
		return IKE_ENOMEM;
	if (n > 0)
		memcpy(iov + 1, v, n * sizeof(*iov));
	rc = prf_plus_rounds(p, iov, n, out, outlen);
	free(iov);
	if (rc != 0)
		OPENSSL_cleanse(out, outlen);
	return rc;
}
