/* The certificate keys of isakmpd.conf (core/conf.c): absolute paths,
 * CRL_FILES as a comma-separated list, errors naming file, line and key,
 * and conf_foreach writing back only what is set. */
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
keys_parsed(void **state)
{
	struct conf_report rep;
	struct ike_conf c;

	(void)state;
	assert_int_equal(parse("CERTIFICATE_FILE = /etc/ike/cert.pem\n"
	    "private_key_file=/etc/ike/key.pem\n"
	    "CA_CERTIFICATES=/etc/ike/ca.pem, /etc/ike/ca.d\n"
	    "CRL_FILES=/etc/ike/a.crl , /etc/ike/b.crl,/c.crl\n", &c, &rep),
	    0);
	assert_int_equal(rep.nwarn, 0);
	assert_string_equal(c.cert_file, "/etc/ike/cert.pem");
	assert_string_equal(c.key_file, "/etc/ike/key.pem");
	assert_string_equal(c.ca_certs, "/etc/ike/ca.pem,/etc/ike/ca.d");
	assert_string_equal(c.crl_files, "/etc/ike/a.crl,/etc/ike/b.crl,"
	    "/c.crl");
	assert_int_equal(parse("", &c, &rep), 0);
	assert_string_equal(c.cert_file, "");
	assert_string_equal(c.crl_files, "");
}

static void
bad_values(void **state)
{
	static const char *const bad[] = {
		"CERTIFICATE_FILE=cert.pem\n",
		"PRIVATE_KEY_FILE=/\n",
		"CA_CERTIFICATES=/a,b\n",
		"PRIVATE_KEY_FILE=/a,/b\n",
		"CRL_FILES=/a.crl,\n",
		"CRL_FILES=,/a.crl\n",
		"CRL_FILES=/a.crl,,/b.crl\n",
		"CRL_FILES=/a.crl,b.crl\n",
		"CERTIFICATE_FILE=\n",
	};
	struct conf_report rep;
	struct ike_conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &c, &rep), IKE_EINVAL);
		assert_non_null(strstr(rep.error, "t.conf:1: "));
	}
	assert_int_equal(parse("log_level=events\nCERTIFICATE_FILE=cert.pem\n",
	    &c, &rep), IKE_EINVAL);
	assert_string_equal(rep.error, "t.conf:2: CERTIFICATE_FILE: "
	    "\"cert.pem\" is not an absolute path");
	assert_int_equal(parse("CRL_FILES=/a,b\n", &c, &rep), IKE_EINVAL);
	assert_string_equal(rep.error, "t.conf:1: CRL_FILES: \"/a,b\" is not "
	    "a list of absolute paths separated by ','");
}

struct seen {
	char	out[2048];
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
foreach_round_trip(void **state)
{
	struct seen s = { .n = 0 }, e = { .n = 0 };
	struct conf_report rep;
	struct ike_conf c, again;

	(void)state;
	assert_int_equal(parse("", &c, &rep), 0);
	conf_foreach(&c, collect, &e);
	/* Unset keys are absent. */
	assert_null(strstr(e.out, "CERTIFICATE_FILE"));
	assert_int_equal(parse("CERTIFICATE_FILE=/c.pem\nCRL_FILES=/a, /b\n"
	    "PRIVATE_KEY_FILE=/k.pem\nCA_CERTIFICATES=/ca.pem\n", &c, &rep),
	    0);
	conf_foreach(&c, collect, &s);
	assert_non_null(strstr(s.out, "CERTIFICATE_FILE=/c.pem\n"));
	assert_non_null(strstr(s.out, "PRIVATE_KEY_FILE=/k.pem\n"));
	assert_non_null(strstr(s.out, "CA_CERTIFICATES=/ca.pem\n"));
	assert_non_null(strstr(s.out, "CRL_FILES=/a,/b\n"));
	assert_int_equal(parse(s.out, &again, &rep), 0);
	assert_int_equal(rep.nwarn, 0);
	assert_string_equal(again.crl_files, c.crl_files);
	assert_string_equal(again.cert_file, c.cert_file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_parsed),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(foreach_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
