/* core/exchange1/v1_sig.c: phase-1 authentication with signatures and
 * certificates (RFC 2409 s. 5.1, RFC 2408 s. 3.9, 3.10, RFC 4754):
 *
 *   Main Mode        3, 4  HDR, KE, Nonce [, CR ...]
 *                    5, 6  HDR*, ID, [CERT ...,] SIG
 *   Aggressive Mode  1     HDR, SA, KE, Ni, IDii [, CR ...]
 *                    2     HDR, SA, KE, Nr, IDir, [CERT ...,] SIG_R
 *                          [, CR ...]
 *                    3     HDR*, [CERT ...,] SIG_I
 *
 * SKEYID = prf(Ni_b | Nr_b, g^xy).  SIG_I and SIG_R sign HASH_I and
 * HASH_R as RFC 2409 s. 5 computes them: RSA (method 3) with the raw
 * PKCS#1 type 1 operation, no DigestInfo; ECDSA (methods 9, 10, 11 of
 * RFC 4754: P-256, P-384, P-521) with HASH_I or HASH_R as the digest
 * it signs, not hashed again (RFC 2409 s. 5.1 signs the HASH itself,
 * as DSS does; strongSwan does the same, and libreswan has no IKEv1
 * ECDSA), r | s.  Both sides use the one method of the transform:
 * the method of our key (an RSA key: 3; an EC key: its curve's).
 *
 * CR asks for a certificate from one of the engine's CAs, named by
 * subject DN (one CR each, or one empty CR for "any" when there are
 * more than V1_CR_MAX).  We send our certificate and its intermediates
 * whether the peer asked or not; a peer's CR is not needed for that.
 *
 * The peer's CERT payloads (X.509 signature encoding, the end entity
 * first) are validated against the engine's CAs and CRLs at
 * wall-clock time; its ID payload, and the remote identity configured,
 * must be vouched for by the end-entity certificate (a DN by its ASN.1
 * meaning, others by subjectAltName), and its SIG must verify with the
 * certificate's key.  Until all of this held nothing of the peer's
 * identity is kept: sa->cfg.remote_id is set only then. */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/codec/rd.h"
#include "core/crypto/cert.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

/* IKEv1 Authentication Methods of RFC 4754 s. 7 (IANA "IPSEC
 * Authentication Method"); they equal the IKEv2 AUTH numbers. */
#define V1_AUTH_ECDSA_256	9
#define V1_AUTH_ECDSA_384	10
#define V1_AUTH_ECDSA_521	11
#define V1_CERT_SEND_MAX	4	/* CERT payloads in one message */

/* ---------------------------------------------------- configuration */

bool
v1_sig_auth(uint16_t method)
{
	return method == IKEV1_AUTH_RSA_SIG || method == V1_AUTH_ECDSA_256 ||
	    method == V1_AUTH_ECDSA_384 || method == V1_AUTH_ECDSA_521;
}

uint16_t
v1_sig_method(const struct ike_engine *eng, const struct ike_cfg *cfg)
{
	const struct cert *me;

	if (cfg->auth == CFG_AUTH_PSK)
		return IKEV1_AUTH_PSK;
	if (eng->own == NULL || (me = cert_own_cert(eng->own, 0)) == NULL)
		return 0;
	switch (cert_key_type(me)) {
	case CERT_KEY_RSA:
		return cfg->auth == CFG_AUTH_RSA_SIG ? IKEV1_AUTH_RSA_SIG : 0;
	case CERT_KEY_EC_P256:
		return cfg->auth == CFG_AUTH_ECDSA_SIG ? V1_AUTH_ECDSA_256 : 0;
	case CERT_KEY_EC_P384:
		return cfg->auth == CFG_AUTH_ECDSA_SIG ? V1_AUTH_ECDSA_384 : 0;
	case CERT_KEY_EC_P521:
		return cfg->auth == CFG_AUTH_ECDSA_SIG ? V1_AUTH_ECDSA_521 : 0;
	}
	return 0;
}

