/* core/exchange1/v1_main.c: Main Mode with preshared keys or
 * signatures (RFC 2409 s. 5, 5.1, 5.4; NAT-D RFC 3947 s. 3.2, 4), both
 * roles:
 *
 *   1  HDR, SA, VID...                  -->
 *   2                  <--  HDR, SA, VID...
 *   3  HDR, KE, Ni [, CR...] [, NAT-D, NAT-D]     -->
 *   4                  <--  HDR, KE, Nr [, CR...] [, NAT-D, NAT-D]
 *   5  HDR*, IDii, HASH_I | [CERT...,] SIG_I   -->  (from the NAT-T
 *   6          <--  HDR*, IDir, HASH_R | [CERT...,] SIG_R   port when a
 *                                                   NAT is seen)
 *
 * The initiator resends each of its messages until the next one comes;
 * the responder answers a duplicate with its last message again (in
 * v1_xchg.c).  Message 5 that does not open, names an identity we do
 * not accept or carries the wrong HASH_I fails the SA ("authentication
 * failed"; with signatures the reason the certificate or SIG_I was
 * refused: v1_sig.c), as a wrong HASH_R or SIG_R does on the
 * initiator; each then tells the peer so in the clear, which the peer
 * notes but does not trust.  CRs (signatures only) name our CAs. */
#include "core/exchange1/v1.h"

#include <string.h>

#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

static const char auth_failed[] = "authentication failed";

/* Messages 3 and 4: KE, nonce, CRs and NAT-D; messages 5 and 6 (sent
 * encrypted): our ID and HASH_I or HASH_R (or CERTs and SIG_I or
 * SIG_R). */
#define MM_KE	(V1_PART_KE | V1_PART_CR | V1_PART_NATD)
#define MM_ID	(V1_PART_ID | V1_PART_AUTH)

int
v1_main_start(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	rc = v1_ph1_send_parts(eng, sa, V1_PART_SA | V1_PART_VID, NULL, NULL,
	    V1_SEND_REQUEST | V1_SEND_SAI);
	if (rc == 0)
		sa->v1->step = V1_I_MM1;
	return rc;
}

/* Responder, message 1: a new SA and message 2. */
void
v1_main_new(struct ike_engine *eng, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	const struct v1_xform *xf = NULL;
	struct ike_sa *sa;

	if (!v1_ph1_form_ok(eng, NULL, m, 1) ||
	    (sa = v1_ph1_responder(eng, m, 0, remote, local, &xf)) == NULL)
		return;
	if (v1_ph1_send_parts(eng, sa, V1_PART_CHOICE | V1_PART_VID, m, xf,
	    0) != 0) {
		v1_kill(eng, sa, 0, "phase-1 answer failed");
		return;
	}
	sa->v1->step = V1_R_MM2;
}

/* Initiator, message 2: the chosen transform; message 3. */
static void
got_mm2(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m)
{
	struct v1_p1_xf x;

	if (!v1_ph1_form_ok(eng, sa, m, 2))
		return;
	if (v1_prop_accept(m, &sa->cfg, false, sa->v1->auth, &x) != 0) {
		eng->st.rx_malformed++;
		v1_ph1_fail(eng, sa, "peer chose no proposal of ours");
		return;
	}
	sa->spi_r = v1_cookie(m->hdr.rcookie);
	v1_prop_apply(sa, &x);
	v1_ph1_read_vids(sa, m);
	v1_ph1_accepted(eng, sa, m);
	if (v1_ph1_make_ke(sa) != 0 || v1_ph1_send_parts(eng, sa, MM_KE, NULL,
	    NULL, V1_SEND_REQUEST) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 3 failed");
		return;
	}
	sa->v1->step = V1_I_MM3;
}

/* Message 3 or 4: the peer's KE and nonce (the responder makes its
 * own), the keys and NAT detection; false when the message was dropped
 * or sa failed. */
