/* db/record.c: round trips of every object type with every field set,
 * the exact byte layout, and every kind of malformed record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/codec/rd.h"
#include "core/codec/wr.h"
#include "core/err.h"
#include "db/record.h"
#include "dbt.h"

#define VER	(RECORD_MAJOR << 4 | RECORD_MINOR)

/* Tags whose value is a nested structure (see db/record.c). */
static const uint16_t nested_tags[] = {
	0x0108, 0x0207, 0x0208, 0x0301, 0x0402, 0x0502, 0x0707, 0x0708,
	0x0901,
};

struct tlv_pos {
	uint16_t	tag;
	size_t		at;	/* offset of the tag in the record */
	uint16_t	len;
};

static bool
is_nested(uint16_t tag)
{
	size_t i;

	for (i = 0; i < sizeof(nested_tags) / sizeof(nested_tags[0]); i++)
		if (nested_tags[i] == tag)
			return true;
	return false;
}

/* Lists every TLV of a well-formed record, nested ones too. */
static size_t
walk(const uint8_t *rec, size_t from, size_t to, struct tlv_pos *out,
    size_t n, size_t max)
{
	struct rd r;
	uint16_t tag, len;

	while (from < to) {
		rd_init(&r, rec + from, to - from);
		assert_int_equal(rd_u16(&r, &tag), 0);
		assert_int_equal(rd_u16(&r, &len), 0);
		assert_true(n < max);
		out[n++] = (struct tlv_pos){ tag, from, len };
		if (is_nested(tag))
			n = walk(rec, from + 4, from + 4 + len, out, n, max);
		from += 4 + (size_t)len;
	}
	assert_int_equal(from, to);
	return n;
}

static void
encode(const struct db_obj *o, struct wr *w)
{
	wr_init(w, 0);
	assert_int_equal(record_encode(o, w), 0);
}

/* Decoding buf (copied to a buffer of exactly len bytes, so that ASan
 * sees any read past it) fails with want_rc and leaves out alone. */
static void
expect_fail(const uint8_t *buf, size_t len, enum db_type want, int want_rc)
{
	static struct db_obj out, pattern;
	uint8_t *copy = malloc(len > 0 ? len : 1);

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, buf, len);
	memset(&pattern, 0x5a, sizeof(pattern));
	memcpy(&out, &pattern, sizeof(out));
	assert_int_equal(record_decode(copy, len, want, &out), want_rc);
	assert_memory_equal(&out, &pattern, sizeof(out));
	free(copy);
}

static void
expect_bad(const uint8_t *buf, size_t len)
{
	expect_fail(buf, len, DB_T_COUNT, IKE_EMALFORMED);
}

static void
expect_ok(const uint8_t *buf, size_t len, struct db_obj *out)
{
	uint8_t *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, buf, len);
	assert_int_equal(record_decode(copy, len, DB_T_COUNT, out), 0);
	free(copy);
}

/* ------------------------------------------------------------ round trip */

static void
round_trip_every_type(void **state)
{
	static struct db_obj in, out;
	struct wr w;
	int t;

	(void)state;
	for (t = 0; t < DB_T_COUNT; t++) {
		dbt_full(&in, (enum db_type)t, (unsigned)t + 3);
		encode(&in, &w);
		memset(&out, 0xee, sizeof(out));
		assert_int_equal(record_decode(w.buf, w.len,
		    (enum db_type)t, &out), 0);
		assert_memory_equal(&in, &out, sizeof(in));
		/* Decoding asks for the right type. */
		expect_fail(w.buf, w.len, (enum db_type)((t + 1) % DB_T_COUNT),
		    IKE_EMALFORMED);
		wr_free(&w);
	}
}

static void
round_trip_empty_objects(void **state)
{
	static struct db_obj in, out;
	struct wr w;
	int t;

	(void)state;
	for (t = 0; t < DB_T_COUNT; t++) {
		memset(&in, 0, sizeof(in));
		in.type = (enum db_type)t;
		encode(&in, &w);
		assert_int_equal(w.len, RECORD_HDR_LEN);	/* all left out */
		expect_ok(w.buf, w.len, &out);
		assert_memory_equal(&in, &out, sizeof(in));
		wr_free(&w);
	}
}

