/* What the IKEv1 decoder refuses, and why: every truncation of the
 * hand-assembled messages, every wrong value of every length field
 * (payloads, proposals, transforms, TLV attributes), nested length
 * lies, attributes running past their transform, unknown payload
 * types (refused with their type: IKEv1 has no critical bit), empty
 * bodies, the array bounds, the header, and each payload's own rules.
 * A refused message is left empty.  Run under ASan: each input sits in
 * a buffer of exactly its size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/codec/wr.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

extern const char v1t_mm1[], v1t_qm1_hdr[], v1t_qm1_body[], v1t_delete[],
    v1t_notify[], v1t_misc[];

static struct v1_msg msg;
static const uint8_t zero_msg[sizeof(struct v1_msg)];

/* Decodes a private copy of exactly len bytes. */
static int
decode_exact(const uint8_t *b, size_t len, struct v1_diag *d)
{
	uint8_t *copy = len > 0 ? malloc(len) : NULL;
	int rc;

	if (len > 0) {
		assert_non_null(copy);
		memcpy(copy, b, len);
	}
	memset(&msg, 0x5a, sizeof(msg));
	rc = v1_decode(copy, len, &msg, d);
	free(copy);
	if (rc != 0)
		assert_memory_equal(&msg, zero_msg, sizeof(msg));
	return rc;
}

static void
set16(uint8_t *b, size_t at, size_t v)
{
	b[at] = (uint8_t)(v >> 8);
	b[at + 1] = (uint8_t)v;
}

static void
set_len(uint8_t *b, size_t len)
{
	b[24] = (uint8_t)(len >> 24);
	b[25] = (uint8_t)(len >> 16);
	b[26] = (uint8_t)(len >> 8);
	b[27] = (uint8_t)len;
}

/* Expects refusal rc for why, found in payload pl_type. */
static void
reject(const uint8_t *b, size_t len, int rc, enum v1_why why,
    uint8_t pl_type)
{
	struct v1_diag d;

	assert_int_equal(decode_exact(b, len, &d), rc);
	assert_int_equal(d.why, why);
	assert_int_equal(d.pl_type, pl_type);
}

static const char *const plain[] = { v1t_mm1, v1t_delete, v1t_notify,
    v1t_misc };

/* ------------------------------------------------------- truncation */

static void
truncated_everywhere(void **state)
{
	struct v1_diag d;
	size_t i, n, len;
	uint8_t *b, *t;

	(void)state;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		b = cx_hex(plain[i], &len);
		for (n = 0; n < len; n++) {
			assert_true(decode_exact(b, n, &d) < 0);
			if (n < IKEV1_HDR_LEN) {
				assert_int_equal(d.why, V1_TRUNCATED);
				continue;
			}
			assert_int_equal(d.why, V1_HDR_LENGTH);
			/* the header agrees: the payloads are cut */
			t = cx_dup(b, n);
			set_len(t, n);
			assert_true(decode_exact(t, n, &d) < 0);
			assert_true(d.why == V1_TRUNCATED ||
			    d.why == V1_PL_LENGTH);
		}
		assert_int_equal(decode_exact(b, len, &d), 0);
	}
}

/* The decrypted body cut anywhere inside its chain. */
static void
body_truncated_everywhere(void **state)
{
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_diag d;
	size_t hlen, blen, n;
	uint8_t *h = cx_hex(v1t_qm1_hdr, &hlen);
	uint8_t *body = cx_hex(v1t_qm1_body, &blen), *t;

	(void)state;
	assert_non_null(m);
	for (n = 0; n < blen - 4; n++) {
		assert_int_equal(v1_decode(h, hlen, m, NULL), 0);
		t = cx_dup(body, n);
		assert_true(v1_decode_body(m, IKEV1_PL_HASH, t, n, &d) < 0);
		assert_true(d.inner);
		assert_true(d.why == V1_TRUNCATED || d.why == V1_PL_LENGTH);
		assert_int_equal(m->npl, 0);	/* as it was */
		assert_false(m->opened);
	}
	assert_int_equal(v1_decode_body(m, IKEV1_PL_HASH, body, blen, &d), 0);
	free(m);
}

