/* core/tunnel/tm_dn.c: X.500 names, text <-> DER (tm_dn.h). */
#include "core/tunnel/tm_dn.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codec/rd.h"
#include "core/err.h"

#define ASN1_UTF8	0x0c
#define ASN1_PRINTABLE	0x13
#define ASN1_T61	0x14
#define ASN1_IA5	0x16
#define ASN1_OID	0x06
#define ASN1_SEQ	0x30
#define ASN1_SET	0x31
#define DN_MAX		1024	/* working buffers; an ID holds 256 */
#define DN_TYPE_MAX	64	/* an attribute type (name or OID), NUL */
#define DN_OID_MAX	16	/* DER contents of an attribute type */

struct dn_attr {
	const char	*name;		/* as written out */
	const char	*alias;		/* another spelling; or NULL */
	uint8_t		 oid[DN_OID_MAX];	/* DER contents of the OID */
	uint8_t		 oidlen;
	uint8_t		 str;		/* string type written */
};

static const struct dn_attr attrs[] = {
	{ "C", NULL, { 0x55, 4, 6 }, 3, ASN1_PRINTABLE },
	{ "ST", "S", { 0x55, 4, 8 }, 3, ASN1_UTF8 },
	{ "L", NULL, { 0x55, 4, 7 }, 3, ASN1_UTF8 },
	{ "O", NULL, { 0x55, 4, 10 }, 3, ASN1_UTF8 },
	{ "OU", NULL, { 0x55, 4, 11 }, 3, ASN1_UTF8 },
	{ "CN", NULL, { 0x55, 4, 3 }, 3, ASN1_UTF8 },
	{ "SN", NULL, { 0x55, 4, 4 }, 3, ASN1_UTF8 },
	{ "GN", "givenName", { 0x55, 4, 42 }, 3, ASN1_UTF8 },
	{ "serialNumber", NULL, { 0x55, 4, 5 }, 3, ASN1_PRINTABLE },
	{ "street", NULL, { 0x55, 4, 9 }, 3, ASN1_UTF8 },
	{ "title", NULL, { 0x55, 4, 12 }, 3, ASN1_UTF8 },
	{ "emailAddress", "E", { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9,
	    1 }, 9, ASN1_IA5 },
	{ "email", NULL, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 1 }, 9,
	    ASN1_IA5 },
	{ "DC", NULL, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 1,
	    25 }, 10, ASN1_IA5 },
	{ "UID", NULL, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 1,
	    1 }, 10, ASN1_UTF8 },
};
#define NATTRS	(sizeof(attrs) / sizeof(attrs[0]))

/* ------------------------------------------------------- text -> DER */

/* A growing DER buffer; len past cap means it did not fit. */
struct dbuf {
	uint8_t	*p;
	size_t	 cap, len;
};

