/* IKEv2 payload descriptors (RFC 7296 s. 3.4-3.16, RFC 7383 s. 2.5) and
 * the field engine that reads and writes them.  SA, TS and CP, which
 * hold lists of substructures, live in ikev2_pl_sa.c, ikev2_pl_ts.c and
 * ikev2_pl_cp.c.  Every diagram starts after the generic payload header
 * (s. 3.2), which ikev2_msg.c reads:
 *
 *  ! Next Payload  !C!  RESERVED   !         Payload Length        !
 */
#include "core/codec/ikev2_pl_int.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/err.h"

int
dec_fail(struct dec_ctx *c, int rc, enum codec_why why, const uint8_t *at)
{
	c->diag->why = why;
	c->diag->pl_type = c->pl_type;
	c->diag->inner = c->inner;
	c->diag->offset = 0;
	if (at != NULL && c->base != NULL && at >= c->base)
		c->diag->offset = (size_t)(at - c->base);
	return rc;
}

/* ------------------------------------------------------ field engine */

static int
spi_read(struct rd *r, const struct field *f, void *obj)
{
	uint8_t size, b;
	uint64_t spi = 0;
	struct rd sub;
	int rc;

	memcpy(&size, (uint8_t *)obj + f->aux, sizeof(size));
	if (size > sizeof(spi))
		return IKE_EMALFORMED;
	if ((rc = rd_sub(r, size, &sub)) != 0)
		return rc;
	while (rd_u8(&sub, &b) == 0)
		spi = spi << 8 | b;
	memcpy((uint8_t *)obj + f->off, &spi, sizeof(spi));
	return 0;
}

/* Not inlined: specialised on a constant field table, GCC at -O3 checks
 * every case of the switch against the caller's small struct and warns
 * (-Warray-bounds) about writes the table never asks for. */
static int __attribute__((noinline))
field_read(struct rd *r, const struct field *f, void *obj)
{
	uint8_t *o = (uint8_t *)obj + f->off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	struct ike_slice s;
	int rc;

	switch (f->kind) {
	case F_U8:
		if ((rc = rd_u8(r, &u8)) == 0)
			memcpy(o, &u8, sizeof(u8));
		return rc;
	case F_U16:
	case F_LEN16:
		if ((rc = rd_u16(r, &u16)) == 0)
			memcpy(o, &u16, sizeof(u16));
		return rc;
	case F_U32:
		if ((rc = rd_u32(r, &u32)) == 0)
			memcpy(o, &u32, sizeof(u32));
		return rc;
	case F_ZERO8:
		return rd_skip(r, 1);
	case F_ZERO16:
		return rd_skip(r, 2);
	case F_ZERO24:
		return rd_skip(r, 3);
	case F_SPI:
		return spi_read(r, f, obj);
	case F_REST:
		if ((rc = rd_slice(r, r->left, &s)) == 0)
			memcpy(o, &s, sizeof(s));
		return rc;
	}
	return IKE_EINVAL;
}

int
fields_read(struct rd *r, const struct field *f, size_t n, void *obj,
    struct dec_ctx *c)
{
	struct rd save = *r;
	const uint8_t *at;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = field_read(r, &f[i], obj)) != 0) {
			at = r->p;
			*r = save;
			return dec_fail(c, rc, rc == IKE_ESHORT ?
			    CODEC_TRUNCATED : CODEC_SPI_SIZE, at);
		}
	}
	return 0;
}

static int
spi_write(struct wr *w, const struct field *f, const void *obj)
{
	uint8_t size;
	uint64_t spi;

	memcpy(&size, (const uint8_t *)obj + f->aux, sizeof(size));
	memcpy(&spi, (const uint8_t *)obj + f->off, sizeof(spi));
	if (size > sizeof(spi) || (size < sizeof(spi) && spi >> (8 * size)))
		return IKE_EINVAL;
	while (size-- > 0)
		wr_u8(w, (uint8_t)(spi >> (8 * size)));
	return 0;
}

