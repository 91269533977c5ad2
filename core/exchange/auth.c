/* core/exchange/auth.c: IKE_AUTH with preshared keys (RFC 7296 s. 1.2,
 * 2.15, 2.21.2), and the frame every method shares: the signed octets,
 * ID payloads, refusals.  Certificates and signatures: auth_sig.c.
 *
 *   Initiator                                   Responder
 *   HDR, SK {IDi, [IDr,] AUTH, SAi2, TSi, TSr}  -->
 *                            <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
 *                            <--  HDR, SK {N(AUTHENTICATION_FAILED)}
 *
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 *   ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR
 *   MACedIDForI = prf(SK_pi, IDType | RESERVED | InitIDData)
 *   MACedIDForR = prf(SK_pr, IDType | RESERVED | RespIDData)
 * where RealMessage1/2 are the IKE_SA_INIT messages as sent (the last
 * request, after any COOKIE or INVALID_KE_PAYLOAD restart). */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/cert.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

static const char key_pad[] = "Key Pad for IKEv2";	/* 17 octets, no NUL */

/* prf(SK_px, IDType | RESERVED | IDData) */
static int
maced_id(const struct ike_sa *sa, bool for_i, uint8_t id_type,
    const uint8_t *id, size_t id_len, uint8_t *out)
{
	const struct ike_key *k = for_i ? sa->keys.sk_pi : sa->keys.sk_pr;
	uint8_t head[4] = { id_type, 0, 0, 0 };
	struct crypto_iov v[2] = { { head, 4 }, { id, id_len } };
	struct prf *p;
	int rc;

	if (k == NULL)
		return IKE_ESTATE;
	if ((rc = prf_new(sa->prf, 0, k->data, k->len, &p)) != 0)
		return rc;
	rc = prf_compute(p, v, 2, out, prf_out_len(sa->prf));
	prf_free(p);
	return rc;
}

/* The three pieces of the signed octets of s. 2.15: RealMessage,
 * NonceData and MACedID (computed into mac). */
static int
signed_iov(const struct ike_sa *sa, bool for_i, uint8_t id_type,
    const uint8_t *id, size_t id_len, struct crypto_iov v[3],
    uint8_t mac[PRF_MAX_OUT])
{
	size_t n = prf_out_len(sa->prf);

	v[0] = for_i ? (struct crypto_iov){ sa->init_req, sa->init_req_len } :
	    (struct crypto_iov){ sa->init_resp, sa->init_resp_len };
	v[1] = for_i ? (struct crypto_iov){ sa->nr, sa->nr_len } :
	    (struct crypto_iov){ sa->ni, sa->ni_len };
	v[2] = (struct crypto_iov){ mac, n };
	if (n == 0 || v[0].base == NULL)
		return IKE_ESTATE;
	return maced_id(sa, for_i, id_type, id, id_len, mac);
}

int
auth_signed_octets(const struct ike_sa *sa, bool for_i, uint8_t id_type,
    const uint8_t *id, size_t id_len, uint8_t **out, size_t *len)
{
	uint8_t mac[PRF_MAX_OUT], *b;
	struct crypto_iov v[3];
	size_t i, n = 0;
	int rc;

	if ((rc = signed_iov(sa, for_i, id_type, id, id_len, v, mac)) != 0)
		return rc;
	for (i = 0; i < 3; i++)
		n += v[i].len;
	if ((b = malloc(n)) == NULL)
		return IKE_ENOMEM;
	for (n = 0, i = 0; i < 3; n += v[i].len, i++)
		memcpy(b + n, v[i].base, v[i].len);
	*out = b;
	*len = n;
	return 0;
}

