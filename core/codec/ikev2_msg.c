/* The IKEv2 message codec: the IKE header (RFC 7296 s. 3.1), the chain
 * of generic payload headers (s. 3.2), and the SK payload's boundaries
 * (s. 3.14).  Payload bodies are read and written by their descriptors
 * (ikev2_pl*.c). */
#include "core/codec/ikev2_msg.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/codec/ikev2_pl_int.h"
#include "core/err.h"

static const char *const why_str[CODEC_NWHY] = {
	[CODEC_OK] = "ok",
	[CODEC_TRUNCATED] = "truncated",
	[CODEC_HDR_LENGTH] = "header length is not the datagram length",
	[CODEC_VERSION_MAJOR] = "major version above 2",
	[CODEC_VERSION_OLD] = "major version below 2",
	[CODEC_PL_LENGTH] = "payload length out of range",
	[CODEC_CRITICAL] = "unsupported critical payload",
	[CODEC_TOO_MANY] = "too many payloads or substructures",
	[CODEC_SUB_LENGTH] = "substructure length out of range",
	[CODEC_LAST_MARKER] = "wrong last-substructure marker",
	[CODEC_PROPOSAL_NUM] = "wrong proposal number or count",
	[CODEC_COUNT] = "count disagrees with content",
	[CODEC_SPI_SIZE] = "wrong SPI size",
	[CODEC_ATTR] = "bad attribute",
	[CODEC_NONCE_LEN] = "nonce length outside 16..256",
	[CODEC_EMPTY] = "required content missing",
	[CODEC_BAD_VALUE] = "field value out of range",
	[CODEC_SK_PLACEMENT] = "encrypted payload misplaced",
	[CODEC_TRAILING] = "octets after the last payload",
	[CODEC_NO_SK] = "no encrypted payload to open",
};

const char *
codec_why_str(enum codec_why why)
{
	if ((unsigned)why >= CODEC_NWHY || why_str[why] == NULL)
		return "unknown";
	return why_str[why];
}

static bool
is_sk(uint8_t type)
{
	return type == IKEV2_PL_SK || type == IKEV2_PL_SKF;
}

/* ------------------------------------------------------ s. 3.1 header
 *  !                       IKE SA Initiator's SPI                  !
 *  !                       IKE SA Responder's SPI                  !
 *  !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 *  !                          Message ID                           !
 *  !                            Length                             !
 */
int
codec_peek_hdr(const uint8_t *buf, size_t len, struct ike_hdr *out)
{
	struct ike_hdr h;
	struct rd r;
	uint8_t ver;

	rd_init(&r, buf, len);
	if (rd_u64(&r, &h.spi_i) != 0 || rd_u64(&r, &h.spi_r) != 0 ||
	    rd_u8(&r, &h.next) != 0 || rd_u8(&r, &ver) != 0 ||
	    rd_u8(&r, &h.exchange) != 0 || rd_u8(&r, &h.flags) != 0 ||
	    rd_u32(&r, &h.msgid) != 0 || rd_u32(&r, &h.length) != 0)
		return IKE_ESHORT;
	h.major = ver >> 4;
	h.minor = ver & 0x0f;
	*out = h;
	return 0;
}

/* The version is judged before the length: a later major version may
 * frame its messages differently, and still deserves its answer. */
static int
hdr_dec(const uint8_t *buf, size_t len, struct ike_hdr *h, struct dec_ctx *c)
{
	if (codec_peek_hdr(buf, len, h) != 0)
		return dec_fail(c, IKE_ESHORT, CODEC_TRUNCATED,
		    buf != NULL ? buf + len : NULL);
	if (h->major > IKEV2_MAJOR)
		return dec_fail(c, IKE_EUNSUPP, CODEC_VERSION_MAJOR, buf + 17);
	if (h->major < IKEV2_MAJOR)
		return dec_fail(c, IKE_EUNSUPP, CODEC_VERSION_OLD, buf + 17);
	if (h->length != len)
		return dec_fail(c, IKE_EMALFORMED, CODEC_HDR_LENGTH, buf + 24);
	return 0;
}