static int
field_write(struct wr *w, const struct field *f, const void *obj,
    size_t *mark)
{
	const uint8_t *o = (const uint8_t *)obj + f->off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	struct ike_slice s;

	switch (f->kind) {
	case F_U8:
		memcpy(&u8, o, sizeof(u8));
		wr_u8(w, u8);
		return 0;
	case F_U16:
		memcpy(&u16, o, sizeof(u16));
		wr_u16(w, u16);
		return 0;
	case F_U32:
		memcpy(&u32, o, sizeof(u32));
		wr_u32(w, u32);
		return 0;
	case F_ZERO8:
		wr_u8(w, 0);
		return 0;
	case F_ZERO16:
		wr_u16(w, 0);
		return 0;
	case F_ZERO24:
		wr_u8(w, 0);
		wr_u16(w, 0);
		return 0;
	case F_LEN16:
		*mark = wr_mark16(w);
		return 0;
	case F_SPI:
		return spi_write(w, f, obj);
	case F_REST:
		memcpy(&s, o, sizeof(s));
		if (s.p == NULL && s.len > 0)
			return IKE_EINVAL;
		wr_bytes(w, s.p, s.len);
		return 0;
	}
	return IKE_EINVAL;
}

int
fields_write(struct wr *w, const struct field *f, size_t n, const void *obj,
    size_t *mark)
{
	size_t i;
	int rc;

	*mark = SIZE_MAX;
	for (i = 0; i < n; i++)
		if ((rc = field_write(w, &f[i], obj, mark)) != 0)
			return rc;
	return 0;
}

int
sub_open(struct rd *r, size_t len_off, size_t min, struct rd *sub,
    struct dec_ctx *c)
{
	struct rd peek = *r;
	uint16_t len;

	if (rd_skip(&peek, len_off) != 0 || rd_u16(&peek, &len) != 0)
		return dec_fail(c, IKE_ESHORT, CODEC_TRUNCATED, r->p);
	if (len < min || len > r->left)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH, r->p);
	return rd_sub(r, len, sub);
}

/* --------------------------------------------------- s. 3.4 KE payload
 *  !   Diffie-Hellman Group Num    !           RESERVED            !
 *  ~                       Key Exchange Data                       ~
 */
static const struct field ke_fields[] = {
	{ F_U16, offsetof(struct pl_ke, group), 0 },
	{ F_ZERO16, 0, 0 },
	{ F_REST, offsetof(struct pl_ke, data), 0 },
};

static int
ke_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.ke.data.len == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	return 0;
}

/* ----------------------------------------------- s. 3.5 IDi and IDr
 *  !   ID Type     !                 RESERVED                      |
 *  ~                   Identification Data                         ~
 */
static const struct field id_fields[] = {
	{ F_U8, offsetof(struct pl_id, type), 0 },
	{ F_ZERO24, 0, 0 },
	{ F_REST, offsetof(struct pl_id, data), 0 },
};

static int
id_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	const struct pl_id *id = &pl->u.id;

	if (id->data.len == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	if ((id->type == IKEV2_ID_IPV4_ADDR && id->data.len != 4) ||
	    (id->type == IKEV2_ID_IPV6_ADDR && id->data.len != 16))
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE,
		    pl->body.p);
	return 0;
}

/* ------------------------------------------ s. 3.6 CERT, s. 3.7 CERTREQ
 *  ! Cert Encoding !                                               !
 *  +-+-+-+-+-+-+-+-+      Certificate Data (CERT), or              !
 *  ~                      Certification Authority (CERTREQ)        ~
 */
static const struct field cert_fields[] = {
	{ F_U8, offsetof(struct pl_cert, encoding), 0 },
	{ F_REST, offsetof(struct pl_cert, data), 0 },
};

static int
cert_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.cert.data.len == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	return 0;
}

/* An X.509 CERTREQ lists 20-octet SHA-1 hashes of CA keys; it may be
 * empty (any CA). */
static int
certreq_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.cert.encoding == IKEV2_CERT_X509_SIG &&
	    pl->u.cert.data.len % IKEV2_CERTREQ_HASH_LEN != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE,
		    pl->body.p);
	return 0;
}

