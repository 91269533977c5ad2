/* core/daemon/certs.c: the certificate files of isakmpd.conf, loaded for
 * the engine (certs.h). */
#include "certs.h"

#include <stdio.h>
#include <string.h>

#include "../crypto/cert.h"
#include "../err.h"
#include "../ike/cfg.h"

/* Each path of a ','-separated list (conf.c stored it without blanks)
 * through add(). */
static int
add_list(struct cert_store *s, const char *list, const char *key,
    int (*add)(struct cert_store *, const char *, char[CERT_MSG_LEN]),
    char msg[DCERTS_MSG_LEN])
{
	char buf[CONF_PATH_LEN], m[CERT_MSG_LEN], *item, *save = NULL;
	int rc;

	(void)snprintf(buf, sizeof(buf), "%s", list);	/* same size */
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if ((rc = add(s, item, m)) != 0) {
			(void)snprintf(msg, DCERTS_MSG_LEN, "%s: %s", key, m);
			return rc;
		}
	}
	return 0;
}

static int
load_store(const struct ike_conf *c, struct dcerts *d,
    char msg[DCERTS_MSG_LEN])
{
	int rc;

	if (c->ca_certs[0] == '\0')
		return 0;
	if ((rc = cert_store_new(&d->store)) != 0) {
		(void)snprintf(msg, DCERTS_MSG_LEN, "CA_CERTIFICATES: %s",
		    ike_strerror(rc));
		return rc;
	}
	if ((rc = add_list(d->store, c->ca_certs, "CA_CERTIFICATES",
	    cert_store_add_ca, msg)) != 0)
		return rc;
	return add_list(d->store, c->crl_files, "CRL_FILES",
	    cert_store_add_crl, msg);
}

/* The keys that must come together. */
static int
check_pairs(const struct ike_conf *c, char msg[DCERTS_MSG_LEN])
{
	if ((c->cert_file[0] == '\0') != (c->key_file[0] == '\0')) {
		(void)snprintf(msg, DCERTS_MSG_LEN, "%s is set but %s is not: "
		    "a certificate needs its private key",
		    c->cert_file[0] != '\0' ? "CERTIFICATE_FILE" :
		    "PRIVATE_KEY_FILE", c->cert_file[0] != '\0' ?
		    "PRIVATE_KEY_FILE" : "CERTIFICATE_FILE");
		return IKE_EINVAL;
	}
	if (c->crl_files[0] != '\0' && c->ca_certs[0] == '\0') {
		(void)snprintf(msg, DCERTS_MSG_LEN, "CRL_FILES is set but "
		    "CA_CERTIFICATES is not: a CRL belongs to a CA");
		return IKE_EINVAL;
	}
	return 0;
}

int
dcerts_load(const struct ike_conf *c, uid_t uid, struct dcerts *out,
    char msg[DCERTS_MSG_LEN], char warn[DCERTS_MSG_LEN])
{
	struct dcerts d = { NULL, NULL };
	char m[CERT_MSG_LEN];
	int rc;

	msg[0] = warn[0] = '\0';
	if ((rc = check_pairs(c, msg)) != 0)
		return rc;
	if (c->cert_file[0] != '\0' && (rc = cert_own_load(c->cert_file,
	    c->key_file, uid, &d.own, m)) != 0)
		(void)snprintf(msg, DCERTS_MSG_LEN, "CERTIFICATE_FILE, "
		    "PRIVATE_KEY_FILE: %s", m);
	else
		rc = load_store(c, &d, msg);
	if (rc != 0) {
		dcerts_free(&d);
		return rc;
	}
	if (d.own != NULL && d.store == NULL)
		(void)snprintf(warn, DCERTS_MSG_LEN, "CERTIFICATE_FILE is set "
		    "but CA_CERTIFICATES is not: every peer's certificate "
		    "will be refused (unknown CA)");
	*out = d;
	return 0;
}

void
dcerts_free(struct dcerts *d)
{
	cert_own_free(d->own);
	cert_store_free(d->store);
	d->own = NULL;
	d->store = NULL;
}

static const char *
key_name(enum cert_key_type t)
{
	switch (t) {
	case CERT_KEY_RSA:	return "RSA";
	case CERT_KEY_EC_P256:	return "EC P-256";
	case CERT_KEY_EC_P384:	return "EC P-384";
	case CERT_KEY_EC_P521:	return "EC P-521";
	}
	return "?";
}

/* How many items a ','-list has. */
static size_t
list_count(const char *s)
{
	size_t n = s[0] != '\0';

	for (; *s != '\0'; s++)
		n += *s == ',';
	return n;
}

void
dcerts_subject_order(const char *in, char *out, size_t n)
{
	const char *end = in + strlen(in), *p, *start;
	size_t o = 0;

	out[0] = '\0';
	while (end > in) {
		/* back to the last unescaped ',' */
		for (start = end; start > in; start--)
			if (start[-1] == ',' && (start - 1 == in ||
			    start[-2] != '\\'))
				break;
		for (p = start; p < end && o + 1 < n; p++)
			out[o++] = *p;
		end = start > in ? start - 1 : in;
		if (end > in && o + 3 < n) {
			out[o++] = ',';
			out[o++] = ' ';
		}
	}
	out[o] = '\0';
}

void
dcerts_describe(const struct dcerts *d, const struct ike_conf *c,
    char *buf, size_t n)
{
	const struct cert *me = d->own != NULL ? cert_own_cert(d->own, 0) :
	    NULL;
	char subj[256] = "?", s2[256];
	size_t ncrl = list_count(c->crl_files);

	if (me != NULL && cert_subject_str(me, s2, sizeof(s2)) == 0)
		dcerts_subject_order(s2, subj, sizeof(subj));
	(void)snprintf(buf, n, "%s%s%s%s, %zu CA certificate%s, %zu CRL "
	    "file%s", me != NULL ? "certificate " : "no certificate",
	    me != NULL ? subj : "", me != NULL ? ", key " : "",
	    me != NULL ? key_name(cert_key_type(me)) : "",
	    d->store != NULL ? cert_store_nca(d->store) : 0,
	    d->store != NULL && cert_store_nca(d->store) == 1 ? "" : "s",
	    ncrl, ncrl == 1 ? "" : "s");
}

const char *
dcerts_auth_name(uint8_t auth)
{
	switch (auth) {
	case CFG_AUTH_RSA_SIG:		return "RSA_Signature";
	case CFG_AUTH_ECDSA_SIG:	return "ECDSA_Signature";
	}
	return "Preshared_Key";
}

int
dcerts_usable(const struct dcerts *d, uint8_t auth, char *why, size_t n)
{
	const struct cert *me;
	bool rsa;

	if (auth == CFG_AUTH_PSK)
		return 0;
	if (d->own == NULL || (me = cert_own_cert(d->own, 0)) == NULL) {
		(void)snprintf(why, n, "it authenticates with %s, but isakmpd "
		    "has no certificate (set CERTIFICATE_FILE and "
		    "PRIVATE_KEY_FILE in isakmpd.conf)",
		    dcerts_auth_name(auth));
		return IKE_EINVAL;
	}
	rsa = cert_key_type(me) == CERT_KEY_RSA;
	if (rsa == (auth == CFG_AUTH_RSA_SIG))
		return 0;
	(void)snprintf(why, n, "it authenticates with %s, but the "
	    "certificate of CERTIFICATE_FILE has an %s key",
	    dcerts_auth_name(auth), key_name(cert_key_type(me)));
	return IKE_EINVAL;
}
