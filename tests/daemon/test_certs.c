/* tests/daemon/test_certs.c: the daemon's certificate files
 * (core/daemon/certs.h) with a test CA made at run time (BoringSSL,
 * tests/crypto/test_cert_ca.h): what is loaded for which keys, every
 * refusal with its message, the checks before a signature tunnel
 * starts, and the subject DN in the definitions' order. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/x509.h>

#include "core/conf.h"
#include "core/crypto/cert.h"
#include "core/daemon/certs.h"
#include "core/err.h"
#include "core/ike/cfg.h"
#include "test_cert_ca.h"
#include "tests/lib/testutil.h"

struct fx {
	char	dir[PATH_MAX];
};

static char *
fpath(const struct fx *f, const char *name)
{
	static char p[4][PATH_MAX + 32];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", f->dir, name);
	return p[i];
}

/* ca.pem, gw.pem + gw.key (EC P-256, CN=gw), rsa.pem + rsa.key, and
 * an empty CRL of the CA in ca.crl. */
static int
setup(void **st)
{
	static struct fx f;
	struct tca_opts o = { .cn = "Test CA", .ca = true,
	    .ku = "keyCertSign,cRLSign" };
	EVP_PKEY *ck = tca_ec(NID_X9_62_prime256v1), *k;
	X509 *ca, *x;
	X509_CRL *crl;

	assert_int_equal(tu_mkdtemp(f.dir, sizeof(f.dir), "certs"), 0);
	ca = tca_cert(ck, NULL, NULL, &o);
	tca_write_certs(fpath(&f, "ca.pem"), &ca, 1);
	crl = tca_crl(ca, ck, NULL, 0, TCA_NOW - TCA_DAY,
	    TCA_NOW + 30 * TCA_DAY);
	tca_write_crl(fpath(&f, "ca.crl"), crl);
	X509_CRL_free(crl);
	o = (struct tca_opts){ .cn = "gw", .ku = "digitalSignature" };
	k = tca_ec(NID_X9_62_prime256v1);
	x = tca_cert(k, ca, ck, &o);
	tca_write_certs(fpath(&f, "gw.pem"), &x, 1);
	tca_write_key(fpath(&f, "gw.key"), k);
	X509_free(x);
	EVP_PKEY_free(k);
	k = tca_rsa(2048);
	x = tca_cert(k, ca, ck, &o);
	tca_write_certs(fpath(&f, "rsa.pem"), &x, 1);
	tca_write_key(fpath(&f, "rsa.key"), k);
	X509_free(x);
	EVP_PKEY_free(k);
	X509_free(ca);
	EVP_PKEY_free(ck);
	*st = &f;
	return 0;
}

static int
teardown(void **st)
{
	struct fx *f = *st;

	tu_rmrf(f->dir);
	return 0;
}

static void
conf(struct ike_conf *c, const char *cert, const char *key,
    const char *ca, const char *crl)
{
	conf_defaults(c);
	snprintf(c->cert_file, sizeof(c->cert_file), "%s", cert);
	snprintf(c->key_file, sizeof(c->key_file), "%s", key);
	snprintf(c->ca_certs, sizeof(c->ca_certs), "%s", ca);
	snprintf(c->crl_files, sizeof(c->crl_files), "%s", crl);
}

