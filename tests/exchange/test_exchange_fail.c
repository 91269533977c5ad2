/* tests/exchange/test_exchange_fail.c: negotiations that must fail, and
 * how: wrong preshared key or identity (AUTHENTICATION_FAILED), no
 * common proposal (NO_PROPOSAL_CHOSEN), traffic selectors without
 * overlap (TS_UNACCEPTABLE: the IKE SA stays, no Child SA), and the
 * INVALID_KE_PAYLOAD round trip that ends in success. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "harness.h"

static void
assert_kernel_empty(struct peer *p)
{
	assert_int_equal(mem_sa_count(p->plat), 0);
	assert_int_equal(mem_larval_count(p->plat), 0);
	assert_int_equal(mem_policy_count(p->plat), 0);
}

static void
assert_failed(const struct peer *p, enum engine_ev type, uint16_t notify,
    const char *reason)
{
	const struct engine_event *ev = event_find(p, type, 0);

	assert_non_null(ev);
	assert_int_equal(ev->notify, notify);
	assert_string_equal(ev->reason, reason);
}

static void
wrong_psk(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	memcpy(b->cfg.psk, "wrong horse..", 13);
	initiate(a);
	deliver(a, b);		/* IKE_SA_INIT */
	deliver(b, a);
	deliver(a, b);		/* IKE_AUTH: b's AUTH check fails */
	assert_failed(b, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_int_equal(engine_sa_count(b->eng), 0);
	deliver(b, a);		/* <-- {N(AUTHENTICATION_FAILED)} */
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_null(event_find(b, ENGINE_EV_IKE_UP, 0));
	assert_int_equal(queued(a) + queued(b), 0);
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

/* b is not who a expects: a refuses b's AUTH, tells b with an
 * INFORMATIONAL N(AUTHENTICATION_FAILED) and both SAs end. */
static void
responder_identity_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->cfg.remote_id.type = IKEV2_ID_KEY_ID;	/* a wants a KEY_ID */
	a->cfg.remote_id.len = 5;
	memcpy(a->cfg.remote_id.data, "other", 5);
	b->cfg.remote_id.type = 0;	/* b takes any IDi */
	initiate(a);
	pump(a, b);
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_null(event_find(a, ENGINE_EV_CHILD_UP, 0));
	/* b came up, then learned that a refused it */
	assert_non_null(event_find(b, ENGINE_EV_IKE_UP, 0));
	assert_failed(b, ENGINE_EV_IKE_DOWN, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_non_null(event_find(b, ENGINE_EV_CHILD_DOWN, 0));
	assert_int_equal(engine_sa_count(a->eng), 0);
	assert_int_equal(engine_sa_count(b->eng), 0);
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

/* b expects another IDi: AUTHENTICATION_FAILED although the PSK fits. */
static void
initiator_identity_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	memcpy(b->cfg.remote_id.data, "z", 1);
	initiate(a);
	pump(a, b);
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_failed(b, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

static void
no_common_ike_proposal(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	b->cfg.props[0] = (struct ike_prop_cfg){ ENCR_AES_CBC, 128,
	    AUTH_HMAC_SHA2_256_128, PRF_HMAC_SHA2_256 };
	initiate(a);
	duplicate(a);		/* a retransmission of the same request */
	deliver(a, b);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 0);	/* stateless */
	assert_int_equal(queued(b), 2);		/* both answered ... */
	drop(b);
	deliver(b, a);		/* <-- N(NO_PROPOSAL_CHOSEN) */
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    "no proposal chosen");
	assert_int_equal(engine_sa_count(a->eng), 0);
	/* ... the responder keeps no state but reports the refusal once,
	 * under a handle that names no SA (the daemon lists it) */
	assert_int_equal(b->nev, 1);
	assert_failed(b, ENGINE_EV_IKE_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    "no proposal chosen");
	assert_int_not_equal(event_find(b, ENGINE_EV_IKE_FAILED, 0)->handle, 0);
	assert_null(engine_sa(b->eng,
	    event_find(b, ENGINE_EV_IKE_FAILED, 0)->handle));
	assert_int_equal(queued(a), 0);
	assert_kernel_empty(a);
	initiate(a);		/* a new attempt, a new SPI: reported again */
	deliver(a, b);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_FAILED), 2);
	assert_int_equal(engine_sa_count(b->eng), 0);
	peers_free(a, b);
}

/* A DH group in common but no PRF: still no proposal. */
static void
no_common_prf(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	b->cfg.props[0].prf = PRF_HMAC_SHA2_512;
	initiate(a);
	pump(a, b);
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    "no proposal chosen");
	assert_int_equal(engine_sa_count(b->eng), 0);
	peers_free(a, b);
}

static void
ts_unacceptable(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	ts_v4(&b->ccfg.local_ts, 10, 9, 0, 0, 10, 9, 255, 255);
	initiate(a);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_IKE_UP, 0));
	assert_failed(a, ENGINE_EV_CHILD_FAILED, IKEV2_N_TS_UNACCEPTABLE,
	    "traffic selectors unacceptable");
	assert_failed(b, ENGINE_EV_CHILD_FAILED, IKEV2_N_TS_UNACCEPTABLE,
	    "traffic selectors unacceptable");
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(peer_sa(b)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_child_count(peer_sa(a)), 0);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 0);
	assert_ike_keys_equal(peer_sa(a), peer_sa(b));
	assert_kernel_empty(a);		/* a's reserved SPI released */
	assert_kernel_empty(b);
	/* the IKE SA still works */
	assert_int_equal(engine_liveness(a->eng, a->handle, hn_now), 0);
	pump(a, b);
	assert_int_equal(engine_stats(b->eng)->rx_dropped, 0);
	assert_null(peer_sa(a)->out.buf);
	peers_free(a, b);
}

