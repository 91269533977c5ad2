/* IKEv1 payload descriptors (RFC 2408 s. 3.7-3.16, RFC 2407 s. 4.6,
 * RFC 3947 s. 3.2 and 5.2).  The SA payload, which nests proposals and
 * transforms, lives in ikev1_pl_sa.c.  Every diagram starts after the
 * generic payload header (s. 3.2), which ikev1_msg.c reads:
 *
 *  ! Next Payload  !   RESERVED    !         Payload Length        !
 */
#include "core/codec/ikev1_pl_int.h"

#include <string.h>

#include "core/codec/ikev1.h"
#include "core/err.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

int
v1_fail(struct v1_dctx *c, int rc, enum v1_why why, const uint8_t *at)
{
	c->diag->why = why;
	c->diag->pl_type = c->pl_type;
	c->diag->inner = c->inner;
	c->diag->offset = 0;
	if (at != NULL && c->base != NULL && at >= c->base)
		c->diag->offset = (size_t)(at - c->base);
	return rc;
}

static bool
slice_ok(const struct ike_slice *s)
{
	return s->p != NULL || s->len == 0;
}

/* The rest of the body as a slice; cannot fail. */
static void
rest(struct rd *r, struct ike_slice *s)
{
	(void)rd_slice(r, r->left, s);	/* left octets are there */
}

/* ------------------- KE (3.7), HASH (3.11), SIG (3.12), Nonce (3.13),
 * Vendor ID (3.16), NAT-D (RFC 3947 s. 3.2): the body is the data.
 *  ~                    Key Exchange / Hash / ... Data                ~
 */
static int
data_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	(void)c;
	rest(r, &pl->u.data);
	return 0;
}

static enum v1_why
data_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	if (pl->u.data.len == 0)
		return V1_EMPTY;
	return slice_ok(&pl->u.data) ? V1_OK : V1_BAD_VALUE;
}

static enum v1_why
nonce_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	if (pl->u.data.len < IKEV1_NONCE_MIN ||
	    pl->u.data.len > IKEV1_NONCE_MAX)
		return V1_NONCE_LEN;
	return slice_ok(&pl->u.data) ? V1_OK : V1_BAD_VALUE;
}

static int
data_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	wr_bytes(w, pl->u.data.p, pl->u.data.len);
	return 0;
}

/* ----------------------------------- RFC 2407 s. 4.6.2 Identification
 *  !   ID Type     !  Protocol ID  !             Port              !
 *  ~                     Identification Data                       ~
 */
static int
id_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	struct v1_pl_id *id = &pl->u.id;

	if (rd_u8(r, &id->type) != 0 || rd_u8(r, &id->proto) != 0 ||
	    rd_u16(r, &id->port) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, r->p);
	rest(r, &id->data);
	return 0;
}

/* The address types have fixed sizes (s. 4.6.2.2-4.6.2.9). */
static size_t
id_addr_len(uint8_t type)
{
	switch (type) {
	case IKEV1_ID_IPV4_ADDR:
		return 4;
	case IKEV1_ID_IPV4_SUBNET:
	case IKEV1_ID_IPV4_RANGE:
		return 8;
	case IKEV1_ID_IPV6_ADDR:
		return 16;
	case IKEV1_ID_IPV6_SUBNET:
	case IKEV1_ID_IPV6_RANGE:
		return 32;
	}
	return 0;
}

static enum v1_why
id_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_id *id = &pl->u.id;
	size_t want = id_addr_len(id->type);

	(void)m;
	if (id->data.len == 0)
		return V1_EMPTY;
	if (want != 0 && id->data.len != want)
		return V1_BAD_VALUE;
	if (id->type == 0 || id->type > IKEV1_ID_KEY_ID)
		return V1_BAD_VALUE;
	return slice_ok(&id->data) ? V1_OK : V1_BAD_VALUE;
}

static int
id_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	wr_u8(w, pl->u.id.type);
	wr_u8(w, pl->u.id.proto);
	wr_u16(w, pl->u.id.port);
	wr_bytes(w, pl->u.id.data.p, pl->u.id.data.len);
	return 0;
}

/* ------------------------------------------- s. 3.9 CERT, s. 3.10 CR
 *  ! Cert Encoding !                                               !
 *  +-+-+-+-+-+-+-+-+   Certificate Data (CERT), or                 !
 *  ~                   Certificate Authority (CR, may be empty)    ~
 */
