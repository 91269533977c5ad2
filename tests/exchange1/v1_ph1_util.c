/* tests/exchange1/v1_ph1_util.c: see v1_ph1_util.h. */
#include "v1_ph1_util.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/crypto/ike_key.h"
#include "core/exchange1/v1.h"
#include "core/sa/ike_v1.h"
#include "v1_util.h"

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

void
ph1_pair(struct peer **a, struct peer **b, bool aggressive)
{
	*a = peer_new("a", 1, 2);
	*b = peer_new("b", 2, 1);
	peer_v1(*a, aggressive);
	peer_v1(*b, aggressive);
}

bool
ph1_up(const struct peer *p)
{
	return event_find(p, ENGINE_EV_IKE_UP, 0) != NULL;
}

/* Delivers both ways until both have IKE_UP (what comes after, Quick
 * Mode, stays queued). */
void
ph1_pump(struct peer *a, struct peer *b)
{
	int i;

	for (i = 0; i < 40 && !(ph1_up(a) && ph1_up(b)); i++) {
		if (a->q != NULL)
			deliver(a, b);
		if (!(ph1_up(a) && ph1_up(b)) && b->q != NULL)
			deliver(b, a);
	}
	assert_true(ph1_up(a));
	assert_true(ph1_up(b));
}

/* The one IKEv1 SA of p, established. */
const struct ike_sa *
ph1_sa(const struct peer *p)
{
	const struct ike_sa *sa = peer_sa(p);

	assert_non_null(sa);
	assert_int_equal(sa->version, IKE_VERSION_1);
	assert_non_null(sa->v1);
	return sa;
}

void
ph1_assert_key_eq(const struct ike_key *x, const struct ike_key *y)
{
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(x->len, y->len);
	assert_memory_equal(x->data, y->data, x->len);
}

void
assert_ph1_mirror(const struct peer *a, const struct peer *b)
{
	const struct ike_sa *x = ph1_sa(a), *y = ph1_sa(b);

	assert_int_equal(x->state, IKE_SA_ESTABLISHED);
	assert_int_equal(y->state, IKE_SA_ESTABLISHED);
	assert_true(x->initiator);
	assert_false(y->initiator);
	assert_true(x->spi_i != 0 && x->spi_r != 0);
	assert_true(x->spi_i == y->spi_i && x->spi_r == y->spi_r);
	assert_int_equal(x->encr, y->encr);
	assert_int_equal(x->key_bits, y->key_bits);
	assert_int_equal(x->prf, y->prf);
	assert_int_equal(x->dh_group, y->dh_group);
	ph1_assert_key_eq(x->v1->skeyid, y->v1->skeyid);
	ph1_assert_key_eq(x->v1->k.d, y->v1->k.d);
	ph1_assert_key_eq(x->v1->k.a, y->v1->k.a);
	ph1_assert_key_eq(x->v1->k.e, y->v1->k.e);
	/* the last phase-1 CBC block, from which M-ID IVs are made */
	assert_int_equal(x->v1->block, y->v1->block);
	assert_memory_equal(x->v1->iv, y->v1->iv, x->v1->block);
	assert_true(x->v1->peer_dpd && y->v1->peer_dpd);
	assert_true(x->v1->peer_natt && y->v1->peer_natt);
	assert_false(x->nat_local || x->nat_remote);
	assert_false(y->nat_local || y->nat_remote);
}

/* Calls fn for each message k of phase 1: 1..6 of Main Mode, then 1..3
 * of Aggressive Mode. */
void
ph1_each_message(void (*fn)(bool aggressive, unsigned int k, void *arg),
    void *arg)
{
	unsigned int k;

	for (k = 1; k <= 6; k++)
		fn(false, k, arg);
	for (k = 1; k <= 3; k++)
		fn(true, k, arg);
}

/* A new pair (with the suite of f unless NULL) whose phase 1 has come
 * as far as message k, queued on *from for *to. */
void
ph1_pair_at(struct peer **a, struct peer **b, bool aggressive, unsigned int k,
    const struct ph1_family *f, struct peer **from, struct peer **to)
{
	ph1_pair(a, b, aggressive);
	if (f != NULL) {
		peer_v1_suite(*a, f->encr, f->key_bits, f->prf, f->dh);
		peer_v1_suite(*b, f->encr, f->key_bits, f->prf, f->dh);
	}
	initiate(*a);
	v1_deliver_upto(*a, *b, k - 1);
	*from = k % 2 ? *a : *b;
	*to = k % 2 ? *b : *a;
}

/* Phase 1 comes up, once on each side, the two SAs mirror images. */
void
ph1_assert_up_once(struct peer *a, struct peer *b)
{
	ph1_pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 1);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 1);
}

/* Phase 1 of a and b comes up with the suite encr, key_bits, prf, dh. */
void
ph1_assert_up_with(struct peer *a, struct peer *b, uint16_t encr,
    uint16_t key_bits, uint16_t prf, uint16_t dh)
{
	ph1_pump(a, b);
	assert_ph1_mirror(a, b);
	assert_int_equal(ph1_sa(a)->encr, encr);
	assert_int_equal(ph1_sa(a)->key_bits, key_bits);
	assert_int_equal(ph1_sa(a)->prf, prf);
	assert_int_equal(ph1_sa(a)->dh_group, dh);
}