const char *
v1_sig_cfg(const struct ike_engine *eng, struct ike_cfg *cfg)
{
	const char *why;

	if (cfg->auth == CFG_AUTH_PSK)
		return NULL;
	if ((why = auth_sig_cfg(eng, cfg)) != NULL)
		return why;
	if (!v1_id_type_ok(cfg->local_id.type))
		return "our identity has a type IKEv1 does not send";
	if (v1_sig_method(eng, cfg) == 0)
		return "no signature method for our certificate's key";
	return NULL;
}

/* --------------------------------------------------------------- CR */

void
v1_sig_cr_free(struct v1_cr_store *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->dn[i]);
	st->n = 0;
}

static int
add_cr(struct v1_msg *m, const uint8_t *dn, size_t len)
{
	struct v1_pl *pl;
	int rc;

	if ((rc = v1_msg_add(m, IKEV1_PL_CR, &pl)) != 0)
		return rc;
	pl->u.cert.encoding = IKEV1_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_slice){ dn, len };
	return 0;
}

int
v1_sig_add_cr(const struct ike_engine *eng, const struct ike_sa *sa,
    struct v1_msg *m, struct v1_cr_store *st)
{
	size_t nca, i;
	int rc;

	st->n = 0;
	if (!v1_sig_auth(sa->v1->auth) || eng->store == NULL ||
	    (nca = cert_store_nca(eng->store)) == 0)
		return 0;
	if (nca > V1_CR_MAX)
		return add_cr(m, NULL, 0);	/* any CA of ours */
	for (i = 0; i < nca; i++) {
		if ((rc = cert_subject_der(cert_store_ca(eng->store, i),
		    &st->dn[i], &st->len[i])) != 0)
			return rc;
		st->n = i + 1;	/* st->dn[i] to free */
		if ((rc = add_cr(m, st->dn[i], st->len[i])) != 0)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------- signing */

static int
add_cert(struct v1_msg *m, const struct cert *c)
{
	struct v1_pl *pl;
	const uint8_t *der;
	size_t len;
	int rc;

	der = cert_der(c, &len);
	if ((rc = v1_msg_add(m, IKEV1_PL_CERT, &pl)) != 0)
		return rc;
	pl->u.cert.encoding = IKEV1_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_slice){ der, len };
	return 0;
}

static int
sign_hash(const struct ike_engine *eng, uint16_t method, const uint8_t *h,
    size_t hl, uint8_t **sig, size_t *slen)
{
	if (method == IKEV1_AUTH_RSA_SIG)
		return cert_v1_rsa_sign(eng->own, h, hl, sig, slen);
	return cert_v1_ecdsa_sign(eng->own, (uint8_t)method, h, hl, sig,
	    slen);	/* 9-11: the IKEv2 numbers */
}

int
v1_sig_add(const struct ike_engine *eng, const struct ike_sa *sa,
    struct v1_msg *m, bool for_i, uint8_t **sig)
{
	uint8_t h[PRF_MAX_OUT];
	const struct cert *c;
	struct v1_pl *pl;
	size_t hl = 0, slen = 0, i;
	int rc;

