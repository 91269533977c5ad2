/* tests/tunnel/test_tm.c: the active tunnel table: numbering per phase,
 * lookups, expiry with the phase-2 entries still negotiating, removal,
 * and the listing forms of identities and selectors. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/tunnel/tm.h"

static void
test_numbering_and_lookup(void **st)
{
	struct tm_table t;
	struct tm_tunnel *a, *b, *c, *d;

	(void)st;
	tm_init(&t);
	a = tm_add(&t, 1);
	b = tm_add(&t, 2);
	c = tm_add(&t, 2);
	d = tm_add(&t, 1);
	assert_non_null(a);
	assert_non_null(d);
	assert_int_equal(a->num, 1);
	assert_int_equal(b->num, 1);	/* phases numbered separately */
	assert_int_equal(c->num, 2);
	assert_int_equal(d->num, 2);
	assert_int_equal(a->state, TM_NEGOTIATING);
	a->handle = b->handle = c->handle = 7;
	d->handle = 8;
	a->def_num = 3;
	b->def_num = 5;
	c->spi_in = 0x1234;
	c->state = TM_ACTIVE;
	assert_ptr_equal(tm_find(&t, 2, 2), c);
	assert_null(tm_find(&t, 2, 3));
	assert_ptr_equal(tm_find_handle(&t, 7), a);
	assert_ptr_equal(tm_find_handle(&t, 8), d);
	assert_null(tm_find_handle(&t, 9));
	assert_ptr_equal(tm_find_child(&t, 7, TM_NEGOTIATING), b);
	assert_ptr_equal(tm_find_spi(&t, 7, 0x1234), c);
	assert_null(tm_find_spi(&t, 8, 0x1234));
	assert_ptr_equal(tm_find_def(&t, 1, 3), a);
	assert_ptr_equal(tm_find_def(&t, 2, 5), b);
	assert_null(tm_find_def(&t, 1, 5));

	/* Expiry: the phase 1 and its negotiating phase 2, not the
	 * active one; an expired definition can start again. */
	tm_expire(&t, a, "AUTHENTICATION_FAILED");
	assert_int_equal(a->state, TM_EXPIRED);
	assert_string_equal(a->reason, "AUTHENTICATION_FAILED");
	assert_int_equal(b->state, TM_EXPIRED);
	assert_string_equal(b->reason, "AUTHENTICATION_FAILED");
	assert_int_equal(c->state, TM_ACTIVE);
	assert_null(tm_find_def(&t, 1, 3));

	tm_del_children(&t, 7);
	assert_null(tm_find(&t, 2, 1));
	assert_null(tm_find(&t, 2, 2));
	tm_del(&t, a);
	assert_null(tm_find(&t, 1, 1));
	assert_ptr_equal(t.head, d);
	/* Numbers are not reused. */
	assert_int_equal(tm_add(&t, 1)->num, 3);
	tm_clear(&t);
	assert_null(t.head);
	assert_int_equal(tm_add(&t, 2)->num, 1);
	tm_clear(&t);
}

static void
test_strings(void **st)
{
	struct ike_id id;
	struct ike_ts ts;
	char buf[TM_ID_MAX];

	(void)st;
	memset(&id, 0, sizeof(id));
	id.type = IKEV2_ID_IPV4_ADDR;
	id.len = 4;
	memcpy(id.data, "\xc0\x00\x02\x01", 4);
	tm_id_str(&id, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1");
	id.type = IKEV2_ID_FQDN;
	id.len = 9;
	memcpy(id.data, "a.example", 9);
	tm_id_str(&id, buf, sizeof(buf));
	assert_string_equal(buf, "a.example");
	id.type = IKEV2_ID_KEY_ID;
	id.len = 2;
	memcpy(id.data, "\x0a\xff", 2);
	tm_id_str(&id, buf, sizeof(buf));
	assert_string_equal(buf, "0aff");
	memset(&id, 0, sizeof(id));
	tm_id_str(&id, buf, sizeof(buf));
	assert_string_equal(buf, "");

	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "10.1.0.0", ts.start), 1);
	assert_int_equal(inet_pton(AF_INET, "10.1.0.255", ts.end), 1);
	tm_ts_str(&ts, buf, sizeof(buf));
	assert_string_equal(buf, "10.1.0.0-10.1.0.255");
	ts.family = AF_INET6;
	memset(ts.start, 0, 16);
	memset(ts.end, 0xff, 16);
	tm_ts_str(&ts, buf, sizeof(buf));
	assert_string_equal(buf, "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_string_equal(tm_state_name(TM_ACTIVE), "Active");
	assert_string_equal(tm_state_name(TM_NEGOTIATING), "Negotiating");
	assert_string_equal(tm_state_name(TM_EXPIRED), "Expired");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering_and_lookup),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
