/* IKEv2 Configuration payload (RFC 7296 s. 3.15). */
#include "core/codec/ikev2_pl_int.h"

#include "core/codec/ikev2.h"
#include "core/err.h"

/* ------------------------------------------------------------ s. 3.15
 *  !   CFG Type    !                    RESERVED                   !
 *  ~                   Configuration Attributes                    ~
 */
static const struct field cp_fields[] = {
	{ F_U8, offsetof(struct pl_cp, type), 0 },
	{ F_ZERO24, 0, 0 },
};

/* ---------------------------------------------------------- s. 3.15.1
 *  !R|         Attribute Type      !            Length             |
 *  ~                             Value                             ~
 * Length counts the Value only.  The lengths the RFC's table allows for
 * the attributes it defines (a request sends them empty):
 */
#define CP_ANY		0xff	/* any length */
#define CP_EVEN		0xfe	/* a list of 16-bit types */

static const struct {
	uint16_t	 type;
	uint8_t		 len;
} cp_lens[] = {
	{ IKEV2_CP_INTERNAL_IP4_ADDRESS,	4 },
	{ IKEV2_CP_INTERNAL_IP4_NETMASK,	4 },
	{ IKEV2_CP_INTERNAL_IP4_DNS,		4 },
	{ IKEV2_CP_INTERNAL_IP4_NBNS,		4 },
	{ IKEV2_CP_INTERNAL_IP4_DHCP,		4 },
	{ IKEV2_CP_APPLICATION_VERSION,		CP_ANY },
	{ IKEV2_CP_INTERNAL_IP6_ADDRESS,	17 },	/* address, prefix */
	{ IKEV2_CP_INTERNAL_IP6_DNS,		16 },
	{ IKEV2_CP_INTERNAL_IP6_DHCP,		16 },
	{ IKEV2_CP_INTERNAL_IP4_SUBNET,		8 },	/* address, mask */
	{ IKEV2_CP_SUPPORTED_ATTRIBUTES,	CP_EVEN },
	{ IKEV2_CP_INTERNAL_IP6_SUBNET,		17 },
};

static bool
cp_len_ok(uint16_t type, size_t len)
{
	size_t i;

	for (i = 0; i < nitems(cp_lens); i++) {
		if (cp_lens[i].type != type)
			continue;
		if (cp_lens[i].len == CP_ANY)
			return true;
		if (cp_lens[i].len == CP_EVEN)
			return len % 2 == 0;
		return len == 0 || len == cp_lens[i].len;
	}
	return true;		/* unknown: the exchange ignores it */
}

static int
cpattr_dec(struct rd *r, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct ike_cpattr *a;
	const uint8_t *at = r->p;
	uint16_t t, len;

	if (m->ncp >= IKE_MSG_MAX_CP_ATTRS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	a = &m->cp[m->ncp];
	if (rd_u16(r, &t) != 0 || rd_u16(r, &len) != 0 ||
	    rd_slice(r, len, &a->value) != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH, at);
	a->type = t & IKEV2_CP_ATTR_TYPE_MASK;
	if (!cp_len_ok(a->type, len))
		return dec_fail(c, IKE_EMALFORMED, CODEC_ATTR, at);
	m->ncp++;
	return 0;
}

static int
cp_sub_dec(struct rd *r, struct ike_pl *pl, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct pl_cp *cp = &pl->u.cp;
	int rc;

	cp->attr0 = (uint16_t)m->ncp;
	while (r->left > 0)
		if ((rc = cpattr_dec(r, c)) != 0)
			return rc;
	cp->nattr = (uint16_t)(m->ncp - cp->attr0);
	return 0;
}

static int
cp_sub_enc(struct wr *w, const struct ike_pl *pl, const struct ike_msg *m)
{
	const struct pl_cp *cp = &pl->u.cp;
	const struct ike_cpattr *a;
	size_t i;

	if ((size_t)cp->attr0 + cp->nattr > m->ncp)
		return IKE_EINVAL;
	for (i = 0; i < cp->nattr; i++) {
		a = &m->cp[cp->attr0 + i];
		if ((a->type & ~IKEV2_CP_ATTR_TYPE_MASK) != 0 ||
		    a->value.len > UINT16_MAX || !cp_len_ok(a->type,
		    a->value.len) || (a->value.p == NULL && a->value.len > 0))
			return IKE_EINVAL;
		wr_u16(w, a->type);
		wr_u16(w, (uint16_t)a->value.len);
		wr_bytes(w, a->value.p, a->value.len);
	}
	return 0;
}

/* CFG_REQUEST, CFG_REPLY, CFG_SET, CFG_ACK. */
static int
cp_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.cp.type < IKEV2_CFG_REQUEST || pl->u.cp.type > IKEV2_CFG_ACK)
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE, pl->body.p);
	return 0;
}

const struct pl_desc pl_cp_desc = {
	.type = IKEV2_PL_CP, .name = "CP", .min_len = 4,
	.fields = cp_fields, .nfields = nitems(cp_fields),
	.sub_dec = cp_sub_dec, .sub_enc = cp_sub_enc, .verify = cp_verify,
};
