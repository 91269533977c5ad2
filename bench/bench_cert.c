/* bench/bench_cert.c: see bench_cert.h. */
#include "bench_cert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/crypto/cert.h"

#define BC_DAY	86400

static const char *const bc_name[BC_N] = { "initiator", "responder" };

/* ------------------------------------------------------------- keys */

static EVP_PKEY *
key_rsa2048(void)
{
	EVP_PKEY *pk = EVP_PKEY_new();
	RSA *rsa = RSA_new();
	BIGNUM *e = BN_new();
	int ok;

	ok = pk != NULL && rsa != NULL && e != NULL &&
	    BN_set_word(e, RSA_F4) &&
	    RSA_generate_key_ex(rsa, 2048, e, NULL) &&
	    EVP_PKEY_assign_RSA(pk, rsa);
	BN_free(e);
	if (!ok) {
		RSA_free(rsa);
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

static EVP_PKEY *
key_p256(void)
{
	EVP_PKEY *pk = EVP_PKEY_new();
	EC_KEY *ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);

	if (pk == NULL || ec == NULL || !EC_KEY_generate_key(ec) ||
	    !EVP_PKEY_assign_EC_KEY(pk, ec)) {
		EC_KEY_free(ec);
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

static EVP_PKEY *
key_new(uint8_t auth)
{
	return auth == CFG_AUTH_RSA_SIG ? key_rsa2048() : key_p256();
}

/* ----------------------------------------------------- certificates */

/* C=US, O=Example Bench, CN=cn; caller frees with X509_NAME_free(). */
static X509_NAME *
name_new(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	if (n == NULL ||
	    !X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const uint8_t *)"US", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const uint8_t *)"Example Bench", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const uint8_t *)cn, -1, -1, 0)) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

static int
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* Serial, validity (a day ago to a year ahead) and subject. */
static int
cert_head(X509 *x, uint64_t serial, const char *cn, X509 *issuer)
{
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, time(NULL) - BC_DAY);
	X509_NAME *n = name_new(cn);
	int ok;

	ok = sn != NULL && t != NULL && n != NULL &&
	    X509_set_version(x, X509_VERSION_3) &&
	    ASN1_INTEGER_set_uint64(sn, serial) &&
	    X509_set_serialNumber(x, sn) && X509_set1_notBefore(x, t) &&
	    ASN1_TIME_set(t, time(NULL) + 365 * BC_DAY) != NULL &&
	    X509_set1_notAfter(x, t) && X509_set_subject_name(x, n) &&
	    X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n);
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(t);
	X509_NAME_free(n);
	return ok;
}

/* A CA certificate for key (issuer NULL: self-signed) or an end entity
 * issued by issuer.  Caller frees with X509_free(). */