/* ------------------------------------------------- s. 3.2 payload chain
 *  ! Next Payload  !C!  RESERVED   !         Payload Length        !
 */
static int
body_dec(const struct pl_desc *d, struct rd *body, struct ike_pl *pl,
    struct dec_ctx *c)
{
	int rc;

	if ((rc = fields_read(body, d->fields, d->nfields, &pl->u, c)) != 0)
		return rc;
	if (d->sub_dec != NULL && (rc = d->sub_dec(body, pl, c)) != 0)
		return rc;
	if (body->left != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_TRAILING, body->p);
	if (d->verify != NULL && (rc = d->verify(pl, c)) != 0)
		return rc;
	return 0;
}

static int
pl_dec(struct rd *r, uint8_t type, struct dec_ctx *c)
{
	struct ike_msg *m = c->msg;
	const struct pl_desc *d = pl_desc_find(type);
	const uint8_t *at = r->p;
	struct ike_pl *pl;
	struct rd hdr = *r, body;
	uint8_t next, flags;
	uint16_t len;
	int rc;

	c->pl_type = type;
	if (rd_u8(&hdr, &next) != 0 || rd_u8(&hdr, &flags) != 0 ||
	    rd_u16(&hdr, &len) != 0)
		return dec_fail(c, IKE_ESHORT, CODEC_TRUNCATED, at);
	if (len < IKEV2_PL_HDR_LEN + (d != NULL ? d->min_len : 0) ||
	    len > r->left)
		return dec_fail(c, IKE_EMALFORMED, CODEC_PL_LENGTH, at);
	if (d == NULL && (flags & IKEV2_PL_CRITICAL) != 0)
		return dec_fail(c, IKE_EUNSUPP, CODEC_CRITICAL, at);
	if (m->npl >= IKE_MSG_MAX_PAYLOADS)
		return dec_fail(c, IKE_ENOSPC, CODEC_TOO_MANY, at);
	*r = hdr;
	if (rd_sub(r, len - IKEV2_PL_HDR_LEN, &body) != 0)
		return dec_fail(c, IKE_ESHORT, CODEC_TRUNCATED, at);
	pl = &m->pl[m->npl];
	memset(pl, 0, sizeof(*pl));
	pl->type = type;
	pl->next = next;
	pl->critical = (flags & IKEV2_PL_CRITICAL) != 0;
	pl->encrypted = c->inner;
	pl->body.p = body.p;
	pl->body.len = body.left;
	if (d == NULL)
		pl->skipped = true;
	else if ((rc = body_dec(d, &body, pl, c)) != 0)
		return rc;
	m->npl++;
	return 0;
}

/* SK and SKF end the outer chain (their Next Payload names the first
 * inner payload) and never appear inside. */
static int
chain_dec(struct rd *r, uint8_t type, struct dec_ctx *c)
{
	int rc;

	while (type != IKEV2_PL_NONE) {
		if (c->inner && is_sk(type)) {
			c->pl_type = type;
			return dec_fail(c, IKE_EMALFORMED, CODEC_SK_PLACEMENT,
			    r->p);
		}
		if ((rc = pl_dec(r, type, c)) != 0)
			return rc;
		if (is_sk(type)) {
			if (r->left != 0)
				return dec_fail(c, IKE_EMALFORMED,
				    CODEC_SK_PLACEMENT, r->p);
			return 0;
		}
		type = c->msg->pl[c->msg->npl - 1].next;
	}
	if (r->left != 0) {
		c->pl_type = IKEV2_PL_NONE;
		return dec_fail(c, IKE_EMALFORMED, CODEC_TRAILING, r->p);
	}
	return 0;
}

static void
ctx_init(struct dec_ctx *c, struct ike_msg *m, struct codec_diag *diag,
    const uint8_t *base, bool inner)
{
	memset(c, 0, sizeof(*c));
	memset(diag, 0, sizeof(*diag));
	c->msg = m;
	c->diag = diag;
	c->base = base;
	c->exchange = m->hdr.exchange;
	c->response = (m->hdr.flags & IKEV2_F_RESPONSE) != 0;
	c->inner = inner;
}

