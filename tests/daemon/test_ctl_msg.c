/* The control protocol's codec: the exact bytes on the wire, encode ->
 * decode round trips with nested attributes, and the rejection of
 * truncated, overlong and malformed frames at any depth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/ctl/ctl_msg.h"
#include "core/err.h"

/* Builds frames and bodies by hand, byte by byte. */
static size_t
put_attr(uint8_t *p, uint16_t tag, const void *v, uint16_t len)
{
	p[0] = (uint8_t)(tag >> 8);
	p[1] = (uint8_t)tag;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	if (len > 0)
		memcpy(p + 4, v, len);
	return 4u + len;
}

static int
decode_body(const uint8_t *b, size_t len, struct ctl_msg *m)
{
	return ctl_decode(CTL_T_LIST, b, len, m);
}

static void
wire_format_is_exact(void **state)
{
	static const uint8_t want[] = {
		1, CTL_T_LIST, 0, 0, 0, 0, 0, 23,
		0, CTL_A_PHASE, 0, 1, 3,
		0, CTL_A_RANGE, 0, 8, 0, 0, 0, 1, 0, 0, 0, 7,
		0, CTL_A_NAME, 0, 2, 'a', 'b',
	};
	struct wr w;

	(void)state;
	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LIST);
	ctl_put_u8(&w, CTL_A_PHASE, 3);
	ctl_put_range(&w, 1, 7);
	ctl_put_str(&w, CTL_A_NAME, "ab");
	assert_int_equal(ctl_end(&w), 0);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(w.buf, want, sizeof(want));
	wr_free(&w);
}

static void
header_checks(void **state)
{
	uint8_t h[CTL_HDR_LEN] = { 1, CTL_T_STATUS, 0, 0, 0, 1, 0, 0 };
	uint8_t type = 0;
	uint32_t len = 0;

	(void)state;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len), 0);
	assert_int_equal(type, CTL_T_STATUS);
	assert_int_equal(len, 65536);
	/* One byte over the limit. */
	h[7] = 1;
	type = 0;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len), IKE_ENOSPC);
	assert_int_equal(type, 0);	/* untouched on failure */
	h[4] = h[5] = h[6] = h[7] = 0xff;
	assert_int_equal(ctl_hdr_decode(h, CTL_REQ_MAX, &type, &len),
	    IKE_ENOSPC);
	h[4] = h[5] = h[6] = h[7] = 0;
	h[0] = 2;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len), IKE_EUNSUPP);
	h[0] = 0;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len), IKE_EUNSUPP);
	h[0] = 1;
	h[3] = 1;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len),
	    IKE_EMALFORMED);
	h[3] = 0;
	h[2] = 0x80;
	assert_int_equal(ctl_hdr_decode(h, 65536, &type, &len),
	    IKE_EMALFORMED);
}

static void
request_round_trip(void **state)
{
	struct ctl_msg m;
	struct wr w;
	char s[64];
	uint32_t lo, hi, u32;
	uint8_t type, u8;

	(void)state;
	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_ACTIVATE);
	ctl_put_u8(&w, CTL_A_PHASE, 2);
	ctl_put_range(&w, 1, 3);
	ctl_put_range(&w, 5, 0xffffffffu);
	ctl_put_str(&w, CTL_A_NAME, "AIXFW1_DM");
	ctl_put_str(&w, CTL_A_NAME, "remote_office");
	ctl_put_str(&w, CTL_A_REMID, "9.3.97.100,255.255.255.0");
	ctl_put_str(&w, CTL_A_IPSRC, "10.0.0.1");
	ctl_put_str(&w, CTL_A_IPDST, "10.0.0.2");
	ctl_put_u32(&w, CTL_A_FLAGS, CTL_F_AUTOSTART);
	ctl_put_u8(&w, CTL_A_ROLE, 'i');
	assert_int_equal(ctl_end(&w), 0);

	assert_int_equal(ctl_hdr_decode(w.buf, CTL_REQ_MAX, &type, &u32), 0);
	assert_int_equal(type, CTL_T_ACTIVATE);
	assert_int_equal(u32, w.len - CTL_HDR_LEN);
	assert_int_equal(ctl_decode(type, w.buf + CTL_HDR_LEN, u32, &m), 0);
	assert_int_equal(m.type, CTL_T_ACTIVATE);
	assert_int_equal(ctl_get_u8(&m, CTL_A_PHASE, &u8), 0);
	assert_int_equal(u8, 2);
	assert_int_equal(ctl_count(&m, CTL_A_RANGE), 2);
	assert_int_equal(ctl_get_range_nth(&m, 1, &lo, &hi), 0);
	assert_int_equal(lo, 5);
	assert_true(hi == 0xffffffffu);
	assert_int_equal(ctl_get_range_nth(&m, 2, &lo, &hi), IKE_ENOTFOUND);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 1, s, sizeof(s)), 0);
	assert_string_equal(s, "remote_office");
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_REMID, 0, s, sizeof(s)),
	    0);
	assert_string_equal(s, "9.3.97.100,255.255.255.0");
	assert_int_equal(ctl_get_u32(&m, CTL_A_FLAGS, &u32), 0);
	assert_int_equal(u32, CTL_F_AUTOSTART);
	assert_int_equal(ctl_get_u8(&m, CTL_A_ROLE, &u8), 0);
	assert_int_equal(u8, 'i');
	/* Accessor errors. */
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &u32), IKE_ENOTFOUND);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 0, s, 9), IKE_ENOSPC);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 0, s, 10), 0);
	assert_string_equal(s, "AIXFW1_DM");
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 2, s, sizeof(s)),
	    IKE_ENOTFOUND);
	wr_free(&w);
}

