/* tests/exchange/cert_fx.c: see cert_fx.h. */
#include "cert_fx.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/x509.h>

#include "core/crypto/cert.h"
#include "tests/lib/testutil.h"

struct cert_fx F;

static time_t
test_clock(void *arg)
{
	(void)arg;
	return TCA_NOW;
}

/* ------------------------------------------------------------ fixture */

const char *
cert_fx_path(const char *name, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/%s", F.dir, name);
	return buf;
}

static struct cert_store *
store_new(X509 *ca, X509_CRL *crl)
{
	char p[400], msg[CERT_MSG_LEN];
	struct cert_store *s;

	tca_write_certs(cert_fx_path("ca.pem", p, sizeof(p)), &ca, 1);
	assert_int_equal(cert_store_new(&s), 0);
	if (cert_store_add_ca(s, p, msg) != 0)
		fail_msg("%s", msg);
	if (crl != NULL) {
		tca_write_crl(cert_fx_path("ca.crl", p, sizeof(p)), crl);
		if (cert_store_add_crl(s, p, msg) != 0)
			fail_msg("%s", msg);
	}
	return s;
}

int
cert_fx_setup(void **state)
{
	uint64_t revoked = SERIAL_REVOKED;
	X509_CRL *crl;

	(void)state;
	if (tu_mkdtemp(F.dir, sizeof(F.dir), "xcert") != 0)
		return -1;
	F.root_key = tca_rsa(2048);
	F.inter_key = tca_ec(NID_X9_62_prime256v1);
	F.other_key = tca_ec(NID_X9_62_prime256v1);
	F.root = tca_ca(F.root_key, NULL, NULL, "Test Root", 1);
	F.inter = tca_ca(F.inter_key, F.root, F.root_key, "Test Sub", 2);
	F.other_root = tca_ca(F.other_key, NULL, NULL, "Other Root", 1);
	F.key[K_RSA2048] = tca_rsa(2048);
	F.key[K_RSA3072] = tca_rsa(3072);
	F.key[K_P256] = tca_ec(NID_X9_62_prime256v1);
	F.key[K_P384] = tca_ec(NID_secp384r1);
	F.store = store_new(F.root, NULL);
	crl = tca_crl(F.inter, F.inter_key, &revoked, 1, TCA_NOW - TCA_DAY,
	    TCA_NOW + 7 * TCA_DAY);
	F.store_crl = store_new(F.root, crl);
	X509_CRL_free(crl);
	return 0;
}

int
cert_fx_teardown(void **state)
{
	size_t i;

	(void)state;
	cert_store_free(F.store);
	cert_store_free(F.store_crl);
	X509_free(F.root);
	X509_free(F.inter);
	X509_free(F.other_root);
	EVP_PKEY_free(F.root_key);
	EVP_PKEY_free(F.inter_key);
	EVP_PKEY_free(F.other_key);
	for (i = 0; i < NKEY; i++)
		EVP_PKEY_free(F.key[i]);
	return tu_rmrf(F.dir);
}

/* ------------------------------------------------------- credentials */

/* What a peer's certificate says: CN and dNSName <name>.example,
 * keyUsage digitalSignature, issued by the intermediate. */
struct tca_opts
ee_opts(const char *name, char *cn, size_t len, uint64_t serial)
{
	struct tca_opts o = { .ku = "critical,digitalSignature",
	    .serial = serial };

	(void)snprintf(cn, len, "%s.example", name);
	o.cn = cn;
	return o;
}

/* Loads credentials from PEM files: an end entity for key made with o
 * by issuer (the intermediate unless given), written together with the
 * issuer when that is not a root. */
struct cert_own *
own_make(const char *tag, EVP_PKEY *key, const struct tca_opts *o,
    X509 *issuer, EVP_PKEY *ikey)
{
	char cp[400], kp[400], name[64], msg[CERT_MSG_LEN];
	struct cert_own *own = NULL;
	X509 *chain[2];

	if (issuer == NULL) {
		issuer = F.inter;
		ikey = F.inter_key;
	}
	chain[0] = tca_cert(key, issuer, ikey, o);
	chain[1] = issuer;
	(void)snprintf(name, sizeof(name), "%s.pem", tag);
	tca_write_certs(cert_fx_path(name, cp, sizeof(cp)), chain,
	    issuer == F.inter ? 2 : 1);
	(void)snprintf(name, sizeof(name), "%s.key", tag);
	tca_write_key(cert_fx_path(name, kp, sizeof(kp)), key);
	if (cert_own_load(cp, kp, getuid(), &own, msg) != 0)
		fail_msg("%s", msg);
	X509_free(chain[0]);
	return own;
}

/* The standard credentials of peer name with key k. */
struct cert_own *
own_std(const char *name, int k, uint64_t serial)
{
	char cn[64], san[80];
	struct tca_opts o = ee_opts(name, cn, sizeof(cn), serial);

	(void)snprintf(san, sizeof(san), "DNS:%s", cn);
	o.san = san;
	return own_make(name, F.key[k], &o, NULL, NULL);
}

static uint8_t
auth_of(int k)
{
	return k == K_RSA2048 || k == K_RSA3072 ? CFG_AUTH_RSA_SIG :
	    CFG_AUTH_ECDSA_SIG;
}

/* A harness peer authenticating with own (key k), trusting store. */
struct peer *
sig_peer(const char *name, int host, int other, int k,
    const struct cert_own *own, const struct cert_store *store)
{
	struct engine_limits lim = { .wall_clock = test_clock };
	struct peer *p = peer_new_lim(name, host, other, &lim);

	p->cfg.auth = auth_of(k);
	memset(p->cfg.psk, 0, sizeof(p->cfg.psk));
	p->cfg.psk_len = 0;	/* not needed for signatures */
	assert_int_equal(engine_set_certs(p->eng, own, store), 0);
	return p;
}


void
duo_of(struct duo *d, int ka, struct cert_own *oa, int kb,
    struct cert_own *ob, const struct cert_store *store_b)
{
	d->oa = oa;
	d->ob = ob;
	d->a = oa != NULL ? sig_peer("a", 1, 2, ka, oa, F.store) :
	    peer_new("a", 1, 2);
	d->b = ob != NULL ? sig_peer("b", 2, 1, kb, ob, store_b) :
	    peer_new("b", 2, 1);
}

void
duo_free(struct duo *d)
{
	peers_free(d->a, d->b);
	cert_own_free(d->oa);
	cert_own_free(d->ob);
}

void
assert_kernel_empty(struct peer *p)
{
	assert_int_equal(mem_sa_count(p->plat), 0);
	assert_int_equal(mem_larval_count(p->plat), 0);
	assert_int_equal(mem_policy_count(p->plat), 0);
}

const char *const subject_b = "CN=b.example,O=Example Corp,C=US";
const char *const subject_a = "CN=a.example,O=Example Corp,C=US";

