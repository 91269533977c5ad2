/* The list formats shared by `ike cmd=list db` and the daemon's list:
 * concise columns 7/8/12/32, verbose Label: value lines, and how
 * definitions' identities are shown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/ike/idfmt.h"
#include "cli/ike/listfmt.h"

struct cap {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

static void
cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	assert_non_null(c->f = open_memstream(&c->buf, &c->len));
}

static char *
cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static void
concise_columns(void **state)
{
	static const struct lf_row r1 = { 1, 1, "Active", "192.0.2.1",
	    "198.51.100.7" };
	static const struct lf_row r2 = { 2, 12, "Negotiating",
	    "10.1.0.0-10.1.0.255", "10.2.0.0-10.2.0.255" };
	struct listfmt lf;
	struct cap c;
	char *out;

	(void)state;
	cap_open(&c);
	listfmt_init(&lf, c.f, false);
	listfmt_row(&lf, &r1);
	listfmt_kv(&lf, "Name", "ignored in concise form");
	listfmt_row(&lf, &r2);
	out = cap_close(&c);
	assert_string_equal(out,
	    "Phase  Tun Id  Status      Local Id                        "
	    "Remote Id\n"
	    "1      1       Active      192.0.2.1                       "
	    "198.51.100.7\n"
	    "2      12      Negotiating 10.1.0.0-10.1.0.255             "
	    "10.2.0.0-10.2.0.255\n");
	free(out);
}

static void
header_widths(void **state)
{
	(void)state;
	/* Widths from the AIX output: 7, 8, 12, 32. */
	assert_int_equal(strstr(LISTFMT_HEADER, "Tun Id") - LISTFMT_HEADER, 7);
	assert_int_equal(strstr(LISTFMT_HEADER, "Status") - LISTFMT_HEADER,
	    15);
	assert_int_equal(strstr(LISTFMT_HEADER, "Local Id") - LISTFMT_HEADER,
	    27);
	assert_int_equal(strstr(LISTFMT_HEADER, "Remote Id") - LISTFMT_HEADER,
	    59);
}

static void
wide_values_keep_a_space(void **state)
{
	static const struct lf_row r = { 2, 4294967295u, "Negotiating++",
	    "2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff", "x" };
	struct listfmt lf;
	struct cap c;
	char *out;

	(void)state;
	cap_open(&c);
	listfmt_init(&lf, c.f, false);
	listfmt_row(&lf, &r);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\n2      4294967295 Negotiating++ "
	    "2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff x\n"));
	free(out);
}

static void
nothing_printed_without_rows(void **state)
{
	struct listfmt lf;
	struct cap c;
	char *out;

	(void)state;
	cap_open(&c);
	listfmt_init(&lf, c.f, false);
	out = cap_close(&c);
	assert_int_equal(c.len, 0);
	free(out);
	cap_open(&c);
	listfmt_init(&lf, c.f, true);
	out = cap_close(&c);
	assert_int_equal(c.len, 0);
	free(out);
}

static void
verbose_lines(void **state)
{
	static const struct lf_row r1 = { 1, 3, "Dormant", "a.example",
	    "b.example" };
	static const struct lf_row r2 = { 2, 1, "Dormant", "1.1.1.1-1.1.1.1",
	    "2.2.2.2-2.2.2.2" };
	struct listfmt lf;
	struct cap c;
	char *out;

	(void)state;
	cap_open(&c);
	listfmt_init(&lf, c.f, true);
	listfmt_row(&lf, &r1);
	listfmt_kv(&lf, "Name", "hq");
	listfmt_kvf(&lf, "Key Overlap", "%u minutes", 10u);
	listfmt_row(&lf, &r2);
	listfmt_kv(&lf, "Evil", "a\nb\x1b[0m");
	out = cap_close(&c);
	assert_string_equal(out,
	    "Phase: 1\nTun Id: 3\nStatus: Dormant\nLocal Id: a.example\n"
	    "Remote Id: b.example\nName: hq\nKey Overlap: 10 minutes\n"
	    "\n"
	    "Phase: 2\nTun Id: 1\nStatus: Dormant\n"
	    "Local Id: 1.1.1.1-1.1.1.1\nRemote Id: 2.2.2.2-2.2.2.2\n"
	    "Evil: a?b?[0m\n");
	free(out);
}