/* ------------------------------------------------------- length lies */

/* Offsets of every 16-bit length field in the messages. */
struct lenfield {
	const char	*hex;
	size_t		 at;
};
static const struct lenfield lenfields[] = {
	{ v1t_mm1, 30 }, { v1t_mm1, 42 }, { v1t_mm1, 50 }, { v1t_mm1, 82 },
	{ v1t_mm1, 90 }, { v1t_mm1, 118 }, { v1t_mm1, 124 },
	{ v1t_delete, 30 }, { v1t_delete, 54 }, { v1t_delete, 74 },
	{ v1t_notify, 30 }, { v1t_notify, 54 }, { v1t_notify, 82 },
	{ v1t_misc, 30 }, { v1t_misc, 42 }, { v1t_misc, 62 },
	{ v1t_misc, 86 }, { v1t_misc, 94 }, { v1t_misc, 106 },
	{ v1t_misc, 111 }, { v1t_misc, 119 }, { v1t_misc, 125 },
};

/* Every value but the true one, from 0 to 8 past it, is refused,
 * unless it makes another well-formed message: a payload whose body is
 * free-form data swallowing its whole successor, the chain going on
 * from the successor's Next Payload.  That happens twice here (NAT-D
 * taking in the 8-octet draft NAT-D, CERT taking in SIG); the message
 * then decodes with one payload fewer and encodes to the same octets. */
static void
every_length_lie(void **state)
{
	struct v1_diag d;
	size_t i, v, len, good, npl, succ, other = 0;
	uint8_t *b;
	struct wr w;

	(void)state;
	for (i = 0; i < sizeof(lenfields) / sizeof(lenfields[0]); i++) {
		b = cx_hex(lenfields[i].hex, &len);
		assert_int_equal(decode_exact(b, len, &d), 0);
		npl = msg.npl;
		good = (size_t)b[lenfields[i].at] << 8 | b[lenfields[i].at + 1];
		assert_true(good > 0 && good < len);
		for (v = 0; v <= good + 8; v++) {
			set16(b, lenfields[i].at, v);
			if (v == good) {
				assert_int_equal(decode_exact(b, len, &d), 0);
				continue;
			}
			if (v1_decode(b, len, &msg, &d) != 0)
				continue;
			succ = lenfields[i].at - 2 + good;
			assert_true(succ + 4 <= len);
			assert_int_equal(v, good + ((size_t)b[succ + 2] << 8 |
			    b[succ + 3]));
			assert_int_equal(msg.npl, npl - 1);
			wr_init(&w, 0);
			assert_int_equal(v1_encode(&msg, &w), 0);
			assert_int_equal(w.len, len);
			assert_memory_equal(w.buf, b, len);
			wr_free(&w);
			other++;
		}
	}
	assert_int_equal(other, 2);
}

static void
nested_length_lies(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	/* the proposal runs past the SA */
	b = cx_hex(v1t_mm1, &len);
	set16(b, 42, 83);
	reject(b, len, IKE_EMALFORMED, V1_SUB_LENGTH, IKEV1_PL_SA);
	/* it is the last but stops short */
	set16(b, 42, 78);
	reject(b, len, IKE_EMALFORMED, V1_SUB_NEXT, IKEV1_PL_SA);
	/* below the fixed part */
	set16(b, 42, 7);
	reject(b, len, IKE_EMALFORMED, V1_SUB_LENGTH, IKEV1_PL_SA);
	/* the last transform runs past the proposal */
	b = cx_hex(v1t_mm1, &len);
	set16(b, 90, 35);
	reject(b, len, IKE_EMALFORMED, V1_SUB_LENGTH, IKEV1_PL_SA);
	/* the first transform swallows part of the second */
	b = cx_hex(v1t_mm1, &len);
	set16(b, 50, 44);
	reject(b, len, IKE_EMALFORMED, V1_ATTR, IKEV1_PL_SA);
	/* the first transform claims to be the last */
	b = cx_hex(v1t_mm1, &len);
	b[48] = IKEV1_PL_NONE;
	reject(b, len, IKE_EMALFORMED, V1_SUB_NEXT, IKEV1_PL_SA);
	/* a transform whose Next Payload is neither T nor NONE */
	b = cx_hex(v1t_mm1, &len);
	b[48] = IKEV1_PL_P;
	reject(b, len, IKE_EMALFORMED, V1_SUB_NEXT, IKEV1_PL_SA);
	/* the only proposal says another follows */
	b = cx_hex(v1t_mm1, &len);
	b[40] = IKEV1_PL_P;
	reject(b, len, IKE_EMALFORMED, V1_SUB_NEXT, IKEV1_PL_SA);
}

