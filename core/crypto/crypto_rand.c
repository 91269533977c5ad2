#include "crypto_rand.h"

#include <stdint.h>

#include <openssl/rand.h>

#include "core/err.h"

int
crypto_rand_bytes(void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (buf == NULL)
		return IKE_EINVAL;
	/* BoringSSL's RAND_bytes always returns 1: on an entropy failure it
	 * aborts instead of returning. */
	(void)RAND_bytes(buf, len);
	return 0;
}