	*sig = NULL;
	if (eng->own == NULL || cert_own_cert(eng->own, 0) == NULL)
		return IKE_ESTATE;	/* certificates withdrawn meanwhile */
	for (i = 0; i < V1_CERT_SEND_MAX &&
	    (c = cert_own_cert(eng->own, i)) != NULL; i++)
		if ((rc = add_cert(m, c)) != 0)
			return rc;
	if ((rc = v1_ph1_hash(sa, for_i, h, &hl)) != 0)
		return rc;
	rc = sign_hash(eng, sa->v1->auth, h, hl, sig, &slen);
	secmem_wipe(h, sizeof(h));
	if (rc != 0) {
		log_dbg(LOG_IKE, "SA %u: signing with method %u: %s",
		    sa->handle, sa->v1->auth, ike_strerror(rc));
		return rc;
	}
	if ((rc = v1_msg_add(m, IKEV1_PL_SIG, &pl)) != 0)
		return rc;
	pl->u.data = (struct ike_slice){ *sig, slen };
	return 0;
}

/* ----------------------------------------------------- verification */

/* The X.509 CERT payloads of m in order; their number, or
 * CERT_CHAIN_MAX + 1 when there are more. */
static size_t
peer_chain(const struct v1_msg *m, struct cert_blob *chain)
{
	const struct v1_pl *pl = NULL;
	size_t n = 0;

	while (n <= CERT_CHAIN_MAX &&
	    (pl = v1_msg_find(m, IKEV1_PL_CERT, pl)) != NULL)
		if (pl->u.cert.encoding == IKEV1_CERT_X509_SIG)
			n = auth_sig_chain_add(chain, n, &pl->u.cert.data);
	return n;
}

/* The identity of a kept ID payload body (type, protocol, port, data). */
static int
id_of_body(const uint8_t *b, size_t len, struct ike_id *id)
{
	struct rd r;
	uint8_t proto;
	uint16_t port;

	rd_init(&r, b, len);
	memset(id, 0, sizeof(*id));
	if (rd_u8(&r, &id->type) != 0 || rd_u8(&r, &proto) != 0 ||
	    rd_u16(&r, &port) != 0 || r.left > CFG_ID_MAX)
		return IKE_EMALFORMED;
	id->len = r.left;
	return rd_bytes(&r, id->data, id->len);
}

/* Does ee vouch for id?  A reason when not. */
static enum cert_reason
bound(const struct cert *ee, const struct ike_id *id)
{
	return auth_sig_bound(ee, id->type, id->data, id->len);
}

static enum cert_reason
check_sig(const struct ike_sa *sa, const struct cert *ee, bool peer_is_i,
    const struct v1_pl *sig)
{
	enum cert_reason why = CERT_R_BAD_SIG;
	uint8_t h[PRF_MAX_OUT];
	size_t hl = 0;
	int rc;

	if (v1_ph1_hash(sa, peer_is_i, h, &hl) != 0)
		return CERT_R_BAD_SIG;
	if (sa->v1->auth == IKEV1_AUTH_RSA_SIG)
		rc = cert_v1_rsa_verify(ee, h, hl, sig->u.data.p,
		    sig->u.data.len, &why);
	else
		rc = cert_v1_ecdsa_verify(ee, (uint8_t)sa->v1->auth, h, hl,
		    sig->u.data.p, sig->u.data.len, &why);
	secmem_wipe(h, sizeof(h));
	if (rc != 0)
		return why == CERT_R_OK ? CERT_R_BAD_SIG : why;
	return CERT_R_OK;
}

/* The peer's ID (kept by v1_ph1_peer_id()), the identity configured
 * for it and its signature against its validated end entity. */
static enum cert_reason
check_ee(struct ike_sa *sa, const struct cert *ee, bool peer_is_i,
    const struct v1_pl *sig, struct ike_id *id)
{
	const struct v1_state *v1 = sa->v1;
	enum cert_reason why;

	if (id_of_body(peer_is_i ? v1->idi_b : v1->idr_b,
	    peer_is_i ? v1->idi_len : v1->idr_len, id) != 0)
		return CERT_R_ID_MISMATCH;
	if ((why = bound(ee, id)) != CERT_R_OK)
		return why;
	if (sa->cfg.remote_id.type != 0 &&
	    (why = bound(ee, &sa->cfg.remote_id)) != CERT_R_OK)
		return why;
	return check_sig(sa, ee, peer_is_i, sig);
}

const char *
v1_sig_verify(const struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m, bool peer_is_i)
{
	const struct v1_pl *sig = v1_msg_find(m, IKEV1_PL_SIG, NULL);
	struct cert_blob chain[CERT_CHAIN_MAX];
	enum cert_reason why;
	struct cert *ee;
	struct ike_id id;
	const char *bad;

	if (sig == NULL)
		return cert_reason_str(CERT_R_BAD_SIG);
	if ((bad = auth_sig_chain(eng, chain, peer_chain(m, chain), &ee)) !=
	    NULL)
		return bad;
	why = check_ee(sa, ee, peer_is_i, sig, &id);
	if (why == CERT_R_OK) {
		sa->cfg.remote_id = id;
		auth_sig_authenticated(sa, ee, sa->v1->auth ==
		    IKEV1_AUTH_RSA_SIG ? CERT_AUTH_RSA : (uint8_t)sa->v1->auth,
		    sa->v1->auth);
	}
	cert_free(ee);
	return why == CERT_R_OK ? NULL : cert_reason_str(why);
}