/* ------------------------------------------------- s. 3.8 AUTH payload
 *  ! Auth Method   !                RESERVED                       !
 *  ~                      Authentication Data                      ~
 */
static const struct field auth_fields[] = {
	{ F_U8, offsetof(struct pl_auth, method), 0 },
	{ F_ZERO24, 0, 0 },
	{ F_REST, offsetof(struct pl_auth, data), 0 },
};

static int
auth_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.auth.data.len == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	return 0;
}

/* ------------------------------------------------ s. 3.9 Nonce payload
 *  ~                            Nonce Data                         ~
 */
static const struct field nonce_fields[] = {
	{ F_REST, offsetof(struct pl_nonce, data), 0 },
};

static int
nonce_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	size_t n = pl->u.nonce.data.len;

	if (n < IKEV2_NONCE_MIN || n > IKEV2_NONCE_MAX)
		return dec_fail(c, IKE_EMALFORMED, CODEC_NONCE_LEN, pl->body.p);
	return 0;
}

/* ---------------------------------------------- s. 3.10 Notify payload
 *  !  Protocol ID  !   SPI Size    !      Notify Message Type      !
 *  ~                Security Parameter Index (SPI)                 ~
 *  ~                       Notification Data                       ~
 */
static const struct field notify_fields[] = {
	{ F_U8, offsetof(struct pl_notify, proto), 0 },
	{ F_U8, offsetof(struct pl_notify, spi_size), 0 },
	{ F_U16, offsetof(struct pl_notify, type), 0 },
	{ F_SPI, offsetof(struct pl_notify, spi),
	    offsetof(struct pl_notify, spi_size) },
	{ F_REST, offsetof(struct pl_notify, data), 0 },
};

/* No SPI (the Protocol ID is then ignored), or a Child SA's. */
static int
notify_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	const struct pl_notify *n = &pl->u.notify;

	if (n->spi_size == 0)
		return 0;
	if (n->spi_size == IKEV2_SPI_SIZE_CHILD &&
	    (n->proto == IKEV2_PROTO_AH || n->proto == IKEV2_PROTO_ESP))
		return 0;
	return dec_fail(c, IKE_EMALFORMED, CODEC_SPI_SIZE, pl->body.p);
}

/* ---------------------------------------------- s. 3.11 Delete payload
 *  ! Protocol ID   !   SPI Size    !          Num of SPIs          !
 *  ~               Security Parameter Index(es) (SPI)              ~
 */
static const struct field delete_fields[] = {
	{ F_U8, offsetof(struct pl_delete, proto), 0 },
	{ F_U8, offsetof(struct pl_delete, spi_size), 0 },
	{ F_U16, offsetof(struct pl_delete, nspi), 0 },
	{ F_REST, offsetof(struct pl_delete, spis), 0 },
};

/* The IKE SA: no SPIs at all; Child SAs: one or more 4-octet SPIs. */
static int
delete_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	const struct pl_delete *d = &pl->u.del;

	switch (d->proto) {
	case IKEV2_PROTO_IKE:
		if (d->spi_size != 0)
			break;
		if (d->nspi != 0 || d->spis.len != 0)
			return dec_fail(c, IKE_EMALFORMED, CODEC_COUNT,
			    pl->body.p);
		return 0;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		if (d->spi_size != IKEV2_SPI_SIZE_CHILD)
			break;
		if (d->nspi == 0 ||
		    d->spis.len != (size_t)d->nspi * IKEV2_SPI_SIZE_CHILD)
			return dec_fail(c, IKE_EMALFORMED, CODEC_COUNT,
			    pl->body.p);
		return 0;
	default:
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE,
		    pl->body.p);
	}
	return dec_fail(c, IKE_EMALFORMED, CODEC_SPI_SIZE, pl->body.p);
}

/* ------------------------------------------- s. 3.12 Vendor ID payload
 *  ~                        Vendor ID (VID)                        ~
 */
static const struct field vendor_fields[] = {
	{ F_REST, offsetof(struct pl_vendor, data), 0 },
};

static int
vendor_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	if (pl->u.vendor.data.len == 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	return 0;
}

