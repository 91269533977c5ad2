/* tests/unit/test_sa_table.c: the SA table's indexes (local SPI,
 * handle, the peer's SPI for IKE_SA_INIT retransmissions), its growth
 * past the initial buckets, the touched list that keeps lookups right
 * while the exchange code changes SAs behind the table's back, the
 * half-open count, and the deadline min-heap: order, updates in both
 * directions, removal from the middle, UINT64_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/sa/sa_table.h"

#define MANY	3000

static struct ike_sa *
add(struct sa_table *t, bool initiator, uint32_t handle)
{
	struct ike_sa *sa;

	assert_int_equal(ike_sa_new(initiator, initiator ? IKE_SA_INIT_SENT :
	    IKE_SA_HALF_OPEN, &sa), 0);
	sa->handle = handle;
	assert_int_equal(sa_table_add(t, sa), 0);
	return sa;
}

static void
drain(struct sa_table *t)
{
	while (sa_table_touched_next(t) != NULL)
		;
}

static void
test_lookups_and_growth(void **st)
{
	struct sa_table *t;
	struct ike_sa *sa[MANY];
	size_t i;

	(void)st;
	assert_int_equal(sa_table_new(&t), 0);
	for (i = 0; i < MANY; i++)
		sa[i] = add(t, i % 2 == 0, (uint32_t)i + 1);
	drain(t);
	assert_int_equal(sa_table_count(t), MANY);
	for (i = 0; i < MANY; i++) {
		assert_ptr_equal(sa_table_find(t, ike_sa_local_spi(sa[i])),
		    sa[i]);
		assert_ptr_equal(sa_table_find_handle(t, (uint32_t)i + 1),
		    sa[i]);
	}
	assert_null(sa_table_find_handle(t, MANY + 1));
	assert_null(sa_table_find(t, 0));
	drain(t);
	/* Removal from every index. */
	sa_table_remove(t, sa[7]);
	assert_null(sa_table_find(t, ike_sa_local_spi(sa[7])));
	assert_null(sa_table_find_handle(t, 8));
	assert_int_equal(sa_table_count(t), MANY - 1);
	ike_sa_free(sa[7]);
	sa_table_free(t);
}

static void
test_changed_behind_its_back(void **st)
{
	struct sa_table *t;
	struct ike_sa *a, *b;
	struct ike_addr peer = { .family = AF_INET, .port = 500,
	    .addr = { 192, 0, 2, 9 } }, other = peer;

	(void)st;
	other.port = 4500;
	assert_int_equal(sa_table_new(&t), 0);
	a = add(t, false, 1);
	b = add(t, false, 2);
	drain(t);
	a->spi_i = 0x1111;
	a->remote = peer;
	/* Filed under its old peer SPI (0): found by looking at the
	 * touched SAs only while a change may be pending. */
	assert_null(sa_table_find_init(t, 0x1111, &peer));
	sa_table_touch(t, a);
	assert_ptr_equal(sa_table_find_init(t, 0x1111, &peer), a);
	assert_null(sa_table_find_init(t, 0x1111, &other));
	drain(t);
	assert_ptr_equal(sa_table_find_init(t, 0x1111, &peer), a);
	drain(t);
	/* A handle swap, as an IKE SA rekey does. */
	assert_ptr_equal(sa_table_find(t, ike_sa_local_spi(a)), a);
	assert_ptr_equal(sa_table_find(t, ike_sa_local_spi(b)), b);
	a->handle = 2;
	b->handle = 1;
	assert_ptr_equal(sa_table_find_handle(t, 1), b);
	assert_ptr_equal(sa_table_find_handle(t, 2), a);
	drain(t);
	assert_ptr_equal(sa_table_find_handle(t, 1), b);
	assert_ptr_equal(sa_table_find_handle(t, 2), a);
	/* An initiator SA is never an IKE_SA_INIT responder's. */
	b->initiator = true;
	b->spi_i = 0x2222;
	b->remote = peer;
	sa_table_touch(t, b);
	assert_null(sa_table_find_init(t, 0x2222, &peer));
	drain(t);
	assert_null(sa_table_find_init(t, 0x2222, &peer));
	sa_table_free(t);
}