/* A TLV attribute whose length runs past its transform. */
static void
attribute_past_transform(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_mm1, &len);
	set16(b, 82, 5);		/* Life Duration: 5 octets, 4 left */
	reject(b, len, IKE_EMALFORMED, V1_ATTR, IKEV1_PL_SA);
	b = cx_hex(v1t_mm1, &len);
	set16(b, 118, 3);		/* second transform: 2 octets left */
	reject(b, len, IKE_EMALFORMED, V1_ATTR, IKEV1_PL_SA);
	b = cx_hex(v1t_mm1, &len);
	b[118] = 0x80;			/* TV now: 2 octets left over */
	reject(b, len, IKE_EMALFORMED, V1_ATTR, IKEV1_PL_SA);
}

/* ------------------------------------------------------------ counts */

static void
proposal_counts(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_mm1, &len);
	b[47] = 3;			/* # of Transforms: 3, has 2 */
	reject(b, len, IKE_EMALFORMED, V1_COUNT, IKEV1_PL_SA);
	b[47] = 1;
	reject(b, len, IKE_EMALFORMED, V1_COUNT, IKEV1_PL_SA);
	b = cx_hex(v1t_mm1, &len);
	b[46] = 4;			/* ISAKMP SPI of 4 octets */
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_SA);
	b = cx_hex(v1t_mm1, &len);
	b[45] = 9;			/* unknown protocol */
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_SA);
	b = cx_hex(v1t_mm1, &len);
	b[46] = 16;			/* 16-octet SPI past the proposal */
	reject(b, len, IKE_EMALFORMED, V1_SUB_LENGTH, IKEV1_PL_SA);
}

/* SA, two proposals: AH #2 then ESP #n with one transform each. */
static uint8_t *
two_proposals(uint8_t second_num, size_t *len)
{
	char hex[512];

	snprintf(hex, sizeof(hex),
	    "0102030405060708 0000000000000000 01 10 02 00 00000000 00000050"
	    "00 00 0034 00000001 00000001"
	    "02 00 0014 02 02 04 01 11111111 00 00 0008 01 03 0000"
	    "00 00 0014 %02x 03 04 01 22222222 00 00 0008 01 0c 0000",
	    second_num);
	return cx_hex(hex, len);
}

static void
proposal_numbers(void **state)
{
	struct v1_diag d;
	size_t len;
	uint8_t *b;

	(void)state;
	b = two_proposals(2, &len);	/* AH and ESP bundled */
	assert_int_equal(decode_exact(b, len, &d), 0);
	b = two_proposals(3, &len);	/* or offered one or the other */
	assert_int_equal(decode_exact(b, len, &d), 0);
	b = two_proposals(1, &len);	/* numbers decrease */
	reject(b, len, IKE_EMALFORMED, V1_PROPOSAL_NUM, IKEV1_PL_SA);
}

/* --------------------------------------------------------- the header */

