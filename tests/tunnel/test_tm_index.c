/* tests/tunnel/test_tm_index.c: the active tunnel table's indexes at
 * scale: lookups by number and handle past the initial buckets, the
 * handle index filed lazily after tm_add() (and entries deleted before
 * it was), the per-handle walk in creation order, deletion of a
 * handle's phase-2 entries, and the expired count behind
 * tm_trim_expired(), also after a direct state change revived an
 * entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/tunnel/tm.h"

#define MANY	5000

static void
test_many(void **st)
{
	struct tm_table t;
	struct tm_tunnel *p1[MANY], *p2[MANY], *e;
	uint32_t i;

	(void)st;
	tm_init(&t);
	for (i = 0; i < MANY; i++) {
		assert_non_null(p1[i] = tm_add(&t, 1));
		assert_non_null(p2[i] = tm_add(&t, 2));
		p1[i]->handle = p2[i]->handle = i + 100;
	}
	for (i = 0; i < MANY; i++) {
		assert_ptr_equal(tm_find(&t, 1, i + 1), p1[i]);
		assert_ptr_equal(tm_find(&t, 2, i + 1), p2[i]);
		assert_ptr_equal(tm_find_handle(&t, i + 100), p1[i]);
		assert_ptr_equal(tm_find_child(&t, i + 100, TM_NEGOTIATING),
		    p2[i]);
	}
	assert_null(tm_find_handle(&t, MANY + 100));
	assert_null(tm_find(&t, 1, MANY + 1));
	/* The creation order survives in the list. */
	for (i = 0, e = t.head; e != NULL; e = e->next, i++)
		assert_ptr_equal(e, i % 2 == 0 ? p1[i / 2] : p2[i / 2]);
	assert_int_equal(i, 2 * MANY);
	for (i = 0; i < MANY; i += 2) {
		tm_del_children(&t, i + 100);
		tm_del(&t, p1[i]);
	}
	for (i = 0; i < MANY; i++) {
		assert_true((tm_find_handle(&t, i + 100) != NULL) == (i % 2));
		assert_true((tm_find(&t, 2, i + 1) != NULL) == (i % 2));
	}
	assert_ptr_equal(t.head, p1[1]);
	assert_ptr_equal(t.tail, p2[MANY - 1]);
	tm_clear(&t);
	assert_null(t.head);
	assert_null(t.tail);
}

static void
test_handle_walk(void **st)
{
	struct tm_table t;
	struct tm_tunnel *a, *b, *c, *d, *x;

	(void)st;
	tm_init(&t);
	a = tm_add(&t, 1);
	b = tm_add(&t, 2);
	x = tm_add(&t, 1);
	a->handle = b->handle = 5;
	x->handle = 6;
	assert_ptr_equal(tm_next_handle(&t, NULL, 5), a);	/* files */
	c = tm_add(&t, 2);
	d = tm_add(&t, 2);
	c->handle = d->handle = 5;
	tm_del(&t, d);		/* never filed */
	assert_ptr_equal(tm_next_handle(&t, NULL, 5), a);
	assert_ptr_equal(tm_next_handle(&t, a, 5), b);
	assert_ptr_equal(tm_next_handle(&t, b, 5), c);
	assert_null(tm_next_handle(&t, c, 5));
	assert_ptr_equal(tm_next_handle(&t, NULL, 6), x);
	assert_null(tm_next_handle(&t, x, 6));
	assert_null(tm_next_handle(&t, NULL, 7));
	c->state = TM_ACTIVE;
	c->spi_in = 0x99;
	assert_ptr_equal(tm_find_spi(&t, 5, 0x99), c);
	assert_null(tm_find_spi(&t, 6, 0x99));
	assert_ptr_equal(tm_find_child(&t, 5, TM_ACTIVE), c);
	tm_clear(&t);
	assert_null(tm_next_handle(&t, NULL, 5));
}

static void
test_trim_expired(void **st)
{
	struct tm_table t;
	struct tm_tunnel *e[6];
	int i;

	(void)st;
	tm_init(&t);
	tm_trim_expired(&t, 0);		/* empty: nothing to do */
	for (i = 0; i < 6; i++) {
		e[i] = tm_add(&t, 1);
		e[i]->handle = (uint32_t)i + 1;
	}
	for (i = 0; i < 5; i++)
		tm_expire(&t, e[i], "failed");
	tm_expire(&t, e[0], "again");	/* counted once */
	tm_trim_expired(&t, 5);
	assert_ptr_equal(tm_find(&t, 1, 1), e[0]);
	/* Revived behind the table's back: counted 6, but 5 are. */
	e[1]->state = TM_ACTIVE;
	tm_expire(&t, e[5], "failed");
	tm_trim_expired(&t, 5);
	assert_ptr_equal(tm_find(&t, 1, 1), e[0]);
	assert_ptr_equal(tm_find(&t, 1, 2), e[1]);
	/* Over the limit: the oldest expired go first. */
	tm_trim_expired(&t, 2);
	assert_null(tm_find(&t, 1, 1));
	assert_ptr_equal(tm_find(&t, 1, 2), e[1]);
	assert_null(tm_find(&t, 1, 3));
	assert_null(tm_find(&t, 1, 4));
	assert_ptr_equal(tm_find(&t, 1, 5), e[4]);
	assert_ptr_equal(tm_find(&t, 1, 6), e[5]);
	assert_string_equal(e[5]->reason, "failed");
	tm_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_handle_walk),
		cmocka_unit_test(test_trim_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
