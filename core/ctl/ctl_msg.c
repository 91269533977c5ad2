/* core/ctl/ctl_msg.c: framing and attributes of the control protocol
 * (docs/control-protocol.md).  Decoding reads only through rd.h and
 * changes nothing but its out-parameters; encoding goes through wr.h. */
#include "ctl_msg.h"

#include <stdbool.h>
#include <string.h>

#include "../err.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* What the decoder knows about a tag: a fixed value size, a string, or a
 * nested sequence.  Tags not listed are accepted as opaque bytes. */
enum attr_kind { AK_FIXED, AK_STRING, AK_NESTED };

static const struct {
	uint16_t	tag;
	enum attr_kind	kind;
	uint8_t		size;	/* AK_FIXED only */
} attr_kinds[] = {
	{ CTL_A_PHASE, AK_FIXED, 1 },
	{ CTL_A_RANGE, AK_FIXED, 8 },
	{ CTL_A_NAME, AK_STRING, 0 },
	{ CTL_A_REMID, AK_STRING, 0 },
	{ CTL_A_IPSRC, AK_STRING, 0 },
	{ CTL_A_IPDST, AK_STRING, 0 },
	{ CTL_A_FLAGS, AK_FIXED, 4 },
	{ CTL_A_ROLE, AK_FIXED, 1 },
	{ CTL_A_RESULT, AK_FIXED, 4 },
	{ CTL_A_MESSAGE, AK_STRING, 0 },
	{ CTL_A_TUNNEL, AK_NESTED, 0 },
	{ CTL_A_KV, AK_NESTED, 0 },
	{ CTL_A_KEY, AK_STRING, 0 },
	{ CTL_A_VALUE, AK_STRING, 0 },
	{ CTL_A_T_PHASE, AK_FIXED, 1 },
	{ CTL_A_T_NUM, AK_FIXED, 4 },
	{ CTL_A_T_STATUS, AK_STRING, 0 },
	{ CTL_A_T_LOCAL, AK_STRING, 0 },
	{ CTL_A_T_REMOTE, AK_STRING, 0 },
	{ CTL_A_T_PARENT, AK_FIXED, 4 },
	{ CTL_A_T_DETAIL, AK_NESTED, 0 },
};

int
ctl_hdr_decode(const uint8_t hdr[CTL_HDR_LEN], size_t max, uint8_t *type,
    uint32_t *body_len)
{
	struct rd r;
	uint8_t version, t;
	uint16_t reserved;
	uint32_t len;

	rd_init(&r, hdr, CTL_HDR_LEN);
	if (rd_u8(&r, &version) != 0 || rd_u8(&r, &t) != 0 ||
	    rd_u16(&r, &reserved) != 0 || rd_u32(&r, &len) != 0)
		return IKE_ESHORT;
	if (version != CTL_VERSION)
		return IKE_EUNSUPP;
	if (reserved != 0)
		return IKE_EMALFORMED;
	if (len > max)
		return IKE_ENOSPC;
	*type = t;
	*body_len = len;
	return 0;
}

static int
check_seq(const uint8_t *p, size_t len, int depth);

static int
check_value(uint16_t tag, const struct ike_slice *v, int depth)
{
	size_t i;

	for (i = 0; i < nitems(attr_kinds); i++) {
		if (attr_kinds[i].tag != tag)
			continue;
		switch (attr_kinds[i].kind) {
		case AK_FIXED:
			return v->len == attr_kinds[i].size ? 0 :
			    IKE_EMALFORMED;
		case AK_STRING:
			return v->len == 0 || memchr(v->p, '\0', v->len) ==
			    NULL ? 0 : IKE_EMALFORMED;
		case AK_NESTED:
			return check_seq(v->p, v->len, depth + 1);
		}
	}
	return 0;
}

