/* core/crypto/hash.c: plain digests over BoringSSL. */
#include "core/crypto/hash.h"

#include <openssl/sha.h>

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
