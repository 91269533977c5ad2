/* The IKEv1 message codec: the ISAKMP header (RFC 2408 s. 3.1), the
 * chain of generic payload headers (s. 3.2), the encrypted body
 * (s. 3.1 E flag, RFC 2409 App. B), lookups and builders.  Payload
 * bodies are read and written by their descriptors (ikev1_pl*.c). */
#include "core/codec/ikev1_msg.h"

#include <string.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev1_pl_int.h"
#include "core/err.h"

static const char *const why_str[V1_NWHY] = {
	[V1_OK] = "ok",
	[V1_TRUNCATED] = "truncated",
	[V1_HDR_LENGTH] = "header length is not the datagram length",
	[V1_VERSION_MAJOR] = "major version not 1",
	[V1_VERSION_MINOR] = "minor version not 0",
	[V1_FLAGS] = "undefined header flags",
	[V1_PL_LENGTH] = "payload length out of range",
	[V1_PL_TYPE] = "invalid payload type",
	[V1_TOO_MANY] = "too many payloads or substructures",
	[V1_SUB_LENGTH] = "proposal, transform or SPI length out of range",
	[V1_SUB_NEXT] = "proposal or transform next payload wrong",
	[V1_PROPOSAL_NUM] = "proposal numbers decrease",
	[V1_COUNT] = "count disagrees with content",
	[V1_SPI_SIZE] = "wrong SPI size",
	[V1_ATTR] = "bad data attribute",
	[V1_NONCE_LEN] = "nonce length outside 8..256",
	[V1_EMPTY] = "required content missing",
	[V1_BAD_VALUE] = "field value out of range",
	[V1_DOI] = "DOI not supported",
	[V1_SITUATION] = "situation not supported",
	[V1_TRAILING] = "octets after the last payload",
	[V1_STATE] = "no encrypted body to open",
};

const char *
v1_why_str(enum v1_why why)
{
	if ((unsigned)why >= V1_NWHY || why_str[why] == NULL)
		return "unknown";
	return why_str[why];
}

uint16_t
v1_why_notify(enum v1_why why)
{
	switch (why) {
	case V1_OK:
	case V1_STATE:
		return 0;
	case V1_HDR_LENGTH:
		return IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS;
	case V1_VERSION_MAJOR:
		return IKEV1_N_INVALID_MAJOR_VERSION;
	case V1_VERSION_MINOR:
		return IKEV1_N_INVALID_MINOR_VERSION;
	case V1_FLAGS:
		return IKEV1_N_INVALID_FLAGS;
	case V1_PL_TYPE:
		return IKEV1_N_INVALID_PAYLOAD_TYPE;
	case V1_DOI:
		return IKEV1_N_DOI_NOT_SUPPORTED;
	case V1_SITUATION:
		return IKEV1_N_SITUATION_NOT_SUPPORTED;
	case V1_SUB_LENGTH:
	case V1_SUB_NEXT:
	case V1_PROPOSAL_NUM:
	case V1_COUNT:
		return IKEV1_N_BAD_PROPOSAL_SYNTAX;
	case V1_SPI_SIZE:
		return IKEV1_N_INVALID_SPI;
	case V1_ATTR:
		return IKEV1_N_ATTRIBUTES_NOT_SUPPORTED;
	default:
		return IKEV1_N_PAYLOAD_MALFORMED;
	}
}

/* ------------------------------------------------------ s. 3.1 header
 *  !                          Initiator                            !
 *  !                            Cookie                             !
 *  !                          Responder                            !
 *  !                            Cookie                             !
 *  !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 *  !                          Message ID                           !
 *  !                            Length                             !
 */
int
v1_peek_hdr(const uint8_t *buf, size_t len, struct v1_hdr *out)
{
	struct v1_hdr h;
	struct rd r;
	uint8_t ver;

	rd_init(&r, buf, len);
	if (rd_bytes(&r, h.icookie, sizeof(h.icookie)) != 0 ||
	    rd_bytes(&r, h.rcookie, sizeof(h.rcookie)) != 0 ||
	    rd_u8(&r, &h.next) != 0 || rd_u8(&r, &ver) != 0 ||
	    rd_u8(&r, &h.exchange) != 0 || rd_u8(&r, &h.flags) != 0 ||
	    rd_u32(&r, &h.msgid) != 0 || rd_u32(&r, &h.length) != 0)
		return IKE_ESHORT;
	h.major = ver >> 4;
	h.minor = ver & 0x0f;
	*out = h;
	return 0;
}

