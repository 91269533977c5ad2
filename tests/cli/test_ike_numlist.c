/* Tunnel number lists (numlist=): every accepted form keeps its ranges,
 * every rejected form is refused with the reason named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli/ike/numlist.h"
#include "core/err.h"

static struct numlist nl;	/* 2 KiB: not on the test's stack */

static void
accepts_single_numbers_and_ranges(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(numlist_parse("1,3,5-7", &nl, why, sizeof(why)), 0);
	assert_int_equal(nl.n, 3);
	assert_int_equal(nl.r[0].lo, 1);
	assert_int_equal(nl.r[0].hi, 1);
	assert_int_equal(nl.r[1].lo, 3);
	assert_int_equal(nl.r[1].hi, 3);
	assert_int_equal(nl.r[2].lo, 5);
	assert_int_equal(nl.r[2].hi, 7);
	assert_true(numlist_contains(&nl, 6));
	assert_true(numlist_contains(&nl, 3));
	assert_false(numlist_contains(&nl, 2));
	assert_false(numlist_contains(&nl, 4));
	assert_false(numlist_contains(&nl, 8));
	assert_false(numlist_contains(&nl, 0));
}

static void
keeps_ranges_as_written(void **state)
{
	char why[128];

	(void)state;
	/* Not merged, not sorted: one CTL_A_RANGE per item. */
	assert_int_equal(numlist_parse("9-9,2,1-4,2", &nl, why, sizeof(why)),
	    0);
	assert_int_equal(nl.n, 4);
	assert_int_equal(nl.r[0].lo, 9);
	assert_int_equal(nl.r[0].hi, 9);
	assert_int_equal(nl.r[2].lo, 1);
	assert_int_equal(nl.r[2].hi, 4);
	assert_int_equal(nl.r[3].lo, 2);
}

static void
accepts_the_limits(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(numlist_parse("4294967295", &nl, why, sizeof(why)), 0);
	assert_int_equal(nl.n, 1);
	assert_true(nl.r[0].lo == UINT32_MAX);
	assert_int_equal(numlist_parse("1-4294967295", &nl, why, sizeof(why)),
	    0);
	assert_true(numlist_contains(&nl, UINT32_MAX));
	assert_true(numlist_contains(&nl, 1));
	/* Leading zeros are plain decimal. */
	assert_int_equal(numlist_parse("007", &nl, why, sizeof(why)), 0);
	assert_int_equal(nl.r[0].lo, 7);
}

static void
accepts_max_items_and_no_more(void **state)
{
	char buf[NUMLIST_MAX_ITEMS * 4 + 8], why[128];
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < NUMLIST_MAX_ITEMS; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu",
		    i ? "," : "", i + 1);
	assert_int_equal(numlist_parse(buf, &nl, why, sizeof(why)), 0);
	assert_int_equal(nl.n, NUMLIST_MAX_ITEMS);
	assert_int_equal(nl.r[NUMLIST_MAX_ITEMS - 1].lo, NUMLIST_MAX_ITEMS);
	snprintf(buf + len, sizeof(buf) - len, ",1");
	assert_int_equal(numlist_parse(buf, &nl, why, sizeof(why)),
	    IKE_EINVAL);
	assert_string_equal(why, "more than 256 items");
}

static const struct {
	const char	*in;
	const char	*why;
} rejects[] = {
	{ "", "empty item" },
	{ "1,,2", "empty item" },
	{ "1,", "empty item" },
	{ ",1", "empty item" },
	{ "7-5", "range 7-5 is reversed" },
	{ "1,10-2", "range 10-2 is reversed" },
	{ "0", "0 is not a tunnel number (they start at 1)" },
	{ "0-3", "0 is not a tunnel number (they start at 1)" },
	{ "1a", "'1a' is not a number or a range N-M" },
	{ "a", "'a' is not a number or a range N-M" },
	{ "-3", "'-3' is not a number or a range N-M" },
	{ "3-", "'3-' is not a number or a range N-M" },
	{ "1-2-3", "'1-2-3' is not a number or a range N-M" },
	{ "+1", "'+1' is not a number or a range N-M" },
	{ " 1", "' 1' is not a number or a range N-M" },
	{ "1, 2", "' 2' is not a number or a range N-M" },
	{ "1 ", "'1 ' is not a number or a range N-M" },
	{ "1 - 3", "'1 - 3' is not a number or a range N-M" },
	{ "0x10", "'0x10' is not a number or a range N-M" },
	{ "4294967296", "4294967296 is larger than 4294967295" },
	{ "1-4294967296", "4294967296 is larger than 4294967295" },
	{ "99999999999999999999999", "99999999999999999999999 is larger "
	    "than 4294967295" },
};

static void
rejects_bad_lists(void **state)
{
	char why[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		nl.n = 12345;
		strcpy(why, "unset");
		if (numlist_parse(rejects[i].in, &nl, why, sizeof(why)) !=
		    IKE_EINVAL)
			fail_msg("'%s' was accepted", rejects[i].in);
		if (strcmp(why, rejects[i].why) != 0)
			fail_msg("'%s': got \"%s\", want \"%s\"",
			    rejects[i].in, why, rejects[i].why);
		/* The output is written only on success. */
		assert_int_equal(nl.n, 12345);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_single_numbers_and_ranges),
		cmocka_unit_test(keeps_ranges_as_written),
		cmocka_unit_test(accepts_the_limits),
		cmocka_unit_test(accepts_max_items_and_no_more),
		cmocka_unit_test(rejects_bad_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
