/* The IKEv1 SA payload (RFC 2408 s. 3.4-3.6, RFC 2407 s. 4.6.1) with
 * its nested Proposal and Transform payloads and their data attributes
 * (s. 3.3).  Proposals and transforms have the generic payload header
 * of their own; their Next Payload is P (or T) while another follows
 * in the same SA (or proposal), NONE for the last.
 *
 *  SA:  !            Domain of Interpretation  (DOI)                   !
 *       ~                           Situation                          ~
 *  P:   !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 *       ~                        SPI (variable)                         ~
 *  T:   !  Transform #  !  Transform-Id !           RESERVED2           !
 *       ~                        SA Attributes                          ~
 *  Attr:!A!       Attribute Type        !    AF=0  Attribute Length     !
 *       !                               !    AF=1  Attribute Value      !
 *       ~                   AF=0  Attribute Value                       ~
 */
#include "core/codec/ikev1_pl_int.h"

#include <string.h>

#include "core/codec/ikev1.h"
#include "core/err.h"

#define SUB_MIN		8	/* generic header + the fixed 4 octets */

/* RFC 2407 s. 4.4: the SPI sizes each protocol may carry. */
static bool
spi_size_ok(uint8_t proto, size_t size)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		return size == 0 || size == IKEV1_SPI_MAX;
	case IKEV1_PROTO_AH:
	case IKEV1_PROTO_ESP:
		return size == 4;
	case IKEV1_PROTO_IPCOMP:
		return size == 2 || size == 4;
	}
	return false;
}

/* Reads a generic header whose Next Payload must be `more` or NONE;
 * opens a reader bounded by its length.  *last tells which it was. */
static int
sub_open(struct rd *r, uint8_t more, struct rd *sub, bool *last,
    struct v1_dctx *c)
{
	struct rd hdr = *r;
	uint8_t next, resv;
	uint16_t len;

	if (rd_u8(&hdr, &next) != 0 || rd_u8(&hdr, &resv) != 0 ||
	    rd_u16(&hdr, &len) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, r->p);
	if (len < SUB_MIN || len > r->left)
		return v1_fail(c, IKE_EMALFORMED, V1_SUB_LENGTH, r->p);
	if (next != more && next != IKEV1_PL_NONE)
		return v1_fail(c, IKE_EMALFORMED, V1_SUB_NEXT, r->p);
	if ((next == IKEV1_PL_NONE) != (len == r->left))
		return v1_fail(c, IKE_EMALFORMED, V1_SUB_NEXT, r->p);
	*last = next == IKEV1_PL_NONE;
	(void)rd_sub(r, len, sub);	/* len <= left: cannot fail */
	return rd_skip(sub, IKEV1_PL_HDR_LEN);
}

static int
attr_dec(struct rd *r, struct v1_dctx *c)
{
	struct v1_msg *m = c->msg;
	struct v1_attr a;
	const uint8_t *at = r->p;
	uint16_t t, v;

	memset(&a, 0, sizeof(a));
	if (m->nattr >= V1_MSG_MAX_ATTRS)
		return v1_fail(c, IKE_ENOSPC, V1_TOO_MANY, at);
	if (rd_u16(r, &t) != 0 || rd_u16(r, &v) != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_ATTR, at);
	a.type = t & (uint16_t)~IKEV1_ATTR_AF;
	a.tv = (t & IKEV1_ATTR_AF) != 0;
	if (a.tv)
		a.value = v;
	else if (rd_slice(r, v, &a.data) != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_ATTR, at);
	m->attr[m->nattr++] = a;
	return 0;
}

static int
xform_dec(struct rd *r, bool *last, struct v1_dctx *c)
{
	struct v1_msg *m = c->msg;
	struct v1_xform x;
	struct rd sub;
	const uint8_t *at = r->p;
	int rc;

	if ((rc = sub_open(r, IKEV1_PL_T, &sub, last, c)) != 0)
		return rc;
	if (m->nxf >= V1_MSG_MAX_TRANSFORMS)
		return v1_fail(c, IKE_ENOSPC, V1_TOO_MANY, at);
	memset(&x, 0, sizeof(x));
	if (rd_u8(&sub, &x.num) != 0 || rd_u8(&sub, &x.id) != 0 ||
	    rd_skip(&sub, 2) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, at);
	x.attr0 = (uint16_t)m->nattr;
	while (sub.left > 0)
		if ((rc = attr_dec(&sub, c)) != 0)
			return rc;
	x.nattr = (uint16_t)(m->nattr - x.attr0);
	m->xf[m->nxf++] = x;
	return 0;
}

static int
prop_dec(struct rd *r, bool *last, struct v1_dctx *c)
{
	struct v1_msg *m = c->msg;
	struct v1_prop p;
	struct rd sub;
	const uint8_t *at = r->p;
	uint8_t spi_size, ntr;
	bool xlast = false;
	int rc;

	if ((rc = sub_open(r, IKEV1_PL_P, &sub, last, c)) != 0)
		return rc;
	if (m->nprop >= V1_MSG_MAX_PROPOSALS)
		return v1_fail(c, IKE_ENOSPC, V1_TOO_MANY, at);
	memset(&p, 0, sizeof(p));
	if (rd_u8(&sub, &p.num) != 0 || rd_u8(&sub, &p.proto) != 0 ||
	    rd_u8(&sub, &spi_size) != 0 || rd_u8(&sub, &ntr) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, at);
	if (!spi_size_ok(p.proto, spi_size))
		return v1_fail(c, IKE_EMALFORMED, V1_SPI_SIZE, at);
	if (rd_slice(&sub, spi_size, &p.spi) != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_SUB_LENGTH, at);
	p.xf0 = (uint16_t)m->nxf;
	while (sub.left > 0 && !xlast)
		if ((rc = xform_dec(&sub, &xlast, c)) != 0)
			return rc;
	p.nxf = (uint16_t)(m->nxf - p.xf0);
	if (p.nxf == 0 || p.nxf != ntr)
		return v1_fail(c, IKE_EMALFORMED, V1_COUNT, at);
	m->prop[m->nprop++] = p;
	return 0;
}

