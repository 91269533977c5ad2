/* What the IKEv2 decoder refuses, and why: every truncation of valid
 * messages, every length field of all_payloads.hex made too small, too
 * big or zero, counts, SPI sizes, "last" markers, proposal numbering,
 * the array bounds, nonce sizes, unknown critical payloads (refused
 * with their type) and non-critical ones (skipped), the header, SK
 * placement, and each payload's own rules.  Run under ASan: each input
 * sits in a buffer of exactly its size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

/* Decodes a private copy of exactly len bytes. */
static int
decode_exact(const uint8_t *b, size_t len, struct ike_msg *m,
    struct codec_diag *d)
{
	uint8_t *copy = len > 0 ? malloc(len) : NULL;
	int rc;

	if (len > 0) {
		assert_non_null(copy);
		memcpy(copy, b, len);
	}
	rc = codec_decode(copy, len, m, d);
	free(copy);
	return rc;
}

static const uint8_t zero_msg[sizeof(struct ike_msg)];

/* ---------------------------------------------------------- truncation */

static void
truncated_everywhere(void **state)
{
	static const char *const names[] = { "all_payloads", "sa_init_req",
	    "sa_init_resp", "sa_init_cookie", "rfc7634_b", "skf_frag1" };
	struct ike_msg *m = cx_msg();
	struct codec_diag d;
	size_t i, n, len;
	uint8_t *b, *t;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		b = cx_vector(names[i], &len);
		for (n = 0; n < len; n++) {
			assert_true(decode_exact(b, n, m, &d) < 0);
			assert_memory_equal(m, zero_msg, sizeof(*m));
			if (n < IKEV2_HDR_LEN) {
				assert_int_equal(d.why, CODEC_TRUNCATED);
				continue;
			}
			assert_int_equal(d.why, CODEC_HDR_LENGTH);
			/* the header agrees: the payloads are cut */
			t = cx_dup(b, n);
			cx_set_len(t, n);
			assert_true(decode_exact(t, n, m, &d) < 0);
			assert_memory_equal(m, zero_msg, sizeof(*m));
			assert_true(d.why == CODEC_TRUNCATED ||
			    d.why == CODEC_PL_LENGTH);
		}
		assert_int_equal(decode_exact(b, len, m, &d), 0);
	}
}

/* An SK payload to decode inner chains into. */
static struct ike_msg *
with_sk(uint8_t exchange)
{
	static const uint8_t b[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		0x2e, 0x20, 0, 0x08, 0, 0, 0, 1, 0, 0, 0, 40,	/* header */
		0, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8,		/* SK */
	};
	struct ike_msg *m = cx_msg();
	uint8_t *copy = cx_dup(b, sizeof(b));

	copy[18] = exchange;
	assert_int_equal(codec_decode(copy, sizeof(b), m, NULL), 0);
	return m;
}

static void
inner_truncated_everywhere(void **state)
{
	static const struct { const char *name; uint8_t first; } v[] = {
		{ "auth_req_inner", IKEV2_PL_IDI },
		{ "ccsa_child_req_inner", IKEV2_PL_NOTIFY },
		{ "auth_resp_eap_inner", IKEV2_PL_IDR },
	};
	struct ike_msg *m = with_sk(IKEV2_EXCH_IKE_AUTH), *before = cx_msg();
	struct codec_diag d;
	size_t i, n, len;
	uint8_t *b, *t;

	(void)state;
	memcpy(before, m, sizeof(*m));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		b = cx_vector(v[i].name, &len);
		for (n = 0; n < len; n++) {
			t = n > 0 ? malloc(n) : NULL;	/* exactly n */
			if (n > 0) {
				assert_non_null(t);
				memcpy(t, b, n);
			}
			assert_true(codec_decode_inner(m, v[i].first, t, n,
			    &d) < 0);
			free(t);
			assert_true(d.inner);
			/* failure leaves the message as it was */
			assert_memory_equal(m, before, sizeof(*m));
		}
		assert_int_equal(codec_decode_inner(m, v[i].first, b, len,
		    &d), 0);
		memcpy(m, before, sizeof(*m));
	}
}

/* --------------------------------------------------- length fields */

/* Every 16-bit length field of all_payloads.hex, by offset (see the
 * offsets in its comments). */