static void
layout_is_big_endian_tlv(void **state)
{
	static struct db_obj o;
	static const uint8_t want[] = {
		VER, DB_T_IKE_TUNNEL, 0, 0, 0, 23,
		0x02, 0x01, 0, 2, 'a', 0,		/* name "a" */
		0x02, 0x02, 0, 4, 1, 2, 3, 4,		/* num */
		0x02, 0x08, 0, 5,			/* remote ident */
		0x08, 0x01, 0, 1, DB_ID_GROUP,		/*   type */
	};
	struct wr w;

	(void)state;
	dbt_small(&o, DB_T_IKE_TUNNEL, "a");
	o.u.ike_tun.num = 0x01020304;
	o.u.ike_tun.remote.type = DB_ID_GROUP;	/* local is empty: left out */
	encode(&o, &w);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(w.buf, want, sizeof(want));
	wr_free(&w);
}

/* ------------------------------------------------------------- malformed */

static void
truncated_at_every_length(void **state)
{
	static struct db_obj in;
	struct wr w;
	size_t n;
	int t;

	(void)state;
	for (t = 0; t < DB_T_COUNT; t++) {
		dbt_full(&in, (enum db_type)t, 1);
		encode(&in, &w);
		for (n = 0; n < w.len; n++)
			expect_bad(w.buf, n);
		wr_u8(&w, 0);			/* one byte too many */
		expect_bad(w.buf, w.len);
		wr_free(&w);
	}
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Every length field, TLVs and the header's, set to len-1, len+1, 0
 * and the maximum: always rejected. */
static void
corrupt_each_length(void **state)
{
	static struct db_obj in;
	struct tlv_pos pos[512];
	uint32_t alt[4];
	uint8_t *buf;
	size_t n, i, j;
	struct wr w;
	int t;

	(void)state;
	for (t = 0; t < DB_T_COUNT; t++) {
		dbt_full(&in, (enum db_type)t, 5);
		encode(&in, &w);
		n = walk(w.buf, RECORD_HDR_LEN, w.len, pos, 0, 512);
		assert_true(n > 1);
		buf = malloc(w.len);
		assert_non_null(buf);
		for (i = 0; i < n; i++) {
			alt[0] = pos[i].len - 1u;
			alt[1] = pos[i].len + 1u;
			alt[2] = 0;
			alt[3] = 0xffff;
			for (j = 0; j < 4; j++) {
				if (alt[j] == pos[i].len || alt[j] > 0xffff)
					continue;
				memcpy(buf, w.buf, w.len);
				put16(buf + pos[i].at + 2, alt[j]);
				expect_bad(buf, w.len);
			}
		}
		alt[0] = (uint32_t)(w.len - RECORD_HDR_LEN - 1);
		alt[1] = (uint32_t)(w.len - RECORD_HDR_LEN + 1);
		alt[2] = 0;
		alt[3] = 0xffffffffu;
		for (j = 0; j < 4; j++) {
			memcpy(buf, w.buf, w.len);
			put32(buf + 2, alt[j]);
			expect_bad(buf, w.len);
		}
		free(buf);
		wr_free(&w);
	}
}

struct enum_case {
	enum db_type	type;
	uint16_t	tag;
	uint8_t		bad;	/* first value out of range */
};

static const struct enum_case enum_cases[] = {
	{ DB_T_IKE_PROTECTION, 0x0103, DB_ROLE_RESPONDER + 1 },
	{ DB_T_IKE_PROTECTION, 0x0104, DB_XCHG_AGGRESSIVE + 1 },
	{ DB_T_IKE_PROTECTION, 0x0a01, DB_ENCR_COUNT },
	{ DB_T_IKE_PROTECTION, 0x0a02, DB_HASH_COUNT },
	{ DB_T_IKE_PROTECTION, 0x0a03, DB_PRF_COUNT },
	{ DB_T_IKE_PROTECTION, 0x0a05, DB_AUTH_COUNT },
	{ DB_T_IKE_TUNNEL, 0x0204, 2 },			/* bool */
	{ DB_T_IKE_TUNNEL, 0x0801, DB_ID_COUNT },
	{ DB_T_PSK, 0x0302, DB_PSK_HEX + 1 },
	{ DB_T_PSK, 0x0801, DB_ID_COUNT },
	{ DB_T_GROUP, 0x0801, DB_ID_COUNT },
	{ DB_T_IPSEC_PROPOSAL, 0x0b01, DB_PROTO_AH + 1 },
	{ DB_T_IPSEC_PROPOSAL, 0x0b02, DB_ENCR_COUNT },
	{ DB_T_IPSEC_PROPOSAL, 0x0b03, DB_INTEG_COUNT },
	{ DB_T_IPSEC_PROPOSAL, 0x0b04, DB_MODE_TRANSPORT + 1 },
	{ DB_T_IPSEC_PROPOSAL, 0x0b05, 2 },		/* bool */
	{ DB_T_IPSEC_PROTECTION, 0x0603, DB_ROLE_RESPONDER + 1 },
	{ DB_T_IPSEC_TUNNEL, 0x0705, 2 },		/* bool */
	{ DB_T_IPSEC_TUNNEL, 0x0706, 2 },		/* bool */
	{ DB_T_IPSEC_TUNNEL, 0x0801, DB_ID_COUNT },
};

/* Each enumeration's first out-of-range value is rejected, its last
 * valid one accepted. */
static void
enum_out_of_range(void **state)
{
	static struct db_obj in, out;
	struct tlv_pos pos[512];
	size_t c, i, n;
	struct wr w;

	(void)state;
	for (c = 0; c < sizeof(enum_cases) / sizeof(enum_cases[0]); c++) {
		dbt_full(&in, enum_cases[c].type, 2);
		encode(&in, &w);
		n = walk(w.buf, RECORD_HDR_LEN, w.len, pos, 0, 512);
		for (i = 0; i < n && pos[i].tag != enum_cases[c].tag; i++)
			;
		assert_true(i < n);
		assert_int_equal(pos[i].len, 1);
		w.buf[pos[i].at + 4] = enum_cases[c].bad;
		expect_bad(w.buf, w.len);
		w.buf[pos[i].at + 4] = (uint8_t)(enum_cases[c].bad - 1);
		expect_ok(w.buf, w.len, &out);
		wr_free(&w);
	}
}

/* --------------------------------------------------- hand-built records */

static void
rec_begin(struct wr *w, uint8_t ver, uint8_t type, size_t *mark)
{
	wr_init(w, 0);
	wr_u8(w, ver);
	wr_u8(w, type);
	*mark = wr_mark32(w);
}

static void
rec_end(struct wr *w, size_t mark)
{
	wr_patch32(w, mark, mark + 4);
	assert_int_equal(wr_error(w), 0);
}

static void
tlv(struct wr *w, uint16_t tag, const void *v, size_t len)
{
	wr_u16(w, tag);
	wr_u16(w, (uint16_t)len);
	wr_bytes(w, v, len);
}

/* A string TLV of n characters ('x') plus a NUL. */
static void
tlv_str(struct wr *w, uint16_t tag, size_t n)
{
	char buf[1024];

	memset(buf, 'x', n);
	buf[n] = '\0';
	tlv(w, tag, buf, n + 1);
}

/* An IKEProtection with a name of n characters. */
static void
name_len(size_t n, bool ok)
{
	static struct db_obj out;
	struct wr w;
	size_t m;

	rec_begin(&w, VER, DB_T_IKE_PROTECTION, &m);
	tlv_str(&w, 0x0101, n);
	rec_end(&w, m);
	if (ok) {
		expect_ok(w.buf, w.len, &out);
		assert_int_equal(strlen(out.u.ike_prot.name), n);
	} else {
		expect_bad(w.buf, w.len);
	}
	wr_free(&w);
}

/* An IKETunnel with a remote identity holding value (tag 0x0802) or
 * value2 (0x0803) of n characters. */
static void
ident_len(uint16_t tag, size_t n, bool ok)
{
	static struct db_obj out;
	struct wr w;
	size_t m, sub;

	rec_begin(&w, VER, DB_T_IKE_TUNNEL, &m);
	wr_u16(&w, 0x0208);
	sub = wr_mark16(&w);
	tlv_str(&w, tag, n);
	wr_patch16(&w, sub, sub + 2);
	rec_end(&w, m);
	if (ok)
		expect_ok(w.buf, w.len, &out);
	else
		expect_bad(w.buf, w.len);
	wr_free(&w);
}

static void
bad_strings(void **state)
{
	static const uint8_t nonul[] = "abc", inner[] = "a\0b";
	struct wr w;
	size_t m;

	(void)state;
	name_len(DB_NAME_MAX - 1, true);
	name_len(DB_NAME_MAX, false);		/* too long */
	name_len(0, true);
	ident_len(0x0802, DB_IDVAL_MAX - 1, true);
	ident_len(0x0802, DB_IDVAL_MAX, false);
	ident_len(0x0803, DB_IDVAL2_MAX - 1, true);
	ident_len(0x0803, DB_IDVAL2_MAX, false);

	rec_begin(&w, VER, DB_T_GROUP, &m);
	tlv(&w, 0x0401, nonul, 3);		/* no NUL */
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);

	rec_begin(&w, VER, DB_T_GROUP, &m);
	tlv(&w, 0x0401, inner, sizeof(inner));	/* NUL inside */
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);

	rec_begin(&w, VER, DB_T_GROUP, &m);
	tlv(&w, 0x0401, NULL, 0);		/* not even a NUL */
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
}

