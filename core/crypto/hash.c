/* core/crypto/hash.c: plain digests over BoringSSL. */
#include "core/crypto/hash.h"

#include <openssl/digest.h>
#include <openssl/sha.h>

#include "core/crypto/prf.h"

#include "core/err.h"

int
crypto_sha1(const struct crypto_iov *v, size_t n, uint8_t out[HASH_SHA1_LEN])
{
	SHA_CTX ctx;
	size_t i;

	if (out == NULL)
		return IKE_EINVAL;
	for (i = 0; i < n; i++)
		if (v[i].base == NULL && v[i].len != 0)
			return IKE_EINVAL;
	SHA1_Init(&ctx);
	for (i = 0; i < n; i++)
		SHA1_Update(&ctx, v[i].base, v[i].len);
	SHA1_Final(out, &ctx);
	return 0;
}

static const EVP_MD *
hash_md(uint16_t prf)
{
	switch (prf) {
	case PRF_HMAC_MD5:
		return EVP_md5();
	case PRF_HMAC_SHA1:
		return EVP_sha1();
	case PRF_HMAC_SHA2_256:
		return EVP_sha256();
	case PRF_HMAC_SHA2_384:
		return EVP_sha384();
	case PRF_HMAC_SHA2_512:
		return EVP_sha512();
	}
	return NULL;
}

size_t
crypto_hash_len(uint16_t prf)
{
	const EVP_MD *md = hash_md(prf);

	return md == NULL ? 0 : EVP_MD_size(md);
}

int
crypto_hash(uint16_t prf, const struct crypto_iov *v, size_t n,
    uint8_t out[HASH_MAX_LEN], size_t *out_len)
{
	const EVP_MD *md = hash_md(prf);
	EVP_MD_CTX ctx;
	unsigned int len = 0;
	size_t i;
	int ok;

	if (out == NULL || out_len == NULL)
		return IKE_EINVAL;
	if (md == NULL)
		return IKE_EUNSUPP;
	for (i = 0; i < n; i++)
		if (v[i].base == NULL && v[i].len != 0)
			return IKE_EINVAL;
	EVP_MD_CTX_init(&ctx);
	ok = EVP_DigestInit_ex(&ctx, md, NULL);
	for (i = 0; ok && i < n; i++)
		if (v[i].len > 0)
			ok = EVP_DigestUpdate(&ctx, v[i].base, v[i].len);
	ok = ok && EVP_DigestFinal_ex(&ctx, out, &len);
	EVP_MD_CTX_cleanup(&ctx);
	if (!ok)
		return IKE_ENOMEM;
	*out_len = len;
	return 0;
}