static const struct {
	size_t		 off;
	const char	*what;
} len_fields[] = {
	{ 30, "SA Payload Length" }, { 34, "Proposal Length" },
	{ 46, "Transform Length (ENCR)" }, { 58, "Attribute Length (TLV)" },
	{ 64, "Transform Length (INTEG)" }, { 72, "KE Payload Length" },
	{ 112, "IDi Payload Length" }, { 124, "IDr Payload Length" },
	{ 143, "CERT Payload Length" }, { 156, "CERTREQ Payload Length" },
	{ 181, "AUTH Payload Length" }, { 205, "Nonce Payload Length" },
	{ 225, "N Payload Length" }, { 237, "D Payload Length" },
	{ 253, "V Payload Length" }, { 261, "TSi Payload Length" },
	{ 269, "TSi Selector Length" }, { 285, "TSr Payload Length" },
	{ 293, "TSr Selector Length" }, { 333, "CP Payload Length" },
	{ 341, "CP Attribute Length (IPv4)" },
	{ 349, "CP Attribute Length (IPv6)" },
	{ 370, "EAP Payload Length" }, { 374, "EAP Length" },
	{ 381, "unknown Payload Length" }, { 388, "SK Payload Length" },
};

static void
set16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)(v >> 8);
	b[off + 1] = (uint8_t)v;
}

static void
length_fields_corrupted(void **state)
{
	struct ike_msg *m = cx_msg();
	struct codec_diag d;
	size_t i, k, len;
	uint8_t *b = cx_vector("all_payloads", &len), *t;
	uint16_t orig, bad[5];

	(void)state;
	assert_int_equal(decode_exact(b, len, m, &d), 0);
	for (i = 0; i < sizeof(len_fields) / sizeof(len_fields[0]); i++) {
		orig = (uint16_t)(b[len_fields[i].off] << 8 |
		    b[len_fields[i].off + 1]);
		bad[0] = 0;
		bad[1] = (uint16_t)(orig - 1);
		bad[2] = (uint16_t)(orig + 1);
		bad[3] = 0xffff;
		bad[4] = (uint16_t)(orig > 4 ? 3 : 0x8000);
		for (k = 0; k < 5; k++) {
			t = cx_dup(b, len);
			set16(t, len_fields[i].off, bad[k]);
			if (decode_exact(t, len, m, &d) == 0)
				fail_msg("%s = %u decoded", len_fields[i].what,
				    bad[k]);
			assert_memory_equal(m, zero_msg, sizeof(*m));
		}
	}
}

static void
header_length_and_version(void **state)
{
	static const uint32_t bad[] = { 0, 27, 28, 417, 419, 0xffffffff };
	struct ike_msg *m = cx_msg();
	struct ike_hdr h;
	size_t i, len;
	uint8_t *b = cx_vector("all_payloads", &len), *t;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = cx_dup(b, len);
		cx_set_len(t, bad[i]);
		cx_reject(t, len, IKE_EMALFORMED, CODEC_HDR_LENGTH);
	}
	/* a datagram longer than its header says */
	t = cx_dup(NULL, len + 1);
	memcpy(t, b, len);
	cx_reject(t, len + 1, IKE_EMALFORMED, CODEC_HDR_LENGTH);
	/* major version 3, judged before the length: INVALID_MAJOR_VERSION
	 * is the caller's to send, from codec_peek_hdr() */
	t = cx_dup(b, len);
	t[17] = 0x30;
	cx_set_len(t, 5);
	cx_reject(t, len, IKE_EUNSUPP, CODEC_VERSION_MAJOR);
	assert_int_equal(codec_peek_hdr(t, len, &h), 0);
	assert_int_equal(h.major, 3);
	assert_true(h.spi_i == 0x0011223344556677ULL);
	assert_int_equal(h.msgid, 1);
	assert_int_equal(codec_peek_hdr(t, IKEV2_HDR_LEN - 1, &h), IKE_ESHORT);
	t[17] = 0xf0;
	cx_reject(t, len, IKE_EUNSUPP, CODEC_VERSION_MAJOR);
	t[17] = 0x10;			/* IKEv1 */
	cx_reject(t, len, IKE_EUNSUPP, CODEC_VERSION_OLD);
	/* a later minor version is accepted and kept */
	t = cx_dup(b, len);
	t[17] = 0x2f;
	m = cx_roundtrip(t, len);
	assert_int_equal(m->hdr.minor, 15);
	/* an empty message with only a header */
	t = cx_hex("0011223344556677 0000000000000000 00 20 25 00 00000000"
	    "0000001c", &len);
	m = cx_roundtrip(t, len);
	assert_int_equal(m->npl, 0);
}

/* ------------------------------------------ raw messages built here */

struct raw {
	uint8_t		 b[16384];
	size_t		 n;
};

static void
r8(struct raw *r, uint8_t v)
{
	assert_true(r->n < sizeof(r->b));
	r->b[r->n++] = v;
}

static void
r16(struct raw *r, uint16_t v)
{
	r8(r, (uint8_t)(v >> 8));
	r8(r, (uint8_t)v);
}

static void
rhex(struct raw *r, const char *hex)
{
	size_t n, i;
	uint8_t *p = cx_hex(hex, &n);

	for (i = 0; i < n; i++)
		r8(r, p[i]);
}

