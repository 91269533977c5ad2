/* db/record.c: records <-> the structs of model.h, driven by one field
 * table per struct (see record.h for the format). */
#include "record.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/codec/rd.h"
#include "../core/err.h"
#include "../core/secmem.h"

enum fkind {
	K_UINT,		/* unsigned integer of the member's width (1, 2, 4) */
	K_BOOL,		/* bool, one byte 0 or 1 */
	K_STR,		/* NUL-terminated char array, stored with its NUL */
	K_BLOB,		/* bytes, their number in a count member */
	K_SUB,		/* nested struct: TLVs of its own table */
	K_LIST,		/* array: one TLV per element, count in a member */
};

struct desc;

struct field {
	uint16_t		 tag;
	uint8_t			 kind;		/* enum fkind */
	uint8_t			 ekind;		/* K_LIST: K_STR or K_SUB */
	uint32_t		 lim;		/* enum: values < lim; list, blob:
						 * at most lim elements/bytes */
	size_t			 off;		/* member offset */
	size_t			 size;		/* member (list: element) size */
	size_t			 cnt_off;	/* K_LIST, K_BLOB: count member */
	size_t			 cnt_size;	/* its width, 1 or 2 */
	const struct desc	*sub;		/* K_SUB, K_LIST of K_SUB */
};

struct desc {
	const struct field	*f;
	size_t			 n;	/* at most 32: duplicates are a bitmask */
};

#define MSIZE(s, m)	sizeof(((s *)0)->m)
#define NITEMS(s, m)	(MSIZE(s, m) / MSIZE(s, m[0]))
#define FLD(t, k, s, m, l) \
	{ .tag = (t), .kind = (k), .off = offsetof(s, m), .size = MSIZE(s, m), \
	  .lim = (l) }
#define UINT(t, s, m)		FLD(t, K_UINT, s, m, 0)
#define ENUM(t, s, m, n)	FLD(t, K_UINT, s, m, n)
#define BOOL(t, s, m)		FLD(t, K_BOOL, s, m, 0)
#define STR(t, s, m)		FLD(t, K_STR, s, m, 0)
#define SUB(t, s, m, d) \
	{ .tag = (t), .kind = K_SUB, .off = offsetof(s, m), \
	  .size = MSIZE(s, m), .sub = &(d) }
#define BLOB(t, s, m, c) \
	{ .tag = (t), .kind = K_BLOB, .off = offsetof(s, m), \
	  .size = MSIZE(s, m), .lim = (uint32_t)MSIZE(s, m), \
	  .cnt_off = offsetof(s, c), .cnt_size = MSIZE(s, c) }
#define LIST(t, s, m, c, ek, d) \
	{ .tag = (t), .kind = K_LIST, .ekind = (ek), .off = offsetof(s, m), \
	  .size = MSIZE(s, m[0]), .lim = (uint32_t)NITEMS(s, m), \
	  .cnt_off = offsetof(s, c), .cnt_size = MSIZE(s, c), .sub = (d) }
#define DESC(name, tab) \
	static const struct desc name = { tab, sizeof(tab) / sizeof(tab[0]) }

/* Tags: high byte names the struct, low byte the field.  Never reuse a
 * tag for another meaning; add new ones with a new minor version. */

static const struct field ident_f[] = {
	ENUM(0x0801, struct db_ident, type, DB_ID_COUNT),
	STR(0x0802, struct db_ident, value),
	STR(0x0803, struct db_ident, value2),
};
DESC(ident_d, ident_f);

static const struct field p2ident_f[] = {
	SUB(0x0901, struct db_p2ident, id, ident_d),
	UINT(0x0902, struct db_p2ident, protocol),
	UINT(0x0903, struct db_p2ident, port),
	UINT(0x0904, struct db_p2ident, endport),
};
DESC(p2ident_d, p2ident_f);

static const struct field ike_xf_f[] = {
	ENUM(0x0a01, struct db_ike_transform, encr, DB_ENCR_COUNT),
	ENUM(0x0a02, struct db_ike_transform, hash, DB_HASH_COUNT),
	ENUM(0x0a03, struct db_ike_transform, prf, DB_PRF_COUNT),
	UINT(0x0a04, struct db_ike_transform, dh_group),
	ENUM(0x0a05, struct db_ike_transform, auth, DB_AUTH_COUNT),
	UINT(0x0a06, struct db_ike_transform, life_minutes),
	UINT(0x0a07, struct db_ike_transform, life_kb),
};
DESC(ike_xf_d, ike_xf_f);

