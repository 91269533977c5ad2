#include "codec_test.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/codec/wr.h"

#ifndef CODEC_VECTOR_DIR
#error CODEC_VECTOR_DIR must name tests/codec/vectors
#endif

struct cx_node {
	struct cx_node	*next;
	max_align_t	 align[];
};

static struct cx_node *cx_list;

static void *
cx_alloc(size_t n)
{
	struct cx_node *b = calloc(1, sizeof(*b) + n + 1);

	assert_non_null(b);
	b->next = cx_list;
	cx_list = b;
	return b->align;
}

int
cx_teardown(void **state)
{
	struct cx_node *b;

	(void)state;
	while ((b = cx_list) != NULL) {
		cx_list = b->next;
		free(b);
	}
	return 0;
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t *
cx_hex(const char *s, size_t *len)
{
	uint8_t *out = cx_alloc(strlen(s) / 2);
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0'; s++) {
		if (*s == '#') {
			while (s[1] != '\0' && s[1] != '\n')
				s++;
			continue;
		}
		if (isspace((unsigned char)*s))
			continue;
		if ((v = nibble(*s)) < 0)
			fail_msg("bad hex digit '%c' in test vector", *s);
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		fail_msg("odd number of hex digits in test vector");
	*len = n;
	return out;
}

uint8_t *
cx_vector(const char *name, size_t *len)
{
	char path[512];
	char *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s.hex", CODEC_VECTOR_DIR, name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = cx_alloc((size_t)n);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return cx_hex(text, len);
}

uint8_t *
cx_dup(const void *p, size_t n)
{
	uint8_t *b = cx_alloc(n);

	if (p != NULL && n > 0)
		memcpy(b, p, n);
	return b;
}

struct ike_msg *
cx_msg(void)
{
	return cx_alloc(sizeof(struct ike_msg));
}

uint8_t *
cx_encode(const struct ike_msg *m, size_t *len)
{
	struct wr w;
	uint8_t *out;
	int rc;

	wr_init(&w, 0);
	rc = codec_encode(m, NULL, &w, NULL);
	if (rc != 0)
		fail_msg("codec_encode: %d", rc);
	out = cx_dup(w.buf, w.len);
	*len = w.len;
	wr_free(&w);
	return out;
}

struct ike_msg *
cx_roundtrip(const uint8_t *buf, size_t len)
{
	struct ike_msg *m = cx_msg();
	struct codec_diag d;
	uint8_t *out;
	size_t olen;
	int rc;

	if ((rc = codec_decode(buf, len, m, &d)) != 0)
		fail_msg("codec_decode: %d, %s in %s at offset %zu", rc,
		    codec_why_str(d.why), codec_pl_name(d.pl_type), d.offset);
	out = cx_encode(m, &olen);
	assert_int_equal(olen, len);
	assert_memory_equal(out, buf, len);
	return m;
}

struct codec_diag
cx_reject(const uint8_t *buf, size_t len, int rc, enum codec_why why)
{
	struct ike_msg *m = cx_msg();
	struct codec_diag d;
	int got = codec_decode(buf, len, m, &d);

	if (got != rc || d.why != why)
		fail_msg("codec_decode: %d (%s), want %d (%s)", got,
		    codec_why_str(d.why), rc, codec_why_str(why));
	assert_int_equal(m->npl, 0);
	return d;
}

void
cx_set_len(uint8_t *buf, size_t len)
{
	buf[24] = (uint8_t)(len >> 24);
	buf[25] = (uint8_t)(len >> 16);
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
}

static void
slice_eq(struct ike_slice a, struct ike_slice b)
{
	assert_int_equal(a.len, b.len);
	if (a.len > 0)
		assert_memory_equal(a.p, b.p, a.len);
}

static void
attrs_eq(const struct ike_msg *a, const struct ike_xform *xa,
    const struct ike_msg *b, const struct ike_xform *xb)
{
	const struct ike_attr *x, *y;
	size_t i;

	assert_int_equal(xa->nattr, xb->nattr);
	for (i = 0; i < xa->nattr; i++) {
		x = &a->attr[xa->attr0 + i];
		y = &b->attr[xb->attr0 + i];
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->tv, y->tv);
		assert_int_equal(x->value, y->value);
		slice_eq(x->data, y->data);
	}
}

static void
sa_eq(const struct ike_msg *a, const struct pl_sa *sa,
    const struct ike_msg *b, const struct pl_sa *sb)
{
	const struct ike_prop *p, *q;
	const struct ike_xform *x, *y;
	size_t i, k;

	assert_int_equal(sa->nprop, sb->nprop);
	for (i = 0; i < sa->nprop; i++) {
		p = &a->prop[sa->prop0 + i];
		q = &b->prop[sb->prop0 + i];
		assert_int_equal(p->num, q->num);
		assert_int_equal(p->proto, q->proto);
		assert_int_equal(p->spi_size, q->spi_size);
		assert_true(p->spi == q->spi);
		assert_int_equal(p->nxf, q->nxf);
		for (k = 0; k < p->nxf; k++) {
			x = &a->xf[p->xf0 + k];
			y = &b->xf[q->xf0 + k];
			assert_int_equal(x->type, y->type);
			assert_int_equal(x->id, y->id);
			attrs_eq(a, x, b, y);
		}
	}
}