/* IKE header: SPIs, Next Payload, version 2.0, exchange, flags,
 * Message ID 0; Length set by rdone(). */
static struct raw *
rmsg(uint8_t next, uint8_t exchange, uint8_t flags)
{
	struct raw *r = (void *)cx_dup(NULL, sizeof(*r));	/* aligned */

	rhex(r, "0102030405060708 1112131415161718");
	r8(r, next);
	r8(r, 0x20);
	r8(r, exchange);
	r8(r, flags);
	rhex(r, "00000000 00000000");
	return r;
}

/* Generic payload header with its length to be set by rend(). */
static size_t
rpl(struct raw *r, uint8_t next, uint8_t flags)
{
	size_t at = r->n;

	r8(r, next);
	r8(r, flags);
	r16(r, 0);
	return at;
}

static void
rend(struct raw *r, size_t at)
{
	set16(r->b, at + 2, (uint16_t)(r->n - at));
}

static uint8_t *
rdone(struct raw *r, size_t *len)
{
	cx_set_len(r->b, r->n);
	*len = r->n;
	return cx_dup(r->b, r->n);
}

static struct codec_diag
reject_raw(struct raw *r, int rc, enum codec_why why)
{
	size_t len;
	uint8_t *b = rdone(r, &len);

	return cx_reject(b, len, rc, why);
}

static struct ike_msg *
accept_raw(struct raw *r)
{
	size_t len;
	uint8_t *b = rdone(r, &len);

	return cx_roundtrip(b, len);
}

/* ---------------------------------------------------------- bounds */

static void
too_many_payloads(void **state)
{
	struct raw *r;
	size_t i, at, n;

	(void)state;
	for (n = 64; n <= 65; n++) {
		r = rmsg(IKEV2_PL_VENDOR, IKEV2_EXCH_INFORMATIONAL, 0);
		for (i = 0; i < n; i++) {
			at = rpl(r, i + 1 < n ? IKEV2_PL_VENDOR : 0, 0);
			r8(r, (uint8_t)i);		/* Vendor ID */
			rend(r, at);
		}
		if (n == 64)
			assert_int_equal(accept_raw(r)->npl, 64);
		else
			reject_raw(r, IKE_ENOSPC, CODEC_TOO_MANY);
	}
}

/* SA payload of nprop IKE proposals (SPI Size 0) with nxf transforms of
 * nattr Key Length attributes each (only the first is Key Length; the
 * others are TV attributes of type 100). */
static struct raw *
sa_msg(size_t nprop, size_t nxf, size_t nattr)
{
	struct raw *r = rmsg(IKEV2_PL_SA, IKEV2_EXCH_IKE_SA_INIT,
	    IKEV2_F_INITIATOR);
	size_t pl = rpl(r, 0, 0), p, x, a, prop, xfa;

	for (p = 0; p < nprop; p++) {
		prop = r->n;
		r8(r, p + 1 < nprop ? 2 : 0);	/* Last Substruc */
		r8(r, 0);
		r16(r, 0);			/* Proposal Length */
		r8(r, (uint8_t)(p + 1));	/* Proposal Num */
		r8(r, IKEV2_PROTO_IKE);
		r8(r, 0);			/* SPI Size */
		r8(r, (uint8_t)nxf);		/* Num Transforms */
		for (x = 0; x < nxf; x++) {
			xfa = r->n;
			r8(r, x + 1 < nxf ? 3 : 0);
			r8(r, 0);
			r16(r, 0);		/* Transform Length */
			r8(r, IKEV2_XF_ENCR);
			r8(r, 0);
			r16(r, IKEV2_ENCR_AES_CBC);
			for (a = 0; a < nattr; a++) {
				r16(r, (uint16_t)(IKEV2_ATTR_AF |
				    (a == 0 ? IKEV2_ATTR_KEY_LENGTH : 100)));
				r16(r, 128);
			}
			set16(r->b, xfa + 2, (uint16_t)(r->n - xfa));
		}
		set16(r->b, prop + 2, (uint16_t)(r->n - prop));
	}
	rend(r, pl);
	return r;
}

static void
too_many_proposals_transforms_attrs(void **state)
{
	struct codec_diag d;

	(void)state;
	assert_int_equal(accept_raw(sa_msg(16, 4, 1))->nprop, 16);
	d = reject_raw(sa_msg(17, 1, 0), IKE_ENOSPC, CODEC_TOO_MANY);
	assert_int_equal(d.pl_type, IKEV2_PL_SA);
	assert_int_equal(accept_raw(sa_msg(1, 64, 0))->nxf, 64);
	reject_raw(sa_msg(1, 65, 0), IKE_ENOSPC, CODEC_TOO_MANY);
	reject_raw(sa_msg(2, 33, 0), IKE_ENOSPC, CODEC_TOO_MANY);
	assert_int_equal(accept_raw(sa_msg(1, 32, 2))->nattr, 64);
	reject_raw(sa_msg(1, 13, 5), IKE_ENOSPC, CODEC_TOO_MANY);
}