static int
hdr_dec(const uint8_t *buf, size_t len, struct v1_hdr *h, struct v1_dctx *c)
{
	if (v1_peek_hdr(buf, len, h) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED,
		    buf != NULL ? buf + len : NULL);
	if (h->major != IKEV1_MAJOR)
		return v1_fail(c, IKE_EUNSUPP, V1_VERSION_MAJOR, buf + 17);
	if (h->minor != IKEV1_MINOR)
		return v1_fail(c, IKE_EUNSUPP, V1_VERSION_MINOR, buf + 17);
	if ((h->flags & ~IKEV1_F_ALL) != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_FLAGS, buf + 19);
	if (h->length != len)
		return v1_fail(c, IKE_EMALFORMED, V1_HDR_LENGTH, buf + 24);
	return 0;
}

/* ------------------------------------------------- s. 3.2 payload chain
 *  ! Next Payload  !   RESERVED    !         Payload Length        !
 */
static int
body_dec(const struct v1_pl_desc *d, struct rd *body, struct v1_pl *pl,
    struct v1_dctx *c)
{
	enum v1_why why;
	int rc;

	if ((rc = d->dec(body, pl, c)) != 0)
		return rc;
	if (body->left != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_TRAILING, body->p);
	if ((why = d->verify(pl, c->msg)) != V1_OK)
		return v1_fail(c, why == V1_DOI ? IKE_EUNSUPP :
		    IKE_EMALFORMED, why, pl->body.p);
	return 0;
}

static int
pl_dec(struct rd *r, uint8_t type, struct v1_dctx *c)
{
	struct v1_msg *m = c->msg;
	const struct v1_pl_desc *d = v1_pl_desc_find(type);
	const uint8_t *at = r->p;
	struct rd hdr = *r, body;
	struct v1_pl *pl;
	uint8_t next, resv;
	uint16_t len;
	int rc;

	c->pl_type = type;
	if (d == NULL)
		return v1_fail(c, IKE_EUNSUPP, V1_PL_TYPE, at);
	if (rd_u8(&hdr, &next) != 0 || rd_u8(&hdr, &resv) != 0 ||
	    rd_u16(&hdr, &len) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, at);
	if (len < IKEV1_PL_HDR_LEN + d->min_len || len > r->left)
		return v1_fail(c, IKE_EMALFORMED, V1_PL_LENGTH, at);
	if (m->npl >= V1_MSG_MAX_PAYLOADS)
		return v1_fail(c, IKE_ENOSPC, V1_TOO_MANY, at);
	*r = hdr;
	(void)rd_sub(r, len - IKEV1_PL_HDR_LEN, &body);	/* len <= left */
	pl = &m->pl[m->npl];
	memset(pl, 0, sizeof(*pl));
	pl->type = type;
	pl->next = next;
	pl->encrypted = c->inner;
	pl->body.p = body.p;
	pl->body.len = body.left;
	if ((rc = body_dec(d, &body, pl, c)) != 0)
		return rc;
	m->npl++;
	return 0;
}

/* A plain chain ends with the datagram; a decrypted one may leave
 * padding, which *pad gets. */
static int
chain_dec(struct rd *r, uint8_t type, struct ike_slice *pad,
    struct v1_dctx *c)
{
	int rc;

	while (type != IKEV1_PL_NONE) {
		if ((rc = pl_dec(r, type, c)) != 0)
			return rc;
		type = c->msg->pl[c->msg->npl - 1].next;
	}
	if (pad != NULL) {
		(void)rd_slice(r, r->left, pad);	/* what is left */
		return 0;
	}
	if (r->left != 0) {
		c->pl_type = IKEV1_PL_NONE;
		return v1_fail(c, IKE_EMALFORMED, V1_TRAILING, r->p);
	}
	return 0;
}

static void
ctx_init(struct v1_dctx *c, struct v1_msg *m, struct v1_diag *diag,
    const uint8_t *base, bool inner)
{
	memset(c, 0, sizeof(*c));
	memset(diag, 0, sizeof(*diag));
	c->msg = m;
	c->diag = diag;
	c->base = base;
	c->inner = inner;
}

int
v1_decode(const uint8_t *buf, size_t len, struct v1_msg *m,
    struct v1_diag *diag)
{
	struct v1_diag local;
	struct v1_dctx c;
	struct rd r;
	int rc;

