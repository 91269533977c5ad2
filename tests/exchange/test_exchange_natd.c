/* tests/exchange/test_exchange_natd.c: NAT detection in IKE_SA_INIT (RFC
 * 7296 s. 2.23): without a NAT both ends find their hashes; with the
 * initiator behind a NAT that rewrites its address and port, the
 * responder learns that the peer is behind a NAT and the initiator that
 * it is itself. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/crypto/hash.h"
#include "core/err.h"
#include "harness.h"

/* FIPS 180-2 appendix A.1: SHA-1("abc"). */
static void
sha1_known_answer(void **state)
{
	static const uint8_t want[HASH_SHA1_LEN] = { 0xa9, 0x99, 0x3e, 0x36,
		0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e, 0x25, 0x71, 0x78, 0x50,
		0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d };
	struct crypto_iov v[2] = { { "a", 1 }, { "bc", 2 } };
	uint8_t out[HASH_SHA1_LEN];

	(void)state;
	assert_int_equal(crypto_sha1(v, 2, out), 0);
	assert_memory_equal(out, want, sizeof(want));
	v[0].base = NULL;
	assert_int_equal(crypto_sha1(v, 2, out), IKE_EINVAL);
}

static void
no_nat(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	establish(a, b);
	assert_true(peer_sa(a)->natd_seen);
	assert_true(peer_sa(b)->natd_seen);
	assert_false(peer_sa(a)->nat_local || peer_sa(a)->nat_remote);
	assert_false(peer_sa(b)->nat_local || peer_sa(b)->nat_remote);
	peers_free(a, b);
}

static struct ike_addr nat_outside;

/* A NAT between a and b: a's packets leave with nat_outside as their
 * source; b's answers to nat_outside go back to a's own address. */
static void
through_nat(struct peer *from, struct peer *to, bool outbound)
{
	struct dgram *d = head(from);

	if (outbound)
		d->src = nat_outside;
	else
		d->dst = from->cfg.remote;
	deliver(from, to);
}

static void
initiator_behind_nat(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);
	int i;

	(void)state;
	memset(&nat_outside, 0, sizeof(nat_outside));
	nat_outside.family = AF_INET;
	nat_outside.port = 4321;
	memcpy(nat_outside.addr, (const uint8_t[]){ 198, 51, 100, 7 }, 4);
	b->any_remote = true;
	initiate(a);
	for (i = 0; i < 2; i++) {
		through_nat(a, b, true);
		through_nat(b, a, false);
	}
	assert_int_equal(queued(a) + queued(b), 0);
	assert_true(peer_sa(b)->nat_remote);
	assert_false(peer_sa(b)->nat_local);
	assert_true(peer_sa(a)->nat_local);
	assert_false(peer_sa(a)->nat_remote);
	assert_int_equal(peer_sa(b)->remote.port, 4321);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_IKE_UP, 0));
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha1_known_answer),
		cmocka_unit_test(no_nat),
		cmocka_unit_test(initiator_behind_nat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