static void
too_many_selectors_cp_attrs(void **state)
{
	struct raw *r;
	size_t i, at, n;

	(void)state;
	for (n = 32; n <= 33; n++) {
		r = rmsg(IKEV2_PL_TSI, IKEV2_EXCH_CREATE_CHILD_SA, 0);
		at = rpl(r, 0, 0);
		rhex(r, "00 000000");
		r->b[at + 4] = (uint8_t)n;	/* Number of TSs */
		for (i = 0; i < n; i++)
			rhex(r, "07 00 0010 0000ffff 0a000001 0a0000ff");
		rend(r, at);
		if (n == 32)
			assert_int_equal(accept_raw(r)->nts, 32);
		else
			reject_raw(r, IKE_ENOSPC, CODEC_TOO_MANY);
		r = rmsg(IKEV2_PL_CP, IKEV2_EXCH_IKE_AUTH, 0);
		at = rpl(r, 0, 0);
		rhex(r, "01 000000");
		for (i = 0; i < n; i++)
			rhex(r, "0003 0000");	/* INTERNAL_IP4_DNS */
		rend(r, at);
		if (n == 32)
			assert_int_equal(accept_raw(r)->ncp, 32);
		else
			reject_raw(r, IKE_ENOSPC, CODEC_TOO_MANY);
	}
}

/* ---------------------------------------------- proposals and SPIs */

static uint8_t *
patched(const char *vector, size_t off, uint8_t v, size_t *len)
{
	uint8_t *b = cx_vector(vector, len);

	b[off] = v;
	return b;
}

/* sa_init_req.hex: proposal 1 at 32 (Last 32, Num 36, SPI Size 38,
 * transforms at 40, 52, 60), proposal 2 at 68 (Last 68, Num 72). */
static void
last_markers(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = patched("sa_init_req", 32, 0, &len);	/* 1st says last */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
	b = patched("sa_init_req", 68, 2, &len);	/* last says more */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
	b = patched("sa_init_req", 32, 3, &len);	/* transform's value */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
	b = patched("sa_init_req", 40, 0, &len);	/* transform 1 of 3 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
	b = patched("sa_init_req", 60, 3, &len);	/* transform 3 of 3 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
	b = patched("sa_init_req", 52, 2, &len);	/* proposal's value */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_LAST_MARKER);
}

static void
proposal_numbering(void **state)
{
	size_t len;
	uint8_t *b;
	struct ike_msg *m;

	(void)state;
	b = patched("sa_init_req", 36, 2, &len);	/* starts at 2 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_PROPOSAL_NUM);
	b = patched("sa_init_req", 72, 3, &len);	/* 1, 3 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_PROPOSAL_NUM);
	b = patched("sa_init_req", 72, 1, &len);	/* 1, 1 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_PROPOSAL_NUM);
	/* a response carries exactly one proposal ... */
	b = patched("sa_init_req", 19, IKEV2_F_RESPONSE, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_PROPOSAL_NUM);
	/* ... numbered as offered, never 0 (sa_init_resp.hex: Num at 36) */
	b = patched("sa_init_resp", 36, 0, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_PROPOSAL_NUM);
	b = patched("sa_init_resp", 36, 5, &len);
	m = cx_roundtrip(b, len);
	assert_int_equal(m->prop[0].num, 5);
}

