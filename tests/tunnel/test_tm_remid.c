/* tests/tunnel/test_tm_remid.c: remid= parsed and compared with
 * definitions' identities by meaning; group members; ipaddr= cover. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/tunnel/tm_remid.h"

static struct db_ident
ident(uint8_t type, const char *v, const char *v2)
{
	struct db_ident id;

	memset(&id, 0, sizeof(id));
	id.type = type;
	strcpy(id.value, v);
	strcpy(id.value2, v2 != NULL ? v2 : "");
	return id;
}

/* Whether remid s names the identity (type, v, v2). */
static bool
is(const char *s, uint8_t type, const char *v, const char *v2)
{
	struct tm_remid r;
	struct db_ident id = ident(type, v, v2);
	char err[128];

	assert_int_equal(tm_remid_parse(s, &r, err, sizeof(err)), 0);
	return tm_remid_is(&r, &id);
}

static void
test_parse_forms(void **state)
{
	struct tm_remid r;

	(void)state;
	assert_int_equal(tm_remid_parse("9.3.97.100", &r, NULL, 0), 0);
	assert_int_equal(r.kind, TM_REMID_ADDRS);
	assert_true(r.single);
	assert_int_equal(r.family, AF_INET);
	assert_int_equal(tm_remid_parse("9.3.97.100,255.255.255.0", &r, NULL,
	    0), 0);
	assert_int_equal(r.kind, TM_REMID_ADDRS);
	assert_false(r.single);
	assert_memory_equal(r.lo, "\x09\x03\x61\x00", 4);
	assert_memory_equal(r.hi, "\x09\x03\x61\xff", 4);
	assert_int_equal(tm_remid_parse("10.0.0.5,10.0.0.9", &r, NULL, 0), 0);
	assert_memory_equal(r.lo, "\x0a\x00\x00\x05", 4);
	assert_memory_equal(r.hi, "\x0a\x00\x00\x09", 4);
	assert_int_equal(tm_remid_parse("gw.example.com", &r, NULL, 0), 0);
	assert_int_equal(r.kind, TM_REMID_FQDN);
	assert_false(r.word);
	assert_int_equal(tm_remid_parse("branch_offices", &r, NULL, 0), 0);
	assert_int_equal(r.kind, TM_REMID_FQDN);
	assert_true(r.word);
	assert_int_equal(tm_remid_parse("admin@example.com", &r, NULL, 0), 0);
	assert_int_equal(r.kind, TM_REMID_USER_FQDN);
	assert_int_equal(tm_remid_parse("C=US, O=IBM, CN=host", &r, NULL, 0),
	    0);
	assert_int_equal(r.kind, TM_REMID_DN);
	assert_int_equal(tm_remid_parse("2001:db8::,ffff:ffff::", &r, NULL,
	    0), 0);
	assert_int_equal(r.family, AF_INET6);
	assert_false(r.single);
}

