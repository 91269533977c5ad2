/* IKEv2 Security Association payload (RFC 7296 s. 3.3): proposals,
 * their transforms and the transforms' attributes.  The payload body is
 * nothing but proposals:
 *
 *  ~                          <Proposals>                          ~
 *
 * Decoding checks what s. 3.3 asks a parser to check: every length
 * against what contains it, "Last Substruc" against the position, Num
 * Transforms against the transforms present, proposal numbering (1, 2,
 * ... in a request; one proposal in a response) and SPI sizes (IKE: 0
 * in IKE_SA_INIT, 8 when rekeying; AH and ESP: 4).
 */
#include "core/codec/ikev2_pl_int.h"

#include "core/codec/ikev2.h"
#include "core/err.h"

/* ------------------------------------------------- s. 3.3.1 Proposal
 *  ! 0 (last) or 2 !   RESERVED    !         Proposal Length       !
 *  ! Proposal Num  !  Protocol ID  !    SPI Size   !Num  Transforms!
 *  ~                        SPI (variable)                         ~
 *  ~                        <Transforms>                           ~
 */
struct prop_wire {
	uint8_t		 last;
	uint16_t	 len;
	uint8_t		 num, proto, spi_size, nxf;
	uint64_t	 spi;
};

static const struct field prop_fields[] = {
	{ F_U8, offsetof(struct prop_wire, last), 0 },
	{ F_ZERO8, 0, 0 },
	{ F_LEN16, offsetof(struct prop_wire, len), 0 },
	{ F_U8, offsetof(struct prop_wire, num), 0 },
	{ F_U8, offsetof(struct prop_wire, proto), 0 },
	{ F_U8, offsetof(struct prop_wire, spi_size), 0 },
	{ F_U8, offsetof(struct prop_wire, nxf), 0 },
	{ F_SPI, offsetof(struct prop_wire, spi),
	    offsetof(struct prop_wire, spi_size) },
};
#define PROP_MIN	8

/* ------------------------------------------------ s. 3.3.2 Transform
 *  ! 0 (last) or 3 !   RESERVED    !        Transform Length       !
 *  !Transform Type !   RESERVED    !          Transform ID         !
 *  ~                      Transform Attributes                     ~
 */
struct xf_wire {
	uint8_t		 last;
	uint16_t	 len;
	uint8_t		 type;
	uint16_t	 id;
};

static const struct field xf_fields[] = {
	{ F_U8, offsetof(struct xf_wire, last), 0 },
	{ F_ZERO8, 0, 0 },
	{ F_LEN16, offsetof(struct xf_wire, len), 0 },
	{ F_U8, offsetof(struct xf_wire, type), 0 },
	{ F_ZERO8, 0, 0 },
	{ F_U16, offsetof(struct xf_wire, id), 0 },
};
#define XF_MIN		8

/* ------------------------------------------- s. 3.3.5 Transform Attribute
 *  !A!       Attribute Type        !    AF=0  Attribute Length     !
 *  !F!                             !    AF=1  Attribute Value      !
 *  ~             AF=0  Attribute Value    AF=1  Not Transmitted    ~
 * Key Length (14) is the RFC's only attribute, must be TV and may
 * appear once; others are kept for the proposal logic to judge, as is
 * whether a transform may carry a Key Length at all.
 */
