/* core/exchange/auth_sig.c: IKE_AUTH with certificates and signatures
 * (RFC 7296 s. 2.15, 3.6, 3.7, 3.8; RFC 7427; RFC 4754).
 *
 *   Initiator                                   Responder
 *   HDR, SAi1, KEi, Ni, [N(SIGNATURE_HASH_ALGORITHMS)]  -->
 *        <--  HDR, SAr1, KEr, Nr, [CERTREQ,] [N(SIGNATURE_HASH_ALGORITHMS)]
 *   HDR, SK {IDi, CERT+, [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr}  -->
 *        <--  HDR, SK {IDr, CERT+, AUTH, SAr2, TSi, TSr}
 *
 * Both sides announce SHA2-256, -384 and -512 (RFC 7427 s. 4) unless
 * the configuration asks for the classic methods (ike_cfg.sig_classic).
 * CERTREQ names the engine's CAs by the SHA-1 hash of their public keys
 * (s. 3.7).  CERT carries our certificate, then its intermediates, each
 * "X.509 Certificate - Signature" (4), whether the peer sent a CERTREQ
 * or not (s. 3.6 allows it; a peer with the right CA but no CERTREQ
 * still gets what it needs).  AUTH is method 14 when the peer announced
 * a SHA-2 hash: RSASSA-PSS for RSA keys, ECDSA for EC keys, with the
 * curve's hash (SHA2-256 for RSA) when announced, else the first SHA-2
 * one announced; otherwise the classic method of the key: 1 (RSA,
 * PKCS#1 v1.5 with SHA-1), 9, 10, 11 (ECDSA P-256, P-384, P-521).  The
 * signature covers the signed octets of s. 2.15 (auth.c).
 *
 * The peer must send at least one X.509 CERT (others are ignored); its
 * chain is validated against the engine's CAs and CRLs at wall-clock
 * time (engine_limits.wall_clock, or time()), its ID payload must be
 * vouched for by the end-entity certificate, and its AUTH must verify
 * with that certificate's key by whichever method it used (1, 9-11,
 * or 14 with a hash we announced), the key fitting the method. */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec/rd.h"
#include "core/crypto/cert.h"
#include "core/err.h"
#include "core/log.h"

static const char reason_nocert[] = "certificate missing";

/* SIGNATURE_HASH_ALGORITHMS data: 16-bit hash IDs (RFC 7427 s. 4). */
static const uint8_t our_hashes[] = { 0, CERT_HASH_SHA256, 0,
	CERT_HASH_SHA384, 0, CERT_HASH_SHA512 };

/* ------------------------------------------------------ configuration */

/* Our subject DN as our identity (ID_DER_ASN1_DN). */
static const char *
own_dn(const struct cert *me, struct ike_id *id)
{
	uint8_t *der;
	size_t len;

	if (cert_subject_der(me, &der, &len) != 0)
		return "cannot read the subject of our certificate";
	if (len == 0 || len > CFG_ID_MAX) {
		free(der);
		return "the subject of our certificate is too long for an "
		    "identity";
	}
	id->type = IKEV2_ID_DER_ASN1_DN;
	id->len = len;
	memcpy(id->data, der, len);
	free(der);
	return NULL;
}

const char *
auth_sig_cfg(const struct ike_engine *eng, struct ike_cfg *cfg)
{
	const struct cert *me;
	enum cert_reason why;
	bool rsa;

	if (cfg->auth == CFG_AUTH_PSK)
		return NULL;
	if (eng->own == NULL || (me = cert_own_cert(eng->own, 0)) == NULL)
		return "signature authentication configured, but no "
		    "certificate of ours (engine_set_certs)";
	if (cert_own_ncert(eng->own) > CERT_CHAIN_MAX)
		return "our certificate chain has more than 8 certificates";
	rsa = cert_key_type(me) == CERT_KEY_RSA;
	if (rsa != (cfg->auth == CFG_AUTH_RSA_SIG))
		return rsa ? "ECDSA signature configured, but our "
		    "certificate has an RSA key" : "RSA signature configured, "
		    "but our certificate has an EC key";
	if (cfg->local_id.type == 0)
		return own_dn(me, &cfg->local_id);
	if (cert_match_id(me, cfg->local_id.type, cfg->local_id.data,
	    cfg->local_id.len, &why) != 0)
		return "our identity is not in our certificate";
	return NULL;
}

/* -------------------------------------------------------- IKE_SA_INIT */

static int
add_certreq(const struct ike_engine *eng, struct ike_msg *m, bool encrypted)
{
	struct ike_pl *pl;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_CERTREQ, encrypted, &pl)) != 0)
		return rc;
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_slice){ eng->certreq, eng->certreq_len };
	return 0;
}

int
auth_sig_init_add(const struct ike_engine *eng, const struct ike_sa *sa,
    struct ike_msg *m, bool certreq)
{
	int rc;