static bool
got_ke(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m,
    unsigned int msgno, const struct ike_addr *remote,
    const struct ike_addr *local)
{
	if (!v1_ph1_form_ok(eng, sa, m, msgno))
		return false;
	if (v1_ph1_take_ke_nonce(sa, m) != 0) {
		log_dbg(LOG_IKE, "SA %u: unusable KE or nonce", sa->handle);
		eng->st.rx_malformed++;
		return false;
	}
	if ((msgno == 3 && v1_ph1_make_ke(sa) != 0) || v1_ph1_keys(sa) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 key derivation failed");
		return false;
	}
	v1_natd_check(eng, sa, m, remote, local);
	v1_ph1_accepted(eng, sa, m);
	return true;
}

/* Responder, message 3: keys; message 4. */
static void
got_mm3(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (!got_ke(eng, sa, m, 3, remote, local))
		return;
	if (v1_ph1_send_parts(eng, sa, MM_KE, NULL, NULL, 0) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 4 failed");
		return;
	}
	sa->v1->step = V1_R_MM4;
}

/* Initiator, message 4: keys, NAT; message 5. */
static void
got_mm4(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (!got_ke(eng, sa, m, 4, remote, local))
		return;
	v1_natd_float(eng, sa);
	if (v1_ph1_send_parts(eng, sa, MM_ID, NULL, NULL, V1_SEND_REQUEST |
	    V1_SEND_ENC) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 5 failed");
		return;
	}
	sa->v1->step = V1_I_MM5;
}

/* Opens message 5 or 6 and checks the peer's ID and HASH or SIG;
 * false when that failed: a message in the clear is dropped, any other
 * kills sa ("authentication failed", or why a certificate or signature
 * was refused). */
static bool
open_id(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    unsigned int msgno)
{
	uint8_t next[CIPHER_MAX_BLOCK], *pt = NULL;
	const char *why = auth_failed;
	size_t pt_len = 0;

	if ((m->hdr.flags & IKEV1_F_ENC) == 0) {
		eng->st.rx_malformed++;	/* not from a peer with keys */
		return false;
	}
	if (v1_open(sa, m, sa->v1->iv, next, &pt, &pt_len) == 0 &&
	    v1_ph1_form_ok(eng, sa, m, msgno) &&
	    v1_ph1_peer_id(eng, sa, m, false))
		why = v1_ph1_auth_check(eng, sa, m, msgno == 5);
	v1_pt_free(pt, pt_len);
	if (why != NULL) {
		log_dbg(LOG_IKE, "SA %u: message %u does not authenticate",
		    sa->handle, msgno);
		v1_ph1_tell_auth_failed(eng, sa);
		v1_ph1_fail(eng, sa, why);
		return false;
	}
	memcpy(sa->v1->iv, next, sa->v1->block);
	v1_ph1_accepted(eng, sa, m);
	return true;
}

/* Responder, message 5: the peer authenticated; message 6. */
static void
got_mm5(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (!open_id(eng, sa, m, 5))
		return;
	natt_follow(eng, sa, remote, local);	/* RFC 3947 s. 4 */
	if (v1_ph1_send_parts(eng, sa, MM_ID, NULL, NULL, V1_SEND_ENC) != 0) {
		v1_ph1_fail(eng, sa, "phase-1 message 6 failed");
		return;
	}
	v1_ph1_done(eng, sa);
}

void
v1_main_input(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	switch (sa->v1->step) {
	case V1_I_MM1:
		got_mm2(eng, sa, m);
		break;
	case V1_R_MM2:
		got_mm3(eng, sa, m, remote, local);
		break;
	case V1_I_MM3:
		got_mm4(eng, sa, m, remote, local);
		break;
	case V1_R_MM4:
		got_mm5(eng, sa, m, remote, local);
		break;
	case V1_I_MM5:
		if (open_id(eng, sa, m, 6)) {
			ike_sa_out_clear(sa);
			v1_ph1_done(eng, sa);
		}
		break;
	default:
		eng->st.rx_dropped++;
		break;
	}
}