static void
header_values(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_mm1, &len);
	b[17] = 0x20;
	reject(b, len, IKE_EUNSUPP, V1_VERSION_MAJOR, 0);
	b[17] = 0x00;
	reject(b, len, IKE_EUNSUPP, V1_VERSION_MAJOR, 0);
	b[17] = 0x11;
	reject(b, len, IKE_EUNSUPP, V1_VERSION_MINOR, 0);
	b[17] = 0x10;
	b[19] = 0x08;
	reject(b, len, IKE_EMALFORMED, V1_FLAGS, 0);
	b[19] = 0;
	set_len(b, len + 1);
	reject(b, len, IKE_EMALFORMED, V1_HDR_LENGTH, 0);
	set_len(b, len);
	assert_int_equal(decode_exact(b, len, NULL), 0);
	/* trailing octets after the last payload of a plain message */
	b = cx_hex(v1t_mm1, &len);
	b = cx_dup(b, len + 4);
	set_len(b, len + 4);
	reject(b, len + 4, IKE_EMALFORMED, V1_TRAILING, 0);
	/* the E flag with nothing after the header */
	b = cx_hex(v1t_qm1_hdr, &len);
	set_len(b, IKEV1_HDR_LEN);
	reject(b, IKEV1_HDR_LEN, IKE_EMALFORMED, V1_EMPTY, 0);
}

/* ------------------------------------------------- payload types */

static void
unknown_payload_types(void **state)
{
	static const uint8_t bad[] = { 2, 3, 14, 15, 19, 22, 129, 132, 255 };
	size_t i, len;
	uint8_t *b;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		b = cx_hex(v1t_mm1, &len);
		b[28] = bad[i];		/* SA's Next Payload */
		reject(b, len, IKE_EUNSUPP, V1_PL_TYPE, bad[i]);
		b[28] = IKEV1_PL_VID;
		b[16] = bad[i];		/* the header's */
		reject(b, len, IKE_EUNSUPP, V1_PL_TYPE, bad[i]);
	}
	assert_int_equal(v1_why_notify(V1_PL_TYPE),
	    IKEV1_N_INVALID_PAYLOAD_TYPE);
}

/* A payload of the generic header only, where a body is required. */
static void
empty_bodies(void **state)
{
	static const struct {
		uint8_t		 type;
		enum v1_why	 why;
	} cases[] = {
		{ IKEV1_PL_KE, V1_EMPTY }, { IKEV1_PL_HASH, V1_EMPTY },
		{ IKEV1_PL_SIG, V1_EMPTY }, { IKEV1_PL_VID, V1_EMPTY },
		{ IKEV1_PL_NATD, V1_EMPTY }, { IKEV1_PL_NATD_DRAFT, V1_EMPTY },
		{ IKEV1_PL_NONCE, V1_NONCE_LEN },
		{ IKEV1_PL_SA, V1_PL_LENGTH }, { IKEV1_PL_ID, V1_PL_LENGTH },
		{ IKEV1_PL_CERT, V1_PL_LENGTH }, { IKEV1_PL_CR, V1_PL_LENGTH },
		{ IKEV1_PL_N, V1_PL_LENGTH }, { IKEV1_PL_D, V1_PL_LENGTH },
		{ IKEV1_PL_NATOA, V1_PL_LENGTH },
	};
	size_t i, len;
	uint8_t *b;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = cx_hex("0102030405060708 0000000000000000"
		    "00 10 02 00 00000000 00000020 00 00 0004", &len);
		b[16] = cases[i].type;
		reject(b, len, IKE_EMALFORMED, cases[i].why, cases[i].type);
	}
	/* the fixed part alone: ID, CERT, N, D, NAT-OA, SA without data */
	b = cx_hex("0102030405060708 0000000000000000"
	    "05 10 02 00 00000000 00000024 00 00 0008 01 00 0000", &len);
	reject(b, len, IKE_EMALFORMED, V1_EMPTY, IKEV1_PL_ID);
	b = cx_hex("0102030405060708 0000000000000000"
	    "06 10 02 00 00000000 00000021 00 00 0005 04", &len);
	reject(b, len, IKE_EMALFORMED, V1_EMPTY, IKEV1_PL_CERT);
	b[16] = IKEV1_PL_CR;		/* a CR may name no CA */
	assert_int_equal(decode_exact(b, len, NULL), 0);
	b = cx_hex("0102030405060708 0000000000000000"
	    "01 10 02 00 00000000 00000028 00 00 000c 00000001 00000001",
	    &len);
	reject(b, len, IKE_EMALFORMED, V1_EMPTY, IKEV1_PL_SA);
	b = cx_hex("0102030405060708 0000000000000000"
	    "15 10 02 00 00000000 00000024 00 00 0008 01 000000", &len);
	reject(b, len, IKE_EMALFORMED, V1_EMPTY, IKEV1_PL_NATOA);
}