int
codec_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
    struct codec_diag *diag)
{
	struct codec_diag local;
	struct dec_ctx c;
	struct rd r;
	int rc;

	memset(m, 0, sizeof(*m));
	ctx_init(&c, m, diag != NULL ? diag : &local, buf, false);
	if ((rc = hdr_dec(buf, len, &m->hdr, &c)) != 0)
		goto fail;
	c.exchange = m->hdr.exchange;
	c.response = (m->hdr.flags & IKEV2_F_RESPONSE) != 0;
	rd_init(&r, buf, len);
	if ((rc = rd_skip(&r, IKEV2_HDR_LEN)) != 0 ||
	    (rc = chain_dec(&r, m->hdr.next, &c)) != 0)
		goto fail;
	m->dgram.p = buf;
	m->dgram.len = len;
	return 0;
fail:
	memset(m, 0, sizeof(*m));
	return rc;
}

/* ----------------------------------------------- s. 3.14 SK payload */

static const struct ike_pl *
outer_sk(const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (!m->pl[i].encrypted && is_sk(m->pl[i].type))
			return &m->pl[i];
	return NULL;
}

int
codec_sk_view(const struct ike_msg *m, size_t iv_len, size_t icv_len,
    struct sk_view *out)
{
	const struct ike_pl *pl = outer_sk(m);
	struct ike_slice data;
	struct sk_view v;
	struct rd r;

	if (pl == NULL)
		return IKE_ENOTFOUND;
	data = pl->type == IKEV2_PL_SK ? pl->u.sk.data : pl->u.skf.data;
	if (m->dgram.p == NULL || data.p < m->dgram.p ||
	    iv_len > data.len || icv_len >= data.len - iv_len)
		return IKE_EMALFORMED;
	rd_init(&r, data.p, data.len);
	if (rd_slice(&r, iv_len, &v.iv) != 0 ||
	    rd_slice(&r, data.len - iv_len - icv_len, &v.ct) != 0 ||
	    rd_slice(&r, icv_len, &v.icv) != 0)
		return IKE_EMALFORMED;
	v.aad.p = m->dgram.p;
	v.aad.len = (size_t)(data.p - m->dgram.p);
	v.first = pl->next;
	*out = v;
	return 0;
}

int
codec_sk_unpad(const uint8_t *pt, size_t len, size_t *data_len)
{
	struct rd r;
	uint8_t pad;

	rd_init(&r, pt, len);
	if (len == 0 || rd_skip(&r, len - 1) != 0 || rd_u8(&r, &pad) != 0 ||
	    (size_t)pad + 1 > len)
		return IKE_EMALFORMED;
	*data_len = len - pad - 1;
	return 0;
}

struct msg_counts {
	size_t	npl, nprop, nxf, nattr, nts, ncp;
};

static void
counts_save(const struct ike_msg *m, struct msg_counts *s)
{
	s->npl = m->npl;
	s->nprop = m->nprop;
	s->nxf = m->nxf;
	s->nattr = m->nattr;
	s->nts = m->nts;
	s->ncp = m->ncp;
}

/* Back to the saved counts, the slots after them zeroed again (as
 * codec_decode() and the ike_msg_add*() helpers leave them). */
#define TAIL_CLEAR(arr, from) \
	memset(&(arr)[from], 0, sizeof(arr) - (from) * sizeof((arr)[0]))

static void
counts_restore(struct ike_msg *m, const struct msg_counts *s)
{
	m->npl = s->npl;
	m->nprop = s->nprop;
	m->nxf = s->nxf;
	m->nattr = s->nattr;
	m->nts = s->nts;
	m->ncp = s->ncp;
	TAIL_CLEAR(m->pl, s->npl);
	TAIL_CLEAR(m->prop, s->nprop);
	TAIL_CLEAR(m->xf, s->nxf);
	TAIL_CLEAR(m->attr, s->nattr);
	TAIL_CLEAR(m->ts, s->nts);
	TAIL_CLEAR(m->cp, s->ncp);
}

