/* core/crypto/cert_int.h: internal to the cert module (cert.c,
 * cert_store.c, cert_own.c, cert_sig.c).  Not an API. */
#ifndef IKE_CERT_INT_H
#define IKE_CERT_INT_H

#include <openssl/base.h>
#include <openssl/x509.h>

#include "core/crypto/cert.h"

struct cert {
	X509			*x;		/* owned reference */
	uint8_t			*der;		/* owned: the DER */
	size_t			 der_len;
	enum cert_key_type	 kt;
	unsigned int		 bits;
};

struct cert_own {
	struct cert	**chain;	/* owned: [0] ours, then intermediates */
	size_t		  n;
	EVP_PKEY	 *key;		/* owned: our private key */
	enum cert_key_type kt;
};

/* A struct cert holding a new reference to x. */
int	cert_from_x509(X509 *x, struct cert **out);
/* The key type and size of a public or private key; IKE_EUNSUPP for
 * anything but RSA (>= 1024 bits) and EC P-256/384/521. */
int	cert_pkey_type(const EVP_PKEY *, enum cert_key_type *,
	    unsigned int *bits);

/* Reads a whole file of at most CERT_FILE_MAX octets from fd (path for
 * messages); *buf is malloc'd with a NUL after *len octets.  IKE_ESYS,
 * IKE_ENOSPC, IKE_ENOMEM with msg set. */
int	cert_read_fd(int fd, const char *path, uint8_t **buf, size_t *len,
	    char msg[CERT_MSG_LEN]);
/* open() + cert_read_fd(). */
int	cert_read_file(const char *path, uint8_t **buf, size_t *len,
	    char msg[CERT_MSG_LEN]);
/* Every certificate of PEM text; none is IKE_EMALFORMED.  Caller frees
 * the stack with sk_X509_pop_free(..., X509_free). */
int	cert_pem_certs(const uint8_t *buf, size_t len, const char *path,
	    STACK_OF(X509) **out, char msg[CERT_MSG_LEN]);
/* cert_read_file() + cert_pem_certs(): every certificate of the PEM
 * file path (CA_CERTIFICATES, CERTIFICATE_FILE). */
int	cert_file_certs(const char *path, STACK_OF(X509) **out,
	    char msg[CERT_MSG_LEN]);
/* msg = formatted text, cut to fit. */
void	cert_msg(char msg[CERT_MSG_LEN], const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
