/* The remid= classifier and the address helpers under it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "cli/ike/addr.h"
#include "cli/ike/remid.h"
#include "core/err.h"

static const struct {
	const char	*in;
	enum remid_kind	 kind;
} accepts[] = {
	{ "9.3.97.100", REMID_IPV4 },
	{ "2001:db8::1", REMID_IPV6 },
	{ "::ffff:10.0.0.1", REMID_IPV6 },
	{ "9.3.97.100,255.255.255.0", REMID_IPV4_SUBNET },
	{ "10.0.0.0,255.0.0.0", REMID_IPV4_SUBNET },
	{ "10.0.0.1,255.255.255.255", REMID_IPV4_SUBNET },
	{ "0.0.0.0,0.0.0.0", REMID_IPV4_SUBNET },
	{ "2001:db8::,ffff:ffff:ffff:ffff::", REMID_IPV6_SUBNET },
	{ "9.3.97.10,9.3.97.20", REMID_IPV4_RANGE },
	{ "9.3.97.10,9.3.97.10", REMID_IPV4_RANGE },
	{ "2001:db8::1,2001:db8::ff", REMID_IPV6_RANGE },
	{ "host.example.com", REMID_FQDN },
	{ "a.b", REMID_FQDN },
	{ "xn--bcher-kva.example", REMID_FQDN },
	{ "host-1.example.com", REMID_FQDN },
	{ "user@example.com", REMID_USER_FQDN },
	{ "first.last+tag@mail.example.org", REMID_USER_FQDN },
	{ "C=US, O=IBM, CN=host", REMID_X500DN },
	{ "C=US,O=IBM,CN=host", REMID_X500DN },
	{ "CN=host", REMID_X500DN },
	{ "CN=Smith\\, John, O=Example", REMID_X500DN },
	{ "E=user@example.com, CN=host", REMID_X500DN },
	{ "2.5.4.3=host, O=Example", REMID_X500DN },
	{ "branch_offices", REMID_GROUP },
	{ "Group-1", REMID_GROUP },
	{ "_g", REMID_GROUP },
	{ "my_group.v2", REMID_GROUP },
	{ "localhost", REMID_GROUP },
};

static void
classifies_every_form(void **state)
{
	char why[256];
	enum remid_kind k;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(accepts) / sizeof(accepts[0]); i++) {
		why[0] = '\0';
		if (remid_classify(accepts[i].in, &k, why, sizeof(why)) != 0)
			fail_msg("'%s' refused: %s", accepts[i].in, why);
		if (k != accepts[i].kind)
			fail_msg("'%s': got %s, want %s", accepts[i].in,
			    remid_kind_name(k),
			    remid_kind_name(accepts[i].kind));
	}
}

static const struct {
	const char	*in;
	const char	*why;
} rejects[] = {
	{ "", "empty" },
	{ "10.0.0.256", "not a valid IPv4 address" },
	{ "1.2.3", "not a valid IPv4 address" },
	{ "9.3.97.", "not a valid IPv4 address" },
	{ "2001:db8::g", "not a valid IPv6 address" },
	{ "2001:db8:::1", "not a valid IPv6 address" },
	{ "10.0.0.1,2001:db8::1", "mixes IPv4 and IPv6 addresses" },
	{ "2001:db8::,255.255.255.0", "mixes IPv4 and IPv6 addresses" },
	{ "9.3.97.20,9.3.97.10", "range starts after it ends" },
	{ "2001:db8::ff,2001:db8::1", "range starts after it ends" },
	{ "10.0.0.1,", "expected address,netmask or start,end with IPv4 or "
	    "IPv6 addresses" },
	{ ",10.0.0.1", "expected address,netmask or start,end with IPv4 or "
	    "IPv6 addresses" },
	{ "a,b", "expected address,netmask or start,end with IPv4 or IPv6 "
	    "addresses" },
	{ "10.0.0.0,24", "expected address,netmask or start,end with IPv4 "
	    "or IPv6 addresses" },
	{ "10.0.0.1,10.0.0.2,10.0.0.3", "more than two addresses" },
	{ "@example.com", "no user name before '@'" },
	{ "us er@example.com", "bad user name before '@'" },
	{ "user@", "'' after '@' is not a domain name" },
	{ "user@exa_mple.com", "'exa_mple.com' after '@' is not a domain "
	    "name" },
	{ "user@ex..com", "'ex..com' after '@' is not a domain name" },
	{ "CN=", "'CN=' is not an X.500 attribute=value pair" },
	{ "=host", "'=host' is not an X.500 attribute=value pair" },
	{ "C=US,,CN=host", "'' is not an X.500 attribute=value pair" },
	{ "C=US, junk", "' junk' is not an X.500 attribute=value pair" },
	{ "C U=x", "'C U=x' is not an X.500 attribute=value pair" },
	{ "-bad", "not an address, FQDN, user@FQDN, X.500 name, address "
	    "pair or group name" },
	{ "has space", "not an address, FQDN, user@FQDN, X.500 name, "
	    "address pair or group name" },
	{ "a/b", "not an address, FQDN, user@FQDN, X.500 name, address "
	    "pair or group name" },
	{ "tab\there", "contains a control character" },
	{ "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd",
	    "not an address, FQDN, user@FQDN, X.500 name, address pair or "
	    "group name" },
};

static void
rejects_bad_ids(void **state)
{
	char why[256];
	enum remid_kind k = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		strcpy(why, "unset");
		if (remid_classify(rejects[i].in, &k, why, sizeof(why)) !=
		    IKE_EINVAL)
			fail_msg("'%s' accepted as %s", rejects[i].in,
			    remid_kind_name(k));
		if (strcmp(why, rejects[i].why) != 0)
			fail_msg("'%s': got \"%s\", want \"%s\"",
			    rejects[i].in, why, rejects[i].why);
		assert_int_equal(k, 0);
	}
}

static void
rejects_overlong_ids(void **state)
{
	char s[REMID_MAX + 2], why[128];
	enum remid_kind k;

	(void)state;
	/* 255 bytes is the limit; a 63-byte label keeps it a hostname. */
	memset(s, 'a', sizeof(s));
	for (size_t i = 63; i < REMID_MAX; i += 64)
		s[i] = '.';
	s[REMID_MAX - 1] = 'z';
	s[REMID_MAX] = '\0';
	assert_int_equal(remid_classify(s, &k, why, sizeof(why)), IKE_EINVAL);
	/* a 255-byte hostname is longer than DNS allows (253) */
	assert_string_equal(why, "not an address, FQDN, user@FQDN, X.500 "
	    "name, address pair or group name");
	s[REMID_MAX] = 'a';
	s[REMID_MAX + 1] = '\0';
	assert_int_equal(remid_classify(s, &k, why, sizeof(why)), IKE_EINVAL);
	assert_string_equal(why, "longer than 255 bytes");
}

