/* Building and querying struct ike_msg (core/codec/ikev2_msg.h): the
 * helpers that keep each payload's range of proposals, transforms,
 * attributes, selectors and configuration attributes contiguous. */
#include "core/codec/ikev2_msg.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/err.h"

void
ike_msg_init(struct ike_msg *m, const struct ike_hdr *hdr)
{
	memset(m, 0, sizeof(*m));
	if (hdr != NULL)
		m->hdr = *hdr;
}

int
ike_msg_add(struct ike_msg *m, uint8_t type, bool encrypted,
    struct ike_pl **out)
{
	struct ike_pl *pl;

	if (m->npl >= IKE_MSG_MAX_PAYLOADS)
		return IKE_ENOSPC;
	pl = &m->pl[m->npl++];
	memset(pl, 0, sizeof(*pl));
	pl->type = type;
	pl->encrypted = encrypted;
	switch (type) {
	case IKEV2_PL_SA:
		pl->u.sa.prop0 = (uint16_t)m->nprop;
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		pl->u.ts.ts0 = (uint16_t)m->nts;
		break;
	case IKEV2_PL_CP:
		pl->u.cp.attr0 = (uint16_t)m->ncp;
		break;
	}
	if (encrypted)
		m->inner = true;
	*out = pl;
	return 0;
}

int
ike_msg_add_prop(struct ike_msg *m, struct ike_pl *sa, uint8_t proto,
    uint8_t spi_size, uint64_t spi)
{
	struct ike_prop *p;

	if (sa->type != IKEV2_PL_SA ||
	    (size_t)sa->u.sa.prop0 + sa->u.sa.nprop != m->nprop)
		return IKE_EINVAL;
	if (m->nprop >= IKE_MSG_MAX_PROPOSALS)
		return IKE_ENOSPC;
	p = &m->prop[m->nprop++];
	memset(p, 0, sizeof(*p));
	p->num = (uint8_t)(++sa->u.sa.nprop);
	p->proto = proto;
	p->spi_size = spi_size;
	p->spi = spi;
	p->xf0 = (uint16_t)m->nxf;
	return 0;
}

int
ike_msg_add_xform(struct ike_msg *m, uint8_t type, uint16_t id,
    uint16_t key_bits)
{
	struct ike_prop *p;
	struct ike_xform *x;
	struct ike_attr *a;

	if (m->nprop == 0)
		return IKE_EINVAL;
	p = &m->prop[m->nprop - 1];
	if ((size_t)p->xf0 + p->nxf != m->nxf)
		return IKE_EINVAL;
	if (m->nxf >= IKE_MSG_MAX_TRANSFORMS ||
	    (key_bits != 0 && m->nattr >= IKE_MSG_MAX_ATTRS))
		return IKE_ENOSPC;
	x = &m->xf[m->nxf++];
	x->type = type;
	x->id = id;
	x->attr0 = (uint16_t)m->nattr;
	x->nattr = 0;
	if (key_bits != 0) {
		a = &m->attr[m->nattr++];
		memset(a, 0, sizeof(*a));
		a->type = IKEV2_ATTR_KEY_LENGTH;
		a->tv = true;
		a->value = key_bits;
		x->nattr = 1;
	}
	p->nxf++;
	return 0;
}

int
ike_msg_add_ts(struct ike_msg *m, struct ike_pl *ts,
    const struct ike_tsel *sel)
{
	if ((ts->type != IKEV2_PL_TSI && ts->type != IKEV2_PL_TSR) ||
	    (size_t)ts->u.ts.ts0 + ts->u.ts.nts != m->nts)
		return IKE_EINVAL;
	if (m->nts >= IKE_MSG_MAX_TS)
		return IKE_ENOSPC;
	m->ts[m->nts++] = *sel;
	ts->u.ts.nts++;
	return 0;
}

int
ike_msg_add_cpattr(struct ike_msg *m, struct ike_pl *cp, uint16_t type,
    const uint8_t *value, size_t len)
{
	struct ike_cpattr *a;

	if (cp->type != IKEV2_PL_CP ||
	    (size_t)cp->u.cp.attr0 + cp->u.cp.nattr != m->ncp)
		return IKE_EINVAL;
	if (m->ncp >= IKE_MSG_MAX_CP_ATTRS)
		return IKE_ENOSPC;
	a = &m->cp[m->ncp++];
	a->type = type;
	a->value.p = value;
	a->value.len = len;
	cp->u.cp.nattr++;
	return 0;
}

uint16_t
ike_xform_key_bits(const struct ike_msg *m, const struct ike_xform *x)
{
	const struct ike_attr *a;
	size_t i;

	for (i = 0; i < x->nattr && (size_t)x->attr0 + i < m->nattr; i++) {
		a = &m->attr[x->attr0 + i];
		if (a->type == IKEV2_ATTR_KEY_LENGTH && a->tv)
			return a->value;
	}
	return 0;
}

const struct ike_pl *
ike_msg_find(const struct ike_msg *m, uint8_t type, const struct ike_pl *after)
{
	size_t i = 0;

	if (after != NULL)
		i = (size_t)(after - m->pl) + 1;
	for (; i < m->npl; i++)
		if (m->pl[i].type == type && !m->pl[i].skipped)
			return &m->pl[i];
	return NULL;
}

const struct ike_pl *
ike_msg_notify(const struct ike_msg *m, uint16_t ntype)
{
	const struct ike_pl *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)) != NULL)
		if (pl->u.notify.type == ntype)
			return pl;
	return NULL;
}

int
ike_msg_delete_spi(const struct pl_delete *d, size_t i, uint32_t *spi)
{
	struct rd r;

	if (d->spi_size != IKEV2_SPI_SIZE_CHILD || i >= d->nspi)
		return IKE_EINVAL;
	rd_init(&r, d->spis.p, d->spis.len);
	if (rd_skip(&r, i * IKEV2_SPI_SIZE_CHILD) != 0)
		return IKE_ESHORT;
	return rd_u32(&r, spi);
}