static int
check_seq(const uint8_t *p, size_t len, int depth)
{
	struct ike_slice v;
	struct rd r;
	uint16_t tag, alen;
	size_t n = 0;
	int rc;

	if (depth > CTL_MAX_DEPTH)
		return IKE_EMALFORMED;
	rd_init(&r, p, len);
	while (r.left > 0) {
		if (++n > CTL_MAX_ATTRS)
			return IKE_EMALFORMED;
		if (rd_u16(&r, &tag) != 0 || rd_u16(&r, &alen) != 0 ||
		    rd_slice(&r, alen, &v) != 0)
			return IKE_EMALFORMED;
		if ((rc = check_value(tag, &v, depth)) != 0)
			return rc;
	}
	return 0;
}

int
ctl_decode(uint8_t type, const uint8_t *body, size_t len, struct ctl_msg *out)
{
	int rc;

	if (body == NULL && len != 0)
		return IKE_EMALFORMED;
	if ((rc = check_seq(body, len, 0)) != 0)
		return rc;
	out->type = type;
	out->body = body;
	out->len = len;
	return 0;
}

int
ctl_next(const struct ctl_msg *m, size_t *pos, struct ctl_attr *out)
{
	struct ike_slice v;
	struct rd r;
	uint16_t tag, alen;

	if (*pos >= m->len)
		return IKE_ENOTFOUND;
	rd_init(&r, m->body + *pos, m->len - *pos);
	if (rd_u16(&r, &tag) != 0 || rd_u16(&r, &alen) != 0 ||
	    rd_slice(&r, alen, &v) != 0)
		return IKE_EMALFORMED;
	*pos = m->len - r.left;
	out->tag = tag;
	out->val = v;
	return 0;
}

size_t
ctl_count(const struct ctl_msg *m, uint16_t tag)
{
	struct ctl_attr a;
	size_t pos = 0, n = 0;

	while (ctl_next(m, &pos, &a) == 0) {
		if (a.tag == tag)
			n++;
	}
	return n;
}

int
ctl_find_nth(const struct ctl_msg *m, uint16_t tag, size_t n,
    struct ctl_attr *out)
{
	struct ctl_attr a;
	size_t pos = 0;
	int rc;

	while ((rc = ctl_next(m, &pos, &a)) == 0) {
		if (a.tag != tag)
			continue;
		if (n-- == 0) {
			*out = a;
			return 0;
		}
	}
	return rc;
}

/* The n-th attribute with tag, with a value of exactly size bytes. */
static int
find_sized(const struct ctl_msg *m, uint16_t tag, size_t n, size_t size,
    struct rd *val)
{
	struct ctl_attr a;
	int rc;

	if ((rc = ctl_find_nth(m, tag, n, &a)) != 0)
		return rc;
	if (a.val.len != size)
		return IKE_EMALFORMED;
	rd_init(val, a.val.p, a.val.len);
	return 0;
}

int
ctl_get_u8(const struct ctl_msg *m, uint16_t tag, uint8_t *v)
{
	struct rd r;
	int rc;

	if ((rc = find_sized(m, tag, 0, 1, &r)) != 0)
		return rc;
	return rd_u8(&r, v);
}

int
ctl_get_u32(const struct ctl_msg *m, uint16_t tag, uint32_t *v)
{
	struct rd r;
	int rc;

	if ((rc = find_sized(m, tag, 0, 4, &r)) != 0)
		return rc;
	return rd_u32(&r, v);
}

int
ctl_get_range_nth(const struct ctl_msg *m, size_t n, uint32_t *lo,
    uint32_t *hi)
{
	struct rd r;
	uint32_t a, b;
	int rc;

	if ((rc = find_sized(m, CTL_A_RANGE, n, 8, &r)) != 0)
		return rc;
	if ((rc = rd_u32(&r, &a)) != 0 || (rc = rd_u32(&r, &b)) != 0)
		return rc;
	*lo = a;
	*hi = b;
	return 0;
}

