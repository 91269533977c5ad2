/* tests/exchange1/v1_test.h: IKEv1 peers for the phase-2 tests
 * (test_v1_quick.c, test_v1_qm_life.c, test_v1_info.c,
 * test_v1_ph2_edge.c). */
#ifndef IKE_TEST_V1_TEST_H
#define IKE_TEST_V1_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/exchange1/v1.h"
#include "harness.h"

/* peer_new() turned IKEv1 by peer_v1() (Main Mode). */
struct peer	*v1_peer(const char *name, int host, int other);
/* Same, with engine limits. */
struct peer	*v1_peer_lim(const char *name, int host, int other,
		    const struct engine_limits *lim);
/* Phase 1 (Aggressive Mode when aggressive) from a to b and the Quick
 * Mode for a's ccfg, delivered until nothing moves; asserts both
 * ISAKMP SAs up (the Quick Mode may fail). */
void		 v1_up_ph1(struct peer *a, struct peer *b, bool aggressive);
/* Same, asserting the IPsec SA up on both sides (establish()). */
void		 v1_up(struct peer *a, struct peer *b, bool aggressive);

/* The kernel SA on p (proto IPPROTO_ESP or _AH), or NULL. */
const struct mem_sa *v1_kernel_sa(const struct peer *p,
		    const struct ike_addr *dst, uint32_t spi, uint8_t proto);
/* Asserts p's kernel holds no SA, reserved SPI or policy. */
void		 v1_assert_nothing(struct peer *p);
/* p's one ISAKMP SA, writable (for tests that forge with its keys). */
struct ike_sa	*v1_sa(struct peer *p);
/* Opens the Quick Mode message at the head of from's queue with sa's
 * keys: the first of its exchange from the M-ID IV (first), a later
 * one from iv, which then moves on.  Free with v1_unpeek(). */
struct v1_msg	*v1_peek(struct peer *from, const struct ike_sa *sa,
		    bool first, uint8_t *iv, uint8_t **pt, size_t *len);
void		 v1_unpeek(struct v1_msg *m, uint8_t *pt, size_t len);
/* v1_up(), then a Quick Mode of a for *cc (a's, between 10.1.9.0/24
 * and 10.2.9.0/24): returns with its message 1 queued on a. */
void		 v1_start_qm(struct peer *a, struct peer *b,
		    struct child_cfg *cc);
/* A copy of the datagram at the head of from's queue (left there), and
 * its delivery to `to` later, as an attacker replays it (frees d). */
struct dgram	*v1_keep(const struct peer *from);
void		 v1_replay(struct dgram *d, struct peer *to);
/* The SA of p with handle h (several may be there during a rekey). */
struct ike_sa	*v1_sa_by(struct peer *p, uint32_t h);
/* Asserts two mirrored IPsec SAs on each side and nothing else. */
void		 v1_assert_two_children(struct peer *a, struct peer *b);

#endif