static void
transform_counts(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = patched("sa_init_req", 39, 2, &len);	/* 3 present */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_COUNT);
	b = patched("sa_init_req", 39, 4, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_COUNT);
	b = patched("sa_init_req", 39, 0, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_EMPTY);
	b = patched("sa_init_req", 37, 0, &len);	/* Protocol ID 0 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
	b = patched("sa_init_req", 37, 4, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
}

static void
spi_sizes(void **state)
{
	struct ike_msg *m = with_sk(IKEV2_EXCH_IKE_AUTH);
	struct codec_diag d;
	size_t len;
	uint8_t *b;

	(void)state;
	/* IKE in IKE_SA_INIT: 0 */
	b = patched("sa_init_req", 38, 8, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	b = patched("sa_init_req", 38, 9, &len);	/* over 8 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	/* ESP: 4 (auth_req_inner.hex: SPI Size at 128) */
	b = patched("auth_req_inner", 128, 8, &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_IDI, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SPI_SIZE);
	assert_int_equal(d.pl_type, IKEV2_PL_SA);
	assert_true(d.inner);
	assert_int_equal(d.offset, 122);	/* the proposal */
	b = patched("auth_req_inner", 128, 0, &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_IDI, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SPI_SIZE);
	/* IKE rekey: 8 (ccsa_ike_req_inner.hex: SPI Size at 10) */
	m = with_sk(IKEV2_EXCH_CREATE_CHILD_SA);
	b = patched("ccsa_ike_req_inner", 10, 0, &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_SA, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SPI_SIZE);
	b = patched("ccsa_ike_req_inner", 10, 4, &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_SA, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SPI_SIZE);
	/* Notify (all_payloads.hex: Protocol 227, SPI Size 228) */
	b = patched("all_payloads", 228, 2, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	b = patched("all_payloads", 227, IKEV2_PROTO_IKE, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	/* Delete (Protocol 239, SPI Size 240) */
	b = patched("all_payloads", 240, 8, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	b = patched("all_payloads", 240, 0, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
	b = patched("all_payloads", 239, IKEV2_PROTO_IKE, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SPI_SIZE);
}

/* ------------------------------------------------------- payloads */

static struct codec_diag
one_payload(uint8_t type, uint8_t exchange, const char *body, int rc,
    enum codec_why why)
{
	struct raw *r = rmsg(type, exchange, 0);
	size_t at = rpl(r, 0, 0);

	rhex(r, body);
	rend(r, at);
	if (rc == 0) {
		accept_raw(r);
		return (struct codec_diag){ 0 };
	}
	return reject_raw(r, rc, why);
}

static void
nonce_sizes(void **state)
{
	static char hex[2 * 258 + 1];

	(void)state;
	memset(hex, 'a', sizeof(hex) - 1);
	hex[2 * 15] = '\0';
	one_payload(IKEV2_PL_NONCE, 34, hex, IKE_EMALFORMED, CODEC_NONCE_LEN);
	hex[2 * 15] = 'a';
	hex[2 * 16] = '\0';
	one_payload(IKEV2_PL_NONCE, 34, hex, 0, 0);
	hex[2 * 16] = 'a';
	hex[2 * 256] = '\0';
	one_payload(IKEV2_PL_NONCE, 34, hex, 0, 0);
	hex[2 * 256] = 'a';
	hex[2 * 257] = '\0';
	one_payload(IKEV2_PL_NONCE, 34, hex, IKE_EMALFORMED, CODEC_NONCE_LEN);
	one_payload(IKEV2_PL_NONCE, 34, "", IKE_EMALFORMED, CODEC_NONCE_LEN);
}

static void
unknown_payloads(void **state)
{
	struct raw *r;
	struct codec_diag d;
	struct ike_msg *m;
	size_t at;

	(void)state;
	/* V, then type 201 with the critical bit, then N */
	r = rmsg(IKEV2_PL_VENDOR, IKEV2_EXCH_INFORMATIONAL, 0);
	at = rpl(r, 201, 0);
	rhex(r, "aa");
	rend(r, at);
	at = rpl(r, IKEV2_PL_NOTIFY, IKEV2_PL_CRITICAL);
	rhex(r, "000102");
	rend(r, at);
	at = rpl(r, 0, 0);
	rhex(r, "00 00 4000");
	rend(r, at);
	d = reject_raw(r, IKE_EUNSUPP, CODEC_CRITICAL);
	assert_int_equal(d.pl_type, 201);
	assert_int_equal(d.offset, 33);
	assert_false(d.inner);
	/* the same, critical bit clear: skipped, the rest decoded */
	r->b[34] = 0;
	m = accept_raw(r);
	assert_int_equal(m->npl, 3);
	assert_true(m->pl[1].skipped);
	assert_int_equal(m->pl[1].type, 201);
	assert_int_equal(m->pl[2].u.notify.type, IKEV2_N_INITIAL_CONTACT);
	/* types of IKEv1 (1-32) are unknown to IKEv2 too */
	r = rmsg(13, IKEV2_EXCH_INFORMATIONAL, 0);
	at = rpl(r, 0, IKEV2_PL_CRITICAL | 0x7f);
	rend(r, at);
	d = reject_raw(r, IKE_EUNSUPP, CODEC_CRITICAL);
	assert_int_equal(d.pl_type, 13);
	/* a critical payload too short for its header is malformed first */
	r = rmsg(201, IKEV2_EXCH_INFORMATIONAL, 0);
	rhex(r, "00 80 0003");
	reject_raw(r, IKE_EMALFORMED, CODEC_PL_LENGTH);
}

static void
unknown_critical_inside_sk(void **state)
{
	struct ike_msg *m = with_sk(IKEV2_EXCH_INFORMATIONAL);
	struct codec_diag d;
	size_t len;
	uint8_t *b = cx_hex("c8 00 0008 00000000 00 80 0004", &len);

	(void)state;
	/* V (4 octets), then type 200 with the critical bit */
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_VENDOR, b, len, &d),
	    IKE_EUNSUPP);
	assert_int_equal(d.why, CODEC_CRITICAL);
	assert_int_equal(d.pl_type, 0xc8);
	assert_true(d.inner);
	assert_int_equal(d.offset, 8);
	assert_int_equal(m->npl, 1);
	assert_false(m->inner);
	b[9] = 0;				/* not critical */
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_VENDOR, b, len, &d),
	    0);
	assert_int_equal(m->npl, 3);
	assert_true(m->pl[2].skipped && m->pl[2].encrypted);
}