/* A STATUS-like reply with a listed tunnel carrying verbose details. */
static void
build_reply(struct wr *w)
{
	size_t tun, det;

	wr_init(w, 0);
	ctl_begin(w, CTL_T_LIST | CTL_T_REPLY);
	ctl_put_u32(w, CTL_A_RESULT, CTL_R_OK);
	ctl_put_str(w, CTL_A_MESSAGE, "");
	tun = ctl_nest_begin(w, CTL_A_TUNNEL);
	ctl_put_u8(w, CTL_A_T_PHASE, 1);
	ctl_put_u32(w, CTL_A_T_NUM, 7);
	ctl_put_str(w, CTL_A_T_STATUS, "Active");
	det = ctl_nest_begin(w, CTL_A_T_DETAIL);
	ctl_put_kv(w, "Lifetime", "28800");
	ctl_put_kv(w, "Mode", "Main");
	ctl_nest_end(w, det);
	ctl_nest_end(w, tun);
	ctl_put_kv(w, "pid", "42");
}

static void
reply_round_trip_nested(void **state)
{
	struct ctl_msg m, t, d, kv;
	struct ctl_attr a;
	struct wr w;
	char s[32];
	uint32_t u32;

	(void)state;
	build_reply(&w);
	assert_int_equal(ctl_end(&w), 0);
	assert_int_equal(ctl_decode(w.buf[1], w.buf + CTL_HDR_LEN,
	    w.len - CTL_HDR_LEN, &m), 0);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &u32), 0);
	assert_int_equal(u32, CTL_R_OK);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, s, sizeof(s)),
	    0);
	assert_string_equal(s, "");
	assert_int_equal(ctl_find_nth(&m, CTL_A_TUNNEL, 0, &a), 0);
	assert_int_equal(ctl_nested(&m, &a, &t), 0);
	assert_int_equal(ctl_get_u32(&t, CTL_A_T_NUM, &u32), 0);
	assert_int_equal(u32, 7);
	assert_int_equal(ctl_get_str_nth(&t, CTL_A_T_STATUS, 0, s, sizeof(s)),
	    0);
	assert_string_equal(s, "Active");
	assert_int_equal(ctl_find_nth(&t, CTL_A_T_DETAIL, 0, &a), 0);
	assert_int_equal(ctl_nested(&t, &a, &d), 0);
	assert_int_equal(ctl_count(&d, CTL_A_KV), 2);
	assert_int_equal(ctl_find_nth(&d, CTL_A_KV, 1, &a), 0);
	assert_int_equal(ctl_nested(&d, &a, &kv), 0);
	assert_int_equal(ctl_get_str_nth(&kv, CTL_A_KEY, 0, s, sizeof(s)), 0);
	assert_string_equal(s, "Mode");
	assert_int_equal(ctl_get_str_nth(&kv, CTL_A_VALUE, 0, s, sizeof(s)),
	    0);
	assert_string_equal(s, "Main");
	/* The top level's own KV comes after the tunnel. */
	assert_int_equal(ctl_count(&m, CTL_A_KV), 1);
	wr_free(&w);
}

static void
every_truncation_is_rejected(void **state)
{
	struct ctl_msg m;
	struct wr w;
	size_t body, cut, pos, ends[64], nends = 0;
	struct ctl_attr a;

	(void)state;
	build_reply(&w);
	assert_int_equal(ctl_end(&w), 0);
	body = w.len - CTL_HDR_LEN;
	assert_int_equal(decode_body(w.buf + CTL_HDR_LEN, body, &m), 0);
	/* Attribute boundaries at the top level are the only valid cuts. */
	pos = 0;
	ends[nends++] = 0;
	while (ctl_next(&m, &pos, &a) == 0)
		ends[nends++] = pos;
	for (cut = 0; cut < body; cut++) {
		size_t i;
		int boundary = 0;

		for (i = 0; i < nends; i++)
			boundary |= ends[i] == cut;
		assert_int_equal(decode_body(w.buf + CTL_HDR_LEN, cut, &m),
		    boundary ? 0 : IKE_EMALFORMED);
	}
	wr_free(&w);
}

