/* AES-XCBC-MAC-96's underlying 128-bit MAC, RFC 3566 s. 4. */
#include "xcbc_int.h"

#include <string.h>

#include <openssl/mem.h>

#include "core/err.h"

int
xcbc_init(struct xcbc *x, const uint8_t *key, size_t len)
{
	AES_KEY k;
	uint8_t c[XCBC_BLOCK], k1[XCBC_BLOCK];

	if (len != XCBC_BLOCK || AES_set_encrypt_key(key, 128, &k) != 0)
		return IKE_EINVAL;
	/* K1 = E(K, 0x01..01), K2 = E(K, 0x02..02), K3 = E(K, 0x03..03) */
	memset(c, 0x01, sizeof(c));
	AES_encrypt(c, k1, &k);
	memset(c, 0x02, sizeof(c));
	AES_encrypt(c, x->k2, &k);
	memset(c, 0x03, sizeof(c));
	AES_encrypt(c, x->k3, &k);
	(void)AES_set_encrypt_key(k1, 128, &x->k1);	/* 128 is valid */
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(k1, sizeof(k1));
	return 0;
}

int
xcbc_init_prf(struct xcbc *x, const uint8_t *key, size_t len)
{
	static const uint8_t zero[XCBC_BLOCK];
	struct crypto_iov v = { key, len };
	uint8_t k[XCBC_BLOCK];
	int rc;

	memset(k, 0, sizeof(k));
	if (len <= XCBC_BLOCK) {
		if (len > 0)
			memcpy(k, key, len);
	} else {
		if ((rc = xcbc_init(x, zero, sizeof(zero))) != 0)
			return rc;
		xcbc_mac(x, &v, 1, k);
	}
	rc = xcbc_init(x, k, sizeof(k));
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}

/* e = E(K1, e ^ blk) */
static void
xcbc_step(const struct xcbc *x, uint8_t *e, const uint8_t *blk)
{
	size_t i;

	for (i = 0; i < XCBC_BLOCK; i++)
		e[i] ^= blk[i];
	AES_encrypt(e, e, &x->k1);
}

void
xcbc_mac(const struct xcbc *x, const struct crypto_iov *v, size_t n,
    uint8_t out[XCBC_BLOCK])
{
	uint8_t e[XCBC_BLOCK], blk[XCBC_BLOCK];
	const uint8_t *p;
	size_t i, left, used = 0, take;

	memset(e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		p = v[i].base;
		for (left = v[i].len; left > 0; left -= take, p += take) {
			/* A full block is processed only once more data
			 * follows: the last block is treated specially. */
			if (used == XCBC_BLOCK) {
				xcbc_step(x, e, blk);
				used = 0;
			}
			take = XCBC_BLOCK - used < left ? XCBC_BLOCK - used : left;
			memcpy(blk + used, p, take);
			used += take;
		}
	}
	if (used == XCBC_BLOCK) {
		for (i = 0; i < XCBC_BLOCK; i++)
			blk[i] ^= x->k2[i];
	} else {
		/* pad with a single 1 bit and then 0 bits (RFC 3566 s. 4) */
		blk[used] = 0x80;
		memset(blk + used + 1, 0, XCBC_BLOCK - used - 1);
		for (i = 0; i < XCBC_BLOCK; i++)
			blk[i] ^= x->k3[i];
	}
	xcbc_step(x, e, blk);
	memcpy(out, e, XCBC_BLOCK);
	OPENSSL_cleanse(e, sizeof(e));
	OPENSSL_cleanse(blk, sizeof(blk));
}

void
xcbc_clear(struct xcbc *x)
{
	OPENSSL_cleanse(x, sizeof(*x));
}