static void
sk_placement(void **state)
{
	struct ike_msg *m = with_sk(IKEV2_EXCH_INFORMATIONAL);
	struct codec_diag d;
	struct raw *r;
	size_t at, len;
	uint8_t *b;

	(void)state;
	/* an SK payload with another payload after it */
	r = rmsg(IKEV2_PL_SK, IKEV2_EXCH_INFORMATIONAL, 0);
	at = rpl(r, IKEV2_PL_VENDOR, 0);
	rhex(r, "0102030405060708");
	rend(r, at);
	at = rpl(r, 0, 0);
	rhex(r, "aa");
	rend(r, at);
	reject_raw(r, IKE_EMALFORMED, CODEC_SK_PLACEMENT);
	/* the same with SKF */
	r->b[16] = IKEV2_PL_SKF;
	r->b[28] = 0;
	r->b[32] = 0;
	r->b[33] = 1;
	r->b[34] = 0;
	r->b[35] = 1;
	reject_raw(r, IKE_EMALFORMED, CODEC_SK_PLACEMENT);
	/* SK or SKF inside SK */
	b = cx_hex("2e 00 0008 00000000 00 00 0008 01020304", &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_VENDOR, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SK_PLACEMENT);
	assert_int_equal(d.pl_type, IKEV2_PL_SK);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_SKF, b + 8, len - 8,
	    &d), IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_SK_PLACEMENT);
	/* octets after the last payload */
	r = rmsg(IKEV2_PL_VENDOR, IKEV2_EXCH_INFORMATIONAL, 0);
	at = rpl(r, 0, 0);
	rhex(r, "01");
	rend(r, at);
	rhex(r, "00");
	reject_raw(r, IKE_EMALFORMED, CODEC_TRAILING);
	b = cx_hex("00 00 0005 01 00", &len);
	assert_int_equal(codec_decode_inner(m, IKEV2_PL_VENDOR, b, len, &d),
	    IKE_EMALFORMED);
	assert_int_equal(d.why, CODEC_TRAILING);
	assert_int_equal(d.offset, 5);
}

static void
attributes(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	/* sa_init_req.hex: Key Length of transform 1 at 48 */
	b = patched("sa_init_req", 48, 0x00, &len);	/* AF=0: TLV */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SUB_LENGTH);
	/* all_payloads.hex: Key Length (52) and a TLV (56, Length 2) */
	b = patched("all_payloads", 52, 0x00, &len);
	b[53] = 0x0e;			/* TLV Key Length, Length 128 */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_SUB_LENGTH);
	b = cx_vector("all_payloads", &len);
	b[58] = 0;
	b[59] = 0;			/* a TLV Key Length of 0 octets ... */
	b[56] = 0;
	b[57] = IKEV2_ATTR_KEY_LENGTH;
	b[60] = 0x80;			/* ... and a TV one after it */
	b[61] = 0x0e;
	cx_reject(b, len, IKE_EMALFORMED, CODEC_ATTR);
	b = cx_vector("all_payloads", &len);
	b[56] = 0x80;			/* two TV Key Lengths */
	b[57] = IKEV2_ATTR_KEY_LENGTH;
	b[58] = 0x00;
	b[59] = 0x80;
	b[60] = 0x80;
	b[61] = 0x01;			/* and a truncated third */
	cx_reject(b, len, IKE_EMALFORMED, CODEC_ATTR);
}

static void
traffic_selectors(void **state)
{
	(void)state;
	one_payload(IKEV2_PL_TSI, 36, "01000000 07000028 0000ffff"
	    "0a000001 0a0000ff 00000000 00000000 00000000 00000000 00000000"
	    "00000000", IKE_EMALFORMED, CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_TSI, 36, "01000000 08000010 0000ffff"
	    "0a000001 0a0000ff", IKE_EMALFORMED, CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_TSR, 36, "02000000 07000010 0000ffff"
	    "0a000001 0a0000ff", IKE_EMALFORMED, CODEC_COUNT);
	one_payload(IKEV2_PL_TSR, 36, "00000000 07000010 0000ffff"
	    "0a000001 0a0000ff", IKE_EMALFORMED, CODEC_COUNT);
	one_payload(IKEV2_PL_TSR, 36, "00000000", IKE_EMALFORMED, CODEC_EMPTY);
	one_payload(IKEV2_PL_TSR, 36, "01000000 07000003", IKE_EMALFORMED,
	    CODEC_SUB_LENGTH);
	/* a type the codec does not know is kept for TS_UNACCEPTABLE */
	one_payload(IKEV2_PL_TSR, 36, "01000000 0a000004", 0, 0);
}

