/* The bounds-checked reader and the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/codec/rd.h"
#include "core/codec/wr.h"
#include "core/err.h"

static void
rd_reads_big_endian(void **state)
{
	static const uint8_t b[] = { 1, 0x02, 0x03, 4, 5, 6, 7,
	    8, 9, 10, 11, 12, 13, 14, 15 };
	struct rd r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_u8(&r, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(rd_u16(&r, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(rd_u32(&r, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(rd_u64(&r, &u64), 0);
	assert_true(u64 == 0x08090a0b0c0d0e0fULL);
	assert_int_equal(r.left, 0);
}

static void
rd_short_read_leaves_cursor(void **state)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct rd r, sub;
	uint64_t u64;
	uint32_t u32;
	struct ike_slice s;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_u64(&r, &u64), IKE_ESHORT);
	assert_int_equal(r.left, 7);
	assert_ptr_equal(r.p, b);
	assert_int_equal(rd_slice(&r, 8, &s), IKE_ESHORT);
	assert_int_equal(rd_sub(&r, 3, &sub), 0);
	assert_int_equal(rd_u32(&sub, &u32), IKE_ESHORT);
	assert_int_equal(sub.left, 3);
	assert_int_equal(r.left, 4);
	assert_int_equal(rd_u32(&r, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(rd_skip(&r, 1), IKE_ESHORT);
}

static void
wr_writes_and_patches(void **state)
{
	struct wr w;
	size_t m16, m32;
	static const uint8_t want[] = { 0xab, 0, 6, 0, 0, 0, 2, 0x12, 0x34,
	    0xde, 0xad, 0xbe, 0xef };

	(void)state;
	wr_init(&w, 0);
	wr_u8(&w, 0xab);
	m16 = wr_mark16(&w);
	m32 = wr_mark32(&w);
	wr_u16(&w, 0x1234);
	wr_patch32(&w, m32, m32 + 4);
	wr_patch16(&w, m16, m16 + 2);
	wr_u32(&w, 0xdeadbeef);
	assert_int_equal(wr_error(&w), 0);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(w.buf, want, sizeof(want));
	wr_free(&w);
}

static void
wr_limit_is_sticky(void **state)
{
	struct wr w;
	uint8_t big[100] = { 0 };

	(void)state;
	wr_init(&w, 64);
	wr_bytes(&w, big, 60);
	wr_u32(&w, 1);
	assert_int_equal(wr_error(&w), 0);
	wr_u8(&w, 1);
	assert_int_equal(wr_error(&w), IKE_ENOSPC);
	wr_u8(&w, 1);
	assert_int_equal(w.len, 64);
	wr_free(&w);
	wr_free(NULL);
}

static void
wr_grows(void **state)
{
	struct wr w;
	uint32_t i, v;
	struct rd r;

	(void)state;
	wr_init(&w, 0);
	for (i = 0; i < 100000; i++)
		wr_u32(&w, i);
	assert_int_equal(wr_error(&w), 0);
	rd_init(&r, w.buf, w.len);
	for (i = 0; i < 100000; i++) {
		assert_int_equal(rd_u32(&r, &v), 0);
		assert_int_equal(v, i);
	}
	wr_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rd_reads_big_endian),
		cmocka_unit_test(rd_short_read_leaves_cursor),
		cmocka_unit_test(wr_writes_and_patches),
		cmocka_unit_test(wr_limit_is_sticky),
		cmocka_unit_test(wr_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