static void
put(struct dbuf *b, const void *src, size_t n)
{
	if (b->len <= b->cap && n <= b->cap - b->len)
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

/* Tag and length (short form, or long form of 1 or 2 octets). */
static void
put_tl(struct dbuf *b, uint8_t tag, size_t n)
{
	uint8_t h[4] = { tag, 0, 0, 0 };

	if (n < 0x80) {
		h[1] = (uint8_t)n;
		put(b, h, 2);
	} else if (n < 0x100) {
		h[1] = 0x81;
		h[2] = (uint8_t)n;
		put(b, h, 3);
	} else {
		h[1] = 0x82;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		put(b, h, 4);
	}
}

static const struct dn_attr *
attr_by_name(const char *t)
{
	size_t i;

	for (i = 0; i < NATTRS; i++)
		if (strcasecmp(t, attrs[i].name) == 0 ||
		    (attrs[i].alias != NULL &&
		    strcasecmp(t, attrs[i].alias) == 0))
			return &attrs[i];
	return NULL;
}

/* A dotted type ("2.5.4.65") as an attribute of its own, its value a
 * UTF8String.  false for anything else, or an OID over DN_OID_MAX. */
static bool
attr_dotted(const char *t, struct dn_attr *a)
{
	unsigned long arc[DN_OID_MAX];
	size_t n = 0, i, o = 0;
	char *end;
	int k;

	memset(a, 0, sizeof(*a));
	a->str = ASN1_UTF8;
	for (;;) {
		if (!isdigit((unsigned char)*t) || n == DN_OID_MAX)
			return false;
		arc[n++] = strtoul(t, &end, 10);
		if (arc[n - 1] > 0xffffffffUL)
			return false;
		if (*end == '\0')
			break;
		if (*end != '.')
			return false;
		t = end + 1;
	}
	if (n < 2 || arc[0] > 2 || (arc[0] < 2 && arc[1] > 39) ||
	    arc[1] > 0xffffffffUL - 80)
		return false;
	arc[1] += arc[0] * 40;
	for (i = 1; i < n; i++)
		for (k = 28; k >= 0; k -= 7) {
			if (k > 0 && (arc[i] >> k) == 0)
				continue;
			if (o == DN_OID_MAX)
				return false;
			a->oid[o++] = (uint8_t)(((arc[i] >> k) & 0x7f) |
			    (k > 0 ? 0x80 : 0));
		}
	a->oidlen = (uint8_t)o;
	return true;
}

/* The next type=value of *s up to an unescaped sep: both without
 * blanks at their ends, escapes resolved; *bad when it is not
 * type=value, *trail when a separator ended it.  false at the end. */
static bool
next_pair(const char **s, char sep, char *t, char *v, bool *bad,
    bool *trail)
{
	const char *p = *s;
	size_t i = 0, j = 0, keep = 0;
	bool cut = false;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return false;
	for (; *p != '\0' && *p != '=' && *p != sep; p++) {
		if (*p == ' ')
			continue;
		if (i + 1 < DN_TYPE_MAX)
			t[i++] = *p;
		else
			cut = true;
	}
	t[i] = '\0';
	*bad = *p != '=' || i == 0 || cut;
	if (*p == '=')
		p++;
	while (*p == ' ')
		p++;
	for (; *p != '\0' && *p != sep; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (j + 1 >= DN_MAX) {
			*bad = true;
			continue;
		}
		v[j++] = *p;
		if (*p != ' ' || p[-1] == '\\')
			keep = j;	/* escaped blanks stay */
	}
	v[keep] = '\0';
	*bad = *bad || keep == 0;
	*trail = *p == sep;
	*s = *p == sep ? p + 1 : p;
	return true;
}

/* One RDN: SET { SEQUENCE { OID, string } }. */
static void
put_rdn(struct dbuf *b, const struct dn_attr *a, const char *v)
{
	size_t vl = strlen(v), atv = 2 + a->oidlen + 2 + vl;

	if (vl >= 0x80)
		atv += vl < 0x100 ? 1 : 2;
	put_tl(b, ASN1_SET, atv + (atv < 0x80 ? 2 : atv < 0x100 ? 3 : 4));
	put_tl(b, ASN1_SEQ, atv);
	put_tl(b, ASN1_OID, a->oidlen);
	put(b, a->oid, a->oidlen);
	put_tl(b, a->str, vl);
	put(b, v, vl);
}

int
tm_dn_to_der(const char *text, uint8_t *der, size_t max, size_t *len)
{
	uint8_t body[DN_MAX];
	struct dbuf b = { body, sizeof(body), 0 }, out = { der, max, 0 };
	const struct dn_attr *a;
	struct dn_attr dotted;
	char t[DN_TYPE_MAX], v[DN_MAX];
	char sep = text[0] == '/' ? '/' : ',';
	const char *s = sep == '/' ? text + 1 : text;
	bool bad = false, trail = false;
	size_t n = 0;

	while (next_pair(&s, sep, t, v, &bad, &trail)) {
		if (!bad && (a = attr_by_name(t)) == NULL &&
		    attr_dotted(t, &dotted))
			a = &dotted;
		if (bad || a == NULL)
			return IKE_EINVAL;
		put_rdn(&b, a, v);
		n++;
	}
	if (n == 0 || trail)	/* nothing, or nothing after a separator */
		return IKE_EINVAL;
	if (b.len > b.cap)
		return IKE_ENOSPC;
	put_tl(&out, ASN1_SEQ, b.len);
	put(&out, body, b.len);
	if (out.len > out.cap)
		return IKE_ENOSPC;
	*len = out.len;
	return 0;
}

/* ------------------------------------------------------- DER -> text */

/* One TLV: the tag and the contents (definite length, at most 2 length
 * octets: nothing in an ID is longer). */
static int
rd_tlv(struct rd *r, uint8_t *tag, struct rd *val)
{
	uint8_t l0, l1 = 0, l2;
	size_t n;

	if (rd_u8(r, tag) != 0 || rd_u8(r, &l0) != 0)
		return IKE_EMALFORMED;
	if (l0 < 0x80)
		n = l0;
	else if (l0 == 0x81 && rd_u8(r, &l1) == 0 && l1 >= 0x80)
		n = l1;
	else if (l0 == 0x82 && rd_u8(r, &l1) == 0 && rd_u8(r, &l2) == 0 &&
	    l1 != 0)
		n = (size_t)l1 << 8 | l2;
	else
		return IKE_EMALFORMED;
	return rd_sub(r, n, val) == 0 ? 0 : IKE_EMALFORMED;
}

/* Appends to buf (NUL-ended, cut at n). */
static void
app(char *buf, size_t n, size_t *o, const char *s, size_t sl)
{
	size_t k = *o + 1 < n ? n - 1 - *o : 0;

	if (sl > k)
		sl = k;
	memcpy(buf + *o, s, sl);
	*o += sl;
	buf[*o] = '\0';
}

/* The OID's name, or its dotted form (the first subidentifier holds
 * the first two arcs: X.690 s. 8.19.4). */
static void
oid_text(const struct ike_slice *oid, char *t, size_t tn)
{
	uint64_t arc = 0;
	size_t i, o = 0;
	bool first = true;

	for (i = 0; i < NATTRS; i++)
		if (attrs[i].oidlen == oid->len &&
		    memcmp(attrs[i].oid, oid->p, oid->len) == 0) {
			snprintf(t, tn, "%s", attrs[i].name);
			return;
		}
	t[0] = '\0';
	for (i = 0; i < oid->len && o < tn; i++) {
		arc = arc << 7 | (oid->p[i] & 0x7f);
		if (oid->p[i] & 0x80)
			continue;
		if (first)
			o += (size_t)snprintf(t + o, tn - o, "%u.%llu",
			    arc < 80 ? (unsigned)(arc / 40) : 2u,
			    (unsigned long long)(arc < 80 ? arc % 40 :
			    arc - 80));
		else
			o += (size_t)snprintf(t + o, tn - o, ".%llu",
			    (unsigned long long)arc);
		first = false;
		arc = 0;
	}
}

static void
value_text(const struct ike_slice *v, char *buf, size_t n, size_t *o)
{
	char e[8];
	size_t i;
	uint8_t c;

	for (i = 0; i < v->len; i++) {
		c = v->p[i];
		if (c < 0x20 || c == 0x7f) {
			snprintf(e, sizeof(e), "\\%02x", c);
			app(buf, n, o, e, 3);
			continue;
		}
		if (c == ',' || c == '+' || c == '\\')
			app(buf, n, o, "\\", 1);
		app(buf, n, o, (const char *)&v->p[i], 1);
	}
}

/* One AttributeTypeAndValue; more in the same RDN follow a '+'. */
static int
atv_text(struct rd *set, bool more, char *buf, size_t n, size_t *o)
{
	struct rd atv, oid, val;
	struct ike_slice os, vs;
	uint8_t tag;
	char t[64];

	if (rd_tlv(set, &tag, &atv) != 0 || tag != ASN1_SEQ ||
	    rd_tlv(&atv, &tag, &oid) != 0 || tag != ASN1_OID ||
	    oid.left == 0 || rd_slice(&oid, oid.left, &os) != 0 ||
	    rd_tlv(&atv, &tag, &val) != 0 || atv.left != 0 ||
	    (tag != ASN1_UTF8 && tag != ASN1_PRINTABLE && tag != ASN1_T61 &&
	    tag != ASN1_IA5) || rd_slice(&val, val.left, &vs) != 0)
		return IKE_EMALFORMED;
	oid_text(&os, t, sizeof(t));
	if (more)
		app(buf, n, o, "+", 1);
	else if (*o > 0)
		app(buf, n, o, ", ", 2);
	app(buf, n, o, t, strlen(t));
	app(buf, n, o, "=", 1);
	value_text(&vs, buf, n, o);
	return 0;
}

int
tm_dn_from_der(const uint8_t *der, size_t len, char *buf, size_t n)
{
	struct rd r, seq, set;
	uint8_t tag;
	size_t o = 0;
	bool more;

	buf[0] = '\0';
	rd_init(&r, der, len);
	if (rd_tlv(&r, &tag, &seq) != 0 || tag != ASN1_SEQ || r.left != 0)
		return IKE_EMALFORMED;
	while (seq.left > 0) {
		if (rd_tlv(&seq, &tag, &set) != 0 || tag != ASN1_SET ||
		    set.left == 0)
			return IKE_EMALFORMED;
		for (more = false; set.left > 0; more = true)
			if (atv_text(&set, more, buf, n, &o) != 0)
				return IKE_EMALFORMED;
	}
	return 0;
}