static void
configuration(void **state)
{
	(void)state;
	one_payload(IKEV2_PL_CP, 35, "02000000 0001 0003 0a0000",
	    IKE_EMALFORMED, CODEC_ATTR);
	one_payload(IKEV2_PL_CP, 35, "02000000 0008 0010"
	    "20010db8000000000000000000000001", IKE_EMALFORMED, CODEC_ATTR);
	one_payload(IKEV2_PL_CP, 35, "02000000 000e 0003 000100",
	    IKE_EMALFORMED, CODEC_ATTR);
	one_payload(IKEV2_PL_CP, 35, "02000000 0001 0004 0a00",
	    IKE_EMALFORMED, CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_CP, 35, "02000000 00", IKE_EMALFORMED,
	    CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_CP, 35, "05000000", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_CP, 35, "00000000", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_CP, 35, "020000", IKE_EMALFORMED,
	    CODEC_PL_LENGTH);
}

/* The reserved bit of a configuration attribute type is ignored (and,
 * like every RESERVED field, written as zero). */
static void
configuration_reserved_bit(void **state)
{
	struct raw *r = rmsg(IKEV2_PL_CP, IKEV2_EXCH_IKE_AUTH, 0);
	struct ike_msg *m = cx_msg();
	size_t at = rpl(r, 0, 0), len;
	uint8_t *b;

	(void)state;
	rhex(r, "01000000 8001 0000");
	rend(r, at);
	b = rdone(r, &len);
	assert_int_equal(codec_decode(b, len, m, NULL), 0);
	assert_int_equal(m->ncp, 1);
	assert_int_equal(m->cp[0].type, IKEV2_CP_INTERNAL_IP4_ADDRESS);
}

static void
eap(void **state)
{
	(void)state;
	one_payload(IKEV2_PL_EAP, 35, "01 01 0006 01", IKE_EMALFORMED,
	    CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_EAP, 35, "01 01 0004 01", IKE_EMALFORMED,
	    CODEC_SUB_LENGTH);
	one_payload(IKEV2_PL_EAP, 35, "01 01 0004", IKE_EMALFORMED,
	    CODEC_EMPTY);
	one_payload(IKEV2_PL_EAP, 35, "05 01 0004", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_EAP, 35, "00 01 0004", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_EAP, 35, "03 01 0005 00", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_EAP, 35, "03 01 0004", 0, 0);
	one_payload(IKEV2_PL_EAP, 35, "02 01 0005 04", 0, 0);
	one_payload(IKEV2_PL_EAP, 35, "02 01", IKE_EMALFORMED,
	    CODEC_PL_LENGTH);
}