static void
no_common_esp_proposal(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	b->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP,
	    ENCR_AES_CBC, 128, AUTH_HMAC_SHA2_256_128 };
	initiate(a);
	pump(a, b);
	assert_int_equal(peer_sa(a)->state, IKE_SA_ESTABLISHED);
	assert_failed(a, ENGINE_EV_CHILD_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    "no proposal chosen");
	assert_failed(b, ENGINE_EV_CHILD_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    "no proposal chosen");
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

/* a offers ECP-256 first with a KE for it; b takes only Curve25519:
 *   HDR, SAi1, KEi(19), Ni   -->
 *                            <--  HDR, N(INVALID_KE_PAYLOAD, 31)
 *   HDR, SAi1, KEi(31), Ni   -->
 *                            <--  HDR, SAr1, KEr(31), Nr  */
static void
invalid_ke_round_trip(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	a->cfg.dh[0] = DH_ECP_256;
	a->cfg.dh[1] = DH_CURVE25519;
	a->cfg.ndh = 2;
	b->cfg.dh[0] = DH_CURVE25519;
	initiate(a);
	deliver(a, b);
	assert_int_equal(engine_sa_count(b->eng), 0);	/* stateless */
	deliver(b, a);		/* <-- N(INVALID_KE_PAYLOAD) */
	assert_int_equal(peer_sa(a)->dh_group, DH_CURVE25519);
	assert_true(peer_sa(a)->ke_retried);
	assert_int_equal(queued(a), 1);	/* the new request */
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_CHILD_UP, 0));
	assert_int_equal(peer_sa(b)->dh_group, DH_CURVE25519);
	assert_ike_keys_equal(peer_sa(a), peer_sa(b));
	assert_children_mirror(a, b);
	peers_free(a, b);
}

/* An INVALID_KE_PAYLOAD naming a group a never offered ends the SA
 * instead of looping. */
static void
invalid_ke_for_unoffered_group(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	struct peer *c = peer_new("c", 3, 2);

	(void)state;
	/* b answers c's request, whose KE group b refuses, with
	 * INVALID_KE(31); that answer is fed to a with a's SPI. */
	a->cfg.dh[0] = DH_ECP_256;
	initiate(a);
	drop(a);
	c->cfg.dh[0] = DH_ECP_256;
	c->cfg.dh[1] = DH_CURVE25519;
	c->cfg.ndh = 2;
	b->cfg.dh[0] = DH_CURVE25519;
	b->cfg.remote = c->cfg.local;
	initiate(c);
	deliver(c, b);
	{
		struct dgram *d = head(b);
		const struct ike_sa *sa = peer_sa(a);
		int i;

		for (i = 0; i < 8; i++)
			d->buf[i] = (uint8_t)(sa->spi_i >> (56 - 8 * i));
	}
	deliver(b, a);
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_INVALID_KE_PAYLOAD,
	    "no acceptable DH group");
	assert_int_equal(engine_sa_count(a->eng), 0);
	peer_free(c);
	peers_free(a, b);
}

/* The responder finds the PSK by IDi (the peer_id callback): the known
 * identity with its key gets in, with the configured key ignored. */
static void
psk_by_identity(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	peer_use_id_directory(b);
	b->known_id = a->cfg.local_id;
	memcpy(b->known_psk, "per-peer key", 12);
	b->known_psk_len = 12;
	memcpy(a->cfg.psk, "per-peer key", 12);
	a->cfg.psk_len = 12;
	memcpy(b->cfg.psk, "not this one!", 13);
	establish(a, b);
	assert_int_equal(b->peer_id_calls, 1);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

static void
unknown_identity_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	peer_use_id_directory(b);
	b->known_id = b->cfg.local_id;	/* knows only itself */
	initiate(a);
	pump(a, b);
	assert_int_equal(b->peer_id_calls, 1);
	assert_failed(a, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_failed(b, ENGINE_EV_IKE_FAILED, IKEV2_N_AUTHENTICATION_FAILED,
	    "authentication failed");
	assert_kernel_empty(a);
	assert_kernel_empty(b);
	peers_free(a, b);
}

/* Engines freed in the middle of IKE_AUTH release the SPI reserved for
 * the Child SA (peer_free() asserts empty kernels). */
static void
teardown_mid_exchange(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	initiate(a);
	deliver(a, b);
	deliver(b, a);
	assert_int_equal(mem_larval_count(a->plat), 1);
	assert_int_equal(queued(a), 1);		/* IKE_AUTH in flight */
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_psk),
		cmocka_unit_test(responder_identity_refused),
		cmocka_unit_test(initiator_identity_refused),
		cmocka_unit_test(no_common_ike_proposal),
		cmocka_unit_test(no_common_prf),
		cmocka_unit_test(ts_unacceptable),
		cmocka_unit_test(no_common_esp_proposal),
		cmocka_unit_test(invalid_ke_round_trip),
		cmocka_unit_test(invalid_ke_for_unoffered_group),
		cmocka_unit_test(psk_by_identity),
		cmocka_unit_test(unknown_identity_refused),
		cmocka_unit_test(teardown_mid_exchange),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
