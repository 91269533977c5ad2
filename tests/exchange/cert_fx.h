/* tests/exchange/cert_fx.h: the certificate fixture of the exchange
 * tests, IKEv2 (cert_duo.h) and IKEv1 (tests/exchange1/test_v1_cert.c).
 * A test CA made at run time (tests/crypto/test_cert_ca.c): a root
 * (RSA-2048), an intermediate (ECDSA P-256) under it, another root;
 * end-entity keys RSA-2048, RSA-3072, ECDSA P-256 and P-384.  A peer
 * sends its end entity and the intermediate and trusts the root only;
 * the engines' wall clock is the test CA's "now" (TCA_NOW).  Every
 * function fails the current cmocka test on error. */
#ifndef TESTS_EXCHANGE_CERT_FX_H
#define TESTS_EXCHANGE_CERT_FX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/base.h>

#include "core/crypto/cert.h"
#include "harness.h"
#include "test_cert_ca.h"

enum { K_RSA2048, K_RSA3072, K_P256, K_P384, NKEY };
#define SERIAL_REVOKED	66	/* listed by store_crl's CRL */

struct cert_fx {
	char			 dir[256];
	EVP_PKEY		*root_key, *inter_key, *other_key;
	X509			*root, *inter, *other_root;
	EVP_PKEY		*key[NKEY];
	struct cert_store	*store;		/* the root: ca.pem */
	struct cert_store	*store_crl;	/* + the intermediate's CRL */
};

extern struct cert_fx F;
/* The subjects of own_std("a", ...) and own_std("b", ...). */
extern const char *const subject_a, *const subject_b;

/* cmocka group setup and teardown: the CA, the keys, the stores. */
int	cert_fx_setup(void **state);
int	cert_fx_teardown(void **state);
/* buf = the path of name in the fixture's scratch directory. */
const char *cert_fx_path(const char *name, char *buf, size_t len);

/* What a peer's certificate says: CN <name>.example (cn holds it),
 * keyUsage digitalSignature; no subjectAltName. */
struct tca_opts ee_opts(const char *name, char *cn, size_t len,
	    uint64_t serial);
/* Credentials loaded from PEM files: an end entity for key made with o
 * by issuer (the intermediate when NULL), written with the issuer unless
 * that is a root.  Caller frees with cert_own_free(). */
struct cert_own *own_make(const char *tag, EVP_PKEY *key,
	    const struct tca_opts *o, X509 *issuer, EVP_PKEY *ikey);
/* The standard credentials of peer name (dNSName <name>.example). */
struct cert_own *own_std(const char *name, int k, uint64_t serial);
/* A harness peer signing with own (key k), no PSK, trusting store. */
struct peer *sig_peer(const char *name, int host, int other, int k,
	    const struct cert_own *own, const struct cert_store *store);

/* Two peers, a (initiator) and b, and their credentials (owned). */
struct duo {
	struct peer		*a, *b;
	struct cert_own		*oa, *ob;
};

/* a and b with credentials oa (key ka) and ob (key kb), now owned by
 * d; a trusts F.store, b store_b (none when NULL).  A peer without
 * credentials is a plain preshared-key one. */
void	duo_of(struct duo *d, int ka, struct cert_own *oa, int kb,
	    struct cert_own *ob, const struct cert_store *store_b);
void	duo_free(struct duo *d);
/* No SA, larval SA or policy in p's kernel. */
void	assert_kernel_empty(struct peer *p);

#endif
