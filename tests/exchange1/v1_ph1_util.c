/* tests/exchange1/v1_ph1_util.c: see v1_ph1_util.h. */
#include "v1_ph1_util.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

const char v1_auth_hint[] =
    "authentication failed (peer said so, unauthenticated)";

void
v1_deliver_upto(struct peer *a, struct peer *b, unsigned int n)
{
	unsigned int i;

	for (i = 1; i <= n; i++)
		deliver(i % 2 ? a : b, i % 2 ? b : a);
}

void
v1_run_out(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 200; i++) {
		while (a->q != NULL)
			drop(a);
		while (b->q != NULL)
			drop(b);
		advance(a, b, 500);
	}
}

void
v1_assert_failed(const struct peer *p, const char *reason)
{
	const struct engine_event *ev = event_find(p, ENGINE_EV_IKE_FAILED,
	    0);

	assert_non_null(ev);
	assert_non_null(ev->reason);
	assert_string_equal(ev->reason, reason);
	assert_null(event_find(p, ENGINE_EV_IKE_UP, 0));
	assert_int_equal(engine_sa_count(p->eng), 0);
}
