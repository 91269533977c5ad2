/* tests/exchange1/v1_ph1_util.h: checks and steps the phase-1 tests
 * (test_v1_phase1.c, test_v1_cert.c) share, on the harness peers of
 * tests/exchange.  Every function fails the current cmocka test on
 * error. */
#ifndef IKE_TEST_V1_PH1_UTIL_H
#define IKE_TEST_V1_PH1_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

struct ike_key;
struct ike_sa;

/* What a peer that was told AUTHENTICATION-FAILED gives up with. */
extern const char v1_auth_hint[];

/* Delivers phase-1 messages 1 to n, a sending the odd ones. */
void	v1_deliver_upto(struct peer *a, struct peer *b, unsigned int n);
/* Drops what is sent and ticks both engines until all is over. */
void	v1_run_out(struct peer *a, struct peer *b);
/* p's IKE SA failed with reason; it has none left and was never up. */
void	v1_assert_failed(const struct peer *p, const char *reason);

/* A phase-1 suite: its name, transforms and cipher block size. */
struct ph1_family {
	const char	*name;
	uint16_t	 encr, key_bits, prf, dh;
	size_t		 block;
};

/* A new pair of IKEv1 peers, a (initiator) and b, in Main Mode or
 * Aggressive Mode. */
void	ph1_pair(struct peer **a, struct peer **b, bool aggressive);
/* p has seen its IKE SA come up. */
bool	ph1_up(const struct peer *p);
/* Delivers both ways until both have IKE_UP (what comes after, Quick
 * Mode, stays queued). */
void	ph1_pump(struct peer *a, struct peer *b);
/* The one IKEv1 SA of p. */
const struct ike_sa *ph1_sa(const struct peer *p);
void	ph1_assert_key_eq(const struct ike_key *x, const struct ike_key *y);
/* The two established SAs (a initiator, b responder) mirror images. */
void	assert_ph1_mirror(const struct peer *a, const struct peer *b);
/* Calls fn for each message k of phase 1: 1..6 of Main Mode, then 1..3
 * of Aggressive Mode. */
void	ph1_each_message(void (*fn)(bool aggressive, unsigned int k,
	    void *arg), void *arg);
/* A new pair (with the suite f unless NULL) whose phase 1 has come as
 * far as message k, queued on *from for *to. */
void	ph1_pair_at(struct peer **a, struct peer **b, bool aggressive,
	    unsigned int k, const struct ph1_family *f, struct peer **from,
	    struct peer **to);
/* Phase 1 comes up, once on each side, the two SAs mirror images. */
void	ph1_assert_up_once(struct peer *a, struct peer *b);
/* Phase 1 of a and b comes up with the suite encr, key_bits, prf, dh. */
void	ph1_assert_up_with(struct peer *a, struct peer *b, uint16_t encr,
	    uint16_t key_bits, uint16_t prf, uint16_t dh);

#endif
