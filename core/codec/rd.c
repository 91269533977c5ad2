#include "rd.h"

#include <string.h>

#include "../err.h"

void
rd_init(struct rd *r, const void *buf, size_t len)
{
	r->p = buf;
	r->left = buf != NULL ? len : 0;
}

int
rd_slice(struct rd *r, size_t n, struct ike_slice *out)
{
	if (n > r->left)
		return IKE_ESHORT;
	out->p = r->p;
	out->len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

int
rd_bytes(struct rd *r, void *dst, size_t n)
{
	struct ike_slice s;
	int rc;

	if ((rc = rd_slice(r, n, &s)) != 0)
		return rc;
	if (n > 0)
		memcpy(dst, s.p, n);
	return 0;
}

int
rd_skip(struct rd *r, size_t n)
{
	struct ike_slice s;

	return rd_slice(r, n, &s);
}

int
rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	struct ike_slice s;
	int rc;

	if ((rc = rd_slice(r, n, &s)) != 0)
		return rc;
	sub->p = s.p;
	sub->left = s.len;
	return 0;
}

int
rd_u8(struct rd *r, uint8_t *v)
{
	return rd_bytes(r, v, 1);
}

int
rd_u16(struct rd *r, uint16_t *v)
{
	uint8_t b[2];
	int rc;

	if ((rc = rd_bytes(r, b, sizeof(b))) != 0)
		return rc;
	*v = (uint16_t)((uint16_t)b[0] << 8 | b[1]);
	return 0;
}

int
rd_u32(struct rd *r, uint32_t *v)
{
	uint8_t b[4];
	int rc;

	if ((rc = rd_bytes(r, b, sizeof(b))) != 0)
		return rc;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int
rd_u64(struct rd *r, uint64_t *v)
{
	uint32_t hi, lo;
	struct rd save = *r;
	int rc;

	if ((rc = rd_u32(r, &hi)) != 0)
		return rc;
	if ((rc = rd_u32(r, &lo)) != 0) {
		*r = save;
		return rc;
	}
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}