static int
cert_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	if (rd_u8(r, &pl->u.cert.encoding) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, r->p);
	rest(r, &pl->u.cert.data);
	return 0;
}

static enum v1_why
cert_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	if (pl->u.cert.encoding > IKEV1_CERT_X509_ATTR)
		return V1_BAD_VALUE;
	if (pl->type == IKEV1_PL_CERT && pl->u.cert.data.len == 0)
		return V1_EMPTY;
	return slice_ok(&pl->u.cert.data) ? V1_OK : V1_BAD_VALUE;
}

static int
cert_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	wr_u8(w, pl->u.cert.encoding);
	wr_bytes(w, pl->u.cert.data.p, pl->u.cert.data.len);
	return 0;
}

/* Notifications and deletes name a DOI: IPsec, or 0 for ISAKMP's own
 * (RFC 2408 s. 3.14, 3.15). */
static bool
doi_ok(uint32_t doi)
{
	return doi == IKEV1_DOI_ISAKMP || doi == IKEV1_DOI_IPSEC;
}

/* Non-empty SPIs: both cookies for ISAKMP, 4 octets for AH and ESP,
 * a 2- or 4-octet CPI for IPCOMP (RFC 2407 s. 4.4). */
static bool
spi_ok(uint8_t proto, size_t size)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		return size == IKEV1_SPI_MAX;
	case IKEV1_PROTO_AH:
	case IKEV1_PROTO_ESP:
		return size == 4;
	case IKEV1_PROTO_IPCOMP:
		return size == 2 || size == 4;
	}
	return false;
}

/* ------------------------------------------------ s. 3.14 Notification
 *  !              Domain of Interpretation  (DOI)                  !
 *  !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 *  ~                Security Parameter Index (SPI)                 ~
 *  ~                       Notification Data                       ~
 */
static int
notify_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	struct v1_pl_notify *n = &pl->u.notify;
	const uint8_t *at = r->p;
	uint8_t spi_size;

	if (rd_u32(r, &n->doi) != 0 || rd_u8(r, &n->proto) != 0 ||
	    rd_u8(r, &spi_size) != 0 || rd_u16(r, &n->type) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, at);
	if (rd_slice(r, spi_size, &n->spi) != 0)
		return v1_fail(c, IKE_EMALFORMED, V1_SPI_SIZE, at);
	rest(r, &n->data);
	return 0;
}

static enum v1_why
notify_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_notify *n = &pl->u.notify;

	(void)m;
	if (!doi_ok(n->doi))
		return V1_DOI;
	if (n->spi.len != 0 && !spi_ok(n->proto, n->spi.len))
		return V1_SPI_SIZE;
	if (n->type == 0)
		return V1_BAD_VALUE;
	return slice_ok(&n->spi) && slice_ok(&n->data) ? V1_OK :
	    V1_BAD_VALUE;
}

static int
notify_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_notify *n = &pl->u.notify;

	(void)m;
	wr_u32(w, n->doi);
	wr_u8(w, n->proto);
	wr_u8(w, (uint8_t)n->spi.len);
	wr_u16(w, n->type);
	wr_bytes(w, n->spi.p, n->spi.len);
	wr_bytes(w, n->data.p, n->data.len);
	return 0;
}

/* ------------------------------------------------------ s. 3.15 Delete
 *  !              Domain of Interpretation  (DOI)                  !
 *  !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 *  ~               Security Parameter Index(es) (SPI)              ~
 */
static int
delete_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	struct v1_pl_delete *d = &pl->u.del;

	if (rd_u32(r, &d->doi) != 0 || rd_u8(r, &d->proto) != 0 ||
	    rd_u8(r, &d->spi_size) != 0 || rd_u16(r, &d->nspi) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, r->p);
	rest(r, &d->spis);
	return 0;
}

static enum v1_why
delete_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_delete *d = &pl->u.del;

	(void)m;
	if (!doi_ok(d->doi))
		return V1_DOI;
	if (!spi_ok(d->proto, d->spi_size))
		return V1_SPI_SIZE;
	if (d->nspi == 0 || d->spis.len != (size_t)d->nspi * d->spi_size)
		return V1_COUNT;
	return slice_ok(&d->spis) ? V1_OK : V1_BAD_VALUE;
}