/* A record of type with n elements of the list with tag; each element
 * an empty structure or (str) a one-character string. */
static void
list_n(enum db_type type, uint16_t tag, bool str, unsigned n, bool ok)
{
	static struct db_obj out;
	struct wr w;
	size_t m;
	unsigned i;

	rec_begin(&w, VER, (uint8_t)type, &m);
	for (i = 0; i < n; i++)
		if (str)
			tlv_str(&w, tag, 1);
		else
			tlv(&w, tag, NULL, 0);
	rec_end(&w, m);
	if (ok)
		expect_ok(w.buf, w.len, &out);
	else
		expect_bad(w.buf, w.len);
	wr_free(&w);
}

static void
counts_over_array_size(void **state)
{
	static struct db_obj out;
	uint8_t key[DB_PSK_MAX + 1];
	struct wr w;
	size_t m;

	(void)state;
	list_n(DB_T_IKE_PROTECTION, 0x0108, false, DB_MAX_TRANSFORMS, true);
	list_n(DB_T_IKE_PROTECTION, 0x0108, false, DB_MAX_TRANSFORMS + 1,
	    false);
	list_n(DB_T_GROUP, 0x0402, false, DB_MAX_MEMBERS, true);
	list_n(DB_T_GROUP, 0x0402, false, DB_MAX_MEMBERS + 1, false);
	list_n(DB_T_IPSEC_PROPOSAL, 0x0502, false, DB_MAX_PROTOS, true);
	list_n(DB_T_IPSEC_PROPOSAL, 0x0502, false, DB_MAX_PROTOS + 1, false);
	list_n(DB_T_IPSEC_PROTECTION, 0x0602, true, DB_MAX_PROPREFS, true);
	list_n(DB_T_IPSEC_PROTECTION, 0x0602, true, DB_MAX_PROPREFS + 1,
	    false);

	memset(key, 0x11, sizeof(key));
	rec_begin(&w, VER, DB_T_PSK, &m);
	tlv(&w, 0x0303, key, DB_PSK_MAX);
	rec_end(&w, m);
	expect_ok(w.buf, w.len, &out);
	assert_int_equal(out.u.psk.len, DB_PSK_MAX);
	wr_free(&w);
	rec_begin(&w, VER, DB_T_PSK, &m);
	tlv(&w, 0x0303, key, DB_PSK_MAX + 1);	/* key too long */
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
}

