/* core/exchange1/v1_aggr.c: Aggressive Mode with preshared keys or
 * signatures (RFC 2409 s. 5, 5.1, 5.4; NAT-D RFC 3947 s. 3.2, 4), both
 * roles:
 *
 *   1  HDR, SA, KE, Ni, IDii [, CR...], VID...            -->
 *   2    <--  HDR, SA, KE, Nr, IDir, HASH_R | [CERT...,] SIG_R
 *                  [, CR...], VID... [, NAT-D x 2]
 *   3  HDR*, HASH_I | [CERT...,] SIG_I [, NAT-D x 2]      -->  (from
 *                                      the NAT-T port behind a NAT)
 *
 * Message 1 carries the KE, so one D-H group only (the first
 * configured) is offered; the initiator's identity goes in the clear
 * and message 2 gives an eavesdropper a HASH_R to attack the
 * preshared key offline: v1_initiate() warns.  Message 3 goes out
 * encrypted, as most peers send it; either form is accepted.  The
 * responder resends message 2 until message 3 comes (it is the last
 * message, so the initiator answers a duplicate message 2 with it). */
#include "core/exchange1/v1.h"

#include <string.h>

#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

static const char auth_failed[] = "authentication failed";

int
v1_aggr_start(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	sa->dh_group = sa->cfg.dh[0];
	if ((rc = v1_ph1_make_ke(sa)) != 0)
		return rc;
	rc = v1_ph1_send_parts(eng, sa, V1_PART_SA | V1_PART_KE | V1_PART_ID |
	    V1_PART_CR | V1_PART_VID, NULL, NULL,
	    V1_SEND_REQUEST | V1_SEND_SAI);
	if (rc == 0)
		sa->v1->step = V1_I_AM1;
	return rc;
}

/* Responder: message 2 (resent until message 3 comes). */
static int
send_am2(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *req,
    const struct v1_xform *xf)
{
	return v1_ph1_send_parts(eng, sa, V1_PART_CHOICE | V1_PART_KE |
	    V1_PART_ID | V1_PART_AUTH | V1_PART_CR | V1_PART_VID |
	    V1_PART_NATD, req, xf, V1_SEND_REQUEST);
}

/* Responder, message 1: the peer's identity picks or checks the key. */
void
v1_aggr_new(struct ike_engine *eng, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	const struct v1_pl *ke = v1_msg_find(m, IKEV1_PL_KE, NULL);
	const struct v1_xform *xf = NULL;
	struct ike_sa *sa;

	if (!v1_ph1_form_ok(eng, NULL, m, 1) || (sa = v1_ph1_responder(eng, m,
	    ke->u.data.len, remote, local, &xf)) == NULL)
		return;
	if (!v1_ph1_peer_id(eng, sa, m, true)) {
		log_dbg(LOG_IKE, "SA %u: identity refused", sa->handle);
		v1_ph1_fail(eng, sa, auth_failed);
		return;
	}
	if (v1_ph1_take_ke_nonce(sa, m) != 0) {
		eng->st.rx_malformed++;
		v1_kill(eng, sa, 0, "unusable KE or nonce");
		return;
	}
	if (v1_ph1_make_ke(sa) != 0 || v1_ph1_keys(sa) != 0 ||
	    send_am2(eng, sa, m, xf) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 2 failed");
		return;
	}
	sa->v1->step = V1_R_AM2;
}

/* Initiator, message 2: the answer and the responder's proof. */
static void
got_am2(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	struct v1_p1_xf x;
	const char *why = auth_failed;

	if (!v1_ph1_form_ok(eng, sa, m, 2))
		return;
	if (v1_prop_accept(m, &sa->cfg, true, sa->v1->auth, &x) != 0 ||
	    v1_ph1_take_ke_nonce(sa, m) != 0) {
		eng->st.rx_malformed++;
		v1_ph1_fail(eng, sa, "peer chose no proposal of ours");
		return;
	}
	sa->spi_r = v1_cookie(m->hdr.rcookie);
	v1_prop_apply(sa, &x);
	v1_ph1_read_vids(sa, m);
	if (v1_ph1_keys(sa) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 key derivation failed");
		return;
	}
	if (v1_ph1_peer_id(eng, sa, m, false))
		why = v1_ph1_auth_check(eng, sa, m, false);
	if (why != NULL) {
		v1_ph1_tell_auth_failed(eng, sa);
		v1_ph1_fail(eng, sa, why);
		return;
	}
	v1_natd_check(eng, sa, m, remote, local);
	v1_ph1_accepted(eng, sa, m);
	v1_natd_float(eng, sa);
	/* message 3: HASH_I (or CERTs and SIG_I) encrypted */
	if (v1_ph1_send_parts(eng, sa, V1_PART_AUTH | V1_PART_NATD, NULL,
	    NULL, V1_SEND_ENC) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 3 failed");
		return;
	}
	v1_ph1_done(eng, sa);
}

/* Responder, message 3: the initiator's proof, plain or encrypted. */
static void
got_am3(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	uint8_t next[CIPHER_MAX_BLOCK], *pt = NULL;
	size_t pt_len = 0;
	bool enc = (m->hdr.flags & IKEV1_F_ENC) != 0;
	const char *why = auth_failed;

	if ((!enc || v1_open(sa, m, sa->v1->iv, next, &pt,
	    &pt_len) == 0) && v1_ph1_form_ok(eng, sa, m, 3))
		why = v1_ph1_auth_check(eng, sa, m, true);
	if (why == NULL)
		v1_natd_check(eng, sa, m, remote, local);
	v1_pt_free(pt, pt_len);
	if (why != NULL) {
		v1_ph1_tell_auth_failed(eng, sa);
		v1_ph1_fail(eng, sa, why);
		return;
	}
	if (enc)
		memcpy(sa->v1->iv, next, sa->v1->block);
	v1_ph1_accepted(eng, sa, m);
	ike_sa_out_clear(sa);
	natt_follow(eng, sa, remote, local);	/* RFC 3947 s. 4 */
	v1_ph1_done(eng, sa);
}

void
v1_aggr_input(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	switch (sa->v1->step) {
	case V1_I_AM1:
		got_am2(eng, sa, m, remote, local);
		break;
	case V1_R_AM2:
		got_am3(eng, sa, m, remote, local);
		break;
	default:
		eng->st.rx_dropped++;
		break;
	}
}