/* ------------------------------------------- s. 3.14 Encrypted payload
 *  !                     Initialization Vector                     !
 *  ~                    Encrypted IKE Payloads                     ~
 *  !               !             Padding (0-255 octets)            !
 *  +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 *  !                                               !  Pad Length   !
 *  ~                    Integrity Checksum Data                    ~
 * The codec sees IV, ciphertext and ICV as one region; their lengths
 * come from the negotiated algorithms (codec_sk_view()).
 */
static const struct field sk_fields[] = {
	{ F_REST, offsetof(struct pl_sk, data), 0 },
};

/* --------------------------- RFC 7383 s. 2.5 Encrypted Fragment payload
 *  |        Fragment Number        |        Total Fragments        |
 *  |                     Initialization Vector                     |
 *  ~                      Encrypted content                        ~
 *  ~                    Integrity Checksum Data                    ~
 */
static const struct field skf_fields[] = {
	{ F_U16, offsetof(struct pl_skf, frag_num), 0 },
	{ F_U16, offsetof(struct pl_skf, frag_total), 0 },
	{ F_REST, offsetof(struct pl_skf, data), 0 },
};

/* Numbers run 1..total; only fragment 1 names the first inner payload. */
static int
skf_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	const struct pl_skf *f = &pl->u.skf;

	if (f->frag_num == 0 || f->frag_total == 0 ||
	    f->frag_num > f->frag_total || (f->frag_num > 1 && pl->next != 0))
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE,
		    pl->body.p);
	return 0;
}

/* -------------------------------------------------- s. 3.16 EAP payload
 *  ~                       EAP Message                             ~
 * with the EAP message (RFC 3748 s. 4):
 *  !     Code      ! Identifier    !           Length              !
 *  !     Type      ! Type_Data...
 * Type is present in Requests and Responses only.  Parsed so far as to
 * be refused cleanly: the daemon offers no EAP method.
 */
struct eap_wire {
	uint8_t		 code, ident;
	uint16_t	 len;
};

static const struct field eap_fields[] = {
	{ F_U8, offsetof(struct eap_wire, code), 0 },
	{ F_U8, offsetof(struct eap_wire, ident), 0 },
	{ F_LEN16, offsetof(struct eap_wire, len), 0 },
};

static int
eap_sub_dec(struct rd *r, struct ike_pl *pl, struct dec_ctx *c)
{
	struct pl_eap *e = &pl->u.eap;
	struct eap_wire w;
	int rc;

	if ((rc = fields_read(r, eap_fields, nitems(eap_fields), &w, c)) != 0)
		return rc;
	if (w.len != 4 + r->left)
		return dec_fail(c, IKE_EMALFORMED, CODEC_SUB_LENGTH,
		    pl->body.p);
	e->code = w.code;
	e->ident = w.ident;
	if ((w.code == IKEV2_EAP_REQUEST || w.code == IKEV2_EAP_RESPONSE) &&
	    rd_u8(r, &e->type) != 0)
		return dec_fail(c, IKE_EMALFORMED, CODEC_EMPTY, pl->body.p);
	return rd_slice(r, r->left, &e->data);
}

static int
eap_sub_enc(struct wr *w, const struct ike_pl *pl, const struct ike_msg *m)
{
	const struct pl_eap *e = &pl->u.eap;
	bool typed = e->code == IKEV2_EAP_REQUEST ||
	    e->code == IKEV2_EAP_RESPONSE;
	size_t start = w->len, mark;

	(void)m;
	if (e->data.p == NULL && e->data.len > 0)
		return IKE_EINVAL;
	wr_u8(w, e->code);
	wr_u8(w, e->ident);
	mark = wr_mark16(w);
	if (typed)
		wr_u8(w, e->type);
	wr_bytes(w, e->data.p, e->data.len);
	wr_patch16(w, mark, start);
	return 0;
}