static void
addr_masks_and_ranges(void **state)
{
	struct cli_addr a, m, lo, hi;
	char s[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("10.1.2.3", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(addr_parse("255.255.255.0", &m), 0);
	assert_true(addr_is_mask(&m));
	addr_subnet_range(&a, &m, &lo, &hi);
	addr_format(&lo, s, sizeof(s));
	assert_string_equal(s, "10.1.2.0");
	addr_format(&hi, s, sizeof(s));
	assert_string_equal(s, "10.1.2.255");
	assert_int_equal(addr_parse("255.0.255.0", &m), 0);
	assert_false(addr_is_mask(&m));
	assert_int_equal(addr_parse("0.0.0.1", &m), 0);
	assert_false(addr_is_mask(&m));

	assert_int_equal(addr_mask_of_prefix(AF_INET6, 48, &m), 0);
	addr_format(&m, s, sizeof(s));
	assert_string_equal(s, "ffff:ffff:ffff::");
	assert_int_equal(addr_parse("2001:db8:1:2::5", &a), 0);
	addr_subnet_range(&a, &m, &lo, &hi);
	addr_format(&lo, s, sizeof(s));
	assert_string_equal(s, "2001:db8:1::");
	addr_format(&hi, s, sizeof(s));
	assert_string_equal(s, "2001:db8:1:ffff:ffff:ffff:ffff:ffff");
	assert_int_equal(addr_mask_of_prefix(AF_INET6, 129, &m), IKE_EINVAL);
	assert_int_equal(addr_mask_of_prefix(AF_INET, 33, &m), IKE_EINVAL);
	assert_int_equal(addr_mask_of_prefix(AF_INET, 0, &m), 0);
	assert_true(addr_is_mask(&m));

	assert_int_equal(addr_parse("10.0.0.1 ", &a), IKE_EINVAL);
	assert_int_equal(addr_parse("010.0.0.1", &a), IKE_EINVAL);
	assert_int_equal(addr_parse_n("10.0.0.1,x", 8, &a), 0);
	assert_int_equal(addr_parse_n("10.0.0.1", 7, &a), IKE_EINVAL);
	assert_int_equal(addr_parse("10.0.0.2", &lo), 0);
	assert_int_equal(addr_parse("10.0.0.10", &hi), 0);
	assert_true(addr_cmp(&lo, &hi) < 0);
	assert_true(addr_cmp(&hi, &lo) > 0);
	assert_int_equal(addr_cmp(&lo, &lo), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classifies_every_form),
		cmocka_unit_test(rejects_bad_ids),
		cmocka_unit_test(rejects_overlong_ids),
		cmocka_unit_test(addr_masks_and_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
