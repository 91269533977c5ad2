/* The isakmpd.conf parser on its own: every key, the defaults, comments,
 * blanks and case, warnings for unknown and repeated keys, and errors
 * that name the file, the line and the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/conf.h"
#include "core/err.h"

static int
parse(const char *text, struct ike_conf *c, struct conf_report *rep)
{
	return conf_parse(text, strlen(text), "t.conf", c, rep);
}

static void
assert_defaults(const struct ike_conf *c)
{
	assert_int_equal(c->log_level, LOGLVL_NONE);
	assert_false(c->main_mode_requires_ip);
	assert_int_equal(c->v1_port, 500);
	assert_int_equal(c->v1_natport, 4500);
	assert_int_equal(c->v2_port, 500);
	assert_int_equal(c->v2_natport, 4500);
	assert_int_equal(c->liveness_interval, 0);
	assert_false(c->natt_v1);
	assert_false(c->natt_v2);
	assert_int_equal(c->nat_keepalive, 20);
	assert_false(c->fragmentation);
}

static void
empty_text_gives_defaults(void **state)
{
	struct conf_report rep;
	struct ike_conf c, d;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(parse("", &c, &rep), 0);
	assert_defaults(&c);
	assert_int_equal(rep.nwarn, 0);
	assert_string_equal(rep.error, "");
	conf_defaults(&d);
	assert_defaults(&d);
	assert_int_equal(parse("# only a comment\n\n   \n\t\n", &c, &rep), 0);
	assert_defaults(&c);
}

static void
every_key(void **state)
{
	static const char text[] =
	    "log_level=information\n"
	    "MAIN_MODE_REQUIRES_IP=YES\n"
	    "v1=1500-14500\n"
	    "v2=2500-24500\n"
	    "LIVENESS_CHK_INTERVAL=120\n"
	    "ENABLE_IPSEC_NAT_TRAVERSAL=YES\n"
	    "ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2=YES\n"
	    "NAT_KEEPALIVE_INTERVAL=45\n"
	    "IKE_FRAGMENTATION=YES\n";
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse(text, &c, &rep), 0);
	assert_int_equal(rep.nwarn, 0);
	assert_int_equal(c.log_level, LOGLVL_INFORMATION);
	assert_true(c.main_mode_requires_ip);
	assert_int_equal(c.v1_port, 1500);
	assert_int_equal(c.v1_natport, 14500);
	assert_int_equal(c.v2_port, 2500);
	assert_int_equal(c.v2_natport, 24500);
	assert_int_equal(c.liveness_interval, 120);
	assert_true(c.natt_v1);
	assert_true(c.natt_v2);
	assert_int_equal(c.nat_keepalive, 45);
	assert_true(c.fragmentation);
}

static void
no_turns_things_off(void **state)
{
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse("IKE_FRAGMENTATION=YES\nIKE_FRAGMENTATION=NO\n"
	    "ENABLE_IPSEC_NAT_TRAVERSAL=no\n", &c, &rep), 0);
	assert_false(c.fragmentation);
	assert_false(c.natt_v1);
	/* The repeated key warns and names both lines. */
	assert_int_equal(rep.nwarn, 1);
	assert_non_null(strstr(rep.warn[0], "t.conf:2: IKE_FRAGMENTATION: "
	    "set again (first on line 1)"));
}

static void
case_spaces_and_comments(void **state)
{
	static const char text[] =
	    "# isakmpd.conf\r\n"
	    "   LOG_LEVEL   =   Isakmp_Events   # comment after\r\n"
	    "\tmain_mode_requires_ip\t=\tyes\t\n"
	    "V1 = 500-4500\n"
	    "nat_keepalive_interval=0   \n"
	    "ike_fragmentation=No";		/* no final newline */
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse(text, &c, &rep), 0);
	assert_int_equal(rep.nwarn, 0);
	assert_int_equal(c.log_level, LOGLVL_EVENTS);
	assert_true(c.main_mode_requires_ip);
	assert_int_equal(c.nat_keepalive, 0);
	assert_false(c.fragmentation);
}

