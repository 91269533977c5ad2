/* tests/exchange1/test_v1_pfs.c: PFS in IKEv1 Quick Mode (RFC 2409 s.
 * 5.5) as the responder's policy (child_cfg.resp_dh,
 * IPSec_ResponderDHGroup) has it:
 *
 *   HDR*, HASH(1), SA(group g), Ni, KE(g) [, IDci, IDcr]  -->
 *                  <--  HDR*, HASH(2), SA(group g), Nr, KE(g) [, ...]
 *   HDR*, HASH(3)  -->
 *
 * ANY (the default) takes the initiator's group whatever the
 * responder's own IPSec_InitiatorDHGroup, or none; a named group only
 * that one; NO_PFS none.  A refusal installs nothing anywhere. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/crypto/crypto.h"
#include "core/crypto/dh.h"
#include "core/crypto/ikev1_kdf.h"
#include "core/exchange1/v1.h"
#include "harness.h"
#include "v1_util.h"
#include "v1_test.h"

/* The kernel keys of c on p are not KEYMAT without g(qm)^xy (RFC 2409
 * s. 5.5): the KE went into them. */
static void
assert_not_plain(struct peer *p, const struct child_sa *c)
{
	const struct ike_sa *sa = peer_sa(p);
	struct ikev1_qm_in in = { NULL, 0, c->proto, c->spi_in, c->ni, c->nr,
	    c->ni_len, c->nr_len };
	const struct mem_sa *s;
	struct ikev1_sa_keys k;

	s = v1_kernel_sa(p, &sa->local, c->spi_in, IPPROTO_ESP);
	assert_non_null(s);
	assert_int_equal(ikev1_sa_keys(sa->prf, CRYPTO_F_LEGACY, sa->v1->k.d,
	    &in, 32, 32, &k), 0);
	assert_int_equal(s->sa.encr_key->len, 32);
	assert_memory_not_equal(k.enc->data, s->sa.encr_key->data, 32);
	ikev1_sa_keys_free(&k);
}

/* a's Quick Mode with PFS group ga against b with policy resp (and
 * its own pfs_group gb) comes up with group ga. */
static void
accepted(uint16_t ga, uint16_t gb, uint16_t resp)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct child_sa *ca, *cb;

	a->ccfg.pfs_group = ga;
	b->ccfg.pfs_group = gb;
	b->ccfg.resp_dh = resp;
	v1_up(a, b, false);
	assert_children_mirror(a, b);
	ca = peer_sa(a)->children;
	cb = peer_sa(b)->children;
	assert_int_equal(ca->pfs, ga);
	assert_int_equal(cb->pfs, ga);
	if (ga != 0) {
		assert_not_plain(a, ca);
		assert_not_plain(b, cb);
	}
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_FAILED), 0);
	peers_free(a, b);
}

/* Same, refused by b with NO-PROPOSAL-CHOSEN: nothing installed. */
static void
refused(uint16_t ga, uint16_t gb, uint16_t resp)
{
	struct peer *a = v1_peer("a", 1, 2), *b = v1_peer("b", 2, 1);
	const struct engine_event *ev;

	a->ccfg.pfs_group = ga;
	b->ccfg.pfs_group = gb;
	b->ccfg.resp_dh = resp;
	v1_up_ph1(a, b, false);
	ev = event_find(b, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV1_N_NO_PROPOSAL_CHOSEN);
	ev = event_find(a, ENGINE_EV_CHILD_FAILED, 0);
	assert_non_null(ev);
	assert_int_equal(ev->notify, IKEV1_N_NO_PROPOSAL_CHOSEN);
	assert_null(peer_sa(a)->children);
	assert_null(peer_sa(b)->children);
	v1_assert_nothing(a);
	v1_assert_nothing(b);
	peers_free(a, b);
}

/* The interop case: PFS asked, none of ours, default policy ANY. */
static void
qm_pfs_to_any(void **state)
{
	(void)state;
	accepted(DH_ECP_256, 0, CFG_PFS_ANY);
	accepted(DH_MODP_2048, 0, CFG_PFS_ANY);
}

/* ANY takes the peer's group though ours is another. */
static void
qm_any_other_group(void **state)
{
	(void)state;
	accepted(DH_ECP_256, DH_MODP_2048, CFG_PFS_ANY);
}

/* ANY takes none too, whatever our own group. */
static void
qm_any_none(void **state)
{
	(void)state;
	accepted(0, DH_ECP_256, CFG_PFS_ANY);
}

static void
qm_required_group(void **state)
{
	(void)state;
	accepted(DH_MODP_2048, 0, DH_MODP_2048);
	refused(0, 0, DH_MODP_2048);		/* none offered */
	refused(DH_ECP_256, 0, DH_MODP_2048);	/* another offered */
}

static void
qm_no_pfs(void **state)
{
	(void)state;
	accepted(0, 0, CFG_PFS_NONE);
	refused(DH_ECP_256, 0, CFG_PFS_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qm_pfs_to_any),
		cmocka_unit_test(qm_any_other_group),
		cmocka_unit_test(qm_any_none),
		cmocka_unit_test(qm_required_group),
		cmocka_unit_test(qm_no_pfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
