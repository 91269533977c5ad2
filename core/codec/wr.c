#include "wr.h"

#include <stdlib.h>
#include <string.h>

#include "../err.h"
#include "../secmem.h"

#define WR_DEFAULT_MAX	(16u << 20)

void
wr_init(struct wr *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max != 0 ? max : WR_DEFAULT_MAX;
}

void
wr_free(struct wr *w)
{
	if (w == NULL)
		return;
	if (w->buf != NULL) {
		secmem_wipe(w->buf, w->cap);
		free(w->buf);
	}
	memset(w, 0, sizeof(*w));
}

int
wr_error(const struct wr *w)
{
	return w->err;
}

static uint8_t *
wr_reserve(struct wr *w, size_t n)
{
	size_t ncap;
	uint8_t *nb;

	if (w->err != 0)
		return NULL;
	if (n > w->max - w->len) {
		w->err = IKE_ENOSPC;
		return NULL;
	}
	if (w->len + n > w->cap) {
		ncap = w->cap != 0 ? w->cap : 256;
		while (ncap < w->len + n)
			ncap *= 2;
		if ((nb = malloc(ncap)) == NULL) {
			w->err = IKE_ENOMEM;
			return NULL;
		}
		if (w->buf != NULL) {
			memcpy(nb, w->buf, w->len);
			secmem_wipe(w->buf, w->cap);
			free(w->buf);
		}
		w->buf = nb;
		w->cap = ncap;
	}
	nb = w->buf + w->len;
	w->len += n;
	return nb;
}

void
wr_bytes(struct wr *w, const void *p, size_t n)
{
	uint8_t *d;

	if (n == 0 || (d = wr_reserve(w, n)) == NULL)
		return;
	memcpy(d, p, n);
}

void
wr_u8(struct wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

void
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, sizeof(b));
}

void
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, sizeof(b));
}

void
wr_u64(struct wr *w, uint64_t v)
{
	wr_u32(w, (uint32_t)(v >> 32));
	wr_u32(w, (uint32_t)v);
}

size_t
wr_mark16(struct wr *w)
{
	size_t at = w->len;

	wr_u16(w, 0);
	return at;
}

size_t
wr_mark32(struct wr *w)
{
	size_t at = w->len;

	wr_u32(w, 0);
	return at;
}

void
wr_patch16(struct wr *w, size_t mark, size_t from)
{
	size_t n;

	if (w->err != 0)
		return;
	n = w->len - from;
	if (n > 0xffff) {
		w->err = IKE_ENOSPC;
		return;
	}
	w->buf[mark] = (uint8_t)(n >> 8);
	w->buf[mark + 1] = (uint8_t)n;
}

void
wr_patch32(struct wr *w, size_t mark, size_t from)
{
	size_t n;

	if (w->err != 0)
		return;
	n = w->len - from;
	if (n > 0xffffffffu) {
		w->err = IKE_ENOSPC;
		return;
	}
	w->buf[mark] = (uint8_t)(n >> 24);
	w->buf[mark + 1] = (uint8_t)(n >> 16);
	w->buf[mark + 2] = (uint8_t)(n >> 8);
	w->buf[mark + 3] = (uint8_t)n;
}