int
codec_decode_inner(struct ike_msg *m, uint8_t first, const uint8_t *data,
    size_t len, struct codec_diag *diag)
{
	struct codec_diag local;
	struct msg_counts saved;
	struct dec_ctx c;
	struct rd r;
	int rc;

	ctx_init(&c, m, diag != NULL ? diag : &local, data, true);
	if (outer_sk(m) == NULL)
		return dec_fail(&c, IKE_EINVAL, CODEC_NO_SK, NULL);
	if (m->inner)
		return dec_fail(&c, IKE_ESTATE, CODEC_NO_SK, NULL);
	counts_save(m, &saved);
	rd_init(&r, data, len);
	if ((rc = chain_dec(&r, first, &c)) != 0) {
		counts_restore(m, &saved);
		return rc;
	}
	m->inner = true;
	return 0;
}

/* ------------------------------------------------------------ encoding */

/* Runs a descriptor's verify() on a payload about to be written. */
static int
enc_verify(const struct pl_desc *d, const struct ike_pl *pl)
{
	struct codec_diag diag;
	struct dec_ctx c;

	if (d->verify == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.diag = &diag;
	return d->verify(pl, &c) != 0 ? IKE_EINVAL : 0;
}

static int
pl_enc(struct wr *w, const struct ike_msg *m, const struct ike_pl *pl,
    uint8_t next)
{
	const struct pl_desc *d = pl->skipped ? NULL : pl_desc_find(pl->type);
	size_t start = w->len, mark, none;
	int rc = 0;

	wr_u8(w, next);
	wr_u8(w, pl->critical ? IKEV2_PL_CRITICAL : 0);
	mark = wr_mark16(w);
	if (d == NULL) {
		if (pl->body.p == NULL && pl->body.len > 0)
			return IKE_EINVAL;
		wr_bytes(w, pl->body.p, pl->body.len);
	} else if ((rc = enc_verify(d, pl)) != 0 ||
	    (rc = fields_write(w, d->fields, d->nfields, &pl->u, &none)) != 0 ||
	    (d->sub_enc != NULL && (rc = d->sub_enc(w, pl, m)) != 0)) {
		return rc;
	}
	wr_patch16(w, mark, start);
	return 0;
}

/* The type of the payload after pl[i] in the same chain, or 0. */
static uint8_t
next_type(const struct ike_msg *m, size_t i, bool encrypted)
{
	for (i++; i < m->npl; i++)
		if (m->pl[i].encrypted == encrypted)
			return m->pl[i].type;
	return IKEV2_PL_NONE;
}

static uint8_t
first_type(const struct ike_msg *m, bool encrypted)
{
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].encrypted == encrypted)
			return m->pl[i].type;
	return IKEV2_PL_NONE;
}

static int
inner_enc(struct wr *w, const struct ike_msg *m)
{
	size_t i;
	int rc;

	for (i = 0; i < m->npl; i++) {
		if (!m->pl[i].encrypted)
			continue;
		if (is_sk(m->pl[i].type))
			return IKE_EINVAL;
		if ((rc = pl_enc(w, m, &m->pl[i], next_type(m, i, true))) != 0)
			return rc;
	}
	return 0;
}

int
codec_encode_inner(const struct ike_msg *m, struct wr *w, uint8_t *first)
{
	int rc;

	if ((rc = inner_enc(w, m)) != 0 || (rc = wr_error(w)) != 0)
		return rc;
	*first = first_type(m, true);
	return 0;
}

static void
wr_zeros(struct wr *w, size_t n)
{
	while (n-- > 0)
		wr_u8(w, 0);
}

/* Padding so that payloads, Padding and Pad Length fill whole blocks. */
static int
sk_pad(struct wr *w, size_t pt_off, size_t block)
{
	size_t n = w->len - pt_off, pad;

	if (block <= 1)
		block = 1;
	pad = (block - (n + 1) % block) % block;
	if (pad > UINT8_MAX)
		return IKE_EINVAL;
	wr_zeros(w, pad);
	wr_u8(w, (uint8_t)pad);
	return 0;
}