static void
bad_fields_and_headers(void **state)
{
	static const uint8_t two[] = { 0, 5 }, one[] = { 1 }, four[4] = { 0 };
	struct wr w;
	size_t m;

	(void)state;
	/* The same field twice. */
	rec_begin(&w, VER, DB_T_IKE_PROTECTION, &m);
	tlv(&w, 0x0102, one, 1);
	tlv(&w, 0x0102, one, 1);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
	/* An integer of the wrong width. */
	rec_begin(&w, VER, DB_T_IKE_PROTECTION, &m);
	tlv(&w, 0x0105, two, 2);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
	/* A field of another structure. */
	rec_begin(&w, VER, DB_T_IKE_PROTECTION, &m);
	tlv(&w, 0x0801, one, 1);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
	/* Versions and types. */
	rec_begin(&w, (RECORD_MAJOR + 1) << 4, DB_T_GROUP, &m);
	rec_end(&w, m);
	expect_fail(w.buf, w.len, DB_T_COUNT, IKE_EUNSUPP);
	wr_free(&w);
	rec_begin(&w, 0x00, DB_T_GROUP, &m);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
	rec_begin(&w, VER, DB_T_COUNT, &m);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
	rec_begin(&w, VER, 0xff, &m);
	tlv(&w, 0x0101, four, 0);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
}