static void
every_log_level_spelling(void **state)
{
	static const struct {
		const char	*text;
		enum log_level	 want;
	} t[] = {
		{ "log_level=none", LOGLVL_NONE },
		{ "log_level=errors", LOGLVL_ERRORS },
		{ "log_level=ERROR", LOGLVL_ERRORS },
		{ "log_level=events", LOGLVL_EVENTS },
		{ "log_level=isakmp_events", LOGLVL_EVENTS },
		{ "log_level=INFORMATION", LOGLVL_INFORMATION },
	};
	struct conf_report rep;
	struct ike_conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(parse(t[i].text, &c, &rep), 0);
		assert_int_equal(c.log_level, t[i].want);
	}
}

static void
ports_on_one_line_and_limits(void **state)
{
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse("v1=1-65535,v2=65535-1\n", &c, &rep), 0);
	assert_int_equal(c.v1_port, 1);
	assert_int_equal(c.v1_natport, 65535);
	assert_int_equal(c.v2_port, 65535);
	assert_int_equal(c.v2_natport, 1);
	assert_int_equal(parse("LIVENESS_CHK_INTERVAL=86400\n"
	    "NAT_KEEPALIVE_INTERVAL=3600\n", &c, &rep), 0);
	assert_int_equal(c.liveness_interval, 86400);
	assert_int_equal(c.nat_keepalive, 3600);
}

/* Text whose line 3 holds a bad value: the error names line and key,
 * and the output is not touched. */
static void
expect_error(const char *bad, const char *want)
{
	char text[512];
	struct conf_report rep;
	struct ike_conf c;

	snprintf(text, sizeof(text), "# a comment\nlog_level=events\n%s\n"
	    "IKE_FRAGMENTATION=YES\n", bad);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(parse(text, &c, &rep), IKE_EINVAL);
	if (strstr(rep.error, want) == NULL)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", bad, rep.error,
		    want);
	assert_int_equal(c.v1_port, 0x5a5a);
}

static void
bad_values_name_line_and_key(void **state)
{
	(void)state;
	expect_error("log_level=debug", "t.conf:3: log_level: \"debug\" is "
	    "not a log level");
	expect_error("log_level=", "t.conf:3: log_level: no value");
	expect_error("MAIN_MODE_REQUIRES_IP=maybe", "t.conf:3: "
	    "MAIN_MODE_REQUIRES_IP: \"maybe\" is not YES or NO");
	expect_error("ENABLE_IPSEC_NAT_TRAVERSAL=true", "t.conf:3: "
	    "ENABLE_IPSEC_NAT_TRAVERSAL: \"true\" is not YES or NO");
	expect_error("ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2=1", "t.conf:3: "
	    "ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2: \"1\" is not YES or NO");
	expect_error("IKE_FRAGMENTATION=YES NO", "t.conf:3: "
	    "IKE_FRAGMENTATION: \"YES NO\" is not YES or NO");
	expect_error("v1=500", "t.conf:3: v1: \"500\" is not port-natport");
	expect_error("v1=0-4500", "t.conf:3: v1:");
	expect_error("v2=500-65536", "t.conf:3: v2:");
	expect_error("v2=500-500", "t.conf:3: v2:");
	expect_error("v2=a-b", "t.conf:3: v2:");
	expect_error("v2=", "t.conf:3: v2:");
	expect_error("v1=500-4500,v2=9", "t.conf:3: v2: \"9\"");
	expect_error("LIVENESS_CHK_INTERVAL=86401", "t.conf:3: "
	    "LIVENESS_CHK_INTERVAL: \"86401\" is not a number of seconds "
	    "from 0 to 86400");
	expect_error("LIVENESS_CHK_INTERVAL=-1", "t.conf:3: "
	    "LIVENESS_CHK_INTERVAL:");
	expect_error("LIVENESS_CHK_INTERVAL=99999999999999", "t.conf:3: "
	    "LIVENESS_CHK_INTERVAL:");
	expect_error("NAT_KEEPALIVE_INTERVAL=3601", "t.conf:3: "
	    "NAT_KEEPALIVE_INTERVAL: \"3601\" is not a number of seconds "
	    "from 0 to 3600");
	expect_error("NAT_KEEPALIVE_INTERVAL=2x", "t.conf:3: "
	    "NAT_KEEPALIVE_INTERVAL:");
}