static const struct field ipsec_xf_f[] = {
	ENUM(0x0b01, struct db_ipsec_transform, proto, DB_PROTO_AH + 1),
	ENUM(0x0b02, struct db_ipsec_transform, encr, DB_ENCR_COUNT),
	ENUM(0x0b03, struct db_ipsec_transform, integ, DB_INTEG_COUNT),
	ENUM(0x0b04, struct db_ipsec_transform, mode, DB_MODE_TRANSPORT + 1),
	BOOL(0x0b05, struct db_ipsec_transform, esn),
	UINT(0x0b06, struct db_ipsec_transform, life_minutes),
	UINT(0x0b07, struct db_ipsec_transform, life_kb),
};
DESC(ipsec_xf_d, ipsec_xf_f);

static const struct field ike_prot_f[] = {
	STR(0x0101, struct db_ike_protection, name),
	UINT(0x0102, struct db_ike_protection, version),
	ENUM(0x0103, struct db_ike_protection, role, DB_ROLE_RESPONDER + 1),
	ENUM(0x0104, struct db_ike_protection, xchg_mode,
	    DB_XCHG_AGGRESSIVE + 1),
	UINT(0x0105, struct db_ike_protection, key_overlap),
	STR(0x0106, struct db_ike_protection, def_ipsec_prot),
	UINT(0x0107, struct db_ike_protection, def_allowed),
	LIST(0x0108, struct db_ike_protection, transforms, ntransforms, K_SUB,
	    &ike_xf_d),
};
DESC(ike_prot_d, ike_prot_f);

static const struct field ike_tun_f[] = {
	STR(0x0201, struct db_ike_tunnel, name),
	UINT(0x0202, struct db_ike_tunnel, num),
	STR(0x0203, struct db_ike_tunnel, protection),
	BOOL(0x0204, struct db_ike_tunnel, autostart),
	STR(0x0205, struct db_ike_tunnel, local_addr),
	STR(0x0206, struct db_ike_tunnel, remote_addr),
	SUB(0x0207, struct db_ike_tunnel, local, ident_d),
	SUB(0x0208, struct db_ike_tunnel, remote, ident_d),
};
DESC(ike_tun_d, ike_tun_f);

static const struct field psk_f[] = {
	SUB(0x0301, struct db_psk, remote, ident_d),
	ENUM(0x0302, struct db_psk, format, DB_PSK_HEX + 1),
	BLOB(0x0303, struct db_psk, key, len),
};
DESC(psk_d, psk_f);

static const struct field group_f[] = {
	STR(0x0401, struct db_group, name),
	LIST(0x0402, struct db_group, members, nmembers, K_SUB, &ident_d),
};
DESC(group_d, group_f);

static const struct field ipsec_prop_f[] = {
	STR(0x0501, struct db_ipsec_proposal, name),
	LIST(0x0502, struct db_ipsec_proposal, protos, nprotos, K_SUB,
	    &ipsec_xf_d),
};
DESC(ipsec_prop_d, ipsec_prop_f);

static const struct field ipsec_prot_f[] = {
	STR(0x0601, struct db_ipsec_protection, name),
	LIST(0x0602, struct db_ipsec_protection, proposals, nproposals, K_STR,
	    NULL),
	ENUM(0x0603, struct db_ipsec_protection, role, DB_ROLE_RESPONDER + 1),
	UINT(0x0604, struct db_ipsec_protection, init_dh),
	UINT(0x0605, struct db_ipsec_protection, resp_dh),
	UINT(0x0606, struct db_ipsec_protection, key_overlap),
};
DESC(ipsec_prot_d, ipsec_prot_f);

static const struct field ipsec_tun_f[] = {
	STR(0x0701, struct db_ipsec_tunnel, name),
	UINT(0x0702, struct db_ipsec_tunnel, num),
	STR(0x0703, struct db_ipsec_tunnel, ike_tunnel),
	STR(0x0704, struct db_ipsec_tunnel, protection),
	BOOL(0x0705, struct db_ipsec_tunnel, autostart),
	BOOL(0x0706, struct db_ipsec_tunnel, ondemand),
	SUB(0x0707, struct db_ipsec_tunnel, local, p2ident_d),
	SUB(0x0708, struct db_ipsec_tunnel, remote, p2ident_d),
};
DESC(ipsec_tun_d, ipsec_tun_f);

static const struct desc *const type_desc[DB_T_COUNT] = {
	[DB_T_IKE_PROTECTION] = &ike_prot_d,
	[DB_T_IKE_TUNNEL] = &ike_tun_d,
	[DB_T_PSK] = &psk_d,
	[DB_T_GROUP] = &group_d,
	[DB_T_IPSEC_PROPOSAL] = &ipsec_prop_d,
	[DB_T_IPSEC_PROTECTION] = &ipsec_prot_d,
	[DB_T_IPSEC_TUNNEL] = &ipsec_tun_d,
};

/* ------------------------------------------------ struct member access */

static bool
uint_size_ok(size_t size)
{
	return size == 1 || size == 2 || size == 4;
}