static void
test_parse_errors(void **state)
{
	struct tm_remid r;
	char err[128];

	(void)state;
	r.kind = TM_REMID_DN;
	assert_int_equal(tm_remid_parse("", &r, err, sizeof(err)),
	    IKE_EINVAL);
	assert_int_equal(tm_remid_parse("10.0.0.9,10.0.0.1", &r, err,
	    sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "remid 10.0.0.9,10.0.0.1: the range starts "
	    "after it ends");
	assert_int_equal(tm_remid_parse("10.0.0.1,2001:db8::1", &r, err,
	    sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "remid 10.0.0.1,2001:db8::1: mixes IPv4 and "
	    "IPv6");
	assert_int_equal(tm_remid_parse("10.0.0.0,24", &r, err, sizeof(err)),
	    IKE_EINVAL);
	assert_string_equal(err, "remid 10.0.0.0,24: expected "
	    "address,netmask or start,end");
	assert_int_equal(tm_remid_parse("a b", &r, err, sizeof(err)),
	    IKE_EINVAL);
	assert_int_equal(r.kind, TM_REMID_DN);	/* untouched on failure */
}

static void
test_addresses_by_meaning(void **state)
{
	(void)state;
	assert_true(is("192.0.2.2", DB_ID_IPV4_ADDR, "192.0.2.2", NULL));
	assert_false(is("192.0.2.2", DB_ID_IPV4_ADDR, "192.0.2.3", NULL));
	assert_true(is("2001:DB8:0::1", DB_ID_IPV6_ADDR, "2001:db8::1",
	    NULL));
	/* a /32 and a one-address range are that address */
	assert_true(is("10.0.0.1,255.255.255.255", DB_ID_IPV4_ADDR,
	    "10.0.0.1", NULL));
	assert_true(is("10.0.0.1", DB_ID_IPV4_RANGE, "10.0.0.1",
	    "10.0.0.1"));
	/* host bits of a subnet do not matter (the page's own example) */
	assert_true(is("9.3.97.100,255.255.255.0", DB_ID_IPV4_SUBNET,
	    "9.3.97.0", "255.255.255.0"));
	assert_false(is("9.3.97.100,255.255.0.0", DB_ID_IPV4_SUBNET,
	    "9.3.97.0", "255.255.255.0"));
	/* a range written as the subnet it is */
	assert_true(is("10.1.0.0,10.1.0.255", DB_ID_IPV4_SUBNET, "10.1.0.0",
	    "255.255.255.0"));
	assert_true(is("2001:db8::,ffff:ffff::", DB_ID_IPV6_SUBNET,
	    "2001:db8::", "32"));
	assert_false(is("10.1.0.0,10.1.0.254", DB_ID_IPV4_SUBNET, "10.1.0.0",
	    "255.255.255.0"));
	/* an address is not the FQDN it may resolve to */
	assert_false(is("192.0.2.2", DB_ID_FQDN, "gw.example.com", NULL));
	assert_false(is("192.0.2.2", DB_ID_IPV6_ADDR, "::ffff:192.0.2.2",
	    NULL));
}

static void
test_names_by_meaning(void **state)
{
	(void)state;
	assert_true(is("GW.Example.COM", DB_ID_FQDN, "gw.example.com", NULL));
	assert_true(is("gw.example.com.", DB_ID_FQDN, "gw.example.com", NULL));
	assert_false(is("gw.example.co", DB_ID_FQDN, "gw.example.com", NULL));
	assert_false(is("gw.example.com", DB_ID_USER_FQDN, "gw.example.com",
	    NULL));
	assert_true(is("gateway", DB_ID_FQDN, "Gateway", NULL));
	assert_true(is("admin@Example.com", DB_ID_USER_FQDN,
	    "admin@example.com", NULL));
	assert_false(is("Admin@example.com", DB_ID_USER_FQDN,
	    "admin@example.com", NULL));
	assert_true(is("C=US, O=IBM, CN=host", DB_ID_X500DN,
	    "c=us,o=ibm,cn=host", NULL));
	assert_true(is("C=US,O=IBM  Corp,CN=host", DB_ID_X500DN,
	    "C = US , O = IBM Corp , CN = host ", NULL));
	assert_true(is("E=a@b.example, S=Texas", DB_ID_X500DN,
	    "emailAddress=a@b.example,ST=texas", NULL));
	assert_true(is("CN=a\\, b", DB_ID_X500DN, "CN=a\\,  b", NULL));
	assert_false(is("C=US, O=IBM, CN=host", DB_ID_X500DN,
	    "C=US, CN=host, O=IBM", NULL));		/* order matters */
	assert_false(is("C=US, O=IBM", DB_ID_X500DN, "C=US, O=IBM, CN=h",
	    NULL));
	assert_false(is("C=US, O=IBM, CN=host", DB_ID_FQDN, "host", NULL));
}

static void
test_group_members(void **state)
{
	struct db_group g;
	struct tm_remid r;

	(void)state;
	memset(&g, 0, sizeof(g));
	strcpy(g.name, "branches");
	g.nmembers = 3;
	g.members[0] = ident(DB_ID_FQDN, "a.example", NULL);
	g.members[1] = ident(DB_ID_IPV4_ADDR, "192.0.2.7", NULL);
	g.members[2] = ident(DB_ID_IPV4_ADDR, "192.0.2.8", NULL);
	assert_int_equal(tm_remid_parse("192.0.2.8", &r, NULL, 0), 0);
	assert_int_equal(tm_remid_member(&r, &g), 2);
	assert_int_equal(tm_remid_parse("A.example", &r, NULL, 0), 0);
	assert_int_equal(tm_remid_member(&r, &g), 0);
	assert_int_equal(tm_remid_parse("192.0.2.9", &r, NULL, 0), 0);
	assert_int_equal(tm_remid_member(&r, &g), -1);
	g.nmembers = 1;		/* members past the count do not count */
	assert_int_equal(tm_remid_parse("192.0.2.7", &r, NULL, 0), 0);
	assert_int_equal(tm_remid_member(&r, &g), -1);
}

static void
test_covers(void **state)
{
	struct db_ident id;
	struct ike_addr a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.port = 500;
	inet_pton(AF_INET, "10.1.0.77", a.addr);
	id = ident(DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.255.0");
	assert_true(tm_ident_covers(&id, &a));
	id = ident(DB_ID_IPV4_RANGE, "10.1.0.78", "10.1.0.90");
	assert_false(tm_ident_covers(&id, &a));
	id = ident(DB_ID_IPV4_RANGE, "10.1.0.70", "10.1.0.77");
	assert_true(tm_ident_covers(&id, &a));
	id = ident(DB_ID_IPV4_ADDR, "10.1.0.77", NULL);
	assert_true(tm_ident_covers(&id, &a));
	id = ident(DB_ID_FQDN, "10.1.0.77", NULL);
	assert_false(tm_ident_covers(&id, &a));
	id = ident(DB_ID_IPV6_SUBNET, "::", "0");
	assert_false(tm_ident_covers(&id, &a));	/* other family */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_addresses_by_meaning),
		cmocka_unit_test(test_names_by_meaning),
		cmocka_unit_test(test_group_members),
		cmocka_unit_test(test_covers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
