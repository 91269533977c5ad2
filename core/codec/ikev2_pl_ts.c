/* IKEv2 Traffic Selector payloads, TSi and TSr (RFC 7296 s. 3.13). */
#include "core/codec/ikev2_pl_int.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/err.h"

/* ------------------------------------------------------------ s. 3.13
 *  ! Number of TSs !                 RESERVED                      !
 *  ~                       <Traffic Selectors>                     ~
 */
struct ts_wire {
	uint8_t		 count;
};

static const struct field ts_fields[] = {
	{ F_U8, offsetof(struct ts_wire, count), 0 },
	{ F_ZERO24, 0, 0 },
};

/* ---------------------------------------------------------- s. 3.13.1
 *  !   TS Type     !IP Protocol ID*|       Selector Length         |
 *  |           Start Port*         |           End Port*           |
 *  ~                         Starting Address*                     ~
 *  ~                         Ending Address*                       ~
 * (*) for TS_IPV4_ADDR_RANGE (16 octets) and TS_IPV6_ADDR_RANGE (40);
 * other types keep what follows Selector Length as raw octets.
 */
struct tsel_wire {
	uint8_t		 type, proto;
	uint16_t	 len;
};

static const struct field tsel_fields[] = {
	{ F_U8, offsetof(struct tsel_wire, type), 0 },
	{ F_U8, offsetof(struct tsel_wire, proto), 0 },
	{ F_LEN16, offsetof(struct tsel_wire, len), 0 },
};
#define TSEL_MIN	4

static const struct field tsel_port_fields[] = {
	{ F_U16, offsetof(struct ike_tsel, sport), 0 },
	{ F_U16, offsetof(struct ike_tsel, eport), 0 },
};

/* Address octets of a known selector type, 0 for others. */
static size_t
tsel_addr_len(uint8_t type)
{
	switch (type) {
	case IKEV2_TS_IPV4_ADDR_RANGE:
		return 4;
	case IKEV2_TS_IPV6_ADDR_RANGE:
		return 16;
	}
	return 0;
}

static int
tsel_addrs(struct rd *r, struct ike_tsel *t, size_t alen, uint16_t len,
    struct dec_ctx *c, const uint8_t *at)
{
	int rc;

	if (len != 8 + 2 * alen)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH, at);
	if ((rc = fields_read(r, tsel_port_fields, nitems(tsel_port_fields),
	    t, c)) != 0)
		return rc;
	if (rd_bytes(r, t->start, alen) != 0 || rd_bytes(r, t->end, alen) != 0)
		return dec_fail(c, IKE_ESHORT, CODEC_TRUNCATED, at);
	return 0;
}

static int
tsel_dec(struct rd *r, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct ike_tsel *t;
	struct tsel_wire w;
	struct rd sub;
	const uint8_t *at = r->p;
	size_t alen;
	int rc;

	if (m->nts >= IKE_MSG_MAX_TS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	if ((rc = sub_open(r, 2, TSEL_MIN, &sub, c)) != 0 ||
	    (rc = fields_read(&sub, tsel_fields, nitems(tsel_fields), &w,
	    c)) != 0)
		return rc;
	t = &m->ts[m->nts];
	memset(t, 0, sizeof(*t));
	t->type = w.type;
	t->proto = w.proto;
	if ((alen = tsel_addr_len(w.type)) == 0)
		rc = rd_slice(&sub, sub.left, &t->raw);
	else
		rc = tsel_addrs(&sub, t, alen, w.len, c, at);
	if (rc != 0)
		return rc;
	m->nts++;
	return 0;
}

static int
ts_sub_dec(struct rd *r, struct ike_pl *pl, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	struct pl_ts *ts = &pl->u.ts;
	struct ts_wire w;
	int rc;

	if ((rc = fields_read(r, ts_fields, nitems(ts_fields), &w, c)) != 0)
		return rc;
	ts->ts0 = (uint16_t)m->nts;
	while (r->left > 0)
		if ((rc = tsel_dec(r, c)) != 0)
			return rc;
	ts->nts = (uint16_t)(m->nts - ts->ts0);
	if (ts->nts == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	if (ts->nts != w.count)
		return dec_fail(c, IKE_EMALFORMED, CODEC_COUNT, pl->body.p);
	return 0;
}

static int
tsel_enc(struct wr *w, const struct ike_tsel *t)
{
	struct tsel_wire tw = { .type = t->type, .proto = t->proto };
	size_t start = w->len, mark, none, alen = tsel_addr_len(t->type);
	int rc;

	if ((rc = fields_write(w, tsel_fields, nitems(tsel_fields), &tw,
	    &mark)) != 0)
		return rc;
	if (alen == 0) {
		if (t->raw.p == NULL && t->raw.len > 0)
			return IKE_EINVAL;
		wr_bytes(w, t->raw.p, t->raw.len);
	} else {
		if ((rc = fields_write(w, tsel_port_fields,
		    nitems(tsel_port_fields), t, &none)) != 0)
			return rc;
		wr_bytes(w, t->start, alen);
		wr_bytes(w, t->end, alen);
	}
	wr_patch16(w, mark, start);
	return 0;
}

static int
ts_sub_enc(struct wr *w, const struct ike_pl *pl, const struct ike_msg *m)
{
	const struct pl_ts *ts = &pl->u.ts;
	struct ts_wire tw = { .count = (uint8_t)ts->nts };
	size_t mark, i;
	int rc;

	if (ts->nts == 0 || ts->nts > UINT8_MAX ||
	    (size_t)ts->ts0 + ts->nts > m->nts)
		return IKE_EINVAL;
	if ((rc = fields_write(w, ts_fields, nitems(ts_fields), &tw,
	    &mark)) != 0)
		return rc;
	for (i = 0; i < ts->nts; i++)
		if ((rc = tsel_enc(w, &m->ts[ts->ts0 + i])) != 0)
			return rc;
	return 0;
}

const struct pl_desc pl_tsi_desc = {
	.type = IKEV2_PL_TSI, .name = "TSi", .min_len = 4,
	.sub_dec = ts_sub_dec, .sub_enc = ts_sub_enc,
};
const struct pl_desc pl_tsr_desc = {
	.type = IKEV2_PL_TSR, .name = "TSr", .min_len = 4,
	.sub_dec = ts_sub_dec, .sub_enc = ts_sub_enc,
};