/* ------------------------------------------------------------ encoding */

static bool
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static int	enc_fields(const struct desc *, struct wr *, const uint8_t *);

static int
enc_uint(const struct field *f, struct wr *w, const uint8_t *src)
{
	uint32_t v;

	if (!uint_size_ok(f->size))
		return IKE_EINVAL;
	v = db_uint_get(src, f->size);
	if (f->lim != 0 && v >= f->lim)
		return IKE_EINVAL;
	if (f->kind == K_BOOL && v > 1)
		return IKE_EINVAL;
	switch (f->size) {
	case 1:	wr_u8(w, (uint8_t)v); break;
	case 2:	wr_u16(w, (uint16_t)v); break;
	default: wr_u32(w, v); break;
	}
	return 0;
}

/* One value, without its tag: src is where it lives. */
static int
enc_value(const struct field *f, unsigned kind, struct wr *w,
    const uint8_t *src)
{
	const uint8_t *nul;

	switch (kind) {
	case K_UINT:
	case K_BOOL:
		return enc_uint(f, w, src);
	case K_STR:
		if ((nul = memchr(src, 0, f->size)) == NULL)
			return IKE_EINVAL;
		wr_bytes(w, src, (size_t)(nul - src) + 1);
		return 0;
	case K_SUB:
		return enc_fields(f->sub, w, src);
	}
	return IKE_EINVAL;
}

static int
enc_tlv(const struct field *f, unsigned kind, struct wr *w, const uint8_t *src)
{
	size_t mark;
	int rc;

	wr_u16(w, f->tag);
	mark = wr_mark16(w);
	if ((rc = enc_value(f, kind, w, src)) != 0)
		return rc;
	wr_patch16(w, mark, mark + 2);
	return 0;
}

static int
enc_field(const struct field *f, struct wr *w, const uint8_t *base)
{
	const uint8_t *src = base + f->off;
	uint32_t i, n;
	int rc;

	switch (f->kind) {
	case K_LIST:
		if ((n = db_uint_get(base + f->cnt_off, f->cnt_size)) > f->lim)
			return IKE_EINVAL;
		for (i = 0; i < n; i++) {
			rc = enc_tlv(f, f->ekind, w, src + (size_t)i * f->size);
			if (rc != 0)
				return rc;
		}
		return 0;
	case K_BLOB:
		if ((n = db_uint_get(base + f->cnt_off, f->cnt_size)) > f->lim)
			return IKE_EINVAL;
		if (n == 0)
			return 0;
		wr_u16(w, f->tag);
		wr_u16(w, (uint16_t)n);
		wr_bytes(w, src, n);
		return 0;
	case K_STR:
		if (memchr(src, 0, f->size) == src)
			return 0;		/* "" is left out */
		return enc_tlv(f, f->kind, w, src);
	case K_UINT:
	case K_BOOL:
		if (uint_size_ok(f->size) && db_uint_get(src, f->size) == 0)
			return 0;		/* 0 is left out */
		return enc_tlv(f, f->kind, w, src);
	case K_SUB:
		if (all_zero(src, f->size))
			return 0;		/* an empty struct too */
		return enc_tlv(f, f->kind, w, src);
	}
	return IKE_EINVAL;
}

static int
enc_fields(const struct desc *d, struct wr *w, const uint8_t *base)
{
	size_t i;
	int rc;

	for (i = 0; i < d->n; i++) {
		if ((rc = enc_field(&d->f[i], w, base)) != 0)
			return rc;
	}
	return 0;
}

int
record_encode(const struct db_obj *o, struct wr *w)
{
	size_t mark;
	int rc;

	if ((unsigned)o->type >= DB_T_COUNT)
		return IKE_EINVAL;
	wr_u8(w, RECORD_MAJOR << 4 | RECORD_MINOR);
	wr_u8(w, (uint8_t)o->type);
	mark = wr_mark32(w);
	rc = enc_fields(type_desc[o->type], w, (const uint8_t *)&o->u);
	if (rc != 0)
		return rc;
	wr_patch32(w, mark, mark + 4);
	return wr_error(w);
}

/* ------------------------------------------------------------ decoding */

static int	dec_fields(const struct desc *, struct rd *, uint8_t *, bool);

static int
dec_uint(const struct field *f, struct rd *v, uint8_t *dst)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	if (!uint_size_ok(f->size) || v->left != f->size)
		return IKE_EMALFORMED;
	/* The length was checked: these reads cannot fail. */
	switch (f->size) {
	case 1:	(void)rd_u8(v, &u8); u32 = u8; break;
	case 2:	(void)rd_u16(v, &u16); u32 = u16; break;
	default: (void)rd_u32(v, &u32); break;
	}
	if (f->lim != 0 && u32 >= f->lim)
		return IKE_EMALFORMED;
	if (f->kind == K_BOOL && u32 > 1)
		return IKE_EMALFORMED;
	db_uint_set(dst, f->size, u32);
	return 0;
}

