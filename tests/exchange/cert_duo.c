/* tests/exchange/cert_duo.c: see cert_duo.h. */
#include "cert_duo.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cert.h"
#include "core/err.h"
#include "core/exchange/exchange.h"
#include "tests/lib/testutil.h"

void
duo_std(struct duo *d, int ka, int kb)
{
	struct cert_own *oa = own_std("a", ka, 10);

	duo_of(d, ka, oa, kb, own_std("b", kb, 11), F.store);
}

/* ------------------------------------------------------------ checks */

void
assert_event(const struct peer *p, enum engine_ev type, uint16_t notify,
    const char *reason)
{
	const struct engine_event *ev = event_find(p, type, 0);

	assert_non_null(ev);
	assert_int_equal(ev->notify, notify);
	assert_non_null(ev->reason);
	assert_string_equal(ev->reason, reason);
}

/* Nothing is left: no SA in either engine, nothing in either kernel,
 * nothing queued. */
void
assert_nothing_left(struct duo *d)
{
	assert_int_equal(engine_sa_count(d->a->eng), 0);
	assert_int_equal(engine_sa_count(d->b->eng), 0);
	assert_int_equal(queued(d->a) + queued(d->b), 0);
	assert_kernel_empty(d->a);
	assert_kernel_empty(d->b);
}

/* b refused a's IKE_AUTH for reason; a learned it from the answer. */
void
assert_initiator_refused(struct duo *d, const char *reason)
{
	assert_event(d->b, ENGINE_EV_IKE_FAILED,
	    IKEV2_N_AUTHENTICATION_FAILED, reason);
	assert_event(d->a, ENGINE_EV_IKE_FAILED,
	    IKEV2_N_AUTHENTICATION_FAILED, "authentication failed");
	assert_null(event_find(d->a, ENGINE_EV_IKE_UP, 0));
	assert_null(event_find(d->b, ENGINE_EV_IKE_UP, 0));
	assert_nothing_left(d);
}

/* a refused b's answer for reason and told b, which had come up. */
void
assert_responder_refused(struct duo *d, const char *reason)
{
	assert_event(d->a, ENGINE_EV_IKE_FAILED,
	    IKEV2_N_AUTHENTICATION_FAILED, reason);
	assert_null(event_find(d->a, ENGINE_EV_IKE_UP, 0));
	assert_null(event_find(d->a, ENGINE_EV_CHILD_UP, 0));
	assert_event(d->b, ENGINE_EV_IKE_DOWN,
	    IKEV2_N_AUTHENTICATION_FAILED, "authentication failed");
	assert_nothing_left(d);
}


struct opened *
open_auth(struct duo *d)
{
	struct opened *o = calloc(1, sizeof(*o));
	struct dgram *g = head(d->a);

	assert_non_null(o);
	assert_int_equal(codec_decode(g->buf, g->len, &o->m, NULL), 0);
	assert_int_equal(o->m.hdr.exchange, IKEV2_EXCH_IKE_AUTH);
	assert_int_equal(sk_open((struct ike_sa *)(uintptr_t)peer_sa(d->b),
	    &o->m, &o->pt, &o->pt_len), 0);
	return o;
}

void
opened_free(struct opened *o)
{
	sk_pt_free(o->pt, o->pt_len);
	free(o);
}

size_t
count_pl(const struct ike_msg *m, uint8_t type)
{
	const struct ike_pl *pl = NULL;
	size_t n = 0;

	while ((pl = ike_msg_find(m, type, pl)) != NULL)
		n++;
	return n;
}


void
assert_up(struct duo *d, uint8_t method_a, uint8_t method_b)
{
	const struct ike_sa *sa_a, *sa_b;

	assert_non_null(event_find(d->a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(d->b, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(d->a, ENGINE_EV_CHILD_UP, 0));
	assert_non_null(event_find(d->b, ENGINE_EV_CHILD_UP, 0));
	assert_children_mirror(d->a, d->b);
	sa_a = peer_sa(d->a);
	sa_b = peer_sa(d->b);
	assert_ike_keys_equal(sa_a, sa_b);
	/* what each saw the other authenticate with, and as whom */
	assert_int_equal(sa_b->peer_auth, method_a);
	assert_int_equal(sa_a->peer_auth, method_b);
	assert_string_equal(sa_a->peer_subject, subject_b);
	assert_string_equal(sa_b->peer_subject, subject_a);
}