static int
attr_dec(struct rd *r, struct dec_ctx *c, bool *has_key_len)
{
	struct ike_msg *m = c->msg;
	struct ike_attr *a;
	const uint8_t *at = r->p;
	uint16_t t, lv;

	if (m->nattr >= IKE_MSG_MAX_ATTRS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	if (rd_u16(r, &t) != 0 || rd_u16(r, &lv) != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH, at);
	a = &m->attr[m->nattr];
	a->type = t & ~IKEV2_ATTR_AF;
	a->tv = (t & IKEV2_ATTR_AF) != 0;
	a->value = a->tv ? lv : 0;
	a->data.p = NULL;
	a->data.len = 0;
	if (!a->tv && rd_slice(r, lv, &a->data) != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH, at);
	if (a->type == IKEV2_ATTR_KEY_LENGTH) {
		if (!a->tv || *has_key_len)
			return dec_fail(c, IKE_EMALFORMED, CODEC_ATTR, at);
		*has_key_len = true;
	}
	m->nattr++;
	return 0;
}

static int
xf_dec(struct rd *r, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct ike_xform *x;
	struct xf_wire w;
	struct rd sub;
	const uint8_t *at = r->p;
	bool has_key_len = false;
	int rc;

	if (m->nxf >= IKE_MSG_MAX_TRANSFORMS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	if ((rc = sub_open(r, 2, XF_MIN, &sub, c)) != 0 ||
	    (rc = fields_read(&sub, xf_fields, nitems(xf_fields), &w, c)) != 0)
		return rc;
	/* after sub_open(), r->left is what follows this transform */
	if (w.last != (r->left > 0 ? IKEV2_MORE_TRANSFORMS : IKEV2_LAST))
		return dec_fail(c, IKE_EMALFORMED, CODEC_LAST_MARKER, at);
	x = &m->xf[m->nxf];
	x->type = w.type;
	x->id = w.id;
	x->attr0 = (uint16_t)m->nattr;
	while (sub.left > 0)
		if ((rc = attr_dec(&sub, c, &has_key_len)) != 0)
			return rc;
	x->nattr = (uint16_t)(m->nattr - x->attr0);
	m->nxf++;
	return 0;
}

/* SPI sizes by protocol, and for IKE by exchange (s. 3.3.1). */
static bool
prop_spi_ok(const struct prop_wire *w, const struct dec_ctx *c)
{
	switch (w->proto) {
	case IKEV2_PROTO_IKE:
		if (c->exchange == IKEV2_EXCH_IKE_SA_INIT)
			return w->spi_size == 0;
		return w->spi_size == IKEV2_SPI_SIZE_IKE;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		return w->spi_size == IKEV2_SPI_SIZE_CHILD;
	}
	return false;
}

static int
prop_check(const struct prop_wire *w, struct dec_ctx *c, size_t index,
    bool more_follow, const uint8_t *at)
{
	if (w->last != (more_follow ? IKEV2_MORE_PROPOSALS : IKEV2_LAST))
		return dec_fail(c, IKE_EMALFORMED, CODEC_LAST_MARKER, at);
	if (w->num == 0 || (!c->response && w->num != index + 1))
		return dec_fail(c, IKE_EMALFORMED, CODEC_PROPOSAL_NUM, at);
	if (w->proto < IKEV2_PROTO_IKE || w->proto > IKEV2_PROTO_ESP)
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE, at);
	if (!prop_spi_ok(w, c))
		return dec_fail(c, IKE_EMALFORMED, CODEC_SPI_SIZE, at);
	if (w->nxf == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, at);
	return 0;
}

static int
prop_dec(struct rd *r, struct dec_ctx *c, size_t index)
{
	struct ike_msg *m = c->msg;
	struct ike_prop *p;
	struct prop_wire w;
	struct rd sub;
	const uint8_t *at = r->p;
	int rc;

	if (m->nprop >= IKE_MSG_MAX_PROPOSALS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	if ((rc = sub_open(r, 2, PROP_MIN, &sub, c)) != 0 ||
	    (rc = fields_read(&sub, prop_fields, nitems(prop_fields), &w,
	    c)) != 0 ||
	    (rc = prop_check(&w, c, index, r->left > 0, at)) != 0)
		return rc;
	p = &m->prop[m->nprop];
	p->num = w.num;
	p->proto = w.proto;
	p->spi_size = w.spi_size;
	p->spi = w.spi;
	p->xf0 = (uint16_t)m->nxf;
	while (sub.left > 0)
		if ((rc = xf_dec(&sub, c)) != 0)
			return rc;
	p->nxf = (uint16_t)(m->nxf - p->xf0);
	if (p->nxf != w.nxf)
		return dec_fail(c, IKE_EMALFORMED, CODEC_COUNT, at);
	m->nprop++;
	return 0;
}

static int
sa_sub_dec(struct rd *r, struct ike_pl *pl, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct pl_sa *sa = &pl->u.sa;
	size_t i;
	int rc;

	sa->prop0 = (uint16_t)m->nprop;
	for (i = 0; r->left > 0; i++)
		if ((rc = prop_dec(r, c, i)) != 0)
			return rc;
	sa->nprop = (uint16_t)(m->nprop - sa->prop0);
	if (sa->nprop == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	if (c->response && sa->nprop != 1)
		return dec_fail(c, IKE_EMALFORMED, CODEC_PROPOSAL_NUM,
		    pl->body.p);
	return 0;
}

static int
attrs_enc(struct wr *w, const struct ike_msg *m, const struct ike_xform *x)
{
	const struct ike_attr *a;
	size_t i;

	if ((size_t)x->attr0 + x->nattr > m->nattr)
		return IKE_EINVAL;
	for (i = 0; i < x->nattr; i++) {
		a = &m->attr[x->attr0 + i];
		if ((a->type & IKEV2_ATTR_AF) != 0)
			return IKE_EINVAL;
		if (a->tv) {
			wr_u16(w, a->type | IKEV2_ATTR_AF);
			wr_u16(w, a->value);
			continue;
		}
		if (a->data.len > UINT16_MAX ||
		    (a->data.p == NULL && a->data.len > 0))
			return IKE_EINVAL;
		wr_u16(w, a->type);
		wr_u16(w, (uint16_t)a->data.len);
		wr_bytes(w, a->data.p, a->data.len);
	}
	return 0;
}

static int
xf_enc(struct wr *w, const struct ike_msg *m, const struct ike_xform *x,
    bool last)
{
	struct xf_wire xw = { .last = last ? IKEV2_LAST : IKEV2_MORE_TRANSFORMS,
	    .type = x->type, .id = x->id };
	size_t start = w->len, mark;
	int rc;

	if ((rc = fields_write(w, xf_fields, nitems(xf_fields), &xw,
	    &mark)) != 0 || (rc = attrs_enc(w, m, x)) != 0)
		return rc;
	wr_patch16(w, mark, start);
	return 0;
}

static int
prop_enc(struct wr *w, const struct ike_msg *m, const struct ike_prop *p,
    bool last)
{
	struct prop_wire pw = { .last = last ? IKEV2_LAST :
	    IKEV2_MORE_PROPOSALS, .num = p->num, .proto = p->proto,
	    .spi_size = p->spi_size, .nxf = (uint8_t)p->nxf, .spi = p->spi };
	size_t start = w->len, mark, i;
	int rc;

	if (p->nxf == 0 || p->nxf > UINT8_MAX ||
	    (size_t)p->xf0 + p->nxf > m->nxf)
		return IKE_EINVAL;
	if ((rc = fields_write(w, prop_fields, nitems(prop_fields), &pw,
	    &mark)) != 0)
		return rc;
	for (i = 0; i < p->nxf; i++)
		if ((rc = xf_enc(w, m, &m->xf[p->xf0 + i],
		    i + 1 == p->nxf)) != 0)
			return rc;
	wr_patch16(w, mark, start);
	return 0;
}

static int
sa_sub_enc(struct wr *w, const struct ike_pl *pl, const struct ike_msg *m)
{
	const struct pl_sa *sa = &pl->u.sa;
	size_t i;
	int rc;

	if (sa->nprop == 0 || (size_t)sa->prop0 + sa->nprop > m->nprop)
		return IKE_EINVAL;
	for (i = 0; i < sa->nprop; i++)
		if ((rc = prop_enc(w, m, &m->prop[sa->prop0 + i],
		    i + 1 == sa->nprop)) != 0)
			return rc;
	return 0;
}

const struct pl_desc pl_sa_desc = {
	.type = IKEV2_PL_SA, .name = "SA", .min_len = 0,
	.sub_dec = sa_sub_dec, .sub_enc = sa_sub_enc,
};