static void
syntax_errors(void **state)
{
	char text[1300];
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	expect_error("just some words", "t.conf:3: expected KEY=value, found "
	    "\"just some words\"");
	expect_error("=5", "t.conf:3: \"\" is not a key");
	expect_error("bad key=1", "t.conf:3: \"bad key\" is not a key");
	assert_int_equal(conf_parse("log_level=none\nv1\0=1\n", 20, "t.conf",
	    &c, &rep), IKE_EINVAL);
	assert_non_null(strstr(rep.error, "t.conf:2: NUL byte"));
	memset(text, 'x', sizeof(text));
	memcpy(text, "FOO=", 4);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(parse(text, &c, &rep), IKE_EINVAL);
	assert_non_null(strstr(rep.error, "t.conf:1: line longer than"));
}

static void
unknown_keys_warn(void **state)
{
	static const char text[] =
	    "log_level=errors\n"
	    "NO_SUCH_KEY=1\n"
	    "SOCKS4_SERVER=10.0.0.1\n"
	    "CRL_FETCH_ORDER=HTTP, LDAP\n";
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse(text, &c, &rep), 0);
	assert_int_equal(c.log_level, LOGLVL_ERRORS);
	assert_int_equal(rep.nwarn, 3);
	assert_string_equal(rep.warn[0], "t.conf:2: unknown key "
	    "\"NO_SUCH_KEY\" ignored");
	assert_string_equal(rep.warn[1], "t.conf:3: SOCKS4_SERVER is not "
	    "supported by this isakmpd; ignored");
	assert_non_null(strstr(rep.warn[2], "t.conf:4: CRL_FETCH_ORDER"));
}

static void
many_warnings_are_counted(void **state)
{
	char text[4096];
	struct conf_report rep;
	struct ike_conf c;
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "K%d=1\n", i);
	assert_int_equal(parse(text, &c, &rep), 0);
	assert_int_equal(rep.nwarn, 40);
	assert_string_equal(rep.warn[CONF_MAX_WARN - 1], "t.conf:16: unknown "
	    "key \"K15\" ignored");
}

struct seen {
	char	out[1024];
	size_t	n;
};

static void
collect(void *arg, const char *key, const char *value)
{
	struct seen *s = arg;

	s->n += (size_t)snprintf(s->out + s->n, sizeof(s->out) - s->n,
	    "%s=%s\n", key, value);
}

static void
foreach_writes_the_file_back(void **state)
{
	struct conf_report rep;
	struct ike_conf c, again;
	struct seen s = { .n = 0 };

	(void)state;
	assert_int_equal(parse("log_level=events\nv2=600-4600\n"
	    "IKE_FRAGMENTATION=yes\n", &c, &rep), 0);
	conf_foreach(&c, collect, &s);
	assert_non_null(strstr(s.out, "log_level=events\n"));
	assert_non_null(strstr(s.out, "v1=500-4500\n"));
	assert_non_null(strstr(s.out, "v2=600-4600\n"));
	assert_non_null(strstr(s.out, "IKE_FRAGMENTATION=YES\n"));
	assert_non_null(strstr(s.out, "NAT_KEEPALIVE_INTERVAL=20\n"));
	/* What it writes parses back to the same values. */
	assert_int_equal(parse(s.out, &again, &rep), 0);
	assert_int_equal(rep.nwarn, 0);
	assert_int_equal(again.log_level, c.log_level);
	assert_int_equal(again.main_mode_requires_ip, c.main_mode_requires_ip);
	assert_int_equal(again.v1_port, c.v1_port);
	assert_int_equal(again.v1_natport, c.v1_natport);
	assert_int_equal(again.v2_port, c.v2_port);
	assert_int_equal(again.v2_natport, c.v2_natport);
	assert_int_equal(again.liveness_interval, c.liveness_interval);
	assert_int_equal(again.natt_v1, c.natt_v1);
	assert_int_equal(again.natt_v2, c.natt_v2);
	assert_int_equal(again.nat_keepalive, c.nat_keepalive);
	assert_int_equal(again.fragmentation, c.fragmentation);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_text_gives_defaults),
		cmocka_unit_test(every_key),
		cmocka_unit_test(no_turns_things_off),
		cmocka_unit_test(case_spaces_and_comments),
		cmocka_unit_test(every_log_level_spelling),
		cmocka_unit_test(ports_on_one_line_and_limits),
		cmocka_unit_test(bad_values_name_line_and_key),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(unknown_keys_warn),
		cmocka_unit_test(many_warnings_are_counted),
		cmocka_unit_test(foreach_writes_the_file_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
