/* IKEv2 SKEYSEED, SK_* and KEYMAT (RFC 7296 s. 2.13-2.18). */
#include "kdf.h"

#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "core/err.h"
#include "crypto.h"
#include "integ.h"
#include "prf.h"

#define XCBC_NONCE_PART	8	/* RFC 7296 s. 2.14: 64 bits of each nonce */
#define KDF_MAX_KEY	1024	/* far above any key; keeps sums small */

static bool
bytes_ok(const void *p, size_t len)
{
	return p != NULL || len == 0;
}

/* *out = prf(key, v...) as a new key. */
static int
kdf_prf(uint16_t id, unsigned int flags, const uint8_t *key, size_t klen,
    const struct crypto_iov *v, size_t n, struct ike_key **out)
{
	struct prf *p;
	struct ike_key *k = NULL;
	int rc;

	if ((rc = prf_new(id, flags, key, klen, &p)) != 0)
		return rc;
	if ((rc = ike_key_new(prf_out_len(id), &k)) == 0)
		rc = prf_compute(p, v, n, k->data, k->len);
	prf_free(p);
	if (rc != 0) {
		ike_key_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

/* *out = the first len octets of prf+(key, v...) as a new key. */
static int
kdf_prf_plus(uint16_t id, unsigned int flags, const struct ike_key *key,
    const struct crypto_iov *v, size_t n, size_t len, struct ike_key **out)
{
	struct prf *p;
	struct ike_key *k = NULL;
	int rc;

	if (key == NULL)
		return IKE_EINVAL;
	if ((rc = prf_new(id, flags, key->data, key->len, &p)) != 0)
		return rc;
	if ((rc = ike_key_new(len, &k)) == 0)
		rc = prf_plus(p, v, n, k->data, len);
	prf_free(p);
	if (rc != 0) {
		ike_key_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

int
kdf_ike_sizes(uint16_t prf, uint16_t encr, uint16_t key_bits, uint16_t integ,
    struct kdf_ike_sizes *out)
{
	struct cipher_info ci;
	struct integ_info ii;
	int rc;

	if (!prf_supported(prf))
		return IKE_EUNSUPP;
	if ((rc = cipher_info(encr, key_bits, &ci)) != 0 ||
	    (rc = integ_info(integ, &ii)) != 0)
		return rc;
	if (ci.aead != (integ == AUTH_NONE))
		return IKE_EINVAL;
	out->d = out->p = prf_key_len(prf);
	out->a = ii.key_len;
	out->e = ci.key_len;
	return 0;
}

int
kdf_skeyseed(uint16_t prf, unsigned int flags, const uint8_t *ni,
    size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *gir,
    size_t gir_len, struct ike_key **out)
{
	struct crypto_iov v = { gir, gir_len };
	struct ike_key *key;
	int rc;

	if (!bytes_ok(ni, ni_len) || !bytes_ok(nr, nr_len) ||
	    !bytes_ok(gir, gir_len))
		return IKE_EINVAL;
	if (prf == PRF_AES128_XCBC) {
		if (ni_len < XCBC_NONCE_PART || nr_len < XCBC_NONCE_PART)
			return IKE_EINVAL;
		ni_len = nr_len = XCBC_NONCE_PART;
	}
	if ((rc = ike_key_new(ni_len + nr_len, &key)) != 0)
		return rc;
	if (ni_len > 0)
		memcpy(key->data, ni, ni_len);
	if (nr_len > 0)
		memcpy(key->data + ni_len, nr, nr_len);
	rc = kdf_prf(prf, flags, key->data, key->len, &v, 1, out);
	ike_key_free(key);
	return rc;
}

int
kdf_skeyseed_rekey(uint16_t prf, unsigned int flags,
    const struct ike_key *old_sk_d, const uint8_t *gir, size_t gir_len,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    struct ike_key **out)
{
	struct crypto_iov v[3] = {
		{ gir, gir_len }, { ni, ni_len }, { nr, nr_len },
	};

	if (old_sk_d == NULL || !bytes_ok(gir, gir_len) ||
	    !bytes_ok(ni, ni_len) || !bytes_ok(nr, nr_len))
		return IKE_EINVAL;
	return kdf_prf(prf, flags, old_sk_d->data, old_sk_d->len, v, 3, out);
}

int
kdf_ike_dkm(uint16_t prf, unsigned int flags, const struct ike_key *skeyseed,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t spi_i[KDF_SPI_LEN], const uint8_t spi_r[KDF_SPI_LEN],
    size_t len, struct ike_key **out)
{
	struct crypto_iov v[4] = {
		{ ni, ni_len }, { nr, nr_len },
		{ spi_i, KDF_SPI_LEN }, { spi_r, KDF_SPI_LEN },
	};

	if (!bytes_ok(ni, ni_len) || !bytes_ok(nr, nr_len) ||
	    spi_i == NULL || spi_r == NULL)
		return IKE_EINVAL;
	return kdf_prf_plus(prf, flags, skeyseed, v, 4, len, out);
}

int
kdf_ike_keys(uint16_t prf, unsigned int flags, const struct ike_key *skeyseed,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t spi_i[KDF_SPI_LEN], const uint8_t spi_r[KDF_SPI_LEN],
    const struct kdf_ike_sizes *sz, struct kdf_ike_keys *out)
{
	struct ike_key *dkm;
	const uint8_t *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sz == NULL || sz->d == 0 || sz->e == 0 || sz->p == 0 ||
	    sz->d > KDF_MAX_KEY || sz->a > KDF_MAX_KEY ||
	    sz->e > KDF_MAX_KEY || sz->p > KDF_MAX_KEY)
		return IKE_EINVAL;
	if ((rc = kdf_ike_dkm(prf, flags, skeyseed, ni, ni_len, nr, nr_len,
	    spi_i, spi_r, sz->d + 2 * (sz->a + sz->e + sz->p), &dkm)) != 0)
		return rc;
	p = dkm->data;
	if ((rc = ike_key_cut(&p, sz->d, &out->sk_d)) != 0 ||
	    (rc = ike_key_cut(&p, sz->a, &out->sk_ai)) != 0 ||
	    (rc = ike_key_cut(&p, sz->a, &out->sk_ar)) != 0 ||
	    (rc = ike_key_cut(&p, sz->e, &out->sk_ei)) != 0 ||
	    (rc = ike_key_cut(&p, sz->e, &out->sk_er)) != 0 ||
	    (rc = ike_key_cut(&p, sz->p, &out->sk_pi)) != 0 ||
	    (rc = ike_key_cut(&p, sz->p, &out->sk_pr)) != 0)
		kdf_ike_keys_free(out);
	ike_key_free(dkm);
	return rc;
}

void
kdf_ike_keys_free(struct kdf_ike_keys *k)
{
	if (k == NULL)
		return;
	ike_key_free(k->sk_d);
	ike_key_free(k->sk_ai);
	ike_key_free(k->sk_ar);
	ike_key_free(k->sk_ei);
	ike_key_free(k->sk_er);
	ike_key_free(k->sk_pi);
	ike_key_free(k->sk_pr);
	memset(k, 0, sizeof(*k));
}

int
kdf_child_keymat(uint16_t prf, unsigned int flags, const struct ike_key *sk_d,
    const uint8_t *gir, size_t gir_len, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, size_t len, struct ike_key **out)
{
	struct crypto_iov v[3] = {
		{ gir, gir_len }, { ni, ni_len }, { nr, nr_len },
	};

	if (!bytes_ok(gir, gir_len) || !bytes_ok(ni, ni_len) ||
	    !bytes_ok(nr, nr_len))
		return IKE_EINVAL;
	return kdf_prf_plus(prf, flags, sk_d, v, 3, len, out);
}

int
kdf_child_keys(uint16_t prf, unsigned int flags, const struct ike_key *sk_d,
    const uint8_t *gir, size_t gir_len, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, size_t e_len, size_t a_len,
    struct kdf_child_keys *out)
{
	struct ike_key *km;
	const uint8_t *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (e_len == 0 || e_len > KDF_MAX_KEY || a_len > KDF_MAX_KEY)
		return IKE_EINVAL;
	if ((rc = kdf_child_keymat(prf, flags, sk_d, gir, gir_len, ni, ni_len,
	    nr, nr_len, 2 * (e_len + a_len), &km)) != 0)
		return rc;
	p = km->data;
	if ((rc = ike_key_cut(&p, e_len, &out->ei)) != 0 ||
	    (rc = ike_key_cut(&p, a_len, &out->ai)) != 0 ||
	    (rc = ike_key_cut(&p, e_len, &out->er)) != 0 ||
	    (rc = ike_key_cut(&p, a_len, &out->ar)) != 0)
		kdf_child_keys_free(out);
	ike_key_free(km);
	return rc;
}

void
kdf_child_keys_free(struct kdf_child_keys *k)
{
	if (k == NULL)
		return;
	ike_key_free(k->ei);
	ike_key_free(k->ai);
	ike_key_free(k->er);
	ike_key_free(k->ar);
	memset(k, 0, sizeof(*k));
}