static int
dec_str(const struct field *f, struct rd *v, uint8_t *dst)
{
	struct ike_slice s;
	size_t n = v->left;

	if (n == 0 || n > f->size || rd_slice(v, n, &s) != 0)
		return IKE_EMALFORMED;
	if (memchr(s.p, 0, n) != s.p + n - 1)
		return IKE_EMALFORMED;	/* no NUL at the end, or one inside */
	memcpy(dst, s.p, n);
	return 0;
}

static int
dec_value(const struct field *f, unsigned kind, struct rd *v, uint8_t *dst,
    bool skip)
{
	switch (kind) {
	case K_UINT:
	case K_BOOL:
		return dec_uint(f, v, dst);
	case K_STR:
		return dec_str(f, v, dst);
	case K_SUB:
		return dec_fields(f->sub, v, dst, skip);
	}
	return IKE_EMALFORMED;
}

static int
dec_field(const struct field *f, struct rd *v, uint8_t *base, bool skip)
{
	uint32_t n;
	int rc;

	switch (f->kind) {
	case K_LIST:
		if ((n = db_uint_get(base + f->cnt_off, f->cnt_size)) >= f->lim)
			return IKE_EMALFORMED;	/* more than the array holds */
		rc = dec_value(f, f->ekind, v, base + f->off +
		    (size_t)n * f->size, skip);
		if (rc == 0)
			db_uint_set(base + f->cnt_off, f->cnt_size, n + 1);
		return rc;
	case K_BLOB:
		if ((n = (uint32_t)v->left) > f->lim ||
		    rd_bytes(v, base + f->off, n) != 0)
			return IKE_EMALFORMED;
		db_uint_set(base + f->cnt_off, f->cnt_size, n);
		return 0;
	}
	return dec_value(f, f->kind, v, base + f->off, skip);
}

static const struct field *
find_field(const struct desc *d, uint16_t tag, size_t *idx)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->f[i].tag == tag) {
			*idx = i;
			return &d->f[i];
		}
	}
	return NULL;
}

/* Decodes TLVs until r is empty.  skip: the record is of a newer minor
 * version, whose unknown tags are skipped. */
static int
dec_fields(const struct desc *d, struct rd *r, uint8_t *base, bool skip)
{
	const struct field *f;
	uint32_t seen = 0;
	uint16_t tag, len;
	struct rd v;
	size_t i;
	int rc;

	while (r->left > 0) {
		if (rd_u16(r, &tag) != 0 || rd_u16(r, &len) != 0 ||
		    rd_sub(r, len, &v) != 0)
			return IKE_EMALFORMED;
		if ((f = find_field(d, tag, &i)) == NULL) {
			if (skip)
				continue;
			return IKE_EMALFORMED;
		}
		if (f->kind != K_LIST) {
			if (seen & (1u << i))
				return IKE_EMALFORMED;	/* field twice */
			seen |= 1u << i;
		}
		if ((rc = dec_field(f, &v, base, skip)) != 0)
			return rc;
	}
	return 0;
}

static int
dec_record(struct rd *r, enum db_type want, struct db_obj *o)
{
	uint8_t ver, type;
	uint32_t len;
	struct rd body;

	if (rd_u8(r, &ver) != 0 || rd_u8(r, &type) != 0 ||
	    rd_u32(r, &len) != 0)
		return IKE_EMALFORMED;
	if (ver >> 4 > RECORD_MAJOR)
		return IKE_EUNSUPP;
	if (ver >> 4 != RECORD_MAJOR || type >= DB_T_COUNT ||
	    (want != DB_T_COUNT && type != want))
		return IKE_EMALFORMED;
	if (len != r->left || rd_sub(r, len, &body) != 0)
		return IKE_EMALFORMED;	/* truncated or trailing bytes */
	o->type = (enum db_type)type;
	return dec_fields(type_desc[type], &body, (uint8_t *)&o->u,
	    (ver & 0x0f) > RECORD_MINOR);
}

int
record_decode(const void *buf, size_t len, enum db_type want,
    struct db_obj *out)
{
	struct db_obj *tmp;
	struct rd r;
	int rc;

	/* Decoded into a scratch copy so that a failure leaves *out alone. */
	if ((tmp = calloc(1, sizeof(*tmp))) == NULL)
		return IKE_ENOMEM;
	rd_init(&r, buf, len);
	if ((rc = dec_record(&r, want, tmp)) == 0)
		memcpy(out, tmp, sizeof(*out));
	secmem_wipe(tmp, sizeof(*tmp));		/* may hold a key */
	free(tmp);
	return rc;
}
