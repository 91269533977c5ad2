/* core/crypto/cert_store.c: the trusted CAs and CRLs, read from PEM
 * files, and the validation of a peer's chain against them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert_int.h"
#include "core/err.h"
#include "core/secmem.h"

#define DIR_MAX_FILES	1024

struct cert_store {
	X509_STORE	 *st;		/* owned: CAs and CRLs */
	struct cert	**ca;		/* owned: the CAs, in order added */
	size_t		  nca;
	size_t		  ncrl;
};

/* ---- files ---- */

static int
read_all(int fd, const char *path, uint8_t *buf, size_t size,
    char msg[CERT_MSG_LEN])
{
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cert_msg(msg, "%s: %s", path, n < 0 ?
			    strerror(errno) : "changed while read");
			return IKE_ESYS;
		}
		got += (size_t)n;
	}
	return 0;
}

int
cert_read_fd(int fd, const char *path, uint8_t **buf, size_t *len,
    char msg[CERT_MSG_LEN])
{
	struct stat st;
	uint8_t *b;
	size_t size;
	int rc;

	if (fstat(fd, &st) != 0) {
		cert_msg(msg, "%s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	if (!S_ISREG(st.st_mode)) {
		cert_msg(msg, "%s: not a regular file", path);
		return IKE_ESYS;
	}
	if (st.st_size > (off_t)CERT_FILE_MAX) {
		cert_msg(msg, "%s: larger than %u bytes", path, CERT_FILE_MAX);
		return IKE_ENOSPC;
	}
	size = (size_t)st.st_size;
	if ((b = malloc(size + 1)) == NULL)
		return IKE_ENOMEM;
	if ((rc = read_all(fd, path, b, size, msg)) != 0) {
		secmem_wipe(b, size);	/* may be part of a private key */
		free(b);
		return rc;
	}
	b[size] = '\0';
	*buf = b;
	*len = size;
	return 0;
}

int
cert_read_file(const char *path, uint8_t **buf, size_t *len,
    char msg[CERT_MSG_LEN])
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cert_msg(msg, "%s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	rc = cert_read_fd(fd, path, buf, len, msg);
	(void)close(fd);	/* read only: nothing to lose */
	return rc;
}

/* True when the error queue ends with "no more PEM blocks". */
static bool
pem_at_end(void)
{
	uint32_t e = ERR_peek_last_error();
	bool end = ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE;

	ERR_clear_error();
	return end;
}

int
cert_pem_certs(const uint8_t *buf, size_t len, const char *path,
    STACK_OF(X509) **out, char msg[CERT_MSG_LEN])
{
	STACK_OF(X509) *sk;
	BIO *b;
	X509 *x;
	bool end;

	if ((sk = sk_X509_new_null()) == NULL)
		return IKE_ENOMEM;
	if ((b = BIO_new_mem_buf(buf, len)) == NULL) {
		sk_X509_free(sk);
		return IKE_ENOMEM;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	}
	BIO_free(b);
	end = pem_at_end();
	if (!end || x != NULL || sk_X509_num(sk) == 0) {
		cert_msg(msg, "%s: %s", path, end ? "no PEM certificate" :
		    "malformed PEM certificate");
		sk_X509_pop_free(sk, X509_free);
		return IKE_EMALFORMED;
	}
	*out = sk;
	return 0;
}

int
cert_file_certs(const char *path, STACK_OF(X509) **out,
    char msg[CERT_MSG_LEN])
{
	uint8_t *buf;
	size_t len;
	int rc;

	if ((rc = cert_read_file(path, &buf, &len, msg)) != 0)
		return rc;
	rc = cert_pem_certs(buf, len, path, out, msg);
	free(buf);
	return rc;
}

/* ---- the store ---- */

int
cert_store_new(struct cert_store **out)
{
	struct cert_store *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return IKE_ENOMEM;
	if ((s->st = X509_STORE_new()) == NULL) {
		free(s);
		return IKE_ENOMEM;
	}
	*out = s;
	return 0;
}

void
cert_store_free(struct cert_store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nca; i++)
		cert_free(s->ca[i]);
	free(s->ca);
	X509_STORE_free(s->st);
	free(s);
}

size_t
cert_store_nca(const struct cert_store *s)
{
	return s->nca;
}

const struct cert *
cert_store_ca(const struct cert_store *s, size_t i)
{
	return i < s->nca ? s->ca[i] : NULL;
}

static bool
store_has(const struct cert_store *s, X509 *x)
{
	size_t i;

	for (i = 0; i < s->nca; i++) {
		if (X509_cmp(s->ca[i]->x, x) == 0)
			return true;
	}
	return false;
}

/* Every certificate of sk must be a CA; checked before any is added. */
static int
check_cas(STACK_OF(X509) *sk, const char *path, char msg[CERT_MSG_LEN])
{
	size_t i;
	X509 *x;

	for (i = 0; i < sk_X509_num(sk); i++) {
		x = sk_X509_value(sk, i);
		if (X509_check_ca(x) != 1) {
			cert_msg(msg, "%s: certificate %zu is not a CA (no "
			    "basicConstraints cA)", path, i + 1);
			return IKE_EINVAL;
		}
	}
	return 0;
}

