/* tests/exchange1/v1_ph1_util.h: checks and steps the phase-1 tests
 * (test_v1_phase1.c, test_v1_cert.c) share, on the harness peers of
 * tests/exchange.  Every function fails the current cmocka test on
 * error. */
#ifndef IKE_TEST_V1_PH1_UTIL_H
#define IKE_TEST_V1_PH1_UTIL_H

#include "harness.h"

/* What a peer that was told AUTHENTICATION-FAILED gives up with. */
extern const char v1_auth_hint[];

/* Delivers phase-1 messages 1 to n, a sending the odd ones. */
void	v1_deliver_upto(struct peer *a, struct peer *b, unsigned int n);
/* Drops what is sent and ticks both engines until all is over. */
void	v1_run_out(struct peer *a, struct peer *b);
/* p's IKE SA failed with reason; it has none left and was never up. */
void	v1_assert_failed(const struct peer *p, const char *reason);

#endif
