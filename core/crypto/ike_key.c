#include "ike_key.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/mem.h>

#include "core/err.h"

int
ike_key_new(size_t len, struct ike_key **out)
{
	struct ike_key *k;

	if (len > SIZE_MAX - sizeof(*k))
		return IKE_EINVAL;
	if ((k = calloc(1, sizeof(*k) + len)) == NULL)
		return IKE_ENOMEM;
	k->len = len;
	*out = k;
	return 0;
}

int
ike_key_from(const void *p, size_t len, struct ike_key **out)
{
	struct ike_key *k;
	int rc;

	if (p == NULL && len > 0)
		return IKE_EINVAL;
	if ((rc = ike_key_new(len, &k)) != 0)
		return rc;
	if (len > 0)
		memcpy(k->data, p, len);
	*out = k;
	return 0;
}

int
ike_key_cut(const uint8_t **p, size_t len, struct ike_key **out)
{
	int rc;

	*out = NULL;
	if (len == 0)
		return 0;
	if ((rc = ike_key_from(*p, len, out)) != 0)
		return rc;
	*p += len;
	return 0;
}

void
ike_key_free(struct ike_key *k)
{
	if (k == NULL)
		return;
	OPENSSL_cleanse(k, sizeof(*k) + k->len);
	free(k);
}