static int
sk_enc(struct wr *w, const struct ike_msg *m, const struct ike_pl *pl,
    size_t base, const struct sk_params *skp, struct sk_layout *lay)
{
	struct sk_layout l;
	size_t start = w->len, mark;
	int rc = 0;

	if (pl->type == IKEV2_PL_SKF &&
	    (rc = enc_verify(pl_desc_find(IKEV2_PL_SKF), pl)) != 0)
		return rc;
	wr_u8(w, pl->type == IKEV2_PL_SK ? first_type(m, true) : pl->next);
	wr_u8(w, pl->critical ? IKEV2_PL_CRITICAL : 0);
	mark = wr_mark16(w);
	if (pl->type == IKEV2_PL_SKF) {
		wr_u16(w, pl->u.skf.frag_num);
		wr_u16(w, pl->u.skf.frag_total);
	}
	l.aad_off = base;
	l.aad_len = w->len - base;
	l.iv_off = w->len;
	wr_zeros(w, skp->iv_len);
	l.pt_off = w->len;
	if (pl->type == IKEV2_PL_SK)
		rc = inner_enc(w, m);
	else if (pl->u.skf.data.p == NULL && pl->u.skf.data.len > 0)
		rc = IKE_EINVAL;
	else
		wr_bytes(w, pl->u.skf.data.p, pl->u.skf.data.len);
	if (rc != 0 || (rc = sk_pad(w, l.pt_off, skp->block_len)) != 0)
		return rc;
	l.pt_len = w->len - l.pt_off;
	l.icv_off = w->len;
	wr_zeros(w, skp->icv_len);
	wr_patch16(w, mark, start);
	if (lay != NULL)
		*lay = l;
	return 0;
}

/* An SK or SKF payload must be the last outer payload; encrypted
 * payloads need one when they are to be written. */
static int
enc_check(const struct ike_msg *m, const struct sk_params *skp)
{
	size_t i;
	bool sk = false, inner = false;

	for (i = 0; i < m->npl; i++) {
		if (m->pl[i].encrypted) {
			inner = true;
			continue;
		}
		if (sk)
			return IKE_EINVAL;	/* outer payload after SK */
		sk = is_sk(m->pl[i].type);
	}
	if (skp != NULL && inner && !sk)
		return IKE_EINVAL;
	return 0;
}

static int
hdr_enc(struct wr *w, const struct ike_msg *m, size_t *len_mark)
{
	uint8_t major = m->hdr.major != 0 ? m->hdr.major : IKEV2_MAJOR;

	if (major > 0x0f || m->hdr.minor > 0x0f)
		return IKE_EINVAL;
	wr_u64(w, m->hdr.spi_i);
	wr_u64(w, m->hdr.spi_r);
	wr_u8(w, first_type(m, false));
	wr_u8(w, (uint8_t)(major << 4 | m->hdr.minor));
	wr_u8(w, m->hdr.exchange);
	wr_u8(w, m->hdr.flags);
	wr_u32(w, m->hdr.msgid);
	*len_mark = wr_mark32(w);
	return 0;
}

int
codec_encode(const struct ike_msg *m, const struct sk_params *skp,
    struct wr *w, struct sk_layout *lay)
{
	const struct ike_pl *pl;
	size_t base = w->len, len_mark, i;
	int rc;

	if ((rc = enc_check(m, skp)) != 0 ||
	    (rc = hdr_enc(w, m, &len_mark)) != 0)
		return rc;
	for (i = 0; i < m->npl; i++) {
		pl = &m->pl[i];
		if (pl->encrypted)
			continue;
		if (is_sk(pl->type) && skp != NULL)
			rc = sk_enc(w, m, pl, base, skp, lay);
		else
			rc = pl_enc(w, m, pl, is_sk(pl->type) ? pl->next :
			    next_type(m, i, false));
		if (rc != 0)
			return rc;
	}
	wr_patch32(w, len_mark, base);
	return wr_error(w);
}
