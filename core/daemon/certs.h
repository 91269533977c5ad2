/* core/daemon/certs.h: the daemon's certificate material, read from the
 * files isakmpd.conf names (CERTIFICATE_FILE, PRIVATE_KEY_FILE,
 * CA_CERTIFICATES, CRL_FILES; docs/certificates.md "Daemon") with the
 * cert module (core/crypto/cert.h), and handed to the engine with
 * engine_set_certs().  Loaded before the daemon forks, so that a bad file
 * stops the start with its message on the terminal; loaded again on each
 * reload, where a failure keeps the old material. */
#ifndef IKE_DAEMON_CERTS_H
#define IKE_DAEMON_CERTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../conf.h"

struct cert_own;
struct cert_store;

#define DCERTS_MSG_LEN	512	/* a message, with the NUL */

struct dcerts {
	struct cert_own		*own;	/* owned; NULL: none */
	struct cert_store	*store;	/* owned; NULL: no CA */
};

/* Reads what c names (nothing set: *out empty, 0).  The private key file
 * must be owned by uid (the daemon's effective uid).  CERTIFICATE_FILE
 * and PRIVATE_KEY_FILE go together, and CRL_FILES needs
 * CA_CERTIFICATES.  On failure *out is untouched, msg names the key, the
 * file and the problem (the cert module's message), and the return is
 * IKE_ESYS (a file that cannot be read), IKE_ENOMEM, or IKE_EINVAL /
 * IKE_EMALFORMED / IKE_ENOSPC / IKE_ENOTFOUND (the files' contents: a
 * configuration error).  warn gets a sentence ("" if none) for a
 * combination that loads but cannot work: a certificate without CAs. */
int	dcerts_load(const struct ike_conf *c, uid_t uid, struct dcerts *out,
	    char msg[DCERTS_MSG_LEN], char warn[DCERTS_MSG_LEN]);
/* Frees both (the key is wiped); the struct is empty afterwards. */
void	dcerts_free(struct dcerts *);

/* One line for the log: "certificate C=US, O=Example, CN=gw, key EC
 * P-256, 2 CA certificates, 1 CRL file", or "no certificate, ...". */
void	dcerts_describe(const struct dcerts *, const struct ike_conf *c,
	    char *buf, size_t n);

/* Whether a phase-1 definition with ike_cfg.auth auth (enum cfg_auth)
 * can start with these: 0, or IKE_EINVAL with a sentence in why naming
 * the method and what is missing (no certificate; a key of the other
 * type). */
int	dcerts_usable(const struct dcerts *, uint8_t auth, char *why,
	    size_t n);

/* A subject DN as cert_subject_str() and struct ike_sa .peer_subject
 * write it, RFC 2253 style (the last RDN first: "CN=gw,O=Example,C=US"),
 * in the order X500DN definitions and `openssl x509 -subject` use:
 * "C=US, O=Example, CN=gw".  Cut to fit n (> 0). */
void	dcerts_subject_order(const char *in, char *out, size_t n);

/* "Preshared_Key", "RSA_Signature", "ECDSA_Signature" (the
 * IKE_AuthenticationMethod values). */
const char	*dcerts_auth_name(uint8_t auth);

#endif
