/* Log levels: parsing the isakmpd.conf spellings and what each passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"

static void
levels_parse(void **state)
{
	enum log_level l;

	(void)state;
	assert_int_equal(log_level_parse("NONE", &l), 0);
	assert_int_equal(l, LOGLVL_NONE);
	assert_int_equal(log_level_parse("error", &l), 0);
	assert_int_equal(l, LOGLVL_ERRORS);
	assert_int_equal(log_level_parse("Errors", &l), 0);
	assert_int_equal(l, LOGLVL_ERRORS);
	assert_int_equal(log_level_parse("isakmp_events", &l), 0);
	assert_int_equal(l, LOGLVL_EVENTS);
	assert_int_equal(log_level_parse("events", &l), 0);
	assert_int_equal(l, LOGLVL_EVENTS);
	assert_int_equal(log_level_parse("INFORMATION", &l), 0);
	assert_int_equal(l, LOGLVL_INFORMATION);
	assert_int_equal(log_level_parse("debug", &l), IKE_EINVAL);
	assert_int_equal(log_level_parse("", &l), IKE_EINVAL);
}

static void
levels_are_inclusive(void **state)
{
	(void)state;
	log_set_level(LOGLVL_NONE);
	assert_false(log_enabled(LOG_ERR));
	log_set_level(LOGLVL_ERRORS);
	assert_true(log_enabled(LOG_ERR));
	assert_false(log_enabled(LOG_WARNING));
	log_set_level(LOGLVL_EVENTS);
	assert_true(log_enabled(LOG_ERR));
	assert_true(log_enabled(LOG_INFO));
	assert_false(log_enabled(LOG_DEBUG));
	log_set_level(LOGLVL_INFORMATION);
	assert_true(log_enabled(LOG_DEBUG));
	assert_string_equal(log_level_name(log_get_level()), "information");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels_parse),
		cmocka_unit_test(levels_are_inclusive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