static void
test_load(void **st)
{
	struct fx *f = *st;
	struct ike_conf c;
	struct dcerts d = { NULL, NULL };
	char msg[DCERTS_MSG_LEN], warn[DCERTS_MSG_LEN], line[512];

	/* Nothing configured: nothing loaded, no message. */
	conf(&c, "", "", "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn), 0);
	assert_null(d.own);
	assert_null(d.store);
	assert_string_equal(warn, "");
	/* Everything. */
	conf(&c, fpath(f, "gw.pem"), fpath(f, "gw.key"), fpath(f, "ca.pem"),
	    fpath(f, "ca.crl"));
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn), 0);
	assert_non_null(d.own);
	assert_non_null(d.store);
	assert_string_equal(warn, "");
	dcerts_describe(&d, &c, line, sizeof(line));
	assert_string_equal(line, "certificate C=US, O=Example Corp, CN=gw, "
	    "key EC P-256, 1 CA certificate, 1 CRL file");
	dcerts_free(&d);
	assert_null(d.own);
	/* A certificate without CAs loads, with a warning. */
	conf(&c, fpath(f, "rsa.pem"), fpath(f, "rsa.key"), "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn), 0);
	assert_non_null(strstr(warn, "every peer's certificate will be "
	    "refused (unknown CA)"));
	dcerts_describe(&d, &c, line, sizeof(line));
	assert_non_null(strstr(line, "key RSA, 0 CA certificates, 0 CRL "
	    "files"));
	dcerts_free(&d);
	/* CAs alone (a list of two files, the same CA twice). */
	snprintf(line, sizeof(line), "%s,%s", fpath(f, "ca.pem"),
	    fpath(f, "ca.pem"));
	conf(&c, "", "", line, "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn), 0);
	assert_null(d.own);
	assert_int_equal(cert_store_nca(d.store), 1);
	dcerts_free(&d);
}

/* Each refusal names the key and the file; *out is left alone. */
static void
test_refusals(void **st)
{
	struct fx *f = *st;
	struct ike_conf c;
	struct dcerts d = { (struct cert_own *)&d, NULL };
	char msg[DCERTS_MSG_LEN], warn[DCERTS_MSG_LEN], want[PATH_MAX + 64];

	conf(&c, fpath(f, "gw.pem"), "", "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	assert_string_equal(msg, "CERTIFICATE_FILE is set but "
	    "PRIVATE_KEY_FILE is not: a certificate needs its private key");
	conf(&c, "", fpath(f, "gw.key"), "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "PRIVATE_KEY_FILE is set but "
	    "CERTIFICATE_FILE is not"));
	conf(&c, "", "", "", fpath(f, "ca.crl"));
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "CRL_FILES is set but CA_CERTIFICATES "
	    "is not"));
	/* The key of mode 0644. */
	assert_int_equal(chmod(fpath(f, "gw.key"), 0644), 0);
	conf(&c, fpath(f, "gw.pem"), fpath(f, "gw.key"), fpath(f, "ca.pem"),
	    "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	snprintf(want, sizeof(want), "private key %s has mode 0644: must be "
	    "0600", fpath(f, "gw.key"));
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "PRIVATE_KEY_FILE"));
	assert_int_equal(chmod(fpath(f, "gw.key"), 0600), 0);
	/* Another owner than the daemon's. */
	assert_int_equal(dcerts_load(&c, getuid() + 1, &d, msg, warn),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "is owned by uid"));
	/* The key of another certificate. */
	conf(&c, fpath(f, "gw.pem"), fpath(f, "rsa.key"), "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "does not belong"));
	/* A missing CA file: IKE_ESYS (the daemon exits 2). */
	conf(&c, "", "", fpath(f, "nope.pem"), "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_ESYS);
	assert_non_null(strstr(msg, "CA_CERTIFICATES: "));
	assert_non_null(strstr(msg, fpath(f, "nope.pem")));
	/* Garbage as a CRL, after a good CA. */
	assert_int_equal(tu_write_file(fpath(f, "bad.crl"), "no PEM\n"), 0);
	conf(&c, "", "", fpath(f, "ca.pem"), fpath(f, "bad.crl"));
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EMALFORMED);
	assert_non_null(strstr(msg, "CRL_FILES: "));
	/* An end-entity certificate as a CA. */
	conf(&c, "", "", fpath(f, "gw.pem"), "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn),
	    IKE_EINVAL);
	assert_non_null(strstr(msg, "CA_CERTIFICATES: "));
	assert_ptr_equal(d.own, (struct cert_own *)&d);	/* untouched */
}

static void
test_usable(void **st)
{
	struct fx *f = *st;
	struct ike_conf c;
	struct dcerts d = { NULL, NULL };
	char msg[DCERTS_MSG_LEN], warn[DCERTS_MSG_LEN], why[256];

	assert_int_equal(dcerts_usable(&d, CFG_AUTH_PSK, why, sizeof(why)),
	    0);
	assert_int_equal(dcerts_usable(&d, CFG_AUTH_ECDSA_SIG, why,
	    sizeof(why)), IKE_EINVAL);
	assert_string_equal(why, "it authenticates with ECDSA_Signature, but "
	    "isakmpd has no certificate (set CERTIFICATE_FILE and "
	    "PRIVATE_KEY_FILE in isakmpd.conf)");
	conf(&c, fpath(f, "gw.pem"), fpath(f, "gw.key"), "", "");
	assert_int_equal(dcerts_load(&c, getuid(), &d, msg, warn), 0);
	assert_int_equal(dcerts_usable(&d, CFG_AUTH_ECDSA_SIG, why,
	    sizeof(why)), 0);
	assert_int_equal(dcerts_usable(&d, CFG_AUTH_RSA_SIG, why,
	    sizeof(why)), IKE_EINVAL);
	assert_string_equal(why, "it authenticates with RSA_Signature, but "
	    "the certificate of CERTIFICATE_FILE has an EC P-256 key");
	dcerts_free(&d);
	assert_string_equal(dcerts_auth_name(CFG_AUTH_PSK), "Preshared_Key");
	assert_string_equal(dcerts_auth_name(CFG_AUTH_RSA_SIG),
	    "RSA_Signature");
	assert_string_equal(dcerts_auth_name(CFG_AUTH_ECDSA_SIG),
	    "ECDSA_Signature");
}

static void
test_subject_order(void **st)
{
	char out[64];

	(void)st;
	dcerts_subject_order("CN=gw,O=Example,C=US", out, sizeof(out));
	assert_string_equal(out, "C=US, O=Example, CN=gw");
	dcerts_subject_order("CN=gw", out, sizeof(out));
	assert_string_equal(out, "CN=gw");
	dcerts_subject_order("", out, sizeof(out));
	assert_string_equal(out, "");
	/* An escaped ',' stays inside its value. */
	dcerts_subject_order("CN=a\\, b,O=X", out, sizeof(out));
	assert_string_equal(out, "O=X, CN=a\\, b");
	/* Cut to fit, NUL-ended. */
	dcerts_subject_order("CN=gw,O=Example,C=US", out, 8);
	assert_string_equal(out, "C=US, O");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_subject_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