	if (sa->cfg.auth == CFG_AUTH_PSK)
		return 0;
	if (!sa->cfg.sig_classic && (rc = xchg_add_notify(m, false,
	    IKEV2_N_SIGNATURE_HASH_ALGORITHMS, our_hashes,
	    sizeof(our_hashes))) != 0)
		return rc;
	if (!certreq || eng->certreq_len == 0)
		return 0;
	return add_certreq(eng, m, false);
}

/* An odd octet at the end, and hashes we do not know, are ignored. */
void
auth_sig_init_seen(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *n;
	struct rd r;
	uint16_t h;

	sa->peer_hashes = 0;
	n = ike_msg_notify(m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS);
	if (n == NULL)
		return;
	rd_init(&r, n->u.notify.data.p, n->u.notify.data.len);
	while (rd_u16(&r, &h) == 0)
		if (h >= CERT_HASH_SHA1 && h <= CERT_HASH_SHA512)
			sa->peer_hashes |= CERT_HASH_BIT(h);
}

/* ----------------------------------------------------------- signing */

static uint8_t
classic_method(enum cert_key_type kt)
{
	switch (kt) {
	case CERT_KEY_EC_P256:
		return CERT_AUTH_ECDSA_256;
	case CERT_KEY_EC_P384:
		return CERT_AUTH_ECDSA_384;
	case CERT_KEY_EC_P521:
		return CERT_AUTH_ECDSA_521;
	default:
		return CERT_AUTH_RSA;
	}
}

/* Method 14 with a SHA-2 hash the peer announced (the curve's, or
 * SHA2-256 for RSA, by preference), else the key's classic method. */
static void
sign_how(enum cert_key_type kt, const struct ike_sa *sa,
    struct cert_sign_alg *how)
{
	static const uint8_t order[] = { CERT_HASH_SHA256, CERT_HASH_SHA384,
		CERT_HASH_SHA512 };
	uint32_t have = sa->cfg.sig_classic ? 0 :
	    sa->peer_hashes & CERT_HASHES_SHA2;
	uint8_t want = kt == CERT_KEY_EC_P384 ? CERT_HASH_SHA384 :
	    kt == CERT_KEY_EC_P521 ? CERT_HASH_SHA512 : CERT_HASH_SHA256;
	size_t i;

	memset(how, 0, sizeof(*how));
	if (have == 0) {
		how->method = classic_method(kt);
		return;
	}
	how->method = CERT_AUTH_DIGITAL_SIG;
	how->rsa_pss = kt == CERT_KEY_RSA;
	for (i = 0; i < sizeof(order) && (have & CERT_HASH_BIT(want)) == 0;
	    i++)
		want = order[i];
	how->hash = want;
}

static int
add_cert(struct ike_msg *m, const struct cert *c)
{
	struct ike_pl *pl;
	const uint8_t *der;
	size_t len;
	int rc;

	der = cert_der(c, &len);
	if ((rc = ike_msg_add(m, IKEV2_PL_CERT, true, &pl)) != 0)
		return rc;
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_slice){ der, len };
	return 0;
}

static int
add_auth(const struct ike_engine *eng, const struct ike_sa *sa,
    struct ike_msg *m, uint8_t **sig)
{
	const struct ike_id *me = &sa->cfg.local_id;
	struct cert_sign_alg how;
	struct ike_pl *pl;
	uint8_t *oct;
	size_t olen, slen;
	int rc;

	sign_how(cert_key_type(cert_own_cert(eng->own, 0)), sa, &how);
	if ((rc = auth_signed_octets(sa, sa->initiator, me->type, me->data,
	    me->len, &oct, &olen)) != 0)
		return rc;
	rc = cert_sign(eng->own, &how, oct, olen, sig, &slen);
	free(oct);
	if (rc != 0) {
		log_dbg(LOG_IKE, "SA %u: signing with method %u: %s",
		    sa->handle, how.method, ike_strerror(rc));
		return rc;
	}
	if ((rc = ike_msg_add(m, IKEV2_PL_AUTH, true, &pl)) != 0)
		return rc;
	pl->u.auth.method = how.method;
	pl->u.auth.data = (struct ike_slice){ *sig, slen };
	return 0;
}

int
auth_sig_add(const struct ike_engine *eng, const struct ike_sa *sa,
    struct ike_msg *m, uint8_t **sig)
{
	const struct cert *c;
	size_t i;
	int rc;

	*sig = NULL;
	if (eng->own == NULL || cert_own_cert(eng->own, 0) == NULL)
		return IKE_ESTATE;	/* certificates withdrawn meanwhile */
	for (i = 0; i < CERT_CHAIN_MAX &&
	    (c = cert_own_cert(eng->own, i)) != NULL; i++)
		if ((rc = add_cert(m, c)) != 0)
			return rc;
	if (sa->initiator && eng->certreq_len != 0 &&
	    (rc = add_certreq(eng, m, true)) != 0)
		return rc;
	return add_auth(eng, sa, m, sig);
}

/* ------------------------------------------------------ verification */