/* Codes 1-4 only; Success and Failure carry nothing after Length. */
static int
eap_verify(const struct ike_pl *pl, struct dec_ctx *c)
{
	const struct pl_eap *e = &pl->u.eap;

	if (e->code < IKEV2_EAP_REQUEST || e->code > IKEV2_EAP_FAILURE ||
	    (e->code >= IKEV2_EAP_SUCCESS && (e->data.len != 0 || e->type)))
		return dec_fail(c, IKE_EMALFORMED, CODEC_BAD_VALUE,
		    pl->body.p);
	return 0;
}

/* ------------------------------------------------------- descriptors */

#define FIELDS(f)	.fields = (f), .nfields = nitems(f)

static const struct pl_desc pl_ke_desc = {
	.type = IKEV2_PL_KE, .name = "KE", .min_len = 4, FIELDS(ke_fields),
	.verify = ke_verify,
};
static const struct pl_desc pl_idi_desc = {
	.type = IKEV2_PL_IDI, .name = "IDi", .min_len = 4, FIELDS(id_fields),
	.verify = id_verify,
};
static const struct pl_desc pl_idr_desc = {
	.type = IKEV2_PL_IDR, .name = "IDr", .min_len = 4, FIELDS(id_fields),
	.verify = id_verify,
};
static const struct pl_desc pl_cert_desc = {
	.type = IKEV2_PL_CERT, .name = "CERT", .min_len = 1,
	FIELDS(cert_fields), .verify = cert_verify,
};
static const struct pl_desc pl_certreq_desc = {
	.type = IKEV2_PL_CERTREQ, .name = "CERTREQ", .min_len = 1,
	FIELDS(cert_fields), .verify = certreq_verify,
};
static const struct pl_desc pl_auth_desc = {
	.type = IKEV2_PL_AUTH, .name = "AUTH", .min_len = 4,
	FIELDS(auth_fields), .verify = auth_verify,
};
static const struct pl_desc pl_nonce_desc = {
	.type = IKEV2_PL_NONCE, .name = "Nonce", .min_len = 0,
	FIELDS(nonce_fields), .verify = nonce_verify, /* 16..256 octets */
};
static const struct pl_desc pl_notify_desc = {
	.type = IKEV2_PL_NOTIFY, .name = "N", .min_len = 4,
	FIELDS(notify_fields), .verify = notify_verify,
};
static const struct pl_desc pl_delete_desc = {
	.type = IKEV2_PL_DELETE, .name = "D", .min_len = 4,
	FIELDS(delete_fields), .verify = delete_verify,
};
static const struct pl_desc pl_vendor_desc = {
	.type = IKEV2_PL_VENDOR, .name = "V", .min_len = 0,
	FIELDS(vendor_fields), .verify = vendor_verify,
};
static const struct pl_desc pl_sk_desc = {
	.type = IKEV2_PL_SK, .name = "SK", .min_len = 0, FIELDS(sk_fields),
};
static const struct pl_desc pl_skf_desc = {
	.type = IKEV2_PL_SKF, .name = "SKF", .min_len = 4,
	FIELDS(skf_fields), .verify = skf_verify,
};
static const struct pl_desc pl_eap_desc = {
	.type = IKEV2_PL_EAP, .name = "EAP", .min_len = 4,
	.sub_dec = eap_sub_dec, .sub_enc = eap_sub_enc, .verify = eap_verify,
};

static const struct pl_desc *const descs[] = {
	&pl_sa_desc, &pl_ke_desc, &pl_idi_desc, &pl_idr_desc, &pl_cert_desc,
	&pl_certreq_desc, &pl_auth_desc, &pl_nonce_desc, &pl_notify_desc,
	&pl_delete_desc, &pl_vendor_desc, &pl_tsi_desc, &pl_tsr_desc,
	&pl_sk_desc, &pl_cp_desc, &pl_eap_desc, &pl_skf_desc,
};

const struct pl_desc *
pl_desc_find(uint8_t type)
{
	size_t i;

	for (i = 0; i < nitems(descs); i++)
		if (descs[i]->type == type)
			return descs[i];
	return NULL;
}

const char *
codec_pl_name(uint8_t type)
{
	const struct pl_desc *d = pl_desc_find(type);

	return d != NULL ? d->name : "unknown";
}