static X509 *
cert_new(EVP_PKEY *key, const char *cn, uint64_t serial, X509 *issuer,
    EVP_PKEY *ikey)
{
	X509 *x = X509_new();
	int ok;

	ok = x != NULL && cert_head(x, serial, cn, issuer) &&
	    X509_set_pubkey(x, key);
	if (ok && issuer == NULL)
		ok = add_ext(x, NULL, NID_basic_constraints,
		    "critical,CA:TRUE") &&
		    add_ext(x, NULL, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	else if (ok)
		ok = add_ext(x, issuer, NID_key_usage,
		    "critical,digitalSignature");
	if (!ok || !X509_sign(x, issuer != NULL ? ikey : key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* -------------------------------------------------------- PEM files */

static FILE *
open_0600(const char *path)
{
	FILE *f = fopen(path, "wx");

	if (f != NULL && chmod(path, 0600) != 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

/* One certificate: the chain is CA -> end entity, and the peer has the
 * CA, so an end entity's file holds it alone. */
static int
write_cert(const char *path, X509 *x)
{
	FILE *f = open_0600(path);
	int ok;

	if (f == NULL)
		return -1;
	ok = PEM_write_X509(f, x);
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int
write_key(const char *path, EVP_PKEY *key)
{
	FILE *f = open_0600(path);
	int ok;

	if (f == NULL)
		return -1;
	ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* buf = dir/name.ext; dir may lie in the same struct as buf. */
static int
path_in(char *buf, const char *dir, const char *name, const char *ext)
{
	char p[BP_PATH];
	int n = snprintf(p, sizeof(p), "%s/%s%s", dir, name, ext);

	if (n < 0 || n >= BP_PATH)
		return -1;
	memcpy(buf, p, (size_t)n + 1);
	return 0;
}

/* ---------------------------------------------------------- loading */

/* Our own subject as an ID_DER_ASN1_DN identity, and as text. */
static int
subject_of(struct bench_cert *bc, enum bc_who w)
{
	const struct cert *c = cert_own_cert(bc->own[w], 0);
	uint8_t *der = NULL;
	size_t len = 0;

	if (c == NULL || cert_subject_der(c, &der, &len) != 0)
		return -1;
	if (len > sizeof(bc->dn[w].data)) {
		free(der);
		return -1;
	}
	bc->dn[w].type = 9;	/* ID_DER_ASN1_DN, IKEv1 and IKEv2 */
	bc->dn[w].len = len;
	memcpy(bc->dn[w].data, der, len);
	free(der);
	snprintf(bc->dn_str[w], sizeof(bc->dn_str[w]),
	    "C=US, O=Example Bench, CN=%s.bench.example", bc_name[w]);
	return 0;
}

static int
load(struct bench_cert *bc)
{
	char msg[CERT_MSG_LEN];
	int w;

	if (cert_store_new(&bc->store) != 0) {
		fprintf(stderr, "ike_bench: certificates: out of memory\n");
		return -1;
	}
	if (cert_store_add_ca(bc->store, bc->ca, msg) != 0) {
		fprintf(stderr, "ike_bench: %s\n", msg);
		return -1;
	}
	for (w = 0; w < BC_N; w++) {
		if (cert_own_load(bc->cert[w], bc->key[w], getuid(),
		    &bc->own[w], msg) != 0) {
			fprintf(stderr, "ike_bench: %s\n", msg);
			return -1;
		}
		if (subject_of(bc, (enum bc_who)w) != 0) {
			fprintf(stderr, "ike_bench: subject of %s: cannot "
			    "be read\n", bc->cert[w]);
			return -1;
		}
	}
	return 0;
}

/* ----------------------------------------------------------- making */

/* One end entity w issued by the CA, with a key of its own. */
static int
make_ee(struct bench_cert *bc, enum bc_who w, uint8_t auth, X509 *ca,
    EVP_PKEY *cakey)
{
	char cn[64];
	EVP_PKEY *key = key_new(auth);
	X509 *x = NULL;
	int rc = -1;

	snprintf(cn, sizeof(cn), "%s.bench.example", bc_name[w]);
	if (key != NULL &&
	    (x = cert_new(key, cn, 2 + (uint64_t)w, ca, cakey)) != NULL &&
	    path_in(bc->cert[w], bc->dir, bc_name[w], ".pem") == 0 &&
	    path_in(bc->key[w], bc->dir, bc_name[w], ".key") == 0 &&
	    write_cert(bc->cert[w], x) == 0 &&
	    write_key(bc->key[w], key) == 0)
		rc = 0;
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* A CA for each end entity: the same one, written to ca.pem, unless
 * rogue (the initiator's then comes from a CA nobody trusts). */
static int
make(struct bench_cert *bc, uint8_t auth, bool rogue)
{
	EVP_PKEY *cakey = key_new(auth), *rkey = NULL;
	X509 *ca = NULL, *rca = NULL;
	int rc = -1;

	if (cakey == NULL ||
	    (ca = cert_new(cakey, "Bench CA", 1, NULL, NULL)) == NULL)
		goto out;
	if (rogue && ((rkey = key_new(auth)) == NULL ||
	    (rca = cert_new(rkey, "Rogue CA", 1, NULL, NULL)) == NULL))
		goto out;
	if (path_in(bc->ca, bc->dir, "ca", ".pem") == 0 &&
	    write_cert(bc->ca, ca) == 0 &&
	    make_ee(bc, BC_INI, auth, rogue ? rca : ca,
	    rogue ? rkey : cakey) == 0 &&
	    make_ee(bc, BC_RESP, auth, ca, cakey) == 0)
		rc = 0;
out:
	X509_free(ca);
	X509_free(rca);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(rkey);
	return rc;
}

int
bench_cert_new(uint8_t auth, bool rogue, struct bench_cert **out)
{
	struct bench_cert *bc;

	if (auth != CFG_AUTH_RSA_SIG && auth != CFG_AUTH_ECDSA_SIG)
		return -1;
	if ((bc = calloc(1, sizeof(*bc))) == NULL)
		return -1;
	if (bp_scratch(bc->dir, sizeof(bc->dir)) != 0) {
		fprintf(stderr, "ike_bench: scratch directory: %s\n",
		    strerror(errno));
		bc->dir[0] = '\0';
		bench_cert_free(bc, 0);
		return -1;
	}
	if (make(bc, auth, rogue) != 0) {
		fprintf(stderr, "ike_bench: cannot make the certificates "
		    "in %s\n", bc->dir);
		bench_cert_free(bc, 0);
		return -1;
	}
	if (load(bc) != 0) {
		bench_cert_free(bc, 0);
		return -1;
	}
	*out = bc;
	return 0;
}

void
bench_cert_free(struct bench_cert *bc, int keep)
{
	int w;

	if (bc == NULL)
		return;
	cert_store_free(bc->store);
	for (w = 0; w < BC_N; w++)
		cert_own_free(bc->own[w]);
	if (bc->dir[0] != '\0' && !keep)
		bp_rmtree(bc->dir);
	free(bc);
}
