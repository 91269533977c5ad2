/* INITIAL_CONTACT (RFC 7296 s. 2.4): a peer that restarted, with no
 * state left, says so in its first IKE_AUTH, and the responder drops
 * what it still had with that identity before installing the new Child
 * SA, whose selectors the old one's kernel policies hold.
 *
 *   a (first life)  HDR, SK {IDi, AUTH, SA, TSi, TSr}             -->
 *   a (restarted)   HDR, SK {IDi, N(INITIAL_CONTACT), AUTH, ...}  -->
 *                   b: old IKE SA and Child SA gone, new ones in */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static size_t
downs(const struct peer *p, const char *reason)
{
	size_t i, n = 0;

	for (i = 0; i < p->nev; i++)
		if (p->ev[i].type == ENGINE_EV_IKE_DOWN &&
		    p->ev[i].reason != NULL &&
		    strcmp(p->ev[i].reason, reason) == 0)
			n++;
	return n;
}

static void
restarted_peer_replaces_its_sas(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct peer *a2;
	uint64_t old_spi;

	(void)state;
	establish(a, b);
	old_spi = peer_sa(b)->spi_r;
	peer_free(a);		/* a dies without a word */
	a2 = peer_new("a", 1, 2);
	establish(a2, b);
	assert_int_equal(downs(b, "replaced: the peer restarted"), 1);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_DOWN), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 2);
	assert_int_equal(engine_sa_count(b->eng), 1);
	assert_int_not_equal(peer_sa(b)->spi_r, old_spi);
	/* only the new Child SA in b's kernel, mirroring a2's */
	assert_children_mirror(a2, b);
	peers_free(a2, b);
}

/* A second IKE SA while the first is up carries no INITIAL_CONTACT:
 * the responder keeps the first. */
static void
second_sa_keeps_the_first(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	initiate(a);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 2);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 2);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(engine_sa_count(b->eng), 2);
	assert_int_equal(engine_sa_count(a->eng), 2);
	peers_free(a, b);
}

/* Another identity's SAs are none of the restarted peer's business. */
static void
other_identity_untouched(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct peer *c = peer_new("c", 3, 2);

	(void)state;
	b->any_remote = true;
	establish(a, b);
	b->cfg.remote_id.type = 0;	/* answers any identity */
	c->cfg.remote_id.type = 0;	/* and c takes b's */
	c->ccfg.local_ts.start[2] = c->ccfg.local_ts.end[2] = 33;
	initiate(c);
	pump(c, b);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 2);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_DOWN), 0);
	assert_int_equal(engine_sa_count(b->eng), 2);
	peer_free(c);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(restarted_peer_replaces_its_sas),
		cmocka_unit_test(second_sa_keeps_the_first),
		cmocka_unit_test(other_identity_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