int
ctl_get_str_nth(const struct ctl_msg *m, uint16_t tag, size_t n, char *buf,
    size_t len)
{
	struct ctl_attr a;
	int rc;

	if ((rc = ctl_find_nth(m, tag, n, &a)) != 0)
		return rc;
	if (a.val.len != 0 && memchr(a.val.p, '\0', a.val.len) != NULL)
		return IKE_EMALFORMED;
	if (len == 0 || a.val.len > len - 1)
		return IKE_ENOSPC;
	if (a.val.len != 0)
		memcpy(buf, a.val.p, a.val.len);
	buf[a.val.len] = '\0';
	return 0;
}

int
ctl_nested(const struct ctl_msg *m, const struct ctl_attr *a,
    struct ctl_msg *out)
{
	return ctl_decode(m->type, a->val.p, a->val.len, out);
}

void
ctl_begin(struct wr *w, uint8_t type)
{
	wr_u8(w, CTL_VERSION);
	wr_u8(w, type);
	wr_u16(w, 0);
	(void)wr_mark32(w);	/* always offset 4: ctl_end() patches it */
}

void
ctl_put_u8(struct wr *w, uint16_t tag, uint8_t v)
{
	wr_u16(w, tag);
	wr_u16(w, 1);
	wr_u8(w, v);
}

void
ctl_put_u32(struct wr *w, uint16_t tag, uint32_t v)
{
	wr_u16(w, tag);
	wr_u16(w, 4);
	wr_u32(w, v);
}

void
ctl_put_str(struct wr *w, uint16_t tag, const char *s)
{
	size_t mark;

	wr_u16(w, tag);
	mark = wr_mark16(w);
	wr_bytes(w, s, strlen(s));
	wr_patch16(w, mark, mark + 2);	/* IKE_ENOSPC past 65535 bytes */
}

void
ctl_put_range(struct wr *w, uint32_t lo, uint32_t hi)
{
	wr_u16(w, CTL_A_RANGE);
	wr_u16(w, 8);
	wr_u32(w, lo);
	wr_u32(w, hi);
}

size_t
ctl_nest_begin(struct wr *w, uint16_t tag)
{
	wr_u16(w, tag);
	return wr_mark16(w);
}

void
ctl_nest_end(struct wr *w, size_t mark)
{
	wr_patch16(w, mark, mark + 2);
}

void
ctl_put_kv(struct wr *w, const char *key, const char *value)
{
	size_t mark = ctl_nest_begin(w, CTL_A_KV);

	ctl_put_str(w, CTL_A_KEY, key);
	ctl_put_str(w, CTL_A_VALUE, value);
	ctl_nest_end(w, mark);
}

int
ctl_end(struct wr *w)
{
	int rc;

	if ((rc = wr_error(w)) != 0)
		return rc;
	if (w->len < CTL_HDR_LEN || w->buf[0] != CTL_VERSION)
		return IKE_EINVAL;	/* no ctl_begin() at offset 0 */
	if (w->len - CTL_HDR_LEN > CTL_REPLY_MAX)
		return IKE_ENOSPC;
	wr_patch32(w, 4, CTL_HDR_LEN);
	return wr_error(w);
}

const char *
ctl_type_name(uint8_t type)
{
	switch (type & ~CTL_T_REPLY) {
	case CTL_T_ACTIVATE:	return "activate";
	case CTL_T_LIST:	return "list";
	case CTL_T_REMOVE:	return "remove";
	case CTL_T_LOG:		return "log";
	case CTL_T_STATUS:	return "status";
	}
	return "unknown";
}

const char *
ctl_result_name(uint32_t result)
{
	switch (result) {
	case CTL_R_OK:		return "ok";
	case CTL_R_USAGE:	return "usage";
	case CTL_R_FAILED:	return "failed";
	case CTL_R_UNSUPPORTED:	return "unsupported";
	case CTL_R_EXISTS:	return "exists";
	}
	return "unknown";
}