	memset(m, 0, sizeof(*m));
	ctx_init(&c, m, diag != NULL ? diag : &local, buf, false);
	if ((rc = hdr_dec(buf, len, &m->hdr, &c)) != 0)
		goto fail;
	rd_init(&r, buf, len);
	(void)rd_skip(&r, IKEV1_HDR_LEN);	/* hdr_dec read it */
	if (m->hdr.flags & IKEV1_F_ENC) {
		if (r.left == 0) {
			rc = v1_fail(&c, IKE_EMALFORMED, V1_EMPTY, r.p);
			goto fail;
		}
		(void)rd_slice(&r, r.left, &m->ct);	/* what is left */
	} else if ((rc = chain_dec(&r, m->hdr.next, NULL, &c)) != 0)
		goto fail;
	m->dgram.p = buf;
	m->dgram.len = len;
	return 0;
fail:
	memset(m, 0, sizeof(*m));
	return rc;
}

static void
payloads_clear(struct v1_msg *m)
{
	m->npl = m->nprop = m->nxf = m->nattr = 0;
	memset(m->pl, 0, sizeof(m->pl));
	memset(m->prop, 0, sizeof(m->prop));
	memset(m->xf, 0, sizeof(m->xf));
	memset(m->attr, 0, sizeof(m->attr));
}

int
v1_decode_body(struct v1_msg *m, uint8_t first, const uint8_t *data,
    size_t len, struct v1_diag *diag)
{
	struct v1_diag local;
	struct v1_dctx c;
	struct ike_slice pad = { NULL, 0 };
	struct rd r;
	int rc;

	ctx_init(&c, m, diag != NULL ? diag : &local, data, true);
	if ((m->hdr.flags & IKEV1_F_ENC) == 0 || m->opened || m->npl != 0)
		return v1_fail(&c, IKE_ESTATE, V1_STATE, NULL);
	rd_init(&r, data, len);
	if ((rc = chain_dec(&r, first, &pad, &c)) != 0) {
		payloads_clear(m);
		return rc;
	}
	m->pad = pad;
	m->opened = true;
	return 0;
}

/* ------------------------------------------------------------ encoding */

static int
pl_enc(struct wr *w, const struct v1_pl *pl, uint8_t next,
    const struct v1_msg *m)
{
	const struct v1_pl_desc *d = v1_pl_desc_find(pl->type);
	size_t start = w->len, mark;
	int rc;

	if (d == NULL || d->verify(pl, m) != V1_OK)
		return IKE_EINVAL;
	wr_u8(w, next);
	wr_u8(w, 0);
	mark = wr_mark16(w);
	if ((rc = d->enc(w, pl, m)) != 0)
		return rc;
	wr_patch16(w, mark, start);
	return 0;
}

static int
chain_enc(const struct v1_msg *m, struct wr *w)
{
	size_t i;
	uint8_t next;
	int rc;

	if (m->npl > V1_MSG_MAX_PAYLOADS || m->nprop > V1_MSG_MAX_PROPOSALS ||
	    m->nxf > V1_MSG_MAX_TRANSFORMS || m->nattr > V1_MSG_MAX_ATTRS)
		return IKE_EINVAL;
	for (i = 0; i < m->npl; i++) {
		next = i + 1 < m->npl ? m->pl[i + 1].type : IKEV1_PL_NONE;
		if ((rc = pl_enc(w, &m->pl[i], next, m)) != 0)
			return rc;
	}
	return wr_error(w);
}

int
v1_encode_body(const struct v1_msg *m, struct wr *w, uint8_t *first)
{
	int rc;

	if ((rc = chain_enc(m, w)) != 0)
		return rc;
	*first = m->npl > 0 ? m->pl[0].type : IKEV1_PL_NONE;
	return 0;
}

int
v1_encode(const struct v1_msg *m, struct wr *w)
{
	const struct v1_hdr *h = &m->hdr;
	bool enc = (h->flags & IKEV1_F_ENC) != 0;
	size_t start = w->len, mark;
	int rc;

	if (h->major > 0x0f || h->minor > 0x0f ||
	    (enc && (m->ct.len == 0 || m->ct.p == NULL)))
		return IKE_EINVAL;
	wr_bytes(w, h->icookie, sizeof(h->icookie));
	wr_bytes(w, h->rcookie, sizeof(h->rcookie));
	if (enc)
		wr_u8(w, h->next);
	else
		wr_u8(w, m->npl > 0 ? m->pl[0].type : IKEV1_PL_NONE);
	wr_u8(w, h->major == 0 && h->minor == 0 ? IKEV1_MAJOR << 4 :
	    (uint8_t)(h->major << 4 | h->minor));
	wr_u8(w, h->exchange);
	wr_u8(w, h->flags);
	wr_u32(w, h->msgid);
	mark = wr_mark32(w);
	if (enc)
		wr_bytes(w, m->ct.p, m->ct.len);
	else if ((rc = chain_enc(m, w)) != 0)
		return rc;
	wr_patch32(w, mark, start);
	return wr_error(w);
}
