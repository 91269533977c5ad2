/* bench/bench_suite.h: the algorithm suites ike_bench measures (-s), the
 * same for the in-process engines and the daemon.  See
 * docs/performance.md. */
#ifndef IKE_BENCH_SUITE_H
#define IKE_BENCH_SUITE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ike/cfg.h"

struct bench_suite {
	const char		*name;		/* -s NAME */
	const char		*title;		/* printed first */
	uint8_t			 version;	/* IKE_VERSION_1 or _2 */
	bool			 aggressive;	/* IKEv1 Aggressive Mode */
	struct ike_prop_cfg	 ike;
	uint16_t		 dh;
	struct child_prop_cfg	 esp;
	uint8_t			 auth;		/* enum cfg_auth: PSK, or
						 * certificates
						 * (bench_cert.h) */
	uint8_t			 peer_auth;	/* the AUTH method each end
						 * must have seen the other
						 * use (IKEV2_AUTH_*; IKEv1
						 * as core/exchange1 maps
						 * it: RSA 1, ECDSA 9); 0:
						 * not checked */
	/* ikedb XML attributes of the daemon's definitions */
	const char		*x_prot;	/* IKEProtection */
	const char		*x_ike;		/* IKETransform */
	const char		*x_esp;		/* IPSecESPProtocol */
	const char		*x_auth;	/* IKE_AuthenticationMethod */
};

/* The suite called name, or NULL. */
const struct bench_suite *bench_suite(const char *name);
/* The default suite (IKEv2, AES-GCM-16-256, Curve25519). */
const struct bench_suite *bench_suite_default(void);
/* The names of every suite, separated by '|', for the usage text. */
const char *bench_suite_names(void);
/* The suite's version, mode, authentication kind and algorithms into
 * cfg and ccfg (one proposal, one D-H group, an ESP tunnel); nothing
 * else is touched. */
void	bench_suite_apply(const struct bench_suite *, struct ike_cfg *cfg,
	    struct child_cfg *ccfg);

#endif
