/* tests/exchange1/v1_util.h: IKEv1 configurations for the harness
 * peers of tests/exchange (harness.h). */
#ifndef IKE_TEST_V1_UTIL_H
#define IKE_TEST_V1_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "harness.h"

/* Turns p (as made by peer_new()) into an IKEv1 peer: phase 1 in Main
 * Mode (Aggressive Mode when aggressive) with AES-CBC-256, SHA2-256
 * and MODP-2048, the harness's PSK and FQDN IDs; Quick Mode ESP with
 * AES-CBC-256 and HMAC-SHA2-256-128 in tunnel mode between the
 * harness's subnets. */
void	peer_v1(struct peer *p, bool aggressive);
/* Replaces p's phase-1 proposal with one suite: encr (ENCR_3DES or
 * ENCR_AES_CBC) with key_bits, prf (PRF_HMAC_*, the Hash Algorithm)
 * and D-H group dh. */
void	peer_v1_suite(struct peer *p, uint16_t encr, uint16_t key_bits,
	    uint16_t prf, uint16_t dh);

#endif