/* ----------------------------------------------------- payload rules */

static void
sa_doi_situation(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_mm1, &len);
	b[35] = 2;			/* DOI 2 */
	reject(b, len, IKE_EUNSUPP, V1_DOI, IKEV1_PL_SA);
	b[35] = 0;			/* ISAKMP's own: not for an SA */
	reject(b, len, IKE_EUNSUPP, V1_DOI, IKEV1_PL_SA);
	b[35] = 1;
	b[39] = IKEV1_SIT_SECRECY | IKEV1_SIT_IDENTITY_ONLY;
	reject(b, len, IKE_EUNSUPP, V1_SITUATION, IKEV1_PL_SA);
	assert_int_equal(v1_why_notify(V1_SITUATION),
	    IKEV1_N_SITUATION_NOT_SUPPORTED);
}

static void
delete_rules(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_delete, &len);
	b[63] = 3;			/* 3 SPIs, 2 there */
	reject(b, len, IKE_EMALFORMED, V1_COUNT, IKEV1_PL_D);
	b[63] = 0;
	reject(b, len, IKE_EMALFORMED, V1_COUNT, IKEV1_PL_D);
	b = cx_hex(v1t_delete, &len);
	b[61] = 8;			/* ESP SPIs of 8 octets */
	b[63] = 1;
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_D);
	b = cx_hex(v1t_delete, &len);
	b[81] = 4;			/* ISAKMP SA by 4 octets */
	b[83] = 4;
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_D);
	b = cx_hex(v1t_delete, &len);
	b[59] = 7;			/* DOI 7 */
	reject(b, len, IKE_EUNSUPP, V1_DOI, IKEV1_PL_D);
}

static void
notify_rules(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_notify, &len);
	b[61] = 40;			/* SPI past the payload */
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_N);
	b[61] = 8;			/* ESP SPI of 8 octets */
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_N);
	b = cx_hex(v1t_notify, &len);
	b[62] = b[63] = 0;		/* type 0 */
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_N);
	b = cx_hex(v1t_notify, &len);
	b[59] = 3;
	reject(b, len, IKE_EUNSUPP, V1_DOI, IKEV1_PL_N);
	b = cx_hex(v1t_notify, &len);
	b[88] = IKEV1_PROTO_ESP;	/* ESP with a 16-octet SPI */
	reject(b, len, IKE_EMALFORMED, V1_SPI_SIZE, IKEV1_PL_N);
}

static void
id_natoa_nonce_rules(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = cx_hex(v1t_misc, &len);
	b[127] = IKEV1_ID_IPV4_ADDR;	/* 9 octets for an IPv4 address */
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_ID);
	b[127] = 0;			/* reserved ID type */
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_ID);
	b[127] = 12;
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_ID);
	b = cx_hex(v1t_misc, &len);
	b[96] = IKEV1_ID_IPV6_ADDR;	/* 4 octets for IPv6 */
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_NATOA);
	b[96] = IKEV1_ID_FQDN;
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_NATOA);
	b = cx_hex(v1t_misc, &len);
	b[108] = 11;			/* CR: undefined encoding */
	reject(b, len, IKE_EMALFORMED, V1_BAD_VALUE, IKEV1_PL_CR);
	/* nonces of 7 and 257 octets; 8 and 256 pass */
	b = cx_hex("0102030405060708 0000000000000000 0a 10 02 00 00000000"
	    "00000027 00 00 000b 01020304050607", &len);
	reject(b, len, IKE_EMALFORMED, V1_NONCE_LEN, IKEV1_PL_NONCE);
	b = cx_dup(NULL, IKEV1_HDR_LEN + 4 + 257);
	memcpy(b, "\1\2\3\4\5\6\7\10\0\0\0\0\0\0\0\0\12\20\2", 19);
	set_len(b, IKEV1_HDR_LEN + 4 + 257);
	set16(b, 30, 4 + 257);
	reject(b, IKEV1_HDR_LEN + 4 + 257, IKE_EMALFORMED, V1_NONCE_LEN,
	    IKEV1_PL_NONCE);
	set_len(b, IKEV1_HDR_LEN + 4 + 256);
	set16(b, 30, 4 + 256);
	assert_int_equal(decode_exact(b, IKEV1_HDR_LEN + 4 + 256, NULL), 0);
	set_len(b, IKEV1_HDR_LEN + 4 + 8);
	set16(b, 30, 4 + 8);
	assert_int_equal(decode_exact(b, IKEV1_HDR_LEN + 4 + 8, NULL), 0);
}