static time_t
wall_now(const struct ike_engine *eng)
{
	if (eng->lim.wall_clock != NULL)
		return eng->lim.wall_clock(eng->lim.wall_clock_arg);
	return time(NULL);
}

size_t
auth_sig_chain_add(struct cert_blob *chain, size_t n,
    const struct ike_slice *der)
{
	if (n >= CERT_CHAIN_MAX)
		return CERT_CHAIN_MAX + 1;
	chain[n].der = der->p;
	chain[n].len = der->len;
	return n + 1;
}

/* The X.509 CERT payloads of m in order (the end entity first); their
 * number, or CERT_CHAIN_MAX + 1 when there are more. */
static size_t
peer_chain(const struct ike_msg *m, struct cert_blob *chain)
{
	const struct ike_pl *pl = NULL;
	size_t n = 0;

	while (n <= CERT_CHAIN_MAX &&
	    (pl = ike_msg_find(m, IKEV2_PL_CERT, pl)) != NULL)
		if (pl->u.cert.encoding == IKEV2_CERT_X509_SIG)
			n = auth_sig_chain_add(chain, n, &pl->u.cert.data);
	return n;
}

const char *
auth_sig_chain(const struct ike_engine *eng, const struct cert_blob *chain,
    size_t n, struct cert **ee)
{
	enum cert_reason why = CERT_R_CHAIN;

	*ee = NULL;
	if (n == 0)
		return reason_nocert;
	if (n > CERT_CHAIN_MAX)
		return cert_reason_str(CERT_R_TOO_LARGE);
	if (eng->store == NULL)
		return cert_reason_str(CERT_R_UNKNOWN_CA);
	if (cert_store_verify(eng->store, chain, n, wall_now(eng), ee,
	    &why) != 0)
		return cert_reason_str(why == CERT_R_OK ? CERT_R_CHAIN : why);
	return NULL;
}

enum cert_reason
auth_sig_bound(const struct cert *ee, uint8_t type, const uint8_t *id,
    size_t len)
{
	enum cert_reason why = CERT_R_ID_MISMATCH;

	if (cert_match_id(ee, type, id, len, &why) != 0)
		return why == CERT_R_OK ? CERT_R_ID_MISMATCH : why;
	return CERT_R_OK;
}

void
auth_sig_authenticated(struct ike_sa *sa, const struct cert *ee,
    uint8_t peer_auth, unsigned int method)
{
	if (cert_subject_str(ee, sa->peer_subject,
	    sizeof(sa->peer_subject)) != 0)
		sa->peer_subject[0] = '\0';	/* only for show */
	sa->peer_auth = peer_auth;
	log_dbg(LOG_IKE, "SA %u: peer authenticated by method %u as %s",
	    sa->handle, method, sa->peer_subject);
}

/* The peer's identity and signature against its validated end entity. */
static enum cert_reason
check_ee(const struct cert *ee, const struct ike_sa *sa, bool peer_is_i,
    const struct pl_id *id, const struct pl_auth *au)
{
	uint32_t mask = sa->cfg.sig_classic ? 0 : CERT_HASHES_SHA2;
	enum cert_reason why;
	uint8_t *oct;
	size_t olen;
	int rc;

	if ((why = auth_sig_bound(ee, id->type, id->data.p, id->data.len)) !=
	    CERT_R_OK)
		return why;
	if (auth_signed_octets(sa, peer_is_i, id->type, id->data.p,
	    id->data.len, &oct, &olen) != 0)
		return CERT_R_BAD_SIG;
	why = CERT_R_BAD_SIG;
	rc = cert_verify_sig(ee, au->method, mask, oct, olen, au->data.p,
	    au->data.len, &why);
	free(oct);
	if (rc != 0)
		return why == CERT_R_OK ? CERT_R_BAD_SIG : why;
	return CERT_R_OK;
}

const char *
auth_sig_verify(const struct ike_engine *eng, struct ike_sa *sa,
    bool peer_is_i, const struct ike_msg *m)
{
	const struct ike_pl *id = ike_msg_find(m, peer_is_i ? IKEV2_PL_IDI :
	    IKEV2_PL_IDR, NULL);
	const struct ike_pl *au = ike_msg_find(m, IKEV2_PL_AUTH, NULL);
	struct cert_blob chain[CERT_CHAIN_MAX];
	enum cert_reason why;
	struct cert *ee;
	const char *bad;

	if (id == NULL || au == NULL)
		return cert_reason_str(CERT_R_BAD_SIG);
	if ((bad = auth_sig_chain(eng, chain, peer_chain(m, chain), &ee)) !=
	    NULL)
		return bad;
	why = check_ee(ee, sa, peer_is_i, &id->u.id, &au->u.auth);
	if (why == CERT_R_OK)
		auth_sig_authenticated(sa, ee, au->u.auth.method,
		    au->u.auth.method);
	cert_free(ee);
	return why == CERT_R_OK ? NULL : cert_reason_str(why);
}