static void
overlong_and_wrong_sizes(void **state)
{
	static const uint8_t two[2] = { 1, 2 }, three[3] = { 0, 0, 0 };
	static const uint8_t seven[7] = { 0 };
	uint8_t b[64];
	struct ctl_msg m;
	size_t n;

	(void)state;
	/* Length beyond the body. */
	n = put_attr(b, CTL_A_NAME, "abc", 3);
	b[3] = 4;
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* Fewer than 4 bytes of attribute header. */
	assert_int_equal(decode_body(b, 3, &m), IKE_EMALFORMED);
	/* Fixed-size attributes of the wrong size. */
	n = put_attr(b, CTL_A_PHASE, two, 2);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	n = put_attr(b, CTL_A_RESULT, three, 3);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	n = put_attr(b, CTL_A_RANGE, seven, 7);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	n = put_attr(b, CTL_A_FLAGS, two, 0);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* A NUL inside a string. */
	n = put_attr(b, CTL_A_NAME, "a\0b", 3);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* Unknown tags pass as opaque values, even with NULs. */
	n = put_attr(b, 999, "a\0b", 3);
	assert_int_equal(decode_body(b, n, &m), 0);
	assert_int_equal(ctl_count(&m, 999), 1);
	/* An empty body is a valid message. */
	assert_int_equal(decode_body(NULL, 0, &m), 0);
	assert_int_equal(ctl_count(&m, CTL_A_NAME), 0);
}

static void
nested_values_are_checked(void **state)
{
	uint8_t inner[32], b[64];
	struct ctl_msg m;
	size_t n, i;

	(void)state;
	/* A tunnel whose inner attribute claims more than it has. */
	i = put_attr(inner, CTL_A_T_STATUS, "Active", 6);
	inner[3] = 9;
	n = put_attr(b, CTL_A_TUNNEL, inner, (uint16_t)i);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* A KV whose key holds a NUL. */
	i = put_attr(inner, CTL_A_KEY, "k\0", 2);
	n = put_attr(b, CTL_A_KV, inner, (uint16_t)i);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* A detail with a wrongly sized tunnel number inside. */
	i = put_attr(inner, CTL_A_T_NUM, "ab", 2);
	n = put_attr(b, CTL_A_T_DETAIL, inner, (uint16_t)i);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
	/* Nested but fine. */
	i = put_attr(inner, CTL_A_KEY, "k", 1);
	i += put_attr(inner + i, CTL_A_VALUE, "v", 1);
	n = put_attr(b, CTL_A_KV, inner, (uint16_t)i);
	assert_int_equal(decode_body(b, n, &m), 0);
}

/* KV inside KV inside ... levels deep. */
static size_t
nest(uint8_t *buf, int levels)
{
	uint8_t tmp[256];
	size_t n = put_attr(buf, CTL_A_KEY, "k", 1);
	int i;

	for (i = 0; i < levels; i++) {
		memcpy(tmp, buf, n);
		n = put_attr(buf, CTL_A_KV, tmp, (uint16_t)n);
	}
	return n;
}

static void
nesting_depth_is_limited(void **state)
{
	uint8_t b[256];
	struct ctl_msg m;
	size_t n;

	(void)state;
	n = nest(b, CTL_MAX_DEPTH);
	assert_int_equal(decode_body(b, n, &m), 0);
	n = nest(b, CTL_MAX_DEPTH + 1);
	assert_int_equal(decode_body(b, n, &m), IKE_EMALFORMED);
}

static void
attribute_count_is_limited(void **state)
{
	size_t len = (size_t)(CTL_MAX_ATTRS + 1) * 4;
	uint8_t *b = calloc(1, len);
	struct ctl_msg m;

	(void)state;
	assert_non_null(b);
	/* Tag 0, length 0: the smallest attribute there is. */
	assert_int_equal(decode_body(b, len - 4, &m), 0);
	assert_int_equal(ctl_count(&m, 0), CTL_MAX_ATTRS);
	assert_int_equal(decode_body(b, len, &m), IKE_EMALFORMED);
	free(b);
}