int
auth_psk(const struct ike_sa *sa, bool for_i, uint8_t id_type,
    const uint8_t *id, size_t id_len, const uint8_t *psk, size_t psk_len,
    uint8_t *out, size_t *len)
{
	size_t n = prf_out_len(sa->prf);
	uint8_t mac[PRF_MAX_OUT], padkey[PRF_MAX_OUT];
	struct crypto_iov pad = { key_pad, sizeof(key_pad) - 1 };
	struct crypto_iov v[3];
	struct prf *p = NULL;
	int rc;

	if ((rc = signed_iov(sa, for_i, id_type, id, id_len, v, mac)) == 0 &&
	    (rc = prf_new(sa->prf, 0, psk, psk_len, &p)) == 0)
		rc = prf_compute(p, &pad, 1, padkey, n);
	prf_free(p);
	p = NULL;
	if (rc == 0 && (rc = prf_new(sa->prf, 0, padkey, n, &p)) == 0)
		rc = prf_compute(p, v, 3, out, n);
	prf_free(p);
	secmem_wipe(padkey, sizeof(padkey));
	if (rc == 0)
		*len = n;
	return rc;
}

static bool
same_octets(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static const char reason_auth[] = "authentication failed";
static const char reason_method[] = "authentication method mismatch";

/* The peer's preshared-key AUTH payload over its ID payload. */
static bool
psk_ok(const struct ike_sa *sa, bool peer_is_i, const struct ike_msg *m)
{
	const struct ike_pl *id = ike_msg_find(m, peer_is_i ? IKEV2_PL_IDI :
	    IKEV2_PL_IDR, NULL);
	const struct ike_pl *au = ike_msg_find(m, IKEV2_PL_AUTH, NULL);
	uint8_t want[PRF_MAX_OUT];
	size_t n;

	if (id == NULL || au == NULL)
		return false;
	if (auth_psk(sa, peer_is_i, id->u.id.type, id->u.id.data.p,
	    id->u.id.data.len, sa->cfg.psk, sa->cfg.psk_len, want, &n) != 0)
		return false;
	return au->u.auth.data.len == n &&
	    same_octets(want, au->u.auth.data.p, n);
}

/* Checks the peer's AUTH payload: NULL, or why it fails.  The peer
 * must use the kind of authentication we use (a preshared key, or
 * signatures): no asymmetric authentication. */
static const char *
auth_check(const struct ike_engine *eng, struct ike_sa *sa, bool peer_is_i,
    const struct ike_msg *m)
{
	const struct ike_pl *au = ike_msg_find(m, IKEV2_PL_AUTH, NULL);
	bool psk;

	if (au == NULL)
		return reason_auth;
	psk = au->u.auth.method == IKEV2_AUTH_SHARED_KEY_MIC;
	if (psk != (sa->cfg.auth == CFG_AUTH_PSK))
		return reason_method;
	if (!psk)
		return auth_sig_verify(eng, sa, peer_is_i, m);
	if (!psk_ok(sa, peer_is_i, m))
		return reason_auth;
	sa->peer_auth = IKEV2_AUTH_SHARED_KEY_MIC;
	return NULL;
}

static bool
id_matches(const struct ike_id *want, const struct pl_id *got)
{
	if (want->type == 0)
		return true;
	if (want->type != got->type)
		return false;
	if (want->type == IKEV2_ID_DER_ASN1_DN)	/* by meaning */
		return cert_dn_equal(want->data, want->len, got->data.p,
		    got->data.len) == 0;
	return want->len == got->data.len &&
	    memcmp(want->data, got->data.p, want->len) == 0;
}

/* Adds {ID, AUTH} for our side, with a signature {ID, CERT+,
 * [CERTREQ,] AUTH}; auth (a preshared key's) or *sig (a signature,
 * caller frees it with free()) must live until encoding. */
static int
add_id_auth(const struct ike_engine *eng, struct ike_sa *sa,
    struct ike_msg *m, uint8_t *auth, uint8_t **sig)
{
	const struct ike_id *me = &sa->cfg.local_id;
	struct ike_pl *pl;
	size_t n;
	int rc;

	*sig = NULL;
	if ((rc = ike_msg_add(m, sa->initiator ? IKEV2_PL_IDI : IKEV2_PL_IDR,
	    true, &pl)) != 0)
		return rc;
	pl->u.id.type = me->type;
	pl->u.id.data = (struct ike_slice){ me->data, me->len };
	if (sa->cfg.auth != CFG_AUTH_PSK)
		return auth_sig_add(eng, sa, m, sig);
	if ((rc = auth_psk(sa, sa->initiator, me->type, me->data, me->len,
	    sa->cfg.psk, sa->cfg.psk_len, auth, &n)) != 0 ||
	    (rc = ike_msg_add(m, IKEV2_PL_AUTH, true, &pl)) != 0)
		return rc;
	pl->u.auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
	pl->u.auth.data = (struct ike_slice){ auth, n };
	return 0;
}

static struct ike_msg *
new_msg(const struct ike_sa *sa, uint8_t exchange, bool response)
{
	struct ike_msg *m;
	struct ike_hdr h;
	struct ike_pl *pl;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	xchg_hdr(sa, exchange, response, &h);
	ike_msg_init(m, &h);
	if (ike_msg_add(m, IKEV2_PL_SK, false, &pl) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

int
auth_start(struct ike_engine *eng, struct ike_sa *sa)
{
	const struct ike_id *peer = &sa->cfg.remote_id;
	uint8_t auth[PRF_MAX_OUT], *sig = NULL;
	struct ike_msg *m;
	struct ike_pl *pl;
	int rc;

	if ((m = new_msg(sa, IKEV2_EXCH_IKE_AUTH, false)) == NULL)
		return IKE_ENOMEM;
	rc = add_id_auth(eng, sa, m, auth, &sig);
	if (rc == 0)
		rc = contact_add(eng, sa, m);
	if (rc == 0 && peer->type != 0 &&
	    (rc = ike_msg_add(m, IKEV2_PL_IDR, true, &pl)) == 0) {
		pl->u.id.type = peer->type;
		pl->u.id.data = (struct ike_slice){ peer->data, peer->len };
	}
	if (rc == 0 && sa->have_ccfg)
		rc = child_propose(eng, sa, m);
	if (rc == 0)
		rc = xchg_request(eng, sa, m, true);
	if (rc == 0)
		sa->state = IKE_SA_AUTH_SENT;
	secmem_wipe(auth, sizeof(auth));
	free(sig);
	free(m);
	return rc;
}

/* Responder: who the peer says it is, and whether we take it.  The
 * peer_id callback may change the configuration: it must still be one
 * we can authenticate with. */
static bool
peer_accepted(struct ike_engine *eng, struct ike_sa *sa,
    const struct pl_id *idi)
{
	struct ike_id id;
	const char *why;

	if (ike_id_check(idi->type, idi->data.len) != 0)
		return false;
	memset(&id, 0, sizeof(id));
	id.type = idi->type;
	id.len = idi->data.len;
	memcpy(id.data, idi->data.p, id.len);
	if (eng->cb.peer_id == NULL)
		return id_matches(&sa->cfg.remote_id, idi);
	if (eng->cb.peer_id(eng->cb.arg, &id, &sa->cfg) != 0)
		return false;
	if (sa->cfg.auth == CFG_AUTH_PSK)
		return sa->cfg.psk_len != 0;
	if ((why = auth_sig_cfg(eng, &sa->cfg)) != NULL) {
		log_dbg(LOG_IKE, "SA %u: %s", sa->handle, why);
		return false;
	}
	return true;
}

/* Responder: the identity the peer authenticated with becomes the SA's
 * remote identity (it was empty, a group's, or the same). */
static void
peer_id_keep(struct ike_sa *sa, const struct pl_id *idi)
{
	sa->cfg.remote_id.type = idi->type;
	sa->cfg.remote_id.len = idi->data.len;
	memcpy(sa->cfg.remote_id.data, idi->data.p, idi->data.len);
}

static void
refuse(struct ike_engine *eng, struct ike_sa *sa, uint32_t msgid,
    const char *why)
{
	struct ike_msg *m;

	if ((m = new_msg(sa, IKEV2_EXCH_IKE_AUTH, true)) != NULL &&
	    xchg_add_notify(m, true, IKEV2_N_AUTHENTICATION_FAILED, NULL,
	    0) == 0)
		(void)xchg_respond(eng, sa, m, msgid, true);	/* logged */
	free(m);
	xchg_kill(eng, sa, IKEV2_N_AUTHENTICATION_FAILED, why);
}

void
auth_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	const struct ike_pl *idi = ike_msg_find(m, IKEV2_PL_IDI, NULL);
	uint8_t auth[PRF_MAX_OUT], *sig = NULL;
	struct ike_msg *r;
	const char *why;
	int rc;

	if (sa->state != IKE_SA_HALF_OPEN) {
		eng->st.rx_dropped++;
		return;
	}
	why = peer_accepted(eng, sa, &idi->u.id) ?
	    auth_check(eng, sa, true, m) : reason_auth;
	if (why != NULL) {
		log_dbg(LOG_IKE, "SA %u: peer failed to authenticate: %s",
		    sa->handle, why);
		refuse(eng, sa, m->hdr.msgid, why);
		return;
	}
	if ((r = new_msg(sa, IKEV2_EXCH_IKE_AUTH, true)) == NULL) {
		xchg_kill(eng, sa, 0, "out of memory");
		return;
	}
	peer_id_keep(sa, &idi->u.id);
	contact_seen(eng, sa, m);	/* before the Child SA is installed */
	sa->state = IKE_SA_ESTABLISHED;
	sa->up_ms = eng->now_ms;
	xchg_event(eng, sa, ENGINE_EV_IKE_UP, NULL, 0, NULL);
	if ((rc = add_id_auth(eng, sa, r, auth, &sig)) == 0 &&
	    (rc = child_answer(eng, sa, m, r)) == 0)
		rc = xchg_respond(eng, sa, r, m->hdr.msgid, true);
	if (rc != 0)
		xchg_kill(eng, sa, 0, "IKE_AUTH response failed");
	secmem_wipe(auth, sizeof(auth));
	free(sig);
	free(r);
}

/* The peer answered with error Notify payloads only. */
static void
refused(struct ike_engine *eng, struct ike_sa *sa, const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKEV2_N_ERROR_MAX) {
			uint16_t t = m->pl[i].u.notify.type;

			xchg_kill(eng, sa, t,
			    t == IKEV2_N_AUTHENTICATION_FAILED ?
			    "authentication failed" :
			    "IKE_AUTH refused by peer");
			return;
		}
	xchg_kill(eng, sa, 0, "IKE_AUTH answer unusable");
}

/* s. 2.21.2: tell the responder we do not accept it, then drop the SA;
 * the notification is sent once, as the SA ends with it. */
static void
reject_responder(struct ike_engine *eng, struct ike_sa *sa, const char *why)
{
	struct ike_msg *m;

	if ((m = new_msg(sa, IKEV2_EXCH_INFORMATIONAL, false)) != NULL &&
	    xchg_add_notify(m, true, IKEV2_N_AUTHENTICATION_FAILED, NULL,
	    0) == 0)
		(void)xchg_request(eng, sa, m, true);	/* logged */
	free(m);
	xchg_kill(eng, sa, IKEV2_N_AUTHENTICATION_FAILED, why);
}

void
auth_response(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	const struct ike_pl *idr = ike_msg_find(m, IKEV2_PL_IDR, NULL);
	const char *why;

	if (sa->state != IKE_SA_AUTH_SENT) {
		eng->st.rx_dropped++;
		return;
	}
	if (ike_msg_find(m, IKEV2_PL_AUTH, NULL) == NULL || idr == NULL) {
		refused(eng, sa, m);
		return;
	}
	if (ike_id_check(idr->u.id.type, idr->u.id.data.len) != 0 ||
	    !id_matches(&sa->cfg.remote_id, &idr->u.id))
		why = reason_auth;
	else
		why = auth_check(eng, sa, false, m);
	if (why != NULL) {
		log_dbg(LOG_IKE, "SA %u: responder failed to authenticate: "
		    "%s", sa->handle, why);
		reject_responder(eng, sa, why);
		return;
	}
	sa->state = IKE_SA_ESTABLISHED;
	sa->up_ms = eng->now_ms;
	xchg_event(eng, sa, ENGINE_EV_IKE_UP, NULL, 0, NULL);
	child_complete(eng, sa, m);
}