static int
delete_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_delete *d = &pl->u.del;

	(void)m;
	wr_u32(w, d->doi);
	wr_u8(w, d->proto);
	wr_u8(w, d->spi_size);
	wr_u16(w, d->nspi);
	wr_bytes(w, d->spis.p, d->spis.len);
	return 0;
}

/* ---------------------------------------------- RFC 3947 s. 5.2 NAT-OA
 *  !   ID Type     !   RESERVED    !            RESERVED           !
 *  ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~
 */
static int
natoa_dec(struct rd *r, struct v1_pl *pl, struct v1_dctx *c)
{
	if (rd_u8(r, &pl->u.natoa.id_type) != 0 || rd_skip(r, 3) != 0)
		return v1_fail(c, IKE_ESHORT, V1_TRUNCATED, r->p);
	rest(r, &pl->u.natoa.addr);
	return 0;
}

static enum v1_why
natoa_verify(const struct v1_pl *pl, const struct v1_msg *m)
{
	const struct v1_pl_natoa *o = &pl->u.natoa;

	(void)m;
	if (o->addr.len == 0)
		return V1_EMPTY;
	if (!((o->id_type == IKEV1_ID_IPV4_ADDR && o->addr.len == 4) ||
	    (o->id_type == IKEV1_ID_IPV6_ADDR && o->addr.len == 16)))
		return V1_BAD_VALUE;
	return slice_ok(&o->addr) ? V1_OK : V1_BAD_VALUE;
}

static int
natoa_enc(struct wr *w, const struct v1_pl *pl, const struct v1_msg *m)
{
	(void)m;
	wr_u8(w, pl->u.natoa.id_type);
	wr_u8(w, 0);
	wr_u16(w, 0);
	wr_bytes(w, pl->u.natoa.addr.p, pl->u.natoa.addr.len);
	return 0;
}

/* ------------------------------------------------------------- table */

#define DATA_DESC(t, n, v) { .type = (t), .name = (n), .min_len = 0, \
	.dec = data_dec, .verify = (v), .enc = data_enc }

static const struct v1_pl_desc descs[] = {
	DATA_DESC(IKEV1_PL_KE, "KE", data_verify),
	{ .type = IKEV1_PL_ID, .name = "ID", .min_len = 4,
	    .dec = id_dec, .verify = id_verify, .enc = id_enc },
	{ .type = IKEV1_PL_CERT, .name = "CERT", .min_len = 1,
	    .dec = cert_dec, .verify = cert_verify, .enc = cert_enc },
	{ .type = IKEV1_PL_CR, .name = "CR", .min_len = 1,
	    .dec = cert_dec, .verify = cert_verify, .enc = cert_enc },
	DATA_DESC(IKEV1_PL_HASH, "HASH", data_verify),
	DATA_DESC(IKEV1_PL_SIG, "SIG", data_verify),
	DATA_DESC(IKEV1_PL_NONCE, "Nonce", nonce_verify),
	{ .type = IKEV1_PL_N, .name = "N", .min_len = 8,
	    .dec = notify_dec, .verify = notify_verify, .enc = notify_enc },
	{ .type = IKEV1_PL_D, .name = "D", .min_len = 8,
	    .dec = delete_dec, .verify = delete_verify, .enc = delete_enc },
	DATA_DESC(IKEV1_PL_VID, "VID", data_verify),
	DATA_DESC(IKEV1_PL_NATD, "NAT-D", data_verify),
	{ .type = IKEV1_PL_NATOA, .name = "NAT-OA", .min_len = 4,
	    .dec = natoa_dec, .verify = natoa_verify, .enc = natoa_enc },
	DATA_DESC(IKEV1_PL_NATD_DRAFT, "NAT-D(draft)", data_verify),
	{ .type = IKEV1_PL_NATOA_DRAFT, .name = "NAT-OA(draft)", .min_len = 4,
	    .dec = natoa_dec, .verify = natoa_verify, .enc = natoa_enc },
};

const struct v1_pl_desc *
v1_pl_desc_find(uint8_t type)
{
	size_t i;

	if (type == IKEV1_PL_SA)
		return &v1_sa_desc;
	for (i = 0; i < nitems(descs); i++)
		if (descs[i].type == type)
			return &descs[i];
	return NULL;
}

const char *
v1_pl_name(uint8_t type)
{
	const struct v1_pl_desc *d = v1_pl_desc_find(type);

	if (type == IKEV1_PL_P)
		return "P";
	if (type == IKEV1_PL_T)
		return "T";
	return d != NULL ? d->name : "unknown";
}