/* ------------------------------------------------------------ bounds */

/* n VIDs of 4 octets each. */
static uint8_t *
vids(size_t n, size_t *len)
{
	size_t i, at = IKEV1_HDR_LEN;
	uint8_t *b;

	*len = IKEV1_HDR_LEN + n * 8;
	b = cx_dup(NULL, *len);
	b[16] = IKEV1_PL_VID;
	b[17] = 0x10;
	b[18] = IKEV1_EXCH_MAIN;
	set_len(b, *len);
	for (i = 0; i < n; i++, at += 8) {
		b[at] = i + 1 < n ? IKEV1_PL_VID : 0;
		set16(b, at + 2, 8);
		b[at + 4] = 0xee;
	}
	return b;
}

static void
too_many_payloads(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = vids(V1_MSG_MAX_PAYLOADS, &len);
	assert_int_equal(decode_exact(b, len, NULL), 0);
	b = vids(V1_MSG_MAX_PAYLOADS + 1, &len);
	reject(b, len, IKE_ENOSPC, V1_TOO_MANY, IKEV1_PL_VID);
}

/* Main Mode message 1 whose SA holds np ESP proposals of nt
 * transforms of na TV attributes each, written octet by octet. */
static uint8_t *
big_sa(size_t np, size_t nt, size_t na, size_t *len)
{
	static const uint8_t hdr[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0,
	    0, 0, 0, 0, IKEV1_PL_SA, 0x10, IKEV1_EXCH_MAIN, 0, 0, 0, 0, 0 };
	size_t p, t, a, lm, sam, pm, tm, sa, ps, ts;
	struct wr w;
	uint8_t *b;

	wr_init(&w, 0);
	wr_bytes(&w, hdr, sizeof(hdr));
	lm = wr_mark32(&w);
	sa = w.len;
	wr_u16(&w, 0);			/* last payload, RESERVED */
	sam = wr_mark16(&w);
	wr_u32(&w, IKEV1_DOI_IPSEC);
	wr_u32(&w, IKEV1_SIT_IDENTITY_ONLY);
	for (p = 0; p < np; p++) {
		ps = w.len;
		wr_u8(&w, p + 1 < np ? IKEV1_PL_P : 0);
		wr_u8(&w, 0);
		pm = wr_mark16(&w);
		wr_u8(&w, 1);
		wr_u8(&w, IKEV1_PROTO_ESP);
		wr_u8(&w, 4);
		wr_u8(&w, (uint8_t)nt);
		wr_u32(&w, 0x01020304);
		for (t = 0; t < nt; t++) {
			ts = w.len;
			wr_u8(&w, t + 1 < nt ? IKEV1_PL_T : 0);
			wr_u8(&w, 0);
			tm = wr_mark16(&w);
			wr_u8(&w, (uint8_t)(t + 1));
			wr_u8(&w, IKEV1_ESP_AES);
			wr_u16(&w, 0);
			for (a = 0; a < na; a++) {
				wr_u16(&w, IKEV1_ATTR_AF | 1);
				wr_u16(&w, 1);
			}
			wr_patch16(&w, tm, ts);
		}
		wr_patch16(&w, pm, ps);
	}
	wr_patch16(&w, sam, sa);
	wr_patch32(&w, lm, 0);
	assert_int_equal(wr_error(&w), 0);
	*len = w.len;
	b = cx_dup(w.buf, w.len);
	wr_free(&w);
	return b;
}