static int
add_cas(struct cert_store *s, STACK_OF(X509) *sk)
{
	struct cert **ca, *c;
	size_t i;
	X509 *x;
	int rc;

	ca = realloc(s->ca, (s->nca + sk_X509_num(sk)) * sizeof(*ca));
	if (ca == NULL)
		return IKE_ENOMEM;
	s->ca = ca;
	for (i = 0; i < sk_X509_num(sk); i++) {
		x = sk_X509_value(sk, i);
		if (store_has(s, x))
			continue;
		if ((rc = cert_from_x509(x, &c)) != 0)
			return rc;
		if (!X509_STORE_add_cert(s->st, x)) {
			cert_free(c);
			ERR_clear_error();
			return IKE_ENOMEM;
		}
		s->ca[s->nca++] = c;
	}
	return 0;
}

static int
add_ca_file(struct cert_store *s, const char *path, char msg[CERT_MSG_LEN])
{
	STACK_OF(X509) *sk = NULL;
	int rc;

	if ((rc = cert_file_certs(path, &sk, msg)) != 0)
		return rc;
	if ((rc = check_cas(sk, path, msg)) == 0 &&
	    (rc = add_cas(s, sk)) != 0)
		cert_msg(msg, "%s: %s", path, ike_strerror(rc));
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

static int
pem_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".pem") == 0;
}