/* An unknown tag is skipped in a record of a newer minor version, and
 * rejected in one of ours. */
static void
unknown_tags(void **state)
{
	static struct db_obj out;
	static const uint8_t junk[] = { 1, 2, 3 };
	uint8_t ver;
	struct wr w;
	size_t m;

	(void)state;
	for (ver = VER; ver <= VER + 1; ver++) {
		rec_begin(&w, ver, DB_T_GROUP, &m);
		tlv(&w, 0x04ee, junk, sizeof(junk));
		tlv_str(&w, 0x0401, 5);
		tlv(&w, 0x7777, NULL, 0);
		rec_end(&w, m);
		if (ver == VER) {
			expect_bad(w.buf, w.len);
		} else {
			expect_ok(w.buf, w.len, &out);
			assert_int_equal(out.type, DB_T_GROUP);
			assert_string_equal(out.u.group.name, "xxxxx");
		}
		wr_free(&w);
	}
	/* Skipping still needs a length that fits. */
	rec_begin(&w, VER + 1, DB_T_GROUP, &m);
	wr_u16(&w, 0x04ee);
	wr_u16(&w, 10);
	wr_u8(&w, 0);
	rec_end(&w, m);
	expect_bad(w.buf, w.len);
	wr_free(&w);
}

static void
encoder_refuses_bad_objects(void **state)
{
	static struct db_obj o;
	struct wr w;

	(void)state;
	dbt_full(&o, DB_T_IKE_PROTECTION, 0);
	o.u.ike_prot.ntransforms = DB_MAX_TRANSFORMS + 1;
	wr_init(&w, 0);
	assert_int_equal(record_encode(&o, &w), IKE_EINVAL);
	wr_free(&w);

	dbt_full(&o, DB_T_IKE_PROTECTION, 0);
	o.u.ike_prot.role = DB_ROLE_RESPONDER + 1;
	wr_init(&w, 0);
	assert_int_equal(record_encode(&o, &w), IKE_EINVAL);
	wr_free(&w);

	dbt_full(&o, DB_T_GROUP, 0);
	memset(o.u.group.name, 'g', sizeof(o.u.group.name));	/* no NUL */
	wr_init(&w, 0);
	assert_int_equal(record_encode(&o, &w), IKE_EINVAL);
	wr_free(&w);

	dbt_full(&o, DB_T_PSK, 0);
	o.u.psk.len = DB_PSK_MAX + 1;
	wr_init(&w, 0);
	assert_int_equal(record_encode(&o, &w), IKE_EINVAL);
	wr_free(&w);

	memset(&o, 0, sizeof(o));
	o.type = DB_T_COUNT;
	wr_init(&w, 0);
	assert_int_equal(record_encode(&o, &w), IKE_EINVAL);
	wr_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_type),
		cmocka_unit_test(round_trip_empty_objects),
		cmocka_unit_test(layout_is_big_endian_tlv),
		cmocka_unit_test(truncated_at_every_length),
		cmocka_unit_test(corrupt_each_length),
		cmocka_unit_test(enum_out_of_range),
		cmocka_unit_test(bad_strings),
		cmocka_unit_test(counts_over_array_size),
		cmocka_unit_test(bad_fields_and_headers),
		cmocka_unit_test(unknown_tags),
		cmocka_unit_test(encoder_refuses_bad_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