static void
too_many_substructures(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = big_sa(V1_MSG_MAX_PROPOSALS, 1, 0, &len);
	assert_int_equal(decode_exact(b, len, NULL), 0);
	assert_int_equal(msg.nprop, V1_MSG_MAX_PROPOSALS);
	b = big_sa(V1_MSG_MAX_PROPOSALS + 1, 1, 0, &len);
	reject(b, len, IKE_ENOSPC, V1_TOO_MANY, IKEV1_PL_SA);
	b = big_sa(1, V1_MSG_MAX_TRANSFORMS, 0, &len);
	assert_int_equal(decode_exact(b, len, NULL), 0);
	assert_int_equal(msg.nxf, V1_MSG_MAX_TRANSFORMS);
	b = big_sa(1, V1_MSG_MAX_TRANSFORMS + 1, 0, &len);
	reject(b, len, IKE_ENOSPC, V1_TOO_MANY, IKEV1_PL_SA);
	b = big_sa(1, 1, V1_MSG_MAX_ATTRS, &len);
	assert_int_equal(decode_exact(b, len, NULL), 0);
	assert_int_equal(msg.nattr, V1_MSG_MAX_ATTRS);
	b = big_sa(1, 1, V1_MSG_MAX_ATTRS + 1, &len);
	reject(b, len, IKE_ENOSPC, V1_TOO_MANY, IKEV1_PL_SA);
}

/* --------------------------------------------------- encrypted body */

static void
body_state(void **state)
{
	struct v1_msg *m = calloc(1, sizeof(*m));
	struct v1_diag d;
	size_t len, blen;
	uint8_t *b = cx_hex(v1t_mm1, &len);
	uint8_t *body = cx_hex(v1t_qm1_body, &blen);

	(void)state;
	assert_non_null(m);
	/* a plain message has nothing to open */
	assert_int_equal(v1_decode(b, len, m, NULL), 0);
	assert_int_equal(v1_decode_body(m, IKEV1_PL_HASH, body, blen, &d),
	    IKE_ESTATE);
	assert_int_equal(d.why, V1_STATE);
	assert_int_equal(m->npl, 2);
	/* an unknown type inside: refused with its type, msg as it was */
	b = cx_hex(v1t_qm1_hdr, &len);
	assert_int_equal(v1_decode(b, len, m, NULL), 0);
	body[24] = 17;			/* SA's Next Payload */
	assert_int_equal(v1_decode_body(m, IKEV1_PL_HASH, body, blen, &d),
	    IKE_EUNSUPP);
	assert_int_equal(d.why, V1_PL_TYPE);
	assert_int_equal(d.pl_type, 17);
	assert_true(d.inner);
	assert_int_equal(d.offset, 80);
	assert_int_equal(m->npl, 0);
	assert_int_equal(m->nprop, 0);
	assert_false(m->opened);
	body[24] = IKEV1_PL_NONCE;
	assert_int_equal(v1_decode_body(m, IKEV1_PL_HASH, body, blen, &d), 0);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(truncated_everywhere),
		TEST(body_truncated_everywhere),
		TEST(every_length_lie),
		TEST(nested_length_lies),
		TEST(attribute_past_transform),
		TEST(proposal_counts),
		TEST(proposal_numbers),
		TEST(header_values),
		TEST(unknown_payload_types),
		TEST(empty_bodies),
		TEST(sa_doi_situation),
		TEST(delete_rules),
		TEST(notify_rules),
		TEST(id_natoa_nonce_rules),
		TEST(too_many_payloads),
		TEST(too_many_substructures),
		TEST(body_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
