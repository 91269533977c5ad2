/* tests/exchange/cert_duo.h: two IKEv2 harness peers authenticating
 * with certificates, for the certificate exchange tests, on the fixture
 * of cert_fx.h.  Every function fails the current cmocka test on
 * error. */
#ifndef TESTS_EXCHANGE_CERT_DUO_H
#define TESTS_EXCHANGE_CERT_DUO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/base.h>

#include "core/codec/ikev2_msg.h"
#include "core/crypto/cert.h"
#include "cert_fx.h"
#include "harness.h"

/* a and b with their standard credentials (keys ka and kb), both
 * trusting the root. */
void	duo_std(struct duo *d, int ka, int kb);
void	assert_event(const struct peer *p, enum engine_ev type,
	    uint16_t notify, const char *reason);
/* No SA in either engine or kernel, nothing queued. */
void	assert_nothing_left(struct duo *d);
/* b refused a's IKE_AUTH for reason; a learned it from the answer. */
void	assert_initiator_refused(struct duo *d, const char *reason);
/* a refused b's answer for reason and told b, which had come up. */
void	assert_responder_refused(struct duo *d, const char *reason);
/* Both up with mirrored Child SAs; the AUTH methods each side used,
 * and the subjects each saw. */
void	assert_up(struct duo *d, uint8_t method_a, uint8_t method_b);

/* a's queued IKE_AUTH request, opened with b's keys. */
struct opened {
	struct ike_msg	 m;
	uint8_t		*pt;
	size_t		 pt_len;
};
struct opened *open_auth(struct duo *d);
void	opened_free(struct opened *o);
size_t	count_pl(const struct ike_msg *m, uint8_t type);

#endif
