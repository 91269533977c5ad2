/* Building IKEv1 messages to encode, and looking things up in decoded
 * ones (ikev1_msg.h).  The builders keep each owner's range of
 * proposals, transforms and attributes contiguous, as the decoder
 * leaves them. */
#include "core/codec/ikev1_msg.h"

#include <string.h>

#include "core/codec/ikev1.h"
#include "core/err.h"

int
v1_attr_value(const struct v1_attr *a, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (a->tv) {
		*out = a->value;
		return 0;
	}
	if (a->data.len == 0 || a->data.len > sizeof(v) || a->data.p == NULL)
		return IKE_EMALFORMED;
	for (i = 0; i < a->data.len; i++)
		v = v << 8 | a->data.p[i];
	*out = v;
	return 0;
}

const struct v1_pl *
v1_msg_find(const struct v1_msg *m, uint8_t type, const struct v1_pl *after)
{
	size_t i = 0;

	if (after != NULL) {
		if (after < m->pl || after >= m->pl + m->npl)
			return NULL;
		i = (size_t)(after - m->pl) + 1;
	}
	for (; i < m->npl; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

const struct v1_pl *
v1_msg_notify(const struct v1_msg *m, uint16_t ntype)
{
	const struct v1_pl *pl = NULL;

	while ((pl = v1_msg_find(m, IKEV1_PL_N, pl)) != NULL)
		if (pl->u.notify.type == ntype)
			return pl;
	return NULL;
}

void
v1_msg_init(struct v1_msg *m, const struct v1_hdr *h)
{
	memset(m, 0, sizeof(*m));
	if (h != NULL)
		m->hdr = *h;
}

int
v1_msg_add(struct v1_msg *m, uint8_t type, struct v1_pl **out)
{
	struct v1_pl *pl;

	if (m->npl >= V1_MSG_MAX_PAYLOADS)
		return IKE_ENOSPC;
	pl = &m->pl[m->npl++];
	memset(pl, 0, sizeof(*pl));
	pl->type = type;
	if (type == IKEV1_PL_SA)
		pl->u.sa.prop0 = (uint16_t)m->nprop;
	*out = pl;
	return 0;
}

int
v1_msg_add_prop(struct v1_msg *m, struct v1_pl *sa, uint8_t num,
    uint8_t proto, const uint8_t *spi, size_t spi_len)
{
	struct v1_prop *p;

	if (m->npl == 0 || sa != &m->pl[m->npl - 1] ||
	    sa->type != IKEV1_PL_SA ||
	    (size_t)sa->u.sa.prop0 + sa->u.sa.nprop != m->nprop ||
	    spi_len > IKEV1_SPI_MAX || (spi == NULL && spi_len > 0))
		return IKE_EINVAL;
	if (m->nprop >= V1_MSG_MAX_PROPOSALS)
		return IKE_ENOSPC;
	p = &m->prop[m->nprop++];
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->proto = proto;
	p->spi.p = spi;
	p->spi.len = spi_len;
	p->xf0 = (uint16_t)m->nxf;
	sa->u.sa.nprop++;
	return 0;
}

int
v1_msg_add_xform(struct v1_msg *m, uint8_t num, uint8_t id)
{
	struct v1_prop *p;
	struct v1_xform *x;

	if (m->nprop == 0)
		return IKE_EINVAL;
	p = &m->prop[m->nprop - 1];
	if ((size_t)p->xf0 + p->nxf != m->nxf || p->nxf >= 255)
		return IKE_EINVAL;
	if (m->nxf >= V1_MSG_MAX_TRANSFORMS)
		return IKE_ENOSPC;
	x = &m->xf[m->nxf++];
	memset(x, 0, sizeof(*x));
	x->num = num;
	x->id = id;
	x->attr0 = (uint16_t)m->nattr;
	p->nxf++;
	return 0;
}

static int
attr_add(struct v1_msg *m, const struct v1_attr *a)
{
	struct v1_xform *x;

	if (m->nxf == 0 || (a->type & IKEV1_ATTR_AF) != 0)
		return IKE_EINVAL;
	x = &m->xf[m->nxf - 1];
	if ((size_t)x->attr0 + x->nattr != m->nattr)
		return IKE_EINVAL;
	if (m->nattr >= V1_MSG_MAX_ATTRS)
		return IKE_ENOSPC;
	m->attr[m->nattr++] = *a;
	x->nattr++;
	return 0;
}

int
v1_msg_add_attr_tv(struct v1_msg *m, uint16_t type, uint16_t value)
{
	struct v1_attr a = { .type = type, .tv = true, .value = value };

	return attr_add(m, &a);
}

int
v1_msg_add_attr_tlv(struct v1_msg *m, uint16_t type, const uint8_t *data,
    size_t len)
{
	struct v1_attr a = { .type = type, .tv = false };

	if (len > 0xffff || (data == NULL && len > 0))
		return IKE_EINVAL;
	a.data.p = data;
	a.data.len = len;
	return attr_add(m, &a);
}
