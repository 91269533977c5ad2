/* core/crypto/cert_own.c: our certificate chain and private key.  The
 * key file is checked on the opened descriptor (no race between the check
 * and the read): a regular file, owned by the daemon's user, mode 0600 or
 * stricter.  Its text is wiped once parsed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert_int.h"
#include "core/err.h"
#include "core/secmem.h"

void
cert_own_free(struct cert_own *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++)
		cert_free(o->chain[i]);
	free(o->chain);
	/* BoringSSL's OPENSSL_free wipes what it frees, the key included */
	EVP_PKEY_free(o->key);
	free(o);
}

const struct cert *
cert_own_cert(const struct cert_own *o, size_t i)
{
	return i < o->n ? o->chain[i] : NULL;
}

size_t
cert_own_ncert(const struct cert_own *o)
{
	return o->n;
}

static int
key_file_ok(int fd, const char *path, uid_t uid, char msg[CERT_MSG_LEN])
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		cert_msg(msg, "private key %s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	if (!S_ISREG(st.st_mode)) {
		cert_msg(msg, "private key %s is not a regular file", path);
		return IKE_EINVAL;
	}
	if (st.st_uid != uid) {
		cert_msg(msg, "private key %s is owned by uid %lu: must be "
		    "owned by uid %lu", path, (unsigned long)st.st_uid,
		    (unsigned long)uid);
		return IKE_EINVAL;
	}
	if ((st.st_mode & 0177) != 0) {
		cert_msg(msg, "private key %s has mode %04o: must be 0600",
		    path, (unsigned int)(st.st_mode & 07777));
		return IKE_EINVAL;
	}
	return 0;
}

/* An encrypted key would ask for a passphrase: refuse instead. */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int
parse_key(const uint8_t *buf, size_t len, const char *path,
    EVP_PKEY **out, char msg[CERT_MSG_LEN])
{
	EVP_PKEY *pk;
	BIO *b;

	if ((b = BIO_new_mem_buf(buf, len)) == NULL)
		return IKE_ENOMEM;
	pk = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (pk == NULL) {
		cert_msg(msg, "private key %s: no unencrypted PEM private key "
		    "(RSA or EC)", path);
		return IKE_EMALFORMED;
	}
	*out = pk;
	return 0;
}

static int
load_key(const char *path, uid_t uid, EVP_PKEY **out,
    char msg[CERT_MSG_LEN])
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		cert_msg(msg, "private key %s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	rc = key_file_ok(fd, path, uid, msg);
	if (rc == 0)
		rc = cert_read_fd(fd, path, &buf, &len, msg);
	(void)close(fd);	/* read only: nothing to lose */
	if (rc == 0)
		rc = parse_key(buf, len, path, out, msg);
	secmem_wipe(buf, len);
	free(buf);
	return rc;
}

static int
own_chain(struct cert_own *o, STACK_OF(X509) *sk)
{
	size_t i, n = sk_X509_num(sk);
	int rc;

	if ((o->chain = calloc(n, sizeof(*o->chain))) == NULL)
		return IKE_ENOMEM;
	for (i = 0; i < n; i++) {
		rc = cert_from_x509(sk_X509_value(sk, i), &o->chain[i]);
		if (rc != 0)
			return rc;
		o->n++;
	}
	return 0;
}

static int
load_certs(struct cert_own *o, const char *path, char msg[CERT_MSG_LEN])
{
	STACK_OF(X509) *sk = NULL;
	int rc;

	if ((rc = cert_file_certs(path, &sk, msg)) != 0)
		return rc;
	if ((rc = own_chain(o, sk)) == IKE_EUNSUPP)
		cert_msg(msg, "%s: the key of a certificate is neither RSA "
		    "(1024-8192 bits) nor EC P-256, P-384 or P-521", path);
	else if (rc != 0)
		cert_msg(msg, "%s: %s", path, ike_strerror(rc));
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

static int
key_fits(struct cert_own *o, const char *cert_path, const char *key_path,
    char msg[CERT_MSG_LEN])
{
	unsigned int bits;
	int rc;

	if ((rc = cert_pkey_type(o->key, &o->kt, &bits)) != 0) {
		cert_msg(msg, "private key %s: neither RSA (1024-8192 bits) "
		    "nor EC P-256, P-384 or P-521", key_path);
		return rc;
	}
	if (!X509_check_private_key(o->chain[0]->x, o->key)) {
		ERR_clear_error();
		cert_msg(msg, "private key %s does not belong to the "
		    "certificate in %s", key_path, cert_path);
		return IKE_EINVAL;
	}
	return 0;
}

int
cert_own_load(const char *cert_path, const char *key_path, uid_t uid,
    struct cert_own **out, char msg[CERT_MSG_LEN])
{
	struct cert_own *o;
	int rc;

	msg[0] = '\0';
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return IKE_ENOMEM;
	rc = load_certs(o, cert_path, msg);
	if (rc == 0)
		rc = load_key(key_path, uid, &o->key, msg);
	if (rc == 0)
		rc = key_fits(o, cert_path, key_path, msg);
	if (rc != 0) {
		cert_own_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* Does the list name a CA of s that issued x? */
static int
store_issuer_in(const struct cert_store *s, X509 *x, const uint8_t *list,
    size_t len)
{
	uint8_t h[CERT_KEYHASH_LEN];
	const struct cert *ca;
	size_t i;
	int rc;

	for (i = 0; (ca = cert_store_ca(s, i)) != NULL; i++) {
		if (X509_check_issued(ca->x, x) != X509_V_OK)
			continue;
		if ((rc = cert_keyhash(ca, h)) != 0)
			return rc;
		if (cert_certreq_has(list, len, h) == 0)
			return 0;
	}
	return IKE_ENOTFOUND;
}

int
cert_own_certreq_match(const struct cert_own *o,
    const struct cert_store *s, const uint8_t *list, size_t len)
{
	uint8_t h[CERT_KEYHASH_LEN];
	size_t i;
	int rc;

	if (len % CERT_KEYHASH_LEN != 0 || (list == NULL && len != 0))
		return IKE_EMALFORMED;
	for (i = 1; i < o->n; i++) {
		if ((rc = cert_keyhash(o->chain[i], h)) != 0)
			return rc;
		if (cert_certreq_has(list, len, h) == 0)
			return 0;
	}
	if (s == NULL)
		return IKE_ENOTFOUND;
	return store_issuer_in(s, o->chain[o->n - 1]->x, list, len);
}