static void
encoder_limits(void **state)
{
	char *big = malloc(70000);
	struct wr w;
	size_t mark;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 70000);
	big[65535] = '\0';
	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LIST);
	ctl_put_str(&w, CTL_A_NAME, big);	/* 65535 fits exactly */
	assert_int_equal(ctl_end(&w), 0);
	wr_free(&w);
	big[65535] = 'x';
	big[65536] = '\0';
	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LIST);
	ctl_put_str(&w, CTL_A_NAME, big);
	assert_int_equal(ctl_end(&w), IKE_ENOSPC);
	wr_free(&w);
	/* A nested value over 65535 bytes. */
	big[40000] = '\0';
	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LIST | CTL_T_REPLY);
	mark = ctl_nest_begin(&w, CTL_A_TUNNEL);
	ctl_put_str(&w, CTL_A_T_LOCAL, big);
	ctl_put_str(&w, CTL_A_T_REMOTE, big);
	ctl_nest_end(&w, mark);
	assert_int_equal(ctl_end(&w), IKE_ENOSPC);
	wr_free(&w);
	/* No header. */
	wr_init(&w, 0);
	ctl_put_u8(&w, CTL_A_PHASE, 1);
	assert_int_equal(ctl_end(&w), IKE_EINVAL);
	wr_free(&w);
	/* The writer's own limit. */
	wr_init(&w, 16);
	ctl_begin(&w, CTL_T_LIST);
	ctl_put_str(&w, CTL_A_NAME, "0123456789");
	assert_int_equal(ctl_end(&w), IKE_ENOSPC);
	wr_free(&w);
	free(big);
}

/* Hand-made views (not from ctl_decode) still get checked lengths. */
static void
accessors_check_sizes(void **state)
{
	uint8_t b[32];
	struct ctl_msg m = { .type = CTL_T_LIST, .body = b };
	uint8_t u8;
	uint32_t u32, hi;
	char s[8];

	(void)state;
	m.len = put_attr(b, CTL_A_PHASE, "ab", 2);
	assert_int_equal(ctl_get_u8(&m, CTL_A_PHASE, &u8), IKE_EMALFORMED);
	m.len = put_attr(b, CTL_A_FLAGS, "abc", 3);
	assert_int_equal(ctl_get_u32(&m, CTL_A_FLAGS, &u32), IKE_EMALFORMED);
	m.len = put_attr(b, CTL_A_RANGE, "abcd", 4);
	assert_int_equal(ctl_get_range_nth(&m, 0, &u32, &hi), IKE_EMALFORMED);
	m.len = put_attr(b, CTL_A_NAME, "a\0", 2);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 0, s, sizeof(s)),
	    IKE_EMALFORMED);
	m.len = put_attr(b, CTL_A_NAME, "abc", 3) - 1;	/* cut short */
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_NAME, 0, s, sizeof(s)),
	    IKE_EMALFORMED);
}

/* Random bodies: never a crash, and whatever passes walks cleanly. */
static void
random_bodies(void **state)
{
	uint8_t b[256];
	struct ctl_attr a;
	struct ctl_msg m;
	uint32_t x = 12345;
	size_t i, j, len, pos, ok = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		len = (x = x * 1103515245u + 12345u) >> 24;
		for (j = 0; j < len; j++) {
			x = x * 1103515245u + 12345u;
			/* Mostly small bytes, so tags and lengths hit. */
			b[j] = (uint8_t)((x >> 16) % ((x >> 8) & 1 ? 8 : 256));
		}
		if (decode_body(b, len, &m) != 0)
			continue;
		ok++;
		pos = 0;
		while (ctl_next(&m, &pos, &a) == 0)
			;
		assert_int_equal(pos, len);
	}
	assert_true(ok > 0);
}

static void
names(void **state)
{
	(void)state;
	assert_string_equal(ctl_type_name(CTL_T_STATUS), "status");
	assert_string_equal(ctl_type_name(CTL_T_STATUS | CTL_T_REPLY),
	    "status");
	assert_string_equal(ctl_type_name(99), "unknown");
	assert_string_equal(ctl_result_name(CTL_R_UNSUPPORTED), "unsupported");
	assert_string_equal(ctl_result_name(77), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wire_format_is_exact),
		cmocka_unit_test(header_checks),
		cmocka_unit_test(request_round_trip),
		cmocka_unit_test(reply_round_trip_nested),
		cmocka_unit_test(every_truncation_is_rejected),
		cmocka_unit_test(overlong_and_wrong_sizes),
		cmocka_unit_test(nested_values_are_checked),
		cmocka_unit_test(nesting_depth_is_limited),
		cmocka_unit_test(attribute_count_is_limited),
		cmocka_unit_test(encoder_limits),
		cmocka_unit_test(accessors_check_sizes),
		cmocka_unit_test(random_bodies),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