static int
sa_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	struct v1_pl_sa *sa = &pl->u.sa;
	struct v1_msg *m = c->msg;
	const uint8_t *at = r->p;
	bool last = false;
	int rc;

	if (rd_u32(r, &sa->doi) != 0 || rd_u32(r, &sa->situation) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, at);
	if (sa->doi != IKEV1_DOI_IPSEC)
		return v1_fail(c, IKE_EUNSUPP, V1_DOI, at);
	if (sa->situation != IKEV1_SIT_IDENTITY_ONLY)
		return v1_fail(c, IKE_EUNSUPP, V1_SITUATION, at + 4);
	if (r->left == 0)
		return v1_fail(c, IKE_EMALFORMED, V1_EMPTY, r->p);
	sa->prop0 = (uint16_t)m->nprop;
	while (r->left > 0 && !last)
		if ((rc = prop_dec(r, &last, c)) != 0)
			return rc;
	sa->nprop = (uint16_t)(m->nprop - sa->prop0);
	return 0;
}

/* The rules on the decoded SA, also run by the encoder: proposal
 * numbers never decrease (equal numbers form a bundle, RFC 2408
 * s. 4.2); the rest the decoder checked along the way. */
static enum v1_why
sa_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_sa *sa = &pl->u.sa;
	const struct v1_prop *p;
	size_t i;

	if (sa->doi != IKEV1_DOI_IPSEC)
		return V1_DOI;
	if (sa->situation != IKEV1_SIT_IDENTITY_ONLY)
		return V1_SITUATION;
	if (sa->nprop == 0 || (size_t)sa->prop0 + sa->nprop > m->nprop)
		return V1_EMPTY;
	for (i = 0; i < sa->nprop; i++) {
		p = &m->prop[sa->prop0 + i];
		if (!spi_size_ok(p->proto, p->spi.len))
			return V1_SPI_SIZE;
		if (i > 0 && p->num < p[-1].num)
			return V1_PROPOSAL_NUM;
		if (p->nxf == 0 || p->nxf > 255 ||
		    (size_t)p->xf0 + p->nxf > m->nxf)
			return V1_COUNT;
	}
	return V1_OK;
}

static int
attr_enc(struct wr *w, const struct v1_attr *a)
{
	if (a->type & IKEV1_ATTR_AF)
		return IKE_EINVAL;
	if (a->tv) {
		wr_u16(w, a->type | IKEV1_ATTR_AF);
		wr_u16(w, a->value);
		return 0;
	}
	if (a->data.len > 0xffff || (a->data.p == NULL && a->data.len > 0))
		return IKE_EINVAL;
	wr_u16(w, a->type);
	wr_u16(w, (uint16_t)a->data.len);
	wr_bytes(w, a->data.p, a->data.len);
	return 0;
}

static int
xform_enc(struct wr *w, const struct v1_xform *x, bool last,
    const struct v1_msg *m)
{
	size_t start = w->len, mark, i;
	int rc;

	if ((size_t)x->attr0 + x->nattr > m->nattr)
		return IKE_EINVAL;
	wr_u8(w, last ? IKEV1_PL_NONE : IKEV1_PL_T);
	wr_u8(w, 0);
	mark = wr_mark16(w);
	wr_u8(w, x->num);
	wr_u8(w, x->id);
	wr_u16(w, 0);
	for (i = 0; i < x->nattr; i++)
		if ((rc = attr_enc(w, &m->attr[x->attr0 + i])) != 0)
			return rc;
	wr_patch16(w, mark, start);
	return 0;
}

static int
prop_enc(struct wr *w, const struct v1_prop *p, bool last,
    const struct v1_msg *m)
{
	size_t start = w->len, mark, i;
	int rc;

	if (p->spi.p == NULL && p->spi.len > 0)
		return IKE_EINVAL;
	wr_u8(w, last ? IKEV1_PL_NONE : IKEV1_PL_P);
	wr_u8(w, 0);
	mark = wr_mark16(w);
	wr_u8(w, p->num);
	wr_u8(w, p->proto);
	wr_u8(w, (uint8_t)p->spi.len);
	wr_u8(w, (uint8_t)p->nxf);
	wr_bytes(w, p->spi.p, p->spi.len);
	for (i = 0; i < p->nxf; i++)
		if ((rc = xform_enc(w, &m->xf[p->xf0 + i], i + 1 == p->nxf,
		    m)) != 0)
			return rc;
	wr_patch16(w, mark, start);
	return 0;
}

static int
sa_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_sa *sa = &pl->u.sa;
	size_t i;
	int rc;

	wr_u32(w, sa->doi);
	wr_u32(w, sa->situation);
	for (i = 0; i < sa->nprop; i++)
		if ((rc = prop_enc(w, &m->prop[sa->prop0 + i],
		    i + 1 == sa->nprop, m)) != 0)
			return rc;
	return 0;
}

const struct v1_pl_desc v1_sa_desc = {
	.type = IKEV1_PL_SA, .name = "SA", .min_len = 8,
	.dec = sa_dec, .verify = sa_verify, .enc = sa_enc,
};