static void
ts_eq(const struct ike_msg *a, const struct pl_ts *ta,
    const struct ike_msg *b, const struct pl_ts *tb)
{
	const struct ike_tsel *x, *y;
	size_t i;

	assert_int_equal(ta->nts, tb->nts);
	for (i = 0; i < ta->nts; i++) {
		x = &a->ts[ta->ts0 + i];
		y = &b->ts[tb->ts0 + i];
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->proto, y->proto);
		assert_int_equal(x->sport, y->sport);
		assert_int_equal(x->eport, y->eport);
		assert_memory_equal(x->start, y->start, sizeof(x->start));
		assert_memory_equal(x->end, y->end, sizeof(x->end));
		slice_eq(x->raw, y->raw);
	}
}

static void
cp_eq(const struct ike_msg *a, const struct pl_cp *ca,
    const struct ike_msg *b, const struct pl_cp *cb)
{
	size_t i;

	assert_int_equal(ca->type, cb->type);
	assert_int_equal(ca->nattr, cb->nattr);
	for (i = 0; i < ca->nattr; i++) {
		assert_int_equal(a->cp[ca->attr0 + i].type,
		    b->cp[cb->attr0 + i].type);
		slice_eq(a->cp[ca->attr0 + i].value,
		    b->cp[cb->attr0 + i].value);
	}
}

static void
simple_eq(const struct ike_pl *x, const struct ike_pl *y)
{
	switch (x->type) {
	case IKEV2_PL_KE:
		assert_int_equal(x->u.ke.group, y->u.ke.group);
		slice_eq(x->u.ke.data, y->u.ke.data);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		assert_int_equal(x->u.id.type, y->u.id.type);
		slice_eq(x->u.id.data, y->u.id.data);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		assert_int_equal(x->u.cert.encoding, y->u.cert.encoding);
		slice_eq(x->u.cert.data, y->u.cert.data);
		break;
	case IKEV2_PL_AUTH:
		assert_int_equal(x->u.auth.method, y->u.auth.method);
		slice_eq(x->u.auth.data, y->u.auth.data);
		break;
	case IKEV2_PL_NONCE:
		slice_eq(x->u.nonce.data, y->u.nonce.data);
		break;
	case IKEV2_PL_VENDOR:
		slice_eq(x->u.vendor.data, y->u.vendor.data);
		break;
	case IKEV2_PL_SK:
		assert_int_equal(x->next, y->next);
		slice_eq(x->u.sk.data, y->u.sk.data);
		break;
	}
}

static void
other_eq(const struct ike_pl *x, const struct ike_pl *y)
{
	switch (x->type) {
	case IKEV2_PL_NOTIFY:
		assert_int_equal(x->u.notify.proto, y->u.notify.proto);
		assert_int_equal(x->u.notify.spi_size, y->u.notify.spi_size);
		assert_int_equal(x->u.notify.type, y->u.notify.type);
		assert_true(x->u.notify.spi == y->u.notify.spi);
		slice_eq(x->u.notify.data, y->u.notify.data);
		break;
	case IKEV2_PL_DELETE:
		assert_int_equal(x->u.del.proto, y->u.del.proto);
		assert_int_equal(x->u.del.spi_size, y->u.del.spi_size);
		assert_int_equal(x->u.del.nspi, y->u.del.nspi);
		slice_eq(x->u.del.spis, y->u.del.spis);
		break;
	case IKEV2_PL_SKF:
		assert_int_equal(x->next, y->next);
		assert_int_equal(x->u.skf.frag_num, y->u.skf.frag_num);
		assert_int_equal(x->u.skf.frag_total, y->u.skf.frag_total);
		slice_eq(x->u.skf.data, y->u.skf.data);
		break;
	case IKEV2_PL_EAP:
		assert_int_equal(x->u.eap.code, y->u.eap.code);
		assert_int_equal(x->u.eap.ident, y->u.eap.ident);
		assert_int_equal(x->u.eap.type, y->u.eap.type);
		slice_eq(x->u.eap.data, y->u.eap.data);
		break;
	default:
		simple_eq(x, y);
	}
}

static void
pl_eq(const struct ike_msg *a, const struct ike_pl *x,
    const struct ike_msg *b, const struct ike_pl *y)
{
	assert_int_equal(x->type, y->type);
	assert_int_equal(x->critical, y->critical);
	assert_int_equal(x->skipped, y->skipped);
	assert_int_equal(x->encrypted, y->encrypted);
	if (x->skipped) {
		slice_eq(x->body, y->body);
		return;
	}
	switch (x->type) {
	case IKEV2_PL_SA:
		sa_eq(a, &x->u.sa, b, &y->u.sa);
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		ts_eq(a, &x->u.ts, b, &y->u.ts);
		break;
	case IKEV2_PL_CP:
		cp_eq(a, &x->u.cp, b, &y->u.cp);
		break;
	default:
		other_eq(x, y);
	}
}

void
cx_assert_msg_equal(const struct ike_msg *a, const struct ike_msg *b)
{
	size_t i;

	assert_true(a->hdr.spi_i == b->hdr.spi_i);
	assert_true(a->hdr.spi_r == b->hdr.spi_r);
	assert_int_equal(a->hdr.major ? a->hdr.major : 2,
	    b->hdr.major ? b->hdr.major : 2);
	assert_int_equal(a->hdr.minor, b->hdr.minor);
	assert_int_equal(a->hdr.exchange, b->hdr.exchange);
	assert_int_equal(a->hdr.flags, b->hdr.flags);
	assert_int_equal(a->hdr.msgid, b->hdr.msgid);
	assert_int_equal(a->npl, b->npl);
	for (i = 0; i < a->npl; i++)
		pl_eq(a, &a->pl[i], b, &b->pl[i]);
}