/* Every *.pem of a directory; a failure names the file. */
static int
add_ca_dir(struct cert_store *s, const char *dir, char msg[CERT_MSG_LEN])
{
	struct dirent **names;
	char path[4096];
	int i, n, rc = 0;

	if ((n = scandir(dir, &names, pem_name, alphasort)) < 0) {
		cert_msg(msg, "%s: %s", dir, strerror(errno));
		return IKE_ESYS;
	}
	if (n == 0 || n > DIR_MAX_FILES) {
		cert_msg(msg, "%s: %s", dir, n == 0 ? "no *.pem file" :
		    "too many *.pem files");
		rc = n == 0 ? IKE_ENOTFOUND : IKE_ENOSPC;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= (int)sizeof(path)) {
			cert_msg(msg, "%s: path too long", dir);
			rc = IKE_EINVAL;
		}
		if (rc == 0)
			rc = add_ca_file(s, path, msg);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
cert_store_add_ca(struct cert_store *s, const char *path,
    char msg[CERT_MSG_LEN])
{
	struct stat st;

	msg[0] = '\0';
	if (stat(path, &st) != 0) {
		cert_msg(msg, "%s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	if (S_ISDIR(st.st_mode))
		return add_ca_dir(s, path, msg);
	return add_ca_file(s, path, msg);
}

/* ---- CRLs ---- */

static int
pem_crls(const uint8_t *buf, size_t len, const char *path,
    STACK_OF(X509_CRL) **out, char msg[CERT_MSG_LEN])
{
	STACK_OF(X509_CRL) *sk;
	X509_CRL *crl;
	BIO *b;
	bool end;

	if ((sk = sk_X509_CRL_new_null()) == NULL)
		return IKE_ENOMEM;
	if ((b = BIO_new_mem_buf(buf, len)) == NULL) {
		sk_X509_CRL_free(sk);
		return IKE_ENOMEM;
	}
	while ((crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_CRL_push(sk, crl)) {
			X509_CRL_free(crl);
			break;
		}
	}
	BIO_free(b);
	end = pem_at_end();
	if (!end || crl != NULL || sk_X509_CRL_num(sk) == 0) {
		cert_msg(msg, "%s: %s", path, end ? "no PEM CRL" :
		    "malformed PEM CRL");
		sk_X509_CRL_pop_free(sk, X509_CRL_free);
		return IKE_EMALFORMED;
	}
	*out = sk;
	return 0;
}

int
cert_store_add_crl(struct cert_store *s, const char *path,
    char msg[CERT_MSG_LEN])
{
	STACK_OF(X509_CRL) *sk = NULL;
	uint8_t *buf;
	size_t i, len;
	int rc;

	msg[0] = '\0';
	if ((rc = cert_read_file(path, &buf, &len, msg)) != 0)
		return rc;
	rc = pem_crls(buf, len, path, &sk, msg);
	free(buf);
	for (i = 0; rc == 0 && i < sk_X509_CRL_num(sk); i++) {
		if (!X509_STORE_add_crl(s->st, sk_X509_CRL_value(sk, i))) {
			ERR_clear_error();
			cert_msg(msg, "%s: CRL %zu not added", path, i + 1);
			rc = IKE_ENOMEM;
		} else
			s->ncrl++;
	}
	sk_X509_CRL_pop_free(sk, X509_CRL_free);
	return rc;
}

int
cert_store_certreq(const struct cert_store *s, uint8_t **out, size_t *len)
{
	uint8_t *b;
	size_t i;
	int rc;

	if (s->nca == 0) {
		*out = NULL;
		*len = 0;
		return 0;
	}
	if ((b = malloc(s->nca * CERT_KEYHASH_LEN)) == NULL)
		return IKE_ENOMEM;
	for (i = 0; i < s->nca; i++) {
		rc = cert_keyhash(s->ca[i], b + i * CERT_KEYHASH_LEN);
		if (rc != 0) {
			free(b);
			return rc;
		}
	}
	*out = b;
	*len = s->nca * CERT_KEYHASH_LEN;
	return 0;
}

/* ---- chain validation ---- */

/* A CA without a CRL is not checked for revocation; one with a CRL is
 * (X509_V_FLAG_CRL_CHECK_ALL finds it, or reports it missing). */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (!ok && X509_STORE_CTX_get_error(ctx) ==
	    X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

static enum cert_reason
x509_reason(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return CERT_R_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return CERT_R_NOT_YET_VALID;
	case X509_V_ERR_CERT_REVOKED:
		return CERT_R_REVOKED;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return CERT_R_UNKNOWN_CA;
	case X509_V_ERR_INVALID_CA:
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		return CERT_R_NOT_CA;
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		return CERT_R_BAD_CERT_SIG;
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		return CERT_R_CRL_STALE;
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
		return CERT_R_CRL_BAD;
	}
	return CERT_R_CHAIN;
}

/* Parses the blobs: [0] into *ee, the rest into *untrusted. */
static int
parse_chain(const struct cert_blob *chain, size_t n, struct cert **ee,
    STACK_OF(X509) **untrusted)
{
	STACK_OF(X509) *sk;
	struct cert *c;
	size_t i;
	int rc;

	if ((rc = cert_parse(chain[0].der, chain[0].len, ee)) != 0)
		return rc;
	if ((sk = sk_X509_new_null()) == NULL) {
		cert_free(*ee);
		return IKE_ENOMEM;
	}
	for (i = 1; i < n; i++) {
		if ((rc = cert_parse(chain[i].der, chain[i].len, &c)) != 0)
			break;
		if (!sk_X509_push(sk, c->x)) {
			cert_free(c);
			rc = IKE_ENOMEM;
			break;
		}
		c->x = NULL;	/* the stack owns the reference now */
		cert_free(c);
	}
	if (rc != 0) {
		sk_X509_pop_free(sk, X509_free);
		cert_free(*ee);
		return rc;
	}
	*untrusted = sk;
	return 0;
}

static int
run_verify(const struct cert_store *s, X509 *leaf, STACK_OF(X509) *chain,
    time_t now, enum cert_reason *why)
{
	X509_STORE_CTX *ctx;
	int ok;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return IKE_ENOMEM;
	if (!X509_STORE_CTX_init(ctx, s->st, leaf, chain)) {
		X509_STORE_CTX_free(ctx);
		return IKE_ENOMEM;
	}
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
	    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL |
	    X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_CTX_set_time(ctx, 0, now);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	ok = X509_verify_cert(ctx);
	*why = ok == 1 ? CERT_R_OK :
	    x509_reason(X509_STORE_CTX_get_error(ctx));
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ok == 1 ? 0 : IKE_EINVAL;
}

/* keyUsage, when present, must allow digitalSignature. */
static int
check_key_usage(X509 *x, enum cert_reason *why)
{
	uint32_t ku = X509_get_key_usage(x);

	if ((X509_get_extension_flags(x) & EXFLAG_INVALID) != 0) {
		*why = CERT_R_MALFORMED;
		return IKE_EMALFORMED;
	}
	if (ku != UINT32_MAX && (ku & KU_DIGITAL_SIGNATURE) == 0) {
		*why = CERT_R_KEY_USAGE;
		return IKE_EINVAL;
	}
	return 0;
}

int
cert_store_verify(const struct cert_store *s, const struct cert_blob *chain,
    size_t n, time_t now, struct cert **ee, enum cert_reason *why)
{
	STACK_OF(X509) *untrusted = NULL;
	struct cert *leaf = NULL;
	int rc;

	if (n == 0 || n > CERT_CHAIN_MAX) {
		*why = n == 0 ? CERT_R_MALFORMED : CERT_R_TOO_LARGE;
		return IKE_EINVAL;
	}
	if ((rc = parse_chain(chain, n, &leaf, &untrusted)) != 0) {
		*why = rc == IKE_EUNSUPP ? CERT_R_KEY_TYPE : CERT_R_MALFORMED;
		return rc;
	}
	rc = run_verify(s, leaf->x, untrusted, now, why);
	if (rc == 0)
		rc = check_key_usage(leaf->x, why);
	sk_X509_pop_free(untrusted, X509_free);
	if (rc != 0) {
		cert_free(leaf);
		return rc;
	}
	*ee = leaf;
	return 0;
}
