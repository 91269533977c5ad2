/* bench/bench_cert.h: the certificates of the signature suites, made at
 * bench start with BoringSSL: a CA (self-signed, key of the suite's
 * type) and two end entities it issued, "initiator" and "responder"
 * (subject C=US, O=Example Bench, CN=<name>.bench.example; keyUsage
 * digitalSignature; valid from a day ago for a year), with their keys,
 * written as PEM files (mode 0600) into a scratch directory and loaded
 * back through core/crypto/cert.h as the daemon loads them.  See
 * docs/performance.md. */
#ifndef IKE_BENCH_CERT_H
#define IKE_BENCH_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_proc.h"
#include "core/ike/cfg.h"

enum bc_who { BC_INI, BC_RESP, BC_N };

struct bench_cert {
	char			 dir[BP_PATH];	/* scratch, removed by
						 * bench_cert_free() */
	char			 ca[BP_PATH];	/* ca.pem */
	char			 cert[BC_N][BP_PATH];	/* <name>.pem */
	char			 key[BC_N][BP_PATH];	/* <name>.key */
	struct cert_store	*store;		/* owned: the CA */
	struct cert_own		*own[BC_N];	/* owned */
	struct ike_id		 dn[BC_N];	/* subjects, ID_DER_ASN1_DN */
	char			 dn_str[BC_N][160];	/* the same, as text */
};

/* Makes the CA and both end entities with keys for auth
 * (CFG_AUTH_RSA_SIG: RSA-2048, CFG_AUTH_ECDSA_SIG: ECDSA P-256), and
 * loads them.  rogue: the initiator's certificate comes from another
 * CA, which is in no store (ike_bench -x: every handshake must fail).
 * 0, or -1 with the problem on stderr.  Caller frees with
 * bench_cert_free(). */
int	bench_cert_new(uint8_t auth, bool rogue, struct bench_cert **out);
/* Removes the scratch directory unless keep; NULL is fine. */
void	bench_cert_free(struct bench_cert *, int keep);

#endif