static void
id(struct db_ident *i, enum db_idtype t, const char *v, const char *v2)
{
	memset(i, 0, sizeof(*i));
	i->type = (uint8_t)t;
	snprintf(i->value, sizeof(i->value), "%s", v);
	snprintf(i->value2, sizeof(i->value2), "%s", v2);
}

static void
p2_ids_are_ranges(void **state)
{
	struct db_ident i;
	char b[IDFMT_MAX];

	(void)state;
	id(&i, DB_ID_IPV4_ADDR, "192.0.2.1", "");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "192.0.2.1-192.0.2.1");
	id(&i, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.255.0");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "10.1.0.0-10.1.0.255");
	id(&i, DB_ID_IPV4_SUBNET, "10.1.7.9", "255.255.0.0");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "10.1.0.0-10.1.255.255");
	id(&i, DB_ID_IPV6_ADDR, "2001:db8::1", "");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8::1-2001:db8::1");
	id(&i, DB_ID_IPV6_SUBNET, "2001:db8:1::", "48");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:"
	    "ffff");
	id(&i, DB_ID_IPV6_SUBNET, "2001:db8::", "128");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8::-2001:db8::");
	id(&i, DB_ID_IPV4_RANGE, "10.0.0.5", "10.0.0.9");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "10.0.0.5-10.0.0.9");
	id(&i, DB_ID_IPV6_RANGE, "2001:db8::5", "2001:db8::9");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8::5-2001:db8::9");
	id(&i, DB_ID_GROUP, "branches", "");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "branches");
	/* Unparseable stored values are shown as stored. */
	id(&i, DB_ID_IPV6_SUBNET, "2001:db8::", "129");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8::/129");
	id(&i, DB_ID_IPV4_SUBNET, "10.0.0.0", "255.0.255.0");
	idfmt_p2(&i, b, sizeof(b));
	assert_string_equal(b, "10.0.0.0/255.0.255.0");
}

static void
p1_ids_and_values(void **state)
{
	struct db_ident i;
	char b[IDFMT_MAX];

	(void)state;
	id(&i, DB_ID_IPV4_ADDR, "192.0.2.1", "");
	idfmt_p1(&i, b, sizeof(b));
	assert_string_equal(b, "192.0.2.1");
	id(&i, DB_ID_X500DN, "C=US, O=IBM, CN=host", "");
	idfmt_p1(&i, b, sizeof(b));
	assert_string_equal(b, "C=US, O=IBM, CN=host");
	id(&i, DB_ID_USER_FQDN, "user@example.com", "");
	idfmt_p1(&i, b, sizeof(b));
	assert_string_equal(b, "user@example.com");
	id(&i, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.255.0");
	idfmt_value(&i, b, sizeof(b));
	assert_string_equal(b, "10.1.0.0/255.255.255.0");
	id(&i, DB_ID_IPV6_RANGE, "2001:db8::5", "2001:db8::9");
	idfmt_value(&i, b, sizeof(b));
	assert_string_equal(b, "2001:db8::5-2001:db8::9");
	idfmt_proto(0, b, sizeof(b));
	assert_string_equal(b, "any");
	idfmt_proto(6, b, sizeof(b));
	assert_string_equal(b, "tcp");
	idfmt_proto(17, b, sizeof(b));
	assert_string_equal(b, "udp");
	idfmt_proto(50, b, sizeof(b));
	assert_string_equal(b, "50");
	idfmt_ports(0, 0, b, sizeof(b));
	assert_string_equal(b, "any");
	idfmt_ports(443, 443, b, sizeof(b));
	assert_string_equal(b, "443");
	idfmt_ports(1000, 2000, b, sizeof(b));
	assert_string_equal(b, "1000-2000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concise_columns),
		cmocka_unit_test(header_widths),
		cmocka_unit_test(wide_values_keep_a_space),
		cmocka_unit_test(nothing_printed_without_rows),
		cmocka_unit_test(verbose_lines),
		cmocka_unit_test(p2_ids_are_ranges),
		cmocka_unit_test(p1_ids_and_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