static void
test_half_open(void **st)
{
	struct sa_table *t;
	struct ike_sa *a, *b, *c;

	(void)st;
	assert_int_equal(sa_table_new(&t), 0);
	a = add(t, false, 1);
	b = add(t, false, 2);
	c = add(t, true, 3);
	assert_int_equal(sa_table_half_open(t), 2);	/* pending */
	drain(t);
	assert_int_equal(sa_table_half_open(t), 2);	/* counted */
	assert_ptr_equal(sa_table_find(t, ike_sa_local_spi(a)), a);
	a->state = IKE_SA_ESTABLISHED;
	assert_int_equal(sa_table_half_open(t), 1);
	drain(t);
	assert_int_equal(sa_table_half_open(t), 1);
	sa_table_remove(t, b);
	ike_sa_free(b);
	assert_int_equal(sa_table_half_open(t), 0);
	/* Removing a touched SA takes it off the touched list (ASan
	 * would see a freed one returned). */
	assert_ptr_equal(sa_table_find(t, ike_sa_local_spi(c)), c);
	sa_table_remove(t, c);
	ike_sa_free(c);
	assert_null(sa_table_touched_next(t));
	assert_int_equal(sa_table_count(t), 1);
	sa_table_free(t);
}

/* Pops everything due by now and checks the order. */
static size_t
pop_all(struct sa_table *t, uint64_t now, uint64_t *last)
{
	struct ike_sa *sa;
	size_t n = 0;

	*last = 0;
	while ((sa = sa_table_pop_due(t, now)) != NULL) {
		assert_true(sa->tl.deadline >= *last);
		assert_true(sa->tl.deadline <= now);
		*last = sa->tl.deadline;
		n++;
	}
	return n;
}

static void
test_heap(void **st)
{
	struct sa_table *t;
	struct ike_sa *sa[MANY];
	uint64_t last;
	size_t i;

	(void)st;
	srand(7);
	assert_int_equal(sa_table_new(&t), 0);
	assert_int_equal(sa_table_next_deadline(t), UINT64_MAX);
	assert_null(sa_table_pop_due(t, UINT64_MAX - 1));
	for (i = 0; i < MANY; i++) {
		sa[i] = add(t, true, (uint32_t)i + 1);
		assert_int_equal(sa_table_set_deadline(t, sa[i],
		    1000 + (uint64_t)(rand() % 100000)), 0);
	}
	drain(t);
	/* Moves: some much earlier, some later, some out. */
	for (i = 0; i < MANY; i += 3)
		assert_int_equal(sa_table_set_deadline(t, sa[i], i / 3), 0);
	for (i = 1; i < MANY; i += 3)
		assert_int_equal(sa_table_set_deadline(t, sa[i],
		    500000 + i), 0);
	for (i = 2; i < MANY; i += 30)
		assert_int_equal(sa_table_set_deadline(t, sa[i],
		    UINT64_MAX), 0);
	assert_int_equal(sa_table_next_deadline(t), 0);
	/* Removal from the middle of the heap. */
	sa_table_remove(t, sa[5]);
	ike_sa_free(sa[5]);
	sa[5] = NULL;
	/* Nothing before its time. */
	assert_int_equal(pop_all(t, 999, &last), (MANY + 2) / 3);
	assert_int_equal(last, 999);
	assert_true(sa_table_next_deadline(t) >= 1000);
	i = pop_all(t, 499999, &last) + pop_all(t, UINT64_MAX - 1, &last);
	/* All but the removed one and the ones taken out. */
	assert_int_equal(i + (MANY + 2) / 3 + 1 + (MANY - 2 + 29) / 30,
	    MANY);
	assert_int_equal(sa_table_next_deadline(t), UINT64_MAX);
	/* Popped SAs are touched. */
	assert_non_null(sa_table_touched_next(t));
	sa_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups_and_growth),
		cmocka_unit_test(test_changed_behind_its_back),
		cmocka_unit_test(test_half_open),
		cmocka_unit_test(test_heap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