static void
fragments(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	/* skf_frag1.hex: Next 28, Fragment Number 32-33, Total 34-35 */
	b = patched("skf_frag1", 33, 0, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
	b = patched("skf_frag1", 35, 0, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
	b = patched("skf_frag1", 33, 3, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
	b = patched("skf_frag2", 28, IKEV2_PL_IDI, &len);
	cx_reject(b, len, IKE_EMALFORMED, CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_SKF, 35, "0001", IKE_EMALFORMED,
	    CODEC_PL_LENGTH);
}

static void
ids_and_simple_payloads(void **state)
{
	(void)state;
	one_payload(IKEV2_PL_IDI, 35, "01000000 0a00000102", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_IDR, 35, "05000000 20010db8000000000000000000",
	    IKE_EMALFORMED, CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_IDI, 35, "02000000", IKE_EMALFORMED,
	    CODEC_EMPTY);
	one_payload(IKEV2_PL_IDI, 35, "020000", IKE_EMALFORMED,
	    CODEC_PL_LENGTH);
	one_payload(IKEV2_PL_KE, 34, "00130000", IKE_EMALFORMED, CODEC_EMPTY);
	one_payload(IKEV2_PL_AUTH, 35, "02000000", IKE_EMALFORMED,
	    CODEC_EMPTY);
	one_payload(IKEV2_PL_VENDOR, 37, "", IKE_EMALFORMED, CODEC_EMPTY);
	one_payload(IKEV2_PL_CERT, 35, "04", IKE_EMALFORMED, CODEC_EMPTY);
	one_payload(IKEV2_PL_CERT, 35, "", IKE_EMALFORMED, CODEC_PL_LENGTH);
	one_payload(IKEV2_PL_CERTREQ, 34, "04 00112233445566778899aabbccddeeff"
	    "001122", IKE_EMALFORMED, CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_CERTREQ, 34, "04", 0, 0);
	one_payload(IKEV2_PL_SA, 34, "", IKE_EMALFORMED, CODEC_EMPTY);
	one_payload(IKEV2_PL_NOTIFY, 37, "000040", IKE_EMALFORMED,
	    CODEC_PL_LENGTH);
	one_payload(IKEV2_PL_NOTIFY, 37, "03 08 4009 0102030405060708",
	    IKE_EMALFORMED, CODEC_SPI_SIZE);
	one_payload(IKEV2_PL_NOTIFY, 37, "03 04 4009 010203", IKE_ESHORT,
	    CODEC_TRUNCATED);
}

static void
deletes(void **state)
{
	(void)state;
	one_payload(IKEV2_PL_DELETE, 37, "01 00 0001", IKE_EMALFORMED,
	    CODEC_COUNT);
	one_payload(IKEV2_PL_DELETE, 37, "01 00 0000 00", IKE_EMALFORMED,
	    CODEC_COUNT);
	one_payload(IKEV2_PL_DELETE, 37, "03 04 0000", IKE_EMALFORMED,
	    CODEC_COUNT);
	one_payload(IKEV2_PL_DELETE, 37, "03 04 0002 00000001", IKE_EMALFORMED,
	    CODEC_COUNT);
	one_payload(IKEV2_PL_DELETE, 37, "03 04 0001 0000000100",
	    IKE_EMALFORMED, CODEC_COUNT);
	one_payload(IKEV2_PL_DELETE, 37, "07 04 0001 00000001", IKE_EMALFORMED,
	    CODEC_BAD_VALUE);
	one_payload(IKEV2_PL_DELETE, 37, "02 04 0001 00000001", 0, 0);
}

static void
inner_state_and_padding(void **state)
{
	struct ike_msg *m = cx_msg();
	struct codec_diag d;
	size_t len, n;
	uint8_t *b = cx_vector("sa_init_req", &len);
	uint8_t *v;

	(void)state;
	assert_int_equal(codec_decode(b, len, m, NULL), 0);
	assert_int_equal(codec_decode_inner(m, 0, NULL, 0, &d), IKE_EINVAL);
	assert_int_equal(d.why, CODEC_NO_SK);
	m = with_sk(IKEV2_EXCH_INFORMATIONAL);
	assert_int_equal(codec_decode_inner(m, 0, NULL, 0, &d), 0);
	assert_true(m->inner);
	assert_int_equal(codec_decode_inner(m, 0, NULL, 0, &d), IKE_ESTATE);
	v = cx_hex("aabbcc 02", &len);
	assert_int_equal(codec_sk_unpad(v, len, &n), 0);
	assert_int_equal(n, 1);
	v[3] = 3;
	assert_int_equal(codec_sk_unpad(v, len, &n), 0);
	assert_int_equal(n, 0);
	v[3] = 4;
	n = 99;
	assert_int_equal(codec_sk_unpad(v, len, &n), IKE_EMALFORMED);
	assert_int_equal(n, 99);
	assert_int_equal(codec_sk_unpad(v, 0, &n), IKE_EMALFORMED);
	assert_int_equal(codec_sk_unpad(NULL, 0, &n), IKE_EMALFORMED);
}

static void
diag_names(void **state)
{
	int w;

	(void)state;
	for (w = 0; w < CODEC_NWHY; w++)
		assert_string_not_equal(codec_why_str((enum codec_why)w),
		    "unknown");
	assert_string_equal(codec_why_str(CODEC_NWHY), "unknown");
	assert_string_equal(codec_pl_name(IKEV2_PL_SKF), "SKF");
	assert_string_equal(codec_pl_name(IKEV2_PL_TSR), "TSr");
	assert_string_equal(codec_pl_name(1), "unknown");
	assert_int_equal(codec_decode(NULL, 0, cx_msg(), NULL), IKE_ESHORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(truncated_everywhere),
		TEST(inner_truncated_everywhere),
		TEST(length_fields_corrupted),
		TEST(header_length_and_version),
		TEST(too_many_payloads),
		TEST(too_many_proposals_transforms_attrs),
		TEST(too_many_selectors_cp_attrs),
		TEST(last_markers),
		TEST(proposal_numbering),
		TEST(transform_counts),
		TEST(spi_sizes),
		TEST(nonce_sizes),
		TEST(unknown_payloads),
		TEST(unknown_critical_inside_sk),
		TEST(sk_placement),
		TEST(attributes),
		TEST(traffic_selectors),
		TEST(configuration),
		TEST(configuration_reserved_bit),
		TEST(eap),
		TEST(fragments),
		TEST(ids_and_simple_payloads),
		TEST(deletes),
		TEST(inner_state_and_padding),
		TEST(diag_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
